/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>

#include "md-backend-rows.h"
#include "md-syphus.h"

typedef struct
{
  MdSyphusConfig       *config;
  char                 *path;
  AdwPreferencesGroup  *backends_group;
  GPtrArray            *rows;            /* GtkWidget*, one expander row per backend */
  AdwComboRow          *default_row;
  GtkStringList        *names;
  GCancellable         *cancellable;
  gboolean              loading;
} Page;

static void
page_free (gpointer data)
{
  Page *page = data;

  g_cancellable_cancel (page->cancellable);
  g_clear_object (&page->cancellable);
  g_clear_object (&page->names);
  g_ptr_array_unref (page->rows);
  md_syphus_config_free (page->config);
  g_free (page->path);
  g_free (page);
}

static void
label_widget (gpointer    widget,
              const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
save (Page *page)
{
  g_autoptr(GError) error = NULL;

  if (page->loading)
    return;
  if (!md_syphus_config_save (page->config, page->path, &error))
    g_warning ("%s", error->message);
}

static void
refresh_names (Page *page)
{
  guint selected = GTK_INVALID_LIST_POSITION;

  page->loading = TRUE;
  gtk_string_list_splice (page->names, 0, g_list_model_get_n_items (G_LIST_MODEL (page->names)),
                          NULL);
  for (guint i = 0; i < page->config->backends->len; i++)
    {
      const MdSyphusBackendConfig *backend = g_ptr_array_index (page->config->backends, i);

      gtk_string_list_append (page->names, backend->name);
      if (g_strcmp0 (backend->name, page->config->default_backend) == 0)
        selected = i;
    }
  adw_combo_row_set_selected (page->default_row, selected);
  page->loading = FALSE;
}

/* One backend ------------------------------------------------------------------------------- */

typedef struct
{
  Page                  *page;
  MdSyphusBackendConfig *config;     /* owned by page->config */
  GtkWidget             *expander;
  GtkStringList         *models;
  GtkLabel              *test_label;
  GtkWidget             *test_button;
} Row;

static void
on_entry_changed (AdwEntryRow *entry,
                  Row         *row)
{
  const char *key = g_object_get_data (G_OBJECT (entry), "md-key");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  char **slot;

  if (g_str_equal (key, "name"))
    {
      gboolean was_default = g_strcmp0 (row->page->config->default_backend,
                                        row->config->name) == 0;

      slot = &row->config->name;
      if (was_default)
        {
          g_free (row->page->config->default_backend);
          row->page->config->default_backend = g_strdup (text);
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->expander), text);
    }
  else if (g_str_equal (key, "base-url"))
    {
      slot = &row->config->base_url;
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row->expander), text);
    }
  else if (g_str_equal (key, "model"))
    slot = &row->config->model;
  else
    slot = &row->config->command;
  g_free (*slot);
  *slot = (text[0] != '\0' || !g_str_equal (key, "command")) ? g_strdup (text) : NULL;
  save (row->page);
  if (g_str_equal (key, "name"))
    refresh_names (row->page);
}

static GtkWidget *
entry_row (Row        *row,
           const char *title,
           const char *key,
           const char *value)
{
  GtkWidget *entry = adw_entry_row_new ();
  g_autofree char *name = g_strdup_printf ("%s (%s)", title, row->config->name);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), title);
  gtk_editable_set_text (GTK_EDITABLE (entry), value != NULL ? value : "");
  g_object_set_data (G_OBJECT (entry), "md-key", (gpointer) key);
  label_widget (entry, name);
  g_signal_connect (entry, "changed", G_CALLBACK (on_entry_changed), row);
  return entry;
}

static void
on_kind_selected (AdwComboRow *combo,
                  GParamSpec  *pspec,
                  Row         *row)
{
  row->config->kind = adw_combo_row_get_selected (combo) == 1 ? MD_SYPHUS_BACKEND_HOSTED
                                                              : MD_SYPHUS_BACKEND_LOCAL;
  save (row->page);
}

