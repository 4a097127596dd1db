/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "md-image-loader.h"

G_BEGIN_DECLS

#define MD_TEST_FRAME_WIDTH  160
#define MD_TEST_FRAME_HEIGHT 120
#define MD_TEST_SQUARE       40

/* Frame i of a clip: a grey background and a square moving right, its colour depending on i. */
void           md_test_frame_colour      (guint        index,
                                          guint8      *red,
                                          guint8      *green,
                                          guint8      *blue);
void           md_test_frame_square_centre (guint      index,
                                            int       *x,
                                            int       *y);
GBytes        *md_test_frame_png         (guint        index);
GBytes        *md_test_frame_jpeg        (guint        index);
/* A solid PNG of the given size and colour. */
GBytes        *md_test_solid_png         (int          width,
                                          int          height,
                                          guint8       red,
                                          guint8       green,
                                          guint8       blue);

/* A loader over an in-memory table id -> bytes; unknown ids fail with MD_ERROR_NOT_FOUND.
 * The table may be changed with md_test_images_add() before loads. */
MdImageLoader *md_test_loader_new        (GHashTable **out_table);
void           md_test_images_add        (GHashTable  *table,
                                          const char  *id,
                                          GBytes      *bytes);
/* Number of calls of the load function so far. */
guint          md_test_loader_n_loads    (void);

/* Reads the pixel (x, y) of texture as RGBA. */
void           md_test_texture_pixel     (GdkTexture  *texture,
                                          int          x,
                                          int          y,
                                          guint8       rgba[4]);

/* Concatenation of the texts of every GtkLabel under widget, one per line. */
char          *md_test_collect_labels    (GtkWidget   *widget);

G_END_DECLS
