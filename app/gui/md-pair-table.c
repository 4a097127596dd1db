/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>

#include "md-pair-table.h"
#include "md-text-preview.h"

/* How far a new result is searched for the pair that was selected before. The model is lazy, so
 * looking at every row of a 2.8M-row result would page the whole result in; a search that keeps
 * the pair usually keeps it near the top or at the same position. */
#define SELECTION_SCAN_LIMIT 2000

struct _MdPairTable
{
  GtkWidget           parent_instance;

  GtkSingleSelection *selection;
  MdLanguage          language;
  char               *selected_id;
  /* Markup of the languages cell for each of the 256 presence masks, built on first use. */
  char               *languages_markup[1 << MD_N_LANGUAGES];

  GtkStack           *stack;
  GtkColumnView      *column_view;
  GtkColumnViewColumn *instruction_column;
};

G_DEFINE_FINAL_TYPE (MdPairTable, md_pair_table, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SELECTED_PAIR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
md_pair_row_instruction (MdPair     *pair,
                         MdLanguage  language)
{
  const char *text;

  g_return_val_if_fail (MD_IS_PAIR (pair), NULL);

  /* A row holds one line of the instruction in the query's language; a full pair has them all. */
  if (md_pair_is_full (pair) &&
      (text = md_pair_get_text (pair, language, MD_FIELD_INSTRUCTION)) != NULL)
    return md_text_row_summary (text);
  if ((text = md_pair_get_summary (pair)) != NULL)
    return g_strdup (text);
  return g_strdup ("");
}

const char *
md_modality_icon_name (MdModality modality)
{
  switch (modality)
    {
    case MD_MODALITY_IMAGE:
      return "image-x-generic-symbolic";
    case MD_MODALITY_IMAGE_PAIR:
      return "view-dual-symbolic";
    case MD_MODALITY_MULTI_IMAGE:
      return "emblem-photos-symbolic";
    case MD_MODALITY_VIDEO:
      return "camera-video-symbolic";
    case MD_MODALITY_TEXT:
    default:
      return "text-x-generic-symbolic";
    }
}

const char *
md_modality_label (MdModality modality)
{
  switch (modality)
    {
    case MD_MODALITY_IMAGE:
      return _("Image");
    case MD_MODALITY_IMAGE_PAIR:
      return _("Image pair");
    case MD_MODALITY_MULTI_IMAGE:
      return _("Album");
    case MD_MODALITY_VIDEO:
      return _("Video frames");
    case MD_MODALITY_TEXT:
    default:
      return _("Text only");
    }
}

static const char *
languages_markup (MdPairTable *self,
                  guint       mask)
{
  mask &= (1 << MD_N_LANGUAGES) - 1;

  if (self->languages_markup[mask] == NULL)
    {
      GString *markup = g_string_new (NULL);

      for (guint i = 0; i < MD_N_LANGUAGES; i++)
        {
          if (i > 0)
            g_string_append_c (markup, ' ');
          if (mask & (1u << i))
            g_string_append (markup, md_language_code (i));
          else
            g_string_append_printf (markup, "<span alpha=\"30%%\">%s</span>", md_language_code (i));
        }
      self->languages_markup[mask] = g_string_free (markup, FALSE);
    }

  return self->languages_markup[mask];
}

/* Cells. Each setup builds the widget once; bind only sets text from the row object. */

static void
label_setup (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             const char               *css_class,
             float                     xalign)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_list_item_set_child (item, label);
}

static void
id_setup (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          MdPairTable               *self)
{
  label_setup (factory, item, "md-pair-id", 0);
  /* Ids differ at their end (DC_INS_00017): keep the number visible. */
  gtk_label_set_ellipsize (GTK_LABEL (gtk_list_item_get_child (item)), PANGO_ELLIPSIZE_START);
}

static void
id_bind (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         MdPairTable               *self)
{
  MdPair *pair = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), md_pair_get_id (pair));
}

static void
instruction_setup (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   MdPairTable               *self)
{
  label_setup (factory, item, NULL, 0);
}

