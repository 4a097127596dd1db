/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "md-image-loader.h"

G_BEGIN_DECLS

/*
 * MdImagePane: one image, fit to the pane or zoomed (scrollable), or a placeholder that names
 * the image id and says what went wrong. Ctrl+scroll zooms; MdMediaView adds the +/-/0 keys and
 * synchronises two panes through the "zoom" property and the scroll adjustments.
 */

#define MD_IMAGE_PANE_MIN_ZOOM 0.05
#define MD_IMAGE_PANE_MAX_ZOOM 16.0

#define MD_TYPE_IMAGE_PANE (md_image_pane_get_type ())
G_DECLARE_FINAL_TYPE (MdImagePane, md_image_pane, MD, IMAGE_PANE, GtkWidget)

GtkWidget     *md_image_pane_new             (void);

/* Shows image_id through loader: at once when cached, else after a worker load (a spinner
 * meanwhile). Supersedes (cancels) the previous load. NULL image_id clears the pane. */
void           md_image_pane_set_image       (MdImagePane   *self,
                                              MdImageLoader *loader,
                                              const char    *image_id);
const char    *md_image_pane_get_image_id    (MdImagePane   *self);

/* The texture shown, or NULL (loading, placeholder or empty). */
GdkTexture    *md_image_pane_get_texture     (MdImagePane   *self);
/* The problem shown by the placeholder, or NULL. */
const char    *md_image_pane_get_error       (MdImagePane   *self);
/* TRUE once the image is shown or has failed; "notify::loaded" tells when. */
gboolean       md_image_pane_get_loaded      (MdImagePane   *self);

/* 0 means fit to the pane; otherwise the scale of image pixels to widget pixels. */
double         md_image_pane_get_zoom        (MdImagePane   *self);
void           md_image_pane_set_zoom        (MdImagePane   *self,
                                              double         zoom);
void           md_image_pane_zoom_in         (MdImagePane   *self);
void           md_image_pane_zoom_out        (MdImagePane   *self);

GtkAdjustment *md_image_pane_get_hadjustment (MdImagePane   *self);
GtkAdjustment *md_image_pane_get_vadjustment (MdImagePane   *self);

G_END_DECLS
