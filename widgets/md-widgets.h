/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Registers the widget types (so templates can name them), initialises GStreamer and loads the
 * widgets' stylesheet on the default display. Call once after gtk_init(). */
void md_widgets_init (void);

G_END_DECLS
