/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include "md-review-private.h"

#define SCHEMA_VERSION 1

struct _MdReviewStore
{
  GObject     parent_instance;

  char       *path;
  char       *reviewer;
  sqlite3    *db;
  GHashTable *statements;   /* SQL text (static) -> sqlite3_stmt */
};

G_DEFINE_FINAL_TYPE (MdReviewStore, md_review_store, G_TYPE_OBJECT)

const char * const md_review_default_tags[] = {
  "hallucination",
  "wrong image grounding",
  "bad translation",
  "unsafe",
  "duplicate",
  "formatting",
  "other",
  NULL
};

static const char * const status_names[MD_REVIEW_N_STATUSES] = {
  [MD_REVIEW_STATUS_UNREVIEWED] = "unreviewed",
  [MD_REVIEW_STATUS_APPROVED] = "approved",
  [MD_REVIEW_STATUS_FLAGGED] = "flagged",
  [MD_REVIEW_STATUS_REJECTED] = "rejected",
  [MD_REVIEW_STATUS_FIXED] = "fixed",
};

/* The log is the truth; pair_status, pair_reason and pair_text are derived from it in the same
 * transaction so that other databases can join them cheaply. */
static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS review_meta (key TEXT PRIMARY KEY, value TEXT);"
  "CREATE TABLE IF NOT EXISTS reason_tag (name TEXT PRIMARY KEY, builtin INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS review_action ("
  "  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, target INTEGER,"
  "  author TEXT NOT NULL, created_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS review_log ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT NULL UNIQUE,"
  "  action INTEGER NOT NULL REFERENCES review_action (id),"
  "  dataset TEXT NOT NULL, pair_id TEXT NOT NULL, lang TEXT NOT NULL, field TEXT NOT NULL,"
  "  old_value TEXT, new_value TEXT, author TEXT NOT NULL, author_kind TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS review_log_key ON review_log"
  "  (dataset, pair_id, lang, field, created_at, uid);"
  "CREATE INDEX IF NOT EXISTS review_log_action ON review_log (action);"
  "CREATE INDEX IF NOT EXISTS review_log_time ON review_log (created_at);"
  "CREATE TABLE IF NOT EXISTS pair_status ("
  "  dataset TEXT NOT NULL, pair_id TEXT NOT NULL, lang TEXT NOT NULL,"
  "  status TEXT NOT NULL DEFAULT 'unreviewed', note TEXT, reviewer TEXT,"
  "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (dataset, pair_id, lang)) WITHOUT ROWID;"
  "CREATE INDEX IF NOT EXISTS pair_status_status ON pair_status (status, lang);"
  "CREATE TABLE IF NOT EXISTS pair_reason ("
  "  dataset TEXT NOT NULL, pair_id TEXT NOT NULL, lang TEXT NOT NULL, tag TEXT NOT NULL,"
  "  PRIMARY KEY (dataset, pair_id, lang, tag)) WITHOUT ROWID;"
  "CREATE INDEX IF NOT EXISTS pair_reason_tag ON pair_reason (tag);"
  "CREATE TABLE IF NOT EXISTS pair_text ("
  "  dataset TEXT NOT NULL, pair_id TEXT NOT NULL, lang TEXT NOT NULL, field TEXT NOT NULL,"
  "  text TEXT NOT NULL, author TEXT NOT NULL, author_kind TEXT NOT NULL,"
  "  n_revisions INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (dataset, pair_id, lang, field)) WITHOUT ROWID;"
  "CREATE VIEW IF NOT EXISTS edited_pair AS"
  "  SELECT DISTINCT dataset, pair_id FROM pair_text;"
  "CREATE VIEW IF NOT EXISTS reviewed_pair AS"
  "  SELECT dataset, pair_id, lang, status FROM pair_status WHERE status <> 'unreviewed';"
  "CREATE TABLE IF NOT EXISTS review_sample ("
  "  name TEXT PRIMARY KEY, seed INTEGER NOT NULL, size INTEGER NOT NULL,"
  "  strata TEXT NOT NULL, allocation TEXT NOT NULL, created_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS review_sample_stratum ("
  "  sample TEXT NOT NULL REFERENCES review_sample (name), stratum TEXT NOT NULL,"
  "  population INTEGER NOT NULL, PRIMARY KEY (sample, stratum)) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS review_sample_member ("
  "  sample TEXT NOT NULL REFERENCES review_sample (name), position INTEGER NOT NULL,"
  "  stratum TEXT NOT NULL, dataset TEXT NOT NULL, pair_id TEXT NOT NULL, lang TEXT NOT NULL,"
  "  PRIMARY KEY (sample, position)) WITHOUT ROWID;";

const char *
md_review_status_name (MdReviewStatus status)
{
  g_return_val_if_fail (status < MD_REVIEW_N_STATUSES, NULL);
  return status_names[status];
}

