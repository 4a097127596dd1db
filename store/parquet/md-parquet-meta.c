/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-parquet"

#include "config.h"

#include <string.h>

#include "md-error.h"
#include "md-parquet-private.h"
#include "md-thrift-private.h"

/* Decoding of Parquet's FileMetaData and PageHeader (parquet.thrift). Field ids are those of the
 * format specification; fields we do not use are skipped, so newer writers stay readable. */

static void
schema_element_free (gpointer data)
{
  MdParquetSchemaElement *el = data;

  g_free (el->name);
  g_free (el);
}

static MdParquetSchemaElement *
parse_schema_element (MdThriftReader *r)
{
  MdParquetSchemaElement *el = g_new0 (MdParquetSchemaElement, 1);
  gint16 id;
  MdThriftType t;

  el->type = -1;
  el->converted_type = -1;
  _md_thrift_struct_begin (r);
  while (_md_thrift_field_begin (r, &id, &t))
    {
      switch (id)
        {
        case 1: el->type = _md_thrift_read_i32 (r, t); break;
        case 2: el->type_length = _md_thrift_read_i32 (r, t); break;
        case 3: el->repetition = _md_thrift_read_i32 (r, t); break;
        case 4: g_free (el->name); el->name = _md_thrift_read_string (r, t); break;
        case 5: el->num_children = _md_thrift_read_i32 (r, t); break;
        case 6: el->converted_type = _md_thrift_read_i32 (r, t); break;
        case 10:
          {
            /* LogicalType is a union: the id of its one field names the type. */
            gint16 lid;
            MdThriftType lt;

            if (t != MD_THRIFT_STRUCT)
              {
                _md_thrift_skip (r, t);
                break;
              }
            _md_thrift_struct_begin (r);
            while (_md_thrift_field_begin (r, &lid, &lt))
              {
                el->logical_type = lid;
                _md_thrift_skip (r, lt);
              }
            _md_thrift_struct_end (r);
          }
          break;
        default: _md_thrift_skip (r, t); break;
        }
    }
  _md_thrift_struct_end (r);
  if (el->name == NULL)
    el->name = g_strdup ("");
  return el;
}

static void
parse_column_meta (MdThriftReader *r,
                   MdParquetChunk *c)
{
  gint16 id;
  MdThriftType t;

  _md_thrift_struct_begin (r);
  while (_md_thrift_field_begin (r, &id, &t))
    {
      switch (id)
        {
        case 1: c->type = _md_thrift_read_i32 (r, t); break;
        case 4: c->codec = _md_thrift_read_i32 (r, t); break;
        case 5: c->num_values = _md_thrift_read_i64 (r, t); break;
        case 7: c->total_compressed_size = _md_thrift_read_i64 (r, t); break;
        case 9: c->data_page_offset = _md_thrift_read_i64 (r, t); break;
        case 11:
          c->dictionary_page_offset = _md_thrift_read_i64 (r, t);
          c->has_dictionary_page_offset = TRUE;
          break;
        default: _md_thrift_skip (r, t); break;
        }
    }
  _md_thrift_struct_end (r);
}

static void
parse_column_chunk (MdThriftReader *r,
                    MdParquetChunk *c)
{
  gint16 id;
  MdThriftType t;
  gboolean have_meta = FALSE;

  c->type = -1;
  _md_thrift_struct_begin (r);
  while (_md_thrift_field_begin (r, &id, &t))
    {
      switch (id)
        {
        case 1:
          {
            gsize len;

            _md_thrift_read_binary (r, t, &len);
            c->external = len > 0;
          }
          break;
        case 3:
          if (t != MD_THRIFT_STRUCT)
            {
              _md_thrift_fail (r, "ColumnChunk.meta_data is not a struct");
              break;
            }
          parse_column_meta (r, c);
          have_meta = TRUE;
          break;
        default: _md_thrift_skip (r, t); break;
        }
    }
  _md_thrift_struct_end (r);
  if (!have_meta)
    _md_thrift_fail (r, "column chunk without metadata (encrypted files are not supported)");
}

static void
parse_row_group (MdThriftReader    *r,
                 MdParquetRowGroup *rg)
{
  gint16 id;
  MdThriftType t;

  _md_thrift_struct_begin (r);
  while (_md_thrift_field_begin (r, &id, &t))
    {
      switch (id)
        {
        case 1:
          {
            MdThriftType et;
            guint32 n = _md_thrift_list_begin (r, t, &et);

            if (rg->chunks != NULL)
              {
                _md_thrift_fail (r, "row group lists its columns twice");
                break;
              }
            if (n > 0 && et != MD_THRIFT_STRUCT)
              {
                _md_thrift_fail (r, "RowGroup.columns holds type %u, expected structs", et);
                break;
              }
            rg->chunks = g_new0 (MdParquetChunk, MAX (n, 1));
            rg->n_chunks = n;
            for (guint32 i = 0; i < n && r->error == NULL; i++)
              parse_column_chunk (r, &rg->chunks[i]);
          }
          break;
        case 3: rg->num_rows = _md_thrift_read_i64 (r, t); break;
        default: _md_thrift_skip (r, t); break;
        }
    }
  _md_thrift_struct_end (r);
}

