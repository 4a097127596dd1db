/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>

#include "md-app-private.h"
#include "md-window-private.h"

G_DEFINE_FINAL_TYPE (MdWindow, md_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_LANGUAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Queries */

static void
set_query_error (MdWindow     *self,
                 const GError *error)
{
  GtkWidget *entry = GTK_WIDGET (self->search_entry);

  if (error != NULL)
    {
      gtk_widget_add_css_class (entry, "error");
      gtk_widget_set_tooltip_text (entry, error->message);
      md_filter_bar_set_error (self->filter_bar, error->message);
    }
  else
    {
      gtk_widget_remove_css_class (entry, "error");
      gtk_widget_set_tooltip_text (entry, NULL);
      md_filter_bar_set_error (self->filter_bar, NULL);
    }
}

/* What the window lists: the search text and every filter of the filter bar, the sidebar and
 * the review desk. The export dialog starts from the same query. */
MdQuery *
_md_window_build_query (MdWindow  *self,
                        GError   **error)
{
  g_autoptr(MdQuery) query = md_query_new ();

  query->text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  query->dataset = g_strdup (self->dataset);
  query->modality = md_filter_bar_get_modality (self->filter_bar);
  query->flags = md_sidebar_get_flags (self->sidebar);
  /* The query's language restricts the result to pairs that have text in it (and is where the
   * text is searched), so the reading language (keys 1-8) cannot go there: browsing in Arabic
   * must still list the pairs that lack Arabic. The rows show the reading language instead,
   * English where a pair lacks it. */
  query->language = md_filter_bar_get_language (self->filter_bar);
  query->display_language = self->language;
  if (!_md_window_apply_review_query (self, query, error))
    return NULL;
  return g_steal_pointer (&query);
}

void
_md_window_requery (MdWindow *self)
{
  g_autoptr(MdQuery) query = NULL;
  g_autoptr(GListModel) pairs = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (MD_IS_WINDOW (self));

  if (self->store == NULL)
    return;

  query = _md_window_build_query (self, &error);

  /* Models are lazy: building one is cheap, and a newer query simply replaces an older one. */
  if (query != NULL)
    pairs = md_store_query (self->store, query, &error);
  if (pairs == NULL)
    {
      if (g_error_matches (error, MD_ERROR, MD_ERROR_QUERY))
        set_query_error (self, error);
      else
        {
          set_query_error (self, NULL);
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
        }
      return;
    }

  set_query_error (self, NULL);
  /* A new model may come from a new import that changed the pairs themselves. */
  md_pair_navigator_clear (self->navigator);
  md_pair_table_set_language (self->pair_table, self->language);
  md_pair_table_set_model (self->pair_table, pairs);
  md_filter_bar_set_count (self->filter_bar, g_list_model_get_n_items (pairs));
}

static void
set_dataset (MdWindow   *self,
             const char *dataset)
{
  if (!_md_set_str (&self->dataset, dataset))
    return;

  md_sidebar_set_dataset (self->sidebar, dataset);
  md_filter_bar_set_dataset (self->filter_bar, dataset);
  _md_window_requery (self);
}

static void
on_sidebar_dataset_changed (MdSidebar  *sidebar,
                            GParamSpec *pspec,
                            MdWindow   *self)
{
  set_dataset (self, md_sidebar_get_dataset (sidebar));
}

static void
on_filter_dataset_changed (MdFilterBar *filter_bar,
                           GParamSpec  *pspec,
                           MdWindow    *self)
{
  set_dataset (self, md_filter_bar_get_dataset (filter_bar));
}

static void
on_filters_changed (GObject    *object,
                    GParamSpec *pspec,
                    MdWindow   *self)
{
  _md_window_requery (self);
}

static void
on_search_changed (GtkSearchEntry *entry,
                   MdWindow       *self)
{
  _md_window_requery (self);
}

static void
on_stop_search (GtkSearchEntry *entry,
                MdWindow       *self)
{
  /* Escape hands the keyboard back to the list, where j/k and the arrows walk pairs. */
  _md_window_focus_list (self);
}

static void
on_search_activate (GtkSearchEntry *entry,
                    MdWindow       *self)
{
  _md_window_focus_list (self);
}

void
_md_window_focus_list (MdWindow *self)
{
  g_assert (MD_IS_WINDOW (self));

  if (gtk_widget_get_visible (GTK_WIDGET (self->pair_table)))
    md_pair_table_focus (self->pair_table);
}

/* Datasets of the sidebar and the filter bar, listed off the main thread: on a big index the
 * counts take a moment. */

static void
list_datasets_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *infos = md_store_list_datasets (MD_STORE (source_object), &error);

  if (infos == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, infos, (GDestroyNotify) g_ptr_array_unref);
}

