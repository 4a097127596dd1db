/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "md-app-private.h"
#include "md-export.h"
#include "md-export-dialog.h"
#include "md-review-sample.h"

/* Options are counted again this long after the last change, so that a user flicking through a
 * dropdown does not start one selection per step. */
#define PREVIEW_DELAY_MS 150
/* How often the progress bar reads what the worker thread last reported. */
#define PROGRESS_POLL_MS 100
/* Issues listed on the report page; the counts above the list are always complete. */
#define MAX_LISTED_ISSUES 60

typedef enum
{
  FOLDER_NONE,
  FOLDER_CHECKING,
  FOLDER_NEW,
  FOLDER_EMPTY,
  FOLDER_NOT_EMPTY,
  FOLDER_NOT_A_FOLDER,
} FolderState;

/* What the worker thread last reported; the main thread polls it, so the thread never touches a
 * widget and redraws are coalesced to one per poll. */
typedef struct
{
  GMutex   mutex;
  char     phase[16];
  guint64  done;
  guint64  total;
} Progress;

struct _MdExportDialog
{
  AdwWindow             parent_instance;

  MdStore              *store;
  MdReviewStore        *review;          /* NULL when there is no review file */
  MdQuery              *query;
  GPtrArray            *sample_names;    /* char*, in the order of the source dropdown */
  char                 *out_dir;
  FolderState           folder_state;
  guint                 folder_serial;

  /* The preview: the report of the current options, NULL while it is being counted. */
  MdExportReport       *report;
  GCancellable         *check_cancellable;
  guint                 check_serial;
  guint                 preview_source;

  GCancellable         *run_cancellable;
  Progress             *progress;        /* shared with the running export */
  guint                 progress_source;
  char                 *manifest_path;
  GtkFileChooserNative *chooser;
  GPtrArray            *dataset_rows;    /* rows added to pairs_row */

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkButton            *close_button;
  GtkButton            *export_button;
  GtkStack             *stack;
  AdwComboRow          *source_row;
  GtkStringList        *source_strings;
  AdwActionRow         *filter_row;
  AdwComboRow          *status_row;
  GtkSwitch            *complete_switch;
  AdwComboRow          *format_row;
  AdwComboRow          *context_row;
  AdwComboRow          *language_row;
  GtkWidget            *extract_row;
  GtkSwitch            *extract_switch;
  GtkWidget            *turns_row;
  GtkSwitch            *turns_switch;
  AdwActionRow         *folder_row;
  GtkLabel             *folder_status;
  GtkSpinner           *preview_spinner;
  AdwExpanderRow       *pairs_row;
  GtkLabel             *pairs_label;
  GtkLabel             *images_label;
  AdwActionRow         *checks_row;
  GtkImage             *checks_icon;
  GtkLabel             *report_title;
  GtkLabel             *report_description;
  GtkListBox           *kinds_list;
  GtkListBox           *issues_list;
  GtkButton            *anyway_button;
  AdwStatusPage        *progress_page;
  GtkProgressBar       *progress_bar;
  AdwStatusPage        *summary_page;
  AdwActionRow         *manifest_row;
  GtkListBox           *files_list;
};

G_DEFINE_FINAL_TYPE (MdExportDialog, md_export_dialog, ADW_TYPE_WINDOW)

static void schedule_preview (MdExportDialog *self);

/* Work in flight holds the dialog weakly: closing it must dispose it at once (GTK 4.8 crashes
 * when a dialog outlives its transient parent), and an answer for a closed dialog is dropped. */
typedef struct
{
  GWeakRef  self;
  guint     serial;
  Progress *progress;   /* a run's reference, NULL otherwise */
} Pending;

static void
progress_clear (Progress *progress)
{
  g_mutex_clear (&progress->mutex);
}

static Pending *
pending_new (MdExportDialog *self,
             guint           serial)
{
  Pending *pending = g_new0 (Pending, 1);

  g_weak_ref_init (&pending->self, self);
  pending->serial = serial;
  return pending;
}

/* Frees @pending; returns the dialog (a new reference) if it is still open. */
static MdExportDialog *
pending_finish (Pending *pending,
                guint   *out_serial)
{
  MdExportDialog *self = g_weak_ref_get (&pending->self);

  if (out_serial != NULL)
    *out_serial = pending->serial;
  g_weak_ref_clear (&pending->self);
  if (pending->progress != NULL)
    g_atomic_rc_box_release_full (pending->progress, (GDestroyNotify) progress_clear);
  g_free (pending);
  if (self != NULL && self->store == NULL)
    g_clear_object (&self);
  return self;
}

