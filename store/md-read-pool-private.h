/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>
#include <glib.h>

G_BEGIN_DECLS

/* A few read-only connections to one index, handed to one thread at a time. The store's own
 * connection sits behind a mutex, so without these a page of the list, the pair being shown,
 * the pairs prefetched and the images being read all queue behind each other; in WAL mode
 * readers on separate connections do not wait for each other (nor for an import).
 *
 * Connections open lazily, up to `size`; when all are busy, acquire waits for one. When the
 * index cannot be opened read-only (deleted since the store opened it, say), acquire returns
 * NULL from then on and callers use the store's own connection. */
typedef struct _MdReadPool MdReadPool;

MdReadPool *_md_read_pool_new     (const char *path,
                                   guint       size);
void        _md_read_pool_free    (MdReadPool *pool);
sqlite3    *_md_read_pool_acquire (MdReadPool *pool);
void        _md_read_pool_release (MdReadPool *pool,
                                   sqlite3    *db);

G_END_DECLS
