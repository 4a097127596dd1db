/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-parquet"

#include "config.h"

#include <string.h>

#include "md-error.h"
#include "md-parquet-private.h"

/* Row iterator over the Hugging Face instruction configurations (`<SUBSET>` and
 * `<SUBSET>_Instructions`). One reader per column walks its chunk page by page; the readers
 * advance together one row at a time, a list column consuming entries until the next row
 * starts (repetition level 0). */

enum
{
  COL_ID,
  COL_INSTRUCTION,
  COL_ANSWER,
  COL_IMAGE_IDS,
  COL_IMAGE_BYTES,
  COL_IMAGE_PATHS,
  COL_RELATED,
  N_COLS
};

static const char * const col_names[N_COLS] = {
  "id", "instruction", "answer", "images", "images", "images", "related instructions",
};

struct _MdParquetInstructionIter
{
  MdParquetDataset *dataset;
  guint part;
  guint row_group;
  gboolean resolved;
  int cols[N_COLS];
  MdParquetColumnReader *readers[N_COLS];
  MdParquetInstruction row;
};

static void
clear_row (MdParquetInstruction *row)
{
  g_clear_pointer (&row->id, g_free);
  g_clear_pointer (&row->instruction, g_free);
  g_clear_pointer (&row->answer, g_free);
  g_ptr_array_set_size (row->image_ids, 0);
  g_array_set_size (row->images, 0);
  g_ptr_array_set_size (row->related_instructions, 0);
}

static void
close_readers (MdParquetInstructionIter *iter)
{
  for (guint i = 0; i < N_COLS; i++)
    g_clear_pointer (&iter->readers[i], _md_parquet_column_reader_free);
}

static gboolean
resolve_columns (MdParquetInstructionIter *iter,
                 GError                  **error)
{
  MdParquetFile *file = md_parquet_dataset_get_part (iter->dataset, iter->part);
  const char *display = md_parquet_file_get_path (file);

  for (guint i = 0; i < N_COLS; i++)
    iter->cols[i] = -1;

  iter->cols[COL_ID] = _md_parquet_find_id_column (file);
  iter->cols[COL_INSTRUCTION] = md_parquet_file_find_column (file, "instruction");
  iter->cols[COL_ANSWER] = md_parquet_file_find_column (file, "answer");

  for (guint i = 0; i < md_parquet_file_get_n_columns (file); i++)
    {
      const MdParquetColumn *c = md_parquet_file_get_column (file, i);

      if (c->type != MD_PARQUET_TYPE_BYTE_ARRAY)
        continue;
      if (g_str_equal (c->top_name, "images"))
        {
          if (g_str_has_suffix (c->path, ".bytes"))
            iter->cols[COL_IMAGE_BYTES] = i;
          else if (g_str_has_suffix (c->path, ".path"))
            iter->cols[COL_IMAGE_PATHS] = i;
          else if (iter->cols[COL_IMAGE_IDS] < 0)
            iter->cols[COL_IMAGE_IDS] = i;
        }
      else if (g_str_equal (c->top_name, "related instructions") && iter->cols[COL_RELATED] < 0)
        iter->cols[COL_RELATED] = i;
    }

  for (guint i = COL_ID; i <= COL_ANSWER; i++)
    {
      if (iter->cols[i] < 0)
        {
          g_set_error (error, MD_ERROR, MD_ERROR_UNSUPPORTED,
                       "%s: not an instruction table: no “%s” column", display, col_names[i]);
          return FALSE;
        }
      if (md_parquet_file_get_column (file, iter->cols[i])->max_rep > 0)
        {
          g_set_error (error, MD_ERROR, MD_ERROR_UNSUPPORTED,
                       "%s: the “%s” column is a list, a single value was expected",
                       display, col_names[i]);
          return FALSE;
        }
    }
  iter->resolved = TRUE;
  return TRUE;
}

MdParquetInstructionIter *
md_parquet_instruction_iter_new (MdParquetDataset *dataset,
                                 GError          **error)
{
  MdParquetInstructionIter *iter;

  g_return_val_if_fail (MD_IS_PARQUET_DATASET (dataset), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  iter = g_new0 (MdParquetInstructionIter, 1);
  iter->dataset = g_object_ref (dataset);
  iter->row.image_ids = g_ptr_array_new_with_free_func (g_free);
  iter->row.images = g_array_new (FALSE, TRUE, sizeof (MdParquetValueLocation));
  iter->row.related_instructions = g_ptr_array_new_with_free_func (g_free);

  if (!resolve_columns (iter, error))
    {
      md_parquet_instruction_iter_free (iter);
      return NULL;
    }
  return iter;
}

void
md_parquet_instruction_iter_free (MdParquetInstructionIter *iter)
{
  if (iter == NULL)
    return;
  close_readers (iter);
  clear_row (&iter->row);
  g_ptr_array_unref (iter->row.image_ids);
  g_array_unref (iter->row.images);
  g_ptr_array_unref (iter->row.related_instructions);
  g_object_unref (iter->dataset);
  g_free (iter);
}

static char *
entry_string (const MdParquetEntry *e)
{
  return e->present ? g_strndup ((const char *) e->data, e->len) : NULL;
}

static gboolean
row_missing (MdParquetInstructionIter *iter,
             guint                     col,
             GError                  **error)
{
  MdParquetFile *file = md_parquet_dataset_get_part (iter->dataset, iter->part);

  g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
               "%s: row group %u: the “%s” column has fewer rows than the id column (at id “%s”)",
               md_parquet_file_get_path (file), iter->row_group, col_names[col],
               iter->row.id ? iter->row.id : "");
  return FALSE;
}

typedef void (*ElementFunc) (MdParquetInstructionIter *iter,
                             const MdParquetEntry     *e,
                             gpointer                  user_data);

