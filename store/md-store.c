/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "md-base64.h"
#include "md-import-parquet-private.h"
#include "md-pair-list-private.h"
#include "md-pair-private.h"
#include "md-read-pool-private.h"
#include "md-store-private.h"

/* Readers besides the store's own connection: the pair shown, the pairs prefetched around it
 * and the list's pages each get one, and images take the rest. */
#define READ_POOL_SIZE 3

struct _MdStore
{
  GObject   parent_instance;

  char     *path;
  sqlite3  *db;
  GMutex    lock;
  MdReadPool *readers;
};

G_DEFINE_FINAL_TYPE (MdStore, md_store, G_TYPE_OBJECT)

static void
md_store_finalize (GObject *object)
{
  MdStore *self = MD_STORE (object);

  g_clear_pointer (&self->readers, _md_read_pool_free);
  g_clear_pointer (&self->db, sqlite3_close);
  g_free (self->path);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (md_store_parent_class)->finalize (object);
}

static void
md_store_class_init (MdStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = md_store_finalize;
}

static void
md_store_init (MdStore *self)
{
  g_mutex_init (&self->lock);
}

void
md_dataset_info_free (MdDatasetInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->code);
  g_free (info);
}

void
md_problem_count_free (MdProblemCount *count)
{
  if (count == NULL)
    return;
  g_free (count->kind);
  g_free (count);
}

sqlite3 *
_md_store_lock (MdStore *self)
{
  g_mutex_lock (&self->lock);
  return self->db;
}

void
_md_store_unlock (MdStore *self)
{
  g_mutex_unlock (&self->lock);
}

sqlite3 *
_md_store_read_begin (MdStore  *self,
                      gboolean  needs_review)
{
  sqlite3 *db = NULL;

  if (!needs_review)
    db = _md_read_pool_acquire (self->readers);
  return db != NULL ? db : _md_store_lock (self);
}

void
_md_store_read_end (MdStore *self,
                    sqlite3 *db)
{
  if (db == self->db)
    _md_store_unlock (self);
  else
    _md_read_pool_release (self->readers, db);
}

MdStore *
md_store_open (const char  *index_path,
               GError     **error)
{
  g_autoptr(MdStore) self = NULL;

  g_return_val_if_fail (index_path != NULL, NULL);

  self = g_object_new (MD_TYPE_STORE, NULL);
  self->path = g_canonicalize_filename (index_path, NULL);
  self->db = _md_index_open (self->path, FALSE, error);
  if (self->db == NULL)
    return NULL;
  self->readers = _md_read_pool_new (self->path, READ_POOL_SIZE);
  return g_steal_pointer (&self);
}

const char *
md_store_get_path (MdStore *self)
{
  g_return_val_if_fail (MD_IS_STORE (self), NULL);
  return self->path;
}

gboolean
md_store_import (MdStore               *self,
                 const char * const    *paths,
                 MdImportProgressFunc   progress,
                 gpointer               progress_data,
                 GCancellable          *cancellable,
                 MdImportReport       **out_report,
                 GError               **error)
{
  g_autoptr(MdImportReport) report = md_import_report_new ();
  gboolean ok;

  g_return_val_if_fail (MD_IS_STORE (self), FALSE);
  g_return_val_if_fail (paths != NULL, FALSE);

  ok = _md_import_run (self->path, paths, progress, progress_data, cancellable, report, error);
  if (out_report != NULL)
    *out_report = g_steal_pointer (&report);
  return ok;
}

typedef struct
{
  GStrv                 paths;
  MdImportProgressFunc  progress;
  gpointer              progress_data;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_strfreev (data->paths);
  g_free (data);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  MdStore *self = source_object;
  ImportData *data = task_data;
  g_autoptr(MdImportReport) report = md_import_report_new ();
  GError *error = NULL;

  if (_md_import_run (self->path, (const char * const *) data->paths, data->progress,
                      data->progress_data, cancellable, report, &error))
    g_task_return_pointer (task, g_steal_pointer (&report), g_object_unref);
  else
    g_task_return_error (task, error);
}

void
md_store_import_async (MdStore               *self,
                       const char * const    *paths,
                       MdImportProgressFunc   progress,
                       gpointer               progress_data,
                       GCancellable          *cancellable,
                       GAsyncReadyCallback    callback,
                       gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportData *data;

  g_return_if_fail (MD_IS_STORE (self));
  g_return_if_fail (paths != NULL);

  data = g_new0 (ImportData, 1);
  data->paths = g_strdupv ((GStrv) paths);
  data->progress = progress;
  data->progress_data = progress_data;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_store_import_async);
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);
  g_task_run_in_thread (task, import_thread);
}

