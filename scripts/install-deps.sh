#!/bin/sh
# Installs, from Debian's packages only, whatever this project needs and the
# machine lacks. Idempotent: does nothing when everything is present.
# Usage: scripts/install-deps.sh [build|test]   (test adds the test-only tools
# and the bindings' languages)
set -eu

build="build-essential cmake ninja-build pkg-config libsqlite3-dev libsqlitecpp-dev libfmt-dev libboost-dev
       nlohmann-json3-dev libssl-dev libhowardhinnant-date-dev tzdata libpqxx-dev"
# postgresql: the throw-away server the PostgreSQL backend's tests start (tests/postgres/server.sh)
# graphviz: dot, which must parse every workflow diagram (tests/workflow/test_diagram.cpp, the
#   docs_diagrams_dot test) and draws the built-in ones as SVG in the build (docs/diagrams)
test="doctest-dev libmstch-dev python3 golang-go postgresql graphviz"
# --- packaging (scripts/test.sh's Debian-package and pip steps, docs/packaging.md) ---
# dpkg-shlibdeps (dpkg-dev) and file: CPack's Debian packages; a venv, pip,
# setuptools and wheel: `pip install bindings/python` with nothing downloaded.
test="$test dpkg-dev file python3-venv python3-pip python3-setuptools python3-wheel"
# --- end packaging ---
packages="$build"
[ "${1:-build}" = "test" ] && packages="$build $test"

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "missing packages:$missing; run as root (or install them) and retry" >&2
  exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
