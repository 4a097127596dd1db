/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "md-query-private.h"

G_BEGIN_DECLS

/* Running a text search at bounded cost.
 *
 * A search walks the texts in key order (key = pair rowid * 8 + language) from a frontier,
 * through one of several paths that all give the same rows:
 * - "index": the trigram index narrowed by up to MD_SEARCH_RUN_MAX_INDEXED of the rarest
 *   positive clauses together (FTS5 intersects their posting lists);
 * - "rarest": the trigram index narrowed by the rarest clause alone, every other clause
 *   checked on the text (fewer posting lists to merge when the intersection is the cost);
 * - "scan": every text, when no positive clause can use the index (terms of 1-2 characters).
 * Each candidate row the path produces is checked against every clause, the filters, and the
 * exclusions of its pair.
 *
 * Cost is counted in rows visited, not in time, so that the same query on the same index
 * always costs the same: every candidate row is one visit per clause it is checked against
 * (two in a scan, whose rows mostly fail and so are read to their end), and reading the index
 * over a span
 * of keys costs n_trigrams * span / MD_SEARCH_RUN_KEYS_PER_VISIT more (merging posting lists
 * costs in proportion to the span they cover, even when nothing in it matches). A step of the
 * count is given a budget of visits; a path that spends its share without reaching the end or
 * the number of pairs asked for gives way to the next one, and the step ends, resumable, when
 * the budget is spent. The frontier always moves on by at least one key, so repeated steps
 * reach the end. */

/* Parameters, bound by number so that user text is never part of the SQL. */
enum
{
  MD_SEARCH_P_AFTER = 1,
  MD_SEARCH_P_LIMIT = 2,
  MD_SEARCH_P_OFFSET = 3,
  MD_SEARCH_P_EXPR = 4,
  MD_SEARCH_P_LANGUAGE = 5,
  MD_SEARCH_P_SHOW = 6,
  MD_SEARCH_P_DATASET = 7,
  MD_SEARCH_P_MODALITY = 8,
  MD_SEARCH_P_FLAGS = 9,
  MD_SEARCH_P_UPTO = 10,
  MD_SEARCH_P_REVIEW_LANG = 11,
  MD_SEARCH_P_REVIEW_STATUS = 12,
  MD_SEARCH_P_REVIEW_REASON = 13,
  MD_SEARCH_P_REVIEW_REVIEWER = 14,
  MD_SEARCH_P_REVIEW_SAMPLE = 15,
  MD_SEARCH_P_DISPLAY = 16,
  MD_SEARCH_P_VISITS = 17,
  MD_SEARCH_P_CLAUSES = 20,
};

#define MD_SEARCH_RUN_MAX_INDEXED 4
#define MD_SEARCH_RUN_KEYS_PER_VISIT 1024

typedef struct _MdSearchRun MdSearchRun;

typedef struct
{
  gint64   after;      /* every key <= after is done */
  gint64   last_pair;  /* pair rowid counted last, -1 */
  guint64  n_pairs;    /* pairs counted so far */
  guint    path;       /* the path in use */
  gint64   span;       /* keys per chunk on that path */
  gboolean done;       /* the frontier passed the last key */
  guint64  visited;    /* rows visited over the count's life, probing included */
} MdSearchCursor;

/* Called for each pair counted, in order. */
typedef void (*MdSearchPairFunc) (gint64   pair_rowid,
                                  guint64  index,
                                  gpointer data);

/* Plans `query` (its text must hold a search): parses it and, on `db`, looks up how rare each
 * indexed clause is (a few hundred visits, charged to *cursor). */
MdSearchRun *_md_search_run_new       (sqlite3        *db,
                                       const MdQuery  *query,
                                       MdSearchCursor *cursor,
                                       GError        **error);
void         _md_search_run_free      (MdSearchRun    *run);
const char  *_md_search_run_path_name (MdSearchRun    *run,
                                       guint           path);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSearchRun, _md_search_run_free)

void         _md_search_cursor_init   (MdSearchCursor *cursor);

/* Counts on from *cursor until `max_new` more pairs are counted, the end is reached, or
 * `budget` visits are spent (G_MAXUINT64: no budget). Sets *out_over_budget when it stopped
 * for the budget. */
gboolean     _md_search_run_count     (MdSearchRun     *run,
                                       sqlite3         *db,
                                       MdSearchCursor  *cursor,
                                       guint64          max_new,
                                       guint64          budget,
                                       MdSearchPairFunc on_pair,
                                       gpointer         data,
                                       gboolean        *out_over_budget,
                                       GError         **error);

/* The rows of the pairs whose texts lie in (after, upto], at most `max_pairs` pairs, one row
 * per pair: columns pair rowid, pair id, dataset code, modality, n_images, languages, flags,
 * key, instruction shown. Calls `row` for each. */
typedef void (*MdSearchRowFunc) (sqlite3_stmt *stmt,
                                 gpointer      data);
gboolean     _md_search_run_fetch     (MdSearchRun     *run,
                                       sqlite3         *db,
                                       guint            path,
                                       gint64           after,
                                       gint64           upto,
                                       guint            max_pairs,
                                       MdSearchRowFunc  row,
                                       gpointer         data,
                                       GError         **error);

/* The non-text filters of `query` as " AND ..." conditions on the pairs row `p`, and their
 * parameters (numbers below 20, see md-search-run.c). */
void         _md_search_append_filters (GString        *sql,
                                        const MdQuery  *query);
void         _md_search_bind_filters   (sqlite3_stmt   *stmt,
                                        const MdQuery  *query);

/* md_visit(counter, key): the SQL function that counts visits (registered with the others by
 * _md_index_register_functions()). */
void         _md_search_sql_visit      (sqlite3_context *context,
                                        int              argc,
                                        sqlite3_value  **argv);

G_END_DECLS
