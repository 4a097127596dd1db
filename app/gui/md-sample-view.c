/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "md-review-sample.h"
#include "md-sample-view.h"

typedef struct
{
  MdSampleShowFunc show;
  gpointer       show_data;   /* a GObject */
  MdStore       *store;
  MdReviewStore *review;
  GtkWidget     *window;
  GtkSpinButton *size;
  GtkSpinButton *seed;
  GtkDropDown   *strata;
  GtkEntry      *name;
  GtkWidget     *status;
  GtkWidget     *show_button;
  GtkWidget     *draw_button;
  GtkWidget     *spinner;
  AdwPreferencesGroup *estimates;
  GPtrArray     *rows;
  char          *current;
} SampleView;

static void
sample_view_free (gpointer data)
{
  SampleView *v = data;

  g_clear_object (&v->show_data);
  g_clear_object (&v->store);
  g_clear_object (&v->review);
  g_clear_pointer (&v->rows, g_ptr_array_unref);
  g_free (v->current);
  g_free (v);
}

static char *
format_estimate (const MdSampleEstimate *e)
{
  if (isnan (e->rate))
    return g_strdup_printf (_("%u members, none reviewed yet"), e->n_members);
  return g_strdup_printf (_("%u of %u reviewed · %u errors · %.1f %% (95 %% CI %.1f–%.1f %%)"),
                          e->n_reviewed, e->n_members, e->n_errors, 100 * e->rate, 100 * e->low,
                          100 * e->high);
}

static void
add_estimate_row (SampleView             *v,
                  const char             *title,
                  const MdSampleEstimate *e)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = format_estimate (e);
  g_autofree char *name = g_strdup_printf ("Estimate %s", title);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  adw_preferences_group_add (v->estimates, row);
  g_ptr_array_add (v->rows, row);
}

static void
refresh_estimates (SampleView *v)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) strata = NULL;
  g_autoptr(MdSampleEstimate) overall = NULL;

  for (guint i = 0; i < v->rows->len; i++)
    adw_preferences_group_remove (v->estimates, v->rows->pdata[i]);
  g_ptr_array_set_size (v->rows, 0);
  if (v->current == NULL)
    return;
  strata = md_review_store_sample_stats (v->review, v->current, 1.96, &overall, &error);
  if (strata == NULL)
    {
      gtk_label_set_text (GTK_LABEL (v->status), error->message);
      return;
    }
  add_estimate_row (v, _("Overall"), overall);
  for (guint i = 0; i < strata->len; i++)
    {
      const MdSampleEstimate *e = strata->pdata[i];

      add_estimate_row (v, e->stratum, e);
    }
}

/* The draw runs in a thread: walking the index of millions of pairs takes seconds. The thread
 * opens its own connections to the index and the review file, so the window's stay free. */
typedef struct
{
  char         *index_path;
  char         *review_path;
  char         *name;
  guint64       seed;
  guint         size;
  gboolean      by_language;
  /* results */
  guint         n_members;
  guint         n_strata;
  guint         n_units;
} DrawJob;

static void
draw_job_free (gpointer data)
{
  DrawJob *job = data;

  g_free (job->index_path);
  g_free (job->review_path);
  g_free (job->name);
  g_free (job);
}

static void
draw_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DrawJob *job = task_data;
  GError *error = NULL;
  g_autoptr(MdStore) store = NULL;
  g_autoptr(MdReviewStore) review = NULL;
  g_autoptr(MdSample) sample = NULL;
  guint64 n_units = 0;

  /* The population is the store's (md_review_sample_draw), the same as the CLI's. */
  if ((store = md_store_open (job->index_path, &error)) == NULL ||
      (sample = md_review_sample_draw (store, job->seed, job->size,
                                       job->by_language ? MD_SAMPLE_BY_DATASET_LANGUAGE
                                                        : MD_SAMPLE_BY_DATASET,
                                       MD_SAMPLE_PROPORTIONAL, &n_units, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if ((review = md_review_store_open (job->review_path, &error)) == NULL ||
      !md_review_store_save_sample (review, job->name, sample, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  job->n_members = sample->members->len;
  job->n_strata = sample->strata->len;
  job->n_units = n_units;
  g_task_return_boolean (task, TRUE);
}

static void
draw_done (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SampleView *v = g_object_get_data (source_object, "md-sample-view");
  DrawJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  gtk_spinner_stop (GTK_SPINNER (v->spinner));
  gtk_widget_set_visible (v->spinner, FALSE);
  gtk_widget_set_sensitive (v->draw_button, TRUE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      gtk_label_set_text (GTK_LABEL (v->status), error->message);
      return;
    }
  g_free (v->current);
  v->current = g_strdup (job->name);
  message = g_strdup_printf (_("“%s”: %u members in %u strata, drawn from %u units"), job->name,
                             job->n_members, job->n_strata, job->n_units);
  gtk_label_set_text (GTK_LABEL (v->status), message);
  gtk_widget_set_sensitive (v->show_button, TRUE);
  refresh_estimates (v);
}

static void
on_draw_clicked (GtkButton  *button,
                 SampleView *v)
{
  g_autoptr(GTask) task = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (v->name));
  DrawJob *job;

  if (*name == '\0')
    {
      gtk_label_set_text (GTK_LABEL (v->status), _("Give the sample a name first."));
      return;
    }
  job = g_new0 (DrawJob, 1);
  job->index_path = g_strdup (md_store_get_path (v->store));
  job->review_path = g_strdup (md_review_store_get_path (v->review));
  job->name = g_strdup (name);
  job->seed = (guint64) gtk_spin_button_get_value (v->seed);
  job->size = (guint) gtk_spin_button_get_value (v->size);
  job->by_language = gtk_drop_down_get_selected (v->strata) == 1;

  gtk_widget_set_sensitive (v->draw_button, FALSE);
  gtk_widget_set_visible (v->spinner, TRUE);
  gtk_spinner_start (GTK_SPINNER (v->spinner));
  gtk_label_set_text (GTK_LABEL (v->status), _("Drawing…"));
  /* The task holds the window, so the view outlives a close during the draw. */
  task = g_task_new (v->window, NULL, draw_done, NULL);
  g_task_set_source_tag (task, on_draw_clicked);
  g_task_set_task_data (task, job, draw_job_free);
  g_task_run_in_thread (task, draw_thread);
}

static void
on_load_clicked (GtkButton  *button,
                 SampleView *v)
{
  g_autoptr(GError) error = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (v->name));
  g_autoptr(MdSample) sample = md_review_store_load_sample (v->review, name, &error);

  if (sample == NULL)
    {
      gtk_label_set_text (GTK_LABEL (v->status), error->message);
      return;
    }
  g_free (v->current);
  v->current = g_strdup (name);
  gtk_label_set_text (GTK_LABEL (v->status), "");
  gtk_widget_set_sensitive (v->show_button, TRUE);
  refresh_estimates (v);
}

static void
on_show_clicked (GtkButton  *button,
                 SampleView *v)
{
  if (v->current == NULL)
    return;
  v->show (v->show_data, v->current);
  gtk_window_close (GTK_WINDOW (v->window));
}

static GtkWidget *
add_row (AdwPreferencesGroup *group,
         const char          *title,
         GtkWidget           *widget)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), widget);
  adw_preferences_group_add (group, row);
  return widget;
}