gboolean
md_review_status_from_name (const char     *name,
                            MdReviewStatus *out_status)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < MD_REVIEW_N_STATUSES; i++)
    {
      if (strcmp (name, status_names[i]) == 0)
        {
          if (out_status != NULL)
            *out_status = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
md_review_author_kind_name (MdReviewAuthorKind kind)
{
  return kind == MD_REVIEW_AUTHOR_MODEL ? "model" : "person";
}

void
md_review_state_free (MdReviewState *state)
{
  if (state == NULL)
    return;
  g_free (state->dataset);
  g_free (state->pair_id);
  g_free (state->lang);
  g_strfreev (state->reasons);
  g_free (state->note);
  g_free (state->reviewer);
  g_free (state);
}

void
md_review_entry_free (MdReviewEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->uid);
  g_free (entry->action_kind);
  g_free (entry->dataset);
  g_free (entry->pair_id);
  g_free (entry->lang);
  g_free (entry->field);
  g_free (entry->old_value);
  g_free (entry->new_value);
  g_free (entry->author);
  g_free (entry);
}

void
md_review_ref_free (MdReviewRef *ref)
{
  if (ref == NULL)
    return;
  g_free (ref->dataset);
  g_free (ref->pair_id);
  g_free (ref);
}

void
md_review_progress_free (MdReviewProgress *progress)
{
  if (progress == NULL)
    return;
  g_free (progress->dataset);
  g_free (progress->lang);
  g_free (progress);
}

static void
md_review_store_finalize (GObject *object)
{
  MdReviewStore *self = (MdReviewStore *)object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_free (self->path);
  g_free (self->reviewer);

  G_OBJECT_CLASS (md_review_store_parent_class)->finalize (object);
}

static void
md_review_store_class_init (MdReviewStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = md_review_store_finalize;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
md_review_store_init (MdReviewStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_statement);
  self->reviewer = g_strdup (g_get_user_name ());
}

/* Helpers shared with the other review files */

void
_md_review_store_set_error (MdReviewStore  *self,
                            GError        **error,
                            const char     *what)
{
  g_autofree char *detail = _md_sqlite_describe_error (self->db);

  g_set_error (error, MD_ERROR, MD_ERROR_DATABASE, "%s: %s: %s (SQLite error %d)",
               self->path, what, detail, sqlite3_extended_errcode (self->db));
}

sqlite3_stmt *
_md_review_store_prepare (MdReviewStore  *self,
                          const char     *sql,
                          GError        **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      g_autofree char *what = g_strdup_printf ("could not prepare “%.60s”", sql);

      _md_review_store_set_error (self, error, what);
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

gboolean
_md_review_store_exec (MdReviewStore  *self,
                       const char     *sql,
                       GError        **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      g_autofree char *what = g_strdup_printf ("could not run “%.60s”", sql);

      _md_review_store_set_error (self, error, what);
      return FALSE;
    }
  return TRUE;
}

gboolean
_md_review_store_begin (MdReviewStore  *self,
                        GError        **error)
{
  return _md_review_store_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
_md_review_store_commit (MdReviewStore  *self,
                         GError        **error)
{
  if (!_md_review_store_exec (self, "COMMIT", error))
    {
      _md_review_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
_md_review_store_rollback (MdReviewStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           column,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, column);
  else
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

gboolean
_md_review_is_known_field (const char *field)
{
  MdField text_field;

  return g_strcmp0 (field, MD_REVIEW_FIELD_STATUS) == 0 ||
         g_strcmp0 (field, MD_REVIEW_FIELD_REASONS) == 0 ||
         g_strcmp0 (field, MD_REVIEW_FIELD_NOTE) == 0 ||
         (field != NULL && md_field_from_name (field, &text_field));
}

gboolean
_md_review_is_known_lang (const char *lang)
{
  MdLanguage language;

  return lang != NULL && (*lang == '\0' || (md_language_from_code (lang, &language) &&
                                            strcmp (md_language_code (language), lang) == 0));
}

static gint64
new_action_by (MdReviewStore  *self,
               const char     *kind,
               gint64          target,
               const char     *author,
               GError        **error);

gint64
_md_review_store_new_action (MdReviewStore  *self,
                             const char     *kind,
                             gint64          target,
                             GError        **error)
{
  return new_action_by (self, kind, target, self->reviewer, error);
}

static gint64
new_action_by (MdReviewStore  *self,
               const char     *kind,
               gint64          target,
               const char     *author,
               GError        **error)
{
  sqlite3_stmt *stmt = _md_review_store_prepare (self,
    "INSERT INTO review_action (kind, target, author, created_at) VALUES (?, ?, ?, ?)", error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  if (target > 0)
    sqlite3_bind_int64 (stmt, 2, target);
  sqlite3_bind_text (stmt, 3, author, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _md_review_store_set_error (self, error, "could not record an action");
      return -1;
    }
  return sqlite3_last_insert_rowid (self->db);
}

gint64
_md_review_store_next_time (MdReviewStore  *self,
                            GError        **error)
{
  sqlite3_stmt *stmt = _md_review_store_prepare (self,
    "SELECT MAX(created_at) FROM review_log", error);
  gint64 now = g_get_real_time ();

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _md_review_store_set_error (self, error, "could not read the log");
      return -1;
    }
  /* Strictly increasing even when the clock goes back or two edits fall in one microsecond:
   * "latest wins" must mean "last done" on this machine. */
  if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    now = MAX (now, sqlite3_column_int64 (stmt, 0) + 1);
  sqlite3_reset (stmt);
  return now;
}

gboolean
_md_review_store_lookup (MdReviewStore  *self,
                         const char     *dataset,
                         const char     *pair_id,
                         const char     *lang,
                         const char     *field,
                         char          **out_value,
                         gint64         *out_time,
                         char          **out_uid,
                         GError        **error)
{
  sqlite3_stmt *stmt = _md_review_store_prepare (self,
    "SELECT new_value, created_at, uid FROM review_log"
    " WHERE dataset = ? AND pair_id = ? AND lang = ? AND field = ?"
    " ORDER BY created_at DESC, uid DESC LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, dataset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, pair_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, lang, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, field, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (out_value != NULL)
        *out_value = column_dup (stmt, 0);
      if (out_time != NULL)
        *out_time = sqlite3_column_int64 (stmt, 1);
      if (out_uid != NULL)
        *out_uid = column_dup (stmt, 2);
      sqlite3_reset (stmt);
      return TRUE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    _md_review_store_set_error (self, error, "could not read the log");
  return FALSE;
}

static gboolean
step_done (MdReviewStore  *self,
           sqlite3_stmt   *stmt,
           const char     *what,
           GError        **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _md_review_store_set_error (self, error, what);
      return FALSE;
    }
  return TRUE;
}

/* Makes the derived tables show @value as the current value of the key. */
static gboolean
apply_value (MdReviewStore  *self,
             const char     *dataset,
             const char     *pair_id,
             const char     *lang,
             const char     *field,
             const char     *value,
             const char     *author,
             const char     *author_kind,
             gint64          created_at,
             GError        **error)
{
  sqlite3_stmt *stmt;
  MdField text_field;

  if (md_field_from_name (field, &text_field))
    {
      if (value == NULL)
        {
          stmt = _md_review_store_prepare (self,
            "DELETE FROM pair_text WHERE dataset = ? AND pair_id = ? AND lang = ? AND field = ?",
            error);
          if (stmt == NULL)
            return FALSE;
        }
      else
        {
          stmt = _md_review_store_prepare (self,
            "INSERT INTO pair_text (dataset, pair_id, lang, field, text, author, author_kind,"
            "                       n_revisions, updated_at)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
            "  (SELECT COUNT(*) FROM review_log WHERE dataset = ?1 AND pair_id = ?2"
            "     AND lang = ?3 AND field = ?4), ?8)"
            " ON CONFLICT (dataset, pair_id, lang, field) DO UPDATE SET"
            "  text = excluded.text, author = excluded.author,"
            "  author_kind = excluded.author_kind, n_revisions = excluded.n_revisions,"
            "  updated_at = excluded.updated_at", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 5, value, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 6, author, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 7, author_kind, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 8, created_at);
        }
      sqlite3_bind_text (stmt, 1, dataset, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, pair_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, lang, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, field, -1, SQLITE_TRANSIENT);
      return step_done (self, stmt, "could not update pair_text", error);
    }

  /* status, reasons and note share the row of pair_status. */
  stmt = _md_review_store_prepare (self,
    "INSERT INTO pair_status (dataset, pair_id, lang, reviewer, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?5)"
    " ON CONFLICT (dataset, pair_id, lang) DO UPDATE SET"
    "  reviewer = CASE WHEN excluded.updated_at >= updated_at THEN excluded.reviewer"
    "             ELSE reviewer END,"
    "  updated_at = MAX(updated_at, excluded.updated_at)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, dataset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, pair_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, lang, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, author, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, created_at);
  if (!step_done (self, stmt, "could not update pair_status", error))
    return FALSE;

  if (strcmp (field, MD_REVIEW_FIELD_STATUS) == 0 || strcmp (field, MD_REVIEW_FIELD_NOTE) == 0)
    {
      if (strcmp (field, MD_REVIEW_FIELD_STATUS) == 0)
        stmt = _md_review_store_prepare (self,
          "UPDATE pair_status SET status = COALESCE(?4, 'unreviewed')"
          " WHERE dataset = ?1 AND pair_id = ?2 AND lang = ?3", error);
      else
        stmt = _md_review_store_prepare (self,
          "UPDATE pair_status SET note = NULLIF(?4, '')"
          " WHERE dataset = ?1 AND pair_id = ?2 AND lang = ?3", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, dataset, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, pair_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, lang, -1, SQLITE_TRANSIENT);
      bind_text (stmt, 4, value);
      return step_done (self, stmt, "could not update pair_status", error);
    }

  g_assert (strcmp (field, MD_REVIEW_FIELD_REASONS) == 0);
  stmt = _md_review_store_prepare (self,
    "DELETE FROM pair_reason WHERE dataset = ? AND pair_id = ? AND lang = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, dataset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, pair_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, lang, -1, SQLITE_TRANSIENT);
  if (!step_done (self, stmt, "could not update pair_reason", error))
    return FALSE;
  if (value != NULL && *value != '\0')
    {
      g_auto(GStrv) tags = g_strsplit (value, "\n", -1);

      for (guint i = 0; tags[i] != NULL; i++)
        {
          if (*tags[i] == '\0')
            continue;
          stmt = _md_review_store_prepare (self,
            "INSERT OR IGNORE INTO pair_reason (dataset, pair_id, lang, tag) VALUES (?, ?, ?, ?)",
            error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, dataset, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 2, pair_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 3, lang, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 4, tags[i], -1, SQLITE_TRANSIENT);
          if (!step_done (self, stmt, "could not update pair_reason", error))
            return FALSE;
          /* Tags that came with another reviewer's log become known here too. */
          stmt = _md_review_store_prepare (self,
            "INSERT OR IGNORE INTO reason_tag (name, builtin) VALUES (?, 0)", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_text (stmt, 1, tags[i], -1, SQLITE_TRANSIENT);
          if (!step_done (self, stmt, "could not add a reason tag", error))
            return FALSE;
        }
    }
  return TRUE;
}

gboolean
_md_review_store_append (MdReviewStore  *self,
                         gint64          action,
                         const char     *uid,
                         const char     *dataset,
                         const char     *pair_id,
                         const char     *lang,
                         const char     *field,
                         const char     *old_value,
                         const char     *new_value,
                         const char     *author,
                         const char     *author_kind,
                         gint64          created_at,
                         gboolean       *out_inserted,
                         gboolean       *out_applied,
                         GError        **error)
{
  g_autofree char *new_uid = NULL;
  g_autofree char *winner_uid = NULL;
  sqlite3_stmt *stmt;
  gint64 winner_time = 0;
  gboolean inserted;

  if (uid == NULL)
    {
      g_autofree char *uuid = g_uuid_string_random ();

      uid = new_uid = g_strdup_printf ("%s/%s", author, uuid);
    }

  stmt = _md_review_store_prepare (self,
    "INSERT OR IGNORE INTO review_log (uid, action, dataset, pair_id, lang, field, old_value,"
    "                                  new_value, author, author_kind, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, action);
  sqlite3_bind_text (stmt, 3, dataset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, pair_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, lang, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, field, -1, SQLITE_TRANSIENT);
  bind_text (stmt, 7, old_value);
  bind_text (stmt, 8, new_value);
  sqlite3_bind_text (stmt, 9, author, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 10, author_kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 11, created_at);
  if (!step_done (self, stmt, "could not append to the log", error))
    return FALSE;
  inserted = sqlite3_changes (self->db) > 0;
  if (out_inserted != NULL)
    *out_inserted = inserted;
  if (out_applied != NULL)
    *out_applied = FALSE;
  if (!inserted)
    return TRUE;

  /* Only the latest entry of a key shapes the derived tables; an older entry (an import of
   * work done before ours) stays in the history. */
  if (!_md_review_store_lookup (self, dataset, pair_id, lang, field, NULL, &winner_time,
                                &winner_uid, error))
    return FALSE;
  if (strcmp (winner_uid, uid) != 0)
    return TRUE;
  if (out_applied != NULL)
    *out_applied = TRUE;
  return apply_value (self, dataset, pair_id, lang, field, new_value, author, author_kind,
                      created_at, error);
}

/* Opening */

char *
md_review_store_default_path (const char *index_path)
{
  g_return_val_if_fail (index_path != NULL, NULL);

  return g_strconcat (index_path, ".review.sqlite", NULL);
}

static gboolean
setup_schema (MdReviewStore  *self,
              GError        **error)
{
  g_autofree char *version = NULL;
  sqlite3_stmt *stmt;

  if (!_md_review_store_begin (self, error))
    return FALSE;
  if (!_md_review_store_exec (self, schema_sql, error))
    goto fail;

  stmt = _md_review_store_prepare (self,
    "SELECT value FROM review_meta WHERE key = 'schema_version'", error);
  if (stmt == NULL)
    goto fail;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = column_dup (stmt, 0);
  sqlite3_reset (stmt);

  if (version == NULL)
    {
      stmt = _md_review_store_prepare (self,
        "INSERT INTO review_meta (key, value) VALUES ('schema_version', ?)", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int (stmt, 1, SCHEMA_VERSION);
      if (!step_done (self, stmt, "could not write the schema version", error))
        goto fail;
      for (guint i = 0; md_review_default_tags[i] != NULL; i++)
        {
          stmt = _md_review_store_prepare (self,
            "INSERT OR IGNORE INTO reason_tag (name, builtin) VALUES (?, 1)", error);
          if (stmt == NULL)
            goto fail;
          sqlite3_bind_text (stmt, 1, md_review_default_tags[i], -1, SQLITE_STATIC);
          if (!step_done (self, stmt, "could not add the default reason tags", error))
            goto fail;
        }
    }
  else if (g_ascii_strtoll (version, NULL, 10) > SCHEMA_VERSION)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_UNSUPPORTED,
                   "%s: review file schema version %s is newer than this program (%d)",
                   self->path, version, SCHEMA_VERSION);
      goto fail;
    }
  return _md_review_store_commit (self, error);

fail:
  _md_review_store_rollback (self);
  return FALSE;
}

MdReviewStore *
md_review_store_open (const char  *path,
                      GError     **error)
{
  g_autoptr(MdReviewStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (MD_TYPE_REVIEW_STORE, NULL);
  self->path = g_strdup (path);

  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      if (self->db == NULL)
        g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: could not open the review file", path);
      else
        _md_review_store_set_error (self, error, "could not open the review file");
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 10000);
  sqlite3_extended_result_codes (self->db, 1);

  /* WAL keeps readers (the GUI, an index that ATTACHes us) going while the CLI writes;
   * synchronous=FULL makes every acknowledged action survive a power cut, not only a crash. */
  if (!_md_review_store_exec (self, "PRAGMA journal_mode = WAL", error) ||
      !_md_review_store_exec (self, "PRAGMA synchronous = FULL", error) ||
      !_md_review_store_exec (self, "PRAGMA foreign_keys = ON", error))
    return NULL;

  if (!setup_schema (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
md_review_store_get_path (MdReviewStore *self)
{
  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), NULL);
  return self->path;
}

const char *
md_review_store_get_reviewer (MdReviewStore *self)
{
  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), NULL);
  return self->reviewer;
}

void
md_review_store_set_reviewer (MdReviewStore *self,
                              const char    *reviewer)
{
  g_return_if_fail (MD_IS_REVIEW_STORE (self));

  g_free (self->reviewer);
  self->reviewer = g_strdup (reviewer != NULL && *reviewer != '\0' ? reviewer
                                                                    : g_get_user_name ());
}

/* Tags */

GPtrArray *
md_review_store_list_tags (MdReviewStore  *self,
                           GError        **error)
{
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), NULL);

  stmt = _md_review_store_prepare (self,
    "SELECT name FROM reason_tag ORDER BY builtin DESC, rowid", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (tags, column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _md_review_store_set_error (self, error, "could not list the reason tags");
      return NULL;
    }
  return g_steal_pointer (&tags);
}

static gboolean
check_tag_name (MdReviewStore  *self,
                const char     *tag,
                GError        **error)
{
  if (tag == NULL || *tag == '\0' || strchr (tag, '\n') != NULL ||
      !g_utf8_validate (tag, -1, NULL))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                   "%s: reason tag “%s” is not valid: expected a non-empty UTF-8 line",
                   self->path, tag != NULL ? tag : "");
      return FALSE;
    }
  return TRUE;
}

gboolean
md_review_store_add_tag (MdReviewStore  *self,
                         const char     *tag,
                         GError        **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), FALSE);

  if (!check_tag_name (self, tag, error))
    return FALSE;
  stmt = _md_review_store_prepare (self,
    "INSERT OR IGNORE INTO reason_tag (name, builtin) VALUES (?, 0)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, tag, -1, SQLITE_TRANSIENT);
  return step_done (self, stmt, "could not add a reason tag", error);
}

static gboolean
tag_exists (MdReviewStore  *self,
            const char     *tag,
            GError        **error)
{
  sqlite3_stmt *stmt = _md_review_store_prepare (self,
    "SELECT 1 FROM reason_tag WHERE name = ?", error);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, tag, -1, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (!found)
    g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND,
                 "%s: unknown reason tag “%s”: expected one of the review file's tags",
                 self->path, tag);
  return found;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Reasons are stored sorted and without duplicates so that equal sets compare equal. */
static char *
join_reasons (const char * const *reasons)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; reasons[i] != NULL; i++)
    g_ptr_array_add (sorted, (gpointer) reasons[i]);
  g_ptr_array_sort (sorted, compare_strings);
  for (guint i = 0; i < sorted->len; i++)
    {
      if (i > 0 && strcmp (sorted->pdata[i], sorted->pdata[i - 1]) == 0)
        continue;
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, sorted->pdata[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Actions */

typedef struct
{
  const char *field;
  char       *new_value;
} Change;

static gboolean
check_key (MdReviewStore  *self,
           const char     *dataset,
           const char     *pair_id,
           const char     *lang,
           GError        **error)
{
  if (dataset == NULL || *dataset == '\0' || pair_id == NULL || *pair_id == '\0')
    {
      g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                   "%s: a review needs a dataset and a pair id", self->path);
      return FALSE;
    }
  if (!_md_review_is_known_lang (lang))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                   "%s: pair %s: unknown language “%s”: expected one of en, zh, es, ja, de, "
                   "fr, ko, ar", self->path, pair_id, lang);
      return FALSE;
    }
  return TRUE;
}