static void
instruction_bind (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  MdPairTable               *self)
{
  MdPair *pair = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *summary = md_pair_row_instruction (pair, self->language);

  gtk_label_set_text (label, summary);
  /* Arabic runs right to left; the label follows the text's own direction. */
  gtk_widget_set_direction (GTK_WIDGET (label),
                            md_language_is_rtl (self->language) ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_NONE);
}

static void
modality_setup (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                MdPairTable               *self)
{
  GtkWidget *image = gtk_image_new ();

  gtk_widget_add_css_class (image, "dim-label");
  gtk_list_item_set_child (item, image);
}

static void
modality_bind (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               MdPairTable               *self)
{
  MdPair *pair = gtk_list_item_get_item (item);
  GtkWidget *image = gtk_list_item_get_child (item);
  MdModality modality = md_pair_get_modality (pair);

  gtk_image_set_from_icon_name (GTK_IMAGE (image), md_modality_icon_name (modality));
  gtk_widget_set_tooltip_text (image, md_modality_label (modality));
  gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, md_modality_label (modality),
                                  -1);
}

static void
images_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              MdPairTable               *self)
{
  label_setup (factory, item, "numeric", 1);
  gtk_widget_add_css_class (gtk_list_item_get_child (item), "dim-label");
}

static void
images_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             MdPairTable               *self)
{
  MdPair *pair = gtk_list_item_get_item (item);
  guint n = md_pair_get_n_images (pair);
  char text[16];

  if (n == 0)
    text[0] = '\0';
  else
    g_snprintf (text, sizeof text, "%u", n);
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
languages_setup (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 MdPairTable               *self)
{
  label_setup (factory, item, "md-languages", 0);
  gtk_label_set_ellipsize (GTK_LABEL (gtk_list_item_get_child (item)), PANGO_ELLIPSIZE_NONE);
}

static void
languages_bind (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                MdPairTable               *self)
{
  MdPair *pair = gtk_list_item_get_item (item);

  gtk_label_set_markup (GTK_LABEL (gtk_list_item_get_child (item)),
                        languages_markup (self, md_pair_get_languages (pair)));
}

/* Selection */

static GtkWidget *
find_list_view (MdPairTable *self)
{
  /* GTK 4.8 has no gtk_column_view_scroll_to(); the inner list view owns the "list.*" actions. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

static void
scroll_to (MdPairTable *self,
           guint       position)
{
  GtkWidget *list_view = find_list_view (self);

  if (list_view != NULL && position != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (list_view, "list.scroll-to-item", "u", position);
}

static void
update_selected_id (MdPairTable *self)
{
  MdPair *pair = md_pair_table_get_selected_pair (self);
  const char *id = pair != NULL ? md_pair_get_id (pair) : NULL;

  if (g_strcmp0 (id, self->selected_id) != 0)
    {
      g_free (self->selected_id);
      self->selected_id = g_strdup (id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_PAIR]);
    }
}

static void
on_selected_changed (GtkSingleSelection *selection,
                     GParamSpec         *pspec,
                     MdPairTable         *self)
{
  update_selected_id (self);
}

static void
update_empty (MdPairTable *self)
{
  gboolean empty = self->selection == NULL ||
                   g_list_model_get_n_items (G_LIST_MODEL (self->selection)) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  MdPairTable *self)
{
  update_empty (self);
}

static guint
find_id (GListModel *model,
         const char *id,
         guint       hint)
{
  guint n_items = g_list_model_get_n_items (model);
  guint limit = MIN (n_items, SELECTION_SCAN_LIMIT);

  if (id == NULL)
    return GTK_INVALID_LIST_POSITION;

  if (hint < n_items)
    {
      g_autoptr(MdPair) pair = g_list_model_get_item (model, hint);

      if (pair != NULL && g_strcmp0 (md_pair_get_id (pair), id) == 0)
        return hint;
    }

  for (guint i = 0; i < limit; i++)
    {
      g_autoptr(MdPair) pair = g_list_model_get_item (model, i);

      if (pair != NULL && g_strcmp0 (md_pair_get_id (pair), id) == 0)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

void
md_pair_table_set_model (MdPairTable *self,
                        GListModel *pairs)
{
  g_autoptr(GtkSingleSelection) selection = NULL;
  guint old_position = GTK_INVALID_LIST_POSITION;
  guint position;

  g_return_if_fail (MD_IS_PAIR_TABLE (self));
  g_return_if_fail (pairs == NULL || G_IS_LIST_MODEL (pairs));

  if (self->selection != NULL)
    {
      old_position = gtk_single_selection_get_selected (self->selection);
      g_signal_handlers_disconnect_by_data (self->selection, self);
      g_signal_handlers_disconnect_by_data (gtk_single_selection_get_model (self->selection), self);
    }

  if (pairs == NULL)
    {
      gtk_column_view_set_model (self->column_view, NULL);
      g_clear_object (&self->selection);
      update_empty (self);
      update_selected_id (self);
      return;
    }

  /* Pick the row before the view sees the model, so that it never flashes row 0. */
  selection = gtk_single_selection_new (g_object_ref (pairs));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, FALSE);
  position = find_id (pairs, self->selected_id, old_position);
  if (position == GTK_INVALID_LIST_POSITION && g_list_model_get_n_items (pairs) > 0)
    position = 0;
  gtk_single_selection_set_selected (selection, position);
  gtk_single_selection_set_autoselect (selection, TRUE);

  g_set_object (&self->selection, selection);
  g_signal_connect (selection, "notify::selected", G_CALLBACK (on_selected_changed), self);
  g_signal_connect (pairs, "items-changed", G_CALLBACK (on_items_changed), self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));

  update_empty (self);
  update_selected_id (self);
  scroll_to (self, position);
}

