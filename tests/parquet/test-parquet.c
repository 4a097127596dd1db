/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "md-error.h"
#include "parquet/md-parquet.h"
#include "parquet/md-parquet-private.h"
#include "md-parquet-test-writer.h"

/* Writes files in every supported layout with the test writer and reads every value back. */

static char *tmpdir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data;
  gsize len;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

/* --- A hand-checked file ---------------------------------------------------------------------- */

static void
test_footer_bytes (void)
{
  g_autofree char *path = tmp_path ("tiny.parquet");
  g_autoptr(GError) error = NULL;
  g_autoptr(MdPqWriter) w = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(MdParquetFile) file = NULL;
  MdPqwOptions opt = { 0 };
  const guint8 *d;
  gsize n;
  guint32 footer_len;
  guint field;
  /* One required INT32 column holding 42, uncompressed, PLAIN, page v1. By the spec:
   *   0..3   "PAR1"
   *   4..    PageHeader, Thrift compact:
   *          15 00   field 1 (delta 1, i32) type = 0 (DATA_PAGE), zigzag(0) = 0
   *          15 08   field 2 uncompressed_page_size = 4, zigzag(4) = 8
   *          15 08   field 3 compressed_page_size = 4
   *          2c      field 5 (delta 2, struct) DataPageHeader:
   *            15 02 num_values = 1;  15 00 encoding = PLAIN
   *            15 06 definition_level_encoding = RLE (3);  15 06 repetition_level_encoding = RLE
   *            00    end of DataPageHeader
   *          00      end of PageHeader
   *   25..28 2a 00 00 00: the value 42, little-endian (no levels: the column is required)
   *   then   FileMetaData, its length as u32 LE, "PAR1". */
  static const guint8 expected_page[] = {
    0x15, 0x00, 0x15, 0x08, 0x15, 0x08, 0x2c, 0x15, 0x02, 0x15, 0x00, 0x15, 0x06, 0x15, 0x06,
    0x00, 0x00, 0x2a, 0x00, 0x00, 0x00,
  };

  w = md_pq_writer_new (path, &opt, &error);
  g_assert_no_error (error);
  field = md_pq_writer_add_field (w, "v", MD_PQW_INT32, FALSE);
  md_pq_writer_begin_row (w);
  md_pq_writer_set_int (w, field, 42);
  g_assert_true (md_pq_writer_end_row (w, &error));
  g_assert_true (md_pq_writer_close (w, &error));

  bytes = read_file (path);
  d = g_bytes_get_data (bytes, &n);
  g_assert_cmpmem (d, 4, "PAR1", 4);
  g_assert_cmpmem (d + n - 4, 4, "PAR1", 4);
  g_assert_cmpmem (d + 4, sizeof expected_page, expected_page, sizeof expected_page);
  memcpy (&footer_len, d + n - 8, 4);
  footer_len = GUINT32_FROM_LE (footer_len);
  /* The footer starts right after the page and ends 8 bytes before the end. */
  g_assert_cmpuint (footer_len, ==, n - 8 - (4 + sizeof expected_page));
  /* FileMetaData starts with field 1 (version, i32) = 1: 15 02. */
  g_assert_cmpuint (d[4 + sizeof expected_page], ==, 0x15);
  g_assert_cmpuint (d[4 + sizeof expected_page + 1], ==, 0x02);

  file = md_parquet_file_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (md_parquet_file_get_n_rows (file), ==, 1);
  g_assert_cmpuint (md_parquet_file_get_n_columns (file), ==, 1);
  g_assert_cmpstr (md_parquet_file_get_column (file, 0)->path, ==, "v");
  g_assert_cmpint (md_parquet_file_get_column (file, 0)->type, ==, MD_PARQUET_TYPE_INT32);
  g_assert_cmpstr (md_parquet_file_get_created_by (file), ==, "mimicdesk test writer");
}

/* --- Every type, codec, encoding and page version --------------------------------------------- */

enum { F_ID, F_NAME, F_I32, F_I64, F_DBL, F_BOOL, F_FIX, F_LIST, F_LEGACY, F_IMG, F_IMGS, N_F };

#define N_ROWS 1000

static char *
name_of (int i)
{
  return i % 5 == 0 ? NULL : g_strdup_printf ("name-%d", i % 7);
}

static int
list_len (int i)
{
  return i % 6 == 0 ? -1 : i % 6 == 1 ? 0 : i % 4 + 1;
}

static char *
list_item (int i, int j)
{
  return j == 1 && i % 5 == 2 ? NULL : g_strdup_printf ("t%d-%d", i % 3, j);
}

static GBytes *
image_bytes (int i, int j)
{
  GString *s = g_string_new (NULL);

  /* Binary, with NULs, of varying length. */
  for (int k = 0; k < 10 + (i * 7 + j) % 50; k++)
    g_string_append_c (s, (char) ((i + j + k) & 0xff));
  return g_string_free_to_bytes (s);
}

