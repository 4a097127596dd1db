/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <cJSON.h>
#include <glib/gi18n.h>

#include "md-diff-label.h"
#include "md-review-store.h"
#include "md-syphus-panel.h"

struct _MdSyphusPanel
{
  AdwWindow              parent_instance;

  MdStore               *store;
  MdPairPage            *page;          /* weak */
  MdReviewStore         *review;
  MdSyphusJournal       *journal;
  MdSyphusReviewWriter  *writer;
  MdSyphusConfig        *config;
  MdSyphusJobKind        kind;
  char                  *pair_id;
  MdSyphusInput         *input;
  MdSyphusPrompt        *prompt;
  MdSyphusBackend       *backend;
  MdSyphusQueue         *queue;
  GCancellable          *cancellable;
  gint64                 job_id;
  MdSyphusGeneration    *generation;
  guint                  proposal_mask;
  guint                  decided_mask;
  guint                  accepted_mask;
  gboolean               filling_models;

  AdwWindowTitle        *title;
  GtkWidget             *send_button;
  GtkButton             *prompt_button;
  GtkDropDown           *backend_dropdown;
  GtkStringList         *backend_list;
  GtkDropDown           *model_dropdown;
  GtkStringList         *model_list;
  GtkTextView           *request_view;
  GtkTextView           *reply_view;
  GtkBox                *changes_box;
  GtkLabel              *status_label;
  GtkLabel              *source_label;   /* the prompt file used, the annotations note */
};

G_DEFINE_FINAL_TYPE (MdSyphusPanel, md_syphus_panel, ADW_TYPE_WINDOW)

enum {
  REVISED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_status (MdSyphusPanel *self,
            const char    *text)
{
  gtk_label_set_text (self->status_label, text);
}

static void
label_widget (gpointer    widget,
              const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static const char *
field_label (MdField field)
{
  return field == MD_FIELD_INSTRUCTION ? _("instruction") : _("answer");
}

static const char *
language_label (MdLanguage lang)
{
  return lang == MD_LANGUAGE_EN ? _("English") : md_language_native_name (lang);
}

/* Request ---------------------------------------------------------------------------------- */

static const char *
selected_string (GtkDropDown *dropdown)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);

  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

static void
rebuild_request (MdSyphusPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  MdSyphusRequestOptions options;
  const char *model = selected_string (self->model_dropdown);
  cJSON *json;
  char *pretty;

  if (self->input == NULL || self->prompt == NULL)
    return;
  md_syphus_request_options_init (&options, model != NULL ? model : "");
  options.temperature = self->config->temperature;
  options.max_tokens = self->config->max_tokens;
  options.vision = self->config->images;
  options.max_frames = self->config->frames;
  body = md_syphus_request_build (self->kind, self->prompt, md_syphus_input_get (self->input),
                                  &options, &error);
  if (body == NULL)
    {
      set_status (self, error->message);
      return;
    }
  /* Shown indented so that it can be read and edited; sent as it is after editing. */
  json = cJSON_Parse (body);
  pretty = cJSON_Print (json);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->request_view), pretty, -1);
  cJSON_free (pretty);
  cJSON_Delete (json);
}

static gboolean
load_prompt (MdSyphusPanel *self,
             const char    *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdSyphusPrompt) prompt = NULL;
  g_autofree char *base = NULL;

  if (path != NULL)
    prompt = md_syphus_prompt_new_from_file (path, &error);
  else if (self->kind == MD_SYPHUS_JOB_TRANSLATE)
    prompt = md_syphus_prompt_new_simple ("builtin:translate",
                                          md_syphus_request_default_translation_prompt ());
  if (prompt == NULL)
    {
      set_status (self, error != NULL ? error->message
                                      : _("No prompt file for this dataset: choose one"));
      gtk_button_set_label (self->prompt_button, _("Choose Prompt…"));
      label_widget (self->prompt_button, _("Prompt file"));
      return FALSE;
    }
  g_set_object (&self->prompt, prompt);
  base = path != NULL ? g_path_get_basename (path) : g_strdup (_("Built-in"));
  gtk_button_set_label (self->prompt_button, base);
  /* Setting the label renames the button for assistive technologies; name it again. */
  label_widget (self->prompt_button, _("Prompt file"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->prompt_button), path);
  return TRUE;
}

