/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "md-review-merge.h"
#include "md-review-sample.h"

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
                                   "orig", NULL);
  g_assert_cmpstr (text, ==, "ben answer");
  g_clear_pointer (&text, g_free);
  text = md_review_store_get_text (ana, "DC", "DC_INS_00001", MD_LANGUAGE_ZH, MD_FIELD_ANSWER,
                                   NULL, NULL);
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
  g_assert_false (md_review_store_can_undo (ana, NULL));
}

/* A forged time far in the future is refused and said so; it neither wins nor pushes the local
 * clock after it. */
static void
test_future_time (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdReviewStore) ana = open_store ("future.sqlite", "ana");
  g_autofree char *log = g_build_filename (tmp_dir, "future.jsonl", NULL);
  g_autoptr(MdReviewMergeReport) report = NULL;
  g_autoptr(MdReviewState) state = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  gint64 soon = g_get_real_time () + 60 * G_USEC_PER_SEC;
  g_autofree char *contents = g_strdup_printf (
    "{\"uid\":\"eve/1\",\"dataset\":\"DC\",\"id\":\"DC_INS_00001\",\"lang\":\"\","
    "\"field\":\"status\",\"old\":null,\"new\":\"rejected\",\"author\":\"eve\",\"time\":9.1e18}\n"
    "{\"uid\":\"eve/2\",\"dataset\":\"DC\",\"id\":\"DC_INS_00002\",\"lang\":\"\","
    "\"field\":\"status\",\"old\":null,\"new\":\"rejected\",\"author\":\"eve\",\"time\":1e300}\n"
    "{\"uid\":\"eve/3\",\"dataset\":\"DC\",\"id\":\"DC_INS_00003\",\"lang\":\"\","
    "\"field\":\"status\",\"old\":null,\"new\":\"flagged\",\"author\":\"eve\","
    "\"time\":%" G_GINT64_FORMAT "}\n", soon);

  g_assert_cmpint (md_review_store_set_status (ana, "DC", "DC_INS_00001", NULL,
                                               MD_REVIEW_STATUS_APPROVED, NULL, NULL, &error),
                   >, 0);
  g_assert_true (g_file_set_contents (log, contents, -1, &error));
  report = md_review_store_import_log (ana, log, &error);
  g_assert_no_error (error);
  /* One in the future, one not a time at all, one within the allowed skew. */
  g_assert_cmpuint (report->n_future, ==, 1);
  g_assert_cmpuint (report->errors->len, ==, 2);
  g_assert_nonnull (strstr (report->errors->pdata[0],
                            ":1 (byte 0): \"time\" 9100000000000000000 is later than now plus 5 "
                            "minutes of clock skew; entry refused"));
  g_assert_nonnull (strstr (report->errors->pdata[1], ":2 (byte "));
  g_assert_cmpuint (report->n_new, ==, 1);

  state = md_review_store_get_state (ana, "DC", "DC_INS_00001", NULL, &error);
  g_assert_cmpint (state->status, ==, MD_REVIEW_STATUS_APPROVED);
  g_clear_pointer (&state, md_review_state_free);

  /* Later local actions are stamped just after the newest accepted entry, not at 9.1e18. */
  g_assert_cmpint (md_review_store_set_status (ana, "DC", "DC_INS_00003", NULL,
                                               MD_REVIEW_STATUS_APPROVED, NULL, NULL, &error),
                   >, 0);
  entries = md_review_store_get_log (ana, "DC", "DC_INS_00003", &error);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpint (((MdReviewEntry *) entries->pdata[1])->created_at, ==, soon + 1);
  state = md_review_store_get_state (ana, "DC", "DC_INS_00003", NULL, &error);
  g_assert_cmpint (state->status, ==, MD_REVIEW_STATUS_APPROVED);
  g_assert_true (md_review_store_verify (ana, &error));
  g_assert_no_error (error);
}

