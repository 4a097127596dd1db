/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include "md-fold-private.h"

/* Below this, every script of two-byte UTF-8 (Latin, Greek, Cyrillic, Armenian, Hebrew,
 * Arabic): a table saves two case lookups per character on the texts searched most. */
#define FOLD_TABLE_SIZE 0x800

static gunichar fold_table[FOLD_TABLE_SIZE];

static gunichar
fold_slow (gunichar c)
{
  /* The Turkish dotted and dotless i have no simple folding: lowering İ or raising ı would make
   * them plain i, which the index keeps apart. */
  if (c == 0x130 || c == 0x131)
    return c;
  /* Up, then down: ς and σ both become σ, ſ becomes s, titlecase ǅ becomes ǆ. */
  return g_unichar_tolower (g_unichar_toupper (c));
}

static void
fold_table_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (gunichar c = 0; c < FOLD_TABLE_SIZE; c++)
        fold_table[c] = fold_slow (c);
      g_once_init_leave (&done, 1);
    }
}

gunichar
_md_fold_char (gunichar c)
{
  if (c < 0x80)
    return g_ascii_tolower (c);
  if (c < FOLD_TABLE_SIZE)
    {
      fold_table_init ();
      return fold_table[c];
    }
  return fold_slow (c);
}

gboolean
_md_fold_is_cased (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c;

      if ((guchar) *p < 0x80)
        continue;
      c = g_utf8_get_char (p);
      if (g_unichar_isupper (c) || g_unichar_islower (c) || g_unichar_istitle (c) ||
          _md_fold_char (c) != c)
        return TRUE;
    }
  return FALSE;
}

char *
_md_fold_utf8 (const char *text)
{
  GString *folded = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    g_string_append_unichar (folded, _md_fold_char (g_utf8_get_char (p)));
  return g_string_free (folded, FALSE);
}

/* A value no folded character of valid UTF-8 has: what a broken byte of the haystack is. */
#define NOT_A_CHARACTER G_MAXUINT32

static inline gunichar
next_folded (const char **p,
             const char  *end)
{
  guchar b = (guchar) **p;
  gunichar c;

  if (b < 0x80)
    {
      (*p)++;
      return g_ascii_tolower (b);
    }
  if (b < 0xe0 && b >= 0xc2 && *p + 1 < end && ((guchar) (*p)[1] & 0xc0) == 0x80)
    {
      c = ((b & 0x1f) << 6) | ((guchar) (*p)[1] & 0x3f);
      *p += 2;
      return fold_table[c];
    }
  c = g_utf8_get_char_validated (*p, end - *p);
  if (c >= 0xfffffffe)
    {
      (*p)++;
      return NOT_A_CHARACTER;
    }
  *p = g_utf8_next_char (*p);
  return _md_fold_char (c);
}

struct _MdFoldNeedle
{
  /* Bytes a character folding to chars[0] can start with: the haystack is skipped byte by byte
   * up to the next one, without decoding. Continuation bytes are never in it, so where the
   * skipping stops is the start of a character. */
  guint8   starts[256];
  gsize    n_chars;
  gunichar chars[];
};

MdFoldNeedle *
_md_fold_needle_new (const char *text)
{
  glong n_chars = g_utf8_strlen (text, -1);
  MdFoldNeedle *needle = g_malloc0 (sizeof (MdFoldNeedle) + (gsize) n_chars * sizeof (gunichar));
  glong i = 0;

  fold_table_init ();
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    needle->chars[i++] = _md_fold_char (g_utf8_get_char (p));
  needle->n_chars = n_chars;
  if (n_chars == 0)
    return needle;
  for (gunichar c = 0; c < FOLD_TABLE_SIZE; c++)
    if (fold_table[c] == needle->chars[0])
      needle->starts[c < 0x80 ? c : 0xc0 | (c >> 6)] = TRUE;
  /* Characters of three and four bytes can fold to one of two (the Kelvin sign to k, ẞ to ß):
   * rather than search all of Unicode for them, they are always decoded. */
  for (guint b = 0xe0; b < 0x100; b++)
    needle->starts[b] = TRUE;
  return needle;
}

void
_md_fold_needle_free (MdFoldNeedle *needle)
{
  g_free (needle);
}

gboolean
_md_fold_contains (const MdFoldNeedle *needle,
                   const char         *haystack,
                   gsize               length)
{
  const char *end = haystack + length;
  const gunichar *chars = needle->chars;
  gsize n_chars = needle->n_chars;

  if (n_chars == 0)
    return TRUE;
  for (const char *start = haystack; start < end;)
    {
      const char *p;

      while (!needle->starts[(guchar) *start])
        if (++start == end)
          return FALSE;
      p = start;
      if (next_folded (&p, end) == chars[0])
        {
          const char *q = p;
          gsize k = 1;

          while (k < n_chars && q < end && next_folded (&q, end) == chars[k])
            k++;
          if (k == n_chars)
            return TRUE;
          /* Folding keeps the number of characters: what is left is too short for a match. */
          if (q >= end)
            return FALSE;
        }
      start = p;
    }
  return FALSE;
}
