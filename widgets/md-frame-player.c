/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-frame-player"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "md-frame-pipeline.h"
#include "md-frame-player.h"

static const double rates[] = { 0.5, 1.0, 1.5, 2.0, 4.0 };

struct _MdFramePlayer
{
  GtkWidget         parent_instance;

  GtkPicture       *picture;
  GtkSpinner       *spinner;
  GtkLabel         *problems_label;
  GtkWidget        *controls;
  GtkToggleButton  *play_button;
  GtkLabel         *counter_label;
  GtkLabel         *frame_id_label;
  GtkDropDown      *speed_dropdown;
  GtkWidget        *filmstrip_scroller;
  GtkListView      *filmstrip;

  MdFramePipeline  *pipeline;
  MdImageLoader    *loader;
  GCancellable     *cancellable;
  GtkStringList    *frame_ids;    /* frames in the clip */
  GtkSingleSelection *selection;
  GPtrArray        *textures;     /* GdkTexture or NULL per frame, decoded so far */
  GStrv             problems;
  char             *file_name;    /* video file mode */
  guint             n_frames;
  guint             frame_index;
  double            rate;
  gboolean          playing;
  gboolean          ready;
};

G_DEFINE_FINAL_TYPE (MdFramePlayer, md_frame_player, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FRAME_INDEX,
  PROP_PLAYING,
  PROP_RATE,
  PROP_N_FRAMES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
clear_texture (gpointer texture)
{
  if (texture != NULL)
    g_object_unref (texture);
}

static void
update_labels (MdFramePlayer *self)
{
  g_autofree char *counter = NULL;

  if (self->n_frames > 0)
    counter = g_strdup_printf (_("%u / %u"), self->frame_index + 1, self->n_frames);
  else if (self->file_name != NULL)
    counter = g_strdup_printf ("%u", self->frame_index + 1);
  else
    counter = g_strdup ("–");
  gtk_label_set_text (self->counter_label, counter);

  if (self->file_name != NULL)
    gtk_label_set_text (self->frame_id_label, self->file_name);
  else
    gtk_label_set_text (self->frame_id_label, md_frame_player_get_frame_id (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.previous-frame",
                                 self->ready && self->frame_index > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "player.next-frame",
                                 self->ready && (self->n_frames == 0 ||
                                                 self->frame_index + 1 < self->n_frames));
  gtk_widget_set_sensitive (GTK_WIDGET (self->play_button), self->ready);
}

static void
set_index_internal (MdFramePlayer *self,
                    guint          index)
{
  if (self->frame_index == index)
    return;
  self->frame_index = index;
  if (self->selection != NULL && index < self->n_frames)
    gtk_single_selection_set_selected (self->selection, index);
  update_labels (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAME_INDEX]);
}

static void
set_playing_internal (MdFramePlayer *self,
                      gboolean       playing)
{
  if (self->playing == playing)
    return;
  self->playing = playing;
  gtk_toggle_button_set_active (self->play_button, playing);
  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            playing ? "media-playback-pause-symbolic"
                                    : "media-playback-start-symbolic");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

static GdkTexture *
cached_texture (MdFramePlayer *self,
                guint          index)
{
  if (self->textures == NULL || index >= self->textures->len)
    return NULL;
  return g_ptr_array_index (self->textures, index);
}

static void
on_pipeline_frame (MdFramePlayer *self,
                   guint          index,
                   GdkTexture    *texture)
{
  if (self->file_name == NULL)
    {
      if (index >= self->n_frames)
        return;
      clear_texture (self->textures->pdata[index]);
      self->textures->pdata[index] = g_object_ref (texture);
    }

  gtk_spinner_stop (self->spinner);
  if (self->playing)
    {
      gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
      set_index_internal (self, index);
    }
  else if (index == self->frame_index || self->file_name != NULL)
    gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
}

static void
on_pipeline_eos (MdFramePlayer *self)
{
  set_playing_internal (self, FALSE);
}

static void
on_pipeline_error (MdFramePlayer *self,
                   const char    *message)
{
  gtk_spinner_stop (self->spinner);
  gtk_label_set_text (self->problems_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), TRUE);
  set_playing_internal (self, FALSE);
}

static void
on_pipeline_n_frames (MdFramePlayer *self,
                      guint          n_frames)
{
  self->n_frames = n_frames;
  update_labels (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FRAMES]);
}

/* Shows frame index: from the cache at once, or decoded by the pipeline. */
static void
show_frame (MdFramePlayer *self,
            guint          index)
{
  GdkTexture *texture = cached_texture (self, index);

  set_index_internal (self, index);
  if (texture != NULL)
    gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  else
    md_frame_pipeline_show (self->pipeline, index);
}

