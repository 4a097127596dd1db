/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cJSON.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <string.h>

#include "md-export.h"
#include "md-review-sample.h"
#include "md-review-store.h"
#include "md-store.h"

/* Every test imports the sample dataset into a fresh index, reviews a little, exports, and reads
 * the export back: with our own import into another fresh index, or by parsing every record. */

typedef struct
{
  char          *dir;
  char          *out;
  MdStore       *store;
  MdReviewStore *review;
} Fixture;

static void
rm_rf (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          rm_rf (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static MdStore *
import_into (const char *db,
             const char *source)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  const char *paths[] = { source, NULL };
  MdStore *store = md_store_open (db, &error);

  g_assert_no_error (error);
  g_assert_true (md_store_import (store, paths, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  return store;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *review = NULL;

  f->dir = g_dir_make_tmp ("mdexport-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (f->dir, "index.sqlite", NULL);
  f->store = import_into (db, g_getenv ("MD_SAMPLE_DIR"));
  review = md_review_store_default_path (db);
  f->review = md_review_store_open (review, &error);
  g_assert_no_error (error);
  md_review_store_set_reviewer (f->review, "ada");
  f->out = g_build_filename (f->dir, "out", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  g_clear_object (&f->review);
  rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->out);
}

static void
edit (Fixture    *f,
      const char *pair_id,
      MdLanguage  lang,
      MdField     field,
      const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdPair) pair = md_store_get_pair (f->store, pair_id, &error);

  g_assert_no_error (error);
  g_assert_cmpint (md_review_store_edit_text (f->review, md_pair_get_dataset (pair), pair_id, lang,
                                              field, md_pair_get_text (pair, lang, field), text,
                                              NULL, MD_REVIEW_AUTHOR_PERSON, &error), >, 0);
  g_assert_no_error (error);
}

static void
set_status (Fixture        *f,
            const char     *pair_id,
            const char     *lang,
            MdReviewStatus  status,
            const char     *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdPair) pair = md_store_get_pair (f->store, pair_id, &error);
  const char *reasons[] = { reason, NULL };

  g_assert_no_error (error);
  g_assert_cmpint (md_review_store_set_status (f->review, md_pair_get_dataset (pair), pair_id,
                                               lang, status, reason ? reasons : NULL, NULL,
                                               &error), >, 0);
  g_assert_no_error (error);
}

/* The edits every round trip carries: English, a translation, and a text with JSON's hard
 * characters. */
static void
apply_review (Fixture *f)
{
  edit (f, "DC_INS_00002", MD_LANGUAGE_EN, MD_FIELD_ANSWER, "The ball is red, not blue.");
  edit (f, "LA_INS_00001", MD_LANGUAGE_JA, MD_FIELD_INSTRUCTION, "写真に図形はいくつありますか？");
  edit (f, "TXT_INS_00002", MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION,
        "Quote \" backslash \\ tab\t newline\n control \x01 emoji 🍎 and “typography”");
  set_status (f, "DC_INS_00001", NULL, MD_REVIEW_STATUS_APPROVED, NULL);
  set_status (f, "DC_INS_00002", NULL, MD_REVIEW_STATUS_FIXED, NULL);
  set_status (f, "DC_INS_00010", NULL, MD_REVIEW_STATUS_APPROVED, NULL);
}

static MdExportResult *
run_export (Fixture         *f,
            MdExportOptions *options)
{
  g_autoptr(GError) error = NULL;
  MdExportResult *result = md_export_run (f->store, f->review, options, f->out, NULL, NULL, NULL,
                                          &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static cJSON *
parse_file (const char *dir,
            const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  cJSON *json;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  json = cJSON_Parse (text);
  if (json == NULL)
    g_error ("%s is not valid JSON near “%.40s”", path, cJSON_GetErrorPtr ());
  return json;
}

static gboolean
bytes_equal_or_both_null (GBytes *a,
                          GBytes *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_bytes_equal (a, b);
}

static void
assert_strv_equal (const char * const *a,
                   const char * const *b)
{
  g_assert_cmpuint (g_strv_length ((GStrv) a), ==, g_strv_length ((GStrv) b));
  for (guint i = 0; a[i] != NULL; i++)
    g_assert_cmpstr (a[i], ==, b[i]);
}

/* Every pair of the source, with its current texts (edits applied, in the exported main
 * language), links, images (decoded and raw) equals the pair in the re-imported index. */
/* Standard alphabet, padded to a multiple of four. */
static gboolean
is_standard_base64 (GBytes *value)
{
  gsize len;
  const char *p = g_bytes_get_data (value, &len);
  gsize body = len;

  if (len == 0 || len % 4 != 0)
    return FALSE;
  if (p[len - 1] == '=')
    body = p[len - 2] == '=' ? len - 2 : len - 1;
  for (gsize i = 0; i < body; i++)
    if (!g_ascii_isalnum (p[i]) && p[i] != '+' && p[i] != '/')
      return FALSE;
  return TRUE;
}

static void
compare_round_trip (Fixture    *f,
                    MdStore    *back,
                    MdLanguage  main,
                    gboolean    translations)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = md_store_query (f->store, NULL, &error);
  guint n = g_list_model_get_n_items (list);
  guint n_images = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 65);
  g_assert_cmpuint (md_store_count_pairs (back, NULL, NULL), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MdPair) row = g_list_model_get_item (list, i);
      g_autoptr(MdPair) a = md_store_get_pair (f->store, md_pair_get_id (row), &error);
      g_autoptr(MdPair) b = md_store_get_pair (back, md_pair_get_id (row), &error);
      const char * const *images;

      g_assert_no_error (error);
      g_assert_cmpstr (md_pair_get_dataset (a), ==, md_pair_get_dataset (b));
      g_assert_cmpint (md_pair_get_modality (a), ==, md_pair_get_modality (b));
      for (guint l = 0; l < MD_N_LANGUAGES; l++)
        for (guint fi = 0; fi < MD_N_FIELDS; fi++)
          {
            MdLanguage from = l == MD_LANGUAGE_EN ? main : l;
            g_autofree char *expected = NULL;

            if (l != MD_LANGUAGE_EN && !translations)
              continue;
            expected = md_review_store_get_text (f->review, md_pair_get_dataset (a),
                                                 md_pair_get_id (a), from, fi,
                                                 md_pair_get_text (a, from, fi), NULL);
            g_assert_cmpstr (expected, ==, md_pair_get_text (b, l, fi));
          }
      assert_strv_equal (md_pair_get_context_ids (a), md_pair_get_context_ids (b));
      assert_strv_equal (md_pair_get_dangling_context_ids (a),
                         md_pair_get_dangling_context_ids (b));
      images = md_pair_get_image_ids (a);
      assert_strv_equal (images, md_pair_get_image_ids (b));
      for (guint k = 0; images[k] != NULL; k++)
        {
          g_autoptr(GBytes) da = md_store_load_image (f->store, images[k], NULL, NULL);
          g_autoptr(GBytes) db = md_store_load_image (back, images[k], NULL, NULL);
          g_autoptr(GBytes) ra = md_store_read_image_raw (f->store, images[k], NULL);
          g_autoptr(GBytes) rb = md_store_read_image_raw (back, images[k], NULL);

          g_assert_true (bytes_equal_or_both_null (da, db));
          /* Same bytes, written as standard padded base64 whatever the source's alphabet. */
          g_assert_true ((ra == NULL) == (rb == NULL));
          if (da != NULL)
            g_assert_true (is_standard_base64 (rb));
          n_images += da != NULL;
        }
    }
  g_assert_cmpuint (n_images, >, 100);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(MdExportOptions) options = md_export_options_new ();
  g_autoptr(MdExportResult) result = NULL;
  g_autoptr(MdStore) back = NULL;
  g_autofree char *db = g_build_filename (f->dir, "back", "index.sqlite", NULL);
  g_autofree char *staging_left = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  apply_review (f);
  result = run_export (f, options);
  g_assert_cmpuint (result->n_pairs, ==, 65);
  g_assert_cmpuint (result->n_images, ==, 115);

  /* Nothing but the export in the folder. */
  dir = g_dir_open (f->out, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_prefix (name, "."));

  back = import_into (db, f->out);
  compare_round_trip (f, back, MD_LANGUAGE_EN, TRUE);
}

static void
test_round_trip_language (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(MdExportOptions) options = md_export_options_new ();
  g_autoptr(MdExportResult) result = NULL;
  g_autoptr(MdStore) back = NULL;
  g_autofree char *db = g_build_filename (f->dir, "back", "index.sqlite", NULL);
  g_autofree char *translations = g_build_filename (f->out, "translations", NULL);
  cJSON *json, *pair;

  apply_review (f);
  options->language = MD_LANGUAGE_JA;
  result = run_export (f, options);
  g_assert_false (g_file_test (translations, G_FILE_TEST_EXISTS));

  json = parse_file (f->out, "LA_instructions.json");
  pair = cJSON_GetObjectItem (cJSON_GetObjectItem (json, "data"), "LA_INS_00001");
  g_assert_cmpstr (cJSON_GetObjectItem (pair, "instruction")->valuestring, ==,
                   "写真に図形はいくつありますか？");
  cJSON_Delete (json);

  back = import_into (db, f->out);
  compare_round_trip (f, back, MD_LANGUAGE_JA, FALSE);
}

/* The keys and links of TASK_train.json, and the ids of TASK_instructions.json. */
static void
read_mimicit (const char  *dir,
              const char  *dataset,
              GHashTable **out_links,
              GPtrArray  **out_ids)
{
  g_autofree char *ins_name = g_strdup_printf ("%s_instructions.json", dataset);
  g_autofree char *train_name = g_strdup_printf ("%s_train.json", dataset);
  cJSON *ins = parse_file (dir, ins_name);
  cJSON *train = parse_file (dir, train_name);
  cJSON *item;

  *out_links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  *out_ids = g_ptr_array_new_with_free_func (g_free);
  cJSON_ArrayForEach (item, cJSON_GetObjectItem (ins, "data"))
    g_ptr_array_add (*out_ids, g_strdup (item->string));
  cJSON_ArrayForEach (item, train)
    {
      GString *joined = g_string_new (NULL);
      cJSON *link;

      cJSON_ArrayForEach (link, item)
        g_string_append_printf (joined, "%s%s", joined->len ? "," : "", link->valuestring);
      g_hash_table_insert (*out_links, g_strdup (item->string), g_string_free (joined, FALSE));
    }
  cJSON_Delete (ins);
  cJSON_Delete (train);
}

static void
export_context_mode (Fixture         *f,
                     MdExportContext  mode,
                     GHashTable     **out_links,
                     GPtrArray      **out_ids)
{
  g_autoptr(MdExportOptions) options = md_export_options_new ();
  g_autoptr(MdExportResult) result = NULL;

  apply_review (f);
  options->statuses = 1u << MD_REVIEW_STATUS_APPROVED | 1u << MD_REVIEW_STATUS_FIXED;
  options->dataset = g_strdup ("DC");
  options->context = mode;
  result = run_export (f, options);
  g_assert_cmpuint (result->n_pairs, ==, 3);
  read_mimicit (f->out, "DC", out_links, out_ids);
}

static void
test_context_keep (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GHashTable) links = NULL;
  g_autoptr(GPtrArray) ids = NULL;

  export_context_mode (f, MD_EXPORT_CONTEXT_KEEP, &links, &ids);
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpuint (g_hash_table_size (links), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (links, "DC_INS_00001"), ==, "DC_INS_00005,DC_INS_00009");
  g_assert_cmpstr (g_hash_table_lookup (links, "DC_INS_00010"), ==,
                   "DC_INS_00002,DC_INS_00006,DC_INS_00042");
}

