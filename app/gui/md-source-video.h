/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "md-media-view.h"
#include "md-pair.h"

G_BEGIN_DECLS

/*
 * MdSourceVideo: the bar above a video pair's media when the clip's source video is in the
 * folder set in Preferences (GSettings source-videos-folder). It looks the file up in a worker
 * (see md-clip.h), names it, and plays it in the media view through GStreamer; "Source video"
 * and "Frames" switch between the file and the pair's own frame sequence. The choice holds for
 * the next pairs too. Hidden when there is no such file.
 *
 * Property "path" (string, read-only): the source video found for the current pair, or NULL.
 */

#define MD_TYPE_SOURCE_VIDEO (md_source_video_get_type ())
G_DECLARE_FINAL_TYPE (MdSourceVideo, md_source_video, MD, SOURCE_VIDEO, GtkWidget)

void        md_source_video_set_media_view (MdSourceVideo *self,
                                            MdMediaView   *view);
/* The pair just shown in the media view (its frames at fps); NULL or a pair that is no clip
 * hides the bar. */
void        md_source_video_set_pair       (MdSourceVideo *self,
                                            MdPair        *pair,
                                            double         fps);
const char *md_source_video_get_path       (MdSourceVideo *self);
/* Whether the media view plays the source video (rather than the frames). */
gboolean    md_source_video_get_playing_file (MdSourceVideo *self);

G_END_DECLS
