/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include "md-review-private.h"
#include "md-review-sample.h"

static void
md_sample_stratum_free (MdSampleStratum *stratum)
{
  g_free (stratum->stratum);
  g_free (stratum);
}

static void
md_sample_member_free (MdSampleMember *member)
{
  g_free (member->stratum);
  g_free (member->dataset);
  g_free (member->pair_id);
  g_free (member->lang);
  g_free (member);
}

void
md_sample_free (MdSample *sample)
{
  if (sample == NULL)
    return;
  g_free (sample->name);
  g_clear_pointer (&sample->strata, g_ptr_array_unref);
  g_clear_pointer (&sample->members, g_ptr_array_unref);
  g_free (sample);
}

void
md_sample_estimate_free (MdSampleEstimate *estimate)
{
  if (estimate == NULL)
    return;
  g_free (estimate->stratum);
  g_free (estimate);
}

static MdSample *
sample_new (void)
{
  MdSample *sample = g_new0 (MdSample, 1);

  sample->strata = g_ptr_array_new_with_free_func ((GDestroyNotify) md_sample_stratum_free);
  sample->members = g_ptr_array_new_with_free_func ((GDestroyNotify) md_sample_member_free);
  return sample;
}

const char *
md_sample_strata_name (MdSampleStrata strata_by)
{
  return strata_by == MD_SAMPLE_BY_DATASET_LANGUAGE ? "language" : "dataset";
}

gboolean
md_sample_strata_from_name (const char     *name,
                            MdSampleStrata *out_strata)
{
  if (g_strcmp0 (name, "dataset") == 0)
    *out_strata = MD_SAMPLE_BY_DATASET;
  else if (g_strcmp0 (name, "language") == 0)
    *out_strata = MD_SAMPLE_BY_DATASET_LANGUAGE;
  else
    return FALSE;
  return TRUE;
}

guint64
md_sample_splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* A uniform integer in [0, bound) without modulo bias: values below 2^64 mod bound are
 * rejected. */
static guint64
uniform_below (guint64 *state,
               guint64  bound)
{
  guint64 threshold = (-bound) % bound;

  for (;;)
    {
      guint64 r = md_sample_splitmix64 (state);

      if (r >= threshold)
        return r % bound;
    }
}

static guint64
fnv1a64 (const char *text)
{
  guint64 hash = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      hash ^= *p;
      hash *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  return hash;
}

typedef struct
{
  char              *stratum;
  const MdSampleUnit *unit;
} Keyed;

static int
compare_keyed (gconstpointer a,
               gconstpointer b)
{
  const Keyed *ka = a, *kb = b;
  int cmp;

  if ((cmp = strcmp (ka->stratum, kb->stratum)) != 0)
    return cmp;
  if ((cmp = strcmp (ka->unit->dataset, kb->unit->dataset)) != 0)
    return cmp;
  if ((cmp = strcmp (ka->unit->pair_id, kb->unit->pair_id)) != 0)
    return cmp;
  return strcmp (ka->unit->lang != NULL ? ka->unit->lang : "",
                 kb->unit->lang != NULL ? kb->unit->lang : "");
}