/* Times are written as integers, and read back exactly by an independent JSON reader. */
static void
test_integer_times (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdReviewStore) ana = open_store ("times.sqlite", "ana");
  g_autofree char *in_log = g_build_filename (tmp_dir, "times-in.jsonl", NULL);
  g_autofree char *out_log = g_build_filename (tmp_dir, "times-out.jsonl", NULL);
  g_autoptr(MdReviewMergeReport) report = NULL;
  g_autofree char *written = NULL;
  g_autofree char *py_out = NULL;
  const char *python[] = { "/usr/bin/python3", "-c",
    "import json, sys\n"
    "for line in open(sys.argv[1]):\n"
    "    t = json.loads(line)['time']\n"
    "    assert isinstance(t, int), repr(t)\n"
    "    print(t)\n", out_log, NULL };
  int status = -1;

  /* 1.7e15 is what an older export wrote for this time; it is read as the integer. */
  g_assert_true (g_file_set_contents (in_log,
    "{\"uid\":\"ben/1\",\"dataset\":\"DC\",\"id\":\"DC_INS_00001\",\"lang\":\"\","
    "\"field\":\"status\",\"old\":null,\"new\":\"flagged\",\"author\":\"ben\",\"time\":1.7e15}\n"
    "{\"uid\":\"ben/2\",\"dataset\":\"DC\",\"id\":\"DC_INS_00001\",\"lang\":\"\","
    "\"field\":\"note\",\"old\":null,\"new\":\"x\",\"author\":\"ben\","
    "\"time\":1700000000000001}\n"
    "{\"uid\":\"ben/3\",\"dataset\":\"DC\",\"id\":\"DC_INS_00002\",\"lang\":\"\","
    "\"field\":\"note\",\"old\":null,\"new\":\"x\",\"author\":\"ben\",\"time\":1.5}\n", -1, &error));
  report = md_review_store_import_log (ana, in_log, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_new, ==, 2);
  g_assert_cmpuint (report->errors->len, ==, 1);
  g_assert_nonnull (strstr (report->errors->pdata[0], "expected \"time\" as an integer"));
  g_assert_true (md_review_store_export_log (ana, out_log, &error));
  g_assert_true (g_file_get_contents (out_log, &written, NULL, &error));
  g_assert_nonnull (strstr (written, "\"time\":1700000000000000}"));
  g_assert_nonnull (strstr (written, "\"time\":1700000000000001}"));
  g_assert_null (strstr (written, "e+"));

  g_assert_true (g_spawn_sync (NULL, (char **) python, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &py_out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (py_out, ==, "1700000000000000\n1700000000000001\n");
}

/* The log is never written over a database, whatever route the path takes. */
static void
test_export_onto_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdReviewStore) ana = open_store ("onto.sqlite", "ana");
  g_autoptr(MdReviewStore) other = open_store ("other.sqlite", "ben");
  g_autofree char *path = g_build_filename (tmp_dir, "onto.sqlite", NULL);
  g_autofree char *wal = g_build_filename (tmp_dir, "onto.sqlite-wal", NULL);
  g_autofree char *link = g_build_filename (tmp_dir, "onto-link.jsonl", NULL);
  g_autofree char *dotted = g_build_filename (tmp_dir, ".", "onto.sqlite", NULL);
  g_autofree char *other_path = g_build_filename (tmp_dir, "other.sqlite", NULL);
  g_autoptr(GPtrArray) samples = NULL;
  g_autoptr(GPtrArray) progress = NULL;
  const char *targets[] = { path, dotted, link, wal };

  g_assert_cmpint (md_review_store_set_status (ana, "DC", "DC_INS_00001", NULL,
                                               MD_REVIEW_STATUS_FLAGGED, NULL, NULL, &error),
                   >, 0);
  g_assert_cmpint (symlink (path, link), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_assert_false (md_review_store_export_log (ana, targets[i], &error));
      g_assert_error (error, MD_ERROR, MD_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "refusing to write the log over it"));
      g_clear_error (&error);
    }
  g_assert_false (md_review_store_export_log (ana, other_path, &error));
  g_assert_nonnull (strstr (error->message, "is an SQLite database"));
  g_clear_error (&error);

  /* Both files are still review files. */
  g_assert_true (md_review_store_verify (ana, &error));
  g_assert_no_error (error);
  samples = md_review_store_list_samples (other, &error);
  g_assert_no_error (error);
  g_assert_nonnull (samples);
  progress = md_review_store_get_progress (ana, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (progress->len, ==, 1);
  g_unlink (link);
}

/* /dev/zero has no line end: the import stops at the line cap with an error naming the line,
 * instead of reading for ever. Garbage lines are counted, only the first ones kept. */
static void
test_import_bounded (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdReviewStore) ana = open_store ("bounded.sqlite", "ana");
  g_autofree char *garbage = g_build_filename (tmp_dir, "garbage.jsonl", NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(MdReviewMergeReport) report = NULL;

  report = md_review_store_import_log (ana, "/dev/zero", &error);
  g_assert_null (report);
  g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "/dev/zero:1 (byte 0): line longer than 32 MiB; expected "
                                       "one review entry per line (nothing was imported)");
  g_clear_error (&error);

  for (guint i = 0; i < 3000; i++)
    g_string_append (text, "\x01\x02 garbage\n");
  g_assert_true (g_file_set_contents (garbage, text->str, text->len, &error));
  report = md_review_store_import_log (ana, garbage, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_lines, ==, 3000);
  g_assert_cmpuint (report->errors->len, ==, MD_REVIEW_LOG_MAX_ERRORS);
  g_assert_cmpuint (report->n_errors_dropped, ==, 3000 - MD_REVIEW_LOG_MAX_ERRORS);
  g_assert_cmpuint (report->n_new, ==, 0);
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
  g_test_add_func ("/review/merge/future-time", test_future_time);
  g_test_add_func ("/review/merge/integer-times", test_integer_times);
  g_test_add_func ("/review/merge/export-onto-database", test_export_onto_database);
  g_test_add_func ("/review/merge/import-bounded", test_import_bounded);

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
