/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Where the index of a set of shard files or folders lives, and the list of recently opened
 * datasets. In the store so that the window and the CLI (--dataset-dir, import) use the same
 * index, and so the same review file, for the same folder. */

/* The canonical, symlink-free path of file, or NULL when it does not exist. */
char      *md_dataset_real_path   (GFile              *file);

/* $XDG_CACHE_HOME/mimicdesk/<sha256 of the sorted real paths>.sqlite: the same set of inputs,
 * reached through any symlink or relative path, always maps to the same index. */
char      *md_dataset_index_path  (const char * const *real_paths);

/* recent with path moved (or added) to the front, at most max_items long. */
GStrv      md_dataset_recent_push (const char * const *recent,
                                   const char         *path,
                                   guint               max_items);

G_END_DECLS
