/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The review store: the user's own work (statuses, reasons, notes, text edits, audit samples) in
 * its own SQLite file, by default "<index>.review.sqlite" beside the index.
 *
 * It is keyed by (dataset, pair id), never by index rowids, so that rebuilding or re-importing the
 * index never loses a review. Nothing here is ever deleted: every change is an entry of an
 * append-only log, and the current state is derived from it.
 *
 * Actions. One call that changes something (md_review_store_set_status(),
 * md_review_store_edit_text(), md_review_store_undo(), md_review_store_redo(), one
 * md_review_store_import_log()) is one action: a row of review_action and the log entries that
 * carry its action id, committed in one transaction. Undo appends an action of kind "undo" whose
 * entries set every key the undone action touched back to its old value; redo appends an action of
 * kind "redo" that sets them to the new values again. The undo and redo stacks are derived from
 * the sequence of actions (do pushes on the undo stack and empties the redo stack; undo moves the
 * top of the undo stack to the redo stack; redo moves it back), so they survive a restart. An
 * import is a checkpoint: undo never goes back past it and it empties the redo stack.
 *
 * Current value of a key (dataset, pair id, language, field): the log entry with the latest
 * (created_at, uid) among the entries of that key. Local timestamps are made strictly increasing,
 * so locally the latest entry wins; on import, the later timestamp wins per field.
 *
 * SQL contract. The index database may ATTACH the review file (for example AS review) and filter
 * with `EXISTS (SELECT 1 FROM review.pair_status s WHERE s.dataset = ? AND s.pair_id = ? ...)`.
 * These tables and views are maintained in the same transaction as the log and are stable:
 *
 *   pair_status (dataset TEXT, pair_id TEXT, lang TEXT, status TEXT, note TEXT, reviewer TEXT,
 *                created_at INTEGER, updated_at INTEGER)
 *       PRIMARY KEY (dataset, pair_id, lang). lang is "" for the pair as a whole, or a language
 *       code ("en", "zh", ...). status is one of "unreviewed", "approved", "flagged",
 *       "rejected", "fixed". reviewer is the author of the latest status, reason or note change.
 *       Times are microseconds since the Unix epoch (UTC).
 *   pair_reason (dataset TEXT, pair_id TEXT, lang TEXT, tag TEXT)
 *       PRIMARY KEY (dataset, pair_id, lang, tag): the reasons of the current status.
 *   pair_text (dataset TEXT, pair_id TEXT, lang TEXT, field TEXT, text TEXT, author TEXT,
 *              author_kind TEXT, n_revisions INTEGER, updated_at INTEGER)
 *       PRIMARY KEY (dataset, pair_id, lang, field); field is "instruction" or "answer". A row
 *       exists while the text differs from the shard's (an undo back to the original deletes it).
 *   reason_tag (name TEXT PRIMARY KEY, builtin INTEGER)
 *   review_log (seq INTEGER PRIMARY KEY, uid TEXT UNIQUE, action INTEGER, dataset TEXT,
 *               pair_id TEXT, lang TEXT, field TEXT, old_value TEXT, new_value TEXT,
 *               author TEXT, author_kind TEXT, created_at INTEGER)
 *       field is "status", "reasons" (tags separated by "\n", sorted), "note", "instruction"
 *       or "answer". A NULL text value means "the original text of the shard".
 *   review_action (id INTEGER PRIMARY KEY, kind TEXT, target INTEGER, author TEXT,
 *                  created_at INTEGER)   kind: "do", "undo", "redo" or "import".
 *   Views: edited_pair (dataset, pair_id)    pairs with at least one text revision
 *          reviewed_pair (dataset, pair_id, lang, status)   rows of pair_status not unreviewed
 *
 * Threading: one MdReviewStore per thread; several processes may share the file (WAL, busy
 * timeout). */

#include <glib-object.h>

#include "md-error.h"
#include "md-language.h"

G_BEGIN_DECLS

typedef enum
{
  MD_REVIEW_STATUS_UNREVIEWED,
  MD_REVIEW_STATUS_APPROVED,
  MD_REVIEW_STATUS_FLAGGED,
  MD_REVIEW_STATUS_REJECTED,
  MD_REVIEW_STATUS_FIXED,
  MD_REVIEW_N_STATUSES
} MdReviewStatus;

typedef enum
{
  MD_REVIEW_AUTHOR_PERSON,
  MD_REVIEW_AUTHOR_MODEL,
} MdReviewAuthorKind;

const char *md_review_status_name        (MdReviewStatus      status);
gboolean    md_review_status_from_name   (const char         *name,
                                          MdReviewStatus     *out_status);
const char *md_review_author_kind_name   (MdReviewAuthorKind  kind);

/* The reason tags every review file starts with. */
extern const char * const md_review_default_tags[];

