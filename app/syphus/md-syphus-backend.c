/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-syphus"

#include "config.h"

#include <cJSON.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "md-error.h"
#include "md-syphus.h"
#include "md-syphus-backend.h"
#include "md-syphus-key.h"

#define READ_CHUNK 16384
#define ERROR_BODY_MAX 400
#define RETRY_AFTER_MAX_S ((gint64) 10 * 365 * 24 * 3600)

struct _MdSyphusBackend
{
  GObject              parent_instance;

  char                *name;
  char                *base_url;     /* without a trailing slash */
  char                *model;
  MdSyphusBackendKind  kind;
  char                *api_key;
  GStrv                command;
  GSubprocess         *server;
  SoupSession         *session;
};

G_DEFINE_FINAL_TYPE (MdSyphusBackend, md_syphus_backend, G_TYPE_OBJECT)

void
md_syphus_response_free (MdSyphusResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->text);
  g_free (response->finish_reason);
  g_clear_error (&response->error);
  g_free (response);
}

static void
md_syphus_backend_dispose (GObject *object)
{
  MdSyphusBackend *self = MD_SYPHUS_BACKEND (object);

  md_syphus_backend_stop (self);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (md_syphus_backend_parent_class)->dispose (object);
}

static void
md_syphus_backend_finalize (GObject *object)
{
  MdSyphusBackend *self = MD_SYPHUS_BACKEND (object);

  g_free (self->name);
  g_free (self->base_url);
  g_free (self->model);
  if (self->api_key != NULL)
    {
      /* Do not leave the key in freed heap memory. */
      memset (self->api_key, 0, strlen (self->api_key));
      g_free (self->api_key);
    }
  g_strfreev (self->command);

  G_OBJECT_CLASS (md_syphus_backend_parent_class)->finalize (object);
}

static void
md_syphus_backend_class_init (MdSyphusBackendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = md_syphus_backend_dispose;
  object_class->finalize = md_syphus_backend_finalize;
}

static void
md_syphus_backend_init (MdSyphusBackend *self)
{
  /* No SoupLogger is ever attached: it would print the Authorization header. The I/O timeout
   * is handled per request by the stall timer, so the session's own stays off. */
  self->session = soup_session_new_with_options ("user-agent", md_syphus_user_agent (),
                                                 "max-conns", 64,
                                                 "max-conns-per-host", 32,
                                                 NULL);
}

MdSyphusBackend *
md_syphus_backend_new (const char          *name,
                       const char          *base_url,
                       const char          *model,
                       MdSyphusBackendKind  kind)
{
  MdSyphusBackend *self;
  gsize len;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (base_url != NULL, NULL);

  self = g_object_new (MD_TYPE_SYPHUS_BACKEND, NULL);
  self->name = g_strdup (name);
  self->base_url = g_strdup (base_url);
  len = strlen (self->base_url);
  while (len > 0 && self->base_url[len - 1] == '/')
    self->base_url[--len] = '\0';
  /* Users paste either the server root or the ".../v1" URL their server prints. */
  if (g_str_has_suffix (self->base_url, "/v1"))
    self->base_url[len - 3] = '\0';
  self->model = g_strdup (model);
  self->kind = kind;
  return self;
}

const char *
md_syphus_backend_get_name (MdSyphusBackend *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_BACKEND (self), NULL);
  return self->name;
}

const char *
md_syphus_backend_get_base_url (MdSyphusBackend *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_BACKEND (self), NULL);
  return self->base_url;
}

const char *
md_syphus_backend_get_model (MdSyphusBackend *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_BACKEND (self), NULL);
  return self->model;
}

MdSyphusBackendKind
md_syphus_backend_get_kind (MdSyphusBackend *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_BACKEND (self), MD_SYPHUS_BACKEND_HOSTED);
  return self->kind;
}

void
md_syphus_backend_set_api_key (MdSyphusBackend *self,
                               const char      *key)
{
  g_return_if_fail (MD_IS_SYPHUS_BACKEND (self));

  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_clear_pointer (&self->api_key, g_free);
  if (key != NULL && *key != '\0')
    self->api_key = g_strdup (key);
}

gboolean
md_syphus_backend_has_api_key (MdSyphusBackend *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_BACKEND (self), FALSE);
  return self->api_key != NULL;
}

