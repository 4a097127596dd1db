/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The derived index: schema, connections and small SQL helpers. Private to store/.
 *
 * Keys that tie the tables together:
 * - pairs.rowid is the pair's place in the browse order (import order, never reused: the
 *   importer hands them out from meta 'next_pair_rowid', so the full-text marker below stays
 *   meaningful; AUTOINCREMENT would cost a write of its own for every pair).
 * - texts.key = pairs.rowid * 8 + MdLanguage: one row per pair and language with both fields,
 *   so that the full-text row of a pair's language is found without a join, and all rows of a
 *   pair are neighbours in rowid order (results come out in pair order for free).
 * - fts is a contentless FTS5 table over texts (rowid = texts.key) in a file of its own,
 *   `<index>.search.sqlite`, attached to every connection as `search`. It is filled in a
 *   separate phase up to search.search_meta 'built_up_to', by its own connection: SQLite lets
 *   one writer at a time into a file, and with two files the search index is built on one core
 *   while the references are checked on the other. It uses the trigram tokenizer with
 *   detail=none: no positions, so it is 2.5 times smaller and about 3 times faster to build; a
 *   search term becomes an AND of its trigrams in the index, verified with LIKE on the text (see
 *   md-query-private.h).
 * - The few writes the import makes to the search file itself (replaced texts that were already
 *   indexed) share a transaction with the index's file; meta 'search_suspect' is set around
 *   them, so that a crash between the two files' commits makes the next import rebuild the
 *   search index rather than trust it. */

#include <sqlite3.h>
#include <gio/gio.h>

G_BEGIN_DECLS

#define MD_INDEX_SCHEMA_VERSION 4

/* The user turns of Syphus queries (query_input.json, md-import-syphus-query.c): kind is
 * "regenerate" or "translate". Also created on import in indexes older than the table. */
#define MD_INDEX_SYPHUS_QUERIES_SCHEMA \
  "CREATE TABLE IF NOT EXISTS syphus_queries (" \
  "  query_id TEXT NOT NULL, file_id INTEGER NOT NULL, kind TEXT NOT NULL, sentences TEXT," \
  "  PRIMARY KEY (query_id, file_id)) WITHOUT ROWID;"
#define MD_TEXT_KEY(pair_rowid, language) ((gint64) (pair_rowid) * 8 + (language))

/* Bits of pairs.flags, computed after every import from all inputs. They match MdQueryFlags. */
#define MD_PAIR_FLAG_MISSING_IMAGES       (1 << 0)
#define MD_PAIR_FLAG_MISSING_TRANSLATIONS (1 << 1)
#define MD_PAIR_FLAG_DANGLING_CONTEXT     (1 << 2)

/* Bits of images.variant. */
#define MD_IMAGE_ESCAPED 1   /* the string holds JSON escapes ("\/") */
#define MD_IMAGE_LISTED  2   /* the value was ["..."] */
#define MD_IMAGE_BAD     4   /* not base64 or not an image: reported for each pair using it */

/* problems.phase: rows written while importing a file (deleted with the file) and rows derived
 * from all inputs together (recomputed after each import). */
#define MD_PROBLEM_PHASE_FILE       0
#define MD_PROBLEM_PHASE_REFERENCES 1

sqlite3  *_md_index_open          (const char   *path,
                                   gboolean      for_import,
                                   GError      **error);
/* The application's SQL functions (md_contains(), md-fold-private.h) that search queries use:
 * every connection that runs one needs them, _md_index_open() adds them itself. */
gboolean  _md_index_register_functions (sqlite3  *db,
                                        GError  **error);
/* The search file of an index, its attachment as schema `search` (created when `writable`),
 * and its progress marker. */
char     *_md_index_search_path   (const char   *index_path);
gboolean  _md_index_attach_search (sqlite3      *db,
                                   const char   *index_path,
                                   gboolean      writable,
                                   GError      **error);
gint64    _md_index_get_search_marker (sqlite3  *db);
gboolean  _md_index_set_search_marker (sqlite3  *db,
                                       gint64    value,
                                       GError  **error);
gboolean  _md_index_exec          (sqlite3      *db,
                                   const char   *sql,
                                   GError      **error);
sqlite3_stmt *_md_index_prepare   (sqlite3      *db,
                                   const char   *sql,
                                   GError      **error);
/* sqlite3_errmsg() plus, for write failures, what the system said: "disk I/O error" alone does
 * not tell the user that the disk (or a file size limit) is full. Newly allocated. */
char     *_md_sqlite_describe_error (sqlite3    *db);
gboolean  _md_index_set_error     (sqlite3      *db,
                                   GError      **error,
                                   const char   *doing);
gint64    _md_index_get_meta_int  (sqlite3      *db,
                                   const char   *key,
                                   gint64        default_value);
gboolean  _md_index_set_meta_int  (sqlite3      *db,
                                   const char   *key,
                                   gint64        value,
                                   GError      **error);

typedef sqlite3_stmt *sqlite3_stmt_ptr;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (sqlite3_stmt_ptr, sqlite3_finalize, NULL)

G_END_DECLS
