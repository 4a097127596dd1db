/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "md-diff.h"

/* Compares the segments with "op:text" strings, e.g. "=The quick ", "-brown", "+red". */
static void
assert_segments (const char         *old_text,
                 const char         *new_text,
                 const char * const *expected)
{
  g_autoptr(GPtrArray) segments = md_diff_texts (old_text, new_text);
  guint n = g_strv_length ((GStrv) expected);

  for (guint i = 0; i < MIN (n, segments->len); i++)
    {
      const MdDiffSegment *segment = segments->pdata[i];
      const char op = segment->op == MD_DIFF_EQUAL ? '=' : segment->op == MD_DIFF_DELETE ? '-' : '+';
      g_autofree char *got = g_strdup_printf ("%c%s", op, segment->text);

      g_assert_cmpstr (got, ==, expected[i]);
    }
  g_assert_cmpuint (segments->len, ==, n);
}

static void
test_diff_latin (void)
{
  const char *expected[] = {
    "=The quick ", "-brown", "+red", "= fox ", "-jumps", "+jumped", "= over the ", "-lazy ",
    "=dog", "-.", "+!", NULL
  };
  g_autoptr(GPtrArray) segments = NULL;
  g_autofree char *plain = NULL;

  assert_segments ("The quick brown fox jumps over the lazy dog.",
                   "The quick red fox jumped over the dog!", expected);

  segments = md_diff_texts ("a b", "a c");
  plain = md_diff_format_plain (segments);
  g_assert_cmpstr (plain, ==, "a [-b-]{+c+}");
}

static void
test_diff_chinese (void)
{
  /* No spaces: every Han character is a token, so only the changed characters are marked. */
  const char *expected[] = { "=我", "+不", "=喜欢吃", "-苹果", "+香蕉", "=。", NULL };

  assert_segments ("我喜欢吃苹果。", "我不喜欢吃香蕉。", expected);
}

static void
test_diff_japanese (void)
{
  const char *expected[] = { "-猫", "+犬", "=が", "+大", "=好きです。", NULL };

  assert_segments ("猫が好きです。", "犬が大好きです。", expected);
}

static void
test_diff_arabic (void)
{
  /* Arabic is written with spaces: whole words change. */
  const char *expected[] = {
    "-القطة", "+الكلب", "= ", "-تجلس", "+يجلس", "= على الحصيرة", "+ الكبيرة", NULL
  };

  assert_segments ("القطة تجلس على الحصيرة", "الكلب يجلس على الحصيرة الكبيرة", expected);
}

static void
test_diff_edges (void)
{
  const char *insert_only[] = { "+abc", NULL };
  const char *delete_only[] = { "-a b", NULL };
  const char *none[] = { NULL };
  const char *same[] = { "=same text", NULL };
  g_auto(GStrv) tokens = md_diff_tokenize ("Hi, 世界 café!");
  const char *expected_tokens[] = { "Hi", ",", " ", "世", "界", " ", "café", "!", NULL };

  assert_segments (NULL, "abc", insert_only);
  assert_segments ("a b", "", delete_only);
  assert_segments ("", NULL, none);
  assert_segments ("same text", "same text", same);
  g_assert_cmpstrv (tokens, expected_tokens);
}

/* Longest common subsequence by dynamic programming, to check that Myers finds a shortest
 * edit script. */
static guint
lcs_length (GStrv a,
            GStrv b)
{
  guint n = g_strv_length (a), m = g_strv_length (b);
  g_autofree guint *row = g_new0 (guint, (n + 1) * (m + 1));

  for (guint i = 1; i <= n; i++)
    for (guint j = 1; j <= m; j++)
      row[i * (m + 1) + j] = strcmp (a[i - 1], b[j - 1]) == 0
                               ? row[(i - 1) * (m + 1) + j - 1] + 1
                               : MAX (row[(i - 1) * (m + 1) + j], row[i * (m + 1) + j - 1]);
  return row[n * (m + 1) + m];
}

static void
test_diff_random (void)
{
  /* Characters that are one token each, so that edits can be counted from the segments. */
  static const char *words[] = { "字", "文", "。", "本", "，" };
  GRand *rand = g_rand_new_with_seed (42);

  for (guint round = 0; round < 300; round++)
    {
      g_autoptr(GString) old_text = g_string_new (NULL);
      g_autoptr(GString) new_text = g_string_new (NULL);
      g_autoptr(GString) rebuilt_old = g_string_new (NULL);
      g_autoptr(GString) rebuilt_new = g_string_new (NULL);
      g_autoptr(GPtrArray) segments = NULL;
      g_auto(GStrv) ta = NULL;
      g_auto(GStrv) tb = NULL;
      guint n_old = g_rand_int_range (rand, 0, 30), n_new = g_rand_int_range (rand, 0, 30);
      guint edits = 0;

      for (guint i = 0; i < n_old; i++)
        g_string_append (old_text, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      for (guint i = 0; i < n_new; i++)
        g_string_append (new_text, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);

      segments = md_diff_texts (old_text->str, new_text->str);
      for (guint i = 0; i < segments->len; i++)
        {
          const MdDiffSegment *segment = segments->pdata[i];
          g_auto(GStrv) tokens = md_diff_tokenize (segment->text);

          if (segment->op != MD_DIFF_INSERT)
            g_string_append (rebuilt_old, segment->text);
          if (segment->op != MD_DIFF_DELETE)
            g_string_append (rebuilt_new, segment->text);
          if (segment->op != MD_DIFF_EQUAL)
            edits += g_strv_length (tokens);
        }
      g_assert_cmpstr (rebuilt_old->str, ==, old_text->str);
      g_assert_cmpstr (rebuilt_new->str, ==, new_text->str);

      ta = md_diff_tokenize (old_text->str);
      tb = md_diff_tokenize (new_text->str);
      g_assert_cmpuint (edits, ==, g_strv_length (ta) + g_strv_length (tb) - 2 * lcs_length (ta, tb));
    }
  g_rand_free (rand);
}

static void
test_diff_huge (void)
{
  g_autoptr(GString) old_text = g_string_new (NULL);
  g_autoptr(GString) new_text = g_string_new (NULL);
  g_autoptr(GPtrArray) segments = NULL;

  /* Completely different texts of 5000 words each: far more than MD_DIFF_MAX_EDITS edits. */
  for (guint i = 0; i < 5000; i++)
    {
      g_string_append_printf (old_text, "x%u ", i);
      g_string_append_printf (new_text, "y%u ", i);
    }
  segments = md_diff_texts (old_text->str, new_text->str);
  g_assert_cmpuint (segments->len, ==, 2);
  g_assert_cmpint (((MdDiffSegment *) segments->pdata[0])->op, ==, MD_DIFF_DELETE);
  g_assert_cmpstr (((MdDiffSegment *) segments->pdata[0])->text, ==, old_text->str);
  g_assert_cmpint (((MdDiffSegment *) segments->pdata[1])->op, ==, MD_DIFF_INSERT);
  g_assert_cmpstr (((MdDiffSegment *) segments->pdata[1])->text, ==, new_text->str);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/review/diff/latin", test_diff_latin);
  g_test_add_func ("/review/diff/chinese", test_diff_chinese);
  g_test_add_func ("/review/diff/japanese", test_diff_japanese);
  g_test_add_func ("/review/diff/arabic", test_diff_arabic);
  g_test_add_func ("/review/diff/edges", test_diff_edges);
  g_test_add_func ("/review/diff/random", test_diff_random);
  g_test_add_func ("/review/diff/huge", test_diff_huge);

  return g_test_run ();
}
