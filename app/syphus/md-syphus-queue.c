/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-syphus"

#include "config.h"

#include <cJSON.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "md-error.h"
#include "md-syphus-parse.h"
#include "md-syphus-queue.h"

/* Messages shown per job stay short whatever the server sent (a reply of 10,000 questions is
 * 10,000 problems). */
#define MESSAGE_MAX 600
#define PROBLEMS_SHOWN 3

typedef struct _Job Job;

struct _MdSyphusQueue
{
  GObject                parent_instance;

  MdSyphusBackend       *backend;
  MdSyphusJournal       *journal;
  MdSyphusQueueSettings  settings;
  MdSyphusChatLimits     limits;

  GQueue                 pending;    /* of Job*, not started */
  GHashTable            *active;     /* Job* set: in flight or waiting to retry */
  GHashTable            *known;      /* job ids held in memory, to load each once */
  GMainContext          *context;

  guint                  n_done;
  guint                  n_failed;
  guint                  n_requests;
  guint64                n_tokens;
  guint                  dispatch_source;
  guint                  running : 1;
  guint                  paused : 1;
  guint                  cancelled : 1;
  guint                  closed : 1;
  guint                  limit_reached : 1;
  guint                  finished_emitted : 1;
};

struct _Job
{
  MdSyphusQueue   *queue;        /* NULL once the queue let go of a job still in flight */
  MdSyphusJob     *record;
  GCancellable    *cancellable;
  guint            retry_source;
  gint64           first_sent_us;
};

enum
{
  SIGNAL_JOB_STARTED,
  SIGNAL_DELTA,
  SIGNAL_JOB_RETRY,
  SIGNAL_JOB_FINISHED,
  SIGNAL_ACCEPTED,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MdSyphusQueue, md_syphus_queue, G_TYPE_OBJECT)

static void dispatch (MdSyphusQueue *self);

void
md_syphus_queue_settings_init (MdSyphusQueueSettings *settings)
{
  g_return_if_fail (settings != NULL);

  settings->concurrency = 4;
  settings->stall_timeout_ms = 120000;
  settings->max_attempts = 5;
  settings->backoff_base_ms = 1000;
  settings->backoff_max_ms = 60000;
  settings->max_requests = 0;
  settings->max_tokens = 0;
  settings->deadline_ms = MD_SYPHUS_DEFAULT_DEADLINE_MS;
  settings->max_reply_bytes = MD_SYPHUS_DEFAULT_MAX_REPLY_BYTES;
  settings->max_retry_wait_ms = 300000;
  settings->reuse_replies = FALSE;
  settings->accept_on_arrival = FALSE;
}

/* @text cut to about MESSAGE_MAX bytes on a character boundary. */
static char *
bounded (const char *text)
{
  const char *end;

  if (text == NULL)
    return NULL;
  if (strlen (text) <= MESSAGE_MAX)
    return g_strdup (text);
  end = g_utf8_find_prev_char (text, text + MESSAGE_MAX + 1);
  return g_strdup_printf ("%.*s… (%" G_GSIZE_FORMAT " bytes in all)", (int) (end - text), text,
                          strlen (text));
}

/* The first few problems and how many there are. */
static char *
join_problems (GPtrArray *problems)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; i < problems->len && i < PROBLEMS_SHOWN; i++)
    {
      g_autofree char *one = bounded (g_ptr_array_index (problems, i));

      g_string_append_printf (joined, "%s%s", i > 0 ? "; " : "", one);
    }
  if (problems->len > PROBLEMS_SHOWN)
    g_string_append_printf (joined, "; … (%u problems in all)", problems->len);
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static void
job_free (Job *job)
{
  g_clear_handle_id (&job->retry_source, g_source_remove);
  g_clear_object (&job->cancellable);
  md_syphus_job_free (job->record);
  g_free (job);
}

static Job *
job_new (MdSyphusQueue *self,
         MdSyphusJob   *record)
{
  Job *job = g_new0 (Job, 1);

  job->queue = self;
  job->record = record;
  return job;
}

