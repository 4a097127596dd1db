/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Word-level diff of two texts, for showing an edit or a generated answer against the current
 * text.
 *
 * Tokens: in space-separated scripts (Latin, Cyrillic, Arabic, Hangul words written with spaces
 * are still split, see below) a token is a run of letters, digits and combining marks (a word), a
 * run of white space, or one punctuation/symbol character. Han, kana and Hangul characters are one
 * token each, because Chinese and Japanese do not separate words with spaces and a one-character
 * edit should not repaint a whole sentence.
 *
 * The diff is Myers' O(ND) shortest edit script over the tokens, after the common prefix and
 * suffix are stripped. When what remains is too big (MD_DIFF_MAX_TOKENS tokens together) or too
 * different (more than MD_DIFF_MAX_EDITS edits) the result is a whole replacement: one delete
 * then one insert. */

#include <glib.h>

G_BEGIN_DECLS

#define MD_DIFF_MAX_TOKENS 200000
#define MD_DIFF_MAX_EDITS  2000

typedef enum
{
  MD_DIFF_EQUAL,
  MD_DIFF_DELETE,
  MD_DIFF_INSERT,
} MdDiffOp;

typedef struct
{
  MdDiffOp  op;
  char     *text;   /* UTF-8, never empty */
} MdDiffSegment;

void        md_diff_segment_free (MdDiffSegment *segment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdDiffSegment, md_diff_segment_free)

/* Splits @text into tokens as described above; the tokens concatenate back to @text. */
GStrv       md_diff_tokenize     (const char *text);

/* Segments of type MdDiffSegment, in order, adjacent segments of the same kind merged; within a
 * change the delete comes before the insert. Concatenating the EQUAL and DELETE segments gives
 * @old_text, the EQUAL and INSERT segments give @new_text. NULL texts count as empty. */
GPtrArray  *md_diff_texts        (const char *old_text,
                                  const char *new_text);

/* "[-old-]{+new+}" markup in the style of `git diff --word-diff`, for terminals and logs. */
char       *md_diff_format_plain (GPtrArray  *segments);

const char *md_diff_op_name      (MdDiffOp    op);

G_END_DECLS
