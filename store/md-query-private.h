/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "md-query.h"

G_BEGIN_DECLS

/* The user's search text turned into clauses, never into SQL text made from user data.
 * Syntax: words, "phrases", -exclusion, OR between words; juxtaposition means AND. A clause is
 * one term or terms joined by OR; the clauses are ANDed.
 *
 * Each clause gives:
 * - fts_expr: an FTS5 expression (bound as a parameter) that finds candidate rows through the
 *   trigram index: an AND of up to MD_SEARCH_MAX_TRIGRAMS quoted trigrams of each term, the
 *   terms ORed (the index has no positions, so it cannot match the term itself). NULL when a
 *   term is shorter than 3 characters or the clause is an exclusion.
 * - SQL conditions (_md_search_clause_append_sql()) that decide on one text row: every term
 *   as a substring of the instruction or the answer. A term whose case LIKE gets right (no
 *   non-ASCII cased letter) is a LIKE pattern with '\' escapes; any other is
 *   md_contains(text, folded term), case-insensitive for every script (md-fold-private.h).
 *   The connection must have _md_index_register_functions() applied.
 *
 * Positive clauses apply to one text (one language of a pair); exclusions apply to the pair:
 * a pair is left out when any of its texts holds an excluded term. */

#define MD_SEARCH_MAX_TRIGRAMS 8
/* More terms than this is refused with a clear error: the SQL and FTS5 expressions of a query
 * stay far below SQLite's expression depth limits. */
#define MD_SEARCH_MAX_TERMS 32

typedef struct
{
  gboolean   negative;
  GPtrArray *terms;      /* char *, the terms as typed */
  GPtrArray *patterns;   /* char *, per term: a LIKE pattern, or the folded term */
  GArray    *cased;      /* gboolean per term: md_contains() rather than LIKE */
  char      *fts_expr;
  guint      n_trigrams; /* trigrams in fts_expr */
} MdSearchClause;

typedef struct
{
  GPtrArray *clauses;    /* MdSearchClause *, in the order typed */
  guint      n_indexed;  /* positive clauses with an fts_expr */
} MdSearchPlan;

MdSearchPlan *_md_search_plan_new  (const char    *text,
                                    GError       **error);
void          _md_search_plan_free (MdSearchPlan  *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSearchPlan, _md_search_plan_free)

/* Appends "(cond OR cond ...)" testing the clause's terms on the texts row `alias`, with
 * numbered parameters ?N from *inout_param on; _md_search_clause_bind() binds them in the same
 * order. */
void _md_search_clause_append_sql (const MdSearchClause *clause,
                                   GString              *sql,
                                   const char           *alias,
                                   guint                *inout_param);
void _md_search_clause_bind       (const MdSearchClause *clause,
                                   sqlite3_stmt         *stmt,
                                   guint                *inout_param);

G_END_DECLS