static void
md_syphus_queue_dispose (GObject *object)
{
  MdSyphusQueue *self = MD_SYPHUS_QUEUE (object);

  md_syphus_queue_close (self);
  g_clear_object (&self->backend);
  g_clear_object (&self->journal);

  G_OBJECT_CLASS (md_syphus_queue_parent_class)->dispose (object);
}

static void
md_syphus_queue_finalize (GObject *object)
{
  MdSyphusQueue *self = MD_SYPHUS_QUEUE (object);

  g_hash_table_unref (self->active);
  g_hash_table_unref (self->known);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (md_syphus_queue_parent_class)->finalize (object);
}

static void
md_syphus_queue_class_init (MdSyphusQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = md_syphus_queue_dispose;
  object_class->finalize = md_syphus_queue_finalize;

  signals[SIGNAL_JOB_STARTED] =
    g_signal_new ("job-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_UINT);
  signals[SIGNAL_DELTA] =
    g_signal_new ("delta", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  signals[SIGNAL_JOB_RETRY] =
    g_signal_new ("job-retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 4, G_TYPE_INT64, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRING);
  signals[SIGNAL_JOB_FINISHED] =
    g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 4, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_STRING,
                  G_TYPE_STRING);
  signals[SIGNAL_ACCEPTED] =
    g_signal_new ("accepted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_STRING);
  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
md_syphus_queue_init (MdSyphusQueue *self)
{
  g_queue_init (&self->pending);
  self->active = g_hash_table_new (NULL, NULL);
  self->known = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->context = g_main_context_ref_thread_default ();
}

MdSyphusQueue *
md_syphus_queue_new (MdSyphusBackend             *backend,
                     MdSyphusJournal             *journal,
                     const MdSyphusQueueSettings *settings)
{
  MdSyphusQueue *self;

  g_return_val_if_fail (MD_IS_SYPHUS_BACKEND (backend), NULL);
  g_return_val_if_fail (MD_IS_SYPHUS_JOURNAL (journal), NULL);

  self = g_object_new (MD_TYPE_SYPHUS_QUEUE, NULL);
  self->backend = g_object_ref (backend);
  self->journal = g_object_ref (journal);
  if (settings != NULL)
    self->settings = *settings;
  else
    md_syphus_queue_settings_init (&self->settings);
  self->settings.concurrency = MAX (1, self->settings.concurrency);
  self->settings.max_attempts = MAX (1, self->settings.max_attempts);
  self->limits.stall_timeout_ms = self->settings.stall_timeout_ms;
  self->limits.deadline_ms = self->settings.deadline_ms;
  self->limits.max_reply_bytes = self->settings.max_reply_bytes;
  return self;
}

MdSyphusJournal *
md_syphus_queue_get_journal (MdSyphusQueue *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_QUEUE (self), NULL);
  return self->journal;
}

static gboolean
remember (MdSyphusQueue *self,
          gint64         id)
{
  gint64 *key;

  if (g_hash_table_contains (self->known, &id))
    return FALSE;
  key = g_new (gint64, 1);
  *key = id;
  g_hash_table_add (self->known, key);
  return TRUE;
}

/* The job whose accepted regeneration the pair's current English texts are, untouched since:
 * sending them again would regenerate the regenerated. 0 when there is none. */
static gint64
find_applied (MdSyphusQueue            *self,
              MdSyphusJobKind           kind,
              const MdSyphusPairInput  *input,
              GError                  **error)
{
  g_autoptr(GPtrArray) generations = NULL;
  GError *local_error = NULL;

  if (kind != MD_SYPHUS_JOB_REGENERATE)
    return 0;
  generations = md_syphus_journal_list_generations (self->journal, input->dataset, input->id,
                                                    &local_error);
  if (generations == NULL)
    {
      g_propagate_error (error, local_error);
      return 0;
    }
  for (guint i = 0; i < generations->len; i++)
    {
      const MdSyphusGeneration *generation = g_ptr_array_index (generations, i);
      cJSON *root;
      const cJSON *first;
      gboolean same;

      if (generation->kind != kind || generation->verdict != MD_SYPHUS_VERDICT_ACCEPTED ||
          generation->parsed == NULL)
        continue;
      root = cJSON_Parse (generation->parsed);
      first = cJSON_GetArrayItem (cJSON_GetObjectItemCaseSensitive (root, "pairs"), 0);
      same = g_strcmp0 (cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (first, "question")),
                        input->instruction) == 0 &&
             g_strcmp0 (cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (first, "answer")),
                        input->answer) == 0;
      cJSON_Delete (root);
      /* Only the newest accepted one counts: an older one was replaced since. */
      return same ? generation->job_id : 0;
    }
  return 0;
}

gint64
md_syphus_queue_add (MdSyphusQueue                *self,
                     MdSyphusJobKind               kind,
                     MdSyphusPrompt               *prompt,
                     const MdSyphusPairInput      *input,
                     const MdSyphusRequestOptions *options,
                     GError                      **error)
{
  g_autofree char *body = NULL;
  MdSyphusJob *record;
  gint64 id;

  g_return_val_if_fail (MD_IS_SYPHUS_QUEUE (self), 0);
  g_return_val_if_fail (input != NULL && input->id != NULL && input->dataset != NULL, 0);

  body = md_syphus_request_build (kind, prompt, input, options, error);
  if (body == NULL)
    return 0;
  if (self->settings.reuse_replies)
    {
      GError *local_error = NULL;

      /* Asked and answered before (a rerun of the same command): nothing to pay for again. */
      id = md_syphus_journal_find_answer (self->journal, kind, input->dataset, input->id, body,
                                          &local_error);
      if (id == 0 && local_error == NULL)
        id = find_applied (self, kind, input, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return 0;
        }
      if (id > 0)
        {
          if (self->settings.accept_on_arrival &&
              !md_syphus_journal_set_job_accept (self->journal, id, TRUE, error))
            return 0;
          return id;
        }
    }
  id = md_syphus_journal_add_job (self->journal, kind, input->dataset, input->id,
                                  md_syphus_prompt_get_name (prompt),
                                  md_syphus_backend_get_name (self->backend), options->model,
                                  body, NULL, error);
  if (id == 0)
    return 0;
  if (self->settings.accept_on_arrival &&
      !md_syphus_journal_set_job_accept (self->journal, id, TRUE, error))
    return 0;

  /* A running queue takes new jobs at once; a stopped one finds them in the journal. */
  if (self->running && remember (self, id))
    {
      record = md_syphus_journal_get_job (self->journal, id, error);
      if (record == NULL)
        return 0;
      g_queue_push_tail (&self->pending, job_new (self, record));
      self->finished_emitted = FALSE;
      dispatch (self);
    }
  return id;
}

/* Accepts a stored reply of a job flagged accept-on-arrival and says so. A reply the review
 * file refuses loses the flag: it waits in the journal for a person, and is not tried again. */
static void
accept_reply (MdSyphusQueue *self,
              gint64         job_id,
              gint64         generation_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (md_syphus_journal_set_verdict (self->journal, generation_id, MD_SYPHUS_VERDICT_ACCEPTED,
                                     &error))
    {
      g_signal_emit (self, signals[SIGNAL_ACCEPTED], 0, job_id, generation_id, NULL);
      return;
    }
  message = bounded (error->message);
  g_clear_error (&error);
  if (!md_syphus_journal_set_job_accept (self->journal, job_id, FALSE, &error))
    {
      g_autofree char *both = g_strdup_printf ("%s; %s", message, error->message);

      g_signal_emit (self, signals[SIGNAL_ACCEPTED], 0, job_id, generation_id, both);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_ACCEPTED], 0, job_id, generation_id, message);
}

