/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include "md-diff.h"

typedef enum
{
  CLASS_WORD,
  CLASS_SPACE,
  CLASS_SINGLE,   /* punctuation, symbols, and every Han, kana or Hangul character */
} CharClass;

static CharClass
char_class (gunichar c)
{
  switch (g_unichar_get_script (c))
    {
    case G_UNICODE_SCRIPT_HAN:
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
    case G_UNICODE_SCRIPT_HANGUL:
      return CLASS_SINGLE;
    default:
      break;
    }
  if (g_unichar_isspace (c))
    return CLASS_SPACE;
  /* Marks belong to the word they decorate (Arabic harakat, Latin combining accents). */
  if (g_unichar_isalnum (c) || g_unichar_ismark (c))
    return CLASS_WORD;
  return CLASS_SINGLE;
}

void
md_diff_segment_free (MdDiffSegment *segment)
{
  if (segment == NULL)
    return;
  g_free (segment->text);
  g_free (segment);
}

const char *
md_diff_op_name (MdDiffOp op)
{
  switch (op)
    {
    case MD_DIFF_EQUAL:
      return "equal";
    case MD_DIFF_DELETE:
      return "delete";
    case MD_DIFF_INSERT:
      return "insert";
    default:
      g_return_val_if_reached (NULL);
    }
}

static GPtrArray *
tokenize (const char *text)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;

  while (*p != '\0')
    {
      const char *start = p;
      CharClass klass = char_class (g_utf8_get_char (p));

      p = g_utf8_next_char (p);
      if (klass != CLASS_SINGLE)
        {
          while (*p != '\0' && char_class (g_utf8_get_char (p)) == klass)
            p = g_utf8_next_char (p);
        }
      g_ptr_array_add (tokens, g_strndup (start, p - start));
    }
  return tokens;
}

GStrv
md_diff_tokenize (const char *text)
{
  g_autofree char *valid = NULL;
  GPtrArray *tokens;

  g_return_val_if_fail (text != NULL, NULL);

  valid = g_utf8_make_valid (text, -1);
  tokens = tokenize (valid);
  g_ptr_array_add (tokens, NULL);
  return (GStrv) g_ptr_array_free (tokens, FALSE);
}

/* One step of the edit script, on a token of the old (DELETE, EQUAL) or new (INSERT) text. */
typedef struct
{
  MdDiffOp op;
  guint    index;
} Step;

/* Myers' greedy forward algorithm, keeping every furthest-reaching x per diagonal so that the
 * path can be walked back. Diagonals whose point would leave the grid are marked unreachable
 * (-1) instead of being followed off the edge, which keeps the walk-back simple. Appends the steps
 * of the middle part in reverse order; FALSE when the edit distance exceeds MD_DIFF_MAX_EDITS. */
