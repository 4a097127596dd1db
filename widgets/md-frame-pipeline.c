/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-frame-pipeline"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/video/video.h>
#include <math.h>

#include "md-error.h"
#include "md-frame-pipeline.h"

#define CONVERT_CHAIN "videoconvert ! videoscale ! video/x-raw,format=RGBA"
#define STATE_TIMEOUT (5 * GST_SECOND)

struct _MdFramePipeline
{
  GObject       parent_instance;

  /* Worker thread: owns the pipeline and its state changes. */
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GstElement   *pipeline;      /* worker only */
  GSource      *bus_source;    /* worker only */

  /* Shared with the appsrc/appsink streaming threads and the worker. */
  GMutex        lock;
  GPtrArray    *frames;        /* GBytes */
  gboolean      file_mode;
  double        fps;
  guint         start;         /* first frame index of the current run */
  guint         next;          /* next frame index appsrc pushes */
  guint         last;          /* last frame index appsrc pushes in this run */
  double        rate;
  guint         run;
  guint         generation;    /* of the pipeline installed, see Notice */
  /* Newest decoded frame waiting for the main thread. */
  GdkTexture   *pending_texture;
  guint         pending_index;
  guint         pending_run;
  guint         idle_id;

  /* Main thread. */
  guint         request;
  guint         installed;     /* generation of the newest pipeline requested */
};

G_DEFINE_FINAL_TYPE (MdFramePipeline, md_frame_pipeline, G_TYPE_OBJECT)

enum {
  SIGNAL_FRAME,
  SIGNAL_EOS,
  SIGNAL_ERROR,
  SIGNAL_N_FRAMES,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum
{
  COMMAND_SET_PIPELINE,
  COMMAND_PLAY,
  COMMAND_SHOW,
  COMMAND_PAUSE,
  COMMAND_QUIT,
} CommandType;

typedef struct
{
  MdFramePipeline *self;
  CommandType      type;
  GstElement      *pipeline;
  GPtrArray       *frames;
  gboolean         file_mode;
  double           fps;
  guint            index;
  double           rate;
  guint            run;
  guint            generation;
} Command;

typedef struct
{
  MdFramePipeline *self;
  guint            signal;
  guint            run;
  guint            generation;
  char            *message;
  guint            n_frames;
} Notice;

/* Main-thread side */

static gboolean
deliver_frame_idle (gpointer data)
{
  MdFramePipeline *self = data;
  g_autoptr(GdkTexture) texture = NULL;
  guint index;
  guint run;

  g_mutex_lock (&self->lock);
  texture = g_steal_pointer (&self->pending_texture);
  index = self->pending_index;
  run = self->pending_run;
  self->idle_id = 0;
  g_mutex_unlock (&self->lock);

  if (texture != NULL && run == self->request)
    g_signal_emit (self, signals[SIGNAL_FRAME], 0, index, texture);
  return G_SOURCE_REMOVE;
}

static void
notice_free (Notice *notice)
{
  g_object_unref (notice->self);
  g_free (notice->message);
  g_free (notice);
}

static gboolean
deliver_notice_idle (gpointer data)
{
  Notice *notice = data;

  /* End of stream belongs to the run that played; an error or the length of a file belongs to
   * the pipeline, whatever was asked of it since (opening a file is followed at once by a
   * request to show its first frame, and a file that cannot be played fails while opening). */
  if (notice->signal == SIGNAL_EOS ? notice->run != notice->self->request
                                   : notice->generation != notice->self->installed)
    return G_SOURCE_REMOVE;

  if (notice->signal == SIGNAL_ERROR)
    g_signal_emit (notice->self, signals[SIGNAL_ERROR], 0, notice->message);
  else if (notice->signal == SIGNAL_N_FRAMES)
    g_signal_emit (notice->self, signals[SIGNAL_N_FRAMES], 0, notice->n_frames);
  else
    g_signal_emit (notice->self, signals[SIGNAL_EOS], 0);
  return G_SOURCE_REMOVE;
}

static void
post_notice (MdFramePipeline *self,
             guint            signal,
             const char      *message,
             guint            n_frames)
{
  Notice *notice = g_new0 (Notice, 1);

  notice->self = g_object_ref (self);
  notice->signal = signal;
  notice->message = g_strdup (message);
  notice->n_frames = n_frames;
  g_mutex_lock (&self->lock);
  notice->run = self->run;
  notice->generation = self->generation;
  g_mutex_unlock (&self->lock);
  g_idle_add_full (G_PRIORITY_DEFAULT, deliver_notice_idle, notice, (GDestroyNotify) notice_free);
}

/* Streaming threads */

typedef struct
{
  GstBuffer  *buffer;
  GstMapInfo  map;
} MappedBuffer;

static void
mapped_buffer_free (gpointer data)
{
  MappedBuffer *mapped = data;

  gst_buffer_unmap (mapped->buffer, &mapped->map);
  gst_buffer_unref (mapped->buffer);
  g_free (mapped);
}

/* Wraps the RGBA buffer without copying: the texture keeps the buffer mapped and alive. */
static GdkTexture *
texture_from_sample (GstSample *sample,
                     double    *out_fps)
{
  GstVideoInfo info;
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstCaps *caps = gst_sample_get_caps (sample);
  MappedBuffer *mapped;
  g_autoptr(GBytes) bytes = NULL;
  gsize stride;

  if (buffer == NULL || caps == NULL || !gst_video_info_from_caps (&info, caps))
    return NULL;
  if (GST_VIDEO_INFO_FPS_N (&info) > 0 && GST_VIDEO_INFO_FPS_D (&info) > 0)
    *out_fps = (double) GST_VIDEO_INFO_FPS_N (&info) / GST_VIDEO_INFO_FPS_D (&info);

  mapped = g_new0 (MappedBuffer, 1);
  mapped->buffer = gst_buffer_ref (buffer);
  if (!gst_buffer_map (buffer, &mapped->map, GST_MAP_READ))
    {
      gst_buffer_unref (mapped->buffer);
      g_free (mapped);
      return NULL;
    }
  stride = GST_VIDEO_INFO_PLANE_STRIDE (&info, 0);
  if (mapped->map.size < stride * GST_VIDEO_INFO_HEIGHT (&info))
    {
      mapped_buffer_free (mapped);
      return NULL;
    }
  bytes = g_bytes_new_with_free_func (mapped->map.data, stride * GST_VIDEO_INFO_HEIGHT (&info),
                                      mapped_buffer_free, mapped);
  return gdk_memory_texture_new (GST_VIDEO_INFO_WIDTH (&info), GST_VIDEO_INFO_HEIGHT (&info),
                                 GDK_MEMORY_R8G8B8A8, bytes, stride);
}

static void
deliver_sample (MdFramePipeline *self,
                GstSample       *sample)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  double fps = 0;
  GdkTexture *texture = texture_from_sample (sample, &fps);
  GstClockTime pts;
  guint index;

