/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cJSON.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "md-error.h"
#include "md-syphus.h"
#include "syphus-test-queue.h"

/* A chat-completions server on 127.0.0.1 in this process. The behaviour for a request comes from
 * the "pair=NAME;" marker the tests put in the instruction: the prefix of NAME picks a scenario,
 * and the number of requests already seen for NAME picks the attempt. */

#define TEST_KEY "sk-test-5ecret-Key-0123456789"

struct _TestServer
{
  SoupServer *server;
  char       *base_url;
  GHashTable *requests;      /* NAME -> GArray of gint64 monotonic times */
  GPtrArray  *held;          /* messages left stalled, released at teardown */
  const char *expected_key;
  guint       delay_ms;      /* for "delay" pairs */
  guint       n_requests;
};

typedef struct
{
  TestServer        *server;
  SoupServerMessage *msg;
  GPtrArray         *chunks;
  guint              next;
  guint              interval_ms;
  gboolean           stall;
  gboolean           finished;
} Streamer;

static char *
pair_name (const char *body)
{
  const char *start = strstr (body, "pair=");
  const char *end;

  if (start == NULL)
    return g_strdup ("unknown");
  start += 5;
  end = strchr (start, ';');
  return end != NULL ? g_strndup (start, end - start) : g_strdup (start);
}

static char *
qa_reply (const char *name)
{
  if (g_str_has_prefix (name, "noqa"))
    return g_strdup ("I am sorry, I cannot describe this scene.");
  if (g_str_has_prefix (name, "tr"))
    {
      const char *ko = g_str_has_prefix (name, "trmissing") ? "" : "\"ko\": \"안녕\", ";

      return g_strdup_printf ("```json\n{\"a\": {\"zh\": \"你好\", \"es\": \"hola\", "
                              "\"ja\": \"やあ\", \"de\": \"hallo\", \"fr\": \"salut\", "
                              "\"ko\": \"안녕\", \"ar\": \"مرحبا\",},\n \"b\": {\"zh\": \"猫\", "
                              "\"es\": \"gato\", \"ja\": \"猫\", \"de\": \"Katze\", "
                              "\"fr\": \"chat\", %s\"ar\": \"قطة\"}}\n```", ko);
    }
  return g_strdup_printf ("Question: What is in %s?\nAnswer: A cat\nsitting on a sofa.", name);
}

static char *
event (const char *content,
       gboolean    done)
{
  cJSON *root = cJSON_CreateObject ();
  cJSON *choices = cJSON_AddArrayToObject (root, "choices");
  cJSON *choice = cJSON_CreateObject ();
  cJSON *delta = cJSON_AddObjectToObject (choice, "delta");
  char *printed;
  char *line;

  if (content != NULL)
    cJSON_AddStringToObject (delta, "content", content);
  if (done)
    cJSON_AddStringToObject (choice, "finish_reason", "stop");
  else
    cJSON_AddNullToObject (choice, "finish_reason");
  cJSON_AddItemToArray (choices, choice);
  printed = cJSON_PrintUnformatted (root);
  line = g_strdup_printf ("data: %s\n\n", printed);
  cJSON_free (printed);
  cJSON_Delete (root);
  return line;
}

static void
on_streamer_finished (SoupServerMessage *msg,
                      Streamer          *streamer)
{
  streamer->finished = TRUE;
}

static void
streamer_free (Streamer *streamer)
{
  g_signal_handlers_disconnect_by_data (streamer->msg, streamer);
  g_object_unref (streamer->msg);
  g_ptr_array_unref (streamer->chunks);
  g_free (streamer);
}

static gboolean
streamer_tick (gpointer data)
{
  Streamer *streamer = data;
  SoupMessageBody *body;

  if (streamer->finished)
    {
      streamer_free (streamer);
      return G_SOURCE_REMOVE;
    }
  body = soup_server_message_get_response_body (streamer->msg);
  if (streamer->next < streamer->chunks->len)
    {
      const char *chunk = g_ptr_array_index (streamer->chunks, streamer->next++);

      soup_message_body_append (body, SOUP_MEMORY_COPY, chunk, strlen (chunk));
      soup_server_message_unpause (streamer->msg);
      if (streamer->stall)
        {
          /* Leave the client waiting with the connection open. */
          g_ptr_array_add (streamer->server->held, g_object_ref (streamer->msg));
          streamer_free (streamer);
          return G_SOURCE_REMOVE;
        }
      g_timeout_add (streamer->interval_ms, streamer_tick, streamer);
      return G_SOURCE_REMOVE;
    }
  soup_message_body_complete (body);
  soup_server_message_unpause (streamer->msg);
  streamer_free (streamer);
  return G_SOURCE_REMOVE;
}

