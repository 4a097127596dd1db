/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "md-review-sample.h"
#include "md-review-store.h"
#include "md-store.h"

/* The index filtered by review state: the review file ATTACHed to the index connection. */

typedef struct
{
  char          *dir;
  MdStore       *store;
  MdReviewStore *review;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *review_path = NULL;
  const char *paths[] = { g_getenv ("MD_SAMPLE_DIR"), NULL };

  f->dir = g_dir_make_tmp ("mdreviewquery-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (f->dir, "index.sqlite", NULL);
  f->store = md_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (md_store_import (f->store, paths, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  review_path = md_review_store_default_path (db);
  f->review = md_review_store_open (review_path, &error);
  g_assert_no_error (error);
  md_review_store_set_reviewer (f->review, "ana");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *cmd = NULL;

  g_clear_object (&f->review);
  g_clear_object (&f->store);
  cmd = g_strdup_printf ("rm -rf '%s'", f->dir);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (f->dir);
}

static char *
ids_of (GListModel *model)
{
  GString *ids = g_string_new (NULL);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MdPair) pair = g_list_model_get_item (model, i);

      if (i > 0)
        g_string_append_c (ids, ',');
      g_string_append (ids, md_pair_get_id (pair));
    }
  return g_string_free (ids, FALSE);
}

static char *
run (Fixture *f,
     MdQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) model = md_store_query (f->store, query, &error);

  g_assert_no_error (error);
  g_assert_nonnull (model);
  /* The exact count agrees with the lazy model. */
  g_assert_cmpuint (md_store_count_pairs (f->store, query, &error), ==,
                    g_list_model_get_n_items (model));
  return ids_of (model);
}

