/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Exchanging review logs between reviewers as JSONL: one log entry per line,
 *   {"uid": "ana/6f1c…", "action_kind": "do", "dataset": "DC", "id": "DC_INS_00001",
 *    "lang": "zh", "field": "answer", "old": "…", "new": "…", "author": "ana",
 *    "author_kind": "person", "time": 1700000000000000}
 * (time in microseconds since the epoch, UTC; "old"/"new" null for the shard's original text or
 * for no value; "lang" "" for the pair as a whole).
 *
 * Import merges: entries whose uid is already known are skipped (importing a log twice changes
 * nothing); new entries are appended as one "import" action, and for each (dataset, id, lang,
 * field) the entry with the later time wins. A conflict is a key that both sides changed since
 * their common history (each has entries the other lacks) and whose resulting values differ; it
 * is listed in the report with both values and the winner. Malformed lines are reported with their
 * line number and byte offset, and the other lines still import. */

#include "md-review-store.h"

G_BEGIN_DECLS

typedef struct
{
  char    *dataset;
  char    *pair_id;
  char    *lang;
  char    *field;
  char    *local_value;
  char    *local_author;
  gint64   local_time;
  char    *remote_value;
  char    *remote_author;
  gint64   remote_time;
  gboolean remote_wins;
} MdReviewConflict;

typedef struct
{
  guint      n_lines;        /* non-empty lines read */
  guint      n_new;          /* entries added to the log */
  guint      n_duplicates;   /* entries the log already had */
  guint      n_applied;      /* new entries that became the current value */
  guint      n_superseded;   /* new entries older than the current value */
  gint64     action;         /* the import action, 0 when nothing was new */
  GPtrArray *conflicts;      /* MdReviewConflict */
  GPtrArray *errors;         /* char*: "FILE:LINE (byte OFFSET): what was expected" */
} MdReviewMergeReport;

void md_review_conflict_free     (MdReviewConflict    *conflict);
void md_review_merge_report_free (MdReviewMergeReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdReviewMergeReport, md_review_merge_report_free)

/* Writes the whole log, in log order. */
gboolean             md_review_store_export_log (MdReviewStore  *self,
                                                 const char     *path,
                                                 GError        **error);

/* NULL (and @error) only when the file cannot be read or the review file cannot be written. */
MdReviewMergeReport *md_review_store_import_log (MdReviewStore  *self,
                                                 const char     *path,
                                                 GError        **error);

G_END_DECLS
