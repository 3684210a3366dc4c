#!/bin/sh
# Runs one libFuzzer target for a number of minutes (fuzzers/README.md):
#
#   scripts/fuzz.sh TARGET MINUTES [libFuzzer options...]
#   scripts/fuzz.sh TARGET merge [DIR...]
#
# TARGET is template, workflow, capi or values. The libFuzzer binaries are
# built with clang, AddressSanitizer and UndefinedBehaviorSanitizer in their
# own build directory (build/fuzz, or $FUZZ_BUILD_DIR). The run works on a
# scratch copy of the target's corpus (build/fuzz/runs/TARGET-<time>/corpus),
# so fuzzers/corpus/ changes only when someone merges new inputs back by hand
# (the README says how); crashing inputs land in that run's directory too.
# It ends with libFuzzer's final stats: executions, exec/s, cov: and ft:.
# Uses one core; the build uses $FUZZ_JOBS (default 2).
#
# "merge" rebuilds fuzzers/corpus/TARGET instead: the seeds fuzzers/seed.py
# writes, the corpus as it is and the inputs in each DIR (a run's corpus, a
# crashing input's directory) go through libFuzzer's -merge=1 into a new
# corpus that keeps only inputs adding coverage, smallest first.
set -eu
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
  echo "usage: $0 TARGET MINUTES [libFuzzer options...]" >&2
  echo "targets: template workflow capi values" >&2
  exit 2
fi
target=$1
minutes=$2
shift 2
case "$target" in
  template | workflow | capi | values) ;;
  *) echo "unknown target '$target' (template, workflow, capi, values)" >&2; exit 2 ;;
esac
case "$minutes" in
  merge) ;;
  '' | *[!0-9]* | 0) echo "MINUTES must be a whole number of at least 1 (or merge)" >&2; exit 2 ;;
esac

build=${FUZZ_BUILD_DIR:-build/fuzz}
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCOMPLAINTS_FUZZ=ON -DCOMPLAINTS_SANITIZE=address,undefined \
    -DCOMPLAINTS_BUILD_BENCH=OFF -DCOMPLAINTS_BUILD_EXAMPLES=OFF >/dev/null
fi
cmake --build "$build" -j "${FUZZ_JOBS:-2}" --target "${target}_fuzzer"

if [ "$minutes" = merge ]; then
  seeds="$build/seeds"
  python3 fuzzers/seed.py "$seeds" >/dev/null
  merged="$build/merged-$target"
  rm -rf "$merged"
  mkdir -p "$merged" fuzzers/corpus/"$target"
  "$build/fuzzers/${target}_fuzzer" -merge=1 -timeout=25 -rss_limit_mb=2048 "$merged" \
    fuzzers/corpus/"$target" "$seeds/$target" "$@" >"$build/merge-$target.log" 2>&1 ||
    { tail -n 20 "$build/merge-$target.log" >&2; exit 1; }
  rm -f fuzzers/corpus/"$target"/*
  cp "$merged"/* fuzzers/corpus/"$target"/
  echo "fuzzers/corpus/$target: $(ls fuzzers/corpus/"$target" | wc -l) files"
  exit 0
fi

run="$build/runs/$target-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$run/corpus"
cp fuzzers/corpus/"$target"/* "$run/corpus/"
# The words libFuzzer splices into inputs (JSON keys and values, tags, zones).
python3 fuzzers/seed.py "$run/seeds" >/dev/null
echo "== fuzzing $target for $minutes minutes in $run"
# The sanitizers stop at the first report; libFuzzer writes the input that
# caused it to $run/crash-* (or leak-*, timeout-*, oom-*).
status=0
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  "$build/fuzzers/${target}_fuzzer" -max_total_time=$((minutes * 60)) -timeout=25 -rss_limit_mb=2048 \
  -print_final_stats=1 -dict="$run/seeds/$target.dict" -artifact_prefix="$run/" "$@" "$run/corpus" >"$run/log" 2>&1 || status=$?

# The last status line (#N DONE/pulse cov: ft: corp: exec/s) and the final stats.
grep -E '^#[0-9]+' "$run/log" | tail -n 1 || true
grep -E '^stat::' "$run/log" || true
echo "corpus: $(ls "$run/corpus" | wc -l) files in $run/corpus"
if [ $status -ne 0 ]; then
  echo "== finding (exit $status): see $run/log" >&2
  grep -E 'fuzz finding|ERROR: |runtime error|SUMMARY|Test unit written' "$run/log" >&2 || true
fi
exit $status
