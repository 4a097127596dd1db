/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-pair-text"

#include "config.h"

#include <glib/gi18n.h>

#include "md-pair-text.h"

struct _MdPairText
{
  GtkWidget    parent_instance;

  GtkLabel    *subtitle;
  GtkTextView *instruction;
  GtkTextView *answer;
};

G_DEFINE_FINAL_TYPE (MdPairText, md_pair_text, GTK_TYPE_WIDGET)

static void
set_view_text (GtkTextView *view,
               MdLanguage   language,
               const char  *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);

  gtk_text_buffer_set_text (buffer, text != NULL ? text : "", -1);
  gtk_widget_set_direction (GTK_WIDGET (view), md_language_is_rtl (language)
                                               ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
  if (text == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (view), "md-missing");
      gtk_widget_set_tooltip_text (GTK_WIDGET (view), _("No text in this language"));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (view), "md-missing");
      gtk_widget_set_tooltip_text (GTK_WIDGET (view), NULL);
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
  set_view_text (self->instruction, language, instruction);
  set_view_text (self->answer, language, answer);
}

static char *
get_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

char *
md_pair_text_get_instruction (MdPairText *self)
{
  g_return_val_if_fail (MD_IS_PAIR_TEXT (self), NULL);
  return get_view_text (self->instruction);
}

char *
md_pair_text_get_answer (MdPairText *self)
{
  g_return_val_if_fail (MD_IS_PAIR_TEXT (self), NULL);
  return get_view_text (self->answer);
}

GtkTextView *
md_pair_text_get_view (MdPairText *self,
                       MdField     field)
{
  g_return_val_if_fail (MD_IS_PAIR_TEXT (self), NULL);
  return field == MD_FIELD_INSTRUCTION ? self->instruction : self->answer;
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
md_pair_text_class_init (MdPairTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = md_pair_text_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mimicdesk/MimicDesk/widgets/widgets/md-pair-text.ui");
  gtk_widget_class_bind_template_child (widget_class, MdPairText, subtitle);
  gtk_widget_class_bind_template_child (widget_class, MdPairText, instruction);
  gtk_widget_class_bind_template_child (widget_class, MdPairText, answer);
  gtk_widget_class_set_css_name (widget_class, "md-pair-text");
}

static void
md_pair_text_init (MdPairText *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
