/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>

#include "md-app-private.h"
#include "md-filter-bar.h"
#include "md-language.h"
#include "md-pair.h"
#include "md-pair-table.h"

struct _MdFilterBar
{
  GtkWidget      parent_instance;

  GStrv          codes;
  char          *dataset;
  guint          updating : 1;

  GtkDropDown   *dataset_dropdown;
  GtkDropDown   *language_dropdown;
  GtkDropDown   *modality_dropdown;
  GtkDropDown   *status_dropdown;
  GtkStringList *dataset_strings;
  GtkLabel      *count_label;
  GtkLabel      *error_label;
};

G_DEFINE_FINAL_TYPE (MdFilterBar, md_filter_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DATASET,
  PROP_LANGUAGE,
  PROP_MODALITY,
  PROP_REVIEW_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The review statuses (MdReviewStatus) the chip offers. */
#define N_STATUSES 5

/* The modality choices, in the order of the dropdown after "All kinds". */
static const MdModality modalities[] = {
  MD_MODALITY_IMAGE,
  MD_MODALITY_IMAGE_PAIR,
  MD_MODALITY_MULTI_IMAGE,
  MD_MODALITY_VIDEO,
  MD_MODALITY_TEXT,
};

void
md_filter_bar_set_datasets (MdFilterBar        *self,
                            const char * const *codes)
{
  g_autofree char *keep = NULL;

  g_return_if_fail (MD_IS_FILTER_BAR (self));

  if (self->codes != NULL && codes != NULL &&
      g_strv_equal ((const char * const *) self->codes, codes))
    return;

  keep = g_strdup (self->dataset);
  g_strfreev (self->codes);
  self->codes = g_strdupv ((char **) codes);

  self->updating = TRUE;
  gtk_string_list_splice (self->dataset_strings, 1,
                          g_list_model_get_n_items (G_LIST_MODEL (self->dataset_strings)) - 1,
                          codes);
  self->updating = FALSE;

  g_clear_pointer (&self->dataset, g_free);
  md_filter_bar_set_dataset (self, keep);
}

const char *
md_filter_bar_get_dataset (MdFilterBar *self)
{
  g_return_val_if_fail (MD_IS_FILTER_BAR (self), NULL);

  return self->dataset;
}

void
md_filter_bar_set_dataset (MdFilterBar *self,
                           const char  *dataset)
{
  guint position = 0;

  g_return_if_fail (MD_IS_FILTER_BAR (self));

  if (dataset != NULL && dataset[0] == '\0')
    dataset = NULL;

  for (guint i = 0; dataset != NULL && self->codes != NULL && self->codes[i] != NULL; i++)
    if (g_str_equal (self->codes[i], dataset))
      position = i + 1;

  self->updating = TRUE;
  gtk_drop_down_set_selected (self->dataset_dropdown, position);
  self->updating = FALSE;

  if (_md_set_str (&self->dataset, dataset))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
}

int
md_filter_bar_get_language (MdFilterBar *self)
{
  guint selected;

  g_return_val_if_fail (MD_IS_FILTER_BAR (self), -1);

  selected = gtk_drop_down_get_selected (self->language_dropdown);
  return selected == 0 || selected == GTK_INVALID_LIST_POSITION ? -1 : (int) selected - 1;
}

int
md_filter_bar_get_modality (MdFilterBar *self)
{
  guint selected;

  g_return_val_if_fail (MD_IS_FILTER_BAR (self), -1);

  selected = gtk_drop_down_get_selected (self->modality_dropdown);
  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION)
    return -1;
  return modalities[selected - 1];
}

int
md_filter_bar_get_review_status (MdFilterBar *self)
{
  guint selected;

  g_return_val_if_fail (MD_IS_FILTER_BAR (self), -1);

  selected = gtk_drop_down_get_selected (self->status_dropdown);
  return selected == 0 || selected == GTK_INVALID_LIST_POSITION ? -1 : (int) selected - 1;
}

void
md_filter_bar_set_review_status (MdFilterBar *self,
                                 int          status)
{
  g_return_if_fail (MD_IS_FILTER_BAR (self));
  g_return_if_fail (status >= -1 && status < (int) N_STATUSES);

  /* The dropdown's notify says it changed. */
  gtk_drop_down_set_selected (self->status_dropdown, (guint) (status + 1));
}

void
md_filter_bar_set_review_available (MdFilterBar *self,
                                    gboolean     available)
{
  g_return_if_fail (MD_IS_FILTER_BAR (self));

  gtk_widget_set_visible (GTK_WIDGET (self->status_dropdown), available);
}

void
md_filter_bar_set_count (MdFilterBar *self,
                         guint        n_pairs)
{
  g_autofree char *text = NULL;

  g_return_if_fail (MD_IS_FILTER_BAR (self));

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u pair", "%'u pairs", n_pairs),
                          n_pairs);
  gtk_label_set_text (self->count_label, text);
}

