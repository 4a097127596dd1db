/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-parquet-test-writer"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include "md-parquet-test-writer.h"

/* Layout written (parquet.thrift field ids):
 *   "PAR1" | column chunks: [dictionary page] data pages ... | FileMetaData | u32 LE length | "PAR1"
 * Each page is a Thrift compact PageHeader followed by its body. */

/* --- Thrift compact writer ------------------------------------------------------------------- */

typedef struct
{
  GByteArray *buf;
  gint16 last[32];
  int depth;
} Tw;

static void
tw_byte (Tw *t, guint8 b)
{
  g_byte_array_append (t->buf, &b, 1);
}

static void
tw_varint (Tw *t, guint64 v)
{
  while (v >= 0x80)
    {
      tw_byte (t, (guint8) (v | 0x80));
      v >>= 7;
    }
  tw_byte (t, (guint8) v);
}

static guint64
zigzag (gint64 v)
{
  return ((guint64) v << 1) ^ (guint64) (v >> 63);
}

static void
tw_field (Tw *t, gint16 id, guint8 type)
{
  gint delta = id - t->last[t->depth];

  if (delta > 0 && delta <= 15)
    tw_byte (t, (guint8) (delta << 4 | type));
  else
    {
      tw_byte (t, type);
      tw_varint (t, zigzag (id));
    }
  t->last[t->depth] = id;
}

static void
tw_i32 (Tw *t, gint16 id, gint32 v)
{
  tw_field (t, id, 5);
  tw_varint (t, zigzag (v));
}

static void
tw_i64 (Tw *t, gint16 id, gint64 v)
{
  tw_field (t, id, 6);
  tw_varint (t, zigzag (v));
}

static void
tw_bin_value (Tw *t, const void *data, gsize len)
{
  tw_varint (t, len);
  g_byte_array_append (t->buf, data, len);
}

static void
tw_string (Tw *t, gint16 id, const char *s)
{
  tw_field (t, id, 8);
  tw_bin_value (t, s, strlen (s));
}

static void
tw_bool (Tw *t, gint16 id, gboolean b)
{
  tw_field (t, id, b ? 1 : 2);
}

static void
tw_push (Tw *t)
{
  t->depth++;
  g_assert (t->depth < 32);
  t->last[t->depth] = 0;
}

static void
tw_struct_begin (Tw *t, gint16 id)
{
  tw_field (t, id, 12);
  tw_push (t);
}

static void
tw_struct_end (Tw *t)
{
  tw_byte (t, 0);
  t->depth--;
}

static void
tw_list_begin (Tw *t, gint16 id, guint8 elem, guint32 n)
{
  tw_field (t, id, 9);
  if (n < 15)
    tw_byte (t, (guint8) (n << 4 | elem));
  else
    {
      tw_byte (t, 0xf0 | elem);
      tw_varint (t, n);
    }
}

/* --- RLE / bit-packed hybrid ----------------------------------------------------------------- */

/* Long runs become RLE runs, everything else bit-packed groups of 8, so both forms are used. */
static void
rle_encode (GByteArray *out, const guint32 *v, gsize n, guint bw)
{
  Tw t = { out };
  gsize i = 0;

  while (i < n)
    {
      gsize run = 1;

      while (i + run < n && v[i + run] == v[i])
        run++;
      if (run >= 8)
        {
          tw_varint (&t, (guint64) run << 1);
          for (guint b = 0; b < (bw + 7) / 8; b++)
            tw_byte (&t, (guint8) (v[i] >> (8 * b)));
          i += run;
        }
      else
        {
          guint8 bytes[32] = { 0 };
          guint64 bit = 0;

          tw_varint (&t, (1 << 1) | 1);
          for (guint k = 0; k < 8; k++, bit += bw)
            {
              guint32 x = i + k < n ? v[i + k] : 0;

              for (guint b = 0; b < bw; b++)
                if (x & (1u << b))
                  bytes[(bit + b) / 8] |= 1 << ((bit + b) % 8);
            }
          g_byte_array_append (out, bytes, bw);
          i += 8;
        }
    }
}

