#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL cluster (trust auth, unix socket + loopback, fsync off).
#   eval "$(bash scripts/pg-throwaway.sh start)"   # sets PGTMP and PG_URL
#   bash scripts/pg-throwaway.sh stop "$PGTMP"
# initdb and pg_ctl refuse to run as root, so as root they run as the postgres user.
set -euo pipefail
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/mentorbridge-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 >"$dir/initdb.log" 2>&1
    as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null
    as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres mentorbridge_test
    echo "PGTMP=$dir"
    echo "PG_URL=postgresql+psycopg://postgres@127.0.0.1:$port/mentorbridge_test"
    echo "PG_PORT=$port"
    ;;
  stop)
    dir=${2:?usage: stop DIR}
    as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