/* Setting the text renames a label for assistive technologies; name it again. */
static void
set_source (MdSyphusPanel *self,
            const char    *text)
{
  gtk_label_set_text (self->source_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->source_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Prompt and query source"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

/* The prompt of the pair's dataset, chosen as for batches and the CLI (md-syphus-batch.h), and
 * where the request's query comes from. */
static void
show_prompt_choice (MdSyphusPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdSyphusPromptChoice) choice = NULL;
  const MdSyphusPairInput *input = md_syphus_input_get (self->input);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GVariant) chosen = g_settings_get_value (settings, "syphus-prompts");
  g_autoptr(GHashTable) paths = md_syphus_prompt_paths_from_variant (chosen);

  choice = md_syphus_prompt_choose (self->store, self->kind, input->dataset, NULL, paths,
                                    &error);
  if (choice == NULL)
    {
      load_prompt (self, NULL);
      g_string_append (text, error->message);
    }
  else
    {
      load_prompt (self, choice->path);
      g_string_append_printf (text, _("Prompt: %s (%s)"),
                              choice->path != NULL ? choice->path : _("built in"),
                              md_syphus_prompt_origin_describe (choice->origin));
    }
  if (self->kind == MD_SYPHUS_JOB_REGENERATE)
    {
      g_string_append_c (text, '\n');
      if (input->annotations_path != NULL)
        g_string_append_printf (text, _("Query as Syphus sent it, from %s"),
                                input->annotations_path);
      else
        g_string_append (text, md_syphus_request_no_annotations_note ());
    }
  set_source (self, text->str);
}

static void
on_prompt_chosen (GtkNativeDialog *dialog,
                  int              response,
                  gpointer         user_data)
{
  g_autoptr(MdSyphusPanel) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL && load_prompt (self, path))
        {
          g_autofree char *text = g_strdup_printf (_("Prompt: %s (chosen here)"), path);

          set_source (self, text);
          rebuild_request (self);
        }
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
on_prompt_clicked (GtkButton     *button,
                   MdSyphusPanel *self)
{
  g_autofree char *current = NULL;
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Syphus Prompt File"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Prompt files (JSON, Python)"));
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_filter_add_suffix (filter, "py");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  current = md_syphus_prompt_default_path (self->kind, self->input != NULL
                                           ? md_syphus_input_get (self->input)->dataset : NULL);
  if (current != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (current);

      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, NULL);
    }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_prompt_chosen), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Backends and models ---------------------------------------------------------------------- */

static void
add_model (MdSyphusPanel *self,
           const char    *model)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model_list));

  if (model == NULL || model[0] == '\0')
    return;
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->model_list, i), model) == 0)
      return;
  gtk_string_list_append (self->model_list, model);
}

static void
on_models_listed (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(MdSyphusPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) models = md_syphus_backend_list_models_finish (MD_SYPHUS_BACKEND (object), result,
                                                                &error);

  if (models == NULL || MD_SYPHUS_BACKEND (object) != self->backend)
    return;   /* a server that cannot list its models may still answer chats */
  self->filling_models = TRUE;
  for (guint i = 0; models[i] != NULL; i++)
    add_model (self, models[i]);
  self->filling_models = FALSE;
}

static void
on_backend_selected (GtkDropDown   *dropdown,
                     GParamSpec    *pspec,
                     MdSyphusPanel *self)
{
  const MdSyphusBackendConfig *config = md_syphus_config_find (self->config,
                                                               selected_string (dropdown));
  g_autoptr(GError) error = NULL;
  g_autoptr(MdSyphusBackend) backend = NULL;
  g_autofree char *path = md_syphus_config_default_path ();

  if (config == NULL)
    return;
  backend = md_syphus_backend_config_create (config, path, &error);
  if (backend == NULL)
    {
      set_status (self, error->message);
      return;
    }
  g_set_object (&self->backend, backend);
  self->filling_models = TRUE;
  gtk_string_list_splice (self->model_list, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->model_list)), NULL);
  add_model (self, config->model);
  gtk_drop_down_set_selected (self->model_dropdown, 0);
  self->filling_models = FALSE;
  md_syphus_backend_list_models_async (backend, self->cancellable, on_models_listed,
                                       g_object_ref (self));
  rebuild_request (self);
}