/* --- Columns ---------------------------------------------------------------------------------- */

typedef struct
{
  char *name;
  int type;                     /* -1: group */
  int type_length;
  int repetition;
  int num_children;
  int converted;                /* -1: none */
  gboolean logical_string;
} SchemaEl;

typedef struct
{
  GPtrArray *path;
  int type;
  int type_length;
  guint max_def;
  guint max_rep;
  GArray *rep;                  /* guint32 */
  GArray *def;                  /* guint32 */
  GByteArray *values;           /* raw values, one after another */
  GArray *val_off;              /* guint64 */
  GArray *val_len;              /* guint32 */
  /* Footer data per row group */
  GArray *chunks;               /* ChunkMeta */
} Leaf;

typedef struct
{
  gint64 num_values;
  gint64 uncompressed;
  gint64 compressed;
  gint64 data_page_offset;
  gint64 dict_page_offset;      /* 0: none */
  gint64 file_offset;
} ChunkMeta;

typedef struct
{
  MdPqwKind kind;
  gboolean nullable;
  guint leaf;                   /* first leaf */
  gboolean set;
} Field;

struct _MdPqWriter
{
  FILE *fp;
  char *path;
  guint64 pos;
  MdPqwOptions opt;
  GArray *schema;               /* SchemaEl */
  GPtrArray *leaves;            /* Leaf* */
  GArray *fields;               /* Field */
  GPtrArray *kv;                /* key, value, ... */
  guint64 rows_in_group;
  guint64 total_rows;
  GArray *group_rows;           /* gint64 per written row group */
  gboolean failed;
};

static void
leaf_free (gpointer data)
{
  Leaf *l = data;

  g_ptr_array_unref (l->path);
  g_array_unref (l->rep);
  g_array_unref (l->def);
  g_byte_array_unref (l->values);
  g_array_unref (l->val_off);
  g_array_unref (l->val_len);
  g_array_unref (l->chunks);
  g_free (l);
}

MdPqWriter *
md_pq_writer_new (const char         *path,
                  const MdPqwOptions *options,
                  GError            **error)
{
  MdPqWriter *w = g_new0 (MdPqWriter, 1);
  SchemaEl root = { g_strdup ("schema"), -1, 0, 0, 0, -1, FALSE };

  w->fp = fopen (path, "wb");
  if (w->fp == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot create %s", path);
      g_free (w);
      g_free (root.name);
      return NULL;
    }
  w->path = g_strdup (path);
  w->opt = *options;
  if (w->opt.page_version == 0)
    w->opt.page_version = 1;
  w->schema = g_array_new (FALSE, TRUE, sizeof (SchemaEl));
  g_array_append_val (w->schema, root);
  w->leaves = g_ptr_array_new_with_free_func (leaf_free);
  w->fields = g_array_new (FALSE, TRUE, sizeof (Field));
  w->kv = g_ptr_array_new_with_free_func (g_free);
  w->group_rows = g_array_new (FALSE, FALSE, sizeof (gint64));
  fwrite ("PAR1", 1, 4, w->fp);
  w->pos = 4;
  return w;
}

void
md_pq_writer_free (MdPqWriter *w)
{
  if (w == NULL)
    return;
  if (w->fp != NULL)
    fclose (w->fp);
  for (guint i = 0; i < w->schema->len; i++)
    g_free (g_array_index (w->schema, SchemaEl, i).name);
  g_array_unref (w->schema);
  g_ptr_array_unref (w->leaves);
  g_array_unref (w->fields);
  g_ptr_array_unref (w->kv);
  g_array_unref (w->group_rows);
  g_free (w->path);
  g_free (w);
}

void
md_pq_writer_set_metadata (MdPqWriter *w,
                           const char *key,
                           const char *value)
{
  g_ptr_array_add (w->kv, g_strdup (key));
  g_ptr_array_add (w->kv, g_strdup (value));
}

