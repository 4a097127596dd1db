/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "md-error.h"
#include "md-import-parquet-private.h"
#include "md-import-problem-private.h"

/* Parquet inputs: image stores are indexed by where each value lives, never decoded, and the
 * Hugging Face instruction configurations become pairs like the JSON ones. The kind of a file
 * comes from its schema, not its name: Hugging Face downloads are called
 * "train-00000-of-00001.parquet" as often as "LA_Instructions.parquet". */

#define FOOTER_PEEK 65536

/* Recognition ---------------------------------------------------------------------------------- */

static gboolean
is_part_name (const char *name)
{
  const char *p;

  if (!g_str_has_prefix (name, "part.") || !g_str_has_suffix (name, ".parquet"))
    return FALSE;
  p = name + strlen ("part.");
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  return strcmp (p, ".parquet") == 0;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char **) a, *(char **) b);
}

/* The files md_parquet_dataset_open_dir() reads, in name order (for the fingerprint only: the
 * reader's own order decides the part numbers). */
static GPtrArray *
list_parts (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.' && name[0] != '_' && g_str_has_suffix (name, ".parquet"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

gboolean
_md_import_parquet_is_part_folder (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autoptr(GPtrArray) parts = NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    return FALSE;
  parts = list_parts (path);
  if (parts->len == 0)
    return FALSE;
  /* dask names its folder after the store ("LA.parquet/") and its files "part.N.parquet";
   * Hugging Face shards ("train-00000-of-00003.parquet") are separate inputs. */
  if (g_str_has_suffix (base, ".parquet"))
    return TRUE;
  for (guint i = 0; i < parts->len; i++)
    if (!is_part_name (g_ptr_array_index (parts, i)))
      return FALSE;
  return TRUE;
}

gboolean
_md_import_parquet_stat_folder (const char  *path,
                                guint64     *out_size,
                                gint64      *out_mtime,
                                char       **out_fingerprint)
{
  g_autoptr(GChecksum) sum = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autofree guchar *buffer = NULL;
  guint64 size = 0;
  gint64 mtime = 0;

  if (!_md_import_parquet_is_part_folder (path))
    return FALSE;
  sum = g_checksum_new (G_CHECKSUM_SHA1);
  buffer = g_malloc (FOOTER_PEEK);
  parts = list_parts (path);
  for (guint i = 0; i < parts->len; i++)
    {
      const char *name = g_ptr_array_index (parts, i);
      g_autofree char *file = g_build_filename (path, name, NULL);
      GStatBuf st;
      gint64 values[2];
      int fd;

      if (g_stat (file, &st) != 0)
        continue;
      values[0] = st.st_size;
      values[1] = st.st_mtime;
      size += st.st_size;
      mtime = MAX (mtime, (gint64) st.st_mtime);
      g_checksum_update (sum, (const guchar *) name, strlen (name) + 1);
      g_checksum_update (sum, (const guchar *) values, sizeof values);
      /* The footer describes every page: a rewritten part changes it. */
      fd = g_open (file, O_RDONLY | O_CLOEXEC, 0);
      if (fd >= 0)
        {
          gssize n = pread (fd, buffer, FOOTER_PEEK,
                            st.st_size > FOOTER_PEEK ? st.st_size - FOOTER_PEEK : 0);

          if (n > 0)
            g_checksum_update (sum, buffer, n);
          close (fd);
        }
    }
  *out_size = size;
  *out_mtime = mtime;
  *out_fingerprint = g_strdup (g_checksum_get_string (sum));
  return TRUE;
}

static gboolean
has_magic (const char *path)
{
  char magic[4];
  gssize n;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return FALSE;
  n = read (fd, magic, sizeof magic);
  close (fd);
  return n == 4 && memcmp (magic, "PAR1", 4) == 0;
}

/* A name that says nothing about the subset: Hugging Face split files, dask parts. */
static gboolean
is_generic_name (const char *name)
{
  static const char * const generic[] = { "train", "test", "validation", "data", "default",
                                          "part", NULL };

  if (*name == '\0' || !g_ascii_isalpha (*name) || strchr (name, '-') != NULL ||
      strchr (name, '.') != NULL || strchr (name, ' ') != NULL)
    return TRUE;
  for (guint i = 0; generic[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, generic[i]) == 0)
      return TRUE;
  return FALSE;
}

/* "LA_Instructions.parquet" -> "LA"; NULL for "train-00000-of-00001.parquet". */
static char *
code_from_name (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  static const char * const suffixes[] = { ".parquet", "_Instructions", "_Images", NULL };

  for (guint i = 0; suffixes[i] != NULL; i++)
    if (g_str_has_suffix (base, suffixes[i]) && strlen (base) > strlen (suffixes[i]))
      base[strlen (base) - strlen (suffixes[i])] = '\0';
  if (is_generic_name (base))
    return NULL;
  return g_steal_pointer (&base);
}

/* "LA_INS_00001" -> "LA", "DC_IMG_v_x_0001" -> "DC". */
static char *
code_from_id (const char *id)
{
  static const char * const marks[] = { "_INS_", "_IMG_" };

  if (id == NULL)
    return NULL;
  for (guint m = 0; m < G_N_ELEMENTS (marks); m++)
    for (gsize i = 1; id[i] != '\0'; i++)
      if (strncmp (id + i, marks[m], strlen (marks[m])) == 0)
        return g_strndup (id, i);
  return NULL;
}

static gboolean
first_image_id (const char                   *image_id,
                const MdParquetValueLocation *loc,
                gpointer                      user_data)
{
  *(char **) user_data = g_strdup (image_id);
  return FALSE;
}

static char *
peek_first_id (MdParquetDataset *ds,
               MdFileKind        kind)
{
  char *id = NULL;

  if (kind == MD_FILE_KIND_INSTRUCTIONS)
    {
      g_autoptr(MdParquetInstructionIter) it = md_parquet_instruction_iter_new (ds, NULL);
      const MdParquetInstruction *row = it ? md_parquet_instruction_iter_next (it, NULL) : NULL;

      if (row != NULL)
        id = g_strdup (row->id);
    }
  else
    md_parquet_scan_image_store (ds, first_image_id, &id, NULL, NULL);
  return id;
}

static MdFileKind
kind_of_schema (MdParquetFile *file)
{
  if (md_parquet_file_find_column (file, "instruction") >= 0 &&
      md_parquet_file_find_column (file, "answer") >= 0)
    return MD_FILE_KIND_INSTRUCTIONS;
  if (md_parquet_file_find_column (file, "base64") >= 0 ||
      md_parquet_file_find_column (file, "image.bytes") >= 0)
    return MD_FILE_KIND_IMAGE_STORE;
  return MD_FILE_KIND_UNKNOWN;
}

gboolean
_md_import_parquet_classify (const char  *path,
                             MdFileKind  *out_kind,
                             char       **out_dataset,
                             guint64     *out_size)
{
  g_autoptr(MdParquetDataset) ds = NULL;
  g_autofree char *code = NULL;
  g_autofree char *fingerprint = NULL;
  gint64 mtime;

  *out_kind = MD_FILE_KIND_UNKNOWN;
  *out_dataset = NULL;
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      if (!_md_import_parquet_stat_folder (path, out_size, &mtime, &fingerprint))
        return FALSE;
    }
  else
    {
      g_autofree char *base = g_path_get_basename (path);

      if (base[0] == '.' || (!g_str_has_suffix (base, ".parquet") && !has_magic (path)))
        return FALSE;
    }

  /* A footer that does not parse leaves the kind unknown; the import reports why. */
  ds = md_parquet_dataset_open (path, NULL);
  if (ds == NULL)
    return TRUE;
  *out_kind = kind_of_schema (md_parquet_dataset_get_part (ds, 0));
  code = code_from_name (path);
  if (code == NULL && *out_kind != MD_FILE_KIND_UNKNOWN)
    {
      g_autofree char *id = peek_first_id (ds, *out_kind);

      code = code_from_id (id);
    }
  if (code == NULL)
    {
      g_autofree char *parent = g_path_get_dirname (path);

      code = code_from_name (parent);
    }
  if (code == NULL)
    {
      g_autofree char *base = g_path_get_basename (path);

      code = g_strdup (base);
    }
  *out_dataset = g_steal_pointer (&code);
  return TRUE;
}