/* Loading the frames */

typedef struct
{
  MdImageLoader *loader;
  GStrv          ids;
  GPtrArray     *clip_ids;
  GPtrArray     *bytes;
  GPtrArray     *problems;
  const char    *mime_type;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->loader);
  g_strfreev (data->ids);
  g_clear_pointer (&data->clip_ids, g_ptr_array_unref);
  g_clear_pointer (&data->bytes, g_ptr_array_unref);
  g_clear_pointer (&data->problems, g_ptr_array_unref);
  g_free (data);
}

static void
load_frames_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  LoadData *data = task_data;

  for (guint i = 0; data->ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      const char *mime_type = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;

      bytes = md_image_loader_load_bytes (data->loader, data->ids[i], NULL, &error);
      if (bytes != NULL &&
          md_image_check_header (bytes, data->ids[i], &mime_type, NULL, NULL, &error))
        {
          if (data->mime_type == NULL)
            data->mime_type = mime_type;
          if (g_str_equal (mime_type, data->mime_type))
            {
              g_ptr_array_add (data->clip_ids, g_strdup (data->ids[i]));
              g_ptr_array_add (data->bytes, g_steal_pointer (&bytes));
              continue;
            }
          g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Image %s: %s in a clip of %s frames"), data->ids[i], mime_type,
                       data->mime_type);
        }
      g_ptr_array_add (data->problems, g_strdup (error->message));
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_frames_loaded (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  MdFramePlayer *self = MD_FRAME_PLAYER (object);
  LoadData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) problems = g_strv_builder_new ();

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    return;   /* cancelled: a newer clip replaced this one */

  gtk_spinner_stop (self->spinner);
  for (guint i = 0; i < data->problems->len; i++)
    g_strv_builder_add (problems, g_ptr_array_index (data->problems, i));
  g_strfreev (self->problems);
  self->problems = g_strv_builder_end (problems);

  if (data->bytes->len > 0 &&
      !md_frame_pipeline_set_frames (self->pipeline, data->bytes, data->mime_type,
                                     GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "fps")) / 1000.0,
                                     &error))
    g_ptr_array_add (data->problems, g_strdup (error->message));

  if (data->problems->len > 0)
    {
      g_autofree char *joined = NULL;
      g_autofree char *text = NULL;

      g_ptr_array_add (data->problems, NULL);
      joined = g_strjoinv ("\n", (char **) data->problems->pdata);
      g_ptr_array_remove_index (data->problems, data->problems->len - 1);
      text = g_strdup_printf (ngettext ("%u frame left out of the clip:\n%s",
                                        "%u frames left out of the clip:\n%s",
                                        data->problems->len),
                              data->problems->len, joined);
      gtk_label_set_text (self->problems_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->problems_label), TRUE);
    }

  if (data->bytes->len == 0)
    return;

  g_ptr_array_add (data->clip_ids, NULL);
  gtk_string_list_splice (self->frame_ids, 0, 0, (const char * const *) data->clip_ids->pdata);
  g_ptr_array_set_size (self->textures, data->bytes->len);
  self->n_frames = data->bytes->len;
  self->ready = TRUE;
  self->frame_index = G_MAXUINT;
  show_frame (self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FRAMES]);
}

static void
reset (MdFramePlayer *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_playing_internal (self, FALSE);
  if (self->pipeline != NULL)
    {
      md_frame_pipeline_shutdown (self->pipeline);
      g_signal_handlers_disconnect_by_data (self->pipeline, self);
      g_clear_object (&self->pipeline);
    }
  self->pipeline = md_frame_pipeline_new ();
  g_signal_connect_swapped (self->pipeline, "frame", G_CALLBACK (on_pipeline_frame), self);
  g_signal_connect_swapped (self->pipeline, "eos", G_CALLBACK (on_pipeline_eos), self);
  g_signal_connect_swapped (self->pipeline, "error", G_CALLBACK (on_pipeline_error), self);
  g_signal_connect_swapped (self->pipeline, "n-frames", G_CALLBACK (on_pipeline_n_frames), self);

  gtk_string_list_splice (self->frame_ids, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->frame_ids)), NULL);
  g_ptr_array_set_size (self->textures, 0);
  g_clear_pointer (&self->problems, g_strfreev);
  g_clear_pointer (&self->file_name, g_free);
  gtk_picture_set_paintable (self->picture, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), FALSE);
  self->ready = FALSE;
  self->frame_index = 0;
  if (self->n_frames != 0)
    {
      self->n_frames = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FRAMES]);
    }
  update_labels (self);
}

