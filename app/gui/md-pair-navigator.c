/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include "md-pair-navigator.h"

/* Pairs after (and before) the selected one read and whose images are loaded ahead of time. */
#define PREFETCH_AHEAD 3
#define PREFETCH_BEHIND 1
#define PREFETCH_DELAY_MS 40
/* Room for the prefetched neighbours, the pair shown and a few just left. */
#define PAIR_CACHE_SIZE 8

struct _MdPairNavigator
{
  GObject        parent_instance;

  MdStore       *store;
  MdImageLoader *loader;
  MdPairCache   *cache;
  char          *shown_id;
  GCancellable  *read_cancellable;
  GCancellable  *prefetch_cancellable;
  guint          prefetch_source;
  GListModel    *prefetch_model;
  guint          prefetch_position;
};

G_DEFINE_FINAL_TYPE (MdPairNavigator, md_pair_navigator, G_TYPE_OBJECT)

enum {
  SHOWN,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
cancel_and_clear (GCancellable **cancellable)
{
  g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
}

static void
stop_prefetch (MdPairNavigator *self)
{
  g_clear_handle_id (&self->prefetch_source, g_source_remove);
  cancel_and_clear (&self->prefetch_cancellable);
}

/* Reading the pair shown ------------------------------------------------------------------ */

typedef struct
{
  MdPairNavigator *self;
  char            *pair_id;
  guint            generation;
} Request;

static void
request_free (Request *request)
{
  g_object_unref (request->self);
  g_free (request->pair_id);
  g_free (request);
}

static void
read_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Request *request = user_data;
  MdPairNavigator *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdPairReading) reading =
    md_store_read_pair_with_context_finish (MD_STORE (object), result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      g_strcmp0 (request->pair_id, self->shown_id) == 0)
    {
      if (reading == NULL)
        g_signal_emit (self, signals[FAILED], 0, request->pair_id, error);
      else
        {
          md_pair_cache_insert (self->cache, request->generation, reading);
          g_signal_emit (self, signals[SHOWN], 0, reading, FALSE);
        }
    }
  request_free (request);
}

static void
start_read (MdPairNavigator *self)
{
  Request *request = g_new0 (Request, 1);

  cancel_and_clear (&self->read_cancellable);
  request->self = g_object_ref (self);
  request->pair_id = g_strdup (self->shown_id);
  request->generation = md_pair_cache_get_generation (self->cache);
  self->read_cancellable = g_cancellable_new ();
  md_store_read_pair_with_context_async (self->store, self->shown_id, self->read_cancellable,
                                         read_done, request);
}

gboolean
md_pair_navigator_show (MdPairNavigator *self,
                        const char      *pair_id)
{
  MdPairReading *cached;

  g_return_val_if_fail (MD_IS_PAIR_NAVIGATOR (self), FALSE);

  if (g_strcmp0 (self->shown_id, pair_id) == 0)
    return FALSE;
  g_free (self->shown_id);
  self->shown_id = g_strdup (pair_id);
  cancel_and_clear (&self->read_cancellable);

  if (pair_id == NULL || self->store == NULL)
    return TRUE;

  /* A prefetched neighbour: its text now, in the same frame as the selection, and its images
   * from the loader, already decoded. */
  if ((cached = md_pair_cache_lookup (self->cache, pair_id)) != NULL)
    {
      g_autoptr(MdPairReading) reading = md_pair_reading_ref (cached);

      g_signal_emit (self, signals[SHOWN], 0, reading, TRUE);
      return TRUE;
    }
  start_read (self);
  return TRUE;
}

void
md_pair_navigator_reload (MdPairNavigator *self)
{
  g_return_if_fail (MD_IS_PAIR_NAVIGATOR (self));

  if (self->shown_id == NULL || self->store == NULL)
    return;
  md_pair_cache_invalidate (self->cache, self->shown_id);
  start_read (self);
}

