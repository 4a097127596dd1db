/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-syphus"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "md-error.h"
#include "md-syphus-key.h"

#define REDACTED "[redacted]"

const SecretSchema *
md_syphus_key_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.mimicdesk.MimicDesk.ApiKey", SECRET_SCHEMA_NONE,
    {
      { "backend", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

char *
md_syphus_key_lookup (const char    *backend_name,
                      gboolean       use_keyring,
                      GCancellable  *cancellable,
                      GError       **error)
{
  const char *env = g_getenv (MD_SYPHUS_KEY_ENV);
  g_autoptr(GError) local_error = NULL;
  char *secret;
  char *key;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (!use_keyring || backend_name == NULL)
    return NULL;

  secret = secret_password_lookup_sync (md_syphus_key_get_schema (), cancellable, &local_error,
                                        "backend", backend_name, NULL);
  if (local_error != NULL)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_IO,
                   "keyring: cannot read the API key of backend “%s”: %s", backend_name,
                   local_error->message);
      return NULL;
    }
  key = g_strdup (secret);
  secret_password_free (secret);
  return key;
}

gboolean
md_syphus_key_store (const char    *backend_name,
                     const char    *key,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree char *label = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (backend_name != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  label = g_strdup_printf ("MIMIC Desk API key for %s", backend_name);
  if (!secret_password_store_sync (md_syphus_key_get_schema (), SECRET_COLLECTION_DEFAULT, label,
                                   key, cancellable, &local_error, "backend", backend_name, NULL))
    {
      /* The message of a keyring error never contains the secret itself. */
      g_set_error (error, MD_ERROR, MD_ERROR_IO,
                   "keyring: cannot store the API key of backend “%s”: %s", backend_name,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Key fragments. A key may reach a text cut in two (an excerpt, a reply that splits it over
 * lines) or in another letter case, so any KEY_FRAGMENT consecutive bytes of it, in any ASCII
 * case, count as the key. A key shorter than that is only matched whole and as it is: such a
 * key is no secret (local servers take "none"), and matching less would mangle ordinary text. */
#define KEY_FRAGMENT 8

typedef struct
{
  guint64 *grams;     /* the key's fragments, packed and folded, sorted */
  guint    n_grams;
  guint    width;     /* bytes per fragment */
  gboolean fold;      /* compare in any ASCII case */
} KeyGrams;

static int
compare_gram (gconstpointer a,
              gconstpointer b)
{
  guint64 x = *(const guint64 *) a;
  guint64 y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

static void
key_grams_init (KeyGrams   *grams,
                const char *key)
{
  gsize len = key != NULL ? strlen (key) : 0;

  memset (grams, 0, sizeof *grams);
  if (len == 0)
    return;
  grams->width = MIN (len, KEY_FRAGMENT);
  grams->fold = len >= KEY_FRAGMENT;
  grams->n_grams = len - grams->width + 1;
  grams->grams = g_new (guint64, grams->n_grams);
  for (guint i = 0; i < grams->n_grams; i++)
    {
      guint64 packed = 0;

      for (guint j = 0; j < grams->width; j++)
        packed = packed << 8 | (guchar) (grams->fold ? g_ascii_tolower (key[i + j]) : key[i + j]);
      grams->grams[i] = packed;
    }
  qsort (grams->grams, grams->n_grams, sizeof (guint64), compare_gram);
}

static void
key_grams_clear (KeyGrams *grams)
{
  g_clear_pointer (&grams->grams, g_free);
}

/* Adds to @ranges (pairs of gsize: start, end) the byte ranges of @text covered by fragments of
 * the key, merged; only fragments that start before @scan_end are looked for. */
static void
find_key_ranges (const KeyGrams *grams,
                 const char     *text,
                 gsize           len,
                 gsize           scan_end,
                 GArray         *ranges)
{
  guint64 mask;
  guint64 packed = 0;
  gsize start = 0;
  gsize end = 0;
  gboolean open = FALSE;

  if (grams->n_grams == 0 || len < grams->width)
    return;
  mask = grams->width == 8 ? G_MAXUINT64 : ((guint64) 1 << (8 * grams->width)) - 1;
  for (gsize i = 0; i < len; i++)
    {
      gsize first;

      packed = (packed << 8 | (guchar) (grams->fold ? g_ascii_tolower (text[i]) : text[i])) & mask;
      if (i + 1 < grams->width)
        continue;
      first = i + 1 - grams->width;
      if (first >= scan_end)
        break;
      if (bsearch (&packed, grams->grams, grams->n_grams, sizeof (guint64), compare_gram) == NULL)
        continue;
      if (open && first <= end)
        end = i + 1;
      else
        {
          if (open)
            {
              g_array_append_val (ranges, start);
              g_array_append_val (ranges, end);
            }
          start = first;
          end = i + 1;
          open = TRUE;
        }
    }
  if (open)
    {
      g_array_append_val (ranges, start);
      g_array_append_val (ranges, end);
    }
}

/* Appends @text[0, len) to @out with the @ranges replaced. */
static void
append_redacted (GString      *out,
                 const char   *text,
                 gsize         len,
                 const GArray *ranges)
{
  gsize pos = 0;

  for (guint i = 0; i + 1 < ranges->len; i += 2)
    {
      gsize start = g_array_index (ranges, gsize, i);
      gsize end = g_array_index (ranges, gsize, i + 1);

      if (start >= len)
        break;
      g_string_append_len (out, text + pos, start - pos);
      g_string_append (out, REDACTED);
      pos = MIN (end, len);
    }
  g_string_append_len (out, text + pos, len - pos);
}

/* "Bearer xyz", in any case ("authorization: bearer xyz"), may reach us from a server that
 * echoes request headers back in an error body; the token may not be the key we know (a proxy
 * can add its own), so hide any. */
static void
redact_bearer (GString *text)
{
  static const char word[] = "bearer";
  gsize pos = 0;

  while (pos + strlen (word) < text->len)
    {
      gsize start;
      gsize end;

      if (g_ascii_strncasecmp (text->str + pos, word, strlen (word)) != 0 ||
          (pos > 0 && g_ascii_isalnum (text->str[pos - 1])))
        {
          pos++;
          continue;
        }
      start = pos + strlen (word);
      if (text->str[start] != ' ' && text->str[start] != '\t')
        {
          pos = start;
          continue;
        }
      while (text->str[start] == ' ' || text->str[start] == '\t')
        start++;
      end = start;
      while (end < text->len && !g_ascii_isspace (text->str[end]) && text->str[end] != '"' &&
             text->str[end] != '\'' && text->str[end] != ',' && text->str[end] != '\\')
        end++;
      if (end > start && strncmp (text->str + start, REDACTED, strlen (REDACTED)) != 0)
        {
          g_string_erase (text, start, end - start);
          g_string_insert (text, start, REDACTED);
        }
      pos = start + strlen (REDACTED);
    }
}

char *
md_syphus_redact (const char *text,
                  const char *key)
{
  g_autoptr(GArray) ranges = NULL;
  KeyGrams grams;
  GString *out;
  gsize len;

  if (text == NULL)
    return NULL;
  len = strlen (text);
  ranges = g_array_new (FALSE, FALSE, sizeof (gsize));
  key_grams_init (&grams, key);
  find_key_ranges (&grams, text, len, len, ranges);
  key_grams_clear (&grams);
  out = g_string_sized_new (len);
  append_redacted (out, text, len, ranges);
  redact_bearer (out);
  return g_string_free (out, FALSE);
}

/* Streamed text ------------------------------------------------------------------------- */

struct _MdSyphusRedactor
{
  KeyGrams  grams;
  GString  *pending;   /* held back: it may be the start of a key fragment */
};

MdSyphusRedactor *
md_syphus_redactor_new (const char *key)
{
  MdSyphusRedactor *redactor = g_new0 (MdSyphusRedactor, 1);

  key_grams_init (&redactor->grams, key);
  redactor->pending = g_string_new (NULL);
  return redactor;
}

void
md_syphus_redactor_free (MdSyphusRedactor *redactor)
{
  if (redactor == NULL)
    return;
  key_grams_clear (&redactor->grams);
  g_string_free (redactor->pending, TRUE);
  g_free (redactor);
}

char *
md_syphus_redactor_push (MdSyphusRedactor *redactor,
                         const char       *piece)
{
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (gsize));
  GString *pending = redactor->pending;
  gsize hold = redactor->grams.width > 0 ? redactor->grams.width - 1 : 0;
  GString *out;
  gsize cut;

  g_return_val_if_fail (redactor != NULL, NULL);

  if (piece != NULL)
    g_string_append (pending, piece);
  if (piece == NULL)
    cut = pending->len;
  else
    cut = pending->len > hold ? pending->len - hold : 0;
  /* Every fragment that starts before the cut is whole in the buffer. */
  find_key_ranges (&redactor->grams, pending->str, pending->len, cut, ranges);
  for (guint i = 0; i + 1 < ranges->len; i += 2)
    if (g_array_index (ranges, gsize, i + 1) > cut)
      {
        /* A fragment that runs past the cut may go on: hold it whole. */
        cut = g_array_index (ranges, gsize, i);
        break;
      }
  while (cut > 0 && cut < pending->len && (pending->str[cut] & 0xc0) == 0x80)
    cut--;
  out = g_string_sized_new (cut + 1);
  append_redacted (out, pending->str, cut, ranges);
  g_string_erase (pending, 0, cut);
  return g_string_free (out, FALSE);
}

char *
md_syphus_redactor_finish (MdSyphusRedactor *redactor)
{
  g_return_val_if_fail (redactor != NULL, NULL);
  return md_syphus_redactor_push (redactor, NULL);
}
