/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-team"

#include "config.h"

#include "md-team-private.h"

#define SERVER_SCHEMA_VERSION "1"

/* Every key the advisory locks of mimicdesk use; one number so that schema creation and pushes
 * never interleave. */
#define TEAM_LOCK "1836016748"

/* The server's tables mirror the review file's log. md_entry.seq is the server order: pushes
 * hold an advisory lock while they take sequence numbers, so sequences commit in order and a
 * reader that has seen seq N has seen every entry below it. */
static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS md_team_meta (key text PRIMARY KEY, value text NOT NULL);"
  "CREATE TABLE IF NOT EXISTS md_action ("
  "  id bigserial PRIMARY KEY, reviewer text NOT NULL, replica text NOT NULL,"
  "  local_id bigint NOT NULL, kind text NOT NULL, base_seq bigint NOT NULL,"
  "  pushed_at timestamptz NOT NULL DEFAULT now(), UNIQUE (replica, local_id));"
  "CREATE TABLE IF NOT EXISTS md_entry ("
  "  seq bigserial PRIMARY KEY, uid text NOT NULL UNIQUE,"
  "  action_id bigint NOT NULL REFERENCES md_action (id),"
  "  dataset text NOT NULL, pair_id text NOT NULL, lang text NOT NULL, field text NOT NULL,"
  "  old_value text, new_value text, author text NOT NULL, author_kind text NOT NULL,"
  "  created_at bigint NOT NULL, base_seq bigint NOT NULL);"
  "CREATE INDEX IF NOT EXISTS md_entry_key ON md_entry (dataset, pair_id, lang, field, seq);"
  /* The current value of every key, by the log's rule (latest time, then uid). */
  "CREATE OR REPLACE VIEW md_current AS"
  "  SELECT DISTINCT ON (dataset, pair_id, lang, field) * FROM md_entry"
  "  ORDER BY dataset, pair_id, lang, field, created_at DESC, uid DESC;"
  "CREATE OR REPLACE VIEW md_pair_status AS"
  "  SELECT dataset, pair_id, lang, COALESCE(new_value, 'unreviewed') AS status, author, seq"
  "  FROM md_current WHERE field = 'status';"
  "CREATE OR REPLACE VIEW md_pair_text AS"
  "  SELECT dataset, pair_id, lang, field, new_value AS text, author, author_kind, seq"
  "  FROM md_current WHERE field IN ('instruction', 'answer') AND new_value IS NOT NULL;"
  "CREATE TABLE IF NOT EXISTS md_sample ("
  "  name text PRIMARY KEY, seed bigint NOT NULL, size integer NOT NULL, strata text NOT NULL,"
  "  allocation text NOT NULL, reviewer text NOT NULL,"
  "  created_at timestamptz NOT NULL DEFAULT now());"
  "CREATE TABLE IF NOT EXISTS md_sample_stratum ("
  "  sample text NOT NULL REFERENCES md_sample (name), stratum text NOT NULL,"
  "  population bigint NOT NULL, PRIMARY KEY (sample, stratum));"
  "CREATE TABLE IF NOT EXISTS md_sample_member ("
  "  sample text NOT NULL REFERENCES md_sample (name), position integer NOT NULL,"
  "  stratum text NOT NULL, dataset text NOT NULL, pair_id text NOT NULL, lang text NOT NULL,"
  "  PRIMARY KEY (sample, position));"
  "CREATE TABLE IF NOT EXISTS md_assignment ("
  "  name text NOT NULL, position integer NOT NULL, reviewer text NOT NULL,"
  "  dataset text NOT NULL, pair_id text NOT NULL, lang text NOT NULL,"
  "  claimed_by text, claimed_until timestamptz,"
  "  PRIMARY KEY (name, position, reviewer));"
  "CREATE INDEX IF NOT EXISTS md_assignment_reviewer ON md_assignment (name, reviewer, position);"
  "INSERT INTO md_team_meta (key, value) VALUES ('schema_version', '" SERVER_SCHEMA_VERSION "')"
  "  ON CONFLICT (key) DO NOTHING;"
  "INSERT INTO md_team_meta (key, value) VALUES ('server_id', gen_random_uuid ()::text)"
  "  ON CONFLICT (key) DO NOTHING;";

static gboolean
exec_ok (PGconn      *conn,
         const char  *sql,
         GError     **error)
{
  g_autoptr(PGresult) result = PQexec (conn, sql);
  ExecStatusType status = PQresultStatus (result);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      g_set_error (error, MD_ERROR, PQstatus (conn) == CONNECTION_OK ? MD_ERROR_DATABASE
                                                                      : MD_ERROR_IO,
                   "%s:%s: could not set up the team tables: %s", PQhost (conn), PQport (conn),
                   PQerrorMessage (conn));
      return FALSE;
    }
  return TRUE;
}

