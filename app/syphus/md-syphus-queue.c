/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-syphus"

#include "config.h"

#include <cJSON.h>

#include "md-error.h"
#include "md-syphus-parse.h"
#include "md-syphus-queue.h"

typedef struct _Job Job;

struct _MdSyphusQueue
{
  GObject                parent_instance;

  MdSyphusBackend       *backend;
  MdSyphusJournal       *journal;
  MdSyphusQueueSettings  settings;

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
  id = md_syphus_journal_add_job (self->journal, kind, input->dataset, input->id,
                                  md_syphus_prompt_get_name (prompt),
                                  md_syphus_backend_get_name (self->backend), options->model,
                                  body, NULL, error);
  if (id == 0)
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

static void
journal_state (MdSyphusQueue    *self,
               Job              *job,
               MdSyphusJobState  state,
               const char       *error_message)
{
  g_autoptr(GError) error = NULL;

  if (!md_syphus_journal_set_job_state (self->journal, job->record->id, state,
                                        job->record->attempts, error_message, &error))
    g_warning ("%s", error->message);
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
              g_autofree char *joined = NULL;

              g_ptr_array_add (translation->problems, NULL);
              joined = g_strjoinv ("; ", (char **) translation->problems->pdata);
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
              g_autofree char *joined = NULL;

              g_ptr_array_add (reply->problems, NULL);
              joined = g_strjoinv ("; ", (char **) reply->problems->pdata);
              error = g_error_new (MD_ERROR, MD_ERROR_PARSE, "pair %s: %s", generation->pair_id,
                                   *joined != '\0' ? joined : "no complete Question/Answer pair");
            }
        }
    }

  if (error == NULL)
    generation->status = g_strdup ("ok");
  else
    {
      generation->status = g_strdup ("invalid");
      if (!g_str_has_prefix (error->message, "pair "))
        generation->error = g_strdup_printf ("pair %s: %s", generation->pair_id, error->message);
      else
        generation->error = g_strdup (error->message);
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
      generation->status = g_strdup ("failed");
      generation->error = g_strdup_printf ("pair %s: %s", record->pair_id,
                                           response->error->message);
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
      g_warning ("%s", error->message);
      g_signal_emit (self, signals[SIGNAL_JOB_FINISHED], 0, record->id, (gint64) 0, "failed",
                     error->message);
      self->n_failed++;
      return;
    }
  if (g_strcmp0 (generation->status, "failed") == 0)
    self->n_failed++;
  else
    self->n_done++;
  g_signal_emit (self, signals[SIGNAL_JOB_FINISHED], 0, record->id, generation->id,
                 generation->status, generation->error);
}

static guint
backoff_delay (MdSyphusQueue    *self,
               guint             attempt,
               MdSyphusResponse *response)
{
  guint64 delay;

  if (response->retry_after_ms >= 0)
    return (guint) MIN (response->retry_after_ms, G_MAXUINT);

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
      guint delay = backoff_delay (self, job->record->attempts, response);

      g_debug ("job %" G_GINT64_FORMAT ": attempt %u failed, retrying in %u ms",
               job->record->id, job->record->attempts, delay);
      journal_state (self, job, MD_SYPHUS_JOB_QUEUED, response->error->message);
      /* Armed before the signal: a handler may close the queue, which frees the job. */
      job->retry_source = g_timeout_add (delay, on_retry_due, job);
      g_signal_emit (self, signals[SIGNAL_JOB_RETRY], 0, job->record->id, job->record->attempts,
                     delay, response->error->message);
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

static void
send_attempt (MdSyphusQueue *self,
              Job           *job)
{
  if (!budget_left (self))
    {
      self->limit_reached = TRUE;
      g_hash_table_remove (self->active, job);
      g_queue_push_head (&self->pending, job);
      maybe_finish (self);
      return;
    }
  job->record->attempts++;
  self->n_requests++;
  if (job->first_sent_us == 0)
    job->first_sent_us = g_get_monotonic_time ();
  journal_state (self, job, MD_SYPHUS_JOB_RUNNING, NULL);

  job->cancellable = g_cancellable_new ();
  md_syphus_backend_chat_async (self->backend, job->record->request,
                                self->settings.stall_timeout_ms, on_delta, job, job->cancellable,
                                on_chat_done, job);
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

/* Lets go of every job: in-flight requests are cancelled and their callbacks only free them. */
static void
release_jobs (MdSyphusQueue    *self,
              MdSyphusJobState  state)
{
  GHashTableIter iter;
  gpointer key;
  Job *job;

  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      job = key;
      journal_state (self, job, state, NULL);
      job->queue = NULL;
      if (job->cancellable != NULL)
        g_cancellable_cancel (job->cancellable);
      else
        job_free (job);   /* waiting to retry: nothing in flight */
      g_hash_table_iter_remove (&iter);
    }
  while ((job = g_queue_pop_head (&self->pending)) != NULL)
    {
      if (state == MD_SYPHUS_JOB_CANCELLED)
        journal_state (self, job, state, NULL);
      job_free (job);
    }
}

void
md_syphus_queue_cancel (MdSyphusQueue *self)
{
  g_return_if_fail (MD_IS_SYPHUS_QUEUE (self));

  if (self->closed)
    return;
  self->cancelled = TRUE;
  release_jobs (self, MD_SYPHUS_JOB_CANCELLED);
  maybe_finish (self);
}

void
md_syphus_queue_close (MdSyphusQueue *self)
{
  g_return_if_fail (MD_IS_SYPHUS_QUEUE (self));

  if (self->closed)
    return;
  self->closed = TRUE;
  if (self->journal != NULL)
    release_jobs (self, MD_SYPHUS_JOB_QUEUED);
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
