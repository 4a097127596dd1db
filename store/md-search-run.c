/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include "md-error.h"
#include "md-index-private.h"
#include "md-review-store.h"
#include "md-search-run-private.h"

/* Keys a probe of a clause's rarity reads from the index's start. */
#define PROBE_KEYS ((gint64) 8 * 2048)
#define PROBE_LIMIT 200
#define FIRST_SPAN_INDEX ((gint64) 8 * 16384)
#define FIRST_SPAN_SCAN ((gint64) 8 * 512)
#define MAX_SPAN ((gint64) 8 * 1048576)

typedef struct
{
  const char *name;
  char       *fts_expr;    /* NULL: scan the texts */
  guint       n_trigrams;
  guint       weight;      /* visits per candidate row */
  char       *count_sql;
  char       *page_sql;
} Path;

struct _MdSearchRun
{
  MdQuery      *query;
  MdSearchPlan *plan;
  GPtrArray    *paths;
  gint64        max_key;
};

/* The counter md_visit() updates, bound as a pointer. */
typedef struct
{
  guint64  n;
  guint64  weight;   /* visits per row: the clauses it is checked against */
  guint64  limit;
  gint64   stopped_key;
  gboolean over;
} Visits;

#define VISITS_TYPE "md-search-visits"

void
_md_search_sql_visit (sqlite3_context  *context,
                      int               argc,
                      sqlite3_value   **argv)
{
  Visits *visits = sqlite3_value_pointer (argv[0], VISITS_TYPE);

  g_assert (argc == 2);
  if (visits != NULL && visits->n + visits->weight > visits->limit && visits->n > 0)
    {
      /* Stops the statement: the caller tells this from a real error by visits->over. */
      visits->over = TRUE;
      visits->stopped_key = sqlite3_value_int64 (argv[1]);
      sqlite3_result_error (context, "the search's budget is spent", -1);
      return;
    }
  if (visits != NULL)
    visits->n += visits->weight;
  sqlite3_result_int (context, 1);
}

void
_md_search_append_filters (GString       *sql,
                           const MdQuery *query)
{
  if (query->dataset != NULL && *query->dataset != '\0')
    g_string_append (sql, " AND p.dataset_id = (SELECT id FROM datasets WHERE code = ?7)");
  if (query->modality >= 0)
    g_string_append (sql, " AND p.modality = ?8");
  if (query->flags != 0)
    g_string_append (sql, " AND (p.flags & ?9) = ?9");

  /* Review filters: the review file (ATTACHed as `review`) is keyed by (dataset code, pair id),
   * so each is an EXISTS on its primary key, one lookup per candidate pair. */
#define SAME_PAIR(t) " WHERE " t ".dataset = (SELECT code FROM datasets WHERE id = p.dataset_id)" \
                     " AND " t ".pair_id = p.pair_id"
  if (query->review_status > MD_REVIEW_STATUS_UNREVIEWED)
    g_string_append (sql, " AND EXISTS (SELECT 1 FROM review.pair_status s" SAME_PAIR ("s")
                          " AND s.lang = ?11 AND s.status = ?12)");
  if (query->review_unreviewed || query->review_status == MD_REVIEW_STATUS_UNREVIEWED)
    g_string_append (sql, " AND NOT EXISTS (SELECT 1 FROM review.reviewed_pair v" SAME_PAIR ("v")
                          " AND v.lang = ?11)");
  if (query->review_reason != NULL && *query->review_reason != '\0')
    g_string_append (sql, " AND EXISTS (SELECT 1 FROM review.pair_reason r" SAME_PAIR ("r")
                          " AND r.lang = ?11 AND r.tag = ?13)");
  if (query->review_reviewer != NULL && *query->review_reviewer != '\0')
    g_string_append (sql, " AND EXISTS (SELECT 1 FROM review.pair_status w" SAME_PAIR ("w")
                          " AND w.lang = ?11 AND w.reviewer = ?14)");
  if (query->review_edited)
    g_string_append (sql, " AND EXISTS (SELECT 1 FROM review.pair_text e" SAME_PAIR ("e") ")");
  if (query->review_sample != NULL && *query->review_sample != '\0')
    g_string_append (sql, " AND EXISTS (SELECT 1 FROM review.review_sample_member m"
                          " WHERE m.sample = ?15 AND m.pair_id = p.pair_id"
                          " AND m.dataset = (SELECT code FROM datasets WHERE id = p.dataset_id))");
#undef SAME_PAIR
}

