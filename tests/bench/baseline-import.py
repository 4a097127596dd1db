#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The baseline the store benchmark is compared with: what a data engineer writes today.

  baseline-import.py DB FILE_OR_DIR...

Plain Python: json.load each instruction file whole, insert pairs, image references and in-context
links into SQLite with executemany in one transaction, then fill an FTS5 table (trigram, as the
store uses for CJK substrings) over instruction and answer. Image stores are scanned with json.load
too (the only stdlib way) and only their keys are kept. Prints phase timings as JSON.
"""

import json
import os
import sqlite3
import sys
import time


def files_under(paths):
    for path in paths:
        if os.path.isdir(path):
            for root, _dirs, names in os.walk(path):
                for name in sorted(names):
                    yield os.path.join(root, name)
        else:
            yield path


def main():
    db_path, inputs = sys.argv[1], sys.argv[2:]
    if os.path.exists(db_path):
        os.remove(db_path)
    db = sqlite3.connect(db_path)
    db.executescript("""
        PRAGMA journal_mode=WAL;
        PRAGMA synchronous=OFF;
        CREATE TABLE pairs (id TEXT PRIMARY KEY, dataset TEXT, instruction TEXT, answer TEXT);
        CREATE TABLE images (pair_id TEXT, position INT, image_id TEXT);
        CREATE TABLE context (pair_id TEXT, position INT, context_id TEXT);
        CREATE TABLE store (image_id TEXT PRIMARY KEY, file TEXT);
        CREATE VIRTUAL TABLE pairs_fts USING fts5(instruction, answer, content='pairs',
                                                  tokenize='trigram');
    """)
    start = time.monotonic()
    n_pairs = 0
    for path in files_under(inputs):
        name = os.path.basename(path)
        if name.endswith("_instructions.json"):
            dataset = name[: -len("_instructions.json")]
            with open(path, encoding="utf-8-sig") as f:
                data = json.load(f)["data"]
            db.executemany("INSERT INTO pairs VALUES (?, ?, ?, ?)",
                           ((k, dataset, v.get("instruction", ""), v.get("answer", ""))
                            for k, v in data.items()))
            db.executemany("INSERT INTO images VALUES (?, ?, ?)",
                           ((k, i, img) for k, v in data.items()
                            for i, img in enumerate(v.get("image_ids", []) or [])))
            db.executemany("INSERT INTO context VALUES (?, ?, ?)",
                           ((k, i, c) for k, v in data.items()
                            for i, c in enumerate(v.get("rel_ins_ids", []) or [])))
            n_pairs += len(data)
            del data
        elif name.endswith(".json") and "_" not in name.split(".")[0]:
            with open(path, encoding="utf-8") as f:
                store = json.load(f)
            db.executemany("INSERT OR REPLACE INTO store VALUES (?, ?)",
                           ((k, path) for k in store))
            del store
    db.commit()
    browsable = time.monotonic() - start
    db.execute("INSERT INTO pairs_fts(pairs_fts) VALUES ('rebuild')")
    db.commit()
    searchable = time.monotonic() - start
    print(json.dumps({"pairs": n_pairs, "browsable_s": round(browsable, 2),
                      "searchable_s": round(searchable, 2)}))


if __name__ == "__main__":
    main()