char *
md_syphus_backend_redact (MdSyphusBackend *self,
                          const char      *text)
{
  g_return_val_if_fail (MD_IS_SYPHUS_BACKEND (self), NULL);
  return md_syphus_redact (text, self->api_key);
}

static SoupMessage *
new_message (MdSyphusBackend  *self,
             const char       *method,
             const char       *path,
             GError          **error)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  SoupMessage *message = soup_message_new (method, url);

  if (message == NULL)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                   "backend “%s”: “%s” is not a valid http(s) URL", self->name, self->base_url);
      return NULL;
    }
  if (self->api_key != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->api_key, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", value);
    }
  return message;
}

/* Chat requests */

typedef struct
{
  MdSyphusBackend   *backend;
  SoupMessage       *message;
  GInputStream      *stream;
  GByteArray        *body;             /* a plain reply, or the unfinished line of a stream */
  gboolean           sse;
  gboolean           after_cr;         /* the last line ended in CR: skip a LF that follows */
  gsize              scanned;          /* bytes of the unfinished line known to hold no newline */
  gsize              received;         /* bytes of the reply so far */
  GString           *content;
  MdSyphusRedactor  *redactor;         /* for the streamed text handed to delta_func */
  GCancellable      *io_cancellable;   /* cancelled by the caller or by the timers */
  GCancellable      *caller_cancellable;
  gulong             cancel_handler;
  GSource           *stall_source;
  GSource           *deadline_source;
  MdSyphusChatLimits limits;
  gint64             last_activity_us;
  gint64             started_us;
  gboolean           timed_out;
  gboolean           deadline_passed;
  gboolean           saw_done;
  MdSyphusDeltaFunc  delta_func;
  gpointer           delta_data;
  MdSyphusResponse  *response;
} ChatState;

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
chat_state_free (ChatState *state)
{
  destroy_source (&state->stall_source);
  destroy_source (&state->deadline_source);
  if (state->caller_cancellable != NULL)
    g_cancellable_disconnect (state->caller_cancellable, state->cancel_handler);
  g_clear_object (&state->caller_cancellable);
  g_clear_object (&state->io_cancellable);
  g_clear_object (&state->stream);
  g_clear_object (&state->message);
  g_clear_pointer (&state->body, g_byte_array_unref);
  if (state->content != NULL)
    g_string_free (state->content, TRUE);
  md_syphus_redactor_free (state->redactor);
  md_syphus_response_free (state->response);
  g_clear_object (&state->backend);
  g_free (state);
}

static void arm_stall_timer (ChatState *state, guint delay_ms);

static gboolean
on_stall_timeout (gpointer user_data)
{
  ChatState *state = user_data;
  gint64 idle_ms = (g_get_monotonic_time () - state->last_activity_us) / 1000;

  g_clear_pointer (&state->stall_source, g_source_unref);
  if (idle_ms + 1 < state->limits.stall_timeout_ms)
    {
      arm_stall_timer (state, state->limits.stall_timeout_ms - idle_ms);
      return G_SOURCE_REMOVE;
    }
  state->timed_out = TRUE;
  g_cancellable_cancel (state->io_cancellable);
  return G_SOURCE_REMOVE;
}

static void
arm_stall_timer (ChatState *state,
                 guint      delay_ms)
{
  if (state->limits.stall_timeout_ms == 0)
    return;
  state->stall_source = g_timeout_source_new (delay_ms);
  g_source_set_callback (state->stall_source, on_stall_timeout, state, NULL);
  g_source_set_static_name (state->stall_source, "[md-syphus] stall timer");
  g_source_attach (state->stall_source, g_main_context_get_thread_default ());
}

static gboolean
on_deadline (gpointer user_data)
{
  ChatState *state = user_data;

  g_clear_pointer (&state->deadline_source, g_source_unref);
  state->deadline_passed = TRUE;
  g_cancellable_cancel (state->io_cancellable);
  return G_SOURCE_REMOVE;
}

/* The total deadline: unlike the stall timer, data does not push it back, so a stream that never
 * ends (or sends only comments) ends here. */
static void
arm_deadline (ChatState *state)
{
  if (state->limits.deadline_ms == 0)
    return;
  state->deadline_source = g_timeout_source_new (state->limits.deadline_ms);
  g_source_set_callback (state->deadline_source, on_deadline, state, NULL);
  g_source_set_static_name (state->deadline_source, "[md-syphus] request deadline");
  g_source_attach (state->deadline_source, g_main_context_get_thread_default ());
}

