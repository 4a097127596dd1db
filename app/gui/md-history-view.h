/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "md-review-store.h"

G_BEGIN_DECLS

/* The history of one pair: every log entry (revision, status, reasons, note) with its author
 * and time, text revisions as a word diff (insertions underlined green, deletions struck red),
 * and a Revert button per revision that appends a revision restoring the text before it.
 * Accessible name "History"; each entry row is named "Change N". "reverted" is emitted after a
 * revert so the owner can refresh what it shows. */

#define MD_TYPE_HISTORY_VIEW (md_history_view_get_type ())
G_DECLARE_FINAL_TYPE (MdHistoryView, md_history_view, MD, HISTORY_VIEW, GtkWidget)

GtkWidget *md_history_view_new        (void);
/* Shows the log of (dataset, pair id) in @store; @originals: the shard's texts indexed
 * [language][field] (may be NULL), so that revisions of the shard text diff against it. */
void       md_history_view_set_pair   (MdHistoryView *self,
                                       MdReviewStore *store,
                                       const char    *dataset,
                                       const char    *pair_id,
                                       const char * const originals[MD_N_LANGUAGES][MD_N_FIELDS]);
/* Number of entries shown. */
guint      md_history_view_get_n_entries (MdHistoryView *self);
/* The diff buffer of entry @index (NULL for entries that are not text revisions). */
GtkTextBuffer *md_history_view_get_diff  (MdHistoryView *self,
                                          guint          index);

G_END_DECLS
