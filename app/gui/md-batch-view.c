/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>

#include "md-batch-view.h"
#include "md-diff-label.h"
#include "md-query.h"
#include "md-review-store.h"

/* Pairs listed for a preview at most; a bigger batch is split by filtering. */
#define MAX_BATCH 100000

typedef struct
{
  char *dataset;
  char *pair_id;
  char *prompt;
  char *body;
} BatchItem;

static void
batch_item_free (BatchItem *item)
{
  g_free (item->dataset);
  g_free (item->pair_id);
  g_free (item->prompt);
  g_free (item->body);
  g_free (item);
}

typedef struct
{
  GPtrArray *items;       /* BatchItem */
  guint64    n_chars;
  guint      n_errors;
  char      *first_error;
  char      *prompts;     /* which prompt file each dataset uses, and the annotations note */
} Preview;

static void
preview_free (Preview *preview)
{
  g_ptr_array_unref (preview->items);
  g_free (preview->first_error);
  g_free (preview->prompts);
  g_free (preview);
}

struct _MdBatchView
{
  AdwWindow              parent_instance;

  MdStore               *store;
  MdSyphusJobKind        kind;
  MdReviewStore         *review;
  MdSyphusJournal       *journal;
  MdSyphusReviewWriter  *writer;
  MdSyphusConfig        *config;
  MdSyphusBackend       *backend;
  MdSyphusQueue         *queue;
  GCancellable          *cancellable;
  Preview               *preview;
  GHashTable            *job_rows;     /* job id -> GtkLabel */
  GHashTable            *retrying;     /* job ids waiting for a retry */
  guint                  n_done;
  guint                  n_failed;

  GtkStack              *stack;
  GtkLabel              *preview_label;
  GtkWidget             *start_button;
  GtkLabel              *progress_label;
  GtkToggleButton       *pause_button;
  GtkWidget             *cancel_button;
  GtkListBox            *jobs_list;
  GtkListBox            *results_list;
  GtkBox                *result_box;
  GtkLabel              *result_label;
};

G_DEFINE_FINAL_TYPE (MdBatchView, md_batch_view, ADW_TYPE_WINDOW)

