/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-fuzz-replay"

#include "config.h"

#include <string.h>

#include "../store/md-test-store.h"
#include "md-base64.h"
#include "md-review-merge.h"
#include "md-review-store.h"
#include "parquet/md-parquet.h"
#include "md-syphus-parse.h"
#include "md-translation-private.h"

/* Inputs that crashed a fuzz target (tests/hardening/crashes/<target>-<hash>), replayed through
 * the same functions by a normal test, plus a scripted replay of the one crash that needed a
 * sequence of imports. */

static GBytes *
read_crash (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "hardening", "crashes", name, NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

/* A reply byte 0xA5 (not UTF-8) sent GRegex's JIT past the end of the line. */
static void
test_qa_invalid_utf8 (void)
{
  g_autoptr(GBytes) input = read_crash ("fuzz-syphus-qa-24c4ef4ce9f0");
  g_autofree char *text = g_strndup (g_bytes_get_data (input, NULL), g_bytes_get_size (input));
  g_autoptr(MdSyphusQaReply) reply = md_syphus_parse_qa (text, NULL);
  g_autofree char *joined = NULL;

  g_assert_nonnull (reply);
  g_ptr_array_add (reply->problems, NULL);
  joined = g_strjoinv ("|", (char **) reply->problems->pdata);
  g_assert_nonnull (strstr (joined, "invalid UTF-8 replaced by U+FFFD"));
  for (guint i = 0; i < reply->pairs->len; i++)
    {
      MdSyphusQa *qa = g_ptr_array_index (reply->pairs, i);

      g_assert_true (g_utf8_validate (qa->question, -1, NULL));
      g_assert_true (g_utf8_validate (qa->answer, -1, NULL));
    }
}

/* A translation reply with bytes that are not UTF-8 gave texts that were not either. */
static void
test_translation_invalid_utf8 (void)
{
  g_autoptr(GBytes) input = read_crash ("fuzz-translation-d543b40126b1");
  g_autofree char *text = g_strndup (g_bytes_get_data (input, NULL), g_bytes_get_size (input));
  g_autoptr(MdTranslationReply) reply = _md_translation_reply_parse (text, NULL);
  g_autoptr(MdSyphusTranslation) translation = md_syphus_parse_translation (text, NULL);
  gboolean any = FALSE;

  g_assert_nonnull (reply);
  g_assert_true (reply->repaired);
  for (guint f = 0; f < MD_N_FIELDS; f++)
    for (guint l = 0; l < MD_N_LANGUAGES; l++)
      if (reply->texts[f][l] != NULL)
        {
          g_assert_true (g_utf8_validate (reply->texts[f][l], -1, NULL));
          any = TRUE;
        }
  g_assert_true (any);
  g_assert_nonnull (translation);
  g_assert_true (translation->repaired);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (translation->problems, 0),
                                   "reply: invalid UTF-8 from byte "));
}

/* The base64 input that showed a bad offset can equal the input length (a cut quantum). */
static void
test_base64_offset (void)
{
  g_autoptr(GBytes) input = read_crash ("fuzz-base64-648bb92b5e17");
  gsize len = g_bytes_get_size (input);
  gsize bad = G_MAXSIZE;
  g_autoptr(GBytes) out = md_base64_decode (g_bytes_get_data (input, NULL), len, &bad);

  if (out == NULL)
    g_assert_cmpuint (bad, <=, len);
}

/* The import crash: pairs translated from one Syphus file, then their instructions file
 * imported again. Forgetting the pairs kept a freed origin key (ASan and valgrind see it). */
static void
test_reimport_translated_pairs (void)
{
  MdTestDir t;
  g_autoptr(GBytes) input = read_crash ("fuzz-import-6d3dd0db0028");
  g_autofree char *ins = NULL;
  g_autofree char *trans = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdPair) pair = NULL;
  const char *reply = "{\\\"a\\\": {\\\"zh\\\": \\\"问\\\"}, \\\"b\\\": {\\\"zh\\\": \\\"答\\\"}}";
  g_autofree char *valid = g_strdup_printf ("[{\"id\": \"RE_INS_1\", \"results\": \"%s\"},"
                                            " {\"id\": \"RE_INS_2\", \"results\": \"%s\"}]",
                                            reply, reply);
  gboolean ok;

  g_assert_cmpuint (g_bytes_get_size (input), >, 1);
  md_test_dir_init (&t);
  ins = md_test_write (&t, "RE_instructions.json",
                       "{\"data\": {\"RE_INS_1\": {\"instruction\": \"q1\", \"answer\": \"a1\"},"
                       " \"RE_INS_2\": {\"instruction\": \"q2\", \"answer\": \"a2\"}}}", -1);
  trans = md_test_write (&t, "syphus/valid_output.json", valid, -1);
  report = md_test_import (&t, &ok, &error, ins, trans, NULL);
  g_assert_no_error (error);
  g_clear_object (&report);

  g_free (ins);
  ins = md_test_write (&t, "RE_instructions.json",
                       "{\"data\": {\"RE_INS_1\": {\"instruction\": \"q1 again\", \"answer\": "
                       "\"a1\"}, \"RE_INS_2\": {\"instruction\": \"q2\", \"answer\": \"a2\"}}}",
                       -1);
  report = md_test_import (&t, &ok, &error, ins, NULL);
  g_assert_no_error (error);
  g_assert_true (ok);
  pair = md_store_get_pair (t.store, "RE_INS_1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION), ==, "q1 again");
  /* The translation file was queued again and its texts are back. */
  g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_ZH, MD_FIELD_INSTRUCTION), ==, "问");
  md_test_dir_clear (&t);
}

