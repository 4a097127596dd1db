/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include <cJSON.h>

#include "md-import-record-private.h"
#include "md-store-private.h"

typedef enum
{
  FIELD_INSTRUCTION,
  FIELD_ANSWER,
  FIELD_IMAGE_IDS,
  FIELD_REL_INS_IDS,
  N_FIELDS
} Field;

/* Keys as they are written in the file, quotes included: compared without decoding. */
static const struct
{
  const char *quoted;
  const char *name;
} fields[N_FIELDS] = {
  { "\"instruction\"", "instruction" },
  { "\"answer\"", "answer" },
  { "\"image_ids\"", "image_ids" },
  { "\"rel_ins_ids\"", "rel_ins_ids" },
};

typedef struct
{
  const char   *path;
  const char   *data;
  MdParsedPair *out;
} Reader;

static int
field_of_key (const char *data,
              MdJsonSpan  key)
{
  gsize len = key.end - key.start;
  g_autofree char *decoded = NULL;

  for (int f = 0; f < N_FIELDS; f++)
    if (strlen (fields[f].quoted) == len && memcmp (data + key.start, fields[f].quoted, len) == 0)
      return f;
  /* "instr\u0075ction" is the same key to a JSON reader. */
  if (memchr (data + key.start, '\\', len) == NULL)
    return -1;
  decoded = md_json_decode_string (data, key);
  for (int f = 0; decoded != NULL && f < N_FIELDS; f++)
    if (strcmp (decoded, fields[f].name) == 0)
      return f;
  return -1;
}

static gboolean
is_literal (const char *data,
            MdJsonSpan  value,
            const char *literal)
{
  gsize len = strlen (literal);

  return value.end - value.start == len && memcmp (data + value.start, literal, len) == 0;
}

/* Only on the way to an error message, so a parse tree is cheap here: it names the type exactly
 * and tells a mistyped value from one that is no JSON at all. */
static const char *
value_type_name (const char *data,
                 MdJsonSpan  value)
{
  guint n_repaired;
  gsize first;
  g_autofree char *repaired = md_json_repair_escapes (data + value.start,
                                                      value.end - value.start, &n_repaired,
                                                      &first);
  cJSON *item = cJSON_ParseWithLength (repaired != NULL ? repaired : data + value.start,
                                       value.end - value.start);
  const char *name;

  if (item == NULL)
    name = NULL;
  else if (cJSON_IsString (item))
    name = "a string";
  else if (cJSON_IsNumber (item))
    name = "a number";
  else if (cJSON_IsBool (item))
    name = "a boolean";
  else if (cJSON_IsNull (item))
    name = "null";
  else if (cJSON_IsArray (item))
    name = "an array";
  else
    name = "an object";
  cJSON_Delete (item);
  return name;
}

static void
set_not_json (Reader *r)
{
  MdParsedPair *out = r->out;

  g_clear_pointer (&out->problem, g_free);
  out->problem = g_strdup_printf ("%s: record “%s” at byte %" G_GSIZE_FORMAT " is not valid "
                                  "JSON, expected an object with “instruction” and “answer”",
                                  r->path, out->id, out->start);
}

static void
note_repaired (MdParsedPair *out,
               guint         n,
               gsize         first_in_record)
{
  if (n == 0)
    return;
  if (out->n_repaired == 0 || first_in_record < out->first_repaired)
    out->first_repaired = first_in_record;
  out->n_repaired += n;
}

/* A string value, decoded only when it has escapes. FALSE when it is no valid JSON string. */
static gboolean
read_string (Reader      *r,
             MdJsonSpan   value,
             const char **out_text,
             gsize       *out_len,
             char       **out_owned)
{
  const char *inner = r->data + value.start + 1;
  gsize inner_len = value.end - value.start - 2;
  guint n_repaired;
  gsize first;

  if (memchr (inner, '\\', inner_len) == NULL)
    {
      *out_text = inner;
      *out_len = inner_len;
      return TRUE;
    }
  *out_owned = md_json_unescape (r->data, value, out_len, &n_repaired, &first);
  if (*out_owned == NULL)
    return FALSE;
  note_repaired (r->out, n_repaired, value.start + first - r->out->start);
  *out_text = *out_owned;
  return TRUE;
}