static void
on_model_selected (GtkDropDown   *dropdown,
                   GParamSpec    *pspec,
                   MdSyphusPanel *self)
{
  if (!self->filling_models)
    rebuild_request (self);
}

/* Decisions -------------------------------------------------------------------------------- */

static void
show_current_texts (MdSyphusPanel *self)
{
  if (self->page != NULL)
    md_pair_page_reload_text (self->page);
  g_signal_emit (self, signals[REVISED], 0, md_syphus_input_get (self->input)->id);
}

static void
finish_decisions (MdSyphusPanel *self)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if ((self->decided_mask & self->proposal_mask) != self->proposal_mask)
    return;
  /* The texts chosen are already written; the verdict records the outcome in the journal. */
  if (self->accepted_mask != 0)
    ok = md_syphus_review_writer_accept (self->writer, self->journal, self->generation->id, 0,
                                         &error);
  else
    ok = md_syphus_journal_set_verdict (self->journal, self->generation->id,
                                        MD_SYPHUS_VERDICT_REJECTED, &error);
  if (!ok)
    set_status (self, error->message);
  else
    set_status (self, self->accepted_mask != 0 ? _("Accepted texts are saved as revisions")
                                               : _("Rejected; the reply stays in the history"));
}

static void
decide (MdSyphusPanel *self,
        GtkWidget     *button,
        gboolean       accept)
{
  guint bit = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "md-bit"));
  GtkWidget *row = gtk_widget_get_parent (button);
  g_autoptr(GError) error = NULL;

  if ((self->decided_mask & bit) != 0 || self->generation == NULL)
    return;
  if (accept && md_syphus_review_writer_apply (self->writer, self->generation, bit, &error) < 0)
    {
      set_status (self, error->message);
      return;
    }
  self->decided_mask |= bit;
  if (accept)
    self->accepted_mask |= bit;
  for (GtkWidget *child = gtk_widget_get_first_child (row); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child))
      gtk_widget_set_sensitive (child, FALSE);
  gtk_label_set_text (GTK_LABEL (g_object_get_data (G_OBJECT (row), "md-state")),
                      accept ? _("Accepted") : _("Rejected"));
  if (accept)
    show_current_texts (self);
  finish_decisions (self);
}

static void
on_accept_clicked (GtkButton     *button,
                   MdSyphusPanel *self)
{
  decide (self, GTK_WIDGET (button), TRUE);
}

static void
on_reject_clicked (GtkButton     *button,
                   MdSyphusPanel *self)
{
  decide (self, GTK_WIDGET (button), FALSE);
}

/* Accept all or reject all: every proposal of the reply not decided yet, in order. */
static void
decide_all (MdSyphusPanel *self,
            gboolean       accept)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->changes_box)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (g_object_get_data (G_OBJECT (row), "md-state") == NULL)
        continue;
      for (GtkWidget *child = gtk_widget_get_first_child (row); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        if (GTK_IS_BUTTON (child) && g_object_get_data (G_OBJECT (child), "md-bit") != NULL &&
            GPOINTER_TO_INT (g_object_get_data (G_OBJECT (child), "md-accept")) == accept)
          decide (self, child, accept);
    }
}

static void
on_accept_all_clicked (GtkButton     *button,
                       MdSyphusPanel *self)
{
  decide_all (self, TRUE);
}

static void
on_reject_all_clicked (GtkButton     *button,
                       MdSyphusPanel *self)
{
  decide_all (self, FALSE);
}

