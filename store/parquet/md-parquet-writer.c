/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-parquet"

#include "config.h"

#include <string.h>

#include "md-parquet-writer.h"

/* Parquet's footer and page headers are Thrift compact structs; this file encodes the few it
 * needs (PageHeader, FileMetaData and what they hold) with the field ids of parquet.thrift. */

enum
{
  T_STOP = 0, T_TRUE = 1, T_FALSE = 2, T_I32 = 5, T_I64 = 6, T_BINARY = 8, T_LIST = 9,
  T_STRUCT = 12,
};

enum
{
  PQ_BYTE_ARRAY = 6,          /* Type */
  PQ_REQUIRED = 0,            /* FieldRepetitionType */
  PQ_UTF8 = 0,                /* ConvertedType */
  PQ_PLAIN = 0,               /* Encoding */
  PQ_RLE = 3,
  PQ_UNCOMPRESSED = 0,        /* CompressionCodec */
  PQ_DATA_PAGE = 0,           /* PageType */
};

#define MAX_DEPTH 8

typedef struct
{
  GByteArray *out;
  gint16      last[MAX_DEPTH];
  guint       depth;
} Enc;

static void
enc_byte (Enc    *e,
          guint8  byte)
{
  g_byte_array_append (e->out, &byte, 1);
}

static void
enc_varint (Enc     *e,
            guint64  value)
{
  guint8 buf[10];
  guint n = 0;

  do
    {
      buf[n] = value & 0x7f;
      value >>= 7;
      if (value != 0)
        buf[n] |= 0x80;
      n++;
    }
  while (value != 0);
  g_byte_array_append (e->out, buf, n);
}

static void
enc_zigzag (Enc    *e,
            gint64  value)
{
  enc_varint (e, ((guint64) value << 1) ^ (guint64) (value >> 63));
}

static void
enc_field (Enc    *e,
           gint16  id,
           guint8  type)
{
  gint16 delta = id - e->last[e->depth];

  if (delta > 0 && delta <= 15)
    enc_byte (e, (delta << 4) | type);
  else
    {
      enc_byte (e, type);
      enc_zigzag (e, id);
    }
  e->last[e->depth] = id;
}

static void
enc_struct_begin (Enc *e)
{
  g_assert (e->depth + 1 < MAX_DEPTH);
  e->last[++e->depth] = 0;
}

static void
enc_struct_end (Enc *e)
{
  enc_byte (e, T_STOP);
  e->depth--;
}

static void
enc_i32 (Enc    *e,
         gint16  id,
         gint32  value)
{
  enc_field (e, id, T_I32);
  enc_zigzag (e, value);
}

static void
enc_i64 (Enc    *e,
         gint16  id,
         gint64  value)
{
  enc_field (e, id, T_I64);
  enc_zigzag (e, value);
}

static void
enc_binary_value (Enc        *e,
                  const void *data,
                  gsize       len)
{
  enc_varint (e, len);
  g_byte_array_append (e->out, data, len);
}

static void
enc_string (Enc        *e,
            gint16      id,
            const char *text)
{
  enc_field (e, id, T_BINARY);
  enc_binary_value (e, text, strlen (text));
}

static void
enc_list_begin (Enc    *e,
                gint16  id,
                guint8  elem_type,
                guint   n)
{
  enc_field (e, id, T_LIST);
  if (n < 15)
    enc_byte (e, (n << 4) | elem_type);
  else
    {
      enc_byte (e, 0xf0 | elem_type);
      enc_varint (e, n);
    }
}

static void
enc_struct_field_begin (Enc    *e,
                        gint16  id)
{
  enc_field (e, id, T_STRUCT);
  enc_struct_begin (e);
}

/* Writer ---------------------------------------------------------------------------------------- */

typedef struct
{
  guint64 offset;        /* of the first page header */
  guint64 size;          /* headers and values */
} Chunk;

typedef struct
{
  Chunk   columns[2];    /* base64, __index_level_0__ */
  guint64 n_rows;
} Group;

struct _MdParquetWriter
{
  MdParquetSink  sink;
  gpointer       sink_data;
  char          *created_by;
  gboolean       failed;
  guint64        offset;

  guint          group_rows;
  gsize          group_bytes;
  gsize          page_bytes;

  /* The current row group. */
  gboolean       group_open;
  Chunk          values_chunk;
  guint64        group_n_rows;
  guint64        group_value_bytes;
  GByteArray    *page;            /* PLAIN base64 values of the page being filled */
  guint          page_n_values;
  GByteArray    *ids;             /* PLAIN ids of the whole row group */

  GArray        *groups;          /* Group */
  guint64        n_rows;
  GByteArray    *scratch;
};

static void
put (MdParquetWriter *w,
     const guint8    *data,
     gsize            len)
{
  if (w->failed || len == 0)
    return;
  if (!w->sink (data, len, w->sink_data))
    w->failed = TRUE;
  w->offset += len;
}

