/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "md-pair.h"

G_BEGIN_DECLS

#define MD_TYPE_PAIR_LIST (md_pair_list_get_type ())
G_DECLARE_FINAL_TYPE (MdPairList, md_pair_list, MD, PAIR_LIST, GtkWidget)

/* The middle pane: a virtualized column view ("Pairs") over a lazy GListModel of MdPair rows.
 * Rows bind from the MdPair they are given and never query the store. "selected-pair" changes
 * when the selected id changes, not when a new result keeps the same pair selected. */
GtkWidget  *md_pair_list_new               (void);
void        md_pair_list_set_model         (MdPairList *self,
                                            GListModel *pairs);
GListModel *md_pair_list_get_model         (MdPairList *self);
MdPair     *md_pair_list_get_selected_pair (MdPairList *self);
guint       md_pair_list_get_selected      (MdPairList *self);
/* Moves the selection by delta rows (clamped); FALSE when it could not move. */
gboolean    md_pair_list_move              (MdPairList *self,
                                            int         delta);
gboolean    md_pair_list_select_id         (MdPairList *self,
                                            const char *pair_id);
void        md_pair_list_set_language      (MdPairList *self,
                                            MdLanguage  language);
void        md_pair_list_focus             (MdPairList *self);
gboolean    md_pair_list_has_focus         (MdPairList *self);

/* The instruction of a row in language, falling back to English, then to any language. */
const char *md_pair_row_instruction        (MdPair     *pair,
                                            MdLanguage  language);
const char *md_modality_icon_name          (MdModality  modality);
const char *md_modality_label              (MdModality  modality);

G_END_DECLS
