/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "md-language.h"

static void
test_language_codes (void)
{
  static const char *expected[] = { "en", "zh", "es", "ja", "de", "fr", "ko", "ar" };
  MdLanguage language;

  for (guint i = 0; i < MD_N_LANGUAGES; i++)
    {
      g_assert_cmpstr (md_language_code (i), ==, expected[i]);
      g_assert_true (md_language_from_code (expected[i], &language));
      g_assert_cmpint (language, ==, i);
    }
  g_assert_true (md_language_from_code ("AR", &language));
  g_assert_cmpint (language, ==, MD_LANGUAGE_AR);
  g_assert_false (md_language_from_code ("xx", &language));
  g_assert_true (md_language_is_rtl (MD_LANGUAGE_AR));
  g_assert_false (md_language_is_rtl (MD_LANGUAGE_ZH));
}

static void
test_field_names (void)
{
  MdField field;

  g_assert_true (md_field_from_name ("answer", &field));
  g_assert_cmpint (field, ==, MD_FIELD_ANSWER);
  g_assert_cmpstr (md_field_name (MD_FIELD_INSTRUCTION), ==, "instruction");
  g_assert_false (md_field_from_name ("Answer", &field));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/language/codes", test_language_codes);
  g_test_add_func ("/store/language/fields", test_field_names);

  return g_test_run ();
}
