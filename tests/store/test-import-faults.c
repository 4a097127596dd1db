/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "md-test-store.h"

/* Inputs that change under the import. */

typedef struct
{
  const char *path;
  goffset     cut_to;
  gboolean    done;
} Cut;

/* The progress callback runs on the importing thread while the file is mapped and partly
 * scanned: the cut lands mid-scan every time, as another program's truncate would. */
static void
cut_during_import (guint64     bytes_done,
                   guint64     bytes_total,
                   guint64     records_done,
                   const char *current_file,
                   gpointer    user_data)
{
  Cut *cut = user_data;

  if (cut->done || records_done == 0 || g_strcmp0 (current_file, cut->path) != 0)
    return;
  g_assert_cmpint (truncate (cut->path, cut->cut_to), ==, 0);
  cut->done = TRUE;
}

static void
check_cut_file (MdImportReport *report,
                const char     *basename,
                goffset         cut_to)
{
  MdImportedFile *file = md_test_report_file (report, basename);
  g_autofree char *expected = g_strdup_printf ("%s: the file changed during the import: it was "
                                               "cut to %" G_GINT64_FORMAT " bytes", basename,
                                               (gint64) cut_to);

  g_assert_nonnull (file);
  g_assert_cmpint (file->outcome, ==, MD_FILE_REJECTED);
  g_assert_nonnull (file->error);
  g_assert_nonnull (strstr (file->error->message, expected));
}

static void
test_truncated_instructions (void)
{
  MdTestDir t;
  g_autoptr(GString) text = g_string_new ("{\"data\": {");
  g_autofree char *path = NULL;
  g_autofree char *other = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdPair) pair = NULL;
  g_autoptr(MdPair) kept = NULL;
  const char *paths[3] = { NULL, NULL, NULL };
  Cut cut = { NULL, 4096, FALSE };
  MdImportedFile *file;

  /* Far more records than the reader runs ahead of the writer (4 batches of 1024), so pages
   * past the cut are read after it whichever thread is ahead. */
  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (text, "%s\"CUT_INS_%05u\": {\"instruction\": \"question %u\", "
                            "\"answer\": \"an answer long enough to fill pages\"}",
                            i > 0 ? "," : "", i, i);
  g_string_append (text, "}}");
  md_test_dir_init (&t);
  path = md_test_write (&t, "CUT_instructions.json", text->str, text->len);
  other = md_test_write (&t, "KEEP_instructions.json",
                         "{\"data\": {\"KEEP_INS_1\": {\"instruction\": \"q\", \"answer\": \"a\"}}}",
                         -1);
  cut.path = path;
  paths[0] = path;
  paths[1] = other;

  /* Before the guard, this killed the test with SIGBUS. */
  md_store_import (t.store, paths, cut_during_import, &cut, NULL, &report, &error);
  g_assert_true (cut.done);
  check_cut_file (report, "CUT_instructions.json", cut.cut_to);

  /* The index is as it was before that file; the rest of the work went on. */
  pair = md_store_get_pair (t.store, "CUT_INS_00000", NULL);
  g_assert_null (pair);
  kept = md_store_get_pair (t.store, "KEEP_INS_1", NULL);
  g_assert_nonnull (kept);
  file = md_test_report_file (report, "KEEP_instructions.json");
  g_assert_cmpint (file->outcome, ==, MD_FILE_IMPORTED);

  /* Restored, it imports in full. */
  g_clear_object (&report);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  md_store_import (t.store, paths, NULL, NULL, NULL, &report, &error);
  g_assert_no_error (error);
  file = md_test_report_file (report, "CUT_instructions.json");
  g_assert_cmpint (file->outcome, ==, MD_FILE_IMPORTED);
  g_assert_cmpuint (file->n_records, ==, 20000);
  md_test_dir_clear (&t);
}

static void
test_truncated_image_store (void)
{
  MdTestDir t;
  g_autoptr(GString) text = g_string_new ("{");
  g_autofree char *path = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[2] = { NULL, NULL };
  Cut cut = { NULL, 100, FALSE };
  g_autofree char *filler = g_strnfill (600, 'A');

  /* Progress comes every 256 images: 4,000 of them put most of the file after the cut. */
  for (guint i = 0; i < 4000; i++)
    g_string_append_printf (text, "%s\"CUT_IMG_%05u\": \"iVBORw0KGgo%s\"", i > 0 ? "," : "", i,
                            filler);
  g_string_append (text, "}");
  md_test_dir_init (&t);
  path = md_test_write (&t, "CUT.json", text->str, text->len);
  cut.path = path;
  paths[0] = path;

  md_store_import (t.store, paths, cut_during_import, &cut, NULL, &report, &error);
  g_assert_true (cut.done);
  check_cut_file (report, "CUT.json", cut.cut_to);
  g_assert_false (md_store_locate_image (t.store, "CUT_IMG_00000", NULL, NULL, NULL, NULL));
  md_test_dir_clear (&t);
}

/* A syntax error after the reader's first batch of 1024 pairs rejects the file like one in
 * the first batch. */
static void
test_late_syntax_error (void)
{
  MdTestDir t;
  g_autoptr(GString) text = g_string_new ("{\"data\": {");
  g_autofree char *path = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdPair) pair = NULL;
  MdImportedFile *file;

  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (text, "%s\"LATE_INS_%05u\": {\"instruction\": \"q\", "
                            "\"answer\": \"a\"}", i == 0 ? "" : i == 3000 ? " " : ",", i);
  g_string_append (text, "}}");
  md_test_dir_init (&t);
  path = md_test_write (&t, "LATE_instructions.json", text->str, text->len);
  report = md_test_import (&t, NULL, &error, path, NULL);
  file = md_test_report_file (report, "LATE_instructions.json");
  g_assert_cmpint (file->outcome, ==, MD_FILE_REJECTED);
  g_assert_nonnull (file->error);
  g_assert_nonnull (strstr (file->error->message, "LATE_instructions.json: "));
  pair = md_store_get_pair (t.store, "LATE_INS_00000", NULL);
  g_assert_null (pair);
  md_test_dir_clear (&t);
}

