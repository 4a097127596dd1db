/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "md-review-store.h"

/* The child: edits as fast as it can and acknowledges each committed action by writing its id
 * to the pipe. It never returns; the parent kills it. */
static void G_GNUC_NORETURN
run_child (const char *path,
           int         ack_fd)
{
  g_autoptr(GError) error = NULL;
  MdReviewStore *store = md_review_store_open (path, &error);

  if (store == NULL)
    _exit (3);
  md_review_store_set_reviewer (store, "child");
  for (guint i = 0; ; i++)
    {
      g_autofree char *pair_id = g_strdup_printf ("DC_INS_%05u", i % 50);
      g_autofree char *text = g_strdup_printf ("revision %u of the answer", i);
      gint64 action;

      if (i % 3 == 0)
        action = md_review_store_set_status (store, "DC", pair_id, NULL,
                                             i % 2 ? MD_REVIEW_STATUS_FLAGGED
                                                   : MD_REVIEW_STATUS_APPROVED,
                                             NULL, text, &error);
      else if (i % 7 == 0)
        action = md_review_store_undo (store, NULL, NULL, &error);
      else
        action = md_review_store_edit_text (store, "DC", pair_id, MD_LANGUAGE_EN, MD_FIELD_ANSWER,
                                            NULL, text, NULL, MD_REVIEW_AUTHOR_PERSON, &error);
      if (action < 0)
        _exit (4);
      if (action > 0 && write (ack_fd, &action, sizeof action) != sizeof action)
        _exit (5);
    }
}

static void
test_kill (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("md-review-kill-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "review.sqlite", NULL);
  g_autoptr(GArray) acked = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(MdReviewStore) store = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GHashTable) actions = g_hash_table_new (g_int64_hash, g_int64_equal);
  int fds[2];
  pid_t pid;
  int status = 0;
  gint64 action;
  ssize_t n;

  g_assert_no_error (error);
  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (fds[0]);
      run_child (path, fds[1]);
    }
  close (fds[1]);

  /* Kill it in the middle of the burst, after enough acknowledged actions. */
  while (acked->len < 150 && (n = read (fds[0], &action, sizeof action)) == sizeof action)
    g_array_append_val (acked, action);
  g_assert_cmpuint (acked->len, ==, 150);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
  /* Acknowledgements written before the kill are still in the pipe. */
  while ((n = read (fds[0], &action, sizeof action)) == sizeof action)
    g_array_append_val (acked, action);
  close (fds[0]);
  g_test_message ("%u actions acknowledged before SIGKILL", acked->len);

  store = md_review_store_open (path, &error);
  g_assert_no_error (error);
  /* integrity_check, and the derived tables equal a replay of the log. */
  g_assert_true (md_review_store_verify (store, &error));
  g_assert_no_error (error);

  log = md_review_store_get_log (store, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < log->len; i++)
    {
      MdReviewEntry *entry = log->pdata[i];
      g_hash_table_add (actions, &entry->action);
      if (i > 0)
        g_assert_cmpint (entry->seq, >, ((MdReviewEntry *) log->pdata[i - 1])->seq);
    }
  for (guint i = 0; i < acked->len; i++)
    {
      gint64 id = g_array_index (acked, gint64, i);

      if (!g_hash_table_contains (actions, &id))
        g_error ("acknowledged action %" G_GINT64_FORMAT " is missing after the kill", id);
    }

  /* The file is still usable: undo works and verify still holds. */
  g_assert_cmpint (md_review_store_undo (store, NULL, NULL, &error), >=, 0);
  g_assert_true (md_review_store_verify (store, &error));
  g_clear_object (&store);

  {
    g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);
        g_remove (file);
      }
    g_rmdir (dir);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/review/durability/kill", test_kill);

  return g_test_run ();
}
