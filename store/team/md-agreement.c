/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-team"

#include "config.h"

#include <math.h>
#include <string.h>

#include "md-agreement.h"
#include "md-review-private.h"

void
md_agreement_free (MdAgreement *agreement)
{
  if (agreement == NULL)
    return;
  g_free (agreement->dataset);
  g_free (agreement->lang);
  g_free (agreement);
}

static guint
intern (GHashTable *index,
        const char *name)
{
  gpointer value;

  if (g_hash_table_lookup_extended (index, name, NULL, &value))
    return GPOINTER_TO_UINT (value);
  value = GUINT_TO_POINTER (g_hash_table_size (index));
  g_hash_table_insert (index, (gpointer) name, value);
  return GPOINTER_TO_UINT (value);
}

typedef struct
{
  guint rater;
  guint value;
} Rated;

MdAgreement *
md_agreement_compute (const MdRating *ratings,
                      guint           n_ratings)
{
  g_autoptr(MdAgreement) result = g_new0 (MdAgreement, 1);
  g_autoptr(GHashTable) units = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       (GDestroyNotify) g_array_unref);
  g_autoptr(GHashTable) raters = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) used_raters = g_hash_table_new (NULL, NULL);
  g_autofree double *coincidence = NULL;
  g_autofree double *marginal = NULL;
  /* Two-rater tallies for kappa: per value, how often each of the two chose it. */
  g_autofree double *first_counts = NULL;
  g_autofree double *second_counts = NULL;
  GHashTableIter iter;
  gpointer ratings_of_unit;
  guint n_values, first_rater = G_MAXUINT, second_rater = G_MAXUINT;
  double percent_sum = 0, n_total = 0, disagree = 0, expected = 0, kappa_agree = 0;

  for (guint i = 0; i < n_ratings; i++)
    {
      GArray *rated = g_hash_table_lookup (units, ratings[i].unit);
      Rated r = { intern (raters, ratings[i].rater), intern (values, ratings[i].value) };
      gboolean replaced = FALSE;

      if (rated == NULL)
        {
          rated = g_array_new (FALSE, FALSE, sizeof (Rated));
          g_hash_table_insert (units, (gpointer) ratings[i].unit, rated);
        }
      for (guint j = 0; j < rated->len && !replaced; j++)
        {
          if (g_array_index (rated, Rated, j).rater == r.rater)
            {
              g_array_index (rated, Rated, j) = r;
              replaced = TRUE;
            }
        }
      if (!replaced)
        g_array_append_val (rated, r);
    }

  n_values = MAX (g_hash_table_size (values), 1);
  coincidence = g_new0 (double, n_values * n_values);
  marginal = g_new0 (double, n_values);
  first_counts = g_new0 (double, n_values);
  second_counts = g_new0 (double, n_values);

  g_hash_table_iter_init (&iter, units);
  while (g_hash_table_iter_next (&iter, NULL, &ratings_of_unit))
    {
      GArray *rated = ratings_of_unit;
      guint m = rated->len, agree = 0;

      if (m < 2)
        continue;
      result->n_units++;
      result->n_ratings += m;
      for (guint a = 0; a < m; a++)
        {
          g_hash_table_add (used_raters, GUINT_TO_POINTER (g_array_index (rated, Rated, a).rater + 1));
          for (guint b = 0; b < m; b++)
            {
              guint va = g_array_index (rated, Rated, a).value;
              guint vb = g_array_index (rated, Rated, b).value;

              if (a == b)
                continue;
              coincidence[va * n_values + vb] += 1.0 / (m - 1);
              if (va == vb)
                agree++;
            }
        }
      percent_sum += (double) agree / (m * (m - 1));
    }
  result->n_raters = g_hash_table_size (used_raters);
  result->percent = result->n_units > 0 ? percent_sum / result->n_units : NAN;

  for (guint c = 0; c < n_values; c++)
    for (guint k = 0; k < n_values; k++)
      marginal[c] += coincidence[c * n_values + k];
  for (guint c = 0; c < n_values; c++)
    n_total += marginal[c];
  for (guint c = 0; c < n_values; c++)
    for (guint k = 0; k < n_values; k++)
      {
        if (c == k)
          continue;
        disagree += coincidence[c * n_values + k];
        expected += marginal[c] * marginal[k];
      }
  result->alpha = expected > 0 ? 1.0 - (n_total - 1) * disagree / expected : NAN;

  /* Cohen's kappa: exactly two reviewers, over the units both rated. */
  result->kappa = NAN;
  if (result->n_raters == 2)
    {
      double n_both = 0, p_o, p_e = 0;

      g_hash_table_iter_init (&iter, units);
      while (g_hash_table_iter_next (&iter, NULL, &ratings_of_unit))
        {
          GArray *rated = ratings_of_unit;
          const Rated *x, *y;

          if (rated->len != 2)
            continue;
          x = &g_array_index (rated, Rated, 0);
          y = &g_array_index (rated, Rated, 1);
          if (first_rater == G_MAXUINT)
            {
              first_rater = x->rater;
              second_rater = y->rater;
            }
          if (x->rater != first_rater)
            {
              const Rated *swap = x;

              x = y;
              y = swap;
            }
          g_assert (x->rater == first_rater && y->rater == second_rater);
          first_counts[x->value]++;
          second_counts[y->value]++;
          if (x->value == y->value)
            kappa_agree++;
          n_both++;
        }
      p_o = kappa_agree / n_both;
      for (guint c = 0; c < n_values; c++)
        p_e += (first_counts[c] / n_both) * (second_counts[c] / n_both);
      if (p_e < 1)
        result->kappa = (p_o - p_e) / (1 - p_e);
    }
  return g_steal_pointer (&result);
}

