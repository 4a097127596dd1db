/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The API key the Syphus tests hand out, and the check that it went nowhere: a text "holds" it
 * when any 8 consecutive bytes of it appear, in any ASCII case. */

#include <glib.h>
#include <string.h>

#define SYPHUS_TEST_KEY "sk-live-SECRETKEY0123456789abcdef"
#define SYPHUS_TEST_KEY_FRAGMENT 8

static inline gboolean
syphus_test_holds_key (const char *data,
                       gsize       length)
{
  const char *key = SYPHUS_TEST_KEY;

  for (gsize k = 0; k + SYPHUS_TEST_KEY_FRAGMENT <= strlen (key); k++)
    for (gsize i = 0; i + SYPHUS_TEST_KEY_FRAGMENT <= length; i++)
      if (g_ascii_strncasecmp (data + i, key + k, SYPHUS_TEST_KEY_FRAGMENT) == 0)
        return TRUE;
  return FALSE;
}

/* Whether the file at @path (missing: no) holds the key. */
static inline gboolean
syphus_test_file_holds_key (const char *path)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &data, &length, NULL))
    return FALSE;
  return syphus_test_holds_key (data, length);
}
