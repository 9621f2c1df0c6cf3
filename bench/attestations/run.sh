#!/usr/bin/env bash
# Attestations at scale: `./portcullis serve` with its default options on the embedded H2 store in a
# temp data dir; one attestor with one P-256 PKIX key; COUNT attestations of distinct digests in
# batches of 1,000. Per 10,000: the ingest rate, the heap used after a full GC, the resident memory,
# and the store's bytes on disk per attestation. At the end: the restart time to /readyz and the
# evaluation p50/p99. Binds 127.0.0.1 only; stops what it starts.
# Usage: [HISTOGRAM=LINES] [POSTGRES=1] bench/attestations/run.sh [COUNT]   (default 100000; HISTOGRAM
# prints the heap's largest classes at the end; POSTGRES=1 stores in a throw-away PostgreSQL cluster
# started with scripts/postgres.sh, and the disk figure is then pg_total_relation_size of the
# attestation tables, the change feed and the audit log's table)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$here/scripts/jdk.sh"
count="${1:-100000}"
"$here/portcullis" --version >/dev/null   # builds the jar if the sources changed
work="$(mktemp -d)"
pid=""
pgdir=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "$pgdir" ]; then "$here/scripts/postgres.sh" stop "$pgdir"; fi
  if [ -n "${KEEP:-}" ]; then echo "bench: kept $work ${pgdir}"; else rm -rf "$work" ${pgdir:+"$pgdir"}; fi
}
trap cleanup EXIT
store_env=()
if [ -n "${POSTGRES:-}" ]; then
  pgdir="$(mktemp -d)"
  pgurl=$("$here/scripts/postgres.sh" start "$pgdir")
  pgport=$(cat "$pgdir/port")
  store_env=(PORTCULLIS_STORE_URL="$pgurl" PORTCULLIS_STORE_USER=postgres)
  psql="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql"
  # Tables with their indexes and TOAST: the attestations, their entries, the change feed and the audit log.
  cat >"$work/disk.sh" <<SIZES
"$psql" -h 127.0.0.1 -p $pgport -U postgres -d postgres -tAc "SELECT SUM(pg_total_relation_size(t::regclass)) FROM unnest(ARRAY['attestations', 'attestation_entries', 'attestation_signers', 'change_log', 'audit_events']) t"
SIZES
else
  echo "du -sb '$work/data' | cut -f1" >"$work/disk.sh"
fi
token="bench-attest-token-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
start() {
  (cd "$work" && exec env "${store_env[@]}" PORTCULLIS_API_ADMIN_TOKEN="$token" PORTCULLIS_SERVER_ADDR="127.0.0.1:$port" \
     "$here/portcullis" serve >>"$work/serve.log" 2>&1) &
  pid=$!
  for _ in $(seq 1200); do curl -sf "$url/readyz" >/dev/null && return 0; sleep 0.05; done
  cat "$work/serve.log"; exit 1
}
start
# serve's JVM is the launcher's child when the launcher does not exec it.
cat >"$work/report.sh" <<REPORT
j=\$(pgrep -P $pid java || echo $pid)
"$JAVA_HOME/bin/jcmd" \$j GC.run >/dev/null
heap=\$("$JAVA_HOME/bin/jcmd" \$j GC.heap_info | awk '/garbage-first|def new|tenured|total/ && /used/ {for (i=1;i<=NF;i++) if (\$i=="used") {v=\$(i+1); sub("K,?","",v); s+=v}} END {printf "%.0f", s/1024}')
rss=\$(awk '/VmRSS/ {printf "%.0f", \$2/1024}' /proc/\$j/status)
disk=\$(bash "$work/disk.sh")
n=\$1
if [ -n "${HISTOGRAM:-}" ] && [ "\$1" = "$count" ]; then "$JAVA_HOME/bin/jcmd" \$j GC.class_histogram | head -${HISTOGRAM:-0} | sed 's/^/   /'; fi
echo "   heap after GC \${heap} MB, resident \${rss} MB, disk \$((disk / 1048576)) MB = \$((disk / n)) bytes/attestation"
REPORT
echo "bench: $count attestations through POST /api/v1/attestations/batch, serve with its default options${POSTGRES:+, on PostgreSQL}"
grep -m1 -i "heap\|jvm" "$work/serve.log" | sed 's/^/bench: /' || true
"$JAVA_HOME/bin/java" "$here/bench/attestations/Ingest.java" "$url" "$token" ingest "$count" "$work/report.sh"
kill "$pid"; wait "$pid" 2>/dev/null || true
t0=$(date +%s%N)
start
echo "restart: ready in $(( ($(date +%s%N) - t0) / 1000000 )) ms with $count attestations"
"$JAVA_HOME/bin/java" "$here/bench/attestations/Ingest.java" "$url" "$token" evaluate 3000 "$count"
