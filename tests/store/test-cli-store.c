/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <cJSON.h>

#include "md-test-store.h"

/* The store commands of mimicdesk-cli, run as a separate process on an index in a temp dir. */

static int
run_cli (MdTestDir  *t,
         char      **out_stdout,
         char      **out_stderr,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;
  int status = -1;

  g_ptr_array_add (argv, (gpointer) g_getenv ("MD_CLI"));
  va_start (args, out_stderr);
  arg = va_arg (args, const char *);
  g_ptr_array_add (argv, (gpointer) arg);             /* the command */
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, t->db_path);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out_stdout,
                out_stderr, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
write_dataset (MdTestDir *t)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 };
  g_autofree char *png64 = g_base64_encode (png, sizeof png);
  g_autofree char *store = g_strdup_printf ("{\"CL_IMG_1\": \"%s\"}", png64);
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  a = md_test_write (t, "data/CL_instructions.json",
    "{\"meta\": {}, \"data\": {"
    "\"CL_INS_1\": {\"instruction\": \"Which color is the kite?\", \"answer\": \"Green.\","
    " \"image_ids\": [\"CL_IMG_1\", \"CL_IMG_2\"], \"rel_ins_ids\": [\"CL_INS_2\", \"CL_INS_9\"]},"
    "\"CL_INS_2\": {\"instruction\": \"How many kites?\", \"answer\": \"Two.\","
    " \"image_ids\": [\"CL_IMG_1\"]}}}", -1);
  b = md_test_write (t, "data/CL.json", store, -1);
  c = md_test_write (t, "data/out/valid_output.json",
    "[{\"id\": \"CL_INS_1\", \"results\": \"{\\\"a\\\": {\\\"fr\\\": \\\"De quelle couleur est le "
    "cerf-volant ?\\\"}, \\\"b\\\": {\\\"fr\\\": \\\"Vert.\\\"}}\"}]", -1);
}

