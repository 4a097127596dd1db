/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Fills @buffer with the word diff (store/md-diff.h) from @old_text to @new_text: insertions
 * green and underlined (tag "md-diff-insert"), deletions red and struck through
 * ("md-diff-delete"). Returns the number of changed segments. */
guint md_diff_buffer_fill (GtkTextBuffer *buffer,
                           const char    *old_text,
                           const char    *new_text);

G_END_DECLS
