/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include <cJSON.h>

#include "md-error.h"
#include "md-json-scan.h"

#define MAX_DEPTH_LIMIT 256

void
md_json_scan_init (MdJsonScan *scan,
                   const char *data,
                   gsize       len)
{
  memset (scan, 0, sizeof *scan);
  scan->data = data;
  scan->len = len;
  scan->max_depth = 64;
  scan->max_string = 64 * 1024 * 1024;
  scan->max_key = 4096;
  scan->validate_utf8 = TRUE;
}

static inline void
skip_ws (MdJsonScan *scan)
{
  while (scan->pos < scan->len)
    {
      char c = scan->data[scan->pos];

      if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
        break;
      scan->pos++;
    }
}

static gboolean
fail_expected (MdJsonScan  *scan,
               const char  *expected,
               GError     **error)
{
  if (scan->pos >= scan->len)
    g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                 "unexpected end of file at byte %" G_GSIZE_FORMAT " (truncated?), expected %s",
                 scan->pos, expected);
  else
    {
      guchar c = scan->data[scan->pos];

      if (c >= 0x20 && c < 0x7f)
        g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                     "unexpected “%c” at byte %" G_GSIZE_FORMAT ", expected %s",
                     c, scan->pos, expected);
      else
        g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                     "unexpected byte 0x%02x at byte %" G_GSIZE_FORMAT ", expected %s",
                     c, scan->pos, expected);
    }
  return FALSE;
}

gboolean
md_json_scan_start (MdJsonScan  *scan,
                    GError     **error)
{
  scan->pos = 0;
  scan->n_open = 0;
  if (scan->len >= 3 && memcmp (scan->data, "\xEF\xBB\xBF", 3) == 0)
    scan->pos = 3;
  skip_ws (scan);
  if (scan->pos >= scan->len)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "the file is empty (%" G_GSIZE_FORMAT " bytes), expected a JSON value",
                   scan->len);
      return FALSE;
    }
  return TRUE;
}

char
md_json_scan_peek (MdJsonScan *scan)
{
  skip_ws (scan);
  return scan->pos < scan->len ? scan->data[scan->pos] : 0;
}

/* Scans the string starting at scan->pos (on its opening quote); leaves pos after the closing
 * quote. Base64 values are hundreds of kilobytes: memchr does the walking. */
static gboolean
scan_string (MdJsonScan  *scan,
             GError     **error)
{
  gsize start = scan->pos;
  gsize p = start + 1;
  gboolean escaped = FALSE;
  /* Look for the closing quote no further than the longest string accepted: a 1 GB string is
   * refused after reading max_string bytes, not after paging in the whole of it. */
  gsize limit = scan->max_string < scan->len - p ? p + scan->max_string + 1 : scan->len;

  for (;;)
    {
      const char *q = memchr (scan->data + p, '"', limit - p);
      gsize n_backslashes = 0;
      gsize e;

      if (q == NULL && limit < scan->len)
        {
          scan->pos = limit;
          g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                       "the string at byte %" G_GSIZE_FORMAT " is more than %" G_GSIZE_FORMAT
                       " bytes long, expected at most %" G_GSIZE_FORMAT " bytes",
                       start, scan->max_string, scan->max_string);
          return FALSE;
        }
      if (q == NULL)
        {
          scan->pos = scan->len;
          g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                       "unexpected end of file at byte %" G_GSIZE_FORMAT
                       " (truncated?) in the string starting at byte %" G_GSIZE_FORMAT
                       ", expected a closing quote", scan->len, start);
          return FALSE;
        }
      e = q - scan->data;
      while (e - n_backslashes > start + 1 && scan->data[e - n_backslashes - 1] == '\\')
        n_backslashes++;
      if (n_backslashes > 0)
        escaped = TRUE;
      if (n_backslashes % 2 == 0)
        {
          p = e;
          break;
        }
      p = e + 1;
    }

  if (!escaped && memchr (scan->data + start + 1, '\\', p - start - 1) != NULL)
    escaped = TRUE;
  if (p - start - 1 > scan->max_string)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "the string at byte %" G_GSIZE_FORMAT " is %" G_GSIZE_FORMAT
                   " bytes long, expected at most %" G_GSIZE_FORMAT " bytes",
                   start, p - start - 1, scan->max_string);
      return FALSE;
    }
  if (scan->validate_utf8)
    {
      const char *end = NULL;

      if (!g_utf8_validate_len (scan->data + start + 1, p - start - 1, &end))
        {
          g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                       "invalid UTF-8 at byte %" G_GSIZE_FORMAT
                       " in the string starting at byte %" G_GSIZE_FORMAT
                       ", expected UTF-8 text",
                       (gsize) (end - scan->data), start);
          return FALSE;
        }
    }
  scan->last_string_escaped = escaped;
  scan->pos = p + 1;
  return TRUE;
}

