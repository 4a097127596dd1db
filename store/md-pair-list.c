/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include "md-pair-list-private.h"
#include "md-pair-private.h"
#include "md-search-run-private.h"
#include "md-store-private.h"

#define MAX_CACHED_PAGES 64
#define FIRST_TEXT_CAP MD_PAIR_LIST_FIRST_PAGE
#define UNKNOWN_ANCHOR G_MININT64
/* Visits per step of md_pair_list_count_async(), between checks of its cancellable. */
#define COUNT_STEP_BUDGET 1000000

enum
{
  PROP_0,
  PROP_COUNT_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

struct _MdPairList
{
  GObject         parent_instance;

  MdStore        *store;
  MdQuery        *query;
  char           *all_page_sql;   /* without search text: walk the pairs table */
  char           *all_count_sql;
  MdSearchRun    *run;            /* with search text */
  MdSearchCursor  cursor;
  gboolean        too_broad;      /* the first step ran out of budget before its page */
  guint64         grow_budget;
  guint           n_items;
  gboolean        exact;
  guint64         cap;
  GHashTable     *pages;     /* page index -> GPtrArray of MdPair */
  GQueue          lru;       /* page indexes, most recent first */
  GArray         *anchors;   /* gint64: the key after which page p starts, or UNKNOWN_ANCHOR */
  guint           grow_source;
  GMainContext   *context;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MdPairList, md_pair_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

guint64
_md_pair_list_next_cap (guint64 cap)
{
  return cap > G_MAXUINT64 / 4 ? G_MAXUINT64 : MAX (cap, 1) * 4;
}

static gboolean
has_text (const MdQuery *query)
{
  return query->text != NULL && *query->text != '\0';
}

/* Listing without search text ------------------------------------------------------------------- */

static char *
build_all_sql (const MdQuery *query,
               gboolean       for_count)
{
  GString *sql = g_string_new ("SELECT p.rowid, ");

  g_string_append (sql, for_count ? "p.rowid FROM pairs p WHERE p.rowid > ?1"
    : "p.pair_id, d.code, p.modality, p.n_images, p.languages, p.flags, p.rowid, "
      "coalesce(s.instruction, e.instruction) FROM pairs p "
      "JOIN datasets d ON d.id = p.dataset_id "
      "LEFT JOIN texts s ON s.key = p.rowid * 8 + ?6 "
      "LEFT JOIN texts e ON e.key = p.rowid * 8 WHERE p.rowid > ?1");
  if (query->language >= 0)
    g_string_append (sql, " AND (p.languages >> ?5) & 1");
  _md_search_append_filters (sql, query);
  g_string_append (sql, " ORDER BY p.rowid LIMIT ?2 OFFSET ?3");
  return g_string_free (sql, FALSE);
}

static void
bind_all (const MdQuery *query,
          sqlite3_stmt  *stmt,
          gint64         after,
          gint64         limit,
          gint64         offset)
{
  sqlite3_bind_int64 (stmt, MD_SEARCH_P_AFTER, after);
  sqlite3_bind_int64 (stmt, MD_SEARCH_P_LIMIT, limit);
  sqlite3_bind_int64 (stmt, MD_SEARCH_P_OFFSET, offset);
  sqlite3_bind_int (stmt, MD_SEARCH_P_SHOW, query->display_language >= 0 ? query->display_language
                                            : query->language >= 0 ? query->language : 0);
  _md_search_bind_filters (stmt, query);
}

static guint64
count_all_locked (sqlite3       *db,
                  const MdQuery *query,
                  guint64        cap,
                  gboolean      *out_exact,
                  GError       **error)
{
  g_auto(sqlite3_stmt_ptr) stmt = NULL;
  guint64 n = 0;

  if (out_exact != NULL)
    *out_exact = TRUE;

  if (query->language < 0 && query->modality < 0 && query->flags == 0 &&
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

  {
    g_autofree char *count_sql = build_all_sql (query, TRUE);
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM (%s)", count_sql);

    stmt = _md_index_prepare (db, sql, error);
    if (stmt == NULL)
      return 0;
    bind_all (query, stmt, -1, cap == G_MAXUINT64 ? -1 : (gint64) cap, 0);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      n = sqlite3_column_int64 (stmt, 0);
    if (out_exact != NULL && cap != G_MAXUINT64)
      *out_exact = n < cap;
    return n;
  }
}

/* Counting searches ------------------------------------------------------------------------------ */

static gboolean
dataset_exists_locked (sqlite3       *db,
                       const MdQuery *query)
{
  g_auto(sqlite3_stmt_ptr) stmt = NULL;

  if (query->dataset == NULL || *query->dataset == '\0')
    return TRUE;
  stmt = _md_index_prepare (db, "SELECT 1 FROM datasets WHERE code = ?", NULL);
  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_text (stmt, 1, query->dataset, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gboolean
check_review_locked (MdStore       *store,
                     sqlite3       *db,
                     const MdQuery *query,
                     GError       **error)
{
  if (md_query_has_review_filters (query) && !_md_store_has_review_locked (db))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_QUERY, "%s: review filters need a review file; "
                   "none is attached to this index", md_store_get_path (store));
      return FALSE;
    }
  return TRUE;
}

guint64
_md_pair_list_count (MdStore   *store,
                     MdQuery   *query,
                     guint64    cap,
                     gboolean  *out_exact,
                     GError   **error)
{
  g_autoptr(MdQuery) copy = query != NULL ? md_query_copy (query) : md_query_new ();
  g_autoptr(MdSearchRun) run = NULL;
  MdSearchCursor cursor;
  gboolean over;
  guint64 n = 0;
  sqlite3 *db;

  if (copy->text != NULL)
    g_strstrip (copy->text);
  db = _md_store_lock (store);
  if (!check_review_locked (store, db, copy, error))
    {
      _md_store_unlock (store);
      return 0;
    }
  if (!has_text (copy))
    {
      n = count_all_locked (db, copy, cap, out_exact, error);
      _md_store_unlock (store);
      return n;
    }
  _md_search_cursor_init (&cursor);
  if (out_exact != NULL)
    *out_exact = TRUE;
  if (dataset_exists_locked (db, copy))
    {
      run = _md_search_run_new (db, copy, &cursor, error);
      if (run != NULL &&
          _md_search_run_count (run, db, &cursor, cap, G_MAXUINT64, NULL, NULL, &over, error))
        {
          n = cursor.n_pairs;
          if (out_exact != NULL)
            *out_exact = cursor.done;
        }
    }
  _md_store_unlock (store);
  return n;
}

static void
record_anchor (gint64   pair_rowid,
               guint64  index,
               gpointer data)
{
  MdPairList *self = data;
  guint64 page = index / MD_PAIR_LIST_PAGE_SIZE;

  if (index % MD_PAIR_LIST_PAGE_SIZE != 0 || page > G_MAXUINT)
    return;
  if (self->anchors->len <= page)
    {
      guint old = self->anchors->len;

      g_array_set_size (self->anchors, page + 1);
      for (guint i = old; i < self->anchors->len; i++)
        g_array_index (self->anchors, gint64, i) = UNKNOWN_ANCHOR;
    }
  /* The page starts at its first pair's first text. */
  g_array_index (self->anchors, gint64, page) = pair_rowid * 8 - 1;
}

static MdPairListCount
count_state (MdPairList *self)
{
  if (self->exact)
    return MD_PAIR_LIST_COUNT_EXACT;
  if (self->too_broad && self->n_items < MD_PAIR_LIST_FIRST_PAGE)
    return MD_PAIR_LIST_COUNT_TOO_BROAD;
  return MD_PAIR_LIST_COUNT_AT_LEAST;
}

/* One bounded step of a search's count. */
static gboolean
count_step_locked (MdPairList *self,
                   sqlite3    *db,
                   guint64     max_new,
                   guint64     budget,
                   gboolean   *out_over,
                   GError    **error)
{
  if (!_md_search_run_count (self->run, db, &self->cursor, max_new, budget, record_anchor, self,
                             out_over, error))
    return FALSE;
  self->exact = self->cursor.done;
  return TRUE;
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

static void
add_row (sqlite3_stmt *stmt,
         gpointer      data)
{
  g_ptr_array_add (data, row_to_pair (stmt));
}

/* A page of the whole list (no search text), starting after pair rowid `after`. */
static GPtrArray *
fetch_all_page_locked (MdPairList *self,
                       sqlite3    *db,
                       gint64      after,
                       gint64     *out_next)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(sqlite3_stmt_ptr) stmt = _md_index_prepare (db, self->all_page_sql, NULL);

  *out_next = after;
  if (stmt == NULL)
    return g_steal_pointer (&items);
  bind_all (self->query, stmt, after, MD_PAIR_LIST_PAGE_SIZE, 0);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_ptr_array_add (items, row_to_pair (stmt));
      *out_next = sqlite3_column_int64 (stmt, 0);
    }
  return g_steal_pointer (&items);
}

static GPtrArray *
read_page_locked (MdPairList *self,
                  sqlite3    *db,
                  guint       page)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  if (self->run != NULL)
    {
      /* The count recorded where every page starts; a page ends where the next starts, or at
       * the frontier of the count: never past what was counted within budget. */
      gint64 after = g_array_index (self->anchors, gint64, page);
      gint64 upto = page + 1 < self->anchors->len
                    ? g_array_index (self->anchors, gint64, page + 1) : self->cursor.after;

      items = g_ptr_array_new_with_free_func (g_object_unref);
      if (!_md_search_run_fetch (self->run, db, self->cursor.path, after, upto,
                                 MD_PAIR_LIST_PAGE_SIZE, add_row, items, &error))
        g_warning ("%s", error->message);
      return items;
    }

