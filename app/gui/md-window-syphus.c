/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>

#include "md-batch-view.h"
#include "md-syphus-panel.h"
#include "md-window-private.h"

/* The window's Syphus actions: r and t open the panel on the shown pair; the primary menu starts
 * batches. Like j and k, the letters are capture-phase shortcuts that give way to text entry. */

/* Texts accepted from a model are in the review file: show them, and their history. */
static void
on_revised (MdWindow   *self,
            const char *pair_id)
{
  md_pair_navigator_invalidate (self->navigator, pair_id);
  _md_window_review_refresh (self);
}

static void
open_panel (MdWindow        *self,
            MdSyphusJobKind  kind)
{
  MdPair *pair = md_pair_page_get_pair (self->pair_page);
  MdSyphusPanel *panel;

  if (self->store == NULL || pair == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Open a dataset and choose a pair first")));
      return;
    }
  panel = md_syphus_panel_new (GTK_WINDOW (self), self->store, self->pair_page, kind,
                               md_pair_get_id (pair));
  g_signal_connect_object (panel, "revised", G_CALLBACK (on_revised), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (panel));
}

static void
regenerate_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  open_panel (MD_WINDOW (widget), MD_SYPHUS_JOB_REGENERATE);
}

static void
translate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  open_panel (MD_WINDOW (widget), MD_SYPHUS_JOB_TRANSLATE);
}

static void
open_batch (MdWindow        *self,
            MdSyphusJobKind  kind)
{
  g_autoptr(MdQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  MdBatchView *view;

  if (self->store == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Open a dataset first")));
      return;
    }
  query = _md_window_build_query (self, &error);
  if (query == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  view = md_batch_view_new (GTK_WINDOW (self), self->store, kind, query);
  g_signal_connect_object (view, "revised", G_CALLBACK (on_revised), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (view));
}

static void
batch_regenerate_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  open_batch (MD_WINDOW (widget), MD_SYPHUS_JOB_REGENERATE);
}

static void
batch_translate_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  open_batch (MD_WINDOW (widget), MD_SYPHUS_JOB_TRANSLATE);
}

static gboolean
on_key (GtkWidget *widget,
        GVariant  *args,
        gpointer   user_data)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (widget));

  if (focus != NULL && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT (focus) ||
                        (GTK_IS_TEXT_VIEW (focus) &&
                         gtk_text_view_get_editable (GTK_TEXT_VIEW (focus)))))
    return FALSE;
  return gtk_widget_activate_action_variant (widget, g_variant_get_string (args, NULL), NULL);
}

void
_md_window_class_init_syphus (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.regenerate", NULL, regenerate_action);
  gtk_widget_class_install_action (widget_class, "win.translate", NULL, translate_action);
  gtk_widget_class_install_action (widget_class, "win.batch-regenerate-flagged", NULL,
                                   batch_regenerate_action);
  gtk_widget_class_install_action (widget_class, "win.batch-translate-missing", NULL,
                                   batch_translate_action);
}

void
_md_window_init_syphus (MdWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  const struct { guint keyval; const char *action; } keys[] = {
    { GDK_KEY_r, "win.regenerate" },
    { GDK_KEY_t, "win.translate" },
  };

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (controller, "md-window-syphus-keys");
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller),
                                     GTK_SHORTCUT_SCOPE_MANAGED);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].keyval, 0),
                                                gtk_callback_action_new (on_key, NULL, NULL));

      gtk_shortcut_set_arguments (shortcut, g_variant_new_string (keys[i].action));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
    }
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
