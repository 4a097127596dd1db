/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-export"

#include "config.h"

#include <string.h>

#include "md-export-private.h"
#include "md-import-report.h"
#include "md-json-scan.h"

/* The keys of a source pair that the index does not hold ("clip", "source", "question_type",
 * ...): a MIMIC-IT export writes them back as the source file has them. They are read from the
 * dataset's JSON instructions files when the export reaches the dataset, one mapped file at a
 * time, and kept in the work file as the JSON text of the members, `"key": value, ...`. */

static const char * const known_keys[] = { "instruction", "answer", "image_ids", "rel_ins_ids" };

static gboolean
is_known_key (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_keys); i++)
    if (g_strcmp0 (key, known_keys[i]) == 0)
      return TRUE;
  return FALSE;
}

/* The extra members of one pair record (the scanner at its '{'), or NULL when it has none. */
static char *
record_extras (MdJsonScan  *scan,
               const char  *data,
               GError     **error)
{
  g_autoptr(GString) out = NULL;
  MdJsonSpan key, value;
  gboolean has_next;

  if (md_json_scan_peek (scan) != '{')
    {
      md_json_scan_skip_value (scan, NULL, error);
      return NULL;
    }
  if (!md_json_scan_open (scan, '{', "a pair object", error))
    return NULL;
  for (;;)
    {
      g_autofree char *name = NULL;

      if (!md_json_scan_next (scan, &key, &has_next, error) || !has_next)
        break;
      if (!md_json_scan_skip_value (scan, &value, error))
        return NULL;
      name = md_json_decode_string (data, key);
      if (name == NULL || is_known_key (name))
        continue;
      if (out == NULL)
        out = g_string_new (NULL);
      else
        g_string_append (out, ", ");
      g_string_append_len (out, data + key.start, key.end - key.start);
      g_string_append (out, ": ");
      g_string_append_len (out, data + value.start, value.end - value.start);
    }
  return out != NULL ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

static gboolean
scan_file (MdExportJob  *job,
           const char   *path,
           GError      **error)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, error);
  sqlite3_stmt *add;
  MdJsonScan scan;
  MdJsonSpan key;
  gboolean has_next;
  const char *data;

  if (mapped == NULL)
    return FALSE;
  add = _md_export_sel_cached (job, "INSERT OR REPLACE INTO extra (pair_id, json) VALUES (?, ?)",
                               error);
  if (add == NULL)
    return FALSE;
  data = g_mapped_file_get_contents (mapped);
  md_json_scan_init (&scan, data, g_mapped_file_get_length (mapped));
  scan.max_string = 16 * 1024 * 1024;
  if (!md_json_scan_start (&scan, error) ||
      !md_json_scan_open (&scan, '{', "a JSON object with “meta” and “data”", error))
    return FALSE;
  for (;;)
    {
      g_autofree char *name = NULL;

      if (!md_json_scan_next (&scan, &key, &has_next, error))
        return FALSE;
      if (!has_next)
        return TRUE;
      name = md_json_decode_string (data, key);
      if (g_strcmp0 (name, "data") != 0 || md_json_scan_peek (&scan) != '{')
        {
          if (!md_json_scan_skip_value (&scan, NULL, error))
            return FALSE;
          continue;
        }
      if (!md_json_scan_open (&scan, '{', "an object of pairs", error))
        return FALSE;
      for (;;)
        {
          g_autofree char *id = NULL;
          g_autofree char *extras = NULL;
          GError *local_error = NULL;

          if (!md_json_scan_next (&scan, &key, &has_next, error))
            return FALSE;
          if (!has_next)
            break;
          id = md_json_decode_string (data, key);
          extras = record_extras (&scan, data, &local_error);
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              return FALSE;
            }
          if (extras == NULL || id == NULL || !_md_export_in_selection (job, id))
            continue;
          sqlite3_reset (add);
          sqlite3_bind_text (add, 1, id, -1, SQLITE_STATIC);
          sqlite3_bind_text (add, 2, extras, -1, SQLITE_STATIC);
          if (sqlite3_step (add) != SQLITE_DONE)
            return _md_export_sel_error (job, error, "recording a pair's other keys");
          sqlite3_reset (add);
        }
    }
}

gboolean
_md_export_load_extras (MdExportJob  *job,
                        const char   *dataset,
                        GError      **error)
{
  g_autoptr(GPtrArray) paths = _md_export_source_files (job, dataset,
                                                        MD_FILE_KIND_INSTRUCTIONS);

  for (guint i = 0; i < paths->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      const char *path = paths->pdata[i];

      if (!g_str_has_suffix (path, ".json"))
        continue;
      if (!scan_file (job, path, &local_error))
        {
          g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: cannot read the pairs' other keys "
                       "again (changed since the import?): %s", path, local_error->message);
          return FALSE;
        }
    }
  return TRUE;
}

/* `"key": value, ...` of the pair, or NULL. */
char *
_md_export_pair_extras (MdExportJob *job,
                        const char  *pair_id)
{
  sqlite3_stmt *find = _md_export_sel_cached (job, "SELECT json FROM extra WHERE pair_id = ?",
                                              NULL);
  char *json = NULL;

  if (find == NULL)
    return NULL;
  sqlite3_bind_text (find, 1, pair_id, -1, SQLITE_STATIC);
  if (sqlite3_step (find) == SQLITE_ROW)
    json = g_strdup ((const char *) sqlite3_column_text (find, 0));
  sqlite3_reset (find);
  return json;
}
