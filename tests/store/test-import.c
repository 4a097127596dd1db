/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <utime.h>

#include <cJSON.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "md-test-store.h"

/* Tiny but real image heads: enough for magic-byte sniffing. */
static const guint8 png_bytes[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
                                    'I', 'H', 'D', 'R', 0, 0, 0, 224, 0, 0, 0, 224, 8, 2 };
static const guint8 jpeg_bytes[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1,
                                     0xfb, 0xfe, 0xff, 0xd9 };

static char *
url_safe_unpadded (const guint8 *data,
                   gsize         len)
{
  char *text = g_base64_encode (data, len);

  for (char *c = text; *c; c++)
    *c = *c == '+' ? '-' : *c == '/' ? '_' : *c;
  text[strcspn (text, "=")] = '\0';
  return text;
}

static MdPair *
get_pair (MdTestDir  *t,
          const char *id)
{
  g_autoptr(GError) error = NULL;
  MdPair *pair = md_store_get_pair (t->store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pair);
  return pair;
}

static void
assert_strv (const char * const *got,
             const char         *expected_joined)
{
  g_autofree char *joined = g_strjoinv (",", (GStrv) got);

  g_assert_cmpstr (joined, ==, expected_joined);
}

/* Quirks of instruction files ------------------------------------------------------------------ */

static void
test_import_bom_pretty_escapes (void)
{
  MdTestDir t;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(MdPair) pair = NULL;
  g_autoptr(MdPair) other = NULL;
  gboolean ok;

  md_test_dir_init (&t);
  /* BOM, pretty-printed, \u escapes with a surrogate pair, raw UTF-8, extra keys, key order,
   * image_ids as a single string, text-only pair without image_ids. */
  a = md_test_write (&t, "pretty/SN_instructions.json",
                     "\xEF\xBB\xBF{\n"
                     "  \"data\": {\n"
                     "    \"SN_INS_00001\": {\n"
                     "      \"answer\": \"Caf\\u00e9 \\ud83d\\ude00 \\\"quoted\\\"\",\n"
                     "      \"extra\": {\"nested\": [1, 2, {\"x\": \"}\"}]},\n"
                     "      \"image_ids\": \"SN_IMG_scene0000_00_color_000100\",\n"
                     "      \"instruction\": \"Où est la chaise ?\",\n"
                     "      \"rel_ins_ids\": []\n"
                     "    },\n"
                     "    \"SN_INS_00002\": {\"instruction\": \"Text only\", \"answer\": \"ok\"}\n"
                     "  },\n"
                     "  \"meta\": {}\n"
                     "}\n", -1);
  /* One line, early-release id with a version segment. */
  b = md_test_write (&t, "DC_instructions.json",
                     "{\"meta\":{\"version\":\"0.0.1\",\"author\":\"x\"},\"data\":{\"DC_04_INS_00001\":"
                     "{\"instruction\":\"What happens?\",\"answer\":\"A dog runs.\",\"image_ids\":"
                     "[\"DC_IMG_v_N1c3C_Npr-E_0000\",\"DC_IMG_v_N1c3C_Npr-E_0001\"],"
                     "\"rel_ins_ids\":[\"DC_INS_77777\"]}}}", -1);

  report = md_test_import (&t, &ok, &error, t.dir, NULL);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (md_import_report_count (report, MD_FILE_IMPORTED), ==, 2);
  g_assert_cmpuint (md_import_report_count (report, MD_FILE_REJECTED), ==, 0);
  g_assert_cmpuint (md_test_report_file (report, "SN_instructions.json")->n_records, ==, 2);

  pair = get_pair (&t, "SN_INS_00001");
  g_assert_cmpstr (md_pair_get_dataset (pair), ==, "SN");
  g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_ANSWER), ==,
                   "Café 😀 \"quoted\"");
  g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION), ==,
                   "Où est la chaise ?");
  assert_strv (md_pair_get_image_ids (pair), "SN_IMG_scene0000_00_color_000100");
  g_assert_cmpint (md_pair_get_modality (pair), ==, MD_MODALITY_IMAGE);
  g_assert_cmpuint (md_pair_get_languages (pair), ==, 1 << MD_LANGUAGE_EN);

  other = get_pair (&t, "SN_INS_00002");
  g_assert_cmpint (md_pair_get_modality (other), ==, MD_MODALITY_TEXT);
  g_assert_cmpuint (md_pair_get_n_images (other), ==, 0);
  g_clear_object (&other);

  other = get_pair (&t, "DC_04_INS_00001");
  g_assert_cmpstr (md_pair_get_dataset (other), ==, "DC");
  g_assert_cmpint (md_pair_get_modality (other), ==, MD_MODALITY_VIDEO);
  /* No DC image store imported: frames are not called missing, but the link dangles. */
  assert_strv (md_pair_get_missing_image_ids (other), "");
  assert_strv (md_pair_get_dangling_context_ids (other), "DC_INS_77777");
  g_assert_true (md_test_pair_has_problem (t.store, "DC_04_INS_00001", "dangling_context",
                                           "DC_INS_77777"));

  md_test_dir_clear (&t);
}

static void
test_import_modalities (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  static const struct { const char *id; MdModality modality; } expected[] = {
    { "SD_INS_1", MD_MODALITY_IMAGE_PAIR },
    { "VST_INS_1", MD_MODALITY_MULTI_IMAGE },
    { "TVC_INS_1", MD_MODALITY_VIDEO },
    { "CGD_INS_1", MD_MODALITY_IMAGE_PAIR },
    { "E4D_INS_1", MD_MODALITY_VIDEO },
  };
  g_autofree char *path = NULL;

  md_test_dir_init (&t);
  path = md_test_write (&t, "MIX_instructions.json",
    "{\"data\": {"
    "\"SD_INS_1\": {\"instruction\": \"i\", \"answer\": \"a\", \"image_ids\": "
    "  [\"SD_IMG_00042_1\", \"SD_IMG_00042_2\"]},"
    "\"VST_INS_1\": {\"instruction\": \"i\", \"answer\": \"a\", \"image_ids\": "
    "  [\"VST_IMG_1001\", \"VST_IMG_1002\", \"VST_IMG_1003\"]},"
    "\"TVC_INS_1\": {\"instruction\": \"i\", \"answer\": \"a\", \"image_ids\": "
    "  [\"TVC_IMG_bbt_s01e01_seg01_clip_00_00001\", \"TVC_IMG_bbt_s01e01_seg01_clip_00_00002\","
    "   \"TVC_IMG_bbt_s01e01_seg01_clip_00_00003\"]},"
    "\"CGD_INS_1\": {\"instruction\": \"i\", \"answer\": \"a\", \"image_ids\": "
    "  [\"CGD_IMG_000000000139\", \"CGD_IMG_000000000285\"]},"
    "\"E4D_INS_1\": {\"instruction\": \"i\", \"answer\": \"a\", \"image_ids\": "
    "  [\"E4D_IMG_0a1b2c3d-aaaa-bbbb_00000000\", \"E4D_IMG_0a1b2c3d-aaaa-bbbb_00000001\"]}"
    "}}", -1);
  report = md_test_import (&t, NULL, &error, path, NULL);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(MdPair) pair = get_pair (&t, expected[i].id);

      g_assert_cmpstr (md_modality_name (md_pair_get_modality (pair)), ==,
                       md_modality_name (expected[i].modality));
    }
  md_test_dir_clear (&t);
}

