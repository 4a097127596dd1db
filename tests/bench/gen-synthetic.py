#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write a synthetic MIMIC-IT corpus at scale for the store benchmarks.

  gen-synthetic.py OUT_DIR --pairs 2800000 [--store-gb 2 [--store-kb 96]] [--translations]

Writes OUT_DIR/SYN_instructions.json (one JSON object, records in MIMIC-IT layout, about 330 bytes
of English per pair), optionally Syphus translation output for the seven other languages
(OUT_DIR/translations/SYN/valid_output.json) and OUT_DIR/SYN.json, an image store of the given size
whose values are base64 PNGs. Everything is streamed: memory stays flat whatever the size.
The text varies (a seeded PRNG picks words), so full-text search has realistic posting lists:
the word "the" is in nearly every row, colour words in about one row of eight.
When a store is written, the pairs' frames are ids the store holds (as in a real shard whose store
came with it); without one, the frame ids are unique clips that no store covers.
"""

import argparse
import base64
import json
import os
import random
import struct
import zlib

COLOURS = ["red", "green", "blue", "yellow", "purple", "orange", "black", "white"]
SHAPES = ["ball", "cube", "cone", "ring", "star", "box", "cup", "disc"]
PLACES = ["table", "floor", "shelf", "chair", "window", "kitchen", "garden", "street"]
VERBS = ["rolls", "stands", "moves", "rests", "falls", "spins", "slides", "waits"]

TRANSLATIONS = {
    "zh": ("视频中{c}的{s}在做什么？", "{c}的{s}在{p}附近{v}。"),
    "es": ("¿Qué hace el {s} {c} en el vídeo?", "El {s} {c} {v} cerca de {p}."),
    "ja": ("動画の{c}の{s}は何をしていますか？", "{c}の{s}は{p}の近くで{v}。"),
    "de": ("Was macht der {c} {s} im Video?", "Der {c} {s} {v} in der Nähe von {p}."),
    "fr": ("Que fait le {s} {c} dans la vidéo ?", "Le {s} {c} {v} près de {p}."),
    "ko": ("영상에서 {c} {s}는 무엇을 하나요?", "{c} {s}는 {p} 근처에서 {v}."),
    "ar": ("ماذا يفعل {s} {c} في الفيديو؟", "{s} {c} {v} بالقرب من {p}."),
}


def tiny_png(seed):
    """A valid 8x8 RGB PNG whose colour depends on seed."""
    r, g, b = (seed * 37) & 255, (seed * 91) & 255, (seed * 53) & 255
    raw = b"".join(b"\x00" + bytes([r, g, b]) * 8 for _ in range(8))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def pair_words(rng):
    return rng.choice(COLOURS), rng.choice(SHAPES), rng.choice(PLACES), rng.choice(VERBS)


def write_instructions(out, n_pairs, frames, store_clips=0):
    rng = random.Random(1234)
    path = os.path.join(out, "SYN_instructions.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"meta": {"version": "0.0.1", "time": "2026-11", "author": "bench"}, "data": {')
        for i in range(n_pairs):
            c, s, p, v = pair_words(rng)
            clip = i // 4 % store_clips if store_clips else i // 4
            record = {
                "instruction": f"What does the {c} {s} do in the video near the {p}?",
                "answer": f"The {c} {s} {v} slowly near the {p} while the camera follows it "
                          f"from the left side of the frame to the right side.",
                "image_ids": [f"SYN_IMG_v_{clip:07d}_{k:04d}" for k in range(frames)],
                "rel_ins_ids": [f"SYN_INS_{(i + d) % n_pairs:08d}" for d in (1, 2)],
            }
            if i:
                f.write(",")
            f.write(json.dumps(f"SYN_INS_{i:08d}"))
            f.write(":")
            f.write(json.dumps(record, ensure_ascii=False))
        f.write("}}")
    return path


def write_translations(out, n_pairs):
    rng = random.Random(1234)
    folder = os.path.join(out, "translations", "SYN")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "valid_output.json"), "w", encoding="utf-8") as f:
        f.write("[")
        for i in range(n_pairs):
            c, s, p, v = pair_words(rng)
            reply = {"a": {}, "b": {}}
            for lang, (a, b) in TRANSLATIONS.items():
                reply["a"][lang] = a.format(c=c, s=s, p=p, v=v)
                reply["b"][lang] = b.format(c=c, s=s, p=p, v=v)
            if i:
                f.write(",")
            f.write(json.dumps({"id": f"SYN_INS_{i:08d}",
                                "results": json.dumps(reply, ensure_ascii=False)},
                               ensure_ascii=False))
        f.write("]")


def write_store(out, gigabytes, value_kb=96):
    """Image store of about `gigabytes`: values are a real PNG padded with a tEXt-free tail."""
    path = os.path.join(out, "SYN.json")
    target = int(gigabytes * (1 << 30))
    written = 0
    i = 0
    tail = value_kb * 1024 - 150
    pattern = bytes(range(256)) * (tail // 256 + 2)
    with open(path, "w", encoding="ascii") as f:
        f.write("{")
        while written < target:
            # The same bytes as (i + k) & 255 for k in range(tail), without a Python loop.
            png = tiny_png(i) + pattern[i % 256:i % 256 + tail]
            value = base64.b64encode(png).decode("ascii")
            line = ("," if i else "") + json.dumps(f"SYN_IMG_v_{i // 8:07d}_{i % 8:04d}") + ":\"" + value + "\""
            f.write(line)
            written += len(line)
            i += 1
        f.write("}")
    return path, i


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--pairs", type=int, default=2_800_000)
    parser.add_argument("--frames", type=int, default=4)
    parser.add_argument("--store-gb", type=float, default=0)
    # Small values give MIMIC-IT's image counts (millions) in a store of a few GB.
    parser.add_argument("--store-kb", type=int, default=96)
    parser.add_argument("--translations", action="store_true")
    args = parser.parse_args()

    os.makedirs(args.out, exist_ok=True)
    store_clips = 0
    if args.store_gb:
        _path, n_images = write_store(args.out, args.store_gb, args.store_kb)
        # Eight frames per clip in the store; pairs use the first `frames` of a clip.
        store_clips = n_images // 8 if args.frames <= 8 else 0
    if args.pairs:
        write_instructions(args.out, args.pairs, args.frames, store_clips)
    if args.translations:
        write_translations(args.out, args.pairs)


if __name__ == "__main__":
    main()