static gboolean
collect_location (const char                   *image_id,
                  const MdParquetValueLocation *location,
                  gpointer                      user_data)
{
  g_array_append_val ((GArray *) user_data, *location);
  return TRUE;
}

/* An image store whose base64 column held an empty string: reading that image returned neither
 * bytes nor an error (g_base64_decode got NULL). Every value now gives one or the other, and the
 * empty one is an error that says so. */
static void
test_parquet_empty_base64 (void)
{
  g_autoptr(GBytes) input = read_crash ("fuzz-parquet-79078e3c7fee");
  g_autoptr(GError) error = NULL;
  g_autoptr(MdParquetFile) file = md_parquet_file_new_from_bytes (input, "crash.parquet", &error);
  g_autoptr(MdParquetDataset) dataset = NULL;
  g_autoptr(GArray) locations = g_array_new (FALSE, FALSE, sizeof (MdParquetValueLocation));
  guint n_empty = 0;

  g_assert_no_error (error);
  dataset = md_parquet_dataset_new_for_file (file);
  g_assert_true (md_parquet_scan_image_store (dataset, collect_location, locations, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (locations->len, >, 0);
  for (guint i = 0; i < locations->len; i++)
    {
      g_autoptr(GBytes) image = md_parquet_read_image (dataset, &g_array_index (locations,
                                                                                MdParquetValueLocation,
                                                                                i), &error);

      g_assert_true ((image != NULL) != (error != NULL));
      if (error != NULL && strstr (error->message, "base64 text of the image is empty") != NULL)
        n_empty++;
      g_clear_error (&error);
    }
  g_assert_cmpuint (n_empty, >, 0);
}

/* A review log whose "time" was 1.7e20 microseconds: converting it to gint64 is undefined. The
 * line is refused with the expectation, and the rest of the log still imports. */
static void
test_review_log_huge_time (void)
{
  MdTestDir t;
  g_autoptr(GBytes) input = read_crash ("fuzz-review-import-42274fc4ec5f");
  g_autofree char *log = NULL;
  g_autofree char *review_path = NULL;
  g_autoptr(MdReviewStore) review = NULL;
  g_autoptr(MdReviewMergeReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gboolean time_refused = FALSE;

  md_test_dir_init (&t);
  log = g_build_filename (t.dir, "log.jsonl", NULL);
  review_path = g_build_filename (t.dir, "review.sqlite", NULL);
  g_file_set_contents (log, g_bytes_get_data (input, NULL), g_bytes_get_size (input), &error);
  g_assert_no_error (error);
  review = md_review_store_open (review_path, &error);
  g_assert_no_error (error);

  report = md_review_store_import_log (review, log, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  for (guint i = 0; i < report->errors->len; i++)
    if (strstr (g_ptr_array_index (report->errors, i), "expected \"time\"") != NULL)
      time_refused = TRUE;
  g_assert_true (time_refused);

  g_clear_object (&review);
  md_test_dir_clear (&t);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hardening/fuzz-replay/qa-invalid-utf8", test_qa_invalid_utf8);
  g_test_add_func ("/hardening/fuzz-replay/translation-invalid-utf8",
                   test_translation_invalid_utf8);
  g_test_add_func ("/hardening/fuzz-replay/base64-offset", test_base64_offset);
  g_test_add_func ("/hardening/fuzz-replay/parquet-empty-base64", test_parquet_empty_base64);
  g_test_add_func ("/hardening/fuzz-replay/review-log-huge-time", test_review_log_huge_time);
  g_test_add_func ("/hardening/fuzz-replay/reimport-translated-pairs",
                   test_reimport_translated_pairs);

  return g_test_run ();
}
