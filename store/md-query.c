/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include "md-error.h"
#include "md-fold-private.h"
#include "md-query-private.h"

G_DEFINE_BOXED_TYPE (MdQuery, md_query, md_query_copy, md_query_free)

MdQuery *
md_query_new (void)
{
  MdQuery *query = g_new0 (MdQuery, 1);

  query->language = -1;
  query->modality = -1;
  query->display_language = -1;
  query->review_language = -1;
  query->review_status = -1;
  return query;
}

MdQuery *
md_query_copy (const MdQuery *query)
{
  MdQuery *copy;

  g_return_val_if_fail (query != NULL, NULL);
  copy = g_memdup2 (query, sizeof *query);
  copy->text = g_strdup (query->text);
  copy->dataset = g_strdup (query->dataset);
  copy->review_reason = g_strdup (query->review_reason);
  copy->review_reviewer = g_strdup (query->review_reviewer);
  copy->review_sample = g_strdup (query->review_sample);
  return copy;
}

void
md_query_free (MdQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->text);
  g_free (query->dataset);
  g_free (query->review_reason);
  g_free (query->review_reviewer);
  g_free (query->review_sample);
  g_free (query);
}

gboolean
md_query_has_review_filters (const MdQuery *query)
{
  g_return_val_if_fail (query != NULL, FALSE);
  return query->review_status >= 0 ||
         (query->review_reason != NULL && *query->review_reason != '\0') ||
         (query->review_reviewer != NULL && *query->review_reviewer != '\0') ||
         query->review_edited || query->review_unreviewed ||
         (query->review_sample != NULL && *query->review_sample != '\0');
}

typedef struct
{
  char     *text;
  gboolean  negative;
  gboolean  is_or;     /* the OR operator, not a term */
  glong     position;  /* in characters, for messages */
} Token;

static void
token_clear (gpointer data)
{
  g_free (((Token *) data)->text);
}

static gboolean
tokenize (const char  *text,
          GArray      *tokens,
          GError     **error)
{
  const char *p = text;

  while (*p != '\0')
    {
      Token token = { 0 };
      const char *start;

      while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
      if (*p == '\0')
        break;
      token.position = g_utf8_pointer_to_offset (text, p) + 1;
      if (*p == '-' && p[1] != '\0' && p[1] != ' ' && p[1] != '\t')
        {
          token.negative = TRUE;
          p++;
        }
      if (*p == '"')
        {
          const char *end = strchr (p + 1, '"');

          if (end == NULL)
            {
              g_set_error (error, MD_ERROR, MD_ERROR_QUERY,
                           "the quote at character %ld is not closed; "
                           "expected a phrase between two quotes", token.position);
              return FALSE;
            }
          token.text = g_strstrip (g_strndup (p + 1, end - p - 1));
          if (token.text[0] == '\0')
            {
              g_free (token.text);
              g_set_error (error, MD_ERROR, MD_ERROR_QUERY,
                           "the phrase at character %ld is empty; expected words between the "
                           "quotes", token.position);
              return FALSE;
            }
          p = end + 1;
        }
      else
        {
          start = p;
          while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && *p != '"')
            p++;
          token.text = g_strndup (start, p - start);
          if (!token.negative && strcmp (token.text, "OR") == 0)
            token.is_or = TRUE;
        }
      g_array_append_val (tokens, token);
    }
  return TRUE;
}

static guint
append_fts_term (GString    *expr,
                 const char *term)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  glong n_chars = g_utf8_strlen (term, -1);
  const char *p = term;

  g_string_append_c (expr, '(');
  for (glong i = 0; i + 3 <= n_chars && seen->len < MD_SEARCH_MAX_TRIGRAMS;
       i++, p = g_utf8_next_char (p))
    {
      const char *end = g_utf8_offset_to_pointer (p, 3);
      g_autofree char *trigram = g_strndup (p, end - p);
      gboolean dup = FALSE;

      for (guint j = 0; j < seen->len && !dup; j++)
        dup = strcmp (g_ptr_array_index (seen, j), trigram) == 0;
      if (dup)
        continue;
      if (seen->len > 0)
        g_string_append (expr, " AND ");
      g_string_append_c (expr, '"');
      for (const char *c = trigram; *c != '\0'; c++)
        {
          if (*c == '"')
            g_string_append_c (expr, '"');
          g_string_append_c (expr, *c);
        }
      g_string_append_c (expr, '"');
      g_ptr_array_add (seen, g_steal_pointer (&trigram));
    }
  g_string_append_c (expr, ')');
  return seen->len;
}

