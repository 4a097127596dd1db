/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "md-review-store.h"

typedef struct
{
  char          *dir;
  char          *path;
  MdReviewStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("md-review-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "index.sqlite.review.sqlite", NULL);
  fixture->store = md_review_store_open (fixture->path, &error);
  g_assert_no_error (error);
  md_review_store_set_reviewer (fixture->store, "ana");
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (fixture->store != NULL)
    {
      g_assert_true (md_review_store_verify (fixture->store, &error));
      g_assert_no_error (error);
    }
  g_clear_object (&fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static void
reopen (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->store);
  fixture->store = md_review_store_open (fixture->path, &error);
  g_assert_no_error (error);
  md_review_store_set_reviewer (fixture->store, "ana");
}

static void
assert_state (MdReviewStore  *store,
              const char     *pair_id,
              const char     *lang,
              MdReviewStatus  status,
              const char     *reasons,
              const char     *note)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdReviewState) state = md_review_store_get_state (store, "DC", pair_id, lang, &error);
  g_autofree char *joined = NULL;

  g_assert_no_error (error);
  joined = g_strjoinv (",", state->reasons);
  g_assert_cmpstr (md_review_status_name (state->status), ==, md_review_status_name (status));
  g_assert_cmpstr (joined, ==, reasons);
  g_assert_cmpstr (state->note, ==, note);
}

static gboolean
pair_at_dc (guint64      index,
            const char **out_dataset,
            const char **out_pair_id,
            gpointer     user_data)
{
  const char * const *ids = user_data;

  if (index >= g_strv_length ((GStrv) ids))
    return FALSE;
  *out_dataset = "DC";
  *out_pair_id = ids[index];
  return TRUE;
}

/* An index where DC_INS_00004 and every TVC pair disappeared. */
static gboolean
exists_in_index (const char *dataset,
                 const char *pair_id,
                 gpointer    user_data)
{
  return g_str_equal (dataset, "DC") && !g_str_equal (pair_id, "DC_INS_00004");
}

static guint
count_found (MdReviewStore        *store,
             const MdReviewFilter *filter,
             const char           *first_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) refs = md_review_store_find (store, filter, &error);

  g_assert_no_error (error);
  if (first_id != NULL)
    {
      g_assert_cmpuint (refs->len, >, 0);
      g_assert_cmpstr (((MdReviewRef *) refs->pdata[0])->pair_id, ==, first_id);
    }
  return refs->len;
}