static void
write_all_types (const char *path, const MdPqwOptions *opt)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdPqWriter) w = md_pq_writer_new (path, opt, &error);
  guint f[N_F];

  g_assert_no_error (error);
  f[F_ID] = md_pq_writer_add_field (w, "id", MD_PQW_STRING, FALSE);
  f[F_NAME] = md_pq_writer_add_field (w, "name", MD_PQW_STRING, TRUE);
  f[F_I32] = md_pq_writer_add_field (w, "i32", MD_PQW_INT32, TRUE);
  f[F_I64] = md_pq_writer_add_field (w, "i64", MD_PQW_INT64, FALSE);
  f[F_DBL] = md_pq_writer_add_field (w, "dbl", MD_PQW_DOUBLE, FALSE);
  f[F_BOOL] = md_pq_writer_add_field (w, "flag", MD_PQW_BOOLEAN, TRUE);
  f[F_FIX] = md_pq_writer_add_field (w, "fix", MD_PQW_FIXED16, FALSE);
  f[F_LIST] = md_pq_writer_add_field (w, "tags", MD_PQW_LIST_STRING, TRUE);
  f[F_LEGACY] = md_pq_writer_add_field (w, "old", MD_PQW_LIST_STRING_LEGACY, TRUE);
  f[F_IMG] = md_pq_writer_add_field (w, "image", MD_PQW_IMAGE, TRUE);
  f[F_IMGS] = md_pq_writer_add_field (w, "images", MD_PQW_LIST_IMAGE, TRUE);

  for (int i = 0; i < N_ROWS; i++)
    {
      g_autofree char *id = g_strdup_printf ("row-%05d", i);
      g_autofree char *name = name_of (i);
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) legacy = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) imgs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      const guint8 *bptr[8];
      gsize blen[8];
      g_autofree char *img_path = g_strdup_printf ("p/%d.png", i);
      const char *paths[8];
      g_autoptr(GBytes) img = image_bytes (i, 0);

      md_pq_writer_begin_row (w);
      md_pq_writer_set_string (w, f[F_ID], id, -1);
      md_pq_writer_set_string (w, f[F_NAME], name, -1);
      if (i % 3 != 0)
        md_pq_writer_set_int (w, f[F_I32], i * 3 - 100);
      md_pq_writer_set_int (w, f[F_I64], i * G_GINT64_CONSTANT (1000000007));
      md_pq_writer_set_double (w, f[F_DBL], i * 0.5);
      if (i % 4 != 0)
        md_pq_writer_set_bool (w, f[F_BOOL], i % 2);
      md_pq_writer_set_int (w, f[F_FIX], i);
      for (int j = 0; j < list_len (i); j++)
        g_ptr_array_add (items, list_item (i, j));
      md_pq_writer_set_list (w, f[F_LIST], (const char * const *) items->pdata, list_len (i));
      for (int j = 0; j < i % 3; j++)
        g_ptr_array_add (legacy, g_strdup_printf ("o%d", j));
      md_pq_writer_set_list (w, f[F_LEGACY], (const char * const *) legacy->pdata,
                             i % 3 == 0 && i % 2 ? -1 : i % 3);
      if (i % 7 != 0)
        {
          bptr[0] = g_bytes_get_data (img, &blen[0]);
          paths[0] = i % 2 ? img_path : NULL;
          md_pq_writer_set_images (w, f[F_IMG], bptr, blen, paths, 1);
        }
      for (int j = 0; j < i % 5; j++)
        {
          GBytes *b = image_bytes (i, j + 1);

          g_ptr_array_add (imgs, b);
          bptr[j] = j == 1 && i % 3 == 0 ? NULL : g_bytes_get_data (b, &blen[j]);
          if (bptr[j] == NULL)
            blen[j] = 0;
          paths[j] = img_path;
        }
      md_pq_writer_set_images (w, f[F_IMGS], bptr, blen, paths, i % 5);
      g_assert_true (md_pq_writer_end_row (w, &error));
    }
  g_assert_true (md_pq_writer_close (w, &error));
  g_assert_no_error (error);
}

