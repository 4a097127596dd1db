/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include "md-text-preview.h"

/* Where to end a piece that would end at `limit`: after the last line break or white space in
 * the last fifth before it, else at `limit` itself (a character boundary). */
static const char *
cut_point (const char *start,
           const char *limit,
           guint       n_chars)
{
  const char *floor = g_utf8_offset_to_pointer (start, n_chars - n_chars / 5);
  const char *space = NULL;

  for (const char *p = limit; p > floor; )
    {
      p = g_utf8_prev_char (p);
      if (*p == '\n')
        return p + 1;
      if (space == NULL && (*p == ' ' || *p == '\t'))
        space = p + 1;
    }
  return space != NULL ? space : limit;
}

char *
md_text_preview (const char *text,
                 guint       max_chars,
                 guint64    *n_chars)
{
  const char *limit;
  const char *end;
  glong n;

  g_return_val_if_fail (max_chars > 0, NULL);

  if (text == NULL)
    {
      if (n_chars != NULL)
        *n_chars = 0;
      return NULL;
    }
  /* Counting the whole text is linear and cheap next to laying it out. */
  n = g_utf8_strlen (text, -1);
  if (n_chars != NULL)
    *n_chars = (guint64) n;
  if ((guint64) n <= max_chars)
    return NULL;

  limit = g_utf8_offset_to_pointer (text, max_chars);
  end = cut_point (text, limit, max_chars);
  while (end > text && (end[-1] == ' ' || end[-1] == '\n' || end[-1] == '\t' || end[-1] == '\r'))
    end--;
  {
    GString *preview = g_string_new_len (text, end - text);

    g_string_append (preview, "…");
    return g_string_free (preview, FALSE);
  }
}

GPtrArray *
md_text_split_pieces (const char *text,
                      guint       piece_chars)
{
  GPtrArray *pieces = g_ptr_array_new_with_free_func (g_free);
  const char *p = text != NULL ? text : "";

  g_return_val_if_fail (piece_chars > 0, pieces);

  while (*p != '\0')
    {
      const char *limit = p;
      guint n = 0;
      const char *end;

      while (n < piece_chars && *limit != '\0')
        {
          limit = g_utf8_next_char (limit);
          n++;
        }
      end = *limit == '\0' ? limit : cut_point (p, limit, n);
      g_ptr_array_add (pieces, g_strndup (p, end - p));
      p = end;
    }
  return pieces;
}

char *
md_text_row_summary (const char *text)
{
  const char *end;
  glong n_chars;

  if (text == NULL)
    return g_strdup ("");
  while (*text == ' ' || *text == '\n' || *text == '\t' || *text == '\r')
    text++;
  end = strchr (text, '\n');
  if (end == NULL)
    end = text + strlen (text);
  n_chars = g_utf8_strlen (text, end - text);
  if (n_chars > MD_TEXT_ROW_CHARS)
    end = g_utf8_offset_to_pointer (text, MD_TEXT_ROW_CHARS);
  while (end > text && (end[-1] == ' ' || end[-1] == '\r' || end[-1] == '\t'))
    end--;
  return g_strndup (text, end - text);
}

guint64
md_text_longest_line (const char *text)
{
  guint64 longest = 0;
  const char *p = text != NULL ? text : "";

  while (*p != '\0')
    {
      const char *end = strchr (p, '\n');
      gsize len = end != NULL ? (gsize) (end - p) : strlen (p);
      guint64 n = (guint64) g_utf8_strlen (p, len);

      longest = MAX (longest, n);
      p += len;
      if (*p == '\n')
        p++;
    }
  return longest;
}
