/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "md-pair.h"

G_BEGIN_DECLS

#define MD_TYPE_PAIR_TABLE (md_pair_table_get_type ())
G_DECLARE_FINAL_TYPE (MdPairTable, md_pair_table, MD, PAIR_TABLE, GtkWidget)

/* The middle pane: a virtualized column view ("Pairs") over a lazy GListModel of MdPair rows.
 * Rows bind from the MdPair they are given and never query the store. "selected-pair" changes
 * when the selected id changes, not when a new result keeps the same pair selected. */
GtkWidget  *md_pair_table_new               (void);
void        md_pair_table_set_model         (MdPairTable *self,
                                            GListModel *pairs);
GListModel *md_pair_table_get_model         (MdPairTable *self);
MdPair     *md_pair_table_get_selected_pair (MdPairTable *self);
guint       md_pair_table_get_selected      (MdPairTable *self);
/* Moves the selection by delta rows (clamped); FALSE when it could not move. */
gboolean    md_pair_table_move              (MdPairTable *self,
                                            int         delta);
gboolean    md_pair_table_select_id         (MdPairTable *self,
                                            const char *pair_id);
void        md_pair_table_set_language      (MdPairTable *self,
                                            MdLanguage  language);
void        md_pair_table_focus             (MdPairTable *self);
gboolean    md_pair_table_has_focus         (MdPairTable *self);

/* One line of the instruction of a row in language (at most MD_TEXT_ROW_CHARS characters),
 * falling back to English, then to any language. Free it. */
char       *md_pair_row_instruction        (MdPair     *pair,
                                            MdLanguage  language);
const char *md_modality_icon_name          (MdModality  modality);
const char *md_modality_label              (MdModality  modality);

G_END_DECLS
