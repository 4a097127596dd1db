/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "md-cli.h"

/* mimicdesk-cli problems: the import's problem rows to triage, one per line or as JSON Lines,
 * streamed so that a corpus with millions of them prints at once in constant memory. */

typedef struct
{
  gboolean as_json;
  guint64  n_listed;
} Listing;

static gboolean
print_problem (const MdProblem *problem,
               gpointer         user_data)
{
  Listing *listing = user_data;

  listing->n_listed++;
  if (listing->as_json)
    {
      cJSON *row = cJSON_CreateObject ();

      cJSON_AddStringToObject (row, "kind", problem->kind);
      problem->dataset != NULL ? cJSON_AddStringToObject (row, "dataset", problem->dataset)
                               : cJSON_AddNullToObject (row, "dataset");
      problem->pair_id != NULL ? cJSON_AddStringToObject (row, "pair", problem->pair_id)
                               : cJSON_AddNullToObject (row, "pair");
      problem->file != NULL ? cJSON_AddStringToObject (row, "file", problem->file)
                            : cJSON_AddNullToObject (row, "file");
      problem->byte_offset >= 0 ? cJSON_AddNumberToObject (row, "byte_offset",
                                                           (double) problem->byte_offset)
                                : cJSON_AddNullToObject (row, "byte_offset");
      problem->ref != NULL ? cJSON_AddStringToObject (row, "ref", problem->ref)
                           : cJSON_AddNullToObject (row, "ref");
      cJSON_AddStringToObject (row, "message", problem->detail != NULL ? problem->detail : "");
      {
        /* JSON Lines: one object per line, for jq, pandas.read_json(lines=True) and grep. */
        g_autofree char *text = cJSON_PrintUnformatted (row);
        g_autofree char *safe = md_cli_safe_json (text);

        printf ("%s\n", safe);
      }
      cJSON_Delete (row);
    }
  else
    {
      g_autofree char *kind = md_cli_safe_line (problem->kind);
      g_autofree char *dataset = md_cli_safe_line (problem->dataset != NULL ? problem->dataset
                                                                            : "-");
      g_autofree char *pair = md_cli_safe_line (problem->pair_id != NULL ? problem->pair_id
                                                                         : "-");
      g_autofree char *detail = md_cli_safe_line (problem->detail != NULL ? problem->detail : "");

      printf ("%s\t%s\t%s\t%s\n", kind, dataset, pair, detail);
    }
  return TRUE;
}

int
md_cli_problems (int    argc,
                 char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *dataset = NULL;
  gboolean as_json = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(MdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  Listing listing = { 0 };
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("Index file"), N_("FILE") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind,
      N_("Only problems of this kind (missing_image, dangling_context, …)"), N_("KIND") },
    { "dataset", 0, 0, G_OPTION_ARG_STRING, &dataset, N_("Only this dataset"), N_("CODE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json,
      N_("One JSON object per line: kind, dataset, pair, file, byte_offset, ref, message"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— list the import's problems"));
  g_option_context_set_description (context,
                                    _("Without --json: kind, dataset, pair and message, tab "
                                      "separated, one problem per line (\"-\" where a problem "
                                      "has no dataset or pair). Counts per kind: stats."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!md_cli_parse_options (context, &argc, &argv))
    return MD_CLI_EXIT_FAILED;
  if (argc > 1)
    {
      md_cli_printerr (_("problems takes no arguments; narrow with --kind and --dataset"));
      return MD_CLI_EXIT_FAILED;
    }
  store = md_cli_open_store (db_path);
  if (store == NULL)
    return MD_CLI_EXIT_FAILED;
  listing.as_json = as_json;
  if (!md_store_foreach_problem (store, kind, dataset, print_problem, &listing, &error))
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }
  if (listing.n_listed == 0 && !as_json)
    fprintf (stderr, "%s\n", _("No problems match."));
  return MD_CLI_EXIT_OK;
}
