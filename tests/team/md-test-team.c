/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-test-team"

#include "config.h"

#include <sys/wait.h>

#include "md-test-team.h"

static int
run_cli (const char  *review,
         char       **out_stdout,
         const char  *first_arg,
         va_list      args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *cli = g_getenv ("MD_CLI");
  int status = 0;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  if (review != NULL)
    {
      g_ptr_array_add (argv, "--review");
      g_ptr_array_add (argv, (gpointer) review);
    }
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (err != NULL && *err != '\0')
    g_test_message ("%s: %s", first_arg, err);
  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

int
md_test_cli (const char  *review,
             char       **out_stdout,
             const char  *first_arg,
             ...)
{
  va_list args;
  int status;

  va_start (args, first_arg);
  status = run_cli (review, out_stdout, first_arg, args);
  va_end (args);
  return status;
}

cJSON *
md_test_cli_json (const char *review,
                  const char *first_arg,
                  ...)
{
  g_autofree char *out = NULL;
  va_list args;
  cJSON *root;
  int status;

  va_start (args, first_arg);
  status = run_cli (review, &out, first_arg, args);
  va_end (args);
  g_assert_cmpint (status, ==, 0);
  root = cJSON_Parse (out);
  if (root == NULL)
    g_error ("%s: not JSON: %s", first_arg, out);
  return root;
}