/* Labels ---------------------------------------------------------------------------------------- */

static const char *
issue_label (MdExportIssueKind kind)
{
  switch (kind)
    {
    case MD_EXPORT_ISSUE_MISSING_PAIR:
      return _("Sample pair no longer indexed");
    case MD_EXPORT_ISSUE_MISSING_IMAGE:
      return _("Missing image");
    case MD_EXPORT_ISSUE_UNDECODABLE_IMAGE:
      return _("Undecodable image");
    case MD_EXPORT_ISSUE_DANGLING_CONTEXT:
      return _("Dangling in-context reference");
    case MD_EXPORT_ISSUE_EMPTY_TEXT:
      return _("Empty text");
    case MD_EXPORT_ISSUE_UNRESOLVED_FLAG:
      return _("Unresolved flag");
    case MD_EXPORT_ISSUE_UNEXPORTED_CONTEXT:
      return _("Link to a pair not exported");
    case MD_EXPORT_ISSUE_DROPPED_CONTEXT:
      return _("In-context link dropped");
    case MD_EXPORT_ISSUE_MISSING_TRANSLATION:
      return _("Missing translation");
    case MD_EXPORT_ISSUE_REJECTED_LEFT_OUT:
      return _("Rejected pair left out");
    case MD_EXPORT_N_ISSUES:
    default:
      g_assert_not_reached ();
    }
}

static char *
count_text (guint64 n)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, n);
}

/* The window's filter in words, so the user sees what "current filter" means. */
static char *
describe_query (const MdQuery *query)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (query->text != NULL && *query->text != '\0')
    g_ptr_array_add (parts, g_strdup_printf (_("Search “%s”"), query->text));
  if (query->dataset != NULL && *query->dataset != '\0')
    g_ptr_array_add (parts, g_strdup_printf (_("Dataset %s"), query->dataset));
  if (query->language >= 0 && query->language < MD_N_LANGUAGES)
    g_ptr_array_add (parts, g_strdup_printf (_("Text in %s"),
                                             md_language_native_name (query->language)));
  if (query->modality >= 0)
    g_ptr_array_add (parts, g_strdup_printf (_("Kind %s"), md_modality_name (query->modality)));
  if (query->flags & MD_QUERY_MISSING_IMAGES)
    g_ptr_array_add (parts, g_strdup (_("Missing images")));
  if (query->flags & MD_QUERY_MISSING_TRANSLATIONS)
    g_ptr_array_add (parts, g_strdup (_("Missing translations")));
  if (query->flags & MD_QUERY_DANGLING_CONTEXT)
    g_ptr_array_add (parts, g_strdup (_("Dangling in-context links")));
  if (query->review_status >= 0 && query->review_status < MD_REVIEW_N_STATUSES)
    g_ptr_array_add (parts, g_strdup_printf (_("Status %s"),
                                             md_review_status_name (query->review_status)));
  if (query->review_unreviewed)
    g_ptr_array_add (parts, g_strdup (_("Unreviewed")));
  if (query->review_reason != NULL && *query->review_reason != '\0')
    g_ptr_array_add (parts, g_strdup_printf (_("Reason “%s”"), query->review_reason));
  if (query->review_sample != NULL && *query->review_sample != '\0')
    g_ptr_array_add (parts, g_strdup_printf (_("Sample “%s”"), query->review_sample));
  /* The export filters on the pair's own review only; say what it leaves out rather than
   * export something else than the list shows without a word. */
  if (query->review_language >= 0 && query->review_language < MD_N_LANGUAGES &&
      md_query_has_review_filters (query))
    g_ptr_array_add (parts, g_strdup_printf (_("(review of %s not applied: the pair’s own is)"),
                                             md_language_native_name (query->review_language)));
  if (query->review_reviewer != NULL && *query->review_reviewer != '\0')
    g_ptr_array_add (parts, g_strdup_printf (_("(reviewer “%s” not applied)"),
                                             query->review_reviewer));
  if (query->review_edited)
    g_ptr_array_add (parts, g_strdup (_("(edited only: not applied)")));

  if (parts->len == 0)
    return g_strdup (_("All pairs"));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

/* Options --------------------------------------------------------------------------------------- */

static MdExportFormat
selected_format (MdExportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->format_row);

  return selected <= MD_EXPORT_FORMAT_LLAVA ? (MdExportFormat) selected : MD_EXPORT_FORMAT_MIMICIT;
}

