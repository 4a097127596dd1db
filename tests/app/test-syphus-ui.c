/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <cJSON.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "md-application.h"
#include "md-batch-view.h"
#include "md-preferences-window.h"
#include "md-review-store.h"
#include "md-syphus-panel.h"
#include "md-test-gtk.h"
#include "md-window-private.h"
#include "../syphus/syphus-test-key.h"

/* Syphus in the window: a real shard and index, a chat-completions server on 127.0.0.1 in this
 * process that streams its replies, the panel and the batch view driven through their actions
 * and accessible names, and the review file read back through MdReviewStore. */

static MdApplication *app;
static char *fixture_dir;
static SoupServer *server;
static char *base_url;
static guint n_chat_requests;
static GHashTable *seen;   /* passage name -> number of requests */
static gboolean leak_key;  /* replies carry the API key back */

#define NEW_ANSWER_ONE "The passage describes a quiet harbour town at dawn."

/* Server ------------------------------------------------------------------------------------ */

static char *
sse_event (const char *content)
{
  cJSON *root = cJSON_CreateObject ();
  cJSON *choice = cJSON_CreateObject ();
  char *printed;
  char *line;

  cJSON_AddStringToObject (cJSON_AddObjectToObject (choice, "delta"), "content", content);
  cJSON_AddItemToArray (cJSON_AddArrayToObject (root, "choices"), choice);
  printed = cJSON_PrintUnformatted (root);
  line = g_strdup_printf ("data: %s\n\n", printed);
  cJSON_free (printed);
  cJSON_Delete (root);
  return line;
}

typedef struct
{
  SoupServerMessage *msg;
  GPtrArray         *chunks;
  guint              next;
} Streamer;

static gboolean
stream_tick (gpointer data)
{
  Streamer *streamer = data;
  SoupMessageBody *body = soup_server_message_get_response_body (streamer->msg);

  if (streamer->next < streamer->chunks->len)
    {
      const char *chunk = g_ptr_array_index (streamer->chunks, streamer->next++);

      soup_message_body_append (body, SOUP_MEMORY_COPY, chunk, strlen (chunk));
      soup_server_message_unpause (streamer->msg);
      return G_SOURCE_CONTINUE;
    }
  soup_message_body_complete (body);
  soup_server_message_unpause (streamer->msg);
  g_object_unref (streamer->msg);
  g_ptr_array_unref (streamer->chunks);
  g_free (streamer);
  return G_SOURCE_REMOVE;
}

static const char *
passage_of (const char *body)
{
  static const char *names[] = { "passage one", "passage two", "passage three" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strstr (body, names[i]) != NULL)
      return names[i];
  return "unknown";
}

static void
on_chat (SoupServer        *soup_server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  const char *passage = passage_of (body);
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (seen, passage));
  g_autofree char *reply = NULL;
  Streamer *streamer;
  const char *words;

  n_chat_requests++;
  g_hash_table_insert (seen, (gpointer) passage, GUINT_TO_POINTER (n + 1));
  /* The second passage fails once with a server error, then succeeds. */
  if (g_str_equal (passage, "passage two") && n == 0)
    {
      soup_server_message_set_status (msg, 500, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"error\":\"busy\"}", 16);
      return;
    }
  if (leak_key)
    {
      g_autofree char *upper = g_ascii_strup (SYPHUS_TEST_KEY, -1);

      /* Whole, upper-cased and split over two lines; streamed word by word below. */
      reply = g_strdup_printf ("Question: Is %s the key?\nAnswer: Yes, %s, or %.12s\n%s.",
                               SYPHUS_TEST_KEY, upper, SYPHUS_TEST_KEY, SYPHUS_TEST_KEY + 12);
    }
  else if (g_str_equal (passage, "passage one"))
    reply = g_strdup ("Question: What does passage one describe?\nAnswer: " NEW_ANSWER_ONE);
  else
    reply = g_strdup_printf ("Question: What is in %s?\nAnswer: Something new about %s.",
                             passage, passage);

  /* Word by word, 40 ms apart, so that the panel visibly grows. */
  streamer = g_new0 (Streamer, 1);
  streamer->msg = g_object_ref (msg);
  streamer->chunks = g_ptr_array_new_with_free_func (g_free);
  words = reply;
  while (*words != '\0')
    {
      const char *space = strchr (words + 1, ' ');
      const char *end = space != NULL ? space : words + strlen (words);
      g_autofree char *piece = g_strndup (words, end - words);

      g_ptr_array_add (streamer->chunks, sse_event (piece));
      words = end;
    }
  g_ptr_array_add (streamer->chunks, g_strdup ("data: [DONE]\n\n"));
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "text/event-stream", NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  soup_server_message_pause (msg);
  g_timeout_add (40, stream_tick, streamer);
}