static void
touch (ChatState *state)
{
  state->last_activity_us = g_get_monotonic_time ();
}

static void
on_caller_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  GCancellable *io_cancellable = user_data;

  g_cancellable_cancel (io_cancellable);
}

/* Parses Retry-After as delta-seconds or as an HTTP date: the wait the server asks for, in ms
 * (at most ten years, so that it fits; the queue caps what it honours). */
static gint64
parse_retry_after (const char *value)
{
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;
  char *end = NULL;
  gint64 seconds;

  if (value == NULL)
    return -1;
  while (g_ascii_isspace (*value))
    value++;
  seconds = g_ascii_strtoll (value, &end, 10);
  if (end != value && (*end == '\0' || g_ascii_isspace (*end)))
    return CLAMP (seconds, 0, RETRY_AFTER_MAX_S) * 1000;

  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  return CLAMP (g_date_time_difference (date, now) / 1000, 0, RETRY_AFTER_MAX_S * 1000);
}

static void
chat_complete (GTask *task)
{
  ChatState *state = g_task_get_task_data (task);
  MdSyphusResponse *response = state->response;

  response->latency_us = g_get_monotonic_time () - state->started_us;
  if (response->error == NULL)
    response->text = g_strdup (state->content->str);
  if (response->error == NULL && state->delta_func != NULL && state->redactor != NULL)
    {
      g_autofree char *rest = md_syphus_redactor_finish (state->redactor);

      if (*rest != '\0')
        state->delta_func (rest, state->delta_data);
    }
  g_debug ("backend %s: HTTP %u after %" G_GINT64_FORMAT " ms%s", state->backend->name,
           response->status, response->latency_us / 1000, response->error != NULL ? " (failed)" : "");
  g_task_return_pointer (task, g_steal_pointer (&state->response),
                         (GDestroyNotify) md_syphus_response_free);
  g_object_unref (task);
}

