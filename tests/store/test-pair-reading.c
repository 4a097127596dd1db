/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "md-error.h"
#include "md-pair-reading.h"
#include "md-review-store.h"
#include "md-test-store.h"

/* A pair read in one call with its in-context examples and the current texts of the review
 * file attached to the index. */

static void
write_and_import (MdTestDir *t)
{
  g_autofree char *shard = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  shard = md_test_write (t, "data/PR_instructions.json",
    "{\"meta\": {}, \"data\": {"
    "\"PR_INS_1\": {\"instruction\": \"Which kite?\", \"answer\": \"The red one.\","
    " \"rel_ins_ids\": [\"PR_INS_2\", \"PR_INS_9\"]},"
    "\"PR_INS_2\": {\"instruction\": \"How many kites?\", \"answer\": \"Two.\"}}}", -1);
  report = md_test_import (t, &ok, &error, shard, NULL);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
on_read (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static MdPairReading *
read_async (MdStore     *store,
            const char  *pair_id,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  md_store_read_pair_with_context_async (store, pair_id, NULL, on_read, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return md_store_read_pair_with_context_finish (store, result, error);
}

static void
test_read (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdPairReading) reading = NULL;
  g_autoptr(MdReviewStore) review = NULL;
  g_autofree char *review_path = NULL;
  GPtrArray *examples;

  md_test_dir_init (&t);
  write_and_import (&t);

  /* Without a review file: the shard's texts, the examples in order, NULL for a dangling id. */
  reading = read_async (t.store, "PR_INS_1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (md_pair_get_id (md_pair_reading_get_pair (reading)), ==, "PR_INS_1");
  g_assert_cmpstr (md_pair_reading_get_text (reading, MD_LANGUAGE_EN, MD_FIELD_ANSWER), ==,
                   "The red one.");
  g_assert_null (md_pair_reading_get_text (reading, MD_LANGUAGE_DE, MD_FIELD_ANSWER));
  examples = md_pair_reading_get_examples (reading);
  g_assert_cmpuint (examples->len, ==, 2);
  g_assert_cmpstr (md_pair_get_id (g_ptr_array_index (examples, 0)), ==, "PR_INS_2");
  g_assert_null (g_ptr_array_index (examples, 1));
  g_clear_pointer (&reading, md_pair_reading_unref);

  /* With one: the latest revision of each text, a revision back to the shard's as the shard's. */
  review_path = md_review_store_default_path (t.db_path);
  review = md_review_store_open (review_path, &error);
  g_assert_no_error (error);
  g_assert_true (md_store_attach_review (t.store, review_path, &error));
  g_assert_cmpint (md_review_store_edit_text (review, "PR", "PR_INS_1", MD_LANGUAGE_EN,
                                              MD_FIELD_ANSWER, "The red one.", "The blue one.",
                                              NULL, MD_REVIEW_AUTHOR_PERSON, &error), >, 0);
  g_assert_cmpint (md_review_store_edit_text (review, "PR", "PR_INS_1", MD_LANGUAGE_EN,
                                              MD_FIELD_ANSWER, "The red one.", "The green one.",
                                              NULL, MD_REVIEW_AUTHOR_PERSON, &error), >, 0);
  g_assert_cmpint (md_review_store_edit_text (review, "PR", "PR_INS_1", MD_LANGUAGE_DE,
                                              MD_FIELD_INSTRUCTION, NULL, "Welcher Drachen?",
                                              NULL, MD_REVIEW_AUTHOR_PERSON, &error), >, 0);
  g_assert_no_error (error);
  reading = md_store_read_pair_with_context (t.store, "PR_INS_1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (md_pair_reading_get_text (reading, MD_LANGUAGE_EN, MD_FIELD_ANSWER), ==,
                   "The green one.");
  g_assert_cmpstr (md_pair_reading_get_text (reading, MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION), ==,
                   "Which kite?");
  g_assert_cmpstr (md_pair_reading_get_text (reading, MD_LANGUAGE_DE, MD_FIELD_INSTRUCTION), ==,
                   "Welcher Drachen?");
  g_clear_pointer (&reading, md_pair_reading_unref);

  /* An id the index lacks, and a cancelled read. */
  g_assert_null (read_async (t.store, "PR_INS_404", &error));
  g_assert_error (error, MD_ERROR, MD_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    g_assert_null (md_store_read_pair_with_context (t.store, "PR_INS_1", cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
  g_clear_object (&review);
  md_test_dir_clear (&t);
}

static void
test_read_many (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) readings = NULL;
  const char * const ids[] = { "PR_INS_2", "PR_INS_404", "PR_INS_1", NULL };

  md_test_dir_init (&t);
  write_and_import (&t);
  md_store_read_pairs_with_context_async (t.store, ids, NULL, on_read, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  readings = md_store_read_pairs_with_context_finish (t.store, result, &error);
  g_assert_no_error (error);
  /* The one the index lacks is left out. */
  g_assert_cmpuint (readings->len, ==, 2);
  g_assert_cmpstr (md_pair_get_id (md_pair_reading_get_pair (g_ptr_array_index (readings, 0))),
                   ==, "PR_INS_2");
  g_assert_cmpstr (md_pair_get_id (md_pair_reading_get_pair (g_ptr_array_index (readings, 1))),
                   ==, "PR_INS_1");
  md_test_dir_clear (&t);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/pair-reading/read", test_read);
  g_test_add_func ("/store/pair-reading/read-many", test_read_many);

  return g_test_run ();
}