static void
set (Fixture        *f,
     const char     *dataset,
     const char     *id,
     const char     *lang,
     MdReviewStatus  status,
     const char     *reason)
{
  g_autoptr(GError) error = NULL;
  const char *reasons[] = { reason, NULL };

  g_assert_cmpint (md_review_store_set_status (f->review, dataset, id, lang, status,
                                               reason != NULL ? reasons : NULL, NULL, &error),
                   >, 0);
  g_assert_no_error (error);
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdQuery) query = md_query_new ();
  g_autoptr(GListModel) model = NULL;
  g_autofree char *got = NULL;
  g_autofree char *review_path = md_review_store_default_path (md_store_get_path (f->store));
  guint64 total;

  set (f, "DC", "DC_INS_00002", NULL, MD_REVIEW_STATUS_FLAGGED, "hallucination");
  set (f, "LA", "LA_INS_00003", NULL, MD_REVIEW_STATUS_FLAGGED, "unsafe");
  set (f, "TXT", "TXT_INS_00001", NULL, MD_REVIEW_STATUS_REJECTED, NULL);
  md_review_store_set_reviewer (f->review, "ben");
  set (f, "DC", "DC_INS_00001", NULL, MD_REVIEW_STATUS_APPROVED, NULL);
  set (f, "SD", "SD_INS_00004", "zh", MD_REVIEW_STATUS_FLAGGED, "bad translation");
  /* A review of a dataset the pair is not in does not count for it. */
  set (f, "LA", "DC_INS_00005", NULL, MD_REVIEW_STATUS_FLAGGED, NULL);
  g_assert_cmpint (md_review_store_edit_text (f->review, "VST", "VST_INS_00002", MD_LANGUAGE_DE,
                                              MD_FIELD_ANSWER, "alt", "neu", NULL,
                                              MD_REVIEW_AUTHOR_PERSON, &error), >, 0);

  /* Without the review file attached, review filters are refused with a clear message. */
  query->review_status = MD_REVIEW_STATUS_FLAGGED;
  model = md_store_query (f->store, query, &error);
  g_assert_null (model);
  g_assert_error (error, MD_ERROR, MD_ERROR_QUERY);
  g_assert_nonnull (strstr (error->message, "review filters need a review file"));
  g_clear_error (&error);

  g_assert_false (md_store_attach_review (f->store, "/nonexistent/r.sqlite", &error));
  g_assert_error (error, MD_ERROR, MD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (md_store_attach_review (f->store, review_path, &error));
  g_assert_no_error (error);
  /* Attaching again replaces it. */
  g_assert_true (md_store_attach_review (f->store, review_path, &error));
  g_assert_no_error (error);

  got = run (f, query);
  g_assert_cmpstr (got, ==, "DC_INS_00002,LA_INS_00003");
  g_clear_pointer (&got, g_free);

  /* Combined with the other filters and with a search. */
  query->dataset = g_strdup ("DC");
  got = run (f, query);
  g_assert_cmpstr (got, ==, "DC_INS_00002");
  g_clear_pointer (&got, g_free);
  g_clear_pointer (&query->dataset, g_free);

  query->review_status = MD_REVIEW_STATUS_REJECTED;
  got = run (f, query);
  g_assert_cmpstr (got, ==, "TXT_INS_00001");
  g_clear_pointer (&got, g_free);
  query->text = g_strdup ("basket");
  got = run (f, query);
  g_assert_cmpstr (got, ==, "TXT_INS_00001");
  g_clear_pointer (&got, g_free);
  query->review_status = MD_REVIEW_STATUS_APPROVED;
  got = run (f, query);
  g_assert_cmpstr (got, ==, "");
  g_clear_pointer (&got, g_free);
  g_clear_pointer (&query->text, g_free);

  query->review_status = -1;
  query->review_reason = g_strdup ("unsafe");
  got = run (f, query);
  g_assert_cmpstr (got, ==, "LA_INS_00003");
  g_clear_pointer (&got, g_free);
  g_clear_pointer (&query->review_reason, g_free);

  query->review_reviewer = g_strdup ("ben");
  got = run (f, query);
  g_assert_cmpstr (got, ==, "DC_INS_00001");
  g_clear_pointer (&got, g_free);
  g_clear_pointer (&query->review_reviewer, g_free);

  query->review_edited = TRUE;
  got = run (f, query);
  g_assert_cmpstr (got, ==, "VST_INS_00002");
  g_clear_pointer (&got, g_free);
  query->review_edited = FALSE;

  /* Per language: the Chinese review of SD_INS_00004, not the pair's. */
  query->review_language = MD_LANGUAGE_ZH;
  query->review_status = MD_REVIEW_STATUS_FLAGGED;
  query->review_reason = g_strdup ("bad translation");
  got = run (f, query);
  g_assert_cmpstr (got, ==, "SD_INS_00004");
  g_clear_pointer (&got, g_free);
  g_clear_pointer (&query->review_reason, g_free);
  query->review_status = -1;
  query->review_language = -1;

  /* Unreviewed: every pair but the four reviewed at pair level. */
  total = md_store_count_pairs (f->store, query, &error);
  g_assert_cmpuint (total, ==, 65);
  query->review_unreviewed = TRUE;
  g_assert_cmpuint (md_store_count_pairs (f->store, query, &error), ==, 61);
  query->dataset = g_strdup ("DC");
  got = run (f, query);
  g_assert_null (strstr (got, "DC_INS_00001,"));
  g_assert_null (strstr (got, "DC_INS_00002"));
  g_assert_true (g_str_has_prefix (got, "DC_INS_00003,"));
  g_clear_pointer (&got, g_free);
  g_clear_pointer (&query->dataset, g_free);
  query->review_unreviewed = FALSE;

  /* Changes show in the next query: the file is read live. */
  set (f, "DC", "DC_INS_00002", NULL, MD_REVIEW_STATUS_APPROVED, NULL);
  query->review_status = MD_REVIEW_STATUS_FLAGGED;
  got = run (f, query);
  g_assert_cmpstr (got, ==, "LA_INS_00003");
  g_clear_pointer (&got, g_free);

  md_store_detach_review (f->store);
  g_clear_object (&model);
  model = md_store_query (f->store, query, &error);
  g_assert_error (error, MD_ERROR, MD_ERROR_QUERY);
}

