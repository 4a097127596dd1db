/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>

#include "md-window.h"

struct _MdWindow
{
  AdwApplicationWindow  parent_instance;

  AdwWindowTitle       *window_title;
  GtkStack             *main_stack;
};

G_DEFINE_FINAL_TYPE (MdWindow, md_window, ADW_TYPE_APPLICATION_WINDOW)

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  MdWindow *self = MD_WINDOW (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        md_window_open_files (self, &file, 1);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
md_window_open_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  MdWindow *self = MD_WINDOW (widget);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Open Dataset"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                        _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

void
md_window_open_files (MdWindow  *self,
                      GFile    **files,
                      int        n_files)
{
  g_return_if_fail (MD_IS_WINDOW (self));

  if (n_files > 0)
    {
      g_autofree char *name = g_file_get_basename (files[0]);

      adw_window_title_set_subtitle (self->window_title, name);
    }
}

static void
md_window_class_init (MdWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mimicdesk/MimicDesk/ui/md-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MdWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, main_stack);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, md_window_open_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
}

static void
md_window_init (MdWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

MdWindow *
md_window_new (MdApplication *application)
{
  return g_object_new (MD_TYPE_WINDOW, "application", application, NULL);
}
