/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-team"

#include "config.h"

#include "md-team-private.h"

/* The review file's side of team review, beside the log it mirrors:
 *   team_state (key, value)         conninfo (never a password), member, replica, server_id,
 *                                   pull_cursor, push_cursor (local log seq up to which every
 *                                   entry is acknowledged)
 *   team_entry (uid, server_seq)    every entry the server is known to hold
 *   team_mark (local_seq, server_seq)  after each pull: the log's last seq and the server
 *                                   sequence pulled; an entry's base is the mark before it. */
static const char journal_sql[] =
  "CREATE TABLE IF NOT EXISTS team_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS team_entry ("
  "  uid TEXT PRIMARY KEY, server_seq INTEGER NOT NULL) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS team_mark ("
  "  local_seq INTEGER PRIMARY KEY, server_seq INTEGER NOT NULL);";

void
_md_team_entry_free (MdTeamEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->action_kind);
  g_free (entry->uid);
  g_free (entry->dataset);
  g_free (entry->pair_id);
  g_free (entry->lang);
  g_free (entry->field);
  g_free (entry->old_value);
  g_free (entry->new_value);
  g_free (entry->author);
  g_free (entry->author_kind);
  g_free (entry);
}

gboolean
_md_team_journal_setup (MdReviewStore  *review,
                        GError        **error)
{
  return _md_review_store_exec (review, journal_sql, error);
}

char *
_md_team_journal_get (MdReviewStore *review,
                      const char    *key)
{
  sqlite3_stmt *stmt = _md_review_store_prepare (review,
    "SELECT value FROM team_state WHERE key = ?", NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

gint64
_md_team_journal_get_int (MdReviewStore *review,
                          const char    *key)
{
  g_autofree char *value = _md_team_journal_get (review, key);

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

static gboolean
step_done (MdReviewStore  *review,
           sqlite3_stmt   *stmt,
           const char     *what,
           GError        **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _md_review_store_set_error (review, error, what);
      return FALSE;
    }
  return TRUE;
}

gboolean
_md_team_journal_set (MdReviewStore  *review,
                      const char     *key,
                      const char     *value,
                      GError        **error)
{
  sqlite3_stmt *stmt;

  if (value == NULL)
    stmt = _md_review_store_prepare (review, "DELETE FROM team_state WHERE key = ?1", error);
  else
    stmt = _md_review_store_prepare (review,
      "INSERT INTO team_state (key, value) VALUES (?1, ?2)"
      " ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  return step_done (review, stmt, "could not write the team state", error);
}

static gboolean
set_int (MdReviewStore  *review,
         const char     *key,
         gint64          value,
         GError        **error)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  return _md_team_journal_set (review, key, text, error);
}

gboolean
_md_team_journal_reset (MdReviewStore  *review,
                        GError        **error)
{
  if (!_md_review_store_begin (review, error))
    return FALSE;
  if (!_md_review_store_exec (review, "DELETE FROM team_entry; DELETE FROM team_mark;"
                              " DELETE FROM team_state WHERE key IN"
                              " ('pull_cursor', 'push_cursor', 'server_id')", error))
    {
      _md_review_store_rollback (review);
      return FALSE;
    }
  return _md_review_store_commit (review, error);
}

gint64
_md_team_journal_count_queued (MdReviewStore  *review,
                               GError        **error)
{
  sqlite3_stmt *stmt = _md_review_store_prepare (review,
    "SELECT COUNT(*) FROM review_log l WHERE l.seq > ?"
    " AND NOT EXISTS (SELECT 1 FROM team_entry t WHERE t.uid = l.uid)", error);
  gint64 n = -1;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, _md_team_journal_get_int (review, "push_cursor"));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    _md_review_store_set_error (review, error, "could not count the queued entries");
  sqlite3_reset (stmt);
  return n;
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

GPtrArray *
_md_team_journal_queue (MdReviewStore  *review,
                        guint           limit,
                        GError        **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) _md_team_entry_free);
  sqlite3_stmt *stmt = _md_review_store_prepare (review,
    "SELECT l.seq, l.action, a.kind, l.uid, l.dataset, l.pair_id, l.lang, l.field, l.old_value,"
    "  l.new_value, l.author, l.author_kind, l.created_at,"
    "  COALESCE((SELECT m.server_seq FROM team_mark m WHERE m.local_seq < l.seq"
    "            ORDER BY m.local_seq DESC LIMIT 1), 0)"
    " FROM review_log l JOIN review_action a ON a.id = l.action"
    " WHERE l.seq > ?1 AND NOT EXISTS (SELECT 1 FROM team_entry t WHERE t.uid = l.uid)"
    " ORDER BY l.seq LIMIT ?2", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, _md_team_journal_get_int (review, "push_cursor"));
  sqlite3_bind_int (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MdTeamEntry *entry = g_new0 (MdTeamEntry, 1);

      entry->local_seq = sqlite3_column_int64 (stmt, 0);
      entry->action = sqlite3_column_int64 (stmt, 1);
      entry->action_kind = column_dup (stmt, 2);
      entry->uid = column_dup (stmt, 3);
      entry->dataset = column_dup (stmt, 4);
      entry->pair_id = column_dup (stmt, 5);
      entry->lang = column_dup (stmt, 6);
      entry->field = column_dup (stmt, 7);
      entry->old_value = column_dup (stmt, 8);
      entry->new_value = column_dup (stmt, 9);
      entry->author = column_dup (stmt, 10);
      entry->author_kind = column_dup (stmt, 11);
      entry->created_at = sqlite3_column_int64 (stmt, 12);
      entry->base_seq = sqlite3_column_int64 (stmt, 13);
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _md_review_store_set_error (review, error, "could not read the queued entries");
      return NULL;
    }
  return g_steal_pointer (&entries);
}