gboolean
md_syphus_queue_apply_accepted (MdSyphusQueue  *self,
                                GError        **error)
{
  g_autoptr(GArray) ids = md_syphus_journal_list_unapplied (self->journal, error);

  if (ids == NULL)
    return FALSE;
  for (guint i = 0; i + 1 < ids->len; i += 2)
    accept_reply (self, g_array_index (ids, gint64, i), g_array_index (ids, gint64, i + 1));
  return TRUE;
}

static void
run (MdSyphusQueue *self)
{
  self->running = TRUE;
  self->cancelled = FALSE;
  self->finished_emitted = FALSE;
  dispatch (self);
}

gboolean
md_syphus_queue_start (MdSyphusQueue  *self,
                       GError        **error)
{
  g_autoptr(GPtrArray) jobs = NULL;

  g_return_val_if_fail (MD_IS_SYPHUS_QUEUE (self), FALSE);
  g_return_val_if_fail (!self->closed, FALSE);

  if (!md_syphus_queue_apply_accepted (self, error))
    return FALSE;
  jobs = md_syphus_journal_list_jobs (self->journal, MD_SYPHUS_JOB_QUEUED, error);
  if (jobs == NULL)
    return FALSE;
  for (guint i = 0; i < jobs->len; i++)
    {
      MdSyphusJob *record = g_ptr_array_index (jobs, i);

      if (remember (self, record->id))
        g_queue_push_tail (&self->pending, job_new (self, g_steal_pointer (&jobs->pdata[i])));
    }
  g_ptr_array_set_free_func (jobs, NULL);
  for (guint i = 0; i < jobs->len; i++)
    md_syphus_job_free (g_ptr_array_index (jobs, i));

  run (self);
  return TRUE;
}