void
_md_search_bind_filters (sqlite3_stmt  *stmt,
                         const MdQuery *query)
{
  if (query->language >= 0)
    sqlite3_bind_int (stmt, MD_SEARCH_P_LANGUAGE, query->language);
  sqlite3_bind_text (stmt, MD_SEARCH_P_REVIEW_LANG, query->review_language >= 0
                     ? md_language_code (query->review_language) : "", -1, SQLITE_STATIC);
  if (query->review_status >= 0)
    sqlite3_bind_text (stmt, MD_SEARCH_P_REVIEW_STATUS,
                       md_review_status_name (query->review_status), -1, SQLITE_STATIC);
  if (query->review_reason != NULL)
    sqlite3_bind_text (stmt, MD_SEARCH_P_REVIEW_REASON, query->review_reason, -1,
                       SQLITE_STATIC);
  if (query->review_reviewer != NULL)
    sqlite3_bind_text (stmt, MD_SEARCH_P_REVIEW_REVIEWER, query->review_reviewer, -1,
                       SQLITE_STATIC);
  if (query->review_sample != NULL)
    sqlite3_bind_text (stmt, MD_SEARCH_P_REVIEW_SAMPLE, query->review_sample, -1,
                       SQLITE_STATIC);
  if (query->dataset != NULL && *query->dataset != '\0')
    sqlite3_bind_text (stmt, MD_SEARCH_P_DATASET, query->dataset, -1, SQLITE_STATIC);
  if (query->modality >= 0)
    sqlite3_bind_int (stmt, MD_SEARCH_P_MODALITY, query->modality);
  if (query->flags != 0)
    sqlite3_bind_int (stmt, MD_SEARCH_P_FLAGS, query->flags);
}

static void
path_free (Path *path)
{
  g_free (path->fts_expr);
  g_free (path->count_sql);
  g_free (path->page_sql);
  g_free (path);
}

static char *
build_sql (MdSearchRun *run,
           Path        *path,
           gboolean     for_count)
{
  const MdQuery *query = run->query;
  const char *key = path->fts_expr != NULL ? "fts.rowid" : "t.key";
  GString *sql = g_string_new ("SELECT p.rowid, ");
  guint param = MD_SEARCH_P_CLAUSES;
  gboolean any_negative = FALSE;

  if (for_count)
    g_string_append (sql, key);
  else
    g_string_append_printf (sql, "p.pair_id, d.code, p.modality, p.n_images, p.languages, "
                                 "p.flags, %s, coalesce(m.instruction, me.instruction)", key);
  if (path->fts_expr != NULL)
    g_string_append (sql, " FROM fts CROSS JOIN texts t ON t.key = fts.rowid");
  else
    g_string_append (sql, " FROM texts t");
  g_string_append_printf (sql, " CROSS JOIN pairs p ON p.rowid = (%s >> 3)", key);
  /* The row's line is in the language the text matched in, or in the display language
   * (English when the pair lacks it). */
  if (!for_count)
    g_string_append_printf (sql, " JOIN datasets d ON d.id = p.dataset_id"
                                 " LEFT JOIN texts m ON m.key = %s"
                                 " LEFT JOIN texts me ON me.key = p.rowid * 8",
                            query->display_language < 0 ? key : "p.rowid * 8 + ?16");
  g_string_append_printf (sql, " WHERE %s > ?1 AND %s <= ?10", key, key);
  if (path->fts_expr != NULL)
    g_string_append (sql, " AND fts MATCH ?4");
  /* First of the remaining terms: every candidate row is counted before anything is read for
   * it. */
  g_string_append_printf (sql, " AND md_visit(?17, %s)", key);
  if (query->language >= 0)
    g_string_append_printf (sql, " AND (%s & 7) = ?5", key);
  for (guint i = 0; i < run->plan->clauses->len; i++)
    {
      const MdSearchClause *clause = g_ptr_array_index (run->plan->clauses, i);

      if (clause->negative)
        {
          any_negative = TRUE;
          continue;
        }
      g_string_append (sql, " AND ");
      _md_search_clause_append_sql (clause, sql, "t", &param);
    }
  _md_search_append_filters (sql, query);
  if (any_negative)
    {
      gboolean first = TRUE;

      /* Exclusions apply to the pair: any of its texts, in any language. */
      g_string_append (sql, " AND NOT EXISTS (SELECT 1 FROM texts x"
                            " WHERE x.key BETWEEN p.rowid * 8 AND p.rowid * 8 + 7 AND (");
      for (guint i = 0; i < run->plan->clauses->len; i++)
        {
          const MdSearchClause *clause = g_ptr_array_index (run->plan->clauses, i);

          if (!clause->negative)
            continue;
          if (!first)
            g_string_append (sql, " OR ");
          first = FALSE;
          _md_search_clause_append_sql (clause, sql, "x", &param);
        }
      g_string_append (sql, "))");
    }
  g_string_append_printf (sql, " ORDER BY %s", key);
  return g_string_free (sql, FALSE);
}