MdParquetWriter *
md_parquet_writer_new (MdParquetSink  sink,
                       gpointer       sink_data,
                       const char    *created_by)
{
  MdParquetWriter *w = g_new0 (MdParquetWriter, 1);

  w->sink = sink;
  w->sink_data = sink_data;
  w->created_by = g_strdup (created_by);
  w->group_rows = MD_PARQUET_WRITER_GROUP_ROWS;
  w->group_bytes = MD_PARQUET_WRITER_GROUP_BYTES;
  w->page_bytes = MD_PARQUET_WRITER_PAGE_BYTES;
  w->page = g_byte_array_new ();
  w->ids = g_byte_array_new ();
  w->scratch = g_byte_array_new ();
  w->groups = g_array_new (FALSE, TRUE, sizeof (Group));
  put (w, (const guint8 *) "PAR1", 4);
  return w;
}

void
md_parquet_writer_set_limits (MdParquetWriter *w,
                              guint            group_rows,
                              gsize            group_bytes,
                              gsize            page_bytes)
{
  if (group_rows > 0)
    w->group_rows = group_rows;
  if (group_bytes > 0)
    w->group_bytes = group_bytes;
  if (page_bytes > 0)
    w->page_bytes = page_bytes;
}

void
md_parquet_writer_free (MdParquetWriter *w)
{
  if (w == NULL)
    return;
  g_free (w->created_by);
  g_byte_array_unref (w->page);
  g_byte_array_unref (w->ids);
  g_byte_array_unref (w->scratch);
  g_array_unref (w->groups);
  g_free (w);
}

/* A data page of @n_values PLAIN values (no levels: the columns are required). */
static void
write_page (MdParquetWriter *w,
            Chunk           *chunk,
            const guint8    *values,
            gsize            len,
            guint            n_values)
{
  Enc e = { w->scratch, { 0, }, 0 };

  g_byte_array_set_size (w->scratch, 0);
  enc_i32 (&e, 1, PQ_DATA_PAGE);
  enc_i32 (&e, 2, len);
  enc_i32 (&e, 3, len);
  enc_struct_field_begin (&e, 5);
  enc_i32 (&e, 1, n_values);
  enc_i32 (&e, 2, PQ_PLAIN);
  enc_i32 (&e, 3, PQ_RLE);
  enc_i32 (&e, 4, PQ_RLE);
  enc_struct_end (&e);
  enc_byte (&e, T_STOP);

  if (chunk->size == 0)
    chunk->offset = w->offset;
  put (w, w->scratch->data, w->scratch->len);
  put (w, values, len);
  chunk->size += w->scratch->len + len;
}

static void
flush_values_page (MdParquetWriter *w)
{
  if (w->page_n_values == 0)
    return;
  write_page (w, &w->values_chunk, w->page->data, w->page->len, w->page_n_values);
  g_byte_array_set_size (w->page, 0);
  w->page_n_values = 0;
}

/* The ids of the row group, as pages of the second column chunk. */
static void
flush_group (MdParquetWriter *w)
{
  Group group = { { { 0, }, }, 0 };
  gsize start = 0, pos = 0;
  guint n = 0;

  if (!w->group_open)
    return;
  flush_values_page (w);
  group.columns[0] = w->values_chunk;
  group.n_rows = w->group_n_rows;
  while (pos < w->ids->len)
    {
      guint32 len;

      memcpy (&len, w->ids->data + pos, 4);
      len = GUINT32_FROM_LE (len);
      pos += 4 + len;
      n++;
      if (pos - start >= w->page_bytes || pos >= w->ids->len)
        {
          write_page (w, &group.columns[1], w->ids->data + start, pos - start, n);
          start = pos;
          n = 0;
        }
    }
  g_array_append_val (w->groups, group);
  g_byte_array_set_size (w->ids, 0);
  memset (&w->values_chunk, 0, sizeof w->values_chunk);
  w->group_n_rows = 0;
  w->group_value_bytes = 0;
  w->group_open = FALSE;
}

static void
append_plain (GByteArray *out,
              const char *data,
              gsize       len)
{
  guint32 le = GUINT32_TO_LE ((guint32) len);

  g_byte_array_append (out, (const guint8 *) &le, 4);
  g_byte_array_append (out, (const guint8 *) data, len);
}

gboolean
md_parquet_writer_add (MdParquetWriter *w,
                       const char      *image_id,
                       gsize            id_len,
                       const char      *base64,
                       gsize            base64_len)
{
  g_return_val_if_fail (w != NULL, FALSE);
  g_return_val_if_fail (base64_len <= G_MAXINT32 - 64 && id_len <= G_MAXINT32 - 64, FALSE);

  if (w->failed)
    return FALSE;
  if (w->page->len > 0 && w->page->len + 4 + base64_len > w->page_bytes)
    flush_values_page (w);
  w->group_open = TRUE;
  append_plain (w->page, base64, base64_len);
  w->page_n_values++;
  append_plain (w->ids, image_id, id_len);
  w->group_n_rows++;
  w->group_value_bytes += base64_len;
  w->n_rows++;
  if (w->page->len >= w->page_bytes)
    flush_values_page (w);
  if (w->group_n_rows >= w->group_rows || w->group_value_bytes >= w->group_bytes)
    flush_group (w);
  return !w->failed;
}