/* Image stores ----------------------------------------------------------------------------------- */

static void
test_import_image_store (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autofree char *png64 = g_base64_encode (png_bytes, sizeof png_bytes);
  g_autofree char *jpeg64 = g_base64_encode (jpeg_bytes, sizeof jpeg_bytes);
  g_autofree char *jpeg_url = url_safe_unpadded (jpeg_bytes, sizeof jpeg_bytes);
  g_autofree char *jpeg_escaped = NULL;
  g_autofree char *store_json = NULL;
  g_autofree char *instructions = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *mime = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(MdPair) pair = NULL;
  g_auto(GStrv) escaped_parts = NULL;
  const char *ids[] = { "TVC_IMG_s01_clip_00_00001", "TVC_IMG_s01_clip_00_00002",
                        "TVC_IMG_s01_clip_00_00003", "TVC_IMG_s01_clip_00_00004" };

  md_test_dir_init (&t);
  g_assert_nonnull (strchr (jpeg64, '/'));
  escaped_parts = g_strsplit (jpeg64, "/", -1);
  jpeg_escaped = g_strjoinv ("\\/", escaped_parts);

  /* Standard PNG; URL-safe JPEG without padding in a one-element list; JPEG with JSON-escaped
   * slashes; something that is no image at all. */
  store_json = g_strdup_printf ("{\n \"%s\": \"%s\",\n \"%s\": [ \"%s\" ],\n \"%s\": \"%s\",\n"
                                " \"%s\": \"R0lGODlhAQABAAAAACw=\"\n}",
                                ids[0], png64, ids[1], jpeg_url, ids[2], jpeg_escaped, ids[3]);
  store_path = md_test_write (&t, "TVC.json", store_json, -1);
  /* The doubled clip name of real TVC files: in the instructions, not in the store. */
  instructions = md_test_write (&t, "TVC_instructions.json",
    "{\"meta\": {}, \"data\": {\"TVC_INS_00001\": {\"instruction\": \"Who enters?\", "
    "\"answer\": \"Sheldon.\", \"image_ids\": [\"TVC_IMG_s01_clip_00_00001\", "
    "\"TVC_IMG_s01_clip_00_00002\", \"TVC_IMG_s01_clip_00_castle_s01_clip_00_00003\"]}}}", -1);

  report = md_test_import (&t, NULL, &error, t.dir, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (md_test_report_file (report, "TVC.json")->kind, ==, MD_FILE_KIND_IMAGE_STORE);
  g_assert_cmpuint (md_test_report_file (report, "TVC.json")->n_records, ==, 4);

  bytes = md_store_load_image (t.store, ids[0], &mime, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mime, ==, "image/png");
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), png_bytes,
                   sizeof png_bytes);
  for (guint i = 1; i <= 2; i++)
    {
      g_autofree char *jpeg_mime = NULL;
      g_autoptr(GBytes) jpeg = md_store_load_image (t.store, ids[i], &jpeg_mime, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (jpeg_mime, ==, "image/jpeg");
      g_assert_cmpmem (g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg), jpeg_bytes,
                       sizeof jpeg_bytes);
    }
  g_assert_null (md_store_load_image (t.store, ids[3], NULL, &error));
  g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, ids[3]));
  g_assert_nonnull (strstr (error->message, "TVC.json"));
  g_clear_error (&error);
  g_assert_null (md_store_load_image (t.store, "TVC_IMG_nope_00001", NULL, &error));
  g_assert_error (error, MD_ERROR, MD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (md_test_count_problems (t.store, "undecodable_image"), ==, 1);

  pair = get_pair (&t, "TVC_INS_00001");
  assert_strv (md_pair_get_missing_image_ids (pair),
               "TVC_IMG_s01_clip_00_castle_s01_clip_00_00003");
  g_assert_true (md_pair_get_problem_flags (pair) & MD_QUERY_MISSING_IMAGES);
  g_assert_true (md_test_pair_has_problem (t.store, "TVC_INS_00001", "doubled_clip_name",
                                           "castle_s01_clip_00_00003"));
  g_assert_true (md_test_pair_has_problem (t.store, "TVC_INS_00001", "missing_image",
                                           "doubled"));

  md_test_dir_clear (&t);
}

/* In-context files ----------------------------------------------------------------------------- */

