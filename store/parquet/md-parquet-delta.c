/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include "md-error.h"
#include "md-parquet-delta-private.h"
#include "md-parquet-private.h"

/* The DELTA encodings of the Parquet format (Encodings.md): DELTA_BINARY_PACKED for the lengths,
 * and the two byte-array encodings built on it, as DuckDB and Spark write V2 pages. */

#define MAX_BLOCK_VALUES (1u << 16)

void
_md_parquet_delta_clear (MdParquetDeltaValues *v)
{
  g_clear_pointer (&v->off, g_free);
  g_clear_pointer (&v->len, g_free);
  g_clear_pointer (&v->buf, g_free);
  v->n = 0;
  v->base = NULL;
}

static gboolean
read_uleb (const guint8 **p,
           const guint8  *end,
           guint64       *out)
{
  guint64 value = 0;

  for (guint shift = 0; shift < 64; shift += 7)
    {
      guint8 b;

      if (*p >= end)
        return FALSE;
      b = *(*p)++;
      value |= (guint64) (b & 0x7f) << shift;
      if ((b & 0x80) == 0)
        {
          *out = value;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
read_zigzag (const guint8 **p,
             const guint8  *end,
             gint64        *out)
{
  guint64 u;

  if (!read_uleb (p, end, &u))
    return FALSE;
  *out = (gint64) (u >> 1) ^ -(gint64) (u & 1);
  return TRUE;
}

/* @n_wanted values (the page's non-null count, or fewer when the header says so) into @out. */
static gboolean
decode_binary_packed (const guint8  **p,
                      const guint8   *end,
                      guint32         n_max,
                      gint64        **out,
                      guint32        *out_n,
                      const char    **what)
{
  guint64 block_size, n_mini, total;
  gint64 value;
  g_autofree gint64 *values = NULL;
  guint64 n = 0;
  guint64 per_mini;

  if (!read_uleb (p, end, &block_size) || !read_uleb (p, end, &n_mini) ||
      !read_uleb (p, end, &total) || !read_zigzag (p, end, &value))
    {
      *what = "a DELTA_BINARY_PACKED header";
      return FALSE;
    }
  if (block_size == 0 || block_size % 128 != 0 || block_size > MAX_BLOCK_VALUES ||
      n_mini == 0 || block_size % n_mini != 0 || (block_size / n_mini) % 32 != 0 ||
      total > n_max)
    {
      *what = "a block of a multiple of 128 values in miniblocks of a multiple of 32, and no "
              "more values than the page holds";
      return FALSE;
    }
  per_mini = block_size / n_mini;
  values = g_new (gint64, MAX (total, 1));
  if (total > 0)
    values[n++] = value;

  while (n < total)
    {
      gint64 min_delta;
      const guint8 *widths;

      if (!read_zigzag (p, end, &min_delta) || (guint64) (end - *p) < n_mini)
        {
          *what = "a DELTA_BINARY_PACKED block header";
          return FALSE;
        }
      widths = *p;
      *p += n_mini;
      for (guint64 m = 0; m < n_mini && n < total; m++)
        {
          guint width = widths[m];
          guint64 bytes = per_mini * width / 8;
          guint64 bit = 0;

          if (width > 64 || (guint64) (end - *p) < bytes)
            {
              *what = "a miniblock inside the page";
              return FALSE;
            }
          for (guint64 k = 0; k < per_mini && n < total; k++)
            {
              guint64 delta = 0;

              for (guint b = 0; b < width; b++, bit++)
                delta |= (guint64) (((*p)[bit / 8] >> (bit % 8)) & 1) << b;
              value = (gint64) ((guint64) value + (guint64) min_delta + delta);
              values[n++] = value;
            }
          *p += bytes;
        }
    }
  *out = g_steal_pointer (&values);
  *out_n = (guint32) total;
  return TRUE;
}

static gboolean
fail (GError     **error,
      const char  *display,
      const char  *what)
{
  g_set_error (error, MD_ERROR, MD_ERROR_PARSE, "%s: expected %s", display, what);
  return FALSE;
}

gboolean
_md_parquet_delta_decode (MdParquetDeltaValues  *v,
                          gboolean               prefixed,
                          const guint8          *p,
                          const guint8          *end,
                          guint32                n_max,
                          const char            *display,
                          GError               **error)
{
  g_autofree gint64 *prefix = NULL;
  g_autofree gint64 *lengths = NULL;
  guint32 n_prefix = 0;
  guint32 n = 0;
  const char *what = NULL;
  guint64 offset = 0;

  _md_parquet_delta_clear (v);
  if (p >= end)
    return TRUE;   /* an all-null page */
  if (prefixed && !decode_binary_packed (&p, end, n_max, &prefix, &n_prefix, &what))
    return fail (error, display, what);
  if (!decode_binary_packed (&p, end, n_max, &lengths, &n, &what))
    return fail (error, display, what);
  if (prefixed && n_prefix != n)
    return fail (error, display, "as many prefix lengths as suffix lengths");

  v->off = g_new (guint32, MAX (n, 1));
  v->len = g_new (guint32, MAX (n, 1));
  for (guint32 i = 0; i < n; i++)
    {
      if (lengths[i] < 0 || (guint64) lengths[i] > (guint64) (end - p) - offset)
        return fail (error, display, "value lengths that fit in the page");
      v->off[i] = (guint32) offset;
      v->len[i] = (guint32) lengths[i];
      offset += (guint64) lengths[i];
    }
  v->n = n;
  v->base = p;
  if (!prefixed)
    return TRUE;

  /* DELTA_BYTE_ARRAY: each value is the first prefix[i] bytes of the one before, then its
   * suffix. The values are rebuilt in one buffer. */
  {
    g_autoptr(GByteArray) buf = g_byte_array_new ();
    guint32 prev_off = 0;
    guint32 prev_len = 0;

    for (guint32 i = 0; i < n; i++)
      {
        guint32 start = buf->len;

        if (prefix[i] < 0 || (guint64) prefix[i] > prev_len)
          return fail (error, display, "prefix lengths no longer than the value before");
        if ((guint64) buf->len + (guint64) prefix[i] + v->len[i] > MD_PARQUET_MAX_PAGE_SIZE)
          return fail (error, display, "rebuilt values of at most 1 GiB in a page");
        if (prefix[i] > 0)
          {
            /* The buffer may move while growing: copy through a temporary. */
            g_autofree guint8 *head = g_memdup2 (buf->data + prev_off, prefix[i]);

            g_byte_array_append (buf, head, prefix[i]);
          }
        g_byte_array_append (buf, p + v->off[i], v->len[i]);
        prev_off = start;
        prev_len = buf->len - start;
        v->off[i] = start;
        v->len[i] = prev_len;
      }
    v->buf = g_byte_array_steal (buf, NULL);
    v->base = v->buf;
  }
  return TRUE;
}
