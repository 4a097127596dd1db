#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds the libFuzzer targets of tests/fuzz in their own meson build (clang, ASan + UBSan).
# meson picks one compiler per build, so the fuzzers cannot live in the gcc build.
#   tests/fuzz/build-fuzzers.sh [BUILD_DIR]      (default: _build-fuzz)
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-_build-fuzz}
targets="fuzz-import fuzz-base64 fuzz-syphus-qa fuzz-translation fuzz-search-query
fuzz-review-import fuzz-parquet"

if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$src" -Dfuzzing=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dbuildtype=debugoptimized
fi
# Only the fuzzers: the GUI is not needed here.
set --
for t in $targets; do
  set -- "$@" "tests/fuzz/$t"
done
ninja -C "$build" "$@"
