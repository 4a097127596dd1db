/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-team-pg"

#include "config.h"

#include "md-test-pg.h"

/* The helper itself: a cluster that answers on its port, survives a restart on the same port and
 * leaves nothing behind. */
static void
test_pg_lifecycle (void)
{
  g_autoptr(MdTestPg) pg = md_test_pg_start ();
  g_autofree char *dir = NULL;
  g_autofree char *one = NULL;
  g_autofree char *after = NULL;
  g_autofree char *expected = NULL;

  if (pg == NULL)
    return;
  dir = g_strdup (md_test_pg_dir (pg));
  one = md_test_pg_query (pg, "CREATE TABLE t (v int); INSERT INTO t VALUES (41), (1); "
                              "SELECT sum(v) FROM t");
  g_assert_cmpstr (one, ==, "42\n");

  md_test_pg_restart (pg);
  after = md_test_pg_query (pg, "SELECT sum(v) || ' ' || current_setting('port') FROM t");
  expected = g_strdup_printf ("42 %u\n", md_test_pg_port (pg));
  g_assert_cmpstr (after, ==, expected);

  g_clear_pointer (&pg, md_test_pg_free);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/team/pg/lifecycle", test_pg_lifecycle);
  return g_test_run ();
}
