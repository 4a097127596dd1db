/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "md-error.h"
#include "md-media-view.h"
#include "md-test-gtk.h"
#include "md-test-images.h"
#include "md-widgets.h"

/* A PNG signature and an IHDR chunk claiming 100000 x 100000 pixels, then nothing. */
static GBytes *
bomb_png (void)
{
  static const guint8 data[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n',
    0x00, 0x00, 0x00, 0x0D, 'I', 'H', 'D', 'R',
    0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0,   /* 100000 x 100000 */
    0x08, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  };

  return g_bytes_new_static (data, sizeof data);
}

/* A JPEG start-of-image and a baseline SOF0 claiming 20000 x 20000 (400 megapixels). */
static GBytes *
bomb_jpeg (void)
{
  static const guint8 data[] = {
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 'J', 'F',
    0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x4E, 0x20, 0x4E, 0x20, 0x01, 0x01, 0x11, 0x00,
  };

  return g_bytes_new_static (data, sizeof data);
}

static void
test_image_header (void)
{
  g_autoptr(GBytes) png = md_test_frame_png (0);
  g_autoptr(GBytes) jpeg = md_test_frame_jpeg (0);
  g_autoptr(GBytes) bomb = bomb_png ();
  g_autoptr(GBytes) jbomb = bomb_jpeg ();
  g_autoptr(GBytes) junk = g_bytes_new_static ("GIF89a....", 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  const char *mime_type = NULL;
  guint width = 0, height = 0;

  g_assert_true (md_image_check_header (png, "A", &mime_type, &width, &height, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mime_type, ==, "image/png");
  g_assert_cmpuint (width, ==, MD_TEST_FRAME_WIDTH);
  g_assert_cmpuint (height, ==, MD_TEST_FRAME_HEIGHT);

  g_assert_true (md_image_check_header (jpeg, "B", &mime_type, &width, &height, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mime_type, ==, "image/jpeg");
  g_assert_cmpuint (width, ==, MD_TEST_FRAME_WIDTH);
  g_assert_cmpuint (height, ==, MD_TEST_FRAME_HEIGHT);

  g_assert_false (md_image_check_header (bomb, "SD_IMG_bomb", NULL, NULL, NULL, &error));
  g_assert_error (error, MD_ERROR, MD_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "SD_IMG_bomb"));
  g_assert_nonnull (strstr (error->message, "100000 × 100000"));
  g_clear_error (&error);

  texture = md_image_decode (jbomb, "LA_IMG_jbomb", &error);
  g_assert_null (texture);
  g_assert_error (error, MD_ERROR, MD_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "20000 × 20000"));
  g_clear_error (&error);

  g_assert_false (md_image_check_header (junk, "X", NULL, NULL, NULL, &error));
  g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);
  g_clear_error (&error);
}

typedef struct
{
  GtkWindow     *window;
  MdMediaView   *view;
  MdImageLoader *loader;
  GHashTable    *table;
} Fixture;

/* A valid 16 x 16 header, then garbage where the CRC and the image data should be. */
static const guint8 broken_png[] = {
  0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n',
  0x00, 0x00, 0x00, 0x0D, 'I', 'H', 'D', 'R',
  0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10, 0x08, 0x02, 0x00, 0x00, 0x00,
  'j', 'u', 'n', 'k',
};

static void
fixture_setup (Fixture      *fixture,
               gconstpointer data)
{
  fixture->loader = md_test_loader_new (&fixture->table);
  md_test_images_add (fixture->table, "SD_IMG_00042_1", md_test_solid_png (224, 224, 200, 30, 30));
  md_test_images_add (fixture->table, "SD_IMG_00042_2", md_test_solid_png (224, 224, 30, 200, 30));
  md_test_images_add (fixture->table, "CGD_IMG_broken",
                      g_bytes_new_static (broken_png, sizeof broken_png));
  md_test_images_add (fixture->table, "SD_IMG_bomb", bomb_png ());

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 800, 500);
  fixture->view = MD_MEDIA_VIEW (md_media_view_new ());
  md_media_view_set_loader (fixture->view, fixture->loader);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
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
}

static gboolean
panes_loaded (gpointer data)
{
  MdMediaView *view = data;
  guint n = md_media_view_get_n_panes (view);

  for (guint i = 0; i < n; i++)
    if (!md_image_pane_get_loaded (md_media_view_get_pane (view, i)))
      return FALSE;
  return n > 0;
}

static void
assert_placeholder (GtkWidget  *pane,
                    const char *id,
                    const char *problem)
{
  g_autofree char *labels = md_test_collect_labels (pane);

  g_assert_null (md_image_pane_get_texture (MD_IMAGE_PANE (pane)));
  g_assert_nonnull (md_image_pane_get_error (MD_IMAGE_PANE (pane)));
  g_test_message ("placeholder: %s", labels);
  g_assert_nonnull (strstr (labels, id));
  g_assert_nonnull (strstr (labels, problem));
}

