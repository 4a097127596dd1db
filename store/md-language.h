/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The eight languages of MIMIC-IT, English (the source) first, in the order of the paper. */
typedef enum
{
  MD_LANGUAGE_EN,
  MD_LANGUAGE_ZH,
  MD_LANGUAGE_ES,
  MD_LANGUAGE_JA,
  MD_LANGUAGE_DE,
  MD_LANGUAGE_FR,
  MD_LANGUAGE_KO,
  MD_LANGUAGE_AR,
  MD_N_LANGUAGES
} MdLanguage;

typedef enum
{
  MD_FIELD_INSTRUCTION,
  MD_FIELD_ANSWER,
  MD_N_FIELDS
} MdField;

const char *md_language_code        (MdLanguage   language);
const char *md_language_native_name (MdLanguage   language);
gboolean    md_language_is_rtl      (MdLanguage   language);
gboolean    md_language_from_code   (const char  *code,
                                     MdLanguage  *out_language);
const char *md_field_name           (MdField      field);
gboolean    md_field_from_name      (const char  *name,
                                     MdField     *out_field);

G_END_DECLS