/* Whether the latest status of the key was written by someone other than @author: the same
 * status set by a second reviewer is that reviewer's own judgment (agreement counts it). */
static gboolean
status_by_other (MdReviewStore *self,
                 const char    *dataset,
                 const char    *pair_id,
                 const char    *lang,
                 const char    *author)
{
  sqlite3_stmt *stmt = _md_review_store_prepare (self,
    "SELECT author FROM review_log WHERE dataset = ? AND pair_id = ? AND lang = ?"
    " AND field = 'status' ORDER BY created_at DESC, uid DESC LIMIT 1", NULL);
  gboolean other = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, dataset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, pair_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, lang, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    other = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), author) != 0;
  sqlite3_reset (stmt);
  return other;
}

/* Records the changes that differ from the current values as one action. */
static gint64
record_action (MdReviewStore       *self,
               const char          *dataset,
               const char          *pair_id,
               const char          *lang,
               const Change        *changes,
               guint                n_changes,
               const char          *original,
               const char          *author,
               MdReviewAuthorKind   author_kind,
               GError             **error)
{
  gint64 action = 0;
  gint64 now;

  if (!_md_review_store_begin (self, error))
    return -1;
  now = _md_review_store_next_time (self, error);
  if (now < 0)
    goto fail;

  for (guint i = 0; i < n_changes; i++)
    {
      g_autofree char *current = NULL;
      g_autoptr(GError) local_error = NULL;

      _md_review_store_lookup (self, dataset, pair_id, lang, changes[i].field,
                                           &current, NULL, NULL, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto fail;
        }
      /* No revision yet, or the last one went back to the shard's text. */
      if (current == NULL && original != NULL)
        current = g_strdup (original);
      if (g_strcmp0 (current, changes[i].new_value) == 0 &&
          !(g_strcmp0 (changes[i].field, MD_REVIEW_FIELD_STATUS) == 0 &&
            status_by_other (self, dataset, pair_id, lang, author)))
        continue;
      if (g_strcmp0 (changes[i].field, MD_REVIEW_FIELD_STATUS) == 0 && current == NULL &&
          g_strcmp0 (changes[i].new_value, "unreviewed") == 0)
        continue;

      if (action == 0)
        {
          action = _md_review_store_new_action (self, "do", 0, error);
          if (action < 0)
            goto fail;
        }
      if (!_md_review_store_append (self, action, NULL, dataset, pair_id, lang, changes[i].field,
                                    current, changes[i].new_value, author,
                                    md_review_author_kind_name (author_kind), now++,
                                    NULL, NULL, error))
        goto fail;
    }

  if (action == 0)
    {
      _md_review_store_rollback (self);
      return 0;
    }
  if (!_md_review_store_commit (self, error))
    return -1;
  return action;

fail:
  _md_review_store_rollback (self);
  return -1;
}