static void
add_el (MdPqWriter *w, const char *name, int type, int repetition, int children, int converted,
        gboolean logical_string)
{
  SchemaEl el = { g_strdup (name), type, type == 7 ? 16 : 0, repetition, children, converted,
                  logical_string };

  g_array_append_val (w->schema, el);
}

static void
add_leaf (MdPqWriter *w, const char *const *path, int type, guint max_def, guint max_rep)
{
  Leaf *l = g_new0 (Leaf, 1);

  l->path = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; path[i]; i++)
    g_ptr_array_add (l->path, g_strdup (path[i]));
  l->type = type;
  l->type_length = type == 7 ? 16 : 0;
  l->max_def = max_def;
  l->max_rep = max_rep;
  l->rep = g_array_new (FALSE, FALSE, sizeof (guint32));
  l->def = g_array_new (FALSE, FALSE, sizeof (guint32));
  l->values = g_byte_array_new ();
  l->val_off = g_array_new (FALSE, FALSE, sizeof (guint64));
  l->val_len = g_array_new (FALSE, FALSE, sizeof (guint32));
  l->chunks = g_array_new (FALSE, TRUE, sizeof (ChunkMeta));
  g_ptr_array_add (w->leaves, l);
}

guint
md_pq_writer_add_field (MdPqWriter *w,
                        const char *name,
                        MdPqwKind   kind,
                        gboolean    nullable)
{
  Field f = { kind, nullable, w->leaves->len, FALSE };
  int rep = nullable ? 1 : 0;
  guint n = nullable ? 1 : 0;
  static const int types[] = { 6, 6, 1, 2, 5, 0, 7 };

  g_array_index (w->schema, SchemaEl, 0).num_children++;

  switch (kind)
    {
    case MD_PQW_STRING:
    case MD_PQW_BINARY:
    case MD_PQW_INT32:
    case MD_PQW_INT64:
    case MD_PQW_DOUBLE:
    case MD_PQW_BOOLEAN:
    case MD_PQW_FIXED16:
      add_el (w, name, types[kind], rep, 0, kind == MD_PQW_STRING ? 0 : -1,
              kind == MD_PQW_STRING);
      add_leaf (w, (const char *[]) { name, NULL }, types[kind], n, 0);
      break;
    case MD_PQW_LIST_STRING:
      add_el (w, name, -1, rep, 1, 3, FALSE);
      add_el (w, "list", -1, 2, 1, -1, FALSE);
      add_el (w, "element", 6, 1, 0, 0, TRUE);
      add_leaf (w, (const char *[]) { name, "list", "element", NULL }, 6, n + 2, 1);
      break;
    case MD_PQW_LIST_STRING_LEGACY:
      add_el (w, name, -1, rep, 1, 3, FALSE);
      add_el (w, "array", 6, 2, 0, 0, FALSE);
      add_leaf (w, (const char *[]) { name, "array", NULL }, 6, n + 1, 1);
      break;
    case MD_PQW_IMAGE:
      add_el (w, name, -1, rep, 2, -1, FALSE);
      add_el (w, "bytes", 6, 1, 0, -1, FALSE);
      add_el (w, "path", 6, 1, 0, 0, TRUE);
      add_leaf (w, (const char *[]) { name, "bytes", NULL }, 6, n + 1, 0);
      add_leaf (w, (const char *[]) { name, "path", NULL }, 6, n + 1, 0);
      break;
    case MD_PQW_LIST_IMAGE:
      add_el (w, name, -1, rep, 1, 3, FALSE);
      add_el (w, "list", -1, 2, 1, -1, FALSE);
      add_el (w, "element", -1, 1, 2, -1, FALSE);
      add_el (w, "bytes", 6, 1, 0, -1, FALSE);
      add_el (w, "path", 6, 1, 0, 0, TRUE);
      add_leaf (w, (const char *[]) { name, "list", "element", "bytes", NULL }, 6, n + 3, 1);
      add_leaf (w, (const char *[]) { name, "list", "element", "path", NULL }, 6, n + 3, 1);
      break;
    }
  g_array_append_val (w->fields, f);
  return w->fields->len - 1;
}

