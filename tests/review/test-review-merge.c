/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "md-review-merge.h"

static char *tmp_dir;

static MdReviewStore *
open_store (const char *name,
            const char *reviewer)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  MdReviewStore *store = md_review_store_open (path, &error);

  g_assert_no_error (error);
  md_review_store_set_reviewer (store, reviewer);
  return store;
}

static void
test_merge (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdReviewStore) ana = open_store ("ana.sqlite", "ana");
  g_autoptr(MdReviewStore) ben = open_store ("ben.sqlite", "ben");
  g_autofree char *base_log = g_build_filename (tmp_dir, "base.jsonl", NULL);
  g_autofree char *ben_log = g_build_filename (tmp_dir, "ben.jsonl", NULL);
  g_autofree char *bad_log = g_build_filename (tmp_dir, "bad.jsonl", NULL);
  g_autoptr(MdReviewMergeReport) report = NULL;
  g_autoptr(MdReviewState) state = NULL;
  g_autofree char *text = NULL;
  const MdReviewConflict *conflict;

  /* Common history: ana's first edit, shared with ben. */
  md_review_store_edit_text (ana, "DC", "DC_INS_00001", MD_LANGUAGE_EN, MD_FIELD_ANSWER,
                             "orig", "base answer", NULL, MD_REVIEW_AUTHOR_PERSON, &error);
  g_assert_no_error (error);
  g_assert_true (md_review_store_export_log (ana, base_log, &error));
  report = md_review_store_import_log (ben, base_log, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_new, ==, 1);
  g_assert_cmpuint (report->conflicts->len, ==, 0);
  g_clear_pointer (&report, md_review_merge_report_free);

  /* Then each works alone. ana edits the answer first, ben later: ben's text wins. Both set the
   * pair's status, ana later: ana's status wins. Only ben touches the note, only ana the
   * Chinese answer: no conflict there. */
  md_review_store_edit_text (ana, "DC", "DC_INS_00001", MD_LANGUAGE_EN, MD_FIELD_ANSWER,
                             "orig", "ana answer", NULL, MD_REVIEW_AUTHOR_PERSON, &error);
  md_review_store_edit_text (ana, "DC", "DC_INS_00001", MD_LANGUAGE_ZH, MD_FIELD_ANSWER,
                             NULL, "中文答案", NULL, MD_REVIEW_AUTHOR_PERSON, &error);
  md_review_store_edit_text (ben, "DC", "DC_INS_00001", MD_LANGUAGE_EN, MD_FIELD_ANSWER,
                             "orig", "ben answer", NULL, MD_REVIEW_AUTHOR_PERSON, &error);
  md_review_store_set_status (ben, "DC", "DC_INS_00002", NULL, MD_REVIEW_STATUS_REJECTED, NULL,
                              "off topic", &error);
  md_review_store_set_status (ana, "DC", "DC_INS_00002", NULL, MD_REVIEW_STATUS_APPROVED, NULL,
                              NULL, &error);
  g_assert_no_error (error);

  g_assert_true (md_review_store_export_log (ben, ben_log, &error));
  report = md_review_store_import_log (ana, ben_log, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_lines, ==, 4);   /* base, ben's edit, status and note */
  g_assert_cmpuint (report->n_duplicates, ==, 1);
  g_assert_cmpuint (report->n_new, ==, 3);
  g_assert_cmpuint (report->n_superseded, ==, 1);   /* ben's status is older than ana's */
  g_assert_cmpuint (report->errors->len, ==, 0);
  g_assert_cmpuint (report->conflicts->len, ==, 2);
  conflict = report->conflicts->pdata[0];
  g_assert_cmpstr (conflict->pair_id, ==, "DC_INS_00001");
  g_assert_cmpstr (conflict->field, ==, "answer");
  g_assert_cmpstr (conflict->local_value, ==, "ana answer");
  g_assert_cmpstr (conflict->remote_value, ==, "ben answer");
  g_assert_cmpstr (conflict->remote_author, ==, "ben");
  g_assert_true (conflict->remote_wins);
  conflict = report->conflicts->pdata[1];
  g_assert_cmpstr (conflict->pair_id, ==, "DC_INS_00002");
  g_assert_cmpstr (conflict->field, ==, "status");
  g_assert_cmpstr (conflict->local_value, ==, "approved");
  g_assert_cmpstr (conflict->remote_value, ==, "rejected");
  g_assert_false (conflict->remote_wins);
  g_clear_pointer (&report, md_review_merge_report_free);

  text = md_review_store_get_text (ana, "DC", "DC_INS_00001", MD_LANGUAGE_EN, MD_FIELD_ANSWER,
                                   "orig");
  g_assert_cmpstr (text, ==, "ben answer");
  g_clear_pointer (&text, g_free);
  text = md_review_store_get_text (ana, "DC", "DC_INS_00001", MD_LANGUAGE_ZH, MD_FIELD_ANSWER,
                                   NULL);
  g_assert_cmpstr (text, ==, "中文答案");
  state = md_review_store_get_state (ana, "DC", "DC_INS_00002", NULL, &error);
  g_assert_cmpint (state->status, ==, MD_REVIEW_STATUS_APPROVED);
  g_assert_cmpstr (state->note, ==, "off topic");
  g_assert_true (md_review_store_verify (ana, &error));
  g_assert_no_error (error);

  /* Importing the same log again is a no-op. */
  {
    g_autoptr(GPtrArray) before = md_review_store_get_log (ana, NULL, NULL, &error);
    g_autoptr(GPtrArray) after = NULL;

    report = md_review_store_import_log (ana, ben_log, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (report->n_new, ==, 0);
    g_assert_cmpuint (report->n_duplicates, ==, 4);
    g_assert_cmpuint (report->conflicts->len, ==, 0);
    g_assert_cmpint (report->action, ==, 0);
    g_clear_pointer (&report, md_review_merge_report_free);
    after = md_review_store_get_log (ana, NULL, NULL, &error);
    g_assert_cmpuint (after->len, ==, before->len);
  }

  /* Bad lines are reported with line and byte offset; good ones still import. */
  g_assert_true (g_file_set_contents (bad_log,
    "{\"uid\":\"x/1\",\"dataset\":\"DC\",\"id\":\"DC_INS_00007\",\"lang\":\"\",\"field\":\"status\","
    "\"old\":null,\"new\":\"flagged\",\"author\":\"x\",\"time\":5}\n"
    "not json\n"
    "{\"uid\":\"x/2\",\"dataset\":\"DC\",\"id\":\"DC_INS_00007\",\"lang\":\"xx\",\"field\":\"status\","
    "\"old\":null,\"new\":\"flagged\",\"author\":\"x\",\"time\":5}\n", -1, &error));
  report = md_review_store_import_log (ana, bad_log, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_new, ==, 1);
  g_assert_cmpuint (report->errors->len, ==, 2);
  g_assert_true (g_str_has_suffix (report->errors->pdata[0], ":2 (byte 125): expected a JSON object"));
  g_assert_nonnull (strstr (report->errors->pdata[1], ":3 (byte 134): expected \"lang\""));
  g_assert_true (md_review_store_verify (ana, &error));

  /* An import is a checkpoint for undo. */
  g_assert_false (md_review_store_can_undo (ana));
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("md-review-merge-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/review/merge/conflict", test_merge);

  status = g_test_run ();
  {
    g_autoptr(GDir) handle = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *file = g_build_filename (tmp_dir, name, NULL);
        g_remove (file);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);
  return status;
}
