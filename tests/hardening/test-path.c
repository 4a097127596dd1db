/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-path"

#include "config.h"

#include <string.h>

#include "md-path.h"

/* Exported file names made from ids never leave the export folder. */

static void
assert_inside (const char *name,
               gssize      len,
               const char *expected)
{
  g_autofree char *path = md_path_inside ("/export", name, len);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);

  g_assert_cmpstr (dir, ==, "/export");
  g_assert_cmpstr (base, ==, expected);
  g_assert_true (base[0] != '.');
}

static void
test_path_escapes (void)
{
  assert_inside ("../../x", -1, "_._.._x");
  assert_inside ("..", -1, "_.");
  assert_inside (".", -1, "_");
  assert_inside ("/etc/passwd", -1, "_etc_passwd");
  assert_inside ("..\\..\\win", -1, "_._.._win");
  assert_inside ("a\0/../b", 7, "a__.._b");
  assert_inside ("", -1, "_");
  assert_inside (".hidden", -1, "_hidden");
  assert_inside ("DC_INS_00001", -1, "DC_INS_00001");
  assert_inside ("tab\there", -1, "tab_here");
  assert_inside ("caf\xe9", -1, "caf\xEF\xBF\xBD");
}

static void
test_path_long (void)
{
  g_autofree char *name = g_strnfill (1000, 'a');
  g_autofree char *safe = md_path_sanitize (name, -1);
  GString *cjk = g_string_new (NULL);
  g_autofree char *cut = NULL;

  g_assert_cmpuint (strlen (safe), ==, 200);
  for (guint i = 0; i < 100; i++)
    g_string_append (cjk, "語");
  cut = md_path_sanitize (cjk->str, -1);
  /* Cut between characters, never inside one. */
  g_assert_true (g_utf8_validate (cut, -1, NULL));
  g_assert_cmpuint (strlen (cut), ==, 198);
  g_string_free (cjk, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hardening/path/escapes", test_path_escapes);
  g_test_add_func ("/hardening/path/long", test_path_long);

  return g_test_run ();
}