static void
push (Leaf *l, guint32 rep, guint32 def, const void *data, gsize len)
{
  g_array_append_val (l->rep, rep);
  g_array_append_val (l->def, def);
  if (def == l->max_def)
    {
      guint64 off = l->values->len;
      guint32 len32 = (guint32) len;

      g_array_append_val (l->val_off, off);
      g_array_append_val (l->val_len, len32);
      g_byte_array_append (l->values, data, len);
    }
}

static Field *
get_field (MdPqWriter *w, guint field)
{
  Field *f = &g_array_index (w->fields, Field, field);

  g_assert (!f->set);
  f->set = TRUE;
  return f;
}

static Leaf *
leaf (MdPqWriter *w, guint i)
{
  return g_ptr_array_index (w->leaves, i);
}

void
md_pq_writer_begin_row (MdPqWriter *w)
{
  for (guint i = 0; i < w->fields->len; i++)
    g_array_index (w->fields, Field, i).set = FALSE;
}

void
md_pq_writer_set_string (MdPqWriter *w, guint field, const char *value, gssize len)
{
  Field *f = get_field (w, field);
  Leaf *l = leaf (w, f->leaf);

  if (value == NULL)
    {
      g_assert (f->nullable);
      push (l, 0, 0, NULL, 0);
      return;
    }
  push (l, 0, l->max_def, value, len < 0 ? strlen (value) : (gsize) len);
}

void
md_pq_writer_set_int (MdPqWriter *w, guint field, gint64 value)
{
  Field *f = get_field (w, field);
  Leaf *l = leaf (w, f->leaf);

  if (f->kind == MD_PQW_INT32)
    {
      gint32 v = GINT32_TO_LE ((gint32) value);

      push (l, 0, l->max_def, &v, 4);
    }
  else if (f->kind == MD_PQW_FIXED16)
    {
      guint8 b[16];

      for (guint i = 0; i < 16; i++)
        b[i] = (guint8) (value + i);
      push (l, 0, l->max_def, b, 16);
    }
  else
    {
      gint64 v = GINT64_TO_LE (value);

      push (l, 0, l->max_def, &v, 8);
    }
}

void
md_pq_writer_set_double (MdPqWriter *w, guint field, double value)
{
  Field *f = get_field (w, field);

  push (leaf (w, f->leaf), 0, leaf (w, f->leaf)->max_def, &value, 8);
}

void
md_pq_writer_set_bool (MdPqWriter *w, guint field, gboolean value)
{
  Field *f = get_field (w, field);
  guint8 b = value ? 1 : 0;

  push (leaf (w, f->leaf), 0, leaf (w, f->leaf)->max_def, &b, 1);
}

void
md_pq_writer_set_list (MdPqWriter *w, guint field, const char *const *items, int n)
{
  Field *f = get_field (w, field);
  Leaf *l = leaf (w, f->leaf);
  guint32 base = f->nullable ? 1 : 0;

  if (n < 0)
    {
      g_assert (f->nullable);
      push (l, 0, 0, NULL, 0);
      return;
    }
  if (n == 0)
    {
      push (l, 0, base, NULL, 0);
      return;
    }
  for (int i = 0; i < n; i++)
    {
      if (items[i] == NULL)
        {
          g_assert (f->kind == MD_PQW_LIST_STRING);
          push (l, i == 0 ? 0 : 1, base + 1, NULL, 0);
        }
      else
        push (l, i == 0 ? 0 : 1, l->max_def, items[i], strlen (items[i]));
    }
}

