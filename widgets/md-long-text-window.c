/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-long-text-window"

#include "config.h"

#include <glib/gi18n.h>

#include "md-long-text-window.h"
#include "md-text-preview.h"

struct _MdLongTextWindow
{
  AdwWindow       parent_instance;

  AdwWindowTitle *window_title;
  GtkButton      *copy_button;
  GtkListView    *pieces_view;

  char           *text;
  GtkStringList  *pieces;
  gboolean        rtl;
};

G_DEFINE_FINAL_TYPE (MdLongTextWindow, md_long_text_window, ADW_TYPE_WINDOW)

static void
on_piece_setup (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                MdLongTextWindow         *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), self->rtl ? 1 : 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_direction (label, self->rtl ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
  gtk_widget_set_margin_start (label, 18);
  gtk_widget_set_margin_end (label, 18);
  gtk_list_item_set_child (item, label);
  gtk_list_item_set_activatable (item, FALSE);
}

static void
on_piece_bind (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               MdLongTextWindow         *self)
{
  GtkStringObject *piece = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (piece));
}

static void
on_copy_clicked (GtkButton        *button,
                 MdLongTextWindow *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->text);
}

const char *
md_long_text_window_get_text (MdLongTextWindow *self)
{
  g_return_val_if_fail (MD_IS_LONG_TEXT_WINDOW (self), NULL);
  return self->text;
}

guint
md_long_text_window_get_n_pieces (MdLongTextWindow *self)
{
  g_return_val_if_fail (MD_IS_LONG_TEXT_WINDOW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->pieces));
}

GtkWidget *
md_long_text_window_new (GtkWindow  *parent,
                         const char *title,
                         const char *text,
                         gboolean    rtl)
{
  MdLongTextWindow *self;
  g_autoptr(GPtrArray) pieces = NULL;
  g_autofree char *subtitle = NULL;
  guint64 n_chars;

  g_return_val_if_fail (text != NULL, NULL);

  self = g_object_new (MD_TYPE_LONG_TEXT_WINDOW, "transient-for", parent, "title", title, NULL);
  self->text = g_strdup (text);
  self->rtl = rtl;
  n_chars = (guint64) g_utf8_strlen (text, -1);
  pieces = md_text_split_pieces (text, MD_LONG_TEXT_PIECE_CHARS);
  g_ptr_array_add (pieces, NULL);
  gtk_string_list_splice (self->pieces, 0, 0, (const char * const *) pieces->pdata);

  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'" G_GUINT64_FORMAT " character",
                                           "%'" G_GUINT64_FORMAT " characters", n_chars),
                              n_chars);
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  return GTK_WIDGET (self);
}

static void
md_long_text_window_finalize (GObject *object)
{
  MdLongTextWindow *self = MD_LONG_TEXT_WINDOW (object);

  g_free (self->text);
  g_clear_object (&self->pieces);

  G_OBJECT_CLASS (md_long_text_window_parent_class)->finalize (object);
}

static void
md_long_text_window_class_init (MdLongTextWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = md_long_text_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mimicdesk/MimicDesk/widgets/widgets/md-long-text-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MdLongTextWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, MdLongTextWindow, copy_button);
  gtk_widget_class_bind_template_child (widget_class, MdLongTextWindow, pieces_view);
  gtk_widget_class_bind_template_callback (widget_class, on_piece_setup);
  gtk_widget_class_bind_template_callback (widget_class, on_piece_bind);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
md_long_text_window_init (MdLongTextWindow *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->pieces = gtk_string_list_new (NULL);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->pieces)));
  gtk_list_view_set_model (self->pieces_view, GTK_SELECTION_MODEL (selection));
}
