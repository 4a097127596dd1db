#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Baseline for the search benchmark: the first 50 results of an FTS5 query over the index that
baseline-import.py built, ordered by rank as a plain FTS5 user would, median of 5 runs (ms).

  baseline-search.py DB QUERY...
  baseline-search.py DB --queries FILE   (JSON lines {"class", "text"}: bench-store-search's set)

With --queries, prints p50/p99/max per class and overall, as bench-store-search does."""

import json
import math
import sqlite3
import statistics
import sys
import time


def first_page_ms(db, text):
    runs = []
    rows = []
    for _ in range(5):
        start = time.monotonic()
        rows = db.execute("SELECT rowid FROM pairs_fts WHERE pairs_fts MATCH ? ORDER BY rank "
                          "LIMIT 50", ('"' + text.replace('"', '""') + '"',)).fetchall()
        runs.append((time.monotonic() - start) * 1000)
    return len(rows), statistics.median(runs)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, math.ceil(p * len(values)) - 1))]


def main():
    db = sqlite3.connect(sys.argv[1])
    if len(sys.argv) > 3 and sys.argv[2] == "--queries":
        classes = {}
        with open(sys.argv[3], encoding="utf-8") as f:
            for line in f:
                query = json.loads(line)
                n, ms = first_page_ms(db, query["text"])
                print(json.dumps({"class": query["class"], "query": query["text"], "rows": n,
                                  "first_page_ms": round(ms, 2)}, ensure_ascii=False))
                classes.setdefault(query["class"], []).append(ms)
        every = [ms for values in classes.values() for ms in values]
        for name, values in classes.items():
            print("python class %-15s n %3u  p50_ms %8.2f  p99_ms %8.2f  max_ms %8.2f"
                  % (name, len(values), percentile(values, 0.5), percentile(values, 0.99),
                     max(values)))
        print("python all   %-15s n %3u  p50_ms %8.2f  p99_ms %8.2f  max_ms %8.2f"
              % ("", len(every), percentile(every, 0.5), percentile(every, 0.99), max(every)))
        return
    for text in sys.argv[2:]:
        n, ms = first_page_ms(db, text)
        print(json.dumps({"query": text, "rows": n, "first_page_ms": round(ms, 2)}))


main()
