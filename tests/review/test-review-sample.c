/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "md-review-sample.h"

/* DC_INS_00000..DC_INS_00079 and TVC_INS_00000..TVC_INS_00019, each in en and zh. */
static GPtrArray *
make_ids (void)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < 80; i++)
    g_ptr_array_add (ids, g_strdup_printf ("DC_INS_%05u", i));
  for (guint i = 0; i < 20; i++)
    g_ptr_array_add (ids, g_strdup_printf ("TVC_INS_%05u", i));
  return ids;
}

static GArray *
make_population (GPtrArray *ids,
                 gboolean   reversed,
                 gboolean   with_langs)
{
  GArray *units = g_array_new (FALSE, FALSE, sizeof (MdSampleUnit));

  for (guint j = 0; j < ids->len; j++)
    {
      const char *id = ids->pdata[reversed ? ids->len - 1 - j : j];
      MdSampleUnit unit = { g_str_has_prefix (id, "DC") ? "DC" : "TVC", id, "" };

      if (with_langs)
        {
          unit.lang = "en";
          g_array_append_val (units, unit);
          unit.lang = "zh";
        }
      g_array_append_val (units, unit);
    }
  return units;
}

static char *
members_string (MdSample *sample)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < sample->members->len; i++)
    {
      MdSampleMember *member = sample->members->pdata[i];
      g_string_append_printf (out, "%s/%s;", member->pair_id, member->lang);
    }
  return g_string_free (out, FALSE);
}

static void
test_sample_reproducible (void)
{
  g_autoptr(GPtrArray) ids = make_ids ();
  g_autoptr(GArray) forward = make_population (ids, FALSE, FALSE);
  g_autoptr(GArray) backward = make_population (ids, TRUE, FALSE);
  g_autoptr(MdSample) a = md_sample_draw ((MdSampleUnit *) forward->data, forward->len, 7, 30,
                                          MD_SAMPLE_BY_DATASET, MD_SAMPLE_PROPORTIONAL);
  g_autoptr(MdSample) b = md_sample_draw ((MdSampleUnit *) backward->data, backward->len, 7, 30,
                                          MD_SAMPLE_BY_DATASET, MD_SAMPLE_PROPORTIONAL);
  g_autoptr(MdSample) c = md_sample_draw ((MdSampleUnit *) forward->data, forward->len, 8, 30,
                                          MD_SAMPLE_BY_DATASET, MD_SAMPLE_PROPORTIONAL);
  g_autofree char *sa = members_string (a);
  g_autofree char *sb = members_string (b);
  g_autofree char *sc = members_string (c);
  g_autoptr(GHashTable) unique = g_hash_table_new (g_str_hash, g_str_equal);
  guint64 state = 0;

  /* splitmix64 from 0: the published first output. */
  g_assert_cmpuint (md_sample_splitmix64 (&state), ==, G_GUINT64_CONSTANT (0xe220a8397b1dcdaf));

  /* Same seed, same population in any order: same members. Another seed: others. */
  g_assert_cmpstr (sa, ==, sb);
  g_assert_cmpstr (sa, !=, sc);

  /* Proportional: 30 × 80/100 = 24 from DC, 30 × 20/100 = 6 from TVC, no duplicates. */
  g_assert_cmpuint (a->members->len, ==, 30);
  g_assert_cmpuint (a->strata->len, ==, 2);
  g_assert_cmpstr (((MdSampleStratum *) a->strata->pdata[0])->stratum, ==, "DC");
  g_assert_cmpuint (((MdSampleStratum *) a->strata->pdata[0])->n_members, ==, 24);
  g_assert_cmpuint (((MdSampleStratum *) a->strata->pdata[0])->population, ==, 80);
  g_assert_cmpuint (((MdSampleStratum *) a->strata->pdata[1])->n_members, ==, 6);
  for (guint i = 0; i < a->members->len; i++)
    {
      MdSampleMember *member = a->members->pdata[i];

      g_assert_true (g_hash_table_add (unique, member->pair_id));
      g_assert_true (g_str_has_prefix (member->pair_id, member->dataset));
    }
}

