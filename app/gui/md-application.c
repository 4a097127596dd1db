/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>

#include "md-widgets.h"

#include "md-app-resources.h"
#include "md-application.h"
#include "md-preferences-window.h"
#include "md-window.h"

struct _MdApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (MdApplication, md_application, ADW_TYPE_APPLICATION)

static MdWindow *
md_application_get_or_create_window (MdApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (md_window_new (self));
  return MD_WINDOW (window);
}

static void
md_application_activate (GApplication *app)
{
  gboolean first = gtk_application_get_active_window (GTK_APPLICATION (app)) == NULL;
  MdWindow *window = md_application_get_or_create_window (MD_APPLICATION (app));

  /* Started without files: pick up where the user left off. */
  if (first)
    {
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);
      g_autofree char *last = g_settings_get_string (settings, "last-dataset");

      if (last[0] != '\0' && g_file_test (last, G_FILE_TEST_EXISTS))
        {
          g_autoptr(GFile) file = g_file_new_for_path (last);

          md_window_open_files (window, &file, 1);
        }
    }

  gtk_window_present (GTK_WINDOW (window));
}

static void
md_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  MdWindow *window = md_application_get_or_create_window (MD_APPLICATION (app));

  md_window_open_files (window, files, n_files);
  gtk_window_present (GTK_WINDOW (window));
}

static void
md_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (md_application_parent_class)->startup (app);

  md_widgets_init ();
}

static void
md_application_about (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The MIMIC Desk developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("MIMIC Desk"),
                         "application-icon", APP_ID,
                         "developer-name", _("The MIMIC Desk developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Audit, fix and curate MIMIC-IT multimodal instruction data"),
                         "website", "https://github.com/mimicdesk/mimicdesk",
                         "issue-url", "https://github.com/mimicdesk/mimicdesk/issues",
                         "developers", developers,
                         "copyright", "© 2026 The MIMIC Desk developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
md_application_preferences (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  MdPreferencesWindow *preferences = md_preferences_window_new ();

  gtk_window_set_transient_for (GTK_WINDOW (preferences), gtk_application_get_active_window (app));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
md_application_quit (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (app);

  /* Close rather than exit, so windows save their state and finish pending writes. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static const GActionEntry app_actions[] = {
  { "about", md_application_about },
  { "preferences", md_application_preferences },
  { "quit", md_application_quit },
};

static void
md_application_class_init (MdApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  /* The resources live in a static library: register them by hand so the linker keeps them. */
  md_app_register_resource ();

  app_class->activate = md_application_activate;
  app_class->open = md_application_open;
  app_class->startup = md_application_startup;
}

static void
md_application_init (MdApplication *self)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
}

MdApplication *
md_application_new (void)
{
  return g_object_new (MD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/io/github/mimicdesk/MimicDesk",
                       NULL);
}
