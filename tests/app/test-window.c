/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "md-application.h"
#include "md-test-gtk.h"
#include "md-window.h"

/* One application per process: a GApplication exports itself on the session bus at a path
 * derived from its id, so a second instance in the same process could not register. */
static MdApplication *app;

static GtkWindow *
open_main_window (void)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_nonnull (window);
  g_assert_true (MD_IS_WINDOW (window));
  md_test_spin (100);
  return window;
}

static GtkWindow *
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

static void
test_window_shell (void)
{
  GtkWindow *window = open_main_window ();
  GtkWidget *open_button;
  GtkWidget *menu_button;

  g_assert_cmpstr (gtk_window_get_title (window), ==, "MIMIC Desk");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  open_button = md_test_find_by_accessible_name (GTK_WIDGET (window), "Open dataset");
  g_assert_nonnull (open_button);
  g_assert_true (GTK_IS_BUTTON (open_button));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (open_button)), ==, "win.open");

  menu_button = md_test_find_by_accessible_name (GTK_WIDGET (window), "Main menu");
  g_assert_nonnull (menu_button);
  g_assert_true (GTK_IS_MENU_BUTTON (menu_button));
  g_assert_nonnull (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button)));

  g_assert_null (md_test_find_by_accessible_name (GTK_WIDGET (window), "No such widget"));

  gtk_window_destroy (window);
}

static void
test_window_actions (void)
{
  GtkWindow *window = open_main_window ();
  g_auto(GStrv) quit_accels = NULL;
  GtkWindow *about;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "preferences"));
  quit_accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_cmpstr (quit_accels[0], ==, "<Control>q");

  /* The shortcuts window is loaded from the resource base path. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  md_test_spin (200);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  gtk_window_destroy (about);

  gtk_window_destroy (window);
}

/* The labels of the main menu's "Open Recent" submenu, joined with "; ". */
static char *
recent_items (GtkWidget *window)
{
  GtkWidget *menu_button = md_test_find_by_accessible_name (window, "Main menu");
  GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
  g_autoptr(GString) found = g_string_new (NULL);

  for (int s = 0; s < g_menu_model_get_n_items (menu); s++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, s, G_MENU_LINK_SECTION);

      for (int i = 0; section != NULL && i < g_menu_model_get_n_items (section); i++)
        {
          g_autoptr(GMenuModel) sub = g_menu_model_get_item_link (section, i, G_MENU_LINK_SUBMENU);
          g_autofree char *label = NULL;

          if (sub == NULL)
            continue;
          g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_LABEL, "s", &label);
          if (g_strcmp0 (label, "Open _Recent") != 0)
            continue;
          for (int j = 0; j < g_menu_model_get_n_items (sub); j++)
            {
              g_autofree char *item = NULL;

              g_menu_model_get_item_attribute (sub, j, G_MENU_ATTRIBUTE_LABEL, "s", &item);
              g_string_append_printf (found, "%s%s", found->len ? "; " : "", item);
            }
        }
    }
  return g_string_free (g_steal_pointer (&found), FALSE);
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_window_recent (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWindow *window;
  GtkWidget *menu_button;
  GtkWidget *label;
  g_autofree char *items = NULL;

  /* Nothing opened yet: the submenu says so, greyed out, instead of opening onto nothing. */
  g_settings_set_strv (settings, "recent-datasets", NULL);
  window = open_main_window ();
  items = recent_items (GTK_WIDGET (window));
  g_assert_cmpstr (items, ==, "No Recent Datasets");
  g_clear_pointer (&items, g_free);
  menu_button = md_test_find_by_accessible_name (GTK_WIDGET (window), "Main menu");
  gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
  md_test_spin (100);
  label = find_label (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu_button))),
                      "No Recent Datasets");
  g_assert_nonnull (label);
  g_assert_false (gtk_widget_is_sensitive (label));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (menu_button));

  /* A folder that exists takes its place; a gone one is left out. */
  {
    const char *recent[] = { g_get_tmp_dir (), "/nonexistent/mimicdesk/gone", NULL };
    g_autofree char *name = g_path_get_basename (g_get_tmp_dir ());

    g_settings_set_strv (settings, "recent-datasets", recent);
    items = recent_items (GTK_WIDGET (window));
    g_assert_cmpstr (items, ==, name);
  }

  g_settings_set_strv (settings, "recent-datasets", NULL);
  g_clear_pointer (&items, g_free);
  items = recent_items (GTK_WIDGET (window));
  g_assert_cmpstr (items, ==, "No Recent Datasets");
  gtk_window_destroy (window);
}

int
main (int argc, char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  app = md_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/app/window/shell", test_window_shell);
  g_test_add_func ("/app/window/actions", test_window_actions);
  g_test_add_func ("/app/window/recent", test_window_recent);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
