/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "md-frame-player.h"
#include "md-media-view.h"
#include "md-test-gtk.h"
#include "md-test-video.h"
#include "md-widgets.h"

/* A source video played from its file: a real WebM made by GStreamer, decoded by playbin into
 * the frame player's picture. */

static char *video_path;

typedef struct
{
  GtkWindow     *window;
  MdFramePlayer *player;
} Fixture;

static void
fixture_setup (Fixture      *fixture,
               gconstpointer data)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  fixture->player = MD_FRAME_PLAYER (md_frame_player_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->player));
  gtk_window_set_default_size (fixture->window, 480, 360);
  gtk_window_present (fixture->window);
}

static void
fixture_teardown (Fixture      *fixture,
                  gconstpointer data)
{
  gtk_window_destroy (fixture->window);
  md_test_spin (10);
}

static GtkPicture *
picture_of (GtkWidget *root)
{
  GtkWidget *picture = md_test_find_by_accessible_name (root, "Current frame");

  g_assert_true (GTK_IS_PICTURE (picture));
  return GTK_PICTURE (picture);
}

static gboolean
shows_texture (gpointer data)
{
  GdkPaintable *paintable = gtk_picture_get_paintable (data);

  return GDK_IS_TEXTURE (paintable);
}

static void
assert_full_size_texture (GtkPicture *picture)
{
  GdkPaintable *paintable = gtk_picture_get_paintable (picture);

  g_assert_true (GDK_IS_TEXTURE (paintable));
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (paintable)), ==, MD_TEST_VIDEO_WIDTH);
  g_assert_cmpint (gdk_texture_get_height (GDK_TEXTURE (paintable)), ==, MD_TEST_VIDEO_HEIGHT);
}

static gboolean
knows_length (gpointer data)
{
  return md_frame_player_get_n_frames (data) == MD_TEST_VIDEO_N_FRAMES;
}

typedef struct
{
  MdFramePlayer *player;
  GtkPicture    *picture;
  guint          index;
  GdkPaintable  *not_this;
} Wait;

static gboolean
index_at_least (gpointer data)
{
  Wait *w = data;

  return md_frame_player_get_frame_index (w->player) >= w->index &&
         gtk_picture_get_paintable (w->picture) != w->not_this;
}

static gboolean
stopped (gpointer data)
{
  return !md_frame_player_get_playing (data);
}

static void
test_play_file (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr(GFile) file = g_file_new_for_path (video_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPaintable) first = NULL;
  GtkPicture *picture = picture_of (GTK_WIDGET (fixture->player));
  Wait w;

  g_assert_true (md_frame_player_set_file (fixture->player, file, &error));
  g_assert_no_error (error);

  /* The first frame, decoded from the file at its own size. */
  g_assert_true (md_test_wait_until (shows_texture, picture, 10000));
  assert_full_size_texture (picture);
  g_assert_cmpuint (md_frame_player_get_frame_index (fixture->player), ==, 0);
  g_assert_null (md_frame_player_get_frame_id (fixture->player));
  /* The length comes from the file: 3 s at 10 fps. */
  g_assert_true (md_test_wait_until (knows_length, fixture->player, 10000));
  first = g_object_ref (gtk_picture_get_paintable (picture));

  /* Playing moves through the file's frames. */
  md_frame_player_set_playing (fixture->player, TRUE);
  g_assert_true (md_frame_player_get_playing (fixture->player));
  w = (Wait) { fixture->player, picture, 5, first };
  g_assert_true (md_test_wait_until (index_at_least, &w, 10000));
  assert_full_size_texture (picture);

  /* ... up to the end, where it stops by itself on the last frame. */
  g_assert_true (md_test_wait_until (stopped, fixture->player, 15000));
  g_assert_cmpuint (md_frame_player_get_frame_index (fixture->player), >=,
                    MD_TEST_VIDEO_N_FRAMES - 3);

  /* Stepping seeks in the file: frame 10 of the ball is not frame 0. */
  md_frame_player_set_frame_index (fixture->player, 10);
  g_assert_cmpuint (md_frame_player_get_frame_index (fixture->player), ==, 10);
  w = (Wait) { fixture->player, picture, 10, NULL };
  g_assert_true (md_test_wait_until (index_at_least, &w, 5000));
  md_test_spin (300);
  assert_full_size_texture (picture);
  g_assert_true (gtk_picture_get_paintable (picture) != first);
  md_frame_player_step (fixture->player, -1);
  g_assert_cmpuint (md_frame_player_get_frame_index (fixture->player), ==, 9);

  /* Going back to frames (none here) drops the file. */
  md_frame_player_set_frames (fixture->player, NULL, NULL, 1.0);
  g_assert_cmpuint (md_frame_player_get_n_frames (fixture->player), ==, 0);
  g_assert_null (gtk_picture_get_paintable (picture));
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
test_broken_file (Fixture      *fixture,
                  gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("md-video-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "broken.webm", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TextSearch s = { GTK_WIDGET (fixture->player), "Playback failed" };

  g_assert_no_error (error);
  g_file_set_contents (path, "this is no WebM at all, just text", -1, &error);
  g_assert_no_error (error);

  /* The failure comes while the file opens: it must still reach the user. */
  g_assert_true (md_frame_player_set_file (fixture->player, file, &error));
  g_assert_true (md_test_wait_until (shows_text, &s, 10000));
  g_assert_false (md_frame_player_get_playing (fixture->player));

  md_frame_player_set_frames (fixture->player, NULL, NULL, 1.0);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_media_view_file (void)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  MdMediaView *view = MD_MEDIA_VIEW (md_media_view_new ());
  g_autoptr(GFile) file = g_file_new_for_path (video_path);
  g_autoptr(GError) error = NULL;
  MdFramePlayer *player;
  GtkPicture *picture;
  Wait w;

  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  g_assert_true (md_media_view_set_video_file (view, file, &error));
  g_assert_no_error (error);
  g_assert_cmpint (md_media_view_get_modality (view), ==, MD_MODALITY_VIDEO);
  player = md_media_view_get_frame_player (view);
  picture = picture_of (GTK_WIDGET (player));
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (picture)));
  g_assert_true (md_test_wait_until (shows_texture, picture, 10000));
  assert_full_size_texture (picture);

  md_frame_player_set_playing (player, TRUE);
  w = (Wait) { player, picture, 3, NULL };
  g_assert_true (md_test_wait_until (index_at_least, &w, 10000));

  /* A text pair next: the file stops with it. */
  md_media_view_set_media (view, MD_MODALITY_TEXT, NULL, 1.0);
  g_assert_false (md_frame_player_get_playing (player));
  g_assert_null (gtk_picture_get_paintable (picture));

  gtk_window_destroy (window);
  md_test_spin (10);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  md_widgets_init ();

  dir = g_dir_make_tmp ("md-video-file-XXXXXX", &error);
  g_assert_no_error (error);
  video_path = g_build_filename (dir, "ball.webm", NULL);
  md_test_write_webm (video_path);

  g_test_add ("/widgets/video-file/play", Fixture, NULL, fixture_setup, test_play_file,
              fixture_teardown);
  g_test_add ("/widgets/video-file/broken", Fixture, NULL, fixture_setup, test_broken_file,
              fixture_teardown);
  g_test_add_func ("/widgets/video-file/media-view", test_media_view_file);

  status = g_test_run ();

  g_unlink (video_path);
  g_rmdir (dir);
  g_free (video_path);
  return status;
}
