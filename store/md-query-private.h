/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "md-query.h"

G_BEGIN_DECLS

/* The user's search text turned into SQL pieces, never into SQL text made from user data:
 * - fts_expr: an FTS5 expression where every term is a quoted string (bound as a parameter);
 *   NULL when no term can go through the trigram index (all terms shorter than 3 characters).
 * - like_sql: extra conditions on the texts row `t` (terms of 1-2 characters, which the trigram
 *   tokenizer cannot match), with '?' placeholders for the patterns in like_patterns.
 * Syntax: words, "phrases", -exclusion, OR between words; juxtaposition means AND. */
typedef struct
{
  char      *fts_expr;
  GString   *like_sql;
  GPtrArray *like_patterns;
} MdSearchPlan;

MdSearchPlan *_md_search_plan_new  (const char    *text,
                                    GError       **error);
void          _md_search_plan_free (MdSearchPlan  *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSearchPlan, _md_search_plan_free)

G_END_DECLS
