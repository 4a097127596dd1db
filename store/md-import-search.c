/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include "md-import-private.h"

/* Full-text phase ------------------------------------------------------------------------------ */

#define FTS_BATCH 100000

/* Only the search file is written, in deferred transactions: the index's file stays free for
 * the other writer (the reference check runs beside this on an import). */
gboolean
_md_import_build_fts (sqlite3       *db,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_auto(sqlite3_stmt_ptr) upto = _md_index_prepare (db,
    "SELECT max(key) FROM (SELECT key FROM texts WHERE key > ? ORDER BY key LIMIT ?)", error);
  g_auto(sqlite3_stmt_ptr) fill = _md_index_prepare (db,
    "INSERT INTO search.fts (rowid, instruction, answer) SELECT key, instruction, answer "
    "FROM texts WHERE key > ? AND key <= ?", error);

  if (upto == NULL || fill == NULL)
    return FALSE;

  /* Measured on 200k English pairs: a 16 MB pending-terms hash (flushing fewer, larger
   * segments) and merging 8 segments of a level at a time instead of 4 build the index in
   * about 55% of the time, with the same number of pages and no slower queries. Both settings
   * live in the search file, so the GUI's resumed builds use them too. */
  if (!_md_index_exec (db, "BEGIN;"
                           "INSERT INTO search.fts (fts, rank) VALUES ('hashsize', 16777216);"
                           "INSERT INTO search.fts (fts, rank) VALUES ('automerge', 8);"
                           "COMMIT;", error))
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  for (;;)
    {
      gint64 marker = _md_index_get_search_marker (db);
      gint64 next;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      sqlite3_reset (upto);
      sqlite3_bind_int64 (upto, 1, marker);
      sqlite3_bind_int (upto, 2, FTS_BATCH);
      if (sqlite3_step (upto) != SQLITE_ROW || sqlite3_column_type (upto, 0) == SQLITE_NULL)
        return TRUE;
      next = sqlite3_column_int64 (upto, 0);
      sqlite3_reset (upto);

      if (!_md_index_exec (db, "BEGIN", error))
        return FALSE;
      sqlite3_reset (fill);
      sqlite3_bind_int64 (fill, 1, marker);
      sqlite3_bind_int64 (fill, 2, next);
      if (sqlite3_step (fill) != SQLITE_DONE)
        {
          _md_index_set_error (db, error, "building the search index");
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      if (!_md_index_set_search_marker (db, next, error) ||
          !_md_index_exec (db, "COMMIT", error))
        {
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }
}

/* The search index is built on a connection of its own, in a thread of its own, while the
 * importing thread checks the references. */
struct _MdSearchBuild
{
  char         *index_path;
  GCancellable *cancellable;
  GError       *error;
  GThread      *thread;
};

static gpointer
search_build_thread (gpointer data)
{
  MdSearchBuild *build = data;
  sqlite3 *db = _md_index_open (build->index_path, TRUE, &build->error);

  /* Texts are read once, in key order: a small cache for them, more for merging segments. */
  if (db != NULL && !_md_index_exec (db, "PRAGMA main.cache_size = -8192;", &build->error))
    g_clear_pointer (&db, sqlite3_close);
  if (db != NULL)
    {
      _md_import_build_fts (db, build->cancellable, &build->error);
      sqlite3_close (db);
    }
  return NULL;
}

MdSearchBuild *
_md_search_build_start (const char   *index_path,
                        GCancellable *cancellable)
{
  MdSearchBuild *build = g_new0 (MdSearchBuild, 1);

  build->index_path = g_strdup (index_path);
  build->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  build->thread = g_thread_new ("md-build-search", search_build_thread, build);
  return build;
}

gboolean
_md_search_build_join (MdSearchBuild  *build,
                       GError        **error)
{
  gboolean ok;

  g_thread_join (build->thread);
  ok = build->error == NULL;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&build->error));
  g_clear_object (&build->cancellable);
  g_free (build->index_path);
  g_free (build);
  return ok;
}

/* A crash between the commits of the index's file and the search file may have left the
 * search index out of step with the texts (md-index-private.h): it is built again. */
gboolean
_md_importer_reset_suspect_search (Importer  *imp,
                                   GError   **error)
{
  if (_md_index_get_meta_int (imp->db, "search_suspect", 0) == 0)
    return TRUE;
  g_message ("index %s: the last import stopped while writing the search index; it is built "
             "again", sqlite3_db_filename (imp->db, "main"));
  if (!_md_index_exec (imp->db, "BEGIN;"
                                "INSERT INTO search.fts (fts) VALUES ('delete-all');", error) ||
      !_md_index_set_search_marker (imp->db, 0, error) ||
      !_md_index_exec (imp->db, "COMMIT", error))
    {
      sqlite3_exec (imp->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  imp->fts_marker = 0;
  return _md_index_set_meta_int (imp->db, "search_suspect", 0, error);
}