static void
respond_stream (TestServer        *server,
                SoupServerMessage *msg,
                const char        *name,
                const char        *reply,
                guint              interval_ms,
                gboolean           stall)
{
  Streamer *streamer = g_new0 (Streamer, 1);
  gsize len = strlen (reply);
  gsize pos = 0;

  streamer->server = server;
  streamer->msg = g_object_ref (msg);
  streamer->chunks = g_ptr_array_new_with_free_func (g_free);
  streamer->interval_ms = interval_ms;
  streamer->stall = stall;
  g_ptr_array_add (streamer->chunks, g_strdup (": keep-alive comment\n\n"));
  while (pos < len)
    {
      /* Cut on character boundaries, a few characters per event. */
      const char *end = g_utf8_offset_to_pointer (reply + pos, MIN (7, g_utf8_strlen (reply + pos, -1)));
      g_autofree char *piece = g_strndup (reply + pos, end - (reply + pos));

      g_ptr_array_add (streamer->chunks, event (piece, FALSE));
      pos = end - reply;
    }
  g_ptr_array_add (streamer->chunks, event (NULL, TRUE));
  if (strstr (name, "nousage") == NULL)
    g_ptr_array_add (streamer->chunks,
                     g_strdup ("data: {\"choices\": [], \"usage\": {\"prompt_tokens\": 50, "
                               "\"completion_tokens\": 12, \"total_tokens\": 62}}\n\n"));
  g_ptr_array_add (streamer->chunks, g_strdup ("data: [DONE]\n\n"));

  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "text/event-stream", NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                     SOUP_ENCODING_CHUNKED);
  g_signal_connect (msg, "finished", G_CALLBACK (on_streamer_finished), streamer);
  soup_server_message_pause (msg);
  g_timeout_add (interval_ms, streamer_tick, streamer);
}

static void
respond_plain (SoupServerMessage *msg,
               const char        *name,
               const char        *reply)
{
  cJSON *root = cJSON_CreateObject ();
  cJSON *choice = cJSON_CreateObject ();
  cJSON *message = cJSON_AddObjectToObject (choice, "message");
  char *printed;

  cJSON_AddStringToObject (root, "object", "chat.completion");
  cJSON_AddStringToObject (message, "role", "assistant");
  cJSON_AddStringToObject (message, "content", reply);
  cJSON_AddStringToObject (choice, "finish_reason", "stop");
  cJSON_AddItemToArray (cJSON_AddArrayToObject (root, "choices"), choice);
  if (strstr (name, "nousage") == NULL)
    {
      cJSON *usage = cJSON_AddObjectToObject (root, "usage");

      cJSON_AddNumberToObject (usage, "prompt_tokens", 40);
      cJSON_AddNumberToObject (usage, "completion_tokens", 10);
    }
  printed = cJSON_PrintUnformatted (root);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, printed,
                                    strlen (printed));
  cJSON_free (printed);
  cJSON_Delete (root);
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

/* Writes the head of a chunked event stream and one event, then closes the socket. */
static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) io = soup_server_message_steal_connection (msg);
  g_autofree char *first = event ("Question: cut", FALSE);
  g_autofree char *raw = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                          "Transfer-Encoding: chunked\r\n\r\n%zx\r\n%s\r\n",
                                          strlen (first), first);

  g_output_stream_write_all (g_io_stream_get_output_stream (io), raw, strlen (raw), NULL, NULL,
                             NULL);
  g_io_stream_close (io, NULL, NULL);
}

typedef struct
{
  SoupServerMessage *msg;
  char              *name;
  char              *reply;
  gboolean           stream;
} Delayed;

static gboolean
on_delayed (gpointer data)
{
  Delayed *delayed = data;

  respond_plain (delayed->msg, delayed->name, delayed->reply);
  soup_server_message_unpause (delayed->msg);
  g_object_unref (delayed->msg);
  g_free (delayed->name);
  g_free (delayed->reply);
  g_free (delayed);
  return G_SOURCE_REMOVE;
}

