/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cJSON.h>
#include <string.h>

#include "md-py-literal.h"

/* The literal reader against Python itself: each module is evaluated by /usr/bin/python3 (its
 * globals that do not start with "_" dumped as JSON) and by md_py_literal_parse_module(); the
 * two must be equal, key order included. Modules Python would not run, or that hold more than
 * literals, must fail with the file and the line. */

static const char * const good[] = {
  /* Triple quotes of both kinds, a continuation inside, escapes. */
  "system_message = \"\"\"Line one\\nline \\\"two\\\"\\\n still two\n"
  "three\\ttab \\x41\\u00e9\\U0001F600 \\101 \\q\"\"\"\n",
  "a = '''single ''quoted'' text'''\nb = r'raw \\n \\' kept'\nc = u\"unicode\"\n",
  /* Implicit concatenation, across lines inside brackets. */
  "x = (\"one \" 'two '\n     \"\"\"three\"\"\")\ny = [\"a\"\n \"b\", 'c',]\n",
  /* A repeated key keeps its first place and its last value. */
  "in_context = [{\"role\": \"user\", \"content\": \"q\", \"role\": \"assistant\", "
  "\"content\": \"a\"}, {\"k\": 1, \"j\": 2, \"k\": 3}]\n",
  /* Tuples, numbers, constants, comments, a docstring, ; and \\ continuations. */
  "\"\"\"Docstring.\"\"\"\n# comment\nt = (1, -2.5, 1_000, 0x1F, 1e3, True, False, None) # c\n"
  "u = ()\nv = (\"only\",)\nw = (\"paren\")\nn = 1; m = 2\nz = \\\n  {'a': [\n  # inner\n  ]}\n",
  /* A later assignment replaces an earlier one. */
  "system_message = 'first'\nsystem_message = 'second'\n",
};

typedef struct
{
  const char *source;
  guint       line;
  const char *says;
} Bad;

static const Bad bad[] = {
  { "import os\nx = 1\n", 1, "expected “NAME = literal”" },
  { "x = 1\ny = x\n", 2, "found the name “x”" },
  { "x = [1,\n 2,\n f(3)]\n", 3, "found the name “f”" },
  { "x = f'{y}'\n", 1, "f-string" },
  { "x = b'raw'\n", 1, "bytes" },
  { "x = 'open\n", 1, "closing quote" },
  { "x = \"\"\"never\nclosed\n", 3, "the end of the file" },
  { "x = {1: 'a'}\n", 1, "string as a dict key" },
  { "x = 1 + 2\n", 1, "end of the statement" },
  { "x = 1\n  y = 2\n", 2, "indentation" },
  { "x = '\\N{BULLET}'\n", 1, "\\N{" },
  { "x = [1, 2\n", 2, "expected “,” or “]”" },
};

static char *
python_json (const char *source)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;
  const char *argv[] = {
    "/usr/bin/python3", "-c",
    "import json, sys\n"
    "g = {}\n"
    "exec(sys.argv[1], g)\n"
    "print(json.dumps({k: v for k, v in g.items() if not k.startswith('_')},"
    " ensure_ascii=False))\n",
    source, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static void
test_as_python (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *expected_text = python_json (good[i]);
      cJSON *expected = cJSON_Parse (expected_text);
      cJSON *got = md_py_literal_parse_module ("m.py", good[i], strlen (good[i]), &error);
      char *a;
      char *b;

      g_test_message ("module %u", i);
      g_assert_no_error (error);
      g_assert_nonnull (expected);
      a = cJSON_PrintUnformatted (expected);
      b = cJSON_PrintUnformatted (got);
      g_assert_cmpstr (b, ==, a);
      cJSON_free (a);
      cJSON_free (b);
      cJSON_Delete (expected);
      cJSON_Delete (got);
    }
}

static void
test_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *where = g_strdup_printf ("prompts/x.py:%u: ", bad[i].line);
      cJSON *got = md_py_literal_parse_module ("prompts/x.py", bad[i].source,
                                               strlen (bad[i].source), &error);

      g_test_message ("bad module %u: %s", i, error != NULL ? error->message : "(none)");
      g_assert_null (got);
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, where));
      g_assert_nonnull (strstr (error->message, bad[i].says));
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/py-literal/as-python", test_as_python);
  g_test_add_func ("/store/py-literal/errors", test_errors);
  return g_test_run ();
}