static GtkWidget *
decide_all_row (MdSyphusPanel *self,
                guint          n_proposals)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *count = gtk_label_new (NULL);
  GtkWidget *reject = gtk_button_new_with_mnemonic (_("Reject A_ll"));
  GtkWidget *accept = gtk_button_new_with_mnemonic (_("Accept _All"));
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change",
                                                        "%u changes", n_proposals), n_proposals);

  gtk_label_set_text (GTK_LABEL (count), text);
  gtk_label_set_xalign (GTK_LABEL (count), 0);
  gtk_widget_set_hexpand (count, TRUE);
  gtk_widget_add_css_class (count, "dim-label");
  label_widget (reject, _("Reject all changes"));
  label_widget (accept, _("Accept all changes"));
  gtk_widget_add_css_class (accept, "suggested-action");
  g_signal_connect (reject, "clicked", G_CALLBACK (on_reject_all_clicked), self);
  g_signal_connect (accept, "clicked", G_CALLBACK (on_accept_all_clicked), self);
  gtk_box_append (GTK_BOX (row), count);
  gtk_box_append (GTK_BOX (row), reject);
  gtk_box_append (GTK_BOX (row), accept);
  return row;
}

static GtkWidget *
decision_button (MdSyphusPanel *self,
                 const char    *label,
                 const char    *accessible,
                 guint          bit,
                 gboolean       accept)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  label_widget (button, accessible);
  g_object_set_data (G_OBJECT (button), "md-bit", GUINT_TO_POINTER (bit));
  g_object_set_data (G_OBJECT (button), "md-accept", GINT_TO_POINTER (accept));
  g_signal_connect (button, "clicked",
                    accept ? G_CALLBACK (on_accept_clicked) : G_CALLBACK (on_reject_clicked), self);
  if (accept)
    gtk_widget_add_css_class (button, "suggested-action");
  return button;
}

static void
show_proposals (MdSyphusPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) proposals = md_syphus_generation_proposals (self->generation, &error);
  const MdSyphusPairInput *input = md_syphus_input_get (self->input);
  MdPair *pair = md_syphus_input_get_pair (self->input);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->changes_box))) != NULL)
    gtk_box_remove (self->changes_box, child);
  if (proposals == NULL)
    {
      set_status (self, error->message);
      return;
    }

  /* A translation reply changes fourteen fields: one click for all of them. */
  if (proposals->len > 1)
    gtk_box_append (self->changes_box, decide_all_row (self, proposals->len));
  for (guint i = 0; i < proposals->len; i++)
    {
      const MdSyphusProposal *proposal = g_ptr_array_index (proposals, i);
      guint bit = MD_SYPHUS_PROPOSAL_BIT (proposal->lang, proposal->field);
      g_autofree char *current = md_review_store_get_text (self->review, input->dataset, input->id,
                                                           proposal->lang, proposal->field,
                                                           md_pair_get_text (pair, proposal->lang,
                                                                             proposal->field),
                                                           NULL);
      g_autofree char *heading = g_strdup_printf ("%s · %s", language_label (proposal->lang),
                                                  field_label (proposal->field));
      g_autofree char *accept_name = g_strdup_printf (_("Accept %s, %s"),
                                                      language_label (proposal->lang),
                                                      field_label (proposal->field));
      g_autofree char *reject_name = g_strdup_printf (_("Reject %s, %s"),
                                                      language_label (proposal->lang),
                                                      field_label (proposal->field));
      g_autofree char *view_name = g_strdup_printf (_("Changes to %s, %s"),
                                                    language_label (proposal->lang),
                                                    field_label (proposal->field));
      GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *title = gtk_label_new (heading);
      GtkWidget *state = gtk_label_new (NULL);
      GtkWidget *view = md_diff_label_new (current, proposal->text, view_name,
                                           md_language_is_rtl (proposal->lang));
      GtkWidget *frame;

      self->proposal_mask |= bit;
      gtk_widget_add_css_class (title, "heading");
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_widget_set_hexpand (title, TRUE);
      gtk_widget_add_css_class (state, "dim-label");
      g_object_set_data (G_OBJECT (header), "md-state", state);
      gtk_box_append (GTK_BOX (header), title);
      gtk_box_append (GTK_BOX (header), state);
      gtk_box_append (GTK_BOX (header), decision_button (self, _("_Reject"), reject_name, bit,
                                                          FALSE));
      gtk_box_append (GTK_BOX (header), decision_button (self, _("_Accept"), accept_name, bit,
                                                          TRUE));

      gtk_widget_set_margin_start (view, 6);
      gtk_widget_set_margin_end (view, 6);
      gtk_widget_set_margin_top (view, 4);
      gtk_widget_set_margin_bottom (view, 4);

      gtk_box_append (self->changes_box, header);
      frame = gtk_frame_new (NULL);
      gtk_frame_set_child (GTK_FRAME (frame), view);
      gtk_box_append (self->changes_box, frame);
    }
}