static void
on_models (SoupServer        *soup_server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  static const char *models =
    "{\"object\":\"list\",\"data\":[{\"id\":\"m\",\"object\":\"model\"},"
    "{\"id\":\"qwen-test-7b\",\"object\":\"model\"}]}";

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, models,
                                    strlen (models));
}

static void
start_server (void)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, "/v1/chat/completions", on_chat, NULL, NULL);
  soup_server_add_handler (server, "/v1/models", on_models, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  seen = g_hash_table_new (g_str_hash, g_str_equal);
}

/* Fixture ----------------------------------------------------------------------------------- */

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
write_fixture (void)
{
  g_autofree char *shard = g_build_filename (fixture_dir, "TXT_instructions.json", NULL);
  g_autofree char *config = g_build_filename (g_get_user_config_dir (), "mimicdesk",
                                              "backends.ini", NULL);
  g_autofree char *ini = g_strdup_printf ("[@settings]\ndefault-backend=local\nconcurrency=2\n\n"
                                          "[local]\nbase-url=%s\nmodel=m\nkind=local\n",
                                          base_url);

  write_file (shard,
              "{\"meta\": {}, \"data\": {\n"
              " \"TXT_INS_00001\": {\"instruction\": \"Summarise passage one.\","
              "  \"answer\": \"It is about a harbour.\", \"image_ids\": [], \"rel_ins_ids\": []},\n"
              " \"TXT_INS_00002\": {\"instruction\": \"Summarise passage two.\","
              "  \"answer\": \"It is about a forest.\", \"image_ids\": [], \"rel_ins_ids\": []},\n"
              " \"TXT_INS_00003\": {\"instruction\": \"Summarise passage three.\","
              "  \"answer\": \"It is about a desert.\", \"image_ids\": [], \"rel_ins_ids\": []}\n"
              "}}");
  write_file (config, ini);
}

/* Helpers ----------------------------------------------------------------------------------- */

static GtkWidget *
find (gpointer    root,
      const char *name)
{
  GtkWidget *widget = md_test_find_by_accessible_name (GTK_WIDGET (root), name);

  if (widget == NULL)
    g_error ("No widget named “%s”", name);
  return widget;
}

static char *
buffer_text (GtkWidget *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type))
        return toplevel;
    }
  return NULL;
}

static gboolean
window_has_pair (gpointer data)
{
  MdWindow *window = data;

  return window->store != NULL && md_pair_page_get_pair (window->pair_page) != NULL;
}

static MdWindow *
open_fixture (void)
{
  g_autoptr(GFile) folder = g_file_new_for_path (fixture_dir);
  MdWindow *window = md_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  md_window_open_files (window, &folder, 1);
  g_assert_true (md_test_wait_until (window_has_pair, window, 20000));
  return window;
}

static MdReviewStore *
open_review (MdWindow *window)
{
  g_autofree char *path = md_review_store_default_path (md_store_get_path (window->store));
  g_autoptr(GError) error = NULL;
  MdReviewStore *review = md_review_store_open (path, &error);

  g_assert_no_error (error);
  return review;
}

typedef struct
{
  GtkWidget *root;
  const char *name;
} Named;

static gboolean
named_exists (gpointer data)
{
  Named *named = data;

  return md_test_find_by_accessible_name (named->root, named->name) != NULL;
}

