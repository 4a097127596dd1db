/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "../store/md-test-store.h"
#include "parquet/md-parquet-delta-private.h"

/* DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY: an image store written by DuckDB (V2 pages,
 * see duckdb/make-fixtures.mjs) imported and read back image by image, and byte-array sections
 * encoded here by the format's rules and decoded. */

static void
test_duckdb_store (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "parquet", "duckdb", "DK.parquet",
                                                 NULL);
  MdImportedFile *file;

  md_test_dir_init (&t);
  report = md_test_import (&t, NULL, &error, path, NULL);
  g_assert_no_error (error);
  file = md_test_report_file (report, "DK.parquet");
  g_assert_cmpint (file->outcome, ==, MD_FILE_IMPORTED);
  g_assert_cmpuint (file->n_records, ==, 300);
  g_assert_cmpuint (file->n_problems, ==, 0);

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *id = g_strdup_printf ("DK_IMG_%05u", i);
      g_autoptr(GString) want = g_string_new_len ("\x89PNG\r\n\x1a\n", 8);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *mime = NULL;
      gsize len;
      const char *data;

      for (guint k = 0; k < 20 + i; k++)
        g_string_append_c (want, (char) ('A' + i % 26));
      bytes = md_store_load_image (t.store, id, &mime, &error);
      g_assert_no_error (error);
      data = g_bytes_get_data (bytes, &len);
      g_assert_cmpmem (data, len, want->str, want->len);
    }
  md_test_dir_clear (&t);
}

/* Null images: each is a problem of its row; a store with none usable is refused, naming the
 * column. */
static void
test_null_images (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autofree char *some = g_test_build_filename (G_TEST_DIST, "parquet", "duckdb", "DKN.parquet",
                                                 NULL);
  g_autofree char *none = g_test_build_filename (G_TEST_DIST, "parquet", "duckdb", "DKZ.parquet",
                                                 NULL);
  MdImportedFile *file;

  md_test_dir_init (&t);
  report = md_test_import (&t, NULL, &error, some, none, NULL);
  g_assert_no_error (error);

  file = md_test_report_file (report, "DKN.parquet");
  g_assert_cmpint (file->outcome, ==, MD_FILE_IMPORTED);
  g_assert_cmpuint (file->n_records, ==, 40);
  g_assert_cmpuint (file->n_problems, ==, 10);
  g_assert_cmpuint (md_test_count_problems (t.store, "bad_record"), ==, 10);
  g_assert_true (md_store_locate_image (t.store, "DKN_IMG_00001", NULL, NULL, NULL, NULL));
  g_assert_false (md_store_locate_image (t.store, "DKN_IMG_00005", NULL, NULL, NULL, NULL));

  file = md_test_report_file (report, "DKZ.parquet");
  g_assert_cmpint (file->outcome, ==, MD_FILE_REJECTED);
  g_assert_nonnull (file->error);
  g_assert_nonnull (strstr (file->error->message, "DKZ.parquet: no usable image: column "
                                                  "“base64” is null in all 20 rows"));
  md_test_dir_clear (&t);
}

static void
put_uleb (GByteArray *out,
          guint64     v)
{
  do
    {
      guint8 b = v & 0x7f;

      v >>= 7;
      if (v != 0)
        b |= 0x80;
      g_byte_array_append (out, &b, 1);
    }
  while (v != 0);
}

static void
put_zigzag (GByteArray *out,
            gint64      v)
{
  put_uleb (out, ((guint64) v << 1) ^ (guint64) (v >> 63));
}