void
md_pair_navigator_invalidate (MdPairNavigator *self,
                              const char      *pair_id)
{
  g_return_if_fail (MD_IS_PAIR_NAVIGATOR (self));
  md_pair_cache_invalidate (self->cache, pair_id);
}

/* Prefetching ------------------------------------------------------------------------------- */

typedef struct
{
  MdPairNavigator *self;
  GStrv            ids;          /* the neighbours, nearest first */
  guint            generation;
} Prefetch;

static void
prefetch_free (Prefetch *prefetch)
{
  g_object_unref (prefetch->self);
  g_strfreev (prefetch->ids);
  g_free (prefetch);
}

/* The pairs read go to the cache, so that moving to one of them needs no worker; their images
 * go to the loader, so that they are decoded by then. */
static void
prefetch_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Prefetch *prefetch = user_data;
  MdPairNavigator *self = prefetch->self;
  g_autoptr(GPtrArray) readings = md_store_read_pairs_with_context_finish (MD_STORE (object),
                                                                          result, NULL);
  g_autoptr(GStrvBuilder) image_ids = g_strv_builder_new ();
  g_auto(GStrv) images = NULL;

  if (readings == NULL)
    {
      prefetch_free (prefetch);
      return;
    }
  for (guint i = 0; i < readings->len; i++)
    md_pair_cache_insert (self->cache, prefetch->generation, g_ptr_array_index (readings, i));

  for (guint i = 0; prefetch->generation == md_pair_cache_get_generation (self->cache) &&
                    prefetch->ids[i] != NULL; i++)
    {
      MdPairReading *reading = md_pair_cache_lookup (self->cache, prefetch->ids[i]);
      const char * const *ids = reading != NULL
                                ? md_pair_get_image_ids (md_pair_reading_get_pair (reading))
                                : NULL;

      for (guint j = 0; ids != NULL && ids[j] != NULL; j++)
        g_strv_builder_add (image_ids, ids[j]);
    }
  /* Looking the neighbours up marked them used: the pair shown goes back in front of them. */
  md_pair_cache_lookup (self->cache, self->shown_id);

  images = g_strv_builder_end (image_ids);
  if (self->loader != NULL && images[0] != NULL)
    md_image_loader_prefetch (self->loader, (const char * const *) images);
  prefetch_free (prefetch);
}

static void
prefetch_now (MdPairNavigator *self)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) to_read = g_strv_builder_new ();
  g_auto(GStrv) to_read_ids = NULL;
  Prefetch *prefetch;
  guint position = self->prefetch_position;

  stop_prefetch (self);
  if (self->prefetch_model == NULL || self->store == NULL)
    return;

  /* Next pairs first: j is pressed far more often than k. */
  for (gint i = 1; i <= PREFETCH_AHEAD + PREFETCH_BEHIND; i++)
    {
      gint offset = i <= PREFETCH_AHEAD ? i : PREFETCH_AHEAD - i;
      g_autoptr(MdPair) row = NULL;

      if (offset < 0 && position < (guint) -offset)
        continue;
      if ((row = g_list_model_get_item (self->prefetch_model, position + offset)) == NULL)
        continue;
      g_strv_builder_add (ids, md_pair_get_id (row));
      if (!md_pair_cache_contains (self->cache, md_pair_get_id (row)))
        g_strv_builder_add (to_read, md_pair_get_id (row));
    }

  prefetch = g_new0 (Prefetch, 1);
  prefetch->self = g_object_ref (self);
  prefetch->ids = g_strv_builder_end (ids);
  prefetch->generation = md_pair_cache_get_generation (self->cache);
  to_read_ids = g_strv_builder_end (to_read);

  self->prefetch_cancellable = g_cancellable_new ();
  md_store_read_pairs_with_context_async (self->store, (const char * const *) to_read_ids,
                                          self->prefetch_cancellable, prefetch_done, prefetch);
}

static gboolean
prefetch_timeout (gpointer user_data)
{
  MdPairNavigator *self = user_data;

  self->prefetch_source = 0;
  prefetch_now (self);
  return G_SOURCE_REMOVE;
}

