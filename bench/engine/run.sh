#!/usr/bin/env bash
# Engine guard benchmark: `portcullis engine-guard` against nginx set up as the classic recipe does
# (ssl_verify_client on, upstream the same unix socket of Podman's Docker API, keep-alive 32), both
# with ECDSA P-256 certificates of `portcullis pki`, driven by the same load generator (Load.java:
# keep-alive connections with the client certificate) in the same run, on /_ping and
# /containers/json, and the time of a `docker load` of a 100 MB image through each; resident memory
# of both after the load. Binds 127.0.0.1 only; stops what it starts.
# Usage: bench/engine/run.sh [SECONDS] [CONNECTIONS]   (default 10 s and 16 connections, after
# BENCH_WARMUP seconds, default 5)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$here/scripts/jdk.sh"
secs="${1:-10}"
conns="${2:-16}"
warm="${BENCH_WARMUP:-5}"
for t in podman runc nginx docker umoci skopeo; do command -v "$t" >/dev/null || { echo "bench: $t is needed (apt-get install podman runc nginx)"; exit 1; }; done
"$here/portcullis" --version >/dev/null   # builds the jar if the sources changed
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
guard_port=$(free_port); nginx_port=$(free_port)

cat > "$work/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
netns = "none"
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
CONTAINERS_CONF="$work/containers.conf" podman --storage-driver vfs --root "$work/storage" --runroot "$work/run" \
  system service --time=0 "unix://$work/podman.sock" >"$work/podman.log" 2>&1 &
pids+=($!)
until [ -S "$work/podman.sock" ]; do sleep 0.1; done

cd "$work"
"$here/portcullis" pki init --dir pki >/dev/null
"$here/portcullis" pki issue server --dir pki --dns localhost --ip 127.0.0.1 --out server >/dev/null
"$here/portcullis" pki issue client --dir pki --name bench --docker-context client >/dev/null

echo 'identities: {bench: {endpoints: [run]}}' > "$work/rules.yaml"   # read-only and running containers, loading images
"$here/portcullis" engine-guard --listen "127.0.0.1:$guard_port" --upstream "unix:$work/podman.sock" --ca pki/ca.pem \
  --cert server.pem --key server-key.pem --crl pki/crl.pem --rules "$work/rules.yaml" --audit-dir "$work/audit" >"$work/guard.log" 2>&1 &
guard_pid=$!
pids+=($guard_pid)

mkdir -p "$work/nginx/logs"
cat > "$work/nginx.conf" <<NGINX
user root;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  upstream engine { server unix:$work/podman.sock; keepalive 32; }
  server {
    listen 127.0.0.1:$nginx_port ssl;
    ssl_certificate $work/server.pem;
    ssl_certificate_key $work/server-key.pem;
    ssl_client_certificate $work/pki/ca.pem;
    ssl_crl $work/pki/crl.pem;
    ssl_verify_client on;
    ssl_protocols TLSv1.2 TLSv1.3;
    client_max_body_size 0;
    location / {
      proxy_pass http://engine;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work/nginx/" -g 'daemon off;' >"$work/nginx/stdout.log" 2>&1 &
pids+=($!)
until grep -q "engine-guard listening" "$work/guard.log"; do kill -0 "$guard_pid" 2>/dev/null || { cat "$work/guard.log"; exit 1; }; sleep 0.1; done
until [ -s "$work/nginx/nginx.pid" ]; do sleep 0.1; done

load() { "$JAVA_HOME/bin/java" -Xmx512m "$here/bench/engine/Load.java" 127.0.0.1 "$1" "$2" "$conns" "$3" "$work/client"; }
rss_kb() { ps -o rss= -p "$1" | awk '{s+=$1} END {print s}'; }
nginx_rss_kb() { local m; m=$(cat "$work/nginx/nginx.pid"); echo $(( $(rss_kb "$m") + $(pgrep -P "$m" | while read -r p; do rss_kb "$p"; done | awk '{s+=$1} END {print s+0}') )); }

echo "engine-guard vs nginx (ssl_verify_client on), $conns keep-alive connections, ${secs} s after ${warm} s warm-up, same load generator"
for path in /_ping /containers/json; do
  for peer in guard nginx; do
    p=$guard_port; [ "$peer" = nginx ] && p=$nginx_port
    load "$p" "$path" "$warm" >/dev/null
    printf '%-6s %-17s %s\n' "$peer" "$path" "$(load "$p" "$path" "$secs")"
  done
done
# A 100 MB image (one layer of random bytes), loaded through each: the upload streamed to the engine.
umoci init --layout "$work/oci" >/dev/null && umoci new --image "$work/oci:big" >/dev/null
umoci unpack --rootless --image "$work/oci:big" "$work/big" >/dev/null
head -c 100000000 /dev/urandom > "$work/big/rootfs/payload"
umoci repack --image "$work/oci:big" "$work/big" >/dev/null
skopeo copy -q "oci:$work/oci:big" "docker-archive:$work/big.tar:localhost/big:1"
dload() {
  local t0 t1
  t0=$(date +%s%N)
  DOCKER_CERT_PATH="$work/client" DOCKER_TLS_VERIFY=1 DOCKER_HOST="tcp://localhost:$1" docker load -q -i "$work/big.tar" >/dev/null \
    || { echo "docker load through port $1 failed" >&2; exit 1; }
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}
for peer in guard nginx guard nginx; do
  p=$guard_port; [ "$peer" = nginx ] && p=$nginx_port
  printf '%-6s docker load of %s MB: %s ms\n' "$peer" "$(( $(stat -c %s "$work/big.tar") / 1000000 ))" "$(dload "$p")"
done
echo "resident memory after the load: engine-guard $(( $(rss_kb "$guard_pid") / 1024 )) MB, nginx (master and workers) $(( $(nginx_rss_kb) / 1024 )) MB"