gboolean
md_json_scan_skip_value (MdJsonScan  *scan,
                         MdJsonSpan  *value,
                         GError     **error)
{
  char stack[MAX_DEPTH_LIMIT];
  guint depth = 0;
  guint max_depth = MIN (scan->max_depth, MAX_DEPTH_LIMIT);

  skip_ws (scan);
  if (value != NULL)
    value->start = scan->pos;
  if (scan->pos >= scan->len)
    return fail_expected (scan, "a value", error);

  do
    {
      char c;

      skip_ws (scan);
      if (scan->pos >= scan->len)
        return fail_expected (scan, depth > 0 && stack[depth - 1] == '{' ? "“}”" : "“]”", error);
      c = scan->data[scan->pos];
      switch (c)
        {
        case '"':
          if (!scan_string (scan, error))
            return FALSE;
          break;
        case '{':
        case '[':
          if (depth + scan->n_open >= max_depth)
            {
              g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                           "nesting deeper than %u levels at byte %" G_GSIZE_FORMAT
                           ", expected flatter records", max_depth, scan->pos);
              return FALSE;
            }
          stack[depth++] = c;
          scan->pos++;
          break;
        case '}':
        case ']':
          if (depth == 0 || stack[depth - 1] != (c == '}' ? '{' : '['))
            return fail_expected (scan, depth == 0 ? "a value"
                                  : stack[depth - 1] == '{' ? "“}”" : "“]”", error);
          depth--;
          scan->pos++;
          break;
        case ',':
        case ':':
          if (depth == 0)
            return fail_expected (scan, "a value", error);
          scan->pos++;
          break;
        default:
          {
            gsize start = scan->pos;

            while (scan->pos < scan->len)
              {
                char d = scan->data[scan->pos];

                if (g_ascii_isalnum (d) || d == '.' || d == '-' || d == '+')
                  scan->pos++;
                else
                  break;
              }
            if (scan->pos == start)
              return fail_expected (scan, "a value", error);
          }
          break;
        }
    }
  while (depth > 0);

  if (value != NULL)
    value->end = scan->pos;
  return TRUE;
}

gboolean
md_json_scan_open (MdJsonScan  *scan,
                   char         kind,
                   const char  *what,
                   GError     **error)
{
  g_assert (kind == '{' || kind == '[');

  skip_ws (scan);
  if (scan->pos >= scan->len || scan->data[scan->pos] != kind)
    return fail_expected (scan, what, error);
  if (scan->n_open >= MD_JSON_SCAN_MAX_OPEN || scan->n_open >= scan->max_depth)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "nesting too deep at byte %" G_GSIZE_FORMAT, scan->pos);
      return FALSE;
    }
  scan->open_kind[scan->n_open] = kind;
  scan->open_count[scan->n_open] = 0;
  scan->n_open++;
  scan->pos++;
  return TRUE;
}

gboolean
md_json_scan_next (MdJsonScan  *scan,
                   MdJsonSpan  *key,
                   gboolean    *has_next,
                   GError     **error)
{
  char kind;
  char close;

  g_assert (scan->n_open > 0);
  kind = scan->open_kind[scan->n_open - 1];
  close = kind == '{' ? '}' : ']';

  skip_ws (scan);
  if (scan->pos >= scan->len)
    return fail_expected (scan, kind == '{' ? "“,” or “}”" : "“,” or “]”", error);
  if (scan->data[scan->pos] == close)
    {
      scan->pos++;
      scan->n_open--;
      *has_next = FALSE;
      return TRUE;
    }
  if (scan->open_count[scan->n_open - 1] > 0)
    {
      if (scan->data[scan->pos] != ',')
        return fail_expected (scan, kind == '{' ? "“,” or “}”" : "“,” or “]”", error);
      scan->pos++;
      skip_ws (scan);
    }
  scan->open_count[scan->n_open - 1]++;

  if (kind == '{')
    {
      gboolean validate = scan->validate_utf8;
      gsize max_string = scan->max_string;
      gboolean ok;

      if (scan->pos >= scan->len || scan->data[scan->pos] != '"')
        return fail_expected (scan, "a quoted key", error);
      key->start = scan->pos;
      /* Keys are ids: short, and always checked. */
      scan->validate_utf8 = TRUE;
      scan->max_string = scan->max_key;
      ok = scan_string (scan, error);
      scan->validate_utf8 = validate;
      scan->max_string = max_string;
      if (!ok)
        return FALSE;
      key->end = scan->pos;
      skip_ws (scan);
      if (scan->pos >= scan->len || scan->data[scan->pos] != ':')
        return fail_expected (scan, "“:” after the key", error);
      scan->pos++;
      skip_ws (scan);
      if (scan->pos >= scan->len)
        return fail_expected (scan, "a value", error);
    }
  else
    {
      if (scan->pos >= scan->len || scan->data[scan->pos] == ']' || scan->data[scan->pos] == ',')
        return fail_expected (scan, "a value", error);
    }

  *has_next = TRUE;
  return TRUE;
}

gboolean
md_json_scan_finish (MdJsonScan  *scan,
                     GError     **error)
{
  skip_ws (scan);
  if (scan->pos < scan->len)
    return fail_expected (scan, "the end of the file", error);
  return TRUE;
}

