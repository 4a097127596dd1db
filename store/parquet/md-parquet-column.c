/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-parquet"

#include "config.h"

#include <string.h>

#include "md-error.h"
#include "md-parquet-delta-private.h"
#include "md-parquet-private.h"

/* Reads one column chunk entry by entry. Pages are loaded one at a time: an uncompressed page is
 * used in place in the mapping, a compressed one is inflated into a buffer reused across pages.
 * Levels and dictionary indices are decoded lazily, so no array grows with the page's count. */

struct _MdParquetColumnReader
{
  MdParquetFile *file;
  const char *display;
  const MdParquetColumn *col;
  const MdParquetChunk *chunk;
  guint row_group;
  guint column;
  const guint8 *data;
  gsize size;

  guint64 chunk_start;
  guint64 chunk_end;
  guint64 next_page;
  gint64 entries_left;          /* -1 after a seek: the chunk's count no longer applies */

  gboolean have_dict;
  guint8 *dict_buf;
  guint32 n_dict;
  guint32 *dict_off;
  guint32 *dict_len;

  gboolean in_page;
  gboolean stop_after_page;
  gboolean release_pages;
  guint64 page_offset;
  guint8 *page_buf;
  gsize page_buf_size;
  gboolean page_direct;
  guint32 page_n;
  guint32 page_i;
  guint32 value_index;
  gboolean has_rep;
  gboolean has_def;
  MdRleDecoder rep;
  MdRleDecoder def;
  int encoding;
  const guint8 *vp;
  const guint8 *vend;
  MdRleDecoder idx;
  MdParquetDeltaValues delta;
  guint bool_bit;
  guint8 bool_tmp;

  gboolean have_peek;
  MdParquetEntry peek;
};

static const char *
encoding_name (int encoding)
{
  static const char * const names[] = {
    "PLAIN", "GROUP_VAR_INT", "PLAIN_DICTIONARY", "RLE", "BIT_PACKED", "DELTA_BINARY_PACKED",
    "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY", "RLE_DICTIONARY", "BYTE_STREAM_SPLIT",
  };

  if (encoding >= 0 && encoding < (int) G_N_ELEMENTS (names))
    return names[encoding];
  return "unknown";
}

static gboolean fail (MdParquetColumnReader *r,
                      GError               **error,
                      int                    code,
                      const char            *format,
                      ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (MdParquetColumnReader *r,
      GError               **error,
      int                    code,
      const char            *format,
      ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, MD_ERROR, code,
               "%s: column “%s”, row group %u, page at byte %" G_GUINT64_FORMAT ": %s",
               r->display, r->col->path, r->row_group, r->page_offset, msg);
  return FALSE;
}

static gboolean
prefix_error (MdParquetColumnReader *r,
              GError               **error,
              GError                *cause)
{
  fail (r, error, cause->code, "%s", cause->message);
  g_error_free (cause);
  return FALSE;
}

MdParquetColumnReader *
_md_parquet_column_reader_new (MdParquetFile *file,
                               guint          row_group,
                               guint          column,
                               GError       **error)
{
  const MdParquetMeta *meta = _md_parquet_file_get_meta (file);
  MdParquetColumnReader *r;

  if (row_group >= meta->n_row_groups || column >= md_parquet_file_get_n_columns (file))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND,
                   "%s: no column %u in row group %u", _md_parquet_file_get_display (file),
                   column, row_group);
      return NULL;
    }

  r = g_new0 (MdParquetColumnReader, 1);
  r->file = g_object_ref (file);
  r->display = _md_parquet_file_get_display (file);
  r->col = md_parquet_file_get_column (file, column);
  r->chunk = &meta->row_groups[row_group].chunks[column];
  r->row_group = row_group;
  r->column = column;
  r->data = _md_parquet_file_get_data (file, &r->size);

  r->chunk_start = r->chunk->data_page_offset;
  /* Some writers put a bogus 0 here; a real dictionary comes before the data pages. */
  if (r->chunk->has_dictionary_page_offset && r->chunk->dictionary_page_offset >= 4
      && r->chunk->dictionary_page_offset < r->chunk->data_page_offset)
    r->chunk_start = r->chunk->dictionary_page_offset;
  r->chunk_end = MIN (r->chunk_start + (guint64) r->chunk->total_compressed_size, r->size - 8);
  r->next_page = r->chunk_start;
  r->page_offset = r->chunk_start;
  r->entries_left = r->chunk->num_values;

  return r;
}

