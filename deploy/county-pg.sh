#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for the demo county (never the system's):
#   bash deploy/county-pg.sh start DIR   → initdb into DIR/pg if new, start it on a unix socket in DIR/pg; prints the conninfo
#   bash deploy/county-pg.sh stop DIR
# PostgreSQL will not run as root: as root it runs as the postgres user the Debian package creates.
set -euo pipefail
BIN=/usr/lib/postgresql/15/bin
action=$1; dir=$(realpath -m "$2"); pg="$dir/pg"
[ -x "$BIN/initdb" ] || { echo "PostgreSQL 15 is not installed (deploy/setup-debian.sh installs postgresql-15)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$action" in
  start)
    mkdir -p "$pg"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$pg"
    [ -f "$pg/data/PG_VERSION" ] || as_pg "$BIN/initdb" -D "$pg/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 > "$pg/initdb.log" 2>&1 \
      || { echo "initdb failed: see $pg/initdb.log" >&2; exit 1; }
    as_pg "$BIN/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w -t 60 -o "-c listen_addresses= -k $pg -p 5433" start > /dev/null \
      || { echo "PostgreSQL did not start: see $pg/server.log" >&2; exit 1; }
    as_pg "$BIN/createdb" -h "$pg" -p 5433 -U postgres county 2> /dev/null || true
    echo "host=$pg port=5433 user=postgres dbname=county"
    ;;
  stop) as_pg "$BIN/pg_ctl" -D "$pg/data" -m fast -w stop > /dev/null 2>&1 || true ;;
  *) echo "usage: county-pg.sh start|stop DIR" >&2; exit 2 ;;
esac