/* All entries of one row of a column. */
static void
read_row (MdParquetColumnReader *r, GArray *entries)
{
  g_autoptr(GError) error = NULL;
  MdParquetEntry e;

  g_array_set_size (entries, 0);
  g_assert_true (_md_parquet_column_reader_next (r, &e, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (e.rep, ==, 0);
  /* Copy value bytes: the next page may replace the buffer they point into. */
  e.data = g_memdup2 (e.data, e.len);
  g_array_append_val (entries, e);
  while (_md_parquet_column_reader_peek (r, &e, &error) && e.rep > 0)
    {
      _md_parquet_column_reader_next (r, &e, &error);
      e.data = g_memdup2 (e.data, e.len);
      g_array_append_val (entries, e);
    }
  g_assert_no_error (error);
}

static void
clear_entry (gpointer data)
{
  g_free ((gpointer) ((MdParquetEntry *) data)->data);
}

static void
assert_string (const MdParquetEntry *e, const char *expected)
{
  if (expected == NULL)
    {
      g_assert_false (e->present);
      return;
    }
  g_assert_true (e->present);
  g_assert_cmpmem (e->data, e->len, expected, strlen (expected));
}

static void
check_row (MdParquetFile *file, guint col, int i, GArray *en)
{
  const MdParquetColumn *c = md_parquet_file_get_column (file, col);
  const MdParquetEntry *e = &g_array_index (en, MdParquetEntry, 0);
  const char *p = c->path;

  if (g_str_equal (p, "id"))
    {
      g_autofree char *id = g_strdup_printf ("row-%05d", i);

      assert_string (e, id);
    }
  else if (g_str_equal (p, "name"))
    {
      g_autofree char *name = name_of (i);

      assert_string (e, name);
    }
  else if (g_str_equal (p, "i32"))
    {
      gint32 v;

      g_assert_cmpint (e->present, ==, i % 3 != 0);
      if (e->present)
        {
          memcpy (&v, e->data, 4);
          g_assert_cmpint (GINT32_FROM_LE (v), ==, i * 3 - 100);
        }
    }
  else if (g_str_equal (p, "i64"))
    {
      gint64 v;

      g_assert_true (e->present);
      memcpy (&v, e->data, 8);
      g_assert_cmpint (GINT64_FROM_LE (v), ==, i * G_GINT64_CONSTANT (1000000007));
    }
  else if (g_str_equal (p, "dbl"))
    {
      double v;

      memcpy (&v, e->data, 8);
      g_assert_cmpfloat (v, ==, i * 0.5);
    }
  else if (g_str_equal (p, "flag"))
    {
      g_assert_cmpint (e->present, ==, i % 4 != 0);
      if (e->present)
        g_assert_cmpint (e->data[0], ==, i % 2);
    }
  else if (g_str_equal (p, "fix"))
    {
      g_assert_cmpuint (e->len, ==, 16);
      for (guint k = 0; k < 16; k++)
        g_assert_cmpuint (e->data[k], ==, (guint8) (i + k));
    }
  else if (g_str_equal (p, "tags.list.element"))
    {
      int n = list_len (i);

      g_assert_cmpuint (c->list_def, ==, 2);
      if (n < 0)
        g_assert_cmpuint (e->def, <, c->list_def - 1);
      else if (n == 0)
        g_assert_cmpuint (e->def, ==, c->list_def - 1);
      else
        {
          g_assert_cmpuint (en->len, ==, n);
          for (int j = 0; j < n; j++)
            {
              g_autofree char *item = list_item (i, j);

              assert_string (&g_array_index (en, MdParquetEntry, j), item);
            }
        }
    }
  else if (g_str_equal (p, "old.array"))
    {
      int n = i % 3 == 0 && i % 2 ? -1 : i % 3;

      g_assert_cmpuint (c->list_def, ==, 2);
      if (n < 0)
        g_assert_cmpuint (e->def, ==, 0);
      else if (n == 0)
        g_assert_cmpuint (e->def, ==, 1);
      else
        {
          g_assert_cmpuint (en->len, ==, n);
          for (int j = 0; j < n; j++)
            {
              g_autofree char *item = g_strdup_printf ("o%d", j);

              assert_string (&g_array_index (en, MdParquetEntry, j), item);
            }
        }
    }
  else if (g_str_equal (p, "image.bytes") || g_str_equal (p, "image.path"))
    {
      g_assert_cmpuint (en->len, ==, 1);
      if (i % 7 == 0)
        g_assert_cmpuint (e->def, ==, 0);
      else if (g_str_equal (p, "image.bytes"))
        {
          g_autoptr(GBytes) b = image_bytes (i, 0);

          g_assert_true (e->present);
          g_assert_cmpmem (e->data, e->len, g_bytes_get_data (b, NULL), g_bytes_get_size (b));
        }
      else
        {
          g_autofree char *path = g_strdup_printf ("p/%d.png", i);

          assert_string (e, i % 2 ? path : NULL);
          g_assert_cmpuint (e->def, ==, i % 2 ? 2 : 1);
        }
    }
  else if (g_str_has_prefix (p, "images.list.element."))
    {
      int n = i % 5;

      g_assert_cmpuint (c->max_def, ==, 4);
      if (n == 0)
        {
          g_assert_cmpuint (en->len, ==, 1);
          g_assert_cmpuint (e->def, ==, 1);
        }
      else
        g_assert_cmpuint (en->len, ==, n);
      for (int j = 0; j < n; j++)
        {
          const MdParquetEntry *x = &g_array_index (en, MdParquetEntry, j);

          if (g_str_has_suffix (p, ".bytes"))
            {
              g_autoptr(GBytes) b = image_bytes (i, j + 1);

              if (j == 1 && i % 3 == 0)
                g_assert_false (x->present);
              else
                g_assert_cmpmem (x->data, x->len, g_bytes_get_data (b, NULL),
                                 g_bytes_get_size (b));
            }
          else
            {
              g_autofree char *path = g_strdup_printf ("p/%d.png", i);

              assert_string (x, path);
            }
        }
    }
  else
    g_assert_not_reached ();
}

static void
test_roundtrip (gconstpointer data)
{
  const MdPqwOptions *opt = data;
  g_autofree char *path = tmp_path ("all-types.parquet");
  g_autoptr(GError) error = NULL;
  g_autoptr(MdParquetFile) file = NULL;
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (MdParquetEntry));
  guint n_checked = 0;

  write_all_types (path, opt);
  file = md_parquet_file_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (md_parquet_file_get_n_rows (file), ==, N_ROWS);
  g_assert_cmpuint (md_parquet_file_get_n_columns (file), ==, 13);
  g_assert_cmpuint (md_parquet_file_get_n_row_groups (file), ==,
                    opt->rows_per_group ? (N_ROWS + opt->rows_per_group - 1) / opt->rows_per_group : 1);
  g_assert_true (md_parquet_file_get_column (file, md_parquet_file_find_column (file, "name"))->is_string);
  g_assert_false (md_parquet_file_get_column (file, md_parquet_file_find_column (file, "image.bytes"))->is_string);
  g_assert_cmpint (md_parquet_file_find_column (file, "nope"), ==, -1);

  for (guint col = 0; col < md_parquet_file_get_n_columns (file); col++)
    {
      int i = 0;

      for (guint g = 0; g < md_parquet_file_get_n_row_groups (file); g++)
        {
          g_autoptr(MdParquetColumnReader) r = _md_parquet_column_reader_new (file, g, col, &error);
          MdParquetEntry e;

          g_assert_no_error (error);
          for (gint64 k = 0; k < md_parquet_file_get_row_group_n_rows (file, g); k++, i++)
            {
              read_row (r, entries);
              check_row (file, col, i, entries);
              for (guint x = 0; x < entries->len; x++)
                clear_entry (&g_array_index (entries, MdParquetEntry, x));
              n_checked++;
            }
          g_assert_false (_md_parquet_column_reader_next (r, &e, &error));
          g_assert_no_error (error);
        }
      g_assert_cmpint (i, ==, N_ROWS);
    }
  g_assert_cmpuint (n_checked, ==, 13 * N_ROWS);
}

/* --- Image stores ------------------------------------------------------------------------------ */

static GBytes *
png_of (int i)
{
  GString *s = g_string_new (NULL);

  g_string_append_len (s, "\x89PNG\r\n\x1a\n", 8);
  for (int k = 0; k < 100 + (i * 37) % 900; k++)
    g_string_append_c (s, (char) (k * i));
  return g_string_free_to_bytes (s);
}

typedef enum { INDEX_LEVEL0, INDEX_NAMED, INDEX_INT, HF_IMAGES } StoreKind;

static void
write_store (const char *path, const MdPqwOptions *opt, StoreKind kind, int first, int n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdPqWriter) w = md_pq_writer_new (path, opt, &error);
  guint fid, fimg, fdecoy = 0;

  g_assert_no_error (error);
  if (kind == HF_IMAGES)
    {
      fid = md_pq_writer_add_field (w, "id", MD_PQW_STRING, TRUE);
      fimg = md_pq_writer_add_field (w, "image", MD_PQW_IMAGE, TRUE);
    }
  else
    {
      const char *index = kind == INDEX_NAMED ? "image_id" : "__index_level_0__";
      g_autofree char *meta = g_strdup_printf ("{\"index_columns\": [\"%s\"], \"columns\": ["
                                               "{\"name\": \"base64\", \"field_name\": \"base64\"},"
                                               "{\"name\": %s, \"field_name\": \"%s\"}]}",
                                               index, kind == INDEX_NAMED ? "\"image_id\"" : "null",
                                               index);

      /* pandas writes the data columns first and the index last. */
      fimg = md_pq_writer_add_field (w, "base64", MD_PQW_STRING, TRUE);
      if (kind == INDEX_NAMED)
        fdecoy = md_pq_writer_add_field (w, "id", MD_PQW_STRING, FALSE);
      fid = md_pq_writer_add_field (w, index, kind == INDEX_INT ? MD_PQW_INT64 : MD_PQW_STRING,
                                    TRUE);
      md_pq_writer_set_metadata (w, "pandas", meta);
    }

  for (int i = first; i < first + n; i++)
    {
      g_autoptr(GBytes) png = png_of (i);
      g_autofree char *id = g_strdup_printf ("LA_IMG_%012d", i);

      md_pq_writer_begin_row (w);
      if (kind == INDEX_INT)
        md_pq_writer_set_int (w, fid, i);
      else
        md_pq_writer_set_string (w, fid, id, -1);
      if (kind == INDEX_NAMED)
        md_pq_writer_set_string (w, fdecoy, "decoy", -1);
      if (kind == HF_IMAGES)
        {
          const guint8 *b = g_bytes_get_data (png, NULL);
          gsize len = g_bytes_get_size (png);
          const char *p = "x.png";

          md_pq_writer_set_images (w, fimg, &b, &len, &p, 1);
        }
      else if (i % 11 != 5)   /* some rows have no image */
        {
          g_autofree char *b64 = g_base64_encode (g_bytes_get_data (png, NULL),
                                                  g_bytes_get_size (png));

          md_pq_writer_set_string (w, fimg, b64, -1);
        }
      g_assert_true (md_pq_writer_end_row (w, &error));
    }
  g_assert_true (md_pq_writer_close (w, &error));
}

