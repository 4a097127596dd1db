/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cJSON.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../store/md-test-store.h"
#include "md-dataset-paths.h"
#include "md-review-store.h"

/* What the CLI prints and accepts, run as its own process: shard text never drives the terminal
 * (unless --raw), arguments are UTF-8 whatever the locale, bad option values and odd files are
 * refused with a message that says what is wrong, and `show` prints the texts as they stand. */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cJSON, cJSON_Delete)

static MdTestDir t;
static char *data_dir;

/* Runs mimicdesk-cli with @locale as LC_ALL; returns the exit status. */
static int
run_cli (const char  *locale,
         char       **out_stdout,
         char       **out_stderr,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;
  int status = -1;

  g_ptr_array_add (argv, (gpointer) g_getenv ("MD_CLI"));
  va_start (args, out_stderr);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  envp = g_environ_setenv (envp, "LC_ALL", locale, TRUE);
  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", t.dir, TRUE);
  /* Output not asked for goes nowhere: it must not mix with the TAP stream. */
  g_spawn_sync (NULL, (char **) argv->pdata, envp,
                (out_stdout == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : 0) |
                (out_stderr == NULL ? G_SPAWN_STDERR_TO_DEV_NULL : 0), NULL, NULL, out_stdout,
                out_stderr, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* No byte a terminal acts on: ESC, CSI in either form, BEL, CR, the bidi override. */
static void
assert_terminal_safe (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c < 0x20 && c != '\n' && c != '\t')
        g_error ("control byte 0x%02x at offset %td of: %s", c, p - text, text);
      if (c == 0x7f)
        g_error ("DEL at offset %td", p - text);
    }
  g_assert_null (strstr (text, "\xc2\x9b"));        /* U+009B, CSI */
  g_assert_null (strstr (text, "\xe2\x80\xae"));    /* U+202E */
}

static void
test_escape (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "show", "--db", t.db_path, "EV_INS_1", NULL),
                   ==, 0);
  assert_terminal_safe (out);
  /* Visible instead of acted on; the tab and the newline of the answer are kept. */
  g_assert_nonnull (strstr (out, "Title \\x1b]0;pwned\\x07 and \\x1b]52;c;ZXZpbA==\\x07 球"));
  g_assert_nonnull (strstr (out, "line1\\rover\\x1b[2J\nline2\ttab \\u202e evil \\u009b"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "search", "--db", t.db_path, "pwned", NULL),
                   ==, 0);
  assert_terminal_safe (out);
  g_assert_true (g_str_has_prefix (out, "EV_INS_1\tEV\tTitle \\x1b]0;pwned\\x07 and"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The review log quotes texts too. */
  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "review", "edit", "EV_INS_1", "--db", t.db_path,
                            "--lang", "en", "--field", "instruction", "--reviewer", "ana",
                            "--text", "fixed \x1b[31mred\x1b[0m title", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "review", "log", "EV_INS_1", "--db", t.db_path,
                            NULL), ==, 0);
  assert_terminal_safe (out);
  g_assert_nonnull (strstr (out, "\\x1b[-]0;pwned"));
  g_assert_nonnull (strstr (out, "{+[31mred+}"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* --raw prints the bytes as they are, for whoever wants them. */
  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "show", "--raw", "--original", "--db",
                            t.db_path, "EV_INS_1", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Title \x1b]0;pwned\x07 and \x1b]52;c;ZXZpbA==\x07 球"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* JSON escapes control characters its own way. */
  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "show", "--json", "--original", "--db",
                            t.db_path, "EV_INS_1", NULL), ==, 0);
  assert_terminal_safe (out);
  {
    g_autoptr(cJSON) root = cJSON_Parse (out);
    cJSON *en = cJSON_GetObjectItem (cJSON_GetObjectItem (root, "texts"), "en");

    g_assert_cmpstr (cJSON_GetObjectItem (en, "instruction")->valuestring, ==,
                     "Title \x1b]0;pwned\x07 and \x1b]52;c;ZXZpbA==\x07 球");
  }
}

/* LC_ALL=C used to refuse every non-ASCII argument ("Invalid byte sequence in conversion
 * input"). */
