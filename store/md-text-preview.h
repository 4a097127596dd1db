/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Bounded pieces of texts for display. A MIMIC-IT answer can be a megabyte long in one paragraph;
 * laying such a string out (Pango, on the main thread) freezes a window for minutes, so every
 * place that shows a text shows at most a preview of it and offers the rest on demand.
 */

/* Characters a pair text shows before "Show all": far above real answers (a few hundred words). */
#define MD_TEXT_PREVIEW_CHARS 4000
/* Characters of the shorter previews in language cards and in-context cards. */
#define MD_TEXT_CARD_CHARS    600
/* The longest paragraph the in-place editor takes: GTK lays out a paragraph as a whole. */
#define MD_TEXT_EDIT_MAX_PARAGRAPH 20000

/* NULL when `text` has at most `max_chars` characters (it can be shown as it is); otherwise its
 * first characters, at most `max_chars`, cut after the last white space when there is one in
 * the last fifth, with a trailing "…". `n_chars` (may be NULL) receives the text's length in
 * characters either way. */
char   *md_text_preview             (const char *text,
                                     guint       max_chars,
                                     guint64    *n_chars);

/* The text cut into consecutive pieces of about `piece_chars` characters, each cut after a line
 * break or white space where one is near, so that a virtualized list can show a text of any
 * length a piece at a time. Joined, the pieces are the text. */
GPtrArray *md_text_split_pieces     (const char *text,
                                     guint       piece_chars);

/* One line for a list row: the first line of `text` without leading white space, at most
 * MD_TEXT_ROW_CHARS characters. "" for NULL. */
#define MD_TEXT_ROW_CHARS 200
char   *md_text_row_summary         (const char *text);

/* The length in characters of the longest line (paragraph) of `text`. */
guint64 md_text_longest_line        (const char *text);

G_END_DECLS
