/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "md-dataset-paths.h"

char *
md_dataset_real_path (GFile *file)
{
  g_autofree char *path = NULL;
  g_autofree char *resolved = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if ((path = g_file_get_path (file)) == NULL)
    return NULL;

  /* realpath() resolves symlinks as well as "..": two routes to one folder share one index. */
  if ((resolved = realpath (path, NULL)) == NULL)
    return NULL;

  return g_strdup (resolved);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

char *
md_dataset_index_path (const char * const *real_paths)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *name = NULL;

  g_return_val_if_fail (real_paths != NULL && real_paths[0] != NULL, NULL);

  for (guint i = 0; real_paths[i] != NULL; i++)
    g_ptr_array_add (sorted, (gpointer) real_paths[i]);
  g_ptr_array_sort (sorted, compare_strings);

  for (guint i = 0; i < sorted->len; i++)
    {
      const char *path = g_ptr_array_index (sorted, i);

      /* The NUL separates paths, so {"a", "bc"} and {"ab", "c"} hash differently. */
      g_checksum_update (checksum, (const guchar *) path, strlen (path) + 1);
    }

  name = g_strconcat (g_checksum_get_string (checksum), ".sqlite", NULL);
  return g_build_filename (g_get_user_cache_dir (), PACKAGE_NAME, name, NULL);
}

GStrv
md_dataset_recent_push (const char * const *recent,
                        const char         *path,
                        guint               max_items)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = 1;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (max_items > 0, NULL);

  g_strv_builder_add (builder, path);
  for (guint i = 0; recent != NULL && recent[i] != NULL && n < max_items; i++)
    {
      if (g_strcmp0 (recent[i], path) == 0)
        continue;
      g_strv_builder_add (builder, recent[i]);
      n++;
    }

  return g_strv_builder_end (builder);
}
