#!/bin/sh
# The shared library exports the C API (complaints_*) and the C++ API
# (namespace complaints) and nothing else: no standard-library template,
# SQLiteCpp, fmt or nlohmann symbol. It also has a SOVERSION.
set -eu
lib="$1"
readelf -d "$lib" | grep -q 'SONAME.*libcomplaints\.so\.[0-9]' || { echo "no SONAME with a version"; exit 1; }
others=$(nm -D --defined-only "$lib" | awk '{print $3}' | c++filt |
  grep -v -e '^complaints_' -e '^complaints::' -e '^typeinfo for complaints::' \
          -e '^typeinfo name for complaints::' -e '^vtable for complaints::' || true)
if [ -n "$others" ]; then
  echo "unexpected exported symbols:"
  echo "$others" | head -50
  exit 1
fi
c=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -c '^complaints_')
echo "exports: $c C functions, the rest in namespace complaints"
[ "$c" -ge 60 ]