static void
test_import_train_overrides (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(MdPair) pair = NULL;
  g_autofree char *a = NULL, *b = NULL;

  md_test_dir_init (&t);
  /* The train file comes first in the argument list: order of inputs must not matter. */
  b = md_test_write (&t, "LA_train.json",
                     "{\"LA_INS_3\": [\"LA_INS_1\", \"LA_INS_9\"], \"LA_INS_404\": [\"LA_INS_1\"]}",
                     -1);
  a = md_test_write (&t, "LA_instructions.json",
    "{\"data\": {"
    "\"LA_INS_1\": {\"instruction\": \"one\", \"answer\": \"1\", \"image_ids\": [\"LA_IMG_1\"]},"
    "\"LA_INS_2\": {\"instruction\": \"two\", \"answer\": \"2\", \"image_ids\": [\"LA_IMG_2\"]},"
    "\"LA_INS_3\": {\"instruction\": \"three\", \"answer\": \"3\", \"image_ids\": [\"LA_IMG_3\"],"
    "  \"rel_ins_ids\": [\"LA_INS_2\", \"LA_INS_8\"]}}}", -1);
  report = md_test_import (&t, NULL, &error, b, a, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (md_import_report_count (report, MD_FILE_IMPORTED), ==, 2);

  pair = get_pair (&t, "LA_INS_3");
  assert_strv (md_pair_get_context_ids (pair), "LA_INS_1,LA_INS_9");
  assert_strv (md_pair_get_dangling_context_ids (pair), "LA_INS_9");
  g_assert_true (md_pair_get_problem_flags (pair) & MD_QUERY_DANGLING_CONTEXT);
  /* rel_ins_ids' dangling link is still reported, as such. */
  g_assert_true (md_test_pair_has_problem (t.store, "LA_INS_3", "dangling_context",
                                           "rel_ins_ids names “LA_INS_8”"));
  g_assert_true (md_test_pair_has_problem (t.store, "LA_INS_3", "dangling_context",
                                           "LA_train.json names “LA_INS_9”"));
  g_assert_true (md_test_pair_has_problem (t.store, "LA_INS_404", "dangling_context",
                                           "LA_train.json"));
  md_test_dir_clear (&t);
}

/* Bad files ------------------------------------------------------------------------------------- */

static void
check_rejected (const char *name,
                const char *contents,
                gssize      len,
                const char *needle)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autofree char *good = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(MdPair) pair = NULL;
  MdImportedFile *file;
  gboolean ok;

  md_test_dir_init (&t);
  good = md_test_write (&t, "GOOD_instructions.json",
                        "{\"data\": {\"GOOD_INS_1\": {\"instruction\": \"fine\", \"answer\": \"yes\"}}}",
                        -1);
  bad = md_test_write (&t, name, contents, len);
  report = md_test_import (&t, &ok, &error, bad, good, NULL);
  g_assert_no_error (error);
  g_assert_true (ok);

  file = md_test_report_file (report, name);
  g_assert_nonnull (file);
  g_assert_cmpint (file->outcome, ==, MD_FILE_REJECTED);
  g_assert_error (file->error, MD_ERROR, MD_ERROR_PARSE);
  if (strstr (file->error->message, bad) == NULL || strstr (file->error->message, needle) == NULL)
    g_error ("“%s” should name %s and contain “%s”", file->error->message, bad, needle);

  g_assert_cmpint (md_test_report_file (report, "GOOD_instructions.json")->outcome, ==,
                   MD_FILE_IMPORTED);
  pair = get_pair (&t, "GOOD_INS_1");
  g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_ANSWER), ==, "yes");
  md_test_dir_clear (&t);
}

static void
test_bad_truncated (void)
{
  check_rejected ("CUT_instructions.json",
                  "{\"data\": {\"CUT_INS_1\": {\"instruction\": \"a\", \"answer\": \"b\"},"
                  " \"CUT_INS_2\": {\"instruction\": \"tr", -1,
                  "unexpected end of file at byte 92");
}

static void
test_bad_utf8 (void)
{
  check_rejected ("UTF_instructions.json",
                  "{\"data\": {\"UTF_INS_1\": {\"instruction\": \"caf\xe9\", \"answer\": \"b\"}}}",
                  -1, "invalid UTF-8 at byte 43");
}

static void
test_bad_top_level (void)
{
  check_rejected ("TOP_instructions.json", "[{\"instruction\": \"a\"}]", -1,
                  "byte 0, expected a JSON object with “meta” and “data”");
  check_rejected ("DATA_instructions.json", "{\"meta\": {}, \"data\": [1, 2]}", -1,
                  "byte 21, expected an object of pairs");
  check_rejected ("NODATA_instructions.json", "{\"meta\": {}}", -1, "no “data” member");
}

static void
test_bad_empty (void)
{
  check_rejected ("EMPTY_instructions.json", "", 0, "empty");
  check_rejected ("BLANK_instructions.json", "\xEF\xBB\xBF  \n", -1, "empty");
}

static void
test_bad_nesting (void)
{
  GString *text = g_string_new ("{\"data\": {\"DEEP_INS_1\": {\"instruction\": ");
  g_autofree char *contents = NULL;

  for (guint i = 0; i < 200; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < 200; i++)
    g_string_append_c (text, ']');
  g_string_append (text, "}}}");
  contents = g_string_free (text, FALSE);
  check_rejected ("DEEP_instructions.json", contents, -1, "nesting deeper than 64 levels at byte");
}

static void
test_bad_giant_string (void)
{
  gsize n = 17 * 1024 * 1024;
  g_autofree char *contents = g_malloc (n + 100);
  int len = g_snprintf (contents, 100, "{\"data\": {\"BIG_INS_1\": {\"instruction\": \"");

  memset (contents + len, 'a', n);
  strcpy (contents + len + n, "\"}}}");
  check_rejected ("BIG_instructions.json", contents, -1, "string at byte 39 is more than 16777216 bytes long");
}

static void
test_bad_records (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autofree char *path = NULL;
  g_autoptr(MdPair) pair = NULL;
  MdImportedFile *file;

  md_test_dir_init (&t);
  /* Wrong field types inside otherwise good files: the record is a problem, the file imports. */
  path = md_test_write (&t, "REC_instructions.json",
    "{\"data\": {"
    "\"REC_INS_1\": {\"instruction\": 42, \"answer\": \"b\"},"
    "\"REC_INS_2\": {\"instruction\": \"ok\", \"answer\": \"b\", \"image_ids\": [1, 2]},"
    "\"REC_INS_3\": \"just a string\","
    "\"REC_INS_4\": {\"instruction\": \"good\", \"answer\": \"fine\"}}}", -1);
  report = md_test_import (&t, NULL, &error, path, NULL);
  g_assert_no_error (error);
  file = md_test_report_file (report, "REC_instructions.json");
  g_assert_cmpint (file->outcome, ==, MD_FILE_IMPORTED);
  g_assert_cmpuint (file->n_records, ==, 1);
  g_assert_cmpuint (file->n_problems, ==, 3);
  g_assert_true (md_test_pair_has_problem (t.store, "REC_INS_1", "bad_record",
                                           "REC_instructions.json: record “REC_INS_1” at byte 23: "
                                           "“instruction” is a number, expected a string"));
  g_assert_true (md_test_pair_has_problem (t.store, "REC_INS_2", "bad_record",
                                           "“image_ids” is an array, expected a list of id"));
  g_assert_true (md_test_pair_has_problem (t.store, "REC_INS_3", "bad_record",
                                           "is a string, expected an object"));
  pair = get_pair (&t, "REC_INS_4");
  g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_ANSWER), ==, "fine");
  md_test_dir_clear (&t);
}

