/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "md-base64.h"
#include "md-error.h"
#include "md-id-set-private.h"
#include "md-json-scan.h"

/* Walks a top-level object and returns "key=value-span-text;..." */
static char *
walk_object (const char  *text,
             GError     **error)
{
  MdJsonScan scan;
  MdJsonSpan key, value;
  gboolean has_next;
  GString *out = g_string_new (NULL);

  md_json_scan_init (&scan, text, strlen (text));
  if (!md_json_scan_start (&scan, error) || !md_json_scan_open (&scan, '{', "an object", error))
    goto fail;
  for (;;)
    {
      g_autofree char *name = NULL;

      if (!md_json_scan_next (&scan, &key, &has_next, error))
        goto fail;
      if (!has_next)
        break;
      if (!md_json_scan_skip_value (&scan, &value, error))
        goto fail;
      name = md_json_decode_string (text, key);
      g_string_append_printf (out, "%s=%.*s;", name, (int) (value.end - value.start),
                              text + value.start);
    }
  if (!md_json_scan_finish (&scan, error))
    goto fail;
  return g_string_free (out, FALSE);

fail:
  g_string_free (out, TRUE);
  return NULL;
}

static void
test_scan_layouts (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *one_line = walk_object ("{\"a\":1,\"b\":[1,{\"c\":\"}\"}],\"d\":\"x\\\"y\"}",
                                           &error);
  g_autofree char *pretty = NULL;
  g_autofree char *bom = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (one_line, ==, "a=1;b=[1,{\"c\":\"}\"}];d=\"x\\\"y\";");

  pretty = walk_object ("{\n  \"a\" : {\n    \"x\": true\n  },\r\n\t\"b\": null\n}\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pretty, ==, "a={\n    \"x\": true\n  };b=null;");

  bom = walk_object ("\xEF\xBB\xBF{\"k\": \"v\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bom, ==, "k=\"v\";");
}

static void
test_scan_escaped_keys (void)
{
  g_autoptr(GError) error = NULL;
  /* U+1F600 as a surrogate pair, and an escaped backslash right before the closing quote. */
  g_autofree char *walked = walk_object ("{\"\\ud83d\\ude00 \\u00e9\": \"a\\\\\"}", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (walked, ==, "😀 é=\"a\\\\\";");
}

static void
expect_error (const char *text,
              const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *walked = walk_object (text, &error);

  g_assert_null (walked);
  g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” does not contain “%s”", error->message, needle);
}

static void
test_scan_errors (void)
{
  g_autofree char *deep = NULL;
  GString *nest = g_string_new ("{\"a\": ");

  expect_error ("", "empty");
  expect_error ("   \n", "empty");
  expect_error ("[1, 2]", "unexpected “[” at byte 0, expected an object");
  expect_error ("{\"a\": [1, 2", "unexpected end of file at byte 11");
  expect_error ("{\"a\": \"abc", "string starting at byte 6");
  expect_error ("{\"a\": 1} x", "byte 9, expected the end of the file");
  expect_error ("{\"a\": 1 \"b\": 2}", "byte 8, expected “,” or “}”");
  expect_error ("{\"a\": \"\xff\xfe\"}", "invalid UTF-8 at byte 7");
  expect_error ("{\"a\": [1}", "byte 8, expected “]”");
  expect_error ("{a: 1}", "byte 1, expected a quoted key");

  for (guint i = 0; i < 100; i++)
    g_string_append_c (nest, '[');
  deep = g_string_free (nest, FALSE);
  expect_error (deep, "nesting deeper than 64 levels at byte");
}

static void
test_scan_giant_string (void)
{
  g_autoptr(GError) error = NULL;
  MdJsonScan scan;
  MdJsonSpan value;
  g_autofree char *text = g_strdup_printf ("\"%s\"", "0123456789abcdef0123456789abcdef");

  md_json_scan_init (&scan, text, strlen (text));
  scan.max_string = 16;
  g_assert_true (md_json_scan_start (&scan, NULL));
  g_assert_false (md_json_scan_skip_value (&scan, &value, &error));
  g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "string at byte 0 is more than 16 bytes long"));
}

static const guint8 png_head[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 };
static const guint8 jpeg_head[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0xfb };

static void
check_decodes (const char   *text,
               const guint8 *expected,
               gsize         len)
{
  gsize bad = 0;
  g_autoptr(GBytes) bytes = md_base64_decode (text, strlen (text), &bad);

  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected, len);
}

static char *
unescape (const char *json,
          guint      *n_repaired,
          gsize      *first)
{
  MdJsonSpan span = { 0, strlen (json) };
  gsize len = 0;
  char *text = md_json_unescape (json, span, &len, n_repaired, first);

  if (text != NULL)
    g_assert_cmpuint (strlen (text), ==, len);
  return text;
}

