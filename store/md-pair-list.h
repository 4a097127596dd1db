/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The GListModel that md_store_query() returns: MdPair rows in pair order, fetched in pages of
 * MD_PAIR_LIST_PAGE_SIZE rows (keyset on the pair order) and kept in a small page cache, so a
 * result of millions of pairs never materialises.
 *
 * Counting: without search text the count is exact (dataset totals, or a count over the pairs
 * table). With search text, matches are counted up to a cap (5 000 pairs at first); when the cap
 * is reached n_items is the cap and md_pair_list_is_count_exact() is FALSE. As the caller reads
 * items near the end, the list counts further (four times the cap each step) from an idle
 * callback and grows with items-changed, so scrolling reaches every match. */

#define MD_PAIR_LIST_PAGE_SIZE 256

#define MD_TYPE_PAIR_LIST (md_pair_list_get_type ())
G_DECLARE_FINAL_TYPE (MdPairList, md_pair_list, MD, PAIR_LIST, GObject)

gboolean md_pair_list_is_count_exact (MdPairList *self);

G_END_DECLS
