/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>

#include "md-progress-view.h"

static gboolean
index_has_pair (const char *dataset,
                const char *pair_id,
                gpointer    user_data)
{
  return md_store_has_pair (user_data, dataset, pair_id);
}

/* A bar of three colours (approved, flagged, rejected) over the pairs of the dataset. */
static GtkWidget *
make_bar (const MdReviewProgress *row,
          guint                   total)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  const struct { guint n; const char *css; } parts[] = {
    { row->n_approved, "md-progress-approved" },
    { row->n_flagged, "md-progress-flagged" },
    { row->n_rejected, "md-progress-rejected" },
    { row->n_fixed, "md-progress-fixed" },
  };
  const int width = 240;
  int used = 0;

  gtk_widget_add_css_class (bar, "md-progress-bar");
  gtk_widget_set_size_request (bar, width, 8);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  for (guint i = 0; i < G_N_ELEMENTS (parts) && total > 0; i++)
    {
      int w = (int) ((double) parts[i].n / total * width + 0.5);
      GtkWidget *part;

      w = MIN (w, width - used);
      if (w <= 0)
        continue;
      part = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      gtk_widget_set_size_request (part, w, 8);
      gtk_widget_add_css_class (part, parts[i].css);
      gtk_box_append (GTK_BOX (bar), part);
      used += w;
    }
  return bar;
}

GtkWindow *
md_progress_view_present (GtkWindow     *parent,
                          MdStore       *store,
                          MdReviewStore *review)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = md_review_store_get_progress (review, &error);
  g_autoptr(GPtrArray) datasets = store != NULL ? md_store_list_datasets (store, NULL) : NULL;
  g_autoptr(GPtrArray) orphans = NULL;
  g_autoptr(GHashTable) totals = g_hash_table_new (g_str_hash, g_str_equal);
  GtkWidget *window = adw_window_new ();
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *page = adw_preferences_page_new ();
  AdwPreferencesGroup *group = NULL;
  const char *last_dataset = NULL;

  gtk_window_set_title (GTK_WINDOW (window), _("Review Progress"));
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 620, 560);
  gtk_accessible_update_property (GTK_ACCESSIBLE (window), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Review progress"), -1);
  gtk_box_append (GTK_BOX (toolbar), adw_header_bar_new ());
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (toolbar), page);
  adw_window_set_content (ADW_WINDOW (window), toolbar);

  for (guint i = 0; datasets != NULL && i < datasets->len; i++)
    {
      MdDatasetInfo *info = datasets->pdata[i];

      g_hash_table_insert (totals, info->code, GUINT_TO_POINTER (info->n_pairs));
    }

  if (rows == NULL)
    g_warning ("Could not read review progress: %s", error->message);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const MdReviewProgress *row = rows->pdata[i];
      guint total = GPOINTER_TO_UINT (g_hash_table_lookup (totals, row->dataset));
      GtkWidget *action_row = adw_action_row_new ();
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *name = NULL;

      if (g_strcmp0 (last_dataset, row->dataset) != 0)
        {
          g_autofree char *heading = total > 0 ? g_strdup_printf (_("%s · %u pairs"),
                                                                  row->dataset, total)
                                               : g_strdup (row->dataset);

          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (group, heading);
          adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);
          last_dataset = row->dataset;
        }
      title = *row->lang != '\0' ? g_strdup_printf (_("Language %s"), row->lang)
                                 : g_strdup (_("Whole pairs"));
      /* Reviewed of all pairs, then the split. */
      subtitle = g_strdup_printf (_("%u of %u reviewed · %u approved · %u flagged · "
                                    "%u rejected · %u edited"),
                                  row->n_reviewed, total, row->n_approved, row->n_flagged,
                                  row->n_rejected, row->n_edited);
      name = *row->lang != '\0' ? g_strdup_printf ("Progress %s %s", row->dataset, row->lang)
                                : g_strdup_printf ("Progress %s", row->dataset);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (action_row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), make_bar (row, MAX (total, 1)));
      gtk_accessible_update_property (GTK_ACCESSIBLE (action_row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
      adw_preferences_group_add (group, action_row);
    }
  if (rows != NULL && rows->len == 0)
    {
      group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      adw_preferences_group_set_description (group, _("Nothing reviewed yet. Press A to approve, "
                                                      "F to flag, X to reject the current pair."));
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);
    }

  /* Reviews are kept when a pair leaves its shard; the user decides what to do with them. */
  if (store != NULL)
    orphans = md_review_store_list_orphans (review, index_has_pair, store, NULL);
  if (orphans != NULL && orphans->len > 0)
    {
      g_autofree char *title = g_strdup_printf (ngettext ("%u reviewed pair is no longer in the "
                                                          "index", "%u reviewed pairs are no "
                                                          "longer in the index", orphans->len),
                                                orphans->len);

      group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
      adw_preferences_group_set_title (group, title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (group), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Orphaned reviews"), -1);
      for (guint i = 0; i < orphans->len && i < 50; i++)
        {
          const MdReviewRef *ref = orphans->pdata[i];
          GtkWidget *row = adw_action_row_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), ref->pair_id);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), ref->dataset);
          adw_preferences_group_add (group, row);
        }
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);
    }

  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}