static gboolean
window_sets_status (MdExportDialog *self)
{
  return adw_combo_row_get_selected (self->source_row) == 0 &&
         ((self->query->review_status >= 0 && self->query->review_status < MD_REVIEW_N_STATUSES) ||
          self->query->review_unreviewed);
}

static MdExportOptions *
build_options (MdExportDialog *self)
{
  MdExportOptions *options = md_export_options_new ();
  guint source = adw_combo_row_get_selected (self->source_row);
  guint status = adw_combo_row_get_selected (self->status_row);
  guint context = adw_combo_row_get_selected (self->context_row);
  guint language = adw_combo_row_get_selected (self->language_row);

  if (source >= 1 && source - 1 < self->sample_names->len)
    options->sample = g_strdup (g_ptr_array_index (self->sample_names, source - 1));
  else
    {
      options->text = g_strdup (self->query->text);
      options->dataset = g_strdup (self->query->dataset);
      options->search_language = self->query->language;
      options->modality = self->query->modality;
      options->query_flags = self->query->flags;
      options->reason = g_strdup (self->query->review_reason);
      if (self->query->review_sample != NULL && *self->query->review_sample != '\0')
        options->sample = g_strdup (self->query->review_sample);
    }

  if (window_sets_status (self))
    {
      /* The window's status filter wins; the status row is insensitive then. */
      if (self->query->review_status >= 0 && self->query->review_status < MD_REVIEW_N_STATUSES)
        options->statuses |= 1u << self->query->review_status;
      if (self->query->review_unreviewed)
        options->statuses |= 1u << MD_REVIEW_STATUS_UNREVIEWED;
    }
  else if (status == 1)
    options->statuses = 1u << MD_REVIEW_STATUS_APPROVED;
  else if (status == 2)
    options->statuses = ((1u << MD_REVIEW_N_STATUSES) - 1) & ~(1u << MD_REVIEW_STATUS_REJECTED);
  options->complete_languages = gtk_switch_get_active (self->complete_switch);

  options->format = selected_format (self);
  options->context = context <= MD_EXPORT_CONTEXT_INCLUDE ? (MdExportContext) context
                                                          : MD_EXPORT_CONTEXT_KEEP;
  /* Row 0 is all eight languages (English main text, translations beside it); the rows after
   * it follow MdLanguage from Chinese on. */
  options->language = language >= 1 && language < MD_N_LANGUAGES ? (int) language : -1;
  options->extract_images = options->format != MD_EXPORT_FORMAT_MIMICIT &&
                            gtk_switch_get_active (self->extract_switch);
  options->llava_context = options->format == MD_EXPORT_FORMAT_LLAVA &&
                           gtk_switch_get_active (self->turns_switch);
  return options;
}

static gboolean
folder_usable (MdExportDialog *self)
{
  return self->folder_state == FOLDER_NEW || self->folder_state == FOLDER_EMPTY;
}

static gboolean
is_running (MdExportDialog *self)
{
  return self->run_cancellable != NULL;
}

static void
update_export_button (MdExportDialog *self)
{
  gboolean ready = self->report != NULL && !is_running (self) && folder_usable (self) &&
                   md_export_report_get_n_pairs (self->report) > 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), ready);
}