void
md_frame_player_set_frames (MdFramePlayer      *self,
                            MdImageLoader      *loader,
                            const char * const *frame_ids,
                            double              fps)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (MD_IS_FRAME_PLAYER (self));
  g_return_if_fail (frame_ids == NULL || MD_IS_IMAGE_LOADER (loader));
  g_return_if_fail (fps > 0);

  reset (self);
  g_set_object (&self->loader, loader);
  gtk_widget_set_visible (self->filmstrip_scroller, TRUE);
  if (frame_ids == NULL || frame_ids[0] == NULL)
    return;

  data = g_new0 (LoadData, 1);
  data->loader = g_object_ref (loader);
  data->ids = g_strdupv ((char **) frame_ids);
  data->clip_ids = g_ptr_array_new_with_free_func (g_free);
  data->bytes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  data->problems = g_ptr_array_new_with_free_func (g_free);

  self->cancellable = g_cancellable_new ();
  gtk_spinner_start (self->spinner);
  task = g_task_new (self, self->cancellable, on_frames_loaded, NULL);
  g_task_set_source_tag (task, md_frame_player_set_frames);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  /* fps in thousandths, carried with the task so a superseded load cannot mix them up. */
  g_object_set_data (G_OBJECT (task), "fps", GUINT_TO_POINTER ((guint) llround (fps * 1000)));
  g_task_run_in_thread (task, load_frames_thread);
}

