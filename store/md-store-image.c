/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "md-import-parquet-private.h"
#include "md-store-private.h"

/* Raw access to image values: exports copy them byte for byte instead of decoding and encoding
 * again, so what they write is provably what the source store held. */

gboolean
md_store_locate_image (MdStore     *self,
                       const char  *image_id,
                       char       **out_path,
                       gint64      *out_offset,
                       gint64      *out_length,
                       GError     **error)
{
  g_auto(sqlite3_stmt_ptr) stmt = NULL;
  gboolean found = FALSE;
  sqlite3 *db;

  g_return_val_if_fail (MD_IS_STORE (self), FALSE);
  g_return_val_if_fail (image_id != NULL, FALSE);

  db = _md_store_read_begin (self, FALSE);
  stmt = _md_index_prepare (db, "SELECT f.path, i.offset, i.length FROM images i "
                                "JOIN files f ON f.id = i.file_id WHERE i.image_id = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, image_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          found = TRUE;
          if (out_path != NULL)
            *out_path = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          if (out_offset != NULL)
            *out_offset = sqlite3_column_int64 (stmt, 1);
          if (out_length != NULL)
            *out_length = sqlite3_column_int64 (stmt, 2);
        }
      else
        g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND,
                     "image “%s” is in no imported image store", image_id);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  _md_store_read_end (self, db);
  return found;
}

GBytes *
md_store_read_image_raw (MdStore     *self,
                         const char  *image_id,
                         GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  gint64 offset = 0, length = 0;
  gssize n;
  int fd;

  g_return_val_if_fail (MD_IS_STORE (self), NULL);
  g_return_val_if_fail (image_id != NULL, NULL);

  /* A Parquet store holds base64 text or the image's bytes: either way the base64 text is
   * returned, so that exports write a JSON store that decodes to the same bytes. */
  {
    g_autofree char *parquet_path = NULL;
    MdParquetValueLocation loc;
    sqlite3 *db = _md_store_read_begin (self, FALSE);
    gboolean in_parquet = _md_store_parquet_lookup (db, image_id, &parquet_path, &loc);

    _md_store_read_end (self, db);
    if (in_parquet)
      return _md_store_parquet_read_base64 (parquet_path, &loc, image_id, error);
  }

  if (!md_store_locate_image (self, image_id, &path, &offset, &length, error))
    return NULL;

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: cannot open the image store: %s", path,
                   g_strerror (saved));
      return NULL;
    }
  text = g_malloc (length > 0 ? length : 1);
  n = pread (fd, text, length, offset);
  close (fd);
  if (n != length)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_IO,
                   "%s: image “%s” at byte %" G_GINT64_FORMAT " could not be read (file changed "
                   "since the import?)", path, image_id, offset);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&text), length);
}