void
_md_parquet_column_reader_free (MdParquetColumnReader *r)
{
  if (r == NULL)
    return;
  _md_parquet_delta_clear (&r->delta);
  g_free (r->dict_buf);
  g_free (r->dict_off);
  g_free (r->dict_len);
  g_free (r->page_buf);
  g_object_unref (r->file);
  g_free (r);
}

void
_md_parquet_column_reader_set_release_pages (MdParquetColumnReader *r,
                                             gboolean               release)
{
  r->release_pages = release;
}

void
_md_parquet_column_reader_release_page (MdParquetColumnReader *r)
{
  if (r->in_page)
    _md_parquet_file_release (r->file, r->page_offset, r->next_page);
}

void
_md_parquet_column_reader_stop_after_page (MdParquetColumnReader *r)
{
  r->stop_after_page = TRUE;
}

/* The page body, decompressed if need be. The result points into the mapping or page_buf. */
static const guint8 *
page_body (MdParquetColumnReader *r,
           const guint8          *src,
           gsize                  src_len,
           gsize                  out_len,
           guint8               **owned,
           GError               **error)
{
  GError *local_error = NULL;
  guint8 *buf;

  if (r->chunk->codec == MD_PARQUET_CODEC_UNCOMPRESSED)
    {
      if (src_len != out_len)
        {
          fail (r, error, MD_ERROR_PARSE,
                "uncompressed page holds %" G_GSIZE_FORMAT " bytes but announces %" G_GSIZE_FORMAT,
                src_len, out_len);
          return NULL;
        }
      return src;
    }

  if (owned != NULL)
    buf = *owned = g_malloc (MAX (out_len, 1));
  else
    {
      if (r->page_buf_size < out_len)
        {
          g_free (r->page_buf);
          r->page_buf = g_malloc (out_len);
          r->page_buf_size = out_len;
        }
      buf = r->page_buf;
    }

  if (!_md_parquet_decompress (r->chunk->codec, src, src_len, buf, out_len, &local_error))
    {
      if (owned != NULL)
        g_clear_pointer (owned, g_free);
      prefix_error (r, error, local_error);
      return NULL;
    }
  return buf;
}

