/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-team"

#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "md-team-private.h"

G_DEFINE_FINAL_TYPE (MdTeam, md_team, G_TYPE_OBJECT)

static const SecretSchema password_schema = {
  "io.github.mimicdesk.MimicDesk.Team", SECRET_SCHEMA_NONE,
  {
    { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "port", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "dbname", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static void
drop_connection (MdTeam *self)
{
  g_clear_pointer (&self->conn, PQfinish);
  g_clear_pointer (&self->server_id, g_free);
}

static void
md_team_finalize (GObject *object)
{
  MdTeam *self = (MdTeam *)object;

  drop_connection (self);
  g_clear_object (&self->review);
  G_OBJECT_CLASS (md_team_parent_class)->finalize (object);
}

static void
md_team_class_init (MdTeamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = md_team_finalize;
}

static void
md_team_init (MdTeam *self)
{
}

MdTeam *
md_team_new (MdReviewStore *review)
{
  MdTeam *self;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (review), NULL);

  self = g_object_new (MD_TYPE_TEAM, NULL);
  self->review = g_object_ref (review);
  return self;
}

void
md_team_status_free (MdTeamStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->conninfo);
  g_free (status->member);
  g_free (status->replica);
  g_free (status);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PQconninfoOption, PQconninfoFree)

static PQconninfoOption *
parse_conninfo (const char  *conninfo,
                GError     **error)
{
  char *message = NULL;
  PQconninfoOption *options = PQconninfoParse (conninfo, &message);

  if (options == NULL)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "connection “%s” is not a libpq connection string: %s", conninfo,
                   message != NULL ? g_strstrip (message) : "out of memory");
      PQfreemem (message);
    }
  return options;
}

char *
md_team_strip_password (const char  *conninfo,
                        GError     **error)
{
  g_autoptr(PQconninfoOption) options = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (conninfo != NULL, NULL);

  options = parse_conninfo (conninfo, error);
  if (options == NULL)
    return NULL;
  for (PQconninfoOption *option = options; option->keyword != NULL; option++)
    {
      if (option->val == NULL || strcmp (option->keyword, "password") == 0)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "%s='", option->keyword);
      for (const char *p = option->val; *p != '\0'; p++)
        {
          if (*p == '\'' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '\'');
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
option_value (PQconninfoOption *options,
              const char       *keyword)
{
  for (PQconninfoOption *option = options; option->keyword != NULL; option++)
    {
      if (strcmp (option->keyword, keyword) == 0)
        return option->val;
    }
  return NULL;
}

/* Attributes of the Secret Service item: the parts of the stored connection that name the
 * server and the account, as written (libpq's defaults are not spelled out). */
static GHashTable *
secret_attributes (PQconninfoOption *options)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);
  const char *keys[] = { "host", "port", "dbname", "user" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *value = option_value (options, keys[i]);

      g_hash_table_insert (attributes, (gpointer) keys[i], (gpointer) (value != NULL ? value : ""));
    }
  return attributes;
}

static PGconn *
open_connection (const char  *conninfo,
                 const char  *password,
                 GError     **error)
{
  g_autoptr(PQconninfoOption) options = parse_conninfo (conninfo, error);
  g_autoptr(GPtrArray) keywords = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  PGconn *conn;

  if (options == NULL)
    return NULL;
  for (PQconninfoOption *option = options; option->keyword != NULL; option++)
    {
      if (option->val == NULL)
        continue;
      g_ptr_array_add (keywords, option->keyword);
      g_ptr_array_add (values, option->val);
    }
  /* A server that is down must not stall a reviewer's action: the queue waits instead. */
  if (option_value (options, "connect_timeout") == NULL)
    {
      g_ptr_array_add (keywords, "connect_timeout");
      g_ptr_array_add (values, "5");
    }
  if (option_value (options, "application_name") == NULL)
    {
      g_ptr_array_add (keywords, "application_name");
      g_ptr_array_add (values, PACKAGE_NAME);
    }
  if (password != NULL)
    {
      g_ptr_array_add (keywords, "password");
      g_ptr_array_add (values, (gpointer) password);
    }
  g_ptr_array_add (keywords, NULL);
  g_ptr_array_add (values, NULL);
  conn = PQconnectdbParams ((const char * const *) keywords->pdata,
                            (const char * const *) values->pdata, 0);
  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_IO, "could not connect to the team server (%s): %s",
                   conninfo, g_strstrip (PQerrorMessage (conn)));
      if (PQconnectionNeedsPassword (conn))
        g_prefix_error (error, "password needed (PGPASSFILE, ~/.pgpass or “team connect "
                               "--password”): ");
      PQfinish (conn);
      return NULL;
    }
  return conn;
}