/* The current review of a pair (lang "") or of one of its languages. */
typedef struct
{
  char            *dataset;
  char            *pair_id;
  char            *lang;        /* "" for the whole pair */
  MdReviewStatus   status;
  GStrv            reasons;     /* never NULL */
  char            *note;        /* NULL when none */
  char            *reviewer;    /* NULL when never reviewed */
  gint64           created_at;  /* µs since the epoch; 0 when never reviewed */
  gint64           updated_at;
} MdReviewState;

void md_review_state_free (MdReviewState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdReviewState, md_review_state_free)

/* One entry of the log, as stored. */
typedef struct
{
  gint64              seq;
  char               *uid;
  gint64              action;
  char               *action_kind;  /* "do", "undo", "redo", "import" */
  char               *dataset;
  char               *pair_id;
  char               *lang;
  char               *field;
  char               *old_value;    /* NULL: nothing / the shard's original */
  char               *new_value;
  char               *author;
  MdReviewAuthorKind  author_kind;
  gint64              created_at;
} MdReviewEntry;

void md_review_entry_free (MdReviewEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdReviewEntry, md_review_entry_free)

/* A (dataset, pair id) reference, as returned by the queries. */
typedef struct
{
  char *dataset;
  char *pair_id;
} MdReviewRef;

void md_review_ref_free (MdReviewRef *ref);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdReviewRef, md_review_ref_free)

/* Counts for one dataset and language ("" for pair-level reviews). */
typedef struct
{
  char  *dataset;
  char  *lang;
  guint  n_reviewed;   /* every status but unreviewed */
  guint  n_approved;
  guint  n_flagged;
  guint  n_rejected;
  guint  n_fixed;
  guint  n_edited;     /* pairs with a text revision in this language (pair level: any) */
} MdReviewProgress;

void md_review_progress_free (MdReviewProgress *progress);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdReviewProgress, md_review_progress_free)

/* Filters combine with AND; NULL / -1 / FALSE members do not filter. */
typedef struct
{
  const char *dataset;
  const char *lang;        /* NULL or "": pair level; "*": any level */
  int         status;      /* an MdReviewStatus, or -1 */
  const char *reason;
  const char *reviewer;
  gboolean    edited;      /* only pairs with a text revision */
} MdReviewFilter;

#define MD_REVIEW_FILTER_INIT { NULL, NULL, -1, NULL, NULL, FALSE }

#define MD_TYPE_REVIEW_STORE (md_review_store_get_type ())
G_DECLARE_FINAL_TYPE (MdReviewStore, md_review_store, MD, REVIEW_STORE, GObject)

/* "<index_path>.review.sqlite". */
char          *md_review_store_default_path   (const char          *index_path);

MdReviewStore *md_review_store_open           (const char          *path,
                                               GError             **error);
const char    *md_review_store_get_path       (MdReviewStore       *self);

/* The name recorded as author of the following actions; defaults to g_get_user_name(). */
const char    *md_review_store_get_reviewer   (MdReviewStore       *self);
void           md_review_store_set_reviewer   (MdReviewStore       *self,
                                               const char          *reviewer);

/* Reason tags: the defaults plus the user's own. Element type char*. */
GPtrArray     *md_review_store_list_tags      (MdReviewStore       *self,
                                               GError             **error);
gboolean       md_review_store_add_tag        (MdReviewStore       *self,
                                               const char          *tag,
                                               GError             **error);

/* One action setting the status of a pair (@lang NULL or "") or of one language, with its
 * reasons (NULL: keep the current ones; an empty vector clears them) and note (NULL: keep; "":
 * clear). Unknown tags are an error (add them first). Returns the action id, 0 when nothing
 * changed, -1 on error. The current status set again by another reviewer than its author is a
 * change (that reviewer's own judgment, which agreement between reviewers counts). */
gint64         md_review_store_set_status     (MdReviewStore       *self,
                                               const char          *dataset,
                                               const char          *pair_id,
                                               const char          *lang,
                                               MdReviewStatus       status,
                                               const char * const  *reasons,
                                               const char          *note,
                                               GError             **error);

/* One action revising a text. @original is the shard's text, recorded as the old value of the
 * first revision (NULL when the caller does not know it). @author NULL means the reviewer.
 * Returns the action id, 0 when the text is already @text, -1 on error. */
gint64         md_review_store_edit_text      (MdReviewStore       *self,
                                               const char          *dataset,
                                               const char          *pair_id,
                                               MdLanguage           lang,
                                               MdField              field,
                                               const char          *original,
                                               const char          *text,
                                               const char          *author,
                                               MdReviewAuthorKind   author_kind,
                                               GError             **error);

/* The current text: the latest revision, else a copy of @original (NULL when there is neither).
 * A failed read is NULL with @error set, never the shard's text passed off as current: callers
 * tell "no text" (NULL, no error) from a failure by @error. */