static gboolean
load_dictionary (MdParquetColumnReader     *r,
                 const MdParquetPageHeader *h,
                 const guint8              *src,
                 GError                   **error)
{
  const guint8 *body;
  const guint8 *p;
  const guint8 *end;
  guint8 *owned = NULL;
  gsize width = 0;

  if (r->have_dict)
    return fail (r, error, MD_ERROR_PARSE, "a second dictionary page in one column chunk");
  if (h->encoding != MD_PARQUET_ENCODING_PLAIN
      && h->encoding != MD_PARQUET_ENCODING_PLAIN_DICTIONARY)
    return fail (r, error, MD_ERROR_UNSUPPORTED, "dictionary page encoding %s is not supported",
                 encoding_name (h->encoding));

  body = page_body (r, src, h->compressed_size, h->uncompressed_size, &owned, error);
  if (body == NULL)
    return FALSE;
  p = body;
  end = body + h->uncompressed_size;

  switch (r->col->type)
    {
    case MD_PARQUET_TYPE_BYTE_ARRAY: width = 4; break;
    case MD_PARQUET_TYPE_INT32: case MD_PARQUET_TYPE_FLOAT: width = 4; break;
    case MD_PARQUET_TYPE_INT64: case MD_PARQUET_TYPE_DOUBLE: width = 8; break;
    case MD_PARQUET_TYPE_INT96: width = 12; break;
    case MD_PARQUET_TYPE_FIXED_LEN_BYTE_ARRAY: width = r->col->type_length; break;
    default:
      g_free (owned);
      return fail (r, error, MD_ERROR_UNSUPPORTED, "dictionary of BOOLEAN values is not supported");
    }

  /* Each entry takes at least `width` bytes, which bounds the arrays below by the page size. */
  if ((guint64) h->num_values * width > (guint64) h->uncompressed_size)
    {
      g_free (owned);
      return fail (r, error, MD_ERROR_PARSE, "dictionary of %d values does not fit its %d bytes",
                   h->num_values, h->uncompressed_size);
    }

  r->dict_off = g_new (guint32, MAX (h->num_values, 1));
  r->dict_len = g_new (guint32, MAX (h->num_values, 1));
  for (int i = 0; i < h->num_values; i++)
    {
      guint32 len = width;

      if (r->col->type == MD_PARQUET_TYPE_BYTE_ARRAY)
        {
          if (end - p < 4)
            goto truncated;
          memcpy (&len, p, 4);
          len = GUINT32_FROM_LE (len);
          p += 4;
        }
      if ((gsize) (end - p) < len)
        goto truncated;
      r->dict_off[i] = (guint32) (p - body);
      r->dict_len[i] = len;
      p += len;
    }

  r->n_dict = h->num_values;
  r->have_dict = TRUE;
  /* Keep the page: entries point into it. An uncompressed dictionary stays in the mapping. */
  if (owned == NULL)
    {
      owned = g_malloc (MAX (h->uncompressed_size, 1));
      memcpy (owned, body, h->uncompressed_size);
    }
  r->dict_buf = owned;
  return TRUE;

truncated:
  g_clear_pointer (&r->dict_off, g_free);
  g_clear_pointer (&r->dict_len, g_free);
  g_free (owned);
  return fail (r, error, MD_ERROR_PARSE, "dictionary values run past the end of the page");
}

static gboolean
init_levels (MdParquetColumnReader *r,
             MdRleDecoder          *d,
             guint                  max_level,
             int                    encoding,
             const guint8         **p,
             const guint8          *end,
             gboolean               length_prefixed,
             gsize                  v2_len,
             GError               **error)
{
  gsize len = v2_len;

  if (encoding != MD_PARQUET_ENCODING_RLE)
    return fail (r, error, MD_ERROR_UNSUPPORTED, "level encoding %s is not supported",
                 encoding_name (encoding));
  if (length_prefixed)
    {
      guint32 l;

      if (end - *p < 4)
        return fail (r, error, MD_ERROR_PARSE, "levels run past the end of the page");
      memcpy (&l, *p, 4);
      len = GUINT32_FROM_LE (l);
      *p += 4;
    }
  if ((gsize) (end - *p) < len)
    return fail (r, error, MD_ERROR_PARSE, "levels of %" G_GSIZE_FORMAT " bytes run past the end "
                 "of the page", len);
  _md_rle_decoder_init (d, *p, len, g_bit_storage (max_level));
  *p += len;
  return TRUE;
}

static gboolean
start_values (MdParquetColumnReader *r,
              int                    encoding,
              int                    n_values,
              const guint8          *p,
              const guint8          *end,
              GError               **error)
{
  r->encoding = encoding;
  r->bool_bit = 0;
  r->value_index = 0;

  if (encoding == MD_PARQUET_ENCODING_PLAIN)
    {
      r->vp = p;
      r->vend = end;
      return TRUE;
    }
  if (encoding == MD_PARQUET_ENCODING_PLAIN_DICTIONARY
      || encoding == MD_PARQUET_ENCODING_RLE_DICTIONARY)
    {
      guint bw;

      if (!r->have_dict)
        return fail (r, error, MD_ERROR_PARSE, "dictionary-encoded page without a dictionary");
      /* An all-null page may have no values section at all. */
      bw = p < end ? *p++ : 0;
      if (bw > 32)
        return fail (r, error, MD_ERROR_PARSE, "dictionary index width %u is over 32 bits", bw);
      _md_rle_decoder_init (&r->idx, p, (gsize) (end - p), bw);
      return TRUE;
    }
  if (encoding == MD_PARQUET_ENCODING_DELTA_LENGTH_BYTE_ARRAY
      || encoding == MD_PARQUET_ENCODING_DELTA_BYTE_ARRAY)
    {
      GError *cause = NULL;

      if (r->col->type != MD_PARQUET_TYPE_BYTE_ARRAY)
        return fail (r, error, MD_ERROR_PARSE, "value encoding %s on a column that is not "
                     "BYTE_ARRAY", encoding_name (encoding));
      if (!_md_parquet_delta_decode (&r->delta,
                                     encoding == MD_PARQUET_ENCODING_DELTA_BYTE_ARRAY, p, end,
                                     (guint32) MAX (n_values, 0), encoding_name (encoding),
                                     &cause))
        return prefix_error (r, error, cause);
      return TRUE;
    }
  return fail (r, error, MD_ERROR_UNSUPPORTED, "value encoding %s is not supported",
               encoding_name (encoding));
}