void
md_pq_writer_set_images (MdPqWriter *w, guint field, const guint8 *const *bytes,
                         const gsize *lens, const char *const *paths, int n)
{
  Field *f = get_field (w, field);
  Leaf *lb = leaf (w, f->leaf);
  Leaf *lp = leaf (w, f->leaf + 1);
  guint32 base = f->nullable ? 1 : 0;

  if (f->kind == MD_PQW_IMAGE)
    {
      if (n < 1)
        {
          g_assert (f->nullable);
          push (lb, 0, 0, NULL, 0);
          push (lp, 0, 0, NULL, 0);
          return;
        }
      push (lb, 0, bytes[0] ? base + 1 : base, bytes[0], lens[0]);
      push (lp, 0, paths[0] ? base + 1 : base, paths[0], paths[0] ? strlen (paths[0]) : 0);
      return;
    }

  if (n < 0)
    {
      g_assert (f->nullable);
      push (lb, 0, 0, NULL, 0);
      push (lp, 0, 0, NULL, 0);
      return;
    }
  if (n == 0)
    {
      push (lb, 0, base, NULL, 0);
      push (lp, 0, base, NULL, 0);
      return;
    }
  for (int i = 0; i < n; i++)
    {
      guint32 r = i == 0 ? 0 : 1;

      push (lb, r, bytes[i] ? base + 3 : base + 2, bytes[i], lens[i]);
      push (lp, r, paths[i] ? base + 3 : base + 2, paths[i], paths[i] ? strlen (paths[i]) : 0);
    }
}

/* --- Pages and chunks ------------------------------------------------------------------------- */

static void
out (MdPqWriter *w, const void *data, gsize len)
{
  if (len > 0 && fwrite (data, 1, len, w->fp) != len)
    w->failed = TRUE;
  w->pos += len;
}

