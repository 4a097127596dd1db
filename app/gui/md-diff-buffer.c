/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include "md-diff.h"
#include "md-diff-buffer.h"

static GtkTextTag *
ensure_tag (GtkTextBuffer *buffer,
            MdDiffOp       op)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  const char *name = op == MD_DIFF_INSERT ? "md-diff-insert" : "md-diff-delete";
  GtkTextTag *tag = gtk_text_tag_table_lookup (table, name);

  if (tag != NULL)
    return tag;
  /* Colour is doubled by underline / strikethrough so that the diff reads without colour too. */
  if (op == MD_DIFF_INSERT)
    return gtk_text_buffer_create_tag (buffer, name, "foreground", "#26a269",
                                       "background", "rgba(38,162,105,0.12)",
                                       "underline", PANGO_UNDERLINE_SINGLE, NULL);
  return gtk_text_buffer_create_tag (buffer, name, "foreground", "#c01c28",
                                     "background", "rgba(192,28,40,0.10)",
                                     "strikethrough", TRUE, NULL);
}

guint
md_diff_buffer_fill (GtkTextBuffer *buffer,
                     const char    *old_text,
                     const char    *new_text)
{
  g_autoptr(GPtrArray) segments = NULL;
  GtkTextIter end;
  guint n_changes = 0;

  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), 0);

  gtk_text_buffer_set_text (buffer, "", 0);
  segments = md_diff_texts (old_text, new_text);
  for (guint i = 0; i < segments->len; i++)
    {
      const MdDiffSegment *segment = g_ptr_array_index (segments, i);

      gtk_text_buffer_get_end_iter (buffer, &end);
      if (segment->op == MD_DIFF_EQUAL)
        gtk_text_buffer_insert (buffer, &end, segment->text, -1);
      else
        {
          gtk_text_buffer_insert_with_tags (buffer, &end, segment->text, -1,
                                            ensure_tag (buffer, segment->op), NULL);
          n_changes++;
        }
    }
  return n_changes;
}