static void
test_cli_import_ok (void)
{
  MdTestDir t;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *data = NULL;

  md_test_dir_init (&t);
  write_dataset (&t);
  data = g_build_filename (t.dir, "data", NULL);
  g_assert_cmpint (run_cli (&t, &out, &err, "import", data, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Files: 3 imported, 0 unchanged, 0 skipped, 0 rejected"));
  /* Both phases' times, in the keys the store benchmark reads. */
  g_assert_true (g_regex_match_simple ("browsable_s [0-9]+\\.[0-9]{2} searchable_s [0-9]+\\.[0-9]{2}\n",
                                       out, 0, 0));
  g_assert_nonnull (strstr (out, "CL "));
  g_assert_nonnull (strstr (out, "2 pairs, 1 images"));
  g_assert_nonnull (strstr (out, "missing_image"));
  g_assert_nonnull (strstr (out, "dangling_context"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Again: nothing changed. */
  g_assert_cmpint (run_cli (&t, &out, &err, "import", data, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "0 imported, 3 unchanged"));
  md_test_dir_clear (&t);
}

static void
test_cli_import_partial_and_failed (void)
{
  MdTestDir t;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *good = NULL;
  g_autofree char *bad = NULL;

  md_test_dir_init (&t);
  good = md_test_write (&t, "OK_instructions.json",
                        "{\"data\": {\"OK_INS_1\": {\"instruction\": \"a\", \"answer\": \"b\"}}}",
                        -1);
  bad = md_test_write (&t, "BAD_instructions.json", "{\"data\": {\"BAD_INS_1\": {", -1);

  g_assert_cmpint (run_cli (&t, &out, &err, "import", good, bad, NULL), ==, 2);
  g_assert_nonnull (strstr (err, bad));
  g_assert_nonnull (strstr (err, "byte 24"));
  g_assert_null (strstr (err, good));
  g_assert_nonnull (strstr (out, "1 imported"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&t, &out, &err, "import", bad, NULL), ==, 1);
  g_assert_nonnull (strstr (err, bad));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&t, &out, &err, "import", NULL), ==, 1);
  md_test_dir_clear (&t);
}

static void
test_cli_show_search_image_stats (void)
{
  MdTestDir t;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *data = NULL;
  cJSON *root, *texts, *fr;
  static const char *keys[] = { "id", "dataset", "modality", "image_ids", "missing_images",
                                "context_ids", "dangling_context_ids", "texts", "review" };
  gsize n;

  md_test_dir_init (&t);
  write_dataset (&t);
  data = g_build_filename (t.dir, "data", NULL);
  g_assert_cmpint (run_cli (&t, &out, &err, "import", data, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&t, &out, &err, "show", "--json", "CL_INS_1", NULL), ==, 0);
  root = cJSON_Parse (out);
  g_assert_nonnull (root);
  g_assert_cmpint (cJSON_GetArraySize (root), ==, G_N_ELEMENTS (keys));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_nonnull (cJSON_GetObjectItemCaseSensitive (root, keys[i]));
  g_assert_cmpstr (cJSON_GetObjectItem (root, "dataset")->valuestring, ==, "CL");
  g_assert_cmpstr (cJSON_GetObjectItem (root, "modality")->valuestring, ==, "image-pair");
  g_assert_cmpstr (cJSON_GetArrayItem (cJSON_GetObjectItem (root, "missing_images"), 0)->valuestring,
                   ==, "CL_IMG_2");
  g_assert_cmpint (cJSON_GetArraySize (cJSON_GetObjectItem (root, "missing_images")), ==, 1);
  g_assert_cmpstr (cJSON_GetArrayItem (cJSON_GetObjectItem (root, "dangling_context_ids"), 0)
                   ->valuestring, ==, "CL_INS_9");
  texts = cJSON_GetObjectItem (root, "texts");
  g_assert_cmpint (cJSON_GetArraySize (texts), ==, 2);
  fr = cJSON_GetObjectItem (texts, "fr");
  g_assert_cmpstr (cJSON_GetObjectItem (fr, "instruction")->valuestring, ==,
                   "De quelle couleur est le cerf-volant ?");
  g_assert_cmpstr (cJSON_GetObjectItem (cJSON_GetObjectItem (texts, "en"), "answer")->valuestring,
                   ==, "Green.");
  cJSON_Delete (root);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&t, &out, &err, "show", "CL_INS_404", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "CL_INS_404"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&t, &out, &err, "search", "kite", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "CL_INS_1\tCL\tWhich color is the kite?\n"
                            "CL_INS_2\tCL\tHow many kites?\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&t, &out, &err, "search", "--lang", "fr", "--json", "couleur", NULL),
                   ==, 0);
  root = cJSON_Parse (out);
  g_assert_cmpint (cJSON_GetArraySize (root), ==, 1);
  g_assert_cmpstr (cJSON_GetObjectItem (cJSON_GetArrayItem (root, 0), "id")->valuestring, ==,
                   "CL_INS_1");
  g_assert_cmpstr (cJSON_GetObjectItem (cJSON_GetArrayItem (root, 0), "instruction")->valuestring,
                   ==, "De quelle couleur est le cerf-volant ?");
  cJSON_Delete (root);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&t, &out, &err, "search", "--limit", "1", "kite", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "CL_INS_1\tCL\tWhich color is the kite?\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Exclusions need no "--", whether in their own argument or inside one. */
  g_assert_cmpint (run_cli (&t, &out, &err, "search", "kite", "-many", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "CL_INS_1\tCL\tWhich color is the kite?\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&t, &out, &err, "search", "-color kite", "--limit", "5", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "CL_INS_2\tCL\tHow many kites?\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&t, &out, &err, "search", "\"kite", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "not closed"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&t, &out, &err, "image", "CL_IMG_1", NULL), ==, 0);
  n = strlen (out);
  g_assert_cmpuint (n, >=, 4);
  g_assert_cmpmem (out, 4, "\x89PNG", 4);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&t, &out, &err, "image", "CL_IMG_2", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "CL_IMG_2"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&t, &out, &err, "stats", "--json", NULL), ==, 0);
  root = cJSON_Parse (out);
  g_assert_nonnull (root);
  g_assert_cmpint (cJSON_GetObjectItem (cJSON_GetObjectItem (cJSON_GetObjectItem (root, "datasets"),
                                                             "CL"), "pairs")->valueint, ==, 2);
  g_assert_cmpint (cJSON_GetObjectItem (cJSON_GetObjectItem (root, "languages"), "fr")->valueint,
                   ==, 1);
  g_assert_cmpint (cJSON_GetObjectItem (cJSON_GetObjectItem (root, "problems"), "missing_image")
                   ->valueint, ==, 1);
  cJSON_Delete (root);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (&t, &out, &err, "stats", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "dangling_context"));
  md_test_dir_clear (&t);
}

