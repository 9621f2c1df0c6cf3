#!/bin/sh
# docker_auth ext_authz command: is the client's address in Portcullis's host inventory?
#
# docker_auth runs it with the request as JSON on standard input ({"Account":..,"IP":"10.0.0.5",..})
# and reads the exit code: 0 grants the actions asked, 1 denies, anything else is an error (the
# request fails). This asks GET /inventory/v1/ip/{ip} and answers
#   0  the address is in the set named by $PORTCULLIS_INVENTORY_SET (or, without it, in any set)
#   1  it is not (or the request carries no address)
#   2  Portcullis did not answer, or answered anything but 200 (fail closed: an error, never a grant)
#
# Settings, as arguments (docker_auth's ext_authz.args) or in the environment:
#   --url URL          PORTCULLIS_URL (http://127.0.0.1:5001)
#   --set NAME         PORTCULLIS_INVENTORY_SET
#   --token-file FILE  PORTCULLIS_ADMIN_TOKEN_FILE, a file holding an admin API token (or PORTCULLIS_ADMIN_TOKEN)
#   --cacert FILE      PORTCULLIS_CACERT, a CA file for https
#   --timeout SECONDS  PORTCULLIS_TIMEOUT (5)
#
# docker_auth's configuration:
#   ext_authz:
#     command: /usr/local/bin/ext-authz-inventory.sh
#     args: [--url, "https://portcullis:5001", --set, gke-prod, --token-file, /etc/docker_auth/portcullis.token]
set -u
url="${PORTCULLIS_URL:-http://127.0.0.1:5001}"
want="${PORTCULLIS_INVENTORY_SET:-}"
timeout="${PORTCULLIS_TIMEOUT:-5}"
token="${PORTCULLIS_ADMIN_TOKEN:-}"
PORTCULLIS_CACERT="${PORTCULLIS_CACERT:-}"
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || { echo "$1 needs a value" >&2; exit 2; }
  case "$1" in
    --url) url="$2" ;;
    --set) want="$2" ;;
    --token-file) PORTCULLIS_ADMIN_TOKEN_FILE="$2" ;;
    --cacert) PORTCULLIS_CACERT="$2" ;;
    --timeout) timeout="$2" ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift 2
done
if [ -n "${PORTCULLIS_ADMIN_TOKEN_FILE:-}" ]; then
  token="$(cat "$PORTCULLIS_ADMIN_TOKEN_FILE" 2>/dev/null)" || { echo "cannot read $PORTCULLIS_ADMIN_TOKEN_FILE" >&2; exit 2; }
fi
[ -n "$token" ] || { echo "no admin token: set PORTCULLIS_ADMIN_TOKEN_FILE" >&2; exit 2; }

request="$(head -c 65536)"
# The IP field as docker_auth writes it; only address characters are kept, so nothing else reaches the URL.
ip="$(printf '%s' "$request" | tr -d '\n' | sed -n 's/.*"IP"[[:space:]]*:[[:space:]]*"\([0-9A-Fa-f:.]*\)".*/\1/p')"
[ -n "$ip" ] || { echo "the request names no client address" >&2; exit 1; }

body="$(mktemp)" || exit 2
trap 'rm -f "$body"' EXIT
cacert=""
[ -n "$PORTCULLIS_CACERT" ] && cacert="--cacert $PORTCULLIS_CACERT"
# The token goes in a header read from standard input, so it never shows in the process list.
# shellcheck disable=SC2086
status="$(printf 'Authorization: Bearer %s\n' "$token" | curl -sS -o "$body" -w '%{http_code}' --max-time "$timeout" \
  $cacert -H @- "$url/inventory/v1/ip/$ip")" || { echo "Portcullis at $url did not answer" >&2; exit 2; }
if [ "$status" != "200" ]; then
  echo "Portcullis answered HTTP $status: $(head -c 200 "$body")" >&2
  exit 2
fi
sets="$(tr -d '\n ' < "$body" | sed -n 's/.*"sets":\[\([^]]*\)\].*/\1/p')"
if [ -z "$want" ]; then
  [ -n "$sets" ] && exit 0
  exit 1
fi
case ",$sets," in
  *",\"$want\","*) exit 0 ;;
esac
exit 1