/* What the record reader must agree with a JSON parser on, without building a tree. */
static void
test_record_reader (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autofree char *path = NULL;
  MdImportedFile *file;
  MdPair *pair;

  md_test_dir_init (&t);
  path = md_test_write (&t, "RR_instructions.json",
    "{\"data\": {"
    /* An escaped key is the same key; the first of doubled keys counts. */
    "\"RR_INS_1\": {\"instr\\u0075ction\": \"Tab\\there\", \"answer\": \"first\","
    " \"answer\": \"second\", \"image_ids\": [\"RR_IMG_\\u0041\", \"RR_IMG_B\"]},"
    /* null text, an id list as null, unknown members of every kind. */
    "\"RR_INS_2\": {\"instruction\": null, \"answer\": \"a\\/b \\\"q\\\" \\u00e9\","
    " \"rel_ins_ids\": null, \"x\": [true, false, null, -1.5e3, {\"y\": []}]},"
    /* Not JSON inside: a bad literal, a bad escape, a bad unknown member, a bad id list. */
    "\"RR_INS_3\": {\"instruction\": tru, \"answer\": \"b\"},"
    "\"RR_INS_4\": {\"instruction\": \"bad \\q escape\", \"answer\": \"b\"},"
    "\"RR_INS_5\": {\"instruction\": \"a\", \"answer\": \"b\", \"x\": {\"y\" 1}},"
    "\"RR_INS_6\": {\"instruction\": \"a\", \"answer\": \"b\", \"image_ids\": [\"x\" \"y\"]},"
    /* Types: a boolean answer, ids that are objects. */
    "\"RR_INS_7\": {\"instruction\": \"a\", \"answer\": true},"
    "\"RR_INS_8\": {\"instruction\": \"a\", \"answer\": \"b\", \"rel_ins_ids\": [{}]},"
    /* NUL and a lone surrogate are kept visible and reported. */
    "\"RR_INS_9\": {\"instruction\": \"x\\u0000y\", \"answer\": \"\\ud800z\"}"
    "}}", -1);
  report = md_test_import (&t, NULL, &error, path, NULL);
  g_assert_no_error (error);
  file = md_test_report_file (report, "RR_instructions.json");
  g_assert_cmpint (file->outcome, ==, MD_FILE_IMPORTED);
  g_assert_cmpuint (file->n_records, ==, 3);

  pair = get_pair (&t, "RR_INS_1");
  g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION), ==, "Tab\there");
  g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_ANSWER), ==, "first");
  assert_strv (md_pair_get_image_ids (pair), "RR_IMG_A,RR_IMG_B");
  g_assert_cmpint (md_pair_get_modality (pair), ==, MD_MODALITY_IMAGE_PAIR);
  g_object_unref (pair);

  pair = get_pair (&t, "RR_INS_2");
  g_assert_null (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION));
  g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_ANSWER), ==, "a/b \"q\" é");
  g_object_unref (pair);

  for (guint i = 3; i <= 6; i++)
    {
      g_autofree char *id = g_strdup_printf ("RR_INS_%u", i);

      g_assert_true (md_test_pair_has_problem (t.store, id, "bad_record",
                                               "is not valid JSON, expected an object"));
      g_assert_null (md_store_get_pair (t.store, id, NULL));
    }
  g_assert_true (md_test_pair_has_problem (t.store, "RR_INS_7", "bad_record",
                                           "“answer” is a boolean, expected a string"));
  g_assert_true (md_test_pair_has_problem (t.store, "RR_INS_8", "bad_record",
                                           "“rel_ins_ids” is an array, expected a list of id "
                                           "strings"));

  pair = get_pair (&t, "RR_INS_9");
  g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION), ==,
                   "x\xef\xbf\xbdy");
  g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_ANSWER), ==, "\xef\xbf\xbdz");
  g_assert_true (md_test_pair_has_problem (t.store, "RR_INS_9", "bad_escape",
                                           "2 \\u escapes (NUL or lone surrogate"));
  g_object_unref (pair);
  md_test_dir_clear (&t);
}

/* Rows are written several to a statement: a set where some pairs have no id lists, and the
 * rows left at the end of the file, must come out the same as one by one. */
static void
test_rows_in_sets (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GString) text = g_string_new ("{\"data\": {");
  g_autofree char *path = NULL;

  md_test_dir_init (&t);
  for (guint i = 0; i < 75; i++)
    {
      g_string_append_printf (text, "%s\"SET_INS_%02u\": {\"instruction\": \"Q%u\", "
                              "\"answer\": \"A%u\"", i ? ", " : "", i, i, i);
      if (i % 5 != 0)
        g_string_append_printf (text, ", \"image_ids\": [\"SET_IMG_%u\"], "
                                "\"rel_ins_ids\": [\"SET_INS_%02u\"]", i, (i + 1) % 75);
      g_string_append (text, "}");
    }
  g_string_append (text, "}}");
  path = md_test_write (&t, "SET_instructions.json", text->str, text->len);
  report = md_test_import (&t, NULL, &error, path, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (md_test_report_file (report, "SET_instructions.json")->n_records, ==, 75);
  for (guint i = 0; i < 75; i++)
    {
      g_autofree char *id = g_strdup_printf ("SET_INS_%02u", i);
      g_autofree char *answer = g_strdup_printf ("A%u", i);
      g_autofree char *image = g_strdup_printf (i % 5 != 0 ? "SET_IMG_%u" : "", i);
      g_autofree char *context = g_strdup_printf (i % 5 != 0 ? "SET_INS_%02u" : "", (i + 1) % 75);
      g_autoptr(MdPair) pair = get_pair (&t, id);

      g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_ANSWER), ==, answer);
      assert_strv (md_pair_get_image_ids (pair), image);
      assert_strv (md_pair_get_context_ids (pair), context);
    }
  md_test_dir_clear (&t);
}

static void
test_nothing_to_do (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *other = NULL;
  g_autofree char *missing = NULL;
  gboolean ok = TRUE;

  md_test_dir_init (&t);
  bad = md_test_write (&t, "X_instructions.json", "{\"data\": ", -1);
  other = md_test_write (&t, "notes.txt", "hello", -1);
  missing = g_build_filename (t.dir, "nope", NULL);
  report = md_test_import (&t, &ok, &error, bad, other, missing, NULL);
  g_assert_false (ok);
  g_assert_error (error, MD_ERROR, MD_ERROR_FAILED);
  g_assert_nonnull (report);
  g_assert_cmpuint (md_import_report_count (report, MD_FILE_REJECTED), ==, 2);
  g_assert_cmpuint (md_import_report_count (report, MD_FILE_SKIPPED), ==, 1);
  g_assert_nonnull (strstr (md_test_report_file (report, "nope")->error->message, missing));
  md_test_dir_clear (&t);
}

/* Re-import ------------------------------------------------------------------------------------- */

