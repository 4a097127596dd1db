/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/*
 * MdLongTextWindow: the whole of a text too long to lay out at once (a megabyte-long answer in
 * one paragraph), shown as a virtualized list of pieces so that only the visible ones are laid
 * out, with a button that copies the whole text. Escape closes it.
 */

#define MD_TYPE_LONG_TEXT_WINDOW (md_long_text_window_get_type ())
G_DECLARE_FINAL_TYPE (MdLongTextWindow, md_long_text_window, MD, LONG_TEXT_WINDOW, AdwWindow)

/* Characters per piece of the list. */
#define MD_LONG_TEXT_PIECE_CHARS 2000

GtkWidget  *md_long_text_window_new      (GtkWindow  *parent,
                                          const char *title,
                                          const char *text,
                                          gboolean    rtl);
const char *md_long_text_window_get_text (MdLongTextWindow *self);
guint       md_long_text_window_get_n_pieces (MdLongTextWindow *self);

G_END_DECLS