enum {
  REVISED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
label_widget (gpointer    widget,
              const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

/* Labels whose text changes keep their name: the text is what they say, the name what they are. */
static void
set_info (GtkLabel   *label,
          const char *text)
{
  gtk_label_set_text (label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  g_object_get_data (G_OBJECT (label), "md-name"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

/* Preview, in a worker thread with its own store handles ---------------------------------- */

typedef struct
{
  char            *index_path;
  char            *review_path;
  MdQuery         *query;       /* the window's filter */
  MdSyphusJobKind  kind;
  char            *model;
  double           temperature;
  int              max_tokens;
  gboolean         images;
  guint            frames;
  GVariant        *prompts;     /* Preferences: dataset -> prompt file */
} PreviewJob;

static void
preview_job_free (PreviewJob *job)
{
  g_free (job->index_path);
  g_free (job->review_path);
  g_clear_pointer (&job->query, md_query_free);
  g_free (job->model);
  g_clear_pointer (&job->prompts, g_variant_unref);
  g_free (job);
}

/* The pairs of the window's filter that the batch is for: the flagged ones to regenerate, or
 * those missing translations. */
static GPtrArray *
list_pair_ids (PreviewJob     *job,
               MdStore        *store,
               GError        **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MdQuery) query = md_query_copy (job->query);
  g_autoptr(GListModel) model = NULL;
  guint n;

  if (job->kind == MD_SYPHUS_JOB_REGENERATE)
    query->review_status = MD_REVIEW_STATUS_FLAGGED;
  else
    query->flags |= MD_QUERY_MISSING_TRANSLATIONS;
  if (md_query_has_review_filters (query) &&
      !md_store_attach_review (store, job->review_path, error))
    return NULL;

  model = md_store_query (store, query, error);
  if (model == NULL)
    return NULL;
  n = MIN (g_list_model_get_n_items (model), MAX_BATCH);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MdPair) pair = g_list_model_get_item (model, i);

      g_ptr_array_add (ids, g_strdup (md_pair_get_id (pair)));
    }
  return g_steal_pointer (&ids);
}

/* Which prompt file each dataset of the plan uses, and how many pairs have no source
 * annotations. */
static char *
describe_plan (const MdSyphusPlan *plan)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < plan->choices->len; i++)
    {
      const MdSyphusPromptChoice *choice = g_ptr_array_index (plan->choices, i);
      g_autofree char *base = choice->path != NULL ? g_path_get_basename (choice->path) : NULL;

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, _("%s: prompt %s (%s)"), choice->dataset,
                              base != NULL ? base : _("built in"),
                              md_syphus_prompt_origin_describe (choice->origin));
    }
  if (plan->n_without_annotations > 0)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u pair: %s",
                                                 "%u pairs: %s", plan->n_without_annotations),
                              plan->n_without_annotations,
                              md_syphus_request_no_annotations_note ());
    }
  return g_string_free (text, FALSE);
}

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PreviewJob *job = task_data;
  g_autoptr(MdStore) store = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(MdSyphusBatch) batch = NULL;
  g_autoptr(MdSyphusPlan) plan = NULL;
  MdSyphusRequestOptions options;
  GError *error = NULL;
  Preview *preview;

  store = md_store_open (job->index_path, &error);
  if (store != NULL)
    ids = list_pair_ids (job, store, &error);
  if (ids == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_ptr_array_add (ids, NULL);

  /* The plan is the library's (md-syphus-batch.h), as for the CLI. */
  md_syphus_request_options_init (&options, job->model);
  options.temperature = job->temperature;
  options.max_tokens = job->max_tokens;
  options.vision = job->images;
  options.max_frames = job->frames;
  batch = md_syphus_batch_new (job->kind, job->index_path, job->review_path);
  md_syphus_batch_set_options (batch, &options);
  md_syphus_batch_set_dataset_prompts (batch, job->prompts);
  plan = md_syphus_batch_plan (batch, (const char * const *) ids->pdata, cancellable, &error);
  if (plan == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  preview = g_new0 (Preview, 1);
  preview->items = g_ptr_array_new_with_free_func ((GDestroyNotify) batch_item_free);
  preview->n_errors = plan->n_errors;
  preview->n_chars = plan->n_chars;
  preview->prompts = describe_plan (plan);
  for (guint i = 0; i < plan->items->len; i++)
    {
      MdSyphusPlanItem *plan_item = g_ptr_array_index (plan->items, i);
      BatchItem *item;

      if (plan_item->body == NULL)
        {
          if (preview->first_error == NULL)
            preview->first_error = g_strdup (plan_item->error->message);
          continue;
        }
      item = g_new0 (BatchItem, 1);
      item->dataset = g_strdup (plan_item->dataset);
      item->pair_id = g_strdup (plan_item->pair_id);
      item->prompt = g_strdup (md_syphus_prompt_get_name (plan_item->choice->prompt));
      item->body = g_steal_pointer (&plan_item->body);
      g_ptr_array_add (preview->items, item);
    }
  g_task_return_pointer (task, preview, (GDestroyNotify) preview_free);
}

static void
on_preview_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  MdBatchView *self = MD_BATCH_VIEW (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  Preview *preview = g_task_propagate_pointer (G_TASK (result), &error);
  guint n_waiting;

  if (preview == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_info (self->preview_label, error->message);
      return;
    }
  self->preview = preview;
  n_waiting = md_syphus_journal_count_jobs (self->journal, MD_SYPHUS_JOB_QUEUED);
  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u pair, about %" G_GUINT64_FORMAT
                                             " prompt tokens", "%u pairs, about %"
                                             G_GUINT64_FORMAT " prompt tokens",
                                             preview->items->len),
                          preview->items->len, preview->n_chars / 4);
  g_string_append (text, "\n");
  g_string_append (text, _("Estimated as the request characters divided by 4; replies are not "
                           "counted."));
  if (preview->prompts[0] != '\0')
    {
      g_string_append (text, "\n");
      g_string_append (text, preview->prompts);
    }
  if (n_waiting > 0)
    {
      g_string_append (text, "\n");
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u job of an earlier run is waiting and will be "
                                                 "sent too.",
                                                 "%u jobs of an earlier run are waiting and will be "
                                                 "sent too.", n_waiting), n_waiting);
    }
  if (preview->n_errors > 0)
    {
      g_string_append (text, "\n");
      g_string_append_printf (text, _("%u pairs cannot be sent: %s"), preview->n_errors,
                              preview->first_error);
    }
  if (self->backend == NULL)
    {
      g_string_append (text, "\n");
      g_string_append (text, _("No backend yet: add one in Preferences, Language Models."));
    }
  set_info (self->preview_label, text->str);
  gtk_widget_set_sensitive (self->start_button,
                            self->backend != NULL && (preview->items->len > 0 || n_waiting > 0));
}