static void
encode_column_schema (Enc        *e,
                      const char *name)
{
  enc_struct_begin (e);
  enc_i32 (e, 1, PQ_BYTE_ARRAY);
  enc_i32 (e, 3, PQ_REQUIRED);
  enc_string (e, 4, name);
  enc_i32 (e, 6, PQ_UTF8);
  enc_struct_field_begin (e, 10);   /* LogicalType */
  enc_struct_field_begin (e, 1);    /* STRING */
  enc_struct_end (e);
  enc_struct_end (e);
  enc_struct_end (e);
}

static const char * const column_names[2] = { "base64", "__index_level_0__" };

static void
encode_key_value (Enc        *e,
                  const char *key,
                  const char *value)
{
  enc_struct_begin (e);
  enc_string (e, 1, key);
  enc_string (e, 2, value);
  enc_struct_end (e);
}

static char *
pandas_metadata (const char *created_by)
{
  /* What pyarrow writes for a DataFrame with an unnamed string index and one string column. */
  return g_strdup_printf (
    "{\"index_columns\": [\"__index_level_0__\"], \"column_indexes\": [{\"name\": null, "
    "\"field_name\": null, \"pandas_type\": \"unicode\", \"numpy_type\": \"object\", "
    "\"metadata\": {\"encoding\": \"UTF-8\"}}], \"columns\": [{\"name\": \"base64\", "
    "\"field_name\": \"base64\", \"pandas_type\": \"unicode\", \"numpy_type\": \"object\", "
    "\"metadata\": null}, {\"name\": null, \"field_name\": \"__index_level_0__\", "
    "\"pandas_type\": \"unicode\", \"numpy_type\": \"object\", \"metadata\": null}], "
    "\"creator\": {\"library\": \"%s\", \"version\": \"%s\"}, \"pandas_version\": \"1.5.3\"}",
    created_by, PACKAGE_VERSION);
}

gboolean
md_parquet_writer_finish (MdParquetWriter *w)
{
  Enc e = { w->scratch, { 0, }, 0 };
  g_autofree char *pandas = pandas_metadata (w->created_by);
  guint8 tail[8];
  guint32 footer_len;

  g_return_val_if_fail (w != NULL, FALSE);

  flush_group (w);
  g_byte_array_set_size (w->scratch, 0);

  enc_i32 (&e, 1, 1);
  enc_list_begin (&e, 2, T_STRUCT, 3);
  enc_struct_begin (&e);
  enc_string (&e, 4, "schema");
  enc_i32 (&e, 5, 2);
  enc_struct_end (&e);
  for (guint c = 0; c < 2; c++)
    encode_column_schema (&e, column_names[c]);
  enc_i64 (&e, 3, w->n_rows);

  enc_list_begin (&e, 4, T_STRUCT, w->groups->len);
  for (guint g = 0; g < w->groups->len; g++)
    {
      Group *group = &g_array_index (w->groups, Group, g);
      guint64 total = group->columns[0].size + group->columns[1].size;

      enc_struct_begin (&e);
      enc_list_begin (&e, 1, T_STRUCT, 2);
      for (guint c = 0; c < 2; c++)
        {
          Chunk *chunk = &group->columns[c];

          enc_struct_begin (&e);
          enc_i64 (&e, 2, chunk->offset);
          enc_struct_field_begin (&e, 3);    /* ColumnMetaData */
          enc_i32 (&e, 1, PQ_BYTE_ARRAY);
          enc_list_begin (&e, 2, T_I32, 1);
          enc_zigzag (&e, PQ_PLAIN);
          enc_list_begin (&e, 3, T_BINARY, 1);
          enc_binary_value (&e, column_names[c], strlen (column_names[c]));
          enc_i32 (&e, 4, PQ_UNCOMPRESSED);
          enc_i64 (&e, 5, group->n_rows);
          enc_i64 (&e, 6, chunk->size);
          enc_i64 (&e, 7, chunk->size);
          enc_i64 (&e, 9, chunk->offset);
          enc_struct_end (&e);
          enc_struct_end (&e);
        }
      enc_i64 (&e, 2, total);
      enc_i64 (&e, 3, group->n_rows);
      enc_i64 (&e, 5, group->columns[0].offset);
      enc_i64 (&e, 6, total);
      enc_struct_end (&e);
    }

  enc_list_begin (&e, 5, T_STRUCT, 1);
  encode_key_value (&e, "pandas", pandas);
  enc_string (&e, 6, w->created_by);
  enc_byte (&e, T_STOP);

  footer_len = GUINT32_TO_LE (w->scratch->len);
  memcpy (tail, &footer_len, 4);
  memcpy (tail + 4, "PAR1", 4);
  put (w, w->scratch->data, w->scratch->len);
  put (w, tail, sizeof tail);
  return !w->failed;
}

guint64
md_parquet_writer_get_n_rows (MdParquetWriter *w)
{
  return w->n_rows;
}

guint
md_parquet_writer_get_n_row_groups (MdParquetWriter *w)
{
  return w->groups->len;
}
