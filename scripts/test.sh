#!/bin/sh
# README command 2: install what is missing, then build and run every test:
#  1. a warnings-as-errors build, its tests, and the examples built against
#     the installed package (CMake and pkg-config) as a host would;
#  2. the Python and Go bindings' tests and examples, on the installed library
#     (on in-memory, SQLite and PostgreSQL desks: a throw-away server runs meanwhile);
#     the Debian packages (unpacked into a scratch root), `pip install` into a venv and
#     `go get` into a scratch module, as a host would use them (docs/packaging.md);
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

# --- Debian packages (docs/packaging.md) ---
echo "== Debian packages: made by CPack, unpacked into a scratch root, a program built and run against them"
# Unpacked with dpkg-deb -x, not installed: the machine's dpkg database is left alone.
deb_root="$PWD/build/deb-root"
deb_libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' build/check/CMakeCache.txt)
rm -rf "$deb_root" build/deb-examples build/check/libcomplaints*.deb
(cd build/check && cpack -G DEB --config CPackConfig.cmake >/dev/null)
runtime_deb=$(ls build/check/libcomplaints0_*.deb)
dev_deb=$(ls build/check/libcomplaints-dev_*.deb)
deb_holds() { # deb_holds PACKAGE FILE...: each FILE (a path under /) is in PACKAGE
  deb=$1; shift
  for f in "$@"; do
    dpkg-deb -c "$deb" | awk '{print $6}' | grep -qxF "./$f" || { echo "$deb lacks /$f" >&2; exit 1; }
  done
}
deb_holds "$runtime_deb" usr/bin/complaints "usr/$deb_libdir/libcomplaints.so.0"
deb_holds "$dev_deb" usr/include/complaints.h usr/include/complaints/complaints.hpp \
  "usr/$deb_libdir/libcomplaints.so" "usr/$deb_libdir/libcomplaints.a" \
  "usr/$deb_libdir/cmake/complaints/complaints-config.cmake" "usr/$deb_libdir/pkgconfig/complaints.pc" \
  usr/share/complaints/conformance/storage_conformance.cpp
if dpkg-deb -c "$runtime_deb" | grep -q 'usr/include\|\.a$\|\.pc$\|libcomplaints\.so$'; then
  echo "$runtime_deb holds development files" >&2; exit 1
fi
dpkg-deb -f "$dev_deb" Depends | grep -qF "libcomplaints0 (= $(dpkg-deb -f "$runtime_deb" Version))" ||
  { echo "$dev_deb does not depend on its exact runtime" >&2; exit 1; }
dpkg-deb -f "$runtime_deb" Depends | grep -q 'libsqlite3-0.*libssl3' ||
  { echo "$runtime_deb lacks the dependencies dpkg-shlibdeps finds" >&2; exit 1; }
for deb in "$runtime_deb" "$dev_deb"; do dpkg-deb -x "$deb" "$deb_root"; done
deb_lib="$deb_root/usr/$deb_libdir"
cmake -S examples -B build/deb-examples -G Ninja -DCMAKE_PREFIX_PATH="$deb_root/usr" \
  -DCMAKE_CXX_FLAGS="-Wall -Wextra -Wpedantic -Werror" >/dev/null
grep -qF "complaints_DIR:PATH=$deb_lib/cmake/complaints" build/deb-examples/CMakeCache.txt ||
  { echo "the examples found another complaints package than the unpacked one" >&2; exit 1; }
cmake --build build/deb-examples --target quickstart >/dev/null
LD_LIBRARY_PATH="$deb_lib" build/deb-examples/quickstart build/deb-examples/q.db >/dev/null
# pkg-config from the unpacked root only (complaints.pc finds its prefix relative to itself).
c++ -std=c++20 -Wall -Wextra -Wpedantic -Werror examples/quickstart/main.cpp -o build/deb-examples/quickstart-pc \
  $(PKG_CONFIG_LIBDIR="$deb_lib/pkgconfig" pkg-config --cflags --libs complaints)
LD_LIBRARY_PATH="$deb_lib" build/deb-examples/quickstart-pc build/deb-examples/pc.db >/dev/null
LD_LIBRARY_PATH="$deb_lib" "$deb_root/usr/bin/complaints" help >/dev/null
echo "libcomplaints0 and libcomplaints-dev unpacked; the quickstart built (CMake, pkg-config) and ran, the CLI ran"
# --- end Debian packages ---

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

# --- pip install (docs/packaging.md) ---
echo "== Python binding: pip install into a virtual environment, then the example and the tests from there"
# Debian's python3 (another python3 on PATH may lack Debian's setuptools and
# wheel): nothing is downloaded. pip builds in the directory it is given, so a
# copy of bindings/python keeps the tree clean. The package finds the library
# the usual way: LD_LIBRARY_PATH on the unpacked Debian package, no
# COMPLAINTS_LIBRARY, no PYTHONPATH, run from outside the source tree.
pip_dir="$PWD/build/pip"
rm -rf "$pip_dir" && mkdir -p "$pip_dir"
cp -R bindings/python "$pip_dir/src" && cp -R bindings/python/tests "$pip_dir/tests"
rm -rf "$pip_dir/src/build" "$pip_dir/src/complaints.egg-info"  # what an earlier pip install in the tree left
/usr/bin/python3 -m venv --system-site-packages "$pip_dir/venv"
"$pip_dir/venv/bin/pip" install -q --no-build-isolation --no-index "$pip_dir/src"
quickstart_py="$PWD/examples/python/quickstart.py"
(cd "$pip_dir" && unset COMPLAINTS_LIBRARY PYTHONPATH && export LD_LIBRARY_PATH="$deb_lib" &&
  venv/bin/python -c "import complaints, sys; sys.exit(not complaints.__file__.startswith(sys.prefix))" &&
  venv/bin/python "$quickstart_py" py.db >/dev/null &&
  venv/bin/python -m unittest discover -s tests)
# --- end pip install ---

echo "== Go binding: vet, tests (also with the race detector) and example"
# Standard library only: nothing is fetched (GOPROXY=off); caches stay in build/.
export PKG_CONFIG_PATH="$stage_lib/pkgconfig" LD_LIBRARY_PATH="$stage_lib" GOPROXY=off \
  GOCACHE="$PWD/build/go/cache" GOPATH="$PWD/build/go/path"
(cd bindings/go && go vet ./... && go test ./... && go test -race ./...)
(cd examples/go && go vet ./... && go run . "$PWD/../../build/examples-installed/go.db" >/dev/null)

# --- Go module (bindings/go/README.md, "Using the module") ---
echo "== Go module: go get from a local checkout into a scratch module outside the tree"
go_module=github.com/complaints-lib/complaints/bindings/go
rm -rf build/go-host && mkdir -p build/go-host
cat >build/go-host/main.go <<EOF
package main

import (
	"fmt"
	"os"

	complaints "$go_module"
)

func main() {
	desk, err := complaints.OpenMemory()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer desk.Close()
	fmt.Println("an in-memory desk on libcomplaints", complaints.Version())
}
EOF
go_checkout="$PWD/bindings/go"
# (go mod init's advice to run go mod tidy is what go get does here: kept out of the log)
(cd build/go-host && export GOFLAGS=-mod=mod &&
  { go mod init example.com/go-host 2>init.log || { cat init.log >&2; exit 1; }; } &&
  go mod edit -replace "$go_module=$go_checkout" && go get "$go_module" && go run . >/dev/null)
# --- end Go module ---
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