/* Loads the next data page, reading a dictionary page on the way. FALSE at the end (error unset). */
static gboolean
load_page (MdParquetColumnReader *r,
           GError               **error)
{
  for (;;)
    {
      MdParquetPageHeader h;
      GError *local_error = NULL;
      const guint8 *src;
      guint64 body_off;

      if (r->next_page >= r->chunk_end || r->entries_left == 0)
        return FALSE;

      r->page_offset = r->next_page;
      if (!_md_parquet_page_header_parse (r->data + r->next_page, r->chunk_end - r->next_page,
                                          r->display, r->next_page, &h, &local_error))
        return prefix_error (r, error, local_error);

      body_off = r->next_page + h.header_len;
      if ((guint64) h.compressed_size > r->chunk_end - body_off)
        return fail (r, error, MD_ERROR_PARSE, "page of %d bytes runs past the end of its column "
                     "chunk at byte %" G_GUINT64_FORMAT, h.compressed_size, r->chunk_end);
      if ((guint64) h.uncompressed_size > MD_PARQUET_MAX_PAGE_SIZE)
        return fail (r, error, MD_ERROR_UNSUPPORTED, "page claims %d bytes; pages over 1 GiB are "
                     "refused", h.uncompressed_size);
      if (h.num_values > MD_PARQUET_MAX_PAGE_VALUES)
        return fail (r, error, MD_ERROR_UNSUPPORTED, "page claims %d values; more than %d are "
                     "refused", h.num_values, MD_PARQUET_MAX_PAGE_VALUES);
      src = r->data + body_off;
      r->next_page = body_off + h.compressed_size;

      switch (h.type)
        {
        case MD_PARQUET_PAGE_DICTIONARY:
          if (!load_dictionary (r, &h, src, error))
            return FALSE;
          continue;

        case MD_PARQUET_PAGE_DATA:
          {
            const guint8 *body = page_body (r, src, h.compressed_size, h.uncompressed_size,
                                            NULL, error);
            const guint8 *p = body;
            const guint8 *end;

            if (body == NULL)
              return FALSE;
            end = body + h.uncompressed_size;
            r->page_direct = body == src;
            r->has_rep = r->col->max_rep > 0;
            r->has_def = r->col->max_def > 0;
            if (r->has_rep && !init_levels (r, &r->rep, r->col->max_rep, h.rep_encoding, &p, end,
                                            TRUE, 0, error))
              return FALSE;
            if (r->has_def && !init_levels (r, &r->def, r->col->max_def, h.def_encoding, &p, end,
                                            TRUE, 0, error))
              return FALSE;
            if (!start_values (r, h.encoding, h.num_values, p, end, error))
              return FALSE;
          }
          break;

        case MD_PARQUET_PAGE_DATA_V2:
          {
            const guint8 *p = src;
            const guint8 *values;
            gsize levels_len = (gsize) h.rep_len + (gsize) h.def_len;
            gboolean compressed = h.is_compressed
                                  && r->chunk->codec != MD_PARQUET_CODEC_UNCOMPRESSED;

            if (levels_len > (gsize) h.compressed_size || levels_len > (gsize) h.uncompressed_size)
              return fail (r, error, MD_ERROR_PARSE, "levels of %" G_GSIZE_FORMAT " bytes are "
                           "larger than the page", levels_len);
            r->has_rep = r->col->max_rep > 0;
            r->has_def = r->col->max_def > 0;
            if (r->has_rep && !init_levels (r, &r->rep, r->col->max_rep, MD_PARQUET_ENCODING_RLE,
                                            &p, src + levels_len, FALSE, h.rep_len, error))
              return FALSE;
            p = src + h.rep_len;
            if (r->has_def && !init_levels (r, &r->def, r->col->max_def, MD_PARQUET_ENCODING_RLE,
                                            &p, src + levels_len, FALSE, h.def_len, error))
              return FALSE;
            if (compressed)
              {
                values = page_body (r, src + levels_len, h.compressed_size - levels_len,
                                    h.uncompressed_size - levels_len, NULL, error);
                if (values == NULL)
                  return FALSE;
                r->page_direct = FALSE;
              }
            else
              {
                if (h.compressed_size != h.uncompressed_size)
                  return fail (r, error, MD_ERROR_PARSE, "uncompressed page holds %d bytes but "
                               "announces %d", h.compressed_size, h.uncompressed_size);
                values = src + levels_len;
                r->page_direct = TRUE;
              }
            if (!start_values (r, h.encoding, h.num_values, values,
                               values + (h.uncompressed_size - levels_len), error))
              return FALSE;
          }
          break;

        case MD_PARQUET_PAGE_INDEX:
          continue;

        default:
          return fail (r, error, MD_ERROR_UNSUPPORTED, "page type %d is not supported", h.type);
        }

      r->page_n = h.num_values;
      r->page_i = 0;
      r->in_page = TRUE;
      if (r->page_n > 0)
        return TRUE;
    }
}

