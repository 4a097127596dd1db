/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-make-sample"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>

#include "md-sample-draw.h"

#define SIZE MD_SAMPLE_IMAGE_SIZE

typedef struct
{
  double r, g, b;
} Rgb;

static const Rgb colors[MD_N_COLORS] = {
  [MD_COLOR_RED] = { 0.86, 0.16, 0.16 },
  [MD_COLOR_BLUE] = { 0.16, 0.36, 0.86 },
  [MD_COLOR_GREEN] = { 0.16, 0.62, 0.24 },
  [MD_COLOR_YELLOW] = { 0.98, 0.82, 0.10 },
};

/* Pale, neutral backgrounds that no answer has to name. */
static const Rgb backgrounds[] = {
  { 0.96, 0.95, 0.91 },
  { 0.91, 0.93, 0.96 },
  { 0.94, 0.94, 0.94 },
  { 0.95, 0.92, 0.94 },
};

static void
set_rgb (cairo_t   *cr,
         const Rgb *c)
{
  cairo_set_source_rgb (cr, c->r, c->g, c->b);
}

static Rgb
mix (const Rgb *a,
     const Rgb *b,
     double     t)
{
  return (Rgb) { a->r + (b->r - a->r) * t, a->g + (b->g - a->g) * t, a->b + (b->b - a->b) * t };
}

static cairo_t *
new_canvas (cairo_surface_t **out_surface)
{
  *out_surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, SIZE, SIZE);
  return cairo_create (*out_surface);
}

static void
shape_path (cairo_t *cr,
            MdShape  shape,
            double   x,
            double   y,
            double   s)
{
  switch (shape)
    {
    case MD_SHAPE_CIRCLE:
      cairo_arc (cr, x, y, s, 0, 2 * G_PI);
      break;
    case MD_SHAPE_SQUARE:
      cairo_rectangle (cr, x - s * 0.85, y - s * 0.85, s * 1.7, s * 1.7);
      break;
    case MD_SHAPE_TRIANGLE:
      cairo_move_to (cr, x, y - s * 1.05);
      cairo_line_to (cr, x + s * 1.0, y + s * 0.75);
      cairo_line_to (cr, x - s * 1.0, y + s * 0.75);
      cairo_close_path (cr);
      break;
    case MD_N_SHAPES:
    default:
      g_assert_not_reached ();
    }
}

cairo_surface_t *
md_draw_shapes (const MdShapeScene *scene)
{
  cairo_surface_t *surface;
  cairo_t *cr = new_canvas (&surface);

  set_rgb (cr, &backgrounds[scene->background % G_N_ELEMENTS (backgrounds)]);
  cairo_paint (cr);

  for (guint i = 0; i < scene->n_items; i++)
    {
      const MdItem *item = &scene->items[i];

      /* A soft shadow under each shape so the scene reads as objects on a surface. */
      cairo_save (cr);
      cairo_translate (cr, item->x, item->y + item->size * 1.0);
      cairo_scale (cr, item->size * 1.0, item->size * 0.22);
      cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
      cairo_restore (cr);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.12);
      cairo_fill (cr);

      shape_path (cr, item->shape, item->x, item->y, item->size);
      set_rgb (cr, &colors[item->color]);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0.15, 0.15, 0.15);
      cairo_set_line_width (cr, 2.0);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_stroke (cr);
    }

  cairo_destroy (cr);
  return surface;
}

static void
draw_cloud (cairo_t *cr,
            double   x,
            double   y,
            double   s)
{
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_arc (cr, x, y, s, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_arc (cr, x + s * 1.1, y + s * 0.2, s * 0.8, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_arc (cr, x - s * 1.0, y + s * 0.25, s * 0.7, 0, 2 * G_PI);
  cairo_fill (cr);
}

static void
draw_tree (cairo_t *cr,
           double   x,
           double   ground,
           double   trunk_height,
           double   crown)
{
  cairo_set_source_rgb (cr, 0.45, 0.30, 0.16);
  cairo_rectangle (cr, x - trunk_height * 0.09 - 2, ground - trunk_height,
                   trunk_height * 0.18 + 4, trunk_height);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.10, 0.45, 0.18);
  cairo_arc (cr, x, ground - trunk_height - crown * 0.6, crown, 0, 2 * G_PI);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.06, 0.30, 0.12);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
}

/* One frame of a DC clip: a ball rolling on grass past a tree. The stripe on the ball turns with
 * the distance travelled, so consecutive frames show rolling rather than sliding. */
