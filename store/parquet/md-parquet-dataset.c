/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-parquet"

#include "config.h"

#include <string.h>
#include <cJSON.h>

#include "md-error.h"
#include "md-parquet-private.h"

/* A store made of one Parquet file or a folder of part files, the image-store scan over it,
 * and reading one value back from a recorded location. */

struct _MdParquetDataset
{
  GObject parent_instance;

  GPtrArray *parts;             /* MdParquetFile */
};

G_DEFINE_FINAL_TYPE (MdParquetDataset, md_parquet_dataset, G_TYPE_OBJECT)

static void
md_parquet_dataset_finalize (GObject *object)
{
  MdParquetDataset *self = MD_PARQUET_DATASET (object);

  g_clear_pointer (&self->parts, g_ptr_array_unref);

  G_OBJECT_CLASS (md_parquet_dataset_parent_class)->finalize (object);
}

static void
md_parquet_dataset_class_init (MdParquetDatasetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = md_parquet_dataset_finalize;
}

static void
md_parquet_dataset_init (MdParquetDataset *self)
{
  self->parts = g_ptr_array_new_with_free_func (g_object_unref);
}

/* "part.2.parquet" before "part.10.parquet": digit runs compare as numbers. */
static int
natural_compare (gconstpointer a,
                 gconstpointer b)
{
  const char *x = *(const char * const *) a;
  const char *y = *(const char * const *) b;

  while (*x && *y)
    {
      if (g_ascii_isdigit (*x) && g_ascii_isdigit (*y))
        {
          const char *xs = x, *ys = y;
          gsize xl, yl;
          int c;

          while (*xs == '0' && g_ascii_isdigit (xs[1]))
            xs++;
          while (*ys == '0' && g_ascii_isdigit (ys[1]))
            ys++;
          for (x = xs; g_ascii_isdigit (*x); x++)
            ;
          for (y = ys; g_ascii_isdigit (*y); y++)
            ;
          xl = (gsize) (x - xs);
          yl = (gsize) (y - ys);
          if (xl != yl)
            return xl < yl ? -1 : 1;
          if ((c = strncmp (xs, ys, xl)) != 0)
            return c;
        }
      else
        {
          if (*x != *y)
            return (guchar) *x - (guchar) *y;
          x++;
          y++;
        }
    }
  return (guchar) *x - (guchar) *y;
}

MdParquetDataset *
md_parquet_dataset_open_dir (const char *path,
                             GError    **error)
{
  g_autoptr(MdParquetDataset) self = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_dir_open (path, 0, &local_error);
  if (dir == NULL)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s", local_error->message);
      return NULL;
    }
  /* dask also writes _metadata / _common_metadata summaries: the part files are enough. */
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.' && name[0] != '_' && g_str_has_suffix (name, ".parquet"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, natural_compare);

  if (names->len == 0)
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND,
                   "%s: the folder holds no “.parquet” part files", display);
      return NULL;
    }

  self = g_object_new (MD_TYPE_PARQUET_DATASET, NULL);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *file_path = g_build_filename (path, names->pdata[i], NULL);
      MdParquetFile *file = md_parquet_file_open (file_path, error);

      if (file == NULL)
        return NULL;
      g_ptr_array_add (self->parts, file);
    }
  return g_steal_pointer (&self);
}

MdParquetDataset *
md_parquet_dataset_open (const char *path,
                         GError    **error)
{
  MdParquetDataset *self;
  MdParquetFile *file;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return md_parquet_dataset_open_dir (path, error);

  file = md_parquet_file_open (path, error);
  if (file == NULL)
    return NULL;
  self = md_parquet_dataset_new_for_file (file);
  g_object_unref (file);
  return self;
}

MdParquetDataset *
md_parquet_dataset_new_for_file (MdParquetFile *file)
{
  MdParquetDataset *self;

  g_return_val_if_fail (MD_IS_PARQUET_FILE (file), NULL);

  self = g_object_new (MD_TYPE_PARQUET_DATASET, NULL);
  g_ptr_array_add (self->parts, g_object_ref (file));
  return self;
}

guint
md_parquet_dataset_get_n_parts (MdParquetDataset *self)
{
  g_return_val_if_fail (MD_IS_PARQUET_DATASET (self), 0);
  return self->parts->len;
}

