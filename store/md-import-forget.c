/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include "md-import-private.h"

/* Removing what a file contributed ------------------------------------------------------------ */

gboolean
_md_importer_delete_texts (Importer    *imp,
                           gint64       first_key,
                           gint64       last_key,
                           GError     **error)
{
  g_auto(sqlite3_stmt_ptr) fts = NULL;
  g_auto(sqlite3_stmt_ptr) del = NULL;

  /* External-content FTS5 needs the old values to forget a row. */
  if (first_key <= imp->fts_marker)
    {
      fts = _md_index_prepare (imp->db,
                               "INSERT INTO search.fts (fts, rowid, instruction, answer) "
                               "SELECT 'delete', key, instruction, answer FROM texts "
                               "WHERE key BETWEEN ?1 AND ?2 AND key <= ?3", error);
      if (fts == NULL)
        return FALSE;
      sqlite3_bind_int64 (fts, 1, first_key);
      sqlite3_bind_int64 (fts, 2, last_key);
      sqlite3_bind_int64 (fts, 3, imp->fts_marker);
      if (!_md_importer_step (imp, fts, "removing texts from the search index", error))
        return FALSE;
    }
  del = _md_index_prepare (imp->db, "DELETE FROM texts WHERE key BETWEEN ? AND ?", error);
  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, first_key);
  sqlite3_bind_int64 (del, 2, last_key);
  return _md_importer_step (imp, del, "removing texts", error);
}

/* The translation files that wrote into these pairs must be read again after the pairs are
 * replaced: their fingerprints are cleared and their paths returned. */
static gboolean
forget_pairs_of_file (Importer    *imp,
                      GPtrArray   *requeue,
                      GError     **error)
{
  g_auto(sqlite3_stmt_ptr) pairs = NULL;
  g_auto(sqlite3_stmt_ptr) origins = NULL;
  g_auto(sqlite3_stmt_ptr) refs = NULL;
  g_auto(sqlite3_stmt_ptr) del = NULL;
  g_autoptr(GHashTable) origin_ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* Through the dataset's index: one index less to fill for every pair imported. */
  pairs = _md_index_prepare (imp->db, "SELECT rowid FROM pairs WHERE dataset_id = ? AND "
                                      "file_id = ?", error);
  refs = _md_index_prepare (imp->db, "DELETE FROM pair_refs WHERE pair_rowid = ?", error);
  origins = _md_index_prepare (imp->db,
                               "SELECT DISTINCT instruction_origin FROM texts "
                               "WHERE key BETWEEN ?1 * 8 + 1 AND ?1 * 8 + 7 "
                               "AND instruction_origin IS NOT NULL", error);
  if (pairs == NULL || origins == NULL || refs == NULL)
    return FALSE;
  sqlite3_bind_int64 (pairs, 1, imp->dataset_id);
  sqlite3_bind_int64 (pairs, 2, imp->file_id);
  while (sqlite3_step (pairs) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (pairs, 0);

      g_array_append_val (ids, rowid);
    }
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 rowid = g_array_index (ids, gint64, i);

      sqlite3_reset (origins);
      sqlite3_bind_int64 (origins, 1, rowid);
      while (sqlite3_step (origins) == SQLITE_ROW)
        {
          gint64 value = sqlite3_column_int64 (origins, 0);

          /* g_hash_table_add() replaces an equal key with the new pointer: check first, or
           * the table would keep a pointer freed here. */
          if (!g_hash_table_contains (origin_ids, &value))
            g_hash_table_add (origin_ids, g_memdup2 (&value, sizeof value));
        }
      if (!_md_importer_delete_texts (imp, MD_TEXT_KEY (rowid, 0), MD_TEXT_KEY (rowid, 7), error))
        return FALSE;
      sqlite3_reset (refs);
      sqlite3_bind_int64 (refs, 1, rowid);
      if (!_md_importer_step (imp, refs, "removing image and in-context ids", error))
        return FALSE;
    }

  if (g_hash_table_size (origin_ids) > 0)
    {
      g_auto(sqlite3_stmt_ptr) path = _md_index_prepare (imp->db,
        "UPDATE files SET fingerprint = NULL WHERE id = ? RETURNING path", error);
      GHashTableIter iter;
      gint64 *origin;

      if (path == NULL)
        return FALSE;
      g_hash_table_iter_init (&iter, origin_ids);
      while (g_hash_table_iter_next (&iter, (gpointer *) &origin, NULL))
        {
          sqlite3_reset (path);
          sqlite3_bind_int64 (path, 1, *origin);
          if (sqlite3_step (path) == SQLITE_ROW)
            g_ptr_array_add (requeue, g_strdup ((const char *) sqlite3_column_text (path, 0)));
          g_free (origin);
        }
      g_hash_table_steal_all (origin_ids);
    }

  del = _md_index_prepare (imp->db, "DELETE FROM pairs WHERE dataset_id = ? AND file_id = ?",
                           error);
  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, imp->dataset_id);
  sqlite3_bind_int64 (del, 2, imp->file_id);
  return _md_importer_step (imp, del, "removing the pairs of a file", error);
}

