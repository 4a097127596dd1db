/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cJSON.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "md-cli.h"
#include "md-error.h"
#include "md-query-prefixes.h"
#include "md-review-store.h"
#include "md-store.h"

/* import, search, show, image, stats: the store commands. Each opens the index given by --db. */

MdStore *
md_cli_open_store (const char *db_path)
{
  g_autofree char *fallback = NULL;
  g_autoptr(GError) error = NULL;
  MdStore *store;

  if (db_path == NULL)
    db_path = fallback = md_cli_default_db_path ();
  if (!md_cli_check_file (db_path, TRUE))
    return NULL;
  store = md_store_open (db_path, &error);
  if (store == NULL)
    md_cli_printerr ("%s", error->message);
  return store;
}

static void
print_problem_counts (MdStore *store,
                      FILE    *stream)
{
  g_autoptr(GPtrArray) problems = md_store_count_problems (store, NULL, NULL);

  if (problems == NULL || problems->len == 0)
    {
      fprintf (stream, "%s\n", _("Problems: none"));
      return;
    }
  fprintf (stream, "%s\n", _("Problems:"));
  for (guint i = 0; i < problems->len; i++)
    {
      MdProblemCount *count = g_ptr_array_index (problems, i);

      fprintf (stream, "  %-28s %" G_GUINT64_FORMAT "\n", count->kind, count->count);
    }
}

static void
print_datasets (MdStore *store)
{
  g_autoptr(GPtrArray) datasets = md_store_list_datasets (store, NULL);

  printf ("%s\n", _("Datasets:"));
  for (guint i = 0; datasets != NULL && i < datasets->len; i++)
    {
      MdDatasetInfo *info = g_ptr_array_index (datasets, i);

      printf (_("  %-20s %u pairs, %u images, %u problems\n"), info->code, info->n_pairs,
              info->n_images, info->n_problems);
    }
}

typedef struct
{
  gint64 started;
  gint64 browsable;
} ImportTimes;

static void
on_import_progress (guint64     bytes_done,
                    guint64     bytes_total,
                    guint64     records_done,
                    const char *current_file,
                    gpointer    user_data)
{
  ImportTimes *times = user_data;

  if (current_file == NULL && times->browsable == 0)
    times->browsable = g_get_monotonic_time ();
}

int
md_cli_import (int    argc,
               char **argv)
{
  g_autofree char *db_path = NULL;
  g_auto(GStrv) paths = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(MdStore) store = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("Index file"), N_("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, N_("PATH…") },
    { NULL }
  };
  GPtrArray *files;
  gboolean ok;
  ImportTimes times = { 0 };
  gint64 searchable;

  context = g_option_context_new (_("PATH… — index MIMIC-IT files or folders"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!md_cli_parse_options (context, &argc, &argv))
    return MD_CLI_EXIT_FAILED;
  /* With --dataset-dir alone, that folder is what is imported. */
  if ((paths == NULL || paths[0] == NULL) && md_cli_get_dataset_dirs () != NULL)
    {
      g_strfreev (paths);
      paths = g_strdupv ((char **) md_cli_get_dataset_dirs ());
    }
  if (paths == NULL || paths[0] == NULL)
    {
      md_cli_printerr (_("import needs at least one file or folder"));
      return MD_CLI_EXIT_FAILED;
    }
  for (guint i = 0; paths[i] != NULL; i++)
    {
      GStatBuf st;

      if (g_stat (paths[i], &st) == 0 && !S_ISREG (st.st_mode) && !S_ISDIR (st.st_mode))
        {
          md_cli_printerr (_("%s is not a regular file or a folder (a named pipe, device or "
                             "socket); expected a MIMIC-IT file or a folder"), paths[i]);
          return MD_CLI_EXIT_FAILED;
        }
    }
  /* Without --db, the index the window opens for these same files or folders. */
  if (db_path == NULL && md_cli_get_dataset_dirs () == NULL &&
      (db_path = md_cli_index_path_for ((const char * const *) paths)) == NULL)
    return MD_CLI_EXIT_FAILED;
  store = md_cli_open_store (db_path);
  if (store == NULL)
    return MD_CLI_EXIT_FAILED;

  times.started = g_get_monotonic_time ();
  ok = md_store_import (store, (const char * const *) paths, on_import_progress, &times, NULL,
                        &report, &error);
  searchable = g_get_monotonic_time ();
  files = report != NULL ? md_import_report_get_files (report) : NULL;
  for (guint i = 0; files != NULL && i < files->len; i++)
    {
      MdImportedFile *file = g_ptr_array_index (files, i);

      if (file->outcome == MD_FILE_REJECTED && file->error != NULL)
        md_cli_printerr (_("rejected: %s"), file->error->message);
    }
  if (!ok)
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }

  printf (_("Files: %u imported, %u unchanged, %u skipped, %u rejected\n"),
          md_import_report_count (report, MD_FILE_IMPORTED),
          md_import_report_count (report, MD_FILE_UNCHANGED),
          md_import_report_count (report, MD_FILE_SKIPPED),
          md_import_report_count (report, MD_FILE_REJECTED));
  for (guint i = 0; i < files->len; i++)
    {
      MdImportedFile *file = g_ptr_array_index (files, i);

      if (file->outcome == MD_FILE_IMPORTED)
        printf (_("  %s (%s): %" G_GUINT64_FORMAT " records, %" G_GUINT64_FORMAT " problems\n"),
                file->path, md_file_kind_name (file->kind), file->n_records, file->n_problems);
    }
  printf (_("Index: %s\n"), md_store_get_path (store));
  print_datasets (store);
  print_problem_counts (store, stdout);
  /* Both phases, in the keys the store benchmark reads: pairs can be browsed from the first,
   * searched from the second. */
  if (times.browsable == 0)
    times.browsable = searchable;
  printf ("%s browsable_s %.2f searchable_s %.2f\n", _("Time:"),
          (times.browsable - times.started) / 1e6, (searchable - times.started) / 1e6);

  return md_import_report_count (report, MD_FILE_REJECTED) > 0 ? MD_CLI_EXIT_PARTIAL
                                                               : MD_CLI_EXIT_OK;
}


