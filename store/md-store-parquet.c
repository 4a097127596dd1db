/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "md-base64.h"
#include "md-error.h"
#include "md-import-parquet-private.h"

/* Reading one image back from a Parquet store at its indexed location. Opening a store parses
 * every part's footer, so opened stores are kept (a few, by path) and reused while their part
 * files keep their size and mtime; showing an image then decodes one page. */

#define MAX_OPEN_STORES 8

typedef struct
{
  MdParquetDataset *ds;
  GArray *stamps;               /* gint64 pairs (size, mtime) per part */
} OpenStore;

static GMutex lock;
static GHashTable *stores;      /* path -> OpenStore */

static void
open_store_free (OpenStore *store)
{
  g_clear_object (&store->ds);
  g_clear_pointer (&store->stamps, g_array_unref);
  g_free (store);
}

static gboolean
stamp_of (const char *path,
          gint64     *stamp)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return FALSE;
  stamp[0] = st.st_size;
  stamp[1] = st.st_mtime;
  return TRUE;
}

/* Called with `lock` held. The part holding `loc` is checked against its stamp: a store rewritten
 * since it was opened is opened again (and then read at the indexed place, which the next import
 * corrects). */
static MdParquetDataset *
get_store (const char                   *path,
           const MdParquetValueLocation *loc,
           GError                      **error)
{
  OpenStore *store;

  if (stores == NULL)
    stores = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) open_store_free);
  store = g_hash_table_lookup (stores, path);
  if (store != NULL && loc->part < md_parquet_dataset_get_n_parts (store->ds))
    {
      MdParquetFile *part = md_parquet_dataset_get_part (store->ds, loc->part);
      gint64 now[2];

      if (stamp_of (md_parquet_file_get_path (part), now) &&
          memcmp (now, &g_array_index (store->stamps, gint64, loc->part * 2), sizeof now) == 0)
        return store->ds;
    }

  store = g_new0 (OpenStore, 1);
  store->ds = md_parquet_dataset_open (path, error);
  if (store->ds == NULL)
    {
      open_store_free (store);
      return NULL;
    }
  store->stamps = g_array_new (FALSE, TRUE, sizeof (gint64));
  for (guint i = 0; i < md_parquet_dataset_get_n_parts (store->ds); i++)
    {
      gint64 stamp[2] = { -1, -1 };

      stamp_of (md_parquet_file_get_path (md_parquet_dataset_get_part (store->ds, i)), stamp);
      g_array_append_vals (store->stamps, stamp, 2);
    }
  if (g_hash_table_size (stores) >= MAX_OPEN_STORES && !g_hash_table_contains (stores, path))
    g_hash_table_remove_all (stores);
  g_hash_table_replace (stores, g_strdup (path), store);
  return store->ds;
}

/* The value as the store holds it. A location that no longer fits the file means the store
 * changed since the import: that is an I/O matter, not a missing image. */
static GBytes *
read_value (const char                   *path,
            const MdParquetValueLocation *loc,
            const char                   *image_id,
            GError                      **error)
{
  g_autoptr(GError) local_error = NULL;
  MdParquetDataset *ds;
  GBytes *value = NULL;

  g_mutex_lock (&lock);
  ds = get_store (path, loc, &local_error);
  if (ds != NULL)
    value = md_parquet_read_value (ds, loc, &local_error);
  g_mutex_unlock (&lock);
  if (value != NULL)
    return value;

  if (g_error_matches (local_error, MD_ERROR, MD_ERROR_NOT_FOUND))
    g_set_error (error, MD_ERROR, MD_ERROR_IO, "image “%s”: %s (store changed since the import?)",
                 image_id, local_error->message);
  else
    g_set_error (error, MD_ERROR, local_error->domain == MD_ERROR ? local_error->code
                                                                  : MD_ERROR_IO,
                 "image “%s”: %s", image_id, local_error->message);
  return NULL;
}

