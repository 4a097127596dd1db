/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-agreement"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include <cJSON.h>

#include "md-agreement.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cJSON, cJSON_Delete)

#define EPSILON 1e-9

/* Cohen's textbook table: 50 items, both yes 20, A yes / B no 5, A no / B yes 10, both no 15.
 * p_o = 35/50 = 0.7; p_e = 0.5 × 0.6 + 0.5 × 0.4 = 0.5; kappa = 0.2 / 0.5 = 0.4.
 * Coincidences: o_yy = 40, o_nn = 30, o_yn = o_ny = 15; n_y = 55, n_n = 45, n = 100;
 * alpha = 1 - 99 × 30 / (2 × 55 × 45) = 1 - 2970 / 4950 = 0.4. */
static void
test_agreement_two_raters (void)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ratings = g_array_new (FALSE, FALSE, sizeof (MdRating));
  g_autoptr(MdAgreement) agreement = NULL;
  const struct { guint n; const char *a, *b; } cells[] = {
    { 20, "yes", "yes" }, { 5, "yes", "no" }, { 10, "no", "yes" }, { 15, "no", "no" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
    for (guint i = 0; i < cells[c].n; i++)
      {
        char *unit = g_strdup_printf ("u%u-%u", c, i);
        MdRating a = { unit, "ana", cells[c].a };
        MdRating b = { unit, "ben", cells[c].b };

        g_ptr_array_add (names, unit);
        g_array_append_val (ratings, a);
        g_array_append_val (ratings, b);
      }
  agreement = md_agreement_compute ((MdRating *) ratings->data, ratings->len);
  g_assert_cmpuint (agreement->n_units, ==, 50);
  g_assert_cmpuint (agreement->n_raters, ==, 2);
  g_assert_cmpfloat_with_epsilon (agreement->percent, 0.7, EPSILON);
  g_assert_cmpfloat_with_epsilon (agreement->kappa, 0.4, EPSILON);
  g_assert_cmpfloat_with_epsilon (agreement->alpha, 0.4, EPSILON);
}

/* Four units, two raters: (a,a) (a,b) (b,b) (b,b). p_o = 3/4; A says a half the time, B a
 * quarter: p_e = 0.5 × 0.25 + 0.5 × 0.75 = 0.5, kappa = 0.25 / 0.5 = 0.5.
 * o_aa = 2, o_ab = o_ba = 1, o_bb = 4; n_a = 3, n_b = 5, n = 8;
 * alpha = 1 - 7 × 2 / (2 × 3 × 5) = 16/30. A unit with a single rating does not count. */
static void
test_agreement_small (void)
{
  const MdRating ratings[] = {
    { "1", "A", "a" }, { "1", "B", "a" },
    { "2", "A", "a" }, { "2", "B", "b" },
    { "3", "A", "b" }, { "3", "B", "b" },
    { "4", "A", "b" }, { "4", "B", "b" },
    { "5", "A", "a" },
  };
  g_autoptr(MdAgreement) agreement = md_agreement_compute (ratings, G_N_ELEMENTS (ratings));

  g_assert_cmpuint (agreement->n_units, ==, 4);
  g_assert_cmpuint (agreement->n_ratings, ==, 8);
  g_assert_cmpfloat_with_epsilon (agreement->percent, 0.75, EPSILON);
  g_assert_cmpfloat_with_epsilon (agreement->kappa, 0.5, EPSILON);
  g_assert_cmpfloat_with_epsilon (agreement->alpha, 16.0 / 30.0, EPSILON);
}

/* Three raters on one unit (a, a, b) and two on another (b, b); kappa needs exactly two raters.
 * Unit 1 adds 1/2 per ordered pair: o_aa = 1, o_ab = o_ba = 1; unit 2: o_bb = 2.
 * n_a = 2, n_b = 3, n = 5; alpha = 1 - 4 × 2 / (2 × 2 × 3) = 1/3.
 * Percent: unit 1 agrees on 2 of 6 ordered pairs, unit 2 on all: (1/3 + 1) / 2 = 2/3.
 * A rater's later rating of a unit replaces the earlier one. */
static void
test_agreement_three_raters (void)
{
  const MdRating ratings[] = {
    { "1", "A", "b" }, { "1", "A", "a" }, { "1", "B", "a" }, { "1", "C", "b" },
    { "2", "A", "b" }, { "2", "C", "b" },
  };
  g_autoptr(MdAgreement) agreement = md_agreement_compute (ratings, G_N_ELEMENTS (ratings));

  g_assert_cmpuint (agreement->n_units, ==, 2);
  g_assert_cmpuint (agreement->n_raters, ==, 3);
  g_assert_cmpfloat_with_epsilon (agreement->percent, 2.0 / 3.0, EPSILON);
  g_assert_true (isnan (agreement->kappa));
  g_assert_cmpfloat_with_epsilon (agreement->alpha, 1.0 / 3.0, EPSILON);
}

/* From a review file: each reviewer's own latest status counts, grouped by dataset and
 * language, even where another reviewer's later status is the pair's current one. */
static void
test_agreement_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("agreement-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "r.review.sqlite", NULL);
  g_autoptr(MdReviewStore) store = md_review_store_open (path, &error);
  g_autoptr(GPtrArray) rows = NULL;
  const struct { const char *who, *pair, *lang; MdReviewStatus status; } actions[] = {
    { "ana", "DC_INS_1", NULL, MD_REVIEW_STATUS_REJECTED },
    { "ana", "DC_INS_1", NULL, MD_REVIEW_STATUS_APPROVED },   /* replaces ana's first */
    { "ben", "DC_INS_1", NULL, MD_REVIEW_STATUS_APPROVED },
    { "ana", "DC_INS_2", NULL, MD_REVIEW_STATUS_APPROVED },
    { "ben", "DC_INS_2", NULL, MD_REVIEW_STATUS_REJECTED },
    { "ana", "DC_INS_3", NULL, MD_REVIEW_STATUS_FLAGGED },    /* one rating: no unit */
    { "ana", "DC_INS_1", "zh", MD_REVIEW_STATUS_FLAGGED },
    { "ben", "DC_INS_1", "zh", MD_REVIEW_STATUS_FLAGGED },
    { "ana", "LA_INS_1", NULL, MD_REVIEW_STATUS_APPROVED },
    { "ben", "LA_INS_1", NULL, MD_REVIEW_STATUS_APPROVED },
  };
  const MdAgreement *row;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autofree char *dataset = g_strndup (actions[i].pair, 2);

      md_review_store_set_reviewer (store, actions[i].who);
      g_assert_cmpint (md_review_store_set_status (store, dataset, actions[i].pair,
                                                   actions[i].lang, actions[i].status, NULL,
                                                   NULL, &error), >, 0);
      g_assert_no_error (error);
    }
  rows = md_review_store_get_agreement (store, &error);
  g_assert_no_error (error);
  /* DC "", DC zh, LA "", then DC and LA over all levels, then everything. */
  g_assert_cmpuint (rows->len, ==, 6);
  row = rows->pdata[0];
  g_assert_cmpstr (row->dataset, ==, "DC");
  g_assert_cmpstr (row->lang, ==, "");
  g_assert_cmpuint (row->n_units, ==, 2);
  g_assert_cmpfloat_with_epsilon (row->percent, 0.5, EPSILON);
  /* ana: approved ×2; ben: approved, rejected. p_e = 1 × 0.5 = 0.5 → kappa 0. */
  g_assert_cmpfloat_with_epsilon (row->kappa, 0.0, EPSILON);
  row = rows->pdata[1];
  g_assert_cmpstr (row->lang, ==, "zh");
  g_assert_cmpuint (row->n_units, ==, 1);
  g_assert_cmpfloat_with_epsilon (row->percent, 1.0, EPSILON);
  g_assert_true (isnan (row->alpha));
  row = rows->pdata[3];
  g_assert_cmpstr (row->dataset, ==, "DC");
  g_assert_null (row->lang);
  g_assert_cmpuint (row->n_units, ==, 3);
  row = rows->pdata[5];
  g_assert_null (row->dataset);
  g_assert_cmpuint (row->n_units, ==, 4);
  g_assert_cmpfloat_with_epsilon (row->percent, 0.75, EPSILON);

  g_assert_cmpfloat_with_epsilon (row->percent, 0.75, EPSILON);

  /* The command prints the same rows as JSON. */
  {
    const char *argv[] = { g_getenv ("MD_CLI"), "review", "agreement", "--review", path, "--json",
                           NULL };
    g_autofree char *out = NULL;
    g_autoptr(cJSON) json = NULL;
    cJSON *last;
    int status = 0;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                                 NULL, &out, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    json = cJSON_Parse (out);
    g_assert_cmpint (cJSON_GetArraySize (json), ==, 6);
    last = cJSON_GetArrayItem (json, 5);
    g_assert_true (cJSON_IsNull (cJSON_GetObjectItem (last, "dataset")));
    g_assert_cmpint (cJSON_GetObjectItem (last, "units")->valueint, ==, 4);
    g_assert_cmpfloat_with_epsilon (cJSON_GetObjectItem (last, "percent")->valuedouble, 0.75,
                                    EPSILON);
    g_assert_true (cJSON_IsNull (cJSON_GetObjectItem (cJSON_GetArrayItem (json, 1), "alpha")));
  }

  g_clear_object (&store);
  g_remove (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_remove (wal);
    g_remove (shm);
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/team/agreement/two-raters", test_agreement_two_raters);
  g_test_add_func ("/team/agreement/small", test_agreement_small);
  g_test_add_func ("/team/agreement/three-raters", test_agreement_three_raters);
  g_test_add_func ("/team/agreement/store", test_agreement_store);
  return g_test_run ();
}
