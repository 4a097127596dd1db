/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-team"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "md-review-merge.h"
#include "md-team.h"
#include "md-test-pg.h"

/* Team review at a realistic pace against a throwaway PostgreSQL server: N reviewers (threads,
 * each with its own review file and connection) set a status every 2 s and sync after it; one
 * lead imports a bulk action over 100k pairs halfway through; an observer polls every 250 ms.
 * Printed: the p95 time from an action (its local write) to its arrival in the observer's review
 * file, against the local write itself (the inner call) as the side-by-side baseline; how long
 * the bulk action takes to reach the observer; and the server's CPU use and commits per second.
 *   ninja -C _build tests/bench/bench-team && _build/tests/bench/bench-team [SECONDS] [REVIEWERS]
 *   [BULK] */

#define N_PAIRS 100000
#define POLL_MS 250

typedef struct
{
  char          *dir;
  const char    *conninfo;
  guint          seconds;
  gint64         started;
  gint           stop;
  GMutex         lock;
  GArray        *write_us;      /* local action times (inner call) */
  GArray        *visible_us;    /* action → observer's file */
  guint          bulk;
  gint64         bulk_done;     /* µs, after the import (local) */
  gint64         bulk_import_us;
  gint64         bulk_push_us;
  gint64         bulk_visible;  /* µs when the observer had every bulk entry */
  guint          failed_syncs;
} Bench;

static MdReviewStore *
open_member (Bench      *bench,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strconcat (name, ".review.sqlite", NULL);
  g_autofree char *path = g_build_filename (bench->dir, file, NULL);
  g_autoptr(MdReviewStore) review = md_review_store_open (path, &error);
  g_autoptr(MdTeam) team = NULL;

  if (review == NULL)
    g_error ("%s", error->message);
  md_review_store_set_reviewer (review, name);
  team = md_team_new (review);
  if (!md_team_connect (team, bench->conninfo, name, &error))
    g_error ("%s", error->message);
  return g_steal_pointer (&review);
}

typedef struct
{
  Bench *bench;
  guint  index;
} Member;

static gpointer
reviewer_thread (gpointer data)
{
  Member *member = data;
  Bench *bench = member->bench;
  g_autofree char *name = g_strdup_printf ("r%02u", member->index);
  g_autoptr(MdReviewStore) review = open_member (bench, name);
  g_autoptr(MdTeam) team = md_team_new (review);
  g_autoptr(GRand) rand = g_rand_new_with_seed (member->index);
  /* Spread the reviewers over the 2 s period. */
  gint64 next = g_get_monotonic_time () + g_rand_int_range (rand, 0, 2 * G_USEC_PER_SEC);

  while (!g_atomic_int_get (&bench->stop))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *pair = g_strdup_printf ("DC_INS_%06u", g_rand_int_range (rand, 1, N_PAIRS));
      gint64 t0, elapsed;

      while (g_get_monotonic_time () < next && !g_atomic_int_get (&bench->stop))
        g_usleep (20000);
      if (g_atomic_int_get (&bench->stop))
        break;
      next += 2 * G_USEC_PER_SEC;
      t0 = g_get_monotonic_time ();
      if (md_review_store_set_status (review, "DC", pair, NULL,
                                      1 + g_rand_int_range (rand, 0, MD_REVIEW_N_STATUSES - 1),
                                      NULL, NULL, &error) < 0)
        g_error ("%s", error->message);
      elapsed = g_get_monotonic_time () - t0;
      g_mutex_lock (&bench->lock);
      g_array_append_val (bench->write_us, elapsed);
      g_mutex_unlock (&bench->lock);
      if (!md_team_sync (team, NULL, &error))
        g_atomic_int_inc (&bench->failed_syncs);
    }
  return NULL;
}

