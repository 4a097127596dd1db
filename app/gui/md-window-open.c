/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "md-dataset-paths.h"
#include "md-window-private.h"

#define MAX_RECENT 10
/* How often the progress bar reads the import's counters, and how long an import must run
 * before the bar shows: re-importing unchanged files is a no-op that should not flash it. */
#define POLL_INTERVAL_MS 100
#define REVEAL_AFTER_US (400 * G_TIME_SPAN_MILLISECOND)

/* Written by the importing thread, read by the main thread's poll. */
struct _MdImportProgress
{
  GMutex   mutex;
  guint64  bytes_done;
  guint64  bytes_total;
  guint64  records_done;
  char    *current_file;
  guint    files_started;
  guint    whole_index_steps; /* every file in (browsable), then references checked */
};

static void
import_progress_clear (MdImportProgress *progress)
{
  g_mutex_clear (&progress->mutex);
  g_free (progress->current_file);
}

static MdImportProgress *
import_progress_new (void)
{
  MdImportProgress *progress = g_rc_box_new0 (MdImportProgress);

  g_mutex_init (&progress->mutex);
  return progress;
}

static void
import_progress_unref (MdImportProgress *progress)
{
  g_rc_box_release_full (progress, (GDestroyNotify) import_progress_clear);
}

static void
on_import_progress (guint64     bytes_done,
                    guint64     bytes_total,
                    guint64     records_done,
                    const char *current_file,
                    gpointer    user_data)
{
  MdImportProgress *progress = user_data;

  g_mutex_lock (&progress->mutex);
  progress->bytes_done = bytes_done;
  progress->bytes_total = bytes_total;
  progress->records_done = records_done;
  if (current_file == NULL && progress->files_started > 0)
    progress->whole_index_steps++;
  if (current_file != NULL && g_strcmp0 (current_file, progress->current_file) != 0)
    {
      g_free (progress->current_file);
      progress->current_file = g_strdup (current_file);
      progress->files_started++;
    }
  g_mutex_unlock (&progress->mutex);
}

static gboolean
poll_import (gpointer user_data)
{
  MdWindow *self = user_data;
  MdImportProgress *progress = self->import_progress;
  g_autofree char *file = NULL;
  g_autofree char *text = NULL;
  guint64 done, total, records;
  guint files_started;
  guint whole_index_steps;
  gboolean browsable;

  g_mutex_lock (&progress->mutex);
  done = progress->bytes_done;
  total = progress->bytes_total;
  records = progress->records_done;
  files_started = progress->files_started;
  whole_index_steps = progress->whole_index_steps;
  browsable = whole_index_steps > 0;
  file = browsable ? NULL : progress->current_file != NULL ? g_path_get_basename (progress->current_file) : NULL;
  g_mutex_unlock (&progress->mutex);

  /* A new file started, so the previous one is done: its pairs are browsable now. */
  if (files_started > self->import_files_seen)
    {
      if (self->import_files_seen > 0)
        {
          _md_window_requery (self);
          _md_window_refresh_datasets (self);
        }
      self->import_files_seen = files_started;
    }
  /* The last file is in: show its pairs while the rest is done. Once the references are
   * checked, the problem counts and flag filters change: show them too. */
  if (whole_index_steps > self->import_whole_index_steps_seen)
    {
      _md_window_requery (self);
      _md_window_refresh_datasets (self);
      self->import_whole_index_steps_seen = whole_index_steps;
    }

  if (g_get_monotonic_time () - self->import_started > REVEAL_AFTER_US)
    gtk_revealer_set_reveal_child (self->import_revealer, TRUE);

  if (total > 0)
    gtk_progress_bar_set_fraction (self->import_bar, (double) done / (double) total);
  else
    gtk_progress_bar_pulse (self->import_bar);

  if (file != NULL)
    text = g_strdup_printf (_("Indexing %s · %'" G_GUINT64_FORMAT " records"), file, records);
  else if (whole_index_steps == 1)
    text = g_strdup (_("Checking image and in-context references…"));
  else if (browsable)
    text = g_strdup (_("Building the search index…"));
  else
    text = g_strdup (_("Indexing…"));
  gtk_label_set_text (self->import_label, text);

  return G_SOURCE_CONTINUE;
}

static void
stop_polling (MdWindow *self)
{
  g_clear_handle_id (&self->import_poll_source, g_source_remove);
  g_clear_pointer (&self->import_progress, import_progress_unref);
  gtk_revealer_set_reveal_child (self->import_revealer, FALSE);
}