static void
key_store_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  char **pair = task_data;
  GError *error = NULL;

  if (md_syphus_key_store (pair[0], pair[1], cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_key_stored (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GtkLabel *label = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    gtk_label_set_text (label, error->message);
  else
    gtk_label_set_text (label, _("API key saved in the keyring"));
  g_object_unref (label);
}

static void
on_key_applied (AdwEntryRow *entry,
                Row         *row)
{
  g_autoptr(GTask) task = g_task_new (NULL, row->page->cancellable, on_key_stored,
                                      g_object_ref (row->test_label));
  char **pair = g_new0 (char *, 3);

  /* libsecret blocks: store in a worker thread. The key is never kept by this page. */
  pair[0] = g_strdup (row->config->name);
  pair[1] = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_task_set_task_data (task, pair, (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, key_store_thread);
}

typedef struct
{
  GtkStringList *models;
  GtkLabel      *label;
  GtkWidget     *button;
} TestData;

static void
on_models_listed (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TestData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) models = md_syphus_backend_list_models_finish (MD_SYPHUS_BACKEND (object), result,
                                                                &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_widget_set_sensitive (data->button, TRUE);
      if (models == NULL)
        gtk_label_set_text (data->label, error->message);
      else
        {
          g_autofree char *text = NULL;

          gtk_string_list_splice (data->models, 0,
                                  g_list_model_get_n_items (G_LIST_MODEL (data->models)),
                                  (const char * const *) models);
          text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Connected: %u model",
                                               "Connected: %u models", g_strv_length (models)),
                                  g_strv_length (models));
          gtk_label_set_text (data->label, text);
        }
    }
  g_object_unref (data->models);
  g_object_unref (data->label);
  g_object_unref (data->button);
  g_free (data);
}

static void
on_test_clicked (GtkButton *button,
                 Row       *row)
{
  g_autoptr(MdSyphusBackend) backend = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  TestData *data;

  backend = md_syphus_backend_config_create (row->config, row->page->path, &error);
  if (backend == NULL)
    {
      gtk_label_set_text (row->test_label, error->message);
      return;
    }
  key = md_syphus_key_lookup (NULL, FALSE, NULL, NULL);
  md_syphus_backend_set_api_key (backend, key);
  gtk_label_set_text (row->test_label, _("Connecting…"));
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  data = g_new0 (TestData, 1);
  data->models = g_object_ref (row->models);
  data->label = g_object_ref (row->test_label);
  data->button = g_object_ref (GTK_WIDGET (button));
  md_syphus_backend_list_models_async (backend, row->page->cancellable, on_models_listed, data);
}

static void
on_remove_clicked (GtkButton *button,
                   Row       *row)
{
  Page *page = row->page;

  adw_preferences_group_remove (page->backends_group, row->expander);
  g_ptr_array_remove (page->rows, row->expander);
  if (g_strcmp0 (page->config->default_backend, row->config->name) == 0)
    g_clear_pointer (&page->config->default_backend, g_free);
  g_ptr_array_remove (page->config->backends, row->config);   /* frees row->config */
  save (page);
  refresh_names (page);
}

static void
row_free (gpointer data)
{
  Row *row = data;

  g_clear_object (&row->models);
  g_free (row);
}

