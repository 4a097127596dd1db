/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "md-query.h"
#include "md-review-store.h"

G_BEGIN_DECLS

/* The review prefixes of a search text: status:NAME, reason:TAG, reviewer:NAME, is:edited and
 * is:unreviewed (prefixes are case-insensitive, so are status names, tags and is: values).
 *
 * md_query_take_review_prefixes() moves them out of query->text into the query's review
 * filters, so that the store searches only the remaining words (other words, with or without a
 * colon, stay as they were). A prefix overrides the same filter already set on the query.
 * @review answers reason: with its tags; with @review NULL (no review file open) any review
 * prefix is an error. Errors are MD_ERROR_QUERY, naming the word and what was expected; the
 * query is then left unchanged. */
gboolean md_query_take_review_prefixes (MdQuery       *query,
                                        MdReviewStore *review,
                                        GError       **error);

/* Whether @text (NULL allowed) holds at least one review prefix. */
gboolean md_query_has_review_prefixes  (const char    *text);

G_END_DECLS
