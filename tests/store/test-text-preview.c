/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "md-text-preview.h"

static void
test_preview_short (void)
{
  guint64 n = 0;

  g_assert_null (md_text_preview ("Ein roter Ball.", 15, &n));
  g_assert_cmpuint (n, ==, 15);
  g_assert_null (md_text_preview (NULL, 10, &n));
  g_assert_cmpuint (n, ==, 0);
}

static void
test_preview_cut (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *preview = NULL;
  guint64 n = 0;

  /* A megabyte-long answer in one paragraph, with multibyte characters. */
  while (text->len < 1000000)
    g_string_append (text, "ein grüner Ball rollt über das Gras ");
  preview = md_text_preview (text->str, 100, &n);
  g_assert_nonnull (preview);
  g_assert_cmpuint (n, ==, g_utf8_strlen (text->str, -1));
  g_assert_true (g_utf8_validate (preview, -1, NULL));
  g_assert_true (g_str_has_suffix (preview, "…"));
  /* Cut after a whole word, within the limit, and a prefix of the text. */
  g_assert_cmpuint (g_utf8_strlen (preview, -1), <=, 101);
  g_assert_cmpuint (g_utf8_strlen (preview, -1), >=, 80);
  g_assert_cmpint (strncmp (preview, text->str, strlen (preview) - strlen ("…")), ==, 0);
  g_assert_true (text->str[strlen (preview) - strlen ("…")] == ' ');
}

static void
test_preview_no_space (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *preview = NULL;

  /* Chinese has no spaces: the cut falls at the limit, on a character boundary. */
  for (guint i = 0; i < 5000; i++)
    g_string_append (text, "球");
  preview = md_text_preview (text->str, 600, NULL);
  g_assert_cmpuint (g_utf8_strlen (preview, -1), ==, 601);
}

static void
test_split_pieces (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(GPtrArray) pieces = NULL;

  for (guint i = 0; i < 3000; i++)
    g_string_append (text, i % 97 == 0 ? "Zeile\n" : "球 ball ");
  pieces = md_text_split_pieces (text->str, 500);
  g_assert_cmpuint (pieces->len, >, 10);
  for (guint i = 0; i < pieces->len; i++)
    {
      const char *piece = g_ptr_array_index (pieces, i);

      g_assert_true (g_utf8_validate (piece, -1, NULL));
      g_assert_cmpuint (g_utf8_strlen (piece, -1), <=, 500);
      g_assert_cmpuint (g_utf8_strlen (piece, -1), >, 0);
      g_string_append (joined, piece);
    }
  g_assert_cmpstr (joined->str, ==, text->str);
  g_clear_pointer (&pieces, g_ptr_array_unref);
  pieces = md_text_split_pieces ("", 500);
  g_assert_cmpuint (pieces->len, ==, 0);
}

static void
test_longest_line (void)
{
  g_assert_cmpuint (md_text_longest_line (""), ==, 0);
  g_assert_cmpuint (md_text_longest_line ("ab\nüber\n\nx"), ==, 4);
  g_assert_cmpuint (md_text_longest_line ("球球球"), ==, 3);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/text-preview/short", test_preview_short);
  g_test_add_func ("/store/text-preview/cut", test_preview_cut);
  g_test_add_func ("/store/text-preview/no-space", test_preview_no_space);
  g_test_add_func ("/store/text-preview/split-pieces", test_split_pieces);
  g_test_add_func ("/store/text-preview/longest-line", test_longest_line);

  return g_test_run ();
}
