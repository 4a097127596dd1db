/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "md-store.h"
#include "md-syphus.h"

G_BEGIN_DECLS

#define MD_TYPE_BATCH_VIEW (md_batch_view_get_type ())
G_DECLARE_FINAL_TYPE (MdBatchView, md_batch_view, MD, BATCH_VIEW, AdwWindow)

/* A Syphus batch over @store's index: regenerate the pairs flagged in the review file, or
 * translate the pairs missing a language, among the pairs of @query (the window's filter). First a preview (count and
 * estimated tokens, computed in a worker thread), then the progress of the queue (done, failed,
 * retrying, each job's state; pause, resume, cancel), and a review queue of the results to accept
 * (a) or reject (x) one by one, moving with j / k. Jobs live in the journal beside the index, so
 * a batch interrupted by closing the app is resumed by the next one. Accepting emits "revised"
 * (const char *pair_id). */
MdBatchView *md_batch_view_new     (GtkWindow       *parent,
                                    MdStore         *store,
                                    MdSyphusJobKind  kind,
                                    const MdQuery   *query);
/* What the Start button does. */
void         md_batch_view_start   (MdBatchView     *self);
MdSyphusQueue *md_batch_view_get_queue (MdBatchView *self);

G_END_DECLS