char          *md_review_store_get_text       (MdReviewStore       *self,
                                               const char          *dataset,
                                               const char          *pair_id,
                                               MdLanguage           lang,
                                               MdField              field,
                                               const char          *original,
                                               GError             **error);

/* The current revision of one text field. */
typedef struct
{
  char               *text;         /* the current text; NULL when it is the shard's */
  guint               n_revisions;  /* log entries of the field (0: never revised) */
  char               *author;       /* of the latest entry; NULL when never revised */
  MdReviewAuthorKind  author_kind;
  gint64              updated_at;   /* µs since the epoch; 0 when never revised */
} MdReviewRevision;

void md_review_revision_free (MdReviewRevision *revision);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdReviewRevision, md_review_revision_free)

/* Never NULL but on error. */
MdReviewRevision *md_review_store_get_revision (MdReviewStore  *self,
                                                const char     *dataset,
                                                const char     *pair_id,
                                                MdLanguage      lang,
                                                MdField         field,
                                                GError        **error);

MdReviewState *md_review_store_get_state      (MdReviewStore       *self,
                                               const char          *dataset,
                                               const char          *pair_id,
                                               const char          *lang,
                                               GError             **error);

/* Undo and redo are per author: md_review_store_undo() undoes the latest action of @author
 * (NULL: the store's reviewer, md_review_store_get_reviewer()) that is not undone yet, never
 * another author's, even when theirs came later; redo redoes that author's latest undone action.
 * Each author's stacks are derived from their own actions; an import empties everyone's.
 *
 * Returns the id of the new "undo"/"redo" action, 0 when @author has nothing to undo/redo, -1 on
 * error. *out_target (optional) receives the action undone/redone. When another author has
 * changed one of the action's fields since, nothing is done and the error (MD_ERROR_FAILED) names
 * the field and that author: going back would silently throw their change away.
 *
 * The window's Ctrl+Z and Ctrl+Shift+Z call these with NULL, the CLI with --reviewer. */
gint64         md_review_store_undo           (MdReviewStore       *self,
                                               const char          *author,
                                               gint64              *out_target,
                                               GError             **error);
gint64         md_review_store_redo           (MdReviewStore       *self,
                                               const char          *author,
                                               gint64              *out_target,
                                               GError             **error);
gboolean       md_review_store_can_undo       (MdReviewStore       *self,
                                               const char          *author);
gboolean       md_review_store_can_redo       (MdReviewStore       *self,
                                               const char          *author);

/* The latest action of any author (kind "do", "undo", "redo" or "import"): its id, 0 when there
 * is none, -1 on error. *out_author (optional) receives its author. With undo, it tells the
 * user when the latest action overall is someone else's. */
gint64         md_review_store_get_latest_action (MdReviewStore    *self,
                                                  char            **out_author,
                                                  GError          **error);

/* Log entries of one pair (@pair_id NULL: all) in log order. Element type MdReviewEntry. */
GPtrArray     *md_review_store_get_log        (MdReviewStore       *self,
                                               const char          *dataset,
                                               const char          *pair_id,
                                               GError             **error);

/* Element type MdReviewRef, sorted by dataset then pair id. */
GPtrArray     *md_review_store_find           (MdReviewStore       *self,
                                               const MdReviewFilter *filter,
                                               GError             **error);

/* Ordered walk: returns FALSE past the end, else the pair at @index. */
typedef gboolean (*MdReviewPairAtFunc) (guint64      index,
                                        const char **out_dataset,
                                        const char **out_pair_id,
                                        gpointer     user_data);

/* The first index after @position (exclusive; G_MAXUINT64 to start at 0) whose pair (@lang NULL)
 * or language is unreviewed; FALSE when there is none. */
gboolean       md_review_store_next_unreviewed (MdReviewStore      *self,
                                                MdReviewPairAtFunc  pair_at,
                                                gpointer            user_data,
                                                guint64             position,
                                                const char         *lang,
                                                guint64            *out_index,
                                                GError            **error);

/* Whether the index still holds (dataset, pair id). */
typedef gboolean (*MdReviewExistsFunc) (const char *dataset,
                                        const char *pair_id,
                                        gpointer    user_data);

/* Pairs the review file knows (any log entry) for which @exists says FALSE: reviews of pairs
 * that disappeared from their shard. Element type MdReviewRef. */
GPtrArray     *md_review_store_list_orphans   (MdReviewStore       *self,
                                               MdReviewExistsFunc   exists,
                                               gpointer             user_data,
                                               GError             **error);

/* Element type MdReviewProgress, sorted by dataset then language ("" first). */
GPtrArray     *md_review_store_get_progress   (MdReviewStore       *self,
                                               GError             **error);

/* Runs PRAGMA integrity_check and checks that the derived tables (pair_status, pair_reason,
 * pair_text) equal a replay of the log and that every entry belongs to an action. */
gboolean       md_review_store_verify         (MdReviewStore       *self,
                                               GError             **error);

G_END_DECLS
