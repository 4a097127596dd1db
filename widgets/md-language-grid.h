/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "md-translation-hints.h"

G_BEGIN_DECLS

/*
 * MdLanguageGrid: the eight languages of one pair side by side, each a card with the language
 * name as its header, the instruction and the answer (selectable), and the translation hints
 * of md-translation-hints.h under them. Arabic reads right to left. Accessible name
 * "Languages"; each card is named after its language in English ("Arabic").
 */

#define MD_TYPE_LANGUAGE_GRID (md_language_grid_get_type ())
G_DECLARE_FINAL_TYPE (MdLanguageGrid, md_language_grid, MD, LANGUAGE_GRID, GtkWidget)

GtkWidget  *md_language_grid_new       (void);

/* texts: MD_N_LANGUAGES entries indexed by MdLanguage; NULL strings are missing fields.
 * NULL texts clears the grid. The strings are copied. */
void        md_language_grid_set_texts (MdLanguageGrid           *self,
                                        const MdTranslationTexts *texts);
/* The hints shown (MdTranslationHint), owned by the grid. */
GPtrArray  *md_language_grid_get_hints (MdLanguageGrid           *self);
/* The card of a language. */
GtkWidget  *md_language_grid_get_cell  (MdLanguageGrid           *self,
                                        MdLanguage                language);
/* A status menu at the end of a card's header (accessible name "Status of CODE"): the menu's
 * items name their actions and targets (NULL: no menu). The button shows @label, and hides
 * with @label NULL or without a menu. */
void        md_language_grid_set_status_menu  (MdLanguageGrid *self,
                                               MdLanguage      language,
                                               GMenuModel     *menu);
void        md_language_grid_set_status_label (MdLanguageGrid *self,
                                               MdLanguage      language,
                                               const char     *label);

G_END_DECLS
