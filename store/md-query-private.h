/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "md-query.h"

G_BEGIN_DECLS

/* The user's search text turned into SQL pieces, never into SQL text made from user data:
 * - fts_expr: an FTS5 expression (bound as a parameter) that narrows the rows through the
 *   trigram index: each term of 3 or more characters becomes an AND of its quoted trigrams (the
 *   index has no positions, so it cannot match the term itself). NULL when no positive term is
 *   long enough.
 * - like_sql: conditions on the texts row `t` that decide: every term as a substring,
 *   exclusions under NOT, with '?' placeholders for the values in like_patterns. A term whose
 *   case LIKE gets right (no non-ASCII cased letter) is a LIKE pattern with '\' escapes; any
 *   other is md_contains(text, folded term), case-insensitive for every script
 *   (md-fold-private.h). The connection must have _md_index_register_functions() applied.
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
