/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "md-cli.h"
#include "md-dataset-paths.h"

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
  { "problems", md_cli_problems, N_("List the import's problems, by kind and dataset") },
  { "review", md_cli_review, N_("Set statuses, edit texts, read the log, draw audit samples") },
  { "regenerate", md_cli_regenerate, N_("Generate pairs again through Syphus") },
  { "translate", md_cli_translate, N_("Translate pairs through Syphus") },
  { "export", md_cli_export, N_("Write a curated subset as MIMIC-IT, JSONL or LLaVA files") },
  { "team", md_cli_team, N_("Review as a team through a shared PostgreSQL server") },
};

static GPtrArray *dataset_dirs;

char *
md_cli_index_path_for (const char * const *paths)
{
  g_autoptr(GPtrArray) real_paths = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (paths[i]);
      char *real_path = md_dataset_real_path (file);

      if (real_path == NULL)
        {
          md_cli_printerr (_("%s: no such file or folder; expected the folder (or files) of a "
                             "dataset"), paths[i]);
          return NULL;
        }
      g_ptr_array_add (real_paths, real_path);
    }
  g_ptr_array_add (real_paths, NULL);
  return md_dataset_index_path ((const char * const *) real_paths->pdata);
}

const char * const *
md_cli_get_dataset_dirs (void)
{
  return dataset_dirs != NULL ? (const char * const *) dataset_dirs->pdata : NULL;
}

char *
md_cli_default_db_path (void)
{
  if (dataset_dirs != NULL)
    {
      char *path = md_cli_index_path_for (md_cli_get_dataset_dirs ());

      /* Checked when the options were taken: the folders exist. */
      if (path != NULL)
        return path;
    }
  return g_build_filename (g_get_user_cache_dir (), PACKAGE_NAME, "index.sqlite", NULL);
}

int
md_cli_take_global_options (int    argc,
                            char **argv)
{
  int out = 0;
  gboolean done = FALSE;

  for (int i = 0; i < argc; i++)
    {
      const char *dir = NULL;

      if (!done && strcmp (argv[i], "--") == 0)
        done = TRUE;
      if (!done && strcmp (argv[i], "--raw") == 0)
        {
          md_cli_set_raw (TRUE);
          continue;
        }
      if (!done && strcmp (argv[i], "--dataset-dir") == 0)
        {
          if (i + 1 >= argc)
            {
              md_cli_printerr (_("--dataset-dir needs a folder"));
              return -1;
            }
          dir = argv[++i];
        }
      else if (!done && g_str_has_prefix (argv[i], "--dataset-dir="))
        dir = argv[i] + strlen ("--dataset-dir=");
      if (dir != NULL)
        {
          if (dataset_dirs == NULL)
            dataset_dirs = g_ptr_array_new_with_free_func (g_free);
          else
            g_ptr_array_set_size (dataset_dirs, dataset_dirs->len - 1);
          g_ptr_array_add (dataset_dirs, g_strdup (dir));
          g_ptr_array_add (dataset_dirs, NULL);
          continue;
        }
      argv[out++] = argv[i];
    }
  argv[out] = NULL;
  if (dataset_dirs != NULL)
    {
      g_autofree char *path = md_cli_index_path_for (md_cli_get_dataset_dirs ());

      if (path == NULL)
        return -1;
    }
  return out;
}

static const char *
describe_file_type (mode_t mode)
{
  if (S_ISDIR (mode))
    return _("a folder");
  if (S_ISFIFO (mode))
    return _("a named pipe (FIFO)");
  if (S_ISCHR (mode))
    return _("a character device");
  if (S_ISBLK (mode))
    return _("a block device");
  if (S_ISSOCK (mode))
    return _("a socket");
  return _("not a regular file");
}

gboolean
md_cli_check_file (const char *path,
                   gboolean    may_create)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      if (saved == ENOENT && may_create)
        return TRUE;
      md_cli_printerr ("%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      md_cli_printerr (_("%s is %s; expected an SQLite file made by mimicdesk"), path,
                       describe_file_type (st.st_mode));
      return FALSE;
    }
  return TRUE;
}

