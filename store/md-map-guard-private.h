/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Survives input files cut short while they are mapped (md-map-guard.c). Private to store/.
 *
 * Reading a page of a file mapping past the file's end raises SIGBUS, which kills the process:
 * a shard truncated by another program while it is scanned would take the window, and any
 * unsaved edit, with it. While a mapping is guarded, a SIGBUS inside it puts zero pages in
 * place of the rest of the mapping and notes where; the scan then goes on over zeros (and
 * usually fails on them), and whoever guarded it asks afterwards whether that happened and
 * throws the result away. A SIGBUS anywhere else goes to the handler that was there before, or
 * kills the process as it would have. */

#include <glib.h>

G_BEGIN_DECLS

/* Starts guarding [data, data + len). Returns a slot for _md_map_guard_remove(), or -1 when
 * every slot is taken (the mapping is then not guarded). */
int      _md_map_guard_add    (const void *data,
                               gsize       len);
/* Stops guarding; whether the mapping was cut short meanwhile, and at which offset. */
gboolean _md_map_guard_remove (int         slot,
                               gsize      *cut_at);

G_END_DECLS
