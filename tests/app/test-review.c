/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "md-application.h"
#include "md-history-view.h"
#include "md-review-store.h"
#include "md-store.h"
#include "md-test-gtk.h"
#include "md-window-private.h"

/* Reviewing in the window: the keys of the review desk on a real index and review file. */

static MdApplication *app;
static char *fixture_dir;

/* Fixture ----------------------------------------------------------------------------------- */

static char *
png_base64 (guint8 r,
            guint8 g,
            guint8 b)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 32, 32);
  g_autofree char *buffer = NULL;
  gsize size = 0;
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, ((guint32) r << 24) | ((guint32) g << 16) | ((guint32) b << 8) | 0xff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL));
  g_assert_no_error (error);
  return g_base64_encode ((const guchar *) buffer, size);
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
write_fixture (const char *dir)
{
  g_autoptr(GString) images = g_string_new ("{");
  g_autofree char *red = png_base64 (220, 40, 40);
  g_autofree char *blue = png_base64 (40, 40, 220);
  const char *translation_reply =
    "{\\\"a\\\": {\\\"zh\\\": \\\"描述红色的图片\\\", \\\"es\\\": \\\"Describe la imagen roja\\\", "
    "\\\"ja\\\": \\\"赤い画像を説明して\\\", \\\"de\\\": \\\"Beschreibe das rote Bild\\\", "
    "\\\"fr\\\": \\\"Décris l'image rouge\\\", \\\"ko\\\": \\\"빨간 이미지를 설명하세요\\\", "
    "\\\"ar\\\": \\\"صف الصورة الحمراء\\\"}, "
    "\\\"b\\\": {\\\"zh\\\": \\\"它是红色的。\\\", \\\"es\\\": \\\"Es roja.\\\", "
    "\\\"ja\\\": \\\"赤いです。\\\", \\\"de\\\": \\\"Es ist rot.\\\", \\\"fr\\\": \\\"Elle est rouge.\\\", "
    "\\\"ko\\\": \\\"빨간색입니다.\\\", \\\"ar\\\": \\\"إنها حمراء.\\\"}}";
  g_autofree char *translations = NULL;

  write_file (dir, "T_instructions.json",
              "{\"meta\": {\"version\": \"0.0.1\"}, \"data\": {\n"
              " \"T_INS_00001\": {\"instruction\": \"Describe the red picture\","
              "  \"answer\": \"It is red.\", \"image_ids\": [\"T_IMG_red\"],"
              "  \"rel_ins_ids\": [\"T_INS_00004\"]},\n"
              " \"T_INS_00002\": {\"instruction\": \"What happens in the clip?\","
              "  \"answer\": \"Colours change.\", \"image_ids\": [\"T_IMG_clip_0000\","
              "  \"T_IMG_clip_0001\", \"T_IMG_clip_0002\", \"T_IMG_clip_0003\"],"
              "  \"rel_ins_ids\": []},\n"
              " \"T_INS_00003\": {\"instruction\": \"Where did the picture go?\","
              "  \"answer\": \"Nowhere.\", \"image_ids\": [\"T_IMG_gone\"], \"rel_ins_ids\": []},\n"
              " \"T_INS_00004\": {\"instruction\": \"Describe the blue picture\","
              "  \"answer\": \"It is blue.\", \"image_ids\": [\"T_IMG_blue\"], \"rel_ins_ids\": []}\n"
              "}}");

  g_string_append_printf (images, "\"T_IMG_red\": \"%s\", \"T_IMG_blue\": \"%s\"", red, blue);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *frame = png_base64 (40 * i, 200, 255 - 40 * i);

      g_string_append_printf (images, ", \"T_IMG_clip_%04u\": \"%s\"", i, frame);
    }
  g_string_append (images, "}");
  write_file (dir, "T.json", images->str);

  translations = g_strdup_printf ("[{\"id\": \"T_INS_00001\", \"results\": \"%s\"}]",
                                  translation_reply);
  write_file (dir, "valid_output.json", translations);
}