static void
wait_named (gpointer    root,
            const char *name)
{
  Named named = { GTK_WIDGET (root), name };

  if (!md_test_wait_until (named_exists, &named, 15000))
    g_error ("“%s” never appeared", name);
}

typedef struct
{
  GtkWidget *view;
  GArray    *lengths;
} Growth;

static gboolean
reply_complete (gpointer data)
{
  Growth *growth = data;
  g_autofree char *text = buffer_text (growth->view);
  guint length = strlen (text);

  if (growth->lengths->len == 0 ||
      g_array_index (growth->lengths, guint, growth->lengths->len - 1) != length)
    g_array_append_val (growth->lengths, length);
  return strstr (text, NEW_ANSWER_ONE) != NULL;
}

/* Whether the diff label marks an insertion ("insert") or a deletion ("delete"). */
static gboolean
has_change (GtkWidget  *diff,
            const char *kind)
{
  const char *markup = gtk_label_get_label (GTK_LABEL (diff));

  return strstr (markup, g_str_equal (kind, "insert") ? "underline=\"single\""
                                                      : "strikethrough=\"true\"") != NULL;
}

static gboolean
has_height (gpointer widget)
{
  return gtk_widget_get_height (widget) > 0;
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  md_test_spin (50);
}

/* Tests ------------------------------------------------------------------------------------- */

