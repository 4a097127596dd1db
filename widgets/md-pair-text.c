/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-pair-text"

#include "config.h"

#include <glib/gi18n.h>

#include "md-error.h"
#include "md-long-text-window.h"
#include "md-pair-text.h"
#include "md-text-preview.h"

typedef struct
{
  GtkTextView *view;
  GtkButton   *show_all;
  char        *text;       /* the whole text; NULL: the language has no such field */
  gboolean     previewed;  /* the view holds only the first MD_TEXT_PREVIEW_CHARS of it */
} Field;

struct _MdPairText
{
  GtkWidget    parent_instance;

  GtkLabel    *subtitle;
  GtkTextView *instruction;
  GtkTextView *answer;
  GtkButton   *show_all_instruction;
  GtkButton   *show_all_answer;

  Field        fields[MD_N_FIELDS];
  char        *pair_id;
  MdLanguage   language;
  gboolean     editing;
};

G_DEFINE_FINAL_TYPE (MdPairText, md_pair_text, GTK_TYPE_WIDGET)

static void
show_field (MdPairText *self,
            Field      *field)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (field->view);
  guint64 n_chars = 0;
  g_autofree char *preview = md_text_preview (field->text, MD_TEXT_PREVIEW_CHARS, &n_chars);

  /* A text of any length is laid out a paragraph at a time on the main thread: a preview keeps
   * a megabyte-long answer from freezing the window, and "Show all" opens a view that lays out
   * only what is on screen. */
  field->previewed = preview != NULL;
  gtk_text_buffer_set_text (buffer, preview != NULL ? preview
                                    : field->text != NULL ? field->text : "", -1);
  gtk_widget_set_direction (GTK_WIDGET (field->view), md_language_is_rtl (self->language)
                                                      ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
  if (field->previewed)
    {
      g_autofree char *label = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "Show all %'" G_GUINT64_FORMAT " character",
                     "Show all %'" G_GUINT64_FORMAT " characters", n_chars), n_chars);

      gtk_button_set_label (field->show_all, label);
      /* Setting a button's label renames it for screen readers: say what it opens. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (field->show_all),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      field->view == self->answer ? _("Show the whole answer")
                                                                  : _("Show the whole instruction"),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, label,
                                      -1);
    }
  gtk_widget_set_visible (GTK_WIDGET (field->show_all), field->previewed);
  if (field->text == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (field->view), "md-missing");
      gtk_widget_set_tooltip_text (GTK_WIDGET (field->view), _("No text in this language"));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (field->view), "md-missing");
      gtk_widget_set_tooltip_text (GTK_WIDGET (field->view), NULL);
    }
}

void
md_pair_text_set (MdPairText *self,
                  const char *pair_id,
                  const char *dataset,
                  MdLanguage  language,
                  const char *instruction,
                  const char *answer)
{
  g_autofree char *subtitle = NULL;

  g_return_if_fail (MD_IS_PAIR_TEXT (self));
  g_return_if_fail (language < MD_N_LANGUAGES);

  if (pair_id != NULL && dataset != NULL)
    subtitle = g_strdup_printf ("%s · %s · %s", pair_id, dataset, md_language_code (language));
  else
    subtitle = g_strdup (pair_id != NULL ? pair_id : "");
  gtk_label_set_text (self->subtitle, subtitle);
  g_free (self->pair_id);
  self->pair_id = g_strdup (pair_id);
  self->language = language;
  g_free (self->fields[MD_FIELD_INSTRUCTION].text);
  self->fields[MD_FIELD_INSTRUCTION].text = g_strdup (instruction);
  g_free (self->fields[MD_FIELD_ANSWER].text);
  self->fields[MD_FIELD_ANSWER].text = g_strdup (answer);
  for (guint f = 0; f < MD_N_FIELDS; f++)
    show_field (self, &self->fields[f]);
}

static char *
field_text (MdPairText *self,
            MdField     f)
{
  Field *field = &self->fields[f];
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (field->view);
  GtkTextIter start, end;

  /* Outside the editor the view may hold a preview: the text is the whole one. */
  if (!self->editing)
    return g_strdup (field->text != NULL ? field->text : "");
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

char *
md_pair_text_get_instruction (MdPairText *self)
{
  g_return_val_if_fail (MD_IS_PAIR_TEXT (self), NULL);
  return field_text (self, MD_FIELD_INSTRUCTION);
}

char *
md_pair_text_get_answer (MdPairText *self)
{
  g_return_val_if_fail (MD_IS_PAIR_TEXT (self), NULL);
  return field_text (self, MD_FIELD_ANSWER);
}

gboolean
md_pair_text_is_previewed (MdPairText *self,
                           MdField     field)
{
  g_return_val_if_fail (MD_IS_PAIR_TEXT (self), FALSE);
  g_return_val_if_fail (field < MD_N_FIELDS, FALSE);
  return self->fields[field].previewed;
}

