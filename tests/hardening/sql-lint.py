#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# No SQL made from data: in store/ and app/, the SQL given to SQLite must be string literals, or
# a variable on the short list below whose every piece is a literal (checked by review when it
# is added). Printf-style building of SQL may only insert literals. sqlite3_mprintf and friends
# are not used at all. Prints each offence as FILE:LINE and exits 1 when there is one.
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..')
DIRS = ['store', 'app']

# Functions taking SQL text, and the index (0-based) of their SQL argument.
SQL_CALLS = {
    'sqlite3_exec': 1, 'sqlite3_prepare': 1, 'sqlite3_prepare_v2': 1, 'sqlite3_prepare_v3': 1,
    '_md_index_exec': 1, '_md_index_prepare': 1,
    '_md_review_store_exec': 1, '_md_review_store_prepare': 1,
}
BANNED = ['sqlite3_mprintf', 'sqlite3_vmprintf', 'sqlite3_snprintf', 'sqlite3_str_appendf']
PRINTF = ['g_strdup_printf', 'g_string_printf', 'g_string_append_printf']
SQL_WORDS = re.compile(r'\b(SELECT|INSERT|UPDATE|DELETE|WHERE|JOIN|ORDER BY|CREATE|PRAGMA)\b')

# Variables holding SQL assembled only from literals: (file, expression).
VETTED = {
    ('store/md-index.c', 'sql'),            # the wrappers themselves
    ('store/md-index.c', 'schema'),         # a literal
    ('store/md-index.c', 'search_schema'),  # a literal
    ('store/md-import-references.c', 'sql'),  # count_rows(): its callers pass literals
    ('store/md-review-store.c', 'sql'),     # the wrappers themselves
    ('store/md-import-forget.c', 'by_file[i]'),  # a static array of literals
    ('store/md-import.c', 'sql->str'),      # prepare_many(): literals repeated
    ('store/md-pair-list.c', 'sql'),        # build_sql(): literals and "?N" placeholders
    ('store/md-pair-list.c', 'plan->count_sql'),
    ('store/md-pair-list.c', 'plan->page_sql'),
    ('store/md-pair-list.c', 'self->plan->count_sql'),
    ('store/md-review-store.c', 'schema_sql'),  # a static literal
    ('store/md-export.c', 'sql'),           # sel_prepare(): its callers pass literals
    ('app/syphus/md-syphus-journal.c', 'sql'),  # its prepare()/exec() wrappers
    ('app/syphus/md-syphus-journal.c', 'schema_sql'),
    ('store/md-export-source.c', 'statements[i]'),  # a static array of literals
    ('store/team/md-team-journal.c', 'journal_sql'),  # a static literal
    ('store/md-pair-list.c', 'self->all_page_sql'),   # build_all_sql(): literals, "?N"
    ('store/md-pair-list.c', 'self->all_count_sql'),
    ('store/md-search-run.c', 'path->count_sql'),     # build_sql(): literals, "?N"
    ('store/md-search-run.c', 'path->page_sql'),
    ('store/md-import-syphus-query.c', 'MD_INDEX_SYPHUS_QUERIES_SCHEMA'),  # a literal macro
}
# Printf arguments that are literals under another name.
VETTED_ARGS = {
    ('store/md-pair-list.c', 'key'),        # "fts.rowid" or "t.key"
    ('store/md-pair-list.c', 'plan->count_sql'),
    ('store/md-pair-list.c', 'count_sql'),  # build_all_sql(): literals, "?N"
    ('store/md-search-run.c', 'key'),       # "fts.rowid" or "t.key"
    ('store/md-search-run.c', 'query->display_language < 0 ? key : "p.rowid * 8 + ?16"'),
}

def strip_comments(text):
    return re.sub(r'/\*.*?\*/', lambda m: '\n' * m.group(0).count('\n'), text, flags=re.S)

def split_args(text, start):
    """Arguments of the call whose '(' is at text[start]; returns (args, end)."""
    depth, i, args, cur, in_str = 0, start, [], '', None
    while i < len(text):
        c = text[i]
        if in_str:
            cur += c
            if c == '\\':
                cur += text[i + 1]
                i += 1
            elif c == in_str:
                in_str = None
        elif c in '"\'':
            in_str = c
            cur += c
        elif c in '([{':
            depth += 1
            if depth > 1:
                cur += c
        elif c in ')]}':
            depth -= 1
            if depth == 0:
                args.append(cur.strip())
                return args, i
            cur += c
        elif c == ',' and depth == 1:
            args.append(cur.strip())
            cur = ''
        else:
            cur += c
        i += 1
    return args, i

# String literals, concatenated, and G_STRINGIFY of a constant macro (a compile-time literal).
LITERAL = r'(?:\s*(?:"(?:[^"\\]|\\.)*"|G_STRINGIFY\s*\(\s*[A-Z_][A-Z0-9_]*\s*\))\s*)+'
def is_literal(arg):
    arg = arg.strip()
    if re.fullmatch(LITERAL, arg):
        return True
    m = re.fullmatch(r'[^?]*\?(' + LITERAL + r'):(' + LITERAL + r')', arg, flags=re.S)
    return bool(m)

def main():
    offences = []
    for d in DIRS:
        for base, _, files in os.walk(os.path.join(ROOT, d)):
            for name in files:
                if not name.endswith('.c'):
                    continue
                path = os.path.join(base, name)
                rel = os.path.relpath(path, ROOT)
                text = strip_comments(open(path, encoding='utf-8').read())
                for m in re.finditer(r'\b(\w+)\s*\(', text):
                    fn = m.group(1)
                    line = text.count('\n', 0, m.start()) + 1
                    if fn in BANNED:
                        offences.append(f'{rel}:{line}: {fn}() formats SQL; bind parameters')
                        continue
                    if fn in SQL_CALLS:
                        args, _ = split_args(text, m.end() - 1)
                        k = SQL_CALLS[fn]
                        if len(args) <= k:
                            continue    # the declaration or definition
                        arg = args[k]
                        if re.match(r'^(const\s+)?char\s*\*', arg):
                            continue    # a prototype or definition
                        if not is_literal(arg) and (rel, arg) not in VETTED:
                            offences.append(f'{rel}:{line}: {fn}() runs SQL from “{arg}”, '
                                            'expected a string literal')
                    if fn in PRINTF:
                        args, _ = split_args(text, m.end() - 1)
                        fmt = next((a for a in args if a.startswith('"')), None)
                        if fmt is None or not SQL_WORDS.search(fmt):
                            continue
                        rest = args[args.index(fmt) + 1:]
                        for a in rest:
                            if not is_literal(a) and (rel, a) not in VETTED_ARGS:
                                offences.append(f'{rel}:{line}: {fn}() puts “{a}” into SQL, '
                                                'expected only literals (bind data with ?)')
    for o in offences:
        print(o)
    print(f'{len(offences)} offences' if offences else 'no SQL built from data')
    return 1 if offences else 0

sys.exit(main())