/* The page shown decides which header buttons make sense. */
static void
show_page (MdExportDialog *self,
           const char     *name)
{
  gboolean options = g_str_equal (name, "options");
  gboolean summary = g_str_equal (name, "summary");

  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_widget_set_visible (GTK_WIDGET (self->export_button), options);
  gtk_widget_set_visible (GTK_WIDGET (self->close_button), !g_str_equal (name, "progress"));
  gtk_button_set_label (self->close_button, summary ? _("_Close") : _("_Cancel"));
  /* Setting a button's label resets its accessible name: give it back. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->close_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Close export dialog"), -1);
  update_export_button (self);
}

static void
on_option_changed (MdExportDialog *self)
{
  MdExportFormat format = selected_format (self);

  gtk_widget_set_sensitive (self->extract_row, format != MD_EXPORT_FORMAT_MIMICIT);
  gtk_widget_set_sensitive (self->turns_row, format == MD_EXPORT_FORMAT_LLAVA);
  gtk_widget_set_visible (GTK_WIDGET (self->filter_row),
                          adw_combo_row_get_selected (self->source_row) == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->status_row), !window_sets_status (self));
  schedule_preview (self);
}

/* Preview --------------------------------------------------------------------------------------- */

static void
clear_dataset_rows (MdExportDialog *self)
{
  for (guint i = 0; i < self->dataset_rows->len; i++)
    adw_expander_row_remove (self->pairs_row, g_ptr_array_index (self->dataset_rows, i));
  g_ptr_array_set_size (self->dataset_rows, 0);
}

static void
show_preview (MdExportDialog *self,
              const GError   *error)
{
  MdExportReport *report = self->report;
  g_auto(GStrv) datasets = NULL;
  g_autofree char *pairs = NULL;
  g_autofree char *images = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *checks = NULL;
  g_autofree char *blocking_text = NULL;
  g_autofree char *notes_text = NULL;
  g_autofree char *count = NULL;
  guint64 blocking = 0;
  guint64 notes = 0;

  gtk_spinner_stop (self->preview_spinner);
  clear_dataset_rows (self);

  if (report == NULL)
    {
      gtk_label_set_text (self->pairs_label, "—");
      gtk_label_set_text (self->images_label, "—");
      adw_expander_row_set_subtitle (self->pairs_row, "");
      adw_action_row_set_subtitle (self->checks_row, error != NULL ? error->message : "");
      gtk_image_set_from_icon_name (self->checks_icon, "dialog-error-symbolic");
      update_export_button (self);
      return;
    }

  pairs = count_text (md_export_report_get_n_pairs (report));
  gtk_label_set_text (self->pairs_label, pairs);
  images = count_text (md_export_report_get_n_images (report));
  gtk_label_set_text (self->images_label, images);

  datasets = md_export_report_get_datasets (report);
  for (guint i = 0; datasets[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *label;
      guint64 context = 0;
      guint64 n = md_export_report_get_dataset_pairs (report, datasets[i], &context);
      g_autofree char *n_text = count_text (n);
      g_autofree char *context_text = count_text (context);
      g_autofree char *text = context > 0
        ? g_strdup_printf (_("%s + %s in-context"), n_text, context_text)
        : g_strdup (n_text);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), datasets[i]);
      label = gtk_label_new (text);
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      adw_expander_row_add_row (self->pairs_row, row);
      g_ptr_array_add (self->dataset_rows, row);
    }
  if (md_export_report_get_n_context_pairs (report) > 0)
    {
      g_autofree char *context = count_text (md_export_report_get_n_context_pairs (report));

      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "In %u dataset, plus %s in-context examples",
                                               "In %u datasets, plus %s in-context examples",
                                               g_strv_length (datasets)),
                                  g_strv_length (datasets), context);
    }
  else
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "In %u dataset", "In %u datasets",
                                             g_strv_length (datasets)),
                                g_strv_length (datasets));
  adw_expander_row_set_subtitle (self->pairs_row, subtitle);
  adw_expander_row_set_enable_expansion (self->pairs_row, datasets[0] != NULL);

  for (guint k = 0; k < MD_EXPORT_N_ISSUES; k++)
    {
      if (md_export_issue_is_blocking (k))
        blocking += md_export_report_count (report, k);
      else
        notes += md_export_report_count (report, k);
    }
  count = count_text (blocking);
  blocking_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s blocking issue",
                                                "%s blocking issues", (gulong) blocking), count);
  g_free (count);
  count = count_text (notes);
  notes_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s note", "%s notes",
                                             (gulong) notes), count);
  if (blocking > 0 && notes > 0)
    /* Translators: "3 blocking issues and 12 notes, listed before writing" */
    checks = g_strdup_printf (_("%s and %s, listed before writing"), blocking_text, notes_text);
  else if (blocking > 0)
    checks = g_strdup_printf (_("%s, listed before writing"), blocking_text);
  else if (notes > 0)
    checks = g_strdup_printf (_("Nothing blocking; %s, listed before writing"), notes_text);
  else
    checks = g_strdup (_("No issues"));
  adw_action_row_set_subtitle (self->checks_row, checks);
  gtk_image_set_from_icon_name (self->checks_icon, blocking > 0 ? "dialog-warning-symbolic"
                                                                : "emblem-ok-symbolic");
  if (blocking > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->checks_icon), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->checks_icon), "warning");

  update_export_button (self);
}

static void
check_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  guint serial = 0;
  g_autoptr(MdExportDialog) self = pending_finish (user_data, &serial);
  g_autoptr(MdExportReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = md_export_check_finish (result, &error);

  /* Only the answer to the latest options counts; older ones were cancelled or superseded. */
  if (self == NULL || serial != self->check_serial ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->check_cancellable);
  g_set_object (&self->report, report);
  show_preview (self, error);
}