/* libpq's own password sources first; the Secret Service when the server asks for one. */
static PGconn *
connect_with_secret (const char  *conninfo,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  PGconn *conn = open_connection (conninfo, NULL, &local_error);

  if (conn == NULL && strstr (local_error->message, "password needed") != NULL)
    {
      g_autoptr(PQconninfoOption) options = parse_conninfo (conninfo, NULL);
      g_autoptr(GHashTable) attributes = NULL;
      g_autofree char *password = NULL;

      if (options != NULL)
        {
          attributes = secret_attributes (options);
          password = secret_password_lookupv_sync (&password_schema, attributes, NULL, NULL);
        }
      if (password != NULL)
        {
          g_clear_error (&local_error);
          conn = open_connection (conninfo, password, &local_error);
          secret_password_wipe (g_steal_pointer (&password));
        }
    }
  if (conn == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return conn;
}

PGconn *
_md_team_conn (MdTeam  *self,
               GError **error)
{
  g_autofree char *conninfo = NULL;
  g_autofree char *stored_id = NULL;
  g_autofree char *server_id = NULL;
  PGconn *conn;

  if (self->conn != NULL && PQstatus (self->conn) == CONNECTION_OK)
    return self->conn;
  drop_connection (self);

  if (!_md_team_journal_setup (self->review, error))
    return NULL;
  conninfo = _md_team_journal_get (self->review, "conninfo");
  if (conninfo == NULL)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND,
                   "%s: no team server is configured; expected “team connect CONNINFO” first",
                   md_review_store_get_path (self->review));
      return NULL;
    }
  conn = connect_with_secret (conninfo, error);
  if (conn == NULL)
    return NULL;
  if (!_md_team_server_setup (conn, &server_id, error))
    {
      PQfinish (conn);
      return NULL;
    }
  stored_id = _md_team_journal_get (self->review, "server_id");
  if (stored_id != NULL && strcmp (stored_id, server_id) != 0)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                   "%s: the team server at %s:%s is not the one this review file synced with "
                   "(server id %s, expected %s); run “team connect” again to start over with it",
                   md_review_store_get_path (self->review), PQhost (conn), PQport (conn),
                   server_id, stored_id);
      PQfinish (conn);
      return NULL;
    }
  self->conn = conn;
  self->server_id = g_steal_pointer (&server_id);
  return conn;
}

PGresult *
_md_team_exec (MdTeam              *self,
               const char          *sql,
               int                  n_params,
               const char * const  *params,
               ExecStatusType       expected,
               GError             **error)
{
  PGconn *conn = _md_team_conn (self, error);
  PGresult *result;

  if (conn == NULL)
    return NULL;
  result = PQexecParams (conn, sql, n_params, NULL, params, NULL, NULL, 0);
  if (PQresultStatus (result) != expected)
    {
      gboolean broken = PQstatus (conn) != CONNECTION_OK;

      g_set_error (error, MD_ERROR, broken ? MD_ERROR_IO : MD_ERROR_DATABASE,
                   "team server %s:%s: “%.60s”: %s", PQhost (conn), PQport (conn), sql,
                   g_strstrip (PQerrorMessage (conn)));
      PQclear (result);
      if (broken)
        drop_connection (self);
      return NULL;
    }
  return result;
}

