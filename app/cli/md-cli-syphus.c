/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "md-cli.h"
#include "md-store.h"
#include "md-syphus.h"

/* regenerate, translate: pairs from the index through a Syphus backend, with a journal that lets
 * an interrupted batch resume (run the same command again, or with no ids). */

typedef struct
{
  MdSyphusJobKind  kind;
  char            *db_path;
  char            *journal_path;
  char            *backend_name;
  char            *base_url;
  char            *model;
  char            *prompt_path;
  gboolean         dry_run;
  gboolean         accept;
  gboolean         no_stream;
  gboolean         vision;
  int              frames;
  int              concurrency;
  int              timeout_s;
  int              max_attempts;
  int              max_requests;
  gint64           max_tokens;
  int              deadline_s;      /* -1: from backends.ini */
  gint64           max_reply_size;  /* -1: from backends.ini */
  int              max_retry_wait_s;
  gboolean         again;
  MdSyphusQueueSettings settings;   /* backends.ini's */
  guint            n_accepted;
  guint            n_not_accepted;
  GStrv            ids;
  gboolean         has_command;   /* backends.ini names a server to start */

  GMainLoop       *loop;
  GArray          *generations;   /* gint64 ids of this run */
  guint            n_total;
  guint            n_ok;
  guint            n_invalid;
  guint            n_failed;
  guint            n_unused_pairs;   /* Question/Answer pairs of replies beyond the first */
} SyphusRun;

static void
syphus_run_clear (SyphusRun *run)
{
  g_free (run->db_path);
  g_free (run->journal_path);
  g_free (run->backend_name);
  g_free (run->base_url);
  g_free (run->model);
  g_free (run->prompt_path);
  g_strfreev (run->ids);
  g_clear_pointer (&run->loop, g_main_loop_unref);
  g_clear_pointer (&run->generations, g_array_unref);
}