/* Import --------------------------------------------------------------------------------------- */

typedef struct
{
  MdImportParquet *job;
  MdParquetDataset *ds;
  GArray *part_base;            /* guint64: bytes of the parts before each part */
  GHashTable *prefixes;
  sqlite3_stmt *insert_image;
  sqlite3_stmt *insert_location;
  sqlite3_stmt *insert_prefix;
  sqlite3_stmt *insert_pair;
  sqlite3_stmt *insert_refs;
  sqlite3_stmt *insert_text;
  MdProblemWriter problems;
  GError *error;                /* set by a callback that stopped the scan */
  guint64 n_null_images;
  char *null_column;            /* the image column of the first null image */
  guint64 records_done;
  guint64 bytes_done;           /* of the whole store, never going back */
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->part_base, g_array_unref);
  g_clear_pointer (&run->prefixes, g_hash_table_unref);
  g_clear_pointer (&run->insert_image, sqlite3_finalize);
  g_clear_pointer (&run->insert_location, sqlite3_finalize);
  g_clear_pointer (&run->insert_prefix, sqlite3_finalize);
  g_clear_pointer (&run->insert_pair, sqlite3_finalize);
  g_clear_pointer (&run->insert_refs, sqlite3_finalize);
  g_clear_pointer (&run->insert_text, sqlite3_finalize);
  _md_problem_writer_clear (&run->problems);
  g_clear_error (&run->error);
  g_clear_pointer (&run->null_column, g_free);
}