gint64
md_review_store_set_status (MdReviewStore       *self,
                            const char          *dataset,
                            const char          *pair_id,
                            const char          *lang,
                            MdReviewStatus       status,
                            const char * const  *reasons,
                            const char          *note,
                            GError             **error)
{
  g_autofree char *joined = NULL;
  Change changes[3];
  guint n_changes = 0;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), -1);
  g_return_val_if_fail (status < MD_REVIEW_N_STATUSES, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (lang == NULL)
    lang = "";
  if (!check_key (self, dataset, pair_id, lang, error))
    return -1;
  if (reasons != NULL)
    {
      for (guint i = 0; reasons[i] != NULL; i++)
        {
          if (!check_tag_name (self, reasons[i], error) || !tag_exists (self, reasons[i], error))
            return -1;
        }
      joined = join_reasons (reasons);
    }

  changes[n_changes++] = (Change) { MD_REVIEW_FIELD_STATUS, (char *) status_names[status] };
  if (reasons != NULL)
    changes[n_changes++] = (Change) { MD_REVIEW_FIELD_REASONS, *joined != '\0' ? joined : NULL };
  if (note != NULL)
    changes[n_changes++] = (Change) { MD_REVIEW_FIELD_NOTE, *note != '\0' ? (char *) note : NULL };

  return record_action (self, dataset, pair_id, lang, changes, n_changes, NULL, self->reviewer,
                        MD_REVIEW_AUTHOR_PERSON, error);
}

