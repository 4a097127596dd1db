/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <utime.h>

#include <cJSON.h>
#include <sqlite3.h>

#include "md-test-store.h"

/* The failure files of a Syphus output folder: invalid_output.json (replies Syphus could not
 * parse) and error_messages.json (queries that failed), read beside valid_output.json. */

#define INSTRUCTIONS \
  "{\"data\": {" \
  "\"SY_INS_1\": {\"instruction\": \"What is this?\", \"answer\": \"A cup.\"}," \
  "\"SY_INS_2\": {\"instruction\": \"Where is it?\", \"answer\": \"Here.\"}," \
  "\"SY_INS_3\": {\"instruction\": \"Who is it?\", \"answer\": \"Me.\"}," \
  "\"SY_INS_4\": {\"instruction\": \"Why?\", \"answer\": \"Because.\"}}}"

/* SX_INS_1 is translated into every language. The failures are about another dataset, which
 * has no translation at all: its pairs are not flagged for that alone (md-import-references.c
 * flags the pairs lacking some language only in datasets that have translations), so the flags
 * seen below come from the failure files. */
#define OTHER_INSTRUCTIONS \
  "{\"data\": {\"SX_INS_1\": {\"instruction\": \"What is this?\", \"answer\": \"A cup.\"}}}"

#define VALID_OUTPUT \
  "[{\"id\": \"SX_INS_1\", \"results\": \"{\\\"a\\\": {\\\"zh\\\": \\\"这是什么？\\\", " \
  "\\\"es\\\": \\\"¿Qué es esto?\\\", \\\"ja\\\": \\\"これは何？\\\", " \
  "\\\"de\\\": \\\"Was ist das?\\\", \\\"fr\\\": \\\"Qu'est-ce ?\\\", " \
  "\\\"ko\\\": \\\"이게 뭐예요?\\\", \\\"ar\\\": \\\"ما هذا؟\\\"}, " \
  "\\\"b\\\": {\\\"zh\\\": \\\"一个杯子。\\\", \\\"es\\\": \\\"Una taza.\\\", " \
  "\\\"ja\\\": \\\"カップ。\\\", \\\"de\\\": \\\"Eine Tasse.\\\", " \
  "\\\"fr\\\": \\\"Une tasse.\\\", \\\"ko\\\": \\\"컵.\\\", " \
  "\\\"ar\\\": \\\"كوب.\\\"}}\"}]"

#define ERROR_MESSAGES \
  "[\n" \
  "  {\"id\": \"SY_INS_4\", \"error\": \"Rate limit reached,\\nretry later\"},\n" \
  "  \"Connection reset by peer\",\n" \
  "  42\n" \
  "]\n"

typedef struct
{
  MdTestDir  t;
  char      *long_reply;     /* 300 characters, 3 bytes each */
  char      *invalid;        /* the text of invalid_output.json */
  char      *paths[4];
} Fixture;

static void
fixture_init (Fixture *f)
{
  GString *reply = g_string_new (NULL);
  g_autofree char *a = NULL;

  md_test_dir_init (&f->t);
  for (guint i = 0; i < 100; i++)
    g_string_append (reply, "翻訳文");
  f->long_reply = g_string_free (reply, FALSE);
  f->invalid = g_strdup_printf ("[\n"
                                "  {\"id\": \"SY_INS_2\", \"results\": \"Sorry,\\nI cannot.\"},\n"
                                "  {\"id\": \"SY_INS_3\", \"output\": \"%s\"}\n"
                                "]\n", f->long_reply);
  f->paths[0] = md_test_write (&f->t, "SY_instructions.json", INSTRUCTIONS, -1);
  g_free (md_test_write (&f->t, "SX_instructions.json", OTHER_INSTRUCTIONS, -1));
  f->paths[1] = md_test_write (&f->t, "translations/SY/valid_output.json", VALID_OUTPUT, -1);
  f->paths[2] = md_test_write (&f->t, "translations/SY/invalid_output.json", f->invalid, -1);
  f->paths[3] = md_test_write (&f->t, "translations/SY/error_messages.json", ERROR_MESSAGES, -1);
  g_free (md_test_write (&f->t, "translations/SY/query_input.json",
                         "[{\"id\": \"SY_INS_1\", \"sentences\": \"<a>x</a>\"}]", -1));
  g_free (md_test_write (&f->t, "translations/SY/meta.json", "{\"tokens\": 12}", -1));
}