gboolean
md_syphus_queue_start_jobs (MdSyphusQueue  *self,
                            const gint64   *job_ids,
                            guint           n_jobs,
                            GError        **error)
{
  g_return_val_if_fail (MD_IS_SYPHUS_QUEUE (self), FALSE);
  g_return_val_if_fail (!self->closed, FALSE);
  g_return_val_if_fail (job_ids != NULL || n_jobs == 0, FALSE);

  for (guint i = 0; i < n_jobs; i++)
    {
      MdSyphusJob *record = md_syphus_journal_get_job (self->journal, job_ids[i], error);

      if (record == NULL)
        return FALSE;
      if (record->state != MD_SYPHUS_JOB_QUEUED || !remember (self, record->id))
        {
          md_syphus_job_free (record);
          continue;
        }
      g_queue_push_tail (&self->pending, job_new (self, record));
    }

  run (self);
  return TRUE;
}

static void
maybe_finish (MdSyphusQueue *self)
{
  gboolean stuck = self->limit_reached || self->cancelled;

  if (self->finished_emitted || !self->running || self->paused)
    return;
  if (g_hash_table_size (self->active) > 0)
    return;
  if (self->pending.length > 0 && !stuck)
    return;
  self->finished_emitted = TRUE;
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

static gboolean
journal_state (MdSyphusQueue    *self,
               Job              *job,
               MdSyphusJobState  state,
               const char       *error_message,
               GError          **error)
{
  return md_syphus_journal_set_job_state (self->journal, job->record->id, state,
                                          job->record->attempts, error_message, error);
}

/* A job the journal could not record ends visibly, as failed: what is not journaled could be
 * lost or paid for twice. */
static void
fail_unrecorded (MdSyphusQueue *self,
                 Job           *job,
                 const GError  *error)
{
  g_autofree char *message = NULL;
  g_autofree char *cut = bounded (error->message);

  message = g_strdup_printf ("pair %s: the journal could not record the job, so it stops: %s",
                             job->record->pair_id, cut);
  self->n_failed++;
  g_signal_emit (self, signals[SIGNAL_JOB_FINISHED], 0, job->record->id, (gint64) 0, "failed",
                 message);
}

static char *
params_from_request (const char *request)
{
  cJSON *root = cJSON_Parse (request);
  cJSON *params = cJSON_CreateObject ();
  static const char *keys[] = { "temperature", "max_tokens", "top_p", "stream" };
  char *printed;
  char *copy;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      cJSON *value = cJSON_GetObjectItemCaseSensitive (root, keys[i]);

      if (value != NULL)
        cJSON_AddItemToObject (params, keys[i], cJSON_Duplicate (value, TRUE));
    }
  cJSON_Delete (root);
  printed = cJSON_PrintUnformatted (params);
  cJSON_Delete (params);
  copy = g_strdup (printed);
  cJSON_free (printed);
  return copy;
}