static gboolean
preview_timeout (gpointer user_data)
{
  MdExportDialog *self = user_data;
  g_autoptr(MdExportOptions) options = build_options (self);

  self->preview_source = 0;
  self->check_cancellable = g_cancellable_new ();
  md_export_check_async (self->store, self->review, options, NULL, NULL, self->check_cancellable,
                         check_done, pending_new (self, self->check_serial));
  return G_SOURCE_REMOVE;
}

static void
schedule_preview (MdExportDialog *self)
{
  self->check_serial++;
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_object (&self->report);
  g_clear_handle_id (&self->preview_source, g_source_remove);

  gtk_spinner_start (self->preview_spinner);
  adw_action_row_set_subtitle (self->checks_row, _("Counting…"));
  update_export_button (self);
  self->preview_source = g_timeout_add (PREVIEW_DELAY_MS, preview_timeout, self);
}

/* Output folder --------------------------------------------------------------------------------- */

static void
folder_state_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  const char *path = task_data;
  FolderState state;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    state = FOLDER_NEW;
  else if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    state = FOLDER_NOT_A_FOLDER;
  else
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

      state = dir != NULL && g_dir_read_name (dir) == NULL ? FOLDER_EMPTY : FOLDER_NOT_EMPTY;
    }
  g_task_return_int (task, state);
}

static void
show_folder_state (MdExportDialog *self)
{
  GtkWidget *label = GTK_WIDGET (self->folder_status);
  gboolean bad = self->folder_state == FOLDER_NOT_EMPTY ||
                 self->folder_state == FOLDER_NOT_A_FOLDER;
  const char *text = NULL;

  switch (self->folder_state)
    {
    case FOLDER_NONE:
      text = _("The folder must be empty or new.");
      break;
    case FOLDER_CHECKING:
      text = _("Looking at the folder…");
      break;
    case FOLDER_NEW:
      text = _("A new folder: it is created when the export starts.");
      break;
    case FOLDER_EMPTY:
      text = _("An empty folder: the export goes here.");
      break;
    case FOLDER_NOT_EMPTY:
      text = _("This folder is not empty. Choose an empty or new folder, so that nothing in it "
               "is mixed with the export.");
      break;
    case FOLDER_NOT_A_FOLDER:
      text = _("This is a file, not a folder. Choose an empty or new folder.");
      break;
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_text (self->folder_status, text);
  if (bad)
    {
      gtk_widget_add_css_class (label, "error");
      gtk_widget_remove_css_class (label, "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (label, "error");
      gtk_widget_add_css_class (label, "dim-label");
    }
  update_export_button (self);
}

static void
folder_state_done (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  guint serial = 0;
  g_autoptr(MdExportDialog) self = pending_finish (user_data, &serial);
  FolderState state = g_task_propagate_int (G_TASK (result), NULL);

  if (self == NULL || serial != self->folder_serial)
    return;

  self->folder_state = state;
  show_folder_state (self);
}

/* Looked at in a worker thread: the folder may be on a slow or sleeping disk. */
static void
refresh_folder_state (MdExportDialog *self)
{
  g_autoptr(GTask) task = NULL;

  self->folder_serial++;
  if (self->out_dir == NULL)
    {
      self->folder_state = FOLDER_NONE;
      show_folder_state (self);
      return;
    }

  self->folder_state = FOLDER_CHECKING;
  show_folder_state (self);
  task = g_task_new (NULL, NULL, folder_state_done, pending_new (self, self->folder_serial));
  g_task_set_source_tag (task, refresh_folder_state);
  g_task_set_task_data (task, g_strdup (self->out_dir), g_free);
  g_task_run_in_thread (task, folder_state_thread);
}

void
md_export_dialog_set_output_folder (MdExportDialog *self,
                                    const char     *path)
{
  g_return_if_fail (MD_IS_EXPORT_DIALOG (self));

  if (!_md_set_str (&self->out_dir, path))
    return;
  adw_action_row_set_subtitle (self->folder_row, path != NULL ? path : _("None chosen"));
  refresh_folder_state (self);
}

const char *
md_export_dialog_get_output_folder (MdExportDialog *self)
{
  g_return_val_if_fail (MD_IS_EXPORT_DIALOG (self), NULL);
  return self->out_dir;
}

static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     MdExportDialog  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        md_export_dialog_set_output_folder (self, path);
    }
  g_clear_object (&self->chooser);
}