static gboolean
myers (const guint *a,
       gssize       n,
       const guint *b,
       gssize       m,
       guint        a_base,
       guint        b_base,
       GArray      *rsteps)
{
  g_autoptr(GArray) trace = g_array_new (FALSE, FALSE, sizeof (gssize));
  g_autofree gssize *v = NULL;
  gssize max_d = MIN (n + m, (gssize) MD_DIFF_MAX_EDITS);
  gssize offset = max_d + 1;
  gssize found_d = -1;
  gssize x = 0, y = 0, k;

  v = g_new (gssize, 2 * offset + 1);
  for (gssize i = 0; i < 2 * offset + 1; i++)
    v[i] = -1;

  for (gssize d = 0; d <= max_d && found_d < 0; d++)
    {
      for (k = -d; k <= d; k += 2)
        {
          gssize down = -1, right = -1;

          if (d == 0)
            x = 0;
          else
            {
              if (k + 1 <= d - 1 && v[offset + k + 1] >= 0 && v[offset + k + 1] - k <= m)
                down = v[offset + k + 1];
              if (k - 1 >= -(d - 1) && v[offset + k - 1] >= 0 && v[offset + k - 1] + 1 <= n)
                right = v[offset + k - 1] + 1;
              x = MAX (down, right);
            }
          if (x >= 0)
            {
              y = x - k;
              while (x < n && y < m && a[x] == b[y])
                x++, y++;
            }
          v[offset + k] = x;
          g_array_append_val (trace, x);
          if (x == n && x - k == m)
            {
              found_d = d;
              break;
            }
        }
      /* Entries of the diagonals not reached this round are still appended so that round d
       * always holds d + 1 entries. */
      for (k += 2; k <= d && found_d == d; k += 2)
        {
          gssize none = -1;
          g_array_append_val (trace, none);
        }
    }
  if (found_d < 0)
    return FALSE;

  /* Walk back from (n, m). Round d starts at index d (d + 1) / 2: the sum of (i + 1), i < d. */
  k = n - m;
  for (gssize d = found_d; d >= 0; d--)
    {
      gssize base = d * (d + 1) / 2;
      gssize xe = g_array_index (trace, gssize, base + (k + d) / 2);
      gssize xs, ys;
      gboolean came_down = FALSE;

      if (d == 0)
        {
          xs = 0;
          ys = 0;
        }
      else
        {
          gssize pbase = (d - 1) * d / 2;
          gssize down = -1, right = -1;

          if (k + 1 <= d - 1)
            {
              gssize px = g_array_index (trace, gssize, pbase + (k + 1 + d - 1) / 2);
              if (px >= 0 && px - k <= m)
                down = px;
            }
          if (k - 1 >= -(d - 1))
            {
              gssize px = g_array_index (trace, gssize, pbase + (k - 1 + d - 1) / 2);
              if (px >= 0 && px + 1 <= n)
                right = px + 1;
            }
          came_down = down >= right;
          if (came_down)
            {
              xs = down;
              ys = down - k;
            }
          else
            {
              xs = right;
              ys = right - k;
            }
        }

      for (gssize i = xe - 1; i >= xs; i--)
        {
          Step step = { MD_DIFF_EQUAL, a_base + i };
          g_array_append_val (rsteps, step);
        }
      if (d > 0)
        {
          Step step;

          if (came_down)
            {
              /* Came down from diagonal k + 1: token ys - 1 of the new text was inserted. */
              step.op = MD_DIFF_INSERT;
              step.index = b_base + ys - 1;
              k = k + 1;
            }
          else
            {
              step.op = MD_DIFF_DELETE;
              step.index = a_base + xs - 1;
              k = k - 1;
            }
          g_array_append_val (rsteps, step);
        }
    }
  return TRUE;
}

static void
append_segment (GPtrArray *segments,
                MdDiffOp   op,
                GString   *text)
{
  MdDiffSegment *segment;

  if (text->len == 0)
    return;
  segment = g_new0 (MdDiffSegment, 1);
  segment->op = op;
  segment->text = g_strndup (text->str, text->len);
  g_ptr_array_add (segments, segment);
  g_string_truncate (text, 0);
}