static void
replace_string (char       **slot,
                const char  *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

/* Named backends and the defaults live in backends.ini (md-syphus-config.h), the file the
 * window's preferences edit. Keys are never stored there: they come from MIMICDESK_API_KEY or the
 * keyring. Without --backend and --base-url, the default backend of that file is used. */
static MdSyphusBackend *
resolve_backend (SyphusRun *run)
{
  g_autofree char *path = md_syphus_config_default_path ();
  g_autoptr(MdSyphusConfig) config = NULL;
  g_autoptr(MdSyphusBackendConfig) chosen = NULL;
  g_autoptr(GError) error = NULL;
  const MdSyphusBackendConfig *found = NULL;
  MdSyphusBackend *backend;

  config = md_syphus_config_load (path, &error);
  if (config == NULL)
    {
      md_cli_printerr ("%s", error->message);
      return NULL;
    }
  if (run->backend_name != NULL)
    {
      found = md_syphus_config_find (config, run->backend_name);
      if (found == NULL)
        {
          md_cli_printerr (_("%s: expected a group [%s] with base-url and model (no such group)"),
                           path, run->backend_name);
          return NULL;
        }
    }
  else if (run->base_url == NULL)
    found = md_syphus_config_find (config, config->default_backend);

  chosen = found != NULL ? md_syphus_backend_config_copy (found)
                         : md_syphus_backend_config_new ("default", NULL, NULL,
                                                         MD_SYPHUS_BACKEND_LOCAL, NULL);
  if (run->base_url != NULL)
    replace_string (&chosen->base_url, run->base_url);
  if (run->model != NULL)
    replace_string (&chosen->model, run->model);
  if (chosen->base_url[0] == '\0' || chosen->model[0] == '\0')
    {
      md_cli_printerr (_("give --backend NAME, or --base-url URL and --model M"));
      return NULL;
    }
  if (run->concurrency <= 0)
    run->concurrency = config->concurrency;
  md_syphus_config_get_queue_settings (config, &run->settings);

  backend = md_syphus_backend_config_create (chosen, path, &error);
  if (backend == NULL)
    {
      md_cli_printerr ("%s", error->message);
      return NULL;
    }
  run->has_command = chosen->command != NULL;
  if (found != NULL)
    replace_string (&run->backend_name, chosen->name);
  return backend;
}

static void
on_plan_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The plan of the batch (md-syphus-batch.h): prompts per dataset and the exact request bodies.
 * It runs in a worker; the CLI waits for it. */
static MdSyphusPlan *
make_plan (SyphusRun                    *run,
           const MdSyphusRequestOptions *options,
           GError                      **error)
{
  g_autofree char *review_path = md_review_store_default_path (run->db_path);
  g_autoptr(MdSyphusBatch) batch = md_syphus_batch_new (run->kind, run->db_path, review_path);
  g_autoptr(GAsyncResult) result = NULL;

  md_syphus_batch_set_options (batch, options);
  md_syphus_batch_set_prompt_path (batch, run->prompt_path);
  md_syphus_batch_plan_async (batch, (const char * const *) run->ids, NULL, on_plan_done,
                              &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return md_syphus_batch_plan_finish (batch, result, error);
}

/* Which prompt file each dataset uses, and the pairs sent without source annotations. */
static void
describe_plan (const MdSyphusPlan *plan)
{
  for (guint i = 0; i < plan->choices->len; i++)
    {
      const MdSyphusPromptChoice *choice = g_ptr_array_index (plan->choices, i);

      md_cli_printerr (_("%s: prompt %s (%s)"), choice->dataset,
                       choice->path != NULL ? choice->path
                                            : md_syphus_prompt_get_name (choice->prompt),
                       md_syphus_prompt_origin_describe (choice->origin));
    }
  for (guint i = 0; i < plan->items->len; i++)
    {
      const MdSyphusPlanItem *item = g_ptr_array_index (plan->items, i);
      const MdSyphusPairInput *input;

      if (item->body == NULL)
        continue;
      input = md_syphus_input_get (item->input);
      if (input->annotations_path != NULL)
        md_cli_printerr (_("%s: query as Syphus sent it, from %s"), item->pair_id,
                         input->annotations_path);
      else if (plan->kind == MD_SYPHUS_JOB_REGENERATE)
        md_cli_printerr ("%s: %s", item->pair_id, md_syphus_request_no_annotations_note ());
    }
}

static void
on_job_retry (MdSyphusQueue *queue,
              gint64         job_id,
              guint          attempt,
              guint          delay_ms,
              const char    *message,
              SyphusRun     *run)
{
  md_cli_printerr (_("job %" G_GINT64_FORMAT ": attempt %u failed (%s); retrying in %.1f s"),
                   job_id, attempt, message, delay_ms / 1000.0);
}

static void
on_job_finished (MdSyphusQueue *queue,
                 gint64         job_id,
                 gint64         generation_id,
                 const char    *status,
                 const char    *message,
                 SyphusRun     *run)
{
  g_autoptr(MdSyphusJob) job = md_syphus_journal_get_job (md_syphus_queue_get_journal (queue),
                                                          job_id, NULL);
  guint n = run->n_ok + run->n_invalid + run->n_failed + 1;

  if (g_strcmp0 (status, "ok") == 0)
    run->n_ok++;
  else if (g_strcmp0 (status, "invalid") == 0)
    run->n_invalid++;
  else
    run->n_failed++;
  if (generation_id > 0)
    g_array_append_val (run->generations, generation_id);
  fprintf (stderr, "[%u/%u] %s %s%s%s\n", n, run->n_total, job != NULL ? job->pair_id : "?",
           status, message != NULL ? ": " : "", message != NULL ? message : "");

  if (generation_id > 0 && run->kind == MD_SYPHUS_JOB_REGENERATE)
    {
      /* Otter's prompts ask for several pairs; one replaces the pair, all are in the journal. */
      g_autoptr(MdSyphusGeneration) generation =
        md_syphus_journal_get_generation (md_syphus_queue_get_journal (queue), generation_id,
                                          NULL);
      guint n_pairs = generation != NULL ? md_syphus_qa_count_pairs (generation->parsed) : 0;

      if (n_pairs > 1)
        {
          run->n_unused_pairs += n_pairs - 1;
          fprintf (stderr, g_dngettext (GETTEXT_PACKAGE,
                                        "  %u Question/Answer pair in the reply; the first "
                                        "replaces the pair, %u is not used\n",
                                        "  %u Question/Answer pairs in the reply; the first "
                                        "replaces the pair, %u are not used\n", n_pairs - 1),
                   n_pairs, n_pairs - 1);
        }
    }
}

static void
on_accepted (MdSyphusQueue *queue,
             gint64         job_id,
             gint64         generation_id,
             const char    *message,
             SyphusRun     *run)
{
  if (message == NULL)
    {
      run->n_accepted++;
      return;
    }
  run->n_not_accepted++;
  md_cli_printerr (_("not accepted: %s"), message);
}

static void
on_finished (MdSyphusQueue *queue,
             SyphusRun     *run)
{
  g_main_loop_quit (run->loop);
}

static void
on_backend_started (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  gboolean *ok = user_data;
  g_autoptr(GError) error = NULL;

  ok[0] = md_syphus_backend_start_finish (MD_SYPHUS_BACKEND (object), result, &error);
  ok[1] = TRUE;
  if (error != NULL)
    md_cli_printerr ("%s", error->message);
}

static int
run_batch (SyphusRun *run)
{
  g_autoptr(MdSyphusPlan) plan = NULL;
  g_autoptr(MdSyphusBackend) backend = NULL;
  g_autoptr(MdSyphusJournal) journal = NULL;
  g_autoptr(MdSyphusQueue) queue = NULL;
  g_autoptr(MdStore) store = NULL;
  g_autoptr(MdReviewStore) review = NULL;
  g_autoptr(MdSyphusReviewWriter) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *default_journal = NULL;
  MdSyphusQueueSettings settings;
  MdSyphusRequestOptions options;
  guint n_rejected = 0;

  backend = resolve_backend (run);
  if (backend == NULL)
    return MD_CLI_EXIT_FAILED;

  md_syphus_request_options_init (&options, md_syphus_backend_get_model (backend));
  options.stream = !run->no_stream;
  options.vision = run->vision;
  if (run->frames >= 0)
    options.max_frames = run->frames;

  if (run->db_path == NULL)
    run->db_path = md_cli_default_db_path ();
  if ((run->ids != NULL && run->ids[0] != NULL) || run->accept)
    {
      g_autofree char *review_path = md_review_store_default_path (run->db_path);

      store = md_store_open (run->db_path, &error);
      if (store != NULL)
        review = md_review_store_open (review_path, &error);
      if (store == NULL || review == NULL)
        {
          md_cli_printerr ("%s", error->message);
          return MD_CLI_EXIT_FAILED;
        }
    }

  if (run->ids != NULL && run->ids[0] != NULL)
    {
      plan = make_plan (run, &options, &error);
      if (plan == NULL)
        {
          md_cli_printerr ("%s", error->message);
          return MD_CLI_EXIT_FAILED;
        }
      describe_plan (plan);
    }

  if (run->dry_run)
    {
      /* The exact bodies, one JSON document a line; nothing is sent or written. */
      for (guint i = 0; plan != NULL && i < plan->items->len; i++)
        {
          const MdSyphusPlanItem *item = g_ptr_array_index (plan->items, i);

          if (item->body == NULL)
            {
              md_cli_printerr ("%s", item->error->message);
              n_rejected++;
              continue;
            }
          printf ("%s\n", item->body);
        }
      return n_rejected == 0 ? MD_CLI_EXIT_OK : MD_CLI_EXIT_PARTIAL;
    }

  key = md_syphus_key_lookup (run->backend_name, run->backend_name != NULL, NULL, &error);
  if (error != NULL)
    {
      /* No keyring is not fatal: local servers need no key. */
      md_cli_printerr ("%s", error->message);
      g_clear_error (&error);
    }
  md_syphus_backend_set_api_key (backend, key);

  /* Beside the review file, where the window looks for it too. */
  if (run->journal_path == NULL)
    run->journal_path = md_syphus_journal_default_path (run->db_path);
  default_journal = g_path_get_dirname (run->journal_path);
  g_mkdir_with_parents (default_journal, 0700);
  journal = md_syphus_journal_open (run->journal_path, &error);
  if (journal == NULL)
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }

  /* An interrupted --accept run is finished by the next one: replies that arrived are applied,
   * and a request already answered is not sent (and paid for) again unless --again. */
  settings = run->settings;
  settings.reuse_replies = !run->again;
  settings.accept_on_arrival = run->accept;
  if (run->deadline_s >= 0)
    settings.deadline_ms = MIN ((guint) run->deadline_s, G_MAXUINT / 1000) * 1000;
  if (run->max_reply_size >= 0)
    settings.max_reply_bytes = run->max_reply_size;
  if (run->max_retry_wait_s >= 0)
    settings.max_retry_wait_ms = MIN ((guint) run->max_retry_wait_s, G_MAXUINT / 1000) * 1000;
  if (run->concurrency > 0)
    settings.concurrency = run->concurrency;
  if (run->timeout_s > 0)
    settings.stall_timeout_ms = run->timeout_s * 1000;
  if (run->max_attempts > 0)
    settings.max_attempts = run->max_attempts;
  if (run->max_requests > 0)
    settings.max_requests = run->max_requests;
  if (run->max_tokens > 0)
    settings.max_tokens = run->max_tokens;
  queue = md_syphus_queue_new (backend, journal, &settings);
  if (review != NULL)
    {
      writer = md_syphus_review_writer_new (review, store);
      md_syphus_review_writer_attach (writer, journal);
    }

  for (guint i = 0; plan != NULL && i < plan->items->len; i++)
    {
      const MdSyphusPlanItem *item = g_ptr_array_index (plan->items, i);

      if (item->body == NULL)
        {
          md_cli_printerr ("%s", item->error->message);
          n_rejected++;
        }
      else if (md_syphus_queue_add (queue, run->kind, item->choice->prompt,
                                    md_syphus_input_get (item->input), &options, &error) == 0)
        {
          md_cli_printerr ("%s", error->message);
          g_clear_error (&error);
          n_rejected++;
        }
    }

  g_signal_connect (queue, "accepted", G_CALLBACK (on_accepted), run);
  run->n_total = md_syphus_journal_count_jobs (journal, MD_SYPHUS_JOB_QUEUED);
  if (run->n_total == 0)
    {
      if (!md_syphus_queue_apply_accepted (queue, &error))
        md_cli_printerr ("%s", error->message);
      if (run->n_accepted > 0)
        printf (_("%u replies received before were accepted; nothing new to send\n"),
                run->n_accepted);
      else
        md_cli_printerr (_("nothing to send: give pair ids, or a journal with queued jobs"));
      return n_rejected + run->n_not_accepted > 0 || error != NULL ? MD_CLI_EXIT_FAILED
                                                                   : MD_CLI_EXIT_OK;
    }

  run->loop = g_main_loop_new (NULL, FALSE);
  if (run->has_command)
    {
      gboolean started[2] = { FALSE, FALSE };

      md_syphus_backend_start_async (backend, 120000, NULL, on_backend_started, started);
      while (!started[1])
        g_main_context_iteration (NULL, TRUE);
      if (!started[0])
        return MD_CLI_EXIT_FAILED;
    }

  fprintf (stderr, _("Sending %u jobs to %s (%s), %u at a time; journal %s\n"), run->n_total,
           md_syphus_backend_get_base_url (backend), md_syphus_backend_get_model (backend),
           settings.concurrency, run->journal_path);
  run->generations = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect (queue, "job-retry", G_CALLBACK (on_job_retry), run);
  g_signal_connect (queue, "job-finished", G_CALLBACK (on_job_finished), run);
  g_signal_connect (queue, "finished", G_CALLBACK (on_finished), run);
  if (!md_syphus_queue_start (queue, &error))
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }
  g_main_loop_run (run->loop);
  n_rejected += run->n_not_accepted;

  printf (_("%u ok, %u unusable replies, %u failed, %u not queued; %u requests, %" G_GUINT64_FORMAT
            " tokens; %u more Question/Answer pairs of the replies not used%s\n"), run->n_ok,
          run->n_invalid, run->n_failed, n_rejected,
          md_syphus_queue_get_n_requests (queue), md_syphus_queue_get_n_tokens (queue),
          run->n_unused_pairs, md_syphus_queue_get_limit_reached (queue) ? _("; budget reached, the rest stays queued")
                                                    : "");
  if (run->n_ok == 0 && (run->n_invalid + run->n_failed + n_rejected) > 0)
    return MD_CLI_EXIT_FAILED;
  return (run->n_invalid + run->n_failed + n_rejected) > 0 ? MD_CLI_EXIT_PARTIAL : MD_CLI_EXIT_OK;
}

