/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include "md-path.h"

#define MAX_NAME_BYTES 200

char *
md_path_sanitize (const char *name,
                  gssize      len)
{
  g_autofree char *valid = NULL;
  GString *out;

  g_return_val_if_fail (name != NULL || len == 0, NULL);

  if (len < 0)
    len = strlen (name);
  /* NUL bytes first: g_utf8_make_valid() keeps them, and a C string would end there. */
  {
    g_autofree char *copy = g_malloc (len + 1);

    if (len > 0)
      memcpy (copy, name, len);
    copy[len] = '\0';

    for (gssize i = 0; i < len; i++)
      if (copy[i] == '\0')
        copy[i] = '_';
    valid = g_utf8_make_valid (copy, len);
  }

  out = g_string_sized_new (strlen (valid) + 1);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);

      if (out->len + (next - p) > MAX_NAME_BYTES)
        break;
      if (c == '/' || c == '\\' || g_unichar_iscntrl (c) || (out->len == 0 && c == '.'))
        g_string_append_c (out, '_');
      else
        g_string_append_len (out, p, next - p);
    }
  if (out->len == 0)
    g_string_append_c (out, '_');
  return g_string_free (out, FALSE);
}

char *
md_path_inside (const char *folder,
                const char *name,
                gssize      len)
{
  g_autofree char *safe = md_path_sanitize (name, len);

  g_return_val_if_fail (folder != NULL, NULL);

  return g_build_filename (folder, safe, NULL);
}
