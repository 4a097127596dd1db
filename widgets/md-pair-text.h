/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "md-language.h"

G_BEGIN_DECLS

/*
 * MdPairText: the instruction and the answer of a pair in the current language, selectable,
 * under a subtitle with the pair id and its dataset. The two text views have the accessible
 * names "Instruction" and "Answer". Right-to-left languages read right to left.
 */

#define MD_TYPE_PAIR_TEXT (md_pair_text_get_type ())
G_DECLARE_FINAL_TYPE (MdPairText, md_pair_text, MD, PAIR_TEXT, GtkWidget)

GtkWidget  *md_pair_text_new             (void);

/* NULL instruction or answer: the language has no such text (shown as such). */
void        md_pair_text_set             (MdPairText *self,
                                          const char *pair_id,
                                          const char *dataset,
                                          MdLanguage  language,
                                          const char *instruction,
                                          const char *answer);
/* The whole texts ("" for a missing one), or while editing what the views hold. */
char       *md_pair_text_get_instruction (MdPairText *self);
char       *md_pair_text_get_answer      (MdPairText *self);
/* The text view of a field. Outside the editor it may hold only the first
 * MD_TEXT_PREVIEW_CHARS of a long text (md_pair_text_is_previewed()), with a "Show all" button
 * below it that opens the whole text in an MdLongTextWindow. */
GtkTextView *md_pair_text_get_view       (MdPairText *self,
                                          MdField     field);
gboolean     md_pair_text_is_previewed   (MdPairText *self,
                                          MdField     field);
/* Editing in place: the views take the whole texts and the keyboard (Tab moves to the next
 * field; the views never take a tab character). Refused, with an error naming the pair, when a
 * paragraph is longer than MD_TEXT_EDIT_MAX_PARAGRAPH. While editing, the getters above return
 * what the views hold; leaving the editor shows the texts given to md_pair_text_set() again. */
gboolean     md_pair_text_set_editing    (MdPairText  *self,
                                          gboolean     editing,
                                          MdField      focus_field,
                                          GError     **error);
gboolean     md_pair_text_get_editing    (MdPairText *self);

G_END_DECLS
