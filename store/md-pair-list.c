/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include "md-pair-list-private.h"
#include "md-pair-private.h"
#include "md-query-private.h"
#include "md-review-store.h"
#include "md-store-private.h"

#define MAX_CACHED_PAGES 64
#define FIRST_TEXT_CAP 5000
#define UNKNOWN_ANCHOR G_MININT64

typedef enum
{
  MODE_ALL,    /* no search text: walk the pairs table */
  MODE_FTS,    /* the trigram index, plus LIKE conditions for 1-2 character terms */
  MODE_SCAN,   /* only short terms: scan the texts with LIKE, always under a LIMIT */
} Mode;

/* Parameters, bound by number so that user text is never part of the SQL. */
enum
{
  P_AFTER = 1,
  P_LIMIT = 2,
  P_OFFSET = 3,
  P_EXPR = 4,
  P_LANGUAGE = 5,
  P_SHOW = 6,
  P_DATASET = 7,
  P_MODALITY = 8,
  P_FLAGS = 9,
  P_UPTO = 10,
  P_REVIEW_LANG = 11,
  P_REVIEW_STATUS = 12,
  P_REVIEW_REASON = 13,
  P_REVIEW_REVIEWER = 14,
  P_REVIEW_SAMPLE = 15,
  P_DISPLAY = 16,
  P_LIKE_FIRST = 20,
};

typedef struct
{
  Mode          mode;
  MdQuery      *query;
  MdSearchPlan *plan;
  char         *page_sql;
  char         *count_sql;
} Plan;

struct _MdPairList
{
  GObject     parent_instance;