static gboolean
step (Run           *run,
      sqlite3_stmt  *stmt,
      const char    *doing,
      GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _md_index_set_error (run->job->db, error, doing);
  return TRUE;
}

/* A problem of the row being read, counted in the file's report. */
static gboolean
add_problem (Run            *run,
             MdProblemKind   kind,
             const char     *pair_id,
             const char     *ref,
             const char     *detail,
             GError        **error)
{
  if (!_md_problem_write (&run->problems, kind, run->job->dataset_id, run->job->file_id, pair_id,
                          ref, -1, detail, error))
    return FALSE;
  run->job->n_problems++;
  return TRUE;
}

static gboolean
prepare (Run     *run,
         GError **error)
{
  sqlite3 *db = run->job->db;

  run->insert_image = _md_index_prepare (db,
    "INSERT OR REPLACE INTO images (image_id, file_id, offset, length, variant) "
    "VALUES (?, ?, ?, ?, 0)", error);
  if (run->insert_image == NULL)
    return FALSE;
  run->insert_location = _md_index_prepare (db,
    "INSERT OR REPLACE INTO parquet_locations (image_id, file_id, part, row_group, "
    "column_index, flags, page_offset, value_index, byte_offset, byte_length) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (run->insert_location == NULL)
    return FALSE;
  run->insert_prefix = _md_index_prepare (db,
    "INSERT OR IGNORE INTO image_prefixes (prefix, file_id) VALUES (?, ?)", error);
  if (run->insert_prefix == NULL)
    return FALSE;
  run->insert_pair = _md_index_prepare (db,
    "INSERT INTO pairs (pair_id, dataset_id, file_id, modality, n_images, languages, rowid) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (run->insert_pair == NULL)
    return FALSE;
  run->insert_refs = _md_index_prepare (db,
    "INSERT OR REPLACE INTO pair_refs (pair_rowid, image_ids, rel_ins_ids) VALUES (?, ?, ?)",
    error);
  if (run->insert_refs == NULL)
    return FALSE;
  run->insert_text = _md_index_prepare (db,
    "INSERT OR REPLACE INTO texts (key, instruction, answer, instruction_origin, answer_origin) "
    "VALUES (?, ?, ?, NULL, NULL)", error);
  if (run->insert_text == NULL)
    return FALSE;
  return _md_problem_writer_init (&run->problems, db, MD_PROBLEM_PHASE_FILE, error);
}

static void
tick (Run                          *run,
      const MdParquetValueLocation *loc)
{
  run->records_done++;
  /* Text-only rows carry no location: the last known position stands. */
  if (loc != NULL && loc->part < run->part_base->len)
    run->bytes_done = MAX (run->bytes_done,
                           g_array_index (run->part_base, guint64, loc->part) + loc->page_offset);
  if (run->job->progress == NULL || run->records_done % 256 != 0)
    return;
  run->job->progress (run->bytes_done, run->records_done, run->job->progress_data);
}

/* One image: its `images` row, its location and its id prefix. */
static gboolean
add_image (Run                          *run,
           const char                   *image_id,
           const MdParquetValueLocation *loc,
           GError                      **error)
{
  MdImportParquet *job = run->job;
  gboolean direct = (loc->flags & MD_PARQUET_VALUE_DIRECT) != 0;
  sqlite3_stmt *s = run->insert_image;
  const char *img;

  sqlite3_bind_text (s, 1, image_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, job->file_id);
  sqlite3_bind_int64 (s, 3, direct ? (gint64) loc->byte_offset : (gint64) loc->page_offset);
  sqlite3_bind_int64 (s, 4, direct ? (gint64) loc->byte_length : 0);
  if (!step (run, s, "adding an image", error))
    return FALSE;

  s = run->insert_location;
  sqlite3_bind_text (s, 1, image_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, job->file_id);
  sqlite3_bind_int64 (s, 3, loc->part);
  sqlite3_bind_int64 (s, 4, loc->row_group);
  sqlite3_bind_int64 (s, 5, loc->column);
  sqlite3_bind_int64 (s, 6, loc->flags);
  sqlite3_bind_int64 (s, 7, (gint64) loc->page_offset);
  sqlite3_bind_int64 (s, 8, loc->value_index);
  sqlite3_bind_int64 (s, 9, (gint64) loc->byte_offset);
  sqlite3_bind_int64 (s, 10, (gint64) loc->byte_length);
  if (!step (run, s, "adding an image location", error))
    return FALSE;

  img = strstr (image_id, "_IMG_");
  if (img != NULL)
    {
      g_autofree char *prefix = g_strndup (image_id, img - image_id + strlen ("_IMG"));

      if (!g_hash_table_contains (run->prefixes, prefix))
        {
          sqlite3_bind_text (run->insert_prefix, 1, prefix, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (run->insert_prefix, 2, job->file_id);
          if (!step (run, run->insert_prefix, "adding an image prefix", error))
            return FALSE;
          g_hash_table_add (run->prefixes, g_steal_pointer (&prefix));
        }
    }
  return TRUE;
}

static gboolean
on_store_image (const char                   *image_id,
                const MdParquetValueLocation *loc,
                gpointer                      user_data)
{
  Run *run = user_data;

  if ((loc->flags & MD_PARQUET_VALUE_NULL) != 0)
    {
      /* pandas writes a missing image as null: a problem of that row, not an image. */
      const char *column = md_parquet_dataset_get_column_name (run->ds, loc);
      g_autofree char *detail =
        g_strdup_printf ("%s: part %u, row group %u, row %u: the image of “%s” is null in "
                         "column “%s”, expected its base64 text", run->job->path, loc->part,
                         loc->row_group, loc->value_index, image_id, column);

      if (run->null_column == NULL)
        run->null_column = g_strdup (column);
      run->n_null_images++;
      return add_problem (run, MD_PROBLEM_BAD_RECORD, NULL, image_id, detail, &run->error);
    }
  if (!add_image (run, image_id, loc, &run->error))
    return FALSE;
  run->job->n_records++;
  tick (run, loc);
  return TRUE;
}

static gboolean
import_image_store (Run     *run,
                    GError **error)
{
  if (!md_parquet_scan_image_store_with_nulls (run->ds, on_store_image, run,
                                               run->job->cancellable, error))
    return FALSE;
  if (run->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&run->error));
      return FALSE;
    }
  if (run->job->n_records == 0 && run->n_null_images > 0)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "%s: no usable image: column “%s” is null in all %" G_GUINT64_FORMAT " rows "
                   "that have an id", run->job->path, run->null_column, run->n_null_images);
      return FALSE;
    }
  return TRUE;
}

