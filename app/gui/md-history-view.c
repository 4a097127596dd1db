/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "md-diff.h"
#include "md-diff-label.h"
#include "md-history-view.h"

struct _MdHistoryView
{
  GtkWidget      parent_instance;

  GtkWidget     *scroller;
  GtkListBox    *list;
  GtkWidget     *empty;
  MdReviewStore *store;
  char          *dataset;
  char          *pair_id;
  char          *originals[MD_N_LANGUAGES][MD_N_FIELDS];
  GPtrArray     *diffs;      /* GtkTextBuffer or NULL per entry */
};

G_DEFINE_FINAL_TYPE (MdHistoryView, md_history_view, GTK_TYPE_WIDGET)

enum {
  REVERTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
unref_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
clear_originals (MdHistoryView *self)
{
  for (guint l = 0; l < MD_N_LANGUAGES; l++)
    for (guint f = 0; f < MD_N_FIELDS; f++)
      g_clear_pointer (&self->originals[l][f], g_free);
}

static char *
format_when (gint64 usec)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
}

static const char *
field_label (const char *field)
{
  if (g_strcmp0 (field, "instruction") == 0)
    return _("Instruction");
  if (g_strcmp0 (field, "answer") == 0)
    return _("Answer");
  if (g_strcmp0 (field, "status") == 0)
    return _("Status");
  if (g_strcmp0 (field, "reasons") == 0)
    return _("Reasons");
  if (g_strcmp0 (field, "note") == 0)
    return _("Note");
  return field;
}

/* Fills @buffer with the diff of @old_text and @new_text, tagged by kind, and returns the same
 * as Pango markup: a wrapping label sizes itself well in a list, a text view does not. */
static char *
fill_diff (GtkTextBuffer *buffer,
           const char    *old_text,
           const char    *new_text)
{
  g_autoptr(GPtrArray) segments = md_diff_texts (old_text, new_text);
  GtkTextIter end;

  gtk_text_buffer_create_tag (buffer, "insert", "underline", PANGO_UNDERLINE_SINGLE,
                              "foreground", "#26a269", "background", "rgba(38,162,105,0.12)",
                              NULL);
  gtk_text_buffer_create_tag (buffer, "delete", "strikethrough", TRUE,
                              "foreground", "#c01c28", "background", "rgba(192,28,40,0.10)",
                              NULL);
  for (guint i = 0; i < segments->len; i++)
    {
      const MdDiffSegment *segment = segments->pdata[i];

      gtk_text_buffer_get_end_iter (buffer, &end);
      if (segment->op == MD_DIFF_EQUAL)
        gtk_text_buffer_insert (buffer, &end, segment->text, -1);
      else
        gtk_text_buffer_insert_with_tags_by_name (buffer, &end, segment->text, -1,
                                                  segment->op == MD_DIFF_INSERT ? "insert"
                                                                                : "delete",
                                                  NULL);
    }
  return md_diff_markup_segments (segments);
}

typedef struct
{
  MdHistoryView *self;
  char          *lang;
  char          *field;
  char          *text;    /* NULL: the shard's text */
} RevertData;

static void
revert_data_free (gpointer data,
                  GClosure *closure)
{
  RevertData *r = data;

  g_free (r->lang);
  g_free (r->field);
  g_free (r->text);
  g_free (r);
}

static void
on_revert_clicked (GtkButton  *button,
                   RevertData *r)
{
  MdHistoryView *self = r->self;
  g_autoptr(GError) error = NULL;
  MdLanguage lang;
  MdField field;
  const char *original;

  if (self->store == NULL || !md_language_from_code (r->lang, &lang) ||
      !md_field_from_name (r->field, &field))
    return;
  original = self->originals[lang][field];
  /* Appends a revision: the log keeps the reverted one. */
  if (md_review_store_edit_text (self->store, self->dataset, self->pair_id, lang, field, original,
                                 r->text != NULL ? r->text : (original != NULL ? original : ""),
                                 NULL, MD_REVIEW_AUTHOR_PERSON, &error) < 0)
    g_warning ("Could not revert: %s", error->message);
  g_signal_emit (self, signals[REVERTED], 0);
}