  MdStore    *store;
  Plan       *plan;
  guint       n_items;
  gboolean    exact;
  guint64     cap;
  gint64      count_after;   /* text searches: key the count goes on from */
  GHashTable *pages;     /* page index -> GPtrArray of MdPair */
  GQueue      lru;       /* page indexes, most recent first */
  GArray     *anchors;   /* gint64: the key after which page p starts, or UNKNOWN_ANCHOR */
  guint       grow_source;
  GMainContext *context;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MdPairList, md_pair_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
plan_free (Plan *plan)
{
  if (plan == NULL)
    return;
  md_query_free (plan->query);
  _md_search_plan_free (plan->plan);
  g_free (plan->page_sql);
  g_free (plan->count_sql);
  g_free (plan);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Plan, plan_free)

static void
append_like (GString    *sql,
             const char *like_sql)
{
  guint n = P_LIKE_FIRST;

  g_string_append (sql, " AND ");
  for (const char *c = like_sql; *c != '\0'; c++)
    {
      if (*c == '?')
        g_string_append_printf (sql, "?%u", n++);
      else
        g_string_append_c (sql, *c);
    }
}

static void
append_filters (GString       *sql,
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

static char *
build_sql (Plan     *plan,
           gboolean  for_count)
{
  GString *sql = g_string_new ("SELECT p.rowid, ");
  const MdQuery *query = plan->query;
  gboolean has_language = query->language >= 0;

  switch (plan->mode)
    {
    case MODE_ALL:
      g_string_append (sql, for_count ? "p.rowid FROM pairs p WHERE p.rowid > ?1"
        : "p.pair_id, d.code, p.modality, p.n_images, p.languages, p.flags, p.rowid, "
          "coalesce(s.instruction, e.instruction) FROM pairs p "
          "JOIN datasets d ON d.id = p.dataset_id "
          "LEFT JOIN texts s ON s.key = p.rowid * 8 + ?6 "
          "LEFT JOIN texts e ON e.key = p.rowid * 8 WHERE p.rowid > ?1");
      if (has_language)
        g_string_append (sql, " AND (p.languages >> ?5) & 1");
      append_filters (sql, query);
      g_string_append (sql, " ORDER BY p.rowid LIMIT ?2 OFFSET ?3");
      break;

    case MODE_FTS:
    case MODE_SCAN:
      {
        const char *key = plan->mode == MODE_FTS ? "fts.rowid" : "t.key";

        if (plan->mode == MODE_FTS)
          g_string_append_printf (sql, "%s FROM fts%s", for_count ? "fts.rowid"
            : "p.pair_id, d.code, p.modality, p.n_images, p.languages, p.flags, fts.rowid, "
              "coalesce(m.instruction, me.instruction)",
            plan->plan->like_sql->len > 0 ? " CROSS JOIN texts t ON t.key = fts.rowid" : "");
        else
          g_string_append_printf (sql, "%s FROM texts t", for_count ? "t.key"
            : "p.pair_id, d.code, p.modality, p.n_images, p.languages, p.flags, t.key, "
              "coalesce(m.instruction, me.instruction)");
        g_string_append_printf (sql, " CROSS JOIN pairs p ON p.rowid = (%s >> 3)", key);
        /* The row's line is in the language the text matched in, or in the display language
         * (English when the pair lacks it). */
        if (!for_count && query->display_language < 0)
          g_string_append_printf (sql, " JOIN datasets d ON d.id = p.dataset_id"
                                       " LEFT JOIN texts m ON m.key = %s"
                                       " LEFT JOIN texts me ON me.key = p.rowid * 8", key);
        else if (!for_count)
          g_string_append (sql, " JOIN datasets d ON d.id = p.dataset_id"
                                " LEFT JOIN texts m ON m.key = p.rowid * 8 + ?16"
                                " LEFT JOIN texts me ON me.key = p.rowid * 8");
        g_string_append_printf (sql, " WHERE %s > ?1", key);
        if (for_count)
          g_string_append_printf (sql, " AND %s <= ?10", key);
        if (plan->mode == MODE_FTS)
          g_string_append (sql, " AND fts MATCH ?4");
        if (has_language)
          g_string_append_printf (sql, " AND (%s & 7) = ?5", key);
        if (plan->plan->like_sql->len > 0)
          append_like (sql, plan->plan->like_sql->str);
        append_filters (sql, query);
        g_string_append_printf (sql, " ORDER BY %s LIMIT ?2", key);
      }
      break;

    default:
      g_assert_not_reached ();
    }
  return g_string_free (sql, FALSE);
}

static Plan *
plan_new (MdQuery  *query,
          GError  **error)
{
  g_autoptr(Plan) plan = g_new0 (Plan, 1);

  plan->query = query != NULL ? md_query_copy (query) : md_query_new ();
  if (plan->query->text != NULL && *g_strstrip (plan->query->text) != '\0')
    {
      plan->plan = _md_search_plan_new (plan->query->text, error);
      if (plan->plan == NULL)
        return NULL;
      plan->mode = plan->plan->fts_expr != NULL ? MODE_FTS : MODE_SCAN;
    }
  else
    plan->mode = MODE_ALL;
  plan->page_sql = build_sql (plan, FALSE);
  plan->count_sql = build_sql (plan, TRUE);
  return g_steal_pointer (&plan);
}

static void
bind_plan (Plan         *plan,
           sqlite3_stmt *stmt,
           gint64        after,
           gint64        limit,
           gint64        offset)
{
  const MdQuery *query = plan->query;

  sqlite3_bind_int64 (stmt, P_AFTER, after);
  sqlite3_bind_int64 (stmt, P_LIMIT, limit);
  if (plan->mode == MODE_ALL)
    sqlite3_bind_int64 (stmt, P_OFFSET, offset);
  if (plan->mode == MODE_FTS)
    sqlite3_bind_text (stmt, P_EXPR, plan->plan->fts_expr, -1, SQLITE_STATIC);
  if (query->language >= 0)
    sqlite3_bind_int (stmt, P_LANGUAGE, query->language);
  if (plan->mode == MODE_ALL)
    sqlite3_bind_int (stmt, P_SHOW, query->display_language >= 0 ? query->display_language
                                    : query->language >= 0 ? query->language : 0);
  else if (query->display_language >= 0)
    sqlite3_bind_int (stmt, P_DISPLAY, query->display_language);
  sqlite3_bind_text (stmt, P_REVIEW_LANG, query->review_language >= 0
                                          ? md_language_code (query->review_language) : "",
                     -1, SQLITE_STATIC);
  if (query->review_status >= 0)
    sqlite3_bind_text (stmt, P_REVIEW_STATUS, md_review_status_name (query->review_status), -1,
                       SQLITE_STATIC);
  if (query->review_reason != NULL)
    sqlite3_bind_text (stmt, P_REVIEW_REASON, query->review_reason, -1, SQLITE_STATIC);
  if (query->review_reviewer != NULL)
    sqlite3_bind_text (stmt, P_REVIEW_REVIEWER, query->review_reviewer, -1, SQLITE_STATIC);
  if (query->review_sample != NULL)
    sqlite3_bind_text (stmt, P_REVIEW_SAMPLE, query->review_sample, -1, SQLITE_STATIC);
  if (query->dataset != NULL && *query->dataset != '\0')
    sqlite3_bind_text (stmt, P_DATASET, query->dataset, -1, SQLITE_STATIC);
  if (query->modality >= 0)
    sqlite3_bind_int (stmt, P_MODALITY, query->modality);
  if (query->flags != 0)
    sqlite3_bind_int (stmt, P_FLAGS, query->flags);
  if (plan->plan != NULL)
    for (guint i = 0; i < plan->plan->like_patterns->len; i++)
      sqlite3_bind_text (stmt, P_LIKE_FIRST + i, g_ptr_array_index (plan->plan->like_patterns, i),
                         -1, SQLITE_STATIC);
}

static gboolean
query_error (sqlite3  *db,
             GError  **error)
{
  /* An FTS5 expression we built should always parse; if SQLite still refuses it, tell the user
   * about the query, not about SQL. */
  g_set_error (error, MD_ERROR, MD_ERROR_QUERY, "the search could not be run: %s",
               sqlite3_errmsg (db));
  return FALSE;
}

/* Counting -------------------------------------------------------------------------------------- */

static guint64 count_text_locked (sqlite3  *db,
                                  Plan     *plan,
                                  gint64   *inout_after,
                                  guint64   cap,
                                  gint64    deadline,
                                  gboolean *out_exact,
                                  GError  **error);

static guint64
count_locked (sqlite3  *db,
              Plan     *plan,
              guint64   cap,
              gboolean *out_exact,
              GError  **error)
{
  const MdQuery *query = plan->query;
  g_auto(sqlite3_stmt_ptr) stmt = NULL;
  guint64 n = 0;

  if (out_exact != NULL)
    *out_exact = TRUE;

  if (plan->mode == MODE_ALL && query->language < 0 && query->modality < 0 && query->flags == 0 &&
      !md_query_has_review_filters (query))
    {
      /* Totals kept per dataset: no scan. */
      stmt = _md_index_prepare (db, "SELECT coalesce(sum(n_pairs), 0) FROM datasets "
                                    "WHERE ?1 IS NULL OR code = ?1", error);
      if (stmt == NULL)
        return 0;
      sqlite3_bind_text (stmt, 1, query->dataset && *query->dataset ? query->dataset : NULL, -1,
                         SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        return sqlite3_column_int64 (stmt, 0);
      return 0;
    }

  if (plan->mode == MODE_ALL)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM (%s)", plan->count_sql);

      stmt = _md_index_prepare (db, sql, error);
      if (stmt == NULL)
        return 0;
      bind_plan (plan, stmt, -1, cap == G_MAXUINT64 ? -1 : (gint64) cap, 0);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
      if (out_exact != NULL && cap != G_MAXUINT64)
        *out_exact = n < cap;
      return n;
    }

  return count_text_locked (db, plan, NULL, cap, -1, out_exact, error);
}

static int
past_deadline (void *data)
{
  return g_get_monotonic_time () > *(gint64 *) data;
}

/* Keys per step of a count: a step finished is never read again, so a count that keeps
 * running out of time still moves on. The index narrows FTS searches: bigger steps. */
#define SCAN_CHUNK ((gint64) 8 * 32768)
#define FTS_CHUNK ((gint64) 8 * 1048576)

/* Counts distinct pairs of a text search, resuming after *inout_after (a text key; NULL: from
 * the start) until `cap` pairs are counted, the matches end, or `deadline` (monotonic time, -1:
 * none) passes: a scan for a rare term may read every text. */
static guint64
count_text_locked (sqlite3  *db,
                   Plan     *plan,
                   gint64   *inout_after,
                   guint64   cap,
                   gint64    deadline,
                   gboolean *out_exact,
                   GError  **error)
{
  g_auto(sqlite3_stmt_ptr) stmt = _md_index_prepare (db, plan->count_sql, error);
  gint64 after = inout_after != NULL ? *inout_after : -1;
  gint64 max_key = G_MAXINT64 - 1;
  guint64 n = 0;

  if (out_exact != NULL)
    *out_exact = FALSE;
  if (stmt == NULL)
    return 0;
  {
    g_auto(sqlite3_stmt_ptr) max = _md_index_prepare (db, "SELECT max(key) FROM texts", error);

    if (max == NULL)
      return 0;
    max_key = sqlite3_step (max) == SQLITE_ROW ? sqlite3_column_int64 (max, 0) : 0;
  }

  if (deadline >= 0)
    sqlite3_progress_handler (db, 1000, past_deadline, &deadline);
  while (after < max_key)
    {
      gint64 hi = MIN (after + (plan->mode == MODE_SCAN ? SCAN_CHUNK : FTS_CHUNK), max_key);
      gint64 chunk_after = after;
      guint64 chunk_n = 0;
      gint64 last_pair = -1;
      gboolean full = FALSE;
      int rc;

      sqlite3_reset (stmt);
      bind_plan (plan, stmt, after, -1, 0);
      sqlite3_bind_int64 (stmt, P_UPTO, hi);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 pair = sqlite3_column_int64 (stmt, 0);

          if (pair == last_pair)
            continue;
          if (n + chunk_n == cap)
            {
              full = TRUE;
              break;
            }
          chunk_n++;
          last_pair = pair;
          chunk_after = pair * 8 + 7;
        }
      if (full)
        {
          n += chunk_n;
          after = chunk_after;
          break;
        }
      if (rc == SQLITE_INTERRUPT)
        {
          /* Go on after the last pair counted next time. */
          n += chunk_n;
          after = chunk_after;
          break;
        }
      if (rc != SQLITE_DONE)
        {
          if (deadline >= 0)
            sqlite3_progress_handler (db, 0, NULL, NULL);
          query_error (db, error);
          return 0;
        }
      n += chunk_n;
      after = hi;
      if (deadline >= 0 && g_get_monotonic_time () > deadline)
        break;
    }
  if (deadline >= 0)
    sqlite3_progress_handler (db, 0, NULL, NULL);

  if (after >= max_key && out_exact != NULL)
    *out_exact = TRUE;
  if (inout_after != NULL)
    *inout_after = after;
  return n;
}

guint64
_md_pair_list_count (MdStore   *store,
                     MdQuery   *query,
                     guint64    cap,
                     gboolean  *out_exact,
                     GError   **error)
{
  g_autoptr(Plan) plan = plan_new (query, error);
  guint64 n;
  sqlite3 *db;

  if (plan == NULL)
    return 0;
  db = _md_store_lock (store);
  if (md_query_has_review_filters (plan->query) && !_md_store_has_review_locked (db))
    {
      _md_store_unlock (store);
      g_set_error (error, MD_ERROR, MD_ERROR_QUERY, "%s: review filters need a review file; "
                   "none is attached to this index", md_store_get_path (store));
      return 0;
    }
  n = count_locked (db, plan, cap, out_exact, error);
  _md_store_unlock (store);
  return n;
}

/* Pages ----------------------------------------------------------------------------------------- */

static MdPair *
row_to_pair (sqlite3_stmt *stmt)
{
  MdPair *pair = _md_pair_new ();

  pair->order = sqlite3_column_int64 (stmt, 0);
  pair->id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  pair->dataset = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  pair->modality = sqlite3_column_int (stmt, 3);
  pair->n_images = sqlite3_column_int (stmt, 4);
  pair->languages = sqlite3_column_int (stmt, 5);
  pair->flags = sqlite3_column_int (stmt, 6);
  pair->summary = _md_pair_make_summary ((const char *) sqlite3_column_text (stmt, 8));
  return pair;
}

/* Fetches the page that starts after key `after` (skipping `offset` rows first, in MODE_ALL).
 * Returns the pairs and sets *out_next to the key after which the next page starts. */
static GPtrArray *
fetch_page_locked (MdPairList *self,
                   sqlite3    *db,
                   gint64      after,
                   gint64      offset,
                   gint64     *out_next)
{
  Plan *plan = self->plan;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(sqlite3_stmt_ptr) stmt = _md_index_prepare (db, plan->page_sql, NULL);
  gint64 last_pair = -1;
  int rc;

  *out_next = after;
  if (stmt == NULL)
    return g_steal_pointer (&items);

  if (plan->mode == MODE_ALL)
    {
      bind_plan (plan, stmt, after, MD_PAIR_LIST_PAGE_SIZE, offset);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_ptr_array_add (items, row_to_pair (stmt));
          *out_next = sqlite3_column_int64 (stmt, 0);
        }
      return g_steal_pointer (&items);
    }

