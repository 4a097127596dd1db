/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>

#include "md-diff.h"

#include "md-diff-label.h"
#include "md-text-preview.h"

/* A changed run of white space, drawn so that it can be seen: an inserted tab or line break
 * would otherwise be an empty tinted box. */
static char *
visible_whitespace (const char *text)
{
  GString *shown = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == ' ')
        g_string_append (shown, "·");
      else if (*p == '\t')
        g_string_append (shown, "⇥");
      else if (*p == '\n')
        g_string_append (shown, "↵\n");
      else if (*p == '\r')
        g_string_append (shown, "␍");
      else
        g_string_append_c (shown, *p);
    }
  return g_string_free (shown, FALSE);
}

static gboolean
is_all_space (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
      return FALSE;
  return *text != '\0';
}

/* What a diff segment shows in the label: unchanged runs keep only their ends next to a change,
 * and the label never shows more than `budget` characters in all, so that an edit of a
 * megabyte-long answer is a few lines to read and to lay out. */
static char *
shown_segment (const MdDiffSegment *segment,
               gboolean             first,
               gboolean             last,
               glong               *budget)
{
  const glong context = 80;
  const char *text = segment->text;
  glong n = g_utf8_strlen (text, -1);
  GString *shown;

  if (segment->op != MD_DIFF_EQUAL && is_all_space (text))
    return visible_whitespace (text);
  if (segment->op == MD_DIFF_EQUAL && n > 2 * context + 1)
    {
      const char *head_end = g_utf8_offset_to_pointer (text, context);
      const char *tail = g_utf8_offset_to_pointer (text, n - context);

      *budget -= 2 * context;
      if (first && last)
        {
          shown = g_string_new_len (text, g_utf8_offset_to_pointer (text, 2 * context) - text);
          g_string_append (shown, "…");
          return g_string_free (shown, FALSE);
        }
      if (first)
        return g_strconcat ("…", tail, NULL);
      if (last)
        {
          shown = g_string_new_len (text, head_end - text);
          g_string_append (shown, "…");
          return g_string_free (shown, FALSE);
        }
      shown = g_string_new_len (text, head_end - text);
      g_string_append (shown, " … ");
      g_string_append (shown, tail);
      return g_string_free (shown, FALSE);
    }
  if (n > MAX (*budget, context))
    {
      const char *cut = g_utf8_offset_to_pointer (text, MAX (*budget, context));

      *budget = 0;
      shown = g_string_new_len (text, cut - text);
      g_string_append_printf (shown, _("… (%'ld more characters)"),
                              n - (glong) g_utf8_pointer_to_offset (text, cut));
      return g_string_free (shown, FALSE);
    }
  *budget -= n;
  return g_strdup (text);
}

char *
md_diff_markup_segments (GPtrArray *segments)
{
  GString *markup = g_string_new (NULL);
  glong budget = MD_TEXT_PREVIEW_CHARS;
  MdDiffOp previous = MD_DIFF_EQUAL;

  g_return_val_if_fail (segments != NULL, NULL);

  for (guint i = 0; i < segments->len && budget > 0; i++)
    {
      const MdDiffSegment *segment = segments->pdata[i];
      g_autofree char *shown = shown_segment (segment, i == 0, i + 1 == segments->len, &budget);
      g_autofree char *escaped = g_markup_escape_text (shown, -1);

      /* "red blue" replaced word by word reads as one word "redblue" without a gap between the
       * struck-through old word and the new one. */
      if (previous == MD_DIFF_DELETE && segment->op == MD_DIFF_INSERT)
        g_string_append_c (markup, ' ');
      if (segment->op == MD_DIFF_EQUAL)
        g_string_append (markup, escaped);
      else if (segment->op == MD_DIFF_INSERT)
        g_string_append_printf (markup, "<span underline=\"single\" foreground=\"#26a269\" "
                                "background=\"#26a2691f\">%s</span>", escaped);
      else
        g_string_append_printf (markup, "<span strikethrough=\"true\" foreground=\"#c01c28\" "
                                "background=\"#c01c281a\">%s</span>", escaped);
      previous = segment->op;
    }
  return g_string_free (markup, FALSE);
}

char *
md_diff_markup (const char *old_text,
                const char *new_text)
{
  g_autoptr(GPtrArray) segments = md_diff_texts (old_text, new_text);

  return md_diff_markup_segments (segments);
}

GtkWidget *
md_diff_label_new (const char *old_text,
                   const char *new_text,
                   const char *accessible_name,
                   gboolean    rtl)
{
  g_autofree char *markup = md_diff_markup (old_text, new_text);
  GtkWidget *label = gtk_label_new (NULL);

  /* A label, not a text view: a text view filled before it is shown asks for no height in a
   * box under a scrolled window, so the diff stayed invisible until the window was resized. */
  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), rtl ? 1 : 0);
  gtk_widget_set_direction (label, rtl ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
  gtk_widget_add_css_class (label, "md-diff");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_name, -1);
  return label;
}