/* Whether it is a text field's value (a string or null); sets the text when it is a string. */
static gboolean
read_text (Reader     *r,
           MdJsonSpan  value,
           int         field,
           gboolean   *out_invalid)
{
  MdParsedPair *out = r->out;
  const char **text = field == FIELD_INSTRUCTION ? &out->instruction : &out->answer;
  gsize *len = field == FIELD_INSTRUCTION ? &out->instruction_len : &out->answer_len;

  if (r->data[value.start] == '"')
    {
      *out_invalid = !read_string (r, value, text, len, &out->owned_text[field]);
      return !*out_invalid;
    }
  return is_literal (r->data, value, "null");
}

static gboolean
append_id (Reader     *r,
           MdJsonSpan  element,
           GString    *ids)
{
  g_autofree char *owned = NULL;
  const char *id;
  gsize len;

  if (!read_string (r, element, &id, &len, &owned))
    return FALSE;
  if (ids->len > 0)
    g_string_append_c (ids, '\n');
  g_string_append_len (ids, id, len);
  return TRUE;
}

/* Puts the ids of a list value (a string, null, or an array of strings) in `ids`, joined by
 * '\n'. FALSE when the value is something else, or (*out_invalid) no valid JSON. */
static gboolean
read_ids (Reader     *r,
          MdJsonSpan  value,
          GString    *ids,
          gboolean   *out_invalid)
{
  MdJsonScan scan;
  MdJsonSpan element;
  gboolean has_next;

  g_string_truncate (ids, 0);
  switch (r->data[value.start])
    {
    case 'n':
      return is_literal (r->data, value, "null");
    case '"':
      *out_invalid = !append_id (r, value, ids);
      return !*out_invalid;
    case '[':
      break;
    default:
      return FALSE;
    }

  md_json_scan_init (&scan, r->data, value.end);
  scan.pos = value.start;
  scan.validate_utf8 = FALSE;
  *out_invalid = TRUE;
  if (!md_json_scan_open (&scan, '[', "a list", NULL))
    return FALSE;
  for (;;)
    {
      if (!md_json_scan_next (&scan, &element, &has_next, NULL))
        return FALSE;
      if (!has_next)
        break;
      if (md_json_scan_peek (&scan) != '"')
        {
          /* A number or an object among the ids: the message names the list. */
          *out_invalid = FALSE;
          return FALSE;
        }
      if (!md_json_scan_skip_value (&scan, &element, NULL) || !append_id (r, element, ids))
        return FALSE;
    }
  *out_invalid = FALSE;
  return TRUE;
}

