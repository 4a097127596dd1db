/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "md-error.h"
#include "md-fold-private.h"
#include "md-index-private.h"
#include "md-search-run-private.h"

static const char schema[] =
  "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS datasets ("
  "  id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, n_pairs INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE IF NOT EXISTS files ("
  "  id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, kind INTEGER NOT NULL,"
  "  dataset_id INTEGER, size INTEGER, mtime INTEGER, fingerprint TEXT,"
  "  n_records INTEGER NOT NULL DEFAULT 0, n_problems INTEGER NOT NULL DEFAULT 0);"
  /* Narrow rows: listing and counting walk this table, and skipping a million rows of it to
   * reach the end of the list must stay cheap. */
  "CREATE TABLE IF NOT EXISTS pairs ("
  "  rowid INTEGER PRIMARY KEY, pair_id TEXT NOT NULL UNIQUE,"
  "  dataset_id INTEGER NOT NULL, file_id INTEGER NOT NULL, modality INTEGER NOT NULL,"
  "  n_images INTEGER NOT NULL, languages INTEGER NOT NULL DEFAULT 0,"
  "  flags INTEGER NOT NULL DEFAULT 0);"
  /* The file's lists, joined by '\\n': they are read whole, and millions of rows of a link
   * table would dominate the import time. */
  "CREATE TABLE IF NOT EXISTS pair_refs ("
  "  pair_rowid INTEGER PRIMARY KEY, image_ids TEXT, rel_ins_ids TEXT);"
  "CREATE INDEX IF NOT EXISTS pairs_by_dataset ON pairs (dataset_id, rowid);"
  "CREATE TABLE IF NOT EXISTS texts ("
  "  key INTEGER PRIMARY KEY, instruction TEXT, answer TEXT,"
  "  instruction_origin INTEGER, answer_origin INTEGER);"
  /* English rows have no origin (their pair's file): the index only holds translations. */
  "CREATE INDEX IF NOT EXISTS texts_by_origin ON texts (instruction_origin)"
  "  WHERE instruction_origin IS NOT NULL;"
  /* _train.json links, keyed by id so they survive the order files come in; they override
   * rel_ins_ids for display. */
  "CREATE TABLE IF NOT EXISTS train_links ("
  "  pair_id TEXT PRIMARY KEY, file_id INTEGER NOT NULL, context_ids TEXT NOT NULL)"
  "  WITHOUT ROWID;"
  "CREATE INDEX IF NOT EXISTS train_links_by_file ON train_links (file_id);"
  "CREATE TABLE IF NOT EXISTS images ("
  "  image_id TEXT PRIMARY KEY, file_id INTEGER NOT NULL, offset INTEGER NOT NULL,"
  "  length INTEGER NOT NULL, variant INTEGER NOT NULL) WITHOUT ROWID;"
  "CREATE INDEX IF NOT EXISTS images_by_file ON images (file_id);"
  /* Images of Parquet stores: the reader's MdParquetValueLocation, next to their `images` row
   * (md-import-parquet-private.h). */
  "CREATE TABLE IF NOT EXISTS parquet_locations ("
  "  image_id TEXT PRIMARY KEY, file_id INTEGER NOT NULL, part INTEGER NOT NULL,"
  "  row_group INTEGER NOT NULL, column_index INTEGER NOT NULL, flags INTEGER NOT NULL,"
  "  page_offset INTEGER NOT NULL, value_index INTEGER NOT NULL, byte_offset INTEGER NOT NULL,"
  "  byte_length INTEGER NOT NULL) WITHOUT ROWID;"
  "CREATE INDEX IF NOT EXISTS parquet_locations_by_file ON parquet_locations (file_id);"
  /* Which image id prefixes (\"DC_IMG\") some store covers: a reference is only called missing
   * when a store for its prefix was imported. */
  "CREATE TABLE IF NOT EXISTS image_prefixes ("
  "  prefix TEXT NOT NULL, file_id INTEGER NOT NULL, PRIMARY KEY (prefix, file_id))"
  "  WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS problems ("
  "  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, phase INTEGER NOT NULL,"
  "  dataset_id INTEGER, file_id INTEGER, pair_id TEXT, ref TEXT, detail TEXT);"
  "CREATE INDEX IF NOT EXISTS problems_by_pair ON problems (pair_id, kind);"
  "CREATE INDEX IF NOT EXISTS problems_by_file ON problems (file_id);"
  "CREATE INDEX IF NOT EXISTS problems_by_dataset ON problems (dataset_id, kind);"
  MD_INDEX_SYPHUS_QUERIES_SCHEMA
  "CREATE TABLE IF NOT EXISTS prompts ("
  "  file_id INTEGER PRIMARY KEY, name TEXT NOT NULL, system_message TEXT,"
  "  n_examples INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS reports ("
  "  id INTEGER PRIMARY KEY, time INTEGER NOT NULL, n_imported INTEGER, n_unchanged INTEGER,"
  "  n_skipped INTEGER, n_rejected INTEGER, summary TEXT);";