gboolean
_md_store_parquet_lookup (sqlite3                *db,
                          const char             *image_id,
                          char                  **out_path,
                          MdParquetValueLocation *out_loc)
{
  g_auto(sqlite3_stmt_ptr) stmt = NULL;

  /* Joined with `images` so that the store that last provided the id wins, as for JSON. */
  stmt = _md_index_prepare (db,
    "SELECT f.path, q.part, q.row_group, q.column_index, q.flags, q.page_offset, "
    "q.value_index, q.byte_offset, q.byte_length FROM parquet_locations q "
    "JOIN images i ON i.image_id = q.image_id AND i.file_id = q.file_id "
    "JOIN files f ON f.id = q.file_id WHERE q.image_id = ?", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, image_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  memset (out_loc, 0, sizeof *out_loc);
  *out_path = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  out_loc->part = sqlite3_column_int64 (stmt, 1);
  out_loc->row_group = sqlite3_column_int64 (stmt, 2);
  out_loc->column = sqlite3_column_int64 (stmt, 3);
  out_loc->flags = sqlite3_column_int64 (stmt, 4);
  out_loc->page_offset = sqlite3_column_int64 (stmt, 5);
  out_loc->value_index = sqlite3_column_int64 (stmt, 6);
  out_loc->byte_offset = sqlite3_column_int64 (stmt, 7);
  out_loc->byte_length = sqlite3_column_int64 (stmt, 8);
  return TRUE;
}

GBytes *
_md_store_parquet_read_image (const char                   *path,
                              const MdParquetValueLocation *loc,
                              const char                   *image_id,
                              GError                      **error)
{
  g_autoptr(GBytes) value = read_value (path, loc, image_id, error);
  GBytes *decoded;
  gsize bad = 0;

  if (value == NULL || !(loc->flags & MD_PARQUET_VALUE_BASE64))
    return g_steal_pointer (&value);
  decoded = md_base64_decode (g_bytes_get_data (value, NULL), g_bytes_get_size (value), &bad);
  if (decoded == NULL)
    g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                 "%s: image “%s” (row group %u, page at byte %" G_GUINT64_FORMAT ") is not "
                 "base64 (character %" G_GSIZE_FORMAT "), expected a base64 PNG or JPEG", path,
                 image_id, loc->row_group, (guint64) loc->page_offset, bad);
  return decoded;
}

GBytes *
_md_store_parquet_read_base64 (const char                   *path,
                               const MdParquetValueLocation *loc,
                               const char                   *image_id,
                               GError                      **error)
{
  g_autoptr(GBytes) value = read_value (path, loc, image_id, error);
  g_autoptr(GBytes) decoded = NULL;
  const char *text;
  gsize len, bad = 0;

  if (value == NULL)
    return NULL;
  text = g_bytes_get_data (value, &len);
  if (!(loc->flags & MD_PARQUET_VALUE_BASE64))
    {
      char *encoded = g_base64_encode ((const guchar *) text, len);

      return g_bytes_new_take (encoded, strlen (encoded));
    }
  /* Clean base64 is copied as stored, like a JSON store's value. */
  if (md_base64_is_valid (text, len, &bad))
    return g_steal_pointer (&value);
  decoded = md_base64_decode (text, len, &bad);
  if (decoded != NULL)
    {
      gsize n;
      const guchar *bytes = g_bytes_get_data (decoded, &n);
      char *encoded = g_base64_encode (bytes, n);

      return g_bytes_new_take (encoded, strlen (encoded));
    }
  else
    {
      /* Not base64 at all: still written where a JSON string can hold it, and still not
       * decodable, so that whoever checks the copy sees what the source held. */
      char *copy = g_memdup2 (text, len);

      for (gsize i = 0; i < len; i++)
        if (!g_ascii_isalnum (copy[i]) && copy[i] != '+' && copy[i] != '/' && copy[i] != '=')
          copy[i] = '!';
      return g_bytes_new_take (copy, len);
    }
}
