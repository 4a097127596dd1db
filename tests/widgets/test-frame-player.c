/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "md-frame-player.h"
#include "md-test-gtk.h"
#include "md-test-images.h"
#include "md-widgets.h"

#define N_FRAMES 16

typedef struct
{
  GtkWindow     *window;
  MdFramePlayer *player;
  MdImageLoader *loader;
  GHashTable    *table;
  char          *ids[N_FRAMES + 1];
  guint          max_index_seen;
  guint          n_notifies;
} Fixture;

static void
fixture_setup (Fixture      *fixture,
               gconstpointer data)
{
  gboolean jpeg = GPOINTER_TO_INT (data);

  fixture->loader = md_test_loader_new (&fixture->table);
  for (guint i = 0; i < N_FRAMES; i++)
    {
      fixture->ids[i] = g_strdup_printf ("TVC_IMG_bbt_s01e01_seg01_clip_00_%05u", i);
      md_test_images_add (fixture->table, fixture->ids[i],
                          jpeg ? md_test_frame_jpeg (i) : md_test_frame_png (i));
    }
  fixture->ids[N_FRAMES] = NULL;

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 640, 480);
  fixture->player = MD_FRAME_PLAYER (md_frame_player_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->player));
  gtk_window_present (fixture->window);
}

static void
fixture_teardown (Fixture      *fixture,
                  gconstpointer data)
{
  gtk_window_destroy (fixture->window);
  md_test_spin (20);
  g_clear_object (&fixture->loader);
  g_clear_pointer (&fixture->table, g_hash_table_unref);
  for (guint i = 0; i < N_FRAMES; i++)
    g_free (fixture->ids[i]);
}

static GdkTexture *
shown_texture (Fixture *fixture)
{
  GtkWidget *picture = md_test_find_by_accessible_name (GTK_WIDGET (fixture->player),
                                                        "Current frame");
  GdkPaintable *paintable;

  g_assert_true (GTK_IS_PICTURE (picture));
  paintable = gtk_picture_get_paintable (GTK_PICTURE (picture));
  if (paintable == NULL)
    return NULL;
  g_assert_true (GDK_IS_TEXTURE (paintable));
  return GDK_TEXTURE (paintable);
}

/* The picture shows frame index: right size, and the square has that frame's colour. */
static void
assert_shows_frame (Fixture *fixture,
                    guint    index,
                    gboolean jpeg)
{
  GdkTexture *texture = shown_texture (fixture);
  guint8 rgba[4];
  guint8 r, g, b;
  int x, y;
  int tolerance = jpeg ? 12 : 0;

  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, MD_TEST_FRAME_WIDTH);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, MD_TEST_FRAME_HEIGHT);
  md_test_frame_colour (index, &r, &g, &b);
  md_test_frame_square_centre (index, &x, &y);
  md_test_texture_pixel (texture, x, y, rgba);
  g_test_message ("frame %u: got %d,%d,%d expected %d,%d,%d", index, rgba[0], rgba[1], rgba[2],
                  r, g, b);
  g_assert_cmpint (abs (rgba[0] - r), <=, tolerance);
  g_assert_cmpint (abs (rgba[1] - g), <=, tolerance);
  g_assert_cmpint (abs (rgba[2] - b), <=, tolerance);
  g_assert_cmpint (rgba[3], ==, 255);
}

static gboolean
frame_shown (gpointer data)
{
  Fixture *fixture = data;
  GdkTexture *texture;
  guint8 rgba[4];
  guint8 r, g, b;
  int x, y;
  guint index = md_frame_player_get_frame_index (fixture->player);

  if (md_frame_player_get_n_frames (fixture->player) == 0)
    return FALSE;
  texture = shown_texture (fixture);
  if (texture == NULL)
    return FALSE;
  /* Stepping shows the new index at once and the decoded picture a moment later. */
  md_test_frame_colour (index, &r, &g, &b);
  md_test_frame_square_centre (index, &x, &y);
  md_test_texture_pixel (texture, x, y, rgba);
  return abs (rgba[0] - r) <= 12 && abs (rgba[1] - g) <= 12 && abs (rgba[2] - b) <= 12;
}