  if (texture == NULL)
    return;
  pts = buffer != NULL ? GST_BUFFER_PTS (buffer) : GST_CLOCK_TIME_NONE;
  if (!GST_CLOCK_TIME_IS_VALID (pts))
    pts = 0;

  g_mutex_lock (&self->lock);
  if (self->file_mode)
    {
      if (fps > 0)
        self->fps = fps;
      index = (guint) llround ((double) pts * self->fps / GST_SECOND);
    }
  else
    {
      /* Frames are stamped (index - start) / fps / rate: undo that. */
      index = self->start + (guint) llround ((double) pts * self->rate * self->fps / GST_SECOND);
    }
  g_clear_object (&self->pending_texture);
  self->pending_texture = texture;
  self->pending_index = index;
  self->pending_run = self->run;
  if (self->idle_id == 0)
    self->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT, deliver_frame_idle,
                                     g_object_ref (self), g_object_unref);
  g_mutex_unlock (&self->lock);
}

static GstFlowReturn
on_new_sample (GstAppSink *sink,
               gpointer    user_data)
{
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);

  if (sample != NULL)
    deliver_sample (user_data, sample);
  return GST_FLOW_OK;
}

static GstFlowReturn
on_new_preroll (GstAppSink *sink,
                gpointer    user_data)
{
  g_autoptr(GstSample) sample = gst_app_sink_pull_preroll (sink);

  if (sample != NULL)
    deliver_sample (user_data, sample);
  return GST_FLOW_OK;
}

static void
on_need_data (GstAppSrc *src,
              guint      length,
              gpointer   user_data)
{
  MdFramePipeline *self = user_data;
  GstBuffer *buffer = NULL;
  gboolean end = FALSE;

  g_mutex_lock (&self->lock);
  if (self->frames == NULL || self->next > self->last || self->next >= self->frames->len)
    end = TRUE;
  else
    {
      GBytes *bytes = g_ptr_array_index (self->frames, self->next);
      GstClockTime duration = (GstClockTime) (GST_SECOND / self->fps / self->rate);

      buffer = gst_buffer_new_wrapped_bytes (bytes);
      GST_BUFFER_PTS (buffer) = (self->next - self->start) * duration;
      GST_BUFFER_DURATION (buffer) = duration;
      self->next++;
    }
  g_mutex_unlock (&self->lock);

  if (end)
    gst_app_src_end_of_stream (src);
  else
    gst_app_src_push_buffer (src, buffer);
}