static void
fixture_clear (Fixture *f)
{
  md_test_dir_clear (&f->t);
  g_free (f->long_reply);
  g_free (f->invalid);
  for (guint i = 0; i < G_N_ELEMENTS (f->paths); i++)
    g_free (f->paths[i]);
}

static gsize
offset_of (const char *text,
           const char *needle)
{
  const char *at = strstr (text, needle);

  g_assert_nonnull (at);
  return at - text;
}

/* The problem rows a file contributed, "kind|pair id|detail" in the order they were written. */
static GPtrArray *
problems_of_file (MdTestDir  *t,
                  const char *path)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (t->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT p.kind, coalesce(p.pair_id, '-'), p.detail "
                                           "FROM problems p JOIN files f ON f.id = p.file_id "
                                           "WHERE f.path = ? ORDER BY p.rowid", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, path, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (rows, g_strdup_printf ("%s|%s|%s", sqlite3_column_text (stmt, 0),
                                            sqlite3_column_text (stmt, 1),
                                            sqlite3_column_text (stmt, 2)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rows;
}

static guint64
count_flagged (MdStore *store)
{
  g_autoptr(MdQuery) query = md_query_new ();
  g_autoptr(GError) error = NULL;
  guint64 n;

  query->flags = MD_QUERY_MISSING_TRANSLATIONS;
  n = md_store_count_pairs (store, query, &error);
  g_assert_no_error (error);
  return n;
}

static void
assert_flagged (MdStore    *store,
                const char *pair_id,
                gboolean    flagged)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdPair) pair = md_store_get_pair (store, pair_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pair);
  g_assert_cmpint (!!(md_pair_get_problem_flags (pair) & MD_QUERY_MISSING_TRANSLATIONS), ==,
                   flagged);
}