static void
join (GString         *out,
      GPtrArray       *items)
{
  g_string_truncate (out, 0);
  for (guint i = 0; i < items->len; i++)
    {
      const char *item = g_ptr_array_index (items, i);

      if (item == NULL)
        continue;
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, item);
    }
}

static gboolean
import_row (Run                        *run,
            const MdParquetInstruction *row,
            guint64                     n,
            GString                    *images,
            GString                    *context,
            GError                    **error)
{
  MdImportParquet *job = run->job;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  gboolean has_text = (row->instruction != NULL && *row->instruction != '\0') ||
                      (row->answer != NULL && *row->answer != '\0');
  sqlite3_stmt *s;
  gint64 rowid;
  int rc;

  if (row->id == NULL || *row->id == '\0')
    {
      g_autofree char *detail =
        g_strdup_printf ("%s: row %" G_GUINT64_FORMAT " has no “id”, expected a pair id such as "
                         "“LA_INS_00001”", job->path, n);

      return add_problem (run, MD_PROBLEM_BAD_RECORD, NULL, NULL, detail, error);
    }

  /* Embedded images are named by their path, else by their place in the pair. */
  for (guint i = 0; i < row->image_ids->len; i++)
    {
      const char *path = g_ptr_array_index (row->image_ids, i);

      if (path == NULL || *path == '\0')
        g_ptr_array_add (ids, g_strdup_printf ("%s_%u", row->id, i));
      else
        g_ptr_array_add (ids, g_strdup (path));
    }
  join (images, ids);
  join (context, row->related_instructions);

  s = run->insert_pair;
  sqlite3_bind_text (s, 1, row->id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, job->dataset_id);
  sqlite3_bind_int64 (s, 3, job->file_id);
  sqlite3_bind_int (s, 4, job->decide_modality ((char **) ids->pdata, ids->len));
  sqlite3_bind_int (s, 5, ids->len);
  sqlite3_bind_int (s, 6, has_text ? 1 << MD_LANGUAGE_EN : 0);
  sqlite3_bind_int64 (s, 7, *job->next_pair_rowid);
  rc = sqlite3_step (s);
  sqlite3_reset (s);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_autofree char *detail =
        g_strdup_printf ("%s: row %" G_GUINT64_FORMAT " “%s”: the id is already used by another "
                         "pair; expected unique ids", job->path, n, row->id);

      return add_problem (run, MD_PROBLEM_DUPLICATE_PAIR, row->id, NULL, detail, error);
    }
  if (rc != SQLITE_DONE)
    return _md_index_set_error (job->db, error, "adding a pair");
  rowid = (*job->next_pair_rowid)++;

  if (images->len > 0 || context->len > 0)
    {
      s = run->insert_refs;
      sqlite3_bind_int64 (s, 1, rowid);
      if (images->len > 0)
        sqlite3_bind_text (s, 2, images->str, images->len, SQLITE_STATIC);
      else
        sqlite3_bind_null (s, 2);
      if (context->len > 0)
        sqlite3_bind_text (s, 3, context->str, context->len, SQLITE_STATIC);
      else
        sqlite3_bind_null (s, 3);
      if (!step (run, s, "adding image and in-context ids", error))
        return FALSE;
    }

  s = run->insert_text;
  sqlite3_bind_int64 (s, 1, MD_TEXT_KEY (rowid, MD_LANGUAGE_EN));
  sqlite3_bind_text (s, 2, row->instruction, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 3, row->answer, -1, SQLITE_STATIC);
  if (!step (run, s, "adding a text", error))
    return FALSE;

  for (guint i = 0; i < row->images->len && i < ids->len; i++)
    if (!add_image (run, g_ptr_array_index (ids, i),
                    &g_array_index (row->images, MdParquetValueLocation, i), error))
      return FALSE;
  job->n_records++;
  return TRUE;
}