/* Worker thread */

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  MdFramePipeline *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;
        g_autofree char *text = NULL;

        gst_message_parse_error (message, &error, &debug);
        text = g_strdup_printf (_("Playback failed in %s: %s"),
                                GST_OBJECT_NAME (GST_MESSAGE_SRC (message)), error->message);
        g_debug ("%s (%s)", text, debug != NULL ? debug : "");
        post_notice (self, SIGNAL_ERROR, text, 0);
        gst_element_set_state (self->pipeline, GST_STATE_READY);
      }
      break;

    case GST_MESSAGE_EOS:
      post_notice (self, SIGNAL_EOS, NULL, 0);
      break;

    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static void
wait_for_state (MdFramePipeline *self)
{
  gst_element_get_state (self->pipeline, NULL, NULL, STATE_TIMEOUT);
}

static void
drop_pipeline (MdFramePipeline *self)
{
  if (self->bus_source != NULL)
    {
      g_source_destroy (self->bus_source);
      g_clear_pointer (&self->bus_source, g_source_unref);
    }
  if (self->pipeline != NULL)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      gst_clear_object (&self->pipeline);
    }
}

static void
report_n_frames (MdFramePipeline *self)
{
  gint64 duration = 0;
  double fps;

  if (!gst_element_query_duration (self->pipeline, GST_FORMAT_TIME, &duration) || duration <= 0)
    return;
  g_mutex_lock (&self->lock);
  fps = self->fps;
  g_mutex_unlock (&self->lock);
  post_notice (self, SIGNAL_N_FRAMES, NULL, (guint) floor ((double) duration * fps / GST_SECOND));
}

static void
seek_file (MdFramePipeline *self,
           guint            index,
           double           rate)
{
  double fps;

  g_mutex_lock (&self->lock);
  fps = self->fps;
  g_mutex_unlock (&self->lock);
  gst_element_seek (self->pipeline, rate, GST_FORMAT_TIME,
                    GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                    GST_SEEK_TYPE_SET, (gint64) (index * GST_SECOND / fps),
                    GST_SEEK_TYPE_NONE, GST_CLOCK_TIME_NONE);
  wait_for_state (self);
}

/* Starts a new run of frames [first, last]: READY flushes everything of the previous run
 * (and waits for its streaming threads), so no old frame can be stamped with the new run. */
static void
restart_frames (MdFramePipeline *self,
                const Command   *command,
                guint            last,
                double           rate)
{
  gst_element_set_state (self->pipeline, GST_STATE_READY);
  wait_for_state (self);
  g_mutex_lock (&self->lock);
  self->start = self->next = command->index;
  self->last = last;
  self->rate = rate;
  self->run = command->run;
  g_mutex_unlock (&self->lock);
}

static gboolean
run_command (gpointer data)
{
  Command *command = data;
  MdFramePipeline *self = command->self;

  if (command->type == COMMAND_QUIT)
    {
      drop_pipeline (self);
      g_main_loop_quit (self->loop);
      return G_SOURCE_REMOVE;
    }

  if (command->type == COMMAND_SET_PIPELINE)
    {
      g_autoptr(GstBus) bus = NULL;

      drop_pipeline (self);
      g_mutex_lock (&self->lock);
      g_clear_pointer (&self->frames, g_ptr_array_unref);
      self->frames = command->frames != NULL ? g_ptr_array_ref (command->frames) : NULL;
      self->file_mode = command->file_mode;
      self->fps = command->fps;
      self->run = command->run;
      self->generation = command->generation;
      g_mutex_unlock (&self->lock);

      self->pipeline = gst_object_ref (command->pipeline);
      bus = gst_element_get_bus (self->pipeline);
      self->bus_source = gst_bus_create_watch (bus);
      g_source_set_callback (self->bus_source, G_SOURCE_FUNC (on_bus_message), self, NULL);
      g_source_attach (self->bus_source, self->context);
      gst_element_set_state (self->pipeline, self->file_mode ? GST_STATE_PAUSED : GST_STATE_READY);
      wait_for_state (self);
      if (self->file_mode)
        report_n_frames (self);
      return G_SOURCE_REMOVE;
    }

  if (self->pipeline == NULL)
    return G_SOURCE_REMOVE;

  switch (command->type)
    {
    case COMMAND_PLAY:
      if (self->file_mode)
        {
          g_mutex_lock (&self->lock);
          self->run = command->run;
          self->rate = command->rate;
          g_mutex_unlock (&self->lock);
          gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
          wait_for_state (self);
          seek_file (self, command->index, command->rate);
        }
      else
        restart_frames (self, command, G_MAXUINT, command->rate);
      gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
      break;

    case COMMAND_SHOW:
      if (self->file_mode)
        {
          g_mutex_lock (&self->lock);
          self->run = command->run;
          g_mutex_unlock (&self->lock);
          gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
          wait_for_state (self);
          seek_file (self, command->index, 1.0);
        }
      else
        {
          /* One frame, prerolled: appsink's preroll callback delivers it. */
          restart_frames (self, command, command->index, 1.0);
          gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
        }
      break;

    case COMMAND_PAUSE:
      gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
      break;

    case COMMAND_SET_PIPELINE:
    case COMMAND_QUIT:
    default:
      g_assert_not_reached ();
    }
  return G_SOURCE_REMOVE;
}

