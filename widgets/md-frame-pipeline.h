/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * MdFramePipeline: the GStreamer side of MdFramePlayer, kept off the main thread.
 *
 * Frame lists play through
 *   appsrc (image/png or image/jpeg, one buffer per frame, timestamps from fps and rate)
 *     ! pngdec | jpegdec ! videoconvert ! videoscale ! video/x-raw,format=RGBA ! appsink
 * and video files through playbin with the same convert ! appsink chain as its video sink.
 *
 * State changes and the bus run on a worker thread with its own GMainContext; appsink samples
 * become GdkMemoryTextures in the streaming thread and reach the main thread through one
 * coalesced idle (a slow main loop sees the newest frame, never a backlog). Every request
 * starts a new "run"; frames of earlier runs are dropped. Signals are emitted on the main
 * thread:
 *   ::frame (guint index, GdkTexture *texture)  a decoded frame
 *   ::eos ()                                    playback reached the last frame
 *   ::error (const char *message)               the pipeline failed
 *   ::n-frames (guint n)                        video files: frames in the file, once known
 */

#define MD_TYPE_FRAME_PIPELINE (md_frame_pipeline_get_type ())
G_DECLARE_FINAL_TYPE (MdFramePipeline, md_frame_pipeline, MD, FRAME_PIPELINE, GObject)

MdFramePipeline *md_frame_pipeline_new        (void);

/* frames: GBytes of each frame, all PNG or all JPEG (mime_type "image/png" or "image/jpeg"). */
gboolean         md_frame_pipeline_set_frames (MdFramePipeline  *self,
                                               GPtrArray        *frames,
                                               const char       *mime_type,
                                               double            fps,
                                               GError          **error);
gboolean         md_frame_pipeline_set_uri    (MdFramePipeline  *self,
                                               const char       *uri,
                                               GError          **error);

/* Plays from frame index at rate (0.5 .. 4), paced by the pipeline clock. */
void             md_frame_pipeline_play       (MdFramePipeline  *self,
                                               guint             index,
                                               double            rate);
/* Decodes and delivers frame index alone (paused). */
void             md_frame_pipeline_show       (MdFramePipeline  *self,
                                               guint             index);
void             md_frame_pipeline_pause      (MdFramePipeline  *self);
/* Stops the worker and the pipeline; waits for them (a few milliseconds). */
void             md_frame_pipeline_shutdown   (MdFramePipeline  *self);

G_END_DECLS