/* problems: every row of the sample's problem table, narrowed by kind and dataset, as lines and
 * as JSON Lines that agree with the counts of stats. */
static void
test_cli_problems (void)
{
  MdTestDir t;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  cJSON *stats;
  guint n_missing = 0, n_all = 0, n_with_offset = 0;
  double expected_all = 0;

  md_test_dir_init (&t);
  g_assert_cmpint (run_cli (&t, &out, &err, "import", g_getenv ("MD_SAMPLE_DIR"), NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (&t, &out, &err, "stats", "--json", NULL), ==, 0);
  stats = cJSON_Parse (out);
  g_assert_nonnull (stats);
  for (cJSON *kind = cJSON_GetObjectItem (stats, "problems")->child; kind != NULL;
       kind = kind->next)
    expected_all += kind->valuedouble;
  cJSON_Delete (stats);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* JSON Lines, all of them: one object per problem, with what triage needs. */
  g_assert_cmpint (run_cli (&t, &out, &err, "problems", "--json", NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      cJSON *row = cJSON_Parse (lines[i]);

      g_assert_nonnull (row);
      g_assert_true (cJSON_IsString (cJSON_GetObjectItem (row, "kind")));
      g_assert_true (cJSON_IsString (cJSON_GetObjectItem (row, "message")));
      g_assert_nonnull (cJSON_GetObjectItem (row, "byte_offset"));
      g_assert_nonnull (cJSON_GetObjectItem (row, "file"));
      if (strstr (cJSON_GetObjectItem (row, "message")->valuestring, "at byte ") != NULL)
        {
          /* The offset the message names, as a number, and the file it is in. */
          g_assert_true (cJSON_IsNumber (cJSON_GetObjectItem (row, "byte_offset")));
          g_assert_true (cJSON_IsString (cJSON_GetObjectItem (row, "file")));
          n_with_offset++;
        }
      n_all++;
      cJSON_Delete (row);
    }
  g_assert_cmpuint (n_all, ==, (guint) expected_all);
  g_assert_cmpuint (n_all, >, 10);
  g_assert_cmpuint (n_with_offset, >, 0);
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Narrowed, as tab-separated lines. */
  g_assert_cmpint (run_cli (&t, &out, &err, "problems", "--kind", "missing_image", "--dataset",
                            "TVC", NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_assert_true (g_str_has_prefix (lines[i], "missing_image\tTVC\tTVC_INS_"));
      n_missing++;
    }
  g_assert_cmpuint (n_missing, >, 0);
  g_assert_cmpuint (n_missing, <, n_all);
  g_clear_pointer (&lines, g_strfreev);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A kind nobody has: nothing listed, said on stderr, still a success. */
  g_assert_cmpint (run_cli (&t, &out, &err, "problems", "--kind", "no_such_kind", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "No problems match"));
  md_test_dir_clear (&t);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/cli/import-ok", test_cli_import_ok);
  g_test_add_func ("/store/cli/import-partial-and-failed", test_cli_import_partial_and_failed);
  g_test_add_func ("/store/cli/show-search-image-stats", test_cli_show_search_image_stats);
  g_test_add_func ("/store/cli/problems", test_cli_problems);

  return g_test_run ();
}