void
_md_parse_pair_record (const char   *path,
                       const char   *data,
                       MdJsonSpan    span,
                       MdParsedPair *out,
                       GString      *ids)
{
  Reader r = { .path = path, .data = data, .out = out };
  MdJsonSpan value_of[N_FIELDS];
  gboolean seen[N_FIELDS] = { FALSE };
  MdJsonScan scan;
  MdJsonSpan key, value;
  gboolean has_next;
  gboolean invalid = FALSE;
  g_auto(GStrv) image_list = NULL;

  out->start = span.start;
  if (data[span.start] != '{')
    {
      const char *type = value_type_name (data, span);

      if (type == NULL)
        set_not_json (&r);
      else
        out->problem = g_strdup_printf ("%s: record “%s” at byte %" G_GSIZE_FORMAT " is %s, "
                                        "expected an object with “instruction” and “answer”",
                                        path, out->id, span.start, type);
      return;
    }

  /* The file's scan has checked the record's strings are UTF-8 and where it ends. */
  md_json_scan_init (&scan, data, span.end);
  scan.pos = span.start;
  scan.validate_utf8 = FALSE;
  scan.max_string = span.end - span.start;
  if (!md_json_scan_open (&scan, '{', "an object", NULL))
    return set_not_json (&r);
  for (;;)
    {
      int field;

      if (!md_json_scan_next (&scan, &key, &has_next, NULL))
        return set_not_json (&r);
      if (!has_next)
        break;
      if (!md_json_scan_skip_value (&scan, &value, NULL))
        return set_not_json (&r);
      field = field_of_key (data, key);
      if (field >= 0 && !seen[field])
        {
          /* The first of doubled keys counts, as for cJSON_GetObjectItem(). */
          seen[field] = TRUE;
          value_of[field] = value;
        }
      else if (value_type_name (data, value) == NULL)
        return set_not_json (&r);
    }

  for (int f = FIELD_INSTRUCTION; f <= FIELD_ANSWER; f++)
    if (seen[f] && !read_text (&r, value_of[f], f, &invalid))
      {
        const char *type = invalid ? NULL : value_type_name (data, value_of[f]);

        if (type == NULL)
          return set_not_json (&r);
        out->problem = g_strdup_printf ("%s: record “%s” at byte %" G_GSIZE_FORMAT ": “%s” is %s, "
                                        "expected a string", path, out->id, span.start,
                                        fields[f].name, type);
        return;
      }

  for (int f = FIELD_IMAGE_IDS; f <= FIELD_REL_INS_IDS; f++)
    {
      char **joined = f == FIELD_IMAGE_IDS ? &out->images : &out->context;

      if (!seen[f])
        continue;
      if (!read_ids (&r, value_of[f], ids, &invalid))
        {
          const char *type = invalid ? NULL : value_type_name (data, value_of[f]);

          if (type == NULL)
            return set_not_json (&r);
          out->problem = g_strdup_printf ("%s: record “%s” at byte %" G_GSIZE_FORMAT ": “%s” is "
                                          "%s, expected a list of id strings", path, out->id,
                                          span.start, fields[f].name, type);
          return;
        }
      if (ids->len > 0)
        *joined = g_strndup (ids->str, ids->len);
    }

  image_list = out->images != NULL ? g_strsplit (out->images, "\n", -1) : g_new0 (char *, 1);
  out->n_images = g_strv_length (image_list);
  out->modality = _md_decide_modality (image_list, out->n_images);
}

void
_md_parsed_pair_clear (MdParsedPair *pair)
{
  g_free (pair->id);
  g_free (pair->problem);
  g_free (pair->owned_text[0]);
  g_free (pair->owned_text[1]);
  g_free (pair->images);
  g_free (pair->context);
  memset (pair, 0, sizeof *pair);
}

MdModality
_md_decide_modality (char  **images,
                     guint   n_images)
{
  g_autofree char *clip = NULL;
  gboolean same_clip = TRUE;

  if (n_images == 0)
    return MD_MODALITY_TEXT;
  if (n_images == 1)
    return MD_MODALITY_IMAGE;

  /* Spot the difference: "<x>_1" and "<x>_2". */
  if (n_images == 2 && g_str_has_suffix (images[0], "_1") && g_str_has_suffix (images[1], "_2") &&
      strlen (images[0]) == strlen (images[1]) &&
      strncmp (images[0], images[1], strlen (images[0]) - 1) == 0)
    return MD_MODALITY_IMAGE_PAIR;

  clip = _md_image_clip_of (images[0]);
  for (guint i = 1; i < n_images && same_clip; i++)
    {
      g_autofree char *other = _md_image_clip_of (images[i]);

      same_clip = clip != NULL && other != NULL && strcmp (clip, other) == 0;
    }
  if (same_clip && clip != NULL)
    return MD_MODALITY_VIDEO;
  return n_images == 2 ? MD_MODALITY_IMAGE_PAIR : MD_MODALITY_MULTI_IMAGE;
}