/* Progress --------------------------------------------------------------------------------- */

static void
update_progress (MdBatchView *self)
{
  g_autofree char *text = NULL;

  if (self->queue == NULL)
    return;
  text = g_strdup_printf (_("Done %u · Failed %u · Retrying %u · Waiting %u"), self->n_done,
                          self->n_failed, g_hash_table_size (self->retrying),
                          md_syphus_queue_get_n_pending (self->queue));
  set_info (self->progress_label, text);
}

static void
set_job_state (MdBatchView *self,
               gint64       job_id,
               const char  *state)
{
  GtkLabel *label = g_hash_table_lookup (self->job_rows, &job_id);
  g_autoptr(MdSyphusJob) job = NULL;
  g_autofree char *text = NULL;

  if (label == NULL)
    {
      GtkWidget *row;
      gint64 *key = g_new (gint64, 1);

      *key = job_id;
      label = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (label, 0);
      gtk_label_set_ellipsize (label, PANGO_ELLIPSIZE_END);
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), GTK_WIDGET (label));
      gtk_list_box_append (self->jobs_list, row);
      g_hash_table_insert (self->job_rows, key, label);
    }
  job = md_syphus_journal_get_job (self->journal, job_id, NULL);
  text = g_strdup_printf ("%s — %s", job != NULL ? job->pair_id : "?", state);
  gtk_label_set_text (label, text);
  label_widget (gtk_widget_get_parent (GTK_WIDGET (label)), text);
}

static void
on_job_started (MdSyphusQueue *queue,
                gint64         job_id,
                guint          attempt,
                MdBatchView   *self)
{
  g_hash_table_remove (self->retrying, &job_id);
  set_job_state (self, job_id, _("sending"));
  update_progress (self);
}

static void
on_job_retry (MdSyphusQueue *queue,
              gint64         job_id,
              guint          attempt,
              guint          delay_ms,
              const char    *message,
              MdBatchView   *self)
{
  g_autofree char *state = g_strdup_printf (_("retrying (%s)"), message);
  gint64 *key = g_new (gint64, 1);

  *key = job_id;
  g_hash_table_add (self->retrying, key);
  set_job_state (self, job_id, state);
  update_progress (self);
}

static void
add_result (MdBatchView        *self,
            MdSyphusGeneration *generation)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (generation->pair_id);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_top (label, 4);
  gtk_widget_set_margin_bottom (label, 4);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  label_widget (row, generation->pair_id);
  g_object_set_data_full (G_OBJECT (row), "md-generation", generation,
                          (GDestroyNotify) md_syphus_generation_free);
  gtk_list_box_append (self->results_list, row);
  if (gtk_list_box_get_selected_row (self->results_list) == NULL)
    gtk_list_box_select_row (self->results_list, GTK_LIST_BOX_ROW (row));
}

static void
on_job_finished (MdSyphusQueue *queue,
                 gint64         job_id,
                 gint64         generation_id,
                 const char    *status,
                 const char    *message,
                 MdBatchView   *self)
{
  g_autofree char *state = NULL;

  g_hash_table_remove (self->retrying, &job_id);
  if (g_strcmp0 (status, "failed") == 0 || generation_id <= 0)
    self->n_failed++;
  else
    self->n_done++;
  state = message != NULL ? g_strdup_printf ("%s: %s", status, message) : g_strdup (status);
  set_job_state (self, job_id, state);
  if (g_strcmp0 (status, "ok") == 0 && generation_id > 0)
    {
      MdSyphusGeneration *generation = md_syphus_journal_get_generation (self->journal,
                                                                         generation_id, NULL);

      if (generation != NULL)
        add_result (self, generation);
    }
  update_progress (self);
}