/* Opens the review file (@path, else the one beside the index) and attaches it to @store for
 * the review filters of a query. A missing file is not created. */
static gboolean
attach_review (MdStore        *store,
               const char     *path,
               MdReviewStore **out_review,
               GError        **error)
{
  g_autofree char *fallback = NULL;

  if (path == NULL)
    path = fallback = md_review_store_default_path (md_store_get_path (store));
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_QUERY,
                   _("%s: no review file to answer status:, reason:, reviewer: or is:"), path);
      return FALSE;
    }
  if ((*out_review = md_review_store_open (path, error)) == NULL)
    return FALSE;
  return md_store_attach_review (store, path, error);
}

/* Growth steps (MD_PAIR_LIST_GROW_BUDGET rows each) a search with a --limit may take. */
#define SEARCH_BUDGET_STEPS 16

/* The search's arguments with every query word moved after a "--", in order: a word may start
 * with "-" (an exclusion: `search kitchen -dog`, `search "-bridge river"`), which the option
 * parser would take for an unknown option. Options are the long names of `entries` (with
 * their value, when they take one) and -h, -?, --help. */
static char **
query_after_dashes (int                 argc,
                    char              **argv,
                    const GOptionEntry *entries)
{
  g_autoptr(GStrvBuilder) options = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) words = g_strv_builder_new ();
  g_auto(GStrv) tail = NULL;
  GStrvBuilder *all;
  int i;

  for (i = 0; i < argc; i++)
    {
      const char *arg = argv[i];
      gboolean option = i == 0 || strcmp (arg, "-h") == 0 || strcmp (arg, "-?") == 0;
      gboolean takes_value = FALSE;

      if (strcmp (arg, "--") == 0)
        {
          for (i++; i < argc; i++)
            g_strv_builder_add (words, argv[i]);
          break;
        }
      if (!option && g_str_has_prefix (arg, "--"))
        {
          const char *name = arg + 2;
          gsize len = strcspn (name, "=");

          for (const GOptionEntry *e = entries; e->long_name != NULL; e++)
            if (strlen (e->long_name) == len && strncmp (e->long_name, name, len) == 0)
              takes_value = e->arg != G_OPTION_ARG_NONE && name[len] != '=';
          /* Any --option stays one: the parser refuses those it does not know. */
          option = TRUE;
        }
      if (!option)
        {
          g_strv_builder_add (words, arg);
          continue;
        }
      g_strv_builder_add (options, arg);
      if (takes_value && i + 1 < argc)
        g_strv_builder_add (options, argv[++i]);
    }
  tail = g_strv_builder_end (words);
  all = g_steal_pointer (&options);
  g_strv_builder_add (all, "--");
  g_strv_builder_addv (all, (const char **) tail);
  {
    char **result = g_strv_builder_end (all);

    g_strv_builder_unref (all);
    return result;
  }
}

