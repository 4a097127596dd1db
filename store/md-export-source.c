/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-export"

#include "config.h"

#include "md-export-private.h"
#include "md-index-private.h"
#include "md-pair-private.h"

/* The export's own read-only connection to the index: one read transaction for the whole export
 * (every pair is read from the same snapshot) and a handful of statements prepared once, so that
 * reading a pair costs a few B-tree lookups instead of parsing SQL and taking a pooled connection
 * for each of them (which cost more than everything else an export does). */

enum
{
  S_PAIR,
  S_TEXTS,
  S_PROBLEMS,
  S_ALL_PAIRS,
  S_HAS_IMAGE,
  N_STATEMENTS
};

static const char * const statements[N_STATEMENTS] = {
  [S_PAIR] =
    "SELECT p.rowid, d.code, p.modality, p.n_images, p.languages, p.flags, r.image_ids, "
    "r.rel_ins_ids, l.context_ids FROM pairs p JOIN datasets d ON d.id = p.dataset_id "
    "LEFT JOIN pair_refs r ON r.pair_rowid = p.rowid "
    "LEFT JOIN train_links l ON l.pair_id = p.pair_id WHERE p.pair_id = ?",
  [S_TEXTS] =
    "SELECT key & 7, instruction, answer FROM texts WHERE key BETWEEN ?1 * 8 AND ?1 * 8 + 7",
  [S_PROBLEMS] =
    "SELECT kind, ref FROM problems WHERE pair_id = ? "
    "AND kind IN ('missing_image', 'dangling_context')",
  [S_ALL_PAIRS] =
    "SELECT p.pair_id, d.code, p.rowid FROM pairs p JOIN datasets d ON d.id = p.dataset_id "
    "WHERE (?1 IS NULL OR d.code = ?1) AND (?2 < 0 OR p.modality = ?2)",
  [S_HAS_IMAGE] =
    "SELECT 1 FROM images WHERE image_id = ?",
};

struct _MdExportSource
{
  sqlite3      *db;
  sqlite3_stmt *stmts[N_STATEMENTS];
};

static gboolean
source_error (MdExportSource  *source,
              const char      *path,
              GError         **error)
{
  g_set_error (error, MD_ERROR, MD_ERROR_DATABASE, "%s: cannot read the index: %s", path,
               sqlite3_errmsg (source->db));
  return FALSE;
}

