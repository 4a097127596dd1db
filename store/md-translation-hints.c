/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "md-translation-hints.h"
#include "md-translation-private.h"

/* Characters (white space excluded) of a translation per character of English, measured on
 * parallel instruction data: CJK scripts pack a word into one or two characters, Romance and
 * German text runs about 15 % longer than English. */
static const double expected_ratio[MD_N_LANGUAGES] = {
  [MD_LANGUAGE_EN] = 1.0,
  [MD_LANGUAGE_ZH] = 0.30,
  [MD_LANGUAGE_ES] = 1.15,
  [MD_LANGUAGE_JA] = 0.45,
  [MD_LANGUAGE_DE] = 1.15,
  [MD_LANGUAGE_FR] = 1.15,
  [MD_LANGUAGE_KO] = 0.45,
  [MD_LANGUAGE_AR] = 0.90,
};

static const char * const kind_names[] = {
  [MD_TRANSLATION_HINT_MISSING] = "missing",
  [MD_TRANSLATION_HINT_EMPTY] = "empty",
  [MD_TRANSLATION_HINT_TOO_SHORT] = "too-short",
  [MD_TRANSLATION_HINT_TOO_LONG] = "too-long",
  [MD_TRANSLATION_HINT_NUMBERS] = "numbers",
  [MD_TRANSLATION_HINT_SCRIPT] = "script",
  [MD_TRANSLATION_HINT_UNTRANSLATED] = "untranslated",
  [MD_TRANSLATION_HINT_TRUNCATED] = "truncated",
};

void
md_translation_hint_free (MdTranslationHint *hint)
{
  if (hint == NULL)
    return;
  g_free (hint->message);
  g_free (hint);
}

double
md_translation_expected_ratio (MdLanguage language)
{
  g_return_val_if_fail (language < MD_N_LANGUAGES, 1.0);
  return expected_ratio[language];
}

const char *
md_translation_hint_kind_name (MdTranslationHintKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  const char *sa = *(const char * const *) a;
  const char *sb = *(const char * const *) b;
  gsize la = strlen (sa);
  gsize lb = strlen (sb);

  /* Numeric order reads better in messages than byte order. */
  if (la != lb)
    return la < lb ? -1 : 1;
  return strcmp (sa, sb);
}

static void
push_number (GPtrArray *numbers,
             GString   *digits)
{
  const char *start = digits->str;

  while (start[0] == '0' && start[1] != '\0')
    start++;
  g_ptr_array_add (numbers, g_strdup (start));
  g_string_truncate (digits, 0);
}

GPtrArray *
md_translation_numbers (const char *text)
{
  g_autoptr(GPtrArray) numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) digits = g_string_new (NULL);

  if (text == NULL)
    return g_steal_pointer (&numbers);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      int value = (c == (gunichar) -1 || c == (gunichar) -2) ? -1 : g_unichar_digit_value (c);

      if (value >= 0)
        g_string_append_c (digits, (char) ('0' + value));
      else if (digits->len > 0)
        push_number (numbers, digits);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
    }
  if (digits->len > 0)
    push_number (numbers, digits);

  g_ptr_array_sort (numbers, compare_strings);
  return g_steal_pointer (&numbers);
}

static gboolean
same_numbers (GPtrArray *a,
              GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (strcmp (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      return FALSE;
  return TRUE;
}

static char *
join_numbers (GPtrArray *numbers)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; i < numbers->len; i++)
    {
      if (i > 0)
        g_string_append (joined, ", ");
      g_string_append (joined, g_ptr_array_index (numbers, i));
    }
  if (numbers->len == 0)
    g_string_append (joined, C_("numbers", "none"));
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

typedef struct
{
  guint letters;
  guint latin;
  guint han;
  guint kana;
  guint hangul;
  guint arabic;
  guint length;    /* characters that are not white space */
} Counts;

static void
count_text (const char *text,
            Counts     *counts)
{
  memset (counts, 0, sizeof *counts);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      if (g_unichar_isspace (c))
        continue;
      counts->length++;
      if (!g_unichar_isalpha (c))
        continue;
      counts->letters++;
      switch ((int) g_unichar_get_script (c))
        {
        case G_UNICODE_SCRIPT_LATIN:
          counts->latin++;
          break;
        case G_UNICODE_SCRIPT_HAN:
          counts->han++;
          break;
        case G_UNICODE_SCRIPT_HIRAGANA:
        case G_UNICODE_SCRIPT_KATAKANA:
          counts->kana++;
          break;
        case G_UNICODE_SCRIPT_HANGUL:
          counts->hangul++;
          break;
        case G_UNICODE_SCRIPT_ARABIC:
          counts->arabic++;
          break;
        default:
          break;
        }
    }
}

/* The script a language is written in, for messages. */
static const char *
expected_script (MdLanguage language)
{
  switch (language)
    {
    case MD_LANGUAGE_ZH:
      return _("Chinese characters");
    case MD_LANGUAGE_JA:
      return _("kana or kanji");
    case MD_LANGUAGE_KO:
      return _("Hangul");
    case MD_LANGUAGE_AR:
      return _("Arabic letters");
    case MD_LANGUAGE_EN:
    case MD_LANGUAGE_ES:
    case MD_LANGUAGE_DE:
    case MD_LANGUAGE_FR:
    case MD_N_LANGUAGES:
    default:
      return _("Latin letters");
    }
}

