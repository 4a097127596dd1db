/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cJSON.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cJSON, cJSON_Delete)

static char *tmp_dir;

/* Runs `mimicdesk-cli review ARGS… --review FILE` without a display. */
static int
run_review (const char  *review_file,
            char       **out_stdout,
            char       **out_stderr,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  g_autofree char *review_path = g_build_filename (tmp_dir, review_file, NULL);
  int status = -1;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, g_strdup (g_getenv ("MD_CLI")));
  g_ptr_array_add (argv, g_strdup ("review"));
  va_start (args, out_stderr);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, g_strdup ("--review"));
  g_ptr_array_add (argv, g_strdup (review_path));
  g_ptr_array_add (argv, NULL);
  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  /* No default index unless a test passes --db: the user's own cache is not consulted. */
  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", tmp_dir, TRUE);

  /* Output not asked for goes nowhere: it must not mix with the TAP stream. */
  g_spawn_sync (NULL, (char **) argv->pdata, envp,
                (out_stdout == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : 0) |
                (out_stderr == NULL ? G_SPAWN_STDERR_TO_DEV_NULL : 0), NULL, NULL, out_stdout,
                out_stderr, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_cli_set_edit_log (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(cJSON) json = NULL;
  cJSON *row;

  g_assert_cmpint (run_review ("a.sqlite", &out, &err, "set", "DC_INS_00001", "--status",
                               "flagged", "--reason", "hallucination", "--reason", "unsafe",
                               "--note", "hand not visible", "--reviewer", "ana", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "action 1: DC_INS_00001 flagged\n");
  g_assert_nonnull (strstr (err, "dataset “DC” taken from the id"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_review ("a.sqlite", &out, &err, "edit", "DC_INS_00001", "--lang", "en",
                               "--field", "answer", "--text", "A man rides a horse.",
                               "--reviewer", "ana", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_review ("a.sqlite", &out, &err, "edit", "DC_INS_00001", "--lang", "en",
                               "--field", "answer", "--text", "A woman rides a brown horse.",
                               "--reviewer", "ana", "--dataset", "DC", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "action 3: DC_INS_00001 en answer revised\n");
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_review ("a.sqlite", &out, &err, "log", "DC_INS_00001", NULL), ==, 0);
  g_assert_nonnull (strstr (out, " ana (person) pair status\n    - → flagged\n"));
  g_assert_nonnull (strstr (out, "    - → hallucination,unsafe\n"));
  g_assert_nonnull (strstr (out, "    A [-man-]{+woman+} rides a{+ brown+} horse.\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Undo and redo, each its own process: the stacks live in the file. */
  g_assert_cmpint (run_review ("a.sqlite", &out, &err, "undo", "--reviewer", "ana", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "action 4: undid action 3 of ana\n");
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_review ("a.sqlite", &out, &err, "redo", "--reviewer", "ana", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "action 5: redid action 3 of ana\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_review ("a.sqlite", &out, &err, "stats", "--json", NULL), ==, 0);
  json = cJSON_Parse (out);
  g_assert_nonnull (json);
  g_assert_cmpint (cJSON_GetArraySize (json), ==, 2);
  row = cJSON_GetArrayItem (json, 0);
  g_assert_cmpstr (cJSON_GetObjectItem (row, "dataset")->valuestring, ==, "DC");
  g_assert_cmpstr (cJSON_GetObjectItem (row, "lang")->valuestring, ==, "");
  g_assert_cmpint (cJSON_GetObjectItem (row, "flagged")->valueint, ==, 1);
  g_assert_cmpint (cJSON_GetObjectItem (row, "edited")->valueint, ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Bad input is refused with a message and changes nothing. */
  g_assert_cmpint (run_review ("a.sqlite", &out, &err, "set", "DC_INS_00001", "--status", "great",
                               NULL), ==, 1);
  g_assert_nonnull (strstr (err, "unknown status “great”"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_review ("a.sqlite", &out, &err, "set", "DC_INS_00001", "--status", "flagged",
                               "--reason", "nonsense", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "unknown reason tag “nonsense”"));
}

static void
test_cli_sample (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *again = NULL;
  g_autofree char *ids = g_build_filename (tmp_dir, "ids.txt", NULL);
  g_autoptr(GString) list = g_string_new (NULL);
  g_autoptr(cJSON) json = NULL;
  cJSON *overall;

  for (guint i = 0; i < 40; i++)
    g_string_append_printf (list, "DC_INS_%05u\n", i);
  for (guint i = 0; i < 10; i++)
    g_string_append_printf (list, "VST\tVST_INS_%05u\n", i);
  g_assert_true (g_file_set_contents (ids, list->str, -1, NULL));

  g_assert_cmpint (run_review ("s.sqlite", &out, &err, "sample", "--size", "10", "--seed", "42",
                               "--ids", ids, "--name", "audit", NULL), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_review ("s.sqlite", &again, &err, "sample", "--size", "10", "--seed", "42",
                               "--ids", ids, NULL), ==, 0);
  g_assert_cmpstr (out, ==, again);
  {
    g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

    /* 8 from DC, 2 from VST. */
    g_assert_cmpuint (g_strv_length (lines), ==, 11);
    g_assert_true (g_str_has_prefix (out, "DC\tDC_INS_"));
    g_assert_true (g_str_has_prefix (lines[8], "VST\tVST_INS_"));
    /* Flag the first DC member, approve the second. */
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_review ("s.sqlite", NULL, &err, "set", lines[0] + 3, "--status", "flagged",
                                 NULL), ==, 0);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run_review ("s.sqlite", NULL, &err, "set", lines[1] + 3, "--status", "approved",
                                 NULL), ==, 0);
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_review ("s.sqlite", &out, &err, "sample-stats", "audit", "--json", NULL), ==, 0);
  json = cJSON_Parse (out);
  g_assert_nonnull (json);
  overall = cJSON_GetObjectItem (json, "overall");
  g_assert_cmpint (cJSON_GetObjectItem (overall, "reviewed")->valueint, ==, 2);
  g_assert_cmpint (cJSON_GetObjectItem (overall, "errors")->valueint, ==, 1);
  /* Only DC was reviewed: 1 of 2, Wilson [0.0945, 0.9055]. */
  g_assert_cmpfloat_with_epsilon (cJSON_GetObjectItem (overall, "error_rate")->valuedouble, 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (cJSON_GetObjectItem (overall, "ci_low")->valuedouble, 0.0945, 1e-4);
  g_assert_true (cJSON_IsNull (cJSON_GetObjectItem (cJSON_GetArrayItem (
    cJSON_GetObjectItem (json, "strata"), 1), "error_rate")));
}

static void
test_cli_merge (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *ben_log = g_build_filename (tmp_dir, "ben.jsonl", NULL);

  g_assert_cmpint (run_review ("ana.sqlite", NULL, NULL, "set", "DC_INS_00005", "--status",
                               "approved", "--reviewer", "ana", NULL), ==, 0);
  g_assert_cmpint (run_review ("ben.sqlite", NULL, NULL, "set", "DC_INS_00005", "--status",
                               "rejected", "--reviewer", "ben", NULL), ==, 0);
  g_assert_cmpint (run_review ("ben.sqlite", NULL, NULL, "export-log", ben_log, NULL), ==, 0);

  g_assert_cmpint (run_review ("ana.sqlite", &out, &err, "import-log", ben_log, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "read 1 entries: 1 new (1 applied, 0 older than ours), 0 already known\n"));
  g_assert_nonnull (strstr (out, "1 conflicts\nconflict DC DC_INS_00005 pair status: ours “approved” (ana, "));
  g_assert_nonnull (strstr (out, "theirs “rejected” (ben, "));
  g_assert_true (g_str_has_suffix (out, "): theirs wins\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_review ("ana.sqlite", &out, &err, "import-log", ben_log, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "read 1 entries: 0 new (0 applied, 0 older than ours), 1 already known\n"
                            "0 conflicts\n");
}

/* With an index: the pair's dataset and original text come from it, unknown ids are refused,
 * the sample's population is every pair and reviews of vanished pairs are reported. */
static void
test_cli_index (void)
{
  g_autofree char *db = g_build_filename (tmp_dir, "idx.sqlite", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { g_getenv ("MD_CLI"), "import", "--db", db, g_getenv ("MD_SAMPLE_DIR"),
                         NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL |
                               G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status,
                               &error));
  g_assert_no_error (error);

  g_assert_cmpint (run_review ("i.sqlite", &out, &err, "edit", "TXT_INS_00001", "--db", db,
                               "--lang", "en", "--field", "instruction", "--text",
                               "A basket holds apples.", "--reviewer", "ana", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "action 1: TXT_INS_00001 en instruction revised\n");
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_review ("i.sqlite", &out, &err, "log", "TXT_INS_00001", "--db", db, NULL),
                   ==, 0);
  /* The old value is the shard's text, so the diff keeps its common words. */
  g_assert_null (strstr (out, "(was the shard's text)"));
  g_assert_nonnull (strstr (out, "[-🍎 -]A basket holds [-7 -]apples[- and 4 pears-]."));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_review ("i.sqlite", &out, &err, "set", "DC_INS_99999", "--db", db,
                               "--status", "approved", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "pair “DC_INS_99999” is not in the index"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_review ("i.sqlite", &out, &err, "set", "DC_INS_00001", "--db", db,
                               "--dataset", "LA", "--status", "approved", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "belongs to dataset “DC”, not “LA”"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* 13 of 65 pairs, proportional: one in five of each subset. */
  g_assert_cmpint (run_review ("i.sqlite", &out, &err, "sample", "--db", db, "--size", "13",
                               "--seed", "3", NULL), ==, 0);
  {
    g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
    guint per[6] = { 0 };
    static const char *codes[] = { "DC", "LA", "SD", "TVC", "TXT", "VST" };

    g_assert_cmpuint (g_strv_length (lines), ==, 14);
    for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
      for (guint c = 0; c < G_N_ELEMENTS (codes); c++)
        if (g_str_has_prefix (lines[i], codes[c]) && lines[i][strlen (codes[c])] == '\t')
          per[c]++;
    /* DC 12, LA 22, SD 10, TVC 3, TXT 10, VST 8 → 2.4, 4.4, 2, 0.6, 2, 1.6 → 2, 4, 2, 1, 2, 2. */
    g_assert_cmpuint (per[0], ==, 2);
    g_assert_cmpuint (per[1], ==, 4);
    g_assert_cmpuint (per[2], ==, 2);
    g_assert_cmpuint (per[4], ==, 2);
    g_assert_cmpuint (per[0] + per[1] + per[2] + per[3] + per[4] + per[5], ==, 13);
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A review of a pair the index lost (made without the index) is reported, not dropped. */
  g_assert_cmpint (run_review ("i.sqlite", NULL, NULL, "set", "DC_INS_09999", "--status",
                               "flagged", NULL), ==, 0);
  g_assert_cmpint (run_review ("i.sqlite", &out, &err, "stats", "--db", db, NULL), ==, 0);
  g_assert_nonnull (strstr (err, "DC DC_INS_09999: reviewed, but no longer in the index"));
  g_assert_null (strstr (err, "TXT_INS_00001"));
}

/* `undo --reviewer ana` undoes ana's own latest action, never ben's later one, and says that the
 * latest action overall is ben's. */
static void
test_cli_undo_per_author (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_review ("u.sqlite", NULL, NULL, "set", "DC_INS_00001", "--status",
                               "approved", "--reviewer", "ana", NULL), ==, 0);
  g_assert_cmpint (run_review ("u.sqlite", NULL, NULL, "edit", "DC_INS_00002", "--lang", "en",
                               "--field", "answer", "--text", "ben's text", "--reviewer", "ben",
                               NULL), ==, 0);
  g_assert_cmpint (run_review ("u.sqlite", &out, &err, "undo", "--reviewer", "ana", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "action 3: undid action 1 of ana\n");
  g_assert_nonnull (strstr (err, "note: the latest action (2) is ben's, not ana's; only ana's own "
                                 "actions are undone"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_review ("u.sqlite", &out, &err, "undo", "--reviewer", "ana", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "nothing of ana's to undo\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* ben's edit is still there. */
  g_assert_cmpint (run_review ("u.sqlite", &out, &err, "log", "DC_INS_00002", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "{+ben's text+}"));
  g_assert_null (strstr (out, "(undo)"));
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("md-review-cli-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/review/cli/set-edit-log", test_cli_set_edit_log);
  g_test_add_func ("/review/cli/sample", test_cli_sample);
  g_test_add_func ("/review/cli/merge", test_cli_merge);
  g_test_add_func ("/review/cli/undo-per-author", test_cli_undo_per_author);
  g_test_add_func ("/review/cli/index", test_cli_index);

  status = g_test_run ();
  {
    g_autoptr(GDir) handle = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *file = g_build_filename (tmp_dir, name, NULL);
        g_remove (file);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);
  return status;
}
