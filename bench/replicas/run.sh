#!/usr/bin/env bash
# Replica propagation benchmark: two serve processes on one PostgreSQL; a policy replaced through one
# replica's admin API, timed until the other serves it (p50, p99, max over CHANGES changes). Uses the
# PostgreSQL of PORTCULLIS_TEST_POSTGRES_URL (a database of its own in it) or starts one with
# scripts/postgres.sh. Binds 127.0.0.1 only; stops what it starts.
# Usage: bench/replicas/run.sh [CHANGES]   (default 300)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$here/scripts/jdk.sh"
changes="${1:-300}"
"$here/portcullis" --version >/dev/null   # builds the jar if the sources changed
work="$(mktemp -d)"
pids=()
own_pg=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "$own_pg" ]; then "$here/scripts/postgres.sh" stop "$own_pg"; rm -rf "$own_pg"; fi
  rm -rf "$work"
}
trap cleanup EXIT
url="${PORTCULLIS_TEST_POSTGRES_URL:-}"
if [ -z "$url" ]; then
  own_pg="$(mktemp -d)"   # outside $work: the server runs as the postgres user when this runs as root
  url="$("$here/scripts/postgres.sh" start "$own_pg")"
fi
psql=$(ls -d /usr/lib/postgresql/*/bin/psql | sort -V | tail -1)
db="bench_replicas_$(date +%s%N)"
"$psql" -q "${url#jdbc:}" -c "CREATE DATABASE $db"
store_url="$(printf '%s' "$url" | sed -E "s#^(jdbc:postgresql://[^/]+/)[^?]*#\1$db#")"
token="bench-replicas-token-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
urls=()
for name in a b; do
  port=$(free_port)
  mkdir -p "$work/$name"
  (cd "$work/$name" && PORTCULLIS_STORE_URL="$store_url" PORTCULLIS_API_ADMIN_TOKEN="$token" \
     PORTCULLIS_SERVER_ADDR="127.0.0.1:$port" exec "$here/portcullis" serve >"$work/$name.log" 2>&1) &
  pids+=($!)
  urls+=("http://127.0.0.1:$port")
done
for u in "${urls[@]}"; do
  for _ in $(seq 600); do curl -sf "$u/readyz" >/dev/null && break; sleep 0.1; done
  curl -sf "$u/readyz" >/dev/null || { cat "$work"/*.log; exit 1; }
done
echo "bench: two replicas on $(printf '%s' "$store_url" | sed -E 's#\?.*##'), $changes policy changes through A, read on B"
"$JAVA_HOME/bin/java" "$here/bench/replicas/Propagation.java" "${urls[0]}" "${urls[1]}" "$token" "$changes"
curl -s "${urls[1]}/readyz" | sed 's/^/bench: B \/readyz: /'