MdImportReport *
md_store_import_finish (MdStore       *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (MD_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

GPtrArray *
md_store_list_datasets (MdStore  *self,
                        GError  **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) md_dataset_info_free);
  g_auto(sqlite3_stmt_ptr) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (MD_IS_STORE (self), NULL);

  db = _md_store_lock (self);
  stmt = _md_index_prepare (db,
    "SELECT d.code, d.n_pairs, "
    "  (SELECT coalesce(sum(n_records), 0) FROM files f WHERE f.dataset_id = d.id AND f.kind = ?),"
    "  (SELECT count(*) FROM problems p WHERE p.dataset_id = d.id) "
    "FROM datasets d ORDER BY d.code", error);
  if (stmt == NULL)
    {
      _md_store_unlock (self);
      return NULL;
    }
  sqlite3_bind_int (stmt, 1, MD_FILE_KIND_IMAGE_STORE);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      MdDatasetInfo *info = g_new0 (MdDatasetInfo, 1);

      info->code = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      info->n_pairs = sqlite3_column_int (stmt, 1);
      info->n_images = sqlite3_column_int (stmt, 2);
      info->n_problems = sqlite3_column_int (stmt, 3);
      g_ptr_array_add (list, info);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  _md_store_unlock (self);
  return g_steal_pointer (&list);
}

static GStrv
split_ids (const char *joined)
{
  if (joined == NULL || *joined == '\0')
    return g_new0 (char *, 1);
  return g_strsplit (joined, "\n", -1);
}

static GStrv
refs_of_kind (sqlite3    *db,
              const char *pair_id,
              const char *kind)
{
  g_auto(sqlite3_stmt_ptr) stmt = _md_index_prepare (db,
    "SELECT DISTINCT ref FROM problems WHERE pair_id = ? AND kind = ? ORDER BY id", NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, pair_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        if (sqlite3_column_text (stmt, 0) != NULL)
          g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
    }
  return g_strv_builder_end (builder);
}

MdPair *
md_store_get_pair (MdStore     *self,
                   const char  *pair_id,
                   GError     **error)
{
  g_autoptr(MdPair) pair = NULL;
  g_auto(sqlite3_stmt_ptr) stmt = NULL;
  g_auto(sqlite3_stmt_ptr) texts = NULL;
  g_auto(GStrv) all_dangling = NULL;
  g_autoptr(GStrvBuilder) dangling = g_strv_builder_new ();
  sqlite3 *db;
  gint64 rowid;

  g_return_val_if_fail (MD_IS_STORE (self), NULL);
  g_return_val_if_fail (pair_id != NULL, NULL);

  db = _md_store_read_begin (self, FALSE);
  stmt = _md_index_prepare (db,
    "SELECT p.rowid, p.pair_id, d.code, p.modality, p.n_images, p.languages, p.flags, "
    "r.image_ids, r.rel_ins_ids, l.context_ids FROM pairs p JOIN datasets d "
    "ON d.id = p.dataset_id LEFT JOIN pair_refs r ON r.pair_rowid = p.rowid "
    "LEFT JOIN train_links l ON l.pair_id = p.pair_id "
    "WHERE p.pair_id = ?", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, pair_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND, "no pair “%s” in the index %s",
                   pair_id, self->path);
      goto out;
    }
  pair = _md_pair_new ();
  rowid = sqlite3_column_int64 (stmt, 0);
  pair->full = TRUE;
  pair->order = rowid;
  pair->id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  pair->dataset = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  pair->modality = sqlite3_column_int (stmt, 3);
  pair->n_images = sqlite3_column_int (stmt, 4);
  pair->languages = sqlite3_column_int (stmt, 5);
  pair->flags = sqlite3_column_int (stmt, 6);
  pair->image_ids = split_ids ((const char *) sqlite3_column_text (stmt, 7));
  /* _train.json, when present, overrides rel_ins_ids. */
  if (sqlite3_column_type (stmt, 9) != SQLITE_NULL)
    pair->context_ids = split_ids ((const char *) sqlite3_column_text (stmt, 9));
  else
    pair->context_ids = split_ids ((const char *) sqlite3_column_text (stmt, 8));

  texts = _md_index_prepare (db, "SELECT key & 7, instruction, answer FROM texts "
                                 "WHERE key BETWEEN ?1 * 8 AND ?1 * 8 + 7", error);
  if (texts == NULL)
    {
      g_clear_object (&pair);
      goto out;
    }
  sqlite3_bind_int64 (texts, 1, rowid);
  while (sqlite3_step (texts) == SQLITE_ROW)
    {
      int language = sqlite3_column_int (texts, 0);

      for (guint f = 0; f < MD_N_FIELDS; f++)
        if (sqlite3_column_type (texts, 1 + f) != SQLITE_NULL)
          pair->texts[language][f] = g_strdup ((const char *) sqlite3_column_text (texts, 1 + f));
    }
  pair->summary = _md_pair_make_summary (pair->texts[MD_LANGUAGE_EN][MD_FIELD_INSTRUCTION]);
  pair->missing_image_ids = refs_of_kind (db, pair->id, "missing_image");

  /* Only the links shown are reported as dangling here. */
  all_dangling = refs_of_kind (db, pair->id, "dangling_context");
  for (guint i = 0; all_dangling[i] != NULL; i++)
    if (g_strv_contains ((const char * const *) pair->context_ids, all_dangling[i]))
      g_strv_builder_add (dangling, all_dangling[i]);
  pair->dangling_context_ids = g_strv_builder_end (dangling);

