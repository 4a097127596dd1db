/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* Scene models of the sample and their drawings. The text module describes the same models, so
 * what an instruction or answer says is true of the picture by construction. */

#define MD_SAMPLE_IMAGE_SIZE 224

typedef enum
{
  MD_SHAPE_CIRCLE,
  MD_SHAPE_SQUARE,
  MD_SHAPE_TRIANGLE,
  MD_N_SHAPES
} MdShape;

typedef enum
{
  MD_COLOR_RED,
  MD_COLOR_BLUE,
  MD_COLOR_GREEN,
  MD_COLOR_YELLOW,
  MD_N_COLORS
} MdColor;

/* Horizontal thirds of the picture. */
typedef enum
{
  MD_SPOT_LEFT,
  MD_SPOT_CENTRE,
  MD_SPOT_RIGHT,
  MD_N_SPOTS
} MdSpot;

typedef struct
{
  MdShape  shape;
  MdColor color;
  double   x;
  double   y;
  double   size;
} MdItem;

#define MD_MAX_ITEMS 6

typedef struct
{
  MdItem items[MD_MAX_ITEMS];
  guint  n_items;
  guint  background;
} MdShapeScene;

typedef enum
{
  MD_ALBUM_SUNRISE,
  MD_ALBUM_SUNSET,
  MD_ALBUM_TREE,
  MD_ALBUM_BALLOONS,
  MD_N_ALBUM_KINDS
} MdAlbumKind;

cairo_surface_t *md_draw_shapes      (const MdShapeScene *scene);
cairo_surface_t *md_draw_ball_frame  (MdColor            ball,
                                      double              x,
                                      guint               clip);
cairo_surface_t *md_draw_album_photo (MdAlbumKind         kind,
                                      guint               index,
                                      guint               n_photos);
cairo_surface_t *md_draw_room_frame  (gboolean            lamp_on,
                                      guint               frame);

GBytes          *md_encode_png       (cairo_surface_t    *surface);
GBytes          *md_encode_jpeg      (cairo_surface_t    *surface);

G_END_DECLS
