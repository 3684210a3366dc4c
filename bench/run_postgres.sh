#!/bin/sh
# Runs bench_postgres against a throw-away PostgreSQL server and stops the
# server afterwards, also when the bench fails or is interrupted.
#   bench/run_postgres.sh [BUILD_DIR] [bench_postgres options: --quick, --only PART]
# BUILD_DIR defaults to build/release (configure it with
# -DCMAKE_BUILD_TYPE=Release; the bench is built when missing). The server is
# tests/postgres/server.sh's: initdb into a temporary directory under /tmp, a
# Unix socket only, fsync, synchronous_commit and full_page_writes off (a
# commit does not wait for the disk: the figures are the library's and the
# server's CPU, not the disk's), max_connections 200. The library and the
# baseline run on the same server, in schemas of their own.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=build/release
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then build=$1; shift; fi
case "$build" in /*) ;; *) build="$root/$build" ;; esac
if [ ! -x "$build/bench/bench_postgres" ]; then
  cmake --build "$build" -j2 --target bench_postgres
fi
dir=$(mktemp -d /tmp/complaints-pgbench-XXXXXX)
trap '"$root/tests/postgres/server.sh" stop "$dir"' EXIT
trap 'exit 130' INT TERM
"$root/tests/postgres/server.sh" start "$dir"
"$build/bench/bench_postgres" "$@" "$(cat "$dir/conninfo")"