static void
list_datasets_done (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(MdWindow) self = user_data;
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) codes = g_strv_builder_new ();
  g_auto(GStrv) code_list = NULL;

  infos = g_task_propagate_pointer (G_TASK (result), &error);
  /* Only the answer to the latest request counts: the store may have changed since. */
  if (GPOINTER_TO_UINT (g_task_get_task_data (G_TASK (result))) != self->datasets_serial ||
      object != G_OBJECT (self->store))
    return;

  if (infos == NULL)
    {
      g_warning ("Could not list datasets: %s", error->message);
      return;
    }

  for (guint i = 0; i < infos->len; i++)
    g_strv_builder_add (codes, ((MdDatasetInfo *) g_ptr_array_index (infos, i))->code);
  code_list = g_strv_builder_end (codes);

  md_sidebar_set_datasets (self->sidebar, infos);
  md_filter_bar_set_datasets (self->filter_bar, (const char * const *) code_list);
}

void
_md_window_refresh_datasets (MdWindow *self)
{
  g_autoptr(GTask) task = NULL;

  g_assert (MD_IS_WINDOW (self));

  if (self->store == NULL)
    return;

  task = g_task_new (self->store, NULL, list_datasets_done, g_object_ref (self));
  g_task_set_source_tag (task, _md_window_refresh_datasets);
  g_task_set_task_data (task, GUINT_TO_POINTER (++self->datasets_serial), NULL);
  g_task_run_in_thread (task, list_datasets_thread);
}

/* Showing a pair: the row's id and dataset at once, the reading of the pair (with its examples
 * and current texts) from the navigator, at once when it was prefetched. */

/* Widgets the focus was on may be gone after the page changed (a strip row, the back button
 * once there is nothing to go back to). The keyboard then goes back to the list. */
static void
ensure_focus (MdWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (focus == NULL || !gtk_widget_get_mapped (focus) || !gtk_widget_is_sensitive (focus))
    _md_window_focus_list (self);
}

static void
pair_page_changed (MdWindow *self,
                   gboolean  from_cache)
{
  _md_window_review_pair_shown (self);
  ensure_focus (self);
  md_pair_navigator_prefetch_around (self->navigator, md_pair_table_get_model (self->pair_table),
                                     md_pair_table_get_selected (self->pair_table), from_cache);
}

static void
on_pair_shown (MdPairNavigator *navigator,
               MdPairReading   *reading,
               gboolean         from_cache,
               MdWindow        *self)
{
  md_pair_page_set_reading (self->pair_page, reading);
  pair_page_changed (self, from_cache);
}

static void
on_pair_failed (MdPairNavigator *navigator,
                const char      *pair_id,
                const GError    *error,
                MdWindow        *self)
{
  md_pair_page_set_error (self->pair_page, pair_id, error);
  pair_page_changed (self, FALSE);
}

void
_md_window_show_pair (MdWindow   *self,
                      const char *pair_id)
{
  g_assert (MD_IS_WINDOW (self));

  if (!md_pair_navigator_show (self->navigator, self->store != NULL ? pair_id : NULL))
    return;
  if (pair_id == NULL || self->store == NULL)
    {
      md_pair_page_set_reading (self->pair_page, NULL);
      md_pair_page_set_row (self->pair_page, NULL);
    }
}

static void
on_selected_pair_changed (MdPairTable *list,
                          GParamSpec *pspec,
                          MdWindow   *self)
{
  MdPair *row = md_pair_table_get_selected_pair (list);

  /* Walking the list starts a new trail: Back only retraces jumps to in-context examples. */
  g_queue_clear_full (&self->history, g_free);
  _md_window_update_actions (self);

  if (row != NULL)
    md_pair_page_set_row (self->pair_page, row);
  _md_window_show_pair (self, row != NULL ? md_pair_get_id (row) : NULL);
}

static void
on_example_activated (MdPairPage *page,
                      const char *pair_id,
                      MdWindow   *self)
{
  const char *shown_id = md_pair_navigator_get_shown_id (self->navigator);

  if (shown_id == NULL || g_strcmp0 (pair_id, shown_id) == 0)
    return;

  g_queue_push_head (&self->history, g_strdup (shown_id));
  _md_window_update_actions (self);
  _md_window_show_pair (self, pair_id);
}