static gboolean
script_matches (MdLanguage    language,
                const Counts *counts)
{
  if (counts->letters == 0)
    return TRUE;

  switch (language)
    {
    case MD_LANGUAGE_ZH:
      return counts->han > 0;
    case MD_LANGUAGE_JA:
      return counts->kana > 0 || counts->han > 0;
    case MD_LANGUAGE_KO:
      return counts->hangul > 0;
    case MD_LANGUAGE_AR:
      return counts->arabic > 0;
    case MD_LANGUAGE_EN:
    case MD_LANGUAGE_ES:
    case MD_LANGUAGE_DE:
    case MD_LANGUAGE_FR:
    case MD_N_LANGUAGES:
    default:
      return counts->latin * 2 >= counts->letters;
    }
}

static void
add_hint (GPtrArray             *hints,
          MdLanguage             language,
          MdField                field,
          MdTranslationHintKind  kind,
          char                  *message)
{
  MdTranslationHint *hint = g_new0 (MdTranslationHint, 1);

  hint->language = language;
  hint->field = field;
  hint->kind = kind;
  hint->message = message;
  g_ptr_array_add (hints, hint);
}

static const char *
field_text (const MdTranslationTexts *texts,
            MdField                   field)
{
  return field == MD_FIELD_INSTRUCTION ? texts->instruction : texts->answer;
}

static void
check_field (GPtrArray  *hints,
             MdLanguage  language,
             MdField     field,
             const char *english,
             const char *text)
{
  const char *field_label = field == MD_FIELD_INSTRUCTION ? _("Instruction") : _("Answer");
  Counts counts;
  Counts english_counts;

  if (text == NULL)
    {
      if (english != NULL)
        add_hint (hints, language, field, MD_TRANSLATION_HINT_MISSING,
                  g_strdup_printf (_("%s is missing"), field_label));
      return;
    }

  count_text (text, &counts);
  if (counts.length == 0)
    {
      add_hint (hints, language, field, MD_TRANSLATION_HINT_EMPTY,
                g_strdup_printf (_("%s is empty"), field_label));
      return;
    }

  if (!script_matches (language, &counts))
    add_hint (hints, language, field, MD_TRANSLATION_HINT_SCRIPT,
              g_strdup_printf (_("%s has no %s: wrong script?"), field_label,
                               expected_script (language)));

  if (english == NULL)
    return;

  if (_md_translation_looks_truncated (english, text))
    add_hint (hints, language, field, MD_TRANSLATION_HINT_TRUNCATED,
              g_strdup_printf (_("%s stops before the end of a sentence: cut off?"), field_label));

  count_text (english, &english_counts);
  if (english_counts.length >= MD_TRANSLATION_MIN_LENGTH)
    {
      double ratio = (double) counts.length / english_counts.length;
      double normalised = ratio / expected_ratio[language];

      if (strcmp (text, english) == 0)
        add_hint (hints, language, field, MD_TRANSLATION_HINT_UNTRANSLATED,
                  g_strdup_printf (_("%s is the English text, not a translation"), field_label));
      else if (normalised < 1.0 / MD_TRANSLATION_LENGTH_TOLERANCE)
        add_hint (hints, language, field, MD_TRANSLATION_HINT_TOO_SHORT,
                  g_strdup_printf (_("%s is much shorter than the English (%u vs %u characters)"),
                                   field_label, counts.length, english_counts.length));
      else if (normalised > MD_TRANSLATION_LENGTH_TOLERANCE)
        add_hint (hints, language, field, MD_TRANSLATION_HINT_TOO_LONG,
                  g_strdup_printf (_("%s is much longer than the English (%u vs %u characters)"),
                                   field_label, counts.length, english_counts.length));
    }

  {
    g_autoptr(GPtrArray) numbers = md_translation_numbers (text);
    g_autoptr(GPtrArray) english_numbers = md_translation_numbers (english);

    if (!same_numbers (numbers, english_numbers))
      {
        g_autofree char *found = join_numbers (numbers);
        g_autofree char *expected = join_numbers (english_numbers);

        add_hint (hints, language, field, MD_TRANSLATION_HINT_NUMBERS,
                  g_strdup_printf (_("%s has numbers %s where the English has %s"),
                                   field_label, found, expected));
      }
  }
}

GPtrArray *
md_translation_hints_compute (const MdTranslationTexts *texts)
{
  g_autoptr(GPtrArray) hints = g_ptr_array_new_with_free_func ((GDestroyNotify) md_translation_hint_free);

  g_return_val_if_fail (texts != NULL, NULL);

  for (MdLanguage language = MD_LANGUAGE_ZH; language < MD_N_LANGUAGES; language++)
    for (MdField field = 0; field < MD_N_FIELDS; field++)
      check_field (hints, language, field,
                   field_text (&texts[MD_LANGUAGE_EN], field),
                   field_text (&texts[language], field));

  return g_steal_pointer (&hints);
}
