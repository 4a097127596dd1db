/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-context-strip"

#include "config.h"

#include <glib/gi18n.h>

#include "md-context-strip.h"
#include "md-text-preview.h"
#include "md-image-pane.h"

#define THUMBNAIL_SIZE 56

struct _MdContextStrip
{
  GtkWidget   parent_instance;

  GtkStack   *stack;
  GtkListBox *list;
  guint       n_examples;
};

G_DEFINE_FINAL_TYPE (MdContextStrip, md_context_strip, GTK_TYPE_WIDGET)

enum {
  SIGNAL_EXAMPLE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
text_label (const char *text,
            const char *css_class)
{
  /* Two lines are shown: Pango would still shape a megabyte-long text to ellipsize it. */
  g_autofree char *preview = md_text_preview (text, MD_TEXT_CARD_CHARS, NULL);
  GtkWidget *label = gtk_label_new (preview != NULL ? preview : text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (label), 2);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), FALSE);
  gtk_widget_set_hexpand (label, TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
build_row (MdContextStrip         *self,
           MdImageLoader          *loader,
           const MdContextExample *example,
           guint                   position)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *number;
  GtkWidget *id;
  g_autofree char *number_text = g_strdup_printf ("%u", position + 1);
  g_autofree char *name = g_strdup_printf (_("Example %u: %s"), position + 1, example->id);

  gtk_widget_add_css_class (box, "md-context-row");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data_full (G_OBJECT (row), "md-example-id", g_strdup (example->id), g_free);

  if (!example->dangling && example->image_ids != NULL && loader != NULL)
    {
      GtkWidget *thumbnails = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

      for (guint i = 0; example->image_ids[i] != NULL && i < MD_CONTEXT_STRIP_MAX_THUMBNAILS; i++)
        {
          GtkWidget *pane = md_image_pane_new ();

          gtk_widget_set_size_request (pane, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
          gtk_widget_add_css_class (pane, "md-thumbnail");
          gtk_widget_set_can_target (pane, FALSE);
          md_image_pane_set_image (MD_IMAGE_PANE (pane), loader, example->image_ids[i]);
          gtk_box_append (GTK_BOX (thumbnails), pane);
        }
      gtk_widget_set_valign (thumbnails, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), thumbnails);
    }

  number = gtk_label_new (number_text);
  gtk_widget_add_css_class (number, "md-example-number");
  gtk_widget_add_css_class (number, "caption-heading");
  id = gtk_label_new (example->id);
  gtk_label_set_xalign (GTK_LABEL (id), 0);
  gtk_label_set_ellipsize (GTK_LABEL (id), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (id, "monospace");
  gtk_widget_add_css_class (id, "caption");
  gtk_widget_add_css_class (id, "dim-label");
  gtk_box_append (GTK_BOX (header), number);
  gtk_box_append (GTK_BOX (header), id);
  gtk_box_append (GTK_BOX (texts), header);

  if (example->dangling)
    {
      GtkWidget *note = text_label (_("Not in this dataset"), "warning");

      gtk_box_append (GTK_BOX (texts), note);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_widget_add_css_class (row, "md-dangling");
    }
  else
    {
      gtk_box_append (GTK_BOX (texts), text_label (example->instruction != NULL
                                                   ? example->instruction : _("(no instruction)"),
                                                   NULL));
      gtk_box_append (GTK_BOX (texts), text_label (example->answer != NULL
                                                   ? example->answer : _("(no answer)"),
                                                   "dim-label"));
    }

  gtk_box_append (GTK_BOX (box), texts);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

void
md_context_strip_set_examples (MdContextStrip         *self,
                               MdImageLoader          *loader,
                               const MdContextExample *examples,
                               guint                   n_examples)
{
  GtkWidget *child;

  g_return_if_fail (MD_IS_CONTEXT_STRIP (self));
  g_return_if_fail (n_examples == 0 || examples != NULL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  for (guint i = 0; i < n_examples; i++)
    gtk_list_box_append (self->list, build_row (self, loader, &examples[i], i));
  self->n_examples = n_examples;
  gtk_stack_set_visible_child_name (self->stack, n_examples > 0 ? "list" : "empty");
}

guint
md_context_strip_get_n_examples (MdContextStrip *self)
{
  g_return_val_if_fail (MD_IS_CONTEXT_STRIP (self), 0);
  return self->n_examples;
}

static void
on_row_activated (GtkListBox     *list,
                  GtkListBoxRow  *row,
                  MdContextStrip *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "md-example-id");

  if (id != NULL)
    g_signal_emit (self, signals[SIGNAL_EXAMPLE_ACTIVATED], 0, id);
}

GtkWidget *
md_context_strip_new (void)
{
  return g_object_new (MD_TYPE_CONTEXT_STRIP, NULL);
}

static void
md_context_strip_dispose (GObject *object)
{
  MdContextStrip *self = MD_CONTEXT_STRIP (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), MD_TYPE_CONTEXT_STRIP);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (md_context_strip_parent_class)->dispose (object);
}

static void
md_context_strip_class_init (MdContextStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = md_context_strip_dispose;

  signals[SIGNAL_EXAMPLE_ACTIVATED] =
    g_signal_new ("example-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mimicdesk/MimicDesk/widgets/widgets/md-context-strip.ui");
  gtk_widget_class_bind_template_child (widget_class, MdContextStrip, stack);
  gtk_widget_class_bind_template_child (widget_class, MdContextStrip, list);
  gtk_widget_class_set_css_name (widget_class, "md-context-strip");
}

static void
md_context_strip_init (MdContextStrip *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self->list, "row-activated", G_CALLBACK (on_row_activated), self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}