/* The search file (md-index-private.h): contentless, so it needs nothing of the index's file
 * and is written by its own connection beside the index's writer. */
static const char search_schema[] =
  "CREATE TABLE IF NOT EXISTS search.search_meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;"
  "CREATE VIRTUAL TABLE IF NOT EXISTS search.fts USING fts5 ("
  "  instruction, answer, content='', tokenize='trigram case_sensitive 0', detail='none');";

char *
_md_sqlite_describe_error (sqlite3 *db)
{
  int code = sqlite3_extended_errcode (db);
  int sys = sqlite3_system_errno (db);

  /* The errno of a failed write is often gone by the time the error surfaces (the rollback
   * made other calls): a failed write without another known cause is reported as a full disk,
   * which is what it nearly always is. */
  if ((code & 0xff) == SQLITE_FULL || (code == SQLITE_IOERR_WRITE && sys == 0) ||
      ((code & 0xff) == SQLITE_IOERR && (sys == ENOSPC || sys == EFBIG || sys == EDQUOT)))
    return g_strdup_printf ("%s: the disk is full or the file reached a size limit (%s); "
                            "nothing of this step was written",
                            sqlite3_errmsg (db), g_strerror (sys != 0 ? sys : ENOSPC));
  if ((code & 0xff) == SQLITE_IOERR && sys != 0)
    return g_strdup_printf ("%s (%s)", sqlite3_errmsg (db), g_strerror (sys));
  return g_strdup (sqlite3_errmsg (db));
}

gboolean
_md_index_set_error (sqlite3     *db,
                     GError     **error,
                     const char  *doing)
{
  g_autofree char *what = _md_sqlite_describe_error (db);

  g_set_error (error, MD_ERROR, MD_ERROR_DATABASE, "index %s: %s while %s",
               sqlite3_db_filename (db, "main"), what, doing);
  return FALSE;
}

gboolean
_md_index_exec (sqlite3     *db,
                const char  *sql,
                GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_autofree char *what = _md_sqlite_describe_error (db);

      g_set_error (error, MD_ERROR, MD_ERROR_DATABASE, "index %s: %s",
                   sqlite3_db_filename (db, "main"), what);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

sqlite3_stmt *
_md_index_prepare (sqlite3     *db,
                   const char  *sql,
                   GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_DATABASE, "index %s: %s in “%s”",
                   sqlite3_db_filename (db, "main"), sqlite3_errmsg (db), sql);
      return NULL;
    }
  return stmt;
}

gint64
_md_index_get_meta_int (sqlite3    *db,
                        const char *key,
                        gint64      default_value)
{
  g_auto(sqlite3_stmt_ptr) stmt = _md_index_prepare (db, "SELECT value FROM meta WHERE key = ?",
                                                     NULL);
  gint64 value = default_value;

  if (stmt == NULL)
    return default_value;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  return value;
}

gboolean
_md_index_set_meta_int (sqlite3     *db,
                        const char  *key,
                        gint64       value,
                        GError     **error)
{
  g_auto(sqlite3_stmt_ptr) stmt =
    _md_index_prepare (db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, value);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _md_index_set_error (db, error, "writing the index metadata");
  return TRUE;
}

char *
_md_index_search_path (const char *index_path)
{
  return g_strconcat (index_path, ".search.sqlite", NULL);
}

