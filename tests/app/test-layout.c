/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "md-application.h"
#include "md-test-desk.h"
#include "md-test-gtk.h"
#include "md-window-private.h"

/* The window at laptop size: everything fits in 1024×700, the sidebar giving way on its own. */

static MdApplication *app;
static char *fixture_dir;

static int
min_width (GtkWidget *widget)
{
  int minimum = 0, natural = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  return minimum;
}

/* A window on the fixture, opening at the size the settings remember. */
static GtkWindow *
open_at (int width,
         int height)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWindow *window;

  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "sidebar-visible", TRUE);
  window = md_test_desk_open_folder (app, fixture_dir, 4);
  md_test_spin (300);
  return window;
}

static void
test_laptop_size (void)
{
  GtkWindow *window = open_at (1024, 700);
  MdWindow *self = MD_WINDOW (window);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  graphene_rect_t bounds;

  g_test_message ("window %d wide; minimum widths: window %d, sidebar %d, pair page %d",
                  gtk_widget_get_width (GTK_WIDGET (window)), min_width (GTK_WIDGET (window)),
                  min_width (GTK_WIDGET (self->sidebar_pane)),
                  min_width (GTK_WIDGET (self->pair_page)));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 1024);
  g_assert_cmpint (min_width (GTK_WIDGET (window)), <=, 1024);
  /* The sidebar gave way on its own, without changing the setting, and the pair pane ends inside
   * the window with room to read. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (self->sidebar_pane)));
  g_assert_true (g_settings_get_boolean (settings, "sidebar-visible"));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (self->pair_page), GTK_WIDGET (window),
                                            &bounds));
  g_test_message ("pair page at x %.0f, width %.0f", bounds.origin.x, bounds.size.width);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, 1024);
  g_assert_cmpfloat (bounds.size.width, >=, 360);
  /* F9 brings it back at the first press, even when narrow. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.toggle-sidebar", NULL));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (self->sidebar_pane)));
  gtk_window_destroy (window);

  /* Wide: the sidebar is there. */
  window = open_at (1600, 1000);
  self = MD_WINDOW (window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (self->sidebar_pane)));
  gtk_window_destroy (window);
}

/* A remembered size larger than the screen (a laptop after a desktop monitor) opens within it. */
static void
test_larger_than_screen (void)
{
  GdkMonitor *monitor = g_list_model_get_item (gdk_display_get_monitors (gdk_display_get_default ()), 0);
  GdkRectangle geometry;
  GtkWindow *window;
  int width, height;

  gdk_monitor_get_geometry (monitor, &geometry);
  g_object_unref (monitor);
  window = open_at (geometry.width + 1000, geometry.height + 500);
  gtk_window_get_default_size (window, &width, &height);
  g_assert_cmpint (width, <=, geometry.width);
  g_assert_cmpint (height, <=, geometry.height);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, geometry.width);
  gtk_window_destroy (window);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *cache = NULL;
  int status;

  tmp = g_dir_make_tmp ("mimicdesk-layout-XXXXXX", &error);
  g_assert_no_error (error);
  cache = g_build_filename (tmp, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  fixture_dir = g_build_filename (tmp, "T-shard", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture_dir, 0700), ==, 0);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  md_test_desk_write_fixture (fixture_dir);

  app = md_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/app/layout/laptop-size", test_laptop_size);
  g_test_add_func ("/app/layout/larger-than-screen", test_larger_than_screen);

  status = g_test_run ();

  g_clear_object (&app);
  g_free (fixture_dir);
  return status;
}