static void
command_free (Command *command)
{
  gst_clear_object (&command->pipeline);
  g_clear_pointer (&command->frames, g_ptr_array_unref);
  g_free (command);
}

static gpointer
worker_main (gpointer data)
{
  MdFramePipeline *self = data;

  g_main_context_push_thread_default (self->context);
  g_main_loop_run (self->loop);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static void
send_command (MdFramePipeline *self,
              Command         *command)
{
  /* No reference: dispose joins the worker, so self outlives every command. Were a command
   * to hold one, the last unref could happen on the worker, which cannot join itself. */
  command->self = self;
  if (self->thread == NULL)
    self->thread = g_thread_new ("md-frame-pipeline", worker_main, self);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, run_command, command,
                              (GDestroyNotify) command_free);
}

/* Public API */

static void
install_pipeline (MdFramePipeline *self,
                  GstElement      *pipeline,
                  GPtrArray       *frames,
                  gboolean         file_mode,
                  double           fps)
{
  Command *command = g_new0 (Command, 1);
  GstElement *sink = NULL;
  GstAppSinkCallbacks callbacks = { NULL, on_new_preroll, on_new_sample, };

  if (file_mode)
    g_object_get (pipeline, "video-sink", &sink, NULL);
  else
    sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  if (GST_IS_BIN (sink))
    {
      GstElement *inner = gst_bin_get_by_name (GST_BIN (sink), "sink");

      gst_object_unref (sink);
      sink = inner;
    }
  g_assert (GST_IS_APP_SINK (sink));
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, self, NULL);
  gst_object_unref (sink);

  command->type = COMMAND_SET_PIPELINE;
  command->pipeline = gst_object_ref_sink (pipeline);
  command->frames = frames != NULL ? g_ptr_array_ref (frames) : NULL;
  command->file_mode = file_mode;
  command->fps = fps;
  command->run = ++self->request;
  command->generation = ++self->installed;
  send_command (self, command);
}

gboolean
md_frame_pipeline_set_frames (MdFramePipeline  *self,
                              GPtrArray        *frames,
                              const char       *mime_type,
                              double            fps,
                              GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *description = NULL;
  GstElement *pipeline;
  GstElement *src;
  int fps_n = 1;
  int fps_d = 1;
  g_autoptr(GstCaps) caps = NULL;
  GstAppSrcCallbacks callbacks = { on_need_data, NULL, NULL, };

  g_return_val_if_fail (MD_IS_FRAME_PIPELINE (self), FALSE);
  g_return_val_if_fail (frames != NULL, FALSE);
  g_return_val_if_fail (fps > 0, FALSE);

  if (g_strcmp0 (mime_type, "image/png") != 0 && g_strcmp0 (mime_type, "image/jpeg") != 0)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_UNSUPPORTED,
                   _("Frames of type %s cannot be played: expected image/png or image/jpeg"),
                   mime_type);
      return FALSE;
    }

  description = g_strdup_printf ("appsrc name=src format=time ! %s ! " CONVERT_CHAIN
                                 " ! appsink name=sink sync=true max-buffers=2",
                                 g_str_equal (mime_type, "image/png") ? "pngdec" : "jpegdec");
  pipeline = gst_parse_launch (description, &local_error);
  if (pipeline == NULL)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                   _("Could not build the frame pipeline “%s”: %s"),
                   description, local_error->message);
      return FALSE;
    }

  gst_util_double_to_fraction (fps, &fps_n, &fps_d);
  caps = gst_caps_new_simple (mime_type, "framerate", GST_TYPE_FRACTION, fps_n, fps_d, NULL);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  gst_app_src_set_caps (GST_APP_SRC (src), caps);
  gst_app_src_set_callbacks (GST_APP_SRC (src), &callbacks, self, NULL);
  gst_object_unref (src);

  install_pipeline (self, pipeline, frames, FALSE, fps);
  return TRUE;
}

