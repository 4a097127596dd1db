/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-hostile"

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../store/md-test-store.h"
#include "md-base64.h"
#include "md-json-scan.h"
#include "md-review-merge.h"
#include "md-syphus-parse.h"
#include "md-translation-private.h"

/* Files that came from anywhere: each test feeds one hostile input and checks the protection
 * (an error that names the place, a bound, a repair reported as a problem). */

static const char good_png[] = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
                               "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

static glong
max_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static MdImportedFile *
import_one_file (MdTestDir  *t,
                 const char *path)
{
  g_autoptr(GError) error = NULL;
  MdImportReport *report = md_test_import (t, NULL, &error, path, NULL);
  g_autofree char *base = g_path_get_basename (path);

  g_object_set_data_full (G_OBJECT (t->store), "report", report,
                          g_object_unref);
  return md_test_report_file (report, base);
}

/* JSON nested 100,000 deep, in a shard, a review log line and a translation reply. */
static void
test_deep_json (void)
{
  MdTestDir t;
  g_autoptr(GString) text = g_string_new ("{\"data\": {\"DEEP_INS_1\": {\"instruction\": ");
  g_autoptr(GString) nest = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *review_path = NULL;
  g_autoptr(MdReviewStore) review = NULL;
  g_autoptr(MdReviewMergeReport) merge = NULL;
  g_autoptr(MdTranslationReply) reply = NULL;
  g_autoptr(MdSyphusTranslation) translation = NULL;
  g_autoptr(GError) error = NULL;
  MdImportedFile *file;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (nest, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (nest, ']');

  md_test_dir_init (&t);
  g_string_append_printf (text, "%s}}}", nest->str);
  path = md_test_write (&t, "DEEP_instructions.json", text->str, -1);
  file = import_one_file (&t, path);
  g_assert_cmpint (file->outcome, ==, MD_FILE_REJECTED);
  g_assert_nonnull (strstr (file->error->message, "nesting deeper than 64 levels at byte"));

  /* A review log: the deep line is reported, the good line still imports. */
  g_string_printf (text, "{\"uid\": %s}\n", nest->str);
  g_string_append (text, "{\"uid\":\"ana/1\",\"action_kind\":\"do\",\"dataset\":\"DC\","
                         "\"id\":\"DC_INS_00001\",\"lang\":\"\",\"field\":\"note\",\"old\":null,"
                         "\"new\":\"fine\",\"author\":\"ana\",\"author_kind\":\"person\","
                         "\"time\":1700000000000000}\n");
  log_path = md_test_write (&t, "deep.jsonl", text->str, -1);
  review_path = g_build_filename (t.dir, "review.sqlite", NULL);
  review = md_review_store_open (review_path, &error);
  g_assert_no_error (error);
  merge = md_review_store_import_log (review, log_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (merge->errors->len, >=, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (merge->errors, 0), ":1 (byte 0)"));

  /* Replies. */
  g_string_printf (text, "{\"a\": %s}", nest->str);
  reply = _md_translation_reply_parse (text->str, &error);
  g_assert_null (reply);
  g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);
  g_clear_error (&error);
  translation = md_syphus_parse_translation (text->str, &error);
  g_assert_null (translation);
  g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);

  md_test_dir_clear (&t);
}

/* A 1 GB string value (a sparse file): refused after reading at most the longest string
 * accepted, so neither the time nor the memory grows with the claim. */
static void
test_giant_string (void)
{
  MdTestDir t;
  const char *head = "{\"data\": {\"BIG_INS_1\": {\"instruction\": \"";
  const gsize giant = (gsize) 1 << 30;
  g_autofree char *path = NULL;
  MdImportedFile *file;
  glong rss_before;
  gint64 start;
  int fd;

  md_test_dir_init (&t);
  path = g_build_filename (t.dir, "BIG_instructions.json", NULL);
  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, head, strlen (head)), ==, (gssize) strlen (head));
  g_assert_cmpint (pwrite (fd, "\"}}}", 4, strlen (head) + giant), ==, 4);
  close (fd);

  rss_before = max_rss_kb ();
  start = g_get_monotonic_time ();
  file = import_one_file (&t, path);
  g_assert_cmpint (file->outcome, ==, MD_FILE_REJECTED);
  g_assert_nonnull (strstr (file->error->message, "BIG_instructions.json"));
  g_assert_nonnull (strstr (file->error->message,
                            "string at byte 39 is more than 16777216 bytes long"));
  /* Reading the whole gigabyte would show in the resident set (file pages count). */
  g_assert_cmpint (max_rss_kb () - rss_before, <, 128 * 1024);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
  md_test_dir_clear (&t);
}

