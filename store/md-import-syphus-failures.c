/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include <cJSON.h>

#include "md-error.h"
#include "md-import-syphus-private.h"
#include "md-index-private.h"
#include "md-json-scan.h"

/* How much of a raw reply or an error message a problem's detail quotes: enough to recognise
 * it, little enough that a failure file of long replies does not double the index. */
#define EXCERPT_CHARS 200
#define CHECK_EVERY 1024

/* Where replies and messages were seen under; the first present wins. */
static const char * const reply_keys[] = { "results", "output", "response", "text" };
static const char * const message_keys[] = { "error", "message", "error_message" };

typedef struct
{
  MdImportSyphusFailures *job;
} Reader;

MdSyphusFailures
_md_import_syphus_failures_kind (const char *basename)
{
  if (g_strcmp0 (basename, "invalid_output.json") == 0)
    return MD_SYPHUS_FAILURES_INVALID_OUTPUT;
  if (g_strcmp0 (basename, "error_messages.json") == 0)
    return MD_SYPHUS_FAILURES_ERROR_MESSAGES;
  if (g_strcmp0 (basename, "query_input.json") == 0)
    return MD_SYPHUS_FAILURES_QUERY_INPUT;
  return MD_SYPHUS_FAILURES_NONE;
}

char *
_md_import_syphus_excerpt (const char *text,
                           guint       max_chars)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *out = g_string_new (NULL);
  const char *p = valid;
  guint n = 0;

  while (*p != '\0' && n < max_chars)
    {
      const char *next = g_utf8_next_char (p);

      /* One line, so that a detail reads in a list and in `mimicdesk-cli` output. */
      if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append_c (out, ' ');
      else
        g_string_append_len (out, p, next - p);
      p = next;
      n++;
    }
  if (*p != '\0')
    g_string_append (out, "…");
  return g_string_free (out, FALSE);
}

static const char *
type_name (cJSON *item)
{
  if (item == NULL) return "no";
  if (cJSON_IsString (item)) return "a string";
  if (cJSON_IsNumber (item)) return "a number";
  if (cJSON_IsBool (item)) return "a boolean";
  if (cJSON_IsNull (item)) return "null";
  if (cJSON_IsArray (item)) return "an array";
  if (cJSON_IsObject (item)) return "an object";
  return "invalid";
}

/* A string as it is, anything else as compact JSON: a reply Syphus half-parsed is still shown. */
static char *
value_text (cJSON *value)
{
  char *printed;
  char *copy;

  if (cJSON_IsString (value))
    return g_strdup (value->valuestring);
  printed = cJSON_PrintUnformatted (value);
  copy = g_strdup (printed != NULL ? printed : "");
  cJSON_free (printed);
  return copy;
}

static cJSON *
first_member (cJSON              *object,
              const char * const *keys,
              guint               n_keys)
{
  for (guint i = 0; i < n_keys; i++)
    {
      cJSON *item = cJSON_GetObjectItemCaseSensitive (object, keys[i]);

      if (item != NULL)
        return item;
    }
  return NULL;
}

gboolean
_md_import_syphus_add_problem (MdImportSyphusFailures  *job,
                               MdProblemKind            kind,
                               const char              *pair_id,
                               const char              *detail,
                               GError                 **error)
{
  gint64 dataset_id = 0;

  /* The problem counts towards the pair's dataset when the pair is known. */
  if (pair_id != NULL)
    {
      sqlite3_reset (job->find_dataset);
      sqlite3_bind_text (job->find_dataset, 1, pair_id, -1, SQLITE_STATIC);
      if (sqlite3_step (job->find_dataset) == SQLITE_ROW)
        dataset_id = sqlite3_column_int64 (job->find_dataset, 0);
      sqlite3_reset (job->find_dataset);
    }

  if (!_md_problem_write (job->problems, kind, dataset_id, job->file_id, pair_id, NULL, -1,
                          detail, error))
    return FALSE;
  job->n_problems++;
  return TRUE;
}

static gboolean
add_problem (Reader         *r,
             MdProblemKind   kind,
             const char     *pair_id,
             const char     *detail,
             GError        **error)
{
  return _md_import_syphus_add_problem (r->job, kind, pair_id, detail, error);
}