static void
on_finished (MdSyphusQueue *queue,
             MdBatchView   *self)
{
  update_progress (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pause_button), FALSE);
  gtk_widget_set_sensitive (self->cancel_button, FALSE);
  if (md_syphus_queue_get_limit_reached (queue))
    set_info (self->progress_label, _("Budget reached; the rest stays queued"));
}

void
md_batch_view_start (MdBatchView *self)
{
  g_autoptr(GError) error = NULL;
  MdSyphusQueueSettings settings;
  const char *model;

  g_return_if_fail (MD_IS_BATCH_VIEW (self));

  if (self->backend == NULL || self->queue != NULL || self->preview == NULL)
    return;
  model = md_syphus_backend_get_model (self->backend);
  for (guint i = 0; i < self->preview->items->len; i++)
    {
      BatchItem *item = g_ptr_array_index (self->preview->items, i);
      g_autofree char *body = NULL;

      /* The preview was built with the default backend's model already. */
      body = g_strdup (item->body);
      if (md_syphus_journal_add_job (self->journal, self->kind, item->dataset, item->pair_id,
                                     item->prompt, md_syphus_backend_get_name (self->backend),
                                     model, body, NULL, &error) == 0)
        {
          set_info (self->progress_label, error->message);
          g_clear_error (&error);
        }
    }

  /* The concurrency and the limits (deadline, reply size, Retry-After cap) of backends.ini. */
  md_syphus_config_get_queue_settings (self->config, &settings);
  self->queue = md_syphus_queue_new (self->backend, self->journal, &settings);
  g_signal_connect (self->queue, "job-started", G_CALLBACK (on_job_started), self);
  g_signal_connect (self->queue, "job-retry", G_CALLBACK (on_job_retry), self);
  g_signal_connect (self->queue, "job-finished", G_CALLBACK (on_job_finished), self);
  g_signal_connect (self->queue, "finished", G_CALLBACK (on_finished), self);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  if (!md_syphus_queue_start (self->queue, &error))
    set_info (self->progress_label, error->message);
  update_progress (self);
}

MdSyphusQueue *
md_batch_view_get_queue (MdBatchView *self)
{
  g_return_val_if_fail (MD_IS_BATCH_VIEW (self), NULL);
  return self->queue;
}

static void
on_start_clicked (GtkButton   *button,
                  MdBatchView *self)
{
  md_batch_view_start (self);
}

static void
on_pause_toggled (GtkToggleButton *button,
                  MdBatchView     *self)
{
  gboolean paused = gtk_toggle_button_get_active (button);

  if (self->queue == NULL)
    return;
  if (paused)
    md_syphus_queue_pause (self->queue);
  else
    md_syphus_queue_resume (self->queue);
  gtk_button_set_label (GTK_BUTTON (button), paused ? _("_Resume") : _("_Pause"));
  label_widget (button, paused ? _("Resume batch") : _("Pause batch"));
}

static void
on_cancel_clicked (GtkButton   *button,
                   MdBatchView *self)
{
  if (self->queue != NULL)
    md_syphus_queue_cancel (self->queue);
}

/* Review queue ----------------------------------------------------------------------------- */

static void
show_result (MdBatchView    *self,
             GtkListBoxRow  *row)
{
  MdSyphusGeneration *generation = row != NULL ? g_object_get_data (G_OBJECT (row),
                                                                    "md-generation") : NULL;
  g_autoptr(GPtrArray) proposals = NULL;
  g_autoptr(MdPair) pair = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->result_box))) != NULL)
    gtk_box_remove (self->result_box, child);
  if (generation == NULL)
    {
      gtk_label_set_text (self->result_label, _("No result selected"));
      return;
    }
  gtk_label_set_text (self->result_label, generation->pair_id);
  proposals = md_syphus_generation_proposals (generation, NULL);
  pair = md_store_get_pair (self->store, generation->pair_id, NULL);
  for (guint i = 0; proposals != NULL && i < proposals->len; i++)
    {
      const MdSyphusProposal *proposal = g_ptr_array_index (proposals, i);
      g_autofree char *current = md_review_store_get_text (self->review, generation->dataset,
                                                           generation->pair_id, proposal->lang,
                                                           proposal->field,
                                                           pair != NULL
                                                           ? md_pair_get_text (pair, proposal->lang,
                                                                               proposal->field)
                                                           : NULL, NULL);
      g_autofree char *title = g_strdup_printf ("%s · %s", md_language_code (proposal->lang),
                                                md_field_name (proposal->field));
      GtkWidget *heading = gtk_label_new (title);
      GtkWidget *view = md_diff_label_new (current, proposal->text, title,
                                           md_language_is_rtl (proposal->lang));
      GtkWidget *frame;

      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_widget_add_css_class (heading, "heading");
      gtk_box_append (self->result_box, heading);
      /* A frame rather than a "card" class: a card clipped the wrapped view to one line. */
      frame = gtk_frame_new (NULL);
      gtk_frame_set_child (GTK_FRAME (frame), view);
      gtk_box_append (self->result_box, frame);
    }
}