static gboolean
import_instructions (Run     *run,
                     GError **error)
{
  g_autoptr(MdParquetInstructionIter) it = md_parquet_instruction_iter_new (run->ds, error);
  g_autoptr(GString) images = g_string_new (NULL);
  g_autoptr(GString) context = g_string_new (NULL);
  const MdParquetInstruction *row;
  GError *local_error = NULL;
  guint64 n = 0;

  if (it == NULL)
    return FALSE;
  while ((row = md_parquet_instruction_iter_next (it, &local_error)) != NULL)
    {
      if (!import_row (run, row, n++, images, context, error))
        return FALSE;
      tick (run, row->images->len > 0 ? &g_array_index (row->images, MdParquetValueLocation, 0)
                                      : NULL);
      if (n % 1024 == 0 && g_cancellable_set_error_if_cancelled (run->job->cancellable, error))
        return FALSE;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

gboolean
_md_import_parquet (MdImportParquet  *job,
                    GError          **error)
{
  Run run = { .job = job };
  gboolean ok = FALSE;
  guint64 base = 0;

  job->n_records = 0;
  job->n_problems = 0;
  run.ds = md_parquet_dataset_open (job->path, error);
  if (run.ds == NULL)
    return FALSE;
  run.part_base = g_array_new (FALSE, FALSE, sizeof (guint64));
  run.prefixes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < md_parquet_dataset_get_n_parts (run.ds); i++)
    {
      GStatBuf st;

      g_array_append_val (run.part_base, base);
      if (g_stat (md_parquet_file_get_path (md_parquet_dataset_get_part (run.ds, i)), &st) == 0)
        base += st.st_size;
    }
  if (!prepare (&run, error))
    goto out;

  switch (job->kind)
    {
    case MD_FILE_KIND_IMAGE_STORE:
      ok = import_image_store (&run, error);
      break;
    case MD_FILE_KIND_INSTRUCTIONS:
      ok = import_instructions (&run, error);
      break;
    default:
      {
        MdParquetFile *file = md_parquet_dataset_get_part (run.ds, 0);
        g_autoptr(GString) names = g_string_new (NULL);

        for (guint i = 0; i < md_parquet_file_get_n_columns (file) && i < 16; i++)
          g_string_append_printf (names, "%s“%s”", i > 0 ? ", " : "",
                                  md_parquet_file_get_column (file, i)->path);
        g_set_error (error, MD_ERROR, MD_ERROR_UNSUPPORTED,
                     "%s: neither an image store nor an instruction table (columns %s); "
                     "expected “base64” or “image” with an id, or “id”, “instruction” and "
                     "“answer”", job->path, names->str);
      }
      break;
    }

out:
  g_clear_object (&run.ds);
  run_clear (&run);
  return ok;
}