static GByteArray *
compress_buf (int codec, const guint8 *data, gsize len)
{
  GByteArray *c = g_byte_array_new ();

  switch (codec)
    {
    case 0:
      g_byte_array_append (c, data, len);
      break;
    case 1:
      {
        size_t n = snappy_max_compressed_length (len);

        g_byte_array_set_size (c, n);
        g_assert (snappy_compress ((const char *) data, len, (char *) c->data, &n) == SNAPPY_OK);
        g_byte_array_set_size (c, n);
      }
      break;
    case 2:
      {
        z_stream z = { 0 };

        g_byte_array_set_size (c, deflateBound (&z, len) + 64);
        g_assert (deflateInit2 (&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
        z.next_in = (Bytef *) data;
        z.avail_in = len;
        z.next_out = c->data;
        z.avail_out = c->len;
        g_assert (deflate (&z, Z_FINISH) == Z_STREAM_END);
        g_byte_array_set_size (c, z.total_out);
        deflateEnd (&z);
      }
      break;
    case 6:
      {
        size_t n;

        g_byte_array_set_size (c, ZSTD_compressBound (len));
        n = ZSTD_compress (c->data, c->len, data, len, 1);
        g_assert (!ZSTD_isError (n));
        g_byte_array_set_size (c, n);
      }
      break;
    default:
      g_assert_not_reached ();
    }
  return c;
}

static void
plain_values (Leaf *l, GByteArray *dst, guint first, guint count)
{
  if (l->type == 0)
    {
      guint8 acc = 0;

      for (guint i = 0; i < count; i++)
        {
          guint64 off = g_array_index (l->val_off, guint64, first + i);

          acc |= (l->values->data[off] & 1) << (i % 8);
          if (i % 8 == 7 || i + 1 == count)
            {
              g_byte_array_append (dst, &acc, 1);
              acc = 0;
            }
        }
      return;
    }
  for (guint i = 0; i < count; i++)
    {
      guint64 off = g_array_index (l->val_off, guint64, first + i);
      guint32 len = g_array_index (l->val_len, guint32, first + i);

      if (l->type == 6)
        {
          guint32 le = GUINT32_TO_LE (len);

          g_byte_array_append (dst, (guint8 *) &le, 4);
        }
      g_byte_array_append (dst, l->values->data + off, len);
    }
}

static gint64
write_page (MdPqWriter *w, int type, const GByteArray *levels_rep, const GByteArray *levels_def,
            const GByteArray *values, guint n_entries, guint n_nulls, guint n_rows, int encoding,
            gint64 *uncompressed_total)
{
  Tw t = { g_byte_array_new () };
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GByteArray) comp = NULL;
  gint64 start = w->pos;
  gint32 uncompressed;

  if (type == 3)
    {
      gboolean compress_values = !w->opt.v2_values_uncompressed;

      comp = compress_buf (compress_values ? w->opt.codec : 0, values->data, values->len);
      g_byte_array_append (body, levels_rep->data, levels_rep->len);
      g_byte_array_append (body, levels_def->data, levels_def->len);
      g_byte_array_append (body, comp->data, comp->len);
      uncompressed = levels_rep->len + levels_def->len + values->len;
      tw_push (&t);
      tw_i32 (&t, 1, 3);
      tw_i32 (&t, 2, w->opt.claim_page_size ? w->opt.claim_page_size : uncompressed);
      tw_i32 (&t, 3, body->len);
      tw_struct_begin (&t, 8);
      tw_i32 (&t, 1, n_entries);
      tw_i32 (&t, 2, n_nulls);
      tw_i32 (&t, 3, n_rows);
      tw_i32 (&t, 4, w->opt.fake_encoding ? w->opt.fake_encoding : encoding);
      tw_i32 (&t, 5, levels_def->len);
      tw_i32 (&t, 6, levels_rep->len);
      if (!compress_values)
        tw_bool (&t, 7, FALSE);
      tw_struct_end (&t);
      tw_struct_end (&t);
    }
  else
    {
      g_autoptr(GByteArray) raw = g_byte_array_new ();

      /* v1: levels are length-prefixed and compressed with the values. */
      for (guint k = 0; k < 2; k++)
        {
          const GByteArray *lv = k == 0 ? levels_rep : levels_def;
          guint32 le;

          if (lv == NULL)
            continue;
          le = GUINT32_TO_LE (lv->len);
          g_byte_array_append (raw, (guint8 *) &le, 4);
          g_byte_array_append (raw, lv->data, lv->len);
        }
      if (values != NULL)
        g_byte_array_append (raw, values->data, values->len);
      comp = compress_buf (w->opt.codec, raw->data, raw->len);
      g_byte_array_append (body, comp->data, comp->len);
      uncompressed = raw->len;
      tw_push (&t);
      tw_i32 (&t, 1, type);
      tw_i32 (&t, 2, type == 0 && w->opt.claim_page_size ? w->opt.claim_page_size : uncompressed);
      tw_i32 (&t, 3, body->len);
      if (type == 2)
        {
          tw_struct_begin (&t, 7);
          tw_i32 (&t, 1, n_entries);
          tw_i32 (&t, 2, encoding);
          tw_struct_end (&t);
        }
      else
        {
          tw_struct_begin (&t, 5);
          tw_i32 (&t, 1, n_entries);
          tw_i32 (&t, 2, w->opt.fake_encoding ? w->opt.fake_encoding : encoding);
          tw_i32 (&t, 3, 3);
          tw_i32 (&t, 4, 3);
          tw_struct_end (&t);
        }
      tw_struct_end (&t);
    }

  *uncompressed_total += t.buf->len + uncompressed;
  out (w, t.buf->data, t.buf->len);
  out (w, body->data, body->len);
  g_byte_array_unref (t.buf);
  return start;
}

static void
flush_leaf (MdPqWriter *w, Leaf *l)
{
  ChunkMeta cm = { 0 };
  g_autoptr(GHashTable) dict = NULL;
  g_autoptr(GArray) dict_order = NULL;   /* value index of each dictionary entry */
  g_autofree guint32 *idx = NULL;
  gboolean use_dict = w->opt.dictionary && l->type != 0;
  guint n = l->rep->len;
  guint e = 0;
  guint v = 0;

  cm.num_values = n;
  cm.file_offset = w->pos;

  if (use_dict)
    {
      g_autoptr(GByteArray) values = g_byte_array_new ();

      dict = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                    (GDestroyNotify) g_bytes_unref, NULL);
      dict_order = g_array_new (FALSE, FALSE, sizeof (guint));
      idx = g_new (guint32, MAX (l->val_off->len, 1));
      for (guint i = 0; i < l->val_off->len; i++)
        {
          GBytes *key = g_bytes_new (l->values->data + g_array_index (l->val_off, guint64, i),
                                     g_array_index (l->val_len, guint32, i));
          gpointer found;

          if (g_hash_table_lookup_extended (dict, key, NULL, &found))
            {
              idx[i] = GPOINTER_TO_UINT (found);
              g_bytes_unref (key);
            }
          else
            {
              idx[i] = dict_order->len;
              g_array_append_val (dict_order, i);
              g_hash_table_insert (dict, key, GUINT_TO_POINTER (idx[i]));
            }
        }
      for (guint i = 0; i < dict_order->len; i++)
        plain_values (l, values, g_array_index (dict_order, guint, i), 1);
      cm.dict_page_offset = write_page (w, 2, NULL, NULL, values, dict_order->len, 0, 0,
                                        w->opt.page_version == 2 ? 0 : 2, &cm.uncompressed);
    }

  while (e < n)
    {
      g_autoptr(GByteArray) rep = g_byte_array_new ();
      g_autoptr(GByteArray) def = g_byte_array_new ();
      g_autoptr(GByteArray) values = g_byte_array_new ();
      guint rows = 0, first = e, nv = 0, nulls = 0;
      gint64 off;

      /* A page holds whole rows. */
      while (e < n)
        {
          if (g_array_index (l->rep, guint32, e) == 0)
            {
              if (w->opt.rows_per_page > 0 && rows == w->opt.rows_per_page)
                break;
              rows++;
            }
          if (g_array_index (l->def, guint32, e) == l->max_def)
            nv++;
          else
            nulls++;
          e++;
        }

      if (l->max_rep > 0)
        rle_encode (rep, &g_array_index (l->rep, guint32, first), e - first,
                    g_bit_storage (l->max_rep));
      if (l->max_def > 0)
        rle_encode (def, &g_array_index (l->def, guint32, first), e - first,
                    g_bit_storage (l->max_def));

      if (use_dict)
        {
          guint bw = dict_order->len > 1 ? g_bit_storage (dict_order->len - 1) : 0;
          guint8 b = bw;

          g_byte_array_append (values, &b, 1);
          rle_encode (values, idx + v, nv, bw);
        }
      else
        plain_values (l, values, v, nv);
      v += nv;

      off = write_page (w, w->opt.page_version == 2 ? 3 : 0,
                        l->max_rep > 0 || w->opt.page_version == 2 ? rep : NULL,
                        l->max_def > 0 || w->opt.page_version == 2 ? def : NULL,
                        values, e - first, nulls, rows,
                        use_dict ? (w->opt.page_version == 2 ? 8 : 2) : 0, &cm.uncompressed);
      if (cm.data_page_offset == 0)
        cm.data_page_offset = off;
    }

  if (n == 0)
    cm.data_page_offset = w->pos;
  cm.compressed = w->pos - cm.file_offset;
  g_array_append_val (l->chunks, cm);

  g_array_set_size (l->rep, 0);
  g_array_set_size (l->def, 0);
  g_byte_array_set_size (l->values, 0);
  g_array_set_size (l->val_off, 0);
  g_array_set_size (l->val_len, 0);
}