static void
show_report_details (AdwToast *toast,
                     gpointer  user_data)
{
  MdWindow *self = MD_WINDOW (g_object_get_data (G_OBJECT (toast), "md-window"));
  const char *details = g_object_get_data (G_OBJECT (toast), "md-details");
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Some Files Could Not Be Read"), details);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
report_import (MdWindow       *self,
               MdImportReport *report)
{
  GPtrArray *files = md_import_report_get_files (report);
  guint n_rejected = md_import_report_count (report, MD_FILE_REJECTED);
  g_autoptr(GString) details = g_string_new (NULL);
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (n_rejected == 0)
    return;

  for (guint i = 0; i < files->len; i++)
    {
      MdImportedFile *file = g_ptr_array_index (files, i);

      if (file->outcome == MD_FILE_REJECTED && file->error != NULL)
        g_string_append_printf (details, "%s\n\n", file->error->message);
    }

  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file could not be read",
                                        "%u files could not be read", n_rejected),
                           n_rejected);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Details"));
  adw_toast_set_timeout (toast, 0);
  g_object_set_data (G_OBJECT (toast), "md-window", self);
  g_object_set_data_full (G_OBJECT (toast), "md-details",
                          g_strdup (g_strstrip (details->str)), g_free);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (show_report_details), NULL);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
import_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(MdWindow) self = user_data;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  MdStore *store = MD_STORE (object);

  report = md_store_import_finish (store, result, &error);

  /* A newer dataset replaced this one while it imported; its results no longer matter. */
  if (store != self->store)
    return;

  stop_polling (self);
  g_clear_object (&self->import_cancellable);
  _md_window_update_actions (self);

  if (report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
    }
  else
    report_import (self, report);

  _md_window_requery (self);
  _md_window_refresh_datasets (self);
}

void
_md_window_cancel_import (MdWindow *self)
{
  g_assert (MD_IS_WINDOW (self));

  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
}

static void
start_import (MdWindow *self)
{
  MdImportProgress *progress = import_progress_new ();

  self->import_cancellable = g_cancellable_new ();
  self->import_progress = g_rc_box_acquire (progress);
  self->import_files_seen = 0;
  self->import_whole_index_steps_seen = 0;
  self->import_started = g_get_monotonic_time ();
  gtk_progress_bar_set_fraction (self->import_bar, 0);
  self->import_poll_source = g_timeout_add (POLL_INTERVAL_MS, poll_import, self);

  /* The progress box stays alive until the import ends: the importing thread writes to it. */
  g_object_set_data_full (G_OBJECT (self->import_cancellable), "md-progress", progress,
                          (GDestroyNotify) import_progress_unref);
  md_store_import_async (self->store, (const char * const *) self->paths,
                         on_import_progress, progress, self->import_cancellable,
                         import_done, g_object_ref (self));
  _md_window_update_actions (self);
}

static void
remember_recent (MdWindow   *self,
                 const char *path)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-datasets");
  g_auto(GStrv) updated = md_dataset_recent_push ((const char * const *) recent, path,
                                                  MAX_RECENT);

  g_settings_set_strv (self->settings, "recent-datasets", (const char * const *) updated);
  g_settings_set_string (self->settings, "last-dataset", path);
}

/* Runs in the loader's worker threads; the store reads images from any thread. */
static GBytes *
load_image (const char  *image_id,
            char       **mime_type,
            GError     **error,
            gpointer     user_data)
{
  return md_store_load_image (MD_STORE (user_data), image_id, mime_type, error);
}

static gboolean
open_paths (MdWindow            *self,
            const char * const  *paths,
            GError             **error)
{
  g_autofree char *index_path = md_dataset_index_path (paths);
  g_autofree char *index_dir = g_path_get_dirname (index_path);
  g_autofree char *title = NULL;
  g_autoptr(MdStore) store = NULL;

  if (g_mkdir_with_parents (index_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the index folder %s: %s"), index_dir,
                   g_strerror (saved_errno));
      return FALSE;
    }

  if ((store = md_store_open (index_path, error)) == NULL)
    return FALSE;

  /* Replace the previous dataset: stop its import, forget its view state. */
  _md_window_cancel_import (self);
  stop_polling (self);
  g_clear_object (&self->import_cancellable);
  g_clear_pointer (&self->dataset, g_free);
  g_set_object (&self->store, store);
  g_clear_object (&self->loader);
  self->loader = md_image_loader_new (load_image, g_object_ref (store), g_object_unref);
  md_pair_page_set_loader (self->pair_page, self->loader);
  md_pair_navigator_set_store (self->navigator, store, self->loader);
  _md_window_set_review_store (self, store);
  g_strfreev (self->paths);
  self->paths = g_strdupv ((char **) paths);
  md_sidebar_set_dataset (self->sidebar, NULL);
  md_filter_bar_set_dataset (self->filter_bar, NULL);

  title = paths[1] == NULL ? g_path_get_basename (paths[0])
                           : g_strdup_printf (_("%u datasets"), g_strv_length ((char **) paths));
  gtk_window_set_title (GTK_WINDOW (self), title);
  md_sidebar_set_title (self->sidebar, title);
  gtk_stack_set_visible_child_name (self->main_stack, "browse");
  remember_recent (self, paths[0]);

  /* What the index already holds shows at once; the import brings it up to date behind. */
  _md_window_requery (self);
  _md_window_refresh_datasets (self);
  _md_window_focus_list (self);
  start_import (self);
  return TRUE;
}

