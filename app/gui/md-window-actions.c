/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "md-window-private.h"

/* Keys that type text in an entry (j, k, digits, space, punctuation) must keep doing so there,
 * and arrows must keep moving inside popovers and the sidebar. Those keys are therefore not
 * window bindings but capture-phase shortcuts whose callbacks decline when the focus is in
 * such a place; the event then reaches the focused widget as usual. */

static gboolean
focus_is_editable (MdWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (focus == NULL)
    return FALSE;
  if (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT (focus))
    return TRUE;
  if (GTK_IS_TEXT_VIEW (focus) && gtk_text_view_get_editable (GTK_TEXT_VIEW (focus)))
    return TRUE;
  return FALSE;
}

static gboolean
focus_wants_arrows (MdWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (focus == NULL)
    return FALSE;
  /* The list moves its own cursor and selection; keep its focus ring where the selection is. */
  if (md_pair_table_has_focus (self->pair_table))
    return TRUE;
  if (gtk_widget_is_ancestor (focus, GTK_WIDGET (self->sidebar)))
    return TRUE;
  if (gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) != NULL)
    return TRUE;
  return FALSE;
}

static gboolean
move_pair (MdWindow *self,
           int       delta)
{
  gboolean list_had_focus = md_pair_table_has_focus (self->pair_table);

  if (self->store == NULL)
    return FALSE;

  md_pair_table_move (self->pair_table, delta);
  if (list_had_focus)
    md_pair_table_focus (self->pair_table);
  return TRUE;
}

static gboolean
on_key_next (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  MdWindow *self = MD_WINDOW (widget);

  if (focus_is_editable (self))
    return FALSE;
  return move_pair (self, 1);
}

static gboolean
on_key_previous (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  MdWindow *self = MD_WINDOW (widget);

  if (focus_is_editable (self))
    return FALSE;
  return move_pair (self, -1);
}

static gboolean
on_key_arrow (GtkWidget *widget,
              GVariant  *args,
              gpointer   user_data)
{
  MdWindow *self = MD_WINDOW (widget);

  if (focus_is_editable (self) || focus_wants_arrows (self))
    return FALSE;
  return move_pair (self, g_variant_get_int32 (args));
}

static gboolean
on_key_language (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  MdWindow *self = MD_WINDOW (widget);

  if (focus_is_editable (self))
    return FALSE;
  _md_window_set_language (self, (MdLanguage) g_variant_get_int32 (args));
  return TRUE;
}

static gboolean
on_key_action (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  MdWindow *self = MD_WINDOW (widget);

  if (focus_is_editable (self))
    return FALSE;
  return gtk_widget_activate_action_variant (widget, g_variant_get_string (args, NULL), NULL);
}

static void
add_key_mod (GtkShortcutController *controller,
             guint                  keyval,
             GdkModifierType        modifiers,
             GtkShortcutFunc        func,
             GVariant              *args)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keyval, modifiers),
                                            gtk_callback_action_new (func, NULL, NULL));

  if (args != NULL)
    gtk_shortcut_set_arguments (shortcut, args);
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static void
add_key (GtkShortcutController *controller,
         guint                  keyval,
         GtkShortcutFunc        func,
         GVariant              *args)
{
  add_key_mod (controller, keyval, 0, func, args);
}