gint64
md_review_store_edit_text (MdReviewStore       *self,
                           const char          *dataset,
                           const char          *pair_id,
                           MdLanguage           lang,
                           MdField              field,
                           const char          *original,
                           const char          *text,
                           const char          *author,
                           MdReviewAuthorKind   author_kind,
                           GError             **error)
{
  Change change;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), -1);
  g_return_val_if_fail (lang < MD_N_LANGUAGES, -1);
  g_return_val_if_fail (field < MD_N_FIELDS, -1);
  g_return_val_if_fail (text != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (!check_key (self, dataset, pair_id, md_language_code (lang), error))
    return -1;
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "%s: pair %s: the new %s text is not valid UTF-8", self->path, pair_id,
                   md_field_name (field));
      return -1;
    }
  change.field = md_field_name (field);
  change.new_value = (char *) text;
  return record_action (self, dataset, pair_id, md_language_code (lang), &change, 1, original,
                        author != NULL ? author : self->reviewer, author_kind, error);
}

char *
md_review_store_get_text (MdReviewStore *self,
                          const char    *dataset,
                          const char    *pair_id,
                          MdLanguage     lang,
                          MdField        field,
                          const char    *original,
                          GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *value = NULL;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), NULL);
  g_return_val_if_fail (lang < MD_N_LANGUAGES && field < MD_N_FIELDS, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_md_review_store_lookup (self, dataset, pair_id, md_language_code (lang),
                                md_field_name (field), &value, NULL, NULL, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      return g_strdup (original);
    }
  /* NULL in the log means "back to the shard's text". */
  if (value == NULL)
    return g_strdup (original);
  return value;
}

void
md_review_revision_free (MdReviewRevision *revision)
{
  if (revision == NULL)
    return;
  g_free (revision->text);
  g_free (revision->author);
  g_free (revision);
}

MdReviewRevision *
md_review_store_get_revision (MdReviewStore  *self,
                              const char     *dataset,
                              const char     *pair_id,
                              MdLanguage      lang,
                              MdField         field,
                              GError        **error)
{
  g_autoptr(MdReviewRevision) revision = g_new0 (MdReviewRevision, 1);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), NULL);
  g_return_val_if_fail (lang < MD_N_LANGUAGES && field < MD_N_FIELDS, NULL);

  stmt = _md_review_store_prepare (self,
    "SELECT new_value, author, author_kind, created_at,"
    "  (SELECT COUNT(*) FROM review_log WHERE dataset = ?1 AND pair_id = ?2 AND lang = ?3"
    "     AND field = ?4)"
    " FROM review_log WHERE dataset = ?1 AND pair_id = ?2 AND lang = ?3 AND field = ?4"
    " ORDER BY created_at DESC, uid DESC LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, dataset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, pair_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, md_language_code (lang), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, md_field_name (field), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      revision->text = column_dup (stmt, 0);
      revision->author = column_dup (stmt, 1);
      revision->author_kind = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "model") == 0
                                ? MD_REVIEW_AUTHOR_MODEL : MD_REVIEW_AUTHOR_PERSON;
      revision->updated_at = sqlite3_column_int64 (stmt, 3);
      revision->n_revisions = sqlite3_column_int (stmt, 4);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _md_review_store_set_error (self, error, "could not read the log");
      return NULL;
    }
  return g_steal_pointer (&revision);
}

MdReviewState *
md_review_store_get_state (MdReviewStore  *self,
                           const char     *dataset,
                           const char     *pair_id,
                           const char     *lang,
                           GError        **error)
{
  g_autoptr(MdReviewState) state = g_new0 (MdReviewState, 1);
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), NULL);

  if (lang == NULL)
    lang = "";
  if (!check_key (self, dataset, pair_id, lang, error))
    return NULL;
  state->dataset = g_strdup (dataset);
  state->pair_id = g_strdup (pair_id);
  state->lang = g_strdup (lang);

  stmt = _md_review_store_prepare (self,
    "SELECT status, note, reviewer, created_at, updated_at FROM pair_status"
    " WHERE dataset = ? AND pair_id = ? AND lang = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, dataset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, pair_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, lang, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      md_review_status_from_name ((const char *) sqlite3_column_text (stmt, 0), &state->status);
      state->note = column_dup (stmt, 1);
      state->reviewer = column_dup (stmt, 2);
      state->created_at = sqlite3_column_int64 (stmt, 3);
      state->updated_at = sqlite3_column_int64 (stmt, 4);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _md_review_store_set_error (self, error, "could not read pair_status");
      return NULL;
    }

  stmt = _md_review_store_prepare (self,
    "SELECT tag FROM pair_reason WHERE dataset = ? AND pair_id = ? AND lang = ? ORDER BY tag",
    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, dataset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, pair_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, lang, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (reasons, column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _md_review_store_set_error (self, error, "could not read pair_reason");
      return NULL;
    }
  g_ptr_array_add (reasons, NULL);
  state->reasons = (GStrv) g_ptr_array_free (g_steal_pointer (&reasons), FALSE);
  return g_steal_pointer (&state);
}

/* Undo and redo */

