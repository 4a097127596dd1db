/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "md-error.h"
#include "md-py-literal.h"

/* A recursive-descent reader over the text, tracking the line for errors. Inside brackets
 * newlines are blanks (implicit line joining); outside they end a statement. */

#define MAX_DEPTH 200

typedef struct
{
  const char  *name;
  const char  *p;
  const char  *end;
  guint        line;
  guint        depth;
  gboolean     same_line;   /* the statement before ended with ";" */
  GError     **error;
} Reader;

static gboolean G_GNUC_PRINTF (2, 3)
fail (Reader     *r,
      const char *format,
      ...)
{
  g_autofree char *what = NULL;
  va_list args;

  if (r->error != NULL && *r->error != NULL)
    return FALSE;
  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (r->error, MD_ERROR, MD_ERROR_PARSE, "%s:%u: %s", r->name, r->line, what);
  return FALSE;
}

/* What stands at the reader's position, for "found ..." in errors. */
static char *
found (Reader *r)
{
  const char *stop = r->p;

  if (r->p >= r->end)
    return g_strdup (_("the end of the file"));
  if (*r->p == '\n')
    return g_strdup (_("the end of the line"));
  while (stop < r->end && stop - r->p < 20 && *stop != '\n')
    stop = g_utf8_next_char (stop);
  return g_strdup_printf ("“%.*s”", (int) (stop - r->p), r->p);
}

static gboolean
at (Reader *r,
    char    c)
{
  return r->p < r->end && *r->p == c;
}

/* Blanks, comments and `\` continuations; newlines too when inside brackets. */
static gboolean
skip_blanks (Reader *r)
{
  while (r->p < r->end)
    {
      char c = *r->p;

      if (c == ' ' || c == '\t' || c == '\f' || c == '\r')
        r->p++;
      else if (c == '#')
        {
          while (r->p < r->end && *r->p != '\n')
            r->p++;
        }
      else if (c == '\\')
        {
          const char *q = r->p + 1;

          if (q < r->end && *q == '\r')
            q++;
          if (q >= r->end || *q != '\n')
            return fail (r, _("expected a new line after “\\”"));
          r->p = q + 1;
          r->line++;
        }
      else if (c == '\n' && r->depth > 0)
        {
          r->p++;
          r->line++;
        }
      else
        break;
    }
  return TRUE;
}

static gboolean
is_name_start (char c)
{
  return g_ascii_isalpha (c) || c == '_' || (guchar) c >= 0x80;
}

static gboolean
is_name_char (char c)
{
  return is_name_start (c) || g_ascii_isdigit (c);
}

static gsize
name_length (Reader *r)
{
  const char *q = r->p;

  if (q >= r->end || !is_name_start (*q))
    return 0;
  while (q < r->end && is_name_char (*q))
    q++;
  return q - r->p;
}

/* The length of a string prefix (r, u, b, f and their pairs) before a quote, or -1 when the
 * position is not a string. */
static int
string_prefix (Reader *r)
{
  int n = 0;

  while (n < 2 && r->p + n < r->end && strchr ("rRuUbBfF", r->p[n]) != NULL)
    n++;
  for (int k = n; k >= 0; k--)
    if (r->p + k < r->end && (r->p[k] == '"' || r->p[k] == '\''))
      {
        /* Only the letters right before the quote are the prefix. */
        for (int j = 0; j < k; j++)
          if (strchr ("rRuUbBfF", r->p[j]) == NULL)
            return -1;
        return k;
      }
  return -1;
}

static gboolean
append_code_point (Reader   *r,
                   GString  *out,
                   gunichar  c)
{
  if (c == 0)
    return fail (r, _("a NUL character cannot be sent in a request"));
  if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    return fail (r, _("expected a Unicode scalar value, found U+%04X"), c);
  g_string_append_unichar (out, c);
  return TRUE;
}

static gboolean
read_hex (Reader   *r,
          guint     n,
          gunichar *out)
{
  gunichar value = 0;

  for (guint i = 0; i < n; i++)
    {
      if (r->p >= r->end || !g_ascii_isxdigit (*r->p))
        return fail (r, _("expected %u hexadecimal digits in an escape"), n);
      value = value * 16 + g_ascii_xdigit_value (*r->p);
      r->p++;
    }
  *out = value;
  return TRUE;
}