cairo_surface_t *
md_draw_ball_frame (MdColor ball,
                    double   x,
                    guint    clip)
{
  static const Rgb skies[] = { { 0.62, 0.80, 0.95 }, { 0.70, 0.84, 0.97 }, { 0.58, 0.76, 0.92 } };
  const double ground = 150, radius = 16, y = 172;
  cairo_surface_t *surface;
  cairo_t *cr = new_canvas (&surface);
  double angle = x / radius;

  set_rgb (cr, &skies[clip % G_N_ELEMENTS (skies)]);
  cairo_paint (cr);
  draw_cloud (cr, 40 + 50 * clip, 36, 12);
  cairo_set_source_rgb (cr, 0.35, 0.68, 0.30);
  cairo_rectangle (cr, 0, ground, SIZE, SIZE - ground);
  cairo_fill (cr);
  draw_tree (cr, 112, ground + 2, 50, 30);

  cairo_save (cr);
  cairo_translate (cr, x, y + radius);
  cairo_scale (cr, radius * 1.1, radius * 0.25);
  cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_restore (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.2);
  cairo_fill (cr);

  cairo_arc (cr, x, y, radius, 0, 2 * G_PI);
  set_rgb (cr, &colors[ball]);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.15, 0.15, 0.15);
  cairo_set_line_width (cr, 2.0);
  cairo_stroke (cr);

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, 3.0);
  cairo_move_to (cr, x + cos (angle) * (radius - 3), y + sin (angle) * (radius - 3));
  cairo_line_to (cr, x - cos (angle) * (radius - 3), y - sin (angle) * (radius - 3));
  cairo_stroke (cr);

  cairo_destroy (cr);
  return surface;
}

static void
draw_hills (cairo_t *cr)
{
  cairo_save (cr);
  cairo_translate (cr, 180, 220);
  cairo_scale (cr, 110, 55);
  cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_restore (cr);
  cairo_set_source_rgb (cr, 0.22, 0.55, 0.25);
  cairo_fill (cr);

  cairo_save (cr);
  cairo_translate (cr, 60, 215);
  cairo_scale (cr, 120, 60);
  cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_restore (cr);
  cairo_set_source_rgb (cr, 0.30, 0.65, 0.30);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 0.30, 0.65, 0.30);
  cairo_rectangle (cr, 0, 200, SIZE, SIZE - 200);
  cairo_fill (cr);
}

static void
draw_sun (cairo_t *cr,
          double   x,
          double   y)
{
  cairo_arc (cr, x, y, 22, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 1.0, 0.85, 0.15);
  cairo_fill (cr);
}

static void
draw_balloon (cairo_t  *cr,
              double    x,
              double    y,
              MdColor  color)
{
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, x, y + 24);
  cairo_curve_to (cr, x - 6, y + 50, x + 6, y + 70, 112, 205);
  cairo_stroke (cr);

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, 17, 22);
  cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_restore (cr);
  set_rgb (cr, &colors[color]);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.15, 0.15, 0.15);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.6);
  cairo_arc (cr, x - 6, y - 8, 4, 0, 2 * G_PI);
  cairo_fill (cr);
}

/* Photo `index` of an album of `n_photos`: t runs from 0 (first photo) to 1 (last). */
cairo_surface_t *
md_draw_album_photo (MdAlbumKind kind,
                     guint       index,
                     guint       n_photos)
{
  static const Rgb dark_blue = { 0.10, 0.15, 0.40 }, bright_blue = { 0.45, 0.72, 0.98 };
  static const Rgb light_blue = { 0.55, 0.77, 0.97 }, orange = { 0.98, 0.55, 0.20 };
  static const double balloon_x[] = { 112, 78, 146, 100, 128 };
  static const double balloon_y[] = { 70, 92, 88, 40, 44 };
  cairo_surface_t *surface;
  cairo_t *cr = new_canvas (&surface);
  double t = n_photos > 1 ? (double) index / (n_photos - 1) : 0;
  Rgb sky;

  switch (kind)
    {
    case MD_ALBUM_SUNRISE:
      sky = mix (&dark_blue, &bright_blue, t);
      set_rgb (cr, &sky);
      cairo_paint (cr);
      draw_sun (cr, 80, 168 - 113 * t);
      draw_hills (cr);
      break;
    case MD_ALBUM_SUNSET:
      sky = mix (&light_blue, &orange, t);
      set_rgb (cr, &sky);
      cairo_paint (cr);
      draw_sun (cr, 150, 50 + 122 * t);
      draw_hills (cr);
      break;
    case MD_ALBUM_TREE:
      set_rgb (cr, &light_blue);
      cairo_paint (cr);
      draw_cloud (cr, 170, 40, 10);
      draw_hills (cr);
      draw_tree (cr, 70, 160, 18 + 42 * t, 9 + 36 * t);
      break;
    case MD_ALBUM_BALLOONS:
      set_rgb (cr, &light_blue);
      cairo_paint (cr);
      draw_cloud (cr, 40, 30, 9);
      draw_hills (cr);
      for (guint i = 0; i <= index && i < G_N_ELEMENTS (balloon_x); i++)
        draw_balloon (cr, balloon_x[i], balloon_y[i],
                      (MdColor[]) { MD_COLOR_RED, MD_COLOR_BLUE, MD_COLOR_YELLOW,
                                     MD_COLOR_GREEN, MD_COLOR_RED }[i]);
      break;
    case MD_N_ALBUM_KINDS:
    default:
      g_assert_not_reached ();
    }

  cairo_destroy (cr);
  return surface;
}