static void
test_reimport (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) first = NULL;
  g_autoptr(MdImportReport) second = NULL;
  g_autoptr(MdImportReport) third = NULL;
  g_autoptr(MdPair) pair = NULL;
  g_autoptr(GPtrArray) datasets = NULL;
  g_autofree char *path = NULL;
  g_autofree char *tr = NULL;
  GStatBuf st;
  struct utimbuf times;

  md_test_dir_init (&t);
  path = md_test_write (&t, "RE_instructions.json",
    "{\"data\": {\"RE_INS_1\": {\"instruction\": \"old words\", \"answer\": \"a\"},"
    "\"RE_INS_2\": {\"instruction\": \"gone soon\", \"answer\": \"b\"}}}", -1);
  tr = md_test_write (&t, "out/valid_output.json",
    "[{\"id\": \"RE_INS_1\", \"results\": \"{\\\"a\\\": {\\\"de\\\": \\\"alte Wörter\\\"}, "
    "\\\"b\\\": {\\\"de\\\": \\\"a\\\"}}\"}]", -1);
  first = md_test_import (&t, NULL, &error, t.dir, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (md_import_report_count (first, MD_FILE_IMPORTED), ==, 2);

  second = md_test_import (&t, NULL, &error, t.dir, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (md_import_report_count (second, MD_FILE_UNCHANGED), ==, 2);
  g_assert_cmpuint (md_import_report_count (second, MD_FILE_IMPORTED), ==, 0);

  /* Change the file (same size is not enough to fool the fingerprint; force an old mtime). */
  g_stat (path, &st);
  g_file_set_contents (path,
    "{\"data\": {\"RE_INS_1\": {\"instruction\": \"new words\", \"answer\": \"a\"},"
    "\"RE_INS_3\": {\"instruction\": \"arrived now\", \"answer\": \"c\"}}}", -1, NULL);
  times.actime = st.st_atime;
  times.modtime = st.st_mtime;
  g_utime (path, &times);
  third = md_test_import (&t, NULL, &error, path, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (md_test_report_file (third, "RE_instructions.json")->outcome, ==,
                   MD_FILE_IMPORTED);
  /* The translation that wrote into the replaced pairs was read again. */
  g_assert_cmpint (md_test_report_file (third, "valid_output.json")->outcome, ==,
                   MD_FILE_IMPORTED);

  pair = get_pair (&t, "RE_INS_1");
  g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION), ==, "new words");
  g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_DE, MD_FIELD_INSTRUCTION), ==,
                   "alte Wörter");
  g_assert_null (md_store_get_pair (t.store, "RE_INS_2", &error));
  g_assert_error (error, MD_ERROR, MD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_object (&pair);
  pair = get_pair (&t, "RE_INS_3");
  datasets = md_store_list_datasets (t.store, &error);
  g_assert_cmpuint (datasets->len, ==, 1);
  g_assert_cmpuint (((MdDatasetInfo *) g_ptr_array_index (datasets, 0))->n_pairs, ==, 2);

  /* The search index forgot the old text and knows the new one. */
  {
    g_autoptr(MdQuery) query = md_query_new ();
    g_autoptr(GListModel) model = NULL;

    query->text = g_strdup ("old words");
    model = md_store_query (t.store, query, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
    g_clear_object (&model);
    g_free (query->text);
    query->text = g_strdup ("new words");
    model = md_store_query (t.store, query, &error);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
    g_clear_object (&model);
    g_free (query->text);
    query->text = g_strdup ("alte");
    model = md_store_query (t.store, query, &error);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  }
  md_test_dir_clear (&t);
}

/* Translations ----------------------------------------------------------------------------------- */

static char *
json_string (const char *text)
{
  cJSON *item = cJSON_CreateString (text);
  char *printed = cJSON_PrintUnformatted (item);
  char *copy = g_strdup (printed);

  cJSON_free (printed);
  cJSON_Delete (item);
  return copy;
}

static void
test_translations (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(MdPair) one = NULL;
  g_autoptr(MdPair) two = NULL;
  g_autoptr(MdPair) three = NULL;
  g_autoptr(MdPair) english_only = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *valid = NULL;

  md_test_dir_init (&t);
  d = md_test_write (&t, "EO_instructions.json",
    "{\"data\": {\"EO_INS_1\": {\"instruction\": \"Why?\", \"answer\": \"So.\"}}}", -1);
  a = md_test_write (&t, "TR_instructions.json",
    "{\"data\": {\"TR_INS_1\": {\"instruction\": \"What is on the table?\", \"answer\": \"A cup.\"},"
    "\"TR_INS_2\": {\"instruction\": \"Where?\", \"answer\": \"Here.\"},"
    "\"TR_INS_3\": {\"instruction\": \"Who?\", \"answer\": \"Me.\"}}}", -1);
  /* Code fence, trailing commas, Arabic missing from "a". */
  reply = g_strdup ("Here you go:\n```json\n{\"a\": {\"zh\": \"桌子上有什么？\", \"es\": \"¿Qué hay?\","
                    " \"ja\": \"何がありますか\", \"de\": \"Was liegt da?\", \"fr\": \"Qu'y a-t-il ?\","
                    " \"ko\": \"무엇이 있나요?\",},\n \"b\": {\"zh\": \"一个杯子。\", \"es\": \"Una taza.\","
                    " \"ja\": \"カップです。\", \"de\": \"Eine Tasse.\", \"fr\": \"Une tasse.\","
                    " \"ko\": \"컵이요.\", \"ar\": \"كوب.\",},}\n```");
  escaped = json_string (reply);
  valid = g_strdup_printf ("[{\"id\": \"TR_INS_1\", \"results\": %s},\n"
                           " {\"id\": \"TR_INS_2\", \"results\": \"I cannot translate this.\"},\n"
                           " {\"id\": \"TR_INS_404\", \"results\": \"{}\"}]", escaped);
  b = md_test_write (&t, "syphus/out/valid_output.json", valid, -1);
  c = md_test_write (&t, "syphus/out/query_input.json",
                     "[{\"id\": \"TR_INS_1\", \"sentences\": \"<a>x</a><b>y</b>\"}]", -1);
  report = md_test_import (&t, NULL, &error, t.dir, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (md_test_report_file (report, "valid_output.json")->outcome, ==,
                   MD_FILE_IMPORTED);
  g_assert_cmpint (md_test_report_file (report, "query_input.json")->outcome, ==,
                   MD_FILE_IMPORTED);

  one = get_pair (&t, "TR_INS_1");
  g_assert_cmpstr (md_pair_get_text (one, MD_LANGUAGE_ZH, MD_FIELD_INSTRUCTION), ==,
                   "桌子上有什么？");
  g_assert_cmpstr (md_pair_get_text (one, MD_LANGUAGE_KO, MD_FIELD_ANSWER), ==, "컵이요.");
  g_assert_cmpstr (md_pair_get_text (one, MD_LANGUAGE_AR, MD_FIELD_ANSWER), ==, "كوب.");
  g_assert_null (md_pair_get_text (one, MD_LANGUAGE_AR, MD_FIELD_INSTRUCTION));
  g_assert_cmpuint (md_pair_get_languages (one), ==, 0xff);
  g_assert_true (md_test_pair_has_problem (t.store, "TR_INS_1", "missing_translation",
                                           "has no instruction for “ar”"));
  g_assert_true (md_pair_get_problem_flags (one) & MD_QUERY_MISSING_TRANSLATIONS);

  two = get_pair (&t, "TR_INS_2");
  g_assert_cmpuint (md_pair_get_languages (two), ==, 1);
  g_assert_true (md_test_pair_has_problem (t.store, "TR_INS_2", "unparsable_translation",
                                           "valid_output.json: translation of “TR_INS_2” at byte"));
  g_assert_true (md_pair_get_problem_flags (two) & MD_QUERY_MISSING_TRANSLATIONS);
  g_assert_true (md_test_pair_has_problem (t.store, "TR_INS_404", "unknown_translated_pair",
                                           NULL));

  /* Not in the translation output at all: its dataset has translations, so it lacks them. */
  three = get_pair (&t, "TR_INS_3");
  g_assert_cmpuint (md_pair_get_languages (three), ==, 1);
  g_assert_true (md_pair_get_problem_flags (three) & MD_QUERY_MISSING_TRANSLATIONS);
  /* A dataset nobody translated is not flagged pair by pair. */
  english_only = get_pair (&t, "EO_INS_1");
  g_assert_false (md_pair_get_problem_flags (english_only) & MD_QUERY_MISSING_TRANSLATIONS);
  md_test_dir_clear (&t);
}

static void
test_prompt_detection (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  md_test_dir_init (&t);
  /* Recognised by content, whatever the name or folder. */
  a = md_test_write (&t, "anywhere/tvc_prompt.json",
    "{\"in_context\": [{\"role\": \"user\", \"content\": \"captions\"}, {\"role\": \"assistant\", "
    "\"content\": [{\"Question\": \"q\", \"Answer\": \"a\"}]}], \"system_message\": \"You are\"}", -1);
  b = md_test_write (&t, "other.json", "{\"name\": \"not MIMIC-IT\"}", -1);
  /* Named like an image store, but a prompt by its content. */
  g_free (md_test_write (&t, "prompts/TVC.json",
                         "{\"system_message\": \"You are\", \"in_context\": []}", -1));
  c = md_test_write (&t, "list.json", "[1, 2, 3]", -1);
  report = md_test_import (&t, NULL, &error, t.dir, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (md_test_report_file (report, "tvc_prompt.json")->kind, ==, MD_FILE_KIND_PROMPT);
  g_assert_cmpint (md_test_report_file (report, "tvc_prompt.json")->outcome, ==, MD_FILE_IMPORTED);
  g_assert_cmpint (md_test_report_file (report, "other.json")->outcome, ==, MD_FILE_SKIPPED);
  g_assert_cmpint (md_test_report_file (report, "TVC.json")->kind, ==, MD_FILE_KIND_PROMPT);
  g_assert_cmpint (md_test_report_file (report, "TVC.json")->outcome, ==, MD_FILE_IMPORTED);
  g_assert_cmpint (md_test_report_file (report, "list.json")->outcome, ==, MD_FILE_SKIPPED);
  md_test_dir_clear (&t);
}

/* Cancellation, progress, async ----------------------------------------------------------------- */

static char *
write_many (MdTestDir  *t,
            const char *code,
            guint       n)
{
  GString *text = g_string_new ("{\"meta\": {}, \"data\": {");
  g_autofree char *name = g_strdup_printf ("%s_instructions.json", code);
  char *path;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s\"%s_INS_%05u\": {\"instruction\": \"Question number %u about "
                            "the picture\", \"answer\": \"Answer %u\", \"image_ids\": "
                            "[\"%s_IMG_%u\"]}", i ? ",\n" : "", code, i, i, i, code, i);
  g_string_append (text, "}}");
  path = md_test_write (t, name, text->str, text->len);
  g_string_free (text, TRUE);
  return path;
}

static void
cancel_on_progress (guint64     bytes_done,
                    guint64     bytes_total,
                    guint64     records_done,
                    const char *current_file,
                    gpointer    user_data)
{
  if (records_done > 0)
    g_cancellable_cancel (user_data);
}

static void
test_cancel (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GPtrArray) datasets = NULL;
  g_autofree char *path = NULL;
  const char *paths[2] = { NULL, NULL };
  gboolean ok;

  md_test_dir_init (&t);
  path = write_many (&t, "CAN", 30000);
  paths[0] = path;
  /* Cancelled mid-file: the file's transaction is rolled back, the index stays consistent. */
  g_cancellable_cancel (cancellable);
  ok = md_store_import (t.store, paths, NULL, NULL, cancellable, &report, &error);
  g_assert_false (ok);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&report);
  datasets = md_store_list_datasets (t.store, NULL);
  g_assert_cmpuint (datasets->len, ==, 0);
  g_assert_null (md_store_get_pair (t.store, "CAN_INS_00000", NULL));

  g_clear_object (&cancellable);
  cancellable = g_cancellable_new ();
  ok = md_store_import (t.store, paths, cancel_on_progress, cancellable, cancellable, &report,
                        &error);
  g_assert_false (ok);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&report);
  g_assert_null (md_store_get_pair (t.store, "CAN_INS_00000", NULL));

  /* A later import starts over cleanly. */
  ok = md_store_import (t.store, paths, NULL, NULL, NULL, &report, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (md_test_report_file (report, "CAN_instructions.json")->n_records, ==, 30000);
  md_test_dir_clear (&t);
}