int
md_cli_search (int    argc,
               char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *review_path = NULL;
  g_autofree char *language = NULL;
  g_autofree char *dataset = NULL;
  g_autofree char *modality = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(MdReviewStore) review = NULL;
  g_auto(GStrv) args = NULL;
  gboolean too_broad = FALSE;
  gboolean as_json = FALSE;
  gboolean missing_images = FALSE;
  gboolean missing_translations = FALSE;
  gboolean dangling = FALSE;
  int limit = 20;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(MdStore) store = NULL;
  g_autoptr(MdQuery) query = md_query_new ();
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("Index file"), N_("FILE") },
    { "review", 0, 0, G_OPTION_ARG_FILENAME, &review_path,
      N_("Review file for status:, reason:, reviewer: and is: (default: beside the index)"),
      N_("FILE") },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &language, N_("Search and show this language"), N_("CODE") },
    { "dataset", 0, 0, G_OPTION_ARG_STRING, &dataset, N_("Only this dataset"), N_("CODE") },
    { "modality", 0, 0, G_OPTION_ARG_STRING, &modality, N_("Only this modality"), N_("NAME") },
    { "missing-images", 0, 0, G_OPTION_ARG_NONE, &missing_images, N_("Only pairs with missing images"), NULL },
    { "missing-translations", 0, 0, G_OPTION_ARG_NONE, &missing_translations, N_("Only pairs with missing translations"), NULL },
    { "dangling-context", 0, 0, G_OPTION_ARG_NONE, &dangling, N_("Only pairs with dangling in-context ids"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most N matches (default 20, 0 for all)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &words, NULL, N_("QUERY") },
    { NULL }
  };
  cJSON *array = NULL;
  guint n;

  context = g_option_context_new (_("QUERY — search pairs (words, \"phrases\", -exclusion, OR)"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  args = query_after_dashes (argc, argv, entries);
  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      md_cli_printerr ("%s", error->message);
      fputs (help, stderr);
      return MD_CLI_EXIT_FAILED;
    }
  if (limit < 0)
    {
      md_cli_printerr (_("--limit %d: expected a number of matches, 0 or more (0 for all)"),
                       limit);
      return MD_CLI_EXIT_FAILED;
    }

  query->text = words != NULL ? g_strjoinv (" ", words) : NULL;
  query->dataset = g_strdup (dataset);
  if (language != NULL)
    {
      MdLanguage l;

      if (!md_language_from_code (language, &l))
        {
          md_cli_printerr (_("unknown language “%s”; expected one of en zh es ja de fr ko ar"),
                           language);
          return MD_CLI_EXIT_FAILED;
        }
      query->language = l;
    }
  if (modality != NULL)
    {
      MdModality m;

      if (!md_modality_from_name (modality, &m))
        {
          md_cli_printerr (_("unknown modality “%s”; expected text, image, image-pair, "
                             "multi-image or video"), modality);
          return MD_CLI_EXIT_FAILED;
        }
      query->modality = m;
    }
  query->flags = (missing_images ? MD_QUERY_MISSING_IMAGES : 0) |
                 (missing_translations ? MD_QUERY_MISSING_TRANSLATIONS : 0) |
                 (dangling ? MD_QUERY_DANGLING_CONTEXT : 0);

  store = md_cli_open_store (db_path);
  if (store == NULL)
    return MD_CLI_EXIT_FAILED;
  /* status:flagged and the other review prefixes are answered by the review file beside the
   * index, as in the window. */
  if (md_query_has_review_prefixes (query->text) &&
      !attach_review (store, review_path, &review, &error))
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }
  if (!md_query_take_review_prefixes (query, review, &error) ||
      (model = md_store_query (store, query, &error)) == NULL)
  if (model == NULL)
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }

  /* Counts grow as the list is read, a budget of rows at a time: let them, up to the limit,
   * within SEARCH_BUDGET_STEPS steps (--limit 0 asks for every match, whatever it costs). */
  for (guint steps = 0; !md_pair_list_is_count_exact (MD_PAIR_LIST (model)) &&
       (limit <= 0 || g_list_model_get_n_items (model) < (guint) limit); steps++)
    {
      guint so_far = g_list_model_get_n_items (model);
      g_autoptr(GObject) last = NULL;

      if (limit > 0 && steps == SEARCH_BUDGET_STEPS)
        {
          too_broad = TRUE;
          break;
        }
      last = so_far > 0 ? g_list_model_get_item (model, so_far - 1) : NULL;
      g_main_context_iteration (NULL, TRUE);
    }
  n = g_list_model_get_n_items (model);
  if (limit > 0)
    n = MIN (n, (guint) limit);
  if (as_json)
    array = cJSON_CreateArray ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MdPair) pair = g_list_model_get_item (model, i);
      g_autofree char *line = NULL;

      if (pair == NULL)
        break;
      line = g_strdup (md_pair_get_summary (pair) != NULL ? md_pair_get_summary (pair) : "");
      g_strdelimit (line, "\n\r\t", ' ');
      if (as_json)
        {
          cJSON *item = cJSON_CreateObject ();

          cJSON_AddStringToObject (item, "id", md_pair_get_id (pair));
          cJSON_AddStringToObject (item, "dataset", md_pair_get_dataset (pair));
          cJSON_AddStringToObject (item, "modality",
                                   md_modality_name (md_pair_get_modality (pair)));
          cJSON_AddStringToObject (item, "instruction", line);
          cJSON_AddItemToArray (array, item);
        }
      else
        {
          g_autofree char *id = md_cli_safe_line (md_pair_get_id (pair));
          g_autofree char *code = md_cli_safe_line (md_pair_get_dataset (pair));
          g_autofree char *summary = md_cli_safe_line (line);

          printf ("%s\t%s\t%s\n", id, code, summary);
        }
    }
  if (as_json)
    {
      md_cli_print_json (array);
      cJSON_Delete (array);
    }
  if (too_broad)
    md_cli_printerr (_("the search is too broad to finish within its budget (%" G_GUINT64_FORMAT
                       " rows read): these are the first %u matches; add words or filters, or "
                       "use --limit 0 to read every row"),
                     md_pair_list_get_rows_visited (MD_PAIR_LIST (model)), n);
  return MD_CLI_EXIT_OK;
}