/* Helpers ----------------------------------------------------------------------------------- */

static GtkWidget *
find (GtkWindow  *window,
      const char *name)
{
  GtkWidget *widget = md_test_find_by_accessible_name (GTK_WIDGET (window), name);

  if (widget == NULL)
    g_error ("No widget named “%s”", name);
  return widget;
}

static GtkSingleSelection *
pairs_selection (GtkWindow *window)
{
  GtkWidget *view = find (window, "Pairs");
  GtkSelectionModel *model;

  g_assert_true (GTK_IS_COLUMN_VIEW (view));
  model = gtk_column_view_get_model (GTK_COLUMN_VIEW (view));
  g_assert_true (GTK_IS_SINGLE_SELECTION (model));
  return GTK_SINGLE_SELECTION (model);
}

static guint
n_pairs (GtkWindow *window)
{
  GtkWidget *view = find (window, "Pairs");
  GtkSelectionModel *model = gtk_column_view_get_model (GTK_COLUMN_VIEW (view));

  return model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (model)) : 0;
}

static const char *
selected_id (GtkWindow *window)
{
  MdPair *pair = gtk_single_selection_get_selected_item (pairs_selection (window));

  return pair != NULL ? md_pair_get_id (pair) : NULL;
}

static const char *
first_id (GtkWindow *window)
{
  GListModel *model = G_LIST_MODEL (pairs_selection (window));
  g_autoptr(MdPair) pair = g_list_model_get_item (model, 0);

  return pair != NULL ? md_pair_get_id (pair) : NULL;
}

static GtkWidget *
find_typed (GtkWidget  *root,
            const char *name,
            GType       type)
{
  g_autofree char *mismatch = NULL;

  /* Headings read like the text they introduce; the text itself is the text view. */
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    {
      mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (root),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL, name);
      if (mismatch == NULL)
        return root;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_typed (child, name, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The text of the text view named name; the caller frees it. */
static char *
label_text (GtkWindow  *window,
            const char *name)
{
  GtkWidget *view = find_typed (GTK_WIDGET (window), name, GTK_TYPE_TEXT_VIEW);
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  if (view == NULL)
    g_error ("No text view named “%s”", name);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

typedef struct
{
  GtkWindow  *window;
  const char *name;
  const char *text;
  guint       n;
} Expect;

static gboolean
label_is (gpointer data)
{
  Expect *e = data;
  g_autofree char *text = label_text (e->window, e->name);

  return g_strcmp0 (text, e->text) == 0;
}


typedef struct
{
  GtkWindow *window;
  guint      n_pairs;
} ImportWait;

static gboolean
import_finished (gpointer data)
{
  ImportWait *w = data;

  /* The cancel button follows its action, enabled only while the import runs. */
  return !gtk_widget_get_sensitive (find (w->window, "Cancel import")) &&
         n_pairs (w->window) == w->n_pairs;
}

static void
assert_label_becomes (GtkWindow  *window,
                      const char *name,
                      const char *text)
{
  Expect e = { window, name, text, 0 };

  if (!md_test_wait_until (label_is, &e, 5000))
    {
      g_autofree char *shown = label_text (window, name);

      g_error ("“%s” shows “%s”, expected “%s”", name, shown, text);
    }
}

static GtkWindow *
open_folder (const char *path,
             guint       n_expected)
{
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  MdWindow *window = md_window_new (app);
  ImportWait w = { GTK_WINDOW (window), n_expected };

  gtk_window_present (GTK_WINDOW (window));
  md_window_open_files (window, &folder, 1);
  if (!md_test_wait_until (import_finished, &w, 20000))
    g_error ("%s: %u pairs listed, expected %u", path, n_pairs (GTK_WINDOW (window)), n_expected);
  return GTK_WINDOW (window);
}

/* Plays a key of the window's capture-phase shortcuts the way GTK does when the key is pressed:
 * the shortcut's action runs with its arguments and says whether it handled the key. */
static gboolean
press_key_mod (GtkWindow       *window,
               const char      *controller_name,
               guint            keyval,
               GdkModifierType  modifiers)
{
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  gboolean handled = FALSE;
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), controller_name) != 0)
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            {
              handled = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                      GTK_WIDGET (window),
                                                      gtk_shortcut_get_arguments (shortcut));
              found = TRUE;
              break;
            }
        }
    }
  g_object_unref (controllers);

  if (!found)
    g_error ("No window shortcut for %s", gdk_keyval_name (keyval));
  return handled;
}

