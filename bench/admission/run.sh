#!/usr/bin/env bash
# Admission webhook benchmark: AdmissionReviews of a 3-image Deployment per second over HTTPS with
# keep-alive (wrk, 32 connections, on the same two cores), against the webhook's own TLS listener of
# `./portcullis serve` with its default options; and, in the same run, the rate of a Helidon listener
# with the same TLS answering the same number of bytes without any work (Constant.java: the
# transport's ceiling). Binds 127.0.0.1 only; stops what it starts.
# Usage: bench/admission/run.sh [SECONDS] [CONNECTIONS]   (default 20 s and 32 connections, after BENCH_WARMUP
# seconds, default 10)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$here/scripts/jdk.sh"
secs="${1:-20}"
warm="${BENCH_WARMUP:-10}"
conns="${2:-32}"
command -v wrk >/dev/null || { echo "bench: wrk is needed (apt-get install wrk)"; exit 1; }
"$here/portcullis" --version >/dev/null   # builds the jar if the sources changed
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port); hook=$(free_port); constant=$(free_port)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null
cat > "$work/portcullis.yml" <<YAML
server: {addr: "127.0.0.1:$port"}
data_dir: "$work/data"
admission:
  enabled: true
  cluster: bench.local
  addr: "127.0.0.1:$hook"
  certificate: "$work/tls.crt"
  key: "$work/tls.key"
YAML
"$here/portcullis" serve --config "$work/portcullis.yml" >"$work/serve.log" 2>&1 &
pids+=($!)
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.05
done
token=$(cat "$work/data/admin.token")
# A policy with the rules a cluster has: images of the team's registry must be attested, two base
# images are allowed by pattern, a namespace rule for the Deployment's namespace.
curl -sf -X PUT -H "Authorization: Bearer $token" --data-binary @- "http://127.0.0.1:$port/api/v1/policy" >/dev/null <<'YAML'
defaultAdmissionRule: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
admissionWhitelistPatterns:
  - namePattern: "gcr.io/distroless/*"
  - namePattern: "docker.io/library/busybox*"
kubernetesNamespaceAdmissionRules:
  shop: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
YAML
cat > "$work/review.json" <<'JSON'
{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"705ab4f5-6393-11e8-b7cc-42010a800002",
"kind":{"group":"apps","version":"v1","kind":"Deployment"},"resource":{"group":"apps","version":"v1","resource":"deployments"},
"requestKind":{"group":"apps","version":"v1","kind":"Deployment"},"requestResource":{"group":"apps","version":"v1","resource":"deployments"},
"name":"cart","namespace":"shop","operation":"CREATE","userInfo":{"username":"system:serviceaccount:ci:deployer","uid":"1f0e","groups":["system:serviceaccounts","system:authenticated"]},
"object":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"cart","namespace":"shop","labels":{"app":"cart"}},
"spec":{"replicas":3,"selector":{"matchLabels":{"app":"cart"}},"template":{"metadata":{"labels":{"app":"cart"}},
"spec":{"serviceAccountName":"cart","initContainers":[{"name":"migrate","image":"registry.example.com/shop/cart-migrate@sha256:1111111111111111111111111111111111111111111111111111111111111111"}],
"containers":[{"name":"cart","image":"registry.example.com/shop/cart@sha256:2222222222222222222222222222222222222222222222222222222222222222","ports":[{"containerPort":8080}]},
{"name":"proxy","image":"gcr.io/distroless/envoy@sha256:3333333333333333333333333333333333333333333333333333333333333333"}]}}}},
"oldObject":null,"dryRun":false,"options":{"apiVersion":"meta.k8s.io/v1","kind":"CreateOptions"}}}
JSON
url="https://127.0.0.1:$hook/admission/validate"
curl -sf --cacert "$work/tls.crt" -H 'Content-Type: application/json' --data-binary @"$work/review.json" "$url" >"$work/answer.json"
grep -q '"allowed":true' "$work/answer.json" || { echo "bench: the review was not allowed:"; cat "$work/answer.json"; exit 1; }
"$JAVA_HOME/bin/java" -cp "$here/target/portcullis.jar" "$here/bench/admission/Constant.java" "$constant" "$work/tls.crt" \
  "$work/tls.key" "$work/answer.json" >"$work/constant.log" 2>&1 &
pids+=($!)
until grep -q "constant answer" "$work/constant.log" 2>/dev/null; do kill -0 "${pids[1]}" || { cat "$work/constant.log"; exit 1; }; sleep 0.1; done
curl -sf --cacert "$work/tls.crt" -H 'Content-Type: application/json' --data-binary @"$work/review.json" \
  "https://127.0.0.1:$constant/admission/validate" | cmp -s - "$work/answer.json" || { echo "bench: the constant answer differs"; exit 1; }
export REVIEW="$work/review.json"
measure() {  # $1: URL, $2: out file
  wrk -t2 -c"$conns" -d"${warm}s" -s "$here/bench/admission/review.lua" "$1" >/dev/null
  wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$here/bench/admission/review.lua" "$1" >"$2"
}
measure "$url" "$work/webhook.txt"
kill -STOP "${pids[0]}"   # the other server idles out of the way while the ceiling is measured
measure "https://127.0.0.1:$constant/admission/validate" "$work/constant.txt"
kill -CONT "${pids[0]}"
rate() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }
errors() { awk '/Non-2xx|Socket errors/ {print}' "$1"; }
w=$(rate "$work/webhook.txt"); c=$(rate "$work/constant.txt")
echo "admission webhook: $w reviews/s, p99 $(p99 "$work/webhook.txt") (3-image Deployment, HTTPS keep-alive, $conns connections, ${secs} s after ${warm} s)"
echo "  goal: >= 3,000 reviews/s and p99 < 5 ms; $(errors "$work/webhook.txt")"
echo "constant answer of the same size on a listener with the same TLS: $c answers/s, p99 $(p99 "$work/constant.txt")"
awk -v w="$w" -v c="$c" 'BEGIN {printf "ratio webhook : constant = %.2f (goal >= 0.70)\n", w / c}'
echo "answer: $(wc -c <"$work/answer.json") bytes; review: $(wc -c <"$work/review.json") bytes"