/* A TVC frame: a living room with an empty green sofa and a floor lamp. A wall clock's hand
 * moves every frame so that no two frames are identical. */
cairo_surface_t *
md_draw_room_frame (gboolean lamp_on,
                    guint    frame)
{
  static const Rgb wall_on = { 0.93, 0.88, 0.78 }, wall_off = { 0.30, 0.28, 0.34 };
  static const Rgb floor_on = { 0.58, 0.42, 0.28 }, floor_off = { 0.20, 0.15, 0.13 };
  static const Rgb sofa_on = { 0.18, 0.56, 0.28 }, sofa_off = { 0.10, 0.32, 0.17 };
  cairo_surface_t *surface;
  cairo_t *cr = new_canvas (&surface);
  double hand = frame * G_PI / 8;

  set_rgb (cr, lamp_on ? &wall_on : &wall_off);
  cairo_paint (cr);
  set_rgb (cr, lamp_on ? &floor_on : &floor_off);
  cairo_rectangle (cr, 0, 170, SIZE, SIZE - 170);
  cairo_fill (cr);

  /* Clock. */
  cairo_arc (cr, 60, 50, 16, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 0.95, 0.95, 0.95);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  cairo_set_line_width (cr, 2);
  cairo_stroke (cr);
  cairo_move_to (cr, 60, 50);
  cairo_line_to (cr, 60 + 12 * sin (hand), 50 - 12 * cos (hand));
  cairo_stroke (cr);

  /* Sofa: back, seat, arms. */
  set_rgb (cr, lamp_on ? &sofa_on : &sofa_off);
  cairo_rectangle (cr, 24, 110, 120, 40);
  cairo_fill (cr);
  cairo_rectangle (cr, 24, 146, 120, 26);
  cairo_fill (cr);
  cairo_rectangle (cr, 14, 126, 18, 46);
  cairo_fill (cr);
  cairo_rectangle (cr, 136, 126, 18, 46);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_rectangle (cr, 24, 172, 6, 8);
  cairo_rectangle (cr, 138, 172, 6, 8);
  cairo_fill (cr);

  /* Floor lamp. */
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  cairo_rectangle (cr, 188, 92, 4, 86);
  cairo_fill (cr);
  cairo_rectangle (cr, 178, 176, 24, 5);
  cairo_fill (cr);
  if (lamp_on)
    {
      cairo_pattern_t *glow = cairo_pattern_create_radial (190, 86, 4, 190, 86, 70);

      cairo_pattern_add_color_stop_rgba (glow, 0, 1, 0.95, 0.6, 0.7);
      cairo_pattern_add_color_stop_rgba (glow, 1, 1, 0.95, 0.6, 0);
      cairo_set_source (cr, glow);
      cairo_arc (cr, 190, 86, 70, 0, 2 * G_PI);
      cairo_fill (cr);
      cairo_pattern_destroy (glow);
    }
  cairo_move_to (cr, 176, 92);
  cairo_line_to (cr, 204, 92);
  cairo_line_to (cr, 198, 70);
  cairo_line_to (cr, 182, 70);
  cairo_close_path (cr);
  if (lamp_on)
    cairo_set_source_rgb (cr, 1.0, 0.90, 0.45);
  else
    cairo_set_source_rgb (cr, 0.55, 0.52, 0.45);
  cairo_fill (cr);

  cairo_destroy (cr);
  return surface;
}

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

GBytes *
md_encode_png (cairo_surface_t *surface)
{
  GByteArray *bytes = g_byte_array_new ();

  if (cairo_surface_write_to_png_stream (surface, append_bytes, bytes) != CAIRO_STATUS_SUCCESS)
    g_error ("Could not encode a PNG image");

  return g_byte_array_free_to_bytes (bytes);
}

/* GTK 4 dropped gdk_pixbuf_get_from_surface(), so the pixels are converted by hand from cairo's
 * native-endian xRGB words to packed RGB. */
GBytes *
md_encode_jpeg (cairo_surface_t *surface)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  const guchar *src;
  guchar *dst;
  int src_stride, dst_stride;
  gchar *buffer = NULL;
  gsize length = 0;

  cairo_surface_flush (surface);
  src = cairo_image_surface_get_data (surface);
  src_stride = cairo_image_surface_get_stride (surface);
  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, SIZE, SIZE);
  dst = gdk_pixbuf_get_pixels (pixbuf);
  dst_stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < SIZE; y++)
    {
      const guint32 *row = (const guint32 *) (gconstpointer) (src + y * src_stride);

      for (int x = 0; x < SIZE; x++)
        {
          guchar *px = dst + y * dst_stride + x * 3;

          px[0] = (row[x] >> 16) & 0xff;
          px[1] = (row[x] >> 8) & 0xff;
          px[2] = row[x] & 0xff;
        }
    }

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "jpeg", &error,
                                  "quality", "85", NULL))
    g_error ("Could not encode a JPEG image: %s", error->message);

  return g_bytes_new_take (buffer, length);
}