static void
on_frame_index (MdFramePlayer *player,
                GParamSpec    *pspec,
                Fixture       *fixture)
{
  guint index = md_frame_player_get_frame_index (player);

  fixture->n_notifies++;
  fixture->max_index_seen = MAX (fixture->max_index_seen, index);
  /* While playing, the picture and the index move together. */
  if (md_frame_player_get_playing (player) && shown_texture (fixture) != NULL)
    g_assert_true (frame_shown (fixture));
}

static gboolean
advanced_to_6 (gpointer data)
{
  Fixture *fixture = data;

  return fixture->max_index_seen >= 6;
}

static gboolean
stopped (gpointer data)
{
  Fixture *fixture = data;

  return !md_frame_player_get_playing (fixture->player);
}

static void
test_frame_player_play (Fixture      *fixture,
                        gconstpointer data)
{
  gboolean jpeg = GPOINTER_TO_INT (data);
  GtkWidget *play;
  GtkWidget *filmstrip;
  g_autofree char *labels = NULL;
  g_autofree char *expected = NULL;
  GListModel *model;
  gint64 start;
  double elapsed;

  md_frame_player_set_frames (fixture->player, fixture->loader,
                              (const char * const *) fixture->ids, 8.0);
  g_assert_true (md_test_wait_until (frame_shown, fixture, 5000));
  g_assert_cmpuint (md_frame_player_get_n_frames (fixture->player), ==, N_FRAMES);
  g_assert_cmpuint (md_frame_player_get_frame_index (fixture->player), ==, 0);
  assert_shows_frame (fixture, 0, jpeg);
  g_assert_cmpstrv (md_frame_player_get_problems (fixture->player), ((const char *[]) { NULL }));

  labels = md_test_collect_labels (GTK_WIDGET (fixture->player));
  expected = g_strdup_printf ("\n1 / 16\n%s\n", fixture->ids[0]);
  g_assert_nonnull (strstr (labels, expected));

  filmstrip = md_test_find_by_accessible_name (GTK_WIDGET (fixture->player), "Filmstrip");
  g_assert_true (GTK_IS_LIST_VIEW (filmstrip));
  model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (filmstrip)));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_FRAMES);

  /* Play with the button, at 8 fps x 2: frames advance in real time. */
  g_signal_connect (fixture->player, "notify::frame-index", G_CALLBACK (on_frame_index), fixture);
  md_frame_player_set_rate (fixture->player, 2.0);
  play = md_test_find_by_accessible_name (GTK_WIDGET (fixture->player), "Play");
  g_assert_true (GTK_IS_TOGGLE_BUTTON (play));
  start = g_get_monotonic_time ();
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (play), TRUE);
  g_assert_true (md_frame_player_get_playing (fixture->player));
  g_assert_true (md_test_wait_until (advanced_to_6, fixture, 5000));
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("6 frames at 16 fps in %.3f s", elapsed);
  /* Paced by the clock: 6 frames at 16 fps take about 0.37 s, not an instant. */
  g_assert_cmpfloat (elapsed, >, 0.2);
  assert_shows_frame (fixture, md_frame_player_get_frame_index (fixture->player), jpeg);

  /* It plays to the end and stops by itself. */
  g_assert_true (md_test_wait_until (stopped, fixture, 5000));
  g_assert_cmpuint (fixture->max_index_seen, ==, N_FRAMES - 1);
  md_test_spin (50);
  g_assert_cmpuint (md_frame_player_get_frame_index (fixture->player), ==, N_FRAMES - 1);
  assert_shows_frame (fixture, N_FRAMES - 1, jpeg);
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (play)));
  g_signal_handlers_disconnect_by_data (fixture->player, fixture);
}

