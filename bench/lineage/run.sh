#!/usr/bin/env bash
# Image lineage at scale: `./portcullis serve` with its default options on the embedded H2 store in a
# temp data dir, a synthetic registry (Synthetic.java: 50 bases, depth up to 4, 5-30 layers, one image
# in ten a two-platform index) sending COUNT images' push notifications; prints the ingest rate, the
# affected p50/p99 for the most used base, the heap used after a full GC and the bytes per image,
# and the restart time to /readyz. Binds 127.0.0.1 only; stops what it starts.
# Usage: bench/lineage/run.sh [COUNT]   (default 10000)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$here/scripts/jdk.sh"
count="${1:-10000}"
"$here/portcullis" --version >/dev/null   # builds the jar if the sources changed
work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "${KEEP:-}" ]; then echo "bench: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
registry_port=$(free_port)
secret="bench-lineage-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
token="bench-admin-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
cat >"$work/portcullis.yml" <<YAML
api: {admin_token: "$token"}
lineage:
  events_secret: "$secret"
  registries:
    "127.0.0.1:$registry_port": {insecure: true}
YAML
start_serve() {
  (cd "$work" && exec env PORTCULLIS_SERVER_ADDR="127.0.0.1:$port" "$here/portcullis" serve --config portcullis.yml \
    >"$work/serve.out" 2>"$work/serve.err") &
  pid=$!
  local t0; t0=$(date +%s%N)
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/serve.err"; exit 1; }
    sleep 0.05
  done
  echo "ready after start: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
}
heap() {
  jcmd "$pid" GC.run >/dev/null
  jcmd "$pid" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub(/K,?/, "", v); s += v } }
    END { printf "%.1f", s / 1024 }'
}
start_serve
"$JAVA_HOME/bin/java" "$here/bench/lineage/Synthetic.java" "$registry_port" "http://127.0.0.1:$port" "$secret" "$token" "$count"
used=$(PATH="$JAVA_HOME/bin:$PATH" heap)
echo "heap used after a full GC: $used MB ($(awk -v u="$used" -v c="$count" 'BEGIN { printf "%.0f", u * 1048576 / c }') bytes an image, the rest of serve included)"
echo "store on disk: $(du -sb "$work/data" | cut -f1) bytes"
kill "$pid"; wait "$pid" 2>/dev/null || true
start_serve