/* Image keys that cannot be ids are problems of their image, not of the store. */
static void
test_image_keys (void)
{
  MdTestDir t;
  g_autofree char *filler = g_strnfill (5000, 'x');
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  MdImportedFile *file;
  gboolean ok;

  text = g_strdup_printf ("{\"KEY_IMG_1\\u0000a\": \"iVBORw0KGgo\", "
                          "\"KEY_IMG_1\\u0000b\": \"iVBORw0KGgo\", "
                          "\"KEY_IMG_%s\": \"iVBORw0KGgo\", "
                          "\"KEY_IMG_2\": \"iVBORw0KGgo\"}", filler);
  md_test_dir_init (&t);
  path = md_test_write (&t, "KEY.json", text, -1);
  report = md_test_import (&t, &ok, &error, path, NULL);
  g_assert_no_error (error);
  g_assert_true (ok);
  file = md_test_report_file (report, "KEY.json");
  g_assert_cmpint (file->outcome, ==, MD_FILE_IMPORTED);
  g_assert_cmpuint (file->n_records, ==, 1);
  g_assert_cmpuint (file->n_problems, ==, 3);
  g_assert_cmpuint (md_test_count_problems (t.store, "bad_record"), ==, 3);

  /* Neither NUL key became "KEY_IMG_1"; the good one is there. */
  g_assert_false (md_store_locate_image (t.store, "KEY_IMG_1", NULL, NULL, NULL, NULL));
  g_assert_true (md_store_locate_image (t.store, "KEY_IMG_2", NULL, NULL, NULL, NULL));
  md_test_dir_clear (&t);
}

/* Two imports into one index. */

typedef struct
{
  MdTestDir *t;
  const char *data;
  gboolean   ran;
  int        status;
  char      *out;
  char      *err;
} Second;

/* While this process imports (and holds the index), another one tries. */
static void
import_from_another_process (guint64     bytes_done,
                             guint64     bytes_total,
                             guint64     records_done,
                             const char *current_file,
                             gpointer    user_data)
{
  Second *second = user_data;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { g_getenv ("MD_CLI"), "import", "--db", second->t->db_path,
                         second->data, NULL };

  if (second->ran || records_done == 0)
    return;
  second->ran = TRUE;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &second->out,
                &second->err, &second->status, &error);
  g_assert_no_error (error);
}

static void
test_one_import_at_a_time (void)
{
  MdTestDir t;
  g_autoptr(GString) text = g_string_new ("{\"data\": {\"ONE_INS_bad\": 5");
  g_autofree char *data = NULL;
  g_autofree char *path = NULL;
  g_autofree char *holder = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[2] = { NULL, NULL };
  Second second = { &t, NULL, FALSE, -1, NULL, NULL };
  char *out = NULL, *err = NULL;
  int status = -1;
  const char *argv[] = { g_getenv ("MD_CLI"), "import", "--db", NULL, NULL, NULL };

  g_assert_nonnull (g_getenv ("MD_CLI"));
  /* Progress is reported after 4,096 records: the second import starts mid-file. */
  for (guint i = 0; i < 6000; i++)
    g_string_append_printf (text, ", \"ONE_INS_%05u\": {\"instruction\": \"q\", "
                            "\"answer\": \"a\"}", i);
  g_string_append (text, "}}");
  md_test_dir_init (&t);
  path = md_test_write (&t, "data/ONE_instructions.json", text->str, text->len);
  data = g_path_get_dirname (path);
  second.data = data;
  paths[0] = data;

  g_assert_true (md_store_import (t.store, paths, import_from_another_process, &second, NULL,
                                  &report, &error));
  g_assert_no_error (error);
  g_assert_true (second.ran);

  /* The second was refused, and said who holds the index. */
  g_assert_true (WIFEXITED (second.status));
  g_assert_cmpint (WEXITSTATUS (second.status), !=, 0);
  holder = g_strdup_printf ("another import into this index is running (process %d, "
                            "test-import-faults, on ", (int) getpid ());
  g_assert_nonnull (strstr (second.err, holder));
  g_assert_nonnull (strstr (second.err, t.db_path));

  /* The problem of the one bad record is there once, and the next import sees nothing new. */
  g_assert_cmpuint (md_test_count_problems (t.store, "bad_record"), ==, 1);
  argv[3] = t.db_path;
  argv[4] = data;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_cmpuint (md_test_count_problems (t.store, "bad_record"), ==, 1);
  g_assert_cmpuint (md_store_count_pairs (t.store, NULL, NULL), ==, 6000);

  g_free (out);
  g_free (err);
  g_free (second.out);
  g_free (second.err);
  md_test_dir_clear (&t);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/import-faults/truncated-instructions", test_truncated_instructions);
  g_test_add_func ("/store/import-faults/truncated-image-store", test_truncated_image_store);
  g_test_add_func ("/store/import-faults/late-syntax-error", test_late_syntax_error);
  g_test_add_func ("/store/import-faults/one-import-at-a-time", test_one_import_at_a_time);
  g_test_add_func ("/store/import-faults/image-keys", test_image_keys);
  return g_test_run ();
}
