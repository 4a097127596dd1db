/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "md-error.h"
#include "md-query-prefixes.h"
#include "md-review-store.h"
#include "md-test-store.h"

/* The review prefixes of a search text, parsed in the store so that the window and
 * `mimicdesk-cli search` read them alike. */

typedef struct
{
  MdTestDir      t;
  MdReviewStore *review;
  char          *review_path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shard = NULL;
  gboolean ok;
  g_autoptr(MdImportReport) report = NULL;

  md_test_dir_init (&f->t);
  shard = md_test_write (&f->t, "data/QP_instructions.json",
    "{\"meta\": {}, \"data\": {"
    "\"QP_INS_1\": {\"instruction\": \"Where is the red kite?\", \"answer\": \"Up.\"},"
    "\"QP_INS_2\": {\"instruction\": \"Where is the blue kite?\", \"answer\": \"Down.\"},"
    "\"QP_INS_3\": {\"instruction\": \"Count the birds: how many?\", \"answer\": \"Two.\"}}}",
    -1);
  report = md_test_import (&f->t, &ok, &error, shard, NULL);
  g_assert_no_error (error);
  g_assert_true (ok);
  f->review_path = md_review_store_default_path (f->t.db_path);
  f->review = md_review_store_open (f->review_path, &error);
  g_assert_no_error (error);
  md_review_store_set_reviewer (f->review, "ana");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->review);
  g_free (f->review_path);
  md_test_dir_clear (&f->t);
}

static MdQuery *
query_of (const char *text)
{
  MdQuery *query = md_query_new ();

  query->text = g_strdup (text);
  return query;
}

static void
test_detect (void)
{
  g_assert_false (md_query_has_review_prefixes (NULL));
  g_assert_false (md_query_has_review_prefixes ("red kite"));
  g_assert_false (md_query_has_review_prefixes ("birds: how many"));
  g_assert_false (md_query_has_review_prefixes ("http://x"));
  g_assert_true (md_query_has_review_prefixes ("kite status:flagged"));
  g_assert_true (md_query_has_review_prefixes ("IS:edited"));
  g_assert_true (md_query_has_review_prefixes ("a\treviewer:bo"));
}

static void
test_take (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdQuery) query = query_of ("red  Status:Flagged kite reason:Hallucination "
                                       "reviewer:Bo is:EDITED birds: is:unreviewed");

  g_assert_true (md_query_take_review_prefixes (query, f->review, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (query->text, ==, "red kite birds:");
  g_assert_cmpint (query->review_status, ==, MD_REVIEW_STATUS_FLAGGED);
  g_assert_cmpstr (query->review_reason, ==, "hallucination");
  g_assert_cmpstr (query->review_reviewer, ==, "Bo");
  g_assert_true (query->review_edited);
  g_assert_true (query->review_unreviewed);

  /* Without a prefix the text and the filters stay as they are. */
  g_clear_pointer (&query, md_query_free);
  query = query_of ("red kite");
  query->review_status = MD_REVIEW_STATUS_APPROVED;
  g_assert_true (md_query_take_review_prefixes (query, NULL, &error));
  g_assert_cmpstr (query->text, ==, "red kite");
  g_assert_cmpint (query->review_status, ==, MD_REVIEW_STATUS_APPROVED);

  /* A prefix overrides the filter set before. */
  g_free (query->text);
  query->text = g_strdup ("status:rejected");
  g_assert_true (md_query_take_review_prefixes (query, f->review, &error));
  g_assert_cmpstr (query->text, ==, "");
  g_assert_cmpint (query->review_status, ==, MD_REVIEW_STATUS_REJECTED);
}

static void
assert_refused (MdReviewStore *review,
                const char    *text,
                const char    *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdQuery) query = query_of (text);

  query->review_reviewer = g_strdup ("before");
  g_assert_false (md_query_take_review_prefixes (query, review, &error));
  g_assert_error (error, MD_ERROR, MD_ERROR_QUERY);
  if (strstr (error->message, expected) == NULL)
    g_error ("“%s”: expected “%s” in “%s”", text, expected, error->message);
  /* Nothing taken. */
  g_assert_cmpstr (query->text, ==, text);
  g_assert_cmpstr (query->review_reviewer, ==, "before");
  g_assert_cmpint (query->review_status, ==, -1);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  assert_refused (f->review, "kite reviewer:bo status:great",
                  "“status:great”: unknown status, expected unreviewed");
  assert_refused (f->review, "reason:nosuch", "“reason:nosuch”: unknown reason, expected one of");
  assert_refused (f->review, "reason:nosuch", "hallucination");
  assert_refused (f->review, "reviewer:", "expected a reviewer name");
  assert_refused (f->review, "is:great", "expected is:edited or is:unreviewed");
  assert_refused (NULL, "kite status:flagged", "“status:flagged”: no review file is open");
}

static int
run_search (Fixture     *f,
            char       **out_stdout,
            char       **out_stderr,
            const char  *text)
{
  const char *argv[] = { g_getenv ("MD_CLI"), "search", "--db", f->t.db_path, "--", text, NULL };
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out_stdout, out_stderr,
                &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  static const char * const reasons[] = { "hallucination", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (md_review_store_set_status (f->review, "QP", "QP_INS_2", NULL,
                                               MD_REVIEW_STATUS_FLAGGED, reasons, NULL,
                                               &error), >, 0);
  g_assert_no_error (error);

  g_assert_cmpint (run_search (f, &out, &err, "kite status:flagged"), ==, 0);
  g_assert_cmpstr (out, ==, "QP_INS_2\tQP\tWhere is the blue kite?\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_search (f, &out, &err, "reason:hallucination reviewer:ana"), ==, 0);
  g_assert_cmpstr (out, ==, "QP_INS_2\tQP\tWhere is the blue kite?\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_search (f, &out, &err, "kite is:unreviewed"), ==, 0);
  g_assert_cmpstr (out, ==, "QP_INS_1\tQP\tWhere is the red kite?\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_search (f, &out, &err, "status:great"), ==, 1);
  g_assert_nonnull (strstr (err, "“status:great”: unknown status"));
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A colon that is no review prefix is searched as it is written. */
  g_assert_cmpint (run_search (f, &out, &err, "birds:"), ==, 0);
  g_assert_cmpstr (out, ==, "QP_INS_3\tQP\tCount the birds: how many?\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Without a review file, a prefix says so and names the file looked for. */
  g_clear_object (&f->review);
  g_assert_cmpint (g_unlink (f->review_path), ==, 0);
  g_assert_cmpint (run_search (f, &out, &err, "status:flagged"), ==, 1);
  g_assert_nonnull (strstr (err, f->review_path));
  g_assert_false (g_file_test (f->review_path, G_FILE_TEST_EXISTS));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/query-prefixes/detect", test_detect);
  g_test_add ("/store/query-prefixes/take", Fixture, NULL, fixture_set_up, test_take,
              fixture_tear_down);
  g_test_add ("/store/query-prefixes/refused", Fixture, NULL, fixture_set_up, test_refused,
              fixture_tear_down);
  g_test_add ("/store/query-prefixes/cli", Fixture, NULL, fixture_set_up, test_cli,
              fixture_tear_down);

  return g_test_run ();
}