/* `key_id`: the member's key when the file is an object keyed by pair id, else NULL. */
static gboolean
read_invalid_output (Reader      *r,
                     cJSON       *entry,
                     const char  *key_id,
                     gsize        offset,
                     GError     **error)
{
  const char *path = r->job->path;
  g_autofree char *id = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *excerpt = NULL;
  g_autofree char *detail = NULL;

  if (key_id != NULL)
    {
      cJSON *value = cJSON_IsObject (entry)
                     ? first_member (entry, reply_keys, G_N_ELEMENTS (reply_keys)) : NULL;

      id = g_strdup (key_id);
      reply = value_text (value != NULL ? value : entry);
    }
  else
    {
      cJSON *id_item = cJSON_IsObject (entry)
                       ? cJSON_GetObjectItemCaseSensitive (entry, "id") : NULL;
      cJSON *value;

      if (!cJSON_IsObject (entry))
        detail = g_strdup_printf ("%s: entry at byte %" G_GSIZE_FORMAT " is %s, expected an "
                                  "object {\"id\": ..., \"results\": ...}", path, offset,
                                  type_name (entry));
      else if (!cJSON_IsString (id_item) || *id_item->valuestring == '\0')
        detail = g_strdup_printf ("%s: entry at byte %" G_GSIZE_FORMAT " has %s “id”, expected "
                                  "the pair's id as a string", path, offset,
                                  cJSON_IsString (id_item) ? "an empty" : type_name (id_item));
      if (detail != NULL)
        return add_problem (r, MD_PROBLEM_BAD_RECORD, NULL, detail, error);

      id = g_strdup (id_item->valuestring);
      value = first_member (entry, reply_keys, G_N_ELEMENTS (reply_keys));
      if (value == NULL)
        {
          /* No known key: show what else the entry holds. */
          cJSON_DeleteItemFromObjectCaseSensitive (entry, "id");
          value = entry;
        }
      reply = value_text (value);
    }

  excerpt = _md_import_syphus_excerpt (reply, EXCERPT_CHARS);
  if (*excerpt == '\0')
    detail = g_strdup_printf ("%s: entry at byte %" G_GSIZE_FORMAT " for “%s”: Syphus could not "
                              "parse an empty reply", path, offset, id);
  else
    detail = g_strdup_printf ("%s: entry at byte %" G_GSIZE_FORMAT " for “%s”: Syphus could not "
                              "parse the reply “%s”", path, offset, id, excerpt);
  r->job->n_records++;
  return add_problem (r, MD_PROBLEM_UNPARSABLE_TRANSLATION, id, detail, error);
}

/* error_messages.json ------------------------------------------------------------------------ */

static gboolean
read_error_message (Reader      *r,
                    cJSON       *entry,
                    const char  *key_id,
                    gsize        offset,
                    GError     **error)
{
  const char *path = r->job->path;
  const char *id = key_id;
  g_autofree char *message = NULL;
  g_autofree char *excerpt = NULL;
  g_autofree char *detail = NULL;

  if (cJSON_IsString (entry))
    message = g_strdup (entry->valuestring);
  else if (cJSON_IsObject (entry))
    {
      cJSON *id_item = cJSON_GetObjectItemCaseSensitive (entry, "id");
      cJSON *value = first_member (entry, message_keys, G_N_ELEMENTS (message_keys));

      if (id_item != NULL && (!cJSON_IsString (id_item) || *id_item->valuestring == '\0'))
        {
          detail = g_strdup_printf ("%s: entry at byte %" G_GSIZE_FORMAT " has %s “id”, "
                                    "expected the pair's id as a string", path, offset,
                                    cJSON_IsString (id_item) ? "an empty" : type_name (id_item));
          return add_problem (r, MD_PROBLEM_BAD_RECORD, id, detail, error);
        }
      if (id == NULL && id_item != NULL)
        id = id_item->valuestring;
      if (value == NULL)
        {
          detail = g_strdup_printf ("%s: entry at byte %" G_GSIZE_FORMAT " has no “error”, "
                                    "“message” or “error_message”, expected an object {\"id\": "
                                    "..., \"error\": ...}", path, offset);
          return add_problem (r, MD_PROBLEM_BAD_RECORD, id, detail, error);
        }
      message = value_text (value);
    }
  else
    {
      detail = g_strdup_printf ("%s: entry at byte %" G_GSIZE_FORMAT " is %s, expected an object "
                                "{\"id\": ..., \"error\": ...} or a string", path, offset,
                                type_name (entry));
      return add_problem (r, MD_PROBLEM_BAD_RECORD, id, detail, error);
    }

  excerpt = _md_import_syphus_excerpt (message, EXCERPT_CHARS);
  if (id != NULL)
    detail = g_strdup_printf ("%s: entry at byte %" G_GSIZE_FORMAT " for “%s”: Syphus reported "
                              "“%s”", path, offset, id, excerpt);
  else
    detail = g_strdup_printf ("%s: entry at byte %" G_GSIZE_FORMAT ": Syphus reported “%s”",
                              path, offset, excerpt);
  r->job->n_records++;
  return add_problem (r, MD_PROBLEM_SYPHUS_ERROR, id, detail, error);
}

/* The file ------------------------------------------------------------------------------------ */