static gboolean
press (GtkWindow *window,
       guint      keyval)
{
  return press_key_mod (window, "md-review-keys", keyval, 0);
}

static gboolean
press_ctrl (GtkWindow       *window,
            guint            keyval,
            GdkModifierType  more)
{
  return press_key_mod (window, "md-review-keys", keyval, GDK_CONTROL_MASK | more);
}

/* The review file the window writes, opened on its own as another process would. */
static MdReviewStore *
open_review (void)
{
  g_autoptr(GError) error = NULL;
  const char *cache = g_get_user_cache_dir ();
  g_autofree char *found = NULL;
  char *path;
  MdReviewStore *store;

  /* The index lives somewhere below the cache folder: find its review file. */
  g_autofree char *cmd = g_strdup_printf ("find '%s' -name '*.review.sqlite' -print -quit", cache);
  g_assert_true (g_spawn_command_line_sync (cmd, &found, NULL, NULL, &error));
  g_assert_no_error (error);
  path = g_strstrip (found);
  g_assert_cmpstr (path, !=, "");
  store = md_review_store_open (path, &error);
  g_assert_no_error (error);
  return store;
}

static MdReviewStatus
status_of (const char *id,
           const char *lang)
{
  g_autoptr(MdReviewStore) review = open_review ();
  g_autoptr(MdReviewState) state = md_review_store_get_state (review, "T", id, lang, NULL);

  return state != NULL ? state->status : MD_REVIEW_STATUS_UNREVIEWED;
}

typedef struct
{
  GtkWindow  *window;
  const char *id;
} WaitId;

static gboolean
page_shows (gpointer data)
{
  WaitId *w = data;
  MdPair *pair = md_pair_page_get_pair (MD_WINDOW (w->window)->pair_page);

  return pair != NULL && g_strcmp0 (md_pair_get_id (pair), w->id) == 0 &&
         g_strcmp0 (selected_id (w->window), w->id) == 0;
}

static void
wait_pair (GtkWindow  *window,
           const char *id)
{
  WaitId w = { window, id };

  if (!md_test_wait_until (page_shows, &w, 5000))
    g_error ("the page shows %s, expected %s", selected_id (window), id);
  md_test_spin (50);
}