static void
parse_key_value (MdThriftReader *r,
                 MdParquetMeta  *meta)
{
  gint16 id;
  MdThriftType t;
  char *key = NULL;
  char *value = NULL;

  _md_thrift_struct_begin (r);
  while (_md_thrift_field_begin (r, &id, &t))
    {
      switch (id)
        {
        case 1: g_free (key); key = _md_thrift_read_string (r, t); break;
        case 2: g_free (value); value = _md_thrift_read_string (r, t); break;
        default: _md_thrift_skip (r, t); break;
        }
    }
  _md_thrift_struct_end (r);
  g_ptr_array_add (meta->kv_keys, key ? key : g_strdup (""));
  g_ptr_array_add (meta->kv_values, value ? value : g_strdup (""));
}

void
_md_parquet_meta_free (MdParquetMeta *meta)
{
  if (meta == NULL)
    return;
  g_ptr_array_unref (meta->schema);
  for (guint i = 0; i < meta->n_row_groups; i++)
    g_free (meta->row_groups[i].chunks);
  g_free (meta->row_groups);
  g_ptr_array_unref (meta->kv_keys);
  g_ptr_array_unref (meta->kv_values);
  g_free (meta->created_by);
  g_free (meta);
}

MdParquetMeta *
_md_parquet_meta_parse (const guint8 *data,
                        gsize         len,
                        const char   *what,
                        guint64       base_offset,
                        GError      **error)
{
  MdThriftReader r;
  MdParquetMeta *meta = g_new0 (MdParquetMeta, 1);
  gint16 id;
  MdThriftType t;

  meta->schema = g_ptr_array_new_with_free_func (schema_element_free);
  meta->kv_keys = g_ptr_array_new_with_free_func (g_free);
  meta->kv_values = g_ptr_array_new_with_free_func (g_free);

  _md_thrift_reader_init (&r, data, len, what, base_offset);
  _md_thrift_struct_begin (&r);
  while (_md_thrift_field_begin (&r, &id, &t))
    {
      switch (id)
        {
        case 1: meta->version = _md_thrift_read_i32 (&r, t); break;
        case 2:
          {
            MdThriftType et;
            guint32 n = _md_thrift_list_begin (&r, t, &et);

            if (n > 0 && et != MD_THRIFT_STRUCT)
              {
                _md_thrift_fail (&r, "FileMetaData.schema holds type %u, expected structs", et);
                break;
              }
            for (guint32 i = 0; i < n && r.error == NULL; i++)
              g_ptr_array_add (meta->schema, parse_schema_element (&r));
          }
          break;
        case 3: meta->num_rows = _md_thrift_read_i64 (&r, t); break;
        case 4:
          {
            MdThriftType et;
            guint32 n = _md_thrift_list_begin (&r, t, &et);

            if (meta->row_groups != NULL)
              {
                _md_thrift_fail (&r, "row groups listed twice");
                break;
              }
            if (n > 0 && et != MD_THRIFT_STRUCT)
              {
                _md_thrift_fail (&r, "FileMetaData.row_groups holds type %u, expected structs", et);
                break;
              }
            meta->row_groups = g_new0 (MdParquetRowGroup, MAX (n, 1));
            meta->n_row_groups = n;
            for (guint32 i = 0; i < n && r.error == NULL; i++)
              parse_row_group (&r, &meta->row_groups[i]);
          }
          break;
        case 5:
          {
            MdThriftType et;
            guint32 n = _md_thrift_list_begin (&r, t, &et);

            if (n > 0 && et != MD_THRIFT_STRUCT)
              {
                _md_thrift_fail (&r, "key_value_metadata holds type %u, expected structs", et);
                break;
              }
            for (guint32 i = 0; i < n && r.error == NULL; i++)
              parse_key_value (&r, meta);
          }
          break;
        case 6: g_free (meta->created_by); meta->created_by = _md_thrift_read_string (&r, t); break;
        default: _md_thrift_skip (&r, t); break;
        }
    }
  _md_thrift_struct_end (&r);

  if (r.error == NULL && meta->schema->len == 0)
    _md_thrift_fail (&r, "the file has no schema");

  if (r.error != NULL)
    {
      g_propagate_error (error, r.error);
      _md_parquet_meta_free (meta);
      return NULL;
    }
  return meta;
}

