/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "md-base64.h"
#include "md-import-private.h"
#include "md-json-scan.h"

/* Image stores --------------------------------------------------------------------------------- */

/* The longest image id kept, in bytes. */
#define MAX_ID_BYTES 4096
/* How much of a bad id a problem quotes. */
#define QUOTED_ID_CHARS 64

static char *
quote_id (const char *id,
          gsize       len)
{
  g_autofree char *valid = g_utf8_make_valid (id, len);
  const char *end = valid;
  guint n = 0;

  while (*end != '\0' && n < QUOTED_ID_CHARS)
    {
      end = g_utf8_next_char (end);
      n++;
    }
  if (*end == '\0')
    return g_steal_pointer (&valid);
  return g_strdup_printf ("%.*s…", (int) (end - valid), valid);
}

/* The id of an image, or NULL in *out_id when the key cannot be one: a \u0000 in it would
 * cut it short (two keys would become one), and an id longer than MAX_ID_BYTES is no id of
 * MIMIC-IT. Either is a problem of that image alone; the rest of the store goes on. */
static gboolean
read_key (Importer    *imp,
          Mapped      *m,
          MdJsonSpan   key,
          char       **out_id,
          GError     **error)
{
  g_autofree char *id = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *quoted = NULL;
  gsize len = 0;
  guint n_repaired = 0;
  gsize first = 0;

  *out_id = NULL;
  /* An escape takes at least as many bytes as it gives: longer than this is too long. */
  if (key.end - key.start <= 6 * MAX_ID_BYTES + 2)
    {
      id = md_json_unescape (m->data, key, &len, &n_repaired, &first);
      if (id == NULL)
        {
          g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                       _("the key at byte %zu is not a valid id string"), key.start);
          return FALSE;
        }
      if (n_repaired == 0 && len <= MAX_ID_BYTES)
        {
          *out_id = g_steal_pointer (&id);
          return TRUE;
        }
    }

  if (id == NULL || len > MAX_ID_BYTES)
    {
      quoted = quote_id (m->data + key.start + 1,
                         MIN (key.end - key.start - 2, 4 * QUOTED_ID_CHARS));
      detail = g_strdup_printf ("%s: the image key at byte %" G_GSIZE_FORMAT " (“%s”) is %"
                                G_GSIZE_FORMAT " bytes long; the image is left out, expected an "
                                "id of at most %d bytes such as “DC_IMG_00001”", imp->path,
                                key.start, quoted, id != NULL ? len : key.end - key.start - 2,
                                MAX_ID_BYTES);
    }
  else
    {
      quoted = quote_id (id, len);
      detail = g_strdup_printf ("%s: the image key at byte %" G_GSIZE_FORMAT " (“%s”) has a "
                                "\\u0000 or a lone surrogate at byte %" G_GSIZE_FORMAT ", which "
                                "an id cannot hold; the image is left out, expected an id such "
                                "as “DC_IMG_00001”", imp->path, key.start, quoted,
                                key.start + first);
    }
  return _md_importer_problem (imp, MD_PROBLEM_BAD_RECORD, NULL, quoted, detail, error);
}