static void
test_context_drop (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GHashTable) links = NULL;
  g_autoptr(GPtrArray) ids = NULL;

  export_context_mode (f, MD_EXPORT_CONTEXT_DROP, &links, &ids);
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (links, "DC_INS_00001"), ==, "");
  g_assert_cmpstr (g_hash_table_lookup (links, "DC_INS_00002"), ==, "DC_INS_00010");
  g_assert_cmpstr (g_hash_table_lookup (links, "DC_INS_00010"), ==, "DC_INS_00002");
}

static void
test_context_include (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GHashTable) links = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  const char *expected[] = { "DC_INS_00001", "DC_INS_00002", "DC_INS_00005", "DC_INS_00006",
                             "DC_INS_00009", "DC_INS_00010", NULL };
  g_autoptr(MdStore) back = NULL;
  g_autofree char *db = g_build_filename (f->dir, "back", "index.sqlite", NULL);

  export_context_mode (f, MD_EXPORT_CONTEXT_INCLUDE, &links, &ids);
  /* The referenced pairs are in the instructions, only the selected ones are training keys;
   * the missing DC_INS_00042 cannot be included and is left out. */
  g_assert_cmpuint (ids->len, ==, g_strv_length ((GStrv) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_true (g_ptr_array_find_with_equal_func (ids, expected[i], g_str_equal, NULL));
  g_assert_cmpuint (g_hash_table_size (links), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (links, "DC_INS_00001"), ==, "DC_INS_00005,DC_INS_00009");
  g_assert_cmpstr (g_hash_table_lookup (links, "DC_INS_00010"), ==,
                   "DC_INS_00002,DC_INS_00006");

  /* And the export is closed: re-imported, nothing dangles. */
  back = import_into (db, f->out);
  g_assert_cmpuint (md_store_count_pairs (back, NULL, NULL), ==, 6);
  for (guint i = 0; expected[i] != NULL; i++)
    {
      g_autoptr(MdPair) pair = md_store_get_pair (back, expected[i], NULL);

      g_assert_nonnull (pair);
      g_assert_cmpuint (g_strv_length ((GStrv) md_pair_get_dangling_context_ids (pair)), ==, 0);
      g_assert_cmpuint (g_strv_length ((GStrv) md_pair_get_missing_image_ids (pair)), ==, 0);
    }
}

static gboolean
report_has (MdExportReport    *report,
            MdExportIssueKind  kind,
            const char        *pair_id,
            const char        *ref)
{
  GPtrArray *issues = md_export_report_get_issues (report);

  for (guint i = 0; i < issues->len; i++)
    {
      MdExportIssue *issue = g_ptr_array_index (issues, i);

      if (issue->kind == kind && g_strcmp0 (issue->pair_id, pair_id) == 0 &&
          (ref == NULL || g_strcmp0 (issue->ref, ref) == 0))
        return TRUE;
    }
  return FALSE;
}

static void
test_check_report (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(MdExportOptions) options = md_export_options_new ();
  g_autoptr(MdExportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  apply_review (f);
  set_status (f, "VST_INS_00002", "fr", MD_REVIEW_STATUS_FLAGGED, "bad translation");
  edit (f, "SD_INS_00001", MD_LANGUAGE_EN, MD_FIELD_ANSWER, "  \n ");

  report = md_export_check (f->store, f->review, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (md_export_report_get_n_pairs (report), ==, 65);
  g_assert_true (md_export_report_has_blocking (report));
  /* The sample's deliberate defects, and nothing else blocking. */
  g_assert_true (report_has (report, MD_EXPORT_ISSUE_DANGLING_CONTEXT, "LA_INS_00007",
                             "LA_INS_00099"));
  g_assert_true (report_has (report, MD_EXPORT_ISSUE_DANGLING_CONTEXT, "DC_INS_00010",
                             "DC_INS_00042"));
  g_assert_cmpuint (md_export_report_count (report, MD_EXPORT_ISSUE_DANGLING_CONTEXT), ==, 2);
  g_assert_true (report_has (report, MD_EXPORT_ISSUE_MISSING_IMAGE, "SD_INS_00009",
                             "SD_IMG_00049_2"));
  g_assert_cmpuint (md_export_report_count (report, MD_EXPORT_ISSUE_MISSING_IMAGE), ==, 17);
  g_assert_true (report_has (report, MD_EXPORT_ISSUE_UNDECODABLE_IMAGE, "LA_INS_00013",
                             "LA_IMG_000000192651"));
  g_assert_cmpuint (md_export_report_count (report, MD_EXPORT_ISSUE_UNDECODABLE_IMAGE), ==, 1);
  g_assert_true (report_has (report, MD_EXPORT_ISSUE_MISSING_TRANSLATION, "LA_INS_00005", "ko"));
  g_assert_true (report_has (report, MD_EXPORT_ISSUE_UNRESOLVED_FLAG, "VST_INS_00002", "fr"));
  g_assert_cmpuint (md_export_report_count (report, MD_EXPORT_ISSUE_UNRESOLVED_FLAG), ==, 1);
  g_assert_true (report_has (report, MD_EXPORT_ISSUE_EMPTY_TEXT, "SD_INS_00001", "en answer"));
  g_assert_cmpuint (md_export_report_count (report, MD_EXPORT_ISSUE_EMPTY_TEXT), ==, 1);
  g_clear_object (&report);

  /* A clean subset has no blocking issue. */
  options->dataset = g_strdup ("TXT");
  options->statuses = 1u << MD_REVIEW_STATUS_UNREVIEWED;
  report = md_export_check (f->store, f->review, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (md_export_report_get_n_pairs (report), ==, 10);
  g_assert_false (md_export_report_has_blocking (report));
  g_clear_object (&report);

  /* A reason given to one language selects the pair. */
  options->statuses = 0;
  g_free (options->dataset);
  options->dataset = g_strdup ("VST");
  options->reason = g_strdup ("bad translation");
  report = md_export_check (f->store, f->review, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (md_export_report_get_n_pairs (report), ==, 1);
  g_assert_true (report_has (report, MD_EXPORT_ISSUE_UNRESOLVED_FLAG, "VST_INS_00002", "fr"));
  g_clear_object (&report);

  /* Complete languages: every pair but the one without Korean. */
  g_clear_pointer (&options->reason, g_free);
  g_clear_pointer (&options->dataset, g_free);
  options->complete_languages = TRUE;
  report = md_export_check (f->store, f->review, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (md_export_report_get_n_pairs (report), ==, 64);
  g_assert_cmpuint (md_export_report_count (report, MD_EXPORT_ISSUE_MISSING_TRANSLATION), ==, 0);
}

static void
test_jsonl (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(MdExportOptions) options = md_export_options_new ();
  g_autoptr(MdExportResult) result = NULL;
  g_autofree char *path = g_build_filename (f->out, "pairs.jsonl", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  apply_review (f);
  options->format = MD_EXPORT_FORMAT_JSONL;
  options->extract_images = TRUE;
  result = run_export (f, options);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_str_has_suffix (text, "\n"));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++, n++)
    {
      cJSON *line = cJSON_Parse (lines[i]);
      const char *id;
      cJSON *images, *image;
      g_autoptr(MdPair) pair = NULL;
      g_autofree char *expected = NULL;

      g_assert_nonnull (line);
      id = cJSON_GetObjectItem (line, "id")->valuestring;
      pair = md_store_get_pair (f->store, id, NULL);
      g_assert_nonnull (pair);
      g_assert_cmpstr (cJSON_GetObjectItem (line, "dataset")->valuestring, ==,
                       md_pair_get_dataset (pair));
      g_assert_cmpint (cJSON_GetArraySize (cJSON_GetObjectItem (line, "texts")), ==, 8);
      expected = md_review_store_get_text (f->review, md_pair_get_dataset (pair), id,
                                           MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION,
                                           md_pair_get_text (pair, MD_LANGUAGE_EN,
                                                             MD_FIELD_INSTRUCTION), NULL);
      g_assert_cmpstr (cJSON_GetObjectItem (cJSON_GetObjectItem (cJSON_GetObjectItem (line,
                       "texts"), "en"), "instruction")->valuestring, ==, expected);

      /* Extracted images: relative paths inside the export, byte for byte the decoded image. */
      images = cJSON_GetObjectItem (line, "images");
      g_assert_cmpint (cJSON_GetArraySize (images), ==,
                       g_strv_length ((GStrv) md_pair_get_image_ids (pair)));
      for (int k = 0; k < cJSON_GetArraySize (images); k++)
        {
          g_autoptr(GBytes) decoded = NULL;
          g_autofree char *file = NULL;
          g_autofree char *contents = NULL;
          gsize len;

          image = cJSON_GetArrayItem (images, k);
          decoded = md_store_load_image (f->store, md_pair_get_image_ids (pair)[k], NULL, NULL);
          if (decoded == NULL)
            {
              g_assert_true (cJSON_IsNull (image));
              continue;
            }
          g_assert_true (g_str_has_prefix (image->valuestring, "images/"));
          file = g_build_filename (f->out, image->valuestring, NULL);
          g_assert_true (g_file_get_contents (file, &contents, &len, NULL));
          g_assert_cmpmem (contents, len, g_bytes_get_data (decoded, NULL),
                           g_bytes_get_size (decoded));
        }

      if (strcmp (id, "DC_INS_00002") == 0)
        {
          g_assert_cmpstr (cJSON_GetObjectItem (line, "status")->valuestring, ==, "fixed");
          g_assert_cmpint (cJSON_GetObjectItem (line, "revisions")->valueint, ==, 1);
          g_assert_cmpstr (cJSON_GetObjectItem (cJSON_GetObjectItem (cJSON_GetObjectItem (line,
                           "texts"), "en"), "answer")->valuestring, ==,
                           "The ball is red, not blue.");
        }
      if (strcmp (id, "LA_INS_00005") == 0)
        g_assert_true (cJSON_IsNull (cJSON_GetObjectItem (cJSON_GetObjectItem (
          cJSON_GetObjectItem (line, "texts"), "ko"), "answer")));
      cJSON_Delete (line);
    }
  g_assert_cmpuint (n, ==, 65);
}

static void
test_llava (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(MdExportOptions) options = md_export_options_new ();
  g_autoptr(MdExportResult) result = NULL;
  cJSON *json, *record;
  guint n = 0;

  apply_review (f);
  options->format = MD_EXPORT_FORMAT_LLAVA;
  options->llava_context = TRUE;
  options->context = MD_EXPORT_CONTEXT_DROP;
  result = run_export (f, options);
  json = parse_file (f->out, "llava.json");
  g_assert_true (cJSON_IsArray (json));
  cJSON_ArrayForEach (record, json)
    {
      const char *id = cJSON_GetObjectItem (record, "id")->valuestring;
      g_autoptr(MdPair) pair = md_store_get_pair (f->store, id, NULL);
      cJSON *conversations = cJSON_GetObjectItem (record, "conversations");
      cJSON *image = cJSON_GetObjectItem (record, "image");
      cJSON *images = cJSON_GetObjectItem (record, "images");
      guint n_links = 0, n_tokens = 0, n_refs;
      const char * const *context = md_pair_get_context_ids (pair);
      const char * const *dangling = md_pair_get_dangling_context_ids (pair);
      cJSON *turn;
      int t = 0;

      for (guint i = 0; context[i] != NULL; i++)
        n_links += !g_strv_contains (dangling, context[i]);
      g_assert_cmpint (cJSON_GetArraySize (conversations), ==, 2 * (n_links + 1));
      cJSON_ArrayForEach (turn, conversations)
        {
          const char *value = cJSON_GetObjectItem (turn, "value")->valuestring;

          g_assert_cmpstr (cJSON_GetObjectItem (turn, "from")->valuestring, ==,
                           t++ % 2 == 0 ? "human" : "gpt");
          for (const char *p = value; (p = strstr (p, "<image>\n")) != NULL; p++)
            n_tokens++;
        }
      /* One "<image>" per image, the query's last. */
      n_refs = image != NULL ? 1 : images != NULL ? (guint) cJSON_GetArraySize (images) : 0;
      g_assert_false (image != NULL && images != NULL);
      g_assert_cmpuint (n_tokens, ==, n_refs);
      if (n_links == 0)
        g_assert_cmpuint (n_refs, ==, g_strv_length ((GStrv) md_pair_get_image_ids (pair)));
      if (strcmp (id, "DC_INS_00002") == 0)
        g_assert_cmpstr (cJSON_GetObjectItem (cJSON_GetArrayItem (conversations,
                         cJSON_GetArraySize (conversations) - 1), "value")->valuestring, ==,
                         "The ball is red, not blue.");
      n++;
    }
  g_assert_cmpuint (n, ==, 65);
  cJSON_Delete (json);
}

static void
collect_files (const char *root,
               const char *rel,
               GPtrArray  *out)
{
  g_autofree char *path = rel ? g_build_filename (root, rel, NULL) : g_strdup (root);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child_rel = rel ? g_build_filename (rel, name, NULL) : g_strdup (name);
      g_autofree char *child = g_build_filename (root, child_rel, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        collect_files (root, child_rel, out);
      else
        g_ptr_array_add (out, g_steal_pointer (&child_rel));
    }
}

static void
check_manifest (Fixture *f,
                guint    n_expected_files)
{
  g_autoptr(GPtrArray) on_disk = g_ptr_array_new_with_free_func (g_free);
  cJSON *manifest = parse_file (f->out, "manifest.json");
  cJSON *files = cJSON_GetObjectItem (manifest, "files");
  cJSON *file;
  guint n = 0;

  collect_files (f->out, NULL, on_disk);
  g_assert_cmpuint (on_disk->len, ==, (guint) cJSON_GetArraySize (files) + 1);
  g_assert_cmpuint (on_disk->len, ==, n_expected_files);
  cJSON_ArrayForEach (file, files)
    {
      const char *rel = cJSON_GetObjectItem (file, "path")->valuestring;
      g_autofree char *path = g_build_filename (f->out, rel, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *sha = NULL;
      gsize len;

      g_assert_true (g_ptr_array_find_with_equal_func (on_disk, rel, g_str_equal, NULL));
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
      g_assert_cmpstr (sha, ==, cJSON_GetObjectItem (file, "sha256")->valuestring);
      g_assert_cmpuint (len, ==, (guint64) cJSON_GetObjectItem (file, "size")->valuedouble);
      n++;
    }
  g_assert_cmpuint (n, >, 0);

  g_assert_cmpstr (cJSON_GetObjectItem (manifest, "version")->valuestring, ==, PACKAGE_VERSION);
  g_assert_cmpint (cJSON_GetObjectItem (cJSON_GetObjectItem (manifest, "counts"),
                                        "pairs")->valueint, ==, 65);
  g_assert_cmpint (cJSON_GetObjectItem (cJSON_GetObjectItem (cJSON_GetObjectItem (
    cJSON_GetObjectItem (manifest, "counts"), "datasets"), "DC"), "pairs")->valueint, ==, 12);
  g_assert_cmpint (cJSON_GetObjectItem (cJSON_GetObjectItem (cJSON_GetObjectItem (manifest,
    "counts"), "languages"), "ko")->valueint, ==, 64);
  g_assert_cmpint (cJSON_GetObjectItem (cJSON_GetObjectItem (manifest, "review"),
                                        "last_action")->valueint, ==, 6);
  g_assert_cmpint (cJSON_GetObjectItem (cJSON_GetObjectItem (manifest, "review"),
                                        "entries")->valueint, >=, 6);
  g_assert_cmpstr (cJSON_GetArrayItem (cJSON_GetObjectItem (cJSON_GetObjectItem (manifest,
    "review"), "reviewers"), 0)->valuestring, ==, "ada");
  cJSON_Delete (manifest);
}

static void
test_manifest (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(MdExportOptions) options = md_export_options_new ();
  g_autoptr(MdExportResult) result = NULL;

  apply_review (f);
  result = run_export (f, options);
  /* 6 datasets: instructions + train + 2 translation files each, 5 image stores (Parquet),
   * otter_data.yaml, manifest. */
  check_manifest (f, 6 * 4 + 5 + 1 + 1);
  g_assert_cmpuint (result->files->len, ==, 6 * 4 + 5 + 1 + 1);
  g_clear_pointer (&result, md_export_result_free);

  rm_rf (f->out);
  options->format = MD_EXPORT_FORMAT_JSONL;
  options->extract_images = TRUE;
  result = run_export (f, options);
  /* pairs.jsonl, every decodable image once, manifest. */
  check_manifest (f, 1 + 114 + 1);
}

typedef struct
{
  GCancellable *cancellable;
  guint         calls;
  const char   *phase;
  guint64       at;
} CancelAt;

static void
cancel_progress (const char *phase,
                 guint64     done,
                 guint64     total,
                 gpointer    user_data)
{
  CancelAt *c = user_data;

  c->calls++;
  if (strcmp (phase, c->phase) == 0 && done >= c->at)
    g_cancellable_cancel (c->cancellable);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  const char *phases[] = { "select", "check", "write" };
  g_autoptr(MdExportOptions) options = md_export_options_new ();

  apply_review (f);
  for (guint p = 0; p < G_N_ELEMENTS (phases); p++)
    for (guint pre_existing = 0; pre_existing < 2; pre_existing++)
      {
        g_autoptr(GCancellable) cancellable = g_cancellable_new ();
        g_autoptr(GError) error = NULL;
        CancelAt c = { cancellable, 0, phases[p], 40 };
        MdExportResult *result;

        /* The sample's 65 pairs page in one go: select reports at 0 only. */
        if (strcmp (phases[p], "select") == 0)
          c.at = 0;
        if (pre_existing)
          g_assert_cmpint (g_mkdir (f->out, 0755), ==, 0);
        result = md_export_run (f->store, f->review, options, f->out, cancel_progress, &c,
                                cancellable, &error);
        g_assert_null (result);
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
        g_assert_cmpuint (c.calls, >, 0);
        if (pre_existing)
          {
            g_autoptr(GDir) dir = g_dir_open (f->out, 0, NULL);

            g_assert_null (g_dir_read_name (dir));
            g_rmdir (f->out);
          }
        else
          g_assert_false (g_file_test (f->out, G_FILE_TEST_EXISTS));
      }
}

static void
async_done (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (res);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(MdExportOptions) options = md_export_options_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(MdExportResult) result = NULL;
  g_autoptr(MdExportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  CancelAt c = { cancellable, 0, "write", 20 };

  apply_review (f);
  options->dataset = g_strdup ("DC");
  md_export_check_async (f->store, f->review, options, NULL, NULL, NULL, async_done, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  report = md_export_check_finish (res, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (md_export_report_get_n_pairs (report), ==, 12);
  g_clear_object (&res);

  /* Cancelled from the worker's progress callback: nothing written. */
  g_clear_pointer (&options->dataset, g_free);
  md_export_run_async (f->store, f->review, options, f->out, cancel_progress, &c, cancellable,
                       async_done, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (md_export_run_finish (res, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (f->out, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  g_clear_object (&res);

  md_export_run_async (f->store, f->review, options, f->out, NULL, NULL, NULL, async_done, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = md_export_run_finish (res, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_pairs, ==, 65);
}

static void
test_sample (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = md_store_query (f->store, NULL, &error);
  g_autoptr(GArray) units = g_array_new (FALSE, TRUE, sizeof (MdSampleUnit));
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(MdSample) sample = NULL;
  g_autoptr(MdExportOptions) options = md_export_options_new ();
  g_autoptr(MdExportResult) result = NULL;
  g_autoptr(GHashTable) members = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *text = NULL;
  g_autofree char *path = g_build_filename (f->out, "pairs.jsonl", NULL);
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      MdPair *pair = g_list_model_get_item (list, i);
      MdSampleUnit unit = { md_pair_get_dataset (pair), md_pair_get_id (pair), "" };

      g_ptr_array_add (keep, pair);
      g_array_append_val (units, unit);
    }
  sample = md_sample_draw ((MdSampleUnit *) units->data, units->len, 42, 12,
                           MD_SAMPLE_BY_DATASET, MD_SAMPLE_PROPORTIONAL);
  g_assert_true (md_review_store_save_sample (f->review, "audit-1", sample, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < sample->members->len; i++)
    g_hash_table_add (members, ((MdSampleMember *) sample->members->pdata[i])->pair_id);

  options->format = MD_EXPORT_FORMAT_JSONL;
  options->sample = g_strdup ("audit-1");
  result = run_export (f, options);
  g_assert_cmpuint (result->n_pairs, ==, g_hash_table_size (members));
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++, n++)
    {
      cJSON *line = cJSON_Parse (lines[i]);

      g_assert_true (g_hash_table_contains (members,
                                            cJSON_GetObjectItem (line, "id")->valuestring));
      cJSON_Delete (line);
    }
  g_assert_cmpuint (n, ==, g_hash_table_size (members));
}

static void
test_sanitise (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mdexport-XXXXXX", &error);
  g_autofree char *src = g_build_filename (dir, "src", NULL);
  g_autofree char *out = g_build_filename (dir, "deep", "out", NULL);
  g_autofree char *db = g_build_filename (dir, "index.sqlite", NULL);
  g_autofree char *ins = g_build_filename (src, "EV_instructions.json", NULL);
  g_autofree char *store_path = g_build_filename (src, "EV.json", NULL);
  g_autofree char *escaped = g_build_filename (dir, "EV_IMG_evil.png", NULL);
  g_autoptr(MdStore) store = NULL;
  g_autoptr(MdExportOptions) options = md_export_options_new ();
  g_autoptr(MdExportResult) result = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *png_b64 = NULL;
  g_autofree char *store_text = NULL;
  const char *ids[] = { "../../evil", "/abs/x", ".hidden", "a/b", "a_b", "..", "" };
  char *names[G_N_ELEMENTS (ids)];

  /* The names themselves. */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      names[i] = md_export_image_file_name (ids[i], "image/png");
      g_assert_null (strchr (names[i], '/'));
      g_assert_false (names[i][0] == '.');
      g_assert_true (g_str_has_suffix (names[i], ".png"));
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (names[i], !=, names[j]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_free (names[i]);

  /* End to end: a store whose ids try to climb out of the export. */
  g_assert_no_error (error);
  g_mkdir_with_parents (src, 0755);
  {
    static const guint8 tiny_png[] = {
      0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1,
      0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde, 0, 0, 0, 12, 'I', 'D', 'A', 'T', 0x08,
      0xd7, 0x63, 0xf8, 0xcf, 0xc0, 0, 0, 3, 1, 1, 0, 0x18, 0xdd, 0x8d, 0xb0, 0, 0, 0, 0, 'I',
      'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };

    png_b64 = g_base64_encode (tiny_png, sizeof tiny_png);
  }
  /* Our import knows an image store by the "_IMG_" of its first key. */
  store_text = g_strdup_printf ("{\"EV_IMG_0\": \"%s\", \"../../EV_IMG_evil\": \"%s\", "
                                "\"EV_IMG_a/b\": \"%s\"}", png_b64, png_b64, png_b64);
  g_file_set_contents (store_path, store_text, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (ins, "{\"meta\": {}, \"data\": {\"EV_INS_00001\": {\"instruction\": \"Q\", "
                       "\"answer\": \"A\", \"image_ids\": [\"../../EV_IMG_evil\", \"EV_IMG_a/b\"], "
                       "\"rel_ins_ids\": []}}}", -1, &error);
  g_assert_no_error (error);
  store = import_into (db, src);

  options->format = MD_EXPORT_FORMAT_JSONL;
  options->extract_images = TRUE;
  result = md_export_run (store, NULL, options, out, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_images, ==, 2);
  g_assert_false (g_file_test (escaped, G_FILE_TEST_EXISTS));
  collect_files (out, NULL, files);
  g_assert_cmpuint (files->len, ==, 4);
  for (guint i = 0; i < files->len; i++)
    g_assert_true (g_str_has_prefix (files->pdata[i], "images/") ||
                   strcmp (files->pdata[i], "pairs.jsonl") == 0 ||
                   strcmp (files->pdata[i], "manifest.json") == 0);
  g_clear_object (&store);
  rm_rf (dir);
}

/* A search export holds every match, not just the first counted page of the lazy list (which
 * counts further only when its thread-default main context runs). */
static void
test_query_all_matches (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mdexport-XXXXXX", &error);
  g_autofree char *src = g_build_filename (dir, "src", NULL);
  g_autofree char *db = g_build_filename (dir, "index.sqlite", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *ins = g_build_filename (src, "QQ_instructions.json", NULL);
  g_autoptr(GString) text = g_string_new ("{\"meta\": {}, \"data\": {");
  g_autoptr(MdStore) store = NULL;
  g_autoptr(MdExportOptions) options = md_export_options_new ();
  g_autoptr(MdExportResult) result = NULL;
  const guint n = 30000;

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s\"QQ_INS_%06u\": {\"instruction\": \"%s %u\", "
                            "\"answer\": \"A\", \"rel_ins_ids\": []}", i ? ", " : "", i,
                            i % 3 == 0 ? "count the zebras" : "name the color", i);
  g_string_append (text, "}}");
  g_mkdir_with_parents (src, 0755);
  g_file_set_contents (ins, text->str, text->len, &error);
  g_assert_no_error (error);
  store = import_into (db, src);

  options->format = MD_EXPORT_FORMAT_JSONL;
  options->text = g_strdup ("zebras");
  result = md_export_run (store, NULL, options, out, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_pairs, ==, n / 3);
  g_clear_object (&store);
  rm_rf (dir);
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *db = g_build_filename (f->dir, "index.sqlite", NULL);
  g_autofree char *out_text = NULL;
  g_autofree char *err_text = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  const char *cli = g_getenv ("MD_CLI");
  char *refuse[] = { (char *) cli, "export", "--db", db, "--out", f->out, "--quiet", NULL };
  char *subset[] = { (char *) cli, "export", "--db", db, "--out", f->out, "--quiet",
                     "--format", "jsonl", "--status", "approved", "--status", "fixed",
                     "--dataset", "DC", "--context", "drop", NULL };

  apply_review (f);
  g_clear_object (&f->review);

  /* The sample's defects block the whole export. */
  g_spawn_sync (NULL, refuse, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out_text, &err_text, &status,
                &error);
  g_assert_no_error (error);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out_text, "dangling_context\tLA_INS_00007\tLA_INS_00099"));
  g_assert_nonnull (strstr (err_text, "--yes"));
  g_assert_false (g_file_test (f->out, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out_text, g_free);
  g_clear_pointer (&err_text, g_free);

  /* A reviewed subset is clean once its links are dropped. */
  g_spawn_sync (NULL, subset, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out_text, &err_text, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("export failed: %s", err_text);
  g_assert_nonnull (strstr (out_text, "exported 3 pairs"));
  g_assert_nonnull (strstr (out_text, "file\tpairs.jsonl\t"));
}

/* The preview's figures: pairs per dataset and the images a store holds, counted here again
 * from the index; and the window's own filters (quick filters, modality) narrow the selection. */
static void
test_check_counts (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(MdExportOptions) options = md_export_options_new ();
  g_autoptr(MdExportReport) report = NULL;
  g_autoptr(MdQuery) query = md_query_new ();
  g_autoptr(GListModel) pairs = NULL;
  g_autoptr(GHashTable) images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) datasets = NULL;
  guint held = 0;
  guint64 context_pairs = 99;
  GHashTableIter iter;
  gpointer key;

  options->dataset = g_strdup ("SD");
  options->context = MD_EXPORT_CONTEXT_INCLUDE;
  report = md_export_check (f->store, f->review, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  datasets = md_export_report_get_datasets (report);
  g_assert_cmpstrv (datasets, ((const char *[]) { "SD", NULL }));
  g_assert_cmpuint (md_export_report_get_dataset_pairs (report, "SD", &context_pairs), ==, 10);
  g_assert_cmpuint (context_pairs, ==, md_export_report_get_n_context_pairs (report));
  g_assert_cmpuint (md_export_report_get_dataset_pairs (report, "DC", NULL), ==, 0);

  query->dataset = g_strdup ("SD");
  pairs = md_store_query (f->store, query, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (pairs); i++)
    {
      g_autoptr(MdPair) row = g_list_model_get_item (pairs, i);
      g_autoptr(MdPair) pair = md_store_get_pair (f->store, md_pair_get_id (row), &error);
      const char * const *ids;

      g_assert_no_error (error);
      ids = md_pair_get_image_ids (pair);
      for (guint j = 0; ids[j] != NULL; j++)
        g_hash_table_add (images, g_strdup (ids[j]));
    }
  g_hash_table_iter_init (&iter, images);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr(GBytes) raw = md_store_read_image_raw (f->store, key, NULL);

      held += raw != NULL;
    }
  g_assert_cmpuint (held, >, 0);
  g_assert_cmpuint (held, <, g_hash_table_size (images));   /* the SD defect */
  g_assert_cmpuint (md_export_report_get_n_images (report), ==, held);
  g_clear_object (&report);

  /* The window's quick filter "missing images" leaves the one defective SD pair. */
  options->query_flags = MD_QUERY_MISSING_IMAGES;
  report = md_export_check (f->store, f->review, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (md_export_report_get_n_pairs (report), ==, 1);
  g_assert_true (report_has (report, MD_EXPORT_ISSUE_MISSING_IMAGE, "SD_INS_00009",
                             "SD_IMG_00049_2"));
  g_clear_object (&report);

  /* A modality SD does not have selects nothing. */
  options->query_flags = 0;
  options->modality = MD_MODALITY_TEXT;
  report = md_export_check (f->store, f->review, options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (md_export_report_get_n_pairs (report), ==, 0);
}

/* Rejected pairs are left out unless the filter asks for them, and the checks list them. */
static void
test_rejected (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(MdExportOptions) options = md_export_options_new ();
  g_autoptr(MdExportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MdExportReport *report;
  GPtrArray *issues;
  cJSON *json, *manifest;
  gboolean listed = FALSE;

  set_status (f, "DC_INS_00003", NULL, MD_REVIEW_STATUS_REJECTED, NULL);
  result = run_export (f, options);
  report = result->report;
  g_assert_cmpuint (md_export_report_count (report, MD_EXPORT_ISSUE_REJECTED_LEFT_OUT), ==, 1);
  g_assert_false (md_export_issue_is_blocking (MD_EXPORT_ISSUE_REJECTED_LEFT_OUT));
  issues = md_export_report_get_issues (report);
  for (guint i = 0; i < issues->len; i++)
    {
      MdExportIssue *issue = g_ptr_array_index (issues, i);

      listed |= issue->kind == MD_EXPORT_ISSUE_REJECTED_LEFT_OUT &&
                g_strcmp0 (issue->pair_id, "DC_INS_00003") == 0;
    }
  g_assert_true (listed);
  json = parse_file (f->out, "DC_instructions.json");
  g_assert_null (cJSON_GetObjectItem (cJSON_GetObjectItem (json, "data"), "DC_INS_00003"));
  g_assert_nonnull (cJSON_GetObjectItem (cJSON_GetObjectItem (json, "data"), "DC_INS_00002"));
  cJSON_Delete (json);
  json = parse_file (f->out, "DC_train.json");
  g_assert_null (cJSON_GetObjectItem (json, "DC_INS_00003"));
  cJSON_Delete (json);
  manifest = parse_file (f->out, "manifest.json");
  g_assert_cmpint (cJSON_GetObjectItem (cJSON_GetObjectItem (manifest, "checks"),
                                        "rejected_left_out")->valueint, ==, 1);
  cJSON_Delete (manifest);
  g_clear_pointer (&result, md_export_result_free);
  rm_rf (f->out);

  /* Asked for, they are exported. */
  options->statuses = 1u << MD_REVIEW_STATUS_REJECTED;
  result = run_export (f, options);
  g_assert_cmpuint (result->n_pairs, ==, 1);
  g_assert_cmpuint (md_export_report_count (result->report, MD_EXPORT_ISSUE_REJECTED_LEFT_OUT),
                    ==, 0);
  json = parse_file (f->out, "DC_instructions.json");
  g_assert_nonnull (cJSON_GetObjectItem (cJSON_GetObjectItem (json, "data"), "DC_INS_00003"));
  cJSON_Delete (json);
}

static void
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* A killed export's hidden staging folder does not block the next run: it is removed with a
 * note. One still locked (an export running) is left alone, and other hidden entries are named. */
static void
test_stale_staging (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(MdExportOptions) options = md_export_options_new ();
  g_autoptr(MdExportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stale = g_build_filename (f->out, ".export-Ab12Cd", NULL);
  g_autofree char *busy = g_build_filename (f->out, ".export-Zz99Yy", NULL);
  g_autofree char *lock = g_build_filename (busy, ".lock", NULL);
  g_autofree char *manifest = g_build_filename (f->out, "manifest.json", NULL);
  g_autoptr(GDir) dir = NULL;
  const char *name;
  int fd;

  write_file (stale, "DC_train.json", "{\"DC_INS_00001\": [");
  write_file (stale, ".lock", "");
  result = run_export (f, options);
  g_assert_nonnull (result->notes);
  g_assert_cmpuint (g_strv_length (result->notes), ==, 1);
  g_assert_nonnull (strstr (result->notes[0], ".export-Ab12Cd"));
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (manifest, G_FILE_TEST_IS_REGULAR));
  dir = g_dir_open (f->out, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (name[0] == '.');
  g_clear_pointer (&result, md_export_result_free);
  rm_rf (f->out);

  /* Locked: another export owns it. */
  write_file (busy, "DC_train.json", "{");
  write_file (busy, ".lock", "");
  fd = g_open (lock, O_RDWR, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);
  result = md_export_run (f->store, f->review, options, f->out, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, MD_ERROR, MD_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "another export"));
  g_assert_true (g_file_test (busy, G_FILE_TEST_IS_DIR));
  close (fd);
  g_clear_error (&error);
  rm_rf (f->out);

  /* Anything else hidden is the user's: refused, and named. */
  write_file (f->out, ".notes", "mine");
  result = md_export_run (f->store, f->review, options, f->out, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_nonnull (strstr (error->message, "“.notes”"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/export/mimicit/round-trip", test_round_trip);
  ADD ("/export/mimicit/language", test_round_trip_language);
  ADD ("/export/context/keep", test_context_keep);
  ADD ("/export/context/drop", test_context_drop);
  ADD ("/export/context/include", test_context_include);
  ADD ("/export/check/report", test_check_report);
  ADD ("/export/check/counts", test_check_counts);
  ADD ("/export/jsonl", test_jsonl);
  ADD ("/export/llava", test_llava);
  ADD ("/export/manifest", test_manifest);
  ADD ("/export/cancel", test_cancel);
  ADD ("/export/async", test_async);
  ADD ("/export/sample", test_sample);
  ADD ("/export/cli", test_cli);
  ADD ("/export/rejected", test_rejected);
  ADD ("/export/staging/stale", test_stale_staging);
#undef ADD
  g_test_add_func ("/export/sanitise", test_sanitise);
  g_test_add_func ("/export/query/all-matches", test_query_all_matches);
  return g_test_run ();
}