gboolean
md_frame_pipeline_set_uri (MdFramePipeline  *self,
                           const char       *uri,
                           GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  GstElement *pipeline;
  GstElement *video_sink;
  GstElement *audio_sink;

  g_return_val_if_fail (MD_IS_FRAME_PIPELINE (self), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  pipeline = gst_element_factory_make ("playbin", NULL);
  video_sink = gst_parse_bin_from_description (CONVERT_CHAIN " ! appsink name=sink sync=true "
                                               "max-buffers=2", TRUE, &local_error);
  /* Reviewers look at the picture; an audio device may not even exist (headless runs). */
  audio_sink = gst_element_factory_make ("fakesink", NULL);
  if (pipeline == NULL || video_sink == NULL || audio_sink == NULL)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                   _("Could not build a player for %s: %s"), uri,
                   local_error != NULL ? local_error->message : _("playbin or fakesink missing"));
      if (pipeline != NULL)
        gst_object_unref (gst_object_ref_sink (pipeline));
      if (video_sink != NULL)
        gst_object_unref (gst_object_ref_sink (video_sink));
      if (audio_sink != NULL)
        gst_object_unref (gst_object_ref_sink (audio_sink));
      return FALSE;
    }
  g_object_set (audio_sink, "sync", TRUE, NULL);
  g_object_set (pipeline, "uri", uri, "video-sink", video_sink, "audio-sink", audio_sink, NULL);

  /* 25 fps until the first sample tells the real rate. */
  install_pipeline (self, pipeline, NULL, TRUE, 25.0);
  return TRUE;
}

void
md_frame_pipeline_play (MdFramePipeline *self,
                        guint            index,
                        double           rate)
{
  Command *command;

  g_return_if_fail (MD_IS_FRAME_PIPELINE (self));
  g_return_if_fail (rate > 0);

  command = g_new0 (Command, 1);
  command->type = COMMAND_PLAY;
  command->index = index;
  command->rate = rate;
  command->run = ++self->request;
  send_command (self, command);
}

void
md_frame_pipeline_show (MdFramePipeline *self,
                        guint            index)
{
  Command *command;

  g_return_if_fail (MD_IS_FRAME_PIPELINE (self));

  command = g_new0 (Command, 1);
  command->type = COMMAND_SHOW;
  command->index = index;
  command->run = ++self->request;
  send_command (self, command);
}

void
md_frame_pipeline_pause (MdFramePipeline *self)
{
  Command *command;

  g_return_if_fail (MD_IS_FRAME_PIPELINE (self));

  command = g_new0 (Command, 1);
  command->type = COMMAND_PAUSE;
  send_command (self, command);
}

void
md_frame_pipeline_shutdown (MdFramePipeline *self)
{
  Command *command;

  g_return_if_fail (MD_IS_FRAME_PIPELINE (self));

  if (self->thread == NULL)
    return;
  /* Frames of the old runs must not be emitted any more. */
  self->request++;
  command = g_new0 (Command, 1);
  command->type = COMMAND_QUIT;
  send_command (self, command);
  g_thread_join (g_steal_pointer (&self->thread));
}

MdFramePipeline *
md_frame_pipeline_new (void)
{
  return g_object_new (MD_TYPE_FRAME_PIPELINE, NULL);
}

static void
md_frame_pipeline_dispose (GObject *object)
{
  MdFramePipeline *self = MD_FRAME_PIPELINE (object);

  md_frame_pipeline_shutdown (self);

  G_OBJECT_CLASS (md_frame_pipeline_parent_class)->dispose (object);
}

static void
md_frame_pipeline_finalize (GObject *object)
{
  MdFramePipeline *self = MD_FRAME_PIPELINE (object);

  g_clear_pointer (&self->frames, g_ptr_array_unref);
  g_clear_object (&self->pending_texture);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (md_frame_pipeline_parent_class)->finalize (object);
}

static void
md_frame_pipeline_class_init (MdFramePipelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = md_frame_pipeline_dispose;
  object_class->finalize = md_frame_pipeline_finalize;

  signals[SIGNAL_FRAME] =
    g_signal_new ("frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, GDK_TYPE_TEXTURE);
  signals[SIGNAL_EOS] =
    g_signal_new ("eos", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_N_FRAMES] =
    g_signal_new ("n-frames", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
md_frame_pipeline_init (MdFramePipeline *self)
{
  g_mutex_init (&self->lock);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->rate = 1.0;
  self->fps = 1.0;
}
