/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-parquet"

#include "config.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "md-error.h"
#include "md-parquet-private.h"

/* One Parquet file: mapped read-only, footer decoded, schema flattened into leaf columns. */

#define MAX_SCHEMA_DEPTH 64

typedef struct
{
  MdParquetColumn pub;
  char *path;
  char *top_name;
} Column;

struct _MdParquetFile
{
  GObject parent_instance;

  char *path;
  char *display;
  GMappedFile *mapped;
  GBytes *bytes;
  const guint8 *data;
  gsize size;
  MdParquetMeta *meta;
  GArray *columns;              /* Column */
};

G_DEFINE_FINAL_TYPE (MdParquetFile, md_parquet_file, G_TYPE_OBJECT)

static void
column_clear (gpointer data)
{
  Column *c = data;

  g_free (c->path);
  g_free (c->top_name);
}

static void
md_parquet_file_finalize (GObject *object)
{
  MdParquetFile *self = MD_PARQUET_FILE (object);

  g_clear_pointer (&self->columns, g_array_unref);
  g_clear_pointer (&self->meta, _md_parquet_meta_free);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->mapped, g_mapped_file_unref);
  g_free (self->path);
  g_free (self->display);

  G_OBJECT_CLASS (md_parquet_file_parent_class)->finalize (object);
}

static void
md_parquet_file_class_init (MdParquetFileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = md_parquet_file_finalize;
}

static void
md_parquet_file_init (MdParquetFile *self)
{
  self->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_array_set_clear_func (self->columns, column_clear);
}

/* Walks the flattened schema (depth-first, each group followed by its children) and records
 * every leaf with its definition and repetition levels. */
static gboolean
walk_schema (MdParquetFile *self,
             guint         *index,
             const char    *prefix,
             const char    *top,
             guint          def,
             guint          rep,
             guint          list_def,
             guint          depth,
             GError       **error)
{
  GPtrArray *schema = self->meta->schema;
  MdParquetSchemaElement *el;
  g_autofree char *path = NULL;

  if (*index >= schema->len)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "%s: the schema announces more children than it has elements", self->display);
      return FALSE;
    }
  if (depth > MAX_SCHEMA_DEPTH)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "%s: the schema is nested more than %d deep", self->display, MAX_SCHEMA_DEPTH);
      return FALSE;
    }

  el = g_ptr_array_index (schema, (*index)++);
  path = prefix[0] ? g_strconcat (prefix, ".", el->name, NULL) : g_strdup (el->name);
  if (top == NULL)
    top = el->name;

  if (el->repetition == MD_PARQUET_OPTIONAL)
    def++;
  else if (el->repetition == MD_PARQUET_REPEATED)
    {
      def++;
      rep++;
      list_def = def;
    }
  else if (el->repetition != MD_PARQUET_REQUIRED)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE, "%s: schema field “%s” has repetition %d",
                   self->display, path, el->repetition);
      return FALSE;
    }

  if (el->num_children > 0)
    {
      for (int i = 0; i < el->num_children; i++)
        if (!walk_schema (self, index, path, top, def, rep, list_def, depth + 1, error))
          return FALSE;
      return TRUE;
    }

  if (el->type < MD_PARQUET_TYPE_BOOLEAN || el->type > MD_PARQUET_TYPE_FIXED_LEN_BYTE_ARRAY)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "%s: schema leaf “%s” has no valid physical type (%d)",
                   self->display, path, el->type);
      return FALSE;
    }
  if (el->type == MD_PARQUET_TYPE_FIXED_LEN_BYTE_ARRAY
      && (el->type_length <= 0 || (guint64) el->type_length > MD_PARQUET_MAX_PAGE_SIZE))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "%s: fixed-length column “%s” has invalid length %d",
                   self->display, path, el->type_length);
      return FALSE;
    }

  {
    Column c = { 0 };

    c.path = g_steal_pointer (&path);
    c.top_name = g_strdup (top);
    c.pub.path = c.path;
    c.pub.top_name = c.top_name;
    c.pub.type = el->type;
    c.pub.type_length = el->type_length;
    c.pub.max_def = def;
    c.pub.max_rep = rep;
    c.pub.list_def = list_def;
    /* converted UTF8 = 0, ENUM = 4, JSON = 19; logical STRING = 1, ENUM = 4, JSON = 12 */
    c.pub.is_string = el->converted_type == 0 || el->converted_type == 4
                      || el->converted_type == 19 || el->logical_type == 1
                      || el->logical_type == 4 || el->logical_type == 12;
    g_array_append_val (self->columns, c);
  }
  return TRUE;
}