static GtkWidget *
find_of_type (GtkWidget *root,
              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_of_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
pill (GtkWindow *window)
{
  /* The note popover hangs from the pill. */
  return gtk_widget_get_parent (gtk_widget_get_ancestor (find (window, "Note"), GTK_TYPE_POPOVER));
}

static void
test_keys (void)
{
  GtkWindow *window = open_folder (fixture_dir, 4);
  g_autoptr(MdReviewStore) review = NULL;
  g_autoptr(MdReviewState) state = NULL;
  GtkWidget *popover;
  GtkWidget *check;

  g_settings_set_string (g_settings_new ("io.github.mimicdesk.MimicDesk"), "reviewer-name",
                         "ana");
  wait_pair (window, "T_INS_00001");

  /* a: approved, and the next pair is shown. */
  g_assert_true (press (window, GDK_KEY_a));
  g_assert_cmpint (status_of ("T_INS_00001", NULL), ==, MD_REVIEW_STATUS_APPROVED);
  wait_pair (window, "T_INS_00002");

  /* f: the reason picker; a reason and Enter flag the pair. */
  g_assert_true (press (window, GDK_KEY_f));
  check = md_test_find_by_accessible_name (find (window, "Reasons"), "hallucination");
  g_assert_nonnull (check);
  popover = gtk_widget_get_ancestor (check, GTK_TYPE_POPOVER);
  g_assert_true (gtk_widget_get_visible (popover));
  /* In the popover, keys belong to it: a does not approve. */
  gtk_widget_grab_focus (check);
  g_assert_false (press (window, GDK_KEY_a));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  gtk_widget_activate (find (window, "Confirm flag"));
  md_test_spin (300);
  review = open_review ();
  state = md_review_store_get_state (review, "T", "T_INS_00002", NULL, NULL);
  g_assert_cmpint (state->status, ==, MD_REVIEW_STATUS_FLAGGED);
  g_assert_cmpstr (state->reasons[0], ==, "hallucination");
  g_assert_null (state->reasons[1]);
  g_assert_cmpstr (state->reviewer, ==, "ana");
  g_clear_pointer (&state, md_review_state_free);
  wait_pair (window, "T_INS_00003");

  /* x: rejected. */
  g_assert_true (press (window, GDK_KEY_x));
  g_assert_cmpint (status_of ("T_INS_00003", NULL), ==, MD_REVIEW_STATUS_REJECTED);
  wait_pair (window, "T_INS_00004");

  /* n: a note; the status stays. */
  g_assert_true (press (window, GDK_KEY_n));
  gtk_editable_set_text (GTK_EDITABLE (find (window, "Note")), "blue is fine");
  g_signal_emit_by_name (find (window, "Note"), "activate");
  md_test_spin (100);
  state = md_review_store_get_state (review, "T", "T_INS_00004", NULL, NULL);
  g_assert_cmpstr (state->note, ==, "blue is fine");
  g_assert_cmpint (state->status, ==, MD_REVIEW_STATUS_UNREVIEWED);
  g_clear_pointer (&state, md_review_state_free);
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (pill (window)), "blue is fine"));

  /* Ctrl+Z undoes the note, with a toast; Ctrl+Shift+Z redoes it. */
  g_assert_true (press_ctrl (window, GDK_KEY_z, 0));
  state = md_review_store_get_state (review, "T", "T_INS_00004", NULL, NULL);
  g_assert_null (state->note);
  g_clear_pointer (&state, md_review_state_free);
  g_assert_true (press_ctrl (window, GDK_KEY_z, GDK_SHIFT_MASK));
  state = md_review_store_get_state (review, "T", "T_INS_00004", NULL, NULL);
  g_assert_cmpstr (state->note, ==, "blue is fine");
  g_clear_pointer (&state, md_review_state_free);

  /* Ctrl+Z twice more: the note, then the reject of T_INS_00003. */
  g_assert_true (press_ctrl (window, GDK_KEY_z, 0));
  g_assert_true (press_ctrl (window, GDK_KEY_z, 0));
  g_assert_cmpint (status_of ("T_INS_00003", NULL), ==, MD_REVIEW_STATUS_UNREVIEWED);
  g_assert_true (press_ctrl (window, GDK_KEY_z, GDK_SHIFT_MASK));
  g_assert_cmpint (status_of ("T_INS_00003", NULL), ==, MD_REVIEW_STATUS_REJECTED);

  /* The status menu of a language card. */
  gtk_widget_activate_action (GTK_WIDGET (window), "review.set-language-status", "s",
                              "zh:approved");
  g_assert_cmpint (status_of ("T_INS_00004", "zh"), ==, MD_REVIEW_STATUS_APPROVED);
  g_assert_cmpint (status_of ("T_INS_00004", NULL), ==, MD_REVIEW_STATUS_UNREVIEWED);

  gtk_window_destroy (window);
}

typedef struct
{
  GtkWindow  *window;
  guint       n;
} WaitCount;

