/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>

#include "md-app-private.h"
#include "md-sidebar.h"

struct _MdSidebar
{
  GtkWidget       parent_instance;

  char           *dataset;
  MdQueryFlags    flags;
  guint           updating : 1;

  GtkLabel       *title_label;
  GtkListBox     *datasets_list;
  GtkListBoxRow  *all_row;
  GtkLabel       *all_count_label;
  GtkCheckButton *missing_images_check;
  GtkCheckButton *missing_translations_check;
  GtkCheckButton *dangling_context_check;
  GtkWidget      *review_heading;
  MdReviewFilters *review_filters;
};

G_DEFINE_FINAL_TYPE (MdSidebar, md_sidebar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DATASET,
  PROP_FLAGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_count (guint count)
{
  /* %'u groups digits the way the user's locale does (62,536 or 62 536). */
  return g_strdup_printf ("%'u", count);
}

static GtkWidget *
dataset_row_new (const MdDatasetInfo *info)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (info->code);
  g_autofree char *count_text = format_count (info->n_pairs);
  GtkWidget *count = gtk_label_new (count_text);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_box_append (GTK_BOX (box), name);

  if (info->n_problems > 0)
    {
      g_autofree char *problems_text = format_count (info->n_problems);
      g_autofree char *tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u problem found on import",
                                                               "%u problems found on import",
                                                               info->n_problems),
                                                  info->n_problems);
      GtkWidget *problems = gtk_label_new (problems_text);

      gtk_widget_add_css_class (problems, "md-problem-badge");
      gtk_widget_set_valign (problems, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (problems, tooltip);
      gtk_box_append (GTK_BOX (box), problems);
    }

  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  gtk_box_append (GTK_BOX (box), count);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "md-dataset", g_strdup (info->code), g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, info->code,
                                  -1);
  return row;
}

static void
select_row_for_dataset (MdSidebar *self)
{
  GtkListBoxRow *target = self->all_row;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->datasets_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *code = g_object_get_data (G_OBJECT (child), "md-dataset");

      if (code != NULL && g_strcmp0 (code, self->dataset) == 0)
        target = GTK_LIST_BOX_ROW (child);
    }

  self->updating = TRUE;
  gtk_list_box_select_row (self->datasets_list, target);
  self->updating = FALSE;
}

void
md_sidebar_set_datasets (MdSidebar *self,
                         GPtrArray *infos)
{
  GtkWidget *child;
  guint total = 0;
  g_autofree char *total_text = NULL;

  g_return_if_fail (MD_IS_SIDEBAR (self));

  /* Remove every row but "All datasets", which the template holds. */
  child = gtk_widget_get_first_child (GTK_WIDGET (self->datasets_list));
  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (child != GTK_WIDGET (self->all_row))
        gtk_list_box_remove (self->datasets_list, child);
      child = next;
    }

  for (guint i = 0; infos != NULL && i < infos->len; i++)
    {
      const MdDatasetInfo *info = g_ptr_array_index (infos, i);

      total += info->n_pairs;
      gtk_list_box_append (self->datasets_list, dataset_row_new (info));
    }

  total_text = format_count (total);
  gtk_label_set_text (self->all_count_label, total_text);
  select_row_for_dataset (self);
}

void
md_sidebar_set_title (MdSidebar  *self,
                      const char *title)
{
  g_return_if_fail (MD_IS_SIDEBAR (self));

  gtk_label_set_text (self->title_label, title);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), title);
}

const char *
md_sidebar_get_dataset (MdSidebar *self)
{
  g_return_val_if_fail (MD_IS_SIDEBAR (self), NULL);

  return self->dataset;
}

void
md_sidebar_set_dataset (MdSidebar  *self,
                        const char *dataset)
{
  g_return_if_fail (MD_IS_SIDEBAR (self));

  if (dataset != NULL && dataset[0] == '\0')
    dataset = NULL;

  if (_md_set_str (&self->dataset, dataset))
    {
      select_row_for_dataset (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
    }
}

MdQueryFlags
md_sidebar_get_flags (MdSidebar *self)
{
  g_return_val_if_fail (MD_IS_SIDEBAR (self), 0);

  return self->flags;
}

void
md_sidebar_set_flags (MdSidebar    *self,
                      MdQueryFlags  flags)
{
  g_return_if_fail (MD_IS_SIDEBAR (self));

  if (self->flags == flags)
    return;

  self->flags = flags;
  self->updating = TRUE;
  gtk_check_button_set_active (self->missing_images_check, (flags & MD_QUERY_MISSING_IMAGES) != 0);
  gtk_check_button_set_active (self->missing_translations_check,
                               (flags & MD_QUERY_MISSING_TRANSLATIONS) != 0);
  gtk_check_button_set_active (self->dangling_context_check,
                               (flags & MD_QUERY_DANGLING_CONTEXT) != 0);
  self->updating = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLAGS]);
}

