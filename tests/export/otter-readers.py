#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reads MIMIC-IT exports the way Otter's training loaders do, with readers that are not ours:
# Python's json, pandas, PyYAML and Pillow (Debian packages) and DuckDB (npm) for Parquet.
#
#   today's loader (since September 2023): otter_data.yaml -> per dataset
#       json(mimicit_path)["data"], json(train_config_path), Parquet images_path read as pandas
#       does (index restored from the "pandas" metadata), images.loc[id]["base64"]
#   the August 2023 loader: flat TASK.json read as {id: base64} (ijson kvitems at the root)
#   both: base64.urlsafe_b64decode + PIL.Image.open(...).convert("RGB") for every image of
#       every training pair
#
# Then compares the exported files with their source key by key. Runs the CLI itself on the
# bundled sample, then on a Parquet-backed dataset (the sample's Parquet export imported again).
#
# Environment: MD_CLI, MD_SAMPLE_DIR, MD_DUCKDB_DIR (npm prefix; @duckdb/node-api is installed
# there when missing). Prints TAP.

import base64
import binascii
import glob
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pandas as pd
import yaml
from PIL import Image

DUCKDB_PACKAGE = "@duckdb/node-api@1.5.6-r.1"
GROUPS = ["IMAGE_TEXT", "TEXT_ONLY", "IMAGE_TEXT_IN_CONTEXT", "VIDEO_TEXT"]
STANDARD_B64 = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")
HERE = os.path.dirname(os.path.abspath(__file__))

results = []


def ok(cond, what):
    results.append((bool(cond), what))
    print(("ok %d - " if cond else "not ok %d - ") % len(results) + what, flush=True)
    return cond


def run(args, check=True):
    p = subprocess.run(args, capture_output=True, text=True)
    if check and p.returncode != 0:
        sys.stderr.write(p.stdout + p.stderr)
        raise SystemExit("%s failed with %d" % (" ".join(args), p.returncode))
    return p


def duckdb_modules():
    prefix = os.environ["MD_DUCKDB_DIR"]
    modules = os.path.join(prefix, "node_modules")
    if not os.path.isdir(os.path.join(modules, "@duckdb", "node-api")):
        os.makedirs(prefix, exist_ok=True)
        run(["npm", "install", "--no-audit", "--no-fund", "--prefix", prefix, DUCKDB_PACKAGE])
    return modules


def read_parquet(files):
    out = run(["node", os.path.join(HERE, "read-parquet.mjs"), duckdb_modules()] + files).stdout
    return json.loads(out)


def pandas_frame(table):
    """What pq.ParquetFile(f).iter_batches(...) + to_pandas() + pd.concat gives: the columns, the
    index restored from the "pandas" metadata."""
    meta = {kv["key"]: kv["value"] for kv in table["kv"]}
    if not ok("pandas" in meta, "Parquet store has pandas metadata"):
        return None
    pandas_meta = json.loads(meta["pandas"])
    index = pandas_meta["index_columns"]
    ok(index == ["__index_level_0__"], "pandas index column is __index_level_0__")
    columns = [c["field_name"] for c in pandas_meta["columns"]]
    ok(set(columns) == {"base64", "__index_level_0__"}, "pandas metadata names both columns")
    frame = pd.DataFrame(table["rows"])
    frame = frame.set_index(index[0])
    frame.index.name = next(c["name"] for c in pandas_meta["columns"] if c["field_name"] == index[0])
    return frame


def decode_image(value):
    return Image.open(io.BytesIO(base64.urlsafe_b64decode(value))).convert("RGB")