GListModel *
md_pair_table_get_model (MdPairTable *self)
{
  g_return_val_if_fail (MD_IS_PAIR_TABLE (self), NULL);

  return self->selection != NULL ? gtk_single_selection_get_model (self->selection) : NULL;
}

MdPair *
md_pair_table_get_selected_pair (MdPairTable *self)
{
  g_return_val_if_fail (MD_IS_PAIR_TABLE (self), NULL);

  if (self->selection == NULL)
    return NULL;
  return gtk_single_selection_get_selected_item (self->selection);
}

guint
md_pair_table_get_selected (MdPairTable *self)
{
  g_return_val_if_fail (MD_IS_PAIR_TABLE (self), GTK_INVALID_LIST_POSITION);

  if (self->selection == NULL)
    return GTK_INVALID_LIST_POSITION;
  return gtk_single_selection_get_selected (self->selection);
}

gboolean
md_pair_table_move (MdPairTable *self,
                   int         delta)
{
  guint n_items;
  guint position;
  gint64 target;

  g_return_val_if_fail (MD_IS_PAIR_TABLE (self), FALSE);

  if (self->selection == NULL)
    return FALSE;

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  position = gtk_single_selection_get_selected (self->selection);
  if (n_items == 0)
    return FALSE;

  if (position == GTK_INVALID_LIST_POSITION)
    target = 0;
  else
    target = CLAMP ((gint64) position + delta, 0, (gint64) n_items - 1);

  if (target == position)
    return FALSE;

  gtk_single_selection_set_selected (self->selection, (guint) target);
  scroll_to (self, (guint) target);
  return TRUE;
}

gboolean
md_pair_table_select_id (MdPairTable *self,
                        const char *pair_id)
{
  guint position;

  g_return_val_if_fail (MD_IS_PAIR_TABLE (self), FALSE);

  if (self->selection == NULL)
    return FALSE;

  position = find_id (G_LIST_MODEL (self->selection), pair_id,
                      gtk_single_selection_get_selected (self->selection));
  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;

  gtk_single_selection_set_selected (self->selection, position);
  scroll_to (self, position);
  return TRUE;
}