MdSample *
md_sample_draw (const MdSampleUnit *population,
                gsize               n_population,
                guint64             seed,
                guint               size,
                MdSampleStrata      strata_by,
                MdSampleAllocation  allocation)
{
  g_autoptr(GArray) keyed = g_array_sized_new (FALSE, FALSE, sizeof (Keyed), n_population);
  /* Stratum names are interned: one string per stratum, not per unit. */
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) bounds = g_array_new (FALSE, FALSE, sizeof (gsize));   /* stratum starts */
  g_autofree guint64 *quota = NULL;
  g_autofree guint64 *remainder = NULL;
  MdSample *sample = sample_new ();
  gsize n_strata, n_units = 0;

  g_return_val_if_fail (population != NULL || n_population == 0, sample);

  sample->seed = seed;
  sample->size = size;
  sample->strata_by = strata_by;
  sample->allocation = allocation;

  for (gsize i = 0; i < n_population; i++)
    {
      const char *lang = population[i].lang != NULL ? population[i].lang : "";
      Keyed k;

      g_autofree char *name = NULL;
      char *interned;

      k.unit = &population[i];
      if (strata_by == MD_SAMPLE_BY_DATASET_LANGUAGE)
        name = g_strdup_printf ("%s/%s", population[i].dataset, lang);
      interned = g_hash_table_lookup (names, name != NULL ? name : population[i].dataset);
      if (interned == NULL)
        {
          interned = name != NULL ? g_steal_pointer (&name) : g_strdup (population[i].dataset);
          g_hash_table_add (names, interned);
        }
      k.stratum = interned;
      g_array_append_val (keyed, k);
    }
  g_array_sort (keyed, compare_keyed);

  /* Drop duplicates (the sort put them side by side) and find where strata start. */
  for (gsize i = 0; i < keyed->len; i++)
    {
      Keyed *k = &g_array_index (keyed, Keyed, i);

      if (n_units > 0 && compare_keyed (k, &g_array_index (keyed, Keyed, n_units - 1)) == 0)
        continue;
      if (n_units == 0 ||
          strcmp (k->stratum, g_array_index (keyed, Keyed, n_units - 1).stratum) != 0)
        g_array_append_val (bounds, n_units);
      g_array_index (keyed, Keyed, n_units++) = *k;
    }
  g_array_set_size (keyed, n_units);
  g_array_append_val (bounds, n_units);
  n_strata = bounds->len - 1;

  quota = g_new0 (guint64, MAX (n_strata, 1));
  remainder = g_new0 (guint64, MAX (n_strata, 1));
  if (allocation == MD_SAMPLE_FIXED)
    {
      for (gsize h = 0; h < n_strata; h++)
        quota[h] = MIN ((guint64) size, g_array_index (bounds, gsize, h + 1) -
                                        g_array_index (bounds, gsize, h));
    }
  else if (n_units > 0)
    {
      guint64 total = MIN ((guint64) size, (guint64) n_units);
      guint64 given = 0;

      /* Hamilton's method: floors first, then one more to the largest remainders. */
      for (gsize h = 0; h < n_strata; h++)
        {
          guint64 n_h = g_array_index (bounds, gsize, h + 1) - g_array_index (bounds, gsize, h);

          quota[h] = total * n_h / n_units;
          remainder[h] = total * n_h % n_units;
          given += quota[h];
        }
      while (given < total)
        {
          gsize best = 0;

          for (gsize h = 1; h < n_strata; h++)
            {
              if (remainder[h] > remainder[best])
                best = h;
            }
          quota[best]++;
          remainder[best] = 0;
          given++;
        }
    }

  for (gsize h = 0; h < n_strata; h++)
    {
      gsize start = g_array_index (bounds, gsize, h);
      gsize n_h = g_array_index (bounds, gsize, h + 1) - start;
      const char *name = g_array_index (keyed, Keyed, start).stratum;
      g_autofree gsize *order = g_new (gsize, n_h);
      MdSampleStratum *stratum = g_new0 (MdSampleStratum, 1);
      guint64 state = seed ^ fnv1a64 (name);

      /* One generator per stratum: adding a dataset to the population does not change the
       * members drawn from the others. */
      md_sample_splitmix64 (&state);
      for (gsize i = 0; i < n_h; i++)
        order[i] = i;
      for (gsize i = 0; i < quota[h]; i++)
        {
          gsize j = i + uniform_below (&state, n_h - i);
          gsize tmp = order[i];
          const MdSampleUnit *unit;
          MdSampleMember *member;

          order[i] = order[j];
          order[j] = tmp;
          unit = g_array_index (keyed, Keyed, start + order[i]).unit;
          member = g_new0 (MdSampleMember, 1);
          member->stratum = g_strdup (name);
          member->dataset = g_strdup (unit->dataset);
          member->pair_id = g_strdup (unit->pair_id);
          member->lang = g_strdup (unit->lang != NULL ? unit->lang : "");
          g_ptr_array_add (sample->members, member);
        }
      stratum->stratum = g_strdup (name);
      stratum->population = n_h;
      stratum->n_members = quota[h];
      g_ptr_array_add (sample->strata, stratum);
    }

  return sample;
}

/* Drawing from an index */