/* The store has only a few read connections, so prefetching competes with showing the pair the
 * user is on. Waiting a moment lets the current pair's images go first. The wait is not started
 * again by every step: a user holding j down (30 steps a second) still gets a prefetch from
 * wherever the selection is when it ends, so the walk finds the pairs ahead ready, and loads for
 * pairs left behind are cancelled by the next prefetch. A pair shown from the cache had its
 * images prefetched and leaves one new neighbour to read: that goes once the frame is drawn. */
void
md_pair_navigator_prefetch_around (MdPairNavigator *self,
                                   GListModel      *model,
                                   guint            position,
                                   gboolean         at_once)
{
  g_return_if_fail (MD_IS_PAIR_NAVIGATOR (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  g_set_object (&self->prefetch_model, model);
  self->prefetch_position = position;
  if (model == NULL || position == G_MAXUINT /* GTK_INVALID_LIST_POSITION */)
    {
      stop_prefetch (self);
      g_clear_object (&self->prefetch_model);
      return;
    }
  if (at_once)
    {
      g_clear_handle_id (&self->prefetch_source, g_source_remove);
      self->prefetch_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, prefetch_timeout, self,
                                               NULL);
    }
  else if (self->prefetch_source == 0)
    self->prefetch_source = g_timeout_add (PREFETCH_DELAY_MS, prefetch_timeout, self);
}

/* Store --------------------------------------------------------------------------------------- */

void
md_pair_navigator_clear (MdPairNavigator *self)
{
  g_return_if_fail (MD_IS_PAIR_NAVIGATOR (self));
  md_pair_cache_clear (self->cache);
}

void
md_pair_navigator_set_store (MdPairNavigator *self,
                             MdStore         *store,
                             MdImageLoader   *loader)
{
  g_return_if_fail (MD_IS_PAIR_NAVIGATOR (self));

  cancel_and_clear (&self->read_cancellable);
  stop_prefetch (self);
  g_clear_object (&self->prefetch_model);
  g_clear_pointer (&self->shown_id, g_free);
  g_set_object (&self->store, store);
  g_set_object (&self->loader, loader);
  md_pair_cache_clear (self->cache);
}

MdPairCache *
md_pair_navigator_get_cache (MdPairNavigator *self)
{
  g_return_val_if_fail (MD_IS_PAIR_NAVIGATOR (self), NULL);
  return self->cache;
}

const char *
md_pair_navigator_get_shown_id (MdPairNavigator *self)
{
  g_return_val_if_fail (MD_IS_PAIR_NAVIGATOR (self), NULL);
  return self->shown_id;
}

static void
md_pair_navigator_dispose (GObject *object)
{
  MdPairNavigator *self = MD_PAIR_NAVIGATOR (object);

  cancel_and_clear (&self->read_cancellable);
  stop_prefetch (self);
  g_clear_object (&self->prefetch_model);
  g_clear_object (&self->store);
  g_clear_object (&self->loader);
  G_OBJECT_CLASS (md_pair_navigator_parent_class)->dispose (object);
}

static void
md_pair_navigator_finalize (GObject *object)
{
  MdPairNavigator *self = MD_PAIR_NAVIGATOR (object);

  g_clear_object (&self->cache);
  g_free (self->shown_id);
  G_OBJECT_CLASS (md_pair_navigator_parent_class)->finalize (object);
}

static void
md_pair_navigator_class_init (MdPairNavigatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = md_pair_navigator_dispose;
  object_class->finalize = md_pair_navigator_finalize;

  signals[SHOWN] = g_signal_new ("shown", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 2, MD_TYPE_PAIR_READING,
                                 G_TYPE_BOOLEAN);
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
}

static void
md_pair_navigator_init (MdPairNavigator *self)
{
  self->cache = md_pair_cache_new (PAIR_CACHE_SIZE);
}

MdPairNavigator *
md_pair_navigator_new (void)
{
  return g_object_new (MD_TYPE_PAIR_NAVIGATOR, NULL);
}
