#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prints, as JSON, the messages Otter's Syphus would send for one query: the system message and
the in-context turns of PROMPT, then (with QUERY_INPUT and ID) the query's sentences as the user
turn. Written from Otter's rules, for the tests: a .json prompt has every assistant turn that is a
list of objects flattened into "Key: value\\n" lines (the last one too); a .py prompt module is
imported and its system_message and in_context are used as they are."""

import importlib.util
import json
import sys


def load_prompt(path):
    if path.endswith(".py"):
        spec = importlib.util.spec_from_file_location("prompt_module", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.system_message, list(module.in_context)
    with open(path, "r") as f:
        data = json.load(f)
    turns = []
    for turn in data["in_context"]:
        content = turn["content"]
        if turn["role"] == "assistant" and not isinstance(content, str):
            text = ""
            for pair in content:
                for key, value in pair.items():
                    text += key + ": " + value + "\n"
            content = text
        turns.append({"role": turn["role"], "content": content})
    return data["system_message"], turns


def main():
    system_message, turns = load_prompt(sys.argv[1])
    messages = [{"role": "system", "content": system_message}] + turns
    if len(sys.argv) > 3:
        with open(sys.argv[2], "r") as f:
            queries = json.load(f)
        sentences = [q["sentences"] for q in queries if q["id"] == sys.argv[3]]
        messages.append({"role": "user", "content": sentences[0]})
    json.dump(messages, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
