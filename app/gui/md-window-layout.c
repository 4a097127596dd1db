/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include "md-window-private.h"

/* The window's size: it opens no larger than its monitor, and below a laptop's width the sidebar
 * gives way on its own (the pair list and the pair pane need the room), coming back when the
 * window is wide again. An auto-hidden sidebar is not written to the settings: it is the
 * window's choice, not the user's. */

/* Below this the sidebar, the list and a readable pair pane do not fit side by side. */
#define NARROW_WIDTH 1180

static void (*parent_size_allocate) (GtkWidget *widget,
                                     int        width,
                                     int        height,
                                     int        baseline);

static void
update_sidebar (MdWindow *self)
{
  gboolean wanted = gtk_toggle_button_get_active (self->sidebar_button);

  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_pane), wanted && !self->narrow);
}

static gboolean
apply_width (gpointer data)
{
  MdWindow *self = data;

  self->layout_idle = 0;
  update_sidebar (self);
  return G_SOURCE_REMOVE;
}

static void
md_window_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  MdWindow *self = MD_WINDOW (widget);
  gboolean narrow = width < NARROW_WIDTH;

  parent_size_allocate (widget, width, height, baseline);
  /* Showing or hiding a child during allocation would lay the window out twice in one frame:
   * apply it right after. */
  if (narrow != self->narrow)
    {
      self->narrow = narrow;
      if (self->layout_idle == 0)
        self->layout_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_width, self, NULL);
    }
}

static void
on_sidebar_button_active (GtkToggleButton *button,
                          GParamSpec      *pspec,
                          MdWindow        *self)
{
  /* Asked for by the user: shown even in a narrow window. */
  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_pane),
                          gtk_toggle_button_get_active (button));
}

void
_md_window_toggle_sidebar (MdWindow *self)
{
  gboolean shown = gtk_widget_get_visible (GTK_WIDGET (self->sidebar_pane));

  /* An auto-hidden sidebar comes back at the first press, not the second. */
  if (!shown && gtk_toggle_button_get_active (self->sidebar_button))
    gtk_widget_set_visible (GTK_WIDGET (self->sidebar_pane), TRUE);
  else
    gtk_toggle_button_set_active (self->sidebar_button, !shown);
}

/* The largest monitor's size: a window larger than its screen is cut off where no window
 * manager resizes it. */
static gboolean
monitor_size (int *width,
              int *height)
{
  GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
  gboolean found = FALSE;

  *width = *height = 0;
  for (guint i = 0; i < g_list_model_get_n_items (monitors); i++)
    {
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);
      GdkRectangle geometry;

      gdk_monitor_get_geometry (monitor, &geometry);
      if (geometry.width * geometry.height > *width * *height)
        {
          *width = geometry.width;
          *height = geometry.height;
          found = TRUE;
        }
    }
  return found;
}

void
_md_window_init_layout (MdWindow *self)
{
  int width, height, monitor_width, monitor_height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (monitor_size (&monitor_width, &monitor_height) &&
      (width > monitor_width || height > monitor_height))
    gtk_window_set_default_size (GTK_WINDOW (self), MIN (width, monitor_width),
                                 MIN (height, monitor_height));
  g_signal_connect_object (self->sidebar_button, "notify::active",
                           G_CALLBACK (on_sidebar_button_active), self, 0);
  update_sidebar (self);
}

void
_md_window_dispose_layout (MdWindow *self)
{
  g_clear_handle_id (&self->layout_idle, g_source_remove);
}

void
_md_window_class_init_layout (GtkWidgetClass *widget_class)
{
  parent_size_allocate = widget_class->size_allocate;
  widget_class->size_allocate = md_window_size_allocate;
}
