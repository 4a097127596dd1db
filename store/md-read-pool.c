/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include "md-index-private.h"
#include "md-read-pool-private.h"

struct _MdReadPool
{
  char      *path;
  GMutex     lock;
  GCond      cond;
  GPtrArray *idle;      /* sqlite3 * */
  guint      n_open;
  guint      size;
  gboolean   broken;
};

MdReadPool *
_md_read_pool_new (const char *path,
                   guint       size)
{
  MdReadPool *pool = g_new0 (MdReadPool, 1);

  g_assert (path != NULL);
  g_assert (size > 0);

  pool->path = g_strdup (path);
  pool->size = size;
  pool->idle = g_ptr_array_new ();
  g_mutex_init (&pool->lock);
  g_cond_init (&pool->cond);
  return pool;
}

void
_md_read_pool_free (MdReadPool *pool)
{
  if (pool == NULL)
    return;
  /* Every connection must be back: the store is being finalized, nobody can be reading. */
  g_assert (pool->idle->len == pool->n_open);
  for (guint i = 0; i < pool->idle->len; i++)
    sqlite3_close (g_ptr_array_index (pool->idle, i));
  g_ptr_array_unref (pool->idle);
  g_mutex_clear (&pool->lock);
  g_cond_clear (&pool->cond);
  g_free (pool->path);
  g_free (pool);
}

static sqlite3 *
open_reader (const char *path)
{
  sqlite3 *db = NULL;

  /* One thread at a time uses a connection, so SQLite's own mutex would only cost. */
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_debug ("cannot open %s for reading: %s", path,
               db != NULL ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 30000);
  sqlite3_extended_result_codes (db, 1);
  if (!_md_index_register_functions (db, NULL) ||
      !_md_index_exec (db, "PRAGMA temp_store = MEMORY;"
                           "PRAGMA cache_size = -16384;", NULL) ||
      !_md_index_attach_search (db, path, FALSE, NULL))
    {
      sqlite3_close (db);
      return NULL;
    }
  /* Read one page now: a file that is not (or no longer) the index fails here, not later in
   * the middle of a caller's statement. */
  {
    g_auto(sqlite3_stmt_ptr) version = _md_index_prepare (db, "PRAGMA user_version", NULL);

    if (version == NULL || sqlite3_step (version) != SQLITE_ROW ||
        sqlite3_column_int (version, 0) != MD_INDEX_SCHEMA_VERSION)
      {
        g_clear_pointer (&version, sqlite3_finalize);
        sqlite3_close (db);
        return NULL;
      }
  }
  return db;
}

sqlite3 *
_md_read_pool_acquire (MdReadPool *pool)
{
  sqlite3 *db = NULL;

  g_mutex_lock (&pool->lock);
  for (;;)
    {
      if (pool->idle->len > 0)
        {
          db = g_ptr_array_steal_index_fast (pool->idle, pool->idle->len - 1);
          break;
        }
      if (pool->broken)
        break;
      if (pool->n_open < pool->size)
        {
          pool->n_open++;
          g_mutex_unlock (&pool->lock);
          db = open_reader (pool->path);
          g_mutex_lock (&pool->lock);
          if (db == NULL)
            {
              pool->n_open--;
              pool->broken = TRUE;
              g_cond_broadcast (&pool->cond);
            }
          break;
        }
      g_cond_wait (&pool->cond, &pool->lock);
    }
  g_mutex_unlock (&pool->lock);
  return db;
}

void
_md_read_pool_release (MdReadPool *pool,
                       sqlite3    *db)
{
  g_assert (db != NULL);

  g_mutex_lock (&pool->lock);
  g_ptr_array_add (pool->idle, db);
  g_cond_signal (&pool->cond);
  g_mutex_unlock (&pool->lock);
}
