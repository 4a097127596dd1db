#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs every libFuzzer target of tests/fuzz for SECONDS each, as many at once as there are CPUs.
#   tests/fuzz/run-fuzzers.sh SECONDS [BUILD_DIR]     (default build: _build-fuzz)
# Each target works on its own corpus in BUILD_DIR/fuzz-corpus/<target>, seeded from the
# committed tests/fuzz/corpus/<target>; crashing inputs land in BUILD_DIR/fuzz-crashes/ and the
# log of each run in BUILD_DIR/fuzz-logs/<target>.log. Exits non-zero when a target crashed.
set -u

seconds=${1:?usage: run-fuzzers.sh SECONDS [BUILD_DIR]}
build=${2:-_build-fuzz}
src=$(cd "$(dirname "$0")/../.." && pwd)
targets="fuzz-import fuzz-base64 fuzz-syphus-qa fuzz-translation fuzz-search-query
fuzz-review-import fuzz-parquet"
jobs=$(nproc 2>/dev/null || echo 1)

mkdir -p "$build/fuzz-crashes" "$build/fuzz-logs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$src/tests/supp/lsan.supp:print_suppressions=0}

run_one () {
  t=$1
  mkdir -p "$build/fuzz-corpus/$t"
  seeds="$src/tests/fuzz/corpus/$t"
  [ -d "$seeds" ] || seeds=""
  "$build/tests/fuzz/$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$build/fuzz-crashes/$t-" \
    "$build/fuzz-corpus/$t" $seeds \
    > "$build/fuzz-logs/$t.log" 2>&1
  rc=$?
  summary=$(grep -E '^#[0-9]+.*(DONE|cov:)' "$build/fuzz-logs/$t.log" | tail -n 1)
  echo "$t: exit $rc: $summary"
  return $rc
}

failed=0
running=0
pids=""
for t in $targets; do
  run_one "$t" &
  pids="$pids $!"
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    for p in $pids; do
      wait "$p" || failed=1
    done
    pids=""
    running=0
  fi
done
for p in $pids; do
  wait "$p" || failed=1
done
if [ "$failed" -ne 0 ]; then
  echo "A fuzz target failed; inputs in $build/fuzz-crashes, logs in $build/fuzz-logs" >&2
fi
exit "$failed"
