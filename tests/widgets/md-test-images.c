/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "md-error.h"
#include "md-test-images.h"

static guint n_loads;
static GMutex table_lock;

void
md_test_frame_colour (guint   index,
                      guint8 *red,
                      guint8 *green,
                      guint8 *blue)
{
  *red = (guint8) (255 - index * 12);
  *green = (guint8) (index * 15);
  *blue = (guint8) (index % 2 ? 200 : 40);
}

void
md_test_frame_square_centre (guint  index,
                             int   *x,
                             int   *y)
{
  *x = 4 + (int) index * 7 + MD_TEST_SQUARE / 2;
  *y = MD_TEST_FRAME_HEIGHT / 2;
}

static cairo_surface_t *
draw_frame (guint index)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, MD_TEST_FRAME_WIDTH,
                                                         MD_TEST_FRAME_HEIGHT);
  cairo_t *cr = cairo_create (surface);
  guint8 r, g, b;
  int x, y;

  cairo_set_source_rgb (cr, 0.5, 0.5, 0.5);
  cairo_paint (cr);
  md_test_frame_colour (index, &r, &g, &b);
  md_test_frame_square_centre (index, &x, &y);
  cairo_set_source_rgb (cr, r / 255.0, g / 255.0, b / 255.0);
  cairo_rectangle (cr, x - MD_TEST_SQUARE / 2, y - MD_TEST_SQUARE / 2, MD_TEST_SQUARE,
                   MD_TEST_SQUARE);
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

static GBytes *
surface_to_png (cairo_surface_t *surface)
{
  GByteArray *array = g_byte_array_new ();

  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_bytes, array), ==,
                   CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (array);
}

GBytes *
md_test_frame_png (guint index)
{
  return surface_to_png (draw_frame (index));
}

GBytes *
md_test_frame_jpeg (guint index)
{
  cairo_surface_t *surface = draw_frame (index);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_get_from_surface (surface, 0, 0, MD_TEST_FRAME_WIDTH,
                                                              MD_TEST_FRAME_HEIGHT);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  cairo_surface_destroy (surface);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error,
                                            "quality", "95", NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, size);
}

GBytes *
md_test_solid_png (int    width,
                   int    height,
                   guint8 red,
                   guint8 green,
                   guint8 blue)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, red / 255.0, green / 255.0, blue / 255.0);
  cairo_paint (cr);
  cairo_destroy (cr);
  return surface_to_png (surface);
}

static GBytes *
load_from_table (const char  *image_id,
                 char       **mime_type,
                 GError     **error,
                 gpointer     user_data)
{
  GHashTable *table = user_data;
  GBytes *bytes;

  g_mutex_lock (&table_lock);
  n_loads++;
  bytes = g_hash_table_lookup (table, image_id);
  if (bytes != NULL)
    g_bytes_ref (bytes);
  g_mutex_unlock (&table_lock);

  if (bytes == NULL)
    g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND,
                 "Image %s: not in the image store", image_id);
  return bytes;
}

MdImageLoader *
md_test_loader_new (GHashTable **out_table)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_bytes_unref);

  *out_table = table;
  return md_image_loader_new (load_from_table, g_hash_table_ref (table),
                              (GDestroyNotify) g_hash_table_unref);
}

void
md_test_images_add (GHashTable *table,
                    const char *id,
                    GBytes     *bytes)
{
  g_mutex_lock (&table_lock);
  g_hash_table_insert (table, g_strdup (id), bytes);
  g_mutex_unlock (&table_lock);
}

guint
md_test_loader_n_loads (void)
{
  guint n;

  g_mutex_lock (&table_lock);
  n = n_loads;
  g_mutex_unlock (&table_lock);
  return n;
}

void
md_test_texture_pixel (GdkTexture *texture,
                       int         x,
                       int         y,
                       guint8      rgba[4])
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint8 *data = g_malloc ((gsize) width * height * 4);
  guint32 pixel;

  /* gdk_texture_download() gives premultiplied ARGB32 in native endianness. */
  gdk_texture_download (texture, data, (gsize) width * 4);
  pixel = ((guint32 *) (gpointer) data)[y * width + x];
  rgba[0] = (pixel >> 16) & 0xFF;
  rgba[1] = (pixel >> 8) & 0xFF;
  rgba[2] = pixel & 0xFF;
  rgba[3] = pixel >> 24;
}

static void
collect (GtkWidget *widget,
         GString   *out)
{
  if (GTK_IS_LABEL (widget))
    {
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, out);
}

char *
md_test_collect_labels (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  collect (widget, out);
  return g_string_free (out, FALSE);
}
