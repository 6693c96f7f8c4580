#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and the bench (never for real data).
#   bash scripts/pg_cluster.sh start DIR   initdb in DIR, start it on a socket in DIR and on
#                                          127.0.0.1:PORT; prints the URL to use
#   bash scripts/pg_cluster.sh stop DIR    stop it (the folder is left for the caller to delete)
# PostgreSQL refuses to run as root: as root the cluster belongs to the 'postgres' user (DIR
# must be traversable by it; a folder under /tmp is). Uses Debian's /usr/lib/postgresql/*/bin.
# The cluster is tuned for tests (fsync off): a crash loses it, which is fine for a throwaway.
set -euo pipefail
CMD=${1:-}
DIR=${2:-}
[ -n "$CMD" ] && [ -n "$DIR" ] || { echo "usage: pg_cluster.sh start|stop DIR" >&2; exit 2; }

BIN=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && BIN=$d; done
[ -n "$BIN" ] || { echo "pg_cluster.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

AS=()
OWNER=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
  AS=(runuser -u postgres --)
  OWNER=postgres
fi

case $CMD in
start)
  mkdir -p "$DIR"
  chmod 755 "$DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres "$DIR"
  PORT=${KFOR_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
  "${AS[@]}" "$BIN/initdb" -D "$DIR/data" -U "$OWNER" -A trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
  # one role that must give a password over TCP, so the tests can see a refused one
  { echo "host all kfor_pwcheck 127.0.0.1/32 scram-sha-256"; cat "$DIR/data/pg_hba.conf"; } \
    >"$DIR/hba.tmp" && cat "$DIR/hba.tmp" >"$DIR/data/pg_hba.conf" && rm "$DIR/hba.tmp"
  "${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 \
    -o "-k $DIR -p $PORT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$DIR/server.log" >&2; exit 1; }
  echo "$PORT" >"$DIR/port"
  echo "postgresql://$OWNER@127.0.0.1:$PORT/postgres"
  ;;
stop)
  if [ -f "$DIR/data/postmaster.pid" ]; then
    "${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null || true
  fi
  ;;
*) echo "usage: pg_cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
