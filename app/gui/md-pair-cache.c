/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include "md-pair-cache.h"

/* A handful of entries: a list in use order is all it takes, and scanning eight of them costs
 * less than keeping a hash table in step. */

struct _MdPairCache
{
  GObject  parent_instance;

  GQueue   entries;      /* of MdPairReading *, most recently used first */
  guint    capacity;
  guint    generation;
};

G_DEFINE_FINAL_TYPE (MdPairCache, md_pair_cache, G_TYPE_OBJECT)

#define entry_free md_pair_reading_unref

static const char *
entry_id (MdPairReading *entry)
{
  return md_pair_get_id (md_pair_reading_get_pair (entry));
}

static GList *
find_link (MdPairCache *self,
           const char  *pair_id)
{
  for (GList *l = self->entries.head; l != NULL; l = l->next)
    {
      if (g_strcmp0 (entry_id (l->data), pair_id) == 0)
        return l;
    }
  return NULL;
}

static gboolean
entry_shows (MdPairReading *entry,
             const char    *pair_id)
{
  GPtrArray *examples = md_pair_reading_get_examples (entry);

  if (g_strcmp0 (entry_id (entry), pair_id) == 0)
    return TRUE;
  for (guint i = 0; examples != NULL && i < examples->len; i++)
    {
      MdPair *example = g_ptr_array_index (examples, i);

      if (example != NULL && g_strcmp0 (md_pair_get_id (example), pair_id) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
md_pair_cache_finalize (GObject *object)
{
  MdPairCache *self = MD_PAIR_CACHE (object);

  g_queue_clear_full (&self->entries, (GDestroyNotify) entry_free);

  G_OBJECT_CLASS (md_pair_cache_parent_class)->finalize (object);
}

static void
md_pair_cache_class_init (MdPairCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = md_pair_cache_finalize;
}

static void
md_pair_cache_init (MdPairCache *self)
{
  g_queue_init (&self->entries);
}

MdPairCache *
md_pair_cache_new (guint capacity)
{
  MdPairCache *self;

  g_return_val_if_fail (capacity > 0, NULL);

  self = g_object_new (MD_TYPE_PAIR_CACHE, NULL);
  self->capacity = capacity;
  return self;
}

guint
md_pair_cache_get_generation (MdPairCache *self)
{
  g_return_val_if_fail (MD_IS_PAIR_CACHE (self), 0);
  return self->generation;
}

void
md_pair_cache_insert (MdPairCache   *self,
                      guint          generation,
                      MdPairReading *reading)
{
  GList *link;

  g_return_if_fail (MD_IS_PAIR_CACHE (self));
  g_return_if_fail (reading != NULL);

  if (generation != self->generation)
    return;

  /* The newer read wins: it may have seen a change the older one missed. */
  if ((link = find_link (self, entry_id (reading))) != NULL)
    {
      entry_free (link->data);
      g_queue_delete_link (&self->entries, link);
    }

  g_queue_push_head (&self->entries, md_pair_reading_ref (reading));

  while (self->entries.length > self->capacity)
    entry_free (g_queue_pop_tail (&self->entries));
}

gboolean
md_pair_cache_contains (MdPairCache *self,
                        const char  *pair_id)
{
  g_return_val_if_fail (MD_IS_PAIR_CACHE (self), FALSE);
  return pair_id != NULL && find_link (self, pair_id) != NULL;
}

MdPairReading *
md_pair_cache_lookup (MdPairCache *self,
                      const char  *pair_id)
{
  GList *link;

  g_return_val_if_fail (MD_IS_PAIR_CACHE (self), NULL);

  if (pair_id == NULL || (link = find_link (self, pair_id)) == NULL)
    return NULL;

  g_queue_unlink (&self->entries, link);
  g_queue_push_head_link (&self->entries, link);
  return link->data;
}

void
md_pair_cache_invalidate (MdPairCache *self,
                          const char  *pair_id)
{
  GList *l;

  g_return_if_fail (MD_IS_PAIR_CACHE (self));

  if (pair_id == NULL)
    return;

  l = self->entries.head;
  while (l != NULL)
    {
      GList *next = l->next;

      if (entry_shows (l->data, pair_id))
        {
          entry_free (l->data);
          g_queue_delete_link (&self->entries, l);
        }
      l = next;
    }
}

void
md_pair_cache_clear (MdPairCache *self)
{
  g_return_if_fail (MD_IS_PAIR_CACHE (self));

  g_queue_clear_full (&self->entries, (GDestroyNotify) entry_free);
  g_queue_init (&self->entries);
  self->generation++;
}

guint
md_pair_cache_get_n_entries (MdPairCache *self)
{
  g_return_val_if_fail (MD_IS_PAIR_CACHE (self), 0);
  return self->entries.length;
}