static gboolean
check_chunks (MdParquetFile *self,
              GError       **error)
{
  for (guint g = 0; g < self->meta->n_row_groups; g++)
    {
      const MdParquetRowGroup *rg = &self->meta->row_groups[g];

      if (rg->n_chunks != self->columns->len)
        {
          g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                       "%s: row group %u has %u column chunks, the schema has %u leaf columns",
                       self->display, g, rg->n_chunks, self->columns->len);
          return FALSE;
        }
      for (guint c = 0; c < rg->n_chunks; c++)
        {
          const MdParquetChunk *ch = &rg->chunks[c];
          const Column *col = &g_array_index (self->columns, Column, c);

          if (ch->external)
            {
              g_set_error (error, MD_ERROR, MD_ERROR_UNSUPPORTED,
                           "%s: column “%s” of row group %u lives in another file, which is "
                           "not supported", self->display, col->path, g);
              return FALSE;
            }
          if (ch->type != (int) col->pub.type)
            {
              g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                           "%s: column “%s” of row group %u has type %d, the schema says %d",
                           self->display, col->path, g, ch->type, col->pub.type);
              return FALSE;
            }
          if (ch->data_page_offset < 4 || (guint64) ch->data_page_offset >= self->size
              || ch->dictionary_page_offset < 0
              || (guint64) ch->dictionary_page_offset >= self->size
              || ch->total_compressed_size < 0
              || (guint64) ch->total_compressed_size > self->size || ch->num_values < 0)
            {
              g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                           "%s: column “%s” of row group %u has offsets or sizes outside the "
                           "file", self->display, col->path, g);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* Checks the magic numbers, decodes the footer and the schema of the mapped bytes. */
static gboolean
load (MdParquetFile *self,
      GError       **error)
{
  guint32 footer_len;
  guint64 footer_off;
  guint index = 0;

  self->data = g_bytes_get_data (self->bytes, &self->size);

  if (self->size < 12 || memcmp (self->data, "PAR1", 4) != 0
      || memcmp (self->data + self->size - 4, "PAR1", 4) != 0)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "%s: not a Parquet file (expected “PAR1” at byte 0 and at the end of its "
                   "%" G_GSIZE_FORMAT " bytes)", self->display, self->size);
      return FALSE;
    }

  memcpy (&footer_len, self->data + self->size - 8, 4);
  footer_len = GUINT32_FROM_LE (footer_len);
  if ((guint64) footer_len > self->size - 12)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "%s: footer length %u at byte %" G_GSIZE_FORMAT " is larger than the file",
                   self->display, footer_len, self->size - 8);
      return FALSE;
    }
  footer_off = self->size - 8 - footer_len;

  self->meta = _md_parquet_meta_parse (self->data + footer_off, footer_len, self->display,
                                       footer_off, error);
  if (self->meta == NULL)
    return FALSE;

  {
    MdParquetSchemaElement *root = g_ptr_array_index (self->meta->schema, 0);

    index = 1;
    for (int i = 0; i < root->num_children; i++)
      if (!walk_schema (self, &index, "", NULL, 0, 0, 0, 1, error))
        return FALSE;
    if (index != self->meta->schema->len)
      {
        g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                     "%s: the schema has %u elements but its tree covers %u",
                     self->display, self->meta->schema->len, index);
        return FALSE;
      }
  }

  return check_chunks (self, error);
}