static gpointer
lead_thread (gpointer data)
{
  Bench *bench = data;
  g_autoptr(MdReviewStore) review = open_member (bench, "lead");
  g_autoptr(MdTeam) team = md_team_new (review);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MdReviewMergeReport) report = NULL;
  g_autofree char *path = g_build_filename (bench->dir, "bulk.jsonl", NULL);
  gint64 now, t0;

  while (g_get_monotonic_time () - bench->started < (gint64) bench->seconds * G_USEC_PER_SEC / 3)
    g_usleep (50000);
  now = g_get_real_time ();
  for (guint i = 1; i <= bench->bulk; i++)
    g_string_append_printf (log, "{\"uid\":\"lead/bulk-%u\",\"dataset\":\"DC\",\"id\":\"DC_INS_%06u\","
                            "\"lang\":\"\",\"field\":\"status\",\"old\":null,\"new\":\"approved\","
                            "\"author\":\"lead\",\"time\":%" G_GINT64_FORMAT "}\n", i,
                            i % N_PAIRS, now);
  g_assert_true (g_file_set_contents (path, log->str, log->len, NULL));
  t0 = g_get_monotonic_time ();
  report = md_review_store_import_log (review, path, &error);
  if (report == NULL)
    g_error ("%s", error->message);
  bench->bulk_import_us = g_get_monotonic_time () - t0;
  bench->bulk_done = g_get_real_time ();
  t0 = g_get_monotonic_time ();
  while (!md_team_sync (team, NULL, &error))
    {
      g_clear_error (&error);
      g_usleep (100000);
    }
  bench->bulk_push_us = g_get_monotonic_time () - t0;
  return NULL;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
percentile_ms (GArray *values,
               double  p)
{
  if (values->len == 0)
    return NAN;
  g_array_sort (values, compare_gint64);
  return g_array_index (values, gint64, MIN (values->len - 1, (guint) (p * values->len))) / 1000.0;
}

