/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include "md-base64.h"

static gint8
value_of (guchar c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+' || c == '-')
    return 62;
  if (c == '/' || c == '_')
    return 63;
  return -1;
}

GBytes *
md_base64_decode (const char *text,
                  gsize       len,
                  gsize      *out_bad_offset)
{
  g_autofree guint8 *out = g_malloc (len / 4 * 3 + 3);
  gsize n_out = 0;
  guint32 acc = 0;
  guint n_acc = 0;
  gboolean padding = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      guchar c = text[i];
      gint8 v;

      if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
        continue;
      if (c == '\\' && i + 1 < len)
        {
          /* JSON escapes that can appear in base64 text: "\/" and line breaks. */
          char e = text[i + 1];

          if (e == 'n' || e == 'r' || e == 't')
            {
              i++;
              continue;
            }
          if (e == '/')
            {
              i++;
              c = '/';
            }
        }
      if (c == '=')
        {
          padding = TRUE;
          continue;
        }
      v = value_of (c);
      if (v < 0 || padding)
        {
          if (out_bad_offset != NULL)
            *out_bad_offset = i;
          return NULL;
        }
      acc = (acc << 6) | (guint32) v;
      n_acc++;
      if (n_acc == 4)
        {
          out[n_out++] = acc >> 16;
          out[n_out++] = (acc >> 8) & 0xff;
          out[n_out++] = acc & 0xff;
          acc = 0;
          n_acc = 0;
        }
    }

  /* Missing padding: 2 or 3 trailing symbols still carry 1 or 2 bytes. */
  if (n_acc == 2)
    out[n_out++] = (acc >> 4) & 0xff;
  else if (n_acc == 3)
    {
      out[n_out++] = (acc >> 10) & 0xff;
      out[n_out++] = (acc >> 2) & 0xff;
    }
  else if (n_acc == 1)
    {
      if (out_bad_offset != NULL)
        *out_bad_offset = len;
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&out), n_out);
}

const char *
md_image_sniff (const guint8 *data,
                gsize         len)
{
  if (len >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return "image/jpeg";
  return NULL;
}

gboolean
md_image_get_size (const guint8 *data,
                   gsize         len,
                   guint64      *out_width,
                   guint64      *out_height)
{
  const char *mime = md_image_sniff (data, len);

  g_return_val_if_fail (out_width != NULL && out_height != NULL, FALSE);

  *out_width = *out_height = 0;
  if (g_strcmp0 (mime, "image/png") == 0)
    {
      /* The signature, then IHDR must come first: length (4), "IHDR", width (4), height (4). */
      if (len < 24 || memcmp (data + 12, "IHDR", 4) != 0)
        return FALSE;
      *out_width = (guint64) data[16] << 24 | data[17] << 16 | data[18] << 8 | data[19];
      *out_height = (guint64) data[20] << 24 | data[21] << 16 | data[22] << 8 | data[23];
      return TRUE;
    }
  if (g_strcmp0 (mime, "image/jpeg") == 0)
    {
      gsize pos = 2;

      /* Walk the marker segments up to the first start-of-frame. */
      while (pos + 4 <= len)
        {
          guint8 marker;
          gsize seg_len;

          if (data[pos] != 0xff)
            return FALSE;
          marker = data[pos + 1];
          if (marker == 0xff)
            {
              pos++;    /* fill byte */
              continue;
            }
          if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
            {
              pos += 2;   /* markers without a length */
              continue;
            }
          if (marker == 0xd9 || marker == 0xda)
            return FALSE;   /* end of image or scan data before any frame header */
          seg_len = (gsize) data[pos + 2] << 8 | data[pos + 3];
          if (seg_len < 2)
            return FALSE;
          if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 &&
              marker != 0xcc)
            {
              if (seg_len < 7 || pos + 9 > len)
                return FALSE;
              *out_height = (guint64) data[pos + 5] << 8 | data[pos + 6];
              *out_width = (guint64) data[pos + 7] << 8 | data[pos + 8];
              return TRUE;
            }
          pos += 2 + seg_len;
        }
      return FALSE;
    }
  return FALSE;
}

gboolean
md_base64_looks_like_image (const char *text,
                            gsize       len)
{
  guint8 head[8];
  guint n = 0;
  guint32 acc = 0;
  guint n_acc = 0;

  for (gsize i = 0; i < len && n < 6; i++)
    {
      gint8 v = value_of ((guchar) text[i]);

      if (text[i] == '\\' && i + 1 < len && text[i + 1] == '/')
        continue;
      if (v < 0)
        return FALSE;
      acc = (acc << 6) | (guint32) v;
      if (++n_acc == 4)
        {
          head[n++] = acc >> 16;
          head[n++] = (acc >> 8) & 0xff;
          head[n++] = acc & 0xff;
          acc = 0;
          n_acc = 0;
        }
    }
  if (n >= 6 && memcmp (head, "\x89PNG\r\n", 6) == 0)
    return TRUE;
  return n >= 3 && head[0] == 0xff && head[1] == 0xd8 && head[2] == 0xff;
}

static guint8 valid_table[256];

static void
init_valid_table (void)
{
  const char *symbols = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=";

  for (const char *c = symbols; *c != '\0'; c++)
    valid_table[(guchar) *c] = 1;
}

gboolean
md_base64_is_valid (const char *text,
                    gsize       len,
                    gsize      *out_bad_offset)
{
  static gsize initialized = 0;
  const guchar *p = (const guchar *) text;
  gsize i = 0;

  if (g_once_init_enter (&initialized))
    {
      init_valid_table ();
      g_once_init_leave (&initialized, 1);
    }

  for (;;)
    {
      /* Eight at a time; the slow path only on a byte that is not a symbol. */
      while (i + 8 <= len &&
             (valid_table[p[i]] & valid_table[p[i + 1]] & valid_table[p[i + 2]] &
              valid_table[p[i + 3]] & valid_table[p[i + 4]] & valid_table[p[i + 5]] &
              valid_table[p[i + 6]] & valid_table[p[i + 7]]))
        i += 8;
      while (i < len && valid_table[p[i]])
        i++;
      if (i >= len)
        return TRUE;
      if (p[i] == '\\' && i + 1 < len && p[i + 1] == '/')
        {
          i += 2;
          continue;
        }
      if (out_bad_offset != NULL)
        *out_bad_offset = i;
      return FALSE;
    }
}
