/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "md-frame-player.h"
#include "md-image-loader.h"
#include "md-image-pane.h"
#include "md-pair.h"

G_BEGIN_DECLS

/*
 * MdMediaView: the images of one pair, laid out by modality.
 *  - MD_MODALITY_IMAGE: one image fit to the pane, zoom with Ctrl+scroll, + and -, 0 to fit;
 *  - MD_MODALITY_IMAGE_PAIR: two images side by side whose zoom and scroll position move
 *    together (spot the difference);
 *  - MD_MODALITY_MULTI_IMAGE: an album, as a grid of tiles;
 *  - MD_MODALITY_VIDEO: the frames, played by an MdFramePlayer;
 *  - MD_MODALITY_TEXT: a quiet "no images" page.
 * A missing or undecodable image shows a placeholder naming the image id and the problem.
 * Accessible name "Media"; image panes are named "Image", "First image"/"Second image", and
 * "Image N" in an album.
 */

#define MD_TYPE_MEDIA_VIEW (md_media_view_get_type ())
G_DECLARE_FINAL_TYPE (MdMediaView, md_media_view, MD, MEDIA_VIEW, GtkWidget)

GtkWidget     *md_media_view_new              (void);

void           md_media_view_set_loader       (MdMediaView        *self,
                                               MdImageLoader      *loader);
MdImageLoader *md_media_view_get_loader       (MdMediaView        *self);

/* Shows image_ids (NULL-terminated, may be NULL) the way modality calls for. fps only matters
 * for MD_MODALITY_VIDEO. Cancels the loads of the previous pair. */
void           md_media_view_set_media        (MdMediaView        *self,
                                               MdModality          modality,
                                               const char * const *image_ids,
                                               double              fps);
/* Plays a source video file (when the user points at the source videos). */
gboolean       md_media_view_set_video_file   (MdMediaView        *self,
                                               GFile              *file,
                                               GError            **error);

MdModality     md_media_view_get_modality     (MdMediaView        *self);
MdFramePlayer *md_media_view_get_frame_player (MdMediaView        *self);
/* The image panes currently shown (0 for video and text). */
guint          md_media_view_get_n_panes      (MdMediaView        *self);
MdImagePane   *md_media_view_get_pane         (MdMediaView        *self,
                                               guint               index);

G_END_DECLS
