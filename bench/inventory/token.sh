#!/usr/bin/env bash
# The token endpoint with and without an @inventory ACL entry, in one run of one server: alice's
# entry matches her account only; bob's also needs his address in a 100,000-entry file set that is
# rewritten (a new snapshot built and swapped in) every second while the load runs. wrk with 32
# keep-alive connections, alternating alice and bob; prints both rates and bob's share (goal >= 0.95).
# Usage: bench/inventory/token.sh [SECONDS per round, default 20] [ROUNDS, default 2]. 127.0.0.1 only.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$here/scripts/jdk.sh"
secs="${1:-20}"
rounds="${2:-2}"
command -v wrk >/dev/null || { echo "bench: wrk is needed (apt-get install wrk)"; exit 1; }
"$here/portcullis" --version >/dev/null
work="$(mktemp -d)"
pid=""; writer=""
cleanup() { [ -n "$writer" ] && kill "$writer" 2>/dev/null; [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
hash=$(printf 'secret\n' | "$JAVA_HOME/bin/java" -jar "$here/target/portcullis.jar" hash-password --cost 10)
hosts() {  # 99,999 addresses in 10.0.0.0/8 and 127.0.0.1, in a new order each time
  python3 -c 'import random; r=random.Random(); print("127.0.0.1"); [print("10.%d.%d.%d" % (r.randrange(256), r.randrange(256), r.randrange(256))) for _ in range(99999)]'
}
hosts >"$work/hosts.txt"
cat > "$work/auth.yml" <<YAML
server: {addr: "127.0.0.1:$port"}
data_dir: "$work/data"
token: {issuer: bench, expiration: 300}
users:
  alice: {password: "$hash"}
  bob: {password: "$hash"}
inventory:
  sets:
    - {name: hosts, file: "$work/hosts.txt", every: 1s, max_age: 1h}
acl:
  - match: {account: alice}
    actions: ["*"]
  - match: {account: bob, ip: "@inventory:hosts"}
    actions: ["*"]
YAML
"$here/portcullis" serve --config "$work/auth.yml" >"$work/serve.log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.05
done
url="http://127.0.0.1:$port/auth?service=registry.local&scope=repository%3Ateam%2Fapp%3Apull%2Cpush"
for who in alice bob; do
  until curl -sf -u "$who:secret" "$url" | python3 -c 'import sys, json, base64
t = json.load(sys.stdin)["token"].split(".")[1]
sys.exit(0 if json.loads(base64.urlsafe_b64decode(t + "=="))["access"][0]["actions"] else 1)'; do sleep 0.2; done   # bob: once the set is loaded
done
# A new snapshot every second: the file rewritten (atomically, by rename), read and swapped in.
( while true; do hosts >"$work/hosts.new"; mv "$work/hosts.new" "$work/hosts.txt"; sleep 1; done ) &
writer=$!
rate() {
  wrk -t2 -c32 -d"$2s" -H "Authorization: Basic $(printf '%s:secret' "$1" | base64)" "$url" | awk '/Requests\/sec/ {print $2}'
}
rate alice "${BENCH_WARMUP:-10}" >/dev/null
rate bob "${BENCH_WARMUP:-10}" >/dev/null
a_total=0; b_total=0
for i in $(seq "$rounds"); do
  a=$(rate alice "$secs"); b=$(rate bob "$secs")
  echo "round $i: without @inventory $a tokens/s, with $b tokens/s"
  a_total=$(echo "$a_total + $a" | bc); b_total=$(echo "$b_total + $b" | bc)
done
refreshes=$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^portcullis_inventory_refreshes_total/ {print $2}')
echo "with/without: $(echo "scale=3; $b_total / $a_total" | bc) (goal >= 0.95); the set was refreshed $refreshes times"
