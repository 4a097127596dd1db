/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>

#include "md-status-pill.h"

struct _MdStatusPill
{
  GtkWidget   parent_instance;

  GtkLabel   *label;
  GtkPopover *flag_popover;
  GtkBox     *flag_tags;
  GtkPopover *note_popover;
  GtkEntry   *note_entry;
};

G_DEFINE_FINAL_TYPE (MdStatusPill, md_status_pill, GTK_TYPE_WIDGET)

enum {
  FLAG_CONFIRMED,
  NOTE_CONFIRMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const char *
md_status_pill_status_label (MdReviewStatus status)
{
  switch (status)
    {
    case MD_REVIEW_STATUS_UNREVIEWED: return _("Unreviewed");
    case MD_REVIEW_STATUS_APPROVED: return _("Approved");
    case MD_REVIEW_STATUS_FLAGGED: return _("Flagged");
    case MD_REVIEW_STATUS_REJECTED: return _("Rejected");
    case MD_REVIEW_STATUS_FIXED: return _("Fixed");
    case MD_REVIEW_N_STATUSES:
    default: return "";
    }
}

void
md_status_pill_set_state (MdStatusPill        *self,
                          gboolean             shown,
                          const MdReviewState *state)
{
  MdReviewStatus status = state != NULL ? state->status : MD_REVIEW_STATUS_UNREVIEWED;
  g_autoptr(GString) text = NULL;
  g_autoptr(GString) tooltip = NULL;

  g_return_if_fail (MD_IS_STATUS_PILL (self));

  for (guint s = 0; s < MD_REVIEW_N_STATUSES; s++)
    {
      g_autofree char *css = g_strdup_printf ("md-status-%s", md_review_status_name (s));

      gtk_widget_remove_css_class (GTK_WIDGET (self), css);
    }
  gtk_widget_set_visible (GTK_WIDGET (self), shown);
  if (!shown)
    return;

  text = g_string_new (md_status_pill_status_label (status));
  tooltip = g_string_new (text->str);
  if (state != NULL)
    {
      g_autofree char *css = g_strdup_printf ("md-status-%s", md_review_status_name (status));

      gtk_widget_add_css_class (GTK_WIDGET (self), css);
      if (state->reasons[0] != NULL)
        {
          g_autofree char *reasons = g_strjoinv (", ", state->reasons);

          g_string_append_printf (text, " · %s", reasons);
          g_string_append_printf (tooltip, "\n%s: %s", _("Reasons"), reasons);
        }
      if (state->note != NULL)
        {
          g_string_append (text, " · ✎");
          g_string_append_printf (tooltip, "\n%s: %s", _("Note"), state->note);
        }
      if (state->reviewer != NULL)
        g_string_append_printf (tooltip, "\n%s: %s", _("Reviewer"), state->reviewer);
    }
  gtk_label_set_text (self->label, text->str);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip->str);
}

/* Flag: a popover of the reason tags, Enter confirms. */

static void
confirm_flag (MdStatusPill *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) reasons = NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->flag_tags));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (child)))
      g_strv_builder_add (builder, gtk_check_button_get_label (GTK_CHECK_BUTTON (child)));
  reasons = g_strv_builder_end (builder);
  gtk_popover_popdown (self->flag_popover);
  g_signal_emit (self, signals[FLAG_CONFIRMED], 0, reasons);
}

static void
on_flag_confirm_clicked (MdStatusPill *self)
{
  confirm_flag (self);
}

static gboolean
on_flag_key (GtkEventControllerKey *controller,
             guint                  keyval,
             guint                  keycode,
             GdkModifierType        state,
             MdStatusPill          *self)
{
  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
    {
      confirm_flag (self);
      return TRUE;
    }
  return FALSE;
}

void
md_status_pill_ask_flag (MdStatusPill       *self,
                         GPtrArray          *tags,
                         const char * const *checked)
{
  GtkWidget *child;

  g_return_if_fail (MD_IS_STATUS_PILL (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->flag_tags))) != NULL)
    gtk_box_remove (self->flag_tags, child);
  /* One row per tag, made as the tags are: the rows of a list. */
  for (guint i = 0; tags != NULL && i < tags->len; i++)
    {
      const char *tag = tags->pdata[i];
      GtkWidget *check = gtk_check_button_new_with_label (tag);

      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   checked != NULL && g_strv_contains (checked, tag));
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, tag,
                                      -1);
      gtk_box_append (self->flag_tags, check);
    }
  gtk_popover_popup (self->flag_popover);
  if ((child = gtk_widget_get_first_child (GTK_WIDGET (self->flag_tags))) != NULL)
    gtk_widget_grab_focus (child);
}

/* Note */

static void
on_note_activate (MdStatusPill *self)
{
  gtk_popover_popdown (self->note_popover);
  g_signal_emit (self, signals[NOTE_CONFIRMED], 0,
                 gtk_editable_get_text (GTK_EDITABLE (self->note_entry)));
}

void
md_status_pill_ask_note (MdStatusPill *self,
                         const char   *note)
{
  g_return_if_fail (MD_IS_STATUS_PILL (self));

  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), note != NULL ? note : "");
  gtk_popover_popup (self->note_popover);
  gtk_widget_grab_focus (GTK_WIDGET (self->note_entry));
}

static void
md_status_pill_dispose (GObject *object)
{
  MdStatusPill *self = MD_STATUS_PILL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), MD_TYPE_STATUS_PILL);
  G_OBJECT_CLASS (md_status_pill_parent_class)->dispose (object);
}

static void
md_status_pill_class_init (MdStatusPillClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = md_status_pill_dispose;

  signals[FLAG_CONFIRMED] = g_signal_new ("flag-confirmed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                          1, G_TYPE_STRV);
  signals[NOTE_CONFIRMED] = g_signal_new ("note-confirmed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                          1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mimicdesk/MimicDesk/ui/md-status-pill.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, MdStatusPill, label);
  gtk_widget_class_bind_template_child (widget_class, MdStatusPill, flag_popover);
  gtk_widget_class_bind_template_child (widget_class, MdStatusPill, flag_tags);
  gtk_widget_class_bind_template_child (widget_class, MdStatusPill, note_popover);
  gtk_widget_class_bind_template_child (widget_class, MdStatusPill, note_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_flag_confirm_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_flag_key);
  gtk_widget_class_bind_template_callback (widget_class, on_note_activate);
}

static void
md_status_pill_init (MdStatusPill *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
