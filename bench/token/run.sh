#!/usr/bin/env bash
# Token authority benchmark: tokens/s and p99 with 32 keep-alive clients (wrk), a warm credential
# cache, against the JDK's raw ES256 signing rate with the same key in the same run; time to ready;
# resident memory under load. Binds 127.0.0.1 only; stops what it starts.
# Usage: bench/token/run.sh [SECONDS] [CONNECTIONS]   (default 20 s and 32 connections; BENCH_WARMUP
# seconds of load with 32 connections before, default 20). With CONNECTIONS other than 32 the same run
# also measures 32 connections first, so the two rates come from one server and one machine state.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$here/scripts/jdk.sh"
secs="${1:-20}"
conns="${2:-32}"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" -lt $(( conns + 512 )) ]; then echo "bench: $conns connections need ulimit -n >= $(( conns + 512 ))"; exit 1; fi
command -v wrk >/dev/null || { echo "bench: wrk is needed (apt-get install wrk)"; exit 1; }
"$here/portcullis" --version >/dev/null   # builds the jar if the sources changed, outside the timed start
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; [ -n "${BENCH_KEEP:-}" ] && cp "$work/wrk.txt" "$BENCH_KEEP"; rm -rf "$work"; }
trap cleanup EXIT
. "$here/bench/token/config.sh"

# serve runs with ./portcullis's own JVM defaults unless BENCH_JAVA_OPTS replaces them; the GC log
# comes through JAVA_TOOL_OPTIONS so that it changes nothing else.
if [ -n "${BENCH_JAVA_OPTS:-}" ]; then export PORTCULLIS_JAVA_OPTS="$BENCH_JAVA_OPTS"; fi
serve() { JAVA_TOOL_OPTIONS="-Xlog:gc:file=$work/gc.log" exec "$here/portcullis" serve --config "$work/auth.yml"; }
# A first start records the class-data-sharing archive, as the first run of ./portcullis does
# anywhere; a few token requests put the token path in it. On JDK 25+ that start has the launcher train
# the ahead-of-time cache in the background (once serve has been up 8 s): the measured start waits for it.
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release")
archive="$here/target/portcullis-serve.jsa"
[ "${major:-0}" -ge 25 ] && archive="$here/target/portcullis-serve.aot"
if [ ! -f "$archive" ] || [ "$here/target/portcullis.jar" -nt "$archive" ]; then
  serve >"$work/serve.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.05; done
  for _ in $(seq 200); do
    curl -sf -u alice:secret "http://127.0.0.1:$port/auth?service=registry.local&scope=repository:team/app:pull" >/dev/null
  done
  if [ "${major:-0}" -ge 25 ]; then
    flock "$archive.lock" true   # the training holds the lock from the start until the cache is written
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  [ -f "$archive" ] || { echo "no start-up cache: see $archive.log" >&2; exit 1; }
fi
start=$(date +%s%N)
serve >"$work/serve.log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.02
done
ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))

url="http://127.0.0.1:$port/auth?service=registry.local&scope=repository%3Ateam%2Fapp%3Apull%2Cpush"
auth="Authorization: Basic $(printf 'alice:secret' | base64)"
curl -sf -H "$auth" "$url" >/dev/null   # warms the credential cache: bcrypt runs once
# Steady state: after 5 s of load the JIT compilers still took a fifth of the CPU of the next 15 s.
wrk -t${WRK_THREADS:-2} -c32 -d"${BENCH_WARMUP:-20}s" -H "$auth" "$url" >/dev/null
if [ "$conns" != 32 ]; then
  wrk -t${WRK_THREADS:-2} -c32 -d"${secs}s" --latency -H "$auth" "$url" >"$work/wrk32.txt"
fi
gc_from=$(wc -l <"$work/gc.log")
cpu_from=$(head -1 /proc/stat)
# A time-out is a reply slower than 5 s (wrk's default is 2 s): counted as errors, never hidden.
wrk -t${WRK_THREADS:-2} -c"$conns" -d"${secs}s" --timeout 5s --latency -H "$auth" "$url" >"$work/wrk.txt" &
wrk_pid=$!
sleep $(( secs / 2 ))
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
open_conns=$(ls "/proc/$pid/fd" | wc -l)
wait "$wrk_pid"
cpu_to=$(head -1 /proc/stat)
# CPU time the hypervisor gave to other guests while this one wanted it (the 8th figure of "cpu").
steal=$(printf '%s\n%s\n' "$cpu_from" "$cpu_to" | awk '{t=0; for (i=2;i<=NF;i++) t+=$i; s[NR]=$9; a[NR]=t}
  END {d = a[2] - a[1]; printf "%.1f", (d > 0) ? 100 * (s[2] - s[1]) / d : 0}')
gc=$(tail -n +"$((gc_from + 1))" "$work/gc.log" | awk '/Pause/ {n++; ms=$NF+0; t+=ms; if (ms>m) m=ms; if (/Full/) f++}
  END {printf "%d pauses, %.0f ms in all, longest %.1f ms, %d full", n, t, m, f}')
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
p99=$(awk '$1=="99%" {print $2}' "$work/wrk.txt")
errors=$(grep -E 'Non-2xx|Socket errors' "$work/wrk.txt" || true)
java_opts=$(tr '\0' '\n' <"/proc/$pid/cmdline" | grep -E '^-X' | grep -vE '^-X(log|X:(AOT|SharedArchive|\+AutoCreate))' | tr '\n' ' ')
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""

raw=$("$JAVA_HOME/bin/java" "$here/bench/token/RawSign.java" "$work/data/token.key" 2 10)
raw_bc=$("$JAVA_HOME/bin/java" -cp "$here/target/portcullis.jar" "$here/bench/token/RawSignBc.java" "$work/data/token.key" 2 10)
ratio=$(awk -v a="$rps" -v b="$raw" 'BEGIN {printf "%.2f", a/b}')
echo "token authority: ${rps} tokens/s, p99 ${p99} (${conns} keep-alive clients, wrk, ${secs} s after ${BENCH_WARMUP:-20} s of warm-up)"
[ -n "$errors" ] && echo "  wrk reported: $errors"
if [ "$conns" != 32 ]; then
  rps32=$(awk '/Requests\/sec/ {print $2}' "$work/wrk32.txt")
  echo "  the same server with 32 clients just before: ${rps32} tokens/s, p99 $(awk '$1=="99%" {print $2}' "$work/wrk32.txt");" \
    "ratio $(awk -v a="$rps" -v b="$rps32" 'BEGIN {printf "%.2f", a/b}') (goal >= 0.80)"
  echo "  open file descriptors of serve mid-run: ${open_conns}"
fi
echo "JDK raw ES256 signing, same key, 2 threads: ${raw} signatures/s"
echo "ratio tokens/s : raw signatures/s = ${ratio} (goal >= 0.75; at least 9,000 tokens/s and p99 < 10 ms)"
echo "Bouncy Castle raw ES256 signing (the signer serve uses), same key, 2 threads: ${raw_bc} signatures/s"
echo "JVM options: $java_opts"
echo "during the measured run: garbage collection ${gc}; CPU steal ${steal}%"
echo "ready after ${ready_ms} ms (goal < 1500 ms); resident memory under load $(( rss_kb / 1024 )) MB" \
  "(goal < 256 MB at 32 connections, < 400 MB at 10,000)"