/* Sending ---------------------------------------------------------------------------------- */

static void
on_delta (MdSyphusQueue *queue,
          gint64         job_id,
          const char    *text,
          MdSyphusPanel *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->reply_view);
  GtkTextIter end;

  if (job_id != self->job_id)
    return;
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, text, -1);
}

static void
on_job_retry (MdSyphusQueue *queue,
              gint64         job_id,
              guint          attempt,
              guint          delay_ms,
              const char    *message,
              MdSyphusPanel *self)
{
  g_autofree char *text = NULL;

  if (job_id != self->job_id)
    return;
  text = g_strdup_printf (_("Attempt %u failed (%s); retrying in %.1f s"), attempt, message,
                          delay_ms / 1000.0);
  set_status (self, text);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->reply_view), "", 0);
}

static void
on_job_finished (MdSyphusQueue *queue,
                 gint64         job_id,
                 gint64         generation_id,
                 const char    *status,
                 const char    *message,
                 MdSyphusPanel *self)
{
  g_autoptr(GError) error = NULL;

  if (job_id != self->job_id)
    return;
  gtk_widget_set_sensitive (self->send_button, TRUE);
  if (generation_id <= 0)
    {
      set_status (self, message != NULL ? message : _("The request failed"));
      return;
    }
  g_clear_pointer (&self->generation, md_syphus_generation_free);
  self->generation = md_syphus_journal_get_generation (self->journal, generation_id, &error);
  if (self->generation == NULL)
    {
      set_status (self, error->message);
      return;
    }
  if (g_strcmp0 (status, "ok") != 0)
    {
      set_status (self, message != NULL ? message : status);
      return;
    }
  set_status (self, _("Reply received: accept or reject each change"));
  self->proposal_mask = self->decided_mask = self->accepted_mask = 0;
  show_proposals (self);
}

static char *
request_body (MdSyphusPanel  *self,
              const char     *model,
              GError        **error)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->request_view);
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  cJSON *json;
  char *printed;
  char *body;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  json = cJSON_Parse (text);
  if (!cJSON_IsObject (json) || !cJSON_IsArray (cJSON_GetObjectItem (json, "messages")))
    {
      const char *where = cJSON_GetErrorPtr ();

      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   _("The request is not a JSON object with “messages” (byte %ld)"),
                   json == NULL && where != NULL ? (long) (where - text) : 0L);
      cJSON_Delete (json);
      return NULL;
    }
  /* The model and streaming are the panel's, whatever the edited text says. */
  cJSON_DeleteItemFromObject (json, "model");
  cJSON_AddStringToObject (json, "model", model);
  cJSON_DeleteItemFromObject (json, "stream");
  cJSON_AddBoolToObject (json, "stream", TRUE);
  printed = cJSON_PrintUnformatted (json);
  body = g_strdup (printed);
  cJSON_free (printed);
  cJSON_Delete (json);
  return body;
}

