#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The export against a plain script, in the same run.

  bench-export-script.py CLI WORK_DIR [PAIRS]

Writes PAIRS synthetic pairs (gen-synthetic.py, translations included), imports them, then runs
`mimicdesk-cli export --format mimicit` and a plain Python script that writes the same pairs'
instructions and train files from the index's SQLite file with json.dumps. Prints, for each, wall
and CPU seconds and peak RSS, the ratio, and the load average.
"""

import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def baseline(db, out):
    os.makedirs(out, exist_ok=True)
    con = sqlite3.connect(db)
    data, train = {}, {}
    rows = con.execute(
        "SELECT p.pair_id, t.instruction, t.answer, r.image_ids, r.rel_ins_ids FROM pairs p "
        "JOIN texts t ON t.key = p.rowid * 8 LEFT JOIN pair_refs r ON r.pair_rowid = p.rowid "
        "ORDER BY p.rowid")
    for pair_id, ins, ans, images, rel in rows:
        rel = rel.split("\n") if rel else []
        data[pair_id] = {"instruction": ins, "answer": ans,
                         "image_ids": images.split("\n") if images else [], "rel_ins_ids": rel}
        train[pair_id] = rel
    with open(os.path.join(out, "SYN_instructions.json"), "w") as f:
        f.write(json.dumps({"meta": {"version": "1"}, "data": data}))
    with open(os.path.join(out, "SYN_train.json"), "w") as f:
        f.write(json.dumps(train))


def measure(args):
    """Wall seconds, CPU seconds and peak RSS (MB) of one child, from its own rusage."""
    t = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - t
    if status != 0:
        raise SystemExit("%s failed" % args[0])
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def main():
    cli, work = sys.argv[1], sys.argv[2]
    pairs = int(sys.argv[3]) if len(sys.argv) > 3 else 100000
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    src, db = os.path.join(work, "src"), os.path.join(work, "index.sqlite")
    subprocess.run([sys.executable, os.path.join(HERE, "gen-synthetic.py"), src, "--pairs",
                    str(pairs), "--translations"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([cli, "import", "--db", db, src], check=True, stdout=subprocess.DEVNULL)
    ours = measure([cli, "export", "--db", db, "--out", os.path.join(work, "out"), "--yes",
                    "--quiet"])
    script = measure([sys.executable, "-c", "import sys; sys.path.insert(0, %r); import importlib; "
                      "m = importlib.import_module('bench-export-script'); m.baseline(%r, %r)"
                      % (HERE, db, os.path.join(work, "script"))])
    print("pairs %d" % pairs)
    print("export  wall %.2f s  cpu %.2f s  peak_rss %d MB" % ours)
    print("script  wall %.2f s  cpu %.2f s  peak_rss %d MB" % script)
    print("ratio (script / export)  wall %.2f  cpu %.2f" % (script[0] / ours[0], script[1] / ours[1]))
    print("load %s" % " ".join("%.2f" % x for x in os.getloadavg()))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
