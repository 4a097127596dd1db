/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Clips and their source videos. MIMIC-IT's video subsets hold frames sampled from clips; a
 * frame's id is "<SHORT>_IMG_<clip>_<frame digits>" (FORMATS.md), e.g. DC_IMG_v_N1c3C_Npr-E_0000
 * is frame 0 of clip v_N1c3C_Npr-E. When the user has the clips themselves, a folder of source
 * videos maps each clip to <folder>/<clip>.<ext> or <folder>/<DATASET>/<clip>.<ext>.
 */

/* The extensions tried, in order (lower case). */
#define MD_CLIP_VIDEO_EXTENSIONS "mp4", "mkv", "webm", "avi", "mov"

/* The clip of a frame id without its "<SHORT>_IMG_" prefix ("v_N1c3C_Npr-E"), or NULL when the
 * id names no frame of a clip (no trailing "_<digits>", no "_IMG_" before it, or a name that
 * could not be a file name: empty, "." or "..", or holding a path separator). */
char  *md_clip_name_for_frame        (const char *image_id);

/* The first existing regular file among <folder>/<clip>.<ext> and then
 * <folder>/<dataset>/<clip>.<ext> (dataset may be NULL): at most ten stats. NULL when there is
 * none, or when clip or dataset would leave folder. */
char  *md_clip_find_source_video     (const char *folder,
                                      const char *dataset,
                                      const char *clip);

/* The same in a worker thread: the folder may be on a slow or sleeping disk. The result is the
 * path, or NULL without an error when there is no such file. */
void   md_clip_find_source_video_async  (const char           *folder,
                                         const char           *dataset,
                                         const char           *clip,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
char  *md_clip_find_source_video_finish (GAsyncResult         *result,
                                         GError              **error);

G_END_DECLS
