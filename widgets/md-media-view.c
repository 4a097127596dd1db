/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-media-view"

#include "config.h"

#include <glib/gi18n.h>

#include "md-media-view.h"

#define ALBUM_TILE_SIZE 200

struct _MdMediaView
{
  GtkWidget      parent_instance;

  GtkStack      *stack;
  MdImagePane   *single_pane;
  MdImagePane   *first_pane;
  MdImagePane   *second_pane;
  GtkFlowBox    *album;
  MdFramePlayer *player;

  MdImageLoader *loader;
  MdModality     modality;
  GPtrArray     *album_panes;   /* MdImagePane, borrowed from the flow box */
};

G_DEFINE_FINAL_TYPE (MdMediaView, md_media_view, GTK_TYPE_WIDGET)

static void
clear_album (MdMediaView *self)
{
  GtkWidget *child;

  g_ptr_array_set_size (self->album_panes, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->album))) != NULL)
    gtk_flow_box_remove (self->album, child);
}

static guint
count_ids (const char * const *ids)
{
  return ids != NULL ? g_strv_length ((char **) ids) : 0;
}

void
md_media_view_set_media (MdMediaView        *self,
                         MdModality          modality,
                         const char * const *image_ids,
                         double              fps)
{
  guint n = count_ids (image_ids);

  g_return_if_fail (MD_IS_MEDIA_VIEW (self));
  g_return_if_fail (n == 0 || self->loader != NULL);

  /* Supersede whatever the previous pair was loading. */
  md_image_pane_set_image (self->single_pane, NULL, NULL);
  md_image_pane_set_image (self->first_pane, NULL, NULL);
  md_image_pane_set_image (self->second_pane, NULL, NULL);
  clear_album (self);
  if (self->modality == MD_MODALITY_VIDEO && modality != MD_MODALITY_VIDEO)
    md_frame_player_set_frames (self->player, NULL, NULL, 1.0);

  self->modality = modality;
  if (n == 0)
    modality = MD_MODALITY_TEXT;

  switch (modality)
    {
    case MD_MODALITY_IMAGE:
      md_image_pane_set_zoom (self->single_pane, 0);
      md_image_pane_set_image (self->single_pane, self->loader, image_ids[0]);
      gtk_stack_set_visible_child_name (self->stack, "single");
      break;

    case MD_MODALITY_IMAGE_PAIR:
      md_image_pane_set_zoom (self->first_pane, 0);
      md_image_pane_set_image (self->first_pane, self->loader, image_ids[0]);
      md_image_pane_set_image (self->second_pane, self->loader, n > 1 ? image_ids[1] : NULL);
      gtk_stack_set_visible_child_name (self->stack, "pair");
      break;

    case MD_MODALITY_MULTI_IMAGE:
      for (guint i = 0; i < n; i++)
        {
          GtkWidget *pane = md_image_pane_new ();
          g_autofree char *name = g_strdup_printf (_("Image %u"), i + 1);

          gtk_widget_set_size_request (pane, ALBUM_TILE_SIZE, ALBUM_TILE_SIZE);
          gtk_widget_add_css_class (pane, "card");
          gtk_accessible_update_property (GTK_ACCESSIBLE (pane), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          name, -1);
          md_image_pane_set_image (MD_IMAGE_PANE (pane), self->loader, image_ids[i]);
          gtk_flow_box_append (self->album, pane);
          g_ptr_array_add (self->album_panes, pane);
        }
      gtk_stack_set_visible_child_name (self->stack, "album");
      break;

    case MD_MODALITY_VIDEO:
      md_frame_player_set_frames (self->player, self->loader, image_ids, fps > 0 ? fps : 1.0);
      gtk_stack_set_visible_child_name (self->stack, "video");
      break;

    case MD_MODALITY_TEXT:
    default:
      gtk_stack_set_visible_child_name (self->stack, "text");
      break;
    }
}

