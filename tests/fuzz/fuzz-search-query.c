/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-search-query"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "fuzz-common.h"
#include "md-index-private.h"
#include "md-query-private.h"

/* The search box: user text becomes an FTS5 expression and LIKE / md_contains() conditions.
 * Whatever the user types, the expression must be one FTS5 accepts (a syntax error would
 * surface as a database error) and the conditions must have one placeholder per pattern. Both
 * are run against a real trigram table, with the store's SQL functions registered. */

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

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = md_fuzz_string (data, size);
  g_autoptr(MdSearchPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  guint n_placeholders = 0;

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
  if (plan->fts_expr != NULL)
    {
      sqlite3_stmt *stmt = NULL;
      int rc;

      if (sqlite3_prepare_v2 (db, "SELECT rowid FROM fts WHERE fts MATCH ?", -1, &stmt, NULL)
          != SQLITE_OK)
        abort ();
      sqlite3_bind_text (stmt, 1, plan->fts_expr, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        ;
      if (rc != SQLITE_DONE)
        {
          fprintf (stderr, "FTS5 rejected “%s”: %s\n", plan->fts_expr, sqlite3_errmsg (db));
          abort ();
        }
      sqlite3_finalize (stmt);
    }
  for (const char *c = plan->like_sql->str; *c != '\0'; c++)
    if (*c == '?')
      n_placeholders++;
  if (n_placeholders != plan->like_patterns->len)
    abort ();
  if (plan->like_sql->len > 0)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT t.key FROM texts t WHERE 1%s%s",
                                              plan->like_sql->str[0] == ' ' ? "" : " AND ",
                                              plan->like_sql->str);
      sqlite3_stmt *stmt = NULL;
      int rc;

      if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
        {
          fprintf (stderr, "LIKE conditions rejected “%s”: %s\n", sql, sqlite3_errmsg (db));
          abort ();
        }
      for (guint i = 0; i < plan->like_patterns->len; i++)
        sqlite3_bind_text (stmt, i + 1, g_ptr_array_index (plan->like_patterns, i), -1,
                           SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        ;
      if (rc != SQLITE_DONE)
        abort ();
      sqlite3_finalize (stmt);
    }
  return 0;
}