MdReviewFilters *
md_sidebar_get_review_filters (MdSidebar *self)
{
  g_return_val_if_fail (MD_IS_SIDEBAR (self), NULL);
  return self->review_filters;
}

void
md_sidebar_set_review_available (MdSidebar *self,
                                 gboolean   available)
{
  g_return_if_fail (MD_IS_SIDEBAR (self));
  gtk_widget_set_visible (self->review_heading, available);
}

static void
on_row_selected (GtkListBox    *list,
                 GtkListBoxRow *row,
                 MdSidebar     *self)
{
  if (self->updating || row == NULL)
    return;

  if (_md_set_str (&self->dataset, g_object_get_data (G_OBJECT (row), "md-dataset")))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATASET]);
}

static void
on_filter_toggled (GtkCheckButton *check,
                   MdSidebar      *self)
{
  MdQueryFlags flags = 0;

  if (self->updating)
    return;

  if (gtk_check_button_get_active (self->missing_images_check))
    flags |= MD_QUERY_MISSING_IMAGES;
  if (gtk_check_button_get_active (self->missing_translations_check))
    flags |= MD_QUERY_MISSING_TRANSLATIONS;
  if (gtk_check_button_get_active (self->dangling_context_check))
    flags |= MD_QUERY_DANGLING_CONTEXT;

  if (flags != self->flags)
    {
      self->flags = flags;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLAGS]);
    }
}

static void
on_filter_row_activated (GtkListBox    *list,
                         GtkListBoxRow *row,
                         MdSidebar     *self)
{
  GtkWidget *check = gtk_list_box_row_get_child (row);

  /* The whole row is the target, not only the check box. */
  if (GTK_IS_CHECK_BUTTON (check))
    gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                 !gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
}

static void
md_sidebar_dispose (GObject *object)
{
  MdSidebar *self = MD_SIDEBAR (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), MD_TYPE_SIDEBAR);
  /* The template's unnamed top child is not a bound child: unparent it by hand. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->dataset, g_free);

  G_OBJECT_CLASS (md_sidebar_parent_class)->dispose (object);
}

static void
md_sidebar_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  MdSidebar *self = MD_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      g_value_set_string (value, self->dataset);
      break;
    case PROP_FLAGS:
      g_value_set_uint (value, self->flags);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_sidebar_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  MdSidebar *self = MD_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_DATASET:
      md_sidebar_set_dataset (self, g_value_get_string (value));
      break;
    case PROP_FLAGS:
      md_sidebar_set_flags (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_sidebar_class_init (MdSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (MD_TYPE_REVIEW_FILTERS);

  object_class->dispose = md_sidebar_dispose;
  object_class->get_property = md_sidebar_get_property;
  object_class->set_property = md_sidebar_set_property;

  properties[PROP_DATASET] =
    g_param_spec_string ("dataset", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FLAGS] =
    g_param_spec_uint ("flags", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mimicdesk/MimicDesk/ui/md-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, MdSidebar, title_label);
  gtk_widget_class_bind_template_child (widget_class, MdSidebar, datasets_list);
  gtk_widget_class_bind_template_child (widget_class, MdSidebar, all_row);
  gtk_widget_class_bind_template_child (widget_class, MdSidebar, all_count_label);
  gtk_widget_class_bind_template_child (widget_class, MdSidebar, missing_images_check);
  gtk_widget_class_bind_template_child (widget_class, MdSidebar, missing_translations_check);
  gtk_widget_class_bind_template_child (widget_class, MdSidebar, dangling_context_check);
  gtk_widget_class_bind_template_child (widget_class, MdSidebar, review_heading);
  gtk_widget_class_bind_template_child (widget_class, MdSidebar, review_filters);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_row_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mdsidebar");
}

static void
md_sidebar_init (MdSidebar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_select_row (self->datasets_list, self->all_row);
}

GtkWidget *
md_sidebar_new (void)
{
  return g_object_new (MD_TYPE_SIDEBAR, NULL);
}
