/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "md-image-loader.h"

G_BEGIN_DECLS

/*
 * MdFramePlayer: plays the frames of a video pair (a list of image ids) as a clip through a
 * GStreamer pipeline (see md-frame-pipeline.h), or a real video file. Controls: play/pause
 * (Space), previous/next frame (, and .), speed 0.5x to 4x, a filmstrip of thumbnails (click
 * to seek), the frame counter "3 / 16" and the id of the frame shown.
 *
 * Properties: "frame-index" (guint, the frame shown; setting it seeks), "playing" (gboolean),
 * "rate" (double, 0.5 .. 4), "n-frames" (guint, read-only).
 *
 * Frames that cannot be loaded, or whose type differs from the first frame's, are left out of
 * the clip and listed under the picture. Decoded frames stay in memory for the clip's lifetime
 * (a 16-frame clip of 224 x 224 is 3 MB) so stepping back and forth costs nothing.
 */

#define MD_FRAME_PLAYER_MIN_RATE 0.5
#define MD_FRAME_PLAYER_MAX_RATE 4.0

#define MD_TYPE_FRAME_PLAYER (md_frame_player_get_type ())
G_DECLARE_FINAL_TYPE (MdFramePlayer, md_frame_player, MD, FRAME_PLAYER, GtkWidget)

GtkWidget  *md_frame_player_new             (void);

/* Loads the frames' bytes through loader in a worker and shows the first frame. fps is the
 * sampling rate of the frames (MIMIC-IT: DC and E4D 1, TVC 3). frame_ids NULL clears. */
void        md_frame_player_set_frames      (MdFramePlayer      *self,
                                             MdImageLoader      *loader,
                                             const char * const *frame_ids,
                                             double              fps);
/* Plays a video file through playbin instead of frames. */
gboolean    md_frame_player_set_file        (MdFramePlayer      *self,
                                             GFile              *file,
                                             GError            **error);

guint       md_frame_player_get_n_frames    (MdFramePlayer      *self);
guint       md_frame_player_get_frame_index (MdFramePlayer      *self);
void        md_frame_player_set_frame_index (MdFramePlayer      *self,
                                             guint               index);
/* The id of the frame shown (NULL for video files). */
const char *md_frame_player_get_frame_id    (MdFramePlayer      *self);
gboolean    md_frame_player_get_playing     (MdFramePlayer      *self);
void        md_frame_player_set_playing     (MdFramePlayer      *self,
                                             gboolean            playing);
double      md_frame_player_get_rate        (MdFramePlayer      *self);
void        md_frame_player_set_rate        (MdFramePlayer      *self,
                                             double              rate);
/* Pauses, then moves delta frames (clamped to the clip). */
void        md_frame_player_step            (MdFramePlayer      *self,
                                             int                 delta);
/* Frames left out of the clip, "id: problem" each; NULL-terminated, may be empty. */
const char * const *md_frame_player_get_problems (MdFramePlayer *self);

G_END_DECLS