static void
on_choose_folder_clicked (MdExportDialog *self)
{
  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Output Folder"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_create_folders (GTK_FILE_CHOOSER (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Report ---------------------------------------------------------------------------------------- */

static void
list_box_clear (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
issue_row (const char *title,
           const char *subtitle,
           gboolean    blocking)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (blocking ? "dialog-warning-symbolic"
                                                           : "dialog-information-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (blocking)
    gtk_widget_add_css_class (icon, "warning");
  else
    gtk_widget_add_css_class (icon, "dim-label");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  blocking ? _("Blocking") : _("Note"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  return row;
}

static void
fill_report (MdExportDialog *self)
{
  MdExportReport *report = self->report;
  GPtrArray *issues = md_export_report_get_issues (report);
  gboolean blocking = md_export_report_has_blocking (report);
  GtkWidget *anyway = GTK_WIDGET (self->anyway_button);
  guint listed = 0;

  gtk_label_set_text (self->report_title, blocking ? _("Blocking Issues Found")
                                                   : _("Notes Before Export"));
  gtk_label_set_text (self->report_description,
                      blocking
                      ? _("Some pairs would be written with problems that can break training or "
                          "hide unfinished review work. Go back to change the selection, or "
                          "export anyway.")
                      : _("Nothing blocks the export; these follow from the chosen options."));

  list_box_clear (self->kinds_list);
  for (guint k = 0; k < MD_EXPORT_N_ISSUES; k++)
    {
      guint64 n = md_export_report_count (report, k);
      g_autofree char *count = NULL;
      GtkWidget *row;
      GtkWidget *label;

      if (n == 0)
        continue;
      row = issue_row (issue_label (k), md_export_issue_is_blocking (k) ? _("Blocking")
                                                                         : _("Note"),
                       md_export_issue_is_blocking (k));
      count = count_text (n);
      label = gtk_label_new (count);
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      gtk_list_box_append (self->kinds_list, row);
    }

  /* Blocking issues first: they are what the user must decide about. */
  list_box_clear (self->issues_list);
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < issues->len && listed < MAX_LISTED_ISSUES; i++)
      {
        MdExportIssue *issue = g_ptr_array_index (issues, i);
        gboolean issue_blocking = md_export_issue_is_blocking (issue->kind);
        g_autofree char *subtitle = NULL;

        if (issue_blocking != (pass == 0))
          continue;
        subtitle = issue->ref != NULL
          ? g_strdup_printf ("%s: %s", issue_label (issue->kind), issue->ref)
          : g_strdup (issue_label (issue->kind));
        gtk_list_box_append (self->issues_list,
                             issue_row (issue->pair_id != NULL ? issue->pair_id : "",
                                        subtitle, issue_blocking));
        listed++;
      }

  gtk_widget_remove_css_class (anyway, "destructive-action");
  gtk_widget_remove_css_class (anyway, "suggested-action");
  gtk_widget_add_css_class (anyway, blocking ? "destructive-action" : "suggested-action");
}

/* Running --------------------------------------------------------------------------------------- */

static void
on_progress (const char *phase,
             guint64     done,
             guint64     total,
             gpointer    user_data)
{
  Progress *progress = user_data;

  g_mutex_lock (&progress->mutex);
  g_strlcpy (progress->phase, phase, sizeof progress->phase);
  progress->done = done;
  progress->total = total;
  g_mutex_unlock (&progress->mutex);
}

static gboolean
progress_poll (gpointer user_data)
{
  MdExportDialog *self = user_data;
  Progress *progress = self->progress;
  g_autofree char *text = NULL;
  g_autofree char *done_text = NULL;
  g_autofree char *total_text = NULL;
  char phase[sizeof progress->phase];
  guint64 done, total;

  g_mutex_lock (&progress->mutex);
  memcpy (phase, progress->phase, sizeof phase);
  done = progress->done;
  total = progress->total;
  g_mutex_unlock (&progress->mutex);

  done_text = count_text (done);
  total_text = count_text (total);
  if (g_str_equal (phase, "write"))
    text = g_strdup_printf (_("Writing pair %s of %s"), done_text, total_text);
  else if (g_str_equal (phase, "check"))
    text = g_strdup_printf (_("Checking pair %s of %s"), done_text, total_text);
  else
    text = g_strdup (_("Selecting pairs…"));

  gtk_progress_bar_set_text (self->progress_bar, text);
  if (total > 0 && !g_str_equal (phase, "select"))
    gtk_progress_bar_set_fraction (self->progress_bar, (double) done / (double) total);
  else
    gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
show_summary (MdExportDialog *self,
              MdExportResult *result)
{
  g_autofree char *description = NULL;
  g_autofree char *pairs = NULL;
  g_autofree char *images = NULL;
  g_autofree char *size = NULL;
  guint64 total = 0;

  list_box_clear (self->files_list);
  for (guint i = 0; i < result->files->len; i++)
    {
      MdExportFile *file = g_ptr_array_index (result->files, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *file_size = g_format_size (file->size);
      GtkWidget *label = gtk_label_new (file_size);

      total += file->size;
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), file->path);
      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_add_css_class (label, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      gtk_list_box_append (self->files_list, row);
    }

  g_free (self->manifest_path);
  self->manifest_path = g_build_filename (result->out_dir, "manifest.json", NULL);
  adw_action_row_set_subtitle (self->manifest_row, self->manifest_path);

  pairs = count_text (result->n_pairs + result->n_context_pairs);
  images = count_text (result->n_images);
  size = g_format_size (total);
  description = g_strdup_printf (_("%s pairs and %s images in %u files (%s), written to %s"),
                                 pairs, images, result->files->len, size, result->out_dir);
  adw_status_page_set_description (self->summary_page, description);
  show_page (self, "summary");
}

static void
run_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(MdExportDialog) self = pending_finish (user_data, NULL);
  g_autoptr(MdExportResult) export = NULL;
  g_autoptr(GError) error = NULL;

  export = md_export_run_finish (result, &error);
  if (self == NULL)
    return;   /* closed meanwhile; closing cancelled the export */
  g_clear_handle_id (&self->progress_source, g_source_remove);
  g_clear_object (&self->run_cancellable);

  if (export != NULL)
    {
      show_summary (self, export);
      return;
    }

  show_page (self, "options");
  /* The folder is back to what it was (the export removes all it wrote), or its state changed
   * for some other reason: look again. */
  refresh_folder_state (self);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    adw_toast_overlay_add_toast (self->toast_overlay,
                                 adw_toast_new (_("Export cancelled, nothing was written")));
  else
    {
      AdwToast *toast = adw_toast_new_format (_("Export failed: %s"), error->message);

      adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
}

static void
start_run (MdExportDialog *self)
{
  g_autoptr(MdExportOptions) options = build_options (self);
  Pending *pending;

  g_return_if_fail (self->out_dir != NULL);

  self->run_cancellable = g_cancellable_new ();
  on_progress ("select", 0, 0, self->progress);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  adw_status_page_set_description (self->progress_page, self->out_dir);
  show_page (self, "progress");
  progress_poll (self);
  self->progress_source = g_timeout_add (PROGRESS_POLL_MS, progress_poll, self);
  gtk_widget_grab_focus (GTK_WIDGET (self->progress_bar));

  /* The worker thread reports into the progress block until the export finishes, even if the
   * dialog is gone by then: the run holds its own reference. */
  pending = pending_new (self, 0);
  pending->progress = g_atomic_rc_box_acquire (self->progress);
  md_export_run_async (self->store, self->review, options, self->out_dir, on_progress,
                       pending->progress, self->run_cancellable, run_done, pending);
}

/* Buttons --------------------------------------------------------------------------------------- */

static void
on_export_clicked (MdExportDialog *self)
{
  gboolean any = FALSE;

  if (self->report == NULL || !folder_usable (self) || is_running (self))
    return;

  for (guint k = 0; k < MD_EXPORT_N_ISSUES; k++)
    any |= md_export_report_count (self->report, k) > 0;

  if (any)
    {
      fill_report (self);
      show_page (self, "report");
      gtk_widget_grab_focus (GTK_WIDGET (self->anyway_button));
    }
  else
    start_run (self);
}

static void
on_anyway_clicked (MdExportDialog *self)
{
  if (self->report != NULL && folder_usable (self) && !is_running (self))
    start_run (self);
}

static void
on_back_clicked (MdExportDialog *self)
{
  show_page (self, "options");
}

static void
on_cancel_export_clicked (MdExportDialog *self)
{
  g_cancellable_cancel (self->run_cancellable);
}

static void
on_close_clicked (MdExportDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
open_folder_done (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(MdExportDialog) self = pending_finish (user_data, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error) && self != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay,
                                 adw_toast_new_format (_("Could not open the folder: %s"),
                                                       error->message));
}

static void
on_open_folder_clicked (MdExportDialog *self)
{
  g_autoptr(GFile) folder = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GAppLaunchContext) context = NULL;

  if (self->out_dir == NULL)
    return;
  folder = g_file_new_for_path (self->out_dir);
  uri = g_file_get_uri (folder);
  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (
                                    gtk_widget_get_display (GTK_WIDGET (self))));
  g_app_info_launch_default_for_uri_async (uri, context, NULL, open_folder_done,
                                           pending_new (self, 0));
}

/* Type ------------------------------------------------------------------------------------------ */

static gboolean
md_export_dialog_close_request (GtkWindow *window)
{
  MdExportDialog *self = MD_EXPORT_DIALOG (window);

  /* Closing while writing abandons the export; the library removes what it wrote. */
  g_cancellable_cancel (self->run_cancellable);
  g_cancellable_cancel (self->check_cancellable);
  return GTK_WINDOW_CLASS (md_export_dialog_parent_class)->close_request (window);
}

static void
md_export_dialog_dispose (GObject *object)
{
  MdExportDialog *self = MD_EXPORT_DIALOG (object);

  g_clear_handle_id (&self->preview_source, g_source_remove);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_cancellable_cancel (self->run_cancellable);
  g_clear_object (&self->run_cancellable);
  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  g_clear_pointer (&self->dataset_rows, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), MD_TYPE_EXPORT_DIALOG);

  /* A NULL store tells callbacks still in flight that the dialog is gone. */
  g_clear_object (&self->store);
  g_clear_object (&self->review);
  g_clear_object (&self->report);

  G_OBJECT_CLASS (md_export_dialog_parent_class)->dispose (object);
}