/* Ends the attempt with an error, classified for the retry policy. */
static void
chat_fail (GTask        *task,
           GError       *error,
           gboolean      retryable)
{
  ChatState *state = g_task_get_task_data (task);
  g_autofree char *message = NULL;

  if (state->deadline_passed)
    {
      /* Not retried: the next attempt would only pay for the same wait again. */
      g_clear_error (&error);
      g_set_error (&error, MD_ERROR, MD_ERROR_IO,
                   "backend “%s”: no complete reply within %.1f s (the request deadline; "
                   "%" G_GSIZE_FORMAT " bytes received)", state->backend->name,
                   state->limits.deadline_ms / 1000.0, state->received);
      retryable = FALSE;
    }
  else if (state->timed_out)
    {
      g_clear_error (&error);
      g_set_error (&error, MD_ERROR, MD_ERROR_IO,
                   "backend “%s”: no data for %u ms (request timed out)", state->backend->name,
                   state->limits.stall_timeout_ms);
      retryable = TRUE;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  message = md_syphus_redact (error->message, state->backend->api_key);
  if (error->domain == MD_ERROR)
    state->response->error = g_error_new_literal (MD_ERROR, error->code, message);
  else
    state->response->error = g_error_new (MD_ERROR, MD_ERROR_IO, "backend “%s”: %s",
                                          state->backend->name, message);
  state->response->retryable = retryable;
  g_error_free (error);
  chat_complete (task);
}

static void
read_usage (ChatState   *state,
            const cJSON *root)
{
  const cJSON *usage = cJSON_GetObjectItemCaseSensitive (root, "usage");
  const cJSON *prompt;
  const cJSON *completion;

  if (!cJSON_IsObject (usage))
    return;
  prompt = cJSON_GetObjectItemCaseSensitive (usage, "prompt_tokens");
  completion = cJSON_GetObjectItemCaseSensitive (usage, "completion_tokens");
  /* A server may send anything: only counts a gint64 can hold are taken (NaN fails too). */
  if (cJSON_IsNumber (prompt) && prompt->valuedouble >= 0 && prompt->valuedouble < 9.2e18)
    state->response->prompt_tokens = (gint64) prompt->valuedouble;
  if (cJSON_IsNumber (completion) && completion->valuedouble >= 0 &&
      completion->valuedouble < 9.2e18)
    state->response->completion_tokens = (gint64) completion->valuedouble;
}

static void
read_finish_reason (ChatState   *state,
                    const cJSON *choice)
{
  const cJSON *reason = cJSON_GetObjectItemCaseSensitive (choice, "finish_reason");

  if (cJSON_IsString (reason))
    {
      g_free (state->response->finish_reason);
      state->response->finish_reason = g_strdup (reason->valuestring);
    }
}

/* A bounded, key-free excerpt of what the server said: redacted whole first, so that the cut
 * can never leave half a secret, then cut on a character boundary. */
static char *
excerpt (ChatState  *state,
         const char *text,
         gsize       len)
{
  g_autofree char *valid = NULL;
  g_autofree char *redacted = NULL;
  const char *end;

  if (text == NULL || len == 0)
    return g_strdup ("(empty body)");
  valid = g_utf8_make_valid (text, len);
  redacted = md_syphus_redact (valid, state->backend->api_key);
  if (strlen (redacted) <= ERROR_BODY_MAX)
    return g_steal_pointer (&redacted);
  end = g_utf8_find_prev_char (redacted, redacted + ERROR_BODY_MAX + 1);
  return g_strdup_printf ("%.*s… (%" G_GSIZE_FORMAT " bytes in all)", (int) (end - redacted),
                          redacted, strlen (redacted));
}

/* An "error" member in a 200 reply or a stream event: servers report overload this way too. */
static GError *
error_from_json (ChatState   *state,
                 const cJSON *root)
{
  const cJSON *error = cJSON_GetObjectItemCaseSensitive (root, "error");
  const cJSON *message;
  g_autofree char *text = NULL;

  if (error == NULL || cJSON_IsNull (error))
    return NULL;
  message = cJSON_IsObject (error) ? cJSON_GetObjectItemCaseSensitive (error, "message") : error;
  text = cJSON_IsString (message) ? excerpt (state, message->valuestring,
                                             strlen (message->valuestring))
                                  : g_strdup ("(no message)");
  return g_error_new (MD_ERROR, MD_ERROR_FAILED, "backend “%s”: the server reported an error: %s",
                      state->backend->name, text);
}

static void
finish_plain (GTask *task)
{
  ChatState *state = g_task_get_task_data (task);
  const cJSON *choices;
  const cJSON *choice;
  const cJSON *message;
  const cJSON *content;
  GError *error;
  cJSON *root;

  root = cJSON_ParseWithLength ((const char *) state->body->data, state->body->len);
  if (root == NULL)
    {
      /* Keep what the server said: it is the only clue to what went wrong. */
      state->response->text = g_utf8_make_valid (state->body->len > 0
                                                 ? (const char *) state->body->data : "",
                                                 state->body->len);
      chat_fail (task, g_error_new (MD_ERROR, MD_ERROR_PARSE,
                                    "backend “%s”: reply of %u bytes is not JSON "
                                    "(expected a chat.completion object)",
                                    state->backend->name, state->body->len), FALSE);
      return;
    }
  if ((error = error_from_json (state, root)) != NULL)
    {
      cJSON_Delete (root);
      chat_fail (task, error, TRUE);
      return;
    }
  read_usage (state, root);
  choices = cJSON_GetObjectItemCaseSensitive (root, "choices");
  choice = cJSON_GetArrayItem (choices, 0);
  message = cJSON_GetObjectItemCaseSensitive (choice, "message");
  content = cJSON_GetObjectItemCaseSensitive (message, "content");
  if (!cJSON_IsString (content))
    {
      cJSON_Delete (root);
      chat_fail (task, g_error_new (MD_ERROR, MD_ERROR_PARSE,
                                    "backend “%s”: expected choices[0].message.content "
                                    "to be a string", state->backend->name), FALSE);
      return;
    }
  g_string_append (state->content, content->valuestring);
  read_finish_reason (state, choice);
  cJSON_Delete (root);
  chat_complete (task);
}

/* libsoup 3 names only the codes of RFC 2616 and WebDAV. */
static const char *
status_phrase (guint status)
{
  static const struct { guint status; const char *phrase; } extra[] = {
    { 425, "Too Early" },
    { 428, "Precondition Required" },
    { 429, "Too Many Requests" },
    { 431, "Request Header Fields Too Large" },
    { 451, "Unavailable For Legal Reasons" },
    { 511, "Network Authentication Required" },
  };
  const char *phrase;

  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    if (extra[i].status == status)
      return extra[i].phrase;
  phrase = soup_status_get_phrase (status);
  return phrase != NULL && strcmp (phrase, "Unknown Error") != 0 ? phrase : "";
}

static void
finish_http_error (GTask *task)
{
  ChatState *state = g_task_get_task_data (task);
  guint status = state->response->status;
  g_autofree char *text = excerpt (state, (const char *) state->body->data, state->body->len);
  const char *phrase = status_phrase (status);

  chat_fail (task, g_error_new (MD_ERROR, MD_ERROR_FAILED, "backend “%s”: HTTP %u%s%s: %s",
                                state->backend->name, status, *phrase != '\0' ? " " : "", phrase,
                                text), status == 429 || status >= 500);
}

/* One "data:" payload of the event stream. Returns FALSE after failing the task. */
static gboolean
handle_event (GTask      *task,
              const char *payload)
{
  ChatState *state = g_task_get_task_data (task);
  const cJSON *choice;
  const cJSON *delta;
  const cJSON *content;
  GError *error;
  cJSON *root;

  if (strcmp (payload, "[DONE]") == 0)
    {
      state->saw_done = TRUE;
      return TRUE;
    }
  root = cJSON_Parse (payload);
  if (root == NULL)
    {
      chat_fail (task, g_error_new (MD_ERROR, MD_ERROR_PARSE,
                                    "backend “%s”: stream event after %" G_GSIZE_FORMAT
                                    " characters of content is not JSON",
                                    state->backend->name, state->content->len), FALSE);
      return FALSE;
    }
  if ((error = error_from_json (state, root)) != NULL)
    {
      cJSON_Delete (root);
      chat_fail (task, error, TRUE);
      return FALSE;
    }
  read_usage (state, root);
  choice = cJSON_GetArrayItem (cJSON_GetObjectItemCaseSensitive (root, "choices"), 0);
  delta = cJSON_GetObjectItemCaseSensitive (choice, "delta");
  content = cJSON_GetObjectItemCaseSensitive (delta, "content");
  read_finish_reason (state, choice);
  if (cJSON_IsString (content) && *content->valuestring != '\0')
    {
      g_string_append (state->content, content->valuestring);
      if (state->delta_func != NULL)
        {
          /* What is shown while it streams is redacted too: a key may arrive in pieces. */
          g_autofree char *shown = md_syphus_redactor_push (state->redactor,
                                                            content->valuestring);

          if (*shown != '\0')
            state->delta_func (shown, state->delta_data);
        }
    }
  cJSON_Delete (root);
  return TRUE;
}

/* One line of the event stream. Returns FALSE after failing the task. */
static gboolean
handle_line (GTask      *task,
             const char *line,
             gsize       length)
{
  ChatState *state = g_task_get_task_data (task);

  if (!g_utf8_validate_len (line, length, NULL))
    {
      chat_fail (task, g_error_new (MD_ERROR, MD_ERROR_PARSE,
                                    "backend “%s”: stream line after %" G_GSIZE_FORMAT
                                    " bytes is not UTF-8", state->backend->name,
                                    state->received), FALSE);
      return FALSE;
    }
  if (length >= 5 && memcmp (line, "data:", 5) == 0)
    {
      g_autofree char *payload = g_strndup (line + 5, length - 5);
      const char *start = payload;

      while (*start == ' ')
        start++;
      return handle_event (task, start);
    }
  /* Blank separators, ":" comments and "event:" lines carry nothing we need. */
  return TRUE;
}

/* Splits the stream into lines (LF, CRLF or CR, as the event-stream format has them). Returns
 * FALSE after failing the task. */
static gboolean
take_lines (GTask    *task,
            gboolean  at_end)
{
  ChatState *state = g_task_get_task_data (task);
  GByteArray *buffer = state->body;
  gsize start = 0;

  for (gsize i = state->scanned; i < buffer->len; i++)
    {
      guint8 c = buffer->data[i];

      if (c == '\n' && state->after_cr && i == start)
        {
          state->after_cr = FALSE;
          start = i + 1;
          continue;
        }
      state->after_cr = FALSE;
      if (c != '\n' && c != '\r')
        continue;
      if (!handle_line (task, (const char *) buffer->data + start, i - start))
        return FALSE;
      state->after_cr = c == '\r';
      start = i + 1;
    }
  if (at_end && start < buffer->len)
    {
      if (!handle_line (task, (const char *) buffer->data + start, buffer->len - start))
        return FALSE;
      start = buffer->len;
    }
  g_byte_array_remove_range (buffer, 0, start);
  state->scanned = buffer->len;
  return TRUE;
}

static void
finish_stream (GTask *task)
{
  ChatState *state = g_task_get_task_data (task);

  if (!take_lines (task, TRUE))
    return;
  /* A stream that ends without [DONE] and without a finish reason was cut off. */
  if (state->saw_done || state->response->finish_reason != NULL)
    chat_complete (task);
  else
    chat_fail (task, g_error_new (MD_ERROR, MD_ERROR_IO,
                                  "backend “%s”: the stream ended after %" G_GSIZE_FORMAT
                                  " characters without [DONE] (connection dropped)",
                                  state->backend->name, state->content->len), TRUE);
}

static void read_chunk (GTask *task);

static void
on_chunk (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  ChatState *state = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      chat_fail (task, error, TRUE);
      return;
    }
  touch (state);
  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      if (state->sse)
        finish_stream (task);
      else if (SOUP_STATUS_IS_SUCCESSFUL (state->response->status))
        finish_plain (task);
      else
        finish_http_error (task);
      return;
    }
  state->received += size;
  if (state->limits.max_reply_bytes > 0 && state->received > state->limits.max_reply_bytes)
    {
      /* Not retried: the server would send as much again. */
      chat_fail (task, g_error_new (MD_ERROR, MD_ERROR_IO,
                                    "backend “%s”: the reply passed %" G_GSIZE_FORMAT " bytes, "
                                    "the most a reply may have (max-reply-size); stopped reading",
                                    state->backend->name, state->limits.max_reply_bytes), FALSE);
      return;
    }
  g_byte_array_append (state->body, g_bytes_get_data (bytes, NULL), size);
  if (state->sse && !take_lines (task, FALSE))
    return;
  read_chunk (task);
}