int
md_cli_image (int    argc,
              char **argv)
{
  g_autofree char *db_path = NULL;
  g_auto(GStrv) ids = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(MdStore) store = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mime = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("Index file"), N_("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &ids, NULL, N_("ID") },
    { NULL }
  };
  const guint8 *data;
  gsize size;

  context = g_option_context_new (_("ID — write the decoded image to standard output"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!md_cli_parse_options (context, &argc, &argv))
    return MD_CLI_EXIT_FAILED;
  if (ids == NULL || ids[0] == NULL || ids[1] != NULL)
    {
      md_cli_printerr (_("image needs exactly one image id"));
      return MD_CLI_EXIT_FAILED;
    }
  store = md_cli_open_store (db_path);
  if (store == NULL)
    return MD_CLI_EXIT_FAILED;
  bytes = md_store_load_image (store, ids[0], &mime, &error);
  if (bytes == NULL)
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }
  data = g_bytes_get_data (bytes, &size);
  if (fwrite (data, 1, size, stdout) != size || fflush (stdout) != 0)
    {
      md_cli_printerr (_("cannot write the image to standard output"));
      return MD_CLI_EXIT_FAILED;
    }
  return MD_CLI_EXIT_OK;
}

int
md_cli_stats (int    argc,
              char **argv)
{
  g_autofree char *db_path = NULL;
  gboolean as_json = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(MdStore) store = NULL;
  g_autoptr(GPtrArray) datasets = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  guint64 languages[MD_N_LANGUAGES];
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("Index file"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— count pairs per dataset, language and problem kind"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!md_cli_parse_options (context, &argc, &argv))
    return MD_CLI_EXIT_FAILED;
  store = md_cli_open_store (db_path);
  if (store == NULL)
    return MD_CLI_EXIT_FAILED;
  datasets = md_store_list_datasets (store, &error);
  if (datasets == NULL)
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }
  problems = md_store_count_problems (store, NULL, &error);
  if (problems == NULL || !md_store_count_languages (store, languages, &error))
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }

  if (as_json)
    {
      cJSON *root = cJSON_CreateObject ();
      cJSON *d = cJSON_AddObjectToObject (root, "datasets");
      cJSON *l = cJSON_AddObjectToObject (root, "languages");
      cJSON *p = cJSON_AddObjectToObject (root, "problems");
      g_autofree char *text = NULL;

      for (guint i = 0; i < datasets->len; i++)
        {
          MdDatasetInfo *info = g_ptr_array_index (datasets, i);
          cJSON *entry = cJSON_AddObjectToObject (d, info->code);

          cJSON_AddNumberToObject (entry, "pairs", info->n_pairs);
          cJSON_AddNumberToObject (entry, "images", info->n_images);
          cJSON_AddNumberToObject (entry, "problems", info->n_problems);
        }
      for (guint i = 0; i < MD_N_LANGUAGES; i++)
        cJSON_AddNumberToObject (l, md_language_code (i), languages[i]);
      for (guint i = 0; i < problems->len; i++)
        {
          MdProblemCount *count = g_ptr_array_index (problems, i);

          cJSON_AddNumberToObject (p, count->kind, count->count);
        }
      text = cJSON_Print (root);
      printf ("%s\n", text);
      cJSON_Delete (root);
      return MD_CLI_EXIT_OK;
    }

  print_datasets (store);
  printf ("%s\n", _("Languages (pairs with text):"));
  for (guint i = 0; i < MD_N_LANGUAGES; i++)
    printf ("  %-4s %" G_GUINT64_FORMAT "\n", md_language_code (i), languages[i]);
  print_problem_counts (store, stdout);
  return MD_CLI_EXIT_OK;
}
