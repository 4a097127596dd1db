/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include "md-language.h"

static const struct {
  const char *code;
  const char *native_name;
} languages[MD_N_LANGUAGES] = {
  [MD_LANGUAGE_EN] = { "en", "English" },
  [MD_LANGUAGE_ZH] = { "zh", "中文" },
  [MD_LANGUAGE_ES] = { "es", "Español" },
  [MD_LANGUAGE_JA] = { "ja", "日本語" },
  [MD_LANGUAGE_DE] = { "de", "Deutsch" },
  [MD_LANGUAGE_FR] = { "fr", "Français" },
  [MD_LANGUAGE_KO] = { "ko", "한국어" },
  [MD_LANGUAGE_AR] = { "ar", "العربية" },
};

static const char * const field_names[MD_N_FIELDS] = {
  [MD_FIELD_INSTRUCTION] = "instruction",
  [MD_FIELD_ANSWER] = "answer",
};

const char *
md_language_code (MdLanguage language)
{
  g_return_val_if_fail (language < MD_N_LANGUAGES, NULL);
  return languages[language].code;
}

const char *
md_language_native_name (MdLanguage language)
{
  g_return_val_if_fail (language < MD_N_LANGUAGES, NULL);
  return languages[language].native_name;
}

gboolean
md_language_is_rtl (MdLanguage language)
{
  return language == MD_LANGUAGE_AR;
}

gboolean
md_language_from_code (const char *code,
                       MdLanguage *out_language)
{
  g_return_val_if_fail (code != NULL, FALSE);

  for (guint i = 0; i < MD_N_LANGUAGES; i++)
    {
      if (g_ascii_strcasecmp (code, languages[i].code) == 0)
        {
          if (out_language != NULL)
            *out_language = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
md_field_name (MdField field)
{
  g_return_val_if_fail (field < MD_N_FIELDS, NULL);
  return field_names[field];
}

gboolean
md_field_from_name (const char *name,
                    MdField    *out_field)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < MD_N_FIELDS; i++)
    {
      if (strcmp (name, field_names[i]) == 0)
        {
          if (out_field != NULL)
            *out_field = i;
          return TRUE;
        }
    }
  return FALSE;
}
