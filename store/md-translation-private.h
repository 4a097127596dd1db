/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "md-language.h"

G_BEGIN_DECLS

/* One Syphus translation reply: texts[field][language], NULL where the reply has none. English
 * (the source) is never part of a reply. */
typedef struct
{
  char     *texts[MD_N_FIELDS][MD_N_LANGUAGES];
  gboolean  repaired;     /* code fences, surrounding prose or trailing commas were removed */
  char     *bad_values;   /* languages whose value was not a string, for the problem detail */
} MdTranslationReply;

/* Parses the raw reply text, repairing what is safe: code fences and prose around the JSON
 * object, trailing commas. Fails (MD_ERROR_PARSE, message with the byte offset) otherwise. */
MdTranslationReply *_md_translation_reply_parse (const char          *text,
                                                 GError             **error);
void                _md_translation_reply_free  (MdTranslationReply  *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdTranslationReply, _md_translation_reply_free)

/* Cheap checks of a translated text against its English source, for the problem list. */
/* Numbers written with digits (any script's) differ from the English ones; NULL when they agree
 * or the translation writes none (numbers spelled out in words are not compared). Otherwise a
 * newly allocated description such as "12, 5 instead of 12, 4". */
char     *_md_translation_check_numbers   (const char *english,
                                           const char *translation);
/* The English ends a sentence and the translation stops short of one. */
gboolean  _md_translation_looks_truncated (const char *english,
                                           const char *translation);

G_END_DECLS
