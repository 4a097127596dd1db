/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Internal API of store/team: the connection (md-team.c), the server's tables (md-team-server.c),
 * the local side kept in the review file (md-team-journal.c) and the sync (md-team-sync.c). */

#include <libpq-fe.h>

#include "md-review-private.h"
#include "md-team.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

struct _MdTeam
{
  GObject        parent_instance;

  MdReviewStore *review;
  PGconn        *conn;         /* NULL while offline */
  char          *server_id;    /* of the open connection */
};

/* The open connection, connecting (and creating the schema) when needed; NULL with MD_ERROR_IO
 * when the server cannot be reached or no connection is stored. */
PGconn     *_md_team_conn            (MdTeam         *self,
                                      GError        **error);
/* Runs a statement; on failure sets @error (MD_ERROR_IO when the connection broke, which also
 * drops it) and returns NULL. */
PGresult   *_md_team_exec            (MdTeam         *self,
                                      const char     *sql,
                                      int             n_params,
                                      const char * const *params,
                                      ExecStatusType  expected,
                                      GError        **error);

/* md-team-server.c */
gboolean    _md_team_server_setup    (PGconn         *conn,
                                      char          **out_server_id,
                                      GError        **error);

/* md-team-journal.c: the team_* tables of the review file. */
gboolean    _md_team_journal_setup   (MdReviewStore  *review,
                                      GError        **error);
char       *_md_team_journal_get     (MdReviewStore  *review,
                                      const char     *key);
gboolean    _md_team_journal_set     (MdReviewStore  *review,
                                      const char     *key,
                                      const char     *value,
                                      GError        **error);
gint64      _md_team_journal_get_int (MdReviewStore  *review,
                                      const char     *key);
/* Forgets what a previous server acknowledged (a new server gets everything again). */
gboolean    _md_team_journal_reset   (MdReviewStore  *review,
                                      GError        **error);
gint64      _md_team_journal_count_queued (MdReviewStore *review,
                                      GError        **error);

/* One queued entry with its action and the server sequence its author had pulled. */
typedef struct
{
  gint64  local_seq;
  gint64  action;
  char   *action_kind;
  char   *uid;
  char   *dataset;
  char   *pair_id;
  char   *lang;
  char   *field;
  char   *old_value;
  char   *new_value;
  char   *author;
  char   *author_kind;
  gint64  created_at;
  gint64  base_seq;
} MdTeamEntry;

void        _md_team_entry_free      (MdTeamEntry    *entry);

/* Up to @limit queued entries in log order. */
GPtrArray  *_md_team_journal_queue   (MdReviewStore  *review,
                                      guint           limit,
                                      GError        **error);
/* Records the server sequences of @uids (parallel arrays) and moves the push cursor to
 * @local_seq. */
gboolean    _md_team_journal_acknowledge (MdReviewStore *review,
                                      GPtrArray      *uids,
                                      GArray         *seqs,
                                      gint64          local_seq,
                                      GError        **error);
/* Appends the pulled entries (MdTeamEntry, local_seq holding the server sequence) the log lacks
 * as one import action, records every sequence and moves the pull cursor to @pulled_seq. */
gboolean    _md_team_journal_apply   (MdReviewStore  *review,
                                      GPtrArray      *entries,
                                      gint64          pulled_seq,
                                      guint64        *out_n_new,
                                      GError        **error);

/* PostgreSQL array literals for the batched statements. */
void        _md_team_array_add_text  (GString        *array,
                                      const char     *text);
void        _md_team_array_add_int   (GString        *array,
                                      gint64          value);
void        _md_team_array_close     (GString        *array);

G_END_DECLS
