/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* File names made from data (pair ids, image ids, dataset codes) for exports. Ids come from
 * shards anyone may have written: "../../.bashrc" or "/etc/passwd" must not leave the export
 * folder. */

/* One safe file name from `len` bytes of `name` (-1: a C string): '/', '\\', NUL and control
 * characters become '_', invalid UTF-8 becomes U+FFFD, a leading '.' becomes '_' (so neither
 * "." nor ".." nor hidden files), and the result is at most 200 bytes. Never empty: "_" for an
 * empty name. */
char *md_path_sanitize (const char *name,
                        gssize      len);

/* FOLDER/sanitized(NAME) for a file that must lie directly inside `folder`. */
char *md_path_inside   (const char *folder,
                        const char *name,
                        gssize      len);

G_END_DECLS