/* CPU seconds of the server: the postmaster and its children, from /proc. */
static double
server_cpu_seconds (MdTestPg *pg)
{
  g_autofree char *pidfile = g_build_filename (md_test_pg_dir (pg), "data", "postmaster.pid", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *entry;
  long ticks = sysconf (_SC_CLK_TCK);
  double total = 0;
  long master;

  if (!g_file_get_contents (pidfile, &contents, NULL, NULL))
    return NAN;
  master = strtol (contents, NULL, 10);
  while ((entry = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *stat_path = g_build_filename ("/proc", entry, "stat", NULL);
      g_autofree char *stat = NULL;
      const char *close_paren;
      long pid = strtol (entry, NULL, 10), ppid;
      unsigned long utime, stime;

      if (pid <= 0 || !g_file_get_contents (stat_path, &stat, NULL, NULL))
        continue;
      close_paren = strrchr (stat, ')');
      /* Fields after the command: state ppid pgrp session tty tpgid flags minflt cminflt majflt
       * cmajflt utime stime. */
      if (close_paren == NULL ||
          sscanf (close_paren + 2, "%*c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ppid,
                  &utime, &stime) != 3)
        continue;
      if (pid == master || ppid == master)
        total += (double) (utime + stime) / ticks;
    }
  return total;
}

static gint64
server_commits (MdTestPg *pg)
{
  g_autofree char *out = md_test_pg_query (pg, "SELECT xact_commit FROM pg_stat_database"
                                               " WHERE datname = current_database ()");

  return g_ascii_strtoll (out, NULL, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MdTestPg) pg = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdReviewStore) observer = NULL;
  g_autoptr(MdTeam) observer_team = NULL;
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autofree Member *members = NULL;
  g_autofree char *uptime_out = NULL;
  g_autofree char *observer_path = NULL;
  Bench bench = { 0 };
  guint n_reviewers = argc > 2 ? (guint) atoi (argv[2]) : 20;
  guint bulk_seen = 0;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 last_seq = 0, commits0, wall0;
  double cpu0, cpu1, wall;

  bench.seconds = argc > 1 ? (guint) atoi (argv[1]) : 60;
  bench.bulk = argc > 3 ? (guint) atoi (argv[3]) : 100000;
  bench.write_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  bench.visible_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_mutex_init (&bench.lock);

  pg = md_test_pg_start ();
  g_assert_nonnull (pg);
  bench.conninfo = md_test_pg_conninfo (pg);
  bench.dir = g_dir_make_tmp ("bench-team-XXXXXX", &error);
  g_assert_no_error (error);

  observer = open_member (&bench, "observer");
  observer_team = md_team_new (observer);
  observer_path = g_strdup (md_review_store_get_path (observer));
  g_assert_cmpint (sqlite3_open_v2 (observer_path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT seq, created_at, author FROM review_log"
                                           " WHERE seq > ? ORDER BY seq", -1, &stmt, NULL),
                   ==, SQLITE_OK);

  cpu0 = server_cpu_seconds (pg);
  commits0 = server_commits (pg);
  wall0 = g_get_monotonic_time ();
  bench.started = wall0;
  members = g_new0 (Member, n_reviewers);
  for (guint i = 0; i < n_reviewers; i++)
    {
      members[i] = (Member) { &bench, i + 1 };
      g_ptr_array_add (threads, g_thread_new ("reviewer", reviewer_thread, &members[i]));
    }
  if (bench.bulk > 0)
    g_ptr_array_add (threads, g_thread_new ("lead", lead_thread, &bench));

  /* The observer: pull, then see what arrived and when it was written. */
  while (g_get_monotonic_time () - wall0 < (gint64) bench.seconds * G_USEC_PER_SEC ||
         (bench.bulk > 0 && bulk_seen < bench.bulk))
    {
      gint64 now;

      g_usleep (POLL_MS * 1000);
      if (!md_team_pull (observer_team, NULL, &error))
        g_error ("%s", error->message);
      now = g_get_real_time ();
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, last_seq);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *author = (const char *) sqlite3_column_text (stmt, 2);
          gint64 latency = now - sqlite3_column_int64 (stmt, 1);

          last_seq = sqlite3_column_int64 (stmt, 0);
          if (g_str_equal (author, "lead"))
            {
              if (++bulk_seen == bench.bulk)
                bench.bulk_visible = now;
            }
          else
            g_array_append_val (bench.visible_us, latency);
        }
      if (g_get_monotonic_time () - wall0 > (gint64) (bench.seconds + 600) * G_USEC_PER_SEC)
        g_error ("the bulk action did not arrive within 10 minutes (%u of %u)", bulk_seen,
                 bench.bulk);
    }
  g_atomic_int_set (&bench.stop, 1);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);
  wall = (g_get_monotonic_time () - wall0) / 1e6;
  cpu1 = server_cpu_seconds (pg);

  g_spawn_command_line_sync ("uptime", &uptime_out, NULL, NULL, NULL);
  printf ("team review: %u reviewers, one action every 2 s each, %.0f s, observer polls every "
          "%u ms\n", n_reviewers, wall, POLL_MS);
  printf ("  actions %u, visible at the observer %u\n", bench.write_us->len, bench.visible_us->len);
  printf ("  local write (baseline)   p50 %7.1f ms  p95 %7.1f ms\n",
          percentile_ms (bench.write_us, 0.5), percentile_ms (bench.write_us, 0.95));
  printf ("  action to other's file   p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms\n",
          percentile_ms (bench.visible_us, 0.5), percentile_ms (bench.visible_us, 0.95),
          percentile_ms (bench.visible_us, 1.0));
  printf ("  ratio p95 visible / p95 local write: %.1f\n",
          percentile_ms (bench.visible_us, 0.95) / percentile_ms (bench.write_us, 0.95));
  if (bench.bulk > 0)
    printf ("  bulk action over %u pairs: local import %.2f s, push %.2f s, all at the observer "
            "%.2f s after the import\n", bench.bulk, bench.bulk_import_us / 1e6,
            bench.bulk_push_us / 1e6, (bench.bulk_visible - bench.bulk_done) / 1e6);
  printf ("  server: %.1f CPU s over %.0f s (%.2f cores), %.0f commits/s; failed syncs %u\n",
          cpu1 - cpu0, wall, (cpu1 - cpu0) / wall, (server_commits (pg) - commits0) / wall,
          bench.failed_syncs);
  printf ("  load: %s", uptime_out != NULL ? uptime_out : "?\n");

  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_clear_object (&observer_team);
  g_clear_object (&observer);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", bench.dir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  g_free (bench.dir);
  g_array_unref (bench.write_us);
  g_array_unref (bench.visible_us);
  g_mutex_clear (&bench.lock);
  return 0;
}
