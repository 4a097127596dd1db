/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "md-cli.h"

/* Shard and review texts come from anywhere: printed raw, an ESC could clear the screen, set the
 * terminal's title, write the clipboard (OSC 52) or move the cursor to overwrite earlier lines.
 * Every text a command prints goes through md_cli_safe() unless the user asked for --raw. */

static gboolean raw_output;

void
md_cli_set_raw (gboolean raw)
{
  raw_output = raw;
}

gboolean
md_cli_get_raw (void)
{
  return raw_output;
}

/* Characters a terminal may act on: C0 and C1 controls, DEL, and the bidirectional overrides
 * and isolates that reorder what is shown. */
static gboolean
is_unsafe (gunichar c,
           gboolean keep_newlines)
{
  if (c == '\t' || (keep_newlines && c == '\n'))
    return FALSE;
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c;
}

char *
md_cli_escape (const char *text,
               gboolean    keep_newlines)
{
  GString *out;
  const char *p;

  if (text == NULL)
    return NULL;
  out = g_string_sized_new (strlen (text));
  for (p = text; *p != '\0';)
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* Not UTF-8: the byte as it is would be read by the terminal as part of a sequence. */
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }
      if (!is_unsafe (c, keep_newlines))
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c < 0x80)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_printf (out, "\\u%04x", c);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

char *
md_cli_safe (const char *text)
{
  if (raw_output)
    return g_strdup (text);
  return md_cli_escape (text, TRUE);
}

char *
md_cli_safe_line (const char *text)
{
  g_autofree char *line = g_strdup (text);

  if (line == NULL)
    return NULL;
  g_strdelimit (line, "\n\r\t", ' ');
  return md_cli_safe (line);
}

char *
md_cli_safe_json (const char *json)
{
  GString *out;

  if (raw_output || json == NULL)
    return g_strdup (json);
  /* cJSON escapes C0 controls but leaves C1 controls and the bidi overrides as they are; they
   * can only stand inside strings, where \uXXXX means the same character. */
  out = g_string_sized_new (strlen (json));
  for (const char *p = json; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x80 && is_unsafe (c, TRUE))
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (out, FALSE);
}

void
md_cli_print_json (cJSON *root)
{
  g_autofree char *text = cJSON_Print (root);
  g_autofree char *safe = md_cli_safe_json (text);

  printf ("%s\n", safe);
}

