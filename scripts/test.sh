#!/bin/sh
# README command 2: install what is missing, then build and run every test:
#  1. a warnings-as-errors build, its tests, and the examples built against
#     the installed package (CMake and pkg-config) as a host would;
#  2. the Python and Go bindings' tests and examples, on the installed library
#     (on in-memory, SQLite and PostgreSQL desks: a throw-away server runs meanwhile);
#  3. the C and C++ tests under AddressSanitizer and UndefinedBehaviorSanitizer.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
jobs=$(nproc)

echo "== build (warnings are errors)"
cmake -S . -B build/check -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOMPLAINTS_WERROR=ON >/dev/null
cmake --build build/check -j "$jobs"
echo "== tests"
ctest --test-dir build/check --output-on-failure -j "$jobs"

echo "== install, then build the examples against the installed package"
rm -rf build/stage build/examples-installed
cmake --install build/check --prefix "$PWD/build/stage" >/dev/null
cmake -S examples -B build/examples-installed -G Ninja -DCMAKE_PREFIX_PATH="$PWD/build/stage" \
  -DCMAKE_CXX_FLAGS="-Wall -Wextra -Wpedantic -Werror" >/dev/null
cmake --build build/examples-installed
LD_LIBRARY_PATH="$PWD/build/stage/lib" build/examples-installed/quickstart build/examples-installed/q.db >/dev/null
LD_LIBRARY_PATH="$PWD/build/stage/lib" build/examples-installed/quickstart_c build/examples-installed/c.db >/dev/null
LD_LIBRARY_PATH="$PWD/build/stage/lib" build/examples-installed/confirmation build/examples-installed/confirmation.db
LD_LIBRARY_PATH="$PWD/build/stage/lib" build/examples-installed/council build/examples-installed/council.db
# A host's own backend (examples/conformance) through the installed storage conformance suite.
LD_LIBRARY_PATH="$PWD/build/stage/lib" build/examples-installed/storage_conformance
PKG_CONFIG_PATH="$PWD/build/stage/lib/pkgconfig" \
  c++ -std=c++20 -Wall -Wextra -Wpedantic -Werror examples/quickstart/main.cpp -o build/examples-installed/quickstart-pc \
  $(PKG_CONFIG_PATH="$PWD/build/stage/lib/pkgconfig" pkg-config --cflags --libs complaints)
LD_LIBRARY_PATH="$PWD/build/stage/lib" build/examples-installed/quickstart-pc build/examples-installed/pc.db >/dev/null
echo "examples and the storage conformance suite built and ran against the installed library (CMake package and pkg-config)"

# The bindings' tests open PostgreSQL desks too: a throw-away server for them,
# stopped when this script ends however it ends.
bindings_pg="/tmp/complaints-pg-bindings-$(printf %s "$PWD" | md5sum | cut -c1-12)"
sh tests/postgres/server.sh start "$bindings_pg"
trap 'sh tests/postgres/server.sh stop "$bindings_pg" >/dev/null 2>&1 || true' EXIT
COMPLAINTS_TEST_POSTGRES=$(cat "$bindings_pg/conninfo")
export COMPLAINTS_TEST_POSTGRES

echo "== Python binding: tests and example"
stage_lib="$PWD/build/stage/lib"
COMPLAINTS_LIBRARY="$stage_lib/libcomplaints.so" python3 -m unittest discover -s bindings/python/tests
COMPLAINTS_LIBRARY="$stage_lib/libcomplaints.so" PYTHONPATH="$PWD/bindings/python" \
  python3 examples/python/quickstart.py "$PWD/build/examples-installed/py.db" >/dev/null

echo "== Go binding: vet, tests (also with the race detector) and example"
# Standard library only: nothing is fetched (GOPROXY=off); caches stay in build/.
export PKG_CONFIG_PATH="$stage_lib/pkgconfig" LD_LIBRARY_PATH="$stage_lib" GOPROXY=off \
  GOCACHE="$PWD/build/go/cache" GOPATH="$PWD/build/go/path"
(cd bindings/go && go vet ./... && go test ./... && go test -race ./...)
(cd examples/go && go vet ./... && go run . "$PWD/../../build/examples-installed/go.db" >/dev/null)
unset PKG_CONFIG_PATH LD_LIBRARY_PATH COMPLAINTS_TEST_POSTGRES
sh tests/postgres/server.sh stop "$bindings_pg"
trap - EXIT

echo "== tests under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build/sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCOMPLAINTS_WERROR=ON \
  -DCOMPLAINTS_SANITIZE=address,undefined -DCOMPLAINTS_BUILD_BENCH=OFF >/dev/null
cmake --build build/sanitize -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/sanitize --output-on-failure -j "$jobs"
echo "== all tests passed"