char *
md_json_decode_string (const char *data,
                       MdJsonSpan  span)
{
  gsize len = span.end - span.start;
  cJSON *item;
  char *result = NULL;

  if (len < 2 || data[span.start] != '"' || data[span.end - 1] != '"')
    return NULL;
  if (memchr (data + span.start + 1, '\\', len - 2) == NULL)
    return g_strndup (data + span.start + 1, len - 2);

  item = cJSON_ParseWithLength (data + span.start, len);
  if (item != NULL && cJSON_IsString (item))
    result = g_strdup (item->valuestring);
  cJSON_Delete (item);
  return result;
}

static int
hex_escape_at (const char *data,
               gsize       len,
               gsize       pos)
{
  int value = 0;

  /* data[pos] is the backslash of a \uXXXX escape. */
  if (pos + 6 > len || data[pos] != '\\' || data[pos + 1] != 'u')
    return -1;
  for (guint i = 2; i < 6; i++)
    {
      int d = g_ascii_xdigit_value (data[pos + i]);

      if (d < 0)
        return -1;
      value = value * 16 + d;
    }
  return value;
}

char *
md_json_repair_escapes (const char *data,
                        gsize       len,
                        guint      *out_n_repaired,
                        gsize      *out_first)
{
  char *copy = NULL;
  guint n = 0;

  *out_n_repaired = 0;
  *out_first = 0;
  for (gsize pos = 0; pos + 1 < len; pos++)
    {
      int code, next;
      gboolean bad;

      if (data[pos] != '\\')
        continue;
      if (data[pos + 1] != 'u')
        {
          pos++;    /* skip the escaped character, e.g. the second backslash of "\\u0000" */
          continue;
        }
      code = hex_escape_at (data, len, pos);
      if (code < 0)
        continue;   /* not an escape cJSON accepts either: the record is reported as invalid */
      if (code >= 0xD800 && code <= 0xDBFF)
        {
          next = hex_escape_at (data, len, pos + 6);
          if (next >= 0xDC00 && next <= 0xDFFF)
            {
              pos += 11;    /* a valid pair */
              continue;
            }
          bad = TRUE;
        }
      else
        bad = code == 0 || (code >= 0xDC00 && code <= 0xDFFF);
      if (bad)
        {
          if (copy == NULL)
            {
              copy = g_malloc (len + 1);
              memcpy (copy, data, len);
              copy[len] = '\0';
              *out_first = pos;
            }
          memcpy (copy + pos, "\\uFFFD", 6);
          n++;
        }
      pos += 5;
    }
  *out_n_repaired = n;
  return copy;
}

static char *
append_utf8 (char     *out,
             gunichar  c)
{
  return out + g_unichar_to_utf8 (c, out);
}

char *
md_json_unescape (const char *data,
                  MdJsonSpan  span,
                  gsize      *out_len,
                  guint      *out_n_repaired,
                  gsize      *out_first)
{
  const char *p = data + span.start + 1;
  const char *end = data + span.end - 1;
  /* An escape never decodes to more bytes than it takes: "\uFFFD" is 6 bytes for 3. */
  g_autofree char *result = g_malloc (span.end - span.start);
  char *out = result;

  *out_n_repaired = 0;
  *out_first = 0;
  if (span.end - span.start < 2 || data[span.start] != '"' || data[span.end - 1] != '"')
    return NULL;
  while (p < end)
    {
      const char *backslash = memchr (p, '\\', end - p);
      gsize run = (backslash != NULL ? backslash : end) - p;
      int code;

      memcpy (out, p, run);
      out += run;
      p += run;
      if (p >= end)
        break;
      if (p + 1 >= end)
        return NULL;
      switch (p[1])
        {
        case '"': *out++ = '"'; p += 2; continue;
        case '\\': *out++ = '\\'; p += 2; continue;
        case '/': *out++ = '/'; p += 2; continue;
        case 'b': *out++ = '\b'; p += 2; continue;
        case 'f': *out++ = '\f'; p += 2; continue;
        case 'n': *out++ = '\n'; p += 2; continue;
        case 'r': *out++ = '\r'; p += 2; continue;
        case 't': *out++ = '\t'; p += 2; continue;
        case 'u': break;
        default: return NULL;
        }
      code = hex_escape_at (p, end - p, 0);
      if (code < 0)
        return NULL;
      if (code >= 0xD800 && code <= 0xDBFF)
        {
          int low = hex_escape_at (p, end - p, 6);

          if (low >= 0xDC00 && low <= 0xDFFF)
            {
              out = append_utf8 (out, 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00));
              p += 12;
              continue;
            }
        }
      if (code == 0 || (code >= 0xD800 && code <= 0xDFFF))
        {
          /* Text cannot hold it: the same replacement as md_json_repair_escapes(). */
          if ((*out_n_repaired)++ == 0)
            *out_first = p - (data + span.start);
          code = 0xFFFD;
        }
      out = append_utf8 (out, code);
      p += 6;
    }
  *out = '\0';
  *out_len = out - result;
  return g_steal_pointer (&result);
}