/* Replays the sequence of actions into the two stacks (arrays of action ids, top last). */
static gboolean
derive_stacks (MdReviewStore  *self,
               const char     *author,
               GArray         *undo,
               GArray         *redo,
               GError        **error)
{
  /* Only the author's own actions, and the imports that are everyone's checkpoints. */
  sqlite3_stmt *stmt = _md_review_store_prepare (self,
    "SELECT kind, target, id FROM review_action WHERE author = ? OR kind = 'import' ORDER BY id",
    error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, author, -1, SQLITE_TRANSIENT);
  g_array_set_size (undo, 0);
  g_array_set_size (redo, 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 0);
      gint64 target = sqlite3_column_int64 (stmt, 1);
      gint64 id = sqlite3_column_int64 (stmt, 2);

      if (strcmp (kind, "do") == 0)
        {
          g_array_append_val (undo, id);
          g_array_set_size (redo, 0);
        }
      else if (strcmp (kind, "undo") == 0)
        {
          if (undo->len > 0 && g_array_index (undo, gint64, undo->len - 1) == target)
            {
              g_array_set_size (undo, undo->len - 1);
              g_array_append_val (redo, target);
            }
        }
      else if (strcmp (kind, "redo") == 0)
        {
          if (redo->len > 0 && g_array_index (redo, gint64, redo->len - 1) == target)
            {
              g_array_set_size (redo, redo->len - 1);
              g_array_append_val (undo, target);
            }
        }
      else
        {
          /* An import is a checkpoint. */
          g_array_set_size (undo, 0);
          g_array_set_size (redo, 0);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _md_review_store_set_error (self, error, "could not read the actions");
      return FALSE;
    }
  return TRUE;
}

/* Whether the current value of a key comes from an action of @author; if not, fills @error. */
static gboolean
check_own_value (MdReviewStore       *self,
                 const MdReviewEntry *entry,
                 const char          *author,
                 gint64               target,
                 gboolean             is_undo,
                 GError             **error)
{
  sqlite3_stmt *stmt = _md_review_store_prepare (self,
    "SELECT a.author, a.id, l.new_value FROM review_log l JOIN review_action a ON a.id = l.action"
    " WHERE l.dataset = ? AND l.pair_id = ? AND l.lang = ? AND l.field = ?"
    " ORDER BY l.created_at DESC, l.uid DESC LIMIT 1", error);
  g_autofree char *winner = NULL;
  g_autofree char *value = NULL;
  gint64 winner_action = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entry->dataset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, entry->pair_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, entry->lang, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, entry->field, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      winner = column_dup (stmt, 0);
      winner_action = sqlite3_column_int64 (stmt, 1);
      value = column_dup (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _md_review_store_set_error (self, error, "could not read the log");
      return FALSE;
    }
  /* Someone else's latest entry that put back the value our action left loses nothing. */
  if (winner == NULL || strcmp (winner, author) == 0 ||
      g_strcmp0 (value, is_undo ? entry->new_value : entry->old_value) == 0)
    return TRUE;
  g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
               "%s: cannot %s action %" G_GINT64_FORMAT " of %s: %s changed %s %s %s since "
               "(action %" G_GINT64_FORMAT "); going back would throw that change away",
               self->path, is_undo ? "undo" : "redo", target, author, winner, entry->pair_id,
               *entry->lang != '\0' ? entry->lang : "pair", entry->field, winner_action);
  return FALSE;
}

static gint64
replay_action (MdReviewStore  *self,
               const char     *author,
               gboolean        is_undo,
               gint64         *out_target,
               GError        **error)
{
  g_autoptr(GArray) undo = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) redo = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) md_review_entry_free);
  GArray *stack;
  sqlite3_stmt *stmt;
  gint64 target, action, now;
  int rc;

  if (author == NULL)
    author = self->reviewer;
  if (!_md_review_store_begin (self, error))
    return -1;
  if (!derive_stacks (self, author, undo, redo, error))
    goto fail;
  stack = is_undo ? undo : redo;
  if (stack->len == 0)
    {
      _md_review_store_rollback (self);
      return 0;
    }
  target = g_array_index (stack, gint64, stack->len - 1);

  stmt = _md_review_store_prepare (self,
    "SELECT dataset, pair_id, lang, field, old_value, new_value FROM review_log"
    " WHERE action = ? ORDER BY seq", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, target);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MdReviewEntry *entry = g_new0 (MdReviewEntry, 1);

      entry->dataset = column_dup (stmt, 0);
      entry->pair_id = column_dup (stmt, 1);
      entry->lang = column_dup (stmt, 2);
      entry->field = column_dup (stmt, 3);
      entry->old_value = column_dup (stmt, 4);
      entry->new_value = column_dup (stmt, 5);
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _md_review_store_set_error (self, error, "could not read an action's entries");
      goto fail;
    }

  for (guint j = 0; j < entries->len; j++)
    {
      if (!check_own_value (self, entries->pdata[j], author, target, is_undo, error))
        goto fail;
    }

  now = _md_review_store_next_time (self, error);
  if (now < 0)
    goto fail;
  action = new_action_by (self, is_undo ? "undo" : "redo", target, author, error);
  if (action < 0)
    goto fail;

  /* Undo walks the entries backwards so that a key changed twice ends at its first old value. */
  for (guint j = 0; j < entries->len; j++)
    {
      const MdReviewEntry *entry = entries->pdata[is_undo ? entries->len - 1 - j : j];
      g_autofree char *current = NULL;
      g_autoptr(GError) local_error = NULL;

      _md_review_store_lookup (self, entry->dataset, entry->pair_id, entry->lang, entry->field,
                               &current, NULL, NULL, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto fail;
        }
      if (!_md_review_store_append (self, action, NULL, entry->dataset, entry->pair_id,
                                    entry->lang, entry->field, current,
                                    is_undo ? entry->old_value : entry->new_value,
                                    author, "person", now++, NULL, NULL, error))
        goto fail;
    }

  if (!_md_review_store_commit (self, error))
    return -1;
  if (out_target != NULL)
    *out_target = target;
  return action;

fail:
  _md_review_store_rollback (self);
  return -1;
}

gint64
md_review_store_undo (MdReviewStore  *self,
                      const char     *author,
                      gint64         *out_target,
                      GError        **error)
{
  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), -1);
  return replay_action (self, author, TRUE, out_target, error);
}

gint64
md_review_store_redo (MdReviewStore  *self,
                      const char     *author,
                      gint64         *out_target,
                      GError        **error)
{
  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), -1);
  return replay_action (self, author, FALSE, out_target, error);
}

gint64
md_review_store_get_latest_action (MdReviewStore  *self,
                                   char          **out_author,
                                   GError        **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), -1);

  stmt = _md_review_store_prepare (self,
    "SELECT id, author FROM review_action ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      if (out_author != NULL)
        *out_author = column_dup (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _md_review_store_set_error (self, error, "could not read the actions");
      return -1;
    }
  return id;
}

static gboolean
can_replay (MdReviewStore *self,
            const char    *author,
            gboolean       is_undo)
{
  g_autoptr(GArray) undo = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) redo = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;

  if (!derive_stacks (self, author != NULL ? author : self->reviewer, undo, redo, &error))
    {
      g_warning ("%s", error->message);
      return FALSE;
    }
  return (is_undo ? undo : redo)->len > 0;
}

gboolean
md_review_store_can_undo (MdReviewStore *self,
                          const char    *author)
{
  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), FALSE);
  return can_replay (self, author, TRUE);
}

gboolean
md_review_store_can_redo (MdReviewStore *self,
                          const char    *author)
{
  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), FALSE);
  return can_replay (self, author, FALSE);
}