static void
bind_path (MdSearchRun  *run,
           Path         *path,
           sqlite3_stmt *stmt,
           gint64        after,
           gint64        upto,
           Visits       *visits)
{
  guint param = MD_SEARCH_P_CLAUSES;

  sqlite3_bind_int64 (stmt, MD_SEARCH_P_AFTER, after);
  sqlite3_bind_int64 (stmt, MD_SEARCH_P_UPTO, upto);
  if (path->fts_expr != NULL)
    sqlite3_bind_text (stmt, MD_SEARCH_P_EXPR, path->fts_expr, -1, SQLITE_STATIC);
  if (run->query->display_language >= 0)
    sqlite3_bind_int (stmt, MD_SEARCH_P_DISPLAY, run->query->display_language);
  sqlite3_bind_pointer (stmt, MD_SEARCH_P_VISITS, visits, VISITS_TYPE, NULL);
  _md_search_bind_filters (stmt, run->query);
  /* Positive clauses first, then exclusions: the order build_sql() numbered them in. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < run->plan->clauses->len; i++)
      {
        const MdSearchClause *clause = g_ptr_array_index (run->plan->clauses, i);

        if (clause->negative == (pass == 1))
          _md_search_clause_bind (clause, stmt, &param);
      }
}

static gboolean
run_error (sqlite3  *db,
           GError  **error)
{
  /* An FTS5 expression we built should always parse; if SQLite still refuses it, tell the user
   * about the query, not about SQL. */
  g_set_error (error, MD_ERROR, MD_ERROR_QUERY, "the search could not be run: %s",
               sqlite3_errmsg (db));
  return FALSE;
}

typedef struct
{
  MdSearchClause *clause;
  gint64          n;
} Rarity;

static int
compare_rarity (gconstpointer a,
                gconstpointer b)
{
  const Rarity *x = a, *y = b;

  if (x->n != y->n)
    return x->n < y->n ? -1 : 1;
  /* More trigrams narrow more. */
  return (int) y->clause->n_trigrams - (int) x->clause->n_trigrams;
}

/* How many rows of the index's first keys each indexed clause matches (by its trigrams). */
static gboolean
probe (MdSearchRun    *run,
       sqlite3        *db,
       GArray         *rarities,
       MdSearchCursor *cursor,
       GError        **error)
{
  g_auto(sqlite3_stmt_ptr) stmt = NULL;

  if (rarities->len < 2)
    return TRUE;
  stmt = _md_index_prepare (db, "SELECT count(*) FROM (SELECT 1 FROM fts "
                                "WHERE fts MATCH ?1 AND rowid <= ?2 LIMIT ?3)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < rarities->len; i++)
    {
      Rarity *r = &g_array_index (rarities, Rarity, i);

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, r->clause->fts_expr, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, PROBE_KEYS);
      sqlite3_bind_int (stmt, 3, PROBE_LIMIT);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        return run_error (db, error);
      r->n = sqlite3_column_int64 (stmt, 0);
      cursor->visited += r->n + r->clause->n_trigrams * PROBE_KEYS / MD_SEARCH_RUN_KEYS_PER_VISIT;
    }
  g_array_sort (rarities, compare_rarity);
  return TRUE;
}

