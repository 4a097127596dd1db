/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-export"

#include "config.h"

#include <string.h>

#include "md-export-private.h"
#include "parquet/md-parquet-writer.h"
#include "md-review-private.h"

/* The writers of each format. They see one MdExportPair at a time, in dataset then index order,
 * and write it out at once. */

/* Shared bookkeeping ---------------------------------------------------------------------------- */

static MdExportCounts *
counts_of (MdExportJob *job,
           const char  *dataset)
{
  MdExportCounts *counts = g_hash_table_lookup (job->datasets, dataset);

  if (counts == NULL)
    {
      counts = g_new0 (MdExportCounts, 1);
      g_hash_table_insert (job->datasets, g_strdup (dataset), counts);
    }
  return counts;
}

/* Counts per dataset and language, and the people whose work the pair carries. */
static void
note_pair (MdExportJob  *job,
           MdExportPair *pair)
{
  const char *dataset = md_pair_get_dataset (pair->pair);
  const char *id = md_pair_get_id (pair->pair);
  MdExportCounts *counts = counts_of (job, dataset);
  sqlite3_stmt *stmt;

  if (pair->context_only)
    counts->n_context_pairs++;
  else
    counts->n_pairs++;
  for (guint l = 0; l < MD_N_LANGUAGES; l++)
    if ((pair->texts[l][MD_FIELD_INSTRUCTION] != NULL && *pair->texts[l][MD_FIELD_INSTRUCTION]) ||
        (pair->texts[l][MD_FIELD_ANSWER] != NULL && *pair->texts[l][MD_FIELD_ANSWER]))
      job->languages[l]++;

  if (job->review == NULL)
    return;
  stmt = _md_review_store_prepare (job->review,
    "SELECT reviewer FROM pair_status WHERE dataset = ?1 AND pair_id = ?2 AND reviewer IS NOT NULL"
    " UNION SELECT author FROM pair_text WHERE dataset = ?1 AND pair_id = ?2"
    " AND author_kind = 'person' AND author IS NOT NULL", NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, dataset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      if (!g_hash_table_contains (job->reviewers, name))
        g_hash_table_add (job->reviewers, g_strdup (name));
    }
  sqlite3_reset (stmt);
}

static gboolean
close_into (MdExportJob   *job,
            MdJsonWriter **w,
            gboolean       keep_in_result,
            GError       **error)
{
  MdExportFile *file;

  if (*w == NULL)
    return TRUE;
  file = _md_json_writer_close (g_steal_pointer (w), error);
  return file != NULL && _md_export_record_file (job, file, keep_in_result, error);
}

static void
write_id_list (MdJsonWriter       *w,
               const char * const *ids,
               guint               n)
{
  _md_json_writer_raw (w, "[", 1);
  for (guint i = 0; i < n && ids[i] != NULL; i++)
    {
      if (i > 0)
        _md_json_writer_raw (w, ", ", 2);
      _md_json_writer_string (w, ids[i]);
    }
  _md_json_writer_raw (w, "]", 1);
}

/* Dataset codes become file names: they must be plain names. */
static gboolean
check_dataset_name (const char  *dataset,
                    GError     **error)
{
  gboolean ok = *dataset != '\0' && *dataset != '.';

  for (const char *p = dataset; ok && *p != '\0'; p++)
    ok = g_ascii_isalnum (*p) || *p == '_' || *p == '-' || *p == '.';
  if (!ok)
    g_set_error (error, MD_ERROR, MD_ERROR_UNSUPPORTED, "dataset “%s” cannot be a file name "
                 "prefix: expected letters, digits, “_”, “-” or “.”", dataset);
  return ok;
}

/* MIMIC-IT -------------------------------------------------------------------------------------- */

typedef struct
{
  char            *dataset;
  MdJsonWriter    *instructions;
  MdJsonWriter    *train;
  MdJsonWriter    *images;         /* flat TASK.json */
  MdJsonWriter    *parquet_file;   /* TASK.parquet */
  MdParquetWriter *parquet;
  MdJsonWriter    *query_input;
  MdJsonWriter    *valid_output;
  gboolean         derived_train;  /* the source has no TASK_train.json */
  guint            n_instructions;
  guint            n_train;
  guint            n_images;
  guint            n_translations;
} MimicFiles;