/* Fills the parsed result and status of a reply. */
static void
parse_reply (MdSyphusGeneration *generation)
{
  g_autoptr(GError) error = NULL;

  if (generation->kind == MD_SYPHUS_JOB_TRANSLATE)
    {
      g_autoptr(MdSyphusTranslation) translation = NULL;

      translation = md_syphus_parse_translation (generation->raw_reply, &error);
      if (translation != NULL)
        {
          generation->parsed = md_syphus_translation_to_json (translation);
          if (translation->problems->len > 0)
            {
              g_autofree char *joined = join_problems (translation->problems);

              error = g_error_new (MD_ERROR, MD_ERROR_PARSE, "pair %s: translation incomplete: %s",
                                   generation->pair_id, joined);
            }
        }
    }
  else
    {
      g_autoptr(MdSyphusQaReply) reply = NULL;

      reply = md_syphus_parse_qa (generation->raw_reply, &error);
      if (reply != NULL)
        {
          generation->parsed = md_syphus_qa_reply_to_json (reply);
          if (reply->problems->len > 0 || reply->pairs->len == 0)
            {
              g_autofree char *joined = join_problems (reply->problems);

              error = g_error_new (MD_ERROR, MD_ERROR_PARSE, "pair %s: %s", generation->pair_id,
                                   *joined != '\0' ? joined : "no complete Question/Answer pair");
            }
        }
    }

  if (error == NULL)
    generation->status = g_strdup ("ok");
  else
    {
      g_autofree char *cut = bounded (error->message);

      generation->status = g_strdup ("invalid");
      if (!g_str_has_prefix (cut, "pair "))
        generation->error = g_strdup_printf ("pair %s: %s", generation->pair_id, cut);
      else
        generation->error = g_steal_pointer (&cut);
    }
}

static void
record_generation (MdSyphusQueue    *self,
                   Job              *job,
                   MdSyphusResponse *response)
{
  g_autoptr(MdSyphusGeneration) generation = g_new0 (MdSyphusGeneration, 1);
  g_autoptr(GError) error = NULL;
  MdSyphusJob *record = job->record;

  generation->job_id = record->id;
  generation->kind = record->kind;
  generation->dataset = g_strdup (record->dataset);
  generation->pair_id = g_strdup (record->pair_id);
  generation->prompt = g_strdup (record->prompt);
  generation->backend = g_strdup (record->backend);
  generation->model = g_strdup (record->model);
  generation->request = g_strdup (record->request);
  generation->params = params_from_request (record->request);
  generation->attempts = record->attempts;
  generation->prompt_tokens = response->prompt_tokens;
  generation->completion_tokens = response->completion_tokens;
  generation->latency_ms = response->latency_us / 1000;

  if (response->error != NULL)
    {
      g_autofree char *cut = bounded (response->error->message);

      generation->status = g_strdup ("failed");
      generation->error = g_strdup_printf ("pair %s: %s", record->pair_id, cut);
      generation->raw_reply = md_syphus_backend_redact (self->backend, response->text);
    }
  else
    {
      /* A server that echoes the request could put the key in its reply. */
      generation->raw_reply = md_syphus_backend_redact (self->backend, response->text);
      parse_reply (generation);
    }

  if (response->prompt_tokens >= 0 || response->completion_tokens >= 0)
    self->n_tokens += MAX (response->prompt_tokens, 0) + MAX (response->completion_tokens, 0);
  else if (response->text != NULL)
    /* No usage from the server: count roughly four characters a token so that a token budget
     * still holds. */
    self->n_tokens += (strlen (record->request) + strlen (response->text)) / 4;

  if (!md_syphus_journal_finish_job (self->journal, generation, &error))
    {
      /* The job stays unfinished in the journal: the next run sends it again. */
      g_autofree char *cut = bounded (error->message);
      g_autofree char *message = g_strdup_printf ("pair %s: the reply could not be stored in the "
                                                  "journal: %s", record->pair_id, cut);

      self->n_failed++;
      g_signal_emit (self, signals[SIGNAL_JOB_FINISHED], 0, record->id, (gint64) 0, "failed",
                     message);
      return;
    }
  if (g_strcmp0 (generation->status, "failed") == 0)
    self->n_failed++;
  else
    self->n_done++;
  if (record->accept && g_strcmp0 (generation->status, "ok") == 0)
    accept_reply (self, record->id, generation->id);
  g_signal_emit (self, signals[SIGNAL_JOB_FINISHED], 0, record->id, generation->id,
                 generation->status, generation->error);
}