/* Ten million tiny records through the scanner: linear time, memory independent of the count. */
static void
test_many_records (void)
{
  const guint n = 10 * 1000 * 1000;
  g_autoptr(GString) text = g_string_sized_new ((gsize) n * 12 + 64);
  MdJsonScan scan;
  MdJsonSpan key, value;
  gboolean has_next;
  guint count = 0;
  glong rss_before;
  gint64 start;

  g_string_append (text, "{\"data\": {");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s\"%x\":{}", i > 0 ? "," : "", i);
  g_string_append (text, "}}");

  rss_before = max_rss_kb ();
  start = g_get_monotonic_time ();
  md_json_scan_init (&scan, text->str, text->len);
  g_assert_true (md_json_scan_start (&scan, NULL));
  g_assert_true (md_json_scan_open (&scan, '{', "object", NULL));
  g_assert_true (md_json_scan_next (&scan, &key, &has_next, NULL));
  g_assert_true (md_json_scan_open (&scan, '{', "pairs", NULL));
  for (;;)
    {
      g_assert_true (md_json_scan_next (&scan, &key, &has_next, NULL));
      if (!has_next)
        break;
      g_assert_true (md_json_scan_skip_value (&scan, &value, NULL));
      count++;
    }
  g_assert_cmpuint (count, ==, n);
  g_assert_cmpint (max_rss_kb () - rss_before, <, 16 * 1024);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 30 * G_USEC_PER_SEC);
}

/* \u0000 and lone surrogates: the record is kept, the bad code point is U+FFFD, and the repair
 * is a problem of the pair. */
static void
test_nul_and_surrogates (void)
{
  MdTestDir t;
  g_autofree char *path = NULL;
  g_autoptr(MdPair) pair = NULL;
  g_autoptr(MdPair) pair2 = NULL;
  g_autoptr(GError) error = NULL;
  MdImportedFile *file;

  md_test_dir_init (&t);
  path = md_test_write (&t, "ESC_instructions.json",
    "{\"data\": {"
    "\"ESC_INS_1\": {\"instruction\": \"before\\u0000after\", \"answer\": \"lone \\ud800 high\"},"
    "\"ESC_INS_2\": {\"instruction\": \"low \\udc00 alone, pair \\ud83d\\ude00 ok\","
    " \"answer\": \"not \\\\u0000 an escape\"}}}", -1);
  file = import_one_file (&t, path);
  g_assert_cmpint (file->outcome, ==, MD_FILE_IMPORTED);
  g_assert_cmpuint (file->n_records, ==, 2);

  pair = md_store_get_pair (t.store, "ESC_INS_1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION), ==,
                   "before\xEF\xBF\xBD" "after");
  g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_ANSWER), ==,
                   "lone \xEF\xBF\xBD high");
  g_assert_true (md_test_pair_has_problem (t.store, "ESC_INS_1", "bad_escape",
                                           "2 \\u escapes (NUL or lone surrogate"));
  pair2 = md_store_get_pair (t.store, "ESC_INS_2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (md_pair_get_text (pair2, MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION), ==,
                   "low \xEF\xBF\xBD alone, pair \xF0\x9F\x98\x80 ok");
  g_assert_cmpstr (md_pair_get_text (pair2, MD_LANGUAGE_EN, MD_FIELD_ANSWER), ==,
                   "not \\u0000 an escape");
  g_assert_true (md_test_pair_has_problem (t.store, "ESC_INS_2", "bad_escape",
                                           "1 \\u escape (NUL or lone surrogate"));
  md_test_dir_clear (&t);
}

/* Overlong UTF-8 ("/" as C0 AF, NUL as C0 80) and encoded surrogates are not UTF-8: the file is
 * refused with the byte offset, never indexed as text. */
static void
test_overlong_utf8 (void)
{
  const char *bad[] = {
    "{\"data\": {\"OVL_INS_1\": {\"instruction\": \"a\xC0\xAF\", \"answer\": \"b\"}}}",
    "{\"data\": {\"OVL_INS_1\": {\"instruction\": \"a\xC0\x80\", \"answer\": \"b\"}}}",
    "{\"data\": {\"OVL_INS_1\": {\"instruction\": \"a\xE0\x80\xAF\", \"answer\": \"b\"}}}",
    "{\"data\": {\"OVL_INS_1\": {\"instruction\": \"a\xED\xA0\x80\", \"answer\": \"b\"}}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      MdTestDir t;
      g_autofree char *path = NULL;
      MdImportedFile *file;

      md_test_dir_init (&t);
      path = md_test_write (&t, "OVL_instructions.json", bad[i], -1);
      file = import_one_file (&t, path);
      g_assert_cmpint (file->outcome, ==, MD_FILE_REJECTED);
      g_assert_nonnull (strstr (file->error->message, "invalid UTF-8 at byte 41"));
      md_test_dir_clear (&t);
    }
}

