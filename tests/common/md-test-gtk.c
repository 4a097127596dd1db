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

/* Sanitizer and valgrind runs are several times slower: their test setups set
 * MD_TEST_TIMEOUT_SCALE so that waits for the window keep their meaning there. */
static guint
scaled_timeout (guint timeout_ms)
{
  const char *scale = g_getenv ("MD_TEST_TIMEOUT_SCALE");
  guint64 factor = scale != NULL ? g_ascii_strtoull (scale, NULL, 10) : 1;

  return timeout_ms * CLAMP (factor, 1, 50);
}

gboolean
md_test_wait_until (gboolean (*condition) (gpointer data),
                    gpointer   data,
                    guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add (scaled_timeout (timeout_ms), on_timeout, &timed_out);

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
