/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include "md-store-private.h"

/* The index and the review file meet here: the review file is ATTACHed to the store's own
 * connection so that the pair list can filter by review state in the same statement, and the
 * review side (CLI, progress) can ask which pairs the index holds. */

gboolean
_md_store_has_review_locked (sqlite3 *db)
{
  g_auto(sqlite3_stmt_ptr) stmt =
    _md_index_prepare (db, "SELECT 1 FROM pragma_database_list WHERE name = 'review'", NULL);

  return stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW;
}

gboolean
md_store_attach_review (MdStore     *self,
                        const char  *review_path,
                        GError     **error)
{
  g_auto(sqlite3_stmt_ptr) stmt = NULL;
  gboolean ok = TRUE;
  sqlite3 *db;

  g_return_val_if_fail (MD_IS_STORE (self), FALSE);
  g_return_val_if_fail (review_path != NULL, FALSE);

  /* ATTACH would create an empty file; the review store makes its schema first. */
  if (!g_file_test (review_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND,
                   "%s: no review file there; expected one made by opening a review store",
                   review_path);
      return FALSE;
    }

  db = _md_store_lock (self);
  if (_md_store_has_review_locked (db))
    ok = _md_index_exec (db, "DETACH DATABASE review", error);
  if (ok)
    {
      stmt = _md_index_prepare (db, "ATTACH DATABASE ?1 AS review", error);
      ok = stmt != NULL;
    }
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, review_path, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          g_set_error (error, MD_ERROR, MD_ERROR_DATABASE, "%s: could not attach the review file "
                       "to the index %s: %s", review_path, md_store_get_path (self),
                       sqlite3_errmsg (db));
          ok = FALSE;
        }
    }
  _md_store_unlock (self);
  return ok;
}

void
md_store_detach_review (MdStore *self)
{
  sqlite3 *db;

  g_return_if_fail (MD_IS_STORE (self));

  db = _md_store_lock (self);
  if (_md_store_has_review_locked (db))
    _md_index_exec (db, "DETACH DATABASE review", NULL);
  _md_store_unlock (self);
}

gboolean
md_store_has_pair (MdStore    *self,
                   const char *dataset,
                   const char *pair_id)
{
  g_auto(sqlite3_stmt_ptr) stmt = NULL;
  gboolean found = FALSE;
  sqlite3 *db;

  g_return_val_if_fail (MD_IS_STORE (self), FALSE);
  g_return_val_if_fail (pair_id != NULL, FALSE);

  db = _md_store_lock (self);
  stmt = _md_index_prepare (db, "SELECT 1 FROM pairs p JOIN datasets d ON d.id = p.dataset_id "
                                "WHERE p.pair_id = ?1 AND (?2 IS NULL OR d.code = ?2)", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, pair_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, dataset, -1, SQLITE_STATIC);
      found = sqlite3_step (stmt) == SQLITE_ROW;
    }
  _md_store_unlock (self);
  return found;
}

gboolean
md_store_foreach_pair (MdStore            *self,
                       const char         *dataset,
                       MdStorePairFunc     func,
                       gpointer            user_data,
                       GError            **error)
{
  g_auto(sqlite3_stmt_ptr) stmt = NULL;
  gboolean ok = TRUE;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (MD_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  db = _md_store_lock (self);
  stmt = _md_index_prepare (db, "SELECT d.code, p.pair_id, p.languages FROM pairs p "
                                "JOIN datasets d ON d.id = p.dataset_id "
                                "WHERE ?1 IS NULL OR d.code = ?1 ORDER BY p.rowid", error);
  if (stmt == NULL)
    ok = FALSE;
  else
    {
      sqlite3_bind_text (stmt, 1, dataset, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        if (!func ((const char *) sqlite3_column_text (stmt, 0),
                   (const char *) sqlite3_column_text (stmt, 1),
                   (guint) sqlite3_column_int (stmt, 2), user_data))
          break;
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          g_set_error (error, MD_ERROR, MD_ERROR_DATABASE, "%s: could not list the pairs: %s",
                       md_store_get_path (self), sqlite3_errmsg (db));
          ok = FALSE;
        }
    }
  _md_store_unlock (self);
  return ok;
}