  {
    guint q;
    gint64 after, next;

    if (self->anchors->len <= page + 1)
      {
        guint old = self->anchors->len;

        g_array_set_size (self->anchors, page + 2);
        for (guint i = old; i < self->anchors->len; i++)
          g_array_index (self->anchors, gint64, i) = UNKNOWN_ANCHOR;
      }
    for (q = page; g_array_index (self->anchors, gint64, q) == UNKNOWN_ANCHOR; q--)
      ;
    after = g_array_index (self->anchors, gint64, q);
    /* Far jumps (dragging the scroll bar) skip rows from the nearest known page, on the
     * narrow pairs table alone; then the page itself is read from its first key. */
    if (page > q)
      {
        g_auto(sqlite3_stmt_ptr) skip = _md_index_prepare (db, self->all_count_sql, NULL);

        if (skip != NULL)
          {
            bind_all (self->query, skip, after, 1,
                      (gint64) (page - q) * MD_PAIR_LIST_PAGE_SIZE - 1);
            after = sqlite3_step (skip) == SQLITE_ROW ? sqlite3_column_int64 (skip, 0)
                                                      : G_MAXINT64;
          }
      }
    items = fetch_all_page_locked (self, db, after, &next);
    g_array_index (self->anchors, gint64, page + 1) = next;
    return items;
  }
}

static GPtrArray *
get_page (MdPairList *self,
          guint       page)
{
  GPtrArray *items = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  sqlite3 *db;

  if (items != NULL)
    {
      g_queue_remove (&self->lru, GUINT_TO_POINTER (page));
      g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
      return items;
    }

  db = _md_store_read_begin (self->store, md_query_has_review_filters (self->query));
  items = read_page_locked (self, db, page);
  _md_store_read_end (self->store, db);

  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), items);
  g_queue_push_head (&self->lru, GUINT_TO_POINTER (page));
  while (self->lru.length > MAX_CACHED_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->lru));
  return items;
}

