#!/bin/sh
# README command 1: install what is missing, build, and run the quickstart
# example (a full complaint lifecycle on an embedded SQLite file).
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCOMPLAINTS_BUILD_TESTS=OFF -DCOMPLAINTS_BUILD_BENCH=OFF >/dev/null
cmake --build build/release --target quickstart
mkdir -p build/run
cd build/run && ../release/examples/quickstart quickstart.db
