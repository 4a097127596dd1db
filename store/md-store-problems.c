/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "md-index-private.h"
#include "md-store-private.h"
#include "md-store.h"

/* The byte offset a problem's message names ("… at byte 1234: …"), -1 when it names none: the
 * importer writes it into the message, where a reader meets it first. */
static gint64
offset_in_detail (const char *detail)
{
  const char *at = detail != NULL ? strstr (detail, "at byte ") : NULL;

  if (at == NULL || !g_ascii_isdigit (at[strlen ("at byte ")]))
    return -1;
  return g_ascii_strtoll (at + strlen ("at byte "), NULL, 10);
}

gboolean
md_store_foreach_problem (MdStore        *self,
                          const char     *kind,
                          const char     *dataset,
                          MdProblemFunc   func,
                          gpointer        user_data,
                          GError        **error)
{
  g_auto(sqlite3_stmt_ptr) stmt = NULL;
  sqlite3 *db;
  gboolean ok = TRUE;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (MD_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  db = _md_store_lock (self);
  stmt = _md_index_prepare (db,
                            "SELECT p.id, p.kind, d.code, p.pair_id, f.path, p.ref, p.detail "
                            "FROM problems p "
                            "LEFT JOIN datasets d ON d.id = p.dataset_id "
                            "LEFT JOIN files f ON f.id = p.file_id "
                            "WHERE (?1 IS NULL OR p.kind = ?1) AND (?2 IS NULL OR d.code = ?2) "
                            "ORDER BY p.id", error);
  if (stmt == NULL)
    ok = FALSE;
  else
    {
      sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, dataset, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          MdProblem problem = {
            .id = sqlite3_column_int64 (stmt, 0),
            .kind = (const char *) sqlite3_column_text (stmt, 1),
            .dataset = (const char *) sqlite3_column_text (stmt, 2),
            .pair_id = (const char *) sqlite3_column_text (stmt, 3),
            .file = (const char *) sqlite3_column_text (stmt, 4),
            .ref = (const char *) sqlite3_column_text (stmt, 5),
            .detail = (const char *) sqlite3_column_text (stmt, 6),
          };

          problem.byte_offset = offset_in_detail (problem.detail);
          if (!func (&problem, user_data))
            {
              rc = SQLITE_DONE;
              break;
            }
        }
      if (rc != SQLITE_DONE)
        ok = _md_index_set_error (db, error, "list the problems");
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  _md_store_unlock (self);
  return ok;
}
