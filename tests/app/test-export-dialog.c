/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <cJSON.h>
#include <glib/gstdio.h>
#include <string.h>

#include "md-application.h"
#include "md-export-dialog.h"
#include "md-store.h"
#include "md-test-gtk.h"
#include "md-window.h"

/* The export dialog as a user meets it: the sample dataset in a real index, a real dialog over
 * a real window under Xvfb, driven through accessible names, writing real files. */

static MdApplication *app;
static char *tmp_dir;
static MdStore *store;

/* Helpers ----------------------------------------------------------------------------------- */

static GtkWidget *
find (gpointer    root,
      const char *name)
{
  GtkWidget *widget = md_test_find_by_accessible_name (GTK_WIDGET (root), name);

  if (widget == NULL)
    g_error ("no widget named “%s”", name);
  return widget;
}

/* The first label with @css_class inside @root (the count of a row). */
static GtkLabel *
find_label_with_class (GtkWidget  *root,
                       const char *css_class)
{
  if (GTK_IS_LABEL (root) && gtk_widget_has_css_class (root, css_class))
    return GTK_LABEL (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label_with_class (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_label_text (GtkWidget  *root,
                const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label_text (child, text))
      return TRUE;
  return FALSE;
}

static const char *
pairs_count (MdExportDialog *dialog)
{
  GtkLabel *label = find_label_with_class (find (dialog, "Pairs per dataset"), "numeric");

  g_assert_nonnull (label);
  return gtk_label_get_text (label);
}

typedef struct
{
  MdExportDialog *dialog;
  const char     *text;
} CountWait;

static gboolean
pairs_count_is (gpointer data)
{
  CountWait *w = data;

  return g_strcmp0 (pairs_count (w->dialog), w->text) == 0;
}

static void
assert_pairs_count_becomes (MdExportDialog *dialog,
                            const char     *text)
{
  CountWait w = { dialog, text };

  if (!md_test_wait_until (pairs_count_is, &w, 15000))
    g_error ("the preview shows “%s” pairs, expected “%s”", pairs_count (dialog), text);
}

static gboolean
is_sensitive (gpointer widget)
{
  return gtk_widget_is_sensitive (widget);
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  /* Synchronous, unlike gtk_widget_activate(): the test controls what happens in between. */
  g_signal_emit_by_name (button, "clicked");
}

static GtkWindow *
new_parent (void)
{
  GtkWindow *window = GTK_WINDOW (md_window_new (app));

  gtk_window_present (window);
  md_test_spin (50);
  return window;
}

static MdExportDialog *
open_dialog (GtkWindow  *parent,
             const char *dataset)
{
  g_autoptr(MdQuery) query = md_query_new ();
  g_autofree char *review = g_build_filename (tmp_dir, "absent.review.sqlite", NULL);
  MdExportDialog *dialog;

  query->dataset = g_strdup (dataset);
  dialog = md_export_dialog_new (parent, store, review, query);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == parent);
  return dialog;
}

static GtkWidget *
find_issue_row (GtkWidget  *list,
                const char *pair_id,
                const char *ref)
{
  for (GtkWidget *row = gtk_widget_get_first_child (list);
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      const char *subtitle;

      if (!ADW_IS_ACTION_ROW (row))
        continue;
      subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
      if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), pair_id) == 0 &&
          subtitle != NULL && strstr (subtitle, ref) != NULL)
        return row;
    }
  return NULL;
}

static gboolean
dir_is_absent_or_empty (const char *path)
{
  g_autoptr(GDir) dir = NULL;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  dir = g_dir_open (path, 0, NULL);
  return dir != NULL && g_dir_read_name (dir) == NULL;
}

