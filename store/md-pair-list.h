/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The GListModel that md_store_query() returns: MdPair rows in pair order, fetched in pages of
 * MD_PAIR_LIST_PAGE_SIZE rows and kept in a small page cache, so a result of millions of pairs
 * never materialises.
 *
 * Counting. Without search text the count is exact (dataset totals, or a count over the pairs
 * table). With search text the cost of the query is bounded, in rows visited
 * (md-search-run-private.h): md_store_query() counts matches until it has the first page
 * (MD_PAIR_LIST_FIRST_PAGE pairs), reaches the end, or spends MD_PAIR_LIST_FIRST_BUDGET
 * visits, whichever comes first, and returns at once. Then md_pair_list_get_count_state()
 * says what n_items means:
 * - MD_PAIR_LIST_COUNT_EXACT: every match is counted; n_items is the answer.
 * - MD_PAIR_LIST_COUNT_AT_LEAST: there may be more; show "more than N". Reading items near the
 *   end counts on (MD_PAIR_LIST_GROW_BUDGET visits per step, from an idle callback of the
 *   thread-default main context of the caller of md_store_query()) and the list grows with
 *   items-changed, so scrolling reaches every match.
 * - MD_PAIR_LIST_COUNT_TOO_BROAD: the budget was spent before the first page was full: the
 *   n_items matches found so far (maybe none) are shown, and the user should be told the search
 *   is too broad to answer at once (narrow it, or count it in the background). Reading near the
 *   end still counts on, as for AT_LEAST.
 * The state changes with notify::count-state. For the exact number without reading the list,
 * md_pair_list_count_async() counts every match on a worker thread with its own connection
 * (cancellable; the list itself is not changed). */

#define MD_PAIR_LIST_PAGE_SIZE 256
#define MD_PAIR_LIST_FIRST_PAGE 50
#define MD_PAIR_LIST_FIRST_BUDGET 20000
#define MD_PAIR_LIST_GROW_BUDGET 60000

typedef enum
{
  MD_PAIR_LIST_COUNT_EXACT,
  MD_PAIR_LIST_COUNT_AT_LEAST,
  MD_PAIR_LIST_COUNT_TOO_BROAD,
} MdPairListCount;

#define MD_TYPE_PAIR_LIST (md_pair_list_get_type ())
G_DECLARE_FINAL_TYPE (MdPairList, md_pair_list, MD, PAIR_LIST, GObject)

MdPairListCount md_pair_list_get_count_state (MdPairList          *self);
/* Same as md_pair_list_get_count_state() == MD_PAIR_LIST_COUNT_EXACT. */
gboolean        md_pair_list_is_count_exact  (MdPairList          *self);
/* Rows the search has visited so far (0 without search text): what its budget counts. */
guint64         md_pair_list_get_rows_visited (MdPairList         *self);
/* How the search was run: "index", "rarest" or "scan" (md-search-run-private.h), "all"
 * without search text. */
const char     *md_pair_list_get_path_name   (MdPairList          *self);

void            md_pair_list_count_async     (MdPairList          *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean        md_pair_list_count_finish    (MdPairList          *self,
                                              GAsyncResult        *result,
                                              guint64             *out_count,
                                              GError             **error);

G_END_DECLS