static void
handle_chat (SoupServer        *soup_server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  TestServer *server = user_data;
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request_body);
  g_autofree char *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autofree char *name = pair_name (body);
  g_autofree char *reply = qa_reply (name);
  const char *auth;
  GArray *times;
  gint64 now = g_get_monotonic_time ();
  guint attempt;
  cJSON *root;
  gboolean stream;

  server->n_requests++;
  times = g_hash_table_lookup (server->requests, name);
  if (times == NULL)
    {
      times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (server->requests, g_strdup (name), times);
    }
  g_array_append_val (times, now);
  attempt = times->len;

  auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                       "Authorization");
  if (g_str_has_prefix (name, "e400"))
    {
      /* Some gateways echo the request headers in their error bodies. */
      g_autofree char *echo = g_strdup_printf ("{\"error\": {\"message\": \"bad request; "
                                               "headers: Authorization: %s\"}}", auth);

      respond_error (msg, 400, echo);
      return;
    }
  if (server->expected_key != NULL)
    {
      g_autofree char *expected = g_strconcat ("Bearer ", server->expected_key, NULL);

      if (g_strcmp0 (auth, expected) != 0)
        {
          respond_error (msg, 401, "{\"error\": {\"message\": \"bad key\"}}");
          return;
        }
    }

  root = cJSON_Parse (body);
  g_assert_nonnull (root);
  stream = cJSON_IsTrue (cJSON_GetObjectItem (root, "stream"));
  cJSON_Delete (root);

  if (g_str_has_prefix (name, "r429") && attempt == 1)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "1");
      respond_error (msg, 429, "{\"error\": {\"message\": \"slow down\"}}");
    }
  else if (g_str_has_prefix (name, "e500") && attempt <= 2)
    respond_error (msg, 500, "{\"error\": {\"message\": \"overloaded\"}}");
  else if (g_str_has_prefix (name, "badjson"))
    respond_error (msg, 200, "{\"choices\": [{\"message\": ");
  else if (g_str_has_prefix (name, "drop") && attempt == 1)
    drop_connection (msg);
  else if (g_str_has_prefix (name, "stall") && attempt == 1)
    respond_stream (server, msg, name, reply, 10, TRUE);
  else if (g_str_has_prefix (name, "slow"))
    respond_stream (server, msg, name, reply, 120, FALSE);
  else if (g_str_has_prefix (name, "delay"))
    {
      Delayed *delayed = g_new0 (Delayed, 1);

      delayed->msg = g_object_ref (msg);
      delayed->name = g_strdup (name);
      delayed->reply = g_steal_pointer (&reply);
      soup_server_message_pause (msg);
      g_timeout_add (server->delay_ms, on_delayed, delayed);
    }
  else if (stream)
    respond_stream (server, msg, name, reply, 2, FALSE);
  else
    respond_plain (msg, name, reply);
}

static void
handle_models (SoupServer        *soup_server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  const char *body = "{\"object\": \"list\", \"data\": [{\"id\": \"model-a\"}, {\"id\": \"model-b\"}]}";

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    strlen (body));
}

static TestServer *
test_server_new (void)
{
  TestServer *server = g_new0 (TestServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  server->server = soup_server_new (NULL, NULL);
  server->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_array_unref);
  server->held = g_ptr_array_new_with_free_func (g_object_unref);
  soup_server_add_handler (server->server, "/v1/chat/completions", handle_chat, server, NULL);
  soup_server_add_handler (server->server, "/v1/models", handle_models, server, NULL);
  soup_server_listen_local (server->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server->server);
  g_assert_nonnull (uris);
  server->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return server;
}

static void
test_server_free (TestServer *server)
{
  soup_server_disconnect (server->server);
  g_ptr_array_unref (server->held);
  g_object_unref (server->server);
  g_hash_table_unref (server->requests);
  g_free (server->base_url);
  g_free (server);
}

static guint
requests_for (TestServer *server,
              const char *name)
{
  GArray *times = g_hash_table_lookup (server->requests, name);

  return times != NULL ? times->len : 0;
}

