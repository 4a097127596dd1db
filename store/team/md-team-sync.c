/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-team"

#include "config.h"

#include "md-team-private.h"

/* Entries per round trip: one statement carries a batch as arrays (unnest), so a bulk action
 * over 100k pairs costs a hundred statements, not 100k. */
#define PUSH_BATCH 1000
#define PULL_BATCH 5000

void
_md_team_array_add_text (GString    *array,
                         const char *text)
{
  g_string_append_c (array, array->len == 0 ? '{' : ',');
  if (text == NULL)
    {
      g_string_append (array, "NULL");
      return;
    }
  g_string_append_c (array, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (array, '\\');
      g_string_append_c (array, *p);
    }
  g_string_append_c (array, '"');
}

void
_md_team_array_add_int (GString *array,
                        gint64   value)
{
  g_string_append_c (array, array->len == 0 ? '{' : ',');
  g_string_append_printf (array, "%" G_GINT64_FORMAT, value);
}

void
_md_team_array_close (GString *array)
{
  if (array->len == 0)
    g_string_append_c (array, '{');
  g_string_append_c (array, '}');
}

enum
{
  COL_UID, COL_LOCAL_ACTION, COL_KIND, COL_BASE, COL_DATASET, COL_PAIR, COL_LANG, COL_FIELD,
  COL_OLD, COL_NEW, COL_AUTHOR, COL_AUTHOR_KIND, COL_TIME, N_COLS
};

static gboolean
rollback_with (MdTeam  *self,
               GError **error)
{
  if (self->conn != NULL && PQstatus (self->conn) == CONNECTION_OK)
    {
      g_autoptr(PGresult) result = PQexec (self->conn, "ROLLBACK");
    }
  return FALSE;
}

/* Pushes one batch in one transaction; the acknowledgements are recorded locally after the
 * commit (a crash in between only means the next push finds them already there). */
static gboolean
push_batch (MdTeam     *self,
            GPtrArray  *batch,
            GError    **error)
{
  g_autofree char *member = _md_team_journal_get (self->review, "member");
  g_autofree char *replica = _md_team_journal_get (self->review, "replica");
  g_autoptr(GPtrArray) uids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) seq_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(PGresult) result = NULL;
  GString *cols[N_COLS];
  const char *params[N_COLS + 1];
  const char *action_params[5];

  for (guint c = 0; c < N_COLS; c++)
    cols[c] = g_string_new (NULL);
  for (guint i = 0; i < batch->len; i++)
    {
      const MdTeamEntry *entry = batch->pdata[i];

      _md_team_array_add_text (cols[COL_UID], entry->uid);
      _md_team_array_add_int (cols[COL_LOCAL_ACTION], entry->action);
      _md_team_array_add_text (cols[COL_KIND], entry->action_kind);
      _md_team_array_add_int (cols[COL_BASE], entry->base_seq);
      _md_team_array_add_text (cols[COL_DATASET], entry->dataset);
      _md_team_array_add_text (cols[COL_PAIR], entry->pair_id);
      _md_team_array_add_text (cols[COL_LANG], entry->lang);
      _md_team_array_add_text (cols[COL_FIELD], entry->field);
      _md_team_array_add_text (cols[COL_OLD], entry->old_value);
      _md_team_array_add_text (cols[COL_NEW], entry->new_value);
      _md_team_array_add_text (cols[COL_AUTHOR], entry->author);
      _md_team_array_add_text (cols[COL_AUTHOR_KIND], entry->author_kind);
      _md_team_array_add_int (cols[COL_TIME], entry->created_at);
    }
  for (guint c = 0; c < N_COLS; c++)
    {
      _md_team_array_close (cols[c]);
      params[c] = cols[c]->str;
    }
  params[N_COLS] = replica;
  action_params[0] = member;
  action_params[1] = replica;
  action_params[2] = params[COL_LOCAL_ACTION];
  action_params[3] = params[COL_KIND];
  action_params[4] = params[COL_BASE];

  result = _md_team_exec (self, "BEGIN", 0, NULL, PGRES_COMMAND_OK, error);
  if (result == NULL)
    goto fail;
  g_clear_pointer (&result, PQclear);
  /* Sequence numbers are taken under this lock, so they commit in order. */
  result = _md_team_exec (self, "SELECT pg_advisory_xact_lock (1836016748)", 0, NULL,
                          PGRES_TUPLES_OK, error);
  if (result == NULL)
    goto fail;
  g_clear_pointer (&result, PQclear);
  result = _md_team_exec (self,
    "INSERT INTO md_action (reviewer, replica, local_id, kind, base_seq)"
    " SELECT $1, $2, u.local_id, min (u.kind), min (u.base)"
    " FROM unnest ($3::bigint[], $4::text[], $5::bigint[]) AS u (local_id, kind, base)"
    " GROUP BY u.local_id ORDER BY u.local_id"
    " ON CONFLICT (replica, local_id) DO NOTHING",
    G_N_ELEMENTS (action_params), action_params, PGRES_COMMAND_OK, error);
  if (result == NULL)
    goto fail;
  g_clear_pointer (&result, PQclear);
  result = _md_team_exec (self,
    "INSERT INTO md_entry (uid, action_id, dataset, pair_id, lang, field, old_value, new_value,"
    "                      author, author_kind, created_at, base_seq)"
    " SELECT u.uid, a.id, u.dataset, u.pair_id, u.lang, u.field, u.old, u.new, u.author,"
    "        u.author_kind, u.time, u.base"
    " FROM unnest ($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[],"
    "              $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],"
    "              $13::bigint[])"
    "   WITH ORDINALITY AS u (uid, local_id, kind, base, dataset, pair_id, lang, field, old, new,"
    "                         author, author_kind, time, ord)"
    " JOIN md_action a ON a.replica = $14 AND a.local_id = u.local_id"
    " ORDER BY u.ord"
    " ON CONFLICT (uid) DO NOTHING",
    N_COLS + 1, params, PGRES_COMMAND_OK, error);
  if (result == NULL)
    goto fail;
  g_clear_pointer (&result, PQclear);
  result = _md_team_exec (self, "SELECT uid, seq FROM md_entry WHERE uid = ANY ($1::text[])",
                          1, params, PGRES_TUPLES_OK, error);
  if (result == NULL)
    goto fail;
  for (int row = 0; row < PQntuples (result); row++)
    {
      gint64 seq = g_ascii_strtoll (PQgetvalue (result, row, 1), NULL, 10);

      g_ptr_array_add (uids, g_strdup (PQgetvalue (result, row, 0)));
      g_array_append_val (seqs, seq);
    }
  g_clear_pointer (&result, PQclear);
  result = _md_team_exec (self, "COMMIT", 0, NULL, PGRES_COMMAND_OK, error);
  if (result == NULL)
    goto fail;

  for (guint c = 0; c < N_COLS; c++)
    g_string_free (cols[c], TRUE);
  if (uids->len != batch->len)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_DATABASE,
                   "team server: %u of %u pushed entries came back", uids->len, batch->len);
      return FALSE;
    }
  return _md_team_journal_acknowledge (self->review, uids, seqs,
                                       ((MdTeamEntry *) batch->pdata[batch->len - 1])->local_seq,
                                       error);

