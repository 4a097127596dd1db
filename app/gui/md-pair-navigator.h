/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "md-image-loader.h"
#include "md-pair-cache.h"
#include "md-pair-reading.h"
#include "md-store.h"

G_BEGIN_DECLS

/* Which pair is shown, and reading it: the pair shown (its id), the reads in flight, the cache
 * of the last few pairs read and the prefetching of the list's neighbours (texts into the cache,
 * images into the loader). No widgets: the window shows what it reports.
 *
 * "shown" (MdPairReading *reading, gboolean from_cache) reports the reading of the pair asked
 * for, at once when it is cached; "failed" (const char *pair_id, GError *error) when it could
 * not be read. Answers for a pair no longer asked for are dropped. */

#define MD_TYPE_PAIR_NAVIGATOR (md_pair_navigator_get_type ())
G_DECLARE_FINAL_TYPE (MdPairNavigator, md_pair_navigator, MD, PAIR_NAVIGATOR, GObject)

MdPairNavigator *md_pair_navigator_new          (void);
/* A new store (or none) or a new list: what was read is forgotten. */
void             md_pair_navigator_set_store    (MdPairNavigator *self,
                                                 MdStore         *store,
                                                 MdImageLoader   *loader);
void             md_pair_navigator_clear        (MdPairNavigator *self);
MdPairCache     *md_pair_navigator_get_cache    (MdPairNavigator *self);
const char      *md_pair_navigator_get_shown_id (MdPairNavigator *self);
/* Asks for @pair_id (NULL: nothing shown). FALSE when it is already the one asked for. */
gboolean         md_pair_navigator_show         (MdPairNavigator *self,
                                                 const char      *pair_id);
/* Reads the pair shown again, after its review file changed. */
void             md_pair_navigator_reload       (MdPairNavigator *self);
/* Drops the cached readings that show @pair_id (as the pair or as an example). */
void             md_pair_navigator_invalidate   (MdPairNavigator *self,
                                                 const char      *pair_id);
/* Prefetches the neighbours of @position in @model (the pairs after it first), after a short
 * wait that a step through the list does not restart, or at once. */
void             md_pair_navigator_prefetch_around (MdPairNavigator *self,
                                                    GListModel      *model,
                                                    guint            position,
                                                    gboolean         at_once);

G_END_DECLS