static gint64
request_gap_ms (TestServer *server,
                const char *name,
                guint       index)
{
  GArray *times = g_hash_table_lookup (server->requests, name);

  g_assert_nonnull (times);
  g_assert_cmpuint (index, <, times->len);
  return (g_array_index (times, gint64, index) - g_array_index (times, gint64, index - 1)) / 1000;
}

/* A batch run against the test server. */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = test_server_new ();
  syphus_fixture_set_up (fixture, fixture->server->base_url);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  syphus_fixture_tear_down (fixture);
  test_server_free (fixture->server);
}

static void
test_settings (MdSyphusQueueSettings *settings)
{
  md_syphus_queue_settings_init (settings);
  settings->concurrency = 4;
  settings->stall_timeout_ms = 400;
  settings->max_attempts = 4;
  settings->backoff_base_ms = 100;
  settings->backoff_max_ms = 1000;
}

static void
test_plain_and_stream (Fixture       *fixture,
                       gconstpointer  data)
{
  MdSyphusQueueSettings settings;
  g_autoptr(MdSyphusGeneration) plain = NULL;
  g_autoptr(MdSyphusGeneration) streamed = NULL;
  g_autoptr(MdSyphusGeneration) nousage = NULL;
  g_autoptr(MdSyphusGeneration) plain_nousage = NULL;

  test_settings (&settings);
  syphus_fixture_open_queue (fixture, &settings);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "ok-plain", FALSE);
  fixture->delta_job = syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "ok-stream", TRUE);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "ok-stream-nousage", TRUE);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "ok-plain-nousage", FALSE);
  /* Adding a waiting pair again does not make a second job. */
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "ok-plain", FALSE);
  syphus_fixture_run (fixture, 10000);

  g_assert_cmpuint (fixture->server->n_requests, ==, 4);
  g_assert_cmpuint (md_syphus_queue_get_n_done (fixture->queue), ==, 4);

  plain = syphus_fixture_generation (fixture, "ok-plain");
  g_assert_cmpstr (plain->status, ==, "ok");
  g_assert_cmpstr (plain->raw_reply, ==,
                   "Question: What is in ok-plain?\nAnswer: A cat\nsitting on a sofa.");
  g_assert_cmpstr (plain->parsed, ==, "{\"pairs\":[{\"question\":\"What is in ok-plain?\","
                                      "\"answer\":\"A cat\\nsitting on a sofa.\"}],"
                                      "\"problems\":[]}");
  g_assert_cmpint (plain->prompt_tokens, ==, 40);
  g_assert_cmpint (plain->completion_tokens, ==, 10);
  g_assert_cmpstr (plain->params, ==,
                   "{\"temperature\":0.7,\"max_tokens\":3200,\"top_p\":0.95,\"stream\":false}");
  g_assert_cmpstr (plain->prompt, ==, "test-prompt");
  g_assert_cmpstr (plain->model, ==, "test-model");
  g_assert_nonnull (strstr (plain->request, "\"messages\":[{\"role\":\"system\",\"content\":\"sys\"}"));
  g_assert_cmpuint (plain->attempts, ==, 1);

  streamed = syphus_fixture_generation (fixture, "ok-stream");
  g_assert_cmpstr (streamed->status, ==, "ok");
  g_assert_cmpstr (streamed->raw_reply, ==,
                   "Question: What is in ok-stream?\nAnswer: A cat\nsitting on a sofa.");
  g_assert_cmpint (streamed->prompt_tokens, ==, 50);
  g_assert_cmpint (streamed->completion_tokens, ==, 12);
  /* Every streamed piece reached the caller. */
  g_assert_cmpstr (fixture->deltas->str, ==, streamed->raw_reply);

  nousage = syphus_fixture_generation (fixture, "ok-stream-nousage");
  g_assert_cmpstr (nousage->status, ==, "ok");
  g_assert_cmpint (nousage->prompt_tokens, ==, -1);
  g_assert_cmpint (nousage->completion_tokens, ==, -1);
  plain_nousage = syphus_fixture_generation (fixture, "ok-plain-nousage");
  g_assert_cmpint (plain_nousage->prompt_tokens, ==, -1);
  g_assert_cmpstr (plain_nousage->status, ==, "ok");
}

