/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include <cJSON.h>

#include "md-error.h"
#include "md-translation-private.h"

/* Removes commas that are followed (after white space) by '}' or ']', outside strings. */
static char *
drop_trailing_commas (const char *text,
                      gsize       len,
                      gboolean   *changed)
{
  GString *out = g_string_sized_new (len);
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      if (in_string)
        {
          g_string_append_c (out, c);
          if (c == '\\' && i + 1 < len)
            g_string_append_c (out, text[++i]);
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == ',')
        {
          gsize j = i + 1;

          while (j < len && g_ascii_isspace (text[j]))
            j++;
          if (j < len && (text[j] == '}' || text[j] == ']'))
            {
              *changed = TRUE;
              continue;
            }
        }
      g_string_append_c (out, c);
    }
  return g_string_free (out, FALSE);
}

MdTranslationReply *
_md_translation_reply_parse (const char  *text,
                             GError     **error)
{
  g_autoptr(MdTranslationReply) reply = g_new0 (MdTranslationReply, 1);
  g_autofree char *repaired = NULL;
  g_autoptr(GString) bad = g_string_new (NULL);
  const char *open;
  const char *close;
  const char *parse_end = NULL;
  cJSON *root;
  static const char * const fields[MD_N_FIELDS] = { "a", "b" };
  g_autofree char *valid = NULL;

  /* Replies are model output: invalid UTF-8 becomes U+FFFD (a repair, reported as such) rather
   * than text the index and the GUI would have to distrust. */
  if (!g_utf8_validate (text, -1, NULL))
    {
      valid = g_utf8_make_valid (text, -1);
      text = valid;
      reply->repaired = TRUE;
    }

  /* Code fences and prose around the object: keep from the first '{' to the last '}'. */
  open = strchr (text, '{');
  close = strrchr (text, '}');
  if (open == NULL || close == NULL || close < open)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "no JSON object in the reply, expected {\"a\": {...}, \"b\": {...}}");
      return NULL;
    }
  if (open != text || close[1] != '\0')
    {
      const char *rest = close + 1;

      while (*rest != '\0' && g_ascii_isspace (*rest))
        rest++;
      if (open != text || *rest != '\0')
        reply->repaired = TRUE;
    }
  repaired = drop_trailing_commas (open, close - open + 1, &reply->repaired);

  root = cJSON_ParseWithOpts (repaired, &parse_end, FALSE);
  if (root == NULL || !cJSON_IsObject (root))
    {
      gsize offset = (parse_end != NULL ? (gsize) (parse_end - repaired) : 0) + (open - text);

      cJSON_Delete (root);
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "the reply is not valid JSON near byte %" G_GSIZE_FORMAT
                   ", expected {\"a\": {...}, \"b\": {...}}", offset);
      return NULL;
    }

  for (guint f = 0; f < MD_N_FIELDS; f++)
    {
      cJSON *group = cJSON_GetObjectItemCaseSensitive (root, fields[f]);
      cJSON *item;

      if (!cJSON_IsObject (group))
        continue;
      cJSON_ArrayForEach (item, group)
        {
          MdLanguage language;

          if (item->string == NULL || !md_language_from_code (item->string, &language) ||
              language == MD_LANGUAGE_EN)
            continue;
          if (cJSON_IsString (item) && item->valuestring != NULL)
            {
              g_free (reply->texts[f][language]);
              reply->texts[f][language] = g_strdup (item->valuestring);
            }
          else
            g_string_append_printf (bad, "%s%s.%s", bad->len ? ", " : "", fields[f],
                                    md_language_code (language));
        }
    }
  cJSON_Delete (root);
  if (bad->len > 0)
    reply->bad_values = g_string_free (g_steal_pointer (&bad), FALSE);
  return g_steal_pointer (&reply);
}

void
_md_translation_reply_free (MdTranslationReply *reply)
{
  if (reply == NULL)
    return;
  for (guint f = 0; f < MD_N_FIELDS; f++)
    for (guint l = 0; l < MD_N_LANGUAGES; l++)
      g_free (reply->texts[f][l]);
  g_free (reply->bad_values);
  g_free (reply);
}

static GPtrArray *
numbers_of (const char *text)
{
  GPtrArray *numbers = g_ptr_array_new_with_free_func (g_free);
  GString *current = g_string_new (NULL);

  for (const char *p = text; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int digit = c != 0 ? g_unichar_digit_value (c) : -1;

      if (digit >= 0)
        g_string_append_c (current, '0' + digit);
      else if (current->len > 0)
        {
          g_ptr_array_add (numbers, g_strdup (current->str));
          g_string_truncate (current, 0);
        }
      if (c == 0)
        break;
    }
  g_string_free (current, TRUE);
  g_ptr_array_sort (numbers, (GCompareFunc) g_ascii_strcasecmp);
  return numbers;
}

static char *
join_numbers (GPtrArray *numbers)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < numbers->len; i++)
    g_string_append_printf (out, "%s%s", i ? ", " : "", (char *) g_ptr_array_index (numbers, i));
  return g_string_free (out, FALSE);
}

static int
compare_number_strings (gconstpointer a,
                        gconstpointer b)
{
  return strcmp (*(char **) a, *(char **) b);
}

char *
_md_translation_check_numbers (const char *english,
                               const char *translation)
{
  g_autoptr(GPtrArray) en = NULL;
  g_autoptr(GPtrArray) tr = NULL;
  gboolean same;

  if (english == NULL || translation == NULL)
    return NULL;
  en = numbers_of (english);
  tr = numbers_of (translation);
  if (tr->len == 0)
    return NULL;
  g_ptr_array_sort (en, compare_number_strings);
  g_ptr_array_sort (tr, compare_number_strings);
  same = en->len == tr->len;
  for (guint i = 0; same && i < en->len; i++)
    same = strcmp (g_ptr_array_index (en, i), g_ptr_array_index (tr, i)) == 0;
  if (same)
    return NULL;
  {
    g_autofree char *a = join_numbers (tr);
    g_autofree char *b = join_numbers (en);

    return g_strdup_printf ("%s instead of %s", a, b[0] ? b : "none");
  }
}

static gunichar
last_char (const char *text)
{
  const char *end = text + strlen (text);

  while (end > text)
    {
      const char *prev = g_utf8_find_prev_char (text, end);
      gunichar c = g_utf8_get_char (prev);

      if (!g_unichar_isspace (c))
        return c;
      end = prev;
    }
  return 0;
}

gboolean
_md_translation_looks_truncated (const char *english,
                                 const char *translation)
{
  gunichar e, t;

  if (english == NULL || translation == NULL || *translation == '\0')
    return FALSE;
  e = last_char (english);
  t = last_char (translation);
  if (e != '.' && e != '!' && e != '?')
    return FALSE;
  /* Sentence ends of the eight languages, and closing quotes or brackets after one. */
  return g_utf8_strchr (".!?。！？؟۔…\"”’)）」』»", -1, t) == NULL;
}