gboolean
md_media_view_set_video_file (MdMediaView  *self,
                              GFile        *file,
                              GError      **error)
{
  g_return_val_if_fail (MD_IS_MEDIA_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  md_media_view_set_media (self, MD_MODALITY_TEXT, NULL, 0);
  self->modality = MD_MODALITY_VIDEO;
  gtk_stack_set_visible_child_name (self->stack, "video");
  return md_frame_player_set_file (self->player, file, error);
}

void
md_media_view_set_loader (MdMediaView   *self,
                          MdImageLoader *loader)
{
  g_return_if_fail (MD_IS_MEDIA_VIEW (self));
  g_return_if_fail (loader == NULL || MD_IS_IMAGE_LOADER (loader));

  g_set_object (&self->loader, loader);
}

MdImageLoader *
md_media_view_get_loader (MdMediaView *self)
{
  g_return_val_if_fail (MD_IS_MEDIA_VIEW (self), NULL);
  return self->loader;
}

MdModality
md_media_view_get_modality (MdMediaView *self)
{
  g_return_val_if_fail (MD_IS_MEDIA_VIEW (self), MD_MODALITY_TEXT);
  return self->modality;
}

MdFramePlayer *
md_media_view_get_frame_player (MdMediaView *self)
{
  g_return_val_if_fail (MD_IS_MEDIA_VIEW (self), NULL);
  return self->player;
}

guint
md_media_view_get_n_panes (MdMediaView *self)
{
  const char *page;

  g_return_val_if_fail (MD_IS_MEDIA_VIEW (self), 0);

  page = gtk_stack_get_visible_child_name (self->stack);
  if (g_strcmp0 (page, "single") == 0)
    return 1;
  if (g_strcmp0 (page, "pair") == 0)
    return 2;
  if (g_strcmp0 (page, "album") == 0)
    return self->album_panes->len;
  return 0;
}

MdImagePane *
md_media_view_get_pane (MdMediaView *self,
                        guint        index)
{
  const char *page;

  g_return_val_if_fail (MD_IS_MEDIA_VIEW (self), NULL);
  g_return_val_if_fail (index < md_media_view_get_n_panes (self), NULL);

  page = gtk_stack_get_visible_child_name (self->stack);
  if (g_strcmp0 (page, "single") == 0)
    return self->single_pane;
  if (g_strcmp0 (page, "pair") == 0)
    return index == 0 ? self->first_pane : self->second_pane;
  return g_ptr_array_index (self->album_panes, index);
}

/* The pane the zoom keys act on: the single image, or the first of a pair (the second
 * follows). Albums and video have no zoom. */
static MdImagePane *
zoom_target (MdMediaView *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (page, "single") == 0)
    return self->single_pane;
  if (g_strcmp0 (page, "pair") == 0)
    return self->first_pane;
  return NULL;
}

static void
action_zoom (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MdImagePane *pane = zoom_target (MD_MEDIA_VIEW (widget));

  if (pane == NULL)
    return;
  if (g_str_equal (action_name, "media.zoom-in"))
    md_image_pane_zoom_in (pane);
  else if (g_str_equal (action_name, "media.zoom-out"))
    md_image_pane_zoom_out (pane);
  else
    md_image_pane_set_zoom (pane, 0);
}

GtkWidget *
md_media_view_new (void)
{
  return g_object_new (MD_TYPE_MEDIA_VIEW, NULL);
}

static void
md_media_view_dispose (GObject *object)
{
  MdMediaView *self = MD_MEDIA_VIEW (object);
  GtkWidget *child;

  if (self->album_panes != NULL)
    g_ptr_array_set_size (self->album_panes, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), MD_TYPE_MEDIA_VIEW);
  /* Unbound top-level template children are not removed by dispose_template() in GTK 4.8. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->loader);

  G_OBJECT_CLASS (md_media_view_parent_class)->dispose (object);
}

static void
md_media_view_finalize (GObject *object)
{
  MdMediaView *self = MD_MEDIA_VIEW (object);

  g_ptr_array_unref (self->album_panes);

  G_OBJECT_CLASS (md_media_view_parent_class)->finalize (object);
}

static void
md_media_view_class_init (MdMediaViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = md_media_view_dispose;
  object_class->finalize = md_media_view_finalize;

  g_type_ensure (MD_TYPE_IMAGE_PANE);
  g_type_ensure (MD_TYPE_FRAME_PLAYER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mimicdesk/MimicDesk/widgets/widgets/md-media-view.ui");
  gtk_widget_class_bind_template_child (widget_class, MdMediaView, stack);
  gtk_widget_class_bind_template_child (widget_class, MdMediaView, single_pane);
  gtk_widget_class_bind_template_child (widget_class, MdMediaView, first_pane);
  gtk_widget_class_bind_template_child (widget_class, MdMediaView, second_pane);
  gtk_widget_class_bind_template_child (widget_class, MdMediaView, album);
  gtk_widget_class_bind_template_child (widget_class, MdMediaView, player);

  gtk_widget_class_install_action (widget_class, "media.zoom-in", NULL, action_zoom);
  gtk_widget_class_install_action (widget_class, "media.zoom-out", NULL, action_zoom);
  gtk_widget_class_install_action (widget_class, "media.zoom-fit", NULL, action_zoom);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "media.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "media.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "media.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "media.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "media.zoom-out",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "media.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, 0, "media.zoom-fit", NULL);

  gtk_widget_class_set_css_name (widget_class, "md-media-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
md_media_view_init (MdMediaView *self)
{
  self->album_panes = g_ptr_array_new ();
  self->modality = MD_MODALITY_TEXT;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  /* Spot the difference: both images zoom and scroll as one. */
  g_object_bind_property (self->first_pane, "zoom", self->second_pane, "zoom",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (md_image_pane_get_hadjustment (self->first_pane), "value",
                          md_image_pane_get_hadjustment (self->second_pane), "value",
                          G_BINDING_BIDIRECTIONAL);
  g_object_bind_property (md_image_pane_get_vadjustment (self->first_pane), "value",
                          md_image_pane_get_vadjustment (self->second_pane), "value",
                          G_BINDING_BIDIRECTIONAL);
}