static Path *
path_new (MdSearchRun *run,
          const char  *name,
          GArray      *rarities,
          guint        n_clauses)
{
  Path *path = g_new0 (Path, 1);

  path->name = name;
  if (n_clauses > 0)
    {
      GString *expr = g_string_new (NULL);

      for (guint i = 0; i < n_clauses; i++)
        {
          const MdSearchClause *clause = g_array_index (rarities, Rarity, i).clause;

          if (i > 0)
            g_string_append (expr, " AND ");
          g_string_append (expr, clause->fts_expr);
          path->n_trigrams += clause->n_trigrams;
        }
      path->fts_expr = g_string_free (expr, FALSE);
    }
  /* Each clause may read the whole text; rows of a scan mostly fail, so they read it all. */
  path->weight = MAX (run->plan->clauses->len, 1) * (n_clauses == 0 ? 2 : 1);
  path->count_sql = build_sql (run, path, TRUE);
  path->page_sql = build_sql (run, path, FALSE);
  return path;
}

void
_md_search_cursor_init (MdSearchCursor *cursor)
{
  *cursor = (MdSearchCursor) { .after = -1, .last_pair = -1 };
}

MdSearchRun *
_md_search_run_new (sqlite3         *db,
                    const MdQuery   *query,
                    MdSearchCursor  *cursor,
                    GError         **error)
{
  g_autoptr(MdSearchRun) run = g_new0 (MdSearchRun, 1);
  g_autoptr(GArray) rarities = g_array_new (FALSE, FALSE, sizeof (Rarity));

  run->query = md_query_copy (query);
  run->paths = g_ptr_array_new_with_free_func ((GDestroyNotify) path_free);
  run->plan = _md_search_plan_new (query->text, error);
  if (run->plan == NULL)
    return NULL;
  {
    g_auto(sqlite3_stmt_ptr) max = _md_index_prepare (db, "SELECT max(key) FROM texts", error);

    if (max == NULL)
      return NULL;
    run->max_key = sqlite3_step (max) == SQLITE_ROW ? sqlite3_column_int64 (max, 0) : 0;
  }
  for (guint i = 0; i < run->plan->clauses->len; i++)
    {
      Rarity r = { g_ptr_array_index (run->plan->clauses, i), 0 };

      if (r.clause->fts_expr != NULL)
        g_array_append_val (rarities, r);
    }
  if (!probe (run, db, rarities, cursor, error))
    return NULL;

  if (rarities->len == 0)
    g_ptr_array_add (run->paths, path_new (run, "scan", rarities, 0));
  else
    g_ptr_array_add (run->paths, path_new (run, "index", rarities,
                                           MIN (rarities->len, MD_SEARCH_RUN_MAX_INDEXED)));
  if (rarities->len >= 2)
    g_ptr_array_add (run->paths, path_new (run, "rarest", rarities, 1));
  return g_steal_pointer (&run);
}

void
_md_search_run_free (MdSearchRun *run)
{
  if (run == NULL)
    return;
  g_clear_pointer (&run->query, md_query_free);
  g_clear_pointer (&run->plan, _md_search_plan_free);
  g_clear_pointer (&run->paths, g_ptr_array_unref);
  g_free (run);
}

const char *
_md_search_run_path_name (MdSearchRun *run,
                          guint        path)
{
  g_return_val_if_fail (path < run->paths->len, NULL);
  return ((Path *) g_ptr_array_index (run->paths, path))->name;
}

