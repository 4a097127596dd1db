/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-image-loader"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "md-error.h"
#include "md-image-loader.h"

typedef struct
{
  char       *id;
  GdkTexture *texture;
  gsize       bytes;
  GList       link;     /* in MdImageLoader.lru, data = the entry */
} CacheEntry;

/* One worker job per image id being loaded. Shared by every caller waiting for that id. */
typedef struct
{
  char      *id;
  GPtrArray *waiters;        /* GTask of each md_image_loader_load_async() caller; main thread */
  GPtrArray *cancellables;   /* one per interested party; guarded by MdImageLoader.lock */
  gboolean   keep;           /* a caller without cancellable: never abandon; guarded by lock */
} Job;

struct _MdImageLoader
{
  GObject         parent_instance;

  MdImageLoadFunc func;
  gpointer        func_data;
  GDestroyNotify  func_data_destroy;

  GHashTable     *cache;     /* id -> CacheEntry */
  GQueue          lru;       /* head: most recently used */
  gsize           cache_bytes;
  gsize           max_cache_bytes;

  GHashTable     *jobs;      /* id -> Job, main thread only */
  GMutex          lock;
  GCancellable   *prefetch_cancellable;
};

G_DEFINE_FINAL_TYPE (MdImageLoader, md_image_loader, G_TYPE_OBJECT)

static void
cache_entry_free (CacheEntry *entry)
{
  g_free (entry->id);
  g_clear_object (&entry->texture);
  g_free (entry);
}

static void
job_free (Job *job)
{
  g_free (job->id);
  g_ptr_array_unref (job->waiters);
  g_ptr_array_unref (job->cancellables);
  g_free (job);
}

static void
md_image_loader_finalize (GObject *object)
{
  MdImageLoader *self = MD_IMAGE_LOADER (object);

  /* Running jobs hold a reference to the loader, so none is left here. */
  g_assert (g_hash_table_size (self->jobs) == 0);
  g_hash_table_unref (self->jobs);
  /* The links live inside the entries: forget them, the table frees the entries. */
  g_queue_init (&self->lru);
  g_hash_table_unref (self->cache);
  g_clear_object (&self->prefetch_cancellable);
  g_mutex_clear (&self->lock);
  if (self->func_data_destroy != NULL)
    self->func_data_destroy (self->func_data);

  G_OBJECT_CLASS (md_image_loader_parent_class)->finalize (object);
}

static void
md_image_loader_class_init (MdImageLoaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = md_image_loader_finalize;
}

static void
md_image_loader_init (MdImageLoader *self)
{
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) cache_entry_free);
  self->jobs = g_hash_table_new (g_str_hash, g_str_equal);
  self->max_cache_bytes = MD_IMAGE_LOADER_DEFAULT_CACHE_BYTES;
  g_mutex_init (&self->lock);
}

MdImageLoader *
md_image_loader_new (MdImageLoadFunc func,
                     gpointer        user_data,
                     GDestroyNotify  user_data_destroy)
{
  MdImageLoader *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_object_new (MD_TYPE_IMAGE_LOADER, NULL);
  self->func = func;
  self->func_data = user_data;
  self->func_data_destroy = user_data_destroy;
  return self;
}

/* Cache */

static void
cache_trim (MdImageLoader *self)
{
  while (self->cache_bytes > self->max_cache_bytes && self->lru.length > 1)
    {
      GList *link = g_queue_pop_tail_link (&self->lru);
      CacheEntry *entry = link->data;

      self->cache_bytes -= entry->bytes;
      g_hash_table_remove (self->cache, entry->id);
    }
}

static void
cache_insert (MdImageLoader *self,
              const char    *id,
              GdkTexture    *texture)
{
  CacheEntry *entry = g_hash_table_lookup (self->cache, id);

  if (entry != NULL)
    {
      g_queue_unlink (&self->lru, &entry->link);
      self->cache_bytes -= entry->bytes;
      g_hash_table_remove (self->cache, id);
    }

  entry = g_new0 (CacheEntry, 1);
  entry->id = g_strdup (id);
  entry->texture = g_object_ref (texture);
  entry->bytes = (gsize) gdk_texture_get_width (texture) * gdk_texture_get_height (texture) * 4;
  entry->link.data = entry;
  g_hash_table_insert (self->cache, entry->id, entry);
  g_queue_push_head_link (&self->lru, &entry->link);
  self->cache_bytes += entry->bytes;
  cache_trim (self);
}

void
md_image_loader_set_cache_size (MdImageLoader *self,
                                gsize          max_bytes)
{
  g_return_if_fail (MD_IS_IMAGE_LOADER (self));

  self->max_cache_bytes = max_bytes;
  cache_trim (self);
}

guint
md_image_loader_get_n_cached (MdImageLoader *self)
{
  g_return_val_if_fail (MD_IS_IMAGE_LOADER (self), 0);
  return g_hash_table_size (self->cache);
}

