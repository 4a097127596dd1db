/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Finds, depth-first from root, the first widget whose accessible label is exactly name. Tests
 * address widgets this way, as a screen reader would, never by position. */
GtkWidget *md_test_find_by_accessible_name (GtkWidget  *root,
                                            const char *name);

/* Runs the default main context until condition returns TRUE or timeout_ms passes (times
 * MD_TEST_TIMEOUT_SCALE, which the sanitizer and valgrind setups set). */
gboolean   md_test_wait_until              (gboolean  (*condition) (gpointer data),
                                            gpointer    data,
                                            guint       timeout_ms);

/* Spins the default main context for about ms milliseconds. */
void       md_test_spin                    (guint       ms);

G_END_DECLS