static void
test_media_view_placeholders (Fixture      *fixture,
                              gconstpointer data)
{
  const char *ids[] = { "SD_IMG_00042_1", "TVC_IMG_not_there", "CGD_IMG_broken", "SD_IMG_bomb",
                        NULL };
  GtkWidget *media = md_test_find_by_accessible_name (GTK_WIDGET (fixture->window), "Media");

  g_assert_true (media == GTK_WIDGET (fixture->view));
  md_media_view_set_media (fixture->view, MD_MODALITY_MULTI_IMAGE, ids, 0);
  g_assert_cmpuint (md_media_view_get_n_panes (fixture->view), ==, 4);
  g_assert_true (md_test_wait_until (panes_loaded, fixture->view, 5000));

  g_assert_nonnull (md_image_pane_get_texture (md_media_view_get_pane (fixture->view, 0)));
  assert_placeholder (md_test_find_by_accessible_name (media, "Image 2"), "TVC_IMG_not_there",
                      "not in the image store");
  assert_placeholder (md_test_find_by_accessible_name (media, "Image 3"), "CGD_IMG_broken",
                      "could not decode");
  assert_placeholder (md_test_find_by_accessible_name (media, "Image 4"), "SD_IMG_bomb",
                      "more than the limit of 64 megapixels");

  /* A single missing image. */
  md_media_view_set_media (fixture->view, MD_MODALITY_IMAGE, (const char *[]) { "LA_IMG_gone", NULL },
                           0);
  g_assert_true (md_test_wait_until (panes_loaded, fixture->view, 5000));
  assert_placeholder (md_test_find_by_accessible_name (media, "Image"), "LA_IMG_gone",
                      "not in the image store");
}

static void
test_media_view_pair_zoom (Fixture      *fixture,
                           gconstpointer data)
{
  const char *ids[] = { "SD_IMG_00042_1", "SD_IMG_00042_2", NULL };
  GtkWidget *first;
  GtkWidget *second;
  GtkAdjustment *h1, *h2;
  guint8 rgba[4];

  md_media_view_set_media (fixture->view, MD_MODALITY_IMAGE_PAIR, ids, 0);
  g_assert_true (md_test_wait_until (panes_loaded, fixture->view, 5000));
  first = md_test_find_by_accessible_name (GTK_WIDGET (fixture->view), "First image");
  second = md_test_find_by_accessible_name (GTK_WIDGET (fixture->view), "Second image");
  g_assert_true (MD_IS_IMAGE_PANE (first));
  g_assert_true (MD_IS_IMAGE_PANE (second));
  md_test_texture_pixel (md_image_pane_get_texture (MD_IMAGE_PANE (second)), 10, 10, rgba);
  g_assert_cmpint (rgba[1], ==, 200);

  /* Zoom one: the other follows, both ways. */
  md_image_pane_set_zoom (MD_IMAGE_PANE (first), 4.0);
  g_assert_cmpfloat (md_image_pane_get_zoom (MD_IMAGE_PANE (second)), ==, 4.0);
  md_image_pane_zoom_in (MD_IMAGE_PANE (second));
  g_assert_cmpfloat (md_image_pane_get_zoom (MD_IMAGE_PANE (first)), ==, 5.0);

  /* Pan one: the other follows. */
  md_test_spin (100);
  h1 = md_image_pane_get_hadjustment (MD_IMAGE_PANE (first));
  h2 = md_image_pane_get_hadjustment (MD_IMAGE_PANE (second));
  g_assert_cmpfloat (gtk_adjustment_get_upper (h1), >, 1000);
  gtk_adjustment_set_value (h1, 300);
  g_assert_cmpfloat (gtk_adjustment_get_value (h2), ==, 300);

  /* The key binding 0 (action media.zoom-fit) fits both. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "media.zoom-fit", NULL));
  g_assert_cmpfloat (md_image_pane_get_zoom (MD_IMAGE_PANE (first)), ==, 0);
  g_assert_cmpfloat (md_image_pane_get_zoom (MD_IMAGE_PANE (second)), ==, 0);
}

static gboolean
two_cached (gpointer data)
{
  return md_image_loader_get_n_cached (data) == 2;
}

static void
test_media_view_prefetch (Fixture      *fixture,
                          gconstpointer data)
{
  const char *next[] = { "SD_IMG_00042_1", "SD_IMG_00042_2", NULL };
  gint64 start;
  double ms;

  md_image_loader_prefetch (fixture->loader, next);
  g_assert_true (md_test_wait_until (two_cached, fixture->loader, 5000));
  g_assert_cmpuint (md_image_loader_get_n_cached (fixture->loader), ==, 2);

  /* Prefetched: shown in the same main-loop turn, no worker round trip (loaded right after the
   * call, before the main loop runs again). How long it takes is the benchmark's business: a
   * wall-clock bound here fails on a busy machine. */
  start = g_get_monotonic_time ();
  md_media_view_set_media (fixture->view, MD_MODALITY_IMAGE_PAIR, next, 0);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_test_message ("prefetched pair shown in %.2f ms", ms);
  g_assert_true (panes_loaded (fixture->view));
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  md_widgets_init ();

  g_test_add_func ("/widgets/image-loader/header", test_image_header);
  g_test_add ("/widgets/media-view/placeholders", Fixture, NULL, fixture_setup,
              test_media_view_placeholders, fixture_teardown);
  g_test_add ("/widgets/media-view/pair-zoom", Fixture, NULL, fixture_setup,
              test_media_view_pair_zoom, fixture_teardown);
  g_test_add ("/widgets/media-view/prefetch", Fixture, NULL, fixture_setup,
              test_media_view_prefetch, fixture_teardown);

  return g_test_run ();
}