typedef struct
{
  char *dataset;
  char *lang;
  char *unit;
  char *rater;
  char *value;
} Row;

static void
row_clear (Row *row)
{
  g_free (row->dataset);
  g_free (row->lang);
  g_free (row->unit);
  g_free (row->rater);
  g_free (row->value);
}

/* Agreement over the rows of @dataset (NULL: all) and @lang (unless @all_langs). */
static MdAgreement *
compute_group (GArray      *rows,
               const char  *dataset,
               const char  *lang,
               gboolean     all_langs)
{
  g_autoptr(GArray) ratings = g_array_new (FALSE, FALSE, sizeof (MdRating));
  MdAgreement *agreement;

  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);
      MdRating rating = { row->unit, row->rater, row->value };

      if (dataset != NULL && strcmp (row->dataset, dataset) != 0)
        continue;
      if (!all_langs && strcmp (row->lang, lang) != 0)
        continue;
      g_array_append_val (ratings, rating);
    }
  agreement = md_agreement_compute ((const MdRating *) ratings->data, ratings->len);
  agreement->dataset = g_strdup (dataset);
  agreement->lang = all_langs ? NULL : g_strdup (lang);
  return agreement;
}

GPtrArray *
md_review_store_get_agreement (MdReviewStore  *review,
                               GError        **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) md_agreement_free);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));
  g_autoptr(GPtrArray) datasets = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (review), NULL);

  g_array_set_clear_func (rows, (GDestroyNotify) row_clear);
  /* Each author's own latest status of each unit. */
  stmt = _md_review_store_prepare (review,
    "SELECT l.dataset, l.lang, l.pair_id, l.author, l.new_value FROM review_log l"
    " WHERE l.field = 'status' AND l.author_kind = 'person' AND NOT EXISTS ("
    "   SELECT 1 FROM review_log l2 WHERE l2.dataset = l.dataset AND l2.pair_id = l.pair_id"
    "     AND l2.lang = l.lang AND l2.field = 'status' AND l2.author = l.author"
    "     AND (l2.created_at > l.created_at OR (l2.created_at = l.created_at AND l2.uid > l.uid)))"
    " ORDER BY l.dataset, l.lang, l.pair_id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *value = (const char *) sqlite3_column_text (stmt, 4);
      Row row;

      if (value == NULL || strcmp (value, "unreviewed") == 0)
        continue;
      row.dataset = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      row.lang = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      row.unit = g_strdup_printf ("%s\x1f%s\x1f%s", row.dataset,
                                  (const char *) sqlite3_column_text (stmt, 2), row.lang);
      row.rater = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      row.value = g_strdup (value);
      g_array_append_val (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _md_review_store_set_error (review, error, "could not read the statuses");
      return NULL;
    }

  /* Rows come sorted by dataset then language: each change of either starts a group. */
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);
      const Row *previous = i > 0 ? &g_array_index (rows, Row, i - 1) : NULL;
      gboolean new_dataset = previous == NULL || strcmp (previous->dataset, row->dataset) != 0;

      if (new_dataset)
        g_ptr_array_add (datasets, row->dataset);
      if (new_dataset || strcmp (previous->lang, row->lang) != 0)
        g_ptr_array_add (result, compute_group (rows, row->dataset, row->lang, FALSE));
    }
  for (guint i = 0; i < datasets->len; i++)
    g_ptr_array_add (result, compute_group (rows, datasets->pdata[i], NULL, TRUE));
  g_ptr_array_add (result, compute_group (rows, NULL, NULL, TRUE));
  return g_steal_pointer (&result);
}
