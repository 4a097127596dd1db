/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "parquet/md-parquet.h"
#include "parquet/md-parquet-writer.h"

/* The export's image store writer, read back by the store's Parquet reader (the independent
 * readers, DuckDB and pandas, read its files in the otter-readers test). */

static gboolean
to_bytes (const guint8 *data,
          gsize         len,
          gpointer      user_data)
{
  g_byte_array_append (user_data, data, len);
  return TRUE;
}

typedef struct
{
  MdParquetDataset *ds;
  guint             n;
} Seen;

static gboolean
on_image (const char                   *image_id,
          const MdParquetValueLocation *loc,
          gpointer                      user_data)
{
  Seen *seen = user_data;
  g_autofree char *want_id = g_strdup_printf ("T_IMG_%04u", seen->n);
  g_autofree char *want = g_strdup_printf ("%0*u", (int) (4 + 4 * (seen->n % 5)), seen->n);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) value = md_parquet_read_value (seen->ds, loc, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (image_id, ==, want_id);
  g_assert_cmpmem (g_bytes_get_data (value, NULL), g_bytes_get_size (value), want, strlen (want));
  seen->n++;
  return TRUE;
}

static GBytes *
write_store (guint n_rows,
             guint group_rows,
             gsize page_bytes)
{
  GByteArray *out = g_byte_array_new ();
  g_autoptr(MdParquetWriter) w = md_parquet_writer_new (to_bytes, out, "test");

  md_parquet_writer_set_limits (w, group_rows, 0, page_bytes);
  for (guint i = 0; i < n_rows; i++)
    {
      g_autofree char *id = g_strdup_printf ("T_IMG_%04u", i);
      g_autofree char *value = g_strdup_printf ("%0*u", (int) (4 + 4 * (i % 5)), i);

      g_assert_true (md_parquet_writer_add (w, id, strlen (id), value, strlen (value)));
    }
  g_assert_true (md_parquet_writer_finish (w));
  g_assert_cmpuint (md_parquet_writer_get_n_rows (w), ==, n_rows);
  return g_byte_array_free_to_bytes (out);
}

static void
test_row_groups (void)
{
  g_autoptr(GBytes) bytes = write_store (1000, 64, 100);
  g_autoptr(GError) error = NULL;
  g_autoptr(MdParquetFile) file = md_parquet_file_new_from_bytes (bytes, "store.parquet", &error);
  g_autoptr(MdParquetDataset) ds = NULL;
  const char *pandas;
  Seen seen = { NULL, 0 };

  g_assert_no_error (error);
  g_assert_cmpint (md_parquet_file_get_n_rows (file), ==, 1000);
  /* Bounded groups: 15 of 64 rows and the rest. */
  g_assert_cmpuint (md_parquet_file_get_n_row_groups (file), ==, 16);
  for (guint g = 0; g < 16; g++)
    g_assert_cmpint (md_parquet_file_get_row_group_n_rows (file, g), ==, g < 15 ? 64 : 1000 - 960);
  g_assert_cmpint (md_parquet_file_find_column (file, "base64"), ==, 0);
  g_assert_cmpint (md_parquet_file_find_column (file, "__index_level_0__"), ==, 1);
  pandas = md_parquet_file_get_metadata (file, "pandas");
  g_assert_nonnull (strstr (pandas, "\"index_columns\": [\"__index_level_0__\"]"));

  ds = md_parquet_dataset_new_for_file (file);
  seen.ds = ds;
  g_assert_true (md_parquet_scan_image_store (ds, on_image, &seen, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen.n, ==, 1000);
}

static void
test_empty (void)
{
  g_autoptr(GBytes) bytes = write_store (0, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(MdParquetFile) file = md_parquet_file_new_from_bytes (bytes, "empty.parquet", &error);

  g_assert_no_error (error);
  g_assert_cmpint (md_parquet_file_get_n_rows (file), ==, 0);
  g_assert_cmpuint (md_parquet_file_get_n_row_groups (file), ==, 0);
}

/* A failing sink stops the writer: nothing more is sent and the caller is told. */
static gboolean
fail_after_magic (const guint8 *data,
                  gsize         len,
                  gpointer      user_data)
{
  guint *calls = user_data;

  return (*calls)++ == 0;
}

static void
test_sink_failure (void)
{
  guint calls = 0;
  g_autoptr(MdParquetWriter) w = md_parquet_writer_new (fail_after_magic, &calls, "test");

  md_parquet_writer_set_limits (w, 1, 0, 0);
  g_assert_false (md_parquet_writer_add (w, "a", 1, "QUJD", 4));
  g_assert_false (md_parquet_writer_add (w, "b", 1, "QUJD", 4));
  g_assert_false (md_parquet_writer_finish (w));
  g_assert_cmpuint (calls, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/parquet-writer/row-groups", test_row_groups);
  g_test_add_func ("/parquet-writer/empty", test_empty);
  g_test_add_func ("/parquet-writer/sink-failure", test_sink_failure);
  return g_test_run ();
}