void
md_window_open_files (MdWindow  *self,
                      GFile    **files,
                      int        n_files)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) paths = NULL;
  g_autoptr(GError) error = NULL;
  guint n_found = 0;

  g_return_if_fail (MD_IS_WINDOW (self));
  g_return_if_fail (files != NULL || n_files == 0);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *real_path = md_dataset_real_path (files[i]);

      if (real_path == NULL)
        {
          g_autofree char *name = g_file_get_parse_name (files[i]);
          g_autofree char *message = g_strdup_printf (_("%s does not exist"), name);

          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
          continue;
        }
      g_strv_builder_add (builder, real_path);
      n_found++;
    }

  if (n_found == 0)
    return;

  paths = g_strv_builder_end (builder);
  if (!open_paths (self, (const char * const *) paths, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

void
_md_window_open_path (MdWindow   *self,
                      const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  md_window_open_files (self, &file, 1);
}

/* File chooser */

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  g_autoptr(MdWindow) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      guint n_files = g_list_model_get_n_items (files);
      g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < n_files; i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));
      md_window_open_files (self, (GFile **) array->pdata, (int) array->len);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
_md_window_choose_dataset (MdWindow *self,
                           gboolean  files)
{
  GtkFileChooserNative *chooser;

  g_assert (MD_IS_WINDOW (self));

  /* GTK 4.8's chooser picks either folders or files, not both: a folder is the common case (a
   * task's instruction, in-context and image files together), shard files the other. */
  chooser = gtk_file_chooser_native_new (files ? _("Open Shard Files") : _("Open Dataset Folder"),
                                         GTK_WINDOW (self),
                                         files ? GTK_FILE_CHOOSER_ACTION_OPEN
                                               : GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                         _("_Open"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);

  if (files)
    {
      g_autoptr(GtkFileFilter) shards = gtk_file_filter_new ();
      g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

      gtk_file_filter_set_name (shards, _("MIMIC-IT files"));
      gtk_file_filter_add_pattern (shards, "*.json");
      gtk_file_filter_add_pattern (shards, "*.parquet");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), shards);
      gtk_file_filter_set_name (all, _("All files"));
      gtk_file_filter_add_pattern (all, "*");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
    }

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Drag and drop */

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         MdWindow      *self)
{
  GSList *list;
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  list = gdk_file_list_get_files (g_value_get_boxed (value));
  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);
  g_slist_free (list);

  if (files->len == 0)
    return FALSE;

  md_window_open_files (self, (GFile **) files->pdata, (int) files->len);
  return TRUE;
}

/* Recent datasets: rows on the empty page and items in the primary menu */

static GtkWidget *
recent_row_new (const char *path)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *home_folder = NULL;
  const char *home = g_get_home_dir ();

  /* ~/data reads better than /home/someone/data. */
  if (g_str_has_prefix (folder, home) && (folder[strlen (home)] == '/' || folder[strlen (home)] == 0))
    home_folder = g_strconcat ("~", folder + strlen (home), NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), home_folder ? home_folder : folder);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.open-recent");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", path);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  return row;
}

static void
update_recent (MdWindow *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-datasets");
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);
  g_menu_remove_all (self->recent_menu);

  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autofree char *name = g_path_get_basename (recent[i]);
      g_auto(GStrv) parts = g_strsplit (name, "_", -1);
      /* Menu labels take "_" as a mnemonic mark; shard names are full of underscores. */
      g_autofree char *label = g_strjoinv ("__", parts);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      /* A recent dataset that is gone would only fail when picked. */
      if (!g_file_test (recent[i], G_FILE_TEST_EXISTS))
        continue;

      g_menu_item_set_action_and_target (item, "win.open-recent", "s", recent[i]);
      g_menu_append_item (self->recent_menu, item);
      if (n++ < 5)
        gtk_list_box_append (self->recent_list, recent_row_new (recent[i]));
    }

  /* An empty submenu still opens, onto nothing: say so, greyed out (its action is never
   * enabled). */
  if (n == 0)
    {
      g_autoptr(GMenuItem) none = g_menu_item_new (_("No Recent Datasets"), "recent.none");

      g_menu_append_item (self->recent_menu, none);
    }

  gtk_widget_set_visible (self->recent_group, n > 0);
}

static void
on_recent_changed (GSettings  *settings,
                   const char *key,
                   MdWindow   *self)
{
  update_recent (self);
}

void
_md_window_init_open (MdWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self->main_stack), GTK_EVENT_CONTROLLER (target));

  g_signal_connect_object (self->settings, "changed::recent-datasets",
                           G_CALLBACK (on_recent_changed), self, 0);
  {
    g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
    g_autoptr(GSimpleAction) none = g_simple_action_new ("none", NULL);

    g_simple_action_set_enabled (none, FALSE);
    g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (none));
    gtk_widget_insert_action_group (GTK_WIDGET (self), "recent", G_ACTION_GROUP (group));
  }
  update_recent (self);
}

void
_md_window_dispose_open (MdWindow *self)
{
  _md_window_cancel_import (self);
  g_clear_object (&self->import_cancellable);
  g_clear_handle_id (&self->import_poll_source, g_source_remove);
  g_clear_pointer (&self->import_progress, import_progress_unref);
}