MdExportSource *
_md_export_source_open (const char  *index_path,
                        GError     **error)
{
  g_autoptr(MdExportSource) source = g_new0 (MdExportSource, 1);

  if (sqlite3_open_v2 (index_path, &source->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK ||
      sqlite3_exec (source->db, "PRAGMA cache_size = -16384; BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    {
      source_error (source, index_path, error);
      return NULL;
    }
  sqlite3_busy_timeout (source->db, 10000);
  for (guint i = 0; i < N_STATEMENTS; i++)
    if (sqlite3_prepare_v3 (source->db, statements[i], -1, SQLITE_PREPARE_PERSISTENT,
                            &source->stmts[i], NULL) != SQLITE_OK)
      {
        source_error (source, index_path, error);
        return NULL;
      }
  return g_steal_pointer (&source);
}

void
_md_export_source_free (MdExportSource *source)
{
  if (source == NULL)
    return;
  for (guint i = 0; i < N_STATEMENTS; i++)
    sqlite3_finalize (source->stmts[i]);
  if (source->db != NULL)
    {
      sqlite3_exec (source->db, "COMMIT", NULL, NULL, NULL);
      sqlite3_close (source->db);
    }
  g_free (source);
}

static GStrv
split_ids (const char *joined)
{
  if (joined == NULL || *joined == '\0')
    return g_new0 (char *, 1);
  return g_strsplit (joined, "\n", -1);
}

static void
add_once (GHashTable   *seen,
          GStrvBuilder *builder,
          const char   *ref)
{
  if (g_hash_table_add (seen, g_strdup (ref)))
    g_strv_builder_add (builder, ref);
}

MdPair *
_md_export_source_get_pair (MdExportSource  *source,
                            const char      *pair_id,
                            GStrv           *out_rel_ins,
                            GStrv           *out_train,
                            GError         **error)
{
  sqlite3_stmt *stmt = source->stmts[S_PAIR];
  sqlite3_stmt *texts = source->stmts[S_TEXTS];
  sqlite3_stmt *problems = source->stmts[S_PROBLEMS];
  g_autoptr(GStrvBuilder) missing = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) dangling = g_strv_builder_new ();
  g_autoptr(GHashTable) missing_set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) dangling_set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                              NULL);
  g_autoptr(MdPair) pair = NULL;
  int rc;

  *out_rel_ins = NULL;
  *out_train = NULL;
  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, pair_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND, "no pair “%s” in the index %s",
                     pair_id, sqlite3_db_filename (source->db, "main"));
      else
        source_error (source, sqlite3_db_filename (source->db, "main"), error);
      sqlite3_reset (stmt);
      return NULL;
    }
  pair = _md_pair_new ();
  pair->full = TRUE;
  pair->id = g_strdup (pair_id);
  pair->order = sqlite3_column_int64 (stmt, 0);
  pair->dataset = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  pair->modality = sqlite3_column_int (stmt, 2);
  pair->n_images = sqlite3_column_int (stmt, 3);
  pair->languages = sqlite3_column_int (stmt, 4);
  pair->flags = sqlite3_column_int (stmt, 5);
  pair->image_ids = split_ids ((const char *) sqlite3_column_text (stmt, 6));
  *out_rel_ins = split_ids ((const char *) sqlite3_column_text (stmt, 7));
  /* _train.json, when present, overrides rel_ins_ids for display, as md_store_get_pair(). */
  if (sqlite3_column_type (stmt, 8) != SQLITE_NULL)
    {
      *out_train = split_ids ((const char *) sqlite3_column_text (stmt, 8));
      pair->context_ids = g_strdupv (*out_train);
    }
  else
    pair->context_ids = g_strdupv (*out_rel_ins);
  sqlite3_reset (stmt);

  sqlite3_reset (texts);
  sqlite3_bind_int64 (texts, 1, pair->order);
  while (sqlite3_step (texts) == SQLITE_ROW)
    {
      int language = sqlite3_column_int (texts, 0);

      for (guint f = 0; f < MD_N_FIELDS; f++)
        if (sqlite3_column_type (texts, 1 + f) != SQLITE_NULL)
          pair->texts[language][f] = g_strdup ((const char *) sqlite3_column_text (texts, 1 + f));
    }
  sqlite3_reset (texts);

  /* Problems of the pair are rare: one lookup finds both kinds. */
  sqlite3_reset (problems);
  sqlite3_bind_text (problems, 1, pair_id, -1, SQLITE_STATIC);
  while (sqlite3_step (problems) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (problems, 0);
      const char *ref = (const char *) sqlite3_column_text (problems, 1);

      if (ref == NULL)
        continue;
      /* Rows of one kind come in the order they were found (the index ends in the rowid). */
      if (g_str_equal (kind, "missing_image"))
        add_once (missing_set, missing, ref);
      else if (g_strv_contains ((const char * const *) pair->context_ids, ref))
        add_once (dangling_set, dangling, ref);
    }
  sqlite3_reset (problems);
  pair->missing_image_ids = g_strv_builder_end (missing);
  pair->dangling_context_ids = g_strv_builder_end (dangling);
  return g_steal_pointer (&pair);
}

gboolean
_md_export_source_foreach (MdExportSource        *source,
                           const char            *dataset,
                           int                    modality,
                           MdExportSourceRowFunc  func,
                           gpointer               user_data,
                           GError               **error)
{
  sqlite3_stmt *stmt = source->stmts[S_ALL_PAIRS];
  int rc;

  sqlite3_reset (stmt);
  if (dataset != NULL && *dataset != '\0')
    sqlite3_bind_text (stmt, 1, dataset, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_int (stmt, 2, modality);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!func ((const char *) sqlite3_column_text (stmt, 0),
               (const char *) sqlite3_column_text (stmt, 1), sqlite3_column_int64 (stmt, 2),
               user_data, error))
      {
        sqlite3_reset (stmt);
        return FALSE;
      }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return source_error (source, sqlite3_db_filename (source->db, "main"), error);
  return TRUE;
}

gboolean
_md_export_source_has_image (MdExportSource *source,
                             const char     *image_id)
{
  sqlite3_stmt *stmt = source->stmts[S_HAS_IMAGE];
  gboolean found;

  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, image_id, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}
