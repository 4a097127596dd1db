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
/* The texts shown ("" for a missing one). */
char       *md_pair_text_get_instruction (MdPairText *self);
char       *md_pair_text_get_answer      (MdPairText *self);
/* The text view of a field, for editing in place. */
GtkTextView *md_pair_text_get_view       (MdPairText *self,
                                          MdField     field);

G_END_DECLS