MdParquetFile *
md_parquet_dataset_get_part (MdParquetDataset *self,
                             guint             part)
{
  g_return_val_if_fail (MD_IS_PARQUET_DATASET (self), NULL);
  g_return_val_if_fail (part < self->parts->len, NULL);
  return g_ptr_array_index (self->parts, part);
}

gint64
md_parquet_dataset_get_n_rows (MdParquetDataset *self)
{
  gint64 n = 0;

  g_return_val_if_fail (MD_IS_PARQUET_DATASET (self), 0);
  for (guint i = 0; i < self->parts->len; i++)
    n += md_parquet_file_get_n_rows (g_ptr_array_index (self->parts, i));
  return n;
}

/* The id column named by pandas' index metadata, if it is a stored column (a RangeIndex is
 * described by an object instead and has no column). */
static int
find_pandas_index (MdParquetFile *file)
{
  const char *json = md_parquet_file_get_metadata (file, "pandas");
  cJSON *root;
  cJSON *index;
  int column = -1;

  if (json == NULL || (root = cJSON_Parse (json)) == NULL)
    return -1;
  index = cJSON_GetObjectItemCaseSensitive (root, "index_columns");
  if (cJSON_IsArray (index) && cJSON_GetArraySize (index) >= 1
      && cJSON_IsString (cJSON_GetArrayItem (index, 0)))
    column = md_parquet_file_find_column (file, cJSON_GetArrayItem (index, 0)->valuestring);
  cJSON_Delete (root);
  return column;
}

int
_md_parquet_find_id_column (MdParquetFile *file)
{
  int column = find_pandas_index (file);

  if (column < 0)
    column = md_parquet_file_find_column (file, "id");
  if (column < 0)
    column = md_parquet_file_find_column (file, "__index_level_0__");
  return column;
}

char *
_md_parquet_format_id (const MdParquetColumn *col,
                       const MdParquetEntry  *e)
{
  switch (col->type)
    {
    case MD_PARQUET_TYPE_INT32:
      {
        gint32 v;

        memcpy (&v, e->data, 4);
        return g_strdup_printf ("%" G_GINT32_FORMAT, GINT32_FROM_LE (v));
      }
    case MD_PARQUET_TYPE_INT64:
      {
        gint64 v;

        memcpy (&v, e->data, 8);
        return g_strdup_printf ("%" G_GINT64_FORMAT, GINT64_FROM_LE (v));
      }
    default:
      return g_strndup ((const char *) e->data, e->len);
    }
}

void
_md_parquet_entry_to_location (const MdParquetEntry   *e,
                               MdParquetFile          *file,
                               guint                   part,
                               guint                   row_group,
                               guint                   column,
                               guint32                 flags,
                               MdParquetValueLocation *loc)
{
  gsize size;
  const guint8 *data = _md_parquet_file_get_data (file, &size);

  memset (loc, 0, sizeof *loc);
  loc->part = part;
  loc->row_group = row_group;
  loc->column = column;
  loc->flags = flags;
  loc->page_offset = e->page_offset;
  loc->value_index = e->value_index;
  if (e->in_file)
    {
      loc->flags |= MD_PARQUET_VALUE_DIRECT;
      loc->byte_offset = (guint64) (e->data - data);
      loc->byte_length = e->len;
    }
}

static gboolean
check_flat (MdParquetFile         *file,
            const MdParquetColumn *col,
            const char            *role,
            GError               **error)
{
  if (col->max_rep > 0)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_UNSUPPORTED,
                   "%s: the %s column “%s” is a list; an image store needs one value per row",
                   _md_parquet_file_get_display (file), role, col->path);
      return FALSE;
    }
  if (col->type != MD_PARQUET_TYPE_BYTE_ARRAY
      && (g_str_equal (role, "image") || (col->type != MD_PARQUET_TYPE_INT32
                                          && col->type != MD_PARQUET_TYPE_INT64)))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_UNSUPPORTED,
                   "%s: the %s column “%s” has physical type %d; strings are expected",
                   _md_parquet_file_get_display (file), role, col->path, col->type);
      return FALSE;
    }
  return TRUE;
}