static void
rm_rf (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          rm_rf (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* Tests ------------------------------------------------------------------------------------- */

static void
test_accessible (void)
{
  GtkWindow *parent = new_parent ();
  MdExportDialog *dialog = open_dialog (parent, NULL);
  const char *names[] = {
    "Pairs to export", "Review status", "Complete languages only", "Export format",
    "In-context links", "Languages", "Extract images", "In-context turns", "Output folder",
    "Export", "Close export dialog", "Cancel export", "Export anyway", "Back to options",
    "Open output folder",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    find (dialog, names[i]);

  /* Every pair of the sample, and nothing to export to yet. */
  assert_pairs_count_becomes (dialog, "65");
  g_assert_false (gtk_widget_is_sensitive (find (dialog, "Export")));

  /* Extracting images is a JSONL/LLaVA option; in-context turns a LLaVA one. */
  g_assert_false (gtk_widget_is_sensitive (find (dialog, "Extract images")));
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (dialog, "Export format")), 2);
  g_assert_true (gtk_widget_is_sensitive (find (dialog, "Extract images")));
  g_assert_true (gtk_widget_is_sensitive (find (dialog, "In-context turns")));
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (dialog, "Export format")), 0);
  g_assert_false (gtk_widget_is_sensitive (find (dialog, "Extract images")));
  g_assert_false (gtk_widget_is_sensitive (find (dialog, "In-context turns")));

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (parent);
}

static void
test_folder_must_be_empty (void)
{
  GtkWindow *parent = new_parent ();
  MdExportDialog *dialog = open_dialog (parent, "SD");
  g_autofree char *full = g_build_filename (tmp_dir, "full", NULL);
  g_autofree char *file = g_build_filename (full, "keep.txt", NULL);
  GtkWidget *export_button = find (dialog, "Export");

  g_assert_cmpint (g_mkdir_with_parents (full, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, "mine", -1, NULL));
  assert_pairs_count_becomes (dialog, "10");

  md_export_dialog_set_output_folder (dialog, full);
  md_test_spin (300);
  g_assert_true (has_label_text (GTK_WIDGET (dialog),
                                 "This folder is not empty. Choose an empty or new folder, so "
                                 "that nothing in it is mixed with the export."));
  g_assert_false (gtk_widget_is_sensitive (export_button));

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (parent);
  rm_rf (full);
}

static void
test_export_sd (void)
{
  GtkWindow *parent = new_parent ();
  MdExportDialog *dialog = open_dialog (parent, "SD");
  g_autofree char *out = g_build_filename (tmp_dir, "out-sd", NULL);
  g_autofree char *instructions = g_build_filename (out, "SD_instructions.json", NULL);
  g_autofree char *manifest = g_build_filename (out, "manifest.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *export_button = find (dialog, "Export");
  GtkWidget *issues;
  cJSON *root;
  cJSON *data;
  cJSON *pair;
  guint n = 0;

  /* The preview: the 10 SD pairs, in one dataset. */
  assert_pairs_count_becomes (dialog, "10");
  g_assert_true (has_label_text (find (dialog, "Pairs per dataset"), "SD"));

  md_export_dialog_set_output_folder (dialog, out);
  g_assert_true (md_test_wait_until (is_sensitive, export_button, 5000));
  g_assert_true (has_label_text (GTK_WIDGET (dialog),
                                 "A new folder: it is created when the export starts."));

  /* The checks report, before anything is written: the SD defect is listed as blocking. */
  click (export_button);
  issues = find (dialog, "First issues");
  g_assert_true (md_test_wait_until (is_mapped, issues, 3000));
  g_assert_nonnull (find_issue_row (issues, "SD_INS_00009", "SD_IMG_00049_2"));
  g_assert_true (has_label_text (find (dialog, "Issues by kind"), "Missing image"));
  g_assert_true (has_label_text (GTK_WIDGET (dialog), "Blocking Issues Found"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));

  click (find (dialog, "Export anyway"));
  g_assert_true (md_test_wait_until (is_mapped, find (dialog, "Files written"), 20000));

  /* Exactly the SD pairs. */
  g_file_get_contents (instructions, &contents, NULL, &error);
  g_assert_no_error (error);
  root = cJSON_Parse (contents);
  g_assert_nonnull (root);
  data = cJSON_GetObjectItemCaseSensitive (root, "data");
  g_assert_true (cJSON_IsObject (data));
  cJSON_ArrayForEach (pair, data)
    {
      g_assert_true (g_str_has_prefix (pair->string, "SD_INS_"));
      n++;
    }
  g_assert_cmpuint (n, ==, 10);
  cJSON_Delete (root);
  g_assert_true (g_file_test (manifest, G_FILE_TEST_IS_REGULAR));

  /* The summary names the files with their sizes, and the manifest's path. */
  g_assert_true (has_label_text (find (dialog, "Files written"), "SD_instructions.json"));
  g_assert_true (has_label_text (find (dialog, "Manifest"), manifest));

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (parent);
}

static gboolean
back_on_options (gpointer dialog)
{
  return gtk_widget_get_mapped (find (dialog, "Export")) &&
         has_label_text (GTK_WIDGET (dialog), "Export cancelled, nothing was written");
}

static void
test_cancel (void)
{
  GtkWindow *parent = new_parent ();
  MdExportDialog *dialog = open_dialog (parent, "SD");
  g_autofree char *out = g_build_filename (tmp_dir, "out-cancelled", NULL);
  GtkWidget *export_button = find (dialog, "Export");

  assert_pairs_count_becomes (dialog, "10");
  md_export_dialog_set_output_folder (dialog, out);
  g_assert_true (md_test_wait_until (is_sensitive, export_button, 5000));
  click (export_button);
  click (find (dialog, "Export anyway"));
  /* Right after the start. */
  click (find (dialog, "Cancel export"));

  if (!md_test_wait_until (back_on_options, dialog, 20000))
    g_error ("no toast after cancelling");
  g_assert_true (dir_is_absent_or_empty (out));

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (parent);
}

/* Ctrl+E in a window with the sample open: the dialog comes up for what the window lists. */
typedef struct
{
  GtkWindow *window;
} WindowWait;

static MdExportDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (MD_IS_EXPORT_DIALOG (toplevel))
        return MD_EXPORT_DIALOG (toplevel);
    }
  return NULL;
}

