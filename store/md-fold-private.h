/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Case-insensitive substring matching for every cased script. Private to store/.
 *
 * SQLite's LIKE folds ASCII only, so "ÉMOJI" would never find "émoji". Search terms with
 * non-ASCII cased letters are instead checked with the SQL function md_contains() (registered
 * on every connection by _md_index_register_functions()), which folds the text one character
 * at a time, the way the trigram index (`trigram case_sensitive 0`) folds it: simple case
 * folding, one character to one character (Σ, σ and ς are one letter; ẞ is ß; ß is not "ss",
 * which the index could not find anyway). Nothing is allocated per row. */

#include <glib.h>

G_BEGIN_DECLS

gunichar  _md_fold_char     (gunichar        c);
/* TRUE when `text` (valid UTF-8) holds a non-ASCII character that has case: such a term needs
 * md_contains() rather than LIKE. */
gboolean  _md_fold_is_cased (const char     *text);
/* `text` (valid UTF-8) with every character folded; newly allocated. */
char     *_md_fold_utf8     (const char     *text);
/* A search term, folded and ready to look for. */
typedef struct _MdFoldNeedle MdFoldNeedle;

MdFoldNeedle *_md_fold_needle_new  (const char         *text);
void          _md_fold_needle_free (MdFoldNeedle       *needle);
/* Whether the needle occurs in the `length` bytes of `haystack` once those are folded. Invalid
 * UTF-8 in the haystack matches nothing but does no harm. */
gboolean      _md_fold_contains    (const MdFoldNeedle *needle,
                                    const char         *haystack,
                                    gsize               length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdFoldNeedle, _md_fold_needle_free)

G_END_DECLS