static void
mimic_files_abort (MimicFiles *files)
{
  g_clear_pointer (&files->instructions, _md_json_writer_abort);
  g_clear_pointer (&files->train, _md_json_writer_abort);
  g_clear_pointer (&files->images, _md_json_writer_abort);
  g_clear_pointer (&files->parquet, md_parquet_writer_free);
  g_clear_pointer (&files->parquet_file, _md_json_writer_abort);
  g_clear_pointer (&files->query_input, _md_json_writer_abort);
  g_clear_pointer (&files->valid_output, _md_json_writer_abort);
  g_clear_pointer (&files->dataset, g_free);
}

static gboolean
mimic_finish_dataset (MdExportJob  *job,
                      MimicFiles   *files,
                      GError      **error)
{
  MdExportCounts *counts;

  if (files->dataset == NULL)
    return TRUE;
  counts = counts_of (job, files->dataset);
  _md_json_writer_puts (files->instructions, files->n_instructions > 0 ? "\n  }\n}\n" : "}\n}\n");
  _md_json_writer_puts (files->train, files->n_train > 0 ? "\n}\n" : "}\n");
  if (files->images != NULL)
    _md_json_writer_puts (files->images, "\n}\n");
  if (files->parquet != NULL)
    {
      md_parquet_writer_finish (files->parquet);
      g_clear_pointer (&files->parquet, md_parquet_writer_free);
    }
  if (files->query_input != NULL)
    {
      _md_json_writer_puts (files->query_input, files->n_translations > 0 ? "\n]\n" : "]\n");
      _md_json_writer_puts (files->valid_output, files->n_translations > 0 ? "\n]\n" : "]\n");
    }
  g_clear_pointer (&counts->images_path, g_free);
  if (files->parquet_file != NULL)
    counts->images_path = g_strdup (files->parquet_file->rel_path);
  else if (files->images != NULL)
    counts->images_path = g_strdup (files->images->rel_path);
  counts->has_train = TRUE;
  counts->n_train = files->n_train;
  if (!close_into (job, &files->images, TRUE, error) ||
      !close_into (job, &files->parquet_file, TRUE, error) ||
      !close_into (job, &files->query_input, TRUE, error) ||
      !close_into (job, &files->valid_output, TRUE, error) ||
      !close_into (job, &files->train, TRUE, error) ||
      !close_into (job, &files->instructions, TRUE, error))
    return FALSE;
  g_clear_pointer (&files->dataset, g_free);
  return TRUE;
}

static gboolean
mimic_start_dataset (MdExportJob  *job,
                     MimicFiles   *files,
                     const char   *dataset,
                     GError      **error)
{
  g_autofree char *instructions = g_strdup_printf ("%s_instructions.json", dataset);
  g_autofree char *train = g_strdup_printf ("%s_train.json", dataset);

  if (!check_dataset_name (dataset, error))
    return FALSE;
  memset (files, 0, sizeof *files);
  files->dataset = g_strdup (dataset);
  files->derived_train = !_md_export_source_has_train (job, dataset);
  if (!_md_export_load_extras (job, dataset, error))
    return FALSE;
  files->instructions = _md_json_writer_open (job->staging, instructions, error);
  if (files->instructions == NULL)
    return FALSE;
  files->train = _md_json_writer_open (job->staging, train, error);
  if (files->train == NULL)
    return FALSE;

  _md_json_writer_puts (files->instructions, "{\n  \"meta\": {\"version\": ");
  _md_json_writer_string (files->instructions, PACKAGE_VERSION);
  _md_json_writer_puts (files->instructions, ", \"time\": ");
  _md_json_writer_string (files->instructions, job->time);
  _md_json_writer_puts (files->instructions, ", \"author\": ");
  _md_json_writer_string (files->instructions, PACKAGE_NAME " export");
  _md_json_writer_puts (files->instructions, "},\n  \"data\": {");
  _md_json_writer_puts (files->train, "{");

  /* Translations only make sense next to English main texts: they are read back as
   * translations of the instruction file's texts. */
  if (job->options->language < 0 || job->options->language == MD_LANGUAGE_EN)
    {
      g_autofree char *query = g_build_filename ("translations", dataset, "query_input.json", NULL);
      g_autofree char *valid = g_build_filename ("translations", dataset, "valid_output.json", NULL);

      files->query_input = _md_json_writer_open (job->staging, query, error);
      if (files->query_input == NULL)
        return FALSE;
      files->valid_output = _md_json_writer_open (job->staging, valid, error);
      if (files->valid_output == NULL)
        return FALSE;
      _md_json_writer_puts (files->query_input, "[");
      _md_json_writer_puts (files->valid_output, "[");
    }
  return TRUE;
}

