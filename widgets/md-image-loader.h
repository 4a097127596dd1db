/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * MdImageLoader: turns image ids into GdkTextures for the widgets.
 *
 * The application provides the bytes through an MdImageLoadFunc (typically reading an image
 * store by offset); the loader calls it in worker threads, so it must be thread-safe. The
 * loader checks the header (md_image_check_header()), decodes to a GdkTexture in the worker,
 * and keeps the most recently used textures in an LRU cache bounded in bytes. Loads of the same
 * id share one worker job; a job whose callers all cancelled stops before decoding.
 *
 * All methods are for the main thread, except md_image_loader_load_bytes() and the
 * md_image_* functions, which may be called from any thread.
 */

/* Images whose header claims more pixels than this are refused before decoding: a 100-byte
 * PNG can claim 100000 x 100000 pixels (40 GB as RGBA). 64 megapixels is 256 MB as RGBA. */
#define MD_IMAGE_MAX_PIXELS (64u * 1000u * 1000u)

/* Default size of the texture cache: 256 MB of RGBA texels, about 1300 images of 224 x 224. */
#define MD_IMAGE_LOADER_DEFAULT_CACHE_BYTES (256u * 1024u * 1024u)

/* Returns the encoded bytes of image_id (PNG or JPEG) and optionally its MIME type, or NULL
 * with error set (MD_ERROR_NOT_FOUND for an unknown id). Called from worker threads. */
typedef GBytes *(*MdImageLoadFunc) (const char  *image_id,
                                    char       **mime_type,
                                    GError     **error,
                                    gpointer     user_data);

#define MD_TYPE_IMAGE_LOADER (md_image_loader_get_type ())
G_DECLARE_FINAL_TYPE (MdImageLoader, md_image_loader, MD, IMAGE_LOADER, GObject)

MdImageLoader *md_image_loader_new            (MdImageLoadFunc       func,
                                               gpointer              user_data,
                                               GDestroyNotify        user_data_destroy);

/* Bound of the texture cache in bytes of texels (width x height x 4). */
void           md_image_loader_set_cache_size (MdImageLoader        *self,
                                               gsize                 max_bytes);
guint          md_image_loader_get_n_cached   (MdImageLoader        *self);

/* The cached texture of image_id (a new reference, now the most recently used), or NULL. */
GdkTexture    *md_image_loader_lookup         (MdImageLoader        *self,
                                               const char           *image_id);

/* Loads image_id into a texture in a worker thread (or at once from the cache). */
void           md_image_loader_load_async     (MdImageLoader        *self,
                                               const char           *image_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GdkTexture    *md_image_loader_load_finish    (MdImageLoader        *self,
                                               GAsyncResult         *result,
                                               GError              **error);

/* Starts loading ids that are not cached yet, so that showing them later is a cache hit.
 * A new call supersedes the previous one: its loads that nobody else waits for are cancelled.
 * ids may be NULL to just cancel. */
void           md_image_loader_prefetch       (MdImageLoader        *self,
                                               const char * const   *ids);

/* Calls the application's load function (any thread): the raw encoded bytes of image_id. */
GBytes        *md_image_loader_load_bytes     (MdImageLoader        *self,
                                               const char           *image_id,
                                               char                **mime_type,
                                               GError              **error);

/* Reads the PNG IHDR or JPEG SOF header of bytes: the format ("image/png" or "image/jpeg") and
 * size. Fails with MD_ERROR_PARSE for other data or truncated headers, and MD_ERROR_UNSUPPORTED
 * when the size exceeds MD_IMAGE_MAX_PIXELS. image_id is only used in messages. Any thread. */
gboolean       md_image_check_header          (GBytes               *bytes,
                                               const char           *image_id,
                                               const char          **mime_type,
                                               guint                *width,
                                               guint                *height,
                                               GError              **error);

/* md_image_check_header() then decode (any thread). Errors name image_id. */
GdkTexture    *md_image_decode                (GBytes               *bytes,
                                               const char           *image_id,
                                               GError              **error);

G_END_DECLS