static char *
format_wait (gint64 ms)
{
  if (ms < 120 * 1000)
    return g_strdup_printf ("%.1f s", ms / 1000.0);
  if (ms < (gint64) 120 * 60 * 1000)
    return g_strdup_printf ("%.1f min", ms / 60000.0);
  if (ms < (gint64) 48 * 3600 * 1000)
    return g_strdup_printf ("%.1f h", ms / 3600000.0);
  return g_strdup_printf ("%.1f days", ms / 86400000.0);
}

/* The wait before the next attempt. A Retry-After (seconds or an HTTP date, whatever it says) is
 * honoured up to max_retry_wait_ms; @capped says when it asked for more. */
static guint
backoff_delay (MdSyphusQueue    *self,
               guint             attempt,
               MdSyphusResponse *response,
               gboolean         *capped)
{
  guint64 delay;

  *capped = FALSE;
  if (response->retry_after_ms >= 0)
    {
      *capped = response->retry_after_ms > self->settings.max_retry_wait_ms;
      return (guint) MIN (response->retry_after_ms, self->settings.max_retry_wait_ms);
    }

  /* base * 2^(attempt-1), plus up to one base of jitter so that a fleet of clients that failed
   * together does not come back together. */
  delay = (guint64) self->settings.backoff_base_ms << MIN (attempt - 1, 20);
  delay = MIN (delay, self->settings.backoff_max_ms);
  delay += g_random_int_range (0, MAX (self->settings.backoff_base_ms, 1) + 1);
  return (guint) MIN (delay, G_MAXUINT);
}

static void send_attempt (MdSyphusQueue *self, Job *job);

static gboolean
on_retry_due (gpointer user_data)
{
  Job *job = user_data;
  MdSyphusQueue *self = job->queue;

  job->retry_source = 0;
  if (self->paused || self->limit_reached)
    {
      /* Give the slot back; the job waits with the others. */
      g_hash_table_remove (self->active, job);
      g_queue_push_head (&self->pending, job);
      maybe_finish (self);
      return G_SOURCE_REMOVE;
    }
  send_attempt (self, job);
  return G_SOURCE_REMOVE;
}

static void
end_job (MdSyphusQueue *self,
         Job           *job)
{
  g_hash_table_remove (self->active, job);
  job_free (job);
  dispatch (self);
  maybe_finish (self);
}

static void
on_chat_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Job *job = user_data;
  MdSyphusQueue *self = job->queue;
  g_autoptr(MdSyphusResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = md_syphus_backend_chat_finish (MD_SYPHUS_BACKEND (object), result, &error);
  if (self == NULL)
    {
      /* The queue was closed or cancelled while this was in flight; it already decided. */
      job_free (job);
      return;
    }
  g_clear_object (&job->cancellable);

  if (response == NULL)
    {
      /* Cancelled by the queue without closing: cancel() handles the journal. */
      end_job (self, job);
      return;
    }

  if (response->error != NULL && response->retryable &&
      job->record->attempts < self->settings.max_attempts)
    {
      gboolean capped;
      guint delay = backoff_delay (self, job->record->attempts, response, &capped);
      g_autofree char *message = bounded (response->error->message);

      g_debug ("job %" G_GINT64_FORMAT ": attempt %u failed, retrying in %u ms",
               job->record->id, job->record->attempts, delay);
      if (!journal_state (self, job, MD_SYPHUS_JOB_QUEUED, message, &error))
        {
          g_hash_table_remove (self->active, job);
          fail_unrecorded (self, job, error);
          end_job (self, job);
          return;
        }
      if (capped)
        {
          g_autofree char *asked = format_wait (response->retry_after_ms);
          g_autofree char *waiting = format_wait (delay);
          char *longer = g_strdup_printf (_("%s; the server asked to wait %s (Retry-After), "
                                            "waiting %s instead"), message, asked, waiting);

          g_free (message);
          message = longer;
        }
      /* Armed before the signal: a handler may close the queue, which frees the job. */
      job->retry_source = g_timeout_add (delay, on_retry_due, job);
      g_signal_emit (self, signals[SIGNAL_JOB_RETRY], 0, job->record->id, job->record->attempts,
                     delay, message);
      return;
    }

  /* Out of the active set before "job-finished", whose handlers may close the queue. */
  g_hash_table_remove (self->active, job);
  record_generation (self, job, response);
  end_job (self, job);
}