static gboolean
dialog_opens (gpointer data)
{
  WindowWait *w = data;

  /* Until the import is done, the action is disabled and nothing opens. */
  if (find_dialog () == NULL)
    gtk_widget_activate_action (GTK_WIDGET (w->window), "win.export", NULL);
  return find_dialog () != NULL;
}

static void
test_window_action (void)
{
  g_autofree char *folder_path = g_build_filename (tmp_dir, "shards", NULL);
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;
  MdWindow *window = md_window_new (app);
  WindowWait w = { GTK_WINDOW (window) };
  MdExportDialog *dialog;
  g_autofree char *src = NULL;
  g_autofree char *dst = NULL;

  /* A copy of one shard, so the import is quick. */
  g_assert_cmpint (g_mkdir_with_parents (folder_path, 0700), ==, 0);
  src = g_build_filename (g_getenv ("MD_SAMPLE_DIR"), "TXT_instructions.json", NULL);
  dst = g_build_filename (folder_path, "TXT_instructions.json", NULL);
  {
    g_autofree char *contents = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (src, &contents, &length, &error));
    g_assert_true (g_file_set_contents (dst, contents, length, &error));
  }
  folder = g_file_new_for_path (folder_path);

  gtk_window_present (GTK_WINDOW (window));
  md_window_open_files (window, &folder, 1);
  if (!md_test_wait_until (dialog_opens, &w, 20000))
    g_error ("win.export opened no dialog");
  dialog = find_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  assert_pairs_count_becomes (dialog, "10");

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autofree char *db = NULL;
  g_autofree char *cache = NULL;
  const char *paths[2] = { NULL, NULL };
  int status;

  tmp_dir = g_dir_make_tmp ("mimicdesk-export-dialog-XXXXXX", &error);
  g_assert_no_error (error);
  /* The window's index goes to $XDG_CACHE_HOME; keep it inside the test's own folder. */
  cache = g_build_filename (tmp_dir, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  app = md_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  db = g_build_filename (tmp_dir, "index.sqlite", NULL);
  store = md_store_open (db, &error);
  g_assert_no_error (error);
  paths[0] = g_getenv ("MD_SAMPLE_DIR");
  g_assert_nonnull (paths[0]);
  g_assert_true (md_store_import (store, paths, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);

  g_test_add_func ("/app/export-dialog/accessible", test_accessible);
  g_test_add_func ("/app/export-dialog/folder-must-be-empty", test_folder_must_be_empty);
  g_test_add_func ("/app/export-dialog/export-sd", test_export_sd);
  g_test_add_func ("/app/export-dialog/cancel", test_cancel);
  g_test_add_func ("/app/export-dialog/window-action", test_window_action);

  status = g_test_run ();
  g_clear_object (&store);
  g_clear_object (&app);
  rm_rf (tmp_dir);
  g_free (tmp_dir);
  return status;
}