typedef struct
{
  GPtrArray *ids;
  GArray *locs;
  int stop_after;
} Scan;

static gboolean
on_image (const char *id, const MdParquetValueLocation *loc, gpointer user_data)
{
  Scan *s = user_data;

  g_ptr_array_add (s->ids, g_strdup (id));
  g_array_append_val (s->locs, *loc);
  return s->stop_after <= 0 || (int) s->ids->len < s->stop_after;
}

static void
check_store (MdParquetDataset *ds, StoreKind kind, int n, gboolean expect_direct)
{
  g_autoptr(GError) error = NULL;
  Scan s = { g_ptr_array_new_with_free_func (g_free),
             g_array_new (FALSE, FALSE, sizeof (MdParquetValueLocation)), 0 };
  guint k = 0;

  g_assert_true (md_parquet_scan_image_store (ds, on_image, &s, NULL, &error));
  g_assert_no_error (error);

  for (int i = 0; i < n; i++)
    {
      g_autofree char *id = kind == INDEX_INT ? g_strdup_printf ("%d", i)
                                              : g_strdup_printf ("LA_IMG_%012d", i);
      g_autoptr(GBytes) png = png_of (i);
      g_autoptr(GBytes) got = NULL;
      MdParquetValueLocation *loc;

      if (kind != HF_IMAGES && i % 11 == 5)
        continue;
      g_assert_cmpuint (k, <, s.ids->len);
      g_assert_cmpstr (s.ids->pdata[k], ==, id);
      loc = &g_array_index (s.locs, MdParquetValueLocation, k);
      g_assert_cmpint (!!(loc->flags & MD_PARQUET_VALUE_DIRECT), ==, expect_direct);
      g_assert_cmpint (!!(loc->flags & MD_PARQUET_VALUE_BASE64), ==, kind != HF_IMAGES);
      got = md_parquet_read_image (ds, loc, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (got, png));

      /* The page path must give the same bytes as the direct one. */
      if (loc->flags & MD_PARQUET_VALUE_DIRECT)
        {
          MdParquetValueLocation paged = *loc;
          g_autoptr(GBytes) again = NULL;

          paged.flags &= ~MD_PARQUET_VALUE_DIRECT;
          again = md_parquet_read_image (ds, &paged, &error);
          g_assert_no_error (error);
          g_assert_true (g_bytes_equal (again, png));
        }
      k++;
    }
  g_assert_cmpuint (k, ==, s.ids->len);

  /* Stopping early. */
  g_ptr_array_set_size (s.ids, 0);
  g_array_set_size (s.locs, 0);
  s.stop_after = 3;
  g_assert_true (md_parquet_scan_image_store (ds, on_image, &s, NULL, &error));
  g_assert_cmpuint (s.ids->len, ==, 3);

  g_ptr_array_unref (s.ids);
  g_array_unref (s.locs);
}

typedef struct
{
  StoreKind kind;
  MdPqwOptions opt;
  gboolean direct;
} StoreCase;