static void
test_utf8_arguments (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli ("C", &out, &err, "search", "--db", t.db_path, "球", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_str_has_prefix (out, "EV_INS_1\tEV\t"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ("C", &out, &err, "review", "set", "EV_INS_1", "--db", t.db_path,
                            "--status", "flagged", "--note", "画像がない", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ("POSIX", &out, &err, "show", "--db", t.db_path, "EV_INS_1", NULL),
                   ==, 0);
  g_assert_nonnull (strstr (out, "Review: flagged by "));
  g_assert_nonnull (strstr (out, ", note: 画像がない\n"));
}

static void
test_bad_values (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *fifo = g_build_filename (t.dir, "pipe", NULL);
  g_autofree char *folder = g_build_filename (t.dir, "folder", NULL);
  gboolean journal_existed = g_file_test ("/dev/null-journal", G_FILE_TEST_EXISTS);

  /* A negative limit used to mean "no limit". */
  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "search", "--db", t.db_path, "--limit", "-5",
                            "pwned", NULL), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "--limit -5: expected a number of matches, 0 or more"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A FIFO as index or review file is named as one (it used to be "disk I/O error"). */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "search", "--db", fifo, "x", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "pipe is a named pipe (FIFO); expected an SQLite file"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "review", "set", "EV_INS_1", "--status",
                            "approved", "--review", fifo, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "is a named pipe (FIFO)"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "stats", "--db", folder, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "folder is a folder; expected an SQLite file"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* /dev/null is refused before SQLite opens it and leaves a journal beside it. */
  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "search", "--db", "/dev/null", "x", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "/dev/null is a character device"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "review", "set", "EV_INS_1", "--status",
                            "approved", "--db", "/dev/null", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "/dev/null is a character device"));
  if (!journal_existed)
    g_assert_false (g_file_test ("/dev/null-journal", G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The log is never written over the review file (it used to replace it, exit 0). */
  {
    g_autofree char *review = g_strconcat (t.db_path, ".review.sqlite", NULL);
    g_autofree char *header = NULL;

    g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "review", "export-log", review, "--db",
                              t.db_path, NULL), ==, 1);
    g_assert_nonnull (strstr (err, "this is the review file itself; refusing"));
    g_assert_true (g_file_get_contents (review, &header, NULL, NULL));
    g_assert_true (g_str_has_prefix (header, "SQLite format 3"));
  }
}

/* show prints the texts as they stand, with their revision and review; --original the shard's. */
static void
test_show_current (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(cJSON) root = NULL;
  cJSON *en, *revisions;

  g_assert_cmpint (run_cli ("C.UTF-8", NULL, NULL, "review", "edit", "SH_INS_1", "--db", t.db_path,
                            "--lang", "en", "--field", "answer", "--reviewer", "ana",
                            "--text", "Two red kites.", NULL), ==, 0);
  g_assert_cmpint (run_cli ("C.UTF-8", NULL, NULL, "review", "edit", "SH_INS_1", "--db", t.db_path,
                            "--lang", "en", "--field", "answer", "--reviewer", "ben",
                            "--text", "Three red kites.", NULL), ==, 0);
  g_assert_cmpint (run_cli ("C.UTF-8", NULL, NULL, "review", "set", "SH_INS_1", "--db", t.db_path,
                            "--lang", "en", "--status", "fixed", "--reviewer", "ben", NULL), ==, 0);

  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "show", "--db", t.db_path, "SH_INS_1", NULL),
                   ==, 0);
  g_assert_nonnull (strstr (out, "\n[en] Instruction (revision 0, as in the shard): How many "
                                 "kites?\n"));
  g_assert_nonnull (strstr (out, "\n[en] Answer (revision 2 by ben (person)): Three red kites.\n"));
  g_assert_nonnull (strstr (out, "\n[en] Review: fixed by ben\n"));
  g_assert_nonnull (strstr (out, "\nReview: unreviewed\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "show", "--original", "--db", t.db_path,
                            "SH_INS_1", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\n[en] Answer (shard text): Two.\n"));
  g_assert_null (strstr (out, "Three"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "show", "--json", "--db", t.db_path,
                            "SH_INS_1", NULL), ==, 0);
  root = cJSON_Parse (out);
  g_assert_nonnull (root);
  en = cJSON_GetObjectItem (cJSON_GetObjectItem (root, "texts"), "en");
  g_assert_cmpstr (cJSON_GetObjectItem (en, "answer")->valuestring, ==, "Three red kites.");
  g_assert_cmpstr (cJSON_GetObjectItem (en, "instruction")->valuestring, ==, "How many kites?");
  revisions = cJSON_GetObjectItem (en, "revisions");
  g_assert_cmpint (cJSON_GetObjectItem (cJSON_GetObjectItem (revisions, "answer"), "revision")
                   ->valueint, ==, 2);
  g_assert_true (cJSON_IsTrue (cJSON_GetObjectItem (cJSON_GetObjectItem (revisions, "answer"),
                                                    "edited")));
  g_assert_cmpint (cJSON_GetObjectItem (cJSON_GetObjectItem (revisions, "instruction"),
                                        "revision")->valueint, ==, 0);
  g_assert_cmpstr (cJSON_GetObjectItem (cJSON_GetObjectItem (en, "review"), "status")->valuestring,
                   ==, "fixed");
  g_assert_cmpstr (cJSON_GetObjectItem (cJSON_GetObjectItem (root, "review"), "status")
                   ->valuestring, ==, "unreviewed");
  g_clear_pointer (&root, cJSON_Delete);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "show", "--json", "--original", "--db",
                            t.db_path, "SH_INS_1", NULL), ==, 0);
  root = cJSON_Parse (out);
  en = cJSON_GetObjectItem (cJSON_GetObjectItem (root, "texts"), "en");
  g_assert_cmpstr (cJSON_GetObjectItem (en, "answer")->valuestring, ==, "Two.");
}