static gboolean
read_plain (MdParquetColumnReader *r,
            MdParquetEntry        *e,
            GError               **error)
{
  gsize width;

  switch (r->col->type)
    {
    case MD_PARQUET_TYPE_BOOLEAN:
      if (r->vp >= r->vend)
        goto truncated;
      r->bool_tmp = (*r->vp >> r->bool_bit) & 1;
      if (++r->bool_bit == 8)
        {
          r->bool_bit = 0;
          r->vp++;
        }
      e->data = &r->bool_tmp;
      e->len = 1;
      return TRUE;

    case MD_PARQUET_TYPE_BYTE_ARRAY:
      {
        guint32 len;

        if (r->vend - r->vp < 4)
          goto truncated;
        memcpy (&len, r->vp, 4);
        len = GUINT32_FROM_LE (len);
        if ((gsize) (r->vend - r->vp - 4) < len)
          goto truncated;
        e->data = r->vp + 4;
        e->len = len;
        r->vp += 4 + (gsize) len;
        e->in_file = r->page_direct;
        return TRUE;
      }

    case MD_PARQUET_TYPE_INT32: case MD_PARQUET_TYPE_FLOAT: width = 4; break;
    case MD_PARQUET_TYPE_INT64: case MD_PARQUET_TYPE_DOUBLE: width = 8; break;
    case MD_PARQUET_TYPE_INT96: width = 12; break;
    default: width = r->col->type_length; break;
    }

  if ((gsize) (r->vend - r->vp) < width)
    goto truncated;
  e->data = r->vp;
  e->len = width;
  e->in_file = r->page_direct;
  r->vp += width;
  return TRUE;

truncated:
  return fail (r, error, MD_ERROR_PARSE, "value %u runs past the end of the page",
               r->value_index);
}