/* Growth of capped counts ------------------------------------------------------------------------ */

static void schedule_grow (MdPairList *self);

static void
grow_step (MdPairList *self)
{
  g_autoptr(GError) error = NULL;
  MdPairListCount old_state = count_state (self);
  guint old = self->n_items;
  guint64 next_cap = _md_pair_list_next_cap (self->cap);
  gboolean over = FALSE;
  sqlite3 *db;

  if (self->run == NULL || self->exact)
    return;
  db = _md_store_read_begin (self->store, md_query_has_review_filters (self->query));
  /* Up to four times the matches counted so far, within the step's budget. */
  count_step_locked (self, db, next_cap - MIN (next_cap, self->cursor.n_pairs),
                     self->grow_budget, &over, &error);
  _md_store_read_end (self->store, db);
  self->cap = next_cap;
  if (error != NULL)
    {
      g_warning ("%s", error->message);
      self->exact = TRUE;
    }
  self->n_items = MIN (self->cursor.n_pairs, G_MAXUINT);
  if (self->n_items > old)
    {
      /* The last page read may have been cut at the old frontier. */
      if (old % MD_PAIR_LIST_PAGE_SIZE != 0)
        {
          gpointer page = GUINT_TO_POINTER (old / MD_PAIR_LIST_PAGE_SIZE);

          if (g_hash_table_remove (self->pages, page))
            g_queue_remove (&self->lru, page);
        }
      g_list_model_items_changed (G_LIST_MODEL (self), old, 0, self->n_items - old);
    }
  if (count_state (self) != old_state)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT_STATE]);
}