GtkTextView *
md_pair_text_get_view (MdPairText *self,
                       MdField     field)
{
  g_return_val_if_fail (MD_IS_PAIR_TEXT (self), NULL);
  return field == MD_FIELD_INSTRUCTION ? self->instruction : self->answer;
}

gboolean
md_pair_text_set_editing (MdPairText  *self,
                          gboolean     editing,
                          MdField      focus_field,
                          GError     **error)
{
  g_return_val_if_fail (MD_IS_PAIR_TEXT (self), FALSE);

  if (editing)
    for (guint f = 0; f < MD_N_FIELDS; f++)
      {
        guint64 longest = md_text_longest_line (self->fields[f].text);

        /* GTK lays a paragraph out as a whole, on the main thread, at every change. */
        if (longest > MD_TEXT_EDIT_MAX_PARAGRAPH)
          {
            g_set_error (error, MD_ERROR, MD_ERROR_UNSUPPORTED,
                         _("The %s of %s has a paragraph of %'" G_GUINT64_FORMAT " characters, "
                           "too long to edit here (at most %'d); edit it with "
                           "“mimicdesk-cli review edit”"),
                         f == MD_FIELD_INSTRUCTION ? _("instruction") : _("answer"),
                         self->pair_id != NULL ? self->pair_id : "", longest,
                         MD_TEXT_EDIT_MAX_PARAGRAPH);
            return FALSE;
          }
      }

  self->editing = editing;
  for (guint f = 0; f < MD_N_FIELDS; f++)
    {
      Field *field = &self->fields[f];

      if (editing && field->previewed)
        {
          gtk_text_buffer_set_text (gtk_text_view_get_buffer (field->view),
                                    field->text != NULL ? field->text : "", -1);
          field->previewed = FALSE;
          gtk_widget_set_visible (GTK_WIDGET (field->show_all), FALSE);
        }
      else if (!editing)
        show_field (self, field);
      gtk_text_view_set_editable (field->view, editing);
      gtk_text_view_set_cursor_visible (field->view, editing);
      if (editing)
        gtk_widget_add_css_class (GTK_WIDGET (field->view), "md-editing");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (field->view), "md-editing");
    }
  if (editing)
    gtk_widget_grab_focus (GTK_WIDGET (self->fields[focus_field].view));
  return TRUE;
}

gboolean
md_pair_text_get_editing (MdPairText *self)
{
  g_return_val_if_fail (MD_IS_PAIR_TEXT (self), FALSE);
  return self->editing;
}

static void
on_show_all_clicked (GtkButton  *button,
                     MdPairText *self)
{
  MdField f = button == self->show_all_answer ? MD_FIELD_ANSWER : MD_FIELD_INSTRUCTION;
  g_autofree char *title = g_strdup_printf ("%s · %s · %s",
                                            f == MD_FIELD_ANSWER ? _("Answer") : _("Instruction"),
                                            self->pair_id != NULL ? self->pair_id : "",
                                            md_language_code (self->language));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *window;

  if (self->fields[f].text == NULL)
    return;
  window = md_long_text_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, title,
                                    self->fields[f].text, md_language_is_rtl (self->language));
  gtk_window_present (GTK_WINDOW (window));
}

GtkWidget *
md_pair_text_new (void)
{
  return g_object_new (MD_TYPE_PAIR_TEXT, NULL);
}

static void
md_pair_text_dispose (GObject *object)
{
  MdPairText *self = MD_PAIR_TEXT (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), MD_TYPE_PAIR_TEXT);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (md_pair_text_parent_class)->dispose (object);
}

static void
md_pair_text_finalize (GObject *object)
{
  MdPairText *self = MD_PAIR_TEXT (object);

  for (guint f = 0; f < MD_N_FIELDS; f++)
    g_free (self->fields[f].text);
  g_free (self->pair_id);

  G_OBJECT_CLASS (md_pair_text_parent_class)->finalize (object);
}

static void
md_pair_text_class_init (MdPairTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = md_pair_text_dispose;
  object_class->finalize = md_pair_text_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mimicdesk/MimicDesk/widgets/widgets/md-pair-text.ui");
  gtk_widget_class_bind_template_child (widget_class, MdPairText, subtitle);
  gtk_widget_class_bind_template_child (widget_class, MdPairText, instruction);
  gtk_widget_class_bind_template_child (widget_class, MdPairText, answer);
  gtk_widget_class_bind_template_child (widget_class, MdPairText, show_all_instruction);
  gtk_widget_class_bind_template_child (widget_class, MdPairText, show_all_answer);
  gtk_widget_class_bind_template_callback (widget_class, on_show_all_clicked);
  gtk_widget_class_set_css_name (widget_class, "md-pair-text");
}

static void
md_pair_text_init (MdPairText *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->fields[MD_FIELD_INSTRUCTION] = (Field) { self->instruction, self->show_all_instruction };
  self->fields[MD_FIELD_ANSWER] = (Field) { self->answer, self->show_all_answer };
}