void
_md_window_init_actions (MdWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkShortcutController *shortcuts = GTK_SHORTCUT_CONTROLLER (controller);

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (controller, "md-window-keys");
  /* Managed: the window owns these shortcuts, they are not offered to its ancestors. */
  gtk_shortcut_controller_set_scope (shortcuts, GTK_SHORTCUT_SCOPE_MANAGED);

  add_key (shortcuts, GDK_KEY_j, on_key_next, NULL);
  add_key (shortcuts, GDK_KEY_k, on_key_previous, NULL);
  add_key (shortcuts, GDK_KEY_Down, on_key_arrow, g_variant_new_int32 (1));
  add_key (shortcuts, GDK_KEY_Up, on_key_arrow, g_variant_new_int32 (-1));
  add_key (shortcuts, GDK_KEY_KP_Down, on_key_arrow, g_variant_new_int32 (1));
  add_key (shortcuts, GDK_KEY_KP_Up, on_key_arrow, g_variant_new_int32 (-1));
  for (guint i = 0; i < MD_N_LANGUAGES; i++)
    {
      add_key (shortcuts, GDK_KEY_1 + i, on_key_language, g_variant_new_int32 (i));
      add_key (shortcuts, GDK_KEY_KP_1 + i, on_key_language, g_variant_new_int32 (i));
    }
  add_key (shortcuts, GDK_KEY_space, on_key_action, g_variant_new_string ("win.play"));
  add_key (shortcuts, GDK_KEY_comma, on_key_action, g_variant_new_string ("win.previous-frame"));
  add_key (shortcuts, GDK_KEY_period, on_key_action, g_variant_new_string ("win.next-frame"));
  add_key (shortcuts, GDK_KEY_slash, on_key_action, g_variant_new_string ("win.search"));
  /* In the capture phase, so that they work wherever the focus is: the list view takes
   * Ctrl+Page_Down for itself, and the media view, whose own bindings these were, is never
   * focused by a click or Tab. */
  add_key_mod (shortcuts, GDK_KEY_Page_Down, GDK_CONTROL_MASK, on_key_action,
               g_variant_new_string ("win.next-pair"));
  add_key_mod (shortcuts, GDK_KEY_Page_Up, GDK_CONTROL_MASK, on_key_action,
               g_variant_new_string ("win.previous-pair"));
  add_key (shortcuts, GDK_KEY_plus, on_key_action, g_variant_new_string ("win.zoom-in"));
  add_key (shortcuts, GDK_KEY_equal, on_key_action, g_variant_new_string ("win.zoom-in"));
  add_key (shortcuts, GDK_KEY_KP_Add, on_key_action, g_variant_new_string ("win.zoom-in"));
  add_key (shortcuts, GDK_KEY_minus, on_key_action, g_variant_new_string ("win.zoom-out"));
  add_key (shortcuts, GDK_KEY_KP_Subtract, on_key_action, g_variant_new_string ("win.zoom-out"));
  add_key (shortcuts, GDK_KEY_0, on_key_action, g_variant_new_string ("win.zoom-fit"));
  add_key (shortcuts, GDK_KEY_KP_0, on_key_action, g_variant_new_string ("win.zoom-fit"));

  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

void
_md_window_update_actions (MdWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean open = self->store != NULL;

  gtk_widget_action_set_enabled (widget, "win.back", !g_queue_is_empty (&self->history));
  gtk_widget_action_set_enabled (widget, "win.next-pair", open);
  gtk_widget_action_set_enabled (widget, "win.previous-pair", open);
  gtk_widget_action_set_enabled (widget, "win.search", open);
  gtk_widget_action_set_enabled (widget, "win.export", open);
  gtk_widget_action_set_enabled (widget, "win.cancel-import", self->import_cancellable != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), open);
}

/* Actions */

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  _md_window_choose_dataset (MD_WINDOW (widget), FALSE);
}

static void
open_files_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  _md_window_choose_dataset (MD_WINDOW (widget), TRUE);
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  _md_window_open_path (MD_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
cancel_import_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  _md_window_cancel_import (MD_WINDOW (widget));
}

static void
next_pair_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  move_pair (MD_WINDOW (widget), 1);
}

static void
previous_pair_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  move_pair (MD_WINDOW (widget), -1);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MdWindow *self = MD_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  _md_window_go_back (MD_WINDOW (widget));
}

static void
play_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  md_pair_page_toggle_play (MD_WINDOW (widget)->pair_page);
}

static void
next_frame_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  md_pair_page_step (MD_WINDOW (widget)->pair_page, 1);
}

static void
previous_frame_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  md_pair_page_step (MD_WINDOW (widget)->pair_page, -1);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  /* win.zoom-in → media.zoom-in of the shown pair's media view. */
  g_autofree char *media_action = g_strconcat ("media.", action_name + strlen ("win."), NULL);

  md_pair_page_activate_media_action (MD_WINDOW (widget)->pair_page, media_action);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  _md_window_show_export (MD_WINDOW (widget));
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  _md_window_toggle_sidebar (MD_WINDOW (widget));
}

static void
show_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  MdWindow *self = MD_WINDOW (widget);

  md_pair_page_show_view (self->pair_page, g_variant_get_string (parameter, NULL));
}

void
_md_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-files", NULL, open_files_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-import", NULL, cancel_import_action);
  gtk_widget_class_install_action (widget_class, "win.next-pair", NULL, next_pair_action);
  gtk_widget_class_install_action (widget_class, "win.previous-pair", NULL, previous_pair_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.play", NULL, play_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-fit", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "win.next-frame", NULL, next_frame_action);
  gtk_widget_class_install_action (widget_class, "win.previous-frame", NULL,
                                   previous_frame_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL,
                                   toggle_sidebar_action);
  gtk_widget_class_install_property_action (widget_class, "win.language", "language");
  gtk_widget_class_install_action (widget_class, "win.show-view", "s", show_view_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-view",
                                       "s", "pair");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-view",
                                       "s", "languages");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-view",
                                       "s", "history");
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export",
                                       NULL);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.open-files", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Left, GDK_ALT_MASK, "win.back",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK,
                                       "win.next-pair", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK,
                                       "win.previous-pair", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
}