out:
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_clear_pointer (&texts, sqlite3_finalize);
  _md_store_read_end (self, db);
  return g_steal_pointer (&pair);
}

GBytes *
md_store_load_image (MdStore     *self,
                     const char  *image_id,
                     char       **out_mime_type,
                     GError     **error)
{
  g_auto(sqlite3_stmt_ptr) stmt = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *parquet_path = NULL;
  MdParquetValueLocation parquet_loc;
  gboolean in_parquet;
  gint64 offset = 0, length = 0;
  const char *mime;
  gsize bad = 0;
  sqlite3 *db;
  gssize n;
  int fd;

  g_return_val_if_fail (MD_IS_STORE (self), NULL);
  g_return_val_if_fail (image_id != NULL, NULL);

  db = _md_store_read_begin (self, FALSE);
  in_parquet = _md_store_parquet_lookup (db, image_id, &parquet_path, &parquet_loc);
  stmt = _md_index_prepare (db, "SELECT f.path, i.offset, i.length FROM images i "
                                "JOIN files f ON f.id = i.file_id WHERE i.image_id = ?", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, image_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          path = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          offset = sqlite3_column_int64 (stmt, 1);
          length = sqlite3_column_int64 (stmt, 2);
        }
      else
        g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND,
                     "image “%s” is in no imported image store", image_id);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  _md_store_read_end (self, db);
  if (path == NULL)
    return NULL;
  if (in_parquet)
    {
      /* One page of a Parquet store (md-store-parquet.c). */
      bytes = _md_store_parquet_read_image (parquet_path, &parquet_loc, image_id, error);
      if (bytes == NULL)
        return NULL;
      goto sniff;
    }

  /* Read just this value; the store itself may be hundreds of gigabytes. */
  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: cannot open the image store: %s", path,
                   g_strerror (saved));
      return NULL;
    }
  text = g_malloc (length + 1);
  n = pread (fd, text, length, offset);
  close (fd);
  if (n != length)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_IO,
                   "%s: image “%s” at byte %" G_GINT64_FORMAT " could not be read (file changed "
                   "since the import?)", path, image_id, offset);
      return NULL;
    }
  bytes = md_base64_decode (text, length, &bad);
  if (bytes == NULL)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "%s: image “%s” at byte %" G_GINT64_FORMAT " is not base64 (byte %"
                   G_GINT64_FORMAT "), expected a base64 PNG or JPEG", path, image_id, offset,
                   offset + (gint64) bad);
      return NULL;
    }
sniff:
  mime = md_image_sniff (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (mime == NULL)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "%s: image “%s” at byte %" G_GINT64_FORMAT " decodes to neither PNG nor JPEG",
                   path, image_id, offset);
      return NULL;
    }
  /* A decompression bomb: a few bytes whose header claims billions of pixels. Decoders would
   * allocate for the claim, so refuse it here, before any of them sees the bytes. */
  {
    guint64 width = 0, height = 0;

    if (md_image_get_size (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                           &width, &height) &&
        width * height > MD_STORE_IMAGE_MAX_PIXELS)
      {
        g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                     "%s: image “%s” at byte %" G_GINT64_FORMAT " claims %" G_GUINT64_FORMAT
                     " × %" G_GUINT64_FORMAT " pixels, expected at most %u megapixels",
                     path, image_id, offset, width, height, MD_STORE_IMAGE_MAX_PIXELS / 1000000);
        return NULL;
      }
  }
  if (out_mime_type != NULL)
    *out_mime_type = g_strdup (mime);
  return g_steal_pointer (&bytes);
}

