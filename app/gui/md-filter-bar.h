/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MD_TYPE_FILTER_BAR (md_filter_bar_get_type ())
G_DECLARE_FINAL_TYPE (MdFilterBar, md_filter_bar, MD, FILTER_BAR, GtkWidget)

/* The chips above the pair list: dataset, search language and modality, and the result count.
 * "dataset" is NULL for all, "language" an MdLanguage or -1 for all, "modality" an MdModality
 * or -1 for all. */
GtkWidget  *md_filter_bar_new           (void);
void        md_filter_bar_set_datasets  (MdFilterBar        *self,
                                         const char * const *codes);
const char *md_filter_bar_get_dataset   (MdFilterBar        *self);
void        md_filter_bar_set_dataset   (MdFilterBar        *self,
                                         const char         *dataset);
int         md_filter_bar_get_language  (MdFilterBar        *self);
int         md_filter_bar_get_modality  (MdFilterBar        *self);
/* The review status chip ("review-status", an MdReviewStatus or -1 for any), shown only while
 * a review file is open. */
int         md_filter_bar_get_review_status    (MdFilterBar        *self);
void        md_filter_bar_set_review_status    (MdFilterBar        *self,
                                                int                 status);
void        md_filter_bar_set_review_available (MdFilterBar        *self,
                                                gboolean            available);
void        md_filter_bar_set_count     (MdFilterBar        *self,
                                         guint               n_pairs);
/* Shows a query error inline; NULL clears it. */
void        md_filter_bar_set_error     (MdFilterBar        *self,
                                         const char         *message);

G_END_DECLS