static void
test_image_store (gconstpointer data)
{
  const StoreCase *c = data;
  g_autofree char *path = tmp_path ("store.parquet");
  g_autoptr(GError) error = NULL;
  g_autoptr(MdParquetDataset) ds = NULL;

  write_store (path, &c->opt, c->kind, 0, 500);
  ds = md_parquet_dataset_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (md_parquet_dataset_get_n_parts (ds), ==, 1);
  g_assert_cmpint (md_parquet_dataset_get_n_rows (ds), ==, 500);
  check_store (ds, c->kind, 500, c->direct);
}

static void
test_image_store_dir (void)
{
  g_autofree char *dir = tmp_path ("LA.parquet.d");
  g_autoptr(GError) error = NULL;
  g_autoptr(MdParquetDataset) ds = NULL;
  g_autofree char *meta = NULL;
  MdPqwOptions opt = { .codec = 1, .rows_per_page = 10 };

  g_mkdir_with_parents (dir, 0700);
  /* 12 parts of 25 rows: part.10 and part.11 must come after part.9. */
  for (int p = 0; p < 12; p++)
    {
      g_autofree char *name = g_strdup_printf ("part.%d.parquet", p);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      write_store (path, &opt, INDEX_LEVEL0, p * 25, 25);
    }
  meta = g_build_filename (dir, "_metadata", NULL);
  g_file_set_contents (meta, "not a part", -1, NULL);

  ds = md_parquet_dataset_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (md_parquet_dataset_get_n_parts (ds), ==, 12);
  g_assert_true (g_str_has_suffix (md_parquet_file_get_path (md_parquet_dataset_get_part (ds, 2)),
                                   "part.2.parquet"));
  g_assert_true (g_str_has_suffix (md_parquet_file_get_path (md_parquet_dataset_get_part (ds, 11)),
                                   "part.11.parquet"));
  g_assert_cmpint (md_parquet_dataset_get_n_rows (ds), ==, 300);
  check_store (ds, INDEX_LEVEL0, 300, FALSE);
}

static void
test_image_store_cancel (void)
{
  g_autofree char *path = tmp_path ("cancel.parquet");
  g_autoptr(GError) error = NULL;
  g_autoptr(MdParquetDataset) ds = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  MdPqwOptions opt = { 0 };
  Scan s = { g_ptr_array_new_with_free_func (g_free),
             g_array_new (FALSE, FALSE, sizeof (MdParquetValueLocation)), 0 };

  write_store (path, &opt, INDEX_LEVEL0, 0, 20);
  ds = md_parquet_dataset_open (path, &error);
  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  g_assert_false (md_parquet_scan_image_store (ds, on_image, &s, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (s.ids->len, ==, 0);
  g_ptr_array_unref (s.ids);
  g_array_unref (s.locs);
}

/* --- Hugging Face instruction configurations -------------------------------------------------- */

static void
write_instructions (const char *path, const MdPqwOptions *opt, gboolean embedded, int n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdPqWriter) w = md_pq_writer_new (path, opt, &error);
  guint fid, fins, fans, fimg, frel;

  g_assert_no_error (error);
  fid = md_pq_writer_add_field (w, "id", MD_PQW_STRING, TRUE);
  fins = md_pq_writer_add_field (w, "instruction", MD_PQW_STRING, TRUE);
  fans = md_pq_writer_add_field (w, "answer", MD_PQW_STRING, TRUE);
  fimg = md_pq_writer_add_field (w, "images", embedded ? MD_PQW_LIST_IMAGE : MD_PQW_LIST_STRING,
                                 TRUE);
  frel = md_pq_writer_add_field (w, "related instructions", MD_PQW_LIST_STRING, TRUE);

  for (int i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("LA_INS_%05d", i);
      g_autofree char *ins = g_strdup_printf ("What is shown in picture %d?", i);
      g_autofree char *ans = g_strdup_printf ("Answer %d: 一只猫 (ünïcode)", i);
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) rel = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) pngs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      const guint8 *b[4];
      gsize bl[4];

      for (int j = 0; j < i % 4; j++)
        {
          GBytes *png = png_of (i * 4 + j);

          g_ptr_array_add (ids, g_strdup_printf ("LA_IMG_%012d", i * 4 + j));
          g_ptr_array_add (pngs, png);
          b[j] = g_bytes_get_data (png, &bl[j]);
        }
      for (int j = 0; j < i % 3; j++)
        g_ptr_array_add (rel, g_strdup_printf ("LA_INS_%05d", (i + j + 1) % n));

      md_pq_writer_begin_row (w);
      md_pq_writer_set_string (w, fid, id, -1);
      md_pq_writer_set_string (w, fins, ins, -1);
      md_pq_writer_set_string (w, fans, i == 7 ? NULL : ans, -1);
      if (embedded)
        md_pq_writer_set_images (w, fimg, b, bl, (const char * const *) ids->pdata, i % 4);
      else
        md_pq_writer_set_list (w, fimg, (const char * const *) ids->pdata, i % 4);
      md_pq_writer_set_list (w, frel, (const char * const *) rel->pdata, i % 3);
      g_assert_true (md_pq_writer_end_row (w, &error));
    }
  g_assert_true (md_pq_writer_close (w, &error));
}

typedef struct
{
  gboolean embedded;
  MdPqwOptions opt;
} InstructionCase;