/* Reading */

GPtrArray *
md_review_store_get_log (MdReviewStore  *self,
                         const char     *dataset,
                         const char     *pair_id,
                         GError        **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) md_review_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), NULL);

  stmt = _md_review_store_prepare (self,
    "SELECT l.seq, l.uid, l.action, a.kind, l.dataset, l.pair_id, l.lang, l.field, l.old_value,"
    "       l.new_value, l.author, l.author_kind, l.created_at"
    " FROM review_log l JOIN review_action a ON a.id = l.action"
    " WHERE (?1 IS NULL OR l.dataset = ?1) AND (?2 IS NULL OR l.pair_id = ?2)"
    " ORDER BY l.seq", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, dataset);
  bind_text (stmt, 2, pair_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MdReviewEntry *entry = g_new0 (MdReviewEntry, 1);

      entry->seq = sqlite3_column_int64 (stmt, 0);
      entry->uid = column_dup (stmt, 1);
      entry->action = sqlite3_column_int64 (stmt, 2);
      entry->action_kind = column_dup (stmt, 3);
      entry->dataset = column_dup (stmt, 4);
      entry->pair_id = column_dup (stmt, 5);
      entry->lang = column_dup (stmt, 6);
      entry->field = column_dup (stmt, 7);
      entry->old_value = column_dup (stmt, 8);
      entry->new_value = column_dup (stmt, 9);
      entry->author = column_dup (stmt, 10);
      entry->author_kind = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 11), "model") == 0
                             ? MD_REVIEW_AUTHOR_MODEL : MD_REVIEW_AUTHOR_PERSON;
      entry->created_at = sqlite3_column_int64 (stmt, 12);
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _md_review_store_set_error (self, error, "could not read the log");
      return NULL;
    }
  return g_steal_pointer (&entries);
}

static GPtrArray *
collect_refs (MdReviewStore  *self,
              sqlite3_stmt   *stmt,
              GError        **error)
{
  g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func ((GDestroyNotify) md_review_ref_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MdReviewRef *ref = g_new0 (MdReviewRef, 1);

      ref->dataset = column_dup (stmt, 0);
      ref->pair_id = column_dup (stmt, 1);
      g_ptr_array_add (refs, ref);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _md_review_store_set_error (self, error, "could not run a review query");
      return NULL;
    }
  return g_steal_pointer (&refs);
}

GPtrArray *
md_review_store_find (MdReviewStore         *self,
                      const MdReviewFilter  *filter,
                      GError               **error)
{
  sqlite3_stmt *stmt;
  const char *lang;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail (filter->status < (int) MD_REVIEW_N_STATUSES, NULL);

  lang = filter->lang != NULL ? filter->lang : "";
  if (strcmp (lang, "*") != 0 && !_md_review_is_known_lang (lang))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_QUERY, "%s: unknown language “%s” in a filter",
                   self->path, lang);
      return NULL;
    }

  /* One statement for every combination: a NULL parameter switches its condition off. The
   * candidates are every pair the log knows, so "unreviewed" matches pairs that only have edits
   * or whose status was undone; pairs the review file never saw are the index's business. */
  stmt = _md_review_store_prepare (self,
    "SELECT k.dataset, k.pair_id FROM (SELECT DISTINCT dataset, pair_id FROM review_log) k"
    " WHERE (?1 IS NULL OR k.dataset = ?1)"
    "  AND (?3 IS NULL OR"
    "       (?3 = 'unreviewed' AND ?2 <> '*' AND NOT EXISTS (SELECT 1 FROM pair_status s"
    "          WHERE s.dataset = k.dataset AND s.pair_id = k.pair_id AND s.lang = ?2"
    "            AND s.status <> 'unreviewed'))"
    "       OR EXISTS (SELECT 1 FROM pair_status s WHERE s.dataset = k.dataset"
    "          AND s.pair_id = k.pair_id AND (?2 = '*' OR s.lang = ?2) AND s.status = ?3))"
    "  AND (?4 IS NULL OR EXISTS (SELECT 1 FROM pair_reason r WHERE r.dataset = k.dataset"
    "          AND r.pair_id = k.pair_id AND (?2 = '*' OR r.lang = ?2) AND r.tag = ?4))"
    "  AND (?5 IS NULL OR EXISTS (SELECT 1 FROM pair_status s WHERE s.dataset = k.dataset"
    "          AND s.pair_id = k.pair_id AND (?2 = '*' OR s.lang = ?2) AND s.reviewer = ?5))"
    "  AND (?6 = 0 OR EXISTS (SELECT 1 FROM pair_text t WHERE t.dataset = k.dataset"
    "          AND t.pair_id = k.pair_id AND (?2 = '*' OR ?2 = '' OR t.lang = ?2)))"
    " ORDER BY k.dataset, k.pair_id", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, filter->dataset);
  sqlite3_bind_text (stmt, 2, lang, -1, SQLITE_TRANSIENT);
  if (filter->status >= 0)
    sqlite3_bind_text (stmt, 3, status_names[filter->status], -1, SQLITE_STATIC);
  bind_text (stmt, 4, filter->reason);
  bind_text (stmt, 5, filter->reviewer);
  sqlite3_bind_int (stmt, 6, filter->edited ? 1 : 0);
  return collect_refs (self, stmt, error);
}

gboolean
md_review_store_next_unreviewed (MdReviewStore       *self,
                                 MdReviewPairAtFunc   pair_at,
                                 gpointer             user_data,
                                 guint64              position,
                                 const char          *lang,
                                 guint64             *out_index,
                                 GError             **error)
{
  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), FALSE);
  g_return_val_if_fail (pair_at != NULL, FALSE);

  if (lang == NULL)
    lang = "";
  if (!_md_review_is_known_lang (lang))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_QUERY, "%s: unknown language “%s”", self->path, lang);
      return FALSE;
    }

  for (guint64 i = position == G_MAXUINT64 ? 0 : position + 1; ; i++)
    {
      const char *dataset = NULL, *pair_id = NULL;
      sqlite3_stmt *stmt;
      gboolean reviewed;

      if (!pair_at (i, &dataset, &pair_id, user_data))
        return FALSE;
      stmt = _md_review_store_prepare (self,
        "SELECT 1 FROM pair_status WHERE dataset = ? AND pair_id = ? AND lang = ?"
        " AND status <> 'unreviewed'", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, dataset, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, pair_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, lang, -1, SQLITE_TRANSIENT);
      reviewed = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      if (!reviewed)
        {
          if (out_index != NULL)
            *out_index = i;
          return TRUE;
        }
    }
}

