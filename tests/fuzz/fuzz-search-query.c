/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-search-query"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "fuzz-common.h"
#include "md-index-private.h"
#include "md-query-private.h"

/* The search box: user text becomes clauses, each an FTS5 expression and LIKE / md_contains()
 * conditions. Whatever the user types, each expression must be one FTS5 accepts (a syntax error
 * would surface as a database error) and the conditions must bind every parameter they number.
 * Both are run against a real trigram table, with the store's SQL functions registered. */

static sqlite3 *db;

static void
open_db (void)
{
  if (sqlite3_open (":memory:", &db) != SQLITE_OK ||
      !_md_index_register_functions (db, NULL) ||
      sqlite3_exec (db, "CREATE TABLE texts (key INTEGER PRIMARY KEY, instruction, answer);"
                        "CREATE VIRTUAL TABLE fts USING fts5 (instruction, answer, "
                        "content='texts', content_rowid='key', tokenize='trigram case_sensitive 0');"
                        "INSERT INTO texts VALUES (1, 'what is in the picture', 'a cat');"
                        "INSERT INTO texts VALUES (2, 'ÉCOLE, καλημέρα, 沙发', NULL);"
                        "INSERT INTO fts (rowid, instruction, answer) "
                        "SELECT key, instruction, answer FROM texts;",
                    NULL, NULL, NULL) != SQLITE_OK)
    abort ();
}

static void
run_or_abort (const char   *sql,
              const char   *expr,
              MdSearchPlan *plan)
{
  sqlite3_stmt *stmt = NULL;
  guint param = 2;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      fprintf (stderr, "rejected “%s”: %s\n", sql, sqlite3_errmsg (db));
      abort ();
    }
  if (expr != NULL)
    sqlite3_bind_text (stmt, 1, expr, -1, SQLITE_STATIC);
  for (guint i = 0; i < plan->clauses->len; i++)
    _md_search_clause_bind (g_ptr_array_index (plan->clauses, i), stmt, &param);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    {
      fprintf (stderr, "“%s” (%s) failed: %s\n", sql, expr ? expr : "", sqlite3_errmsg (db));
      abort ();
    }
  sqlite3_finalize (stmt);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = md_fuzz_string (data, size);
  g_autoptr(MdSearchPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT t.key FROM texts t WHERE ?1 IS NULL");
  guint param = 2;

  md_fuzz_dir ();
  if (db == NULL)
    open_db ();
  plan = _md_search_plan_new (text, &error);
  if (plan == NULL)
    {
      if (error == NULL)
        abort ();
      return 0;
    }
  /* Every clause's expression alone, and the conditions of all clauses together. */
  for (guint i = 0; i < plan->clauses->len; i++)
    {
      const MdSearchClause *clause = g_ptr_array_index (plan->clauses, i);

      if (clause->fts_expr != NULL)
        run_or_abort ("SELECT rowid FROM fts WHERE fts MATCH ?1", clause->fts_expr, plan);
      g_string_append (sql, clause->negative ? " AND NOT " : " AND ");
      _md_search_clause_append_sql (clause, sql, "t", &param);
    }
  run_or_abort (sql->str, NULL, plan);
  return 0;
}