static void
flush_group (MdPqWriter *w)
{
  gint64 rows = w->rows_in_group;

  for (guint i = 0; i < w->leaves->len; i++)
    flush_leaf (w, leaf (w, i));
  g_array_append_val (w->group_rows, rows);
  w->rows_in_group = 0;
}

gboolean
md_pq_writer_end_row (MdPqWriter *w,
                      GError    **error)
{
  for (guint i = 0; i < w->fields->len; i++)
    {
      Field *f = &g_array_index (w->fields, Field, i);
      guint n_leaves = f->kind == MD_PQW_IMAGE || f->kind == MD_PQW_LIST_IMAGE ? 2 : 1;

      if (f->set)
        continue;
      g_assert (f->nullable);
      for (guint k = 0; k < n_leaves; k++)
        push (leaf (w, f->leaf + k), 0, 0, NULL, 0);
    }
  w->rows_in_group++;
  w->total_rows++;
  if (w->opt.rows_per_group > 0 && w->rows_in_group == w->opt.rows_per_group)
    flush_group (w);
  if (w->failed)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write %s", w->path);
      return FALSE;
    }
  return TRUE;
}

gboolean
md_pq_writer_close (MdPqWriter *w,
                    GError    **error)
{
  Tw t = { g_byte_array_new () };
  guint32 len;

  if (w->rows_in_group > 0 || w->group_rows->len == 0)
    flush_group (w);

  tw_push (&t);
  tw_i32 (&t, 1, 1);
  tw_list_begin (&t, 2, 12, w->schema->len);
  for (guint i = 0; i < w->schema->len; i++)
    {
      SchemaEl *el = &g_array_index (w->schema, SchemaEl, i);

      tw_push (&t);
      if (el->type >= 0)
        tw_i32 (&t, 1, el->type);
      if (el->type == 7)
        tw_i32 (&t, 2, el->type_length);
      if (i > 0)
        tw_i32 (&t, 3, el->repetition);
      tw_string (&t, 4, el->name);
      if (el->num_children > 0 || i == 0)
        tw_i32 (&t, 5, el->num_children);
      if (el->converted >= 0)
        tw_i32 (&t, 6, el->converted);
      if (el->logical_string)
        {
          tw_struct_begin (&t, 10);
          tw_struct_begin (&t, 1);
          tw_struct_end (&t);
          tw_struct_end (&t);
        }
      tw_struct_end (&t);
    }
  tw_i64 (&t, 3, w->total_rows);
  tw_list_begin (&t, 4, 12, w->group_rows->len);
  for (guint g = 0; g < w->group_rows->len; g++)
    {
      gint64 total = 0;

      tw_push (&t);
      tw_list_begin (&t, 1, 12, w->leaves->len);
      for (guint i = 0; i < w->leaves->len; i++)
        {
          Leaf *l = leaf (w, i);
          ChunkMeta *cm = &g_array_index (l->chunks, ChunkMeta, g);

          total += cm->uncompressed;
          tw_push (&t);
          tw_i64 (&t, 2, cm->file_offset);
          tw_struct_begin (&t, 3);
          tw_i32 (&t, 1, l->type);
          tw_list_begin (&t, 2, 5, 2);
          tw_varint (&t, zigzag (0));
          tw_varint (&t, zigzag (3));
          tw_list_begin (&t, 3, 8, l->path->len);
          for (guint k = 0; k < l->path->len; k++)
            tw_bin_value (&t, l->path->pdata[k], strlen (l->path->pdata[k]));
          tw_i32 (&t, 4, w->opt.fake_codec ? w->opt.fake_codec : w->opt.codec);
          tw_i64 (&t, 5, cm->num_values);
          tw_i64 (&t, 6, cm->uncompressed);
          tw_i64 (&t, 7, cm->compressed);
          tw_i64 (&t, 9, cm->data_page_offset);
          if (cm->dict_page_offset > 0)
            tw_i64 (&t, 11, cm->dict_page_offset);
          tw_struct_end (&t);
          tw_struct_end (&t);
        }
      tw_i64 (&t, 2, total);
      tw_i64 (&t, 3, g_array_index (w->group_rows, gint64, g));
      tw_struct_end (&t);
    }
  if (w->kv->len > 0)
    {
      tw_list_begin (&t, 5, 12, w->kv->len / 2);
      for (guint i = 0; i < w->kv->len; i += 2)
        {
          tw_push (&t);
          tw_string (&t, 1, w->kv->pdata[i]);
          tw_string (&t, 2, w->kv->pdata[i + 1]);
          tw_struct_end (&t);
        }
    }
  tw_string (&t, 6, "mimicdesk test writer");
  tw_struct_end (&t);

  out (w, t.buf->data, t.buf->len);
  len = GUINT32_TO_LE (t.buf->len);
  out (w, &len, 4);
  out (w, "PAR1", 4);
  g_byte_array_unref (t.buf);

  if (fclose (w->fp) != 0)
    w->failed = TRUE;
  w->fp = NULL;
  if (w->failed)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, "cannot write %s", w->path);
      return FALSE;
    }
  return TRUE;
}