static void
test_instructions (gconstpointer data)
{
  const InstructionCase *c = data;
  gboolean embedded = c->embedded;
  g_autofree char *path = tmp_path ("LA_Instructions.parquet");
  g_autoptr(GError) error = NULL;
  g_autoptr(MdParquetDataset) ds = NULL;
  g_autoptr(MdParquetInstructionIter) it = NULL;
  const MdParquetInstruction *row;
  int i = 0;
  const int n = 200;

  write_instructions (path, &c->opt, embedded, n);
  ds = md_parquet_dataset_open (path, &error);
  g_assert_no_error (error);
  it = md_parquet_instruction_iter_new (ds, &error);
  g_assert_no_error (error);

  while ((row = md_parquet_instruction_iter_next (it, &error)) != NULL)
    {
      g_autofree char *id = g_strdup_printf ("LA_INS_%05d", i);
      g_autofree char *ins = g_strdup_printf ("What is shown in picture %d?", i);
      g_autofree char *ans = g_strdup_printf ("Answer %d: 一只猫 (ünïcode)", i);

      g_assert_cmpstr (row->id, ==, id);
      g_assert_cmpstr (row->instruction, ==, ins);
      g_assert_cmpstr (row->answer, ==, i == 7 ? NULL : ans);
      g_assert_cmpuint (row->image_ids->len, ==, i % 4);
      g_assert_cmpuint (row->images->len, ==, embedded ? i % 4 : 0);
      for (int j = 0; j < i % 4; j++)
        {
          g_autofree char *img = g_strdup_printf ("LA_IMG_%012d", i * 4 + j);

          g_assert_cmpstr (row->image_ids->pdata[j], ==, img);
          if (embedded)
            {
              g_autoptr(GBytes) png = png_of (i * 4 + j);
              g_autoptr(GBytes) got = md_parquet_read_image (ds, &g_array_index (row->images,
                                                                                 MdParquetValueLocation,
                                                                                 j), &error);

              g_assert_no_error (error);
              g_assert_true (g_bytes_equal (got, png));
            }
        }
      g_assert_cmpuint (row->related_instructions->len, ==, i % 3);
      for (int j = 0; j < i % 3; j++)
        {
          g_autofree char *rel = g_strdup_printf ("LA_INS_%05d", (i + j + 1) % n);

          g_assert_cmpstr (row->related_instructions->pdata[j], ==, rel);
        }
      i++;
    }
  g_assert_no_error (error);
  g_assert_cmpint (i, ==, n);
}

static void
test_instructions_not_a_table (void)
{
  g_autofree char *path = tmp_path ("store-not-table.parquet");
  g_autoptr(GError) error = NULL;
  g_autoptr(MdParquetDataset) ds = NULL;
  MdPqwOptions opt = { 0 };
  MdParquetInstructionIter *it;

  write_store (path, &opt, INDEX_LEVEL0, 0, 5);
  ds = md_parquet_dataset_open (path, &error);
  g_assert_no_error (error);
  it = md_parquet_instruction_iter_new (ds, &error);
  g_assert_null (it);
  g_assert_error (error, MD_ERROR, MD_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "instruction"));
}

/* --- Clear errors for what is not supported ---------------------------------------------------- */

static char *
scan_error (const MdPqwOptions *opt, int *code)
{
  g_autofree char *path = tmp_path ("unsupported.parquet");
  g_autoptr(GError) error = NULL;
  g_autoptr(MdParquetDataset) ds = NULL;
  Scan s = { g_ptr_array_new_with_free_func (g_free),
             g_array_new (FALSE, FALSE, sizeof (MdParquetValueLocation)), 0 };

  write_store (path, opt, INDEX_LEVEL0, 0, 20);
  ds = md_parquet_dataset_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (md_parquet_scan_image_store (ds, on_image, &s, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == MD_ERROR);
  *code = error->code;
  g_ptr_array_unref (s.ids);
  g_array_unref (s.locs);
  return g_strdup (error->message);
}

static void
test_unsupported (void)
{
  MdPqwOptions brotli = { .fake_codec = 4 };
  MdPqwOptions delta = { .fake_encoding = 5 };
  MdPqwOptions huge = { .claim_page_size = 2000000000 };
  g_autofree char *m1 = NULL, *m2 = NULL, *m3 = NULL;
  int code;

  m1 = scan_error (&brotli, &code);
  g_test_message ("%s", m1);
  g_assert_cmpint (code, ==, MD_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (m1, "BROTLI"));
  g_assert_nonnull (strstr (m1, "unsupported.parquet"));
  g_assert_nonnull (strstr (m1, "column “"));

  m2 = scan_error (&delta, &code);
  g_test_message ("%s", m2);
  g_assert_cmpint (code, ==, MD_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (m2, "DELTA_BINARY_PACKED"));
  g_assert_nonnull (strstr (m2, "unsupported.parquet"));

  m3 = scan_error (&huge, &code);
  g_test_message ("%s", m3);
  g_assert_cmpint (code, ==, MD_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (m3, "1 GiB"));
}

static void
test_not_parquet (void)
{
  g_autofree char *path = tmp_path ("not.parquet");
  g_autofree char *empty = tmp_path ("empty.parquet");
  g_autofree char *dir = tmp_path ("empty-dir");
  g_autoptr(GError) error = NULL;
  MdParquetDataset *ds;

  g_file_set_contents (path, "{\"json\": true, \"padding\": 12345}", -1, NULL);
  ds = md_parquet_dataset_open (path, &error);
  g_assert_null (ds);
  g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "not.parquet"));
  g_assert_nonnull (strstr (error->message, "PAR1"));
  g_clear_error (&error);

  g_file_set_contents (empty, "", 0, NULL);
  ds = md_parquet_dataset_open (empty, &error);
  g_assert_null (ds);
  g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);
  g_clear_error (&error);

  g_mkdir_with_parents (dir, 0700);
  ds = md_parquet_dataset_open (dir, &error);
  g_assert_null (ds);
  g_assert_error (error, MD_ERROR, MD_ERROR_NOT_FOUND);
}

/* --- Corruptions: errors, never crashes -------------------------------------------------------- */