static void
test_retry_after (Fixture       *fixture,
                  gconstpointer  data)
{
  MdSyphusQueueSettings settings;
  g_autoptr(MdSyphusGeneration) generation = NULL;
  gint64 gap;

  test_settings (&settings);
  syphus_fixture_open_queue (fixture, &settings);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "r429", TRUE);
  syphus_fixture_run (fixture, 10000);

  g_assert_cmpuint (requests_for (fixture->server, "r429"), ==, 2);
  gap = request_gap_ms (fixture->server, "r429", 1);
  g_assert_cmpint (gap, >=, 1000);
  g_assert_cmpint (gap, <, 1500);
  generation = syphus_fixture_generation (fixture, "r429");
  g_assert_cmpstr (generation->status, ==, "ok");
  g_assert_cmpuint (generation->attempts, ==, 2);
}

static void
test_retry_5xx (Fixture       *fixture,
                gconstpointer  data)
{
  MdSyphusQueueSettings settings;
  g_autoptr(MdSyphusGeneration) generation = NULL;
  gint64 gap1;
  gint64 gap2;

  test_settings (&settings);
  syphus_fixture_open_queue (fixture, &settings);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "e500", FALSE);
  syphus_fixture_run (fixture, 10000);

  /* base * 2^(n-1) plus up to one base of jitter. */
  g_assert_cmpuint (requests_for (fixture->server, "e500"), ==, 3);
  gap1 = request_gap_ms (fixture->server, "e500", 1);
  gap2 = request_gap_ms (fixture->server, "e500", 2);
  g_assert_cmpint (gap1, >=, 100);
  g_assert_cmpint (gap1, <=, 200 + 150);
  g_assert_cmpint (gap2, >=, 200);
  g_assert_cmpint (gap2, <=, 300 + 150);
  generation = syphus_fixture_generation (fixture, "e500");
  g_assert_cmpstr (generation->status, ==, "ok");
  g_assert_cmpuint (generation->attempts, ==, 3);
  g_assert_cmpuint (fixture->n_retries, ==, 2);
}

static void
test_no_retry_400 (Fixture       *fixture,
                   gconstpointer  data)
{
  MdSyphusQueueSettings settings;
  g_autoptr(MdSyphusGeneration) generation = NULL;

  test_settings (&settings);
  syphus_fixture_open_queue (fixture, &settings);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "e400", FALSE);
  syphus_fixture_run (fixture, 10000);

  g_assert_cmpuint (requests_for (fixture->server, "e400"), ==, 1);
  g_assert_cmpuint (fixture->n_retries, ==, 0);
  generation = syphus_fixture_generation (fixture, "e400");
  g_assert_cmpstr (generation->status, ==, "failed");
  g_assert_nonnull (strstr (generation->error, "pair e400: backend “test”: HTTP 400"));
  g_assert_null (generation->raw_reply);
  g_assert_cmpuint (md_syphus_journal_count_jobs (fixture->journal, MD_SYPHUS_JOB_FAILED), ==, 1);
}

static void
test_stall_and_slow (Fixture       *fixture,
                     gconstpointer  data)
{
  MdSyphusQueueSettings settings;
  g_autoptr(MdSyphusGeneration) stalled = NULL;
  g_autoptr(MdSyphusGeneration) slow = NULL;
  gint64 gap;

  test_settings (&settings);
  syphus_fixture_open_queue (fixture, &settings);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "stall", TRUE);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "slow", TRUE);
  syphus_fixture_run (fixture, 15000);

  /* The stalled stream is given up after 400 ms without data, then sent again. */
  g_assert_cmpuint (requests_for (fixture->server, "stall"), ==, 2);
  gap = request_gap_ms (fixture->server, "stall", 1);
  g_assert_cmpint (gap, >=, 400 + 100);
  g_assert_cmpint (gap, <, 400 + 200 + 300);
  stalled = syphus_fixture_generation (fixture, "stall");
  g_assert_cmpstr (stalled->status, ==, "ok");
  g_assert_cmpuint (stalled->attempts, ==, 2);

  /* A slow stream that keeps sending (every 120 ms, > 1 s in all) is not a stall. */
  g_assert_cmpuint (requests_for (fixture->server, "slow"), ==, 1);
  slow = syphus_fixture_generation (fixture, "slow");
  g_assert_cmpstr (slow->status, ==, "ok");
  g_assert_cmpint (slow->latency_ms, >, 1000);
}