static void
on_delta (const char *text,
          gpointer    user_data)
{
  Job *job = user_data;

  if (job->queue != NULL)
    g_signal_emit (job->queue, signals[SIGNAL_DELTA], 0, job->record->id, text);
}

static gboolean
budget_left (MdSyphusQueue *self)
{
  if (self->settings.max_requests > 0 && self->n_requests >= self->settings.max_requests)
    return FALSE;
  if (self->settings.max_tokens > 0 && self->n_tokens >= self->settings.max_tokens)
    return FALSE;
  return TRUE;
}

static gboolean
on_unrecorded (gpointer user_data)
{
  Job *job = user_data;
  MdSyphusQueue *self = job->queue;
  g_autoptr(GError) error = NULL;

  job->retry_source = 0;
  g_set_error (&error, MD_ERROR, MD_ERROR_DATABASE, "%s", job->record->last_error);
  g_hash_table_remove (self->active, job);
  fail_unrecorded (self, job, error);
  end_job (self, job);
  return G_SOURCE_REMOVE;
}

static void
send_attempt (MdSyphusQueue *self,
              Job           *job)
{
  g_autoptr(GError) error = NULL;

  if (!budget_left (self))
    {
      self->limit_reached = TRUE;
      g_hash_table_remove (self->active, job);
      g_queue_push_head (&self->pending, job);
      maybe_finish (self);
      return;
    }
  if (!journal_state (self, job, MD_SYPHUS_JOB_RUNNING, NULL, &error))
    {
      /* Nothing is sent; the failure is reported from the main loop, as a reply would be, so
       * that a caller still starting the run sees it. */
      g_free (job->record->last_error);
      job->record->last_error = g_strdup (error->message);
      job->retry_source = g_idle_add (on_unrecorded, job);
      return;
    }
  job->record->attempts++;
  self->n_requests++;
  if (job->first_sent_us == 0)
    job->first_sent_us = g_get_monotonic_time ();

  job->cancellable = g_cancellable_new ();
  md_syphus_backend_chat_async (self->backend, job->record->request, &self->limits, on_delta,
                                job, job->cancellable, on_chat_done, job);
  g_signal_emit (self, signals[SIGNAL_JOB_STARTED], 0, job->record->id, job->record->attempts);
}

static void
dispatch (MdSyphusQueue *self)
{
  if (!self->running || self->paused || self->cancelled || self->closed)
    return;
  while (self->pending.length > 0 &&
         g_hash_table_size (self->active) < self->settings.concurrency)
    {
      Job *job;

      if (!budget_left (self))
        {
          self->limit_reached = TRUE;
          break;
        }
      job = g_queue_pop_head (&self->pending);
      g_hash_table_add (self->active, job);
      send_attempt (self, job);
    }
}

void
md_syphus_queue_pause (MdSyphusQueue *self)
{
  g_return_if_fail (MD_IS_SYPHUS_QUEUE (self));
  self->paused = TRUE;
}

void
md_syphus_queue_resume (MdSyphusQueue *self)
{
  g_return_if_fail (MD_IS_SYPHUS_QUEUE (self));

  if (!self->paused)
    return;
  self->paused = FALSE;
  dispatch (self);
  maybe_finish (self);
}