GPtrArray *
md_diff_texts (const char *old_text,
               const char *new_text)
{
  g_autofree char *old_valid = g_utf8_make_valid (old_text != NULL ? old_text : "", -1);
  g_autofree char *new_valid = g_utf8_make_valid (new_text != NULL ? new_text : "", -1);
  g_autoptr(GPtrArray) old_tokens = tokenize (old_valid);
  g_autoptr(GPtrArray) new_tokens = tokenize (new_valid);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) rsteps = g_array_new (FALSE, FALSE, sizeof (Step));
  g_autoptr(GString) equal = g_string_new (NULL);
  g_autoptr(GString) deleted = g_string_new (NULL);
  g_autoptr(GString) inserted = g_string_new (NULL);
  g_autofree guint *a = NULL;
  g_autofree guint *b = NULL;
  GPtrArray *segments = g_ptr_array_new_with_free_func ((GDestroyNotify) md_diff_segment_free);
  gssize n = old_tokens->len, m = new_tokens->len;
  gssize prefix = 0, suffix = 0;
  gboolean replaced = FALSE;

  /* Tokens become small integers so that the inner loop compares numbers, not strings. */
  a = g_new (guint, n + 1);
  b = g_new (guint, m + 1);
  for (gssize i = 0; i < n; i++)
    {
      gpointer id;

      if (!g_hash_table_lookup_extended (ids, old_tokens->pdata[i], NULL, &id))
        {
          id = GUINT_TO_POINTER (g_hash_table_size (ids));
          g_hash_table_insert (ids, old_tokens->pdata[i], id);
        }
      a[i] = GPOINTER_TO_UINT (id);
    }
  for (gssize i = 0; i < m; i++)
    {
      gpointer id;

      if (!g_hash_table_lookup_extended (ids, new_tokens->pdata[i], NULL, &id))
        {
          id = GUINT_TO_POINTER (g_hash_table_size (ids));
          g_hash_table_insert (ids, new_tokens->pdata[i], id);
        }
      b[i] = GPOINTER_TO_UINT (id);
    }

  while (prefix < n && prefix < m && a[prefix] == b[prefix])
    prefix++;
  while (suffix < n - prefix && suffix < m - prefix && a[n - 1 - suffix] == b[m - 1 - suffix])
    suffix++;

  /* Steps are collected backwards: the suffix, the middle, then the prefix. */
  for (gssize i = n - 1; i >= n - suffix; i--)
    {
      Step step = { MD_DIFF_EQUAL, i };
      g_array_append_val (rsteps, step);
    }
  /* Only the middle is diffed: an edit at the end of a megabyte-long answer is still a diff. */
  if ((n - prefix - suffix) + (m - prefix - suffix) > MD_DIFF_MAX_TOKENS ||
      !myers (a + prefix, n - prefix - suffix, b + prefix, m - prefix - suffix,
              prefix, prefix, rsteps))
    replaced = TRUE;
  for (gssize i = prefix - 1; i >= 0; i--)
    {
      Step step = { MD_DIFF_EQUAL, i };
      g_array_append_val (rsteps, step);
    }

  if (replaced)
    {
      /* Too big or too different for a readable diff: the whole text was replaced. */
      MdDiffSegment *segment;

      g_ptr_array_set_size (segments, 0);
      if (*old_valid != '\0')
        {
          segment = g_new0 (MdDiffSegment, 1);
          segment->op = MD_DIFF_DELETE;
          segment->text = g_strdup (old_valid);
          g_ptr_array_add (segments, segment);
        }
      if (*new_valid != '\0')
        {
          segment = g_new0 (MdDiffSegment, 1);
          segment->op = MD_DIFF_INSERT;
          segment->text = g_strdup (new_valid);
          g_ptr_array_add (segments, segment);
        }
      return segments;
    }

  /* Between two equal runs, all deletions are shown before all insertions. */
  for (gssize i = (gssize) rsteps->len - 1; i >= 0; i--)
    {
      const Step *step = &g_array_index (rsteps, Step, i);

      switch (step->op)
        {
        case MD_DIFF_EQUAL:
          if (deleted->len > 0 || inserted->len > 0)
            {
              append_segment (segments, MD_DIFF_EQUAL, equal);
              append_segment (segments, MD_DIFF_DELETE, deleted);
              append_segment (segments, MD_DIFF_INSERT, inserted);
            }
          g_string_append (equal, old_tokens->pdata[step->index]);
          break;
        case MD_DIFF_DELETE:
          append_segment (segments, MD_DIFF_EQUAL, equal);
          g_string_append (deleted, old_tokens->pdata[step->index]);
          break;
        case MD_DIFF_INSERT:
          append_segment (segments, MD_DIFF_EQUAL, equal);
          g_string_append (inserted, new_tokens->pdata[step->index]);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  append_segment (segments, MD_DIFF_EQUAL, equal);
  append_segment (segments, MD_DIFF_DELETE, deleted);
  append_segment (segments, MD_DIFF_INSERT, inserted);
  return segments;
}

char *
md_diff_format_plain (GPtrArray *segments)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (segments != NULL, NULL);

  for (guint i = 0; i < segments->len; i++)
    {
      const MdDiffSegment *segment = segments->pdata[i];

      switch (segment->op)
        {
        case MD_DIFF_EQUAL:
          g_string_append (out, segment->text);
          break;
        case MD_DIFF_DELETE:
          g_string_append_printf (out, "[-%s-]", segment->text);
          break;
        case MD_DIFF_INSERT:
          g_string_append_printf (out, "{+%s+}", segment->text);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return g_string_free (out, FALSE);
}