/* Reads one row of a (list) column and hands each list element to `func` at once: the entry's
 * bytes may live in a page buffer that reading further replaces. Null and empty lists give no
 * element. */
static gboolean
read_list (MdParquetInstructionIter *iter,
           guint                     col,
           ElementFunc               func,
           gpointer                  user_data,
           GError                  **error)
{
  MdParquetColumnReader *r = iter->readers[col];
  MdParquetFile *file = md_parquet_dataset_get_part (iter->dataset, iter->part);
  const MdParquetColumn *info = md_parquet_file_get_column (file, iter->cols[col]);
  GError *local_error = NULL;
  MdParquetEntry e;

  if (!_md_parquet_column_reader_next (r, &e, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      return row_missing (iter, col, error);
    }

  for (;;)
    {
      if (info->max_rep == 0 ? e.present : e.def >= info->list_def)
        func (iter, &e, user_data);
      if (!_md_parquet_column_reader_peek (r, &e, &local_error))
        break;
      if (e.rep == 0)
        break;
      _md_parquet_column_reader_next (r, &e, NULL);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

static void
add_string (MdParquetInstructionIter *iter,
            const MdParquetEntry     *e,
            gpointer                  user_data)
{
  g_ptr_array_add (user_data, entry_string (e));
}

static void
add_location (MdParquetInstructionIter *iter,
              const MdParquetEntry     *e,
              gpointer                  user_data)
{
  MdParquetFile *file = md_parquet_dataset_get_part (iter->dataset, iter->part);
  MdParquetValueLocation loc = { 0 };

  /* A null image keeps its place with an all-zero location; dropped below. */
  if (e->present)
    _md_parquet_entry_to_location (e, file, iter->part, iter->row_group,
                                   iter->cols[COL_IMAGE_BYTES], 0, &loc);
  g_array_append_val (user_data, loc);
}

static gboolean
read_row (MdParquetInstructionIter *iter,
          MdParquetEntry           *id,
          GError                  **error)
{
  MdParquetFile *file = md_parquet_dataset_get_part (iter->dataset, iter->part);
  GError *local_error = NULL;
  MdParquetEntry e;

  iter->row.id = id->present ? _md_parquet_format_id (md_parquet_file_get_column (file,
                                                        iter->cols[COL_ID]), id) : NULL;

  for (guint col = COL_INSTRUCTION; col <= COL_ANSWER; col++)
    {
      if (!_md_parquet_column_reader_next (iter->readers[col], &e, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              return FALSE;
            }
          return row_missing (iter, col, error);
        }
      if (col == COL_INSTRUCTION)
        iter->row.instruction = entry_string (&e);
      else
        iter->row.answer = entry_string (&e);
    }

  if (iter->readers[COL_IMAGE_IDS] != NULL
      && !read_list (iter, COL_IMAGE_IDS, add_string, iter->row.image_ids, error))
    return FALSE;

  if (iter->readers[COL_IMAGE_BYTES] != NULL)
    {
      g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GArray) locs = g_array_new (FALSE, TRUE, sizeof (MdParquetValueLocation));

      if (iter->readers[COL_IMAGE_PATHS] != NULL
          && !read_list (iter, COL_IMAGE_PATHS, add_string, paths, error))
        return FALSE;
      if (!read_list (iter, COL_IMAGE_BYTES, add_location, locs, error))
        return FALSE;
      for (guint i = 0; i < locs->len; i++)
        {
          const MdParquetValueLocation *loc = &g_array_index (locs, MdParquetValueLocation, i);
          const char *path = i < paths->len ? g_ptr_array_index (paths, i) : NULL;

          if (loc->page_offset == 0)
            continue;
          g_array_append_val (iter->row.images, *loc);
          g_ptr_array_add (iter->row.image_ids, g_strdup (path ? path : ""));
        }
    }

  if (iter->readers[COL_RELATED] != NULL)
    {
      if (!read_list (iter, COL_RELATED, add_string, iter->row.related_instructions, error))
        return FALSE;
      /* Null elements carry nothing worth showing. */
      for (guint i = iter->row.related_instructions->len; i > 0; i--)
        if (g_ptr_array_index (iter->row.related_instructions, i - 1) == NULL)
          g_ptr_array_remove_index (iter->row.related_instructions, i - 1);
    }
  return TRUE;
}

const MdParquetInstruction *
md_parquet_instruction_iter_next (MdParquetInstructionIter *iter,
                                  GError                  **error)
{
  g_return_val_if_fail (iter != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  clear_row (&iter->row);

  for (;;)
    {
      GError *local_error = NULL;
      MdParquetEntry id;
      MdParquetFile *file;

      if (iter->part >= md_parquet_dataset_get_n_parts (iter->dataset))
        return NULL;
      file = md_parquet_dataset_get_part (iter->dataset, iter->part);
      if (!iter->resolved && !resolve_columns (iter, error))
        return NULL;
      if (iter->row_group >= md_parquet_file_get_n_row_groups (file))
        {
          iter->part++;
          iter->row_group = 0;
          iter->resolved = FALSE;
          continue;
        }

      if (iter->readers[COL_ID] == NULL)
        for (guint i = 0; i < N_COLS; i++)
          if (iter->cols[i] >= 0)
            {
              iter->readers[i] = _md_parquet_column_reader_new (file, iter->row_group,
                                                                iter->cols[i], error);
              if (iter->readers[i] == NULL)
                return NULL;
            }

      if (_md_parquet_column_reader_next (iter->readers[COL_ID], &id, &local_error))
        {
          if (!read_row (iter, &id, error))
            return NULL;
          return &iter->row;
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      close_readers (iter);
      iter->row_group++;
    }
}
