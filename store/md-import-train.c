/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include "md-import-private.h"
#include "md-json-scan.h"

/* In-context files ----------------------------------------------------------------------------- */

gboolean
_md_import_train (Importer    *imp,
                  Mapped      *m,
                  GError     **error)
{
  MdJsonScan scan;
  MdJsonSpan key, value;
  gboolean has_next;
  g_autoptr(GString) ids = g_string_new (NULL);

  md_json_scan_init (&scan, m->data, m->len);
  scan.max_string = 1024 * 1024;
  if (!md_json_scan_start (&scan, error) ||
      !md_json_scan_open (&scan, '{', "a JSON object {ID: [in-context ID, ...]}", error))
    return FALSE;
  for (;;)
    {
      g_autofree char *id = NULL;
      cJSON *list;

      if (!md_json_scan_next (&scan, &key, &has_next, error))
        return FALSE;
      if (!has_next)
        break;
      if (!md_json_scan_skip_value (&scan, &value, error))
        return FALSE;
      id = md_json_decode_string (m->data, key);
      list = cJSON_ParseWithLength (m->data + value.start, value.end - value.start);
      if (id == NULL || list == NULL || !cJSON_IsArray (list) || !_md_is_id_list (list))
        {
          g_autofree char *detail =
            g_strdup_printf ("%s: record “%s” at byte %" G_GSIZE_FORMAT
                             " is %s, expected a list of in-context id strings",
                             imp->path, id ? id : "?", value.start,
                             list ? _md_json_type_name (list) : "not valid JSON");

          cJSON_Delete (list);
          if (!_md_importer_problem (imp, MD_PROBLEM_BAD_RECORD, id, NULL, detail, error))
            return FALSE;
          continue;
        }
      _md_join_ids (ids, list);
      cJSON_Delete (list);
      sqlite3_reset (imp->insert_train);
      sqlite3_bind_text (imp->insert_train, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (imp->insert_train, 2, imp->file_id);
      sqlite3_bind_text (imp->insert_train, 3, ids->str, ids->len, SQLITE_STATIC);
      if (!_md_importer_step (imp, imp->insert_train, "adding in-context links", error))
        return FALSE;
      imp->n_records++;
      if (++imp->records_done % CHECK_EVERY == 0)
        {
          if (!_md_importer_check_cancel (imp, error))
            return FALSE;
          _md_importer_progress (imp, FALSE);
        }
    }
  return md_json_scan_finish (&scan, error);
}

