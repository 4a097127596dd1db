/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "md-review-filters.h"
#include "md-store.h"

G_BEGIN_DECLS

#define MD_TYPE_SIDEBAR (md_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (MdSidebar, md_sidebar, MD, SIDEBAR, GtkWidget)

/* The left pane: datasets of the open index with their pair and problem counts, quick filters,
 * and a section that the review filters fill. "dataset" (NULL for all) and "flags"
 * (MdQueryFlags) change when the user picks a row or toggles a filter. */
GtkWidget    *md_sidebar_new                (void);
void          md_sidebar_set_datasets       (MdSidebar  *self,
                                             GPtrArray  *infos);
void          md_sidebar_set_title          (MdSidebar  *self,
                                             const char *title);
const char   *md_sidebar_get_dataset        (MdSidebar  *self);
void          md_sidebar_set_dataset        (MdSidebar  *self,
                                             const char *dataset);
MdQueryFlags  md_sidebar_get_flags          (MdSidebar  *self);
void          md_sidebar_set_flags          (MdSidebar  *self,
                                             MdQueryFlags flags);
/* The review filters, shown while a review file is available. */
MdReviewFilters *md_sidebar_get_review_filters   (MdSidebar  *self);
void             md_sidebar_set_review_available (MdSidebar  *self,
                                                  gboolean    available);

G_END_DECLS
