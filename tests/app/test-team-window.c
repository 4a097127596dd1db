/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-team-window"

#include "config.h"

#include <adwaita.h>

#include "md-application.h"
#include "md-review-filters.h"
#include "md-test-desk.h"
#include "md-test-gtk.h"
#include "md-test-pg.h"
#include "md-window-private.h"

/* Two windows, each on its own copy of the shard (so with its own index and review file), share
 * one team server set in Preferences: an approval in one shows up in the other's filtered pair
 * list and status pill by itself. */

static MdApplication *app;
static char *dir_a;
static char *dir_b;

static GtkWidget *
pill (GtkWindow *window)
{
  /* The note popover hangs from the pill. */
  return gtk_widget_get_parent (gtk_widget_get_ancestor (md_test_desk_find (window, "Note"),
                                                         GTK_TYPE_POPOVER));
}

typedef struct
{
  GtkWindow *window;
} Wait;

static gboolean
shows_approved (gpointer data)
{
  Wait *wait = data;

  return md_test_desk_n_pairs (wait->window) == 1 &&
         g_strcmp0 (md_test_desk_selected_id (wait->window), "T_INS_00001") == 0 &&
         gtk_widget_get_visible (pill (wait->window)) &&
         gtk_widget_has_css_class (pill (wait->window), "md-status-approved");
}

static void
test_team_live (void)
{
  g_autoptr(MdTestPg) pg = md_test_pg_start ();
  g_autoptr(GSettings) settings = NULL;
  GtkWindow *window_a, *window_b;
  Wait wait;
  gint64 approved_at;

  if (pg == NULL)
    return;
  settings = g_settings_new ("io.github.mimicdesk.MimicDesk");
  g_settings_set_string (settings, "team-server", md_test_pg_conninfo (pg));
  window_a = md_test_desk_open_folder (app, dir_a, 4);
  window_b = md_test_desk_open_folder (app, dir_b, 4);

  /* B lists only approved pairs: none yet. */
  md_review_filters_set_status (md_sidebar_get_review_filters (MD_WINDOW (window_b)->sidebar),
                                MD_REVIEW_STATUS_APPROVED);
  g_assert_true (md_test_desk_wait_n_pairs (window_b, 0, 10000));

  g_assert_cmpstr (md_test_desk_selected_id (window_a), ==, "T_INS_00001");
  gtk_widget_activate_action (GTK_WIDGET (window_a), "review.approve", NULL);
  approved_at = g_get_monotonic_time ();

  wait.window = window_b;
  if (!md_test_wait_until (shows_approved, &wait, 15000))
    g_error ("window B shows %u pairs (%s) after A's approval",
             md_test_desk_n_pairs (window_b),
             md_test_desk_selected_id (window_b) != NULL ? md_test_desk_selected_id (window_b)
                                                          : "none selected");
  g_test_message ("A's approval showed in window B after %.2f s",
                  (g_get_monotonic_time () - approved_at) / 1e6);

  gtk_window_destroy (window_a);
  gtk_window_destroy (window_b);
  md_test_spin (100);
  g_settings_set_string (settings, "team-server", "");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *cache = NULL;
  int status;

  tmp = g_dir_make_tmp ("mimicdesk-team-window-XXXXXX", &error);
  g_assert_no_error (error);
  cache = g_build_filename (tmp, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  dir_a = g_build_filename (tmp, "A", "T-shard", NULL);
  dir_b = g_build_filename (tmp, "B", "T-shard", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir_a, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (dir_b, 0700), ==, 0);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  md_test_desk_write_fixture (dir_a);
  md_test_desk_write_fixture (dir_b);

  app = md_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_test_add_func ("/app/team/live", test_team_live);
  status = g_test_run ();

  g_clear_object (&app);
  g_free (dir_a);
  g_free (dir_b);
  return status;
}