void
_md_window_go_back (MdWindow *self)
{
  g_autofree char *pair_id = NULL;

  g_assert (MD_IS_WINDOW (self));

  if ((pair_id = g_queue_pop_head (&self->history)) == NULL)
    return;

  _md_window_update_actions (self);
  _md_window_show_pair (self, pair_id);
  ensure_focus (self);
}

/* Language */

void
_md_window_set_language (MdWindow   *self,
                         MdLanguage  language)
{
  g_assert (MD_IS_WINDOW (self));
  g_assert (language < MD_N_LANGUAGES);

  if (self->language == language)
    return;

  self->language = language;
  md_pair_page_set_language (self->pair_page, language);
  /* The list's instruction column follows the reading language; its model is lazy, so asking
   * again is cheap, and the selected pair stays selected. */
  _md_window_requery (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

/* Window state */

static gboolean
md_window_close_request (GtkWindow *window)
{
  MdWindow *self = MD_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  _md_window_cancel_import (self);

  return GTK_WINDOW_CLASS (md_window_parent_class)->close_request (window);
}

static void
md_window_dispose (GObject *object)
{
  MdWindow *self = MD_WINDOW (object);

  _md_window_dispose_open (self);
  _md_window_dispose_layout (self);

  if (self->navigator != NULL)
    md_pair_navigator_set_store (self->navigator, NULL, NULL);
  g_clear_object (&self->navigator);
  g_queue_clear_full (&self->history, g_free);
  _md_window_dispose_review (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), MD_TYPE_WINDOW);

  g_clear_object (&self->loader);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->paths, g_strfreev);
  g_clear_pointer (&self->dataset, g_free);

  G_OBJECT_CLASS (md_window_parent_class)->dispose (object);
}

static void
md_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MdWindow *self = MD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      g_value_set_string (value, md_language_code (self->language));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  MdWindow *self = MD_WINDOW (object);
  MdLanguage language;

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      if (md_language_from_code (g_value_get_string (value), &language))
        _md_window_set_language (self, language);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_window_class_init (MdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = md_window_dispose;
  object_class->get_property = md_window_get_property;
  object_class->set_property = md_window_set_property;
  window_class->close_request = md_window_close_request;

  /* A string so that the "win.language" property action takes the codes the menu and the
   * language buttons use, and so that GSettings binds it as it is stored. */
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, "en",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (MD_TYPE_SIDEBAR);
  g_type_ensure (MD_TYPE_FILTER_BAR);
  g_type_ensure (MD_TYPE_PAIR_TABLE);
  g_type_ensure (MD_TYPE_PAIR_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mimicdesk/MimicDesk/ui/md-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, recent_list);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, recent_group);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, import_revealer);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, import_bar);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, import_label);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, outer_paned);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, inner_paned);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, sidebar_pane);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, filter_bar);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, pair_table);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, pair_page);
  gtk_widget_class_bind_template_child (widget_class, MdWindow, recent_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_dataset_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_dataset_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filters_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_selected_pair_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_example_activated);

  _md_window_class_init_actions (widget_class);
  _md_window_class_init_syphus (widget_class);
  _md_window_class_init_layout (widget_class);
}

static void
md_window_init (MdWindow *self)
{
  g_queue_init (&self->history);
  self->language = MD_LANGUAGE_EN;
  self->navigator = md_pair_navigator_new ();
  g_signal_connect_object (self->navigator, "shown", G_CALLBACK (on_pair_shown), self, 0);
  g_signal_connect_object (self->navigator, "failed", G_CALLBACK (on_pair_failed), self, 0);

  gtk_widget_init_template (GTK_WIDGET (self));

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  g_settings_bind (self->settings, "sidebar-position", self->outer_paned, "position",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "list-position", self->inner_paned, "position",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "sidebar-visible", self->sidebar_button, "active",
                   G_SETTINGS_BIND_DEFAULT);
  _md_window_init_layout (self);
  g_settings_bind (self->settings, "language", self, "language", G_SETTINGS_BIND_DEFAULT);

  _md_window_init_actions (self);
  _md_window_init_syphus (self);
  _md_window_init_review (self);
  _md_window_init_open (self);
  _md_window_update_actions (self);
}

MdWindow *
md_window_new (MdApplication *application)
{
  return g_object_new (MD_TYPE_WINDOW, "application", application, NULL);
}