static void
test_dropped_connection (Fixture       *fixture,
                         gconstpointer  data)
{
  MdSyphusQueueSettings settings;
  g_autoptr(MdSyphusGeneration) generation = NULL;

  test_settings (&settings);
  syphus_fixture_open_queue (fixture, &settings);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "drop", TRUE);
  syphus_fixture_run (fixture, 10000);

  g_assert_cmpuint (requests_for (fixture->server, "drop"), ==, 2);
  generation = syphus_fixture_generation (fixture, "drop");
  g_assert_cmpstr (generation->status, ==, "ok");
  g_assert_cmpstr (generation->raw_reply, ==,
                   "Question: What is in drop?\nAnswer: A cat\nsitting on a sofa.");
}

static void
test_bad_replies (Fixture       *fixture,
                  gconstpointer  data)
{
  MdSyphusQueueSettings settings;
  g_autoptr(MdSyphusGeneration) badjson = NULL;
  g_autoptr(MdSyphusGeneration) noqa = NULL;
  g_autoptr(MdSyphusGeneration) trmissing = NULL;
  g_autoptr(MdSyphusGeneration) trok = NULL;

  test_settings (&settings);
  syphus_fixture_open_queue (fixture, &settings);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "badjson", FALSE);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "noqa", TRUE);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_TRANSLATE, "trmissing", TRUE);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_TRANSLATE, "trok", FALSE);
  syphus_fixture_run (fixture, 10000);

  g_assert_cmpuint (fixture->server->n_requests, ==, 4);

  badjson = syphus_fixture_generation (fixture, "badjson");
  g_assert_cmpstr (badjson->status, ==, "failed");
  g_assert_nonnull (strstr (badjson->error, "pair badjson: backend “test”: reply of 25 bytes is "
                                            "not JSON"));
  g_assert_cmpstr (badjson->raw_reply, ==, "{\"choices\": [{\"message\": ");

  noqa = syphus_fixture_generation (fixture, "noqa");
  g_assert_cmpstr (noqa->status, ==, "invalid");
  g_assert_cmpstr (noqa->raw_reply, ==, "I am sorry, I cannot describe this scene.");
  g_assert_nonnull (strstr (noqa->error, "pair noqa: reply: expected \"Question:\""));

  trmissing = syphus_fixture_generation (fixture, "trmissing");
  g_assert_cmpstr (trmissing->status, ==, "invalid");
  g_assert_true (g_str_has_prefix (trmissing->raw_reply, "```json\n"));
  g_assert_cmpstr (trmissing->error, ==, "pair trmissing: translation incomplete: b.ko: missing");
  g_assert_nonnull (strstr (trmissing->parsed, "\"de\":\"Katze\""));
  g_assert_nonnull (strstr (trmissing->parsed, "\"repaired\":true"));

  trok = syphus_fixture_generation (fixture, "trok");
  g_assert_cmpstr (trok->status, ==, "ok");
  g_assert_cmpint (trok->kind, ==, MD_SYPHUS_JOB_TRANSLATE);
  g_assert_nonnull (strstr (trok->request, "<a>pair=trok; what is it?</a><b>It is a cat.</b>"));
}