static void
on_result_selected (GtkListBox    *list,
                    GtkListBoxRow *row,
                    MdBatchView   *self)
{
  show_result (self, row);
}

static void
move_result (MdBatchView *self,
             int          delta)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->results_list);
  int index = row != NULL ? gtk_list_box_row_get_index (row) + delta : 0;
  GtkListBoxRow *next = index >= 0 ? gtk_list_box_get_row_at_index (self->results_list, index)
                                   : NULL;

  if (next != NULL)
    gtk_list_box_select_row (self->results_list, next);
}

static void
decide_result (MdBatchView *self,
               gboolean     accept)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->results_list);
  MdSyphusGeneration *generation;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (row == NULL || g_object_get_data (G_OBJECT (row), "md-decided") != NULL)
    return;
  generation = g_object_get_data (G_OBJECT (row), "md-generation");
  if (accept)
    ok = md_syphus_review_writer_accept (self->writer, self->journal, generation->id,
                                         MD_SYPHUS_PROPOSAL_ALL, &error);
  else
    ok = md_syphus_journal_set_verdict (self->journal, generation->id,
                                        MD_SYPHUS_VERDICT_REJECTED, &error);
  if (!ok)
    {
      gtk_label_set_text (self->result_label, error->message);
      return;
    }
  {
    g_autofree char *text = g_strdup_printf ("%s — %s", generation->pair_id,
                                             accept ? _("accepted") : _("rejected"));

    gtk_label_set_text (GTK_LABEL (gtk_list_box_row_get_child (row)), text);
  }
  g_object_set_data (G_OBJECT (row), "md-decided", GINT_TO_POINTER (1));
  if (accept)
    g_signal_emit (self, signals[REVISED], 0, generation->pair_id);
  move_result (self, 1);
}

static void
accept_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  decide_result (MD_BATCH_VIEW (widget), TRUE);
}

static void
reject_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  decide_result (MD_BATCH_VIEW (widget), FALSE);
}

static void
next_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  move_result (MD_BATCH_VIEW (widget), 1);
}

static void
previous_action (GtkWidget *widget, const char *name, GVariant *parameter)
{
  move_result (MD_BATCH_VIEW (widget), -1);
}

/* Construction ----------------------------------------------------------------------------- */

static GtkWidget *
button (const char *label,
        const char *accessible,
        const char *action)
{
  GtkWidget *widget = gtk_button_new_with_mnemonic (label);

  label_widget (widget, accessible);
  if (action != NULL)
    gtk_actionable_set_action_name (GTK_ACTIONABLE (widget), action);
  return widget;
}

static GtkWidget *
scrolled (GtkWidget *child)
{
  GtkWidget *widget = gtk_scrolled_window_new ();

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (widget), child);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (widget), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (widget, TRUE);
  gtk_widget_set_hexpand (widget, TRUE);
  return widget;
}