/* Reads everything a user could ask for; returns whether it all worked. */
static gboolean
exercise (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdParquetDataset) ds = md_parquet_dataset_open (path, &error);
  MdParquetFile *file;
  Scan s;
  gboolean ok = TRUE;

  if (ds == NULL)
    {
      g_assert_true (error->domain == MD_ERROR);
      return FALSE;
    }
  file = md_parquet_dataset_get_part (ds, 0);
  for (guint g = 0; g < md_parquet_file_get_n_row_groups (file); g++)
    for (guint c = 0; c < md_parquet_file_get_n_columns (file); c++)
      {
        g_autoptr(MdParquetColumnReader) r = _md_parquet_column_reader_new (file, g, c, &error);
        MdParquetEntry e;

        g_assert_no_error (error);
        while (_md_parquet_column_reader_next (r, &e, &error))
          if (e.present && e.len > 0)
            g_assert_true (e.data[0] == e.data[0] && e.data[e.len - 1] == e.data[e.len - 1]);
        if (error != NULL)
          {
            g_assert_true (error->domain == MD_ERROR);
            g_clear_error (&error);
            ok = FALSE;
          }
      }

  s.ids = g_ptr_array_new_with_free_func (g_free);
  s.locs = g_array_new (FALSE, FALSE, sizeof (MdParquetValueLocation));
  s.stop_after = 0;
  if (md_parquet_scan_image_store (ds, on_image, &s, NULL, &error))
    {
      for (guint i = 0; i < s.locs->len; i++)
        {
          g_autoptr(GBytes) b = md_parquet_read_image (ds, &g_array_index (s.locs,
                                                                           MdParquetValueLocation,
                                                                           i), &error);
          if (b == NULL)
            {
              g_assert_true (error->domain == MD_ERROR);
              g_clear_error (&error);
              ok = FALSE;
            }
        }
    }
  else
    {
      g_assert_true (error->domain == MD_ERROR);
      g_clear_error (&error);
      ok = FALSE;
    }
  g_ptr_array_unref (s.ids);
  g_array_unref (s.locs);

  {
    g_autoptr(MdParquetInstructionIter) it = md_parquet_instruction_iter_new (ds, &error);

    if (it != NULL)
      while (md_parquet_instruction_iter_next (it, &error) != NULL)
        ;
    g_clear_error (&error);
  }
  return ok;
}

/* Without the fsync of g_file_set_contents(): thousands of files are written. */
static void
set_contents (const char *path, const guint8 *data, gsize len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents_full (path, (const char *) data, len, G_FILE_SET_CONTENTS_NONE, 0600,
                            &error);
  g_assert_no_error (error);
}

static void
test_corrupt (gconstpointer data)
{
  const MdPqwOptions *opt = data;
  g_autofree char *good = tmp_path ("good.parquet");
  g_autofree char *bad = tmp_path ("bad.parquet");
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *d;
  gsize n;
  guint failures = 0, runs = 0, cut_failures = 0, cuts = 0;
  static const guint8 flips[] = { 0x01, 0x80, 0xff };

  write_store (good, opt, INDEX_LEVEL0, 0, 12);
  g_assert_true (exercise (good));
  bytes = read_file (good);
  d = g_bytes_get_data (bytes, &n);

  /* Truncations, keeping the tail so the magic and footer length are still found. */
  for (gsize cut = 0; cut < n; cut += 1 + cut / 16)
    {
      g_autofree guint8 *copy = g_memdup2 (d, n);

      memmove (copy + cut, copy + n - MIN (n - cut, 8), MIN (n - cut, 8));
      set_contents (bad, copy, MIN (n, cut + 8));
      cut_failures += !exercise (bad);
      cuts++;
    }

  /* Byte flips everywhere. */
  for (gsize pos = 0; pos < n; pos++)
    for (guint f = 0; f < G_N_ELEMENTS (flips); f++)
      {
        g_autofree guint8 *copy = g_memdup2 (d, n);

        copy[pos] ^= flips[f];
        set_contents (bad, copy, n);
        failures += !exercise (bad);
        runs++;
      }

  /* Huge lengths: footer length, and 0xff runs over every varint-sized window. */
  for (gsize pos = 4; pos + 5 < n; pos += 3)
    {
      g_autofree guint8 *copy = g_memdup2 (d, n);

      memset (copy + pos, 0xff, 4);
      copy[pos + 4] = 0x0f;
      set_contents (bad, copy, n);
      failures += !exercise (bad);
      runs++;
    }
  {
    g_autofree guint8 *copy = g_memdup2 (d, n);

    memset (copy + n - 8, 0xff, 4);
    set_contents (bad, copy, n);
    g_assert_false (exercise (bad));
    runs++;
    failures++;
  }
  g_test_message ("%" G_GSIZE_FORMAT " bytes; %u truncations, %u reported errors; "
                  "%u other corruptions, %u reported errors", n, cuts, cut_failures, runs,
                  failures);
  /* A truncated file has lost data: it must be reported. Flips inside image bytes are
   * undetectable (Parquet has no mandatory checksum), so only some of those fail. */
  g_assert_cmpuint (cut_failures, ==, cuts);
  g_assert_cmpuint (failures, >, runs / 20);
}