GPtrArray *
md_review_store_list_orphans (MdReviewStore       *self,
                              MdReviewExistsFunc   exists,
                              gpointer             user_data,
                              GError             **error)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) orphans = g_ptr_array_new_with_free_func ((GDestroyNotify) md_review_ref_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), NULL);
  g_return_val_if_fail (exists != NULL, NULL);

  stmt = _md_review_store_prepare (self,
    "SELECT DISTINCT dataset, pair_id FROM review_log ORDER BY dataset, pair_id", error);
  if (stmt == NULL)
    return NULL;
  all = collect_refs (self, stmt, error);
  if (all == NULL)
    return NULL;
  for (guint i = 0; i < all->len; i++)
    {
      MdReviewRef *ref = all->pdata[i];

      if (!exists (ref->dataset, ref->pair_id, user_data))
        g_ptr_array_add (orphans, g_steal_pointer (&all->pdata[i]));
    }
  return g_steal_pointer (&orphans);
}

GPtrArray *
md_review_store_get_progress (MdReviewStore  *self,
                              GError        **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) md_review_progress_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), NULL);

  stmt = _md_review_store_prepare (self,
    "WITH keys AS (SELECT dataset, lang FROM pair_status"
    "              UNION SELECT dataset, lang FROM pair_text"
    "              UNION SELECT DISTINCT dataset, '' FROM pair_text)"
    " SELECT k.dataset, k.lang,"
    "  (SELECT COUNT(*) FROM pair_status s WHERE s.dataset = k.dataset AND s.lang = k.lang"
    "     AND s.status <> 'unreviewed'),"
    "  (SELECT COUNT(*) FROM pair_status s WHERE s.dataset = k.dataset AND s.lang = k.lang"
    "     AND s.status = 'approved'),"
    "  (SELECT COUNT(*) FROM pair_status s WHERE s.dataset = k.dataset AND s.lang = k.lang"
    "     AND s.status = 'flagged'),"
    "  (SELECT COUNT(*) FROM pair_status s WHERE s.dataset = k.dataset AND s.lang = k.lang"
    "     AND s.status = 'rejected'),"
    "  (SELECT COUNT(*) FROM pair_status s WHERE s.dataset = k.dataset AND s.lang = k.lang"
    "     AND s.status = 'fixed'),"
    "  (SELECT COUNT(DISTINCT t.pair_id) FROM pair_text t WHERE t.dataset = k.dataset"
    "     AND (k.lang = '' OR t.lang = k.lang))"
    " FROM keys k ORDER BY k.dataset, k.lang", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MdReviewProgress *row = g_new0 (MdReviewProgress, 1);

      row->dataset = column_dup (stmt, 0);
      row->lang = column_dup (stmt, 1);
      row->n_reviewed = sqlite3_column_int (stmt, 2);
      row->n_approved = sqlite3_column_int (stmt, 3);
      row->n_flagged = sqlite3_column_int (stmt, 4);
      row->n_rejected = sqlite3_column_int (stmt, 5);
      row->n_fixed = sqlite3_column_int (stmt, 6);
      row->n_edited = sqlite3_column_int (stmt, 7);
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _md_review_store_set_error (self, error, "could not count the reviews");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* Verification */

static gboolean
count_is_zero (MdReviewStore  *self,
               const char     *sql,
               const char     *what,
               GError        **error)
{
  sqlite3_stmt *stmt = _md_review_store_prepare (self, sql, error);
  gint64 n;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      _md_review_store_set_error (self, error, what);
      return FALSE;
    }
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (n != 0)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_DATABASE, "%s: %s (%" G_GINT64_FORMAT " rows)",
                   self->path, what, n);
      return FALSE;
    }
  return TRUE;
}

/* The winning entries, as a common table expression. */
#define WINNERS \
  "WITH w AS (SELECT * FROM review_log l WHERE NOT EXISTS (SELECT 1 FROM review_log l2" \
  "  WHERE l2.dataset = l.dataset AND l2.pair_id = l.pair_id AND l2.lang = l.lang" \
  "    AND l2.field = l.field AND (l2.created_at > l.created_at" \
  "      OR (l2.created_at = l.created_at AND l2.uid > l.uid)))) "

gboolean
md_review_store_verify (MdReviewStore  *self,
                        GError        **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *result = NULL;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), FALSE);

  stmt = _md_review_store_prepare (self, "PRAGMA integrity_check", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (g_strcmp0 (result, "ok") != 0)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_DATABASE, "%s: integrity check failed: %s",
                   self->path, result != NULL ? result : "no answer");
      return FALSE;
    }

  return
    count_is_zero (self,
      "SELECT COUNT(*) FROM review_log l WHERE NOT EXISTS"
      " (SELECT 1 FROM review_action a WHERE a.id = l.action)",
      "log entries without an action", error) &&
    count_is_zero (self,
      WINNERS "SELECT COUNT(*) FROM w WHERE w.field = 'status' AND NOT EXISTS"
      " (SELECT 1 FROM pair_status s WHERE s.dataset = w.dataset AND s.pair_id = w.pair_id"
      "   AND s.lang = w.lang AND s.status = COALESCE(w.new_value, 'unreviewed'))",
      "pair_status disagrees with the log's statuses", error) &&
    count_is_zero (self,
      WINNERS "SELECT COUNT(*) FROM w WHERE w.field = 'note' AND NOT EXISTS"
      " (SELECT 1 FROM pair_status s WHERE s.dataset = w.dataset AND s.pair_id = w.pair_id"
      "   AND s.lang = w.lang AND s.note IS NULLIF(w.new_value, ''))",
      "pair_status disagrees with the log's notes", error) &&
    count_is_zero (self,
      WINNERS "SELECT COUNT(*) FROM pair_status s WHERE NOT EXISTS (SELECT 1 FROM w"
      " WHERE w.dataset = s.dataset AND w.pair_id = s.pair_id AND w.lang = s.lang"
      "   AND w.field IN ('status', 'reasons', 'note'))",
      "pair_status rows without log entries", error) &&
    count_is_zero (self,
      WINNERS "SELECT COUNT(*) FROM w WHERE w.field = 'reasons' AND"
      " COALESCE(w.new_value, '') IS NOT (SELECT COALESCE(group_concat(tag, char(10)), '')"
      "   FROM (SELECT tag FROM pair_reason r WHERE r.dataset = w.dataset"
      "     AND r.pair_id = w.pair_id AND r.lang = w.lang ORDER BY tag))",
      "pair_reason disagrees with the log's reasons", error) &&
    count_is_zero (self,
      WINNERS "SELECT COUNT(*) FROM ("
      " SELECT dataset, pair_id, lang, field, new_value FROM w"
      "   WHERE field IN ('instruction', 'answer') AND new_value IS NOT NULL"
      " EXCEPT SELECT dataset, pair_id, lang, field, text FROM pair_text)",
      "pair_text misses texts of the log", error) &&
    count_is_zero (self,
      WINNERS "SELECT COUNT(*) FROM ("
      " SELECT dataset, pair_id, lang, field, text FROM pair_text EXCEPT"
      " SELECT dataset, pair_id, lang, field, new_value FROM w"
      "   WHERE field IN ('instruction', 'answer') AND new_value IS NOT NULL)",
      "pair_text holds texts the log does not", error);
}
