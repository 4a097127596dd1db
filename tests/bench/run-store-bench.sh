#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Store benchmark: MIMIC Desk's importer and search against a plain Python json + sqlite3 (FTS5)
# importer over the same synthetic files, side by side in one run.
#
#   tests/bench/run-store-bench.sh [PAIRS] [STORE_GB] [STORE_KB]
#     defaults: 2800000 pairs, a 2 GB store of 96 KB images. With STORE_KB=1 the store holds
#     MIMIC-IT's image count (about 1.5M per 2 GB). STORE_GB=0 skips the image-store run.
#   BENCH_LANGS=8 tests/bench/run-store-bench.sh PAIRS 0
#     all eight languages: gen-corpus writes every pair's seven translations as Syphus output.
#
# Two runs, reported apart: the instructions alone (and their translations), then the same
# files with the image store. Each prints wall and CPU seconds and peak memory for both
# importers, with the load (uptime) before and after. Then the index sizes against the input,
# and the search query set (bench-store-search: 228 queries drawn from the index's own
# vocabulary) with p50/p99/max per class, beside the Python baseline's FTS5 queries.
#
# Needs a build in _build (make build, then:
#   meson compile -C _build bench-store-search gen-corpus).
set -euo pipefail

pairs=${1:-2800000}
store_gb=${2:-2}
store_kb=${3:-96}
langs=${BENCH_LANGS:-1}
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/_build}
work=$(mktemp -d "${TMPDIR:-/tmp}/mimicdesk-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
python=/usr/bin/python3
cli=$build/app/cli/mimicdesk-cli

load () { echo "# load: $(cut -d' ' -f1-3 /proc/loadavg) ($1)"; }

mkdir -p "$work/data"
if [ "$langs" = 8 ]; then
  echo "# generating $pairs pairs with all eight languages in $work"
  "$build/tests/bench/gen-corpus" "$work/data" "$pairs" 1
  inputs=("$work/data")
else
  echo "# generating $pairs pairs and a $store_gb GB image store in $work"
  $python "$top/tests/bench/gen-synthetic.py" "$work/data" --pairs "$pairs" \
    --store-gb "$store_gb" --store-kb "$store_kb"
  inputs=("$work/data/SYN_instructions.json")
fi
ls -lR "$work/data" | sed 's/^/#   /'
input_bytes=$(find "$work/data" -name '*_instructions.json' -o -name 'valid_output.json' |
              xargs stat -c %s | paste -sd+ | bc)
sync
# Warm the page cache for both importers alike.
find "$work/data" -name '*.json' -exec cat {} + > /dev/null

measure () {  # label, command...: prints "label wall_s peak_rss_mb cpu_s"
  local label=$1; shift
  /usr/bin/time -f "$label %e %M %U %S" -o "$work/time.$label" "$@" > "$work/out.$label" 2>&1 ||
    { cat "$work/out.$label"; return 1; }
  read -r _ secs kb user sys < "$work/time.$label"
  echo "$label $secs $((kb / 1024)) $(printf '%.2f' "$(echo "$user + $sys" | bc)")"
}

compare () {  # run name, our label, python label
  local run=$1 ours base
  read -r _ ours_s ours_mb ours_cpu < <(grep . "$work/m.$2")
  read -r _ base_s base_mb base_cpu < <(grep . "$work/m.$3")
  echo "$run wall_s mimicdesk $ours_s python $base_s ratio $(echo "scale=2; $base_s / $ours_s" | bc)"
  echo "$run cpu_s mimicdesk $ours_cpu python $base_cpu ratio $(echo "scale=2; $base_cpu / $ours_cpu" | bc)"
  echo "$run peak_rss_mb mimicdesk $ours_mb python $base_mb"
  local ob of bb bf
  ob=$(sed -n 's/.*browsable_s \([0-9.]*\).*/\1/p' "$work/out.$2")
  of=$(sed -n 's/.*searchable_s \([0-9.]*\).*/\1/p' "$work/out.$2")
  bb=$(sed -n 's/.*"browsable_s": \([0-9.]*\).*/\1/p' "$work/out.$3")
  bf=$(sed -n 's/.*"searchable_s": \([0-9.]*\).*/\1/p' "$work/out.$3")
  echo "$run browsable_s mimicdesk $ob python $bb ratio $(echo "scale=2; $bb / $ob" | bc)"
  echo "$run searchable_s mimicdesk $of python $bf ratio $(echo "scale=2; $bf / $of" | bc)"
}

echo "# run 1: instructions only (wall s, peak RSS MB, CPU s)"
load "before"
measure ours1 "$cli" import --db "$work/ours1.sqlite" "${inputs[@]}" | tee "$work/m.ours1"
load "between"
measure base1 "$python" "$top/tests/bench/baseline-import.py" "$work/base1.sqlite" "${inputs[@]}" |
  tee "$work/m.base1"
load "after"
compare instructions ours1 base1

if [ "$langs" != 8 ] && [ "$store_gb" != 0 ]; then
  echo "# run 2: with the image store"
  load "before"
  measure ours2 "$cli" import --db "$work/ours2.sqlite" "$work/data" | tee "$work/m.ours2"
  load "between"
  measure base2 "$python" "$top/tests/bench/baseline-import.py" "$work/base2.sqlite" "$work/data" |
    tee "$work/m.base2"
  load "after"
  compare with_store ours2 base2
  rm -f "$work"/ours2.sqlite* "$work"/base2.sqlite*
fi

echo "# index size (bytes) against the input texts ($input_bytes bytes)"
ours_bytes=$(stat -c %s "$work/ours1.sqlite")
search_bytes=$(stat -c %s "$work/ours1.sqlite.search.sqlite")
base_bytes=$(stat -c %s "$work/base1.sqlite")
echo "index_bytes mimicdesk $ours_bytes + search $search_bytes = $((ours_bytes + search_bytes))" \
     "ratio_to_input $(echo "scale=2; ($ours_bytes + $search_bytes) / $input_bytes" | bc)"
echo "index_bytes python $base_bytes ratio_to_input $(echo "scale=2; $base_bytes / $input_bytes" | bc)"

echo "# search: first page (50 rows) of the query set, in process, median of 5 runs"
load "before"
"$build/tests/bench/bench-store-search" "$work/ours1.sqlite" --write-queries "$work/queries.jsonl" |
  tee "$work/search.ours" | grep -v '^{'
load "between"
$python "$top/tests/bench/baseline-search.py" "$work/base1.sqlite" --queries "$work/queries.jsonl" |
  grep -v '^{'
load "after"