static void
test_sample_filter (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdQuery) query = md_query_new ();
  g_autoptr(MdSample) sample = NULL;
  g_autoptr(GArray) units = g_array_new (FALSE, FALSE, sizeof (MdSampleUnit));
  g_autofree char *review_path = md_review_store_default_path (md_store_get_path (f->store));
  g_autofree char *got = NULL;
  MdSampleUnit unit = { "DC", NULL, "" };
  static const char *ids[] = { "DC_INS_00001", "DC_INS_00004", "DC_INS_00007", "DC_INS_00010" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      unit.pair_id = ids[i];
      g_array_append_val (units, unit);
    }
  sample = md_sample_draw ((MdSampleUnit *) (gpointer) units->data, units->len, 7, 2,
                           MD_SAMPLE_BY_DATASET, MD_SAMPLE_PROPORTIONAL);
  g_assert_cmpuint (sample->members->len, ==, 2);
  g_assert_true (md_review_store_save_sample (f->review, "audit", sample, &error));
  g_assert_true (md_store_attach_review (f->store, review_path, &error));

  query->review_sample = g_strdup ("audit");
  got = run (f, query);
  for (guint i = 0; i < sample->members->len; i++)
    {
      MdSampleMember *member = sample->members->pdata[i];

      g_assert_nonnull (strstr (got, member->pair_id));
    }
  g_assert_cmpuint (strlen (got), ==, 2 * strlen ("DC_INS_00001") + 1);
}

static void
test_display_language (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdQuery) query = md_query_new ();
  g_autoptr(GListModel) model = NULL;
  g_autoptr(MdPair) row = NULL;
  g_autoptr(MdPair) full = md_store_get_pair (f->store, "TXT_INS_00001", &error);
  g_autofree char *ja = NULL;

  g_assert_no_error (error);
  ja = g_strndup (md_pair_get_text (full, MD_LANGUAGE_JA, MD_FIELD_INSTRUCTION), 6);

  /* A search in every language, read in Japanese. */
  query->text = g_strdup ("basket");
  query->display_language = MD_LANGUAGE_JA;
  model = md_store_query (f->store, query, &error);
  g_assert_no_error (error);
  row = g_list_model_get_item (model, 0);
  g_assert_cmpstr (md_pair_get_id (row), ==, "TXT_INS_00001");
  g_assert_true (g_str_has_prefix (md_pair_get_summary (row), ja));
  g_clear_object (&row);
  g_clear_object (&model);

  /* Browsing all pairs in Japanese. */
  g_clear_pointer (&query->text, g_free);
  query->dataset = g_strdup ("TXT");
  model = md_store_query (f->store, query, &error);
  row = g_list_model_get_item (model, 0);
  g_assert_true (g_str_has_prefix (md_pair_get_summary (row), ja));
}

static gboolean
count_pair (const char *dataset,
            const char *pair_id,
            guint       languages,
            gpointer    user_data)
{
  guint *n = user_data;

  g_assert_true (g_str_has_prefix (pair_id, dataset));
  (*n)++;
  return TRUE;
}

static void
test_lookup (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (md_store_has_pair (f->store, "DC", "DC_INS_00003"));
  g_assert_true (md_store_has_pair (f->store, NULL, "DC_INS_00003"));
  g_assert_false (md_store_has_pair (f->store, "LA", "DC_INS_00003"));
  g_assert_false (md_store_has_pair (f->store, NULL, "DC_INS_99999"));
  g_assert_true (md_store_foreach_pair (f->store, NULL, count_pair, &n, &error));
  g_assert_cmpuint (n, ==, 65);
  n = 0;
  g_assert_true (md_store_foreach_pair (f->store, "SD", count_pair, &n, &error));
  g_assert_cmpuint (n, ==, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/review/query/filters", Fixture, NULL, fixture_set_up, test_filters,
              fixture_tear_down);
  g_test_add ("/review/query/sample", Fixture, NULL, fixture_set_up, test_sample_filter,
              fixture_tear_down);
  g_test_add ("/review/query/display-language", Fixture, NULL, fixture_set_up,
              test_display_language, fixture_tear_down);
  g_test_add ("/review/query/lookup", Fixture, NULL, fixture_set_up, test_lookup,
              fixture_tear_down);
  return g_test_run ();
}