static void
send_now (MdSyphusPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  const MdSyphusPairInput *input = md_syphus_input_get (self->input);
  const char *model = selected_string (self->model_dropdown);
  MdSyphusQueueSettings settings;
  gboolean existing = FALSE;

  body = request_body (self, model, &error);
  if (body == NULL)
    {
      set_status (self, error->message);
      return;
    }
  self->job_id = md_syphus_journal_add_job (self->journal, self->kind, input->dataset, input->id,
                                            md_syphus_prompt_get_name (self->prompt),
                                            md_syphus_backend_get_name (self->backend), model,
                                            body, &existing, &error);
  if (self->job_id == 0)
    {
      set_status (self, error->message);
      return;
    }

  if (self->queue != NULL)
    md_syphus_queue_cancel (self->queue);
  g_clear_object (&self->queue);
  md_syphus_config_get_queue_settings (self->config, &settings);
  settings.concurrency = 1;
  settings.max_attempts = 3;
  self->queue = md_syphus_queue_new (self->backend, self->journal, &settings);
  g_signal_connect (self->queue, "delta", G_CALLBACK (on_delta), self);
  g_signal_connect (self->queue, "job-retry", G_CALLBACK (on_job_retry), self);
  g_signal_connect (self->queue, "job-finished", G_CALLBACK (on_job_finished), self);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->reply_view), "", 0);
  g_clear_pointer (&self->generation, md_syphus_generation_free);
  set_status (self, existing ? _("Sending (this pair was already waiting in a batch)…")
                             : _("Sending…"));
  gtk_widget_set_sensitive (self->send_button, FALSE);
  if (!md_syphus_queue_start_jobs (self->queue, &self->job_id, 1, &error))
    {
      set_status (self, error->message);
      gtk_widget_set_sensitive (self->send_button, TRUE);
    }
}

static void
key_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;
  char *key = md_syphus_key_lookup (task_data, TRUE, cancellable, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, g_free);
}

static void
on_key_found (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  MdSyphusPanel *self = MD_SYPHUS_PANEL (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_debug ("no key from the keyring: %s", error->message);
  md_syphus_backend_set_api_key (self->backend, key);
  send_now (self);
}

void
md_syphus_panel_send (MdSyphusPanel *self)
{
  g_return_if_fail (MD_IS_SYPHUS_PANEL (self));

  if (self->backend == NULL || self->input == NULL || self->prompt == NULL ||
      !gtk_widget_get_sensitive (self->send_button))
    return;
  /* Keys come from the keyring in a worker thread: libsecret's lookup blocks. Local servers
   * need none, and the environment variable still counts for them. */
  if (md_syphus_backend_get_kind (self->backend) == MD_SYPHUS_BACKEND_HOSTED)
    {
      g_autoptr(GTask) task = g_task_new (self, self->cancellable, on_key_found, NULL);

      g_task_set_task_data (task, g_strdup (md_syphus_backend_get_name (self->backend)), g_free);
      g_task_run_in_thread (task, key_thread);
      return;
    }
  {
    g_autofree char *key = md_syphus_key_lookup (NULL, FALSE, NULL, NULL);

    md_syphus_backend_set_api_key (self->backend, key);
  }
  send_now (self);
}

gint64
md_syphus_panel_get_generation (MdSyphusPanel *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_PANEL (self), 0);

  return self->generation != NULL ? self->generation->id : 0;
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  md_syphus_panel_send (MD_SYPHUS_PANEL (widget));
}

static void
on_send_clicked (GtkButton     *button,
                 MdSyphusPanel *self)
{
  md_syphus_panel_send (self);
}

/* Construction ----------------------------------------------------------------------------- */

