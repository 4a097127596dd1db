/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-export"

#include "config.h"

#include <string.h>

#include "md-base64.h"
#include "md-error.h"
#include "md-export-private.h"

/* Image values as exports write them: standard, padded base64 (RFC 4648 section 4), which every
 * Otter loader decodes with base64.urlsafe_b64decode (it maps "-_" to "+/" and keeps "+/"), and
 * which URL-safe or unpadded values are not ("Incorrect padding"). */

static const guint8 *
standard_table (void)
{
  static guint8 table[256];
  static gsize done;

  if (g_once_init_enter (&done))
    {
      for (int c = 'A'; c <= 'Z'; c++)
        table[c] = 1;
      for (int c = 'a'; c <= 'z'; c++)
        table[c] = 1;
      for (int c = '0'; c <= '9'; c++)
        table[c] = 1;
      table['+'] = table['/'] = 1;
      g_once_init_leave (&done, 1);
    }
  return table;
}

gboolean
_md_export_base64_is_standard (const char *text,
                               gsize       len)
{
  const guint8 *table = standard_table ();
  const guint8 *p = (const guint8 *) text;
  gsize body = len;

  if (len == 0 || len % 4 != 0)
    return FALSE;
  if (p[len - 1] == '=')
    body = p[len - 2] == '=' ? len - 2 : len - 1;
  for (gsize i = 0; i < body; i++)
    if (!table[p[i]])
      return FALSE;
  return TRUE;
}

const char *
_md_export_image_value (const char  *raw,
                        gsize        len,
                        gsize       *out_len,
                        char       **out_owned,
                        GError     **error)
{
  g_autoptr(GBytes) decoded = NULL;
  g_autofree guchar *again = NULL;
  g_autofree char *encoded = NULL;
  const guint8 *bytes;
  gsize n, n_again, bad = 0;

  *out_owned = NULL;
  *out_len = len;
  if (_md_export_base64_is_standard (raw, len))
    return raw;

  /* Another alphabet, no padding, white space or JSON escapes: decode, encode again, and prove
   * that the new text decodes to the very same bytes. */
  decoded = md_base64_decode (raw, len, &bad);
  if (decoded == NULL)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE, "byte %" G_GSIZE_FORMAT " of the value is "
                   "not base64", bad);
      return NULL;
    }
  bytes = g_bytes_get_data (decoded, &n);
  encoded = g_base64_encode (bytes, n);
  again = g_base64_decode (encoded, &n_again);
  if (n_again != n || (n > 0 && memcmp (again, bytes, n) != 0))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE, "the value does not encode back to the same "
                   "%" G_GSIZE_FORMAT " bytes", n);
      return NULL;
    }
  *out_len = strlen (encoded);
  *out_owned = g_steal_pointer (&encoded);
  return *out_owned;
}
