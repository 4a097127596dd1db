/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "md-import-private.h"
#include "md-json-scan.h"
#include "md-py-literal.h"

/* Prompt files --------------------------------------------------------------------------------- */

gboolean
_md_import_prompt (Importer    *imp,
                   Mapped      *m,
                   const char  *name,
                   GError     **error)
{
  MdJsonScan scan;
  MdJsonSpan value;
  cJSON *root, *system, *examples, *turn;
  guint n = 0;
  g_auto(sqlite3_stmt_ptr) insert = NULL;

  if (g_str_has_suffix (imp->path, ".py"))
    {
      /* The error names the file and the line. */
      root = md_py_literal_parse_module (imp->path, m->data, m->len, error);
      if (root == NULL)
        return FALSE;
      value.start = 0;
    }
  else
    {
      /* Check the structure (and UTF-8) with the scanner first, for a precise offset. */
      md_json_scan_init (&scan, m->data, m->len);
      if (!md_json_scan_start (&scan, error) ||
          !md_json_scan_skip_value (&scan, &value, error) ||
          !md_json_scan_finish (&scan, error))
        return FALSE;
      root = cJSON_ParseWithLength (m->data + value.start, value.end - value.start);
    }
  system = cJSON_GetObjectItemCaseSensitive (root, "system_message");
  examples = cJSON_GetObjectItemCaseSensitive (root, "in_context");
  if (!cJSON_IsObject (root) || !cJSON_IsString (system) ||
      (examples != NULL && !cJSON_IsArray (examples)))
    {
      cJSON_Delete (root);
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   _("expected {\"system_message\": str, \"in_context\": [...]} at byte %zu"),
                   value.start);
      return FALSE;
    }
  cJSON_ArrayForEach (turn, examples)
    {
      cJSON *role = cJSON_GetObjectItemCaseSensitive (turn, "role");

      if (!cJSON_IsString (role) || (strcmp (role->valuestring, "user") != 0 &&
                                     strcmp (role->valuestring, "assistant") != 0))
        {
          g_autofree char *detail =
            g_strdup_printf ("%s: in-context turn %u has no role “user” or “assistant”",
                             imp->path, n);

          if (!_md_importer_problem (imp, MD_PROBLEM_BAD_RECORD, NULL, NULL, detail, error))
            {
              cJSON_Delete (root);
              return FALSE;
            }
        }
      n++;
    }
  insert = _md_index_prepare (imp->db, "INSERT OR REPLACE INTO prompts (file_id, name, "
                                       "system_message, n_examples) VALUES (?, ?, ?, ?)", error);
  if (insert == NULL)
    {
      cJSON_Delete (root);
      return FALSE;
    }
  sqlite3_bind_int64 (insert, 1, imp->file_id);
  sqlite3_bind_text (insert, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, system->valuestring, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (insert, 4, n);
  cJSON_Delete (root);
  imp->n_records = 1;
  return _md_importer_step (imp, insert, "adding a prompt", error);
}

