/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "md-pair-reading.h"

G_BEGIN_DECLS

/* The last few pairs the window read (with their examples and current texts), so that moving to
 * a prefetched neighbour shows it without a trip through a worker thread. Main thread only.
 *
 * Results read in a worker thread carry the generation they were started in: a clear (a new
 * model, a new store) moves to the next generation, and late results of an older one are
 * dropped instead of bringing back what was cleared. */

#define MD_TYPE_PAIR_CACHE (md_pair_cache_get_type ())
G_DECLARE_FINAL_TYPE (MdPairCache, md_pair_cache, MD, PAIR_CACHE, GObject)

MdPairCache *md_pair_cache_new            (guint         capacity);
guint        md_pair_cache_get_generation (MdPairCache  *self);
/* Stores @reading (referenced) as the most recently used entry, evicting the least recently
 * used one when full. Ignored when @generation is not the current one. */
void         md_pair_cache_insert         (MdPairCache  *self,
                                           guint         generation,
                                           MdPairReading *reading);
/* Whether @pair_id is cached, without marking it used. */
gboolean     md_pair_cache_contains       (MdPairCache  *self,
                                           const char   *pair_id);
/* The cached reading (borrowed, marked most recently used), or NULL. */
MdPairReading *md_pair_cache_lookup       (MdPairCache  *self,
                                           const char   *pair_id);
/* Drops every entry that shows @pair_id, as the pair or as one of its examples. */
void         md_pair_cache_invalidate     (MdPairCache  *self,
                                           const char   *pair_id);
void         md_pair_cache_clear          (MdPairCache  *self);
guint        md_pair_cache_get_n_entries  (MdPairCache  *self);

G_END_DECLS