static int
syphus_command (MdSyphusJobKind   kind,
                int               argc,
                char            **argv)
{
  SyphusRun run = { .kind = kind, .frames = -1, .deadline_s = -1, .max_reply_size = -1,
                    .max_retry_wait_s = -1 };
  g_autoptr(GOptionContext) context = NULL;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &run.db_path, N_("Index file"), N_("FILE") },
    { "journal", 0, 0, G_OPTION_ARG_FILENAME, &run.journal_path,
      N_("Journal of the batch (resumes an interrupted one)"), N_("FILE") },
    { "backend", 0, 0, G_OPTION_ARG_STRING, &run.backend_name,
      N_("Backend named in backends.ini"), N_("NAME") },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &run.base_url,
      N_("Server of an OpenAI-compatible API"), N_("URL") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &run.model, N_("Model name"), N_("M") },
    { "prompt", 0, 0, G_OPTION_ARG_FILENAME, &run.prompt_path, N_("Syphus prompt file"),
      N_("FILE") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &run.dry_run,
      N_("Print the requests as JSON and send nothing"), NULL },
    { "accept", 0, 0, G_OPTION_ARG_NONE, &run.accept,
      N_("Accept every reply that parses"), NULL },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &run.concurrency,
      N_("Requests at a time (default 4)"), N_("N") },
    { "no-stream", 0, 0, G_OPTION_ARG_NONE, &run.no_stream, N_("Ask for plain replies"), NULL },
    { "vision", 0, 0, G_OPTION_ARG_NONE, &run.vision, N_("Send the images too"), NULL },
    { "frames", 0, 0, G_OPTION_ARG_INT, &run.frames, N_("N frames sampled across a clip (default 8)"),
      N_("N") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &run.timeout_s,
      N_("Give up a request after S seconds without data (default 120)"), N_("S") },
    { "max-attempts", 0, 0, G_OPTION_ARG_INT, &run.max_attempts, N_("Attempts per job"), N_("N") },
    { "max-requests", 0, 0, G_OPTION_ARG_INT, &run.max_requests,
      N_("Stop after N requests"), N_("N") },
    { "max-tokens", 0, 0, G_OPTION_ARG_INT64, &run.max_tokens,
      N_("Stop after N tokens"), N_("N") },
    { "deadline", 0, 0, G_OPTION_ARG_INT, &run.deadline_s,
      N_("Give up a request after S seconds in all, 0 for never (default 600)"), N_("S") },
    { "max-reply-size", 0, 0, G_OPTION_ARG_INT64, &run.max_reply_size,
      N_("Refuse a reply longer than N bytes, 0 for no limit (default 8 MiB)"), N_("N") },
    { "max-retry-wait", 0, 0, G_OPTION_ARG_INT, &run.max_retry_wait_s,
      N_("Wait at most S seconds when the server asks to retry later (default 300)"), N_("S") },
    { "again", 0, 0, G_OPTION_ARG_NONE, &run.again,
      N_("Send a request again even when the journal holds its answer"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &run.ids, NULL, N_("ID…") },
    { NULL }
  };
  int status;

  context = g_option_context_new (_("[ID…]"));
  g_option_context_set_summary (context, kind == MD_SYPHUS_JOB_TRANSLATE ?
                                _("Translate pairs into the seven other languages through Syphus.") :
                                _("Generate pairs again through Syphus."));
  g_option_context_set_description (context,
                                    _("The API key comes from MIMICDESK_API_KEY or the keyring. "
                                      "Run again with the same --journal to resume a batch."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!md_cli_parse_options (context, &argc, &argv))
    {
      syphus_run_clear (&run);
      return MD_CLI_EXIT_FAILED;
    }
  status = run_batch (&run);
  syphus_run_clear (&run);
  return status;
}

int
md_cli_regenerate (int    argc,
                   char **argv)
{
  return syphus_command (MD_SYPHUS_JOB_REGENERATE, argc, argv);
}

int
md_cli_translate (int    argc,
                  char **argv)
{
  return syphus_command (MD_SYPHUS_JOB_TRANSLATE, argc, argv);
}
