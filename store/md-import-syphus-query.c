/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include "md-error.h"
#include "md-import-syphus-private.h"
#include "md-index-private.h"
#include "md-json-scan.h"

/* query_input.json of a Syphus output folder: the user turn of every query, kept as it is, and
 * the queries that came back with nothing. */

struct _MdSyphusQueryReader
{
  MdImportSyphusFailures *job;
  sqlite3_stmt           *insert;
  GPtrArray              *ids;       /* of char *, in file order */
  GArray                 *offsets;   /* gsize, byte of each id's entry */
};

void
_md_syphus_query_reader_free (MdSyphusQueryReader *reader)
{
  if (reader == NULL)
    return;
  g_clear_pointer (&reader->insert, sqlite3_finalize);
  g_ptr_array_unref (reader->ids);
  g_array_unref (reader->offsets);
  g_free (reader);
}

MdSyphusQueryReader *
_md_syphus_query_reader_new (MdImportSyphusFailures  *job,
                             GError                 **error)
{
  g_autoptr(MdSyphusQueryReader) reader = g_new0 (MdSyphusQueryReader, 1);

  reader->job = job;
  reader->ids = g_ptr_array_new_with_free_func (g_free);
  reader->offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  /* Indexes made before the table existed get it here; the file's old rows go first. */
  if (!_md_index_exec (job->db, MD_INDEX_SYPHUS_QUERIES_SCHEMA, error))
    return NULL;
  {
    g_auto(sqlite3_stmt_ptr) forget = _md_index_prepare (job->db, "DELETE FROM syphus_queries "
                                                         "WHERE file_id = ?", error);

    if (forget == NULL)
      return NULL;
    sqlite3_bind_int64 (forget, 1, job->file_id);
    if (sqlite3_step (forget) != SQLITE_DONE)
      {
        _md_index_set_error (job->db, error, "forgetting the queries of a file");
        return NULL;
      }
  }
  reader->insert = _md_index_prepare (job->db, "INSERT OR REPLACE INTO syphus_queries "
                                      "(query_id, file_id, kind, sentences) VALUES (?, ?, ?, ?)",
                                      error);
  if (reader->insert == NULL)
    return NULL;
  return g_steal_pointer (&reader);
}

/* Translation folders send "<a>INSTRUCTION</a><b>ANSWER</b>": not a generation's annotations. */
static const char *
query_kind (const char *sentences)
{
  gsize len = strlen (sentences);

  if (g_str_has_prefix (sentences, "<a>") && len >= 7 &&
      strcmp (sentences + len - 4, "</b>") == 0 && strstr (sentences, "</a><b>") != NULL)
    return "translate";
  return "regenerate";
}