gboolean
md_frame_player_set_file (MdFramePlayer  *self,
                          GFile          *file,
                          GError        **error)
{
  g_autofree char *uri = NULL;

  g_return_val_if_fail (MD_IS_FRAME_PLAYER (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  reset (self);
  gtk_widget_set_visible (self->filmstrip_scroller, FALSE);
  uri = g_file_get_uri (file);
  if (!md_frame_pipeline_set_uri (self->pipeline, uri, error))
    return FALSE;
  self->file_name = g_file_get_basename (file);
  self->ready = TRUE;
  update_labels (self);
  md_frame_pipeline_show (self->pipeline, 0);
  return TRUE;
}

/* Filmstrip */

static void
on_thumbnail_loaded (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GtkPicture) picture = user_data;
  g_autoptr(GdkTexture) texture = NULL;

  texture = md_image_loader_load_finish (MD_IMAGE_LOADER (object), result, NULL);
  if (texture != NULL)
    gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
}

static void
setup_thumbnail (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 MdFramePlayer            *self)
{
  GtkWidget *picture = gtk_picture_new ();

  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_widget_set_size_request (picture, 72, 54);
  gtk_widget_add_css_class (picture, "md-thumbnail");
  gtk_list_item_set_child (item, picture);
}

static void
bind_thumbnail (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                MdFramePlayer            *self)
{
  GtkWidget *picture = gtk_list_item_get_child (item);
  GtkStringObject *string = gtk_list_item_get_item (item);
  const char *id = gtk_string_object_get_string (string);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *name = g_strdup_printf (_("Frame %u"), gtk_list_item_get_position (item) + 1);

  gtk_widget_set_tooltip_text (picture, id);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  gtk_picture_set_paintable (GTK_PICTURE (picture), NULL);
  if (self->loader == NULL)
    return;
  g_object_set_data_full (G_OBJECT (item), "md-cancellable", g_object_ref (cancellable),
                          g_object_unref);
  md_image_loader_load_async (self->loader, id, cancellable, on_thumbnail_loaded,
                              g_object_ref (picture));
}

static void
unbind_thumbnail (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  MdFramePlayer            *self)
{
  GCancellable *cancellable = g_object_get_data (G_OBJECT (item), "md-cancellable");

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  g_object_set_data (G_OBJECT (item), "md-cancellable", NULL);
}

static void
on_filmstrip_activate (GtkListView   *list,
                       guint          position,
                       MdFramePlayer *self)
{
  md_frame_player_set_playing (self, FALSE);
  md_frame_player_set_frame_index (self, position);
}

/* Public API */

guint
md_frame_player_get_n_frames (MdFramePlayer *self)
{
  g_return_val_if_fail (MD_IS_FRAME_PLAYER (self), 0);
  return self->n_frames;
}

guint
md_frame_player_get_frame_index (MdFramePlayer *self)
{
  g_return_val_if_fail (MD_IS_FRAME_PLAYER (self), 0);
  return self->frame_index;
}

void
md_frame_player_set_frame_index (MdFramePlayer *self,
                                 guint          index)
{
  g_return_if_fail (MD_IS_FRAME_PLAYER (self));

  if (!self->ready)
    return;
  if (self->n_frames > 0)
    index = MIN (index, self->n_frames - 1);
  if (self->playing)
    {
      set_index_internal (self, index);
      md_frame_pipeline_play (self->pipeline, index, self->rate);
    }
  else if (self->file_name != NULL)
    {
      set_index_internal (self, index);
      md_frame_pipeline_show (self->pipeline, index);
    }
  else if (index != self->frame_index)
    show_frame (self, index);
}

const char *
md_frame_player_get_frame_id (MdFramePlayer *self)
{
  g_return_val_if_fail (MD_IS_FRAME_PLAYER (self), NULL);

  if (self->file_name != NULL || self->frame_index >= self->n_frames)
    return NULL;
  return gtk_string_list_get_string (self->frame_ids, self->frame_index);
}

gboolean
md_frame_player_get_playing (MdFramePlayer *self)
{
  g_return_val_if_fail (MD_IS_FRAME_PLAYER (self), FALSE);
  return self->playing;
}

void
md_frame_player_set_playing (MdFramePlayer *self,
                             gboolean       playing)
{
  g_return_if_fail (MD_IS_FRAME_PLAYER (self));

  playing = !!playing;
  if (!self->ready || playing == self->playing)
    {
      /* Keep the toggle button honest when it was clicked while not ready. */
      gtk_toggle_button_set_active (self->play_button, self->playing);
      return;
    }

  set_playing_internal (self, playing);
  if (playing)
    {
      /* At the end, play again from the start. */
      guint from = (self->n_frames > 0 && self->frame_index + 1 >= self->n_frames)
                   ? 0 : self->frame_index;
      md_frame_pipeline_play (self->pipeline, from, self->rate);
    }
  else
    md_frame_pipeline_pause (self->pipeline);
}

double
md_frame_player_get_rate (MdFramePlayer *self)
{
  g_return_val_if_fail (MD_IS_FRAME_PLAYER (self), 1.0);
  return self->rate;
}

void
md_frame_player_set_rate (MdFramePlayer *self,
                          double         rate)
{
  guint best = 0;

  g_return_if_fail (MD_IS_FRAME_PLAYER (self));

  rate = CLAMP (rate, MD_FRAME_PLAYER_MIN_RATE, MD_FRAME_PLAYER_MAX_RATE);
  if (fabs (rate - self->rate) < 1e-9)
    return;
  self->rate = rate;

  for (guint i = 1; i < G_N_ELEMENTS (rates); i++)
    if (fabs (rates[i] - rate) < fabs (rates[best] - rate))
      best = i;
  gtk_drop_down_set_selected (self->speed_dropdown, best);

  if (self->playing)
    md_frame_pipeline_play (self->pipeline, self->frame_index, self->rate);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
}

void
md_frame_player_step (MdFramePlayer *self,
                      int            delta)
{
  gint64 target;

  g_return_if_fail (MD_IS_FRAME_PLAYER (self));

  if (!self->ready)
    return;
  md_frame_player_set_playing (self, FALSE);
  target = (gint64) self->frame_index + delta;
  if (target < 0)
    target = 0;
  md_frame_player_set_frame_index (self, (guint) MIN (target, G_MAXUINT));
}

const char * const *
md_frame_player_get_problems (MdFramePlayer *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (MD_IS_FRAME_PLAYER (self), NULL);
  return self->problems != NULL ? (const char * const *) self->problems : none;
}

/* Widget plumbing */

static void
on_play_toggled (GtkToggleButton *button,
                 MdFramePlayer   *self)
{
  md_frame_player_set_playing (self, gtk_toggle_button_get_active (button));
}

static void
on_speed_selected (GtkDropDown   *dropdown,
                   GParamSpec    *pspec,
                   MdFramePlayer *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected < G_N_ELEMENTS (rates))
    md_frame_player_set_rate (self, rates[selected]);
}

static void
action_toggle_play (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MdFramePlayer *self = MD_FRAME_PLAYER (widget);

  md_frame_player_set_playing (self, !self->playing);
}

static void
action_step (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  md_frame_player_step (MD_FRAME_PLAYER (widget),
                        g_str_equal (action_name, "player.next-frame") ? 1 : -1);
}

GtkWidget *
md_frame_player_new (void)
{
  return g_object_new (MD_TYPE_FRAME_PLAYER, NULL);
}

