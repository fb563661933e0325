#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the tests, on loopback, in a temporary directory.
# Installs PostgreSQL from Debian's packages when it is missing. Prints shell lines to eval:
#   eval "$(scripts/postgres-up.sh)"   → exports CUSTODIAN_TEST_PG_URL and CUSTODIAN_PG_STOP
set -euo pipefail

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

PGBIN=$(find_bin)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "PostgreSQL is not installed; installing it from Debian's packages…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  PGBIN=$(find_bin)
fi

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

PGDATA=$(mktemp -d /tmp/custodian-pg.XXXXXX)
chmod 755 "$PGDATA"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDATA"
as_pg "$PGBIN/initdb" -D "$PGDATA/data" -A trust -U postgres --no-sync -E UTF8 >"$PGDATA/initdb.log" 2>&1 \
  || { cat "$PGDATA/initdb.log" >&2; exit 1; }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$PGBIN/pg_ctl" -D "$PGDATA/data" -w -l "$PGDATA/server.log" \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >&2 || { cat "$PGDATA/server.log" >&2; exit 1; }
echo "export CUSTODIAN_TEST_PG_URL='postgres://postgres@127.0.0.1:$PORT/postgres'"
echo "export CUSTODIAN_PG_STOP='$PGBIN/pg_ctl -D $PGDATA/data -m fast stop'"
echo "export CUSTODIAN_PG_DIR='$PGDATA'"
