/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-export"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "md-export-private.h"

/* A small streaming JSON writer: exports never build a document in memory. */

#define WRITE_BUFFER (256 * 1024)

void
md_export_file_free (MdExportFile *file)
{
  if (file == NULL)
    return;
  g_free (file->path);
  g_free (file->sha256);
  g_free (file);
}

static void
writer_free (MdJsonWriter *w)
{
  g_free (w->rel_path);
  g_free (w->full_path);
  g_clear_pointer (&w->sha256, g_checksum_free);
  g_clear_error (&w->error);
  g_free (w);
}

MdJsonWriter *
_md_json_writer_open (const char  *staging,
                      const char  *rel_path,
                      GError     **error)
{
  MdJsonWriter *w = g_new0 (MdJsonWriter, 1);
  g_autofree char *parent = NULL;

  w->rel_path = g_strdup (rel_path);
  w->full_path = g_build_filename (staging, rel_path, NULL);
  parent = g_path_get_dirname (w->full_path);
  if (g_mkdir_with_parents (parent, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: cannot create the folder: %s", parent,
                   g_strerror (saved));
      writer_free (w);
      return NULL;
    }
  /* "x": a name in the fresh staging folder that exists already is a bug, not a file to reuse. */
  w->fp = fopen (w->full_path, "wbx");
  if (w->fp == NULL)
    {
      int saved = errno;

      g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: cannot create the file: %s", w->full_path,
                   g_strerror (saved));
      writer_free (w);
      return NULL;
    }
  setvbuf (w->fp, NULL, _IOFBF, WRITE_BUFFER);
  w->sha256 = g_checksum_new (G_CHECKSUM_SHA256);
  return w;
}

void
_md_json_writer_raw (MdJsonWriter *w,
                     const char   *data,
                     gsize         len)
{
  if (w->error != NULL || len == 0)
    return;
  if (fwrite (data, 1, len, w->fp) != len)
    {
      int saved = errno;

      g_set_error (&w->error, MD_ERROR, MD_ERROR_IO, "%s: write failed at byte %" G_GUINT64_FORMAT
                   ": %s", w->full_path, w->size, g_strerror (saved));
      return;
    }
  g_checksum_update (w->sha256, (const guchar *) data, len);
  w->size += len;
}

void
_md_json_writer_puts (MdJsonWriter *w,
                      const char   *text)
{
  _md_json_writer_raw (w, text, strlen (text));
}

/* The escape of byte c, or NULL when it is written as it is. */
static const char *
escape_of (guchar  c,
           char    buf[8])
{
  switch (c)
    {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    case '\b': return "\\b";
    case '\f': return "\\f";
    default:
      if (c < 0x20 || c == 0x7f)
        {
          g_snprintf (buf, 8, "\\u%04x", c);
          return buf;
        }
      return NULL;
    }
}

void
_md_json_writer_string (MdJsonWriter *w,
                        const char   *text)
{
  const char *run;
  const char *p;
  char buf[8];

  if (text == NULL)
    {
      _md_json_writer_raw (w, "null", 4);
      return;
    }
  _md_json_writer_raw (w, "\"", 1);
  /* Runs of plain bytes go out in one write. */
  for (run = p = text; *p != '\0'; p++)
    {
      const char *esc = escape_of ((guchar) *p, buf);

      if (esc == NULL)
        continue;
      _md_json_writer_raw (w, run, p - run);
      _md_json_writer_puts (w, esc);
      run = p + 1;
    }
  _md_json_writer_raw (w, run, p - run);
  _md_json_writer_raw (w, "\"", 1);
}

void
_md_json_append_string (GString    *out,
                        const char *text)
{
  char buf[8];

  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      const char *esc = escape_of ((guchar) *p, buf);

      if (esc != NULL)
        g_string_append (out, esc);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

MdExportFile *
_md_json_writer_close (MdJsonWriter  *w,
                       GError       **error)
{
  MdExportFile *file;

  if (w->error == NULL && fflush (w->fp) != 0)
    {
      int saved = errno;

      g_set_error (&w->error, MD_ERROR, MD_ERROR_IO, "%s: write failed: %s", w->full_path,
                   g_strerror (saved));
    }
  /* On the disk before the export is moved into place: a crash after the renames must not leave
   * named files with lost contents. */
  if (w->error == NULL && fsync (fileno (w->fp)) != 0)
    {
      int saved = errno;

      g_set_error (&w->error, MD_ERROR, MD_ERROR_IO, "%s: cannot flush to disk: %s",
                   w->full_path, g_strerror (saved));
    }
  if (fclose (w->fp) != 0 && w->error == NULL)
    {
      int saved = errno;

      g_set_error (&w->error, MD_ERROR, MD_ERROR_IO, "%s: closing failed: %s", w->full_path,
                   g_strerror (saved));
    }
  w->fp = NULL;
  if (w->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&w->error));
      g_unlink (w->full_path);
      writer_free (w);
      return NULL;
    }
  file = g_new0 (MdExportFile, 1);
  file->path = g_steal_pointer (&w->rel_path);
  file->size = w->size;
  file->sha256 = g_strdup (g_checksum_get_string (w->sha256));
  writer_free (w);
  return file;
}

void
_md_json_writer_abort (MdJsonWriter *w)
{
  if (w == NULL)
    return;
  if (w->fp != NULL)
    fclose (w->fp);
  g_unlink (w->full_path);
  writer_free (w);
}
