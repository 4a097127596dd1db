/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include "md-import-private.h"
#include "md-json-scan.h"
#include "md-translation-private.h"

/* Translations --------------------------------------------------------------------------------- */

static gboolean
import_translation_entry (Importer     *imp,
                          cJSON        *entry,
                          gsize         offset,
                          sqlite3_stmt *find_pair,
                          sqlite3_stmt *set_languages,
                          GError      **error)
{
  cJSON *id = cJSON_GetObjectItemCaseSensitive (entry, "id");
  cJSON *results = cJSON_GetObjectItemCaseSensitive (entry, "results");
  g_autoptr(MdTranslationReply) reply = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *english_ins = NULL;
  g_autofree char *english_ans = NULL;
  char *english[MD_N_FIELDS] = { NULL, NULL };
  gint64 rowid;
  guint languages;
  gboolean ok = TRUE;

  imp->dataset_id = 0;
  if (!cJSON_IsString (id) || !cJSON_IsString (results))
    {
      g_autofree char *detail =
        g_strdup_printf ("%s: entry at byte %" G_GSIZE_FORMAT " has %s “id” and %s “results”, "
                         "expected two strings", imp->path, offset,
                         id ? _md_json_type_name (id) : "no",
                         results ? _md_json_type_name (results) : "no");

      return _md_importer_problem (imp, MD_PROBLEM_BAD_RECORD,
                                   cJSON_IsString (id) ? id->valuestring : NULL, NULL, detail,
                                   error);
    }

  sqlite3_reset (find_pair);
  sqlite3_bind_text (find_pair, 1, id->valuestring, -1, SQLITE_STATIC);
  if (sqlite3_step (find_pair) != SQLITE_ROW)
    {
      g_autofree char *detail =
        g_strdup_printf ("%s: translation of “%s” at byte %" G_GSIZE_FORMAT
                         " names no pair of the index", imp->path, id->valuestring, offset);

      return _md_importer_problem (imp, MD_PROBLEM_UNKNOWN_TRANSLATED_PAIR, id->valuestring,
                                   NULL, detail, error);
    }
  rowid = sqlite3_column_int64 (find_pair, 0);
  languages = sqlite3_column_int (find_pair, 1);
  /* Problems of this entry belong to the pair's dataset. */
  imp->dataset_id = sqlite3_column_int64 (find_pair, 2);
  sqlite3_reset (find_pair);

  {
    g_auto(sqlite3_stmt_ptr) en = _md_index_prepare (imp->db, "SELECT instruction, answer FROM "
                                                              "texts WHERE key = ?", error);

    if (en == NULL)
      return FALSE;
    sqlite3_bind_int64 (en, 1, MD_TEXT_KEY (rowid, MD_LANGUAGE_EN));
    if (sqlite3_step (en) == SQLITE_ROW)
      {
        english[MD_FIELD_INSTRUCTION] = english_ins =
          g_strdup ((const char *) sqlite3_column_text (en, 0));
        english[MD_FIELD_ANSWER] = english_ans =
          g_strdup ((const char *) sqlite3_column_text (en, 1));
      }
  }

  reply = _md_translation_reply_parse (results->valuestring, &local_error);
  if (reply == NULL)
    {
      g_autofree char *detail =
        g_strdup_printf ("%s: translation of “%s” at byte %" G_GSIZE_FORMAT ": %s",
                         imp->path, id->valuestring, offset, local_error->message);

      return _md_importer_problem (imp, MD_PROBLEM_UNPARSABLE_TRANSLATION, id->valuestring,
                                   NULL, detail, error);
    }

  for (guint l = MD_LANGUAGE_ZH; l < MD_N_LANGUAGES; l++)
    {
      const char *ins = reply->texts[MD_FIELD_INSTRUCTION][l];
      const char *ans = reply->texts[MD_FIELD_ANSWER][l];
      gint64 key = MD_TEXT_KEY (rowid, l);

      if (ins == NULL || ans == NULL)
        {
          g_autofree char *detail =
            g_strdup_printf ("%s: translation of “%s” at byte %" G_GSIZE_FORMAT
                             " has no %s for “%s”", imp->path, id->valuestring, offset,
                             ins == NULL && ans == NULL ? "instruction and no answer"
                             : ins == NULL ? "instruction" : "answer", md_language_code (l));

          if (!_md_importer_problem (imp, MD_PROBLEM_MISSING_TRANSLATION, id->valuestring,
                                     md_language_code (l), detail, error))
            return FALSE;
        }
      if (ins == NULL && ans == NULL)
        continue;

      if (!_md_importer_delete_texts (imp, key, key, error))
        return FALSE;
      sqlite3_reset (imp->insert_text);
      sqlite3_bind_int64 (imp->insert_text, 1, key);
      sqlite3_bind_text (imp->insert_text, 2, ins, -1, SQLITE_STATIC);
      sqlite3_bind_text (imp->insert_text, 3, ans, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (imp->insert_text, 4, imp->file_id);
      sqlite3_bind_int64 (imp->insert_text, 5, imp->file_id);
      if (!_md_importer_step (imp, imp->insert_text, "adding a translation", error))
        return FALSE;
      if (key <= imp->fts_marker)
        {
          g_auto(sqlite3_stmt_ptr) fts = _md_index_prepare (imp->db,
            "INSERT INTO search.fts (rowid, instruction, answer) VALUES (?, ?, ?)", error);

          if (fts == NULL)
            return FALSE;
          sqlite3_bind_int64 (fts, 1, key);
          sqlite3_bind_text (fts, 2, ins, -1, SQLITE_STATIC);
          sqlite3_bind_text (fts, 3, ans, -1, SQLITE_STATIC);
          if (!_md_importer_step (imp, fts, "indexing a translation", error))
            return FALSE;
        }
      if ((ins != NULL && *ins != '\0') || (ans != NULL && *ans != '\0'))
        languages |= 1u << l;

      for (guint f = 0; f < MD_N_FIELDS && ok; f++)
        {
          const char *text = reply->texts[f][l];
          g_autofree char *numbers = _md_translation_check_numbers (english[f], text);

          if (numbers != NULL)
            {
              g_autofree char *detail =
                g_strdup_printf ("%s: translation of “%s” at byte %" G_GSIZE_FORMAT
                                 ": the %s in “%s” has the numbers %s", imp->path,
                                 id->valuestring, offset, md_field_name (f),
                                 md_language_code (l), numbers);

              ok = _md_importer_problem (imp, MD_PROBLEM_NUMBER_MISMATCH, id->valuestring,
                                         md_language_code (l), detail, error);
            }
          if (ok && _md_translation_looks_truncated (english[f], text))
            {
              g_autofree char *detail =
                g_strdup_printf ("%s: translation of “%s” at byte %" G_GSIZE_FORMAT
                                 ": the %s in “%s” stops before the end of a sentence",
                                 imp->path, id->valuestring, offset, md_field_name (f),
                                 md_language_code (l));

              ok = _md_importer_problem (imp, MD_PROBLEM_TRUNCATED_TRANSLATION, id->valuestring,
                                         md_language_code (l), detail, error);
            }
        }
      if (!ok)
        return FALSE;
    }
  if (reply->bad_values != NULL)
    {
      g_autofree char *detail =
        g_strdup_printf ("%s: translation of “%s” at byte %" G_GSIZE_FORMAT
                         ": values of %s are not strings", imp->path, id->valuestring, offset,
                         reply->bad_values);

      if (!_md_importer_problem (imp, MD_PROBLEM_UNPARSABLE_TRANSLATION, id->valuestring, NULL,
                                 detail, error))
        return FALSE;
    }

  sqlite3_reset (set_languages);
  sqlite3_bind_int (set_languages, 1, languages);
  sqlite3_bind_int64 (set_languages, 2, rowid);
  if (!_md_importer_step (imp, set_languages, "updating the languages of a pair", error))
    return FALSE;
  imp->n_records++;
  return TRUE;
}

gboolean
_md_import_translations (Importer    *imp,
                         Mapped      *m,
                         GError     **error)
{
  MdJsonScan scan;
  MdJsonSpan value;
  gboolean has_next;
  g_auto(sqlite3_stmt_ptr) find_pair =
    _md_index_prepare (imp->db, "SELECT rowid, languages, dataset_id FROM pairs "
                                "WHERE pair_id = ?", error);
  g_auto(sqlite3_stmt_ptr) set_languages =
    _md_index_prepare (imp->db, "UPDATE pairs SET languages = ? WHERE rowid = ?", error);

  if (find_pair == NULL || set_languages == NULL)
    return FALSE;
  md_json_scan_init (&scan, m->data, m->len);
  scan.max_string = 16 * 1024 * 1024;
  if (!md_json_scan_start (&scan, error) ||
      !md_json_scan_open (&scan, '[', "a JSON array [{\"id\": ..., \"results\": ...}, ...]", error))
    return FALSE;
  for (;;)
    {
      cJSON *entry;
      gboolean ok;

      if (!md_json_scan_next (&scan, NULL, &has_next, error))
        return FALSE;
      if (!has_next)
        break;
      if (!md_json_scan_skip_value (&scan, &value, error))
        return FALSE;
      entry = cJSON_ParseWithLength (m->data + value.start, value.end - value.start);
      if (entry == NULL || !cJSON_IsObject (entry))
        {
          g_autofree char *detail =
            g_strdup_printf ("%s: entry at byte %" G_GSIZE_FORMAT " is %s, expected an object "
                             "{\"id\": ..., \"results\": ...}", imp->path, value.start,
                             entry ? _md_json_type_name (entry) : "not valid JSON");

          cJSON_Delete (entry);
          if (!_md_importer_problem (imp, MD_PROBLEM_BAD_RECORD, NULL, NULL, detail, error))
            return FALSE;
          continue;
        }
      ok = import_translation_entry (imp, entry, value.start, find_pair, set_languages, error);
      cJSON_Delete (entry);
      if (!ok)
        return FALSE;
      if (++imp->records_done % 1024 == 0)
        {
          if (!_md_importer_check_cancel (imp, error))
            return FALSE;
          _md_mapped_release_before (m, scan.pos);
          imp->bytes_done = imp->file_base + scan.pos;
          _md_importer_progress (imp, FALSE);
        }
    }
  return md_json_scan_finish (&scan, error);
}