gboolean
_md_index_attach_search (sqlite3     *db,
                         const char  *index_path,
                         gboolean     writable,
                         GError     **error)
{
  g_autofree char *search_path = _md_index_search_path (index_path);
  g_auto(sqlite3_stmt_ptr) attach = _md_index_prepare (db, "ATTACH ? AS search", error);

  if (attach == NULL)
    return FALSE;
  sqlite3_bind_text (attach, 1, search_path, -1, SQLITE_STATIC);
  if (sqlite3_step (attach) != SQLITE_DONE)
    {
      g_autofree char *detail = _md_sqlite_describe_error (db);

      g_set_error (error, MD_ERROR, MD_ERROR_DATABASE, "cannot open the search index %s: %s",
                   search_path, detail);
      return FALSE;
    }
  if (!writable)
    return TRUE;
  return _md_index_exec (db, "PRAGMA search.journal_mode = WAL;"
                             "PRAGMA search.synchronous = OFF;", error) &&
         _md_index_exec (db, search_schema, error);
}

gint64
_md_index_get_search_marker (sqlite3 *db)
{
  g_auto(sqlite3_stmt_ptr) stmt = _md_index_prepare (db,
    "SELECT value FROM search.search_meta WHERE key = 'built_up_to'", NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}

gboolean
_md_index_set_search_marker (sqlite3     *db,
                             gint64       value,
                             GError     **error)
{
  g_auto(sqlite3_stmt_ptr) stmt = _md_index_prepare (db,
    "INSERT OR REPLACE INTO search.search_meta (key, value) VALUES ('built_up_to', ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, value);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _md_index_set_error (db, error, "writing the search index's progress");
  return TRUE;
}

/* md_contains(haystack, needle): 1 when the needle occurs in the haystack ignoring case in any
 * script, 0 otherwise; a NULL haystack counts as empty, a NULL needle gives NULL. */
static void
sql_md_contains (sqlite3_context  *context,
                 int               argc,
                 sqlite3_value   **argv)
{
  /* The needle is a bound parameter, constant for the statement's run: SQLite keeps it,
   * decoded and folded, from row to row. */
  MdFoldNeedle *needle = sqlite3_get_auxdata (context, 1);
  gboolean new_needle = FALSE;
  const char *haystack;
  int length;

  g_assert (argc == 2);
  if (needle == NULL)
    {
      const char *text = (const char *) sqlite3_value_text (argv[1]);

      if (text == NULL)
        {
          sqlite3_result_null (context);
          return;
        }
      if (!g_utf8_validate (text, sqlite3_value_bytes (argv[1]), NULL))
        {
          sqlite3_result_error (context, "md_contains: the search term is not valid UTF-8", -1);
          return;
        }
      /* Folded here too, so that the function is right whoever binds the term. */
      needle = _md_fold_needle_new (text);
      new_needle = TRUE;
    }
  haystack = (const char *) sqlite3_value_text (argv[0]);
  length = haystack != NULL ? sqlite3_value_bytes (argv[0]) : 0;
  sqlite3_result_int (context, _md_fold_contains (needle, haystack != NULL ? haystack : "",
                                                  length));
  /* Last: SQLite may free the needle at once. */
  if (new_needle)
    sqlite3_set_auxdata (context, 1, needle, (void (*) (void *)) _md_fold_needle_free);
}

gboolean
_md_index_register_functions (sqlite3  *db,
                              GError  **error)
{
  if (sqlite3_create_function_v2 (db, "md_contains", 2,
                                  SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                  sql_md_contains, NULL, NULL, NULL) != SQLITE_OK)
    return _md_index_set_error (db, error, "adding the search functions");
  /* Not deterministic: it counts each call. */
  if (sqlite3_create_function_v2 (db, "md_visit", 2, SQLITE_UTF8 | SQLITE_INNOCUOUS, NULL,
                                  _md_search_sql_visit, NULL, NULL, NULL) != SQLITE_OK)
    return _md_index_set_error (db, error, "adding the search functions");
  return TRUE;
}

sqlite3 *
_md_index_open (const char  *path,
                gboolean     for_import,
                GError     **error)
{
  sqlite3 *db = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  /* An import's connection belongs to its thread alone: the per-call locking is saved. */
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
              (for_import ? SQLITE_OPEN_NOMUTEX : SQLITE_OPEN_FULLMUTEX);
  static gsize configured = 0;

  /* Memory statistics take a global lock around every allocation, and nothing reads them.
   * This only works before SQLite's first use, hence the first open. */
  if (g_once_init_enter (&configured))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&configured, 1);
    }
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_IO, "cannot create the folder %s of the index", dir);
      return NULL;
    }
  if (sqlite3_open_v2 (path, &db, flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_DATABASE, "cannot open the index %s: %s", path,
                   db ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 30000);
  sqlite3_extended_result_codes (db, 1);
  if (!_md_index_register_functions (db, error))
    {
      sqlite3_close (db);
      return NULL;
    }

  /* The index is derived and can be rebuilt from the shards: durability is traded for speed
   * while importing. */
  /* An index in use by an import holds the write lock for minutes: a current schema must not
   * need it, so readers open at once. */
  {
    g_auto(sqlite3_stmt_ptr) version = _md_index_prepare (db, "PRAGMA user_version", NULL);

    if (version != NULL && sqlite3_step (version) == SQLITE_ROW &&
        sqlite3_column_int (version, 0) == MD_INDEX_SCHEMA_VERSION)
      {
        g_clear_pointer (&version, sqlite3_finalize);
        if (!_md_index_exec (db, "PRAGMA temp_store = MEMORY;"
                                 "PRAGMA cache_size = -65536;", error) ||
            !_md_index_exec (db, for_import ? "PRAGMA synchronous = OFF;"
                                              "PRAGMA cache_size = -131072;"
                                            : "PRAGMA synchronous = NORMAL;", error) ||
            !_md_index_attach_search (db, path, TRUE, error))
          {
            sqlite3_close (db);
            return NULL;
          }
        return db;
      }
  }

  if (!_md_index_exec (db, "PRAGMA journal_mode = WAL;"
                           "PRAGMA foreign_keys = OFF;"
                           "PRAGMA temp_store = MEMORY;"
                           "PRAGMA cache_size = -65536;", error) ||
      !_md_index_exec (db, for_import ? "PRAGMA synchronous = OFF; PRAGMA cache_size = -131072;"
                                      : "PRAGMA synchronous = NORMAL;", error) ||
      !_md_index_exec (db, "BEGIN IMMEDIATE;", error))
    {
      sqlite3_close (db);
      return NULL;
    }

  {
    g_auto(sqlite3_stmt_ptr) version = _md_index_prepare (db, "PRAGMA user_version", error);
    int current = 0;

    if (version == NULL)
      goto fail;
    if (sqlite3_step (version) == SQLITE_ROW)
      current = sqlite3_column_int (version, 0);
    if (current != 0 && current != MD_INDEX_SCHEMA_VERSION)
      {
        g_auto(sqlite3_stmt_ptr) ours = _md_index_prepare (db,
          "SELECT count(*) FROM sqlite_schema WHERE name IN ('pairs', 'texts', 'meta', 'files')",
          NULL);

        /* An older index is rebuilt from the shards (it is derived data); anything else, say a
         * review file passed by mistake, is left alone. */
        if (ours == NULL || sqlite3_step (ours) != SQLITE_ROW || sqlite3_column_int (ours, 0) != 4)
          {
            g_set_error (error, MD_ERROR, MD_ERROR_DATABASE,
                         "%s is not a MIMIC Desk index (schema version %d, expected %d)",
                         path, current, MD_INDEX_SCHEMA_VERSION);
            goto fail;
          }
        g_clear_pointer (&ours, sqlite3_finalize);
        g_clear_pointer (&version, sqlite3_finalize);
        sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close (db);
        g_message ("index %s has schema version %d, expected %d: it will be rebuilt by the next "
                   "import", path, current, MD_INDEX_SCHEMA_VERSION);
        for (guint i = 0; i < 6; i++)
          {
            static const char * const suffixes[] = {
              "", "-wal", "-shm", ".search.sqlite", ".search.sqlite-wal", ".search.sqlite-shm"
            };
            g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

            g_unlink (file);
          }
        return _md_index_open (path, for_import, error);
      }
  }
  if (!_md_index_exec (db, schema, error) ||
      !_md_index_exec (db, "PRAGMA user_version = " G_STRINGIFY (MD_INDEX_SCHEMA_VERSION) ";"
                           "COMMIT;", error))
    goto fail;
  if (!_md_index_attach_search (db, path, TRUE, error))
    {
      sqlite3_close (db);
      return NULL;
    }

  return db;

fail:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (db);
  return NULL;
}