static gboolean
read_entry (MdParquetColumnReader *r,
            MdParquetEntry        *e,
            GError               **error)
{
  guint32 level;

  while (!r->in_page || r->page_i >= r->page_n)
    {
      if (r->in_page && r->stop_after_page)
        return FALSE;
      if (r->in_page && r->release_pages)
        _md_parquet_file_release (r->file, r->page_offset, r->next_page);
      r->in_page = FALSE;
      if (!load_page (r, error))
        return FALSE;
    }

  memset (e, 0, sizeof *e);
  if (r->has_rep)
    {
      if (!_md_rle_decoder_next (&r->rep, &level) || level > r->col->max_rep)
        return fail (r, error, MD_ERROR_PARSE, "repetition levels end early or exceed %u",
                     r->col->max_rep);
      e->rep = level;
    }
  if (r->has_def)
    {
      if (!_md_rle_decoder_next (&r->def, &level) || level > r->col->max_def)
        return fail (r, error, MD_ERROR_PARSE, "definition levels end early or exceed %u",
                     r->col->max_def);
      e->def = level;
    }
  /* The first entry of a page always starts a row. */
  if (r->page_i == 0 && e->rep != 0)
    return fail (r, error, MD_ERROR_PARSE, "page starts in the middle of a row");

  e->page_offset = r->page_offset;
  e->present = e->def == r->col->max_def;
  if (e->present)
    {
      e->value_index = r->value_index;
      if (r->encoding == MD_PARQUET_ENCODING_PLAIN)
        {
          if (!read_plain (r, e, error))
            return FALSE;
        }
      else if (r->encoding == MD_PARQUET_ENCODING_DELTA_LENGTH_BYTE_ARRAY
               || r->encoding == MD_PARQUET_ENCODING_DELTA_BYTE_ARRAY)
        {
          if (r->value_index >= r->delta.n)
            return fail (r, error, MD_ERROR_PARSE, "value %u is missing: the page encodes %u",
                         r->value_index, r->delta.n);
          e->data = r->delta.base + r->delta.off[r->value_index];
          e->len = r->delta.len[r->value_index];
        }
      else
        {
          guint32 i;

          if (!_md_rle_decoder_next (&r->idx, &i) || i >= r->n_dict)
            return fail (r, error, MD_ERROR_PARSE, "dictionary index of value %u is missing or "
                         "beyond the %u entries", r->value_index, r->n_dict);
          e->data = r->dict_buf + r->dict_off[i];
          e->len = r->dict_len[i];
        }
      r->value_index++;
    }

  r->page_i++;
  if (r->entries_left > 0)
    r->entries_left--;
  return TRUE;
}

gboolean
_md_parquet_column_reader_next (MdParquetColumnReader *r,
                                MdParquetEntry        *entry,
                                GError               **error)
{
  if (r->have_peek)
    {
      *entry = r->peek;
      r->have_peek = FALSE;
      return TRUE;
    }
  return read_entry (r, entry, error);
}

gboolean
_md_parquet_column_reader_peek (MdParquetColumnReader *r,
                                MdParquetEntry        *entry,
                                GError               **error)
{
  if (!r->have_peek)
    {
      if (!read_entry (r, &r->peek, error))
        return FALSE;
      r->have_peek = TRUE;
    }
  *entry = r->peek;
  return TRUE;
}

gboolean
_md_parquet_column_reader_seek (MdParquetColumnReader *r,
                                guint64                page_offset,
                                GError               **error)
{
  if (page_offset < r->chunk_start || page_offset >= r->chunk_end)
    {
      r->page_offset = page_offset;
      return fail (r, error, MD_ERROR_NOT_FOUND, "no page of this column chunk starts there");
    }

  /* The dictionary comes first in the chunk; read it before jumping. */
  if (!r->have_dict && page_offset > r->chunk_start)
    {
      MdParquetPageHeader h;

      r->page_offset = r->chunk_start;
      if (_md_parquet_page_header_parse (r->data + r->chunk_start, r->chunk_end - r->chunk_start,
                                         r->display, r->chunk_start, &h, NULL)
          && h.type == MD_PARQUET_PAGE_DICTIONARY)
        {
          guint64 body_off = r->chunk_start + h.header_len;

          if ((guint64) h.compressed_size > r->chunk_end - body_off
              || (guint64) h.uncompressed_size > MD_PARQUET_MAX_PAGE_SIZE)
            return fail (r, error, MD_ERROR_PARSE, "dictionary page sizes are out of bounds");
          if (!load_dictionary (r, &h, r->data + body_off, error))
            return FALSE;
        }
    }

  r->next_page = page_offset;
  r->page_offset = page_offset;
  r->entries_left = -1;
  r->in_page = FALSE;
  r->have_peek = FALSE;
  return TRUE;
}