gboolean
_md_import_image_store (Importer    *imp,
                        Mapped      *m,
                        GError     **error)
{
  MdJsonScan scan;
  MdJsonSpan key, value;
  gboolean has_next;
  g_autoptr(GHashTable) prefixes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(sqlite3_stmt_ptr) add_prefix =
    _md_index_prepare (imp->db, "INSERT OR IGNORE INTO image_prefixes (prefix, file_id) "
                                "VALUES (?, ?)", error);

  if (add_prefix == NULL)
    return FALSE;
  md_json_scan_init (&scan, m->data, m->len);
  scan.validate_utf8 = FALSE;
  scan.max_string = G_MAXSIZE;
  /* Too long an id is a problem of its image, not of the store: read_key(). */
  scan.max_key = G_MAXSIZE;
  if (!md_json_scan_start (&scan, error) ||
      !md_json_scan_open (&scan, '{', "a JSON object {IMAGE_ID: BASE64, ...}", error))
    return FALSE;

  for (;;)
    {
      g_autofree char *id = NULL;
      gsize start, len;
      int variant = 0;
      const char *img;

      if (!md_json_scan_next (&scan, &key, &has_next, error))
        return FALSE;
      if (!has_next)
        break;
      if (!md_json_scan_skip_value (&scan, &value, error))
        return FALSE;
      if (!read_key (imp, m, key, &id, error))
        return FALSE;
      if (id == NULL)
        {
          imp->records_done++;
          continue;
        }

      start = value.start;
      len = value.end - value.start;
      if (m->data[start] == '[')
        {
          /* ["BASE64"]: find the one string inside. */
          gsize p = start + 1;
          gsize q = value.end - 1;

          while (p < q && g_ascii_isspace (m->data[p]))
            p++;
          while (q > p && g_ascii_isspace (m->data[q - 1]))
            q--;
          variant |= MD_IMAGE_LISTED;
          if (q - p >= 2 && m->data[p] == '"' && m->data[q - 1] == '"' &&
              memchr (m->data + p + 1, '"', q - p - 2) == NULL)
            {
              start = p;
              len = q - p;
            }
          else
            len = 0;
        }
      if (len < 2 || m->data[start] != '"')
        {
          g_autofree char *detail =
            g_strdup_printf ("%s: image “%s” at byte %" G_GSIZE_FORMAT
                             " is not a base64 string, expected \"BASE64\" or [\"BASE64\"]",
                             imp->path, id, value.start);

          if (!_md_importer_problem (imp, MD_PROBLEM_UNDECODABLE_IMAGE, NULL, id, detail, error))
            return FALSE;
          continue;
        }
      start += 1;
      len -= 2;
      if (memchr (m->data + start, '\\', MIN (len, 64)) != NULL || scan.last_string_escaped)
        variant |= MD_IMAGE_ESCAPED;
      {
        gsize bad = 0;
        g_autofree char *detail = NULL;

        if (!md_base64_is_valid (m->data + start, len, &bad))
          detail = g_strdup_printf ("%s: image “%s” at byte %" G_GSIZE_FORMAT ": byte %"
                                    G_GSIZE_FORMAT " is outside both base64 alphabets",
                                    imp->path, id, start, start + bad);
        else if (!md_base64_looks_like_image (m->data + start, len))
          detail = g_strdup_printf ("%s: image “%s” at byte %" G_GSIZE_FORMAT
                                    " does not start like a base64 PNG or JPEG", imp->path, id,
                                    start);
        if (detail != NULL)
          {
            variant |= MD_IMAGE_BAD;
            if (!_md_importer_problem (imp, MD_PROBLEM_UNDECODABLE_IMAGE, NULL, id, detail, error))
              return FALSE;
          }
      }

      sqlite3_reset (imp->insert_image);
      sqlite3_bind_text (imp->insert_image, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (imp->insert_image, 2, imp->file_id);
      sqlite3_bind_int64 (imp->insert_image, 3, start);
      sqlite3_bind_int64 (imp->insert_image, 4, len);
      sqlite3_bind_int (imp->insert_image, 5, variant);
      if (!_md_importer_step (imp, imp->insert_image, "adding an image", error))
        return FALSE;

      img = strstr (id, "_IMG_");
      if (img != NULL)
        {
          g_autofree char *prefix = g_strndup (id, img - id + strlen ("_IMG"));

          if (!g_hash_table_contains (prefixes, prefix))
            {
              sqlite3_reset (add_prefix);
              sqlite3_bind_text (add_prefix, 1, prefix, -1, SQLITE_STATIC);
              sqlite3_bind_int64 (add_prefix, 2, imp->file_id);
              if (!_md_importer_step (imp, add_prefix, "adding an image prefix", error))
                return FALSE;
              g_hash_table_add (prefixes, g_steal_pointer (&prefix));
            }
        }

      imp->n_records++;
      imp->records_done++;
      if (imp->records_done % 256 == 0)
        {
          if (!_md_importer_check_cancel (imp, error))
            return FALSE;
          _md_mapped_release_before (m, scan.pos);
          imp->bytes_done = imp->file_base + scan.pos;
          _md_importer_progress (imp, FALSE);
        }
    }
  return md_json_scan_finish (&scan, error);
}


char *
_md_image_clip_of (const char *image_id)
{
  const char *img = strstr (image_id, "_IMG_");
  gsize len = strlen (image_id);
  gsize end = len;

  while (end > 0 && g_ascii_isdigit (image_id[end - 1]))
    end--;
  if (end == len || end == 0 || image_id[end - 1] != '_')
    return NULL;
  end--;
  /* "VST_IMG_12345" is a photo, not frame 12345 of clip "VST_IMG". */
  if (img == NULL || (gsize) (img - image_id) + strlen ("_IMG_") > end)
    return NULL;
  return g_strndup (image_id, end);
}