gboolean
_md_syphus_query_reader_add (MdSyphusQueryReader  *reader,
                             cJSON                *entry,
                             const char           *key_id,
                             gsize                 offset,
                             GError              **error)
{
  MdImportSyphusFailures *job = reader->job;
  cJSON *id = cJSON_GetObjectItemCaseSensitive (entry, "id");
  cJSON *sentences = cJSON_GetObjectItemCaseSensitive (entry, "sentences");

  if (key_id != NULL || !cJSON_IsObject (entry) || !cJSON_IsString (id) ||
      *id->valuestring == '\0' || !cJSON_IsString (sentences))
    {
      g_autofree char *detail =
        g_strdup_printf ("%s: entry at byte %" G_GSIZE_FORMAT ": expected an object {\"id\": "
                         "\"<id>\", \"sentences\": \"<the query>\"} in a JSON array", job->path,
                         offset);

      return _md_import_syphus_add_problem (job, MD_PROBLEM_BAD_RECORD,
                                           cJSON_IsString (id) ? id->valuestring : NULL,
                                           detail, error);
    }

  sqlite3_reset (reader->insert);
  sqlite3_bind_text (reader->insert, 1, id->valuestring, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (reader->insert, 2, job->file_id);
  sqlite3_bind_text (reader->insert, 3, query_kind (sentences->valuestring), -1, SQLITE_STATIC);
  sqlite3_bind_text (reader->insert, 4, sentences->valuestring, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (reader->insert) != SQLITE_DONE)
    return _md_index_set_error (job->db, error, "recording a query");
  sqlite3_reset (reader->insert);
  g_ptr_array_add (reader->ids, g_strdup (id->valuestring));
  g_array_append_val (reader->offsets, offset);
  job->n_records++;
  return TRUE;
}

/* The ids a sibling output file answers, added to @answered. FALSE with no error when the file
 * does not exist. */
static gboolean
read_answered (const char  *path,
               GHashTable  *answered,
               GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GError) local_error = NULL;
  MdJsonScan scan;
  const char *data;
  gsize len;
  char kind;

  file = g_mapped_file_new (path, FALSE, &local_error);
  if (file == NULL)
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: %s", path, local_error->message);
      return FALSE;
    }
  data = g_mapped_file_get_contents (file);
  len = g_mapped_file_get_length (file);
  if (data == NULL)
    return TRUE;   /* empty */

  md_json_scan_init (&scan, data, len);
  scan.max_string = 16 * 1024 * 1024;
  if (!md_json_scan_start (&scan, error))
    return FALSE;
  kind = md_json_scan_peek (&scan) == '{' ? '{' : '[';
  if (!md_json_scan_open (&scan, kind, "a JSON array of {\"id\": ...} or an object keyed by id",
                          error))
    return FALSE;
  for (;;)
    {
      MdJsonSpan key = { 0, 0 };
      MdJsonSpan value;
      gboolean has_next;

      if (!md_json_scan_next (&scan, kind == '{' ? &key : NULL, &has_next, error))
        return FALSE;
      if (!has_next)
        break;
      if (!md_json_scan_skip_value (&scan, &value, error))
        return FALSE;
      if (kind == '{')
        {
          char *id = md_json_decode_string (data, key);

          if (id != NULL)
            g_hash_table_add (answered, id);
        }
      else
        {
          cJSON *entry = cJSON_ParseWithLength (data + value.start, value.end - value.start);
          cJSON *id = cJSON_GetObjectItemCaseSensitive (entry, "id");

          if (cJSON_IsString (id))
            g_hash_table_add (answered, g_strdup (id->valuestring));
          cJSON_Delete (entry);
        }
    }
  return md_json_scan_finish (&scan, error);
}

gboolean
_md_syphus_query_reader_finish (MdSyphusQueryReader  *reader,
                                GError              **error)
{
  static const char * const outputs[] = { "valid_output.json", "invalid_output.json" };
  MdImportSyphusFailures *job = reader->job;
  g_autoptr(GHashTable) answered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *folder = g_path_get_dirname (job->path);
  gboolean any = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (outputs); i++)
    {
      g_autofree char *path = g_build_filename (folder, outputs[i], NULL);
      g_autoptr(GError) local_error = NULL;

      if (read_answered (path, answered, &local_error))
        any = TRUE;
      else if (local_error != NULL)
        {
          /* That file reports its own error when it is imported; the check needs it whole. */
          g_autofree char *detail =
            g_strdup_printf ("%s: queries without output not checked: %s", job->path,
                             local_error->message);

          if (!_md_import_syphus_add_problem (job, MD_PROBLEM_BAD_RECORD, NULL, detail, error))
            return FALSE;
          return TRUE;
        }
    }
  if (!any)
    return TRUE;   /* only the inputs of a run: nothing to compare with */

  for (guint i = 0; i < reader->ids->len; i++)
    {
      const char *id = g_ptr_array_index (reader->ids, i);
      g_autofree char *detail = NULL;

      if (g_hash_table_contains (answered, id))
        continue;
      g_hash_table_add (answered, g_strdup (id));   /* once per id */
      detail = g_strdup_printf ("%s: entry at byte %" G_GSIZE_FORMAT " for “%s”: no output in "
                                "valid_output.json or invalid_output.json (the query failed "
                                "and Syphus kept no reply)", job->path,
                                g_array_index (reader->offsets, gsize, i), id);
      if (!_md_import_syphus_add_problem (job, MD_PROBLEM_SYPHUS_ERROR, id, detail, error))
        return FALSE;
    }
  return TRUE;
}