gboolean
_md_team_server_setup (PGconn  *conn,
                       char   **out_server_id,
                       GError **error)
{
  g_autoptr(PGresult) result = NULL;
  const char *version;

  /* Most connections find the tables there: read first, create only when missing. */
  result = PQexec (conn, "SELECT (SELECT value FROM md_team_meta WHERE key = 'schema_version'),"
                         " (SELECT value FROM md_team_meta WHERE key = 'server_id')");
  if (PQresultStatus (result) != PGRES_TUPLES_OK || PQgetisnull (result, 0, 1))
    {
      g_clear_pointer (&result, PQclear);
      if (!exec_ok (conn, "BEGIN; SELECT pg_advisory_xact_lock (" TEAM_LOCK ")", error))
        return FALSE;
      if (!exec_ok (conn, schema_sql, error) || !exec_ok (conn, "COMMIT", error))
        {
          g_autoptr(PGresult) rollback = PQexec (conn, "ROLLBACK");
          return FALSE;
        }
      result = PQexec (conn, "SELECT (SELECT value FROM md_team_meta WHERE key = 'schema_version'),"
                             " (SELECT value FROM md_team_meta WHERE key = 'server_id')");
      if (PQresultStatus (result) != PGRES_TUPLES_OK || PQgetisnull (result, 0, 1))
        {
          g_set_error (error, MD_ERROR, MD_ERROR_DATABASE,
                       "%s:%s: the team tables have no server id: %s", PQhost (conn),
                       PQport (conn), PQerrorMessage (conn));
          return FALSE;
        }
    }
  version = PQgetvalue (result, 0, 0);
  if (g_ascii_strtoll (version, NULL, 10) > g_ascii_strtoll (SERVER_SCHEMA_VERSION, NULL, 10))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_UNSUPPORTED,
                   "%s:%s: the team tables have schema version %s, newer than this program (%s)",
                   PQhost (conn), PQport (conn), version, SERVER_SCHEMA_VERSION);
      return FALSE;
    }
  *out_server_id = g_strdup (PQgetvalue (result, 0, 1));
  return TRUE;
}

void
md_team_conflict_free (MdTeamConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->dataset);
  g_free (conflict->pair_id);
  g_free (conflict->lang);
  g_free (conflict->field);
  g_free (conflict->first_uid);
  g_free (conflict->first_author);
  g_free (conflict->first_value);
  g_free (conflict->second_uid);
  g_free (conflict->second_author);
  g_free (conflict->second_value);
  g_free (conflict->current_value);
  g_free (conflict);
}

static char *
value_or_null (PGresult *result,
               int       row,
               int       column)
{
  return PQgetisnull (result, row, column) ? NULL : g_strdup (PQgetvalue (result, row, column));
}

GPtrArray *
md_team_list_conflicts (MdTeam  *self,
                        GError **error)
{
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) md_team_conflict_free);
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (MD_IS_TEAM (self), NULL);

  /* b did not see a: it was written before its author pulled a (b.base_seq < a.seq); a cannot
   * have seen b, which reached the server after it. */
  result = _md_team_exec (self,
    "SELECT a.dataset, a.pair_id, a.lang, a.field, a.seq, a.uid, a.author, a.new_value,"
    "  b.seq, b.uid, b.author, b.new_value, c.new_value"
    " FROM md_entry a JOIN md_action aa ON aa.id = a.action_id"
    " JOIN md_entry b ON b.dataset = a.dataset AND b.pair_id = a.pair_id AND b.lang = a.lang"
    "   AND b.field = a.field AND b.seq > a.seq AND b.base_seq < a.seq"
    " JOIN md_action ba ON ba.id = b.action_id"
    " JOIN md_current c ON c.dataset = a.dataset AND c.pair_id = a.pair_id AND c.lang = a.lang"
    "   AND c.field = a.field"
    " WHERE aa.replica <> ba.replica AND aa.kind <> 'import' AND ba.kind <> 'import'"
    "   AND a.new_value IS DISTINCT FROM b.new_value"
    " ORDER BY a.dataset, a.pair_id, a.lang, a.field, a.seq, b.seq",
    0, NULL, PGRES_TUPLES_OK, error);
  if (result == NULL)
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    {
      MdTeamConflict *conflict = g_new0 (MdTeamConflict, 1);

      conflict->dataset = value_or_null (result, row, 0);
      conflict->pair_id = value_or_null (result, row, 1);
      conflict->lang = value_or_null (result, row, 2);
      conflict->field = value_or_null (result, row, 3);
      conflict->first_seq = g_ascii_strtoll (PQgetvalue (result, row, 4), NULL, 10);
      conflict->first_uid = value_or_null (result, row, 5);
      conflict->first_author = value_or_null (result, row, 6);
      conflict->first_value = value_or_null (result, row, 7);
      conflict->second_seq = g_ascii_strtoll (PQgetvalue (result, row, 8), NULL, 10);
      conflict->second_uid = value_or_null (result, row, 9);
      conflict->second_author = value_or_null (result, row, 10);
      conflict->second_value = value_or_null (result, row, 11);
      conflict->current_value = value_or_null (result, row, 12);
      g_ptr_array_add (conflicts, conflict);
    }
  return g_steal_pointer (&conflicts);
}
