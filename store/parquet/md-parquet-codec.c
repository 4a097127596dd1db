/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-parquet"

#include "config.h"

#include <string.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include "md-error.h"
#include "md-parquet-private.h"

/* Page decompression and the RLE / bit-packed hybrid. Pages are decompressed whole into a buffer
 * of the size the page header announces; a stream that does not produce exactly that many bytes
 * is an error, so a lying header cannot make us read or write out of bounds. */

static gboolean
inflate_gzip (const guint8 *src,
              gsize         src_len,
              guint8       *dst,
              gsize         dst_len,
              GError      **error)
{
  z_stream z = { 0 };
  int ret;
  gsize produced = 0;

  /* 15 + 32: accept gzip and zlib headers; some writers use either. */
  if (inflateInit2 (&z, 15 + 32) != Z_OK)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_FAILED, "zlib could not be initialised");
      return FALSE;
    }

  z.next_in = (Bytef *) src;
  z.next_out = dst;
  /* Feed in slices: zlib counts in uInt. */
  do
    {
      gsize in_left = src_len - (gsize) (z.next_in - src);
      gsize out_left = dst_len - produced;

      z.avail_in = (uInt) MIN (in_left, G_MAXUINT32);
      z.avail_out = (uInt) MIN (out_left, G_MAXUINT32);
      ret = inflate (&z, Z_NO_FLUSH);
      produced = (gsize) (z.next_out - dst);
      if (ret == Z_STREAM_END)
        {
          /* Concatenated gzip members: go on with the next one. */
          if ((gsize) (z.next_in - src) < src_len && produced < dst_len)
            {
              if (inflateReset (&z) != Z_OK)
                break;
              ret = Z_OK;
              continue;
            }
          break;
        }
    }
  while (ret == Z_OK && (z.avail_out > 0 || produced < dst_len) && z.avail_in > 0);

  inflateEnd (&z);

  if (ret != Z_STREAM_END || produced != dst_len)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "gzip data is corrupt or does not give the announced %" G_GSIZE_FORMAT
                   " bytes (zlib status %d, %" G_GSIZE_FORMAT " bytes)", dst_len, ret, produced);
      return FALSE;
    }
  return TRUE;
}

gboolean
_md_parquet_decompress (int           codec,
                        const guint8 *src,
                        gsize         src_len,
                        guint8       *dst,
                        gsize         dst_len,
                        GError      **error)
{
  switch (codec)
    {
    case MD_PARQUET_CODEC_UNCOMPRESSED:
      if (src_len != dst_len)
        {
          g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                       "uncompressed page of %" G_GSIZE_FORMAT " bytes announces %" G_GSIZE_FORMAT,
                       src_len, dst_len);
          return FALSE;
        }
      memcpy (dst, src, dst_len);
      return TRUE;

    case MD_PARQUET_CODEC_SNAPPY:
      {
        size_t n = 0;

        if (snappy_uncompressed_length ((const char *) src, src_len, &n) != SNAPPY_OK || n != dst_len)
          {
            g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                         "snappy data is corrupt or does not give the announced %" G_GSIZE_FORMAT
                         " bytes", dst_len);
            return FALSE;
          }
        if (snappy_uncompress ((const char *) src, src_len, (char *) dst, &n) != SNAPPY_OK
            || n != dst_len)
          {
            g_set_error (error, MD_ERROR, MD_ERROR_PARSE, "snappy data is corrupt");
            return FALSE;
          }
        return TRUE;
      }

    case MD_PARQUET_CODEC_GZIP:
      return inflate_gzip (src, src_len, dst, dst_len, error);

    case MD_PARQUET_CODEC_ZSTD:
      {
        size_t n = ZSTD_decompress (dst, dst_len, src, src_len);

        if (ZSTD_isError (n) || n != dst_len)
          {
            g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                         "zstd data is corrupt or does not give the announced %" G_GSIZE_FORMAT
                         " bytes (%s)", dst_len,
                         ZSTD_isError (n) ? ZSTD_getErrorName (n) : "size mismatch");
            return FALSE;
          }
        return TRUE;
      }

    default:
      {
        static const char * const names[] = {
          "UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW",
        };

        g_set_error (error, MD_ERROR, MD_ERROR_UNSUPPORTED,
                     "compression codec %s is not supported (supported: none, snappy, gzip, zstd)",
                     codec >= 0 && codec < (int) G_N_ELEMENTS (names) ? names[codec] : "unknown");
        return FALSE;
      }
    }
}

void
_md_rle_decoder_init (MdRleDecoder *d,
                      const guint8 *data,
                      gsize         len,
                      guint         bit_width)
{
  memset (d, 0, sizeof *d);
  d->p = data;
  d->end = data + len;
  d->bit_width = bit_width;
}

static gboolean
read_uleb (MdRleDecoder *d,
           guint64      *out)
{
  guint64 v = 0;

  for (guint shift = 0; shift < 64; shift += 7)
    {
      if (d->p >= d->end)
        return FALSE;
      v |= (guint64) (*d->p & 0x7f) << shift;
      if ((*d->p++ & 0x80) == 0)
        {
          *out = v;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
unpack_group (MdRleDecoder *d)
{
  guint8 tmp[32] = { 0 };
  gsize avail = (gsize) (d->end - d->p);
  gsize need = d->bit_width;
  guint64 acc = 0;
  guint acc_bits = 0;
  gsize in = 0;

  /* The last group of a page may be cut short by the writer; missing bits read as zero. */
  if (need > 0 && avail == 0)
    return FALSE;
  memcpy (tmp, d->p, MIN (avail, need));
  d->p += MIN (avail, need);

  for (guint i = 0; i < 8; i++)
    {
      while (acc_bits < d->bit_width)
        {
          acc |= (guint64) tmp[in++] << acc_bits;
          acc_bits += 8;
        }
      d->buf[i] = (guint32) (acc & (((guint64) 1 << d->bit_width) - 1));
      acc >>= d->bit_width;
      acc_bits -= d->bit_width;
    }
  d->buf_pos = 0;
  d->buf_len = 8;
  return TRUE;
}

gboolean
_md_rle_decoder_next (MdRleDecoder *d,
                      guint32      *value)
{
  while (d->run_left == 0)
    {
      guint64 header;

      if (!read_uleb (d, &header))
        return FALSE;
      if (header & 1)
        {
          /* 2^28 groups of 8 would already exceed any page we accept. */
          guint64 groups = MIN (header >> 1, (guint64) 1 << 28);

          d->packed = TRUE;
          d->run_left = (guint32) (groups * 8);
          d->buf_pos = d->buf_len = 0;
        }
      else
        {
          guint nbytes = (d->bit_width + 7) / 8;
          guint32 v = 0;

          if ((gsize) (d->end - d->p) < nbytes)
            return FALSE;
          for (guint i = 0; i < nbytes; i++)
            v |= (guint32) d->p[i] << (8 * i);
          d->p += nbytes;
          d->packed = FALSE;
          d->rle_value = v;
          d->run_left = (guint32) MIN (header >> 1, G_MAXUINT32);
        }
    }

  if (d->packed)
    {
      if (d->buf_pos == d->buf_len && !unpack_group (d))
        return FALSE;
      *value = d->buf[d->buf_pos++];
    }
  else
    *value = d->rle_value;

  d->run_left--;
  return TRUE;
}