static void
md_export_dialog_finalize (GObject *object)
{
  MdExportDialog *self = MD_EXPORT_DIALOG (object);

  g_clear_pointer (&self->query, md_query_free);
  g_clear_pointer (&self->sample_names, g_ptr_array_unref);
  g_free (self->out_dir);
  g_free (self->manifest_path);
  g_atomic_rc_box_release_full (self->progress, (GDestroyNotify) progress_clear);

  G_OBJECT_CLASS (md_export_dialog_parent_class)->finalize (object);
}

static void
md_export_dialog_class_init (MdExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = md_export_dialog_dispose;
  object_class->finalize = md_export_dialog_finalize;
  window_class->close_request = md_export_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mimicdesk/MimicDesk/ui/"
                                               "md-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, source_row);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, source_strings);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, filter_row);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, status_row);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, complete_switch);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, context_row);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, language_row);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, extract_row);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, extract_switch);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, turns_row);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, turns_switch);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, folder_row);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, folder_status);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, preview_spinner);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, pairs_row);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, pairs_label);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, images_label);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, checks_row);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, checks_icon);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, report_title);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, report_description);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, kinds_list);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, issues_list);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, anyway_button);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, progress_page);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, summary_page);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, manifest_row);
  gtk_widget_class_bind_template_child (widget_class, MdExportDialog, files_list);
  gtk_widget_class_bind_template_callback (widget_class, on_option_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_folder_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_anyway_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_close_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_open_folder_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
md_export_dialog_init (MdExportDialog *self)
{
  self->progress = g_atomic_rc_box_new0 (Progress);
  g_mutex_init (&self->progress->mutex);
  self->dataset_rows = g_ptr_array_new ();
  self->sample_names = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));
}