static gboolean
forget_translations_of_file (Importer  *imp,
                             GError   **error)
{
  g_auto(sqlite3_stmt_ptr) keys = NULL;
  g_auto(sqlite3_stmt_ptr) langs = NULL;
  g_auto(sqlite3_stmt_ptr) update = NULL;
  g_autoptr(GArray) list = g_array_new (FALSE, FALSE, sizeof (gint64));

  keys = _md_index_prepare (imp->db, "SELECT key FROM texts WHERE instruction_origin = ?", error);
  if (keys == NULL)
    return FALSE;
  sqlite3_bind_int64 (keys, 1, imp->file_id);
  while (sqlite3_step (keys) == SQLITE_ROW)
    {
      gint64 key = sqlite3_column_int64 (keys, 0);

      g_array_append_val (list, key);
    }
  langs = _md_index_prepare (imp->db, "SELECT key & 7 FROM texts WHERE key BETWEEN ?1 * 8 "
                                      "AND ?1 * 8 + 7 AND (coalesce(instruction, '') <> '' OR "
                                      "coalesce(answer, '') <> '')", error);
  update = _md_index_prepare (imp->db, "UPDATE pairs SET languages = ? WHERE rowid = ?", error);
  if (langs == NULL || update == NULL)
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    {
      gint64 key = g_array_index (list, gint64, i);
      guint mask = 0;

      if (!_md_importer_delete_texts (imp, key, key, error))
        return FALSE;
      sqlite3_reset (langs);
      sqlite3_bind_int64 (langs, 1, key >> 3);
      while (sqlite3_step (langs) == SQLITE_ROW)
        mask |= 1u << sqlite3_column_int (langs, 0);
      sqlite3_bind_int (update, 1, mask);
      sqlite3_bind_int64 (update, 2, key >> 3);
      if (!_md_importer_step (imp, update, "updating the languages of a pair", error))
        return FALSE;
    }
  return TRUE;
}

gboolean
_md_importer_forget_file (Importer    *imp,
                          MdFileKind   kind,
                          GPtrArray   *requeue,
                          GError     **error)
{
  static const char * const by_file[] = {
    "DELETE FROM problems WHERE file_id = ?",
    "DELETE FROM images WHERE file_id = ?",
    "DELETE FROM parquet_locations WHERE file_id = ?",
    "DELETE FROM image_prefixes WHERE file_id = ?",
    "DELETE FROM train_links WHERE file_id = ?",
    "DELETE FROM prompts WHERE file_id = ?",
  };

  if (kind == MD_FILE_KIND_INSTRUCTIONS && !forget_pairs_of_file (imp, requeue, error))
    return FALSE;
  if (kind == MD_FILE_KIND_TRANSLATION && !forget_translations_of_file (imp, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (by_file); i++)
    {
      g_auto(sqlite3_stmt_ptr) stmt = _md_index_prepare (imp->db, by_file[i], error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, imp->file_id);
      if (!_md_importer_step (imp, stmt, "removing what a file contributed", error))
        return FALSE;
    }
  return TRUE;
}