/* The CLI and the window use one index for one folder: `import` without --db and any command
 * with --dataset-dir open the index the window derives for that folder, so a review made with
 * the CLI is in the window's review file. */
static void
test_dataset_dir (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *cache = g_build_filename (t.dir, "cache", NULL);
  g_autoptr(GFile) folder = NULL;
  g_autofree char *real = NULL;
  g_autofree char *window_index = NULL;
  g_autofree char *review_path = NULL;
  g_autofree char *index_line = NULL;
  g_autofree char *via_link = g_build_filename (t.dir, "data-link", NULL);
  g_autoptr(MdReviewStore) review = NULL;
  g_autoptr(MdReviewState) state = NULL;
  g_autoptr(GError) error = NULL;
  const char *real_paths[2] = { NULL, NULL };

  /* What the window computes when it opens the folder (md-window-open.c). */
  g_setenv ("XDG_CACHE_HOME", t.dir, TRUE);
  folder = g_file_new_for_path (data_dir);
  real = md_dataset_real_path (folder);
  real_paths[0] = real;
  window_index = md_dataset_index_path (real_paths);
  g_assert_true (g_str_has_prefix (window_index, t.dir));

  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "import", data_dir, NULL), ==, 0);
  index_line = g_strdup_printf ("Index: %s\n", window_index);
  g_assert_nonnull (strstr (out, index_line));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Through a symbolic link too, as the window resolves it. */
  g_assert_cmpint (symlink (data_dir, via_link), ==, 0);
  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "review", "set", "SH_INS_1", "--dataset-dir",
                            via_link, "--status", "rejected", "--reason", "duplicate",
                            "--reviewer", "cli", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "search", "--dataset-dir", data_dir, "kites",
                            NULL), ==, 0);
  g_assert_cmpstr (out, ==, "SH_INS_1\tSH\tHow many kites?\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The window's review file for that index holds the CLI's review. */
  review_path = md_review_store_default_path (window_index);
  review = md_review_store_open (review_path, &error);
  g_assert_no_error (error);
  state = md_review_store_get_state (review, "SH", "SH_INS_1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (state->status, ==, MD_REVIEW_STATUS_REJECTED);
  g_assert_cmpstr (state->reviewer, ==, "cli");
  g_assert_cmpstr (state->reasons[0], ==, "duplicate");

  /* A folder that is not there is named. */
  g_assert_cmpint (run_cli ("C.UTF-8", &out, &err, "search", "--dataset-dir", cache, "x", NULL),
                   ==, 1);
  g_assert_nonnull (strstr (err, "cache: no such file or folder"));
  g_unlink (via_link);
}

int
main (int argc, char *argv[])
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  md_test_dir_init (&t);
  g_clear_object (&t.store);
  /* A record whose texts try to drive the terminal: title, clipboard, CR overwrite, clear
   * screen, the right-to-left override and CSI as a C1 control. */
  g_free (md_test_write (&t, "data/EV_instructions.json",
                 "{\"meta\": {}, \"data\": {\"EV_INS_1\": {\"instruction\": \"Title "
                 "\\u001b]0;pwned\\u0007 and \\u001b]52;c;ZXZpbA==\\u0007 球\", \"answer\": "
                 "\"line1\\rover\\u001b[2J\\nline2\\ttab \\u202e evil \\u009b\"}}}", -1));
  g_free (md_test_write (&t, "data/SH_instructions.json",
                 "{\"meta\": {}, \"data\": {\"SH_INS_1\": {\"instruction\": \"How many kites?\","
                 " \"answer\": \"Two.\"}}}", -1));
  data_dir = g_build_filename (t.dir, "data", NULL);
  status = run_cli ("C.UTF-8", &out, &err, "import", "--db", t.db_path, data_dir, NULL);
  if (status != 0)
    g_error ("import failed: %s", err);

  g_test_add_func ("/cli/terminal/escape", test_escape);
  g_test_add_func ("/cli/terminal/utf8-arguments", test_utf8_arguments);
  g_test_add_func ("/cli/terminal/bad-values", test_bad_values);
  g_test_add_func ("/cli/terminal/show-current", test_show_current);
  g_test_add_func ("/cli/dataset-dir", test_dataset_dir);

  status = g_test_run ();
  md_test_dir_clear (&t);
  g_free (data_dir);
  return status;
}