static char *
like_pattern (const char *term)
{
  GString *pattern = g_string_new ("%");

  for (const char *c = term; *c != '\0'; c++)
    {
      if (*c == '%' || *c == '_' || *c == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *c);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

static void
clause_free (MdSearchClause *clause)
{
  g_ptr_array_unref (clause->terms);
  g_ptr_array_unref (clause->patterns);
  g_array_unref (clause->cased);
  g_free (clause->fts_expr);
  g_free (clause);
}

static MdSearchClause *
clause_new (GArray *tokens)
{
  MdSearchClause *clause = g_new0 (MdSearchClause, 1);
  gboolean all_long = TRUE;

  clause->negative = g_array_index (tokens, Token, 0).negative;
  clause->terms = g_ptr_array_new_with_free_func (g_free);
  clause->patterns = g_ptr_array_new_with_free_func (g_free);
  clause->cased = g_array_new (FALSE, FALSE, sizeof (gboolean));
  for (guint i = 0; i < tokens->len; i++)
    {
      const char *term = g_array_index (tokens, Token, i).text;
      /* LIKE folds ASCII only, but it is SQLite's own and the faster: it stays for every term
       * whose case it gets right, CJK, Arabic and plain English among them. */
      gboolean cased = _md_fold_is_cased (term);

      g_ptr_array_add (clause->terms, g_strdup (term));
      g_ptr_array_add (clause->patterns, cased ? _md_fold_utf8 (term) : like_pattern (term));
      g_array_append_val (clause->cased, cased);
      /* The trigram tokenizer cannot match fewer than 3 characters. */
      if (g_utf8_strlen (term, -1) < 3)
        all_long = FALSE;
    }
  if (all_long && !clause->negative)
    {
      GString *expr = g_string_new ("(");

      for (guint i = 0; i < clause->terms->len; i++)
        {
          if (i > 0)
            g_string_append (expr, " OR ");
          clause->n_trigrams += append_fts_term (expr, g_ptr_array_index (clause->terms, i));
        }
      g_string_append_c (expr, ')');
      clause->fts_expr = g_string_free (expr, FALSE);
    }
  return clause;
}

void
_md_search_clause_append_sql (const MdSearchClause *clause,
                              GString              *sql,
                              const char           *alias,
                              guint                *inout_param)
{
  g_string_append_c (sql, '(');
  for (guint i = 0; i < clause->terms->len; i++)
    {
      guint a = (*inout_param)++;
      guint b = (*inout_param)++;

      if (i > 0)
        g_string_append (sql, " OR ");
      if (g_array_index (clause->cased, gboolean, i))
        g_string_append_printf (sql, "md_contains(%s.instruction, ?%u) OR "
                                     "md_contains(%s.answer, ?%u)", alias, a, alias, b);
      else
        g_string_append_printf (sql, "coalesce(%s.instruction, '') LIKE ?%u ESCAPE '\\' OR "
                                     "coalesce(%s.answer, '') LIKE ?%u ESCAPE '\\'",
                                alias, a, alias, b);
    }
  g_string_append_c (sql, ')');
}

void
_md_search_clause_bind (const MdSearchClause *clause,
                        sqlite3_stmt         *stmt,
                        guint                *inout_param)
{
  for (guint i = 0; i < clause->patterns->len; i++)
    {
      const char *pattern = g_ptr_array_index (clause->patterns, i);

      sqlite3_bind_text (stmt, (*inout_param)++, pattern, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, (*inout_param)++, pattern, -1, SQLITE_STATIC);
    }
}

MdSearchPlan *
_md_search_plan_new (const char  *text,
                     GError     **error)
{
  g_autoptr(MdSearchPlan) plan = g_new0 (MdSearchPlan, 1);
  g_autoptr(GArray) tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  gboolean any_positive = FALSE;
  GArray *group = NULL;
  guint n_terms = 0;

  g_array_set_clear_func (tokens, token_clear);
  plan->clauses = g_ptr_array_new_with_free_func ((GDestroyNotify) clause_free);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_QUERY, "the search text is not valid UTF-8");
      return NULL;
    }
  if (!tokenize (text, tokens, error))
    return NULL;

  /* Group terms into clauses: a clause is terms joined by OR; clauses are ANDed. */
  for (guint i = 0; i < tokens->len; i++)
    {
      Token *token = &g_array_index (tokens, Token, i);

      if (token->is_or)
        {
          Token *next = i + 1 < tokens->len ? &g_array_index (tokens, Token, i + 1) : NULL;

          if (group == NULL || next == NULL || next->is_or)
            {
              g_set_error (error, MD_ERROR, MD_ERROR_QUERY,
                           "OR at character %ld needs a word on both sides", token->position);
              return NULL;
            }
          if (next->negative || g_array_index (group, Token, 0).negative)
            {
              g_set_error (error, MD_ERROR, MD_ERROR_QUERY,
                           "an excluded word cannot be part of OR (character %ld)",
                           token->position);
              return NULL;
            }
          g_array_append_val (group, *next);
          next->text = NULL;
          i++;
          continue;
        }
      group = g_array_new (FALSE, TRUE, sizeof (Token));
      g_array_set_clear_func (group, token_clear);
      g_array_append_val (group, *token);
      token->text = NULL;
      g_ptr_array_add (groups, group);
    }

  for (guint i = 0; i < groups->len; i++)
    {
      GArray *g = g_ptr_array_index (groups, i);

      n_terms += g->len;
      if (!g_array_index (g, Token, 0).negative)
        any_positive = TRUE;
    }
  if (groups->len > 0 && !any_positive)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_QUERY,
                   "a search needs at least one word that is not excluded");
      return NULL;
    }
  if (n_terms > MD_SEARCH_MAX_TERMS)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_QUERY,
                   "the search has %u words; expected at most %u", n_terms,
                   MD_SEARCH_MAX_TERMS);
      return NULL;
    }

  for (guint i = 0; i < groups->len; i++)
    {
      MdSearchClause *clause = clause_new (g_ptr_array_index (groups, i));

      if (clause->fts_expr != NULL)
        plan->n_indexed++;
      g_ptr_array_add (plan->clauses, clause);
    }
  return g_steal_pointer (&plan);
}

void
_md_search_plan_free (MdSearchPlan *plan)
{
  if (plan == NULL)
    return;
  g_clear_pointer (&plan->clauses, g_ptr_array_unref);
  g_free (plan);
}