typedef struct
{
  GStringChunk *strings;
  GArray       *units;
  gboolean      by_language;
} Population;

static gboolean
add_unit (const char *dataset,
          const char *pair_id,
          guint       languages,
          gpointer    user_data)
{
  Population *p = user_data;
  MdSampleUnit unit = { g_string_chunk_insert_const (p->strings, dataset),
                        g_string_chunk_insert (p->strings, pair_id), "" };

  if (!p->by_language)
    {
      g_array_append_val (p->units, unit);
      return TRUE;
    }
  /* A language the pair lacks has nothing to review. */
  for (guint l = 0; l < MD_N_LANGUAGES; l++)
    if (languages & (1u << l))
      {
        unit.lang = md_language_code (l);
        g_array_append_val (p->units, unit);
      }
  return TRUE;
}

MdSample *
md_review_sample_draw (MdStore             *store,
                       guint64              seed,
                       guint                size,
                       MdSampleStrata       strata_by,
                       MdSampleAllocation   allocation,
                       guint64             *out_population,
                       GError             **error)
{
  g_autoptr(GArray) units = g_array_new (FALSE, FALSE, sizeof (MdSampleUnit));
  GStringChunk *strings = g_string_chunk_new (1 << 20);
  Population p = { strings, units, strata_by == MD_SAMPLE_BY_DATASET_LANGUAGE };
  MdSample *sample;

  g_return_val_if_fail (MD_IS_STORE (store), NULL);

  /* The ids live in one string chunk and the dataset codes once each: the population of
   * millions of pairs costs its bytes, not millions of allocations. */
  if (!md_store_foreach_pair (store, NULL, add_unit, &p, error))
    {
      g_string_chunk_free (strings);
      return NULL;
    }
  sample = md_sample_draw ((const MdSampleUnit *) (gpointer) units->data, units->len, seed, size,
                           strata_by, allocation);
  if (out_population != NULL)
    *out_population = units->len;
  g_string_chunk_free (strings);
  return sample;
}

typedef struct
{
  guint64            seed;
  guint              size;
  MdSampleStrata     strata_by;
  MdSampleAllocation allocation;
} DrawJob;

static void
draw_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const DrawJob *job = task_data;
  GError *error = NULL;
  MdSample *sample = md_review_sample_draw (source_object, job->seed, job->size, job->strata_by,
                                            job->allocation, NULL, &error);

  if (sample == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, sample, (GDestroyNotify) md_sample_free);
}

void
md_review_sample_draw_async (MdStore             *store,
                             guint64              seed,
                             guint                size,
                             MdSampleStrata       strata_by,
                             MdSampleAllocation   allocation,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DrawJob *job;

  g_return_if_fail (MD_IS_STORE (store));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_review_sample_draw_async);
  job = g_new0 (DrawJob, 1);
  job->seed = seed;
  job->size = size;
  job->strata_by = strata_by;
  job->allocation = allocation;
  g_task_set_task_data (task, job, g_free);
  g_task_run_in_thread (task, draw_thread);
}