static void
test_unescape (void)
{
  static const struct { const char *json; const char *text; guint n_repaired; gsize first; }
  cases[] = {
    { "\"plain\"", "plain", 0, 0 },
    { "\"\"", "", 0, 0 },
    { "\"a\\\"b\\\\c\\/d\"", "a\"b\\c/d", 0, 0 },
    { "\"\\b\\f\\n\\r\\t\"", "\b\f\n\r\t", 0, 0 },
    { "\"caf\\u00e9 \\u4e2d\"", "café 中", 0, 0 },
    { "\"\\ud83d\\ude00!\"", "😀!", 0, 0 },
    /* What text cannot hold becomes U+FFFD and is counted; `first` is the backslash. */
    { "\"x\\u0000y\"", "x\xef\xbf\xbdy", 1, 2 },
    { "\"\\ud800\\ud800\\udc00\"", "\xef\xbf\xbd\xf0\x90\x80\x80", 1, 1 },
    { "\"ab\\udc00\\ud83d\"", "ab\xef\xbf\xbd\xef\xbf\xbd", 2, 3 },
    /* Raw UTF-8 passes as it is. */
    { "\"مرحبا\"", "مرحبا", 0, 0 },
  };
  static const char * const invalid[] = {
    "\"\\q\"", "\"\\u12\"", "\"\\u12g4\"", "\"trailing\\\"", "no quotes", "\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint n_repaired = 99;
      gsize first = 99;
      g_autofree char *text = unescape (cases[i].json, &n_repaired, &first);

      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_cmpuint (n_repaired, ==, cases[i].n_repaired);
      g_assert_cmpuint (first, ==, cases[i].first);
    }
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      guint n_repaired;
      gsize first;
      g_autofree char *text = unescape (invalid[i], &n_repaired, &first);

      g_assert_null (text);
    }
}

static void
test_id_set (void)
{
  MdIdSet set;
  char id[32];

  _md_id_set_init (&set, 10);
  /* Grows well past its first size; ids differing in one digit stay apart. */
  for (guint i = 0; i < 100000; i += 2)
    {
      g_snprintf (id, sizeof id, "XX_INS_%06u", i);
      _md_id_set_add (&set, id, strlen (id));
    }
  _md_id_set_add (&set, "XX_INS_000000", strlen ("XX_INS_000000"));
  g_assert_cmpuint (set.n, ==, 50000);
  for (guint i = 0; i < 100000; i++)
    {
      g_snprintf (id, sizeof id, "XX_INS_%06u", i);
      g_assert_cmpint (_md_id_set_contains (&set, id, strlen (id)), ==, i % 2 == 0);
    }
  /* The length is part of the id: a prefix is another id. */
  g_assert_false (_md_id_set_contains (&set, "XX_INS_00000", strlen ("XX_INS_00000")));
  g_assert_true (_md_id_set_contains (&set, "XX_INS_000000 and more", strlen ("XX_INS_000000")));
  _md_id_set_clear (&set);
  g_assert_null (set.slots);
}

static void
test_base64_variants (void)
{
  g_autofree char *standard = g_base64_encode (jpeg_head, sizeof jpeg_head);
  g_autofree char *url_safe = g_strdup (standard);
  g_autofree char *unpadded = NULL;
  gsize bad = 0;

  for (char *c = url_safe; *c; c++)
    *c = *c == '+' ? '-' : *c == '/' ? '_' : *c;
  g_assert_nonnull (strchr (standard, '/'));
  unpadded = g_strndup (url_safe, strcspn (url_safe, "="));
  g_assert_cmpuint (strlen (unpadded), <, strlen (standard));

  check_decodes (standard, jpeg_head, sizeof jpeg_head);
  check_decodes (url_safe, jpeg_head, sizeof jpeg_head);
  check_decodes (unpadded, jpeg_head, sizeof jpeg_head);
  g_assert_null (md_base64_decode ("AB*D", 4, &bad));
  g_assert_cmpuint (bad, ==, 2);
}

static void
test_image_sniff (void)
{
  g_autofree char *png64 = g_base64_encode (png_head, sizeof png_head);
  g_autofree char *jpeg64 = g_base64_encode (jpeg_head, sizeof jpeg_head);

  g_assert_cmpstr (md_image_sniff (png_head, sizeof png_head), ==, "image/png");
  g_assert_cmpstr (md_image_sniff (jpeg_head, sizeof jpeg_head), ==, "image/jpeg");
  g_assert_null (md_image_sniff ((const guint8 *) "GIF89a", 6));
  g_assert_true (g_str_has_prefix (jpeg64, "/9j/"));
  g_assert_true (md_base64_looks_like_image (png64, strlen (png64)));
  g_assert_true (md_base64_looks_like_image (jpeg64, strlen (jpeg64)));
  g_assert_true (md_base64_looks_like_image ("_9j_4AAQ", 8));
  g_assert_false (md_base64_looks_like_image ("R0lGODlh", 8));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/scan/layouts", test_scan_layouts);
  g_test_add_func ("/store/scan/escaped-keys", test_scan_escaped_keys);
  g_test_add_func ("/store/scan/errors", test_scan_errors);
  g_test_add_func ("/store/scan/giant-string", test_scan_giant_string);
  g_test_add_func ("/store/scan/unescape", test_unescape);
  g_test_add_func ("/store/id-set", test_id_set);
  g_test_add_func ("/store/base64/variants", test_base64_variants);
  g_test_add_func ("/store/base64/sniff", test_image_sniff);

  return g_test_run ();
}
