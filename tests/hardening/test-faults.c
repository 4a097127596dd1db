/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-faults"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../store/md-test-store.h"
#include "md-review-store.h"

/* Faults from the system: a full disk (RLIMIT_FSIZE in a subprocess, SIGXFSZ ignored so that
 * writes fail with EFBIG), a folder that cannot be written, an index deleted under a running
 * store. The index and the review file must stay consistent and keep what was acknowledged. */

static char *
big_instructions (const char *code,
                  guint       n)
{
  GString *text = g_string_new ("{\"data\": {");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s\"%s_INS_%05u\": {\"instruction\": \"question %u about "
                            "the picture, long enough to take room\", \"answer\": \"answer %u, "
                            "also with some words in it\"}", i > 0 ? "," : "", code, i, i, i);
  g_string_append (text, "}}");
  return g_string_free (text, FALSE);
}

static void
limit_file_size (rlim_t bytes)
{
  struct rlimit limit = { bytes, bytes };

  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
}

static void
test_disk_full_import (void)
{
  if (g_test_subprocess ())
    {
      const char *dir = g_getenv ("MD_FAULT_DIR");
      g_autofree char *db = g_build_filename (dir, "index", "index.sqlite", NULL);
      g_autofree char *big = g_build_filename (dir, "BIG_instructions.json", NULL);
      const char *paths[] = { big, NULL };
      g_autoptr(MdStore) store = NULL;
      g_autoptr(MdImportReport) report = NULL;
      g_autoptr(GError) error = NULL;
      MdImportedFile *file;
      GStatBuf st;

      store = md_store_open (db, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_stat (db, &st), ==, 0);
      /* Room for a little more than what the index holds now. */
      limit_file_size (st.st_size + 256 * 1024);
      md_store_import (store, paths, NULL, NULL, NULL, &report, &error);
      file = md_test_report_file (report, "BIG_instructions.json");
      if (file != NULL && file->error != NULL)
        g_print ("file error: %s\n", file->error->message);
      if (error != NULL)
        g_print ("import error: %s\n", error->message);
      g_print ("outcome %d\n", file != NULL ? (int) file->outcome : -1);
      return;
    }
  else
    {
      MdTestDir t;
      g_autofree char *small = NULL;
      g_autofree char *big = NULL;
      g_autofree char *big_text = big_instructions ("BIG", 20000);
      g_autoptr(MdImportReport) report = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(MdPair) pair = NULL;
      gboolean ok;

      md_test_dir_init (&t);
      small = md_test_write (&t, "SMALL_instructions.json",
                             "{\"data\": {\"SMALL_INS_1\": {\"instruction\": \"kept\", "
                             "\"answer\": \"yes\"}}}", -1);
      report = md_test_import (&t, &ok, &error, small, NULL);
      g_assert_no_error (error);
      g_clear_object (&report);
      big = md_test_write (&t, "BIG_instructions.json", big_text, -1);
      g_clear_object (&t.store);

      g_setenv ("MD_FAULT_DIR", t.dir, TRUE);
      g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      /* A clear error that says the disk is full, and the file is rejected. */
      g_test_trap_assert_stdout ("*disk is full*");
      g_test_trap_assert_stdout ("*outcome 3*");

      /* The index is consistent: the earlier file is there, nothing of the failed one, and
       * with room again the import completes. */
      t.store = md_store_open (t.db_path, &error);
      g_assert_no_error (error);
      pair = md_store_get_pair (t.store, "SMALL_INS_1", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION), ==, "kept");
      g_assert_null (md_store_get_pair (t.store, "BIG_INS_00000", NULL));
      report = md_test_import (&t, &ok, &error, big, NULL);
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpuint (md_test_report_file (report, "BIG_instructions.json")->n_records, ==,
                        20000);
      md_test_dir_clear (&t);
    }
}