int
main (int argc, char *argv[])
{
  static const int codecs[] = { 0, 1, 2, 6 };
  static const char * const codec_names[] = { "none", "snappy", "gzip", "zstd" };
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("md-parquet-XXXXXX", NULL);

  g_test_add_func ("/parquet/footer/bytes", test_footer_bytes);

  for (guint c = 0; c < G_N_ELEMENTS (codecs); c++)
    for (int v = 1; v <= 2; v++)
      for (int dict = 0; dict <= 1; dict++)
        {
          MdPqwOptions *opt = g_new0 (MdPqwOptions, 1);
          g_autofree char *name = g_strdup_printf ("/parquet/roundtrip/%s/v%d/%s",
                                                   codec_names[c], v, dict ? "dictionary" : "plain");

          opt->codec = codecs[c];
          opt->page_version = v;
          opt->dictionary = dict;
          opt->rows_per_page = 37;
          opt->rows_per_group = 300;
          g_ptr_array_add (cases, opt);
          g_test_add_data_func (name, opt, test_roundtrip);
        }
  {
    MdPqwOptions *one_page = g_new0 (MdPqwOptions, 1);
    MdPqwOptions *v2_raw = g_new0 (MdPqwOptions, 1);

    one_page->codec = 1;
    g_ptr_array_add (cases, one_page);
    g_test_add_data_func ("/parquet/roundtrip/snappy/one-page", one_page, test_roundtrip);
    v2_raw->codec = 6;
    v2_raw->page_version = 2;
    v2_raw->v2_values_uncompressed = TRUE;
    v2_raw->rows_per_page = 100;
    g_ptr_array_add (cases, v2_raw);
    g_test_add_data_func ("/parquet/roundtrip/zstd/v2-uncompressed-values", v2_raw,
                          test_roundtrip);
  }

  {
    static const StoreCase stores[] = {
      { INDEX_LEVEL0, { .codec = 0, .rows_per_page = 64, .rows_per_group = 200 }, TRUE },
      { INDEX_LEVEL0, { .codec = 1, .rows_per_page = 64, .rows_per_group = 200 }, FALSE },
      { INDEX_LEVEL0, { .codec = 2, .page_version = 2, .rows_per_page = 50 }, FALSE },
      { INDEX_LEVEL0, { .codec = 0, .page_version = 2, .rows_per_page = 50 }, TRUE },
      { INDEX_NAMED, { .codec = 6, .dictionary = TRUE, .rows_per_page = 30 }, FALSE },
      { INDEX_INT, { .codec = 0, .rows_per_group = 128 }, TRUE },
      { HF_IMAGES, { .codec = 1, .page_version = 2, .rows_per_page = 40 }, FALSE },
      { HF_IMAGES, { .codec = 0, .rows_per_page = 40 }, TRUE },
    };
    static const char * const names[] = {
      "/parquet/image-store/index-level-0/none", "/parquet/image-store/index-level-0/snappy",
      "/parquet/image-store/index-level-0/gzip-v2", "/parquet/image-store/index-level-0/none-v2",
      "/parquet/image-store/named-index/zstd-dictionary", "/parquet/image-store/int-index/none",
      "/parquet/image-store/hf-images/snappy-v2", "/parquet/image-store/hf-images/none",
    };

    for (guint i = 0; i < G_N_ELEMENTS (stores); i++)
      g_test_add_data_func (names[i], &stores[i], test_image_store);
  }
  g_test_add_func ("/parquet/image-store/part-folder", test_image_store_dir);
  g_test_add_func ("/parquet/image-store/cancel", test_image_store_cancel);
  {
    /* Plain-encoded compressed pages: list values live in a page buffer that the next page
     * replaces, which once corrupted the last row of each page. */
    static const InstructionCase ins[] = {
      { FALSE, { .codec = 6, .page_version = 2, .dictionary = TRUE, .rows_per_page = 13,
                 .rows_per_group = 70 } },
      { TRUE, { .codec = 6, .page_version = 2, .dictionary = TRUE, .rows_per_page = 13,
                .rows_per_group = 70 } },
      { FALSE, { .codec = 1, .rows_per_page = 9, .rows_per_group = 70 } },
      { TRUE, { .codec = 2, .page_version = 2, .rows_per_page = 5 } },
    };
    static const char * const names[] = {
      "/parquet/hf/instructions/zstd-dictionary", "/parquet/hf/embedded-images/zstd-dictionary",
      "/parquet/hf/instructions/snappy-plain", "/parquet/hf/embedded-images/gzip-plain",
    };

    for (guint i = 0; i < G_N_ELEMENTS (ins); i++)
      g_test_add_data_func (names[i], &ins[i], test_instructions);
  }
  g_test_add_func ("/parquet/hf/not-a-table", test_instructions_not_a_table);
  g_test_add_func ("/parquet/errors/unsupported", test_unsupported);
  g_test_add_func ("/parquet/errors/not-parquet", test_not_parquet);
  {
    static const MdPqwOptions corrupt[] = {
      { .codec = 1, .dictionary = TRUE, .rows_per_page = 7, .rows_per_group = 25 },
      { .codec = 0, .page_version = 2, .rows_per_page = 9 },
      { .codec = 2, .rows_per_page = 16 },
      { .codec = 6, .page_version = 2, .dictionary = TRUE, .rows_per_page = 11 },
    };
    static const char * const names[] = {
      "/parquet/errors/corrupt/snappy-dictionary", "/parquet/errors/corrupt/none-v2",
      "/parquet/errors/corrupt/gzip", "/parquet/errors/corrupt/zstd-v2-dictionary",
    };

    for (guint i = 0; i < G_N_ELEMENTS (corrupt); i++)
      g_test_add_data_func (names[i], &corrupt[i], test_corrupt);
  }

  ret = g_test_run ();

  {
    g_autoptr(GFile) dir = g_file_new_for_path (tmpdir);
    g_autoptr(GFileEnumerator) en = NULL;

    /* Remove the folder tree the tests wrote (two levels deep). */
    en = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                    G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
    if (en != NULL)
      {
        GFileInfo *info;

        while ((info = g_file_enumerator_next_file (en, NULL, NULL)) != NULL)
          {
            g_autoptr(GFile) child = g_file_get_child (dir, g_file_info_get_name (info));
            g_autoptr(GFileEnumerator) sub = g_file_enumerate_children (child,
                                                                        G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                                                        NULL, NULL);
            GFileInfo *si;

            while (sub != NULL && (si = g_file_enumerator_next_file (sub, NULL, NULL)) != NULL)
              {
                g_autoptr(GFile) gc = g_file_get_child (child, g_file_info_get_name (si));

                g_file_delete (gc, NULL, NULL);
                g_object_unref (si);
              }
            g_file_delete (child, NULL, NULL);
            g_object_unref (info);
          }
      }
    g_file_delete (dir, NULL, NULL);
  }
  g_free (tmpdir);
  return ret;
}