/* Image stores ----------------------------------------------------------------------------------- */

static char *
base64_of (const guint8 *data,
           gsize         len)
{
  return g_base64_encode (data, len);
}

static GError *
load_image_error (MdTestDir  *t,
                  const char *store_json,
                  const char *image_id)
{
  g_autofree char *path = md_test_write (t, "HST.json", store_json, -1);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  MdImportedFile *file = import_one_file (t, path);

  g_assert_cmpint (file->outcome, ==, MD_FILE_IMPORTED);
  bytes = md_store_load_image (t->store, image_id, NULL, &error);
  g_assert_null (bytes);
  return error;
}

static void
test_image_bomb (void)
{
  MdTestDir t;
  /* PNG signature + IHDR claiming 100000 x 100000, then nothing. */
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
                                'I', 'H', 'D', 'R', 0, 0x01, 0x86, 0xa0, 0, 0x01, 0x86, 0xa0,
                                8, 6, 0, 0, 0, 0, 0, 0, 0 };
  /* JPEG SOI, an APP0 segment, then SOF0 claiming 20000 x 20000 (400 megapixels). */
  static const guint8 jpeg[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 4, 'J', 'F', 0xff, 0xc0, 0, 11, 8,
                                 0x4e, 0x20, 0x4e, 0x20, 1, 1, 0x11, 0 };
  g_autofree char *png64 = base64_of (png, sizeof png);
  g_autofree char *jpeg64 = base64_of (jpeg, sizeof jpeg);
  g_autofree char *json = g_strdup_printf ("{\"HST_IMG_bomb\": \"%s\", \"HST_IMG_jbomb\": \"%s\","
                                           " \"HST_IMG_ok\": \"%s\"}", png64, jpeg64, good_png);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) ok = NULL;
  guint64 w, h;

  g_assert_true (md_image_get_size (png, sizeof png, &w, &h));
  g_assert_cmpuint (w, ==, 100000);
  g_assert_cmpuint (h, ==, 100000);
  g_assert_true (md_image_get_size (jpeg, sizeof jpeg, &w, &h));
  g_assert_cmpuint (w, ==, 20000);
  g_assert_cmpuint (h, ==, 20000);

  md_test_dir_init (&t);
  error = load_image_error (&t, json, "HST_IMG_bomb");
  g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "HST_IMG_bomb"));
  g_assert_nonnull (strstr (error->message, "claims 100000 × 100000 pixels, expected at most 64 "
                                            "megapixels"));
  g_clear_error (&error);
  g_assert_null (md_store_load_image (t.store, "HST_IMG_jbomb", NULL, &error));
  g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "claims 20000 × 20000 pixels"));
  g_clear_error (&error);
  ok = md_store_load_image (t.store, "HST_IMG_ok", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ok);
  md_test_dir_clear (&t);
}

/* A truncated PNG or JPEG: too short to be an image is a parse error; a cut-off body is handed
 * on (the header fits the limit) and the decoder reports it. */
static void
test_truncated_images (void)
{
  MdTestDir t;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) cut = NULL;
  g_autofree char *cut_png = g_strndup (good_png, 48);
  guint64 w = 0, h = 0;

  md_test_dir_init (&t);
  json = g_strdup_printf ("{\"HST_IMG_png4\": \"iVBORw==\", \"HST_IMG_jpg2\": \"/9g=\","
                          " \"HST_IMG_cut\": \"%s\"}", cut_png);
  error = load_image_error (&t, json, "HST_IMG_png4");
  g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "HST_IMG_png4"));
  g_assert_nonnull (strstr (error->message, "decodes to neither PNG nor JPEG"));
  g_clear_error (&error);
  g_assert_null (md_store_load_image (t.store, "HST_IMG_jpg2", NULL, &error));
  g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);
  g_clear_error (&error);
  cut = md_store_load_image (t.store, "HST_IMG_cut", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (md_image_get_size (g_bytes_get_data (cut, NULL), g_bytes_get_size (cut), &w, &h));
  g_assert_cmpuint (w, ==, 1);
  /* Headers cut anywhere never read out of bounds (ASan checks this loop). */
  for (gsize n = 0; n < 24; n++)
    g_assert_false (md_image_get_size (g_bytes_get_data (cut, NULL), n, &w, &h));
  md_test_dir_clear (&t);
}

/* A store whose values are not base64. */
static void
test_not_base64 (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;

  md_test_dir_init (&t);
  error = load_image_error (&t, "{\"HST_IMG_x\": \"iVBORw0KGgo!!not base64 at all\"}",
                            "HST_IMG_x");
  g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "HST_IMG_x"));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "is not base64 (byte 26)"));
  md_test_dir_clear (&t);
}