gboolean
md_syphus_queue_is_paused (MdSyphusQueue *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_QUEUE (self), FALSE);
  return self->paused;
}

static void
note_release_error (GPtrArray *failures,
                    Job       *job,
                    GError    *error)
{
  if (error != NULL)
    g_ptr_array_add (failures, g_strdup_printf ("%" G_GINT64_FORMAT "\t%s", job->record->id,
                                                error->message));
  g_clear_error (&error);
}

/* Lets go of every job: in-flight requests are cancelled and their callbacks only free them.
 * Returns the journal writes that failed ("job id\tmessage"). */
static GPtrArray *
release_jobs (MdSyphusQueue    *self,
              MdSyphusJobState  state)
{
  GPtrArray *failures = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;
  Job *job;

  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      GError *error = NULL;

      job = key;
      journal_state (self, job, state, NULL, &error);
      note_release_error (failures, job, error);
      job->queue = NULL;
      if (job->cancellable != NULL)
        g_cancellable_cancel (job->cancellable);
      else
        job_free (job);   /* waiting to retry: nothing in flight */
      g_hash_table_iter_remove (&iter);
    }
  while ((job = g_queue_pop_head (&self->pending)) != NULL)
    {
      GError *error = NULL;

      if (state == MD_SYPHUS_JOB_CANCELLED)
        journal_state (self, job, state, NULL, &error);
      note_release_error (failures, job, error);
      job_free (job);
    }
  return failures;
}

void
md_syphus_queue_cancel (MdSyphusQueue *self)
{
  g_autoptr(GPtrArray) failures = NULL;

  g_return_if_fail (MD_IS_SYPHUS_QUEUE (self));

  if (self->closed)
    return;
  self->cancelled = TRUE;
  failures = release_jobs (self, MD_SYPHUS_JOB_CANCELLED);
  /* A cancel the journal did not take would send the job again next run: say so. */
  for (guint i = 0; i < failures->len; i++)
    {
      const char *line = g_ptr_array_index (failures, i);
      g_autofree char *cut = bounded (strchr (line, '\t') + 1);
      g_autofree char *message = g_strdup_printf ("the journal could not record the cancel: %s",
                                                  cut);

      self->n_failed++;
      g_signal_emit (self, signals[SIGNAL_JOB_FINISHED], 0, g_ascii_strtoll (line, NULL, 10),
                     (gint64) 0, "failed", message);
    }
  maybe_finish (self);
}

void
md_syphus_queue_close (MdSyphusQueue *self)
{
  g_return_if_fail (MD_IS_SYPHUS_QUEUE (self));

  if (self->closed)
    return;
  self->closed = TRUE;
  /* A job the journal could not put back stays "running" there, which the next open queues
   * again: nothing is lost, and no one is left to tell. */
  if (self->journal != NULL)
    g_ptr_array_unref (release_jobs (self, MD_SYPHUS_JOB_QUEUED));
  self->running = FALSE;
}

guint
md_syphus_queue_get_n_pending (MdSyphusQueue *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_QUEUE (self), 0);
  return self->pending.length;
}

guint
md_syphus_queue_get_n_active (MdSyphusQueue *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_QUEUE (self), 0);
  return g_hash_table_size (self->active);
}

guint
md_syphus_queue_get_n_done (MdSyphusQueue *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_QUEUE (self), 0);
  return self->n_done;
}

guint
md_syphus_queue_get_n_failed (MdSyphusQueue *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_QUEUE (self), 0);
  return self->n_failed;
}

guint
md_syphus_queue_get_n_requests (MdSyphusQueue *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_QUEUE (self), 0);
  return self->n_requests;
}

guint64
md_syphus_queue_get_n_tokens (MdSyphusQueue *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_QUEUE (self), 0);
  return self->n_tokens;
}

gboolean
md_syphus_queue_get_limit_reached (MdSyphusQueue *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_QUEUE (self), FALSE);
  return self->limit_reached;
}