/* DELTA_BINARY_PACKED with blocks of 128 values in 4 miniblocks of 32. */
static void
put_binary_packed (GByteArray   *out,
                   const gint64 *values,
                   guint         n)
{
  put_uleb (out, 128);
  put_uleb (out, 4);
  put_uleb (out, n);
  put_zigzag (out, n > 0 ? values[0] : 0);
  for (guint start = 1; start < n; start += 128)
    {
      guint end = MIN (n, start + 128);
      gint64 min_delta = G_MAXINT64;
      guint8 widths[4] = { 0, };

      for (guint i = start; i < end; i++)
        min_delta = MIN (min_delta, values[i] - values[i - 1]);
      put_zigzag (out, min_delta);
      for (guint m = 0; m < 4; m++)
        for (guint i = start + m * 32; i < MIN (end, start + m * 32 + 32); i++)
          widths[m] = MAX (widths[m], g_bit_storage ((guint64) (values[i] - values[i - 1] -
                                                                 min_delta)));
      g_byte_array_append (out, widths, 4);
      for (guint m = 0; m < 4 && start + m * 32 < end; m++)
        {
          g_autofree guint8 *bits = g_malloc0 (widths[m] * 4 + 1);
          guint bit = 0;

          for (guint k = 0; k < 32; k++)
            {
              guint i = start + m * 32 + k;
              guint64 d = i < end ? (guint64) (values[i] - values[i - 1] - min_delta) : 0;

              for (guint b = 0; b < widths[m]; b++, bit++)
                bits[bit / 8] |= ((d >> b) & 1) << (bit % 8);
            }
          g_byte_array_append (out, bits, widths[m] * 4);
        }
    }
}

static void
check_decoded (gboolean            prefixed,
               const char * const *values,
               guint               n)
{
  g_autoptr(GByteArray) section = g_byte_array_new ();
  g_autofree gint64 *prefix = g_new0 (gint64, n + 1);
  g_autofree gint64 *lengths = g_new0 (gint64, n + 1);
  g_autoptr(GError) error = NULL;
  MdParquetDeltaValues v = { 0, };

  for (guint i = 0; i < n; i++)
    {
      gsize p = 0;

      if (prefixed && i > 0)
        while (values[i][p] != '\0' && values[i][p] == values[i - 1][p])
          p++;
      prefix[i] = p;
      lengths[i] = strlen (values[i]) - p;
    }
  if (prefixed)
    put_binary_packed (section, prefix, n);
  put_binary_packed (section, lengths, n);
  for (guint i = 0; i < n; i++)
    g_byte_array_append (section, (const guint8 *) values[i] + prefix[i], lengths[i]);

  g_assert_true (_md_parquet_delta_decode (&v, prefixed, section->data,
                                           section->data + section->len, n, "page", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (v.n, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpmem (v.base + v.off[i], v.len[i], values[i], strlen (values[i]));
  _md_parquet_delta_clear (&v);

  /* Cut short: an error that says what was expected, never a read past the end. */
  g_assert_false (_md_parquet_delta_decode (&v, prefixed, section->data,
                                            section->data + section->len / 2, n, "page", &error));
  g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, "page: expected "));
  _md_parquet_delta_clear (&v);
}

static void
test_byte_arrays (void)
{
  static const char * const words[] = { "DC_IMG_v_a_0000", "DC_IMG_v_a_0001", "DC_IMG_v_b_0000",
                                        "", "E4D_IMG_x", "E4D_IMG_x", "iVBORw0KGgo" };
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func (g_free);

  check_decoded (FALSE, words, G_N_ELEMENTS (words));
  check_decoded (TRUE, words, G_N_ELEMENTS (words));

  /* Several blocks, and values of growing length. */
  for (guint i = 0; i < 300; i++)
    g_ptr_array_add (many, g_strdup_printf ("TVC_IMG_clip_%03u_%0*u", i / 7, 1 + i % 40, i));
  check_decoded (FALSE, (const char * const *) many->pdata, many->len);
  check_decoded (TRUE, (const char * const *) many->pdata, many->len);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/parquet/delta/duckdb-store", test_duckdb_store);
  g_test_add_func ("/parquet/delta/byte-arrays", test_byte_arrays);
  g_test_add_func ("/parquet/null-images", test_null_images);
  return g_test_run ();
}