static void
build_ui (MdBatchView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *preview = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *progress = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *jobs = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *results = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *review = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *controls = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *decisions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);

  /* Preview */
  gtk_widget_set_margin_start (preview, 24);
  gtk_widget_set_margin_end (preview, 24);
  gtk_widget_set_margin_top (preview, 24);
  self->preview_label = GTK_LABEL (gtk_label_new (_("Counting pairs and building requests…")));
  gtk_label_set_wrap (self->preview_label, TRUE);
  gtk_label_set_xalign (self->preview_label, 0);
  g_object_set_data (G_OBJECT (self->preview_label), "md-name", _("Batch preview"));
  label_widget (self->preview_label, _("Batch preview"));
  gtk_box_append (GTK_BOX (preview), GTK_WIDGET (self->preview_label));
  self->start_button = button (_("_Start"), _("Start batch"), NULL);
  gtk_widget_add_css_class (self->start_button, "suggested-action");
  gtk_widget_set_halign (self->start_button, GTK_ALIGN_START);
  gtk_widget_set_sensitive (self->start_button, FALSE);
  g_signal_connect (self->start_button, "clicked", G_CALLBACK (on_start_clicked), self);
  gtk_box_append (GTK_BOX (preview), self->start_button);
  gtk_stack_add_named (self->stack, preview, "preview");

  /* Progress and jobs */
  gtk_widget_set_margin_start (progress, 12);
  gtk_widget_set_margin_end (progress, 12);
  gtk_widget_set_margin_top (progress, 12);
  gtk_widget_set_margin_bottom (progress, 12);
  self->progress_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->progress_label, 0);
  gtk_label_set_wrap (self->progress_label, TRUE);
  g_object_set_data (G_OBJECT (self->progress_label), "md-name", _("Batch progress"));
  label_widget (self->progress_label, _("Batch progress"));
  gtk_box_append (GTK_BOX (jobs), GTK_WIDGET (self->progress_label));
  self->pause_button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new_with_mnemonic (_("_Pause")));
  label_widget (self->pause_button, _("Pause batch"));
  g_signal_connect (self->pause_button, "toggled", G_CALLBACK (on_pause_toggled), self);
  gtk_box_append (GTK_BOX (controls), GTK_WIDGET (self->pause_button));
  self->cancel_button = button (_("_Cancel Batch"), _("Cancel batch"), NULL);
  gtk_widget_add_css_class (self->cancel_button, "destructive-action");
  g_signal_connect (self->cancel_button, "clicked", G_CALLBACK (on_cancel_clicked), self);
  gtk_box_append (GTK_BOX (controls), self->cancel_button);
  gtk_box_append (GTK_BOX (jobs), controls);
  self->jobs_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->jobs_list, GTK_SELECTION_NONE);
  label_widget (self->jobs_list, _("Jobs"));
  gtk_box_append (GTK_BOX (jobs), scrolled (GTK_WIDGET (self->jobs_list)));
  gtk_widget_set_size_request (jobs, 300, -1);
  gtk_box_append (GTK_BOX (progress), jobs);

  /* Results to review */
  gtk_box_append (GTK_BOX (results), gtk_label_new (_("Results")));
  self->results_list = GTK_LIST_BOX (gtk_list_box_new ());
  label_widget (self->results_list, _("Results to review"));
  g_signal_connect (self->results_list, "row-selected", G_CALLBACK (on_result_selected), self);
  gtk_box_append (GTK_BOX (results), scrolled (GTK_WIDGET (self->results_list)));
  gtk_widget_set_size_request (results, 200, -1);
  gtk_box_append (GTK_BOX (progress), results);

  self->result_label = GTK_LABEL (gtk_label_new (_("No result selected")));
  gtk_label_set_xalign (self->result_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->result_label), "title-4");
  gtk_box_append (GTK_BOX (review), GTK_WIDGET (self->result_label));
  gtk_box_append (GTK_BOX (decisions), button (_("_Accept (a)"), _("Accept result"),
                                               "batch.accept"));
  gtk_box_append (GTK_BOX (decisions), button (_("_Reject (x)"), _("Reject result"),
                                               "batch.reject"));
  gtk_box_append (GTK_BOX (review), decisions);
  self->result_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 6));
  gtk_box_append (GTK_BOX (review), scrolled (GTK_WIDGET (self->result_box)));
  gtk_widget_set_hexpand (review, TRUE);
  gtk_box_append (GTK_BOX (progress), review);
  gtk_stack_add_named (self->stack, progress, "progress");

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));
  adw_window_set_content (ADW_WINDOW (self), box);
}

