/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "md-application.h"
#include "md-frame-player.h"
#include "md-image-pane.h"
#include "md-media-view.h"
#include "md-store.h"
#include "md-test-desk.h"
#include "md-test-gtk.h"
#include "md-window.h"
#include "md-window-private.h"

/* The review desk as a user meets it: a real shard on disk, a real index, a real window under
 * Xvfb, found and driven through accessible names and the window's actions. */

static MdApplication *app;
static char *fixture_dir;

/* Helpers ----------------------------------------------------------------------------------- */

static GtkWindow *
open_fixture (void)
{
  GtkWindow *window = md_test_desk_open_folder (app, fixture_dir, 4);

  md_test_desk_assert_text_becomes (window, "Instruction", "Describe the red picture");
  return window;
}

static MdFramePlayer *
frame_player (GtkWindow *window)
{
  GtkWidget *media = md_test_desk_find (window, "Media");

  g_assert_true (MD_IS_MEDIA_VIEW (media));
  return md_media_view_get_frame_player (MD_MEDIA_VIEW (media));
}

/* Tests ------------------------------------------------------------------------------------- */

static void
test_open (void)
{
  GtkWindow *window = open_fixture ();
  g_autofree char *name = g_path_get_basename (fixture_dir);

  g_assert_cmpuint (md_test_desk_n_pairs (window), ==, 4);
  g_assert_cmpstr (md_test_desk_selected_id (window), ==, "T_INS_00001");
  /* The keyboard starts in the list, ready for j and k. */
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                         md_test_desk_find (window, "Pairs")));
  g_assert_cmpstr (gtk_window_get_title (window), ==, name);
  md_test_desk_assert_text_becomes (window, "Answer", "It is red.");
  gtk_window_destroy (window);
}

typedef struct
{
  GtkWindow  *window;
  const char *id;
} CacheWait;

static gboolean
is_cached (gpointer data)
{
  CacheWait *w = data;

  return md_pair_cache_contains (md_pair_navigator_get_cache (MD_WINDOW (w->window)->navigator), w->id);
}

static void
assert_text_now (GtkWindow  *window,
                 const char *text)
{
  g_autofree char *shown = md_test_desk_text (window, "Instruction");

  g_assert_cmpstr (shown, ==, text);
}

/* Once the neighbours are prefetched, moving to one shows its text before the main loop runs
 * again: no worker hop, no frame with the old text. Edits made meanwhile still show. */
