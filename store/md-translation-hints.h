/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "md-language.h"

G_BEGIN_DECLS

/*
 * Translation hints: cheap checks that point a reviewer at translations worth a closer look.
 * GTK-free so that the language grid, the CLI and the export share one set of rules.
 *
 * For each of the seven translated languages and each field (instruction, answer):
 *  - MISSING      the field is NULL while the English one is present;
 *  - EMPTY        the field holds only white space;
 *  - TOO_SHORT /
 *    TOO_LONG     its length in characters (white space excluded), divided by the English
 *               length and by the language's expected ratio (md_translation_expected_ratio()),
 *               is below 1 / MD_TRANSLATION_LENGTH_TOLERANCE or above
 *               MD_TRANSLATION_LENGTH_TOLERANCE. Only checked when the English text has at
 *               least MD_TRANSLATION_MIN_LENGTH characters: short strings vary too much;
 *  - NUMBERS      the multiset of digit sequences differs from the English one. Every Unicode
 *               decimal digit counts (fullwidth, Arabic-Indic, ...) and is read as its value,
 *               and leading zeros are ignored, so "٢٠٢٣" and "２０２３" match "2023";
 *  - SCRIPT       the text has letters but not those of its language: "zh" without Han, "ja"
 *               without kana or kanji, "ko" without Hangul, "ar" without Arabic letters, and
 *               "es"/"de"/"fr" where fewer than half of the letters are Latin;
 *  - UNTRANSLATED the text is the English text itself (at least MD_TRANSLATION_MIN_LENGTH
 *               characters long);
 *  - TRUNCATED    the English ends a sentence (".", "!" or "?") and the translation ends without
 *               any language's sentence end, closing quote or bracket: a reply cut off mid-way,
 *               which the length check misses when only the last words are gone. The import
 *               applies the same rule (problem kind truncated_translation).
 * English itself is never hinted; when the English field is missing only MISSING/EMPTY/SCRIPT
 * apply.
 */

#define MD_TRANSLATION_LENGTH_TOLERANCE 2.5
#define MD_TRANSLATION_MIN_LENGTH       20

typedef enum
{
  MD_TRANSLATION_HINT_MISSING,
  MD_TRANSLATION_HINT_EMPTY,
  MD_TRANSLATION_HINT_TOO_SHORT,
  MD_TRANSLATION_HINT_TOO_LONG,
  MD_TRANSLATION_HINT_NUMBERS,
  MD_TRANSLATION_HINT_SCRIPT,
  MD_TRANSLATION_HINT_UNTRANSLATED,
  MD_TRANSLATION_HINT_TRUNCATED,
} MdTranslationHintKind;

/* The texts of one pair in one language; NULL means the language has no such field. */
typedef struct
{
  const char *instruction;
  const char *answer;
} MdTranslationTexts;

typedef struct
{
  MdLanguage             language;
  MdField                field;
  MdTranslationHintKind  kind;
  char                  *message;   /* translated, one sentence, for the user */
} MdTranslationHint;

void        md_translation_hint_free      (MdTranslationHint        *hint);

/* Expected length of a text in this language relative to the same text in English, in
 * characters without white space (1.0 for English; about 0.3 for Chinese). */
double      md_translation_expected_ratio (MdLanguage                language);

/* Hints for one pair, ordered by language then field then kind. texts holds MD_N_LANGUAGES
 * entries indexed by MdLanguage. Returns a GPtrArray of MdTranslationHint (never NULL). */
GPtrArray  *md_translation_hints_compute  (const MdTranslationTexts *texts);

/* Machine name of a kind: "missing", "empty", "too-short", "too-long", "numbers", "script",
 * "untranslated". */
const char *md_translation_hint_kind_name (MdTranslationHintKind    kind);

/* Digit sequences of text, each normalised to ASCII digits without leading zeros, sorted.
 * Exposed for tests and for the export's checks. */
GPtrArray  *md_translation_numbers        (const char               *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdTranslationHint, md_translation_hint_free)

G_END_DECLS