static gboolean
parquet_sink (const guint8 *data,
              gsize         len,
              gpointer      user_data)
{
  MdJsonWriter *w = user_data;

  _md_json_writer_raw (w, (const char *) data, len);
  return w->error == NULL;
}

/* Opens the image store files of the dataset on its first image. */
static gboolean
mimic_open_stores (MdExportJob  *job,
                   MimicFiles   *files,
                   GError      **error)
{
  MdExportImageStore kind = job->options->image_store;

  if (files->images != NULL || files->parquet_file != NULL)
    return TRUE;
  if (kind == MD_EXPORT_IMAGES_JSON || kind == MD_EXPORT_IMAGES_BOTH)
    {
      g_autofree char *name = g_strdup_printf ("%s.json", files->dataset);

      files->images = _md_json_writer_open (job->staging, name, error);
      if (files->images == NULL)
        return FALSE;
      _md_json_writer_puts (files->images, "{");
    }
  if (kind == MD_EXPORT_IMAGES_PARQUET || kind == MD_EXPORT_IMAGES_BOTH)
    {
      g_autofree char *name = g_strdup_printf ("%s.parquet", files->dataset);

      files->parquet_file = _md_json_writer_open (job->staging, name, error);
      if (files->parquet_file == NULL)
        return FALSE;
      files->parquet = md_parquet_writer_new (parquet_sink, files->parquet_file, PACKAGE_NAME);
    }
  return TRUE;
}

/* The images of a pair that this dataset's store does not hold yet, as standard padded base64
 * (copied as they are when they are that already). */