fail:
  for (guint c = 0; c < N_COLS; c++)
    g_string_free (cols[c], TRUE);
  return rollback_with (self, error);
}

gboolean
md_team_push (MdTeam   *self,
              guint64  *out_n_pushed,
              GError  **error)
{
  guint64 n_pushed = 0;

  g_return_val_if_fail (MD_IS_TEAM (self), FALSE);

  if (out_n_pushed != NULL)
    *out_n_pushed = 0;
  if (_md_team_conn (self, error) == NULL)
    return FALSE;
  for (;;)
    {
      g_autoptr(GPtrArray) batch = _md_team_journal_queue (self->review, PUSH_BATCH, error);

      if (batch == NULL)
        return FALSE;
      if (batch->len == 0)
        break;
      if (!push_batch (self, batch, error))
        return FALSE;
      n_pushed += batch->len;
      if (out_n_pushed != NULL)
        *out_n_pushed = n_pushed;
    }
  return TRUE;
}

static char *
value_or_null (PGresult *result,
               int       row,
               int       column)
{
  return PQgetisnull (result, row, column) ? NULL : g_strdup (PQgetvalue (result, row, column));
}

gboolean
md_team_pull (MdTeam            *self,
              MdTeamSyncReport  *out_report,
              GError           **error)
{
  MdTeamSyncReport report = { 0 };

  g_return_val_if_fail (MD_IS_TEAM (self), FALSE);

  report.pulled_seq = _md_team_journal_get_int (self->review, "pull_cursor");
  for (;;)
    {
      g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) _md_team_entry_free);
      g_autoptr(PGresult) result = NULL;
      char after[32];
      const char *params[1] = { after };
      guint64 n_new = 0;
      int n_rows;

      g_snprintf (after, sizeof after, "%" G_GINT64_FORMAT, report.pulled_seq);
      result = _md_team_exec (self,
        "SELECT seq, uid, dataset, pair_id, lang, field, old_value, new_value, author,"
        "  author_kind, created_at FROM md_entry WHERE seq > $1::bigint ORDER BY seq"
        " LIMIT " G_STRINGIFY (PULL_BATCH), 1, params, PGRES_TUPLES_OK, error);
      if (result == NULL)
        return FALSE;
      n_rows = PQntuples (result);
      if (n_rows == 0)
        break;
      for (int row = 0; row < n_rows; row++)
        {
          MdTeamEntry *entry = g_new0 (MdTeamEntry, 1);

          entry->local_seq = g_ascii_strtoll (PQgetvalue (result, row, 0), NULL, 10);
          entry->uid = value_or_null (result, row, 1);
          entry->dataset = value_or_null (result, row, 2);
          entry->pair_id = value_or_null (result, row, 3);
          entry->lang = value_or_null (result, row, 4);
          entry->field = value_or_null (result, row, 5);
          entry->old_value = value_or_null (result, row, 6);
          entry->new_value = value_or_null (result, row, 7);
          entry->author = value_or_null (result, row, 8);
          entry->author_kind = value_or_null (result, row, 9);
          entry->created_at = g_ascii_strtoll (PQgetvalue (result, row, 10), NULL, 10);
          g_ptr_array_add (entries, entry);
        }
      report.pulled_seq = ((MdTeamEntry *) entries->pdata[n_rows - 1])->local_seq;
      if (!_md_team_journal_apply (self->review, entries, report.pulled_seq, &n_new, error))
        return FALSE;
      report.n_pulled += n_new;
      report.n_known += n_rows - n_new;
      if (n_rows < PULL_BATCH)
        break;
    }
  if (out_report != NULL)
    {
      out_report->n_pulled = report.n_pulled;
      out_report->n_known = report.n_known;
      out_report->pulled_seq = report.pulled_seq;
    }
  return TRUE;
}

gboolean
md_team_sync (MdTeam            *self,
              MdTeamSyncReport  *out_report,
              GError           **error)
{
  MdTeamSyncReport report = { 0 };
  gboolean ok;

  g_return_val_if_fail (MD_IS_TEAM (self), FALSE);

  ok = md_team_push (self, &report.n_pushed, error) && md_team_pull (self, &report, error);
  if (out_report != NULL)
    *out_report = report;
  return ok;
}