static void
add_backend_row (Page                  *page,
                 MdSyphusBackendConfig *config)
{
  Row *row = g_new0 (Row, 1);
  GtkWidget *expander = adw_expander_row_new ();
  GtkWidget *kind = adw_combo_row_new ();
  GtkWidget *key = adw_password_entry_row_new ();
  GtkWidget *test = adw_action_row_new ();
  GtkWidget *dropdown;
  GtkWidget *remove;
  g_autofree char *name = NULL;
  const char *kinds[] = { N_("Local server"), N_("Hosted API"), NULL };
  g_autoptr(GtkStringList) kind_list = gtk_string_list_new (NULL);

  row->page = page;
  row->config = config;
  row->expander = expander;
  row->models = gtk_string_list_new (NULL);
  if (config->model != NULL && config->model[0] != '\0')
    gtk_string_list_append (row->models, config->model);
  g_object_set_data_full (G_OBJECT (expander), "md-row", row, row_free);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), config->name);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), config->base_url);
  name = g_strdup_printf (_("Backend %s"), config->name);
  label_widget (expander, name);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                            entry_row (row, _("Name"), "name", config->name));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                            entry_row (row, _("Base URL"), "base-url", config->base_url));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                            entry_row (row, _("Model"), "model", config->model));

  for (guint i = 0; kinds[i] != NULL; i++)
    gtk_string_list_append (kind_list, _(kinds[i]));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (kind), _("Kind"));
  adw_combo_row_set_model (ADW_COMBO_ROW (kind), G_LIST_MODEL (kind_list));
  adw_combo_row_set_selected (ADW_COMBO_ROW (kind), config->kind == MD_SYPHUS_BACKEND_HOSTED);
  g_free (name);
  name = g_strdup_printf (_("Kind (%s)"), config->name);
  label_widget (kind, name);
  g_signal_connect (kind, "notify::selected", G_CALLBACK (on_kind_selected), row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), kind);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                            entry_row (row, _("Server command (local, optional)"), "command",
                                       config->command));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (key), _("API key (saved in the keyring)"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (key), TRUE);
  g_free (name);
  name = g_strdup_printf (_("API key (%s)"), config->name);
  label_widget (key, name);
  g_signal_connect (key, "apply", G_CALLBACK (on_key_applied), row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), key);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (test), _("Connection"));
  row->test_label = GTK_LABEL (gtk_label_new (_("Not tested")));
  gtk_label_set_wrap (row->test_label, TRUE);
  gtk_label_set_max_width_chars (row->test_label, 30);
  gtk_widget_add_css_class (GTK_WIDGET (row->test_label), "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (test), GTK_WIDGET (row->test_label));
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (row->models)), NULL);
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  g_free (name);
  name = g_strdup_printf (_("Models of %s"), config->name);
  label_widget (dropdown, name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (test), dropdown);
  row->test_button = gtk_button_new_with_mnemonic (_("_Test Connection"));
  gtk_widget_set_valign (row->test_button, GTK_ALIGN_CENTER);
  g_free (name);
  name = g_strdup_printf (_("Test connection of %s"), config->name);
  label_widget (row->test_button, name);
  g_signal_connect (row->test_button, "clicked", G_CALLBACK (on_test_clicked), row);
  adw_action_row_add_suffix (ADW_ACTION_ROW (test), row->test_button);
  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  g_free (name);
  name = g_strdup_printf (_("Remove backend %s"), config->name);
  label_widget (remove, name);
  gtk_widget_set_tooltip_text (remove, _("Remove this backend"));
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_clicked), row);
  adw_action_row_add_suffix (ADW_ACTION_ROW (test), remove);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), test);

  adw_preferences_group_add (page->backends_group, expander);
  g_ptr_array_add (page->rows, expander);
}

static void
on_add_clicked (GtkButton *button,
                Page      *page)
{
  g_autofree char *name = NULL;
  MdSyphusBackendConfig *config;

  for (guint n = page->config->backends->len + 1; name == NULL; n++)
    {
      char *candidate = g_strdup_printf ("backend-%u", n);

      if (md_syphus_config_find (page->config, candidate) == NULL)
        name = candidate;
      else
        g_free (candidate);
    }
  config = md_syphus_backend_config_new (name, "http://127.0.0.1:8080", "", MD_SYPHUS_BACKEND_LOCAL,
                                         NULL);
  g_ptr_array_add (page->config->backends, config);
  add_backend_row (page, config);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (g_ptr_array_index (page->rows,
                                                                      page->rows->len - 1)), TRUE);
  save (page);
  refresh_names (page);
}

/* Defaults ---------------------------------------------------------------------------------- */

static void
on_default_selected (AdwComboRow *combo,
                     GParamSpec  *pspec,
                     Page        *page)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (combo);

  if (page->loading)
    return;
  g_free (page->config->default_backend);
  page->config->default_backend = item != NULL ? g_strdup (gtk_string_object_get_string (item))
                                               : NULL;
  save (page);
}

static void
on_spin_changed (GtkSpinButton *spin,
                 Page          *page)
{
  const char *key = g_object_get_data (G_OBJECT (spin), "md-key");
  double value = gtk_spin_button_get_value (spin);

  if (g_str_equal (key, "concurrency"))
    page->config->concurrency = (guint) value;
  else if (g_str_equal (key, "temperature"))
    page->config->temperature = value;
  else if (g_str_equal (key, "max-tokens"))
    page->config->max_tokens = (int) value;
  else
    page->config->frames = (guint) value;
  save (page);
}