/* Counts further (text searches), one bounded step. */
static gboolean
grow (gpointer data)
{
  MdPairList *self = data;

  self->grow_source = 0;
  grow_step (self);
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

void
_md_pair_list_set_grow_budget (MdPairList *self,
                               guint64     budget)
{
  self->grow_budget = MAX (budget, 1);
}

void
_md_pair_list_grow_now (MdPairList *self)
{
  grow_step (self);
}

/* Counting in the background ----------------------------------------------------------------- */

typedef struct
{
  MdSearchCursor cursor;
  guint64        n;
} CountJob;

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  MdPairList *self = source_object;
  CountJob *job = task_data;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  db = _md_store_read_begin (self->store, md_query_has_review_filters (self->query));
  while (!job->cursor.done)
    {
      gboolean over;

      if (g_cancellable_set_error_if_cancelled (cancellable, &error) ||
          !_md_search_run_count (self->run, db, &job->cursor, G_MAXUINT64, COUNT_STEP_BUDGET,
                                 NULL, NULL, &over, &error))
        break;
    }
  _md_store_read_end (self->store, db);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
md_pair_list_count_async (MdPairList          *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CountJob *job;

  g_return_if_fail (MD_IS_PAIR_LIST (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_pair_list_count_async);
  job = g_new0 (CountJob, 1);
  job->cursor = self->cursor;
  g_task_set_task_data (task, job, g_free);
  if (self->run == NULL || self->exact)
    {
      job->cursor.n_pairs = self->n_items;
      job->cursor.done = TRUE;
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_run_in_thread (task, count_thread);
}

gboolean
md_pair_list_count_finish (MdPairList    *self,
                           GAsyncResult  *result,
                           guint64       *out_count,
                           GError       **error)
{
  CountJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  job = g_task_get_task_data (G_TASK (result));
  if (out_count != NULL)
    *out_count = job->cursor.n_pairs;
  return TRUE;
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
md_pair_list_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MdPairList *self = MD_PAIR_LIST (object);

  switch (prop_id)
    {
    case PROP_COUNT_STATE:
      g_value_set_int (value, count_state (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_pair_list_finalize (GObject *object)
{
  MdPairList *self = MD_PAIR_LIST (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->query, md_query_free);
  g_clear_pointer (&self->run, _md_search_run_free);
  g_free (self->all_page_sql);
  g_free (self->all_count_sql);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_queue_clear (&self->lru);
  g_clear_pointer (&self->anchors, g_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (md_pair_list_parent_class)->finalize (object);
}

static void
md_pair_list_class_init (MdPairListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = md_pair_list_finalize;
  object_class->get_property = md_pair_list_get_property;
  /* An MdPairListCount. */
  properties[PROP_COUNT_STATE] =
    g_param_spec_int ("count-state", NULL, NULL, MD_PAIR_LIST_COUNT_EXACT,
                      MD_PAIR_LIST_COUNT_TOO_BROAD, MD_PAIR_LIST_COUNT_EXACT,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
md_pair_list_init (MdPairList *self)
{
  gint64 start = -1;

  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->anchors = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (self->anchors, start);
  self->context = g_main_context_ref_thread_default ();
  self->grow_budget = MD_PAIR_LIST_GROW_BUDGET;
  _md_search_cursor_init (&self->cursor);
}

MdPairListCount
md_pair_list_get_count_state (MdPairList *self)
{
  g_return_val_if_fail (MD_IS_PAIR_LIST (self), MD_PAIR_LIST_COUNT_EXACT);
  return count_state (self);
}

gboolean
md_pair_list_is_count_exact (MdPairList *self)
{
  g_return_val_if_fail (MD_IS_PAIR_LIST (self), TRUE);
  return self->exact;
}

guint64
md_pair_list_get_rows_visited (MdPairList *self)
{
  g_return_val_if_fail (MD_IS_PAIR_LIST (self), 0);
  return self->run != NULL ? self->cursor.visited : 0;
}

const char *
md_pair_list_get_path_name (MdPairList *self)
{
  g_return_val_if_fail (MD_IS_PAIR_LIST (self), NULL);
  return self->run != NULL ? _md_search_run_path_name (self->run, self->cursor.path) : "all";
}

GListModel *
_md_pair_list_new (MdStore  *store,
                   MdQuery  *query,
                   GError  **error)
{
  g_autoptr(MdPairList) self = g_object_new (MD_TYPE_PAIR_LIST, NULL);
  g_autoptr(GError) local_error = NULL;
  sqlite3 *db;

  self->store = g_object_ref (store);
  self->query = query != NULL ? md_query_copy (query) : md_query_new ();
  if (self->query->text != NULL)
    g_strstrip (self->query->text);

  db = _md_store_lock (store);
  if (!check_review_locked (store, db, self->query, error))
    {
      _md_store_unlock (store);
      return NULL;
    }
  if (!has_text (self->query))
    {
      guint64 n;

      self->all_page_sql = build_all_sql (self->query, FALSE);
      self->all_count_sql = build_all_sql (self->query, TRUE);
      self->cap = G_MAXUINT64;
      n = count_all_locked (db, self->query, self->cap, &self->exact, &local_error);
      self->n_items = MIN (n, G_MAXUINT);
    }
  else if (!dataset_exists_locked (db, self->query))
    {
      /* Nothing to search: still parse the text, so that its mistakes are reported. */
      g_autoptr(MdSearchPlan) plan = _md_search_plan_new (self->query->text, &local_error);

      self->exact = TRUE;
    }
  else
    {
      gboolean over = FALSE;

      self->cap = FIRST_TEXT_CAP;
      self->run = _md_search_run_new (db, self->query, &self->cursor, &local_error);
      /* The first page, within the first budget (the probe's visits included). */
      if (self->run != NULL &&
          count_step_locked (self, db, FIRST_TEXT_CAP,
                             MD_PAIR_LIST_FIRST_BUDGET - MIN (MD_PAIR_LIST_FIRST_BUDGET / 2,
                                                              self->cursor.visited),
                             &over, &local_error))
        {
          self->n_items = MIN (self->cursor.n_pairs, G_MAXUINT);
          self->too_broad = over && self->cursor.n_pairs < MD_PAIR_LIST_FIRST_PAGE;
        }
    }
  _md_store_unlock (store);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!self->exact && self->n_items == 0)
    schedule_grow (self);
  return G_LIST_MODEL (g_steal_pointer (&self));
}