typedef struct
{
  guint64         last_bytes;
  guint64         total;
  guint           calls;
  MdImportReport *report;
  GError         *error;
  gboolean        done;
  GThread        *main_thread;
  gboolean        called_off_main;
} AsyncState;

static void
record_progress (guint64     bytes_done,
                 guint64     bytes_total,
                 guint64     records_done,
                 const char *current_file,
                 gpointer    user_data)
{
  AsyncState *state = user_data;

  g_assert_cmpuint (bytes_done, >=, state->last_bytes);
  g_assert_cmpuint (bytes_done, <=, bytes_total);
  state->last_bytes = bytes_done;
  state->total = bytes_total;
  state->calls++;
  if (g_thread_self () != state->main_thread)
    state->called_off_main = TRUE;
}

static void
import_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncState *state = user_data;

  state->report = md_store_import_finish (MD_STORE (source), result, &state->error);
  state->done = TRUE;
}

static void
test_async_progress (void)
{
  MdTestDir t;
  AsyncState state = { 0 };
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  const char *paths[3] = { NULL, NULL, NULL };
  g_autoptr(MdPair) pair = NULL;

  md_test_dir_init (&t);
  a = write_many (&t, "ASA", 5000);
  b = write_many (&t, "ASB", 5000);
  paths[0] = a;
  paths[1] = b;
  state.main_thread = g_thread_self ();
  md_store_import_async (t.store, paths, record_progress, &state, NULL, import_done, &state);
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (state.error);
  g_assert_cmpuint (md_import_report_count (state.report, MD_FILE_IMPORTED), ==, 2);
  g_assert_cmpuint (state.calls, >, 0);
  g_assert_true (state.called_off_main);
  g_assert_cmpuint (state.last_bytes, ==, state.total);
  pair = get_pair (&t, "ASB_INS_04999");
  g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_ANSWER), ==, "Answer 4999");
  g_object_unref (state.report);
  md_test_dir_clear (&t);
}