def lenient_bytes(value):
    """The bytes a base64 value of any alphabet, padded or not, stands for (a one-element list
    is a quirk of the sample the import accepts)."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    text = value.replace("\\/", "/").translate(str.maketrans("-_", "+/"))
    text = re.sub(r"\s", "", text)
    return base64.b64decode(text + "=" * (-len(text) % 4))


def parse_report(stdout):
    bad = {}
    for line in stdout.splitlines():
        parts = line.split("\t")
        if len(parts) >= 4 and parts[0] in ("error", "note"):
            bad.setdefault(parts[1], set()).add((parts[2], parts[3]))
    return bad


def export(cli, db, out, *extra):
    p = run([cli, "export", "--db", db, "--out", out, "--yes", "--quiet"] + list(extra))
    return parse_report(p.stdout)


def check_values(values, where, undecodable):
    bad = [k for k, v in values.items() if k not in undecodable and
           (len(v) % 4 != 0 or not STANDARD_B64.match(v))]
    ok(not bad, "%s: every value is standard padded base64 %s" % (where, bad[:3]))


def check_export(out, report, label):
    """Both loader generations on every training pair of every dataset."""
    undecodable = {img for _, img in report.get("undecodable_image", set())}
    missing = {img for _, img in report.get("missing_image", set())}
    dangling = {ref for _, ref in report.get("dangling_context", set())}
    with open(os.path.join(out, "otter_data.yaml")) as f:
        config = yaml.safe_load(f)
    ok(set(config) <= set(GROUPS), "%s: yaml groups are Otter's" % label)
    named = {}
    for group, datasets in config.items():
        for name, entry in datasets.items():
            named[name] = (group, entry)
    written = {os.path.basename(p)[: -len("_instructions.json")]
               for p in glob.glob(os.path.join(out, "*_instructions.json"))}
    ok(set(named) == written, "%s: yaml names every exported dataset %s / %s"
       % (label, sorted(named), sorted(written)))

    cwd = os.getcwd()
    os.chdir(out)   # Otter opens the yaml's paths as they are
    try:
        parquet_files = sorted(glob.glob("*.parquet"))
        tables = read_parquet([os.path.abspath(p) for p in parquet_files]) if parquet_files else {}
        frames = {}
        for path in parquet_files:
            table = tables[os.path.abspath(path)]
            ok(all(int(g["num_rows"]) <= 65536 for g in table["groups"]),
               "%s: %s row groups are bounded" % (label, path))
            frame = pandas_frame(table)
            frames[path] = frame
            check_values(dict(zip(frame.index, frame["base64"])), "%s %s" % (label, path),
                         undecodable)

        all_data = {}
        for name, (group, entry) in named.items():
            for key in entry:
                if key.endswith("_path"):
                    ok(os.path.exists(entry[key]), "%s: %s %s exists" % (label, name, key))
            with open(entry["mimicit_path"], "rb") as f:
                all_data.update(json.loads(f.read())["data"])

        n_images = 0
        for name, (group, entry) in sorted(named.items()):
            with open(entry["mimicit_path"], "rb") as f:
                data = json.loads(f.read())["data"]
            with open(entry["train_config_path"], "rb") as f:
                train = json.loads(f.read())
            ok(entry["num_samples"] == len(train), "%s: %s num_samples is the train key count"
               % (label, name))
            ok(all(k in data and "instruction" in data[k] and "answer" in data[k] for k in train),
               "%s: %s every train key is a pair of the instructions file" % (label, name))
            ok(all(c in all_data or c in dangling for k in train for c in train[k]),
               "%s: %s every in-context id is a pair (or a reported dangling link)"
               % (label, name))

            images = None
            old_images = None
            path = entry.get("images_path")
            if group != "TEXT_ONLY":
                if ok(path is not None, "%s: %s has images_path" % (label, name)):
                    if path.endswith(".parquet"):
                        images = frames[path]
                    else:
                        with open(path, "rb") as f:
                            images = pd.DataFrame(json.loads(f.read()))
            flat = name + ".json"
            if os.path.exists(flat):
                with open(flat, "rb") as f:
                    old_images = json.loads(f.read())
                check_values(old_images, "%s %s" % (label, flat), undecodable)
                try:
                    pd.DataFrame(old_images)
                    ok(False, "%s: today's loader cannot read the flat %s" % (label, flat))
                except ValueError:
                    pass

            failures = []
            for key in train:
                for image_id in data[key].get("image_ids") or []:
                    if image_id in missing:
                        continue
                    for gen, store in (("current", images), ("august-2023", old_images)):
                        if store is None:
                            continue
                        try:
                            if gen == "current":
                                value = store.loc[image_id]["base64"]
                            else:
                                value = store[image_id]
                            decode_image(value)
                            n_images += 1
                            if image_id in undecodable:
                                failures.append((gen, image_id, "reported undecodable, decodes"))
                        except (KeyError, binascii.Error, ValueError, OSError) as e:
                            if image_id not in undecodable:
                                failures.append((gen, image_id, repr(e)))
            ok(not failures, "%s: %s every image of every training pair loads %s"
               % (label, name, failures[:3]))
        ok(n_images > 0, "%s: %d images decoded" % (label, n_images))
    finally:
        os.chdir(cwd)


def source_images(src, name):
    flat = os.path.join(src, name + ".json")
    pq = os.path.join(src, name + ".parquet")
    if os.path.exists(pq):
        table = read_parquet([pq])[pq]
        return {r["__index_level_0__"]: r["base64"] for r in table["rows"]}
    if os.path.exists(flat):
        with open(flat, encoding="utf-8-sig") as f:
            return json.load(f)
    return {}


def compare_with_source(out, src, report, label):
    """Key by key: instructions, train lists, rel_ins_ids, extra keys and image bytes."""
    undecodable = {img for _, img in report.get("undecodable_image", set())}
    for ins in sorted(glob.glob(os.path.join(out, "*_instructions.json"))):
        name = os.path.basename(ins)[: -len("_instructions.json")]
        with open(ins) as f:
            got = json.load(f)["data"]
        with open(os.path.join(src, name + "_instructions.json"), encoding="utf-8-sig") as f:
            want = json.load(f)["data"]
        ok(list(got) == list(want), "%s: %s pairs and their order are the source's" % (label, name))
        # Written as Otter reads them: the old single-string image_ids as a list of one, none
        # as an empty list.
        for record in want.values():
            if isinstance(record.get("image_ids"), str):
                record["image_ids"] = [record["image_ids"]]
            record.setdefault("image_ids", [])
        diffs = [(k, field) for k in want if k in got
                 for field in set(want[k]) | set(got[k]) if want[k].get(field) != got[k].get(field)]
        ok(not diffs, "%s: %s every key of every pair is the source's %s" % (label, name, diffs[:4]))

        src_train = os.path.join(src, name + "_train.json")
        with open(os.path.join(out, name + "_train.json")) as f:
            train = json.load(f)
        if os.path.exists(src_train):
            with open(src_train, encoding="utf-8-sig") as f:
                want_train = json.load(f)
            want_train = {k: v for k, v in want_train.items() if k in want}
        else:
            want_train = {k: v["rel_ins_ids"] for k, v in want.items()}
        ok(train == want_train, "%s: %s train.json keys and lists are the source's" % (label, name))

        exported = {}
        if os.path.exists(os.path.join(out, name + ".json")):
            with open(os.path.join(out, name + ".json")) as f:
                exported = json.load(f)
        if os.path.exists(os.path.join(out, name + ".parquet")):
            table = read_parquet([os.path.join(out, name + ".parquet")])
            rows = next(iter(table.values()))["rows"]
            exported.update({r["__index_level_0__"]: r["base64"] for r in rows})
        source = source_images(src, name)
        changed = [i for i, v in exported.items() if i not in undecodable and
                   (i not in source or lenient_bytes(source[i]) != base64.b64decode(v))]
        ok(not changed, "%s: %s every image decodes to the source's bytes %s"
           % (label, name, changed[:3]))


def main():
    cli = os.environ["MD_CLI"]
    sample = os.environ["MD_SAMPLE_DIR"]
    work = tempfile.mkdtemp(prefix="otter-readers-")
    try:
        db = os.path.join(work, "sample.sqlite")
        run([cli, "import", "--db", db, sample])

        both = os.path.join(work, "both")
        report = export(cli, db, both, "--image-store", "both")
        check_export(both, report, "sample")
        compare_with_source(both, sample, report, "sample")

        # The older loader alone: the flat stores, no Parquet file.
        flat = os.path.join(work, "json")
        export(cli, db, flat, "--image-store", "json")
        ok(not glob.glob(os.path.join(flat, "*.parquet")) and
           os.path.exists(os.path.join(flat, "DC.json")), "--image-store json writes TASK.json only")

        # A Parquet-backed dataset: the default export, imported again, exported again.
        pq = os.path.join(work, "parquet")
        export(cli, db, pq)
        ok(glob.glob(os.path.join(pq, "*.parquet")) and
           not os.path.exists(os.path.join(pq, "DC.json")), "the default store is Parquet only")
        db2 = os.path.join(work, "parquet.sqlite")
        run([cli, "import", "--db", db2, pq])
        again = os.path.join(work, "again")
        report = export(cli, db2, again, "--image-store", "both")
        check_export(again, report, "parquet-backed")
        compare_with_source(again, pq, report, "parquet-backed")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    failed = sum(1 for good, _ in results if not good)
    print("1..%d" % len(results))
    print("# %d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