/* The escape after a backslash of a non-raw string. */
static gboolean
read_escape (Reader  *r,
             GString *out)
{
  char c;
  gunichar value = 0;

  if (r->p >= r->end)
    return fail (r, _("expected the end of the string"));
  c = *r->p++;
  switch (c)
    {
    case '\n': r->line++; return TRUE;
    case '\r':
      if (at (r, '\n'))
        {
          r->p++;
          r->line++;
        }
      return TRUE;
    case '\\': g_string_append_c (out, '\\'); return TRUE;
    case '\'': g_string_append_c (out, '\''); return TRUE;
    case '"': g_string_append_c (out, '"'); return TRUE;
    case 'a': g_string_append_c (out, '\a'); return TRUE;
    case 'b': g_string_append_c (out, '\b'); return TRUE;
    case 'f': g_string_append_c (out, '\f'); return TRUE;
    case 'n': g_string_append_c (out, '\n'); return TRUE;
    case 'r': g_string_append_c (out, '\r'); return TRUE;
    case 't': g_string_append_c (out, '\t'); return TRUE;
    case 'v': g_string_append_c (out, '\v'); return TRUE;
    case 'x':
      return read_hex (r, 2, &value) && append_code_point (r, out, value);
    case 'u':
      return read_hex (r, 4, &value) && append_code_point (r, out, value);
    case 'U':
      return read_hex (r, 8, &value) && append_code_point (r, out, value);
    case 'N':
      return fail (r, _("\\N{…} escapes are not read: write the character itself"));
    default:
      if (c >= '0' && c <= '7')
        {
          value = c - '0';
          for (guint i = 0; i < 2 && r->p < r->end && *r->p >= '0' && *r->p <= '7'; i++)
            value = value * 8 + (*r->p++ - '0');
          return append_code_point (r, out, value);
        }
      /* Python keeps an unknown escape as it is. */
      g_string_append_c (out, '\\');
      r->p--;
      return TRUE;
    }
}

/* One string literal (prefix included) into @out. */
static gboolean
read_one_string (Reader  *r,
                 GString *out)
{
  int prefix = string_prefix (r);
  gboolean raw = FALSE;
  gboolean triple;
  char quote;

  for (int i = 0; i < prefix; i++)
    {
      char c = g_ascii_tolower (r->p[i]);

      if (c == 'b')
        return fail (r, _("expected a text string, found a bytes literal"));
      if (c == 'f')
        return fail (r, _("expected a literal string, found an f-string"));
      if (c == 'r')
        raw = TRUE;
    }
  r->p += prefix;
  quote = *r->p;
  triple = r->end - r->p >= 3 && r->p[1] == quote && r->p[2] == quote;
  r->p += triple ? 3 : 1;

  for (;;)
    {
      char c;

      if (r->p >= r->end)
        return fail (r, _("expected the closing quote of a string, found the end of the file"));
      c = *r->p;
      if (c == quote &&
          (!triple || (r->end - r->p >= 3 && r->p[1] == quote && r->p[2] == quote)))
        {
          r->p += triple ? 3 : 1;
          return TRUE;
        }
      if (c == '\n')
        {
          if (!triple)
            return fail (r, _("expected the closing quote of a string, found the end of the "
                              "line"));
          r->line++;
          g_string_append_c (out, '\n');
          r->p++;
        }
      else if (c == '\r' && r->p + 1 < r->end && r->p[1] == '\n')
        r->p++;   /* Python reads CR LF as LF */
      else if (c == '\\')
        {
          r->p++;
          if (!raw)
            {
              if (!read_escape (r, out))
                return FALSE;
            }
          else if (r->p < r->end)
            {
              /* A raw string keeps the backslash and what follows, a quote included. */
              g_string_append_c (out, '\\');
              if (*r->p == '\n')
                r->line++;
              g_string_append_c (out, *r->p++);
            }
        }
      else
        {
          g_string_append_c (out, c);
          r->p++;
        }
    }
}

static cJSON *read_value (Reader *r);

static cJSON *
read_strings (Reader *r)
{
  g_autoptr(GString) out = g_string_new (NULL);

  /* Adjacent literals are one string. */
  do
    {
      if (!read_one_string (r, out) || !skip_blanks (r))
        return NULL;
    }
  while (string_prefix (r) >= 0);
  return cJSON_CreateString (out->str);
}