static void
note_records (guint64     bytes_done,
              guint64     bytes_total,
              guint64     records_done,
              const char *current_file,
              gpointer    user_data)
{
  if (records_done > 0)
    g_atomic_int_set ((int *) user_data, 1);
}

static void
test_browse_during_import (void)
{
  MdTestDir t;
  AsyncState state = { 0 };
  g_autofree char *first = NULL;
  g_autofree char *big = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[2] = { NULL, NULL };
  int started = 0;

  md_test_dir_init (&t);
  first = write_many (&t, "FIRST", 10);
  report = md_test_import (&t, NULL, &error, first, NULL);
  g_assert_no_error (error);
  big = write_many (&t, "BIG", 60000);
  paths[0] = big;
  state.main_thread = g_thread_self ();
  md_store_import_async (t.store, paths, note_records, &started, NULL, import_done, &state);
  while (!g_atomic_int_get (&started) && !state.done)
    g_usleep (1000);

  /* The import holds the write lock; opening and reading the index must not wait for it. */
  if (!state.done)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(MdStore) reader = md_store_open (t.db_path, &error);
      g_autoptr(MdPair) pair = NULL;

      g_assert_no_error (error);
      pair = md_store_get_pair (reader, "FIRST_INS_00003", &error);
      g_assert_no_error (error);
      g_assert_nonnull (pair);
      g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
    }
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (state.error);
  g_object_unref (state.report);
  md_test_dir_clear (&t);
}

/* Records past the reader thread's first batches: a bad record among them is still a problem
 * of its own pair, and a file cut short after many batches is rejected whole. */
static void
test_many_batches (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GString) text = g_string_new ("{\"meta\": {}, \"data\": {");
  g_autofree char *path = NULL;
  g_autofree char *cut = NULL;
  g_autoptr(MdPair) last = NULL;
  g_autoptr(MdPair) gone = NULL;
  MdImportedFile *file;
  gsize bad_at = 0;

  md_test_dir_init (&t);
  for (guint i = 0; i < 9000; i++)
    {
      if (i)
        g_string_append (text, ",\n");
      if (i == 7000)
        {
          g_string_append (text, "\"MANY_INS_07000\": ");
          bad_at = text->len;
          g_string_append (text, "{\"instruction\": \"q\", \"answer\": [1]}");
          continue;
        }
      g_string_append_printf (text, "\"MANY_INS_%05u\": {\"instruction\": \"Question %u\", "
                              "\"answer\": \"Answer %u\", \"rel_ins_ids\": [\"MANY_INS_%05u\"]}",
                              i, i, i, (i + 1) % 9000);
    }
  g_string_append (text, "}}");
  path = md_test_write (&t, "MANY_instructions.json", text->str, text->len);
  /* The same records, cut inside the last one. */
  cut = md_test_write (&t, "CUTMANY_instructions.json", text->str, text->len - 20);

  report = md_test_import (&t, NULL, &error, path, cut, NULL);
  g_assert_no_error (error);
  file = md_test_report_file (report, "/MANY_instructions.json");
  g_assert_cmpint (file->outcome, ==, MD_FILE_IMPORTED);
  g_assert_cmpuint (file->n_records, ==, 8999);
  g_assert_cmpuint (file->n_problems, ==, 1);
  {
    g_autofree char *detail = g_strdup_printf ("MANY_instructions.json: record “MANY_INS_07000” "
                                               "at byte %" G_GSIZE_FORMAT ": “answer” is an "
                                               "array, expected a string", bad_at);

    g_assert_true (md_test_pair_has_problem (t.store, "MANY_INS_07000", "bad_record", detail));
  }
  last = get_pair (&t, "MANY_INS_08999");
  g_assert_cmpstr (md_pair_get_text (last, MD_LANGUAGE_EN, MD_FIELD_ANSWER), ==, "Answer 8999");

  file = md_test_report_file (report, "CUTMANY_instructions.json");
  g_assert_cmpint (file->outcome, ==, MD_FILE_REJECTED);
  g_assert_error (file->error, MD_ERROR, MD_ERROR_PARSE);
  g_assert_nonnull (strstr (file->error->message, "CUTMANY_instructions.json"));
  g_assert_nonnull (strstr (file->error->message, "unexpected end of file at byte"));
  /* Its pairs share the ids of the good file's: nothing of it replaced them. */
  gone = get_pair (&t, "MANY_INS_00001");
  g_assert_cmpstr (md_pair_get_text (gone, MD_LANGUAGE_EN, MD_FIELD_ANSWER), ==, "Answer 1");
  md_test_dir_clear (&t);
}

typedef struct
{
  const char *db_path;
  guint       calls_without_file;
  gboolean    pair_found;
  gboolean    search_complete;
} BrowsableState;

static void
check_browsable (guint64     bytes_done,
                 guint64     bytes_total,
                 guint64     records_done,
                 const char *current_file,
                 gpointer    user_data)
{
  BrowsableState *state = user_data;
  g_autoptr(MdStore) reader = NULL;
  g_autoptr(MdPair) pair = NULL;

  if (current_file != NULL || state->calls_without_file++ > 0)
    return;
  /* What another window sees now: every pair, the search index still to come. */
  reader = md_store_open (state->db_path, NULL);
  g_assert_nonnull (reader);
  pair = md_store_get_pair (reader, "BRW_INS_09999", NULL);
  state->pair_found = pair != NULL;
  state->search_complete = md_store_is_search_index_complete (reader);
}