MdParquetFile *
md_parquet_file_open (const char *path,
                      GError    **error)
{
  g_autoptr(MdParquetFile) self = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (MD_TYPE_PARQUET_FILE, NULL);
  self->path = g_strdup (path);
  self->display = g_filename_display_name (path);

  self->mapped = g_mapped_file_new (path, FALSE, &local_error);
  if (self->mapped == NULL)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: %s", self->display, local_error->message);
      return NULL;
    }
  self->bytes = g_mapped_file_get_bytes (self->mapped);

  if (!load (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

MdParquetFile *
md_parquet_file_new_from_bytes (GBytes     *bytes,
                                const char *name,
                                GError    **error)
{
  g_autoptr(MdParquetFile) self = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (MD_TYPE_PARQUET_FILE, NULL);
  self->path = g_strdup (name);
  self->display = g_strdup (name);
  self->bytes = g_bytes_ref (bytes);

  if (!load (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
md_parquet_file_get_path (MdParquetFile *self)
{
  g_return_val_if_fail (MD_IS_PARQUET_FILE (self), NULL);
  return self->path;
}

gint64
md_parquet_file_get_n_rows (MdParquetFile *self)
{
  g_return_val_if_fail (MD_IS_PARQUET_FILE (self), 0);
  return self->meta->num_rows;
}

guint
md_parquet_file_get_n_row_groups (MdParquetFile *self)
{
  g_return_val_if_fail (MD_IS_PARQUET_FILE (self), 0);
  return self->meta->n_row_groups;
}

gint64
md_parquet_file_get_row_group_n_rows (MdParquetFile *self,
                                      guint          row_group)
{
  g_return_val_if_fail (MD_IS_PARQUET_FILE (self), 0);
  g_return_val_if_fail (row_group < self->meta->n_row_groups, 0);
  return self->meta->row_groups[row_group].num_rows;
}

guint
md_parquet_file_get_n_columns (MdParquetFile *self)
{
  g_return_val_if_fail (MD_IS_PARQUET_FILE (self), 0);
  return self->columns->len;
}

const MdParquetColumn *
md_parquet_file_get_column (MdParquetFile *self,
                            guint          column)
{
  g_return_val_if_fail (MD_IS_PARQUET_FILE (self), NULL);
  g_return_val_if_fail (column < self->columns->len, NULL);
  return &g_array_index (self->columns, Column, column).pub;
}

int
md_parquet_file_find_column (MdParquetFile *self,
                             const char    *path)
{
  g_return_val_if_fail (MD_IS_PARQUET_FILE (self), -1);
  g_return_val_if_fail (path != NULL, -1);

  for (guint i = 0; i < self->columns->len; i++)
    if (g_str_equal (g_array_index (self->columns, Column, i).path, path))
      return (int) i;
  return -1;
}

const char *
md_parquet_file_get_metadata (MdParquetFile *self,
                              const char    *key)
{
  g_return_val_if_fail (MD_IS_PARQUET_FILE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; i < self->meta->kv_keys->len; i++)
    if (g_str_equal (g_ptr_array_index (self->meta->kv_keys, i), key))
      return g_ptr_array_index (self->meta->kv_values, i);
  return NULL;
}

const char *
md_parquet_file_get_created_by (MdParquetFile *self)
{
  g_return_val_if_fail (MD_IS_PARQUET_FILE (self), NULL);
  return self->meta->created_by;
}

const guint8 *
_md_parquet_file_get_data (MdParquetFile *self,
                           gsize         *len)
{
  *len = self->size;
  return self->data;
}

void
_md_parquet_file_release (MdParquetFile *self,
                          guint64        start,
                          guint64        end)
{
  static gsize page_size;
  guint64 first, last;

  /* Only a mapping can give pages back; memory handed to us must stay as it is. */
  if (self->mapped == NULL)
    return;
  if (page_size == 0)
    page_size = (gsize) sysconf (_SC_PAGESIZE);
  /* Outward: a page shared with a neighbouring value is simply faulted in again later. The
   * kernel maps pages around each fault (64 KiB by default), so also take that much before
   * `start`, which touching the first bytes of the range brought back. */
  first = start > 65536 ? (start - 65536) / page_size * page_size : 0;
  last = MIN ((end + page_size - 1) / page_size * page_size, self->size);
  /* The mapping is private and read-only: dropped pages are read again from the file if they
   * are needed, so this only keeps a long scan from holding the whole file resident. */
  if (last > first)
    madvise ((void *) (self->data + first), last - first, MADV_DONTNEED);
}

const MdParquetMeta *
_md_parquet_file_get_meta (MdParquetFile *self)
{
  return self->meta;
}

const char *
_md_parquet_file_get_display (MdParquetFile *self)
{
  return self->display;
}