static void
test_status (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *reasons[] = { "hallucination", "wrong image grounding", NULL };
  const char *bad_reason[] = { "no such tag", NULL };
  const char *empty[] = { NULL };
  gint64 action;

  action = md_review_store_set_status (fixture->store, "DC", "DC_INS_00001", NULL,
                                       MD_REVIEW_STATUS_FLAGGED, reasons, "hand is not visible",
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpint (action, >, 0);
  assert_state (fixture->store, "DC_INS_00001", "", MD_REVIEW_STATUS_FLAGGED,
                "hallucination,wrong image grounding", "hand is not visible");

  /* The same values again change nothing: no action. */
  g_assert_cmpint (md_review_store_set_status (fixture->store, "DC", "DC_INS_00001", "",
                                               MD_REVIEW_STATUS_FLAGGED, reasons, NULL, &error),
                   ==, 0);
  g_assert_no_error (error);

  /* Per language, independent of the pair's status. */
  g_assert_cmpint (md_review_store_set_status (fixture->store, "DC", "DC_INS_00001", "zh",
                                               MD_REVIEW_STATUS_REJECTED, NULL, NULL, &error), >, 0);
  assert_state (fixture->store, "DC_INS_00001", "zh", MD_REVIEW_STATUS_REJECTED, "", NULL);
  assert_state (fixture->store, "DC_INS_00001", "", MD_REVIEW_STATUS_FLAGGED,
                "hallucination,wrong image grounding", "hand is not visible");

  /* Clearing reasons and note. */
  g_assert_cmpint (md_review_store_set_status (fixture->store, "DC", "DC_INS_00001", NULL,
                                               MD_REVIEW_STATUS_APPROVED, empty, "", &error), >, 0);
  assert_state (fixture->store, "DC_INS_00001", "", MD_REVIEW_STATUS_APPROVED, "", NULL);

  /* Unknown tags, languages and ids are errors that change nothing. */
  g_assert_cmpint (md_review_store_set_status (fixture->store, "DC", "DC_INS_00001", NULL,
                                               MD_REVIEW_STATUS_FLAGGED, bad_reason, NULL, &error),
                   ==, -1);
  g_assert_error (error, MD_ERROR, MD_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no such tag"));
  g_clear_error (&error);
  g_assert_cmpint (md_review_store_set_status (fixture->store, "DC", "DC_INS_00001", "xx",
                                               MD_REVIEW_STATUS_FLAGGED, NULL, NULL, &error), ==, -1);
  g_assert_error (error, MD_ERROR, MD_ERROR_FAILED);
  g_clear_error (&error);
  assert_state (fixture->store, "DC_INS_00001", "", MD_REVIEW_STATUS_APPROVED, "", NULL);

  /* User tags. */
  g_assert_true (md_review_store_add_tag (fixture->store, "blurry frame", &error));
  g_assert_no_error (error);
  {
    const char *mine[] = { "blurry frame", NULL };
    g_autoptr(GPtrArray) tags = md_review_store_list_tags (fixture->store, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (tags->len, ==, 8);
    g_assert_cmpstr (tags->pdata[0], ==, "hallucination");
    g_assert_cmpstr (tags->pdata[7], ==, "blurry frame");
    g_assert_cmpint (md_review_store_set_status (fixture->store, "DC", "DC_INS_00002", NULL,
                                                 MD_REVIEW_STATUS_FLAGGED, mine, NULL, &error), >, 0);
    assert_state (fixture->store, "DC_INS_00002", "", MD_REVIEW_STATUS_FLAGGED, "blurry frame", NULL);
  }
  g_assert_false (md_review_store_add_tag (fixture->store, "two\nlines", &error));
  g_assert_error (error, MD_ERROR, MD_ERROR_FAILED);
}

static void
test_edit (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autofree char *text = NULL;
  const MdReviewEntry *entry;

  g_assert_cmpint (md_review_store_edit_text (fixture->store, "DC", "DC_INS_00001", MD_LANGUAGE_EN,
                                              MD_FIELD_ANSWER, "A man rides a horse.",
                                              "A man rides a brown horse.", NULL,
                                              MD_REVIEW_AUTHOR_PERSON, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (md_review_store_edit_text (fixture->store, "DC", "DC_INS_00001", MD_LANGUAGE_EN,
                                              MD_FIELD_ANSWER, "A man rides a horse.",
                                              "A woman rides a brown horse.", "qwen2-7b",
                                              MD_REVIEW_AUTHOR_MODEL, &error), >, 0);
  /* Same text: nothing to record. */
  g_assert_cmpint (md_review_store_edit_text (fixture->store, "DC", "DC_INS_00001", MD_LANGUAGE_EN,
                                              MD_FIELD_ANSWER, "A man rides a horse.",
                                              "A woman rides a brown horse.", NULL,
                                              MD_REVIEW_AUTHOR_PERSON, &error), ==, 0);

  text = md_review_store_get_text (fixture->store, "DC", "DC_INS_00001", MD_LANGUAGE_EN,
                                   MD_FIELD_ANSWER, "A man rides a horse.", NULL);
  g_assert_cmpstr (text, ==, "A woman rides a brown horse.");
  g_clear_pointer (&text, g_free);
  text = md_review_store_get_text (fixture->store, "DC", "DC_INS_00001", MD_LANGUAGE_ZH,
                                   MD_FIELD_ANSWER, "原文", NULL);
  g_assert_cmpstr (text, ==, "原文");

  log = md_review_store_get_log (fixture->store, "DC", "DC_INS_00001", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 2);
  entry = log->pdata[0];
  g_assert_cmpstr (entry->field, ==, "answer");
  g_assert_cmpstr (entry->lang, ==, "en");
  g_assert_cmpstr (entry->old_value, ==, "A man rides a horse.");
  g_assert_cmpstr (entry->new_value, ==, "A man rides a brown horse.");
  g_assert_cmpstr (entry->author, ==, "ana");
  g_assert_cmpint (entry->author_kind, ==, MD_REVIEW_AUTHOR_PERSON);
  entry = log->pdata[1];
  g_assert_cmpstr (entry->old_value, ==, "A man rides a brown horse.");
  g_assert_cmpstr (entry->author, ==, "qwen2-7b");
  g_assert_cmpint (entry->author_kind, ==, MD_REVIEW_AUTHOR_MODEL);
  g_assert_cmpint (entry->created_at, >, ((MdReviewEntry *) log->pdata[0])->created_at);
  g_assert_true (g_str_has_prefix (entry->uid, "qwen2-7b/"));
}

static void
test_undo_redo (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *reasons[] = { "bad translation", NULL };
  g_autofree char *text = NULL;
  gint64 a1, a2, a3, target = 0;

  g_assert_false (md_review_store_can_undo (fixture->store, NULL));
  g_assert_cmpint (md_review_store_undo (fixture->store, NULL, NULL, &error), ==, 0);

  a1 = md_review_store_set_status (fixture->store, "DC", "DC_INS_00001", "zh",
                                   MD_REVIEW_STATUS_FLAGGED, reasons, "word order", &error);
  a2 = md_review_store_edit_text (fixture->store, "DC", "DC_INS_00001", MD_LANGUAGE_ZH,
                                  MD_FIELD_ANSWER, NULL, "一个男人骑马。", NULL,
                                  MD_REVIEW_AUTHOR_PERSON, &error);
  a3 = md_review_store_set_status (fixture->store, "DC", "DC_INS_00001", "zh",
                                   MD_REVIEW_STATUS_FIXED, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a1, <, a2);
  g_assert_cmpint (a2, <, a3);

  /* Undo the status change, then the edit (back to the shard's text). */
  g_assert_cmpint (md_review_store_undo (fixture->store, NULL, &target, &error), >, a3);
  g_assert_cmpint (target, ==, a3);
  assert_state (fixture->store, "DC_INS_00001", "zh", MD_REVIEW_STATUS_FLAGGED, "bad translation",
                "word order");
  g_assert_cmpint (md_review_store_undo (fixture->store, NULL, &target, &error), >, 0);
  g_assert_cmpint (target, ==, a2);
  text = md_review_store_get_text (fixture->store, "DC", "DC_INS_00001", MD_LANGUAGE_ZH,
                                   MD_FIELD_ANSWER, "原文", NULL);
  g_assert_cmpstr (text, ==, "原文");
  g_clear_pointer (&text, g_free);

  /* The stacks survive a restart. */
  reopen (fixture);
  g_assert_true (md_review_store_can_redo (fixture->store, NULL));
  g_assert_cmpint (md_review_store_redo (fixture->store, NULL, &target, &error), >, 0);
  g_assert_cmpint (target, ==, a2);
  text = md_review_store_get_text (fixture->store, "DC", "DC_INS_00001", MD_LANGUAGE_ZH,
                                   MD_FIELD_ANSWER, "原文", NULL);
  g_assert_cmpstr (text, ==, "一个男人骑马。");
  g_clear_pointer (&text, g_free);

  /* Undo everything: three undos in a row reach the beginning. */
  g_assert_cmpint (md_review_store_undo (fixture->store, NULL, &target, &error), >, 0);
  g_assert_cmpint (target, ==, a2);
  g_assert_cmpint (md_review_store_undo (fixture->store, NULL, &target, &error), >, 0);
  g_assert_cmpint (target, ==, a1);
  assert_state (fixture->store, "DC_INS_00001", "zh", MD_REVIEW_STATUS_UNREVIEWED, "", NULL);
  g_assert_false (md_review_store_can_undo (fixture->store, NULL));

  reopen (fixture);
  /* A new action empties the redo stack. */
  g_assert_true (md_review_store_can_redo (fixture->store, NULL));
  g_assert_cmpint (md_review_store_set_status (fixture->store, "DC", "DC_INS_00009", NULL,
                                               MD_REVIEW_STATUS_APPROVED, NULL, NULL, &error), >, 0);
  g_assert_false (md_review_store_can_redo (fixture->store, NULL));
  g_assert_cmpint (md_review_store_redo (fixture->store, NULL, NULL, &error), ==, 0);
  g_assert_no_error (error);

  /* Nothing was ever deleted: 3 + 1 + 1 entries done, 1 + 1 undone, 1 redone, 1 + 3 undone,
   * 1 new. */
  {
    g_autoptr(GPtrArray) log = md_review_store_get_log (fixture->store, NULL, NULL, &error);
    g_assert_cmpuint (log->len, ==, 5 + 2 + 1 + 4 + 1);
  }
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  MdReviewFilter filter = MD_REVIEW_FILTER_INIT;
  const char *hallucination[] = { "hallucination", NULL };
  const char *ids[] = { "DC_INS_00001", "DC_INS_00002", "DC_INS_00003", "DC_INS_00004", NULL };

  md_review_store_set_status (fixture->store, "DC", "DC_INS_00001", NULL, MD_REVIEW_STATUS_APPROVED,
                              NULL, NULL, &error);
  md_review_store_set_status (fixture->store, "DC", "DC_INS_00002", NULL, MD_REVIEW_STATUS_FLAGGED,
                              hallucination, NULL, &error);
  md_review_store_set_reviewer (fixture->store, "ben");
  md_review_store_set_status (fixture->store, "DC", "DC_INS_00003", "ja",
                              MD_REVIEW_STATUS_REJECTED, NULL, NULL, &error);
  md_review_store_set_status (fixture->store, "TVC", "TVC_INS_00001", NULL,
                              MD_REVIEW_STATUS_FLAGGED, NULL, NULL, &error);
  md_review_store_edit_text (fixture->store, "DC", "DC_INS_00004", MD_LANGUAGE_DE,
                             MD_FIELD_INSTRUCTION, NULL, "Was passiert?", NULL,
                             MD_REVIEW_AUTHOR_PERSON, &error);
  g_assert_no_error (error);

  filter.status = MD_REVIEW_STATUS_FLAGGED;
  g_assert_cmpuint (count_found (fixture->store, &filter, "DC_INS_00002"), ==, 2);
  filter.dataset = "DC";
  g_assert_cmpuint (count_found (fixture->store, &filter, "DC_INS_00002"), ==, 1);
  filter.status = MD_REVIEW_STATUS_REJECTED;
  g_assert_cmpuint (count_found (fixture->store, &filter, NULL), ==, 0);
  filter.lang = "ja";
  g_assert_cmpuint (count_found (fixture->store, &filter, "DC_INS_00003"), ==, 1);
  filter.lang = "*";
  g_assert_cmpuint (count_found (fixture->store, &filter, "DC_INS_00003"), ==, 1);
  filter = (MdReviewFilter) MD_REVIEW_FILTER_INIT;
  filter.reason = "hallucination";
  g_assert_cmpuint (count_found (fixture->store, &filter, "DC_INS_00002"), ==, 1);
  filter = (MdReviewFilter) MD_REVIEW_FILTER_INIT;
  filter.reviewer = "ben";
  filter.lang = "*";
  g_assert_cmpuint (count_found (fixture->store, &filter, "DC_INS_00003"), ==, 2);
  filter = (MdReviewFilter) MD_REVIEW_FILTER_INIT;
  filter.edited = TRUE;
  g_assert_cmpuint (count_found (fixture->store, &filter, "DC_INS_00004"), ==, 1);
  filter.lang = "en";
  g_assert_cmpuint (count_found (fixture->store, &filter, NULL), ==, 0);
  filter = (MdReviewFilter) MD_REVIEW_FILTER_INIT;
  filter.status = MD_REVIEW_STATUS_UNREVIEWED;
  filter.dataset = "DC";
  /* Pair level: 3 has only a Japanese review and 4 only an edit. */
  g_assert_cmpuint (count_found (fixture->store, &filter, "DC_INS_00003"), ==, 2);

  /* Next unreviewed in an ordered list, from the start and after a position. */
  {
    guint64 index = 99;

    g_assert_true (md_review_store_next_unreviewed (fixture->store, pair_at_dc, (gpointer) ids,
                                                    G_MAXUINT64, NULL, &index, &error));
    g_assert_cmpuint (index, ==, 2);
    g_assert_true (md_review_store_next_unreviewed (fixture->store, pair_at_dc, (gpointer) ids,
                                                    2, NULL, &index, &error));
    g_assert_cmpuint (index, ==, 3);
    g_assert_false (md_review_store_next_unreviewed (fixture->store, pair_at_dc, (gpointer) ids,
                                                     3, NULL, &index, &error));
    /* In Japanese, pair 3 is reviewed: the first unreviewed is 1. */
    g_assert_true (md_review_store_next_unreviewed (fixture->store, pair_at_dc, (gpointer) ids,
                                                    G_MAXUINT64, "ja", &index, &error));
    g_assert_cmpuint (index, ==, 0);
    g_assert_true (md_review_store_next_unreviewed (fixture->store, pair_at_dc, (gpointer) ids,
                                                    1, "ja", &index, &error));
    g_assert_cmpuint (index, ==, 3);
    g_assert_no_error (error);
  }

  /* Reviews whose pair left the index. */
  {
    g_autoptr(GPtrArray) orphans = md_review_store_list_orphans (fixture->store, exists_in_index,
                                                                 NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (orphans->len, ==, 2);
    g_assert_cmpstr (((MdReviewRef *) orphans->pdata[0])->pair_id, ==, "DC_INS_00004");
    g_assert_cmpstr (((MdReviewRef *) orphans->pdata[1])->dataset, ==, "TVC");
  }

  /* Progress per dataset and language. */
  {
    g_autoptr(GPtrArray) rows = md_review_store_get_progress (fixture->store, &error);
    const MdReviewProgress *row;

    g_assert_no_error (error);
    /* DC "", DC de (edit only), DC ja, TVC "" */
    g_assert_cmpuint (rows->len, ==, 4);
    row = rows->pdata[0];
    g_assert_cmpstr (row->dataset, ==, "DC");
    g_assert_cmpstr (row->lang, ==, "");
    g_assert_cmpuint (row->n_reviewed, ==, 2);
    g_assert_cmpuint (row->n_approved, ==, 1);
    g_assert_cmpuint (row->n_flagged, ==, 1);
    g_assert_cmpuint (row->n_edited, ==, 1);
    row = rows->pdata[1];
    g_assert_cmpstr (row->lang, ==, "de");
    g_assert_cmpuint (row->n_reviewed, ==, 0);
    g_assert_cmpuint (row->n_edited, ==, 1);
    row = rows->pdata[2];
    g_assert_cmpstr (row->lang, ==, "ja");
    g_assert_cmpuint (row->n_rejected, ==, 1);
    row = rows->pdata[3];
    g_assert_cmpstr (row->dataset, ==, "TVC");
    g_assert_cmpuint (row->n_flagged, ==, 1);
  }
}

/* The SQL contract: another database ATTACHes the review file and filters with EXISTS. */
static void
test_attach (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *index_path = g_build_filename (fixture->dir, "index.sqlite", NULL);
  char *attach = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *found = g_string_new (NULL);

  md_review_store_set_status (fixture->store, "DC", "DC_INS_00002", "", MD_REVIEW_STATUS_FLAGGED,
                              NULL, NULL, &error);
  md_review_store_edit_text (fixture->store, "DC", "DC_INS_00003", MD_LANGUAGE_EN,
                             MD_FIELD_ANSWER, NULL, "x", NULL, MD_REVIEW_AUTHOR_PERSON, &error);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open (index_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE pair (dataset TEXT, id TEXT);"
                                     "INSERT INTO pair VALUES ('DC', 'DC_INS_00001'),"
                                     " ('DC', 'DC_INS_00002'), ('DC', 'DC_INS_00003');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  attach = sqlite3_mprintf ("ATTACH %Q AS review", fixture->path);
  g_assert_cmpint (sqlite3_exec (db, attach, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_free (attach);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "SELECT id FROM pair p WHERE EXISTS (SELECT 1 FROM review.pair_status s"
    "  WHERE s.dataset = p.dataset AND s.pair_id = p.id AND s.lang = '' AND s.status = ?)"
    " OR EXISTS (SELECT 1 FROM review.edited_pair e WHERE e.dataset = p.dataset"
    "  AND e.pair_id = p.id) ORDER BY id", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, "flagged", -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (found, "%s;", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpstr (found->str, ==, "DC_INS_00002;DC_INS_00003;");
  g_string_free (found, TRUE);
}

/* Undo is per author: ana's undo never touches ben's later action, and going back over a field
 * someone else changed since is refused with a message naming them. */
static void
test_undo_per_author (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdReviewStore) ben = md_review_store_open (fixture->path, &error);
  g_autofree char *text = NULL;
  g_autofree char *latest_author = NULL;
  gint64 ana1, ben1, ana2, ben2, target = 0;

  g_assert_no_error (error);
  md_review_store_set_reviewer (ben, "ben");
  ana1 = md_review_store_edit_text (fixture->store, "DC", "DC_INS_00001", MD_LANGUAGE_EN,
                                    MD_FIELD_ANSWER, "orig", "ana's answer", NULL,
                                    MD_REVIEW_AUTHOR_PERSON, &error);
  ben1 = md_review_store_set_status (ben, "DC", "DC_INS_00002", NULL, MD_REVIEW_STATUS_REJECTED,
                                     NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ana1, <, ben1);
  g_assert_cmpint (md_review_store_get_latest_action (fixture->store, &latest_author, &error), ==,
                   ben1);
  g_assert_cmpstr (latest_author, ==, "ben");

  /* ana's undo takes back ana's edit, not ben's later status. */
  g_assert_true (md_review_store_can_undo (fixture->store, NULL));
  g_assert_cmpint (md_review_store_undo (fixture->store, NULL, &target, &error), >, ben1);
  g_assert_cmpint (target, ==, ana1);
  text = md_review_store_get_text (fixture->store, "DC", "DC_INS_00001", MD_LANGUAGE_EN,
                                   MD_FIELD_ANSWER, "orig", NULL);
  g_assert_cmpstr (text, ==, "orig");
  g_clear_pointer (&text, g_free);
  assert_state (fixture->store, "DC_INS_00002", NULL, MD_REVIEW_STATUS_REJECTED, "", NULL);
  /* Nothing else of ana's; ben's is still his to undo, by name too. */
  g_assert_false (md_review_store_can_undo (fixture->store, NULL));
  g_assert_cmpint (md_review_store_undo (fixture->store, NULL, NULL, &error), ==, 0);
  g_assert_true (md_review_store_can_undo (fixture->store, "ben"));
  g_assert_cmpint (md_review_store_undo (fixture->store, "ben", &target, &error), >, 0);
  g_assert_cmpint (target, ==, ben1);
  assert_state (fixture->store, "DC_INS_00002", NULL, MD_REVIEW_STATUS_UNREVIEWED, "", NULL);
  /* Redo is per author as well. */
  g_assert_cmpint (md_review_store_redo (ben, NULL, &target, &error), >, 0);
  g_assert_cmpint (target, ==, ben1);
  g_assert_cmpint (md_review_store_redo (fixture->store, NULL, &target, &error), >, 0);
  g_assert_cmpint (target, ==, ana1);
  g_assert_no_error (error);

  /* ana edits a field, ben changes it after her: ana's undo would throw ben's text away. */
  ana2 = md_review_store_edit_text (fixture->store, "DC", "DC_INS_00003", MD_LANGUAGE_EN,
                                    MD_FIELD_ANSWER, "orig", "ana again", NULL,
                                    MD_REVIEW_AUTHOR_PERSON, &error);
  ben2 = md_review_store_edit_text (ben, "DC", "DC_INS_00003", MD_LANGUAGE_EN, MD_FIELD_ANSWER,
                                    "orig", "ben's fix", NULL, MD_REVIEW_AUTHOR_PERSON, &error);
  g_assert_no_error (error);
  g_assert_cmpint (md_review_store_undo (fixture->store, NULL, NULL, &error), ==, -1);
  g_assert_error (error, MD_ERROR, MD_ERROR_FAILED);
  {
    g_autofree char *expected = g_strdup_printf ("cannot undo action %" G_GINT64_FORMAT " of ana: "
                                                 "ben changed DC_INS_00003 en answer since "
                                                 "(action %" G_GINT64_FORMAT ")", ana2, ben2);

    g_assert_nonnull (strstr (error->message, expected));
  }
  g_clear_error (&error);
  text = md_review_store_get_text (fixture->store, "DC", "DC_INS_00003", MD_LANGUAGE_EN,
                                   MD_FIELD_ANSWER, "orig", NULL);
  g_assert_cmpstr (text, ==, "ben's fix");
  g_clear_pointer (&text, g_free);
  /* Once ben takes his change back, ana's undo loses nothing and goes through. */
  g_assert_cmpint (md_review_store_undo (ben, NULL, &target, &error), >, 0);
  g_assert_cmpint (target, ==, ben2);
  g_assert_cmpint (md_review_store_undo (fixture->store, NULL, &target, &error), >, 0);
  g_assert_cmpint (target, ==, ana2);
  text = md_review_store_get_text (fixture->store, "DC", "DC_INS_00003", MD_LANGUAGE_EN,
                                   MD_FIELD_ANSWER, "orig", NULL);
  g_assert_cmpstr (text, ==, "orig");
  g_assert_true (md_review_store_verify (ben, &error));
  g_assert_no_error (error);
}

/* A failed read of the review file is an error, never the shard's text passed off as current. */
static void
test_get_text_error (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (md_review_store_edit_text (fixture->store, "DC", "DC_INS_00001", MD_LANGUAGE_EN,
                                              MD_FIELD_ANSWER, "orig", "edited", NULL,
                                              MD_REVIEW_AUTHOR_PERSON, &error), >, 0);
  text = md_review_store_get_text (fixture->store, "DC", "DC_INS_00001", MD_LANGUAGE_EN,
                                   MD_FIELD_ANSWER, "orig", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "edited");
  g_clear_pointer (&text, g_free);
  /* A language the pair lacks and nobody wrote: NULL without an error. */
  text = md_review_store_get_text (fixture->store, "DC", "DC_INS_00001", MD_LANGUAGE_AR,
                                   MD_FIELD_ANSWER, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (text);

  /* Another process breaks the file under the open store. */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "ALTER TABLE review_log RENAME TO review_log_gone", NULL,
                                 NULL, NULL), ==, SQLITE_OK);
  text = md_review_store_get_text (fixture->store, "DC", "DC_INS_00001", MD_LANGUAGE_EN,
                                   MD_FIELD_ANSWER, "orig", &error);
  g_assert_null (text);
  g_assert_error (error, MD_ERROR, MD_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, fixture->path));
  g_assert_cmpint (sqlite3_exec (db, "ALTER TABLE review_log_gone RENAME TO review_log", NULL,
                                 NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/review/store/status", Fixture, NULL, fixture_setup, test_status, fixture_teardown);
  g_test_add ("/review/store/edit", Fixture, NULL, fixture_setup, test_edit, fixture_teardown);
  g_test_add ("/review/store/get-text-error", Fixture, NULL, fixture_setup, test_get_text_error,
              fixture_teardown);
  g_test_add ("/review/store/undo-per-author", Fixture, NULL, fixture_setup, test_undo_per_author,
              fixture_teardown);
  g_test_add ("/review/store/undo-redo", Fixture, NULL, fixture_setup, test_undo_redo,
              fixture_teardown);
  g_test_add ("/review/store/filters", Fixture, NULL, fixture_setup, test_filters,
              fixture_teardown);
  g_test_add ("/review/store/attach", Fixture, NULL, fixture_setup, test_attach,
              fixture_teardown);

  return g_test_run ();
}
