/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>

#include "md-clip.h"
#include "md-source-video.h"

struct _MdSourceVideo
{
  GtkWidget        parent_instance;

  GtkLabel        *file_label;
  GtkToggleButton *file_button;
  GtkToggleButton *frames_button;

  GSettings       *settings;
  MdMediaView     *view;          /* weak: a sibling in the pair page */
  GCancellable    *cancellable;   /* the lookup for the current pair */
  MdPair          *pair;
  double           fps;
  char            *path;
  gboolean         prefer_file;   /* the user's choice, kept across pairs */
  gboolean         playing_file;
  gboolean         updating;      /* toggles set from code, not by the user */
};

G_DEFINE_FINAL_TYPE (MdSourceVideo, md_source_video, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_toggles (MdSourceVideo *self,
             gboolean       file)
{
  self->updating = TRUE;
  gtk_toggle_button_set_active (file ? self->file_button : self->frames_button, TRUE);
  self->updating = FALSE;
}

static void
show_frames (MdSourceVideo *self)
{
  if (!self->playing_file)
    return;
  self->playing_file = FALSE;
  if (self->view != NULL && self->pair != NULL)
    md_media_view_set_media (self->view, md_pair_get_modality (self->pair),
                             md_pair_get_image_ids (self->pair), self->fps);
}

static void
show_file (MdSourceVideo *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (self->playing_file || self->path == NULL || self->view == NULL)
    return;
  file = g_file_new_for_path (self->path);
  if (!md_media_view_set_video_file (self->view, file, &error))
    {
      /* Say why next to the name, and fall back to what the shard has. */
      gtk_label_set_text (self->file_label, error->message);
      self->playing_file = TRUE;
      show_frames (self);
      set_toggles (self, FALSE);
      return;
    }
  self->playing_file = TRUE;
}

static void
set_path (MdSourceVideo *self,
          char          *path)
{
  g_autofree char *name = NULL;

  if (g_strcmp0 (self->path, path) == 0)
    {
      g_free (path);
      return;
    }
  g_free (self->path);
  self->path = path;
  if (path != NULL)
    {
      name = g_path_get_basename (path);
      gtk_label_set_text (self->file_label, name);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->file_label), path);
    }
  gtk_widget_set_visible (GTK_WIDGET (self), path != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
}

static void
on_found (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  MdSourceVideo *self = user_data;
  g_autoptr(GError) error = NULL;
  char *path = md_clip_find_source_video_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* another pair since; self may be gone */
  set_path (self, path);
  if (path != NULL && self->prefer_file)
    show_file (self);
  set_toggles (self, self->playing_file);
}

static void
look_up (MdSourceVideo *self)
{
  g_autofree char *folder = NULL;
  g_autofree char *clip = NULL;
  const char * const *ids;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_path (self, NULL);
  /* The frames are what the media view shows for a new pair: the file is not playing. */
  self->playing_file = FALSE;

  if (self->pair == NULL || md_pair_get_modality (self->pair) != MD_MODALITY_VIDEO)
    return;
  ids = md_pair_get_image_ids (self->pair);
  folder = g_settings_get_string (self->settings, "source-videos-folder");
  if (ids == NULL || ids[0] == NULL || *folder == '\0')
    return;
  clip = md_clip_name_for_frame (ids[0]);
  if (clip == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  md_clip_find_source_video_async (folder, md_pair_get_dataset (self->pair), clip,
                                   self->cancellable, on_found, self);
}

static void
on_folder_changed (MdSourceVideo *self)
{
  /* The file playing may not be in the new folder: start again from the frames. */
  show_frames (self);
  look_up (self);
}

static void
on_file_toggled (GtkToggleButton *button,
                 MdSourceVideo   *self)
{
  if (self->updating)
    return;
  self->prefer_file = gtk_toggle_button_get_active (button);
  if (self->prefer_file)
    show_file (self);
  else
    show_frames (self);
}

void
md_source_video_set_media_view (MdSourceVideo *self,
                                MdMediaView   *view)
{
  g_return_if_fail (MD_IS_SOURCE_VIDEO (self));
  g_return_if_fail (view == NULL || MD_IS_MEDIA_VIEW (view));

  g_set_weak_pointer (&self->view, view);
}

void
md_source_video_set_pair (MdSourceVideo *self,
                          MdPair        *pair,
                          double         fps)
{
  g_return_if_fail (MD_IS_SOURCE_VIDEO (self));
  g_return_if_fail (pair == NULL || MD_IS_PAIR (pair));

  g_set_object (&self->pair, pair);
  self->fps = fps;
  look_up (self);
}

const char *
md_source_video_get_path (MdSourceVideo *self)
{
  g_return_val_if_fail (MD_IS_SOURCE_VIDEO (self), NULL);
  return self->path;
}

gboolean
md_source_video_get_playing_file (MdSourceVideo *self)
{
  g_return_val_if_fail (MD_IS_SOURCE_VIDEO (self), FALSE);
  return self->playing_file;
}

static void
md_source_video_dispose (GObject *object)
{
  MdSourceVideo *self = MD_SOURCE_VIDEO (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_weak_pointer (&self->view);
  g_clear_object (&self->pair);
  gtk_widget_dispose_template (GTK_WIDGET (self), MD_TYPE_SOURCE_VIDEO);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (md_source_video_parent_class)->dispose (object);
}

static void
md_source_video_finalize (GObject *object)
{
  MdSourceVideo *self = MD_SOURCE_VIDEO (object);

  g_free (self->path);

  G_OBJECT_CLASS (md_source_video_parent_class)->finalize (object);
}

static void
md_source_video_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MdSourceVideo *self = MD_SOURCE_VIDEO (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_source_video_class_init (MdSourceVideoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = md_source_video_dispose;
  object_class->finalize = md_source_video_finalize;
  object_class->get_property = md_source_video_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mimicdesk/MimicDesk/ui/md-source-video.ui");
  gtk_widget_class_bind_template_child (widget_class, MdSourceVideo, file_label);
  gtk_widget_class_bind_template_child (widget_class, MdSourceVideo, file_button);
  gtk_widget_class_bind_template_child (widget_class, MdSourceVideo, frames_button);
  gtk_widget_class_bind_template_callback (widget_class, on_file_toggled);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mdsourcevideo");
}

static void
md_source_video_init (MdSourceVideo *self)
{
  self->prefer_file = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new (APP_ID);
  g_signal_connect_swapped (self->settings, "changed::source-videos-folder",
                            G_CALLBACK (on_folder_changed), self);
}