MdExportDialog *
md_export_dialog_new (GtkWindow     *parent,
                      MdStore       *store,
                      const char    *review_path,
                      const MdQuery *query)
{
  MdExportDialog *self;
  g_autofree char *filter = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (MD_IS_STORE (store), NULL);

  self = g_object_new (MD_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->query = query != NULL ? md_query_copy (query) : md_query_new ();

  /* Exporting never creates a review file: without one every pair is unreviewed. */
  if (review_path != NULL && g_file_test (review_path, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) names = NULL;

      self->review = md_review_store_open (review_path, &error);
      if (self->review != NULL)
        names = md_review_store_list_samples (self->review, &error);
      if (error != NULL)
        adw_toast_overlay_add_toast (self->toast_overlay,
                                     adw_toast_new_format (_("Review file not used: %s"),
                                                           error->message));
      for (guint i = 0; names != NULL && i < names->len; i++)
        {
          g_autofree char *label = g_strdup_printf (_("Audit sample “%s”"),
                                                    (char *) g_ptr_array_index (names, i));

          g_ptr_array_add (self->sample_names, g_strdup (g_ptr_array_index (names, i)));
          gtk_string_list_append (self->source_strings, label);
        }
    }

  filter = describe_query (self->query);
  adw_action_row_set_subtitle (self->filter_row, filter);

  show_page (self, "options");
  show_folder_state (self);
  on_option_changed (self);
  return self;
}