GListModel *
md_store_query (MdStore  *self,
                MdQuery  *query,
                GError  **error)
{
  g_return_val_if_fail (MD_IS_STORE (self), NULL);
  return _md_pair_list_new (self, query, error);
}

guint64
md_store_count_pairs (MdStore  *self,
                      MdQuery  *query,
                      GError  **error)
{
  g_return_val_if_fail (MD_IS_STORE (self), 0);
  return _md_pair_list_count (self, query, G_MAXUINT64, NULL, error);
}

GPtrArray *
md_store_count_problems (MdStore     *self,
                         const char  *dataset,
                         GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) md_problem_count_free);
  g_auto(sqlite3_stmt_ptr) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (MD_IS_STORE (self), NULL);

  db = _md_store_lock (self);
  stmt = _md_index_prepare (db,
    "SELECT kind, count(*) FROM problems WHERE ?1 IS NULL OR dataset_id = "
    "(SELECT id FROM datasets WHERE code = ?1) GROUP BY kind ORDER BY kind", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, dataset, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          MdProblemCount *count = g_new0 (MdProblemCount, 1);

          count->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          count->count = sqlite3_column_int64 (stmt, 1);
          g_ptr_array_add (list, count);
        }
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  _md_store_unlock (self);
  return stmt == NULL && list->len == 0 && error != NULL && *error != NULL
         ? NULL : g_steal_pointer (&list);
}

gboolean
md_store_count_languages (MdStore  *self,
                          guint64   counts[MD_N_LANGUAGES],
                          GError  **error)
{
  g_auto(sqlite3_stmt_ptr) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (MD_IS_STORE (self), FALSE);

  memset (counts, 0, sizeof (guint64) * MD_N_LANGUAGES);
  db = _md_store_lock (self);
  stmt = _md_index_prepare (db, "SELECT key & 7, count(*) FROM texts WHERE "
                                "coalesce(instruction, '') <> '' OR coalesce(answer, '') <> '' "
                                "GROUP BY 1", error);
  if (stmt != NULL)
    while (sqlite3_step (stmt) == SQLITE_ROW)
      counts[sqlite3_column_int (stmt, 0)] = sqlite3_column_int64 (stmt, 1);
  g_clear_pointer (&stmt, sqlite3_finalize);
  _md_store_unlock (self);
  return TRUE;
}

GPtrArray *
md_store_list_pair_problems (MdStore     *self,
                             const char  *pair_id,
                             GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  g_auto(sqlite3_stmt_ptr) stmt = NULL;
  sqlite3 *db;

  g_return_val_if_fail (MD_IS_STORE (self), NULL);
  g_return_val_if_fail (pair_id != NULL, NULL);

  db = _md_store_lock (self);
  stmt = _md_index_prepare (db, "SELECT kind, detail FROM problems WHERE pair_id = ? "
                                "ORDER BY id", error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, pair_id, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (list, g_strdup_printf ("%s: %s", sqlite3_column_text (stmt, 0),
                                                sqlite3_column_text (stmt, 1)));
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  _md_store_unlock (self);
  return g_steal_pointer (&list);
}

gboolean
md_store_build_search_index (MdStore       *self,
                             GCancellable  *cancellable,
                             GError       **error)
{
  sqlite3 *db;
  gboolean ok;

  g_return_val_if_fail (MD_IS_STORE (self), FALSE);

  db = _md_index_open (self->path, TRUE, error);
  if (db == NULL)
    return FALSE;
  ok = _md_import_build_fts (db, cancellable, error);
  sqlite3_close (db);
  return ok;
}

gboolean
md_store_is_search_index_complete (MdStore *self)
{
  g_auto(sqlite3_stmt_ptr) stmt = NULL;
  gboolean complete = FALSE;
  sqlite3 *db;

  g_return_val_if_fail (MD_IS_STORE (self), FALSE);

  db = _md_store_lock (self);
  stmt = _md_index_prepare (db, "SELECT coalesce(max(key), 0) <= coalesce((SELECT value FROM "
                                "search.search_meta WHERE key = 'built_up_to'), 0) FROM texts",
                           NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    complete = sqlite3_column_int (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);
  _md_store_unlock (self);
  return complete;
}
