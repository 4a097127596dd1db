#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Store benchmark: MIMIC Desk's importer and search against a plain Python json + sqlite3 (FTS5)
# importer over the same synthetic files, side by side in one run.
#
#   tests/bench/run-store-bench.sh [PAIRS] [STORE_GB] [STORE_KB]
#     defaults: 2800000 pairs, a 2 GB store of 96 KB images. With STORE_KB=1 the store holds
#     MIMIC-IT's image count (about 1.5M per 2 GB), which is what the reference check holds in
#     memory.
#
# Needs a build in _build (make build, then: meson compile -C _build bench-store-search).
set -euo pipefail

pairs=${1:-2800000}
store_gb=${2:-2}
store_kb=${3:-96}
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$top/_build}
work=$(mktemp -d "${TMPDIR:-/tmp}/mimicdesk-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
python=/usr/bin/python3
cli=$build/app/cli/mimicdesk-cli

echo "# generating $pairs pairs and a $store_gb GB image store in $work"
$python "$top/tests/bench/gen-synthetic.py" "$work/data" --pairs "$pairs" --store-gb "$store_gb" \
  --store-kb "$store_kb"
ls -l "$work/data" | sed 's/^/#   /'
sync
# Warm the page cache for both runs alike.
cat "$work"/data/*.json > /dev/null

measure () {  # label, command...: prints "label seconds peak_rss_mb cpu_seconds"
  local label=$1; shift
  /usr/bin/time -f "$label %e %M %U %S" -o "$work/time.$label" "$@" > "$work/out.$label" 2>&1 ||
    { cat "$work/out.$label"; return 1; }
  read -r _ secs kb user sys < "$work/time.$label"
  # CPU time (user + system) beside the wall time: on a shared machine it shows what the work
  # itself cost when other processes take the cores.
  echo "$label $secs $((kb / 1024)) $(echo "$user + $sys" | bc)"
}

echo "# import (wall seconds, peak RSS MB, CPU seconds)"
ours=$(measure mimicdesk "$cli" import --db "$work/ours.sqlite" "$work/data")
base=$(measure python "$python" "$top/tests/bench/baseline-import.py" "$work/base.sqlite" "$work/data")
echo "$ours"; echo "$base"
grep -h 'browsable\|searchable\|pairs' "$work/out.mimicdesk" | sed 's/^/#   /' || true
sed 's/^/#   /' "$work/out.python"
read -r _ ours_s ours_mb _ <<< "$ours"
read -r _ base_s base_mb _ <<< "$base"
echo "import_ratio_python_over_mimicdesk $(echo "scale=2; $base_s / $ours_s" | bc)"
# Phase by phase: when the pairs could be browsed, and when searched.
ours_b=$(sed -n 's/.*browsable_s \([0-9.]*\).*/\1/p' "$work/out.mimicdesk")
ours_f=$(sed -n 's/.*searchable_s \([0-9.]*\).*/\1/p' "$work/out.mimicdesk")
base_b=$(sed -n 's/.*"browsable_s": \([0-9.]*\).*/\1/p' "$work/out.python")
base_f=$(sed -n 's/.*"searchable_s": \([0-9.]*\).*/\1/p' "$work/out.python")
echo "browsable_s mimicdesk $ours_b python $base_b ratio $(echo "scale=2; $base_b / $ours_b" | bc)"
echo "searchable_s mimicdesk $ours_f python $base_f ratio $(echo "scale=2; $base_f / $ours_f" | bc)"

echo "# image store alone: offsets indexed per second (page cache warm)"
cat "$work/data/SYN.json" > /dev/null
store_bytes=$(stat -c %s "$work/data/SYN.json")
store=$(measure store "$cli" import --db "$work/store.sqlite" "$work/data/SYN.json")
read -r _ store_s store_mb store_cpu <<< "$store"
echo "store_bytes $store_bytes seconds $store_s peak_rss_mb $store_mb cpu_s $store_cpu"
echo "store_gb_per_s $(echo "scale=2; $store_bytes / $store_s / 1000000000" | bc)"

echo "# first page of search results (median of 5, ms)"
queries=(the red "red ball" kitchen "slowly near" zzzz)
"$build/tests/bench/bench-store-search" "$work/ours.sqlite" "${queries[@]}"
$python "$top/tests/bench/baseline-search.py" "$work/base.sqlite" "${queries[@]}"
