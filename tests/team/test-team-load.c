/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-team-load"

#include "config.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "md-review-store.h"
#include "md-test-pg.h"
#include "md-test-team.h"

/* The done-when test of team review: five reviewer processes (the CLI) doing 2,000 actions each
 * against one server, the server stopped and restarted in the middle, one reviewer offline for
 * the first half of its work. At the end every entry is on the server exactly once and in every
 * review file, every file shows the same state as the server, and every conflict (changes of one
 * field made without seeing each other's) is listed. Under the sanitizers the action count is
 * divided by MD_TEST_TIMEOUT_SCALE. */

#define N_REVIEWERS 5
#define N_PAIRS 300
#define OFFLINE_REVIEWER 4

typedef struct
{
  char  *name;
  char  *review;
  char  *script[2];    /* the offline reviewer runs two: offline, then online */
  char  *out[2];
  GPid   pid;
  guint  phase;
  gboolean done;
} Reviewer;

static const char * const statuses[] = { "approved", "flagged", "rejected", "fixed" };

static char *
make_script (const char *dir,
             const char *name,
             guint       part,
             guint       seed,
             guint       first,
             guint       n_actions)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GString) script = g_string_new (NULL);
  g_autofree char *file = g_strdup_printf ("%s-%u.script", name, part);
  char *path = g_build_filename (dir, file, NULL);

  for (guint i = 0; i < n_actions; i++)
    {
      guint pair = g_rand_int_range (rand, 1, N_PAIRS + 1);
      guint kind = g_rand_int_range (rand, 0, 100);
      const char *status = statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))];

      if (kind < 75)
        g_string_append_printf (script, "set\tDC_INS_%05u\t%s\n", pair, status);
      else if (kind < 87)
        g_string_append_printf (script, "set\tDC_INS_%05u\t%s\tzh\n", pair, status);
      else if (kind < 98)
        g_string_append_printf (script, "edit\tDC_INS_%05u\ten\tanswer\tAnswer by %s, %u.\n",
                                pair, name, first + i);
      else
        g_string_append (script, "undo\n");
    }
  g_assert_true (g_file_set_contents (path, script->str, -1, NULL));
  return path;
}