static void
read_chunk (GTask *task)
{
  ChatState *state = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (state->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   state->io_cancellable, on_chunk, task);
}

static void
on_chat_sent (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  ChatState *state = g_task_get_task_data (task);
  const char *content_type;
  GError *error = NULL;

  state->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (state->stream == NULL)
    {
      chat_fail (task, error, TRUE);
      return;
    }
  touch (state);
  state->response->status = soup_message_get_status (state->message);
  state->response->retry_after_ms =
    parse_retry_after (soup_message_headers_get_one (soup_message_get_response_headers (state->message),
                                                     "Retry-After"));
  content_type = soup_message_headers_get_content_type (
    soup_message_get_response_headers (state->message), NULL);

  state->sse = SOUP_STATUS_IS_SUCCESSFUL (state->response->status) &&
               g_strcmp0 (content_type, "text/event-stream") == 0;
  state->body = g_byte_array_new ();
  read_chunk (task);
}

void
md_syphus_chat_limits_init (MdSyphusChatLimits *limits)
{
  g_return_if_fail (limits != NULL);

  limits->stall_timeout_ms = MD_SYPHUS_DEFAULT_STALL_TIMEOUT_MS;
  limits->deadline_ms = MD_SYPHUS_DEFAULT_DEADLINE_MS;
  limits->max_reply_bytes = MD_SYPHUS_DEFAULT_MAX_REPLY_BYTES;
}