static void
test_sample_strata (void)
{
  g_autoptr(GPtrArray) ids = make_ids ();
  g_autoptr(GArray) units = make_population (ids, FALSE, TRUE);
  g_autoptr(MdSample) fixed = md_sample_draw ((MdSampleUnit *) units->data, units->len, 1, 25,
                                              MD_SAMPLE_BY_DATASET_LANGUAGE, MD_SAMPLE_FIXED);

  /* DC/en, DC/zh: 25 each of 80; TVC/en, TVC/zh: all 20. */
  g_assert_cmpuint (fixed->strata->len, ==, 4);
  g_assert_cmpstr (((MdSampleStratum *) fixed->strata->pdata[1])->stratum, ==, "DC/zh");
  g_assert_cmpuint (((MdSampleStratum *) fixed->strata->pdata[1])->n_members, ==, 25);
  g_assert_cmpuint (((MdSampleStratum *) fixed->strata->pdata[3])->n_members, ==, 20);
  g_assert_cmpuint (fixed->members->len, ==, 25 + 25 + 20 + 20);
}

static void
test_wilson (void)
{
  double low, high;

  /* 3 errors of 50 at z = 1.96: p = 0.06, z² = 3.8416, z²/n = 0.076832,
   * centre = (0.06 + 3.8416/100) / 1.076832 = 0.098416 / 1.076832 = 0.0913940,
   * half = 1.96 / 1.076832 · sqrt (0.06 · 0.94 / 50 + 3.8416 / 10000)
   *      = 1.820154 · sqrt (0.001128 + 0.00038416) = 1.820154 · 0.0388865 = 0.0707794,
   * so [0.0206146, 0.1621734]. */
  md_sample_wilson (3.0 / 50, 50, 1.96, &low, &high);
  g_assert_cmpfloat_with_epsilon (low, 0.0206146, 1e-6);
  g_assert_cmpfloat_with_epsilon (high, 0.1621734, 1e-6);

  /* 0 of 20: centre = half = (3.8416/40) / 1.19208 = 0.0805651, so [0, 0.1611301]. */
  md_sample_wilson (0, 20, 1.96, &low, &high);
  g_assert_cmpfloat_with_epsilon (low, 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (high, 0.1611301, 1e-6);
}

static void
test_sample_stats (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("md-review-sample-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "review.sqlite", NULL);
  g_autoptr(MdReviewStore) store = md_review_store_open (path, &error);
  g_autoptr(GPtrArray) ids = make_ids ();
  g_autoptr(GArray) units = make_population (ids, FALSE, FALSE);
  g_autoptr(MdSample) sample = md_sample_draw ((MdSampleUnit *) units->data, units->len, 99, 50,
                                               MD_SAMPLE_BY_DATASET, MD_SAMPLE_FIXED);
  g_autoptr(MdSample) loaded = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) estimates = NULL;
  g_autoptr(MdSampleEstimate) overall = NULL;
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;
  const MdSampleEstimate *e;
  guint n_dc = 0;

  g_assert_no_error (error);
  g_assert_true (md_review_store_save_sample (store, "audit-1", sample, &error));
  g_assert_no_error (error);
  g_assert_false (md_review_store_save_sample (store, "audit-1", sample, &error));
  g_assert_error (error, MD_ERROR, MD_ERROR_FAILED);
  g_clear_error (&error);

  /* Listed newest first, each name once. */
  g_assert_true (md_review_store_save_sample (store, "audit-2", sample, &error));
  g_assert_no_error (error);
  names = md_review_store_list_samples (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_cmpstr (names->pdata[0], ==, "audit-2");
  g_assert_cmpstr (names->pdata[1], ==, "audit-1");

  loaded = md_review_store_load_sample (store, "audit-1", &error);
  g_assert_no_error (error);
  s1 = members_string (sample);
  s2 = members_string (loaded);
  g_assert_cmpstr (s1, ==, s2);
  g_assert_cmpuint (loaded->seed, ==, 99);

  /* DC: 50 members, 3 flagged or rejected, 47 approved. TVC: 20 members, all approved. */
  for (guint i = 0; i < sample->members->len; i++)
    {
      MdSampleMember *member = sample->members->pdata[i];
      MdReviewStatus status = MD_REVIEW_STATUS_APPROVED;

      if (g_str_equal (member->dataset, "DC") && n_dc++ < 3)
        status = n_dc == 1 ? MD_REVIEW_STATUS_REJECTED : MD_REVIEW_STATUS_FLAGGED;
      g_assert_cmpint (md_review_store_set_status (store, member->dataset, member->pair_id, NULL,
                                                   status, NULL, NULL, &error), >, 0);
    }

  estimates = md_review_store_sample_stats (store, "audit-1", 1.96, &overall, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (estimates->len, ==, 2);
  e = estimates->pdata[0];
  g_assert_cmpstr (e->stratum, ==, "DC");
  g_assert_cmpuint (e->n_reviewed, ==, 50);
  g_assert_cmpuint (e->n_errors, ==, 3);
  g_assert_cmpfloat_with_epsilon (e->low, 0.0206146, 1e-6);
  g_assert_cmpfloat_with_epsilon (e->high, 0.1621734, 1e-6);
  e = estimates->pdata[1];
  g_assert_cmpuint (e->n_reviewed, ==, 20);
  g_assert_cmpfloat_with_epsilon (e->high, 0.1611301, 1e-6);

  /* Overall: W = 80/100 and 20/100, p = 0.8 · 0.06 + 0.2 · 0 = 0.048,
   * V = 0.64 · 0.06 · 0.94 / 50 + 0 = 0.00072192, n_eff = 0.048 · 0.952 / V = 63.2979,
   * Wilson (0.048, 63.2979) = [0.0165606, 0.1311646]. */
  g_assert_cmpfloat_with_epsilon (overall->rate, 0.048, 1e-9);
  g_assert_cmpfloat_with_epsilon (overall->low, 0.0165606, 1e-6);
  g_assert_cmpfloat_with_epsilon (overall->high, 0.1311646, 1e-6);
  g_assert_cmpuint (overall->n_reviewed, ==, 70);

  g_clear_object (&store);
  {
    g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);
        g_remove (file);
      }
    g_rmdir (dir);
  }
}

typedef struct
{
  GPtrArray *strings;
  GArray    *units;
} Collected;

static gboolean
collect_language_units (const char *dataset,
                        const char *pair_id,
                        guint       languages,
                        gpointer    user_data)
{
  Collected *c = user_data;

  for (guint l = 0; l < MD_N_LANGUAGES; l++)
    if (languages & (1u << l))
      {
        MdSampleUnit unit = { g_strdup (dataset), g_strdup (pair_id), md_language_code (l) };

        g_ptr_array_add (c->strings, (char *) unit.dataset);
        g_ptr_array_add (c->strings, (char *) unit.pair_id);
        g_array_append_val (c->units, unit);
      }
  return TRUE;
}

static void
on_drawn (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  MdSample **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = md_review_sample_draw_finish (MD_STORE (source), result, &error);
  g_assert_no_error (error);
}

/* The store draws the population of an index itself, off the calling thread, and gives what
 * md_sample_draw() gives for the same units: the window and the CLI get the same members. */
static void
test_draw_from_index (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("md-sample-index-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "index.sqlite", NULL);
  const char *paths[] = { g_getenv ("MD_SAMPLE_DIR"), NULL };
  g_autoptr(MdStore) store = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(MdSample) drawn = NULL;
  g_autoptr(MdSample) expected = NULL;
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) units = g_array_new (FALSE, FALSE, sizeof (MdSampleUnit));
  Collected c = { strings, units };
  guint64 n_population = 0;

  g_assert_no_error (error);
  store = md_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (md_store_import (store, paths, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);

  md_review_sample_draw_async (store, 7, 20, MD_SAMPLE_BY_DATASET_LANGUAGE, MD_SAMPLE_PROPORTIONAL,
                               NULL, on_drawn, &drawn);
  while (drawn == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (md_store_foreach_pair (store, NULL, collect_language_units, &c, &error));
  expected = md_sample_draw ((const MdSampleUnit *) (gpointer) units->data, units->len, 7, 20,
                             MD_SAMPLE_BY_DATASET_LANGUAGE, MD_SAMPLE_PROPORTIONAL);
  g_assert_cmpuint (drawn->members->len, ==, 20);
  g_assert_cmpuint (drawn->members->len, ==, expected->members->len);
  for (guint i = 0; i < drawn->members->len; i++)
    {
      const MdSampleMember *a = drawn->members->pdata[i], *b = expected->members->pdata[i];

      g_assert_cmpstr (a->pair_id, ==, b->pair_id);
      g_assert_cmpstr (a->lang, ==, b->lang);
      g_assert_cmpstr (a->stratum, ==, b->stratum);
    }
  g_clear_pointer (&drawn, md_sample_free);
  drawn = md_review_sample_draw (store, 7, 5, MD_SAMPLE_BY_DATASET, MD_SAMPLE_FIXED,
                                 &n_population, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_population, ==, 65);
  g_assert_cmpuint (drawn->strata->len, ==, 6);

  g_clear_object (&store);
  {
    g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);
        g_remove (file);
      }
    g_rmdir (dir);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/review/sample/reproducible", test_sample_reproducible);
  g_test_add_func ("/review/sample/strata", test_sample_strata);
  g_test_add_func ("/review/sample/wilson", test_wilson);
  g_test_add_func ("/review/sample/stats", test_sample_stats);
  g_test_add_func ("/review/sample/draw-from-index", test_draw_from_index);

  return g_test_run ();
}
