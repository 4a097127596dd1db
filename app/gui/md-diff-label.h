/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The word diff (store/md-diff.h) from @old_text to @new_text as Pango markup for a label, as a
 * reader sees it: insertions green and underlined, deletions red and struck through, changed runs of white space
 * drawn visibly (· ⇥ ↵), long unchanged runs cut to their ends next to a change, at most
 * MD_TEXT_PREVIEW_CHARS characters in all, and a space between a deleted and an inserted word. */
char      *md_diff_markup          (const char *old_text,
                                    const char *new_text);
char      *md_diff_markup_segments (GPtrArray  *segments);
/* A wrapping, selectable label showing md_diff_markup(), named `accessible_name`. */
GtkWidget *md_diff_label_new       (const char *old_text,
                                    const char *new_text,
                                    const char *accessible_name,
                                    gboolean    rtl);

G_END_DECLS