static GtkWidget *
scrolled_text (GtkTextView **out_view,
               const char   *accessible,
               gboolean      editable,
               int           height)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), editable);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  label_widget (view, accessible);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), height);
  gtk_widget_add_css_class (scrolled, "card");
  *out_view = GTK_TEXT_VIEW (view);
  return scrolled;
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static void
build_ui (MdSyphusPanel *self)
{
  GtkWidget *toolbar_view = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *controls = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *right = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *changes_scrolled = gtk_scrolled_window_new ();
  GtkWidget *label;

  self->title = ADW_WINDOW_TITLE (adw_window_title_new ("", ""));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));
  self->send_button = gtk_button_new_with_mnemonic (_("_Send"));
  gtk_widget_add_css_class (self->send_button, "suggested-action");
  gtk_widget_set_tooltip_text (self->send_button, _("Send the request (Ctrl+Enter)"));
  label_widget (self->send_button, _("Send request"));
  g_signal_connect (self->send_button, "clicked", G_CALLBACK (on_send_clicked), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->send_button);
  gtk_box_append (GTK_BOX (toolbar_view), header);

  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  gtk_widget_set_margin_top (content, 8);
  gtk_widget_set_margin_bottom (content, 12);
  gtk_widget_set_vexpand (content, TRUE);

  label = gtk_label_new_with_mnemonic (_("_Prompt"));
  gtk_box_append (GTK_BOX (controls), label);
  self->prompt_button = GTK_BUTTON (gtk_button_new_with_label (_("Choose Prompt…")));
  label_widget (self->prompt_button, _("Prompt file"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->prompt_button));
  g_signal_connect (self->prompt_button, "clicked", G_CALLBACK (on_prompt_clicked), self);
  gtk_box_append (GTK_BOX (controls), GTK_WIDGET (self->prompt_button));

  label = gtk_label_new_with_mnemonic (_("_Backend"));
  gtk_widget_set_margin_start (label, 12);
  gtk_box_append (GTK_BOX (controls), label);
  self->backend_list = gtk_string_list_new (NULL);
  self->backend_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->backend_list)), NULL));
  label_widget (self->backend_dropdown, _("Backend"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->backend_dropdown));
  gtk_box_append (GTK_BOX (controls), GTK_WIDGET (self->backend_dropdown));

  label = gtk_label_new_with_mnemonic (_("_Model"));
  gtk_widget_set_margin_start (label, 12);
  gtk_box_append (GTK_BOX (controls), label);
  self->model_list = gtk_string_list_new (NULL);
  self->model_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->model_list)), NULL));
  label_widget (self->model_dropdown, _("Model"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->model_dropdown));
  gtk_box_append (GTK_BOX (controls), GTK_WIDGET (self->model_dropdown));
  gtk_box_append (GTK_BOX (content), controls);

  self->source_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->source_label, 0);
  gtk_label_set_wrap (self->source_label, TRUE);
  gtk_label_set_selectable (self->source_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->source_label), "dim-label");
  label_widget (self->source_label, _("Prompt and query source"));
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->source_label));

  self->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->status_label, 0);
  gtk_label_set_wrap (self->status_label, TRUE);
  gtk_label_set_selectable (self->status_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->status_label));

  gtk_box_append (GTK_BOX (left), heading (_("Request")));
  gtk_box_append (GTK_BOX (left), scrolled_text (&self->request_view, _("Request messages"), TRUE,
                                                 200));
  gtk_widget_set_vexpand (gtk_widget_get_last_child (left), TRUE);
  gtk_box_append (GTK_BOX (left), heading (_("Reply")));
  gtk_box_append (GTK_BOX (left), scrolled_text (&self->reply_view, _("Streamed reply"), FALSE, 140));
  gtk_widget_set_margin_end (left, 6);

  gtk_box_append (GTK_BOX (right), heading (_("Changes against the current text")));
  self->changes_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 6));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (changes_scrolled),
                                 GTK_WIDGET (self->changes_box));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (changes_scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (changes_scrolled, TRUE);
  gtk_box_append (GTK_BOX (right), changes_scrolled);
  gtk_widget_set_margin_start (right, 6);

  gtk_paned_set_start_child (GTK_PANED (paned), left);
  gtk_paned_set_end_child (GTK_PANED (paned), right);
  gtk_paned_set_position (GTK_PANED (paned), 560);
  gtk_widget_set_vexpand (paned, TRUE);
  gtk_box_append (GTK_BOX (content), paned);
  gtk_box_append (GTK_BOX (toolbar_view), content);
  adw_window_set_content (ADW_WINDOW (self), toolbar_view);
}

static void
md_syphus_panel_dispose (GObject *object)
{
  MdSyphusPanel *self = MD_SYPHUS_PANEL (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  /* A reply still streaming is not wanted once the panel is gone. */
  if (self->queue != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->queue, self);
      md_syphus_queue_cancel (self->queue);
    }
  g_clear_object (&self->queue);
  g_clear_weak_pointer (&self->page);
  g_clear_pointer (&self->generation, md_syphus_generation_free);
  g_clear_pointer (&self->writer, md_syphus_review_writer_free);
  g_clear_object (&self->journal);
  g_clear_object (&self->review);
  g_clear_object (&self->store);
  g_clear_object (&self->backend);
  g_clear_object (&self->prompt);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->backend_list);
  g_clear_object (&self->model_list);
  g_clear_pointer (&self->input, md_syphus_input_free);
  g_clear_pointer (&self->config, md_syphus_config_free);
  g_clear_pointer (&self->pair_id, g_free);
  G_OBJECT_CLASS (md_syphus_panel_parent_class)->dispose (object);
}

