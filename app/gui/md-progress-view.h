/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "md-review-store.h"
#include "md-store.h"

G_BEGIN_DECLS

/* Review progress: per dataset and language, how many pairs were reviewed, approved, flagged,
 * rejected, with a bar, and the reviews of pairs no longer in the index. A modal window named
 * "Review progress"; each row is named "Progress DATASET" or "Progress DATASET LANG" and its
 * subtitle holds the counts. */
GtkWindow *md_progress_view_present (GtkWindow     *parent,
                                     MdStore       *store,
                                     MdReviewStore *review);

G_END_DECLS