void
md_syphus_backend_chat_async (MdSyphusBackend          *self,
                              const char               *body,
                              const MdSyphusChatLimits *limits,
                              MdSyphusDeltaFunc         delta_func,
                              gpointer                  delta_data,
                              GCancellable             *cancellable,
                              GAsyncReadyCallback       callback,
                              gpointer                  user_data)
{
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  ChatState *state;
  GTask *task;

  g_return_if_fail (MD_IS_SYPHUS_BACKEND (self));
  g_return_if_fail (body != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_syphus_backend_chat_async);

  state = g_new0 (ChatState, 1);
  state->backend = g_object_ref (self);
  state->content = g_string_new (NULL);
  state->io_cancellable = g_cancellable_new ();
  if (limits != NULL)
    state->limits = *limits;
  else
    md_syphus_chat_limits_init (&state->limits);
  state->delta_func = delta_func;
  state->delta_data = delta_data;
  if (delta_func != NULL)
    state->redactor = md_syphus_redactor_new (self->api_key);
  state->response = g_new0 (MdSyphusResponse, 1);
  state->response->prompt_tokens = -1;
  state->response->completion_tokens = -1;
  state->response->retry_after_ms = -1;
  state->started_us = g_get_monotonic_time ();
  touch (state);
  g_task_set_task_data (task, state, (GDestroyNotify) chat_state_free);

  if (cancellable != NULL)
    {
      state->caller_cancellable = g_object_ref (cancellable);
      state->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                     state->io_cancellable, NULL);
    }

  state->message = new_message (self, "POST", "/v1/chat/completions", &error);
  if (state->message == NULL)
    {
      chat_fail (task, error, FALSE);
      return;
    }
  bytes = g_bytes_new (body, strlen (body));
  soup_message_set_request_body_from_bytes (state->message, "application/json", bytes);
  soup_message_headers_replace (soup_message_get_request_headers (state->message), "Accept",
                                "application/json, text/event-stream");

  g_debug ("backend %s: POST %s/v1/chat/completions (%" G_GSIZE_FORMAT " bytes)", self->name,
           self->base_url, strlen (body));
  arm_stall_timer (state, state->limits.stall_timeout_ms);
  arm_deadline (state);
  soup_session_send_async (self->session, state->message, G_PRIORITY_DEFAULT,
                           state->io_cancellable, on_chat_sent, task);
}