static void
test_restart (Fixture       *fixture,
              gconstpointer  data)
{
  MdSyphusQueueSettings settings;
  const char *names[] = { "delay-0", "delay-1", "delay-2", "delay-3", "delay-4", "delay-5" };
  g_autoptr(GPtrArray) done_before = g_ptr_array_new ();
  guint in_flight;

  fixture->server->delay_ms = 150;
  test_settings (&settings);
  settings.concurrency = 2;
  syphus_fixture_open_queue (fixture, &settings);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, names[i], FALSE);

  /* Close with two jobs in flight, as when the window is closed mid-batch. */
  fixture->close_after = 3;
  syphus_fixture_run (fixture, 10000);
  g_assert_cmpuint (fixture->n_finished_jobs, ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GPtrArray) gens = md_syphus_journal_list_generations (fixture->journal, "TST",
                                                                      names[i], NULL);
      if (gens->len == 1)
        g_ptr_array_add (done_before, (gpointer) names[i]);
    }
  g_assert_cmpuint (done_before->len, ==, 3);
  in_flight = fixture->server->n_requests - 3;
  g_assert_cmpuint (in_flight, >=, 1);
  g_assert_cmpuint (md_syphus_journal_count_jobs (fixture->journal, MD_SYPHUS_JOB_RUNNING), ==, 0);
  g_assert_cmpuint (md_syphus_journal_count_jobs (fixture->journal, MD_SYPHUS_JOB_QUEUED), ==, 3);

  /* Let the server finish what it was doing, then resume from the journal file alone. */
  for (gint64 end = g_get_monotonic_time () + 300000; g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  fixture->close_after = 0;
  syphus_fixture_open_queue (fixture, &settings);
  syphus_fixture_run (fixture, 10000);

  g_assert_cmpuint (fixture->n_finished_jobs, ==, 3);
  g_assert_cmpuint (md_syphus_journal_count_jobs (fixture->journal, MD_SYPHUS_JOB_DONE), ==, 6);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(MdSyphusGeneration) generation = syphus_fixture_generation (fixture, names[i]);
      gboolean was_done = FALSE;

      g_assert_cmpstr (generation->status, ==, "ok");
      for (guint j = 0; j < done_before->len; j++)
        was_done |= g_str_equal (g_ptr_array_index (done_before, j), names[i]);
      /* A stored result is never sent again; an interrupted one at most twice. */
      if (was_done)
        g_assert_cmpuint (requests_for (fixture->server, names[i]), ==, 1);
      else
        g_assert_cmpuint (requests_for (fixture->server, names[i]), <=, 2);
    }
  g_assert_cmpuint (fixture->server->n_requests, ==, 6 + in_flight);
}

static void
test_key_secrecy (Fixture       *fixture,
                  gconstpointer  data)
{
  MdSyphusQueueSettings settings;
  g_autoptr(MdSyphusGeneration) ok = NULL;
  g_autoptr(MdSyphusGeneration) echoed = NULL;
  g_autofree char *wal = NULL;
  g_autoptr(GString) captured_log = g_string_new (NULL);

  syphus_test_capture_log (captured_log);

  fixture->server->expected_key = TEST_KEY;
  md_syphus_backend_set_api_key (fixture->backend, TEST_KEY);
  test_settings (&settings);
  syphus_fixture_open_queue (fixture, &settings);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "ok-key", TRUE);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "e400-echo", FALSE);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "e500-key", FALSE);
  syphus_fixture_run (fixture, 10000);
  syphus_test_capture_log (NULL);

  /* The key was sent (the server refuses requests without it)... */
  ok = syphus_fixture_generation (fixture, "ok-key");
  g_assert_cmpstr (ok->status, ==, "ok");
  /* ...and is nowhere else: not in errors, even when the server echoes it back... */
  echoed = syphus_fixture_generation (fixture, "e400-echo");
  g_assert_cmpstr (echoed->status, ==, "failed");
  g_assert_nonnull (strstr (echoed->error, "Authorization: Bearer [redacted]"));
  g_assert_null (strstr (echoed->error, TEST_KEY));
  g_assert_null (strstr (echoed->request, TEST_KEY));
  /* ...nor in the logs (debug included)... */
  g_assert_cmpuint (captured_log->len, >, 0);
  g_assert_nonnull (strstr (captured_log->str, "POST"));
  g_assert_null (strstr (captured_log->str, TEST_KEY));
  g_assert_null (strstr (captured_log->str, "Bearer"));
  /* ...nor in the journal's bytes. */
  g_clear_object (&fixture->queue);
  g_clear_object (&fixture->journal);
  wal = g_strconcat (fixture->journal_path, "-wal", NULL);
  g_assert_true (g_file_test (fixture->journal_path, G_FILE_TEST_EXISTS));
  g_assert_false (syphus_test_file_contains (fixture->journal_path, TEST_KEY));
  g_assert_false (syphus_test_file_contains (wal, TEST_KEY));
  g_assert_true (syphus_test_file_contains (fixture->journal_path, "ok-key") || syphus_test_file_contains (wal, "ok-key"));
}

