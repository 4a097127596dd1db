/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "md-cli.h"

static const struct {
  const char       *name;
  MdCliCommandFunc  func;
  const char       *summary;
} commands[] = {
  { "import", md_cli_import, N_("Index shard files or folders") },
  { "search", md_cli_search, N_("Search pairs in every language") },
  { "show", md_cli_show, N_("Show one pair with its texts, images and in-context examples") },
  { "image", md_cli_image, N_("Write the decoded bytes of an image to standard output") },
  { "stats", md_cli_stats, N_("Count pairs per dataset, language and problem kind") },
  { "review", md_cli_review, N_("Set statuses, edit texts, read the log, draw audit samples") },
  { "regenerate", md_cli_regenerate, N_("Generate pairs again through Syphus") },
  { "translate", md_cli_translate, N_("Translate pairs through Syphus") },
  { "export", md_cli_export, N_("Write a curated subset as MIMIC-IT, JSONL or LLaVA files") },
};

char *
md_cli_default_db_path (void)
{
  return g_build_filename (g_get_user_cache_dir (), PACKAGE_NAME, "index.sqlite", NULL);
}

void
md_cli_printerr (const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "mimicdesk-cli: %s\n", message);
}

gboolean
md_cli_parse_options (GOptionContext   *context,
                      int              *argc,
                      char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      md_cli_printerr ("%s", error->message);
      fputs (help, stderr);
      return FALSE;
    }
  return TRUE;
}

static void
print_usage (FILE *stream)
{
  fprintf (stream, _("Usage: %s COMMAND [OPTION…]\n\n"), "mimicdesk-cli");
  fprintf (stream, "%s\n\n", _("Audit, fix and curate MIMIC-IT data without a display."));
  fprintf (stream, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Every command takes --db FILE (default: the index in the user cache)."));
  fprintf (stream, "%s\n", _("Run 'mimicdesk-cli COMMAND --help' for the options of a command."));
  fprintf (stream, "\n%s\n", _("Options:"));
  fprintf (stream, "  -h, --help     %s\n", _("Show this help"));
  fprintf (stream, "  --version      %s\n", _("Show the version"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return MD_CLI_EXIT_FAILED;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      print_usage (stdout);
      return MD_CLI_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("%s %s\n", "mimicdesk-cli", PACKAGE_VERSION);
      return MD_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (strcmp (argv[1], commands[i].name) == 0)
        return commands[i].func (argc - 1, argv + 1);
    }

  md_cli_printerr (_("unknown command “%s”; see --help"), argv[1]);
  return MD_CLI_EXIT_FAILED;
}