static void
spawn_run (Reviewer *r,
           gboolean  offline,
           guint     sync_every)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *every = g_strdup_printf ("--sync-every=%u", sync_every);
  g_autofree char *err_path = g_strconcat (r->out[r->phase], ".err", NULL);
  const char *argv[] = { g_getenv ("MD_CLI"), "team", "run", r->script[r->phase], "--review",
                         r->review, "--reviewer", r->name, offline ? "--offline" : every, NULL };
  int out_fd = open (r->out[r->phase], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err_fd = open (err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

  g_assert_cmpint (out_fd, >=, 0);
  g_assert_cmpint (err_fd, >=, 0);
  g_spawn_async_with_fds (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                          &r->pid, -1, out_fd, err_fd, &error);
  g_assert_no_error (error);
  close (out_fd);
  close (err_fd);
}

static cJSON *
read_report (const char *path)
{
  g_autofree char *contents = NULL;
  cJSON *root;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  root = cJSON_Parse (contents);
  if (root == NULL)
    g_error ("%s: not a report: %s", path, contents);
  return root;
}

static gint64
server_count (MdTestPg *pg)
{
  g_autofree char *out = md_test_pg_query (pg, "SELECT count(*) FROM md_entry");

  return g_ascii_strtoll (out, NULL, 10);
}

/* One SQLite value of @review, as text. */
static char *
dump (const char *review,
      const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text;

  g_assert_cmpint (sqlite3_open_v2 (review, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text != NULL ? text : g_strdup ("");
}

#define STATE_SQL \
  "SELECT group_concat(k, char(10)) FROM (SELECT dataset || ' ' || pair_id || ' ' || lang ||" \
  " ' ' || status || ' ' || COALESCE(note, '-') AS k FROM pair_status" \
  " WHERE status <> 'unreviewed' ORDER BY k)"
#define TEXT_SQL \
  "SELECT group_concat(k, char(10)) FROM (SELECT dataset || ' ' || pair_id || ' ' || lang ||" \
  " ' ' || field || ' ' || text AS k FROM pair_text ORDER BY k)"
#define UIDS_SQL \
  "SELECT count(*) || ' ' || group_concat(uid, char(10)) FROM (SELECT uid FROM review_log" \
  " ORDER BY uid)"

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(char **) a, *(char **) b);
}

/* Conflicts recomputed from the server's raw entries, as "first_uid second_uid" lines. */
static char *
expected_conflicts (MdTestPg *pg)
{
  g_autofree char *rows = md_test_pg_query (pg,
    "SELECT e.seq, e.uid, a.replica, a.kind, e.dataset || '|' || e.pair_id || '|' || e.lang ||"
    " '|' || e.field, COALESCE(e.new_value, '<null>'), e.base_seq"
    " FROM md_entry e JOIN md_action a ON a.id = e.action_id ORDER BY e.seq");
  g_auto(GStrv) lines = g_strsplit (rows, "\n", -1);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  guint n = g_strv_length (lines);
  g_autofree char **fields = g_new0 (char *, n * 7 + 1);

  for (guint i = 0; i < n; i++)
    {
      g_auto(GStrv) parts = g_strsplit (lines[i], "|", -1);

      if (*lines[i] == '\0')
        continue;
      /* psql separates columns with "|" as the key does: rebuild the 7 columns. */
      g_assert_cmpuint (g_strv_length (parts), ==, 10);
      for (guint c = 0; c < 4; c++)
        fields[i * 7 + c] = g_strdup (parts[c]);
      fields[i * 7 + 4] = g_strjoin ("|", parts[4], parts[5], parts[6], parts[7], NULL);
      fields[i * 7 + 5] = g_strdup (parts[8]);
      fields[i * 7 + 6] = g_strdup (parts[9]);
    }
  for (guint b = 0; b < n; b++)
    {
      if (fields[b * 7] == NULL)
        continue;
      for (guint a = 0; a < b; a++)
        {
          gint64 a_seq = g_ascii_strtoll (fields[a * 7], NULL, 10);
          gint64 b_base = g_ascii_strtoll (fields[b * 7 + 6], NULL, 10);

          if (fields[a * 7] == NULL || strcmp (fields[a * 7 + 4], fields[b * 7 + 4]) != 0 ||
              strcmp (fields[a * 7 + 2], fields[b * 7 + 2]) == 0 ||
              strcmp (fields[a * 7 + 3], "import") == 0 ||
              strcmp (fields[b * 7 + 3], "import") == 0 ||
              strcmp (fields[a * 7 + 5], fields[b * 7 + 5]) == 0 || b_base >= a_seq)
            continue;
          g_ptr_array_add (found, g_strdup_printf ("%s %s", fields[a * 7 + 1], fields[b * 7 + 1]));
        }
    }
  for (guint i = 0; i < n * 7; i++)
    g_free (fields[i]);
  g_ptr_array_sort (found, compare_strings);
  for (guint i = 0; i < found->len; i++)
    g_string_append_printf (out, "%s\n", (char *) found->pdata[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
listed_conflicts (const char *review)
{
  g_autoptr(cJSON) list = md_test_cli_json (review, "team", "conflicts", "--json", NULL);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  cJSON *item;

  cJSON_ArrayForEach (item, list)
    g_ptr_array_add (found, g_strdup_printf ("%s %s",
                                             cJSON_GetObjectItem (item, "first_uid")->valuestring,
                                             cJSON_GetObjectItem (item, "second_uid")->valuestring));
  g_ptr_array_sort (found, compare_strings);
  for (guint i = 0; i < found->len; i++)
    g_string_append_printf (out, "%s\n", (char *) found->pdata[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_team_load (void)
{
  g_autoptr(MdTestPg) pg = md_test_pg_start ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *server_uids = NULL;
  g_autofree char *server_state = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *listed = NULL;
  Reviewer reviewers[N_REVIEWERS] = { 0 };
  guint n_actions = 2000 / md_test_timeout_scale ();
  guint n_running = N_REVIEWERS, n_failed_syncs = 0;
  gboolean restarted = FALSE;
  gint64 restart_at = (gint64) n_actions * N_REVIEWERS / 4;
  gint64 total_actions = 0;

  if (pg == NULL)
    return;
  dir = g_dir_make_tmp ("team-load-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_REVIEWERS; i++)
    {
      Reviewer *r = &reviewers[i];
      g_autofree char *file = NULL;
      g_autofree char *out = NULL;

      r->name = g_strdup_printf ("r%u", i + 1);
      file = g_strconcat (r->name, ".review.sqlite", NULL);
      r->review = g_build_filename (dir, file, NULL);
      for (guint part = 0; part < 2; part++)
        {
          g_autofree char *out_file = g_strdup_printf ("%s-%u.json", r->name, part);

          r->out[part] = g_build_filename (dir, out_file, NULL);
        }
      if (i == OFFLINE_REVIEWER)
        {
          r->script[0] = make_script (dir, r->name, 0, 100 + i, 0, n_actions / 2);
          r->script[1] = make_script (dir, r->name, 1, 200 + i, n_actions / 2,
                                      n_actions - n_actions / 2);
        }
      else
        r->script[0] = make_script (dir, r->name, 0, 100 + i, 0, n_actions);
      g_assert_cmpint (md_test_cli (r->review, &out, "team", "connect",
                                    md_test_pg_conninfo (pg), "--reviewer", r->name, NULL), ==, 0);
    }

  for (guint i = 0; i < N_REVIEWERS; i++)
    spawn_run (&reviewers[i], i == OFFLINE_REVIEWER, 10);

  /* Stop the server once a quarter of the work has reached it, restart it two seconds later;
   * the offline reviewer goes online when its first half is done. */
  while (n_running > 0)
    {
      g_usleep (100 * 1000);
      if (!restarted && server_count (pg) >= restart_at)
        {
          g_test_message ("stopping the server at %" G_GINT64_FORMAT " entries",
                          server_count (pg));
          md_test_pg_stop (pg);
          g_usleep (2 * G_USEC_PER_SEC);
          md_test_pg_restart (pg);
          restarted = TRUE;
          for (guint i = 0; i < N_REVIEWERS; i++)
            if (i != OFFLINE_REVIEWER || reviewers[i].phase == 0)
              g_assert_false (reviewers[i].done);
        }
      for (guint i = 0; i < N_REVIEWERS; i++)
        {
          Reviewer *r = &reviewers[i];
          int status = 0;

          if (r->done || waitpid (r->pid, &status, WNOHANG) != r->pid)
            continue;
          g_spawn_close_pid (r->pid);
          g_assert_true (WIFEXITED (status));
          g_assert_cmpint (WEXITSTATUS (status), ==, 0);
          if (i == OFFLINE_REVIEWER && r->phase == 0)
            {
              g_autoptr(cJSON) report = read_report (r->out[0]);

              /* Offline: everything it did is queued, nothing synced. */
              g_assert_cmpint (cJSON_GetObjectItem (report, "syncs")->valueint, ==, 0);
              g_assert_cmpint (cJSON_GetObjectItem (report, "queued")->valueint, >, 0);
              r->phase = 1;
              spawn_run (r, FALSE, 10);
              continue;
            }
          r->done = TRUE;
          n_running--;
        }
    }
  g_assert_true (restarted);

  for (guint i = 0; i < N_REVIEWERS; i++)
    for (guint part = 0; part <= reviewers[i].phase; part++)
      {
        g_autoptr(cJSON) report = read_report (reviewers[i].out[part]);

        g_assert_cmpint (cJSON_GetObjectItem (report, "failed_lines")->valueint, ==, 0);
        total_actions += cJSON_GetObjectItem (report, "actions")->valueint +
                         cJSON_GetObjectItem (report, "refused_undos")->valueint;
        n_failed_syncs += cJSON_GetObjectItem (report, "failed_syncs")->valueint;
      }
  g_assert_cmpint (total_actions, ==, (gint64) n_actions * N_REVIEWERS);
  /* The restart cut some syncs; those reviewers caught up by themselves. */
  g_assert_cmpuint (n_failed_syncs, >, 0);

  /* Two rounds: the first pushes what is left, the second pulls everyone's. */
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < N_REVIEWERS; i++)
      {
        g_autoptr(cJSON) report = md_test_cli_json (reviewers[i].review, "team", "sync", "--json",
                                                    NULL);

        if (round == 1)
          g_assert_cmpint (cJSON_GetObjectItem (report, "pushed")->valueint, ==, 0);
      }

  server_uids = md_test_pg_query (pg, "SELECT count(*) || ' ' || string_agg(uid, E'\\n' ORDER BY"
                                      " uid COLLATE \"C\") FROM md_entry");
  g_strchomp (server_uids);
  {
    g_autofree char *distinct = md_test_pg_query (pg, "SELECT count(DISTINCT uid) = count(*)"
                                                      " FROM md_entry");

    g_assert_cmpstr (distinct, ==, "t\n");
  }
  server_state = md_test_pg_query (pg,
    "SELECT string_agg(k, E'\\n' ORDER BY k COLLATE \"C\") FROM (SELECT s.dataset || ' ' ||"
    " s.pair_id || ' ' || s.lang || ' ' || s.status || ' -' AS k FROM md_pair_status s"
    " WHERE s.status <> 'unreviewed') t");
  g_strchomp (server_state);
  for (guint i = 0; i < N_REVIEWERS; i++)
    {
      g_autofree char *uids = dump (reviewers[i].review, UIDS_SQL);
      g_autofree char *state = dump (reviewers[i].review, STATE_SQL);
      g_autofree char *texts = dump (reviewers[i].review, TEXT_SQL);
      g_autofree char *first_texts = dump (reviewers[0].review, TEXT_SQL);
      g_autoptr(MdReviewStore) store = md_review_store_open (reviewers[i].review, &error);

      g_assert_no_error (error);
      g_assert_true (md_review_store_verify (store, &error));
      g_assert_no_error (error);
      /* Every entry once, on the server and here; the same current values everywhere. */
      g_assert_cmpstr (uids, ==, server_uids);
      g_assert_cmpstr (state, ==, server_state);
      g_assert_cmpstr (texts, ==, first_texts);
    }

  expected = expected_conflicts (pg);
  listed = listed_conflicts (reviewers[0].review);
  g_assert_cmpuint (strlen (expected), >, 0);
  g_assert_cmpstr (listed, ==, expected);
  {
    guint n_conflicts = 0;

    for (const char *p = expected; *p != '\0'; p++)
      n_conflicts += *p == '\n';
    g_test_message ("%" G_GINT64_FORMAT " actions, %" G_GINT64_FORMAT " entries, %u conflicts, "
                    "%u failed syncs", total_actions, g_ascii_strtoll (server_uids, NULL, 10),
                    n_conflicts, n_failed_syncs);
  }

  for (guint i = 0; i < N_REVIEWERS; i++)
    {
      g_free (reviewers[i].name);
      g_free (reviewers[i].review);
      for (guint part = 0; part < 2; part++)
        {
          g_free (reviewers[i].script[part]);
          g_free (reviewers[i].out[part]);
        }
    }
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/team/load/five-reviewers", test_team_load);
  return g_test_run ();
}