MdSample *
md_review_sample_draw_finish (MdStore       *store,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
md_sample_wilson (double  p,
                  double  n,
                  double  z,
                  double *out_low,
                  double *out_high)
{
  double z2 = z * z;
  double centre, half;

  if (n <= 0)
    {
      *out_low = NAN;
      *out_high = NAN;
      return;
    }
  centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  half = z / (1 + z2 / n) * sqrt (p * (1 - p) / n + z2 / (4 * n * n));
  *out_low = MAX (0.0, centre - half);
  *out_high = MIN (1.0, centre + half);
}

gboolean
md_review_store_save_sample (MdReviewStore  *self,
                             const char     *name,
                             MdSample       *sample,
                             GError        **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), FALSE);
  g_return_val_if_fail (name != NULL && *name != '\0', FALSE);
  g_return_val_if_fail (sample != NULL, FALSE);

  if (!_md_review_store_begin (self, error))
    return FALSE;

  stmt = _md_review_store_prepare (self, "SELECT 1 FROM review_sample WHERE name = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                   "%s: a sample named “%s” already exists: expected a new name",
                   md_review_store_get_path (self), name);
      goto fail;
    }
  sqlite3_reset (stmt);

  stmt = _md_review_store_prepare (self,
    "INSERT INTO review_sample (name, seed, size, strata, allocation, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  /* Stored as the signed bit pattern: SQLite integers are signed 64-bit. */
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) sample->seed);
  sqlite3_bind_int64 (stmt, 3, sample->size);
  sqlite3_bind_text (stmt, 4, md_sample_strata_name (sample->strata_by), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, sample->allocation == MD_SAMPLE_FIXED ? "fixed" : "proportional",
                     -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _md_review_store_set_error (self, error, "could not save a sample");
      goto fail;
    }

  for (guint i = 0; i < sample->strata->len; i++)
    {
      const MdSampleStratum *stratum = sample->strata->pdata[i];

      stmt = _md_review_store_prepare (self,
        "INSERT INTO review_sample_stratum (sample, stratum, population) VALUES (?, ?, ?)",
        error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, stratum->stratum, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, stratum->population);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _md_review_store_set_error (self, error, "could not save a sample's strata");
          goto fail;
        }
    }
  for (guint i = 0; i < sample->members->len; i++)
    {
      const MdSampleMember *member = sample->members->pdata[i];

      stmt = _md_review_store_prepare (self,
        "INSERT INTO review_sample_member (sample, position, stratum, dataset, pair_id, lang)"
        " VALUES (?, ?, ?, ?, ?, ?)", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 2, i);
      sqlite3_bind_text (stmt, 3, member->stratum, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, member->dataset, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, member->pair_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, member->lang, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _md_review_store_set_error (self, error, "could not save a sample's members");
          goto fail;
        }
    }
  if (!_md_review_store_commit (self, error))
    return FALSE;
  g_free (sample->name);
  sample->name = g_strdup (name);
  return TRUE;

fail:
  _md_review_store_rollback (self);
  return FALSE;
}

GPtrArray *
md_review_store_list_samples (MdReviewStore  *self,
                              GError        **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), NULL);

  stmt = _md_review_store_prepare (self,
    "SELECT name FROM review_sample ORDER BY created_at DESC, name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _md_review_store_set_error (self, error, "could not list the samples");
      return NULL;
    }
  return g_steal_pointer (&names);
}

MdSample *
md_review_store_load_sample (MdReviewStore  *self,
                             const char     *name,
                             GError        **error)
{
  g_autoptr(MdSample) sample = sample_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  stmt = _md_review_store_prepare (self,
    "SELECT seed, size, strata, allocation FROM review_sample WHERE name = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND, "%s: no sample named “%s”",
                   md_review_store_get_path (self), name);
      return NULL;
    }
  sample->name = g_strdup (name);
  sample->seed = (guint64) sqlite3_column_int64 (stmt, 0);
  sample->size = sqlite3_column_int (stmt, 1);
  md_sample_strata_from_name ((const char *) sqlite3_column_text (stmt, 2), &sample->strata_by);
  sample->allocation = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 3), "fixed") == 0
                         ? MD_SAMPLE_FIXED : MD_SAMPLE_PROPORTIONAL;
  sqlite3_reset (stmt);

  stmt = _md_review_store_prepare (self,
    "SELECT s.stratum, s.population,"
    "  (SELECT COUNT(*) FROM review_sample_member m WHERE m.sample = s.sample"
    "     AND m.stratum = s.stratum)"
    " FROM review_sample_stratum s WHERE s.sample = ? ORDER BY s.stratum", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MdSampleStratum *stratum = g_new0 (MdSampleStratum, 1);

      stratum->stratum = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      stratum->population = sqlite3_column_int64 (stmt, 1);
      stratum->n_members = sqlite3_column_int (stmt, 2);
      g_ptr_array_add (sample->strata, stratum);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _md_review_store_set_error (self, error, "could not read a sample");
      return NULL;
    }

  stmt = _md_review_store_prepare (self,
    "SELECT stratum, dataset, pair_id, lang FROM review_sample_member WHERE sample = ?"
    " ORDER BY position", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MdSampleMember *member = g_new0 (MdSampleMember, 1);

      member->stratum = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      member->dataset = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      member->pair_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      member->lang = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_ptr_array_add (sample->members, member);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _md_review_store_set_error (self, error, "could not read a sample's members");
      return NULL;
    }
  return g_steal_pointer (&sample);
}