static void
test_limits_and_pause (Fixture       *fixture,
                       gconstpointer  data)
{
  MdSyphusQueueSettings settings;
  g_autoptr(GError) error = NULL;

  test_settings (&settings);
  settings.concurrency = 1;
  settings.max_requests = 2;
  syphus_fixture_open_queue (fixture, &settings);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("ok-limit-%u", i);

      syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, name, FALSE);
    }
  syphus_fixture_run (fixture, 10000);
  g_assert_true (md_syphus_queue_get_limit_reached (fixture->queue));
  g_assert_cmpuint (fixture->server->n_requests, ==, 2);
  g_assert_cmpuint (md_syphus_journal_count_jobs (fixture->journal, MD_SYPHUS_JOB_DONE), ==, 2);
  g_assert_cmpuint (md_syphus_journal_count_jobs (fixture->journal, MD_SYPHUS_JOB_QUEUED), ==, 2);

  /* A paused run sends nothing until resumed. */
  settings.max_requests = 0;
  syphus_fixture_open_queue (fixture, &settings);
  md_syphus_queue_pause (fixture->queue);
  md_syphus_queue_start (fixture->queue, &error);
  g_assert_no_error (error);
  for (gint64 end = g_get_monotonic_time () + 200000; g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (fixture->server->n_requests, ==, 2);
  g_assert_false (fixture->finished);
  md_syphus_queue_resume (fixture->queue);
  syphus_fixture_run (fixture, 10000);
  g_assert_cmpuint (fixture->server->n_requests, ==, 4);
  g_assert_cmpuint (md_syphus_journal_count_jobs (fixture->journal, MD_SYPHUS_JOB_DONE), ==, 4);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  MdSyphusQueueSettings settings;
  g_autoptr(GError) error = NULL;

  fixture->server->delay_ms = 2000;
  test_settings (&settings);
  settings.concurrency = 1;
  syphus_fixture_open_queue (fixture, &settings);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "delay-a", FALSE);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "delay-b", FALSE);
  md_syphus_queue_start (fixture->queue, &error);
  g_assert_no_error (error);
  while (fixture->server->n_requests == 0)
    g_main_context_iteration (NULL, TRUE);
  md_syphus_queue_cancel (fixture->queue);
  g_assert_true (fixture->finished);
  g_assert_cmpuint (md_syphus_journal_count_jobs (fixture->journal, MD_SYPHUS_JOB_CANCELLED),
                    ==, 2);
  g_assert_cmpuint (fixture->server->n_requests, ==, 1);
}

static void
on_models (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GStrv *out = user_data;
  g_autoptr(GError) error = NULL;

  *out = md_syphus_backend_list_models_finish (MD_SYPHUS_BACKEND (object), result, &error);
  g_assert_no_error (error);
}

static void
on_started (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  int *out = user_data;
  g_autoptr(GError) error = NULL;

  *out = md_syphus_backend_start_finish (MD_SYPHUS_BACKEND (object), result, &error) ? 1 : 0;
  g_assert_no_error (error);
}

static void
test_models_and_health (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(GStrv) models = NULL;
  int started = -1;

  md_syphus_backend_list_models_async (fixture->backend, NULL, on_models, &models);
  while (models == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_strv_length (models), ==, 2);
  g_assert_cmpstr (models[0], ==, "model-a");

  /* No command: start only waits for the server to answer. */
  md_syphus_backend_start_async (fixture->backend, 2000, NULL, on_started, &started);
  while (started < 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (started, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  syphus_test_log_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/syphus/queue/plain-and-stream", test_plain_and_stream);
  ADD ("/syphus/queue/retry-after", test_retry_after);
  ADD ("/syphus/queue/retry-5xx", test_retry_5xx);
  ADD ("/syphus/queue/no-retry-400", test_no_retry_400);
  ADD ("/syphus/queue/stall-and-slow", test_stall_and_slow);
  ADD ("/syphus/queue/dropped-connection", test_dropped_connection);
  ADD ("/syphus/queue/bad-replies", test_bad_replies);
  ADD ("/syphus/queue/restart", test_restart);
  ADD ("/syphus/queue/key-secrecy", test_key_secrecy);
  ADD ("/syphus/queue/limits-and-pause", test_limits_and_pause);
  ADD ("/syphus/queue/cancel", test_cancel);
  ADD ("/syphus/backend/models-and-health", test_models_and_health);
#undef ADD

  return g_test_run ();
}