gboolean
md_team_connect (MdTeam      *self,
                 const char  *conninfo,
                 const char  *member,
                 GError     **error)
{
  g_autofree char *stripped = NULL;
  g_autofree char *previous = NULL;
  g_autofree char *replica = NULL;
  PGconn *conn;

  g_return_val_if_fail (MD_IS_TEAM (self), FALSE);
  g_return_val_if_fail (conninfo != NULL, FALSE);

  stripped = md_team_strip_password (conninfo, error);
  if (stripped == NULL || !_md_team_journal_setup (self->review, error))
    return FALSE;

  drop_connection (self);
  /* Try it before storing it; a password given inline is used once, never written. */
  conn = open_connection (conninfo, NULL, NULL);
  if (conn == NULL)
    conn = connect_with_secret (stripped, error);
  if (conn == NULL)
    return FALSE;
  self->conn = conn;
  if (!_md_team_server_setup (conn, &self->server_id, error))
    {
      drop_connection (self);
      return FALSE;
    }

  previous = _md_team_journal_get (self->review, "server_id");
  if (previous != NULL && strcmp (previous, self->server_id) != 0 &&
      !_md_team_journal_reset (self->review, error))
    return FALSE;
  replica = _md_team_journal_get (self->review, "replica");
  if (replica == NULL)
    replica = g_uuid_string_random ();
  return _md_team_journal_set (self->review, "conninfo", stripped, error) &&
         _md_team_journal_set (self->review, "member",
                               member != NULL ? member : md_review_store_get_reviewer (self->review),
                               error) &&
         _md_team_journal_set (self->review, "replica", replica, error) &&
         _md_team_journal_set (self->review, "server_id", self->server_id, error);
}

gboolean
md_team_disconnect (MdTeam  *self,
                    GError **error)
{
  g_return_val_if_fail (MD_IS_TEAM (self), FALSE);

  drop_connection (self);
  return _md_team_journal_setup (self->review, error) &&
         _md_team_journal_set (self->review, "conninfo", NULL, error);
}

gboolean
md_team_is_configured (MdTeam *self)
{
  g_autofree char *conninfo = NULL;

  g_return_val_if_fail (MD_IS_TEAM (self), FALSE);

  if (!_md_team_journal_setup (self->review, NULL))
    return FALSE;
  conninfo = _md_team_journal_get (self->review, "conninfo");
  return conninfo != NULL;
}

MdTeamStatus *
md_team_get_status (MdTeam  *self,
                    GError **error)
{
  g_autoptr(MdTeamStatus) status = g_new0 (MdTeamStatus, 1);
  g_autoptr(PGresult) result = NULL;
  gint64 queued;

  g_return_val_if_fail (MD_IS_TEAM (self), NULL);

  if (!_md_team_journal_setup (self->review, error))
    return NULL;
  status->conninfo = _md_team_journal_get (self->review, "conninfo");
  status->configured = status->conninfo != NULL;
  status->member = _md_team_journal_get (self->review, "member");
  status->replica = _md_team_journal_get (self->review, "replica");
  status->pulled_seq = _md_team_journal_get_int (self->review, "pull_cursor");
  queued = _md_team_journal_count_queued (self->review, error);
  if (queued < 0)
    return NULL;
  status->n_queued = queued;
  status->server_seq = -1;
  if (status->configured)
    {
      result = _md_team_exec (self, "SELECT COALESCE(MAX(seq), 0) FROM md_entry", 0, NULL,
                              PGRES_TUPLES_OK, NULL);
      if (result != NULL)
        status->server_seq = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
    }
  return g_steal_pointer (&status);
}

gboolean
md_team_store_password (MdTeam      *self,
                        const char  *password,
                        GError     **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(PQconninfoOption) options = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (MD_IS_TEAM (self), FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if (!_md_team_journal_setup (self->review, error))
    return FALSE;
  conninfo = _md_team_journal_get (self->review, "conninfo");
  if (conninfo == NULL)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND,
                   "%s: no team server is configured; expected “team connect CONNINFO” first",
                   md_review_store_get_path (self->review));
      return FALSE;
    }
  options = parse_conninfo (conninfo, error);
  if (options == NULL)
    return FALSE;
  attributes = secret_attributes (options);
  label = g_strdup_printf ("MIMIC Desk team server (%s)", conninfo);
  return secret_password_storev_sync (&password_schema, attributes, SECRET_COLLECTION_DEFAULT,
                                      label, password, NULL, error);
}