static GtkWidget *
spin_row (Page       *page,
          const char *title,
          const char *key,
          double      value,
          double      min,
          double      max,
          double      step,
          guint       digits)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, step);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (spin), "md-key", (gpointer) key);
  label_widget (spin, title);
  g_signal_connect (spin, "value-changed", G_CALLBACK (on_spin_changed), page);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  return row;
}

static void
on_images_toggled (GtkSwitch  *toggle,
                   GParamSpec *pspec,
                   Page       *page)
{
  page->config->images = gtk_switch_get_active (toggle);
  save (page);
}

void
md_backend_rows_add_page (AdwPreferencesWindow *window)
{
  g_autoptr(GError) error = NULL;
  Page *page = g_new0 (Page, 1);
  GtkWidget *prefs_page = adw_preferences_page_new ();
  GtkWidget *defaults = adw_preferences_group_new ();
  GtkWidget *add = gtk_button_new_from_icon_name ("list-add-symbolic");
  GtkWidget *images_row = adw_action_row_new ();
  GtkWidget *images = gtk_switch_new ();

  g_return_if_fail (ADW_IS_PREFERENCES_WINDOW (window));

  page->path = md_syphus_config_default_path ();
  page->config = md_syphus_config_load (page->path, &error);
  if (page->config == NULL)
    {
      /* A broken file is not overwritten by accident: the page shows why and starts empty. */
      g_warning ("%s", error->message);
      page->config = md_syphus_config_new ();
      page->loading = TRUE;
    }
  page->rows = g_ptr_array_new ();
  page->names = gtk_string_list_new (NULL);
  page->cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (prefs_page), "md-backend-page", page, page_free);

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (prefs_page), _("Language Models"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (prefs_page), "system-run-symbolic");

  page->backends_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (page->backends_group, _("Backends"));
  adw_preferences_group_set_description (page->backends_group,
                                         _("OpenAI-compatible servers: a local llama.cpp, Ollama "
                                           "or vLLM server, or a hosted API. Shared with "
                                           "mimicdesk-cli through backends.ini."));
  gtk_widget_add_css_class (add, "flat");
  gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (add, _("Add a backend"));
  label_widget (add, _("Add backend"));
  g_signal_connect (add, "clicked", G_CALLBACK (on_add_clicked), page);
  adw_preferences_group_set_header_suffix (page->backends_group, add);
  for (guint i = 0; i < page->config->backends->len; i++)
    add_backend_row (page, g_ptr_array_index (page->config->backends, i));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (prefs_page), page->backends_group);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (defaults), _("Requests"));
  page->default_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (page->default_row), _("Default backend"));
  adw_combo_row_set_model (page->default_row, G_LIST_MODEL (page->names));
  label_widget (page->default_row, _("Default backend"));
  refresh_names (page);
  g_signal_connect (page->default_row, "notify::selected", G_CALLBACK (on_default_selected), page);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (defaults), GTK_WIDGET (page->default_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (defaults),
                             spin_row (page, _("Concurrent requests"), "concurrency",
                                       page->config->concurrency, 1, 64, 1, 0));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (defaults),
                             spin_row (page, _("Temperature"), "temperature",
                                       page->config->temperature, 0, 2, 0.05, 2));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (defaults),
                             spin_row (page, _("Maximum tokens"), "max-tokens",
                                       page->config->max_tokens, 1, 1000000, 100, 0));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (images_row), _("Send images"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (images_row),
                               _("For vision models: the pair's images as data URLs"));
  gtk_switch_set_active (GTK_SWITCH (images), page->config->images);
  gtk_widget_set_valign (images, GTK_ALIGN_CENTER);
  label_widget (images, _("Send images"));
  g_signal_connect (images, "notify::active", G_CALLBACK (on_images_toggled), page);
  adw_action_row_add_suffix (ADW_ACTION_ROW (images_row), images);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (images_row), images);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (defaults), images_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (defaults),
                             spin_row (page, _("Frames of a clip"), "frames",
                                       page->config->frames, 0, 256, 1, 0));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (prefs_page), ADW_PREFERENCES_GROUP (defaults));

  adw_preferences_window_add (window, ADW_PREFERENCES_PAGE (prefs_page));
}
