/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-team-sync"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "md-review-store.h"
#include "md-test-pg.h"
#include "md-test-team.h"

typedef struct
{
  MdTestPg *pg;
  char     *dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->pg = md_test_pg_start ();
  f->dir = g_dir_make_tmp ("team-sync-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  g_free (f->dir);
  md_test_pg_free (f->pg);
}

static char *
review_path (Fixture    *f,
             const char *name)
{
  g_autofree char *file = g_strconcat (name, ".review.sqlite", NULL);

  return g_build_filename (f->dir, file, NULL);
}

static char *
connect_reviewer (Fixture    *f,
                  const char *name)
{
  char *path = review_path (f, name);
  g_autofree char *out = NULL;

  g_assert_cmpint (md_test_cli (path, &out, "team", "connect", md_test_pg_conninfo (f->pg),
                                "--reviewer", name, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "connected"));
  return path;
}

static void
set_status (const char *review,
            const char *reviewer,
            const char *pair_id,
            const char *status)
{
  g_assert_cmpint (md_test_cli (review, NULL, "review", "set", pair_id, "--status", status,
                                "--reviewer", reviewer, NULL), ==, 0);
}

static void
sync_ok (const char *review)
{
  g_autoptr(cJSON) report = md_test_cli_json (review, "team", "sync", "--json", NULL);

  g_assert_nonnull (cJSON_GetObjectItem (report, "pushed"));
}

static char *
status_of (const char *review,
           const char *pair_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdReviewStore) store = md_review_store_open (review, &error);
  g_autoptr(MdReviewState) state = NULL;

  g_assert_no_error (error);
  state = md_review_store_get_state (store, "DC", pair_id, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (md_review_status_name (state->status));
}

static guint
log_length (const char *review)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdReviewStore) store = md_review_store_open (review, &error);
  g_autoptr(GPtrArray) log = NULL;

  g_assert_no_error (error);
  log = md_review_store_get_log (store, NULL, NULL, &error);
  g_assert_no_error (error);
  return log->len;
}

/* One reviewer's actions reach another's review file; pushing again adds nothing; the password
 * given on the command line is used but never written down. */
static void
test_sync_roundtrip (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *ana = NULL;
  g_autofree char *ben = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *count = NULL;
  g_autofree char *out = NULL;
  g_autofree char *ben_status = NULL;
  g_autoptr(cJSON) status = NULL;
  const char *passfile;

  if (f->pg == NULL)
    return;
  ana = review_path (f, "ana");
  /* Without PGPASSFILE the password must come inline, and stays out of the file. */
  passfile = g_getenv ("PGPASSFILE");
  g_assert_nonnull (passfile);
  {
    g_autofree char *saved = g_strdup (passfile);

    g_unsetenv ("PGPASSFILE");
    conninfo = g_strdup_printf ("%s password=team-test-password", md_test_pg_conninfo (f->pg));
    g_assert_cmpint (md_test_cli (ana, &out, "team", "connect", conninfo, "--reviewer", "ana",
                                  NULL), ==, 0);
    g_assert_true (g_file_get_contents (ana, &contents, NULL, NULL));
    g_assert_null (g_strstr_len (contents, -1, "team-test-password"));
    /* The next sync has no password source: it fails as "offline" and keeps the queue. */
    set_status (ana, "ana", "DC_INS_00001", "approved");
    g_assert_cmpint (md_test_cli (ana, NULL, "team", "sync", NULL), ==, 1);
    g_setenv ("PGPASSFILE", saved, TRUE);
  }
  status = md_test_cli_json (ana, "team", "status", "--json", NULL);
  g_assert_cmpint (cJSON_GetObjectItem (status, "queued")->valueint, ==, 1);
  g_assert_true (cJSON_IsTrue (cJSON_GetObjectItem (status, "online")));

  set_status (ana, "ana", "DC_INS_00002", "rejected");
  sync_ok (ana);
  ben = connect_reviewer (f, "ben");
  sync_ok (ben);
  ben_status = status_of (ben, "DC_INS_00002");
  g_assert_cmpstr (ben_status, ==, "rejected");
  g_free (ben_status);
  ben_status = status_of (ben, "DC_INS_00001");
  g_assert_cmpstr (ben_status, ==, "approved");
  g_assert_cmpuint (log_length (ben), ==, 2);

  /* Pushing everything again (the acknowledgements were lost) changes nothing on the server. */
  {
    g_autofree char *forget = g_strdup_printf ("sqlite3 '%s' \"DELETE FROM team_entry; "
                                               "DELETE FROM team_state WHERE key = 'push_cursor'\"",
                                               ana);
    g_autoptr(cJSON) report = NULL;
    int wait_status = 0;

    g_assert_true (g_spawn_command_line_sync (forget, NULL, NULL, &wait_status, NULL));
    g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
    report = md_test_cli_json (ana, "team", "sync", "--json", NULL);
    g_assert_cmpint (cJSON_GetObjectItem (report, "pushed")->valueint, ==, 2);
  }
  count = md_test_pg_query (f->pg, "SELECT count(*) || ' ' || count(DISTINCT uid) FROM md_entry");
  g_assert_cmpstr (count, ==, "2 2\n");
  g_clear_pointer (&status, cJSON_Delete);
  status = md_test_cli_json (ben, "team", "status", "--json", NULL);
  g_assert_cmpint (cJSON_GetObjectItem (status, "queued")->valueint, ==, 0);
  g_assert_cmpint (cJSON_GetObjectItem (status, "pulled_seq")->valueint, ==,
                   cJSON_GetObjectItem (status, "server_seq")->valueint);
}