static GtkWidget *
button (const char *label,
        GCallback   callback,
        SampleView *v)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (label);

  g_signal_connect (b, "clicked", callback, v);
  return b;
}

GtkWindow *
md_sample_view_present (GtkWindow        *parent,
                        MdStore          *store,
                        MdReviewStore    *review,
                        MdSampleShowFunc  show,
                        gpointer          user_data)
{
  SampleView *v = g_new0 (SampleView, 1);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *page = adw_preferences_page_new ();
  AdwPreferencesGroup *draw = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *b;
  const char *strata[] = { _("Dataset"), _("Dataset and language"), NULL };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *default_name = g_date_time_format (now, "audit-%Y%m%d-%H%M");

  v->show = show;
  v->show_data = g_object_ref (user_data);
  v->store = g_object_ref (store);
  v->review = g_object_ref (review);
  v->rows = g_ptr_array_new ();
  v->window = adw_window_new ();
  g_object_set_data_full (G_OBJECT (v->window), "md-sample-view", v, sample_view_free);
  gtk_window_set_title (GTK_WINDOW (v->window), _("Audit Sample"));
  gtk_window_set_transient_for (GTK_WINDOW (v->window), parent);
  gtk_window_set_modal (GTK_WINDOW (v->window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (v->window), 600, 620);
  gtk_accessible_update_property (GTK_ACCESSIBLE (v->window), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Audit sample"), -1);

  adw_preferences_group_set_title (draw, _("Draw a Sample"));
  adw_preferences_group_set_description (draw, _("The same seed and index always give the same "
                                                 "members. Errors are pairs flagged or rejected."));
  v->name = GTK_ENTRY (add_row (draw, _("Name"), gtk_entry_new ()));
  gtk_editable_set_text (GTK_EDITABLE (v->name), default_name);
  v->size = GTK_SPIN_BUTTON (add_row (draw, _("Size"),
                                      gtk_spin_button_new_with_range (1, 100000, 1)));
  gtk_spin_button_set_value (v->size, 100);
  v->seed = GTK_SPIN_BUTTON (add_row (draw, _("Seed"),
                                      gtk_spin_button_new_with_range (0, 2147483647, 1)));
  gtk_spin_button_set_value (v->seed, 1);
  v->strata = GTK_DROP_DOWN (add_row (draw, _("Strata"), gtk_drop_down_new_from_strings (strata)));

  b = v->draw_button = button (_("_Draw"), G_CALLBACK (on_draw_clicked), v);
  gtk_widget_add_css_class (b, "suggested-action");
  gtk_accessible_update_property (GTK_ACCESSIBLE (b), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Draw sample"), -1);
  gtk_box_append (GTK_BOX (buttons), b);
  b = button (_("_Load"), G_CALLBACK (on_load_clicked), v);
  gtk_accessible_update_property (GTK_ACCESSIBLE (b), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Load sample"), -1);
  gtk_box_append (GTK_BOX (buttons), b);
  v->show_button = button (_("_Show in List"), G_CALLBACK (on_show_clicked), v);
  gtk_accessible_update_property (GTK_ACCESSIBLE (v->show_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Show sample in list"), -1);
  gtk_widget_set_sensitive (v->show_button, FALSE);
  gtk_box_append (GTK_BOX (buttons), v->show_button);
  v->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (v->spinner, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (v->spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Drawing sample"), -1);
  gtk_box_append (GTK_BOX (buttons), v->spinner);
  gtk_widget_set_margin_top (buttons, 12);
  adw_preferences_group_add (draw, buttons);
  v->status = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (v->status), TRUE);
  gtk_label_set_xalign (GTK_LABEL (v->status), 0);
  gtk_widget_add_css_class (v->status, "dim-label");
  adw_preferences_group_add (draw, v->status);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), draw);

  v->estimates = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (v->estimates, _("Estimated Error Rate"));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), v->estimates);

  gtk_box_append (GTK_BOX (content), adw_header_bar_new ());
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (content), page);
  adw_window_set_content (ADW_WINDOW (v->window), content);
  gtk_window_present (GTK_WINDOW (v->window));
  return GTK_WINDOW (v->window);
}