static gboolean
scan_row_group (MdParquetDataset   *self,
                guint               part,
                guint               row_group,
                int                 id_col,
                int                 img_col,
                guint32             flags,
                gboolean            with_nulls,
                MdParquetImageFunc  func,
                gpointer            user_data,
                gboolean           *stopped,
                GCancellable       *cancellable,
                GError            **error)
{
  MdParquetFile *file = g_ptr_array_index (self->parts, part);
  const MdParquetColumn *id_info = md_parquet_file_get_column (file, id_col);
  g_autoptr(MdParquetColumnReader) ids = NULL;
  g_autoptr(MdParquetColumnReader) imgs = NULL;
  GError *local_error = NULL;
  guint64 row = 0;

  ids = _md_parquet_column_reader_new (file, row_group, id_col, error);
  if (ids == NULL)
    return FALSE;
  imgs = _md_parquet_column_reader_new (file, row_group, img_col, error);
  if (imgs == NULL)
    return FALSE;
  /* A scan touches every byte of a 22 GB file once: do not let it all stay resident. */
  _md_parquet_column_reader_set_release_pages (ids, TRUE);
  _md_parquet_column_reader_set_release_pages (imgs, TRUE);

  for (;; row++)
    {
      MdParquetEntry id, img;
      gboolean have_id, have_img;

      if ((row & 1023) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      have_id = _md_parquet_column_reader_next (ids, &id, &local_error);
      if (local_error == NULL)
        have_img = _md_parquet_column_reader_next (imgs, &img, &local_error);
      else
        have_img = FALSE;
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if (!have_id || !have_img)
        {
          if (have_id != have_img)
            {
              g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                           "%s: row group %u: the id and image columns end at different rows "
                           "(row %" G_GUINT64_FORMAT ")", _md_parquet_file_get_display (file),
                           row_group, row);
              return FALSE;
            }
          return TRUE;
        }

      if (id.present && img.present)
        {
          g_autofree char *image_id = _md_parquet_format_id (id_info, &id);
          MdParquetValueLocation loc;

          _md_parquet_entry_to_location (&img, file, part, row_group, img_col, flags, &loc);
          if (!func (image_id, &loc, user_data))
            {
              *stopped = TRUE;
              return TRUE;
            }
        }
      else if (id.present && with_nulls)
        {
          g_autofree char *image_id = _md_parquet_format_id (id_info, &id);
          MdParquetValueLocation loc = { 0, };

          loc.part = part;
          loc.row_group = row_group;
          loc.column = img_col;
          loc.flags = MD_PARQUET_VALUE_NULL;
          loc.value_index = (guint32) row;
          if (!func (image_id, &loc, user_data))
            {
              *stopped = TRUE;
              return TRUE;
            }
        }
    }
}