static gboolean
mimic_write_images (MdExportJob   *job,
                    MimicFiles    *files,
                    MdExportPair  *pair,
                    GError       **error)
{
  const char * const *images = md_pair_get_image_ids (pair->pair);

  for (guint i = 0; images[i] != NULL; i++)
    {
      g_autoptr(GBytes) raw = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *owned = NULL;
      gsize len;
      const char *data;

      if (g_strv_contains (md_pair_get_missing_image_ids (pair->pair), images[i]) ||
          !_md_export_source_has_image (job->source, images[i]))
        continue;
      if (!_md_export_first_image (job, files->dataset, images[i], &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          continue;
        }
      raw = md_store_read_image_raw (job->store, images[i], &local_error);
      if (raw == NULL)
        {
          /* Missing images are in the check report; the reference stays as the shard has it. */
          if (g_error_matches (local_error, MD_ERROR, MD_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      data = g_bytes_get_data (raw, &len);
      data = _md_export_image_value (data, len, &len, &owned, &local_error);
      if (data == NULL)
        {
          /* Undecodable values are in the check report (undecodable_image) and stay as the
           * store has them: nothing better can be written. */
          data = g_bytes_get_data (raw, &len);
          g_clear_error (&local_error);
        }
      if (!mimic_open_stores (job, files, error))
        return FALSE;
      if (files->images != NULL)
        {
          _md_json_writer_puts (files->images, files->n_images > 0 ? ",\n  " : "\n  ");
          _md_json_writer_string (files->images, images[i]);
          _md_json_writer_raw (files->images, ": \"", 3);
          _md_json_writer_raw (files->images, data, len);
          _md_json_writer_raw (files->images, "\"", 1);
        }
      if (files->parquet != NULL)
        md_parquet_writer_add (files->parquet, images[i], strlen (images[i]), data, len);
      files->n_images++;
      counts_of (job, files->dataset)->n_images++;
      job->n_images++;
    }
  return TRUE;
}

static void
mimic_write_translation (MdExportJob  *job,
                         MimicFiles   *files,
                         MdExportPair *pair)
{
  g_autoptr(GString) sentences = g_string_new ("<a>");
  g_autoptr(GString) reply = g_string_new ("{");
  const char *id = md_pair_get_id (pair->pair);
  gboolean any = FALSE;

  for (guint f = 0; f < MD_N_FIELDS; f++)
    {
      gboolean first = TRUE;

      g_string_append (reply, f == MD_FIELD_INSTRUCTION ? "\"a\": {" : ", \"b\": {");
      for (guint l = MD_LANGUAGE_ZH; l < MD_N_LANGUAGES; l++)
        {
          if (pair->texts[l][f] == NULL)
            continue;
          if (!first)
            g_string_append (reply, ", ");
          _md_json_append_string (reply, md_language_code (l));
          g_string_append (reply, ": ");
          _md_json_append_string (reply, pair->texts[l][f]);
          first = FALSE;
          any = TRUE;
        }
      g_string_append_c (reply, '}');
    }
  g_string_append_c (reply, '}');
  /* A pair without any translation has no reply, as in Syphus output. */
  if (!any)
    return;

  g_string_append (sentences, pair->texts[MD_LANGUAGE_EN][MD_FIELD_INSTRUCTION]
                              ? pair->texts[MD_LANGUAGE_EN][MD_FIELD_INSTRUCTION] : "");
  g_string_append (sentences, "</a><b>");
  g_string_append (sentences, pair->texts[MD_LANGUAGE_EN][MD_FIELD_ANSWER]
                              ? pair->texts[MD_LANGUAGE_EN][MD_FIELD_ANSWER] : "");
  g_string_append (sentences, "</b>");

  _md_json_writer_puts (files->query_input, files->n_translations > 0 ? ",\n  " : "\n  ");
  _md_json_writer_puts (files->query_input, "{\"id\": ");
  _md_json_writer_string (files->query_input, id);
  _md_json_writer_puts (files->query_input, ", \"sentences\": ");
  _md_json_writer_string (files->query_input, sentences->str);
  _md_json_writer_puts (files->query_input, "}");

  _md_json_writer_puts (files->valid_output, files->n_translations > 0 ? ",\n  " : "\n  ");
  _md_json_writer_puts (files->valid_output, "{\"id\": ");
  _md_json_writer_string (files->valid_output, id);
  _md_json_writer_puts (files->valid_output, ", \"results\": ");
  _md_json_writer_string (files->valid_output, reply->str);
  _md_json_writer_puts (files->valid_output, "}");
  files->n_translations++;
}

static gboolean
mimic_write_pair (MdExportJob   *job,
                  MdExportPair  *pair,
                  gpointer       user_data,
                  GError       **error)
{
  MimicFiles *files = user_data;
  const char *dataset = md_pair_get_dataset (pair->pair);
  const char *id = md_pair_get_id (pair->pair);
  const char * const *images = md_pair_get_image_ids (pair->pair);
  g_autofree char *extras = NULL;
  MdExportCounts *counts;
  GPtrArray *train;
  MdJsonWriter *w;

  if (g_strcmp0 (files->dataset, dataset) != 0)
    {
      if (!mimic_finish_dataset (job, files, error) ||
          !mimic_start_dataset (job, files, dataset, error))
        return FALSE;
    }
  note_pair (job, pair);
  counts = counts_of (job, dataset);

  w = files->instructions;
  _md_json_writer_puts (w, files->n_instructions++ > 0 ? ",\n    " : "\n    ");
  _md_json_writer_string (w, id);
  _md_json_writer_puts (w, ": {\"instruction\": ");
  _md_json_writer_string (w, _md_export_pair_main_text (job, pair, MD_FIELD_INSTRUCTION));
  _md_json_writer_puts (w, ", \"answer\": ");
  _md_json_writer_string (w, _md_export_pair_main_text (job, pair, MD_FIELD_ANSWER));
  _md_json_writer_puts (w, ", \"image_ids\": ");
  write_id_list (w, images, G_MAXUINT);
  _md_json_writer_puts (w, ", \"rel_ins_ids\": ");
  write_id_list (w, (const char * const *) pair->rel_ins->pdata, pair->rel_ins->len);
  extras = _md_export_pair_extras (job, id);
  if (extras != NULL)
    {
      _md_json_writer_puts (w, ", ");
      _md_json_writer_puts (w, extras);
    }
  _md_json_writer_puts (w, "}");

  /* Otter trains on exactly the keys of TASK_train.json: those of the source (when it has the
   * file), each with its own list; without one, every pair with its rel_ins_ids. */
  train = files->derived_train ? pair->rel_ins : pair->train;
  if (!pair->context_only && train != NULL)
    {
      _md_json_writer_puts (files->train, files->n_train++ > 0 ? ",\n  " : "\n  ");
      _md_json_writer_string (files->train, id);
      _md_json_writer_puts (files->train, ": ");
      write_id_list (files->train, (const char * const *) train->pdata, train->len);
      if (train->len > 0)
        counts->n_linked++;
    }
  if (!pair->context_only && images[0] != NULL)
    {
      MdModality modality = md_pair_get_modality (pair->pair);

      counts->n_with_images++;
      if (modality == MD_MODALITY_VIDEO || modality == MD_MODALITY_MULTI_IMAGE)
        counts->n_video++;
    }

  if (files->query_input != NULL)
    mimic_write_translation (job, files, pair);
  return mimic_write_images (job, files, pair, error);
}

gboolean
_md_export_write_mimicit (MdExportJob  *job,
                          GError      **error)
{
  MimicFiles files = { NULL, };

  if (!_md_export_foreach (job, "write", mimic_write_pair, &files, error) ||
      !mimic_finish_dataset (job, &files, error) ||
      !_md_export_write_otter_yaml (job, error))
    {
      mimic_files_abort (&files);
      return FALSE;
    }
  return TRUE;
}

/* Extracted images ------------------------------------------------------------------------------ */

/* The relative path of an image's extracted file, writing it the first time; NULL (no error)
 * when the image is missing or does not decode. */
static gboolean
extract_image (MdExportJob  *job,
               const char   *image_id,
               char        **out_path,
               GError      **error)
{
  sqlite3_stmt *find = _md_export_sel_cached (job, "SELECT path FROM extracted WHERE image_id = ?",
                                              error);
  sqlite3_stmt *add;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *path = NULL;
  MdJsonWriter *w;
  gsize len;
  const char *data;
  int rc;

  *out_path = NULL;
  if (find == NULL)
    return FALSE;
  sqlite3_bind_text (find, 1, image_id, -1, SQLITE_STATIC);
  if (sqlite3_step (find) == SQLITE_ROW)
    {
      *out_path = g_strdup ((const char *) sqlite3_column_text (find, 0));
      sqlite3_reset (find);
      return TRUE;
    }
  sqlite3_reset (find);

  bytes = md_store_load_image (job->store, image_id, &mime, &local_error);
  if (bytes == NULL && local_error->domain == MD_ERROR &&
      local_error->code != MD_ERROR_NOT_FOUND && local_error->code != MD_ERROR_PARSE)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (bytes != NULL)
    {
      g_autofree char *name = md_export_image_file_name (image_id, mime);
      MdExportFile *file;

      path = g_build_filename ("images", name, NULL);
      w = _md_json_writer_open (job->staging, path, error);
      if (w == NULL)
        return FALSE;
      data = g_bytes_get_data (bytes, &len);
      _md_json_writer_raw (w, data, len);
      file = _md_json_writer_close (w, error);
      if (file == NULL || !_md_export_record_file (job, file, FALSE, error))
        return FALSE;
      job->n_images++;
    }

  add = _md_export_sel_cached (job, "INSERT INTO extracted (image_id, path) VALUES (?, ?)", error);
  if (add == NULL)
    return FALSE;
  sqlite3_bind_text (add, 1, image_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (add, 2, path, -1, SQLITE_STATIC);
  rc = sqlite3_step (add);
  sqlite3_reset (add);
  if (rc != SQLITE_DONE)
    return _md_export_sel_error (job, error, "recording an extracted image");
  *out_path = g_steal_pointer (&path);
  return TRUE;
}

/* The image references of a pair as the line formats write them: ids, or the paths of the
 * extracted files (NULL entries for images that could not be extracted). */
static GPtrArray *
image_refs (MdExportJob   *job,
            MdExportPair  *pair,
            GError       **error)
{
  g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);
  const char * const *images = md_pair_get_image_ids (pair->pair);

  for (guint i = 0; images[i] != NULL; i++)
    {
      char *ref = NULL;

      if (!job->options->extract_images)
        ref = g_strdup (images[i]);
      else if (!extract_image (job, images[i], &ref, error))
        return NULL;
      g_ptr_array_add (refs, ref);
    }
  return g_steal_pointer (&refs);
}

/* JSONL ----------------------------------------------------------------------------------------- */

static gint64
count_revisions (MdExportJob *job,
                 const char  *dataset,
                 const char  *pair_id)
{
  sqlite3_stmt *stmt;
  gint64 n = 0;

  if (job->review == NULL)
    return 0;
  stmt = _md_review_store_prepare (job->review, "SELECT count(*) FROM review_log WHERE dataset = ? "
                                   "AND pair_id = ? AND field IN ('instruction', 'answer')", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, dataset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, pair_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static gboolean
jsonl_write_pair (MdExportJob   *job,
                  MdExportPair  *pair,
                  gpointer       user_data,
                  GError       **error)
{
  MdJsonWriter *w = user_data;
  const char *dataset = md_pair_get_dataset (pair->pair);
  const char *id = md_pair_get_id (pair->pair);
  g_autoptr(GPtrArray) refs = image_refs (job, pair, error);
  g_autoptr(MdReviewState) state = NULL;
  char buf[32];

  if (refs == NULL)
    return FALSE;
  note_pair (job, pair);
  if (job->review != NULL)
    {
      state = md_review_store_get_state (job->review, dataset, id, "", error);
      if (state == NULL)
        return FALSE;
    }

  _md_json_writer_puts (w, "{\"id\": ");
  _md_json_writer_string (w, id);
  _md_json_writer_puts (w, ", \"dataset\": ");
  _md_json_writer_string (w, dataset);
  _md_json_writer_puts (w, ", \"images\": [");
  for (guint i = 0; i < refs->len; i++)
    {
      if (i > 0)
        _md_json_writer_puts (w, ", ");
      _md_json_writer_string (w, refs->pdata[i]);
    }
  _md_json_writer_puts (w, "], \"context\": ");
  write_id_list (w, (const char * const *) pair->links->pdata, pair->links->len);
  _md_json_writer_puts (w, ", \"texts\": {");
  for (guint l = 0; l < MD_N_LANGUAGES; l++)
    {
      if (l > 0)
        _md_json_writer_puts (w, ", ");
      _md_json_writer_string (w, md_language_code (l));
      _md_json_writer_puts (w, ": {\"instruction\": ");
      _md_json_writer_string (w, pair->texts[l][MD_FIELD_INSTRUCTION]);
      _md_json_writer_puts (w, ", \"answer\": ");
      _md_json_writer_string (w, pair->texts[l][MD_FIELD_ANSWER]);
      _md_json_writer_puts (w, "}");
    }
  _md_json_writer_puts (w, "}, \"status\": ");
  _md_json_writer_string (w, md_review_status_name (state != NULL ? state->status
                                                                  : MD_REVIEW_STATUS_UNREVIEWED));
  _md_json_writer_puts (w, ", \"reasons\": ");
  if (state != NULL)
    write_id_list (w, (const char * const *) state->reasons, G_MAXUINT);
  else
    _md_json_writer_puts (w, "[]");
  _md_json_writer_puts (w, ", \"language_status\": {");
  for (guint l = 0; l < MD_N_LANGUAGES; l++)
    {
      const char *code = md_language_code (l);

      if (l > 0)
        _md_json_writer_puts (w, ", ");
      _md_json_writer_string (w, code);
      _md_json_writer_puts (w, ": ");
      _md_json_writer_string (w, md_review_status_name (_md_export_review_status (job, dataset, id,
                                                                                  code)));
    }
  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, count_revisions (job, dataset, id));
  _md_json_writer_puts (w, "}, \"revisions\": ");
  _md_json_writer_puts (w, buf);
  _md_json_writer_puts (w, ", \"context_only\": ");
  _md_json_writer_puts (w, pair->context_only ? "true" : "false");
  _md_json_writer_puts (w, "}\n");
  return TRUE;
}

gboolean
_md_export_write_jsonl (MdExportJob  *job,
                        GError      **error)
{
  MdJsonWriter *w = _md_json_writer_open (job->staging, "pairs.jsonl", error);

  if (w == NULL)
    return FALSE;
  if (!_md_export_foreach (job, "write", jsonl_write_pair, w, error))
    {
      _md_json_writer_abort (w);
      return FALSE;
    }
  return close_into (job, &w, TRUE, error);
}

/* LLaVA ----------------------------------------------------------------------------------------- */

typedef struct
{
  MdJsonWriter *w;
  guint         n_records;
} LlavaState;

/* One human turn and one gpt turn; the image tokens of @n_images lead the human turn. */
static void
llava_turns (MdJsonWriter *w,
             guint         n_images,
             const char   *instruction,
             const char   *answer,
             gboolean      first)
{
  g_autoptr(GString) human = g_string_new (NULL);

  for (guint i = 0; i < n_images; i++)
    g_string_append (human, "<image>\n");
  g_string_append (human, instruction != NULL ? instruction : "");
  _md_json_writer_puts (w, first ? "\n    {\"from\": \"human\", \"value\": "
                                 : ",\n    {\"from\": \"human\", \"value\": ");
  _md_json_writer_string (w, human->str);
  _md_json_writer_puts (w, "},\n    {\"from\": \"gpt\", \"value\": ");
  _md_json_writer_string (w, answer != NULL ? answer : "");
  _md_json_writer_puts (w, "}");
}

static guint
count_present (GPtrArray *refs)
{
  guint n = 0;

  for (guint i = 0; i < refs->len; i++)
    if (refs->pdata[i] != NULL)
      n++;
  return n;
}

static gboolean
llava_write_pair (MdExportJob   *job,
                  MdExportPair  *pair,
                  gpointer       user_data,
                  GError       **error)
{
  LlavaState *state = user_data;
  MdJsonWriter *w = state->w;
  g_autoptr(GPtrArray) examples = g_ptr_array_new_with_free_func ((GDestroyNotify) _md_export_pair_free);
  g_autoptr(GPtrArray) example_refs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) refs = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  gboolean first = TRUE;

  /* Pairs added only as examples appear as earlier turns, not as records. */
  if (pair->context_only)
    return TRUE;
  note_pair (job, pair);
  if (job->options->llava_context)
    for (guint i = 0; i < pair->links->len; i++)
      {
        g_autoptr(GError) local_error = NULL;
        MdExportPair *example = _md_export_pair_load (job, pair->links->pdata[i], TRUE,
                                                      &local_error);
        GPtrArray *example_images;

        if (example == NULL)
          {
            /* A kept dangling link has no text to show; it is in the check report. */
            if (g_error_matches (local_error, MD_ERROR, MD_ERROR_NOT_FOUND))
              continue;
            g_propagate_error (error, g_steal_pointer (&local_error));
            return FALSE;
          }
        g_ptr_array_add (examples, example);
        example_images = image_refs (job, example, error);
        if (example_images == NULL)
          return FALSE;
        g_ptr_array_add (example_refs, example_images);
      }
  refs = image_refs (job, pair, error);
  if (refs == NULL)
    return FALSE;

  for (guint i = 0; i < example_refs->len; i++)
    {
      GPtrArray *r = example_refs->pdata[i];

      for (guint j = 0; j < r->len; j++)
        if (r->pdata[j] != NULL)
          g_ptr_array_add (all, r->pdata[j]);
    }
  for (guint j = 0; j < refs->len; j++)
    if (refs->pdata[j] != NULL)
      g_ptr_array_add (all, refs->pdata[j]);

  _md_json_writer_puts (w, state->n_records++ > 0 ? ",\n  {\"id\": " : "\n  {\"id\": ");
  _md_json_writer_string (w, md_pair_get_id (pair->pair));
  if (all->len == 1)
    {
      _md_json_writer_puts (w, ", \"image\": ");
      _md_json_writer_string (w, all->pdata[0]);
    }
  else if (all->len > 1)
    {
      _md_json_writer_puts (w, ", \"images\": ");
      write_id_list (w, (const char * const *) all->pdata, all->len);
    }
  _md_json_writer_puts (w, ", \"conversations\": [");
  for (guint i = 0; i < examples->len; i++)
    {
      MdExportPair *example = examples->pdata[i];

      llava_turns (w, count_present (example_refs->pdata[i]),
                   _md_export_pair_main_text (job, example, MD_FIELD_INSTRUCTION),
                   _md_export_pair_main_text (job, example, MD_FIELD_ANSWER), first);
      first = FALSE;
    }
  llava_turns (w, count_present (refs), _md_export_pair_main_text (job, pair, MD_FIELD_INSTRUCTION),
               _md_export_pair_main_text (job, pair, MD_FIELD_ANSWER), first);
  _md_json_writer_puts (w, "\n  ]}");
  return TRUE;
}

gboolean
_md_export_write_llava (MdExportJob  *job,
                        GError      **error)
{
  LlavaState state = { NULL, 0 };

  state.w = _md_json_writer_open (job->staging, "llava.json", error);
  if (state.w == NULL)
    return FALSE;
  _md_json_writer_puts (state.w, "[");
  if (!_md_export_foreach (job, "write", llava_write_pair, &state, error))
    {
      _md_json_writer_abort (state.w);
      return FALSE;
    }
  _md_json_writer_puts (state.w, state.n_records > 0 ? "\n]\n" : "]\n");
  return close_into (job, &state.w, TRUE, error);
}
