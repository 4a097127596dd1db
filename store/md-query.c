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

/* At most this many trigrams of a term go to the index; LIKE or md_contains() checks the whole
 * term. */
#define MAX_TRIGRAMS 8

static void
append_fts_term (GString    *expr,
                 const char *term)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  glong n_chars = g_utf8_strlen (term, -1);
  const char *p = term;

  g_string_append_c (expr, '(');
  for (glong i = 0; i + 3 <= n_chars && seen->len < MAX_TRIGRAMS; i++, p = g_utf8_next_char (p))
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
append_like_clause (MdSearchPlan *plan,
                    Token        *terms,
                    guint         n_terms)
{
  if (plan->like_sql->len > 0)
    g_string_append (plan->like_sql, " AND ");
  g_string_append (plan->like_sql, terms[0].negative ? "NOT (" : "(");
  for (guint i = 0; i < n_terms; i++)
    {
      char *pattern;

      if (i > 0)
        g_string_append (plan->like_sql, " OR ");
      /* LIKE folds ASCII only, but it is SQLite's own and the faster: it stays for every term
       * whose case it gets right, CJK, Arabic and plain English among them. */
      if (_md_fold_is_cased (terms[i].text))
        {
          pattern = _md_fold_utf8 (terms[i].text);
          g_string_append (plan->like_sql, "md_contains(t.instruction, ?) OR "
                                           "md_contains(t.answer, ?)");
        }
      else
        {
          pattern = like_pattern (terms[i].text);
          g_string_append (plan->like_sql, "coalesce(t.instruction, '') LIKE ? ESCAPE '\\' OR "
                                           "coalesce(t.answer, '') LIKE ? ESCAPE '\\'");
        }
      g_ptr_array_add (plan->like_patterns, pattern);
      g_ptr_array_add (plan->like_patterns, g_strdup (pattern));
    }
  g_string_append (plan->like_sql, ")");
}

MdSearchPlan *
_md_search_plan_new (const char  *text,
                     GError     **error)
{
  g_autoptr(MdSearchPlan) plan = g_new0 (MdSearchPlan, 1);
  g_autoptr(GArray) tokens = g_array_new (FALSE, TRUE, sizeof (Token));
  g_autoptr(GPtrArray) clauses = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GString) positive = g_string_new (NULL);
  gboolean any_fts_positive = FALSE;
  gboolean any_positive = FALSE;
  GArray *clause = NULL;

  g_array_set_clear_func (tokens, token_clear);
  plan->like_sql = g_string_new (NULL);
  plan->like_patterns = g_ptr_array_new_with_free_func (g_free);

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

          if (clause == NULL || next == NULL || next->is_or)
            {
              g_set_error (error, MD_ERROR, MD_ERROR_QUERY,
                           "OR at character %ld needs a word on both sides", token->position);
              return NULL;
            }
          if (next->negative || g_array_index (clause, Token, 0).negative)
            {
              g_set_error (error, MD_ERROR, MD_ERROR_QUERY,
                           "an excluded word cannot be part of OR (character %ld)",
                           token->position);
              return NULL;
            }
          g_array_append_val (clause, *next);
          next->text = NULL;
          i++;
          continue;
        }
      clause = g_array_new (FALSE, TRUE, sizeof (Token));
      g_array_set_clear_func (clause, token_clear);
      g_array_append_val (clause, *token);
      token->text = NULL;
      g_ptr_array_add (clauses, clause);
    }

  for (guint i = 0; i < clauses->len; i++)
    {
      GArray *c = g_ptr_array_index (clauses, i);

      if (!g_array_index (c, Token, 0).negative)
        any_positive = TRUE;
    }
  if (clauses->len > 0 && !any_positive)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_QUERY,
                   "a search needs at least one word that is not excluded");
      return NULL;
    }

  for (guint i = 0; i < clauses->len; i++)
    {
      GArray *c = g_ptr_array_index (clauses, i);
      Token *terms = &g_array_index (c, Token, 0);
      gboolean all_long = TRUE;

      /* The trigram tokenizer cannot match fewer than 3 characters. */
      for (guint j = 0; j < c->len; j++)
        if (g_utf8_strlen (terms[j].text, -1) < 3)
          all_long = FALSE;

      if (all_long && !terms[0].negative)
        {
          if (positive->len > 0)
            g_string_append (positive, " AND ");
          g_string_append_c (positive, '(');
          for (guint j = 0; j < c->len; j++)
            {
              if (j > 0)
                g_string_append (positive, " OR ");
              append_fts_term (positive, terms[j].text);
            }
          g_string_append_c (positive, ')');
          any_fts_positive = TRUE;
        }
      /* The text decides, for every clause. */
      append_like_clause (plan, terms, c->len);
    }

  if (any_fts_positive)
    plan->fts_expr = g_string_free (g_steal_pointer (&positive), FALSE);

  return g_steal_pointer (&plan);
}

void
_md_search_plan_free (MdSearchPlan *plan)
{
  if (plan == NULL)
    return;
  g_free (plan->fts_expr);
  if (plan->like_sql != NULL)
    g_string_free (plan->like_sql, TRUE);
  g_clear_pointer (&plan->like_patterns, g_ptr_array_unref);
  g_free (plan);
}