static gboolean
scan_image_store (MdParquetDataset   *self,
                  gboolean            with_nulls,
                  MdParquetImageFunc  func,
                  gpointer            user_data,
                  GCancellable       *cancellable,
                  GError            **error)
{
  gboolean stopped = FALSE;

  g_return_val_if_fail (MD_IS_PARQUET_DATASET (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint part = 0; part < self->parts->len && !stopped; part++)
    {
      MdParquetFile *file = g_ptr_array_index (self->parts, part);
      int id_col = _md_parquet_find_id_column (file);
      int img_col = md_parquet_file_find_column (file, "base64");
      guint32 flags = MD_PARQUET_VALUE_BASE64;

      if (img_col < 0)
        {
          img_col = md_parquet_file_find_column (file, "image.bytes");
          flags = 0;
        }
      if (id_col < 0 || img_col < 0)
        {
          g_set_error (error, MD_ERROR, MD_ERROR_UNSUPPORTED,
                       "%s: not an image store: expected an id column (the pandas index, “id” "
                       "or “__index_level_0__”) and an image column (“base64” or “image.bytes”)",
                       _md_parquet_file_get_display (file));
          return FALSE;
        }
      if (!check_flat (file, md_parquet_file_get_column (file, id_col), "id", error)
          || !check_flat (file, md_parquet_file_get_column (file, img_col), "image", error))
        return FALSE;

      for (guint g = 0; g < md_parquet_file_get_n_row_groups (file) && !stopped; g++)
        if (!scan_row_group (self, part, g, id_col, img_col, flags, with_nulls, func, user_data,
                             &stopped, cancellable, error))
          return FALSE;
    }
  return TRUE;
}

gboolean
md_parquet_scan_image_store (MdParquetDataset   *self,
                             MdParquetImageFunc  func,
                             gpointer            user_data,
                             GCancellable       *cancellable,
                             GError            **error)
{
  return scan_image_store (self, FALSE, func, user_data, cancellable, error);
}

gboolean
md_parquet_scan_image_store_with_nulls (MdParquetDataset   *self,
                                        MdParquetImageFunc  func,
                                        gpointer            user_data,
                                        GCancellable       *cancellable,
                                        GError            **error)
{
  return scan_image_store (self, TRUE, func, user_data, cancellable, error);
}

const char *
md_parquet_dataset_get_column_name (MdParquetDataset             *self,
                                    const MdParquetValueLocation *loc)
{
  g_return_val_if_fail (MD_IS_PARQUET_DATASET (self), NULL);
  g_return_val_if_fail (loc != NULL && loc->part < self->parts->len, NULL);

  return md_parquet_file_get_column (g_ptr_array_index (self->parts, loc->part),
                                     loc->column)->path;
}

GBytes *
md_parquet_read_value (MdParquetDataset             *self,
                       const MdParquetValueLocation *loc,
                       GError                      **error)
{
  g_autoptr(MdParquetColumnReader) reader = NULL;
  MdParquetFile *file;
  GError *local_error = NULL;
  MdParquetEntry e;

  g_return_val_if_fail (MD_IS_PARQUET_DATASET (self), NULL);
  g_return_val_if_fail (loc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (loc->part >= self->parts->len)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND,
                   "the store has %u part files, not %u", self->parts->len, loc->part + 1);
      return NULL;
    }
  file = g_ptr_array_index (self->parts, loc->part);

  if (loc->flags & MD_PARQUET_VALUE_DIRECT)
    {
      gsize size;

      _md_parquet_file_get_data (file, &size);
      if (loc->byte_offset > size || loc->byte_length > size - loc->byte_offset)
        {
          g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND,
                       "%s: bytes %" G_GUINT64_FORMAT "+%" G_GUINT64_FORMAT " are outside the file",
                       _md_parquet_file_get_display (file), loc->byte_offset, loc->byte_length);
          return NULL;
        }
      {
        const guint8 *data = _md_parquet_file_get_data (file, &size);
        GBytes *value = g_bytes_new (data + loc->byte_offset, loc->byte_length);

        /* No page decoding, just a copy: then the mapped pages can go, so that viewing
         * thousands of images does not keep them resident. */
        _md_parquet_file_release (file, loc->byte_offset, loc->byte_offset + loc->byte_length);
        return value;
      }
    }

  reader = _md_parquet_column_reader_new (file, loc->row_group, loc->column, error);
  if (reader == NULL || !_md_parquet_column_reader_seek (reader, loc->page_offset, error))
    return NULL;
  _md_parquet_column_reader_stop_after_page (reader);

  while (_md_parquet_column_reader_next (reader, &e, &local_error))
    if (e.present && e.value_index == loc->value_index)
      {
        GBytes *value = g_bytes_new (e.data, e.len);

        /* The value is copied out: the page's mapped bytes need not stay resident. */
        _md_parquet_column_reader_release_page (reader);
        return value;
      }

  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else
    g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND,
                 "%s: the page at byte %" G_GUINT64_FORMAT " has no value %u",
                 _md_parquet_file_get_display (file), loc->page_offset, loc->value_index);
  return NULL;
}

GBytes *
md_parquet_read_image (MdParquetDataset             *self,
                       const MdParquetValueLocation *loc,
                       GError                      **error)
{
  g_autoptr(GBytes) value = md_parquet_read_value (self, loc, error);
  g_autofree char *text = NULL;
  guchar *decoded;
  gsize len;

  if (value == NULL || !(loc->flags & MD_PARQUET_VALUE_BASE64))
    return g_steal_pointer (&value);

  /* An empty string decodes to nothing: no image, not an empty one. */
  if (g_bytes_get_size (value) == 0)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "part %u, row group %u, page at byte %" G_GUINT64_FORMAT ", value %u: the "
                   "base64 text of the image is empty", loc->part, loc->row_group,
                   loc->page_offset, loc->value_index);
      return NULL;
    }
  text = g_strndup (g_bytes_get_data (value, NULL), g_bytes_get_size (value));
  decoded = g_base64_decode (text, &len);
  return g_bytes_new_take (decoded, len);
}