/* With the server down actions still succeed and queue; the queue drains after a restart. */
static void
test_sync_offline (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *ana = NULL;
  g_autofree char *ben = NULL;
  g_autofree char *script = NULL;
  g_autofree char *count = NULL;
  g_autofree char *state = NULL;
  g_autoptr(cJSON) report = NULL;
  g_autoptr(cJSON) status = NULL;

  if (f->pg == NULL)
    return;
  ana = connect_reviewer (f, "ana");
  ben = connect_reviewer (f, "ben");
  md_test_pg_stop (f->pg);

  script = g_build_filename (f->dir, "script.txt", NULL);
  g_assert_true (g_file_set_contents (script,
    "set\tDC_INS_00001\tapproved\n"
    "set\tDC_INS_00002\tflagged\tzh\n"
    "edit\tDC_INS_00003\ten\tanswer\tA better answer.\n"
    "set\tDC_INS_00004\trejected\n"
    "undo\n", -1, NULL));
  report = md_test_cli_json (ana, "team", "run", script, "--reviewer", "ana", NULL);
  g_assert_cmpint (cJSON_GetObjectItem (report, "actions")->valueint, ==, 5);
  g_assert_cmpint (cJSON_GetObjectItem (report, "syncs")->valueint, ==, 0);
  g_assert_cmpint (cJSON_GetObjectItem (report, "failed_syncs")->valueint, ==, 5);
  g_assert_cmpint (cJSON_GetObjectItem (report, "queued")->valueint, ==, 5);
  status = md_test_cli_json (ana, "team", "status", "--json", NULL);
  g_assert_false (cJSON_IsTrue (cJSON_GetObjectItem (status, "online")));

  md_test_pg_restart (f->pg);
  sync_ok (ana);
  count = md_test_pg_query (f->pg, "SELECT count(*) FROM md_entry");
  g_assert_cmpstr (count, ==, "5\n");
  sync_ok (ben);
  state = status_of (ben, "DC_INS_00004");
  g_assert_cmpstr (state, ==, "unreviewed");
  g_free (state);
  state = status_of (ben, "DC_INS_00001");
  g_assert_cmpstr (state, ==, "approved");
  g_assert_cmpuint (log_length (ben), ==, 5);
}

/* Two reviewers change one status without seeing each other's change: both entries stay in
 * every history, both files end on the same value, and the conflict is listed once. */
static void
test_sync_conflict (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *ana = NULL;
  g_autofree char *ben = NULL;
  g_autofree char *a_state = NULL;
  g_autofree char *b_state = NULL;
  g_autoptr(cJSON) conflicts = NULL;
  cJSON *c;

  if (f->pg == NULL)
    return;
  ana = connect_reviewer (f, "ana");
  ben = connect_reviewer (f, "ben");
  set_status (ana, "ana", "DC_INS_00007", "approved");
  set_status (ben, "ben", "DC_INS_00007", "rejected");
  sync_ok (ben);
  sync_ok (ana);
  sync_ok (ben);
  /* A change made after seeing the other's is no conflict. */
  set_status (ana, "ana", "DC_INS_00008", "approved");
  sync_ok (ana);
  sync_ok (ben);
  set_status (ben, "ben", "DC_INS_00008", "flagged");
  sync_ok (ben);
  sync_ok (ana);

  a_state = status_of (ana, "DC_INS_00007");
  b_state = status_of (ben, "DC_INS_00007");
  g_assert_cmpstr (a_state, ==, b_state);
  g_free (a_state);
  a_state = status_of (ana, "DC_INS_00008");
  g_assert_cmpstr (a_state, ==, "flagged");
  g_assert_cmpuint (log_length (ana), ==, 4);
  g_assert_cmpuint (log_length (ben), ==, 4);

  conflicts = md_test_cli_json (ana, "team", "conflicts", "--json", NULL);
  g_assert_cmpint (cJSON_GetArraySize (conflicts), ==, 1);
  c = cJSON_GetArrayItem (conflicts, 0);
  g_assert_cmpstr (cJSON_GetObjectItem (c, "id")->valuestring, ==, "DC_INS_00007");
  g_assert_cmpstr (cJSON_GetObjectItem (c, "field")->valuestring, ==, "status");
  g_assert_cmpstr (cJSON_GetObjectItem (c, "first_author")->valuestring, ==, "ben");
  g_assert_cmpstr (cJSON_GetObjectItem (c, "first_value")->valuestring, ==, "rejected");
  g_assert_cmpstr (cJSON_GetObjectItem (c, "second_author")->valuestring, ==, "ana");
  g_assert_cmpstr (cJSON_GetObjectItem (c, "second_value")->valuestring, ==, "approved");
  g_assert_cmpstr (cJSON_GetObjectItem (c, "current_value")->valuestring, ==, b_state);
}

