/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include "md-clip.h"

static const char * const extensions[] = { MD_CLIP_VIDEO_EXTENSIONS, NULL };

/* A name taken from a shard becomes part of a path: it must stay one file name. */
static gboolean
is_plain_file_name (const char *name)
{
  return name != NULL && *name != '\0' && strcmp (name, ".") != 0 && strcmp (name, "..") != 0 &&
         strchr (name, '/') == NULL && strchr (name, G_DIR_SEPARATOR) == NULL;
}

char *
md_clip_name_for_frame (const char *image_id)
{
  const char *img;
  const char *clip;
  gsize end;

  g_return_val_if_fail (image_id != NULL, NULL);

  end = strlen (image_id);
  while (end > 0 && g_ascii_isdigit (image_id[end - 1]))
    end--;
  if (end == strlen (image_id) || end == 0 || image_id[end - 1] != '_')
    return NULL;
  end--;

  img = strstr (image_id, "_IMG_");
  if (img == NULL)
    return NULL;
  clip = img + strlen ("_IMG_");
  /* "VST_IMG_12345" is a photo, not frame 12345 of a clip with no name. */
  if ((gsize) (clip - image_id) >= end)
    return NULL;

  {
    g_autofree char *name = g_strndup (clip, end - (gsize) (clip - image_id));

    return is_plain_file_name (name) ? g_steal_pointer (&name) : NULL;
  }
}

static char *
find_in (const char *dir,
         const char *clip)
{
  for (guint i = 0; extensions[i] != NULL; i++)
    {
      g_autofree char *name = g_strconcat (clip, ".", extensions[i], NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

char *
md_clip_find_source_video (const char *folder,
                           const char *dataset,
                           const char *clip)
{
  char *found;

  g_return_val_if_fail (folder != NULL, NULL);
  g_return_val_if_fail (clip != NULL, NULL);

  if (*folder == '\0' || !is_plain_file_name (clip))
    return NULL;
  if ((found = find_in (folder, clip)) != NULL)
    return found;
  if (is_plain_file_name (dataset))
    {
      g_autofree char *sub = g_build_filename (folder, dataset, NULL);

      return find_in (sub, clip);
    }
  return NULL;
}

typedef struct
{
  char *folder;
  char *dataset;
  char *clip;
} FindData;

static void
find_data_free (FindData *data)
{
  g_free (data->folder);
  g_free (data->dataset);
  g_free (data->clip);
  g_free (data);
}

static void
find_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  FindData *data = task_data;
  char *path = md_clip_find_source_video (data->folder, data->dataset, data->clip);

  if (g_task_return_error_if_cancelled (task))
    g_free (path);
  else
    g_task_return_pointer (task, path, g_free);
}

void
md_clip_find_source_video_async (const char          *folder,
                                 const char          *dataset,
                                 const char          *clip,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FindData *data;

  g_return_if_fail (folder != NULL);
  g_return_if_fail (clip != NULL);

  data = g_new0 (FindData, 1);
  data->folder = g_strdup (folder);
  data->dataset = g_strdup (dataset);
  data->clip = g_strdup (clip);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_clip_find_source_video_async);
  g_task_set_task_data (task, data, (GDestroyNotify) find_data_free);
  g_task_run_in_thread (task, find_thread);
}

char *
md_clip_find_source_video_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