static gboolean
record_seq (MdReviewStore  *review,
            const char     *uid,
            gint64          seq,
            GError        **error)
{
  sqlite3_stmt *stmt = _md_review_store_prepare (review,
    "INSERT OR REPLACE INTO team_entry (uid, server_seq) VALUES (?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, seq);
  return step_done (review, stmt, "could not record a server sequence", error);
}

gboolean
_md_team_journal_acknowledge (MdReviewStore  *review,
                              GPtrArray      *uids,
                              GArray         *seqs,
                              gint64          local_seq,
                              GError        **error)
{
  if (!_md_review_store_begin (review, error))
    return FALSE;
  for (guint i = 0; i < uids->len; i++)
    {
      if (!record_seq (review, uids->pdata[i], g_array_index (seqs, gint64, i), error))
        goto fail;
    }
  if (!set_int (review, "push_cursor", local_seq, error))
    goto fail;
  return _md_review_store_commit (review, error);

fail:
  _md_review_store_rollback (review);
  return FALSE;
}

static gboolean
log_has_uid (MdReviewStore  *review,
             const char     *uid,
             gboolean       *out_found,
             GError        **error)
{
  sqlite3_stmt *stmt = _md_review_store_prepare (review,
    "SELECT 1 FROM review_log WHERE uid = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uid, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      _md_review_store_set_error (review, error, "could not read the log");
      return FALSE;
    }
  *out_found = rc == SQLITE_ROW;
  return TRUE;
}

gboolean
_md_team_journal_apply (MdReviewStore  *review,
                        GPtrArray      *entries,
                        gint64          pulled_seq,
                        guint64        *out_n_new,
                        GError        **error)
{
  sqlite3_stmt *stmt;
  gint64 action = 0;
  guint64 n_new = 0;

  if (!_md_review_store_begin (review, error))
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      const MdTeamEntry *entry = entries->pdata[i];
      gboolean found = FALSE;

      if (!log_has_uid (review, entry->uid, &found, error))
        goto fail;
      if (!found)
        {
          if (action == 0 && (action = _md_review_store_new_action (review, "import", 0,
                                                                   error)) < 0)
            goto fail;
          if (!_md_review_store_append (review, action, entry->uid, entry->dataset,
                                        entry->pair_id, entry->lang, entry->field,
                                        entry->old_value, entry->new_value, entry->author,
                                        entry->author_kind, entry->created_at, NULL, NULL,
                                        error))
            goto fail;
          n_new++;
        }
      if (!record_seq (review, entry->uid, entry->local_seq, error))
        goto fail;
    }
  if (!set_int (review, "pull_cursor", pulled_seq, error))
    goto fail;

  /* Entries written from now on have seen everything up to @pulled_seq. */
  stmt = _md_review_store_prepare (review,
    "INSERT OR REPLACE INTO team_mark (local_seq, server_seq)"
    " VALUES ((SELECT COALESCE(MAX(seq), 0) FROM review_log), ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, pulled_seq);
  if (!step_done (review, stmt, "could not record a pull", error))
    goto fail;
  if (!_md_review_store_commit (review, error))
    return FALSE;
  if (out_n_new != NULL)
    *out_n_new = n_new;
  return TRUE;

fail:
  _md_review_store_rollback (review);
  return FALSE;
}
