/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include "md-id-set-private.h"

/* FNV-1a over the bytes, then a 64-bit finaliser so that ids differing only in their last
 * digits spread over the whole table. Never 0, which marks a free slot. */
static guint64
hash_id (const char *id,
         gsize       len)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (gsize i = 0; i < len; i++)
    {
      h ^= (guchar) id[i];
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  h ^= h >> 33;
  return h != 0 ? h : 1;
}

static void
allocate (MdIdSet *set,
          gsize    capacity)
{
  set->slots = g_new0 (guint64, capacity);
  set->mask = capacity - 1;
  set->n = 0;
}

static void
insert_hash (MdIdSet *set,
             guint64  h)
{
  gsize i = h & set->mask;

  while (set->slots[i] != 0)
    {
      if (set->slots[i] == h)
        return;
      i = (i + 1) & set->mask;
    }
  set->slots[i] = h;
  set->n++;
}

void
_md_id_set_init (MdIdSet *set,
                 gsize    expected)
{
  gsize capacity = 64;

  /* At most 70% full: linear probing stays short. */
  while (capacity * 7 / 10 < expected)
    capacity *= 2;
  allocate (set, capacity);
}

void
_md_id_set_clear (MdIdSet *set)
{
  g_clear_pointer (&set->slots, g_free);
  set->mask = 0;
  set->n = 0;
}

void
_md_id_set_add (MdIdSet    *set,
                const char *id,
                gsize       len)
{
  if ((set->n + 1) * 10 > (set->mask + 1) * 7)
    {
      guint64 *old = set->slots;
      gsize old_capacity = set->mask + 1;

      allocate (set, old_capacity * 2);
      for (gsize i = 0; i < old_capacity; i++)
        if (old[i] != 0)
          insert_hash (set, old[i]);
      g_free (old);
    }
  insert_hash (set, hash_id (id, len));
}

gboolean
_md_id_set_contains (const MdIdSet *set,
                     const char    *id,
                     gsize          len)
{
  guint64 h = hash_id (id, len);
  gsize i = h & set->mask;

  while (set->slots[i] != 0)
    {
      if (set->slots[i] == h)
        return TRUE;
      i = (i + 1) & set->mask;
    }
  return FALSE;
}