static void
test_disk_full_review (void)
{
  if (g_test_subprocess ())
    {
      const char *dir = g_getenv ("MD_FAULT_DIR");
      g_autofree char *path = g_build_filename (dir, "review.sqlite", NULL);
      g_autoptr(MdReviewStore) review = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *filler = g_strnfill (2000, 'x');
      guint acknowledged = 0;

      review = md_review_store_open (path, &error);
      g_assert_no_error (error);
      limit_file_size (2 * 1024 * 1024);
      for (guint i = 0; i < 100000; i++)
        {
          g_autofree char *id = g_strdup_printf ("DC_INS_%05u", i);
          g_autofree char *text = g_strdup_printf ("edit %u %s", i, filler);
          gint64 action = md_review_store_edit_text (review, "DC", id, MD_LANGUAGE_EN,
                                                     MD_FIELD_ANSWER, "old", text, NULL,
                                                     MD_REVIEW_AUTHOR_PERSON, &error);

          if (action <= 0)
            break;
          acknowledged++;
        }
      {
        /* Reported through a file: the count must survive the full disk (it is tiny and the
         * limit is per file). */
        g_autofree char *count_path = g_build_filename (dir, "acknowledged", NULL);
        g_autofree char *count = g_strdup_printf ("%u", acknowledged);

        g_assert_true (g_file_set_contents (count_path, count, -1, NULL));
      }
      if (error != NULL)
        g_print ("error: %s\n", error->message);
      return;
    }
  else
    {
      g_autofree char *dir = g_dir_make_tmp ("mdfault-XXXXXX", NULL);
      g_autofree char *path = g_build_filename (dir, "review.sqlite", NULL);
      g_autoptr(MdReviewStore) review = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      g_autofree char *count_path = g_build_filename (dir, "acknowledged", NULL);
      g_autofree char *count = NULL;
      guint acknowledged;

      g_setenv ("MD_FAULT_DIR", dir, TRUE);
      g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout ("*error: *");
      g_assert_true (g_file_get_contents (count_path, &count, NULL, NULL));
      acknowledged = atoi (count);
      g_assert_cmpuint (acknowledged, >, 5);

      /* Every acknowledged edit is there, the failed one is not, and writing works again. */
      review = md_review_store_open (path, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < acknowledged; i++)
        {
          g_autofree char *id = g_strdup_printf ("DC_INS_%05u", i);
          g_autofree char *got = md_review_store_get_text (review, "DC", id, MD_LANGUAGE_EN,
                                                           MD_FIELD_ANSWER, "old", NULL);
          g_autofree char *prefix = g_strdup_printf ("edit %u ", i);

          g_assert_true (g_str_has_prefix (got, prefix));
        }
      {
        g_autofree char *id = g_strdup_printf ("DC_INS_%05u", acknowledged);

        text = md_review_store_get_text (review, "DC", id, MD_LANGUAGE_EN, MD_FIELD_ANSWER,
                                         "old", NULL);
        g_assert_cmpstr (text, ==, "old");
        g_assert_cmpint (md_review_store_edit_text (review, "DC", id, MD_LANGUAGE_EN,
                                                    MD_FIELD_ANSWER, "old", "after", NULL,
                                                    MD_REVIEW_AUTHOR_PERSON, &error), >, 0);
        g_assert_no_error (error);
      }
      g_clear_object (&review);
      md_test_rm_rf (dir);
    }
}

/* A folder nobody may write to. As root, permissions do not stop writes; the immutable flag
 * does (where the file system has it). */
static void
test_read_only_folder (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mdfault-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "index.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MdStore) store = NULL;
  int flags = 0;
  int fd = -1;

  if (geteuid () == 0)
    {
      fd = g_open (dir, O_RDONLY | O_DIRECTORY, 0);
      if (fd < 0 || ioctl (fd, FS_IOC_GETFLAGS, &flags) != 0 ||
          (flags |= FS_IMMUTABLE_FL, ioctl (fd, FS_IOC_SETFLAGS, &flags)) != 0)
        {
          if (fd >= 0)
            close (fd);
          g_rmdir (dir);
          g_test_skip ("running as root on a file system without the immutable flag");
          return;
        }
    }
  else
    g_chmod (dir, 0555);

  store = md_store_open (db, &error);
  if (store != NULL)
    {
      /* Opening may be lazy: the first import must then fail clearly. */
      g_autofree char *shard = g_build_filename (g_getenv ("MD_SAMPLE_DIR"),
                                                 "TXT_instructions.json", NULL);
      const char *paths[] = { shard, NULL };

      g_assert_false (md_store_import (store, paths, NULL, NULL, NULL, NULL, &error));
    }
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (error->domain == MD_ERROR);
  g_assert_nonnull (strstr (error->message, dir));

  if (fd >= 0)
    {
      flags &= ~FS_IMMUTABLE_FL;
      ioctl (fd, FS_IOC_SETFLAGS, &flags);
      close (fd);
    }
  else
    g_chmod (dir, 0755);
  g_clear_object (&store);
  md_test_rm_rf (dir);
}

/* The index file deleted while the store is open: reads go on over the open handle. */
static void
test_index_deleted (void)
{
  MdTestDir t;
  g_autofree char *shard = g_build_filename (g_getenv ("MD_SAMPLE_DIR"), "TXT_instructions.json",
                                             NULL);
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(MdQuery) query = md_query_new ();
  gboolean ok;

  md_test_dir_init (&t);
  report = md_test_import (&t, &ok, &error, shard, NULL);
  g_assert_no_error (error);
  g_assert_true (ok);
  wal = g_strconcat (t.db_path, "-wal", NULL);
  shm = g_strconcat (t.db_path, "-shm", NULL);
  g_assert_cmpint (g_unlink (t.db_path), ==, 0);
  g_unlink (wal);
  g_unlink (shm);

  list = md_store_query (t.store, query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), >, 0);
  {
    g_autoptr(MdPair) row = g_list_model_get_item (list, 0);
    g_autoptr(MdPair) pair = md_store_get_pair (t.store, md_pair_get_id (row), &error);

    g_assert_no_error (error);
    g_assert_nonnull (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION));
  }
  /* An import now writes a new index file; whatever it says, it says it without crashing. */
  g_clear_object (&report);
  report = md_test_import (&t, &ok, &error, shard, NULL);
  g_test_message ("import after deletion: %s", error != NULL ? error->message : "ok");
  md_test_dir_clear (&t);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hardening/faults/disk-full-import", test_disk_full_import);
  g_test_add_func ("/hardening/faults/disk-full-review", test_disk_full_review);
  g_test_add_func ("/hardening/faults/read-only-folder", test_read_only_folder);
  g_test_add_func ("/hardening/faults/index-deleted", test_index_deleted);

  return g_test_run ();
}
