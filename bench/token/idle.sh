#!/usr/bin/env bash
# What an idle keep-alive connection costs: `./portcullis serve` with its default options, N
# connections that each had one token answered and then wait; resident memory and the live heap
# (after a full collection) before and after, per connection, and the heap's largest shares.
# Usage: bench/token/idle.sh [N]   (default 10000). Binds 127.0.0.1 only; stops what it starts.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$here/scripts/jdk.sh"
n="${1:-10000}"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" -lt $(( n + 512 )) ]; then echo "bench: $n connections need ulimit -n >= $(( n + 512 ))"; exit 1; fi
"$here/portcullis" --version >/dev/null
work="$(mktemp -d)"
pid=""; client=""
cleanup() { [ -n "$client" ] && kill "$client" 2>/dev/null; [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
. "$here/bench/token/config.sh"
"$here/portcullis" serve --config "$work/auth.yml" >"$work/serve.log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.05
done
measure() {  # $1: label; prints RSS KB and writes the histogram to $work/$1
  "$JAVA_HOME/bin/jcmd" "$pid" GC.run >/dev/null; sleep 1
  "$JAVA_HOME/bin/jcmd" "$pid" GC.class_histogram >"$work/$1"
  awk '/VmRSS/ {print $2}' "/proc/$pid/status"
}
python3 "$here/bench/token/idle.py" "$port" 20 3600 >/dev/null & warm=$!   # loads the token path first
sleep 3
rss0=$(measure before)
python3 "$here/bench/token/idle.py" "$port" "$n" 3600 >"$work/client.out" & client=$!
until grep -q open "$work/client.out" 2>/dev/null; do kill -0 "$client" || exit 1; sleep 0.5; done
sleep 2
rss1=$(measure after)
kill "$warm" 2>/dev/null || true
echo "idle keep-alive connections: $n (each after one token answered)"
echo "resident: $(( rss0 / 1024 )) MB before, $(( rss1 / 1024 )) MB with them: $(( (rss1 - rss0) * 1024 / n )) bytes a connection (goal <= 16,384)"
python3 - "$work/before" "$work/after" "$n" <<'PY'
import re, sys
def load(path):
    out = {}
    for line in open(path):
        m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
        if m:
            out[m.group(3)] = int(m.group(2))
    return out
a, b, n = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
grown = sorted(((b[k] - a.get(k, 0)) / n, k) for k in b)
total = sum(g for g, _ in grown)
print(f"live heap: {total:,.0f} bytes a connection; largest shares:")
for g, k in reversed(grown[-6:]):
    print(f"  {g:8,.0f}  {k}")
PY
