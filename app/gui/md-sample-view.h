/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "md-review-store.h"
#include "md-store.h"

G_BEGIN_DECLS

/* Audit sampling: draws a reproducible stratified sample of the index (size, seed, strata),
 * saves it under a name, lists it in the pair list ("Sample: NAME") and shows the error rate per
 * stratum and overall with 95 % Wilson intervals. A window named "Audit sample". */
typedef void (*MdSampleShowFunc) (gpointer    user_data,
                                  const char *sample_name);
/* "Show in list" calls @show with the sample's name (@user_data is referenced while shown). */
GtkWindow *md_sample_view_present (GtkWindow        *parent,
                                   MdStore          *store,
                                   MdReviewStore    *review,
                                   MdSampleShowFunc  show,
                                   gpointer          user_data);

G_END_DECLS
