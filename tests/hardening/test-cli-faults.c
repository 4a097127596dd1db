/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "md-review-store.h"

/* The fault-injection suite: mimicdesk-cli, run as the user runs it, against faults from the
 * world (SIGKILL at any moment, a full disk, two writers at once). Every action the CLI
 * acknowledged ("action N: …" on stdout, exit 0) must be in the review file afterwards, and the
 * file must verify. The last test prints the totals: runs, faults, actions acknowledged, actions
 * lost (must be 0).
 *
 * Adding a case: write a function that runs the CLI through run_cli()/spawn_cli() and calls
 * count_acknowledged() on its output, then check_present() on the review file, and register it
 * with add_case() in main(). Hostile-server cases for Syphus fit the same frame. */

typedef struct
{
  guint runs;
  guint faults;
  guint acknowledged;
  guint lost;
} Totals;

static Totals totals;
static char *tmp_dir;

typedef struct
{
  rlim_t file_size;   /* 0: no limit */
} ChildLimits;

static void
child_setup (gpointer user_data)
{
  const ChildLimits *limits = user_data;

  if (limits != NULL && limits->file_size > 0)
    {
      struct rlimit limit = { limits->file_size, limits->file_size };

      /* Writes past the limit fail with EFBIG instead of killing the process: a full disk. */
      signal (SIGXFSZ, SIG_IGN);
      setrlimit (RLIMIT_FSIZE, &limit);
    }
}

static char **
cli_environment (void)
{
  char **envp = g_get_environ ();

  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  /* No default index: the review file is named, the user's cache is never consulted. */
  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", tmp_dir, TRUE);
  return g_environ_unsetenv (envp, "DISPLAY");
}

static GPtrArray *
cli_argv (const char *review_path,
          const char *reviewer,
          guint       i,
          const char *text)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_strdup (g_getenv ("MD_CLI")));
  g_ptr_array_add (argv, g_strdup ("review"));
  if (i % 4 == 3)
    {
      g_ptr_array_add (argv, g_strdup ("set"));
      g_ptr_array_add (argv, g_strdup_printf ("DC_INS_%05u", i % 7));
      g_ptr_array_add (argv, g_strdup ("--status"));
      g_ptr_array_add (argv, g_strdup (i % 8 == 3 ? "flagged" : "approved"));
      g_ptr_array_add (argv, g_strdup ("--note"));
      g_ptr_array_add (argv, g_strdup_printf ("note %u by %s", i, reviewer));
    }
  else
    {
      g_ptr_array_add (argv, g_strdup ("edit"));
      g_ptr_array_add (argv, g_strdup_printf ("DC_INS_%05u", i % 7));
      g_ptr_array_add (argv, g_strdup ("--lang"));
      g_ptr_array_add (argv, g_strdup ("en"));
      g_ptr_array_add (argv, g_strdup ("--field"));
      g_ptr_array_add (argv, g_strdup ("answer"));
      g_ptr_array_add (argv, g_strdup ("--text"));
      g_ptr_array_add (argv, g_strdup_printf ("revision %u by %s %s", i, reviewer,
                                              text != NULL ? text : ""));
    }
  g_ptr_array_add (argv, g_strdup ("--reviewer"));
  g_ptr_array_add (argv, g_strdup (reviewer));
  g_ptr_array_add (argv, g_strdup ("--review"));
  g_ptr_array_add (argv, g_strdup (review_path));
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* Adds the action ids acknowledged in @out ("action N: …" lines) to @acked. */
static void
count_acknowledged (const char *out,
                    GArray     *acked)
{
  g_auto(GStrv) lines = g_strsplit (out != NULL ? out : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      gint64 id;

      if (g_str_has_prefix (lines[i], "action ") &&
          (id = g_ascii_strtoll (lines[i] + 7, NULL, 10)) > 0 && strchr (lines[i], ':') != NULL)
        g_array_append_val (acked, id);
    }
}

/* Runs one CLI action to its end; returns its exit status. */
static int
run_cli (GPtrArray         *argv,
         const ChildLimits *limits,
         char             **out_stdout,
         char             **out_stderr)
{
  g_auto(GStrv) envp = cli_environment ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, child_setup,
                (gpointer) limits, out_stdout, out_stderr, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* Every acknowledged action is in the file, and the file verifies. Returns the number lost. */
static guint
check_present (const char *review_path,
               GArray     *acked)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdReviewStore) store = md_review_store_open (review_path, &error);
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GHashTable) actions = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint lost = 0;

  g_assert_no_error (error);
  g_assert_true (md_review_store_verify (store, &error));
  g_assert_no_error (error);
  log = md_review_store_get_log (store, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < log->len; i++)
    g_hash_table_add (actions, &((MdReviewEntry *) log->pdata[i])->action);
  for (guint i = 0; i < acked->len; i++)
    {
      gint64 id = g_array_index (acked, gint64, i);

      if (!g_hash_table_contains (actions, &id))
        {
          g_test_message ("acknowledged action %" G_GINT64_FORMAT " is missing", id);
          lost++;
        }
    }
  totals.runs++;
  totals.acknowledged += acked->len;
  totals.lost += lost;
  return lost;
}

