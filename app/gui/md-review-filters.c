/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>

#include "md-review-filters.h"
#include "md-review-store.h"

struct _MdReviewFilters
{
  GtkWidget       parent_instance;

  int             status;       /* MdReviewStatus, -1 for any */
  char           *sample;

  GtkDropDown    *status_filter;
  GtkDropDown    *reason_filter;
  GtkStringList  *reason_names;
  GtkEntry       *reviewer_filter;
  GtkCheckButton *edited_filter;
  GtkCheckButton *sample_filter;
};

G_DEFINE_FINAL_TYPE (MdReviewFilters, md_review_filters, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STATUS,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
on_changed (MdReviewFilters *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

int
md_review_filters_get_status (MdReviewFilters *self)
{
  g_return_val_if_fail (MD_IS_REVIEW_FILTERS (self), -1);
  return self->status;
}

void
md_review_filters_set_status (MdReviewFilters *self,
                              int              status)
{
  g_return_if_fail (MD_IS_REVIEW_FILTERS (self));
  g_return_if_fail (status >= -1 && status < MD_REVIEW_N_STATUSES);

  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  on_changed (self);
}

void
md_review_filters_set_reasons (MdReviewFilters *self,
                               GPtrArray       *tags)
{
  guint n;

  g_return_if_fail (MD_IS_REVIEW_FILTERS (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->reason_names));
  for (guint i = 0; tags != NULL && i < tags->len; i++)
    gtk_string_list_append (self->reason_names, tags->pdata[i]);
  gtk_string_list_splice (self->reason_names, 1, n - 1, NULL);
}

void
md_review_filters_set_sample (MdReviewFilters *self,
                              const char      *name)
{
  g_autofree char *label = NULL;

  g_return_if_fail (MD_IS_REVIEW_FILTERS (self));

  g_free (self->sample);
  self->sample = g_strdup (name);
  label = g_strdup_printf (_("Sample: %s"), name != NULL ? name : "");
  gtk_check_button_set_label (self->sample_filter, label);
  gtk_widget_set_visible (GTK_WIDGET (self->sample_filter), name != NULL);
  gtk_check_button_set_active (self->sample_filter, name != NULL);
}

void
md_review_filters_apply (MdReviewFilters *self,
                         MdQuery         *query)
{
  guint reason;
  const char *reviewer;

  g_return_if_fail (MD_IS_REVIEW_FILTERS (self));
  g_return_if_fail (query != NULL);

  query->review_status = self->status;
  reason = gtk_drop_down_get_selected (self->reason_filter);
  if (reason != GTK_INVALID_LIST_POSITION && reason > 0)
    query->review_reason = g_strdup (gtk_string_list_get_string (self->reason_names, reason));
  reviewer = gtk_editable_get_text (GTK_EDITABLE (self->reviewer_filter));
  if (*reviewer != '\0')
    query->review_reviewer = g_strdup (reviewer);
  query->review_edited = gtk_check_button_get_active (self->edited_filter);
  if (self->sample != NULL && gtk_check_button_get_active (self->sample_filter))
    query->review_sample = g_strdup (self->sample);
}

/* Dropdown positions: "Any status", then the statuses in MdReviewStatus order. */
static gboolean
status_to_position (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  g_value_set_uint (to, (guint) (g_value_get_int (from) + 1));
  return TRUE;
}

static gboolean
position_to_status (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  guint position = g_value_get_uint (from);

  if (position == GTK_INVALID_LIST_POSITION || position > MD_REVIEW_N_STATUSES)
    return FALSE;
  g_value_set_int (to, (int) position - 1);
  return TRUE;
}

static void
md_review_filters_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MdReviewFilters *self = MD_REVIEW_FILTERS (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_review_filters_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MdReviewFilters *self = MD_REVIEW_FILTERS (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      md_review_filters_set_status (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_review_filters_dispose (GObject *object)
{
  MdReviewFilters *self = MD_REVIEW_FILTERS (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), MD_TYPE_REVIEW_FILTERS);
  /* The template's unnamed top child is not a bound child: unparent it by hand. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->sample, g_free);
  G_OBJECT_CLASS (md_review_filters_parent_class)->dispose (object);
}

static void
md_review_filters_class_init (MdReviewFiltersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = md_review_filters_dispose;
  object_class->get_property = md_review_filters_get_property;
  object_class->set_property = md_review_filters_set_property;

  properties[PROP_STATUS] =
    g_param_spec_int ("status", NULL, NULL, -1, MD_REVIEW_N_STATUSES - 1, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mimicdesk/MimicDesk/ui/md-review-filters.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, MdReviewFilters, status_filter);
  gtk_widget_class_bind_template_child (widget_class, MdReviewFilters, reason_filter);
  gtk_widget_class_bind_template_child (widget_class, MdReviewFilters, reason_names);
  gtk_widget_class_bind_template_child (widget_class, MdReviewFilters, reviewer_filter);
  gtk_widget_class_bind_template_child (widget_class, MdReviewFilters, edited_filter);
  gtk_widget_class_bind_template_child (widget_class, MdReviewFilters, sample_filter);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
}

static void
md_review_filters_init (MdReviewFilters *self)
{
  self->status = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  g_object_bind_property_full (self, "status", self->status_filter, "selected",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               status_to_position, position_to_status, NULL, NULL);
}