static gboolean
count_is (gpointer data)
{
  WaitCount *w = data;

  return n_pairs (w->window) == w->n;
}

static void
test_edit_history (void)
{
  GtkWindow *window = open_folder (fixture_dir, 4);
  GtkWidget *instruction;
  GtkTextBuffer *buffer;
  GtkTextBuffer *diff;
  GtkTextIter start, end;
  GtkTextTagTable *tags;
  MdHistoryView *history;
  g_autofree char *text = NULL;

  wait_pair (window, "T_INS_00001");

  /* e: the instruction becomes editable; Escape cancels and changes nothing. */
  g_assert_true (press (window, GDK_KEY_e));
  instruction = find_typed (GTK_WIDGET (window), "Instruction", GTK_TYPE_TEXT_VIEW);
  g_assert_true (gtk_text_view_get_editable (GTK_TEXT_VIEW (instruction)));
  g_assert_true (gtk_widget_has_focus (instruction));
  /* While editing, letters are text. */
  g_assert_false (press (window, GDK_KEY_a));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (instruction));
  gtk_text_buffer_set_text (buffer, "Describe the dark red picture", -1);
  g_assert_true (press_key_mod (window, "md-review-keys", GDK_KEY_Escape, 0));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (instruction)));
  assert_label_becomes (window, "Instruction", "Describe the red picture");

  /* e again, Ctrl+Enter saves a revision and the view shows it. */
  g_assert_true (press (window, GDK_KEY_e));
  gtk_text_buffer_set_text (buffer, "Describe the dark red picture", -1);
  g_assert_true (press_ctrl (window, GDK_KEY_Return, 0));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (instruction)));
  assert_label_becomes (window, "Instruction", "Describe the dark red picture");
  {
    g_autoptr(MdReviewStore) review = open_review ();

    text = md_review_store_get_text (review, "T", "T_INS_00001", MD_LANGUAGE_EN,
                                     MD_FIELD_INSTRUCTION, "Describe the red picture");
    g_assert_cmpstr (text, ==, "Describe the dark red picture");
  }

  /* The history lists the revision with its diff: "dark " inserted. */
  history = MD_HISTORY_VIEW (find_of_type (GTK_WIDGET (window), MD_TYPE_HISTORY_VIEW));
  /* Newest first: the revision, then the approval of the keys test. */
  g_assert_cmpuint (md_history_view_get_n_entries (history), ==, 2);
  g_assert_null (md_history_view_get_diff (history, 1));
  diff = md_history_view_get_diff (history, 0);
  g_assert_nonnull (diff);
  gtk_text_buffer_get_bounds (diff, &start, &end);
  g_clear_pointer (&text, g_free);
  text = gtk_text_buffer_get_text (diff, &start, &end, FALSE);
  g_assert_cmpstr (text, ==, "Describe the dark red picture");
  tags = gtk_text_buffer_get_tag_table (diff);
  gtk_text_buffer_get_iter_at_offset (diff, &start, strlen ("Describe the "));
  g_assert_true (gtk_text_iter_has_tag (&start, gtk_text_tag_table_lookup (tags, "insert")));
  gtk_text_buffer_get_iter_at_offset (diff, &start, 0);
  g_assert_false (gtk_text_iter_has_tag (&start, gtk_text_tag_table_lookup (tags, "insert")));

  /* Undo brings the shard's text back into the view. */
  g_assert_true (press_ctrl (window, GDK_KEY_z, 0));
  assert_label_becomes (window, "Instruction", "Describe the red picture");
  g_assert_cmpuint (md_history_view_get_n_entries (history), ==, 3);

  /* Revert of the first revision (newest is shown first) restores the shard text again after
   * a redo. */
  g_assert_true (press_ctrl (window, GDK_KEY_z, GDK_SHIFT_MASK));
  assert_label_becomes (window, "Instruction", "Describe the dark red picture");
  /* The History tab is not on screen: click its button directly. */
  g_signal_emit_by_name (md_test_find_by_accessible_name (GTK_WIDGET (history), "Revert"),
                         "clicked");
  assert_label_becomes (window, "Instruction", "Describe the red picture");

  gtk_window_destroy (window);
}