MdSyphusResponse *
md_syphus_backend_chat_finish (MdSyphusBackend  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Model list */

static void
on_models_read (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MdSyphusBackend *self = g_task_get_source_object (task);
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) ids = NULL;
  const cJSON *data;
  const cJSON *item;
  cJSON *root;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (bytes == NULL)
    {
      g_autofree char *text = md_syphus_redact (error->message, self->api_key);

      g_task_return_new_error (task, MD_ERROR, MD_ERROR_IO, "backend “%s”: %s", self->name, text);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    {
      g_task_return_new_error (task, MD_ERROR, MD_ERROR_FAILED,
                               "backend “%s”: GET /v1/models answered HTTP %u", self->name,
                               soup_message_get_status (message));
      return;
    }
  root = cJSON_ParseWithLength (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  data = cJSON_GetObjectItemCaseSensitive (root, "data");
  if (!cJSON_IsArray (data))
    {
      cJSON_Delete (root);
      g_task_return_new_error (task, MD_ERROR, MD_ERROR_PARSE,
                               "backend “%s”: expected /v1/models to answer {\"data\": [...]}",
                               self->name);
      return;
    }
  ids = g_strv_builder_new ();
  cJSON_ArrayForEach (item, data)
    {
      const cJSON *id = cJSON_GetObjectItemCaseSensitive (item, "id");

      if (cJSON_IsString (id))
        g_strv_builder_add (ids, id->valuestring);
    }
  cJSON_Delete (root);
  g_task_return_pointer (task, g_strv_builder_end (ids), (GDestroyNotify) g_strfreev);
}

void
md_syphus_backend_list_models_async (MdSyphusBackend     *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  SoupMessage *message;

  g_return_if_fail (MD_IS_SYPHUS_BACKEND (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_syphus_backend_list_models_async);
  message = new_message (self, "GET", "/v1/models", &error);
  if (message == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_set_task_data (task, message, g_object_unref);
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, cancellable,
                                    on_models_read, g_steal_pointer (&task));
}

GStrv
md_syphus_backend_list_models_finish (MdSyphusBackend  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Local servers */

void
md_syphus_backend_set_command (MdSyphusBackend    *self,
                               const char * const *argv)
{
  g_return_if_fail (MD_IS_SYPHUS_BACKEND (self));

  g_strfreev (self->command);
  self->command = argv != NULL && argv[0] != NULL ? g_strdupv ((char **) argv) : NULL;
}

gboolean
md_syphus_backend_is_server_running (MdSyphusBackend *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_BACKEND (self), FALSE);
  return self->server != NULL && g_subprocess_get_identifier (self->server) != NULL;
}

void
md_syphus_backend_stop (MdSyphusBackend *self)
{
  g_return_if_fail (MD_IS_SYPHUS_BACKEND (self));

  if (self->server == NULL)
    return;
  if (g_subprocess_get_identifier (self->server) != NULL)
    {
      g_subprocess_send_signal (self->server, SIGTERM);
      /* Give the server a moment to exit cleanly, then make sure it does. The child watch runs
       * in GLib's worker thread, so the identifier goes away without our main loop. */
      for (guint i = 0; i < 60 && g_subprocess_get_identifier (self->server) != NULL; i++)
        g_usleep (50 * 1000);
      if (g_subprocess_get_identifier (self->server) != NULL)
        g_subprocess_force_exit (self->server);
    }
  g_clear_object (&self->server);
}

typedef struct
{
  gint64       deadline_us;
  guint        path_index;
  GSource     *poll_source;
  SoupMessage *message;
} StartState;

static void
start_state_free (StartState *state)
{
  if (state->poll_source != NULL)
    {
      g_source_destroy (state->poll_source);
      g_source_unref (state->poll_source);
    }
  g_clear_object (&state->message);
  g_free (state);
}

static const char *health_paths[] = { "/v1/models", "/health" };

static void poll_health (GTask *task);

static gboolean
on_poll_again (gpointer user_data)
{
  GTask *task = user_data;
  StartState *state = g_task_get_task_data (task);

  g_clear_pointer (&state->poll_source, g_source_unref);
  poll_health (task);
  return G_SOURCE_REMOVE;
}

static void
on_health_answer (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  MdSyphusBackend *self = g_task_get_source_object (task);
  StartState *state = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  if (bytes != NULL && SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (state->message)))
    {
      g_debug ("backend %s: ready (%s)", self->name, health_paths[state->path_index]);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_clear_object (&state->message);
  if (self->server != NULL && g_subprocess_get_identifier (self->server) == NULL)
    {
      g_task_return_new_error (task, MD_ERROR, MD_ERROR_FAILED,
                               "backend “%s”: the server command exited before it was ready",
                               self->name);
      g_object_unref (task);
      return;
    }
  /* Try the other health path at once, then wait a little before the next round. */
  state->path_index = (state->path_index + 1) % G_N_ELEMENTS (health_paths);
  if (g_get_monotonic_time () >= state->deadline_us)
    {
      g_task_return_new_error (task, MD_ERROR, MD_ERROR_IO,
                               "backend “%s”: no answer from %s/v1/models or /health in time",
                               self->name, self->base_url);
      g_object_unref (task);
      return;
    }
  state->poll_source = g_timeout_source_new (state->path_index == 0 ? 200 : 0);
  g_source_set_callback (state->poll_source, on_poll_again, task, NULL);
  g_source_attach (state->poll_source, g_main_context_get_thread_default ());
}

static void
poll_health (GTask *task)
{
  MdSyphusBackend *self = g_task_get_source_object (task);
  StartState *state = g_task_get_task_data (task);
  GError *error = NULL;

  state->message = new_message (self, "GET", health_paths[state->path_index], &error);
  if (state->message == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  soup_session_send_and_read_async (self->session, state->message, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), on_health_answer, task);
}

void
md_syphus_backend_start_async (MdSyphusBackend     *self,
                               guint                timeout_ms,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  StartState *state;

  g_return_if_fail (MD_IS_SYPHUS_BACKEND (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_syphus_backend_start_async);
  state = g_new0 (StartState, 1);
  state->deadline_us = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  g_task_set_task_data (task, state, (GDestroyNotify) start_state_free);

  if (self->command != NULL && !md_syphus_backend_is_server_running (self))
    {
      GError *error = NULL;

      g_clear_object (&self->server);
      self->server = g_subprocess_newv ((const char * const *) self->command,
                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
      if (self->server == NULL)
        {
          g_task_return_new_error (task, MD_ERROR, MD_ERROR_FAILED,
                                   "backend “%s”: cannot start “%s”: %s", self->name,
                                   self->command[0], error->message);
          g_error_free (error);
          g_object_unref (task);
          return;
        }
      g_debug ("backend %s: started %s", self->name, self->command[0]);
    }
  poll_health (task);
}

gboolean
md_syphus_backend_start_finish (MdSyphusBackend  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
