#!/usr/bin/env bash
# A throw-away PostgreSQL for the store tests: `scripts/postgres.sh start DIR` initialises a cluster in
# DIR, starts it on a free 127.0.0.1 port with trust auth and prints its JDBC URL;
# `scripts/postgres.sh stop DIR` stops it. `start DIR` on a DIR it initialised before starts that
# cluster again on the same port (a restart, as the replica tests need: `stop`, then `start`);
# `restart DIR` does both. Runs the server as the postgres user when started as root.
set -euo pipefail
cmd="${1:?start|stop|restart}"
dir="${2:?directory}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "postgres.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ -f "$dir/port" ] && [ -d "$dir/data" ]; then
      port=$(cat "$dir/port")
    else
      port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
      as_pg "'$bin/initdb' -D '$dir/data' -A trust -U postgres >'$dir/initdb.log' 2>&1"
      echo "$port" > "$dir/port"
    fi
    as_pg "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -o \"-p $port -h 127.0.0.1 -k '$dir'\" start >/dev/null"
    echo "jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres"
    ;;
  stop)
    as_pg "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop >/dev/null" || true
    ;;
  restart)
    "$0" stop "$dir"
    "$0" start "$dir"
    ;;
  *) echo "usage: postgres.sh start|stop|restart DIR" >&2; exit 2 ;;
esac