static guint64
count_matches (MdStore    *store,
               const char *text)
{
  g_autoptr(MdQuery) query = md_query_new ();
  g_autoptr(GError) error = NULL;
  guint64 n;

  query->text = g_strdup (text);
  n = md_store_count_pairs (store, query, &error);
  g_assert_no_error (error);
  return n;
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* The search index is a file of its own: lost or left out of step, the next import rebuilds it. */
static void
test_search_file (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autofree char *path = NULL;
  g_autofree char *search_path = NULL;

  md_test_dir_init (&t);
  path = write_many (&t, "SRF", 3000);
  search_path = g_strconcat (t.db_path, ".search.sqlite", NULL);
  report = md_test_import (&t, NULL, &error, path, NULL);
  g_assert_no_error (error);
  g_assert_true (g_file_test (search_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_matches (t.store, "Answer 2999"), ==, 1);
  g_assert_true (md_store_is_search_index_complete (t.store));
  g_clear_object (&report);
  g_clear_object (&t.store);

  /* A crash between the two files' commits: the index says so, the search file is stale. */
  exec_sql (t.db_path, "INSERT OR REPLACE INTO meta (key, value) VALUES ('search_suspect', 1)");
  exec_sql (search_path, "INSERT INTO fts (fts) VALUES ('delete-all')");
  t.store = md_store_open (t.db_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_matches (t.store, "Answer 2999"), ==, 0);
  report = md_test_import (&t, NULL, &error, path, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (md_test_report_file (report, "SRF_instructions.json")->outcome, ==,
                   MD_FILE_UNCHANGED);
  g_assert_cmpuint (count_matches (t.store, "Answer 2999"), ==, 1);
  g_assert_cmpuint (count_matches (t.store, "\"Answer 1\""), ==, 1111);
  g_clear_object (&report);
  g_clear_object (&t.store);

  /* The search file removed: the index still opens, and the next import builds it again. */
  g_assert_cmpint (g_unlink (search_path), ==, 0);
  t.store = md_store_open (t.db_path, &error);
  g_assert_no_error (error);
  g_assert_false (md_store_is_search_index_complete (t.store));
  report = md_test_import (&t, NULL, &error, path, NULL);
  g_assert_no_error (error);
  g_assert_true (md_store_is_search_index_complete (t.store));
  g_assert_cmpuint (count_matches (t.store, "Answer 2999"), ==, 1);
  md_test_dir_clear (&t);
}

static void
test_browsable_before_search (void)
{
  MdTestDir t;
  BrowsableState state = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autofree char *path = NULL;
  const char *paths[2] = { NULL, NULL };

  md_test_dir_init (&t);
  path = write_many (&t, "BRW", 10000);
  paths[0] = path;
  state.db_path = t.db_path;
  g_assert_true (md_store_import (t.store, paths, check_browsable, &state, NULL, &report,
                                  &error));
  g_assert_no_error (error);
  /* Once when every pair is in, once more when their references are checked. */
  g_assert_cmpuint (state.calls_without_file, ==, 2);
  g_assert_true (state.pair_found);
  g_assert_false (state.search_complete);
  g_assert_true (md_store_is_search_index_complete (t.store));
  md_test_dir_clear (&t);
}

static void
set_user_version (const char *path,
                  int         version)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", version);

  exec_sql (path, sql);
}

static void
test_schema_versions (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(MdStore) reopened = NULL;
  g_autofree char *path = NULL;
  g_autofree char *other = NULL;
  g_autofree char *contents = NULL;
  sqlite3 *db = NULL;

  md_test_dir_init (&t);
  path = write_many (&t, "VER", 3);
  report = md_test_import (&t, NULL, &error, path, NULL);
  g_assert_no_error (error);
  g_clear_object (&t.store);

  /* An index of an older schema is derived data: it is dropped and rebuilt. */
  set_user_version (t.db_path, 1);
  g_test_expect_message ("md-store", G_LOG_LEVEL_MESSAGE, "*schema version 1, expected*");
  reopened = md_store_open (t.db_path, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_null (md_store_get_pair (reopened, "VER_INS_00001", NULL));
  {
    const char *paths[] = { path, NULL };
    g_autoptr(MdPair) pair = NULL;

    g_assert_true (md_store_import (reopened, paths, NULL, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    pair = md_store_get_pair (reopened, "VER_INS_00001", &error);
    g_assert_no_error (error);
  }
  g_clear_object (&reopened);

  /* Some other database is never touched. */
  other = g_build_filename (t.dir, "review.sqlite", NULL);
  g_assert_cmpint (sqlite3_open (other, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE statuses (pair_id TEXT);"
                                     "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_null (md_store_open (other, &error));
  g_assert_error (error, MD_ERROR, MD_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "not a MIMIC Desk index"));
  g_assert_true (g_file_get_contents (other, &contents, NULL, NULL));
  md_test_dir_clear (&t);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/import/bom-pretty-escapes", test_import_bom_pretty_escapes);
  g_test_add_func ("/store/import/modalities", test_import_modalities);
  g_test_add_func ("/store/import/image-store", test_import_image_store);
  g_test_add_func ("/store/import/train-overrides", test_import_train_overrides);
  g_test_add_func ("/store/import/bad/truncated", test_bad_truncated);
  g_test_add_func ("/store/import/bad/utf8", test_bad_utf8);
  g_test_add_func ("/store/import/bad/top-level", test_bad_top_level);
  g_test_add_func ("/store/import/bad/empty", test_bad_empty);
  g_test_add_func ("/store/import/bad/nesting", test_bad_nesting);
  g_test_add_func ("/store/import/bad/giant-string", test_bad_giant_string);
  g_test_add_func ("/store/import/bad/records", test_bad_records);
  g_test_add_func ("/store/import/record-reader", test_record_reader);
  g_test_add_func ("/store/import/rows-in-sets", test_rows_in_sets);
  g_test_add_func ("/store/import/nothing-to-do", test_nothing_to_do);
  g_test_add_func ("/store/import/reimport", test_reimport);
  g_test_add_func ("/store/import/translations", test_translations);
  g_test_add_func ("/store/import/prompt-detection", test_prompt_detection);
  g_test_add_func ("/store/import/cancel", test_cancel);
  g_test_add_func ("/store/import/async-progress", test_async_progress);
  g_test_add_func ("/store/import/browse-during-import", test_browse_during_import);
  g_test_add_func ("/store/import/schema-versions", test_schema_versions);
  g_test_add_func ("/store/import/many-batches", test_many_batches);
  g_test_add_func ("/store/import/browsable-before-search", test_browsable_before_search);
  g_test_add_func ("/store/import/search-file", test_search_file);

  return g_test_run ();
}