gboolean
_md_search_run_count (MdSearchRun      *run,
                      sqlite3          *db,
                      MdSearchCursor   *cursor,
                      guint64           max_new,
                      guint64           budget,
                      MdSearchPairFunc  on_pair,
                      gpointer          data,
                      gboolean         *out_over_budget,
                      GError          **error)
{
  gboolean unlimited = budget == G_MAXUINT64;
  guint n_paths = run->paths->len;
  /* With another path to go to, one path gets half of the step; the next one the rest. */
  guint64 share = unlimited || n_paths == 1 ? budget : budget / 2;
  guint64 spent = 0, path_spent = 0;
  guint64 counted = 0;

  *out_over_budget = FALSE;
  while (!cursor->done && counted < max_new)
    {
      Path *path = g_ptr_array_index (run->paths, cursor->path);
      g_auto(sqlite3_stmt_ptr) stmt = NULL;
      gint64 span, hi;
      guint64 charge = 0;
      guint64 left = unlimited ? G_MAXUINT64 : budget - MIN (budget, spent);
      guint64 path_left = unlimited ? G_MAXUINT64 : MIN (left, share - MIN (share, path_spent));
      Visits visits = { .weight = path->weight };
      gboolean full = FALSE;
      int rc;

      if (!unlimited && path_left == 0)
        {
          if (left == 0)
            {
              *out_over_budget = TRUE;
              break;
            }
          /* This path spent its share: give the rest to the next. */
          cursor->path = (cursor->path + 1) % n_paths;
          cursor->span = 0;
          path_spent = 0;
          share = left;
          continue;
        }

      if (cursor->span == 0)
        cursor->span = path->fts_expr != NULL ? FIRST_SPAN_INDEX : FIRST_SPAN_SCAN;
      span = cursor->span;
      if (path->n_trigrams > 0)
        {
          /* Reading the index over the span costs visits too: keep it within what is left. */
          if (!unlimited)
            span = MIN (span, (gint64) MIN (path_left / 2 * MD_SEARCH_RUN_KEYS_PER_VISIT
                                            / path->n_trigrams, (guint64) MAX_SPAN));
          span = MAX (span, 8);
          charge = MAX (1, path->n_trigrams * (guint64) span / MD_SEARCH_RUN_KEYS_PER_VISIT);
        }
      hi = MIN (cursor->after + span, run->max_key);
      /* At least one row per chunk (md_visit() lets the first through), so that the frontier
       * always moves. */
      visits.limit = unlimited ? G_MAXUINT64 : path_left - MIN (path_left, charge);

      stmt = _md_index_prepare (db, path->count_sql, error);
      if (stmt == NULL)
        return FALSE;
      bind_path (run, path, stmt, cursor->after, hi, &visits);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 pair = sqlite3_column_int64 (stmt, 0);
          gint64 key = sqlite3_column_int64 (stmt, 1);

          if (pair == cursor->last_pair)
            continue;
          if (counted == max_new)
            {
              full = TRUE;
              cursor->after = key - 1;
              break;
            }
          if (on_pair != NULL)
            on_pair (pair, cursor->n_pairs, data);
          cursor->n_pairs++;
          counted++;
          cursor->last_pair = pair;
        }
      if (rc != SQLITE_ROW && rc != SQLITE_DONE && !visits.over)
        return run_error (db, error);
      spent += visits.n + charge;
      path_spent += visits.n + charge;
      cursor->visited += visits.n + charge;
      if (full)
        break;
      if (visits.over)
        {
          /* Every key before the one refused is done. */
          cursor->after = visits.stopped_key - 1;
          cursor->span = MAX (8, span / 2);
          path_spent = share;
          continue;
        }
      cursor->after = hi;
      if (hi >= run->max_key)
        cursor->done = TRUE;
      /* Few visits for the span: take a wider one next time. */
      if (unlimited || visits.n + charge < path_left / 4)
        cursor->span = MIN (span * 2, MAX_SPAN);
    }
  return TRUE;
}

gboolean
_md_search_run_fetch (MdSearchRun      *run,
                      sqlite3          *db,
                      guint             path_index,
                      gint64            after,
                      gint64            upto,
                      guint             max_pairs,
                      MdSearchRowFunc   row,
                      gpointer          data,
                      GError          **error)
{
  Path *path = g_ptr_array_index (run->paths, MIN (path_index, run->paths->len - 1));
  g_auto(sqlite3_stmt_ptr) stmt = _md_index_prepare (db, path->page_sql, error);
  Visits visits = { .weight = 1, .limit = G_MAXUINT64 };
  gint64 last_pair = -1;
  guint n = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_path (run, path, stmt, after, upto, &visits);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 pair = sqlite3_column_int64 (stmt, 0);

      if (pair == last_pair)
        continue;
      if (n == max_pairs)
        return TRUE;
      row (stmt, data);
      last_pair = pair;
      n++;
    }
  if (rc != SQLITE_DONE)
    return run_error (db, error);
  return TRUE;
}
