/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Python modules that only assign literals, as Otter's `.py` prompt modules do
 * (`system_message = """..."""`, `in_context = [{...}, ...]`).
 *
 * What is read: assignments `NAME = LITERAL` (one a statement, `;` allowed), bare literal
 * statements (docstrings), comments, implicit line joining inside brackets and `\` continuations.
 * Literals: strings with any quote, triple-quoted, the r/u prefixes and every escape Python
 * knows except \N{...}; adjacent strings concatenated; ints and floats (with a sign); True,
 * False, None; lists, tuples (both become JSON arrays) and dicts with string keys. A repeated
 * dict key keeps its first position and its last value, as Python evaluates it.
 * Anything else (imports, names, calls, operators, f-strings, bytes) is an MD_ERROR_PARSE that
 * names the file and the line and says what was expected. */

#include <cJSON.h>
#include <glib.h>

G_BEGIN_DECLS

/* The module's globals as one JSON object {NAME: value}, later assignments replacing earlier
 * ones. @name is the file named in errors. Free with cJSON_Delete(). */
cJSON *md_py_literal_parse_module (const char  *name,
                                   const char  *data,
                                   gsize        length,
                                   GError     **error);

G_END_DECLS