static void
md_frame_player_dispose (GObject *object)
{
  MdFramePlayer *self = MD_FRAME_PLAYER (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->pipeline != NULL)
    {
      md_frame_pipeline_shutdown (self->pipeline);
      g_signal_handlers_disconnect_by_data (self->pipeline, self);
      g_clear_object (&self->pipeline);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), MD_TYPE_FRAME_PLAYER);
  /* Unbound top-level template children are not removed by dispose_template() in GTK 4.8. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->frame_ids);
  g_clear_object (&self->loader);

  G_OBJECT_CLASS (md_frame_player_parent_class)->dispose (object);
}

static void
md_frame_player_finalize (GObject *object)
{
  MdFramePlayer *self = MD_FRAME_PLAYER (object);

  g_clear_pointer (&self->textures, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_strfreev);
  g_free (self->file_name);

  G_OBJECT_CLASS (md_frame_player_parent_class)->finalize (object);
}

static void
md_frame_player_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MdFramePlayer *self = MD_FRAME_PLAYER (object);

  switch (prop_id)
    {
    case PROP_FRAME_INDEX:
      g_value_set_uint (value, self->frame_index);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;
    case PROP_N_FRAMES:
      g_value_set_uint (value, self->n_frames);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_frame_player_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MdFramePlayer *self = MD_FRAME_PLAYER (object);

  switch (prop_id)
    {
    case PROP_FRAME_INDEX:
      md_frame_player_set_frame_index (self, g_value_get_uint (value));
      break;
    case PROP_PLAYING:
      md_frame_player_set_playing (self, g_value_get_boolean (value));
      break;
    case PROP_RATE:
      md_frame_player_set_rate (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_frame_player_class_init (MdFramePlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = md_frame_player_dispose;
  object_class->finalize = md_frame_player_finalize;
  object_class->get_property = md_frame_player_get_property;
  object_class->set_property = md_frame_player_set_property;

  properties[PROP_FRAME_INDEX] =
    g_param_spec_uint ("frame-index", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_RATE] =
    g_param_spec_double ("rate", NULL, NULL, MD_FRAME_PLAYER_MIN_RATE, MD_FRAME_PLAYER_MAX_RATE,
                         1.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_FRAMES] =
    g_param_spec_uint ("n-frames", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mimicdesk/MimicDesk/widgets/widgets/md-frame-player.ui");
  gtk_widget_class_bind_template_child (widget_class, MdFramePlayer, picture);
  gtk_widget_class_bind_template_child (widget_class, MdFramePlayer, spinner);
  gtk_widget_class_bind_template_child (widget_class, MdFramePlayer, problems_label);
  gtk_widget_class_bind_template_child (widget_class, MdFramePlayer, controls);
  gtk_widget_class_bind_template_child (widget_class, MdFramePlayer, play_button);
  gtk_widget_class_bind_template_child (widget_class, MdFramePlayer, counter_label);
  gtk_widget_class_bind_template_child (widget_class, MdFramePlayer, frame_id_label);
  gtk_widget_class_bind_template_child (widget_class, MdFramePlayer, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, MdFramePlayer, filmstrip_scroller);
  gtk_widget_class_bind_template_child (widget_class, MdFramePlayer, filmstrip);

  gtk_widget_class_install_action (widget_class, "player.toggle-play", NULL, action_toggle_play);
  gtk_widget_class_install_action (widget_class, "player.previous-frame", NULL, action_step);
  gtk_widget_class_install_action (widget_class, "player.next-frame", NULL, action_step);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "player.toggle-play", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, 0, "player.previous-frame",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_period, 0, "player.next-frame", NULL);

  gtk_widget_class_set_css_name (widget_class, "md-frame-player");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
md_frame_player_init (MdFramePlayer *self)
{
  GtkListItemFactory *factory;

  self->rate = 1.0;
  self->textures = g_ptr_array_new_with_free_func (clear_texture);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  self->frame_ids = gtk_string_list_new (NULL);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->frame_ids)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_thumbnail), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_thumbnail), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_thumbnail), self);
  gtk_list_view_set_factory (self->filmstrip, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->filmstrip, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect (self->filmstrip, "activate", G_CALLBACK (on_filmstrip_activate), self);

  g_signal_connect (self->play_button, "toggled", G_CALLBACK (on_play_toggled), self);
  g_signal_connect (self->speed_dropdown, "notify::selected", G_CALLBACK (on_speed_selected),
                    self);

  self->pipeline = NULL;
  reset (self);
}