void
md_cli_printerr (const char *format,
                 ...)
{
  g_autofree char *message = NULL;
  g_autofree char *safe = NULL;
  va_list args;


  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* Messages quote ids and texts of the files they are about. */
  safe = md_cli_escape (message, TRUE);
  fprintf (stderr, "mimicdesk-cli: %s\n", safe);
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

int
md_cli_dispatch (const char            *group,
                 const MdCliSubcommand *subcommands,
                 guint                  n_subcommands,
                 void                 (*reset) (void),
                 int                    argc,
                 char                 **argv)
{
  gboolean help = argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0);

  for (guint i = 0; argc >= 2 && i < n_subcommands; i++)
    {
      if (strcmp (argv[1], subcommands[i].name) == 0)
        {
          int status = subcommands[i].func (argc - 1, argv + 1);

          if (reset != NULL)
            reset ();
          return status;
        }
    }
  if (argc >= 2 && !help)
    md_cli_printerr (_("unknown %s command “%s”"), group, argv[1]);

  fprintf (stderr, _("Usage: %s %s COMMAND [OPTION…]\n\n"), "mimicdesk-cli", group);
  for (guint i = 0; i < n_subcommands; i++)
    fprintf (stderr, "  %-13s %s\n", subcommands[i].name, _(subcommands[i].summary));
  fprintf (stderr, "\n%s\n", _("Every command takes --db FILE and --review FILE."));
  return help ? MD_CLI_EXIT_OK : MD_CLI_EXIT_FAILED;
}

static void
print_usage (FILE *stream)
{
  fprintf (stream, _("Usage: %s COMMAND [OPTION…]\n\n"), "mimicdesk-cli");
  fprintf (stream, "%s\n\n", _("Audit, fix and curate MIMIC-IT data without a display."));
  fprintf (stream, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n",
           _("Every command takes --db FILE (default: the index in the user cache) or "
             "--dataset-dir DIR,\nthe index the window uses for that folder (repeat it for "
             "several)."));
  fprintf (stream, "%s\n", _("Every command takes --raw: print texts as they are, control "
                              "characters included (by default they are shown escaped)."));
  fprintf (stream, "%s\n", _("Run 'mimicdesk-cli COMMAND --help' for the options of a command."));
  fprintf (stream, "\n%s\n", _("Options:"));
  fprintf (stream, "  -h, --help     %s\n", _("Show this help"));
  fprintf (stream, "  --version      %s\n", _("Show the version"));
}

static gboolean
ctype_is_utf8 (void)
{
  const char *codeset = nl_langinfo (CODESET);

  return g_ascii_strcasecmp (codeset, "UTF-8") == 0 || g_ascii_strcasecmp (codeset, "utf8") == 0;
}

/* Called before anything asks GLib for the charset (it caches the answer). */
static void
use_utf8_ctype (void)
{
  static const char * const utf8_locales[] = { "C.UTF-8", "C.utf8", "en_US.UTF-8" };

  if (ctype_is_utf8 ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (utf8_locales); i++)
    {
      if (setlocale (LC_CTYPE, utf8_locales[i]) != NULL && ctype_is_utf8 ())
        return;
    }
  /* No UTF-8 locale at all: GLib takes $CHARSET as the locale's charset. */
  g_setenv ("CHARSET", "UTF-8", TRUE);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  /* Arguments are UTF-8 whatever the locale: with LC_ALL=C, GOption would convert them from
   * ASCII and refuse every non-ASCII word ("Invalid byte sequence in conversion input"). */
  use_utf8_ctype ();
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  argc = md_cli_take_global_options (argc, argv);
  if (argc < 0)
    return MD_CLI_EXIT_FAILED;
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
        {
          int status = commands[i].func (argc - 1, argv + 1);

          g_clear_pointer (&dataset_dirs, g_ptr_array_unref);
          return status;
        }
    }

  md_cli_printerr (_("unknown command “%s”; see --help"), argv[1]);
  return MD_CLI_EXIT_FAILED;
}