static void
parse_data_page_header (MdThriftReader      *r,
                        MdParquetPageHeader *h)
{
  gint16 id;
  MdThriftType t;

  _md_thrift_struct_begin (r);
  while (_md_thrift_field_begin (r, &id, &t))
    {
      switch (id)
        {
        case 1: h->num_values = _md_thrift_read_i32 (r, t); break;
        case 2: h->encoding = _md_thrift_read_i32 (r, t); break;
        case 3: h->def_encoding = _md_thrift_read_i32 (r, t); break;
        case 4: h->rep_encoding = _md_thrift_read_i32 (r, t); break;
        default: _md_thrift_skip (r, t); break;
        }
    }
  _md_thrift_struct_end (r);
}

static void
parse_dictionary_page_header (MdThriftReader      *r,
                              MdParquetPageHeader *h)
{
  gint16 id;
  MdThriftType t;

  _md_thrift_struct_begin (r);
  while (_md_thrift_field_begin (r, &id, &t))
    {
      switch (id)
        {
        case 1: h->num_values = _md_thrift_read_i32 (r, t); break;
        case 2: h->encoding = _md_thrift_read_i32 (r, t); break;
        default: _md_thrift_skip (r, t); break;
        }
    }
  _md_thrift_struct_end (r);
}

static void
parse_data_page_header_v2 (MdThriftReader      *r,
                           MdParquetPageHeader *h)
{
  gint16 id;
  MdThriftType t;

  _md_thrift_struct_begin (r);
  while (_md_thrift_field_begin (r, &id, &t))
    {
      switch (id)
        {
        case 1: h->num_values = _md_thrift_read_i32 (r, t); break;
        case 2: h->num_nulls = _md_thrift_read_i32 (r, t); break;
        case 4: h->encoding = _md_thrift_read_i32 (r, t); break;
        case 5: h->def_len = _md_thrift_read_i32 (r, t); break;
        case 6: h->rep_len = _md_thrift_read_i32 (r, t); break;
        case 7: h->is_compressed = _md_thrift_read_bool (r, t); break;
        default: _md_thrift_skip (r, t); break;
        }
    }
  _md_thrift_struct_end (r);
}

gboolean
_md_parquet_page_header_parse (const guint8        *data,
                               gsize                len,
                               const char          *what,
                               guint64              base_offset,
                               MdParquetPageHeader *h,
                               GError             **error)
{
  MdThriftReader r;
  gint16 id;
  MdThriftType t;
  gboolean have_type = FALSE;
  gboolean have_sub = FALSE;

  memset (h, 0, sizeof *h);
  h->is_compressed = TRUE;
  h->def_encoding = MD_PARQUET_ENCODING_RLE;
  h->rep_encoding = MD_PARQUET_ENCODING_RLE;
  h->uncompressed_size = -1;
  h->compressed_size = -1;

  _md_thrift_reader_init (&r, data, len, what, base_offset);
  _md_thrift_struct_begin (&r);
  while (_md_thrift_field_begin (&r, &id, &t))
    {
      switch (id)
        {
        case 1: h->type = _md_thrift_read_i32 (&r, t); have_type = TRUE; break;
        case 2: h->uncompressed_size = _md_thrift_read_i32 (&r, t); break;
        case 3: h->compressed_size = _md_thrift_read_i32 (&r, t); break;
        case 5:
        case 7:
        case 8:
          if (t != MD_THRIFT_STRUCT)
            {
              _md_thrift_fail (&r, "page header field %d is not a struct", id);
              break;
            }
          if (id == 5)
            parse_data_page_header (&r, h);
          else if (id == 7)
            parse_dictionary_page_header (&r, h);
          else
            parse_data_page_header_v2 (&r, h);
          have_sub = TRUE;
          break;
        default: _md_thrift_skip (&r, t); break;
        }
    }
  _md_thrift_struct_end (&r);

  if (r.error == NULL)
    {
      if (!have_type || h->uncompressed_size < 0 || h->compressed_size < 0)
        _md_thrift_fail (&r, "page header lacks its type or sizes");
      else if (!have_sub && h->type != MD_PARQUET_PAGE_INDEX)
        _md_thrift_fail (&r, "page header of type %d lacks its details", h->type);
      else if (h->num_values < 0 || h->def_len < 0 || h->rep_len < 0 || h->num_nulls < 0)
        _md_thrift_fail (&r, "page header has negative counts");
    }

  if (r.error != NULL)
    {
      g_propagate_error (error, r.error);
      return FALSE;
    }
  h->header_len = (gsize) (r.p - r.start);
  return TRUE;
}
