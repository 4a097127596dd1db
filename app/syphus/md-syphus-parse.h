/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Reading model replies: Question/Answer text for regeneration, JSON for translation. Replies
 * are what they are; repairs are limited to the ones that cannot change meaning, and every
 * problem is reported rather than dropped. */

#include <glib.h>

#include "md-language.h"

G_BEGIN_DECLS

typedef struct
{
  char *question;
  char *answer;
} MdSyphusQa;

typedef struct
{
  GPtrArray *pairs;     /* of MdSyphusQa, in reply order */
  GPtrArray *problems;  /* of char *: orphan questions or answers, empty fields (line numbers) */
} MdSyphusQaReply;

void             md_syphus_qa_reply_free      (MdSyphusQaReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSyphusQaReply, md_syphus_qa_reply_free)

/* Splits a reply into pairs. Headers are `Question:` / `Answer:` in any case, optionally
 * numbered (`1.`, `Question 2:`) or bold (`**Question:**`); other lines continue the field above.
 * Fails with MD_ERROR_PARSE only when the reply holds no header at all. */
MdSyphusQaReply *md_syphus_parse_qa           (const char       *reply,
                                               GError          **error);
/* {"pairs": [{"question", "answer"}], "problems": [...]} */
char            *md_syphus_qa_reply_to_json   (const MdSyphusQaReply *reply);
/* How many pairs a parsed result (md_syphus_qa_reply_to_json()) holds; 0 for NULL or other JSON. */
guint            md_syphus_qa_count_pairs     (const char            *parsed);

typedef struct
{
  /* text[field][language]; English (the source) is never set. NULL when missing. */
  char      *text[MD_N_FIELDS][MD_N_LANGUAGES];
  GPtrArray *problems;   /* of char *, e.g. "b.ko: missing", "a.zh: empty" */
  gboolean   repaired;   /* code fences or trailing commas were removed */
} MdSyphusTranslation;

void                 md_syphus_translation_free    (MdSyphusTranslation *translation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSyphusTranslation, md_syphus_translation_free)

/* Fails with MD_ERROR_PARSE when the reply is not a JSON object even after safe repairs. */
MdSyphusTranslation *md_syphus_parse_translation   (const char  *reply,
                                                    GError     **error);
/* {"a": {...}, "b": {...}, "problems": [...]} */
char                *md_syphus_translation_to_json (const MdSyphusTranslation *translation);

G_END_DECLS
