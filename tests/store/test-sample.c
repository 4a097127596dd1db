/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <cJSON.h>

#include "md-test-store.h"

/* The bundled sample dataset (data/sample): everything imports, every listed defect shows up as
 * a problem of the same kind, pair and reference, and nothing else does. */

static cJSON *
read_json (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return cJSON_Parse (text);
}

static void
test_sample_import (void)
{
  const char *sample = g_getenv ("MD_SAMPLE_DIR");
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) counts = NULL;
  g_autoptr(GPtrArray) datasets = NULL;
  cJSON *defects, *defect;
  guint n_pairs = 0;
  gboolean ok;

  g_assert_nonnull (sample);
  md_test_dir_init (&t);
  report = md_test_import (&t, &ok, &error, sample, NULL);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (md_import_report_count (report, MD_FILE_REJECTED), ==, 0);
  /* 18 shard, store, translation and prompt files, plus each of the six Syphus folders'
   * invalid_output.json and error_messages.json (empty arrays: no problems) and its
   * query_input.json (the queries Syphus sent). */
  g_assert_cmpuint (md_import_report_count (report, MD_FILE_IMPORTED), ==, 36);

  datasets = md_store_list_datasets (t.store, &error);
  for (guint i = 0; i < datasets->len; i++)
    n_pairs += ((MdDatasetInfo *) g_ptr_array_index (datasets, i))->n_pairs;
  g_assert_cmpuint (n_pairs, ==, 65);

  defects = read_json (sample, "defects.json");
  g_assert_true (cJSON_IsArray (defects));
  cJSON_ArrayForEach (defect, defects)
    {
      const char *kind = cJSON_GetObjectItem (defect, "kind")->valuestring;
      const char *pair = cJSON_GetObjectItem (defect, "pair")->valuestring;
      const char *ref = cJSON_GetObjectItem (defect, "ref")->valuestring;
      g_autofree char *quoted = g_strdup_printf ("“%s", ref);

      if (!md_test_pair_has_problem (t.store, pair, kind, quoted))
        g_error ("defect %s of %s (%s) was not found", kind, pair, ref);
      g_hash_table_insert (expected, g_strdup (kind),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (expected,
                                                                                    kind)) + 1));
    }

  /* Consequences that are problems in their own right: the 16 doubled frame names of
   * TVC_INS_00003 are missing images, and the bad LA image is also reported by its store. */
  g_hash_table_insert (expected, g_strdup ("missing_image"),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (expected,
                                                           "missing_image")) + 16));
  g_hash_table_insert (expected, g_strdup ("undecodable_image"),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (expected,
                                                           "undecodable_image")) + 1));
  counts = md_store_count_problems (t.store, NULL, &error);
  g_assert_cmpuint (counts->len, ==, g_hash_table_size (expected));
  for (guint i = 0; i < counts->len; i++)
    {
      MdProblemCount *count = g_ptr_array_index (counts, i);

      if (count->count != GPOINTER_TO_UINT (g_hash_table_lookup (expected, count->kind)))
        g_error ("%" G_GUINT64_FORMAT " problems of kind %s, expected %u", count->count,
                 count->kind, GPOINTER_TO_UINT (g_hash_table_lookup (expected, count->kind)));
    }
  cJSON_Delete (defects);
  md_test_dir_clear (&t);
}

static void
test_sample_quirks (void)
{
  const char *sample = g_getenv ("MD_SAMPLE_DIR");
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(MdPair) txt = NULL;
  g_autoptr(MdPair) la = NULL;
  static const struct { const char *id; const char *mime; } images[] = {
    { "LA_IMG_000000155508", "image/jpeg" },    /* ["..."] */
    { "SD_IMG_00042_1", "image/png" },
  };

  md_test_dir_init (&t);
  report = md_test_import (&t, NULL, &error, sample, NULL);
  g_assert_no_error (error);

  txt = md_store_get_pair (t.store, "TXT_INS_00001", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (md_pair_get_text (txt, MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION), "🍎"));
  g_assert_cmpuint (md_pair_get_languages (txt), ==, 0xff);
  g_assert_cmpint (md_pair_get_modality (txt), ==, MD_MODALITY_TEXT);

  la = md_store_get_pair (t.store, "LA_INS_00003", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((GStrv) md_pair_get_image_ids (la)), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    {
      g_autofree char *mime = NULL;
      g_autoptr(GBytes) bytes = md_store_load_image (t.store, images[i].id, &mime, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (mime, ==, images[i].mime);
      g_assert_cmpuint (g_bytes_get_size (bytes), >, 1000);
    }

  /* URL-safe, unpadded VST store: every image of the first VST pair decodes to JPEG. */
  {
    g_autoptr(MdPair) vst = md_store_get_pair (t.store, "VST_INS_00001", &error);
    const char * const *ids = md_pair_get_image_ids (vst);

    g_assert_no_error (error);
    g_assert_cmpint (md_pair_get_modality (vst), ==, MD_MODALITY_MULTI_IMAGE);
    for (guint i = 0; ids[i] != NULL; i++)
      {
        g_autofree char *mime = NULL;
        g_autoptr(GBytes) bytes = md_store_load_image (t.store, ids[i], &mime, &error);

        g_assert_no_error (error);
        g_assert_cmpstr (mime, ==, "image/jpeg");
      }
  }
  md_test_dir_clear (&t);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/sample/defects", test_sample_import);
  g_test_add_func ("/store/sample/quirks", test_sample_quirks);

  return g_test_run ();
}
