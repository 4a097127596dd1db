/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "md-store.h"

G_BEGIN_DECLS

/* A pair as a reader sees it, read in one call: the full pair, its in-context examples, and the
 * current text of each language and field (the latest revision of the review file attached to
 * the store with md_store_attach_review(), else the shard's text). Immutable, reference
 * counted, safe to pass between threads. */
typedef struct _MdPairReading MdPairReading;

#define MD_TYPE_PAIR_READING (md_pair_reading_get_type ())
GType          md_pair_reading_get_type     (void) G_GNUC_CONST;
MdPairReading *md_pair_reading_ref          (MdPairReading *self);
void           md_pair_reading_unref        (MdPairReading *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdPairReading, md_pair_reading_unref)

MdPair        *md_pair_reading_get_pair     (MdPairReading *self);
/* MdPair or NULL (not in the index), one per in-context id, in order. */
GPtrArray     *md_pair_reading_get_examples (MdPairReading *self);
/* The text shown and reviewed: a revision's, else the shard's (NULL when it has none). */
const char    *md_pair_reading_get_text     (MdPairReading *self,
                                             MdLanguage     language,
                                             MdField        field);

/* Reads @pair_id with its examples and current texts. Blocking; safe from any thread. Fails
 * with MD_ERROR_NOT_FOUND for an id the index lacks, MD_ERROR_DATABASE when the index or the
 * review file cannot be read, G_IO_ERROR_CANCELLED when cancelled. */
MdPairReading *md_store_read_pair_with_context        (MdStore              *self,
                                                       const char           *pair_id,
                                                       GCancellable         *cancellable,
                                                       GError              **error);
/* The same in a worker thread. */
void           md_store_read_pair_with_context_async  (MdStore              *self,
                                                       const char           *pair_id,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
MdPairReading *md_store_read_pair_with_context_finish (MdStore              *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
/* Several pairs in one worker, for prefetching: an array of MdPairReading, in the order of
 * @pair_ids, leaving out those that could not be read (a neighbour that fails is read again,
 * with its error, when it is shown). Cancelling returns what was read so far. */
void           md_store_read_pairs_with_context_async  (MdStore              *self,
                                                        const char * const   *pair_ids,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GPtrArray     *md_store_read_pairs_with_context_finish (MdStore              *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

G_END_DECLS