static void
update_instruction_title (MdPairTable *self)
{
  /* The title says which language the rows read in: the search language, or English. */
  g_autofree char *title = g_strdup_printf (_("Instruction (%s)"),
                                            md_language_code (self->language));

  gtk_column_view_column_set_title (self->instruction_column, title);
}

void
md_pair_table_set_language (MdPairTable *self,
                           MdLanguage  language)
{
  GtkSelectionModel *model;

  g_return_if_fail (MD_IS_PAIR_TABLE (self));

  if (self->language == language)
    return;

  self->language = language;
  update_instruction_title (self);

  /* Rebind the visible rows: swapping the model out and back keeps the selection and costs only
   * the rows on screen. */
  if ((model = gtk_column_view_get_model (self->column_view)) != NULL)
    {
      g_object_ref (model);
      gtk_column_view_set_model (self->column_view, NULL);
      gtk_column_view_set_model (self->column_view, model);
      scroll_to (self, gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (model)));
      g_object_unref (model);
    }
}

void
md_pair_table_focus (MdPairTable *self)
{
  g_return_if_fail (MD_IS_PAIR_TABLE (self));

  if (self->selection != NULL)
    scroll_to (self, gtk_single_selection_get_selected (self->selection));
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

gboolean
md_pair_table_has_focus (MdPairTable *self)
{
  GtkRoot *root;
  GtkWidget *focus;

  g_return_val_if_fail (MD_IS_PAIR_TABLE (self), FALSE);

  if ((root = gtk_widget_get_root (GTK_WIDGET (self))) == NULL)
    return FALSE;
  focus = gtk_root_get_focus (root);
  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->column_view));
}

static void
md_pair_table_dispose (GObject *object)
{
  MdPairTable *self = MD_PAIR_TABLE (object);
  GtkWidget *child;

  if (self->selection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->selection, self);
      g_signal_handlers_disconnect_by_data (gtk_single_selection_get_model (self->selection), self);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), MD_TYPE_PAIR_TABLE);
  /* The template's unnamed top child is not a bound child: unparent it by hand. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->selected_id, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->languages_markup); i++)
    g_clear_pointer (&self->languages_markup[i], g_free);

  G_OBJECT_CLASS (md_pair_table_parent_class)->dispose (object);
}

static void
md_pair_table_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MdPairTable *self = MD_PAIR_TABLE (object);

  switch (prop_id)
    {
    case PROP_SELECTED_PAIR:
      g_value_set_object (value, md_pair_table_get_selected_pair (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_pair_table_class_init (MdPairTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = md_pair_table_dispose;
  object_class->get_property = md_pair_table_get_property;

  properties[PROP_SELECTED_PAIR] =
    g_param_spec_object ("selected-pair", NULL, NULL, MD_TYPE_PAIR,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mimicdesk/MimicDesk/ui/md-pair-table.ui");
  gtk_widget_class_bind_template_child (widget_class, MdPairTable, stack);
  gtk_widget_class_bind_template_child (widget_class, MdPairTable, column_view);
  gtk_widget_class_bind_template_child (widget_class, MdPairTable, instruction_column);
  gtk_widget_class_bind_template_callback (widget_class, id_setup);
  gtk_widget_class_bind_template_callback (widget_class, id_bind);
  gtk_widget_class_bind_template_callback (widget_class, instruction_setup);
  gtk_widget_class_bind_template_callback (widget_class, instruction_bind);
  gtk_widget_class_bind_template_callback (widget_class, modality_setup);
  gtk_widget_class_bind_template_callback (widget_class, modality_bind);
  gtk_widget_class_bind_template_callback (widget_class, images_setup);
  gtk_widget_class_bind_template_callback (widget_class, images_bind);
  gtk_widget_class_bind_template_callback (widget_class, languages_setup);
  gtk_widget_class_bind_template_callback (widget_class, languages_bind);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mdpairtable");
}

static void
md_pair_table_init (MdPairTable *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_instruction_title (self);
  update_empty (self);
}

GtkWidget *
md_pair_table_new (void)
{
  return g_object_new (MD_TYPE_PAIR_TABLE, NULL);
}