/* Each entry is parsed on its own. \u0000 and lone surrogates, which cJSON would cut at or
 * refuse, are made U+FFFD first: the entry is still worth reporting. */
static cJSON *
parse_entry (const char *data,
             MdJsonSpan  span)
{
  guint n_repaired = 0;
  gsize first = 0;
  g_autofree char *repaired = md_json_repair_escapes (data + span.start, span.end - span.start,
                                                      &n_repaired, &first);

  if (repaired != NULL)
    return cJSON_ParseWithLength (repaired, span.end - span.start);
  return cJSON_ParseWithLength (data + span.start, span.end - span.start);
}

gboolean
_md_import_syphus_failures (MdImportSyphusFailures *job,
                            GError                **error)
{
  g_auto(MdProblemWriter) problems = { 0 };
  g_auto(sqlite3_stmt_ptr) find_dataset = NULL;
  g_autoptr(MdSyphusQueryReader) queries = NULL;
  Reader r = { job };
  MdJsonScan scan;
  char kind;
  guint64 n_entries = 0;

  g_assert (job->which != MD_SYPHUS_FAILURES_NONE);

  if (!_md_problem_writer_init (&problems, job->db, MD_PROBLEM_PHASE_FILE, error))
    return FALSE;
  find_dataset = _md_index_prepare (job->db, "SELECT dataset_id FROM pairs WHERE pair_id = ?",
                                    error);
  if (find_dataset == NULL)
    return FALSE;
  job->problems = &problems;
  job->find_dataset = find_dataset;
  if (job->which == MD_SYPHUS_FAILURES_QUERY_INPUT)
    {
      queries = _md_syphus_query_reader_new (job, error);
      if (queries == NULL)
        return FALSE;
    }

  md_json_scan_init (&scan, job->data, job->len);
  scan.max_string = 16 * 1024 * 1024;
  if (!md_json_scan_start (&scan, error))
    return FALSE;
  kind = md_json_scan_peek (&scan) == '{' ? '{' : '[';
  if (!md_json_scan_open (&scan, kind,
                          job->which == MD_SYPHUS_FAILURES_QUERY_INPUT
                          ? "a JSON array [{\"id\": ..., \"sentences\": ...}, ...]"
                          : job->which == MD_SYPHUS_FAILURES_INVALID_OUTPUT
                          ? "a JSON array [{\"id\": ..., \"results\": ...}, ...] or an object "
                            "{\"<pair id>\": ...}"
                          : "a JSON array [{\"id\": ..., \"error\": ...}, ...] or an object "
                            "{\"<pair id>\": \"<message>\"}", error))
    return FALSE;

  for (;;)
    {
      MdJsonSpan key = { 0, 0 };
      MdJsonSpan value;
      gboolean has_next;
      g_autofree char *key_id = NULL;
      cJSON *entry;
      gsize offset;
      gboolean ok;

      if (!md_json_scan_next (&scan, kind == '{' ? &key : NULL, &has_next, error))
        return FALSE;
      if (!has_next)
        break;
      if (!md_json_scan_skip_value (&scan, &value, error))
        return FALSE;
      offset = kind == '{' ? key.start : value.start;
      if (kind == '{')
        key_id = md_json_decode_string (job->data, key);

      entry = parse_entry (job->data, value);
      if (entry == NULL || (kind == '{' && (key_id == NULL || *key_id == '\0')))
        {
          g_autofree char *detail =
            entry == NULL
            ? g_strdup_printf ("%s: entry at byte %" G_GSIZE_FORMAT " is not valid JSON, "
                               "expected an entry Syphus wrote", job->path, offset)
            : g_strdup_printf ("%s: entry at byte %" G_GSIZE_FORMAT " has an empty or invalid "
                               "key, expected the pair's id", job->path, offset);

          cJSON_Delete (entry);
          if (!add_problem (&r, MD_PROBLEM_BAD_RECORD, NULL, detail, error))
            return FALSE;
          continue;
        }
      if (job->which == MD_SYPHUS_FAILURES_QUERY_INPUT)
        ok = _md_syphus_query_reader_add (queries, entry, key_id, offset, error);
      else if (job->which == MD_SYPHUS_FAILURES_INVALID_OUTPUT)
        ok = read_invalid_output (&r, entry, key_id, offset, error);
      else
        ok = read_error_message (&r, entry, key_id, offset, error);
      cJSON_Delete (entry);
      if (!ok)
        return FALSE;
      if (++n_entries % CHECK_EVERY == 0 &&
          g_cancellable_set_error_if_cancelled (job->cancellable, error))
        return FALSE;
    }
  if (!md_json_scan_finish (&scan, error))
    return FALSE;
  return queries == NULL || _md_syphus_query_reader_finish (queries, error);
}
