/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "md-review-desk.h"
#include "md-review-store.h"
#include "md-store.h"

G_BEGIN_DECLS

/* Audit sampling: draws a reproducible stratified sample of the index (size, seed, strata),
 * saves it under a name, lists it in the pair list ("Sample: NAME") and shows the error rate per
 * stratum and overall with 95 % Wilson intervals. A window named "Audit sample". */
GtkWindow *md_sample_view_present (MdReviewDesk  *desk,
                                   GtkWindow     *parent,
                                   MdStore       *store,
                                   MdReviewStore *review);

G_END_DECLS
