/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A throwaway PostgreSQL cluster for tests: initdb in a temporary folder, the server on a free
 * loopback port with its socket in that folder, run as "postgres" when the test runs as root
 * (the server refuses root). A guard process removes the cluster when the test process goes away
 * for any reason (a failed assertion aborts without running cleanups).
 *
 * Host connections use a password (scram-sha-256) that the helper writes to a PGPASSFILE of its
 * own and exports, so clients exercise the same path as a reviewer's ~/.pgpass.
 *
 * When the server cannot start the test fails; MD_TEST_NO_POSTGRES=1 makes md_test_pg_start()
 * skip the test instead (for machines without PostgreSQL, never in CI). */

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MdTestPg MdTestPg;

/* NULL after g_test_skip() when MD_TEST_NO_POSTGRES=1; aborts the test when the server cannot
 * start otherwise. */
MdTestPg   *md_test_pg_start     (void);
void        md_test_pg_free      (MdTestPg *pg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdTestPg, md_test_pg_free)

/* "host=127.0.0.1 port=N dbname=mimicdesk user=reviewer", without the password. */
const char *md_test_pg_conninfo  (MdTestPg *pg);
guint16     md_test_pg_port      (MdTestPg *pg);
/* The temporary folder (the cluster lives in its "data" subfolder). */
const char *md_test_pg_dir       (MdTestPg *pg);

/* Stops the server (fast shutdown: open sessions are cut) and starts it again on the same port. */
void        md_test_pg_stop      (MdTestPg *pg);
void        md_test_pg_restart   (MdTestPg *pg);

/* Runs one SQL statement through psql and returns its unaligned, tuples-only output. */
char       *md_test_pg_query     (MdTestPg   *pg,
                                  const char *sql);

/* MD_TEST_TIMEOUT_SCALE (1 unless a sanitizer or valgrind setup sets it). */
guint       md_test_timeout_scale (void);

G_END_DECLS