static char *
next_unit (const char *review,
           const char *reviewer,
           const char *extra)
{
  g_autoptr(cJSON) next = md_test_cli_json (review, "team", "next", "split", "--json",
                                            "--reviewer", reviewer, extra, NULL);

  if (cJSON_IsTrue (cJSON_GetObjectItem (next, "done")))
    return NULL;
  return g_strdup (cJSON_GetObjectItem (next, "id")->valuestring);
}

/* A lead splits 20 pairs among three reviewers with a quarter overlapping; each walks their own
 * part; a claim left to expire passes to a reviewer who has finished. */
static void
test_assignment (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *ana = NULL;
  g_autofree char *ben = NULL;
  g_autofree char *cy = NULL;
  g_autofree char *ids = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *ben_rows = NULL;
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *abandoned = NULL;
  g_autofree char *taken = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *query = NULL;
  g_autoptr(GString) list = g_string_new (NULL);
  g_autoptr(GHashTable) walked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_ben;

  if (f->pg == NULL)
    return;
  ana = connect_reviewer (f, "ana");
  ben = connect_reviewer (f, "ben");
  cy = connect_reviewer (f, "cy");
  for (guint i = 1; i <= 20; i++)
    g_string_append_printf (list, "DC_INS_%05u\n", i);
  ids = g_build_filename (f->dir, "ids.txt", NULL);
  g_assert_true (g_file_set_contents (ids, list->str, -1, NULL));
  g_assert_cmpint (md_test_cli (ana, NULL, "team", "assign", "split", "--ids", ids,
                                "--to", "ana,ben,cy", "--overlap", "0.25", "--seed", "7", NULL),
                   ==, 0);
  /* A name is given once. */
  g_assert_cmpint (md_test_cli (ana, NULL, "team", "assign", "split", "--ids", ids,
                                "--to", "ana", NULL), ==, 1);
  rows = md_test_pg_query (f->pg, "SELECT count(*) || ' ' || count(DISTINCT pair_id) || ' ' ||"
                                  " (SELECT count(*) FROM (SELECT pair_id FROM md_assignment"
                                  "   GROUP BY pair_id HAVING count(DISTINCT reviewer) = 2) t)"
                                  " FROM md_assignment WHERE name = 'split'");
  g_assert_cmpstr (rows, ==, "25 20 5\n");
  ben_rows = md_test_pg_query (f->pg, "SELECT count(*) FROM md_assignment WHERE reviewer = 'ben'");
  n_ben = (guint) g_ascii_strtoull (ben_rows, NULL, 10);
  g_assert_cmpuint (n_ben, >=, 7);

  /* Next is stable until the unit gets a status. */
  first = next_unit (ben, "ben", NULL);
  again = next_unit (ben, "ben", NULL);
  g_assert_nonnull (first);
  g_assert_cmpstr (first, ==, again);
  for (char *unit = g_steal_pointer (&first); unit != NULL; unit = next_unit (ben, "ben", NULL))
    {
      g_assert_false (g_hash_table_contains (walked, unit));
      set_status (ben, "ben", unit, "approved");
      g_hash_table_add (walked, unit);
    }
  g_assert_cmpuint (g_hash_table_size (walked), ==, n_ben);

  /* cy claims a unit for no time and leaves it; ben, done, takes it over (not one ben has
   * judged already: a second rating must come from someone else). */
  for (abandoned = next_unit (cy, "cy", "--ttl=0");
       abandoned != NULL && g_hash_table_contains (walked, abandoned);
       abandoned = next_unit (cy, "cy", "--ttl=0"))
    {
      set_status (cy, "cy", abandoned, "rejected");
      g_free (abandoned);
    }
  g_assert_nonnull (abandoned);
  g_usleep (20000);
  taken = next_unit (ben, "ben", "--take-abandoned");
  g_assert_cmpstr (taken, ==, abandoned);
  query = g_strdup_printf ("SELECT reviewer FROM md_assignment WHERE pair_id = '%s'"
                           " AND claimed_by IS NOT NULL", taken);
  owner = md_test_pg_query (f->pg, query);
  g_assert_cmpstr (owner, ==, "ben\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/team/sync/roundtrip", Fixture, NULL, fixture_set_up, test_sync_roundtrip,
              fixture_tear_down);
  g_test_add ("/team/sync/offline", Fixture, NULL, fixture_set_up, test_sync_offline,
              fixture_tear_down);
  g_test_add ("/team/sync/conflict", Fixture, NULL, fixture_set_up, test_sync_conflict,
              fixture_tear_down);
  g_test_add ("/team/assignment", Fixture, NULL, fixture_set_up, test_assignment,
              fixture_tear_down);
  return g_test_run ();
}