static void
md_syphus_panel_class_init (MdSyphusPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = md_syphus_panel_dispose;

  /* "revised" (const char *pair_id): accepted texts were written to the review file. */
  signals[REVISED] = g_signal_new ("revised", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "panel.send", NULL, send_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "panel.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "panel.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
md_syphus_panel_init (MdSyphusPanel *self)
{
  self->cancellable = g_cancellable_new ();
  build_ui (self);
  gtk_window_set_default_size (GTK_WINDOW (self), 1100, 720);
}

/* Opens what the panel works with: the review file and the journal beside the index, the
 * backends of backends.ini, the pair's current texts and the prompt of its dataset. */
static gboolean
open_work (MdSyphusPanel  *self,
           GError        **error)
{
  const char *index_path = md_store_get_path (self->store);
  g_autofree char *review_path = md_review_store_default_path (index_path);
  g_autofree char *journal_path = md_syphus_journal_default_path (index_path);
  g_autofree char *config_path = md_syphus_config_default_path ();
  self->config = md_syphus_config_load (config_path, error);
  if (self->config == NULL)
    return FALSE;
  self->review = md_review_store_open (review_path, error);
  if (self->review == NULL)
    return FALSE;
  self->journal = md_syphus_journal_open (journal_path, error);
  if (self->journal == NULL)
    return FALSE;
  self->writer = md_syphus_review_writer_new (self->review, self->store);
  md_syphus_review_writer_attach (self->writer, self->journal);
  self->input = md_syphus_input_load (self->store, self->review, self->pair_id, self->kind,
                                      self->config->images, self->config->frames, error);
  if (self->input == NULL)
    return FALSE;
  show_prompt_choice (self);
  return TRUE;
}

MdSyphusPanel *
md_syphus_panel_new (GtkWindow       *parent,
                     MdStore         *store,
                     MdPairPage      *page,
                     MdSyphusJobKind  kind,
                     const char      *pair_id)
{
  MdSyphusPanel *self;
  g_autoptr(GError) error = NULL;
  guint selected = 0;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (MD_IS_STORE (store), NULL);
  g_return_val_if_fail (pair_id != NULL, NULL);

  self = g_object_new (MD_TYPE_SYPHUS_PANEL, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  g_set_weak_pointer (&self->page, page);
  self->kind = kind;
  self->pair_id = g_strdup (pair_id);
  gtk_window_set_title (GTK_WINDOW (self), kind == MD_SYPHUS_JOB_TRANSLATE ? _("Translate Pair")
                                                                           : _("Regenerate Pair"));
  adw_window_title_set_title (self->title, gtk_window_get_title (GTK_WINDOW (self)));
  adw_window_title_set_subtitle (self->title, pair_id);

  if (!open_work (self, &error))
    {
      set_status (self, error->message);
      gtk_widget_set_sensitive (self->send_button, FALSE);
      return self;
    }

  for (guint i = 0; i < self->config->backends->len; i++)
    {
      const MdSyphusBackendConfig *backend = g_ptr_array_index (self->config->backends, i);

      gtk_string_list_append (self->backend_list, backend->name);
      if (g_strcmp0 (backend->name, self->config->default_backend) == 0)
        selected = i;
    }
  if (self->config->backends->len == 0)
    {
      set_status (self, _("No backend yet: add one in Preferences, Language Models"));
      gtk_widget_set_sensitive (self->send_button, FALSE);
      return self;
    }
  g_signal_connect (self->backend_dropdown, "notify::selected",
                    G_CALLBACK (on_backend_selected), self);
  g_signal_connect (self->model_dropdown, "notify::selected",
                    G_CALLBACK (on_model_selected), self);
  if (gtk_drop_down_get_selected (self->backend_dropdown) == selected)
    on_backend_selected (self->backend_dropdown, NULL, self);
  else
    gtk_drop_down_set_selected (self->backend_dropdown, selected);
  return self;
}
