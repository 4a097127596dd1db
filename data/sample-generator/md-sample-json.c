/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-make-sample"

#include "config.h"

#include "md-sample-json.h"

#define MAX_DEPTH 16

struct _MdJsonWriter
{
  GString  *out;
  gboolean  pretty;
  gboolean  ascii_only;
  guint     depth;
  gboolean  after_key;
  /* Whether the container at each depth already holds a value, for commas and newlines. */
  gboolean  has_items[MAX_DEPTH];
};

MdJsonWriter *
md_json_writer_new (gboolean pretty,
                    gboolean ascii_only)
{
  MdJsonWriter *writer = g_new0 (MdJsonWriter, 1);

  writer->out = g_string_new (NULL);
  writer->pretty = pretty;
  writer->ascii_only = ascii_only;

  return writer;
}

void
md_json_writer_free (MdJsonWriter *writer)
{
  if (writer == NULL)
    return;
  if (writer->out != NULL)
    g_string_free (writer->out, TRUE);
  g_free (writer);
}

static void
newline_indent (MdJsonWriter *writer)
{
  if (!writer->pretty)
    return;
  g_string_append_c (writer->out, '\n');
  for (guint i = 0; i < writer->depth; i++)
    g_string_append (writer->out, "  ");
}

/* Called before every key or value: separates it from the previous item of its container. */
static void
before_item (MdJsonWriter *writer)
{
  if (writer->after_key)
    {
      writer->after_key = FALSE;
      return;
    }
  if (writer->depth == 0)
    return;
  if (writer->has_items[writer->depth])
    g_string_append_c (writer->out, ',');
  writer->has_items[writer->depth] = TRUE;
  newline_indent (writer);
}

static void
begin (MdJsonWriter *writer,
       char          bracket)
{
  before_item (writer);
  g_string_append_c (writer->out, bracket);
  g_assert (writer->depth + 1 < MAX_DEPTH);
  writer->depth++;
  writer->has_items[writer->depth] = FALSE;
}

static void
end (MdJsonWriter *writer,
     char          bracket)
{
  gboolean had_items = writer->has_items[writer->depth];

  g_assert (writer->depth > 0);
  writer->depth--;
  if (had_items)
    newline_indent (writer);
  g_string_append_c (writer->out, bracket);
}

void
md_json_writer_begin_object (MdJsonWriter *writer)
{
  begin (writer, '{');
}

void
md_json_writer_end_object (MdJsonWriter *writer)
{
  end (writer, '}');
}

void
md_json_writer_begin_array (MdJsonWriter *writer)
{
  begin (writer, '[');
}

void
md_json_writer_end_array (MdJsonWriter *writer)
{
  end (writer, ']');
}

void
md_json_writer_key (MdJsonWriter *writer,
                    const char   *key)
{
  before_item (writer);
  md_json_escape_append (writer->out, key, writer->ascii_only);
  g_string_append (writer->out, writer->pretty ? ": " : ":");
  writer->after_key = TRUE;
}

void
md_json_writer_string (MdJsonWriter *writer,
                       const char   *value)
{
  before_item (writer);
  md_json_escape_append (writer->out, value, writer->ascii_only);
}

void
md_json_writer_int (MdJsonWriter *writer,
                    gint64        value)
{
  before_item (writer);
  g_string_append_printf (writer->out, "%" G_GINT64_FORMAT, value);
}

/* Appends text as it is, at the current position: used for deliberate defects. */
void
md_json_writer_raw (MdJsonWriter *writer,
                    const char   *text)
{
  g_string_append (writer->out, text);
}

char *
md_json_writer_steal (MdJsonWriter *writer)
{
  g_assert (writer->depth == 0);
  if (writer->pretty)
    g_string_append_c (writer->out, '\n');
  return g_string_free (g_steal_pointer (&writer->out), FALSE);
}

/* Escapes like Python's json.dumps: with ascii_only every non-ASCII character becomes
 * lower-case `\uXXXX`, characters outside the BMP a surrogate pair (the form real shards use). */
void
md_json_escape_append (GString    *out,
                       const char *value,
                       gboolean    ascii_only)
{
  g_assert (g_utf8_validate (value, -1, NULL));

  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else if (c < 0x80 || !ascii_only)
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
          else if (c < 0x10000)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_printf (out, "\\u%04x\\u%04x",
                                    0xd800 + ((c - 0x10000) >> 10),
                                    0xdc00 + ((c - 0x10000) & 0x3ff));
          break;
        }
    }
  g_string_append_c (out, '"');
}