  /* Several rows (languages) per pair: collapse them, fetching more until the page is full. */
  for (;;)
    {
      guint n_rows = 0;
      gint64 last_key = after;

      sqlite3_reset (stmt);
      bind_plan (plan, stmt, after, MD_PAIR_LIST_PAGE_SIZE * 2, 0);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 pair = sqlite3_column_int64 (stmt, 0);

          n_rows++;
          last_key = sqlite3_column_int64 (stmt, 7);
          if (pair == last_pair)
            continue;
          if (items->len == MD_PAIR_LIST_PAGE_SIZE)
            return g_steal_pointer (&items);
          g_ptr_array_add (items, row_to_pair (stmt));
          last_pair = pair;
          *out_next = pair * 8 + 7;
        }
      if (rc != SQLITE_DONE || n_rows < MD_PAIR_LIST_PAGE_SIZE * 2)
        return g_steal_pointer (&items);
      after = last_key;
    }
}

static GPtrArray *
get_page (MdPairList *self,
          guint       page)
{
  GPtrArray *items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  sqlite3 *db;
  guint q;

  if (items != NULL)
    {
      g_queue_remove (&self->lru, GUINT_TO_POINTER (page));
      g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
      return items;
    }

  if (self->anchors->len <= page + 1)
    {
      guint old = self->anchors->len;

      g_array_set_size (self->anchors, page + 2);
      for (guint i = old; i < self->anchors->len; i++)
        g_array_index (self->anchors, gint64, i) = UNKNOWN_ANCHOR;
    }
  for (q = page; g_array_index (self->anchors, gint64, q) == UNKNOWN_ANCHOR; q--)
    ;

  db = _md_store_read_begin (self->store, md_query_has_review_filters (self->plan->query));
  if (self->plan->mode == MODE_ALL)
    {
      gint64 next;

      gint64 after = g_array_index (self->anchors, gint64, q);

      /* Far jumps (dragging the scroll bar) skip rows from the nearest known page, on the
       * narrow pairs table alone; then the page itself is read from its first key. */
      if (page > q)
        {
          g_auto(sqlite3_stmt_ptr) skip = _md_index_prepare (db, self->plan->count_sql, NULL);

          if (skip != NULL)
            {
              bind_plan (self->plan, skip, after, 1,
                         (gint64) (page - q) * MD_PAIR_LIST_PAGE_SIZE - 1);
              after = sqlite3_step (skip) == SQLITE_ROW ? sqlite3_column_int64 (skip, 0)
                                                        : G_MAXINT64;
            }
        }
      items = fetch_page_locked (self, db, after, 0, &next);
      g_array_index (self->anchors, gint64, page + 1) = next;
    }
  else
    {
      /* Search results go page by page: the rows of a pair vary in number. */
      for (guint r = q; r <= page; r++)
        {
          gint64 next;

          g_clear_pointer (&items, g_ptr_array_unref);
          items = fetch_page_locked (self, db, g_array_index (self->anchors, gint64, r), 0, &next);
          g_array_index (self->anchors, gint64, r + 1) = next;
        }
    }
  _md_store_read_end (self->store, db);

  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), items);
  g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
  while (self->lru.length > MAX_CACHED_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->lru));
  return items;
}

