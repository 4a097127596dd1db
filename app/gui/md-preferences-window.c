/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>

#include "md-backend-rows.h"
#include "md-preferences-window.h"

struct _MdPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  AdwEntryRow          *reviewer_row;
  AdwEntryRow          *team_row;
  AdwActionRow         *videos_row;
  GtkWidget            *videos_clear_button;
};

G_DEFINE_FINAL_TYPE (MdPreferencesWindow, md_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
md_preferences_window_dispose (GObject *object)
{
  MdPreferencesWindow *self = MD_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  G_OBJECT_CLASS (md_preferences_window_parent_class)->dispose (object);
}

static void
update_videos_row (MdPreferencesWindow *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "source-videos-folder");
  gboolean set = folder[0] != '\0';

  adw_action_row_set_subtitle (self->videos_row,
                               set ? folder
                                   : _("Not set: clips play from their frames"));
  gtk_widget_set_visible (self->videos_clear_button, set);
}

static void
on_videos_folder_changed (GSettings           *settings,
                          const char          *key,
                          MdPreferencesWindow *self)
{
  update_videos_row (self);
  md_backend_rows_add_page (ADW_PREFERENCES_WINDOW (self));
}

static void
on_videos_chooser_response (GtkNativeDialog *dialog,
                            int              response,
                            gpointer         user_data)
{
  g_autoptr(MdPreferencesWindow) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;

      if (path != NULL)
        g_settings_set_string (self->settings, "source-videos-folder", path);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_videos_folder (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  MdPreferencesWindow *self = MD_PREFERENCES_WINDOW (widget);
  g_autofree char *current = g_settings_get_string (self->settings, "source-videos-folder");
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Source Videos Folder"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Select"), _("_Cancel"));
  if (current[0] != '\0')
    {
      g_autoptr(GFile) folder = g_file_new_for_path (current);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_videos_chooser_response),
                    g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
clear_videos_folder (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  MdPreferencesWindow *self = MD_PREFERENCES_WINDOW (widget);

  g_settings_reset (self->settings, "source-videos-folder");
}

static void
md_preferences_window_class_init (MdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = md_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mimicdesk/MimicDesk/ui/md-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MdPreferencesWindow, reviewer_row);
  gtk_widget_class_bind_template_child (widget_class, MdPreferencesWindow, team_row);
  gtk_widget_class_bind_template_child (widget_class, MdPreferencesWindow, videos_row);
  gtk_widget_class_bind_template_child (widget_class, MdPreferencesWindow, videos_clear_button);

  gtk_widget_class_install_action (widget_class, "prefs.choose-videos-folder", NULL,
                                   choose_videos_folder);
  gtk_widget_class_install_action (widget_class, "prefs.clear-videos-folder", NULL,
                                   clear_videos_folder);
}

static void
on_team_applied (AdwEntryRow         *row,
                 MdPreferencesWindow *self)
{
  g_settings_set_string (self->settings, "team-server",
                         gtk_editable_get_text (GTK_EDITABLE (row)));
}

static void
md_preferences_window_init (MdPreferencesWindow *self)
{
  g_autofree char *team_server = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "reviewer-name", self->reviewer_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  team_server = g_settings_get_string (self->settings, "team-server");
  gtk_editable_set_text (GTK_EDITABLE (self->team_row), team_server);
  /* Applied as a whole: every keystroke would be a connection attempt. */
  g_signal_connect_object (self->team_row, "apply", G_CALLBACK (on_team_applied), self, 0);
  g_signal_connect_object (self->settings, "changed::source-videos-folder",
                           G_CALLBACK (on_videos_folder_changed), self, 0);
  update_videos_row (self);
  md_backend_rows_add_page (ADW_PREFERENCES_WINDOW (self));
}

MdPreferencesWindow *
md_preferences_window_new (void)
{
  return g_object_new (MD_TYPE_PREFERENCES_WINDOW, NULL);
}
