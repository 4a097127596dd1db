/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Team review: a review file shared through a PostgreSQL server.
 *
 * The local review file stays the journal: every action is written there first, as without a
 * server. Syncing pushes the log entries the server lacks and pulls the entries others pushed,
 * appending them to the local log as one "import" action per pull. The server's tables mirror the
 * log (md_action, unique per (replica, local action id), and md_entry, unique per entry uid, in
 * server order by md_entry.seq), plus the audit samples and the assignments, so pushing twice
 * changes nothing and a lost acknowledgement is repaired by the next push.
 *
 * Which value wins is the log's rule (latest time, then uid), so every replica that holds the
 * same entries shows the same state whatever order they arrived in. A change made after pulling
 * another is always later than it (local times are strictly after every entry of the log), so for
 * changes that saw each other this is the server's order. Changes of the same field that did not
 * see each other (neither author had pulled the other's when writing) are conflicts: both stay in
 * the history and md_team_list_conflicts() lists them for a lead.
 *
 * Each entry carries the server sequence its author had pulled when writing it (base_seq); the
 * review file keeps, in its team_* tables, the connection (never a password), its replica id, the
 * pull cursor and the server sequence of every entry it knows.
 *
 * Passwords come from libpq's own sources (PGPASSFILE, ~/.pgpass, PGPASSWORD) or, when the server
 * asks for one, from the Secret Service (libsecret), where md_team_store_password() puts it.
 *
 * Threading: an MdTeam belongs to one thread, like the MdReviewStore it syncs. */

#include "md-review-store.h"
#include "md-review-sample.h"

G_BEGIN_DECLS

#define MD_TYPE_TEAM (md_team_get_type ())
G_DECLARE_FINAL_TYPE (MdTeam, md_team, MD, TEAM, GObject)

typedef struct
{
  gboolean configured;      /* a connection is stored in the review file */
  char    *conninfo;        /* without password; NULL when not configured */
  char    *member;          /* the reviewer name pushes are made under */
  char    *replica;         /* this review file's id on the server */
  guint64  n_queued;        /* local entries the server has not acknowledged */
  gint64   pulled_seq;      /* server sequence pulled so far */
  gint64   server_seq;      /* latest server sequence, -1 when offline */
} MdTeamStatus;

void md_team_status_free (MdTeamStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdTeamStatus, md_team_status_free)

typedef struct
{
  guint64 n_pushed;         /* entries acknowledged by this sync (new or already there) */
  guint64 n_pulled;         /* entries of others added to the local log */
  guint64 n_known;          /* pulled entries the local log already had */
  gint64  pulled_seq;
} MdTeamSyncReport;

/* Two entries of one field by different replicas, neither written after seeing the other. */
typedef struct
{
  char   *dataset;
  char   *pair_id;
  char   *lang;
  char   *field;
  gint64  first_seq;        /* the one the server received first */
  char   *first_uid;
  char   *first_author;
  char   *first_value;
  gint64  second_seq;
  char   *second_uid;
  char   *second_author;
  char   *second_value;
  char   *current_value;    /* the field's value now, on every replica */
} MdTeamConflict;

void md_team_conflict_free (MdTeamConflict *conflict);

/* Removes any password from @conninfo (a libpq "key=value" string or URI); NULL and @error when
 * libpq cannot parse it. */
char          *md_team_strip_password  (const char     *conninfo,
                                        GError        **error);

/* The team side of @review (no connection is made until needed). */
MdTeam        *md_team_new             (MdReviewStore  *review);

/* Connects to @conninfo, creates the server schema when missing and stores the connection
 * (without password) in the review file under @member (NULL: the store's reviewer). */
gboolean       md_team_connect         (MdTeam         *self,
                                        const char     *conninfo,
                                        const char     *member,
                                        GError        **error);
gboolean       md_team_disconnect      (MdTeam         *self,
                                        GError        **error);
gboolean       md_team_is_configured   (MdTeam         *self);

/* Never fails for a server that is down: server_seq is then -1. */
MdTeamStatus  *md_team_get_status      (MdTeam         *self,
                                        GError        **error);

/* Pushes the queue, then pulls. FALSE with MD_ERROR_IO when the server cannot be reached (the
 * queue is kept; the next sync drains it). */
gboolean       md_team_sync            (MdTeam         *self,
                                        MdTeamSyncReport *out_report,
                                        GError        **error);
gboolean       md_team_push            (MdTeam         *self,
                                        guint64        *out_n_pushed,
                                        GError        **error);
gboolean       md_team_pull            (MdTeam         *self,
                                        MdTeamSyncReport *out_report,
                                        GError        **error);

/* Element type MdTeamConflict, by key then server order. */
GPtrArray     *md_team_list_conflicts  (MdTeam         *self,
                                        GError        **error);

/* Saves @password in the Secret Service for the stored connection's host, port, database and
 * user. */
gboolean       md_team_store_password  (MdTeam         *self,
                                        const char     *password,
                                        GError        **error);


/* Assignments. A lead splits units (pairs, or languages of pairs) among reviewers: after a
 * seeded shuffle unit i goes to reviewers[i mod n], and the first round(overlap × units) of the
 * shuffled units also to the next reviewer, so that agreement can be measured on them. */

gboolean       md_team_assign          (MdTeam               *self,
                                        const char           *name,
                                        const MdSampleUnit   *units,
                                        guint                 n_units,
                                        const char * const   *reviewers,
                                        double                overlap,
                                        guint64               seed,
                                        guint                *out_n_rows,
                                        GError              **error);

/* The next unit of @reviewer's part of assignment @name that @reviewer has not given a status
 * yet (pushing first, so the server knows), claimed for @ttl_seconds. With @take_abandoned, once
 * the reviewer's own part is done, a unit whose claim by another reviewer expired without a
 * status passes to @reviewer. FALSE without @error when nothing is left. */
typedef struct
{
  char  *dataset;
  char  *pair_id;
  char  *lang;       /* "" for the pair as a whole */
  guint  position;   /* in the assignment's shuffled order */
} MdTeamUnit;

void md_team_unit_free (MdTeamUnit *unit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdTeamUnit, md_team_unit_free)

gboolean       md_team_next            (MdTeam               *self,
                                        const char           *name,
                                        const char           *reviewer,
                                        guint                 ttl_seconds,
                                        gboolean              take_abandoned,
                                        MdTeamUnit          **out_unit,
                                        GError              **error);

G_END_DECLS