static void
test_frame_player_step (Fixture      *fixture,
                        gconstpointer data)
{
  gboolean jpeg = GPOINTER_TO_INT (data);
  GtkWidget *next;
  GtkWidget *previous;
  g_autofree char *labels = NULL;

  md_frame_player_set_frames (fixture->player, fixture->loader,
                              (const char * const *) fixture->ids, 3.0);
  g_assert_true (md_test_wait_until (frame_shown, fixture, 5000));

  next = md_test_find_by_accessible_name (GTK_WIDGET (fixture->player), "Next frame");
  previous = md_test_find_by_accessible_name (GTK_WIDGET (fixture->player), "Previous frame");
  g_assert_true (GTK_IS_BUTTON (next));
  g_assert_true (GTK_IS_BUTTON (previous));
  g_assert_false (gtk_widget_is_sensitive (previous));

  for (guint i = 1; i <= 3; i++)
    {
      g_signal_emit_by_name (next, "clicked");
      g_assert_cmpuint (md_frame_player_get_frame_index (fixture->player), ==, i);
      g_assert_true (md_test_wait_until (frame_shown, fixture, 5000));
      assert_shows_frame (fixture, i, jpeg);
    }
  labels = md_test_collect_labels (GTK_WIDGET (fixture->player));
  g_assert_nonnull (strstr (labels, "\n4 / 16\n"));
  g_clear_pointer (&labels, g_free);
  g_assert_cmpstr (md_frame_player_get_frame_id (fixture->player), ==, fixture->ids[3]);

  g_signal_emit_by_name (previous, "clicked");
  g_assert_cmpuint (md_frame_player_get_frame_index (fixture->player), ==, 2);
  /* Frame 2 was decoded before: shown from memory at once. */
  assert_shows_frame (fixture, 2, jpeg);

  /* Seeking far (as the filmstrip does) and stepping past the end clamps. */
  md_frame_player_set_frame_index (fixture->player, 15);
  g_assert_true (md_test_wait_until (frame_shown, fixture, 5000));
  assert_shows_frame (fixture, 15, jpeg);
  md_frame_player_step (fixture->player, 1);
  g_assert_cmpuint (md_frame_player_get_frame_index (fixture->player), ==, 15);
  g_assert_false (gtk_widget_is_sensitive (next));
  labels = md_test_collect_labels (GTK_WIDGET (fixture->player));
  g_assert_nonnull (strstr (labels, "\n16 / 16\n"));
}

static void
test_frame_player_missing_frame (Fixture      *fixture,
                                 gconstpointer data)
{
  const char *ids[] = { fixture->ids[0], "TVC_IMG_clip_02_castle_s07e09_seg02_clip_02_00009",
                        fixture->ids[1], NULL };
  const char * const *problems;

  md_frame_player_set_frames (fixture->player, fixture->loader, ids, 3.0);
  g_assert_true (md_test_wait_until (frame_shown, fixture, 5000));
  g_assert_cmpuint (md_frame_player_get_n_frames (fixture->player), ==, 2);
  problems = md_frame_player_get_problems (fixture->player);
  g_assert_cmpuint (g_strv_length ((char **) problems), ==, 1);
  g_assert_nonnull (strstr (problems[0], "TVC_IMG_clip_02_castle_s07e09_seg02_clip_02_00009"));
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  md_widgets_init ();

  g_test_add ("/widgets/frame-player/play-png", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_frame_player_play, fixture_teardown);
  g_test_add ("/widgets/frame-player/play-jpeg", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_frame_player_play, fixture_teardown);
  g_test_add ("/widgets/frame-player/step-png", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              test_frame_player_step, fixture_teardown);
  g_test_add ("/widgets/frame-player/step-jpeg", Fixture, GINT_TO_POINTER (TRUE), fixture_setup,
              test_frame_player_step, fixture_teardown);
  g_test_add ("/widgets/frame-player/missing-frame", Fixture, GINT_TO_POINTER (FALSE),
              fixture_setup, test_frame_player_missing_frame, fixture_teardown);

  return g_test_run ();
}