static void
md_batch_view_dispose (GObject *object)
{
  MdBatchView *self = MD_BATCH_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  /* Closing the window leaves unsent jobs queued in the journal for the next run. */
  if (self->queue != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->queue, self);
      md_syphus_queue_close (self->queue);
    }
  g_clear_object (&self->queue);
  g_clear_pointer (&self->writer, md_syphus_review_writer_free);
  g_clear_object (&self->journal);
  g_clear_object (&self->review);
  g_clear_object (&self->backend);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->preview, preview_free);
  g_clear_pointer (&self->config, md_syphus_config_free);
  g_clear_pointer (&self->job_rows, g_hash_table_unref);
  g_clear_pointer (&self->retrying, g_hash_table_unref);
  G_OBJECT_CLASS (md_batch_view_parent_class)->dispose (object);
}

static void
md_batch_view_class_init (MdBatchViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = md_batch_view_dispose;

  /* "revised" (const char *pair_id): an accepted result was written to the review file. */
  signals[REVISED] = g_signal_new ("revised", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "batch.accept", NULL, accept_action);
  gtk_widget_class_install_action (widget_class, "batch.reject", NULL, reject_action);
  gtk_widget_class_install_action (widget_class, "batch.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "batch.previous", NULL, previous_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, 0, "batch.accept", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_x, 0, "batch.reject", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, 0, "batch.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, 0, "batch.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
md_batch_view_init (MdBatchView *self)
{
  self->cancellable = g_cancellable_new ();
  self->job_rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->retrying = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  build_ui (self);
  gtk_window_set_default_size (GTK_WINDOW (self), 1100, 700);
}

MdBatchView *
md_batch_view_new (GtkWindow       *parent,
                   MdStore         *store,
                   MdSyphusJobKind  kind,
                   const MdQuery   *query)
{
  MdBatchView *self;
  const char *index_path;
  g_autofree char *review_path = NULL;
  g_autofree char *journal_path = NULL;
  g_autofree char *config_path = md_syphus_config_default_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  const MdSyphusBackendConfig *backend;
  PreviewJob *job;

  g_return_val_if_fail (MD_IS_STORE (store), NULL);

  self = g_object_new (MD_TYPE_BATCH_VIEW, "transient-for", parent, NULL);
  gtk_window_set_title (GTK_WINDOW (self), kind == MD_SYPHUS_JOB_TRANSLATE
                                           ? _("Translate Missing Languages")
                                           : _("Regenerate Flagged Pairs"));
  self->store = g_object_ref (store);
  self->kind = kind;
  index_path = md_store_get_path (store);
  review_path = md_review_store_default_path (index_path);
  journal_path = md_syphus_journal_default_path (index_path);

  self->config = md_syphus_config_load (config_path, &error);
  if (self->config != NULL)
    self->review = md_review_store_open (review_path, &error);
  if (self->review != NULL)
    self->journal = md_syphus_journal_open (journal_path, &error);
  if (self->journal == NULL)
    {
      set_info (self->preview_label, error->message);
      return self;
    }
  self->writer = md_syphus_review_writer_new (self->review, store);
  md_syphus_review_writer_attach (self->writer, self->journal);

  backend = md_syphus_config_find (self->config, self->config->default_backend);
  if (backend == NULL && self->config->backends->len > 0)
    backend = g_ptr_array_index (self->config->backends, 0);
  if (backend != NULL)
    {
      self->backend = md_syphus_backend_config_create (backend, config_path, &error);
      if (self->backend == NULL)
        g_warning ("%s", error->message);
      else
        {
          /* Local servers need no key; hosted ones take it from the environment here (the
           * single-pair panel also asks the keyring). */
          g_autofree char *key = md_syphus_key_lookup (NULL, FALSE, NULL, NULL);

          md_syphus_backend_set_api_key (self->backend, key);
        }
    }

  job = g_new0 (PreviewJob, 1);
  job->index_path = g_strdup (index_path);
  job->review_path = g_strdup (review_path);
  job->query = md_query_copy (query);
  job->kind = kind;
  job->model = g_strdup (backend != NULL ? backend->model : "");
  job->temperature = self->config->temperature;
  job->max_tokens = self->config->max_tokens;
  job->images = self->config->images;
  job->frames = self->config->frames;
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    job->prompts = g_settings_get_value (settings, "syphus-prompts");
  }
  task = g_task_new (self, self->cancellable, on_preview_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) preview_job_free);
  g_task_run_in_thread (task, preview_thread);
  return self;
}
