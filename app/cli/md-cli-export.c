/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "md-cli.h"
#include "md-export.h"
#include "md-review-store.h"
#include "md-store.h"

/* export: the checks report first, then (when it is clean, or with --yes) the export itself. */

typedef struct
{
  char     *db;
  char     *review;
  char     *out;
  char     *format;
  char     *image_store;
  char     *query;
  char     *dataset;
  GStrv     statuses;
  char     *reason;
  gboolean  complete;
  char     *sample;
  char     *context;
  char     *language;
  gboolean  yes;
  gboolean  extract_images;
  gboolean  llava_context;
  gboolean  quiet;
} ExportArgs;

static void
export_args_clear (ExportArgs *args)
{
  g_free (args->db);
  g_free (args->review);
  g_free (args->out);
  g_free (args->format);
  g_free (args->image_store);
  g_free (args->query);
  g_free (args->dataset);
  g_strfreev (args->statuses);
  g_free (args->reason);
  g_free (args->sample);
  g_free (args->context);
  g_free (args->language);
}

static void
print_progress (const char *phase,
                guint64     done,
                guint64     total,
                gpointer    user_data)
{
  static gint64 last;
  gint64 now = g_get_monotonic_time ();

  /* A line a second at most: this runs once per pair. */
  if (done < total && now - last < G_USEC_PER_SEC)
    return;
  last = now;
  fprintf (stderr, "%s: %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "\n", phase, done, total);
}

static gboolean
build_options (ExportArgs       *args,
               MdExportOptions  *options)
{
  if (args->format != NULL && !md_export_format_from_name (args->format, &options->format))
    {
      md_cli_printerr (_("unknown format “%s”: expected mimicit, jsonl or llava"), args->format);
      return FALSE;
    }
  if (args->image_store != NULL &&
      !md_export_image_store_from_name (args->image_store, &options->image_store))
    {
      md_cli_printerr (_("unknown image store “%s”: expected parquet, json or both"),
                       args->image_store);
      return FALSE;
    }
  if (args->context != NULL && !md_export_context_from_name (args->context, &options->context))
    {
      md_cli_printerr (_("unknown context mode “%s”: expected keep, drop or include"),
                       args->context);
      return FALSE;
    }
  if (args->language != NULL)
    {
      MdLanguage language;

      if (!md_language_from_code (args->language, &language))
        {
          md_cli_printerr (_("unknown language “%s”: expected en, zh, es, ja, de, fr, ko or ar"),
                           args->language);
          return FALSE;
        }
      options->language = language;
    }
  for (guint i = 0; args->statuses != NULL && args->statuses[i] != NULL; i++)
    {
      MdReviewStatus status;

      if (!md_review_status_from_name (args->statuses[i], &status))
        {
          md_cli_printerr (_("unknown status “%s”: expected unreviewed, approved, flagged, "
                             "rejected or fixed"), args->statuses[i]);
          return FALSE;
        }
      options->statuses |= 1u << status;
    }
  options->text = g_strdup (args->query);
  options->dataset = g_strdup (args->dataset);
  options->reason = g_strdup (args->reason);
  options->sample = g_strdup (args->sample);
  options->complete_languages = args->complete;
  options->extract_images = args->extract_images;
  options->llava_context = args->llava_context;
  return TRUE;
}

int
md_cli_export (int    argc,
               char **argv)
{
  ExportArgs args = { NULL, };
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &args.db, N_("Index file"), N_("FILE") },
    { "review", 0, 0, G_OPTION_ARG_FILENAME, &args.review,
      N_("Review file (default: the index path + .review.sqlite, when it exists)"), N_("FILE") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &args.out,
      N_("Output folder (empty or new)"), N_("DIR") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &args.format,
      N_("mimicit (default), jsonl or llava"), N_("FORMAT") },
    { "image-store", 0, 0, G_OPTION_ARG_STRING, &args.image_store,
      N_("MIMIC-IT image stores: parquet (default, today's Otter), json (the flat TASK.json of "
         "Otter's loader before September 2023) or both"), N_("KIND") },
    { "query", 'q', 0, G_OPTION_ARG_STRING, &args.query, N_("Search text"), N_("TEXT") },
    { "dataset", 'd', 0, G_OPTION_ARG_STRING, &args.dataset, N_("Only this dataset"), N_("D") },
    { "status", 's', 0, G_OPTION_ARG_STRING_ARRAY, &args.statuses,
      N_("Only pairs with this review status (repeatable; without it, every status but "
         "rejected)"), N_("S") },
    { "reason", 'r', 0, G_OPTION_ARG_STRING, &args.reason,
      N_("Only pairs with this reason tag"), N_("R") },
    { "complete-languages", 0, 0, G_OPTION_ARG_NONE, &args.complete,
      N_("Only pairs with both texts in all eight languages"), NULL },
    { "sample", 0, 0, G_OPTION_ARG_STRING, &args.sample,
      N_("Export the members of a saved audit sample"), N_("NAME") },
    { "context", 'c', 0, G_OPTION_ARG_STRING, &args.context,
      N_("In-context links to unexported pairs: keep (default), drop or include"), N_("MODE") },
    { "language", 'l', 0, G_OPTION_ARG_STRING, &args.language,
      N_("Main language of the exported texts (default en)"), N_("L") },
    { "extract-images", 0, 0, G_OPTION_ARG_NONE, &args.extract_images,
      N_("JSONL, LLaVA: write image files beside and refer to them by path"), NULL },
    { "llava-context", 0, 0, G_OPTION_ARG_NONE, &args.llava_context,
      N_("LLaVA: put the in-context examples first as earlier turns"), NULL },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &args.yes,
      N_("Export even when the checks find problems"), NULL },
    { "quiet", 0, 0, G_OPTION_ARG_NONE, &args.quiet, N_("Do not report progress"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MdExportOptions) options = md_export_options_new ();
  g_autoptr(MdStore) store = NULL;
  g_autoptr(MdReviewStore) review = NULL;
  g_autoptr(MdExportReport) report = NULL;
  g_autoptr(MdExportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *review_path = NULL;
  g_autofree char *text = NULL;
  MdExportProgressFunc progress;
  int status = MD_CLI_EXIT_FAILED;

  g_option_context_set_summary (context, _("Write a curated subset as MIMIC-IT, JSONL or LLaVA "
                                           "files, with a manifest. The checks report is "
                                           "printed first; the export stops when it finds "
                                           "problems unless --yes is given."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!md_cli_parse_options (context, &argc, &argv))
    goto out;
  if (args.out == NULL)
    {
      md_cli_printerr (_("--out DIR is required"));
      goto out;
    }
  if (!build_options (&args, options))
    goto out;

  db = args.db != NULL ? g_strdup (args.db) : md_cli_default_db_path ();
  if (!g_file_test (db, G_FILE_TEST_IS_REGULAR))
    {
      md_cli_printerr (_("%s: no such index; import shards first"), db);
      goto out;
    }
  store = md_store_open (db, &error);
  if (store == NULL)
    {
      md_cli_printerr ("%s", error->message);
      goto out;
    }
  /* Exporting never creates a review file: without one every pair is unreviewed. */
  review_path = args.review != NULL ? g_strdup (args.review) : md_review_store_default_path (db);
  if (g_file_test (review_path, G_FILE_TEST_IS_REGULAR))
    {
      review = md_review_store_open (review_path, &error);
      if (review == NULL)
        {
          md_cli_printerr ("%s", error->message);
          goto out;
        }
    }
  else if (args.review != NULL)
    {
      md_cli_printerr (_("%s: no such review file"), review_path);
      goto out;
    }

  progress = args.quiet ? NULL : print_progress;
  report = md_export_check (store, review, options, progress, NULL, NULL, &error);
  if (report == NULL)
    {
      md_cli_printerr ("%s", error->message);
      goto out;
    }
  text = md_export_report_to_string (report);
  fputs (text, stdout);
  if (md_export_report_has_blocking (report) && !args.yes)
    {
      md_cli_printerr (_("the checks found problems (lines marked “error” above); nothing was "
                         "written. Fix them, narrow the filter, or pass --yes to export anyway"));
      goto out;
    }

  result = md_export_run (store, review, options, args.out, progress, NULL, NULL, &error);
  if (result == NULL)
    {
      md_cli_printerr ("%s", error->message);
      goto out;
    }
  for (guint i = 0; result->notes != NULL && result->notes[i] != NULL; i++)
    fprintf (stderr, "note: %s\n", result->notes[i]);
  for (guint i = 0; i < result->files->len; i++)
    {
      MdExportFile *file = g_ptr_array_index (result->files, i);

      printf ("file\t%s\t%" G_GUINT64_FORMAT "\t%s\n", file->path, file->size, file->sha256);
    }
  {
    g_autofree char *pairs = g_strdup_printf ("%" G_GUINT64_FORMAT, result->n_pairs);
    g_autofree char *examples = g_strdup_printf ("%" G_GUINT64_FORMAT, result->n_context_pairs);
    g_autofree char *images = g_strdup_printf ("%" G_GUINT64_FORMAT, result->n_images);

    printf (_("exported %s pairs (+%s in-context) and %s images to %s\n"), pairs, examples,
            images, result->out_dir);
  }
  status = MD_CLI_EXIT_OK;

out:
  export_args_clear (&args);
  return status;
}
