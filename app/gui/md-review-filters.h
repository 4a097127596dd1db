/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "md-query.h"

G_BEGIN_DECLS

/* The sidebar's review filters: status ("Review status filter"), reason ("Reason filter"),
 * reviewer ("Reviewer filter"), edited ("Edited pairs") and, once a saved audit sample is
 * listed, that sample ("Sample filter"). "changed" says that any of them changed; property
 * "status" (an MdReviewStatus, -1 for any) is the one the filter bar's chip binds to. */

#define MD_TYPE_REVIEW_FILTERS (md_review_filters_get_type ())
G_DECLARE_FINAL_TYPE (MdReviewFilters, md_review_filters, MD, REVIEW_FILTERS, GtkWidget)

int   md_review_filters_get_status  (MdReviewFilters *self);
void  md_review_filters_set_status  (MdReviewFilters *self,
                                     int              status);
/* The reason tags offered (char *; NULL: none), after "Any reason". */
void  md_review_filters_set_reasons (MdReviewFilters *self,
                                     GPtrArray       *tags);
/* Lists only the members of a saved sample (NULL: no sample filter); it shows ticked. */
void  md_review_filters_set_sample  (MdReviewFilters *self,
                                     const char      *name);
/* Sets the query's review filters from the widgets. */
void  md_review_filters_apply       (MdReviewFilters *self,
                                     MdQuery         *query);

G_END_DECLS
