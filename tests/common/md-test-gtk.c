/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "md-test-gtk.h"

GtkWidget *
md_test_find_by_accessible_name (GtkWidget  *root,
                                 const char *name)
{
  g_autofree char *mismatch = NULL;

  g_return_val_if_fail (GTK_IS_WIDGET (root), NULL);

  mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (root),
                                                 GTK_ACCESSIBLE_PROPERTY_LABEL, name);
  if (mismatch == NULL)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = md_test_find_by_accessible_name (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
on_timeout (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
md_test_wait_until (gboolean (*condition) (gpointer data),
                    gpointer   data,
                    guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add (timeout_ms, on_timeout, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (source);
  return condition (data);
}

void
md_test_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}
