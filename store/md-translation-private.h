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

G_END_DECLS
