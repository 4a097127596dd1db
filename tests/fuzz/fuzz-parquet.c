/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-parquet"

#include "config.h"

#include "parquet/md-parquet.h"
#include "parquet/md-parquet-private.h"

/* libFuzzer target for the Parquet reader: any input must give a result or a GError, never a
 * crash, a hang or a leak. Build (see meson.build in this folder for the clang build):
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I_build -Istore \
 *     $(pkg-config --cflags gio-2.0 libcjson) store/md-error.c store/parquet/md-*.c \
 *     tests/fuzz/fuzz-parquet.c $(pkg-config --libs gio-2.0 libcjson libzstd zlib) -lsnappy \
 *     -o fuzz-parquet
 *   mkdir -p corpus && ./fuzz-parquet -max_total_time=300 -max_len=65536 corpus
 *
 * Seed the corpus with small files from the test writer for deeper coverage. */

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static gboolean
on_image (const char                   *image_id,
          const MdParquetValueLocation *loc,
          gpointer                      user_data)
{
  GArray *locs = user_data;

  /* Bound the work per input. */
  if (locs->len < 64)
    g_array_append_val (locs, *loc);
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(MdParquetFile) file = NULL;
  g_autoptr(MdParquetDataset) ds = NULL;
  g_autoptr(GArray) locs = g_array_new (FALSE, FALSE, sizeof (MdParquetValueLocation));
  g_autoptr(MdParquetInstructionIter) it = NULL;
  GError *error = NULL;

  file = md_parquet_file_new_from_bytes (bytes, "fuzz.parquet", &error);
  if (file == NULL)
    {
      g_assert (error != NULL);
      g_clear_error (&error);
      return 0;
    }

  for (guint g = 0; g < MIN (md_parquet_file_get_n_row_groups (file), 16); g++)
    for (guint c = 0; c < MIN (md_parquet_file_get_n_columns (file), 16); c++)
      {
        g_autoptr(MdParquetColumnReader) r = _md_parquet_column_reader_new (file, g, c, &error);
        MdParquetEntry e;
        guint n = 0;

        g_assert (r != NULL);
        while (n++ < 100000 && _md_parquet_column_reader_next (r, &e, &error))
          if (e.present && e.len > 0)
            g_assert (e.data[0] == e.data[0] && e.data[e.len - 1] == e.data[e.len - 1]);
        g_clear_error (&error);
      }

  ds = md_parquet_dataset_new_for_file (file);
  if (md_parquet_scan_image_store (ds, on_image, locs, NULL, &error))
    for (guint i = 0; i < locs->len; i++)
      {
        g_autoptr(GBytes) value = md_parquet_read_image (ds, &g_array_index (locs,
                                                                            MdParquetValueLocation,
                                                                            i), &error);

        g_assert (value != NULL || error != NULL);
        g_clear_error (&error);
      }
  g_clear_error (&error);

  it = md_parquet_instruction_iter_new (ds, &error);
  if (it != NULL)
    for (guint n = 0; n < 10000 && md_parquet_instruction_iter_next (it, &error) != NULL; n++)
      ;
  g_clear_error (&error);
  return 0;
}