static GtkWidget *
build_row (MdHistoryView       *self,
           const MdReviewEntry *entry,
           guint                index)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *title, *meta;
  g_autofree char *when = format_when (entry->created_at);
  g_autofree char *title_text = NULL;
  g_autofree char *meta_text = NULL;
  g_autofree char *row_name = g_strdup_printf (_("Change %u"), index + 1);
  MdField field;
  gboolean is_text = md_field_from_name (entry->field, &field);

  gtk_widget_add_css_class (box, "md-history-entry");
  title_text = g_strdup_printf ("%s · %s", *entry->lang != '\0' ? entry->lang : _("pair"),
                                field_label (entry->field));
  title = gtk_label_new (title_text);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  /* "undo"/"redo" entries say so: the user sees why a text came back. */
  if (g_strcmp0 (entry->action_kind, "do") == 0)
    meta_text = g_strdup_printf ("%s%s · %s", entry->author,
                                 entry->author_kind == MD_REVIEW_AUTHOR_MODEL ? _(" (model)") : "",
                                 when);
  else
    meta_text = g_strdup_printf ("%s · %s · %s", entry->author, when,
                                 g_strcmp0 (entry->action_kind, "undo") == 0 ? _("undo")
                                 : g_strcmp0 (entry->action_kind, "redo") == 0 ? _("redo")
                                 : _("merged"));
  meta = gtk_label_new (meta_text);
  gtk_widget_add_css_class (meta, "dim-label");
  gtk_widget_set_hexpand (meta, TRUE);
  gtk_label_set_xalign (GTK_LABEL (meta), 0);
  gtk_box_append (GTK_BOX (header), title);
  gtk_box_append (GTK_BOX (header), meta);

  if (is_text)
    {
      GtkWidget *view = gtk_label_new (NULL);
      g_autoptr(GtkTextBuffer) buffer = gtk_text_buffer_new (NULL);
      g_autofree char *markup = NULL;
      MdLanguage lang = MD_LANGUAGE_EN;
      const char *original = NULL;
      GtkWidget *revert = gtk_button_new_with_label (_("Revert"));
      RevertData *r = g_new0 (RevertData, 1);

      if (md_language_from_code (entry->lang, &lang))
        original = self->originals[lang][field];
      markup = fill_diff (buffer, entry->old_value != NULL ? entry->old_value : original,
                          entry->new_value != NULL ? entry->new_value : original);
      gtk_label_set_markup (GTK_LABEL (view), markup);
      gtk_label_set_wrap (GTK_LABEL (view), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (view), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (view), TRUE);
      gtk_label_set_xalign (GTK_LABEL (view), md_language_is_rtl (lang) ? 1 : 0);
      gtk_widget_set_direction (view, md_language_is_rtl (lang) ? GTK_TEXT_DIR_RTL
                                                                : GTK_TEXT_DIR_LTR);
      gtk_widget_add_css_class (view, "md-diff");
      gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Difference"), -1);
      g_ptr_array_add (self->diffs, g_object_ref (buffer));

      r->self = self;
      r->lang = g_strdup (entry->lang);
      r->field = g_strdup (entry->field);
      r->text = g_strdup (entry->old_value);
      g_signal_connect_data (revert, "clicked", G_CALLBACK (on_revert_clicked), r,
                             revert_data_free, 0);
      gtk_widget_set_tooltip_text (revert, _("Set the text back to what it was before this "
                                             "revision (adds a revision)"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (revert), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Revert"), -1);
      gtk_widget_add_css_class (revert, "flat");
      gtk_widget_set_valign (revert, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (header), revert);
      gtk_box_append (GTK_BOX (box), header);
      gtk_box_append (GTK_BOX (box), view);
    }
  else
    {
      g_autofree char *old_value = g_strdup (entry->old_value != NULL && *entry->old_value
                                             ? entry->old_value : "–");
      g_autofree char *new_value = g_strdup (entry->new_value != NULL && *entry->new_value
                                             ? entry->new_value : "–");
      g_autofree char *change = NULL;
      GtkWidget *label;

      g_strdelimit (old_value, "\n", ',');
      g_strdelimit (new_value, "\n", ',');
      change = g_strdup_printf ("%s → %s", old_value, new_value);
      label = gtk_label_new (change);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      g_ptr_array_add (self->diffs, NULL);
      gtk_box_append (GTK_BOX (box), header);
      gtk_box_append (GTK_BOX (box), label);
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, row_name,
                                  -1);
  return row;
}

void
md_history_view_set_pair (MdHistoryView      *self,
                          MdReviewStore      *store,
                          const char         *dataset,
                          const char         *pair_id,
                          const char * const  originals[MD_N_LANGUAGES][MD_N_FIELDS])
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  g_return_if_fail (MD_IS_HISTORY_VIEW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_ptr_array_set_size (self->diffs, 0);
  g_set_object (&self->store, store);
  g_free (self->dataset);
  self->dataset = g_strdup (dataset);
  g_free (self->pair_id);
  self->pair_id = g_strdup (pair_id);
  clear_originals (self);
  for (guint l = 0; originals != NULL && l < MD_N_LANGUAGES; l++)
    for (guint f = 0; f < MD_N_FIELDS; f++)
      self->originals[l][f] = g_strdup (originals[l][f]);

  if (store != NULL && pair_id != NULL)
    entries = md_review_store_get_log (store, dataset, pair_id, &error);
  if (error != NULL)
    g_warning ("Could not read the history of %s: %s", pair_id, error->message);

  /* Newest first: the change the user just made is on top. */
  for (guint i = entries != NULL ? entries->len : 0; i > 0; i--)
    gtk_list_box_append (self->list, build_row (self, entries->pdata[i - 1],
                                                entries->len - i));
  gtk_widget_set_visible (self->empty, entries == NULL || entries->len == 0);
  gtk_widget_set_visible (self->scroller, entries != NULL && entries->len > 0);
}

guint
md_history_view_get_n_entries (MdHistoryView *self)
{
  g_return_val_if_fail (MD_IS_HISTORY_VIEW (self), 0);
  return self->diffs->len;
}

GtkTextBuffer *
md_history_view_get_diff (MdHistoryView *self,
                          guint          index)
{
  g_return_val_if_fail (MD_IS_HISTORY_VIEW (self), NULL);
  return index < self->diffs->len ? self->diffs->pdata[index] : NULL;
}

static void
md_history_view_dispose (GObject *object)
{
  MdHistoryView *self = MD_HISTORY_VIEW (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_pointer (&self->dataset, g_free);
  g_clear_pointer (&self->pair_id, g_free);
  g_clear_pointer (&self->diffs, g_ptr_array_unref);
  clear_originals (self);
  G_OBJECT_CLASS (md_history_view_parent_class)->dispose (object);
}

static void
md_history_view_class_init (MdHistoryViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = md_history_view_dispose;
  signals[REVERTED] = g_signal_new ("reverted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "mdhistoryview");
}

static void
md_history_view_init (MdHistoryView *self)
{
  GtkWidget *clamp = adw_clamp_new ();

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (
    GTK_WIDGET (self))), GTK_ORIENTATION_VERTICAL);
  self->diffs = g_ptr_array_new_with_free_func (unref_if_set);
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_widget_set_margin_top (GTK_WIDGET (self->list), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->list), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self->list), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->list), 12);
  gtk_widget_set_valign (GTK_WIDGET (self->list), GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("History"), -1);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 900);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (self->list));
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), clamp);
  gtk_widget_set_vexpand (self->scroller, TRUE);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));

  self->empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty), "document-open-recent-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->empty), _("No Changes Yet"));
  adw_status_page_set_description (ADW_STATUS_PAGE (self->empty),
                                   _("Statuses, notes and edits of this pair appear here."));
  gtk_widget_add_css_class (self->empty, "compact");
  gtk_widget_set_vexpand (self->empty, TRUE);
  gtk_widget_set_parent (self->empty, GTK_WIDGET (self));
  gtk_widget_set_visible (self->scroller, FALSE);
}

GtkWidget *
md_history_view_new (void)
{
  return g_object_new (MD_TYPE_HISTORY_VIEW, NULL);
}