/* The text view named @name (headings read like the text they introduce, so the type counts). */
static GtkWidget *
find_text_view (GtkWidget  *root,
                const char *name)
{
  if (GTK_IS_TEXT_VIEW (root))
    {
      g_autofree char *mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (root),
                                                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                      name);
      if (mismatch == NULL)
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_text_view (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
pair_page_shows_new_answer (gpointer data)
{
  MdWindow *window = data;
  GtkWidget *view = find_text_view (GTK_WIDGET (window->pair_page), "Answer");
  g_autofree char *text = view != NULL ? buffer_text (view) : NULL;

  return g_strcmp0 (text, NEW_ANSWER_ONE) == 0;
}

static gboolean
pair_page_shows_old_answer (gpointer data)
{
  MdWindow *window = data;
  GtkWidget *view = find_text_view (GTK_WIDGET (window->pair_page), "Answer");
  g_autofree char *text = view != NULL ? buffer_text (view) : NULL;

  return g_strcmp0 (text, "It is about a harbour.") == 0;
}

static void
test_panel (void)
{
  MdWindow *window = open_fixture ();
  g_autoptr(MdReviewStore) review = open_review (window);
  g_autoptr(GArray) lengths = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *instruction = NULL;
  g_autofree char *shown = NULL;
  GtkWidget *answer_diff;
  MdSyphusPanel *panel;
  Growth growth;
  guint n_before = n_chat_requests;

  g_assert_cmpstr (md_pair_get_id (md_pair_page_get_pair (window->pair_page)), ==,
                   "TXT_INS_00001");
  g_assert_true (md_test_wait_until (pair_page_shows_old_answer, window, 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.regenerate", NULL));
  panel = find_toplevel (MD_TYPE_SYPHUS_PANEL);
  g_assert_nonnull (panel);

  /* The request is there before anything is sent, built from the TXT prompt. */
  request = buffer_text (find (panel, "Request messages"));
  g_assert_nonnull (strstr (request, "Summarise passage one."));
  g_assert_nonnull (strstr (request, "\"messages\""));
  g_assert_cmpuint (n_chat_requests, ==, n_before);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (find (panel, "Prompt file"))), ==,
                   "TXT.json");
  {
    const char *source = gtk_label_get_text (GTK_LABEL (find (panel, "Prompt and query source")));

    g_assert_nonnull (strstr (source, "TXT.json (installed with MIMIC Desk)"));
    g_assert_nonnull (strstr (source, "no source annotations: the request asks the model to "
                                      "rewrite the pair from its text and images"));
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.send", NULL));
  growth = (Growth) { find (panel, "Streamed reply"), lengths };
  g_assert_true (md_test_wait_until (reply_complete, &growth, 15000));
  /* Streamed: the reply was seen at several lengths on its way. */
  g_assert_cmpuint (lengths->len, >=, 3);

  wait_named (panel, "Accept English, answer");
  answer_diff = find (panel, "Changes to English, answer");
  shown = g_strdup (gtk_label_get_text (GTK_LABEL (answer_diff)));
  g_assert_nonnull (strstr (shown, "harbour"));
  g_assert_nonnull (strstr (shown, "quiet harbour town"));
  g_assert_true (has_change (answer_diff, "insert"));
  g_assert_true (has_change (answer_diff, "delete"));
  /* The diff is on screen without resizing the window: a text view filled while hidden had no
   * height at all. */
  g_assert_true (md_test_wait_until (has_height, answer_diff, 5000));

  /* MD_TEST_SCREENSHOT=FILE: capture the panel with its streamed reply and diff (Xvfb only). */
  if (g_getenv ("MD_TEST_SCREENSHOT") != NULL)
    {
      const char *argv[] = { "import", "-window", "root", g_getenv ("MD_TEST_SCREENSHOT"), NULL };

      /* Xvfb has no window manager to maximize: size the panel to the screen. */
      gtk_window_set_default_size (GTK_WINDOW (panel), 1280, 800);
      md_test_spin (1500);
      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                    NULL, NULL);
    }

  click (find (panel, "Accept English, answer"));
  answer = md_review_store_get_text (review, "TXT", "TXT_INS_00001", MD_LANGUAGE_EN,
                                     MD_FIELD_ANSWER, "shard", NULL);
  g_assert_cmpstr (answer, ==, NEW_ANSWER_ONE);
  log = md_review_store_get_log (review, "TXT", "TXT_INS_00001", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpint (((MdReviewEntry *) log->pdata[0])->author_kind, ==, MD_REVIEW_AUTHOR_MODEL);
  g_assert_cmpstr (((MdReviewEntry *) log->pdata[0])->author, ==, "m");
  g_assert_true (md_test_wait_until (pair_page_shows_new_answer, window, 2000));

  /* Rejecting the instruction keeps the old one. */
  click (find (panel, "Reject English, instruction"));
  instruction = md_review_store_get_text (review, "TXT", "TXT_INS_00001", MD_LANGUAGE_EN,
                                          MD_FIELD_INSTRUCTION, "shard", NULL);
  g_assert_cmpstr (instruction, ==, "shard");
  g_assert_false (gtk_widget_is_sensitive (find (panel, "Accept English, instruction")));
  g_assert_cmpint (md_syphus_panel_get_generation (panel), >, 0);
  /* A reply of several changes offers one click for all; with all decided it changes nothing. */
  click (find (panel, "Accept all changes"));
  g_clear_pointer (&instruction, g_free);
  instruction = md_review_store_get_text (review, "TXT", "TXT_INS_00001", MD_LANGUAGE_EN,
                                          MD_FIELD_INSTRUCTION, "shard", NULL);
  g_assert_cmpstr (instruction, ==, "shard");
  g_assert_nonnull (find (panel, "Reject all changes"));

  gtk_window_destroy (GTK_WINDOW (panel));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
batch_done (gpointer data)
{
  GtkWidget *label = data;

  return g_str_has_prefix (gtk_label_get_text (GTK_LABEL (label)), "Done 3 ·");
}

static gboolean
sensitive (gpointer data)
{
  return gtk_widget_is_sensitive (data);
}

static void
test_batch (void)
{
  MdWindow *window = open_fixture ();
  g_autoptr(MdReviewStore) review = open_review (window);
  g_autoptr(GError) error = NULL;
  g_autofree char *preview = NULL;
  g_autofree char *accepted = NULL;
  GtkWidget *progress;
  GtkWidget *results;
  MdBatchView *view;
  guint n_rows = 0;

  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("TXT_INS_%05u", i);

      g_assert_cmpint (md_review_store_set_status (review, "TXT", id, NULL,
                                                   MD_REVIEW_STATUS_FLAGGED, NULL, NULL,
                                                   &error), >, 0);
      g_assert_no_error (error);
    }
  g_hash_table_remove_all (seen);

  /* The TXT prompt chosen in Preferences comes before the installed one. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_autofree char *chosen = g_build_filename (g_getenv ("MD_PROMPTS_DIR"), "TXT.json", NULL);
    GVariantBuilder prompts;

    g_variant_builder_init (&prompts, G_VARIANT_TYPE ("a{ss}"));
    g_variant_builder_add (&prompts, "{ss}", "TXT", chosen);
    g_settings_set_value (settings, "syphus-prompts", g_variant_builder_end (&prompts));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.batch-regenerate-flagged",
                                             NULL));
  view = find_toplevel (MD_TYPE_BATCH_VIEW);
  g_assert_nonnull (view);
  g_assert_true (md_test_wait_until (sensitive, find (view, "Start batch"), 10000));
  preview = g_strdup (gtk_label_get_text (GTK_LABEL (find (view, "Batch preview"))));
  g_assert_true (g_str_has_prefix (preview, "3 pairs, about "));
  g_assert_nonnull (strstr (preview, "divided by 4"));
  /* The plan says which prompt file is used and that no pair has source annotations. */
  g_assert_nonnull (strstr (preview, "TXT: prompt TXT.json (chosen in Preferences)"));
  g_assert_nonnull (strstr (preview, "3 pairs: no source annotations: the request asks the "
                                     "model to rewrite the pair from its text and images"));

  click (find (view, "Start batch"));
  progress = find (view, "Batch progress");
  if (!md_test_wait_until (batch_done, progress, 30000))
    g_error ("batch stuck at “%s”", gtk_label_get_text (GTK_LABEL (progress)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (progress)), "Failed 0"));
  /* The 500 was retried: passage two was asked twice. */
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (seen, "passage two")), ==, 2);

  results = find (view, "Results to review");
  for (GtkWidget *row = gtk_widget_get_first_child (results); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n_rows++;
  g_assert_cmpuint (n_rows, ==, 3);

  /* a accepts the selected result (the first), and moves on. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "batch.accept", NULL));
  {
    GtkListBoxRow *first = gtk_list_box_get_row_at_index (GTK_LIST_BOX (results), 0);
    const char *pair_id = gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (first)));
    g_autofree char *id = g_strndup (pair_id, 13);
    g_autoptr(GPtrArray) log = NULL;
    const MdReviewEntry *last;

    g_assert_true (g_str_has_suffix (pair_id, "accepted"));
    log = md_review_store_get_log (review, "TXT", id, &error);
    g_assert_no_error (error);
    last = g_ptr_array_index (log, log->len - 1);
    g_assert_cmpint (last->author_kind, ==, MD_REVIEW_AUTHOR_MODEL);
    accepted = md_review_store_get_text (review, "TXT", id, MD_LANGUAGE_EN, MD_FIELD_ANSWER,
                                         NULL, NULL);
    g_assert_nonnull (accepted);
    g_assert_true (g_str_has_prefix (accepted, "The passage") ||
                   g_str_has_prefix (accepted, "Something new"));
  }
  g_assert_cmpint (gtk_list_box_row_get_index (gtk_list_box_get_selected_row (GTK_LIST_BOX (results))),
                   ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "batch.reject", NULL));

  gtk_window_destroy (GTK_WINDOW (view));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
lists_models (gpointer data)
{
  GtkDropDown *dropdown = data;

  return g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)) == 2;
}

/* Every text a widget below @widget shows: labels, text views, entries, accessible names. */
static void
collect_texts (GtkWidget *widget,
               GString   *texts)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (texts, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  else if (GTK_IS_TEXT_VIEW (widget))
    {
      g_autofree char *text = buffer_text (widget);

      g_string_append_printf (texts, "%s\n", text);
    }
  else if (GTK_IS_EDITABLE (widget))
    g_string_append_printf (texts, "%s\n", gtk_editable_get_text (GTK_EDITABLE (widget)));
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    g_string_append_printf (texts, "%s\n", gtk_button_get_label (GTK_BUTTON (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

static gboolean
streamed_reply_ended (gpointer data)
{
  g_autofree char *text = buffer_text (data);

  return g_str_has_suffix (text, "[redacted].");
}

static void
test_key_in_labels (void)
{
  MdWindow *window = NULL;
  MdSyphusPanel *panel;
  GListModel *toplevels;
  g_autoptr(GString) texts = g_string_new (NULL);
  g_autofree char *streamed = NULL;

  /* The window's labels while and after a reply that carries the key back: no 8 consecutive
   * bytes of it, in any case, anywhere on screen. */
  g_setenv ("MIMICDESK_API_KEY", SYPHUS_TEST_KEY, TRUE);
  leak_key = TRUE;
  window = open_fixture ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.regenerate", NULL));
  panel = find_toplevel (MD_TYPE_SYPHUS_PANEL);
  g_assert_nonnull (panel);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "panel.send", NULL));
  wait_named (panel, "Accept English, answer");
  g_assert_true (md_test_wait_until (streamed_reply_ended, find (panel, "Streamed reply"), 15000));
  streamed = buffer_text (find (panel, "Streamed reply"));
  g_assert_nonnull (strstr (streamed, "Is [redacted] the key?"));

  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      collect_texts (toplevel, texts);
    }
  g_test_message ("%" G_GSIZE_FORMAT " bytes of text on screen", texts->len);
  g_assert_nonnull (strstr (texts->str, "[redacted]"));
  if (syphus_test_holds_key (texts->str, texts->len))
    g_error ("the window shows a fragment of the key:\n%s", texts->str);

  leak_key = FALSE;
  g_unsetenv ("MIMICDESK_API_KEY");
  gtk_window_destroy (GTK_WINDOW (panel));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_preferences (void)
{
  MdPreferencesWindow *prefs = md_preferences_window_new ();
  GtkWidget *models;
  GListModel *list;
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "mimicdesk", "backends.ini",
                                            NULL);
  g_autofree char *saved = NULL;

  gtk_window_present (GTK_WINDOW (prefs));
  md_test_spin (100);
  models = find (prefs, "Models of local");
  list = gtk_drop_down_get_model (GTK_DROP_DOWN (models));
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);   /* the configured one */

  click (find (prefs, "Test connection of local"));
  g_assert_true (md_test_wait_until (lists_models, models, 10000));
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (list), 1), ==, "qwen-test-7b");

  /* Edits go to the backends.ini the CLI reads; keys never do. */
  gtk_editable_set_text (GTK_EDITABLE (find (prefs, "Model (local)")), "qwen-test-7b");
  g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
  g_assert_nonnull (strstr (saved, "model=qwen-test-7b"));
  g_assert_nonnull (strstr (saved, "default-backend=local"));
  g_assert_null (strstr (saved, "key"));
  gtk_editable_set_text (GTK_EDITABLE (find (prefs, "Model (local)")), "m");

  gtk_window_destroy (GTK_WINDOW (prefs));
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *config = NULL;
  int status;

  tmp = g_dir_make_tmp ("mimicdesk-syphus-ui-XXXXXX", &error);
  g_assert_no_error (error);
  cache = g_build_filename (tmp, "cache", NULL);
  config = g_build_filename (tmp, "config", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_unsetenv ("MIMICDESK_API_KEY");
  fixture_dir = g_build_filename (tmp, "TXT-shard", NULL);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  start_server ();
  write_fixture ();

  app = md_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/app/syphus/panel", test_panel);
  g_test_add_func ("/app/syphus/batch", test_batch);
  g_test_add_func ("/app/syphus/key-in-labels", test_key_in_labels);
  g_test_add_func ("/app/syphus/preferences", test_preferences);

  status = g_test_run ();

  g_clear_object (&app);
  soup_server_disconnect (server);
  g_clear_object (&server);
  g_free (fixture_dir);
  return status;
}
