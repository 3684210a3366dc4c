#!/bin/sh
# A throw-away PostgreSQL server for the tests.
#   server.sh start DIR   initdb into DIR/data, start a server whose only
#                         socket is DIR/.s.PGSQL.5432 (no TCP port at all, so
#                         nothing can collide with another server or another
#                         build's), and write its libpq conninfo to DIR/conninfo
#   server.sh stop DIR    stop it (immediately) and remove DIR
# PostgreSQL refuses to run as root: as root, initdb and pg_ctl run as the
# "postgres" user (Debian's postgresql package creates it), DIR owned by it.
# Authentication is "trust", and only on that socket (the directory is
# private to the server's user and root).
# For speed on a server nobody needs to survive a crash: fsync, synchronous
# commits and full-page writes are off (data may be lost on a power cut or
# an OS crash, never on an orderly stop; the tests throw it away anyway).
set -eu

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
dir=$2
port=5432

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/pg_ctl" ]; then
  echo "$0: PostgreSQL's server is not installed (no /usr/lib/postgresql/*/bin/pg_ctl);" \
       "install Debian's postgresql package (scripts/install-deps.sh test)" >&2
  exit 1
fi

as_server() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    # A server left by an interrupted run is stopped first.
    if [ -f "$dir/data/postmaster.pid" ]; then as_server "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ ${#dir} -gt 90 ]; then
      echo "$0: $dir is too long for a Unix socket's path (at most 90 bytes here)" >&2
      exit 1
    fi
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    chmod 700 "$dir"
    if ! as_server test -w "$dir"; then
      echo "$0: the server's user cannot reach $dir (a parent directory is private?); give a DIR it can reach, such as one under /tmp" >&2
      exit 1
    fi
    as_server "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
      --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -k $dir -p $port -c fsync=off -c synchronous_commit=off \
          -c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB \
          -c max_locks_per_transaction=256 -c max_pred_locks_per_transaction=256" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "host=$dir port=$port dbname=postgres user=postgres" >"$dir/conninfo"
    echo "PostgreSQL ($bindir) serving on $dir/.s.PGSQL.$port"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_server "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    fi
    rm -rf "$dir"
    ;;
  *) usage ;;
esac
