/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Lenient base64 for image stores: standard and URL-safe alphabets (even mixed), with or without
 * '=' padding, white space and JSON "\/" or "\n" escapes ignored. Returns NULL on a byte outside
 * the alphabets, *out_bad_offset then holds its position in the input. */
GBytes     *md_base64_decode        (const char *text,
                                     gsize       len,
                                     gsize      *out_bad_offset);

/* "image/png", "image/jpeg" or NULL, from the magic bytes. */
const char *md_image_sniff          (const guint8 *data,
                                     gsize         len);

/* Images whose header claims more pixels than this are refused by md_store_load_image() before
 * anything decodes them: a 100-byte PNG can claim 100000 x 100000 pixels (40 GB as RGBA). The
 * same limit as the image loader's MD_IMAGE_MAX_PIXELS (64 megapixels, 256 MB as RGBA). */
#define MD_STORE_IMAGE_MAX_PIXELS (64u * 1000u * 1000u)

/* The pixel size a PNG (IHDR) or JPEG (first SOFn marker) header claims; FALSE when the header
 * cannot be found in the bytes. Nothing is decoded. */
gboolean    md_image_get_size       (const guint8 *data,
                                     gsize         len,
                                     guint64      *out_width,
                                     guint64      *out_height);

/* Whether base64 text starts like a PNG or JPEG, checked at import without decoding. */
gboolean    md_base64_looks_like_image (const char *text,
                                        gsize       len);

/* Whether every byte is of the standard or URL-safe alphabet, '=' padding, or a JSON "\/"
 * escape; *out_bad_offset gets the first other byte. Runs at import over every image value, so
 * it is a table walk and nothing more. */
gboolean    md_base64_is_valid      (const char *text,
                                     gsize       len,
                                     gsize      *out_bad_offset);

G_END_DECLS