GdkTexture *
md_image_loader_lookup (MdImageLoader *self,
                        const char    *image_id)
{
  CacheEntry *entry;

  g_return_val_if_fail (MD_IS_IMAGE_LOADER (self), NULL);
  g_return_val_if_fail (image_id != NULL, NULL);

  entry = g_hash_table_lookup (self->cache, image_id);
  if (entry == NULL)
    return NULL;
  g_queue_unlink (&self->lru, &entry->link);
  g_queue_push_head_link (&self->lru, &entry->link);
  return g_object_ref (entry->texture);
}

/* Headers */

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint
read_be16 (const guint8 *p)
{
  return ((guint) p[0] << 8) | p[1];
}

static gboolean
read_jpeg_size (const guint8  *data,
                gsize          size,
                const char    *image_id,
                guint         *width,
                guint         *height,
                GError       **error)
{
  gsize pos = 2;

  for (;;)
    {
      guint marker;
      guint length;

      if (pos >= size || data[pos] != 0xFF)
        {
          g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                       _("Image %s: expected a JPEG marker at byte %" G_GSIZE_FORMAT
                         " of %" G_GSIZE_FORMAT " before the frame header"),
                       image_id, pos, size);
          return FALSE;
        }
      while (pos < size && data[pos] == 0xFF)
        pos++;
      if (pos >= size)
        break;
      marker = data[pos++];

      /* Markers without a length field. */
      if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01)
        continue;
      if (marker == 0xD9 || marker == 0xDA)
        {
          g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                       _("Image %s: JPEG reaches its scan at byte %" G_GSIZE_FORMAT
                         " without a frame header (SOF)"), image_id, pos - 1);
          return FALSE;
        }
      if (pos + 2 > size)
        break;
      length = read_be16 (data + pos);
      if (length < 2)
        {
          g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                       _("Image %s: JPEG segment at byte %" G_GSIZE_FORMAT
                         " has an invalid length %u"), image_id, pos, length);
          return FALSE;
        }
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
        {
          if (pos + 7 > size)
            break;
          *height = read_be16 (data + pos + 3);
          *width = read_be16 (data + pos + 5);
          return TRUE;
        }
      pos += length;
    }

  g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
               _("Image %s: JPEG data ends at byte %" G_GSIZE_FORMAT
                 " before its frame header (SOF)"), image_id, size);
  return FALSE;
}

gboolean
md_image_check_header (GBytes      *bytes,
                       const char  *image_id,
                       const char **mime_type,
                       guint       *width,
                       guint       *height,
                       GError     **error)
{
  static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
  gsize size = 0;
  const guint8 *data;
  const char *type;
  guint w = 0;
  guint h = 0;

  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (image_id != NULL, FALSE);

  data = g_bytes_get_data (bytes, &size);

  if (size >= 8 && memcmp (data, png_signature, 8) == 0)
    {
      type = "image/png";
      if (size < 24 || memcmp (data + 12, "IHDR", 4) != 0)
        {
          g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                       _("Image %s: expected the PNG IHDR chunk at byte 8 of %" G_GSIZE_FORMAT),
                       image_id, size);
          return FALSE;
        }
      w = read_be32 (data + 16);
      h = read_be32 (data + 20);
    }
  else if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
    {
      type = "image/jpeg";
      if (!read_jpeg_size (data, size, image_id, &w, &h, error))
        return FALSE;
    }
  else
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   _("Image %s: %" G_GSIZE_FORMAT " bytes that are neither PNG nor JPEG "
                     "(expected the bytes 89 50 4E 47 or FF D8 FF at byte 0)"),
                   image_id, size);
      return FALSE;
    }

  if (w == 0 || h == 0)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   _("Image %s: the header claims an empty image (%u × %u pixels)"),
                   image_id, w, h);
      return FALSE;
    }
  if ((guint64) w * h > MD_IMAGE_MAX_PIXELS)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_UNSUPPORTED,
                   _("Image %s: the header claims %u × %u pixels, more than the limit of "
                     "%u megapixels; not decoded"),
                   image_id, w, h, MD_IMAGE_MAX_PIXELS / 1000000);
      return FALSE;
    }

  if (mime_type != NULL)
    *mime_type = type;
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
  return TRUE;
}

GdkTexture *
md_image_decode (GBytes      *bytes,
                 const char  *image_id,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *mime_type = NULL;
  GdkTexture *texture;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (image_id != NULL, NULL);

  if (!md_image_check_header (bytes, image_id, &mime_type, NULL, NULL, error))
    return NULL;

  /* GTK's own PNG/JPEG loaders: plain libpng/libjpeg, safe in a worker thread. */
  texture = gdk_texture_new_from_bytes (bytes, &local_error);
  if (texture == NULL)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   _("Image %s: could not decode %" G_GSIZE_FORMAT " bytes of %s: %s"),
                   image_id, g_bytes_get_size (bytes), mime_type, local_error->message);
      return NULL;
    }
  return texture;
}

