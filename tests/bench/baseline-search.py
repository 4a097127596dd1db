#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Baseline for the search benchmark: the first 50 results of an FTS5 query over the index that
baseline-import.py built, ordered by rank as a plain FTS5 user would, median of 5 runs (ms)."""

import json
import sqlite3
import statistics
import sys
import time

db = sqlite3.connect(sys.argv[1])
for text in sys.argv[2:]:
    runs = []
    for _ in range(5):
        start = time.monotonic()
        rows = db.execute("SELECT rowid FROM pairs_fts WHERE pairs_fts MATCH ? ORDER BY rank "
                          "LIMIT 50", ('"' + text.replace('"', '""') + '"',)).fetchall()
        runs.append((time.monotonic() - start) * 1000)
    print(json.dumps({"query": text, "rows": len(rows),
                      "first_page_ms": round(statistics.median(runs), 2)}))