void
md_filter_bar_set_error (MdFilterBar *self,
                         const char  *message)
{
  g_return_if_fail (MD_IS_FILTER_BAR (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->error_label), message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
on_dataset_selected (GtkDropDown *dropdown,
                     GParamSpec  *pspec,
                     MdFilterBar *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);
  const char *code = NULL;

  if (self->updating)
    return;

  if (selected != 0 && selected != GTK_INVALID_LIST_POSITION && self->codes != NULL &&
      selected - 1 < g_strv_length (self->codes))
    code = self->codes[selected - 1];

  if (_md_set_str (&self->dataset, code))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
}

static void
on_language_selected (GtkDropDown *dropdown,
                      GParamSpec  *pspec,
                      MdFilterBar *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

static void
on_modality_selected (GtkDropDown *dropdown,
                      GParamSpec  *pspec,
                      MdFilterBar *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODALITY]);
}

static void
on_status_selected (GtkDropDown *dropdown,
                    GParamSpec  *pspec,
                    MdFilterBar *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVIEW_STATUS]);
}

static void
md_filter_bar_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MdFilterBar *self = MD_FILTER_BAR (object);

  switch (prop_id)
    {
    case PROP_REVIEW_STATUS:
      md_filter_bar_set_review_status (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_filter_bar_dispose (GObject *object)
{
  MdFilterBar *self = MD_FILTER_BAR (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), MD_TYPE_FILTER_BAR);
  /* The template's unnamed top child is not a bound child: unparent it by hand. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->codes, g_strfreev);
  g_clear_pointer (&self->dataset, g_free);

  G_OBJECT_CLASS (md_filter_bar_parent_class)->dispose (object);
}

static void
md_filter_bar_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MdFilterBar *self = MD_FILTER_BAR (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      g_value_set_string (value, self->dataset);
      break;
    case PROP_LANGUAGE:
      g_value_set_int (value, md_filter_bar_get_language (self));
      break;
    case PROP_MODALITY:
      g_value_set_int (value, md_filter_bar_get_modality (self));
      break;
    case PROP_REVIEW_STATUS:
      g_value_set_int (value, md_filter_bar_get_review_status (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_filter_bar_class_init (MdFilterBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = md_filter_bar_dispose;
  object_class->get_property = md_filter_bar_get_property;
  object_class->set_property = md_filter_bar_set_property;

  properties[PROP_DATASET] =
    g_param_spec_string ("dataset", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_int ("language", NULL, NULL, -1, MD_N_LANGUAGES - 1, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODALITY] =
    g_param_spec_int ("modality", NULL, NULL, -1, MD_MODALITY_VIDEO, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Not the filter itself: the review desk owns the status and binds this both ways. */
  properties[PROP_REVIEW_STATUS] =
    g_param_spec_int ("review-status", NULL, NULL, -1, N_STATUSES - 1, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mimicdesk/MimicDesk/ui/md-filter-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, MdFilterBar, dataset_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MdFilterBar, language_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MdFilterBar, modality_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MdFilterBar, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MdFilterBar, count_label);
  gtk_widget_class_bind_template_child (widget_class, MdFilterBar, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_dataset_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_language_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_modality_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_status_selected);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mdfilterbar");
}

static void
md_filter_bar_init (MdFilterBar *self)
{
  g_autoptr(GtkStringList) languages = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  /* In MdReviewStatus order after "Any status"; the filter bar stays free of the review store. */
  const char *status_labels[] = { _("Any status"), _("Unreviewed"), _("Approved"), _("Flagged"),
                                  _("Rejected"), _("Fixed"), NULL };
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (status_labels);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->dataset_strings = gtk_string_list_new (NULL);
  gtk_string_list_append (self->dataset_strings, _("All datasets"));
  gtk_drop_down_set_model (self->dataset_dropdown, G_LIST_MODEL (self->dataset_strings));
  g_object_unref (self->dataset_strings);

  gtk_string_list_append (languages, _("All languages"));
  for (guint i = 0; i < MD_N_LANGUAGES; i++)
    {
      g_autofree char *label = g_strdup_printf ("%s · %s", md_language_code (i),
                                                md_language_native_name (i));
      gtk_string_list_append (languages, label);
    }
  gtk_drop_down_set_model (self->language_dropdown, G_LIST_MODEL (languages));

  gtk_string_list_append (kinds, _("All kinds"));
  for (guint i = 0; i < G_N_ELEMENTS (modalities); i++)
    gtk_string_list_append (kinds, md_modality_label (modalities[i]));
  gtk_drop_down_set_model (self->modality_dropdown, G_LIST_MODEL (kinds));

  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (statuses));
}

GtkWidget *
md_filter_bar_new (void)
{
  return g_object_new (MD_TYPE_FILTER_BAR, NULL);
}