/* Growth of capped counts ------------------------------------------------------------------------ */

static void schedule_grow (MdPairList *self);

/* Counts further (text searches): four times more matches, or a quarter second more. */
static gboolean
grow (gpointer data)
{
  MdPairList *self = data;
  g_autoptr(GError) error = NULL;
  guint64 more;
  guint old = self->n_items;
  sqlite3 *db;

  self->grow_source = 0;
  db = _md_store_read_begin (self->store, md_query_has_review_filters (self->plan->query));
  more = count_text_locked (db, self->plan, &self->count_after, self->cap * 3,
                            g_get_monotonic_time () + 250 * 1000, &self->exact, &error);
  _md_store_read_end (self->store, db);
  self->cap *= 4;
  if (error != NULL)
    {
      g_warning ("%s", error->message);
      self->exact = TRUE;
      return G_SOURCE_REMOVE;
    }
  self->n_items = MIN (old + more, G_MAXUINT);
  if (self->n_items > old)
    g_list_model_items_changed (G_LIST_MODEL (self), old, 0, self->n_items - old);
  /* Nothing found yet in a long scan: nobody will read near the end of an empty list. */
  if (!self->exact && self->n_items == 0)
    schedule_grow (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_grow (MdPairList *self)
{
  GSource *source;

  if (self->grow_source != 0)
    return;
  source = g_idle_source_new ();
  g_source_set_callback (source, grow, g_object_ref (self), g_object_unref);
  g_source_set_name (source, "[mimicdesk] count more matches");
  self->grow_source = g_source_attach (source, self->context);
  g_source_unref (source);
}

/* GListModel ----------------------------------------------------------------------------------- */

static GType
md_pair_list_get_item_type (GListModel *model)
{
  return MD_TYPE_PAIR;
}

static guint
md_pair_list_get_n_items (GListModel *model)
{
  return MD_PAIR_LIST (model)->n_items;
}

static gpointer
md_pair_list_get_item (GListModel *model,
                       guint       position)
{
  MdPairList *self = MD_PAIR_LIST (model);
  GPtrArray *items;
  guint index = position % MD_PAIR_LIST_PAGE_SIZE;

  if (position >= self->n_items)
    return NULL;
  if (!self->exact && position + MD_PAIR_LIST_PAGE_SIZE >= self->n_items)
    schedule_grow (self);
  items = get_page (self, position / MD_PAIR_LIST_PAGE_SIZE);
  if (index >= items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (items, index));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = md_pair_list_get_item_type;
  iface->get_n_items = md_pair_list_get_n_items;
  iface->get_item = md_pair_list_get_item;
}

static void
md_pair_list_finalize (GObject *object)
{
  MdPairList *self = MD_PAIR_LIST (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->plan, plan_free);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_queue_clear (&self->lru);
  g_clear_pointer (&self->anchors, g_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (md_pair_list_parent_class)->finalize (object);
}

static void
md_pair_list_class_init (MdPairListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = md_pair_list_finalize;
}

static void
md_pair_list_init (MdPairList *self)
{
  gint64 start = -1;

  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->anchors = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (self->anchors, start);
  self->context = g_main_context_ref_thread_default ();
}

gboolean
md_pair_list_is_count_exact (MdPairList *self)
{
  g_return_val_if_fail (MD_IS_PAIR_LIST (self), TRUE);
  return self->exact;
}

GListModel *
_md_pair_list_new (MdStore  *store,
                   MdQuery  *query,
                   GError  **error)
{
  g_autoptr(MdPairList) self = g_object_new (MD_TYPE_PAIR_LIST, NULL);
  g_autoptr(GError) local_error = NULL;
  sqlite3 *db;
  guint64 n;

  self->store = g_object_ref (store);
  self->plan = plan_new (query, error);
  if (self->plan == NULL)
    return NULL;
  self->cap = self->plan->mode == MODE_ALL ? G_MAXUINT64 : FIRST_TEXT_CAP;
  self->count_after = -1;

  db = _md_store_lock (store);
  if (md_query_has_review_filters (self->plan->query) && !_md_store_has_review_locked (db))
    {
      _md_store_unlock (store);
      g_set_error (error, MD_ERROR, MD_ERROR_QUERY, "%s: review filters need a review file; "
                   "none is attached to this index", md_store_get_path (store));
      return NULL;
    }
  if (self->plan->mode == MODE_ALL)
    n = count_locked (db, self->plan, self->cap, &self->exact, &local_error);
  else
    n = count_text_locked (db, self->plan, &self->count_after, self->cap,
                           g_get_monotonic_time () + 40 * 1000, &self->exact, &local_error);
  _md_store_unlock (store);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  self->n_items = MIN (n, G_MAXUINT);
  if (!self->exact && self->n_items == 0)
    schedule_grow (self);
  return G_LIST_MODEL (g_steal_pointer (&self));
}