GBytes *
md_image_loader_load_bytes (MdImageLoader  *self,
                            const char     *image_id,
                            char          **mime_type,
                            GError        **error)
{
  GBytes *bytes;

  g_return_val_if_fail (MD_IS_IMAGE_LOADER (self), NULL);
  g_return_val_if_fail (image_id != NULL, NULL);

  bytes = self->func (image_id, mime_type, error, self->func_data);
  if (bytes == NULL && error != NULL && *error == NULL)
    g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND,
                 _("Image %s: not found"), image_id);
  return bytes;
}

/* Jobs */

static gboolean
job_abandoned (MdImageLoader *self,
               Job           *job)
{
  gboolean abandoned = TRUE;

  g_mutex_lock (&self->lock);
  if (job->keep)
    abandoned = FALSE;
  for (guint i = 0; abandoned && i < job->cancellables->len; i++)
    if (!g_cancellable_is_cancelled (g_ptr_array_index (job->cancellables, i)))
      abandoned = FALSE;
  g_mutex_unlock (&self->lock);
  return abandoned;
}

static void
job_add_interest (MdImageLoader *self,
                  Job           *job,
                  GCancellable  *cancellable)
{
  g_mutex_lock (&self->lock);
  if (cancellable == NULL)
    job->keep = TRUE;
  else
    g_ptr_array_add (job->cancellables, g_object_ref (cancellable));
  g_mutex_unlock (&self->lock);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  MdImageLoader *self = source_object;
  Job *job = task_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  GdkTexture *texture;

  if (job_abandoned (self, job))
    goto cancelled;

  bytes = md_image_loader_load_bytes (self, job->id, NULL, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (job_abandoned (self, job))
    goto cancelled;

  texture = md_image_decode (bytes, job->id, &error);
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
  return;

cancelled:
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           "Image %s: load cancelled", job->id);
}

static Job *start_job (MdImageLoader *self,
                       const char    *image_id,
                       GCancellable  *cancellable);

static void
job_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  MdImageLoader *self = MD_IMAGE_LOADER (object);
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  g_hash_table_remove (self->jobs, job->id);

  if (texture != NULL)
    cache_insert (self, job->id, texture);

  for (guint i = 0; i < job->waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (job->waiters, i);

      if (texture != NULL)
        g_task_return_pointer (waiter, g_object_ref (texture), g_object_unref);
      else if (g_task_return_error_if_cancelled (waiter))
        ;
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Joined after the job gave up: start over for this caller. */
          Job *again = g_hash_table_lookup (self->jobs, job->id);

          if (again == NULL)
            again = start_job (self, job->id, g_task_get_cancellable (waiter));
          else
            job_add_interest (self, again, g_task_get_cancellable (waiter));
          g_ptr_array_add (again->waiters, g_object_ref (waiter));
        }
      else
        g_task_return_error (waiter, g_error_copy (error));
    }

  job_free (job);
}

/* Starts a job for image_id on behalf of a first party (cancellable may be NULL: never
 * abandoned). The interest is registered before the worker runs, which would otherwise see
 * nobody interested and give up at once. */
static Job *
start_job (MdImageLoader *self,
           const char    *image_id,
           GCancellable  *cancellable)
{
  g_autoptr(GTask) task = NULL;
  Job *job = g_new0 (Job, 1);

  job->id = g_strdup (image_id);
  job->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  job->cancellables = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_insert (self->jobs, job->id, job);
  job_add_interest (self, job, cancellable);

  task = g_task_new (self, NULL, job_done, job);
  g_task_set_source_tag (task, start_job);
  g_task_set_task_data (task, job, NULL);
  g_task_run_in_thread (task, job_thread);
  return job;
}

void
md_image_loader_load_async (MdImageLoader       *self,
                            const char          *image_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  Job *job;

  g_return_if_fail (MD_IS_IMAGE_LOADER (self));
  g_return_if_fail (image_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_image_loader_load_async);

  texture = md_image_loader_lookup (self, image_id);
  if (texture != NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
      return;
    }

  job = g_hash_table_lookup (self->jobs, image_id);
  if (job == NULL)
    job = start_job (self, image_id, cancellable);
  else
    job_add_interest (self, job, cancellable);
  g_ptr_array_add (job->waiters, g_steal_pointer (&task));
}

GdkTexture *
md_image_loader_load_finish (MdImageLoader  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (MD_IS_IMAGE_LOADER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
md_image_loader_prefetch (MdImageLoader      *self,
                          const char * const *ids)
{
  g_return_if_fail (MD_IS_IMAGE_LOADER (self));

  if (self->prefetch_cancellable != NULL)
    g_cancellable_cancel (self->prefetch_cancellable);
  g_clear_object (&self->prefetch_cancellable);

  if (ids == NULL || ids[0] == NULL)
    return;

  self->prefetch_cancellable = g_cancellable_new ();
  for (guint i = 0; ids[i] != NULL; i++)
    {
      Job *job;

      if (g_hash_table_contains (self->cache, ids[i]))
        continue;
      job = g_hash_table_lookup (self->jobs, ids[i]);
      if (job == NULL)
        start_job (self, ids[i], self->prefetch_cancellable);
      else
        job_add_interest (self, job, self->prefetch_cancellable);
    }
}