GPtrArray *
md_review_store_sample_stats (MdReviewStore     *self,
                              const char        *name,
                              double             z,
                              MdSampleEstimate **out_overall,
                              GError           **error)
{
  g_autoptr(GPtrArray) estimates = g_ptr_array_new_with_free_func ((GDestroyNotify) md_sample_estimate_free);
  g_autoptr(MdSampleEstimate) overall = g_new0 (MdSampleEstimate, 1);
  sqlite3_stmt *stmt;
  guint64 reviewed_population = 0;
  double p = 0, variance = 0;
  int rc;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  stmt = _md_review_store_prepare (self, "SELECT 1 FROM review_sample WHERE name = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND, "%s: no sample named “%s”",
                   md_review_store_get_path (self), name);
      return NULL;
    }

  /* A member's status: its language's review when it was drawn for a language and that language
   * was reviewed, else the pair's. */
  stmt = _md_review_store_prepare (self,
    "WITH m AS (SELECT m.stratum,"
    "   COALESCE((SELECT s.status FROM pair_status s WHERE s.dataset = m.dataset"
    "               AND s.pair_id = m.pair_id AND s.lang = m.lang AND m.lang <> ''"
    "               AND s.status <> 'unreviewed'),"
    "            (SELECT s.status FROM pair_status s WHERE s.dataset = m.dataset"
    "               AND s.pair_id = m.pair_id AND s.lang = ''),"
    "            'unreviewed') AS status"
    "  FROM review_sample_member m WHERE m.sample = ?1)"
    " SELECT st.stratum, st.population,"
    "  (SELECT COUNT(*) FROM m WHERE m.stratum = st.stratum),"
    "  (SELECT COUNT(*) FROM m WHERE m.stratum = st.stratum AND m.status <> 'unreviewed'),"
    "  (SELECT COUNT(*) FROM m WHERE m.stratum = st.stratum"
    "     AND m.status IN ('flagged', 'rejected'))"
    " FROM review_sample_stratum st WHERE st.sample = ?1 ORDER BY st.stratum", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MdSampleEstimate *estimate = g_new0 (MdSampleEstimate, 1);

      estimate->stratum = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      estimate->population = sqlite3_column_int64 (stmt, 1);
      estimate->n_members = sqlite3_column_int (stmt, 2);
      estimate->n_reviewed = sqlite3_column_int (stmt, 3);
      estimate->n_errors = sqlite3_column_int (stmt, 4);
      if (estimate->n_reviewed > 0)
        {
          estimate->rate = (double) estimate->n_errors / estimate->n_reviewed;
          md_sample_wilson (estimate->rate, estimate->n_reviewed, z, &estimate->low,
                            &estimate->high);
          reviewed_population += estimate->population;
        }
      else
        estimate->rate = estimate->low = estimate->high = NAN;
      overall->population += estimate->population;
      overall->n_members += estimate->n_members;
      overall->n_reviewed += estimate->n_reviewed;
      overall->n_errors += estimate->n_errors;
      g_ptr_array_add (estimates, estimate);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _md_review_store_set_error (self, error, "could not read a sample's reviews");
      return NULL;
    }

  /* Stratified estimate; see the formula in md-review-sample.h. */
  for (guint i = 0; i < estimates->len; i++)
    {
      const MdSampleEstimate *e = estimates->pdata[i];
      double w;

      if (e->n_reviewed == 0)
        continue;
      w = (double) e->population / reviewed_population;
      p += w * e->rate;
      variance += w * w * e->rate * (1 - e->rate) / e->n_reviewed;
    }
  if (overall->n_reviewed > 0)
    {
      double n_eff = variance > 0 ? p * (1 - p) / variance : overall->n_reviewed;

      overall->rate = p;
      md_sample_wilson (p, n_eff, z, &overall->low, &overall->high);
    }
  else
    overall->rate = overall->low = overall->high = NAN;

  if (out_overall != NULL)
    *out_overall = g_steal_pointer (&overall);
  return g_steal_pointer (&estimates);
}