static void
test_filters (void)
{
  GtkWindow *window = open_folder (fixture_dir, 4);
  GtkDropDown *status;
  WaitCount w = { window, 0 };

  wait_pair (window, "T_INS_00001");
  /* advance-after-action off: the key acts on the pair and stays. */
  g_settings_set_boolean (g_settings_new ("io.github.mimicdesk.MimicDesk"),
                          "advance-after-action", FALSE);
  g_assert_true (press (window, GDK_KEY_x));
  g_assert_cmpstr (selected_id (window), ==, "T_INS_00001");
  g_settings_set_boolean (g_settings_new ("io.github.mimicdesk.MimicDesk"),
                          "advance-after-action", TRUE);

  /* Flagged: exactly the flagged pairs (T_INS_00002 from the keys test). */
  status = GTK_DROP_DOWN (find (window, "Review status filter"));
  gtk_drop_down_set_selected (status, 1 + MD_REVIEW_STATUS_FLAGGED);
  w.n = 1;
  g_assert_true (md_test_wait_until (count_is, &w, 3000));
  g_assert_cmpstr (first_id (window), ==, "T_INS_00002");
  gtk_drop_down_set_selected (status, 1 + MD_REVIEW_STATUS_REJECTED);
  w.n = 2;
  g_assert_true (md_test_wait_until (count_is, &w, 3000));
  gtk_drop_down_set_selected (status, 0);
  w.n = 4;
  g_assert_true (md_test_wait_until (count_is, &w, 3000));

  /* Enter: the next unreviewed pair (00001 rejected, 00002 flagged, 00003 rejected). */
  wait_pair (window, "T_INS_00001");
  g_assert_true (press (window, GDK_KEY_Return));
  wait_pair (window, "T_INS_00004");

  gtk_window_destroy (window);
}

static void
test_progress (void)
{
  GtkWindow *window = open_folder (fixture_dir, 4);
  GtkWidget *row;
  GList *toplevels;
  GtkWindow *progress = NULL;

  wait_pair (window, "T_INS_00001");
  gtk_widget_activate_action (GTK_WIDGET (window), "review.progress", NULL);
  md_test_spin (200);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (gtk_window_get_transient_for (l->data) == window &&
        g_strcmp0 (gtk_window_get_title (l->data), "Review Progress") == 0)
      progress = l->data;
  g_list_free (toplevels);
  g_assert_nonnull (progress);
  /* The only dataset's pair-level row comes first. */
  row = find_of_type (GTK_WIDGET (progress), ADW_TYPE_ACTION_ROW);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Whole pairs");
  /* T_INS_00001 rejected, 00002 flagged, 00003 rejected (from the earlier tests). */
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "3 of 4 reviewed · 0 approved · 1 flagged · 2 rejected · 1 edited");
  gtk_window_destroy (progress);
  gtk_window_destroy (window);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *cache = NULL;
  int status;

  tmp = g_dir_make_tmp ("mimicdesk-review-XXXXXX", &error);
  g_assert_no_error (error);
  cache = g_build_filename (tmp, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  fixture_dir = g_build_filename (tmp, "T-shard", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture_dir, 0700), ==, 0);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  write_fixture (fixture_dir);

  app = md_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  /* In order: each builds on the review file the one before left. */
  g_test_add_func ("/app/review/keys", test_keys);
  g_test_add_func ("/app/review/edit-history", test_edit_history);
  g_test_add_func ("/app/review/filters", test_filters);
  g_test_add_func ("/app/review/progress", test_progress);

  status = g_test_run ();

  g_clear_object (&app);
  g_free (fixture_dir);
  return status;
}