static char *
case_path (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".review.sqlite", NULL);

  return g_build_filename (tmp_dir, file, NULL);
}

/* SIGKILL at a random moment of each of many CLI actions. */
static void
test_kill (void)
{
  g_autofree char *path = case_path ("kill");
  g_autoptr(GArray) acked = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) envp = cli_environment ();
  guint killed = 0;

  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(GPtrArray) argv = cli_argv (path, "kim", i, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) out = g_string_new (NULL);
      GPid pid;
      int out_fd, status;
      char buffer[256];
      ssize_t n;

      g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv->pdata, envp,
                                               G_SPAWN_DO_NOT_REAP_CHILD |
                                               G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid,
                                               NULL, &out_fd, NULL, &error));
      g_assert_no_error (error);
      /* Somewhere between before the open and after the commit (a run takes 20-200 ms). */
      g_usleep (g_random_int_range (0, 150000));
      kill (pid, SIGKILL);
      while ((n = read (out_fd, buffer, sizeof buffer)) > 0)
        g_string_append_len (out, buffer, n);
      close (out_fd);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_spawn_close_pid (pid);
      if (WIFSIGNALED (status))
        killed++;
      count_acknowledged (out->str, acked);
    }
  totals.faults += killed;
  g_test_message ("kill: %u CLI runs killed, %u actions acknowledged", killed, acked->len);
  g_assert_cmpuint (check_present (path, acked), ==, 0);
}

/* A disk that fills up: each action is refused with a message that says so once the file
 * cannot grow, and nothing acknowledged before is lost. */
static void
test_full_disk (void)
{
  g_autofree char *path = case_path ("full");
  g_autoptr(GArray) acked = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *filler = g_strnfill (16 * 1024, 'x');
  ChildLimits limits = { 512 * 1024 };
  guint refused = 0;

  for (guint i = 0; i < 80 && refused < 3; i++)
    {
      g_autoptr(GPtrArray) argv = cli_argv (path, "fay", i, filler);
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = run_cli (argv, &limits, &out, &err);

      count_acknowledged (out, acked);
      if (status != 0)
        {
          refused++;
          if (strstr (err, "disk is full") == NULL)
            g_error ("a refused write must say the disk is full: %s", err);
        }
    }
  g_assert_cmpuint (refused, >, 0);
  totals.faults += refused;
  g_test_message ("full disk: %u actions refused, %u acknowledged", refused, acked->len);
  g_assert_cmpuint (check_present (path, acked), ==, 0);
}

typedef struct
{
  const char *path;
  const char *reviewer;
  GArray     *acked;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GPtrArray) argv = cli_argv (writer->path, writer->reviewer, i, NULL);
      g_autofree char *out = NULL;

      if (run_cli (argv, NULL, &out, NULL) == 0)
        count_acknowledged (out, writer->acked);
    }
  return NULL;
}

/* Two reviewers writing the same file at once, on the same pairs. */
static void
test_two_writers (void)
{
  g_autofree char *path = case_path ("two");
  g_autoptr(GArray) acked = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) ann = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) bob = g_array_new (FALSE, FALSE, sizeof (gint64));
  Writer a = { path, "ann", ann }, b = { path, "bob", bob };
  GThread *ta = g_thread_new ("ann", writer_thread, &a);
  GThread *tb = g_thread_new ("bob", writer_thread, &b);

  g_thread_join (ta);
  g_thread_join (tb);
  g_array_append_vals (acked, ann->data, ann->len);
  g_array_append_vals (acked, bob->data, bob->len);
  /* Every action of both: none waited out, none refused. */
  g_assert_cmpuint (acked->len, ==, 40);
  totals.faults++;
  g_test_message ("two writers: %u actions acknowledged", acked->len);
  g_assert_cmpuint (check_present (path, acked), ==, 0);
}

static void
test_totals (void)
{
  g_autofree char *line = g_strdup_printf ("fault suite totals: runs %u, faults %u, actions "
                                           "acknowledged %u, actions lost %u",
                                           totals.runs, totals.faults, totals.acknowledged,
                                           totals.lost);

  g_test_message ("%s", line);
  g_assert_cmpuint (totals.lost, ==, 0);
}

static void
add_case (const char *path,
          GTestFunc   func)
{
  g_test_add_func (path, func);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("md-cli-faults-XXXXXX", &error);
  g_assert_no_error (error);

  add_case ("/faults/cli/kill", test_kill);
  add_case ("/faults/cli/full-disk", test_full_disk);
  add_case ("/faults/cli/two-writers", test_two_writers);
  /* Last: the totals of every case above. */
  add_case ("/faults/cli/totals", test_totals);

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