/* Folders and files that move ------------------------------------------------------------------- */

static void
test_symlink_loop (void)
{
  MdTestDir t;
  g_autofree char *path = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *loop1 = NULL;
  g_autofree char *loop2 = NULL;
  g_autofree char *up = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *files;
  gint64 start = g_get_monotonic_time ();
  gboolean ok;

  md_test_dir_init (&t);
  path = md_test_write (&t, "shards/sub/LOOP_instructions.json",
                        "{\"data\": {\"LOOP_INS_1\": {\"instruction\": \"a\", \"answer\": \"b\"}}}",
                        -1);
  folder = g_build_filename (t.dir, "shards", NULL);
  loop1 = g_build_filename (folder, "sub", "again", NULL);
  loop2 = g_build_filename (folder, "sub", "and-again", NULL);
  up = g_build_filename (folder, "up", NULL);
  /* Two links to the parent: without loop detection the walk is exponential. */
  g_assert_cmpint (symlink ("..", loop1), ==, 0);
  g_assert_cmpint (symlink ("..", loop2), ==, 0);
  g_assert_cmpint (symlink (".", up), ==, 0);

  report = md_test_import (&t, &ok, &error, folder, NULL);
  g_assert_no_error (error);
  g_assert_true (ok);
  files = md_import_report_get_files (report);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_cmpint (md_test_report_file (report, "LOOP_instructions.json")->outcome, ==,
                   MD_FILE_IMPORTED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  md_test_dir_clear (&t);
}

typedef struct
{
  const char *path;
  gboolean    changed;
} ChangeData;

static void
change_during_import (guint64     bytes_done,
                      guint64     bytes_total,
                      guint64     records_done,
                      const char *current_file,
                      gpointer    user_data)
{
  ChangeData *data = user_data;
  int fd;

  if (data->changed || records_done == 0 || g_strcmp0 (current_file, data->path) != 0)
    return;
  /* Same size, other bytes, as an editor saving in place would do; mtime moves on too. */
  fd = g_open (data->path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, "Z", 1, 30), ==, 1);
  close (fd);
  data->changed = TRUE;
}

static void
test_file_changes_during_import (void)
{
  MdTestDir t;
  g_autoptr(GString) text = g_string_new ("{\"data\": {");
  g_autofree char *path = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdPair) pair = NULL;
  const char *paths[2] = { NULL, NULL };
  ChangeData data = { NULL, FALSE };
  MdImportedFile *file;

  /* More than one progress step (4096 records) so that the change lands mid-scan. */
  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (text, "%s\"CHG_INS_%05u\": {\"instruction\": \"q%u\", "
                            "\"answer\": \"a\"}", i > 0 ? "," : "", i, i);
  g_string_append (text, "}}");
  md_test_dir_init (&t);
  path = md_test_write (&t, "CHG_instructions.json", text->str, text->len);
  data.path = path;
  paths[0] = path;
  md_store_import (t.store, paths, change_during_import, &data, NULL, &report, &error);
  g_assert_true (data.changed);
  file = md_test_report_file (report, "CHG_instructions.json");
  g_assert_cmpint (file->outcome, ==, MD_FILE_REJECTED);
  g_assert_nonnull (strstr (file->error->message, "CHG_instructions.json: the file changed while "
                                                  "it was being imported"));
  /* Nothing of either version is in the index. */
  pair = md_store_get_pair (t.store, "CHG_INS_00000", NULL);
  g_assert_null (pair);

  /* Once it stays still it imports. */
  g_clear_object (&report);
  g_clear_error (&error);
  md_store_import (t.store, paths, NULL, NULL, NULL, &report, &error);
  g_assert_no_error (error);
  file = md_test_report_file (report, "CHG_instructions.json");
  g_assert_cmpint (file->outcome, ==, MD_FILE_IMPORTED);
  g_assert_cmpuint (file->n_records, ==, 10000);
  md_test_dir_clear (&t);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hardening/json/deep", test_deep_json);
  g_test_add_func ("/hardening/json/giant-string", test_giant_string);
  g_test_add_func ("/hardening/json/many-records", test_many_records);
  g_test_add_func ("/hardening/json/nul-and-surrogates", test_nul_and_surrogates);
  g_test_add_func ("/hardening/json/overlong-utf8", test_overlong_utf8);
  g_test_add_func ("/hardening/image/bomb", test_image_bomb);
  g_test_add_func ("/hardening/image/truncated", test_truncated_images);
  g_test_add_func ("/hardening/image/not-base64", test_not_base64);
  g_test_add_func ("/hardening/import/symlink-loop", test_symlink_loop);
  g_test_add_func ("/hardening/import/file-changes", test_file_changes_during_import);

  return g_test_run ();
}