static cJSON *
read_number (Reader *r)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  gboolean negative = FALSE;
  const char *start;
  char *stop = NULL;
  double value;
  int base = 10;

  while (at (r, '-') || at (r, '+'))
    {
      if (*r->p == '-')
        negative = !negative;
      r->p++;
      if (!skip_blanks (r))
        return NULL;
    }
  start = r->p;
  if (r->end - r->p > 2 && r->p[0] == '0' && strchr ("xXoObB", r->p[1]) != NULL)
    {
      base = strchr ("xX", r->p[1]) != NULL ? 16 : strchr ("oO", r->p[1]) != NULL ? 8 : 2;
      r->p += 2;
    }
  while (r->p < r->end && (g_ascii_isalnum (*r->p) || *r->p == '.' || *r->p == '_' ||
                           ((*r->p == '-' || *r->p == '+') &&
                            (r->p[-1] == 'e' || r->p[-1] == 'E') && base == 10)))
    {
      if (*r->p != '_')
        g_string_append_c (digits, *r->p);
      r->p++;
    }
  if (digits->len == 0)
    {
      g_autofree char *what = NULL;

      r->p = start;
      what = found (r);
      fail (r, _("expected a literal (string, number, list, tuple, dict, True, False or "
                 "None), found %s"), what);
      return NULL;
    }
  if (base != 10)
    value = (double) g_ascii_strtoull (digits->str, &stop, base);
  else
    value = g_ascii_strtod (digits->str, &stop);
  if (stop == NULL || *stop != '\0')
    {
      r->p = start;
      fail (r, _("expected a number, found “%s”"), digits->str);
      return NULL;
    }
  return cJSON_CreateNumber (negative ? -value : value);
}

/* Items up to @close, separated by commas, a trailing comma allowed. Dicts take key: value. */
static cJSON *
read_items (Reader   *r,
            char      close,
            gboolean  dict)
{
  cJSON *container = dict ? cJSON_CreateObject () : cJSON_CreateArray ();

  for (;;)
    {
      cJSON *key = NULL;
      cJSON *value;

      if (!skip_blanks (r))
        goto error;
      if (at (r, close))
        break;
      if (dict)
        {
          guint key_line = r->line;

          key = read_value (r);
          if (key == NULL)
            goto error;
          if (!cJSON_IsString (key))
            {
              r->line = key_line;
              fail (r, _("expected a string as a dict key"));
              cJSON_Delete (key);
              goto error;
            }
          if (!skip_blanks (r) || !at (r, ':'))
            {
              g_autofree char *what = found (r);

              fail (r, _("expected “:” after a dict key, found %s"), what);
              cJSON_Delete (key);
              goto error;
            }
          r->p++;
        }
      value = read_value (r);
      if (value == NULL)
        {
          cJSON_Delete (key);
          goto error;
        }
      if (dict)
        {
          /* A repeated key keeps its place and takes the new value, as in Python. */
          if (cJSON_GetObjectItemCaseSensitive (container, key->valuestring) != NULL)
            cJSON_ReplaceItemInObjectCaseSensitive (container, key->valuestring, value);
          else
            cJSON_AddItemToObject (container, key->valuestring, value);
          cJSON_Delete (key);
        }
      else
        cJSON_AddItemToArray (container, value);

      if (!skip_blanks (r))
        goto error;
      if (at (r, ','))
        {
          r->p++;
          continue;
        }
      if (at (r, close))
        break;
      {
        g_autofree char *what = found (r);

        fail (r, _("expected “,” or “%c”, found %s"), close, what);
      }
      goto error;
    }
  r->p++;
  r->depth--;
  return container;

error:
  cJSON_Delete (container);
  return NULL;
}

/* "(" already taken: (), (x) or a tuple. */
static cJSON *
read_parenthesized (Reader *r)
{
  cJSON *first;
  cJSON *tuple;

  if (!skip_blanks (r))
    return NULL;
  if (at (r, ')'))
    {
      r->p++;
      r->depth--;
      return cJSON_CreateArray ();
    }
  first = read_value (r);
  if (first == NULL || !skip_blanks (r))
    {
      cJSON_Delete (first);
      return NULL;
    }
  if (at (r, ')'))
    {
      r->p++;
      r->depth--;
      return first;
    }
  if (!at (r, ','))
    {
      g_autofree char *what = found (r);

      fail (r, _("expected “,” or “)”, found %s"), what);
      cJSON_Delete (first);
      return NULL;
    }
  r->p++;
  tuple = read_items (r, ')', FALSE);
  if (tuple == NULL)
    {
      cJSON_Delete (first);
      return NULL;
    }
  cJSON_InsertItemInArray (tuple, 0, first);
  return tuple;
}