static void
test_next_cached (void)
{
  g_autofree char *dir = g_build_filename (fixture_dir, "..", "T-cached", NULL);
  g_autoptr(GError) error = NULL;
  GtkWindow *window;
  MdReviewStore *review;
  CacheWait w;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  md_test_desk_write_fixture (dir);
  window = md_test_desk_open_folder (app, dir, 4);
  md_test_desk_assert_text_becomes (window, "Instruction", "Describe the red picture");
  w.window = window;

  w.id = "T_INS_00002";
  g_assert_true (md_test_wait_until (is_cached, &w, 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-pair", NULL));
  g_assert_cmpstr (md_test_desk_selected_id (window), ==, "T_INS_00002");
  assert_text_now (window, "What happens in the clip?");

  /* An edit of a prefetched pair, made through the review file as the review desk makes it. */
  w.id = "T_INS_00003";
  g_assert_true (md_test_wait_until (is_cached, &w, 5000));
  review = MD_WINDOW (window)->review;
  g_assert_nonnull (review);
  g_assert_cmpint (md_review_store_edit_text (review, "T", "T_INS_00003", MD_LANGUAGE_EN,
                                              MD_FIELD_INSTRUCTION, "Where did the picture go?",
                                              "Where has the picture gone?", NULL,
                                              MD_REVIEW_AUTHOR_PERSON, &error), >, 0);
  g_assert_no_error (error);
  /* The review file changed: no cached reading is trusted, the pair is read again. */
  _md_window_review_refresh (MD_WINDOW (window));
  g_assert_false (md_pair_cache_contains (md_pair_navigator_get_cache (MD_WINDOW (window)->navigator),
                                          "T_INS_00003"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-pair", NULL));
  g_assert_cmpstr (md_test_desk_selected_id (window), ==, "T_INS_00003");
  md_test_desk_assert_text_becomes (window, "Instruction", "Where has the picture gone?");

  /* The pair left behind is kept too, for k. */
  w.id = "T_INS_00002";
  g_assert_true (md_test_wait_until (is_cached, &w, 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-pair", NULL));
  assert_text_now (window, "What happens in the clip?");

  /* A change to a pair drops it, and every pair showing it as an example. */
  w.id = "T_INS_00001";
  g_assert_true (md_test_wait_until (is_cached, &w, 5000));
  md_pair_cache_invalidate (md_pair_navigator_get_cache (MD_WINDOW (window)->navigator), "T_INS_00004");
  g_assert_false (md_pair_cache_contains (md_pair_navigator_get_cache (MD_WINDOW (window)->navigator), "T_INS_00001"));
  g_assert_true (md_pair_cache_contains (md_pair_navigator_get_cache (MD_WINDOW (window)->navigator), "T_INS_00003"));

  gtk_window_destroy (window);
}

static gboolean
has_error_class (GtkWidget *widget)
{
  return gtk_widget_has_css_class (widget, "error");
}

static void
test_search (void)
{
  GtkWindow *window = open_fixture ();
  GtkWidget *entry = md_test_desk_find (window, "Search pairs");

  g_assert_true (GTK_IS_SEARCH_ENTRY (entry));

  /* The pair that stays in the result stays selected. */
  md_test_desk_select_id (window, "T_INS_00004");
  gtk_editable_set_text (GTK_EDITABLE (entry), "blue");
  g_assert_true (md_test_desk_wait_n_pairs (window, 1, 3000));
  g_assert_cmpstr (md_test_desk_first_id (window), ==, "T_INS_00004");
  g_assert_cmpstr (md_test_desk_selected_id (window), ==, "T_INS_00004");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_assert_true (md_test_desk_wait_n_pairs (window, 4, 3000));
  g_assert_cmpstr (md_test_desk_selected_id (window), ==, "T_INS_00004");

  /* A query the store cannot read is said inline, on the entry, and the list stays as it was. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "\"blue");
  g_assert_true (md_test_wait_until ((gboolean (*) (gpointer)) has_error_class, entry, 3000));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (entry), "quote"));
  g_assert_cmpuint (md_test_desk_n_pairs (window), ==, 4);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  md_test_spin (300);
  g_assert_false (gtk_widget_has_css_class (entry, "error"));

  /* Ctrl+F's action puts the keyboard in the entry; Escape's handler gives it back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), entry) ||
                 gtk_root_get_focus (GTK_ROOT (window)) == entry);
  g_signal_emit_by_name (entry, "stop-search");
  md_test_spin (50);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                         md_test_desk_find (window, "Pairs")));

  gtk_window_destroy (window);
}

static void
test_walk (void)
{
  GtkWindow *window = open_fixture ();

  g_assert_cmpstr (md_test_desk_selected_id (window), ==, "T_INS_00001");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-pair", NULL));
  g_assert_cmpstr (md_test_desk_selected_id (window), ==, "T_INS_00002");
  md_test_desk_assert_text_becomes (window, "Instruction", "What happens in the clip?");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-pair", NULL));
  g_assert_cmpstr (md_test_desk_selected_id (window), ==, "T_INS_00003");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-pair", NULL));
  g_assert_cmpstr (md_test_desk_selected_id (window), ==, "T_INS_00002");
  md_test_desk_assert_text_becomes (window, "Instruction", "What happens in the clip?");

  gtk_window_destroy (window);
}

static gboolean
press_key (GtkWindow *window,
           guint      keyval)
{
  return md_test_desk_press (window, "md-window-keys", keyval, 0);
}

static void
test_keys (void)
{
  GtkWindow *window = open_fixture ();
  GtkWidget *entry = md_test_desk_find (window, "Search pairs");

  /* In the list (and anywhere but an entry) j, k and the digits walk and switch language. */
  gtk_widget_grab_focus (md_test_desk_find (window, "Pairs"));
  g_assert_true (press_key (window, GDK_KEY_j));
  g_assert_cmpstr (md_test_desk_selected_id (window), ==, "T_INS_00002");
  g_assert_true (press_key (window, GDK_KEY_k));
  g_assert_cmpstr (md_test_desk_selected_id (window), ==, "T_INS_00001");
  g_assert_true (press_key (window, GDK_KEY_2));
  md_test_desk_assert_text_becomes (window, "Instruction", "描述红色的图片");
  g_assert_true (press_key (window, GDK_KEY_1));
  md_test_desk_assert_text_becomes (window, "Instruction", "Describe the red picture");

  /* Every key of the shortcuts window works wherever the focus is: Ctrl+Page_Down walks even
   * though the list view takes it for itself, and the zoom keys reach the media view, which
   * neither a click nor Tab focuses. */
  g_assert_true (md_test_desk_press (window, "md-window-keys", GDK_KEY_Page_Down,
                                     GDK_CONTROL_MASK));
  g_assert_cmpstr (md_test_desk_selected_id (window), ==, "T_INS_00002");
  g_assert_true (md_test_desk_press (window, "md-window-keys", GDK_KEY_Page_Up, GDK_CONTROL_MASK));
  g_assert_cmpstr (md_test_desk_selected_id (window), ==, "T_INS_00001");
  {
    MdMediaView *media = MD_MEDIA_VIEW (md_test_desk_find (window, "Media"));
    MdImagePane *pane = md_media_view_get_pane (media, 0);

    g_assert_nonnull (pane);
    g_assert_cmpfloat (md_image_pane_get_zoom (pane), ==, 0);
    g_assert_true (press_key (window, GDK_KEY_plus));
    g_assert_cmpfloat (md_image_pane_get_zoom (pane), >, 0);
    g_assert_true (press_key (window, GDK_KEY_0));
    g_assert_cmpfloat (md_image_pane_get_zoom (pane), ==, 0);
  }

  /* In the search entry the same keys are text: the shortcuts decline them. */
  g_assert_true (press_key (window, GDK_KEY_slash));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), entry));
  g_assert_false (press_key (window, GDK_KEY_j));
  g_assert_false (press_key (window, GDK_KEY_2));
  g_assert_false (press_key (window, GDK_KEY_space));
  g_assert_cmpstr (md_test_desk_selected_id (window), ==, "T_INS_00001");

  gtk_window_destroy (window);
}

static void
test_languages (void)
{
  GtkWindow *window = open_fixture ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.language", "s", "zh"));
  md_test_desk_assert_text_becomes (window, "Instruction", "描述红色的图片");
  md_test_desk_assert_text_becomes (window, "Answer", "它是红色的。");
  /* The list follows the reading language too, and keeps the selected pair. */
  {
    GtkSingleSelection *selection = md_test_desk_pairs_selection (window);
    g_autoptr(MdPair) selected = g_list_model_get_item (G_LIST_MODEL (selection),
                                                        gtk_single_selection_get_selected (selection));

    g_assert_nonnull (selected);
    g_assert_cmpstr (md_pair_get_id (selected), ==, "T_INS_00001");
    g_assert_cmpstr (md_pair_get_summary (selected), ==, "描述红色的图片");
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.language", "s", "de"));
  md_test_desk_assert_text_becomes (window, "Instruction", "Beschreibe das rote Bild");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.language", "s", "en"));
  md_test_desk_assert_text_becomes (window, "Instruction", "Describe the red picture");

  gtk_window_destroy (window);
}

typedef struct
{
  MdFramePlayer *player;
  guint          index;
} FrameWait;

static gboolean
frame_at_least (gpointer data)
{
  FrameWait *w = data;

  return md_frame_player_get_n_frames (w->player) == 4 &&
         md_frame_player_get_frame_index (w->player) >= w->index;
}

static void
test_clip (void)
{
  GtkWindow *window = open_fixture ();
  MdFramePlayer *player;
  FrameWait w;

  md_test_desk_select_id (window, "T_INS_00002");
  md_test_desk_assert_text_becomes (window, "Instruction", "What happens in the clip?");
  player = frame_player (window);
  g_assert_nonnull (player);
  w = (FrameWait) { player, 0 };
  g_assert_true (md_test_wait_until (frame_at_least, &w, 5000));
  g_assert_cmpuint (md_frame_player_get_frame_index (player), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-frame", NULL));
  w.index = 1;
  g_assert_true (md_test_wait_until (frame_at_least, &w, 2000));
  g_assert_cmpuint (md_frame_player_get_frame_index (player), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.previous-frame", NULL));
  md_test_spin (100);
  g_assert_cmpuint (md_frame_player_get_frame_index (player), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.play", NULL));
  w.index = 2;
  g_assert_true (md_test_wait_until (frame_at_least, &w, 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.play", NULL));
  md_test_spin (100);
  g_assert_false (md_frame_player_get_playing (player));

  gtk_window_destroy (window);
}

static void
test_context_jump (void)
{
  GtkWindow *window = open_fixture ();
  GtkWidget *examples = md_test_desk_find (window, "In-context examples");
  GtkWidget *example = md_test_find_by_accessible_name (examples, "Example 1: T_INS_00004");

  g_assert_nonnull (example);
  g_assert_true (GTK_IS_LIST_BOX_ROW (example));
  g_signal_emit_by_name (example, "activate");
  md_test_desk_assert_text_becomes (window, "Instruction", "Describe the blue picture");
  /* Jumping shows the example without moving the list. */
  g_assert_cmpstr (md_test_desk_selected_id (window), ==, "T_INS_00001");
  g_assert_true (gtk_widget_get_sensitive (md_test_desk_find (window, "Back")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL));
  md_test_desk_assert_text_becomes (window, "Instruction", "Describe the red picture");
  /* The row that was activated is gone with the old page; the keyboard goes back to the list,
   * ready for j and k. */
  g_assert_nonnull (gtk_root_get_focus (GTK_ROOT (window)));
  g_assert_true (gtk_widget_get_mapped (gtk_root_get_focus (GTK_ROOT (window))));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                         md_test_desk_find (window, "Pairs")));
  /* Nothing left to go back to: the back button follows its action. */
  g_assert_false (gtk_widget_get_sensitive (md_test_desk_find (window, "Back")));

  gtk_window_destroy (window);
}

typedef struct
{
  GtkWidget  *root;
  const char *needle;
} TextSearch;

static gboolean
contains_label_with (GtkWidget  *root,
                     const char *needle)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_visible (root) &&
      strstr (gtk_label_get_text (GTK_LABEL (root)), needle) != NULL)
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (contains_label_with (child, needle))
      return TRUE;
  return FALSE;
}

static gboolean
shows_text (gpointer data)
{
  TextSearch *s = data;

  return contains_label_with (s->root, s->needle);
}

static void
test_missing_image (void)
{
  GtkWindow *window = open_fixture ();
  TextSearch s;

  md_test_desk_select_id (window, "T_INS_00003");
  md_test_desk_assert_text_becomes (window, "Instruction", "Where did the picture go?");
  s = (TextSearch) { md_test_desk_find (window, "Media"), "T_IMG_gone" };
  g_assert_true (md_test_wait_until (shows_text, &s, 5000));

  gtk_window_destroy (window);
}

static void
test_sidebar_filters (void)
{
  GtkWindow *window = open_fixture ();
  GtkWidget *missing = md_test_desk_find (window, "Quick filters");
  GtkWidget *check;

  /* The first quick filter is "Missing images": only T_INS_00003 lacks its image. */
  check = gtk_list_box_row_get_child (gtk_list_box_get_row_at_index (GTK_LIST_BOX (missing), 0));
  g_assert_true (GTK_IS_CHECK_BUTTON (check));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_true (md_test_desk_wait_n_pairs (window, 1, 3000));
  g_assert_cmpstr (md_test_desk_first_id (window), ==, "T_INS_00003");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
  g_assert_true (md_test_desk_wait_n_pairs (window, 4, 3000));

  gtk_window_destroy (window);
}

static GtkDropTarget *
find_drop_target (GtkWidget *root)
{
  GListModel *controllers = gtk_widget_observe_controllers (root);
  GtkDropTarget *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && found == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      const GType *types;
      gsize n_types = 0;

      if (!GTK_IS_DROP_TARGET (controller))
        continue;
      /* Entries take dropped text; the window takes dropped files. */
      types = gtk_drop_target_get_gtypes (GTK_DROP_TARGET (controller), &n_types);
      for (gsize j = 0; j < n_types; j++)
        if (types[j] == GDK_TYPE_FILE_LIST)
          found = GTK_DROP_TARGET (controller);
    }
  g_object_unref (controllers);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL && found == NULL;
       child = gtk_widget_get_next_sibling (child))
    found = find_drop_target (child);
  return found;
}

static void
test_drop (void)
{
  MdWindow *window = md_window_new (app);
  g_autoptr(GFile) folder = g_file_new_for_path (fixture_dir);
  GSList files = { folder, NULL };
  GValue value = G_VALUE_INIT;
  GtkDropTarget *target;
  gboolean accepted = FALSE;

  gtk_window_present (GTK_WINDOW (window));
  md_test_spin (50);
  target = find_drop_target (GTK_WIDGET (window));
  g_assert_nonnull (target);

  /* What GTK hands the target when a file manager drops a folder on the window. */
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (&files));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);

  g_assert_true (accepted);
  g_assert_true (md_test_desk_wait_import (GTK_WINDOW (window), 4, 10000));
  md_test_desk_assert_text_becomes (GTK_WINDOW (window), "Instruction", "Describe the red picture");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_sample (void)
{
  const char *sample_dir = g_getenv ("MD_SAMPLE_DIR");
  g_autofree char *probe = NULL;
  GtkWindow *window;

  if (sample_dir != NULL)
    probe = g_build_filename (sample_dir, "TVC_instructions.json", NULL);
  if (probe == NULL || !g_file_test (probe, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("MD_SAMPLE_DIR holds no sample dataset");
      return;
    }

  window = md_test_desk_open_folder (app, sample_dir, 65);
  gtk_editable_set_text (GTK_EDITABLE (md_test_desk_find (window, "Search pairs")), "sofa");
  g_assert_true (md_test_desk_wait_n_pairs (window, 2, 3000));
  g_assert_cmpstr (md_test_desk_first_id (window), ==, "TVC_INS_00002");
  md_test_desk_assert_text_becomes (window, "Instruction", "What color is the sofa in the room?");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.next-pair", NULL));
  g_assert_cmpstr (md_test_desk_selected_id (window), ==, "TVC_INS_00003");
  md_test_desk_assert_text_becomes (window, "Instruction", "Is anyone sitting on the sofa?");

  gtk_window_destroy (window);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *cache = NULL;
  int status;

  tmp = g_dir_make_tmp ("mimicdesk-browser-XXXXXX", &error);
  g_assert_no_error (error);
  /* The index goes to $XDG_CACHE_HOME; keep it inside the test's own folder. */
  cache = g_build_filename (tmp, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  fixture_dir = g_build_filename (tmp, "T-shard", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture_dir, 0700), ==, 0);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  md_test_desk_write_fixture (fixture_dir);

  app = md_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/app/browser/open", test_open);
  g_test_add_func ("/app/browser/search", test_search);
  g_test_add_func ("/app/browser/walk", test_walk);
  g_test_add_func ("/app/browser/next-cached", test_next_cached);
  g_test_add_func ("/app/browser/keys", test_keys);
  g_test_add_func ("/app/browser/languages", test_languages);
  g_test_add_func ("/app/browser/clip", test_clip);
  g_test_add_func ("/app/browser/context-jump", test_context_jump);
  g_test_add_func ("/app/browser/missing-image", test_missing_image);
  g_test_add_func ("/app/browser/sidebar-filters", test_sidebar_filters);
  g_test_add_func ("/app/browser/drop", test_drop);
  g_test_add_func ("/app/browser/sample", test_sample);

  status = g_test_run ();

  g_clear_object (&app);
  g_free (fixture_dir);
  return status;
}
