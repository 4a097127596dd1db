/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The review desk: the window's review actions (approve, flag, reject, note, edit, undo, redo,
 * per-language status, next unreviewed), their keys, the status pill and history view of the
 * pair page, the review filters of the sidebar, and the progress and audit sample windows.
 * It owns the review file of the open index. Its actions live in the "review" action group of
 * the window; its keys in the capture-phase shortcut controller named "md-review-keys". */

#include "md-review-store.h"
#include "md-store.h"

G_BEGIN_DECLS

typedef struct _MdWindow MdWindow;

#define MD_TYPE_REVIEW_DESK (md_review_desk_get_type ())
G_DECLARE_FINAL_TYPE (MdReviewDesk, md_review_desk, MD, REVIEW_DESK, GObject)

MdReviewDesk  *md_review_desk_new          (MdWindow     *window);
/* Opens the review file beside the index and attaches it to the store. */
void           md_review_desk_set_store    (MdReviewDesk *self,
                                            MdStore      *store);
MdReviewStore *md_review_desk_get_review   (MdReviewDesk *self);
/* Adds the display language and the review filters to a query about to run, and moves the
 * review prefixes of its text (status:NAME, reason:TAG, reviewer:NAME, is:edited,
 * is:unreviewed) into the query's review filters. An unknown value is MD_ERROR_QUERY. */
gboolean       md_review_desk_apply_query  (MdReviewDesk  *self,
                                            MdQuery       *query,
                                            GError       **error);
/* The review status listed (property "status-filter"): an MdReviewStatus, -1 for any. The
 * sidebar's status dropdown and the filter bar's chip are both bound to it. */
int            md_review_desk_get_status_filter (MdReviewDesk *self);
void           md_review_desk_set_status_filter (MdReviewDesk *self,
                                                 int           status);
/* The pair page shows a new pair: refresh the status pill, language statuses and history. */
void           md_review_desk_pair_shown   (MdReviewDesk *self);
/* Lists only the members of a saved sample (NULL: no sample filter). */
void           md_review_desk_set_sample_filter (MdReviewDesk *self,
                                                 const char   *name);
/* Re-reads everything shown from the review file. */
void           md_review_desk_refresh      (MdReviewDesk *self);

G_END_DECLS
