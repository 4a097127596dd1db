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
 * line number and byte offset, and the other lines still import.
 *
 * Times are integers (the log is written without exponents or fractions). An entry whose time
 * lies more than MD_REVIEW_LOG_MAX_SKEW after the importer's clock is refused and counted in
 * n_future: a forged future time would otherwise win every merge and push every later local
 * action after it. The file is streamed; a line longer than MD_REVIEW_LOG_MAX_LINE stops the
 * import with an error naming the line (nothing is imported), so any input, /dev/zero included,
 * runs in bounded memory. */

#include "md-review-store.h"

G_BEGIN_DECLS

#define MD_REVIEW_LOG_MAX_SKEW   (5 * 60 * G_USEC_PER_SEC)
#define MD_REVIEW_LOG_MAX_LINE   (32u << 20)
#define MD_REVIEW_LOG_MAX_ERRORS 1000

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
  guint      n_future;       /* entries refused for a time beyond now + MD_REVIEW_LOG_MAX_SKEW
                              * (each also in errors) */
  guint      n_errors_dropped; /* refused lines beyond the first MD_REVIEW_LOG_MAX_ERRORS */
  gint64     action;         /* the import action, 0 when nothing was new */
  GPtrArray *conflicts;      /* MdReviewConflict */
  GPtrArray *errors;         /* char*: "FILE:LINE (byte OFFSET): what was expected", at most
                              * MD_REVIEW_LOG_MAX_ERRORS */
} MdReviewMergeReport;

void md_review_conflict_free     (MdReviewConflict    *conflict);
void md_review_merge_report_free (MdReviewMergeReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdReviewMergeReport, md_review_merge_report_free)

/* Writes the whole log, in log order. Refuses to write over the review file itself or over any
 * SQLite database. */
gboolean             md_review_store_export_log (MdReviewStore  *self,
                                                 const char     *path,
                                                 GError        **error);

/* NULL (and @error) only when the file cannot be read or the review file cannot be written. */
MdReviewMergeReport *md_review_store_import_log (MdReviewStore  *self,
                                                 const char     *path,
                                                 GError        **error);

G_END_DECLS