static cJSON *
read_value (Reader *r)
{
  gsize n;

  if (!skip_blanks (r))
    return NULL;
  if (r->p >= r->end)
    {
      fail (r, _("expected a literal, found the end of the file"));
      return NULL;
    }
  if (*r->p == '[' || *r->p == '{' || *r->p == '(')
    {
      char open = *r->p;

      if (++r->depth > MAX_DEPTH)
        {
          fail (r, _("expected at most %u nested brackets"), MAX_DEPTH);
          return NULL;
        }
      r->p++;
      if (open == '(')
        return read_parenthesized (r);
      return read_items (r, open == '[' ? ']' : '}', open == '{');
    }
  if (string_prefix (r) >= 0)
    return read_strings (r);

  n = name_length (r);
  if (n > 0)
    {
      g_autofree char *word = g_strndup (r->p, n);

      r->p += n;
      if (strcmp (word, "True") == 0)
        return cJSON_CreateTrue ();
      if (strcmp (word, "False") == 0)
        return cJSON_CreateFalse ();
      if (strcmp (word, "None") == 0)
        return cJSON_CreateNull ();
      r->p -= n;
      fail (r, _("expected a literal (string, number, list, tuple, dict, True, False or None), "
                 "found the name “%s”"), word);
      return NULL;
    }
  return read_number (r);
}

/* After a statement: the end of the line, a ";" or the end of the file. */
static gboolean
end_statement (Reader *r)
{
  if (!skip_blanks (r))
    return FALSE;
  if (r->p >= r->end)
    return TRUE;
  if (*r->p == '\n' || *r->p == ';')
    {
      r->same_line = *r->p == ';';
      if (*r->p == '\n')
        r->line++;
      r->p++;
      return TRUE;
    }
  {
    g_autofree char *what = found (r);

    return fail (r, _("expected the end of the statement, found %s"), what);
  }
}

static gboolean
read_statement (Reader *r,
                cJSON  *globals)
{
  gsize n = name_length (r);
  cJSON *value;

  if (n > 0 && string_prefix (r) < 0)
    {
      g_autofree char *name = g_strndup (r->p, n);
      const char *after_name = r->p + n;

      r->p = after_name;
      if (!skip_blanks (r))
        return FALSE;
      if (!at (r, '=') || (r->p + 1 < r->end && r->p[1] == '='))
        {
          g_autofree char *what = found (r);

          r->p = after_name - n;
          return fail (r, _("expected “NAME = literal”, found “%s” followed by %s"), name, what);
        }
      r->p++;
      value = read_value (r);
      if (value == NULL)
        return FALSE;
      if (cJSON_GetObjectItemCaseSensitive (globals, name) != NULL)
        cJSON_ReplaceItemInObjectCaseSensitive (globals, name, value);
      else
        cJSON_AddItemToObject (globals, name, value);
      return end_statement (r);
    }

  /* A bare literal, such as the module's docstring: evaluated and dropped. */
  value = read_value (r);
  if (value == NULL)
    return FALSE;
  cJSON_Delete (value);
  return end_statement (r);
}

cJSON *
md_py_literal_parse_module (const char  *name,
                            const char  *data,
                            gsize        length,
                            GError     **error)
{
  Reader r = { .name = name, .p = data, .end = data + length, .line = 1, .error = error };
  const char *bad = NULL;
  cJSON *globals;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (!g_utf8_validate_len (data, length, &bad))
    {
      for (const char *q = data; q < bad; q++)
        if (*q == '\n')
          r.line++;
      fail (&r, _("expected UTF-8 text, found byte 0x%02x"), (guchar) *bad);
      return NULL;
    }
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    r.p += 3;

  globals = cJSON_CreateObject ();
  while (r.p < r.end)
    {
      const char *line_start = r.p;

      /* Blank lines and comment lines. */
      while (r.p < r.end && (*r.p == ' ' || *r.p == '\t' || *r.p == '\f' || *r.p == '\r'))
        r.p++;
      if (r.p < r.end && *r.p == '#')
        while (r.p < r.end && *r.p != '\n')
          r.p++;
      if (r.p >= r.end)
        break;
      if (*r.p == '\n')
        {
          r.same_line = FALSE;
          r.p++;
          r.line++;
          continue;
        }
      if (r.p != line_start && !r.same_line)
        {
          fail (&r, _("expected a statement at the start of the line, found indentation"));
          cJSON_Delete (globals);
          return NULL;
        }
      if (!read_statement (&r, globals))
        {
          cJSON_Delete (globals);
          return NULL;
        }
    }
  return globals;
}
