/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "md-store.h"
#include "md-index-private.h"

G_BEGIN_DECLS

/* The store's own connection serves reads (pairs, images, queries) from any thread under
 * `lock`; imports open a second connection (WAL lets both work at once). */
sqlite3 *_md_store_lock   (MdStore *self);
void     _md_store_unlock (MdStore *self);

/* A connection for reading, from the store's small pool of read-only connections (see
 * md-read-pool-private.h), or the store's own one, locked, when the statement reads the
 * attached review file (needs_review) or the pool cannot open the index. Give it back with
 * _md_store_read_end(). */
sqlite3 *_md_store_read_begin (MdStore  *self,
                               gboolean  needs_review);
void     _md_store_read_end   (MdStore  *self,
                               sqlite3  *db);

/* Whether a review file is ATTACHed AS review (md-store-review.c); call under the lock. */
gboolean _md_store_has_review_locked (sqlite3 *db);

/* Runs a whole import on a fresh connection to `index_path`; fills `report`. */
gboolean _md_import_run   (const char            *index_path,
                           const char * const    *paths,
                           MdImportProgressFunc   progress,
                           gpointer               progress_data,
                           GCancellable          *cancellable,
                           MdImportReport        *report,
                           GError               **error);

/* Missing images, dangling in-context links and the pair flags, from all inputs together
 * (md-import-references.c). One transaction. */
gboolean _md_import_check_references (sqlite3      *db,
                                      GCancellable *cancellable,
                                      GError      **error);
/* Brings the full-text index up to date with the texts table, in batches, resumable. */
gboolean _md_import_build_fts (sqlite3      *db,
                               GCancellable *cancellable,
                               GError      **error);

/* Clip of a frame id: the id without a trailing "_<digits>", or NULL when that would leave no
 * source key after "<SHORT>_IMG". */
char    *_md_image_clip_of (const char *image_id);

G_END_DECLS