static void
test_failures (void)
{
  Fixture f;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(MdImportReport) again = NULL;
  g_autoptr(GPtrArray) invalid = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *excerpt = NULL;
  MdImportedFile *file;
  gboolean ok;

  fixture_init (&f);
  report = md_test_import (&f.t, &ok, &error, f.t.dir, NULL);
  g_assert_no_error (error);
  g_assert_true (ok);

  file = md_test_report_file (report, "invalid_output.json");
  g_assert_cmpint (file->kind, ==, MD_FILE_KIND_TRANSLATION);
  g_assert_cmpint (file->outcome, ==, MD_FILE_IMPORTED);
  g_assert_cmpuint (file->n_records, ==, 2);
  g_assert_cmpuint (file->n_problems, ==, 2);
  file = md_test_report_file (report, "error_messages.json");
  g_assert_cmpint (file->outcome, ==, MD_FILE_IMPORTED);
  g_assert_cmpuint (file->n_records, ==, 2);
  g_assert_cmpuint (file->n_problems, ==, 3);
  g_assert_cmpint (md_test_report_file (report, "query_input.json")->outcome, ==,
                   MD_FILE_IMPORTED);
  g_assert_cmpint (md_test_report_file (report, "meta.json")->outcome, ==, MD_FILE_SKIPPED);

  /* invalid_output.json: one problem per entry, the reply on one line, a long one cut at 200
   * characters (600 bytes: never inside a character). */
  invalid = problems_of_file (&f.t, f.paths[2]);
  g_assert_cmpuint (invalid->len, ==, 2);
  expected = g_strdup_printf ("unparsable_translation|SY_INS_2|%s: entry at byte %" G_GSIZE_FORMAT
                              " for “SY_INS_2”: Syphus could not parse the reply “Sorry, I "
                              "cannot.”", f.paths[2],
                              offset_of (f.invalid, "{\"id\": \"SY_INS_2\""));
  g_assert_cmpstr (g_ptr_array_index (invalid, 0), ==, expected);
  g_clear_pointer (&expected, g_free);
  excerpt = g_strndup (f.long_reply, 600);
  expected = g_strdup_printf ("unparsable_translation|SY_INS_3|%s: entry at byte %" G_GSIZE_FORMAT
                              " for “SY_INS_3”: Syphus could not parse the reply “%s…”",
                              f.paths[2], offset_of (f.invalid, "{\"id\": \"SY_INS_3\""), excerpt);
  g_assert_cmpstr (g_ptr_array_index (invalid, 1), ==, expected);
  g_clear_pointer (&expected, g_free);

  /* error_messages.json: an object entry, a plain string, and a number that is neither. */
  errors = problems_of_file (&f.t, f.paths[3]);
  g_assert_cmpuint (errors->len, ==, 3);
  expected = g_strdup_printf ("syphus_error|SY_INS_4|%s: entry at byte %" G_GSIZE_FORMAT
                              " for “SY_INS_4”: Syphus reported “Rate limit reached, retry later”",
                              f.paths[3], offset_of (ERROR_MESSAGES, "{\"id\""));
  g_assert_cmpstr (g_ptr_array_index (errors, 0), ==, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("syphus_error|-|%s: entry at byte %" G_GSIZE_FORMAT ": Syphus "
                              "reported “Connection reset by peer”", f.paths[3],
                              offset_of (ERROR_MESSAGES, "\"Connection"));
  g_assert_cmpstr (g_ptr_array_index (errors, 1), ==, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("bad_record|-|%s: entry at byte %" G_GSIZE_FORMAT " is a number, "
                              "expected an object {\"id\": ..., \"error\": ...} or a string",
                              f.paths[3], offset_of (ERROR_MESSAGES, "42"));
  g_assert_cmpstr (g_ptr_array_index (errors, 2), ==, expected);

  /* Seen from the store's API: per pair, per kind, and through the missing-translations
   * filter, which the unparsable replies set and an error alone does not. */
  g_assert_true (md_test_pair_has_problem (f.t.store, "SY_INS_2", "unparsable_translation",
                                           "invalid_output.json: entry at byte 4 for “SY_INS_2”"));
  g_assert_true (md_test_pair_has_problem (f.t.store, "SY_INS_4", "syphus_error",
                                           "Rate limit reached"));
  /* SY_INS_1 was queried (query_input.json) and has no output at all: the query failed and
   * Otter's task() kept no id for it. */
  g_assert_true (md_test_pair_has_problem (f.t.store, "SY_INS_1", "syphus_error",
                                           "query_input.json: entry at byte 1 for “SY_INS_1”: no "
                                           "output in valid_output.json or invalid_output.json"));
  g_assert_cmpuint (md_test_count_problems (f.t.store, "syphus_error"), ==, 3);
  g_assert_cmpuint (md_test_count_problems (f.t.store, "unparsable_translation"), ==, 2);
  g_assert_cmpuint (md_test_count_problems (f.t.store, "bad_record"), ==, 1);
  g_assert_cmpuint (md_test_count_problems (f.t.store, "missing_translation"), ==, 0);
  assert_flagged (f.t.store, "SX_INS_1", FALSE);
  assert_flagged (f.t.store, "SY_INS_1", FALSE);
  assert_flagged (f.t.store, "SY_INS_2", TRUE);
  assert_flagged (f.t.store, "SY_INS_3", TRUE);
  assert_flagged (f.t.store, "SY_INS_4", FALSE);
  g_assert_cmpuint (count_flagged (f.t.store), ==, 2);

  /* Unchanged files: nothing is read again, nothing doubles. */
  again = md_test_import (&f.t, &ok, &error, f.t.dir, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (md_test_report_file (again, "invalid_output.json")->outcome, ==,
                   MD_FILE_UNCHANGED);
  g_assert_cmpint (md_test_report_file (again, "error_messages.json")->outcome, ==,
                   MD_FILE_UNCHANGED);
  g_assert_cmpuint (md_import_report_count (again, MD_FILE_IMPORTED), ==, 0);
  /* SY_INS_1 was queried (query_input.json) and has no output at all: the query failed and
   * Otter's task() kept no id for it. */
  g_assert_true (md_test_pair_has_problem (f.t.store, "SY_INS_1", "syphus_error",
                                           "query_input.json: entry at byte 1 for “SY_INS_1”: no "
                                           "output in valid_output.json or invalid_output.json"));
  g_assert_cmpuint (md_test_count_problems (f.t.store, "syphus_error"), ==, 3);
  g_assert_cmpuint (md_test_count_problems (f.t.store, "unparsable_translation"), ==, 2);
  g_clear_pointer (&errors, g_ptr_array_unref);
  errors = problems_of_file (&f.t, f.paths[3]);
  g_assert_cmpuint (errors->len, ==, 3);
  fixture_clear (&f);
}

/* A changed failure file replaces its own rows, and the filter follows. */
static void
test_changed (void)
{
  Fixture f;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) first = NULL;
  g_autoptr(MdImportReport) second = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;
  struct utimbuf times = { 1000000000, 1000000000 };
  const char *fixed = "[{\"id\": \"SY_INS_3\", \"results\": \"still not JSON\"}]";

  fixture_init (&f);
  first = md_test_import (&f.t, NULL, &error, f.t.dir, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (count_flagged (f.t.store), ==, 2);

  path = md_test_write (&f.t, "translations/SY/invalid_output.json", fixed, -1);
  g_assert_cmpint (utime (path, &times), ==, 0);
  second = md_test_import (&f.t, NULL, &error, f.t.dir, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (md_test_report_file (second, "invalid_output.json")->outcome, ==,
                   MD_FILE_IMPORTED);
  g_assert_cmpint (md_test_report_file (second, "error_messages.json")->outcome, ==,
                   MD_FILE_UNCHANGED);
  rows = problems_of_file (&f.t, path);
  g_assert_cmpuint (rows->len, ==, 1);
  expected = g_strdup_printf ("unparsable_translation|SY_INS_3|%s: entry at byte 1 for "
                              "“SY_INS_3”: Syphus could not parse the reply “still not JSON”",
                              path);
  g_assert_cmpstr (g_ptr_array_index (rows, 0), ==, expected);
  g_assert_cmpuint (md_test_count_problems (f.t.store, "unparsable_translation"), ==, 1);
  /* Two from error_messages.json, and SY_INS_1, still without any output. */
  g_assert_cmpuint (md_test_count_problems (f.t.store, "syphus_error"), ==, 3);
  assert_flagged (f.t.store, "SY_INS_2", FALSE);
  assert_flagged (f.t.store, "SY_INS_3", TRUE);
  g_assert_cmpuint (count_flagged (f.t.store), ==, 1);
  fixture_clear (&f);
}

/* Shapes other than the usual one: an object keyed by pair id, entries of the wrong shape, and
 * replies under other keys or not strings. */
static void
test_shapes (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GPtrArray) invalid = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  const char *invalid_text =
    "[{\"id\": \"SY_INS_1\", \"response\": {\"a\": [1, 2]}},"
    " \"a reply without an id\","
    " {\"results\": \"no id\"},"
    " {\"id\": \"SY_INS_2\", \"model\": \"gpt\"},"
    " {\"id\": \"SY_INS_3\", \"text\": \"\"}]";
  const char *error_text =
    "{\"SY_INS_1\": \"Timeout\", \"SY_INS_2\": {\"message\": \"Bad gateway\"},"
    " \"SY_INS_3\": [], \"SY_INS_4\": {\"code\": 500}}";

  md_test_dir_init (&t);
  a = md_test_write (&t, "SY_instructions.json", INSTRUCTIONS, -1);
  b = md_test_write (&t, "out/invalid_output.json", invalid_text, -1);
  c = md_test_write (&t, "out/error_messages.json", error_text, -1);
  report = md_test_import (&t, NULL, &error, t.dir, NULL);
  g_assert_no_error (error);

  invalid = problems_of_file (&t, b);
  g_assert_cmpuint (invalid->len, ==, 5);
  g_assert_nonnull (strstr (g_ptr_array_index (invalid, 0), "unparsable_translation|SY_INS_1|"));
  g_assert_nonnull (strstr (g_ptr_array_index (invalid, 0), "the reply “{\"a\":[1,2]}”"));
  g_assert_nonnull (strstr (g_ptr_array_index (invalid, 1), "bad_record|-|"));
  g_assert_nonnull (strstr (g_ptr_array_index (invalid, 1), "is a string, expected an object"));
  g_assert_nonnull (strstr (g_ptr_array_index (invalid, 2), "bad_record|-|"));
  g_assert_nonnull (strstr (g_ptr_array_index (invalid, 2),
                            "has no “id”, expected the pair's id as a string"));
  /* No reply under a known key: what else the entry holds. */
  g_assert_nonnull (strstr (g_ptr_array_index (invalid, 3),
                            "unparsable_translation|SY_INS_2|"));
  g_assert_nonnull (strstr (g_ptr_array_index (invalid, 3), "the reply “{\"model\":\"gpt\"}”"));
  g_assert_nonnull (strstr (g_ptr_array_index (invalid, 4),
                            "unparsable_translation|SY_INS_3|"));
  g_assert_nonnull (strstr (g_ptr_array_index (invalid, 4), "could not parse an empty reply"));

  errors = problems_of_file (&t, c);
  g_assert_cmpuint (errors->len, ==, 4);
  g_assert_nonnull (strstr (g_ptr_array_index (errors, 0),
                            "syphus_error|SY_INS_1|"));
  g_assert_nonnull (strstr (g_ptr_array_index (errors, 0),
                            "entry at byte 1 for “SY_INS_1”: Syphus reported “Timeout”"));
  g_assert_nonnull (strstr (g_ptr_array_index (errors, 1),
                            "for “SY_INS_2”: Syphus reported “Bad gateway”"));
  g_assert_nonnull (strstr (g_ptr_array_index (errors, 2), "bad_record|SY_INS_3|"));
  g_assert_nonnull (strstr (g_ptr_array_index (errors, 2), "is an array, expected an object"));
  g_assert_nonnull (strstr (g_ptr_array_index (errors, 3), "bad_record|SY_INS_4|"));
  g_assert_nonnull (strstr (g_ptr_array_index (errors, 3),
                            "has no “error”, “message” or “error_message”"));
  md_test_dir_clear (&t);
}

/* A file that is not an array or an object is rejected by name; the others still import. */
static void
test_rejected (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;
  MdImportedFile *file;
  gboolean ok;

  md_test_dir_init (&t);
  a = md_test_write (&t, "SY_instructions.json", INSTRUCTIONS, -1);
  b = md_test_write (&t, "one/invalid_output.json", "  \"Syphus crashed\"", -1);
  c = md_test_write (&t, "one/error_messages.json", "[\"Timeout\"]", -1);
  d = md_test_write (&t, "two/error_messages.json", "[{\"id\": \"SY_INS_1\", \"error\": \"x\"},",
                     -1);
  report = md_test_import (&t, &ok, &error, t.dir, NULL);
  g_assert_no_error (error);

  file = md_test_report_file (report, "one/invalid_output.json");
  g_assert_cmpint (file->outcome, ==, MD_FILE_REJECTED);
  g_assert_error (file->error, MD_ERROR, MD_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (file->error->message, b));
  g_assert_nonnull (strstr (file->error->message, "at byte 2, expected a JSON array"));
  file = md_test_report_file (report, "two/error_messages.json");
  g_assert_cmpint (file->outcome, ==, MD_FILE_REJECTED);
  g_assert_true (g_str_has_prefix (file->error->message, d));
  g_assert_nonnull (strstr (file->error->message, "end of file"));
  /* Nothing of a rejected file is kept, even the entry before the break. */
  g_assert_false (md_test_pair_has_problem (t.store, "SY_INS_1", "syphus_error", NULL));

  g_assert_cmpint (md_test_report_file (report, "one/error_messages.json")->outcome, ==,
                   MD_FILE_IMPORTED);
  g_assert_cmpint (md_test_report_file (report, "SY_instructions.json")->outcome, ==,
                   MD_FILE_IMPORTED);
  g_assert_cmpuint (md_test_count_problems (t.store, "syphus_error"), ==, 1);
  md_test_dir_clear (&t);
}

/* `mimicdesk-cli stats` counts the new kind like the others. */
static void
test_cli_stats (void)
{
  Fixture f;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { g_getenv ("MD_CLI"), "stats", "--db", NULL, "--json", NULL };
  cJSON *root;
  cJSON *problems;
  int status = -1;

  g_assert_nonnull (argv[0]);
  fixture_init (&f);
  report = md_test_import (&f.t, NULL, &error, f.t.dir, NULL);
  g_assert_no_error (error);
  g_clear_object (&f.t.store);

  argv[3] = f.t.db_path;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  root = cJSON_Parse (out);
  g_assert_nonnull (root);
  problems = cJSON_GetObjectItem (root, "problems");
  g_assert_cmpint (cJSON_GetObjectItem (problems, "syphus_error")->valueint, ==, 3);
  g_assert_cmpint (cJSON_GetObjectItem (problems, "unparsable_translation")->valueint, ==, 2);
  g_assert_cmpint (cJSON_GetObjectItem (problems, "bad_record")->valueint, ==, 1);
  cJSON_Delete (root);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  argv[4] = NULL;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_regex_match_simple ("syphus_error +3\n", out, 0, 0));
  fixture_clear (&f);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/import/syphus/failures", test_failures);
  g_test_add_func ("/store/import/syphus/changed", test_changed);
  g_test_add_func ("/store/import/syphus/shapes", test_shapes);
  g_test_add_func ("/store/import/syphus/rejected", test_rejected);
  g_test_add_func ("/store/import/syphus/cli-stats", test_cli_stats);
  return g_test_run ();
}
