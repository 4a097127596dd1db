#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Audit-sample speed from the user's side: `mimicdesk-cli review sample --size N` on an index,
# wall time and peak memory, beside `ORDER BY random() LIMIT N` on the same index in the same
# run (the baseline: one scan of the pairs, no strata, not reproducible).
#
#   tests/bench/bench-sample.sh CLI INDEX [SIZE] [RUNS]
#
# Target (issue 18): 1,000 of 2.8M pairs in <= 0.5 s with <= 256 MB. Prints the machine load.
set -eu
cli=$1
index=$2
size=${3:-1000}
runs=${4:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A copy keeps the index untouched by the runs (readers may create -shm files).
cp "$index" "$tmp/index.sqlite"
[ -f "$index.search.sqlite" ] && cp "$index.search.sqlite" "$tmp/index.sqlite.search.sqlite"
pairs=$(sqlite3 "$tmp/index.sqlite" "SELECT count(*) FROM pairs")
echo "index: $pairs pairs, sample size $size, $runs runs; load: $(cut -d' ' -f1-3 /proc/loadavg)"

measure () {
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" > /dev/null 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
  cat "$tmp/time"
}

i=0
while [ "$i" -lt "$runs" ]; do
  i=$((i + 1))
  ours=$(measure "$cli" review sample --db "$tmp/index.sqlite" --review "$tmp/r$i.sqlite" \
           --size "$size" --seed "$i")
  base=$(measure sqlite3 "$tmp/index.sqlite" \
           "SELECT d.code, p.pair_id FROM pairs p JOIN datasets d ON d.id = p.dataset_id
            ORDER BY random() LIMIT $size")
  set -- $ours $base
  echo "run $i: review sample ${1}s ${2}KB peak; ORDER BY random() ${3}s ${4}KB peak;" \
       "ratio $(echo "$1 $3" | awk '{ printf "%.2f", ($2 > 0 ? $1 / $2 : 0) }')"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
