/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cJSON.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

#include "md-error.h"
#include "md-review-store.h"
#include "md-syphus.h"
#include "syphus-test-key.h"
#include "syphus-test-queue.h"

/* The Syphus client against a hostile server on 127.0.0.1: streams that never end, endless
 * lines, huge bodies, absurd Retry-After values, empty and enormous error bodies, replies that
 * carry the key back in pieces, and a journal that refuses to be written. Limits are set small
 * so that each case ends quickly; the assertions are on what the client reports, never on how
 * long it took. */

#define KEY SYPHUS_TEST_KEY

struct _TestServer
{
  SoupServer *server;
  char       *base_url;
  GHashTable *counts;       /* NAME -> request count */
  GPtrArray  *tickers;      /* Ticker, still writing */
  guint       n_requests;
};

/* A response written a piece at a time until the client goes away. */
typedef struct
{
  TestServer        *server;
  SoupServerMessage *msg;
  guint              source;
  char              *piece;
  gsize              limit;     /* stop writing (keep the connection) after this many bytes */
  gsize              written;
  gboolean           finished;
} Ticker;

static char *
marker_name (const char *body)
{
  const char *start = strstr (body, "pair=");
  const char *end = start != NULL ? strchr (start, ';') : NULL;

  return end != NULL ? g_strndup (start + 5, end - start - 5) : g_strdup ("?");
}

static void
on_ticker_finished (SoupServerMessage *msg,
                    Ticker            *ticker)
{
  ticker->finished = TRUE;
}

static void
ticker_free (Ticker *ticker)
{
  g_clear_handle_id (&ticker->source, g_source_remove);
  g_signal_handlers_disconnect_by_data (ticker->msg, ticker);
  g_object_unref (ticker->msg);
  g_free (ticker->piece);
  g_free (ticker);
}

static gboolean
ticker_tick (gpointer data)
{
  Ticker *ticker = data;

  if (ticker->finished)
    {
      ticker->source = 0;
      g_ptr_array_remove (ticker->server->tickers, ticker);
      return G_SOURCE_REMOVE;
    }
  if (ticker->written < ticker->limit)
    {
      soup_message_body_append (soup_server_message_get_response_body (ticker->msg),
                                SOUP_MEMORY_COPY, ticker->piece, strlen (ticker->piece));
      ticker->written += strlen (ticker->piece);
      soup_server_message_unpause (ticker->msg);
    }
  return G_SOURCE_CONTINUE;
}

static void
start_ticker (TestServer        *server,
              SoupServerMessage *msg,
              const char        *first,
              const char        *piece,
              guint              interval_ms,
              gsize              limit)
{
  Ticker *ticker = g_new0 (Ticker, 1);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  ticker->server = server;
  ticker->msg = g_object_ref (msg);
  ticker->piece = g_strdup (piece);
  ticker->limit = limit;
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_COPY,
                            first, strlen (first));
  g_signal_connect (msg, "finished", G_CALLBACK (on_ticker_finished), ticker);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_ticker_finished), ticker);
  soup_server_message_pause (msg);
  ticker->source = g_timeout_add (interval_ms, ticker_tick, ticker);
  g_ptr_array_add (server->tickers, ticker);
}

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

static void
reply_content (SoupServerMessage *msg,
               const char        *content)
{
  cJSON *root = cJSON_CreateObject ();
  cJSON *choice = cJSON_CreateObject ();
  char *printed;

  cJSON_AddStringToObject (cJSON_AddObjectToObject (choice, "message"), "content", content);
  cJSON_AddStringToObject (choice, "finish_reason", "stop");
  cJSON_AddItemToArray (cJSON_AddArrayToObject (root, "choices"), choice);
  printed = cJSON_PrintUnformatted (root);
  reply_json (msg, 200, printed);
  cJSON_free (printed);
  cJSON_Delete (root);
}

/* The content in events of three bytes, so that the key is cut across events. */
static void
reply_stream_pieces (SoupServerMessage *msg,
                     const char        *content)
{
  g_autoptr(GString) stream = g_string_new (NULL);

  for (gsize pos = 0; content[pos] != '\0'; pos += 3)
    {
      cJSON *root = cJSON_CreateObject ();
      cJSON *choice = cJSON_CreateObject ();
      g_autofree char *piece = g_strndup (content + pos, 3);
      char *printed;

      cJSON_AddStringToObject (cJSON_AddObjectToObject (choice, "delta"), "content", piece);
      cJSON_AddItemToArray (cJSON_AddArrayToObject (root, "choices"), choice);
      printed = cJSON_PrintUnformatted (root);
      g_string_append_printf (stream, "data: %s\r\n\r\n", printed);
      cJSON_free (printed);
      cJSON_Delete (root);
      if (strlen (content + pos) <= 3)
        break;
    }
  g_string_append (stream, "data: [DONE]\n\n");
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/event-stream", SOUP_MEMORY_COPY, stream->str,
                                    stream->len);
}

static char *
leaky_content (void)
{
  g_autofree char *upper = g_ascii_strup (KEY, -1);

  /* Whole, upper-cased, and split over two lines. */
  return g_strdup_printf ("Question: Is %s the key?\nAnswer: Yes, %s, also %.12s\n%s.", KEY,
                          upper, KEY, KEY + 12);
}

static void
handle_chat (SoupServer        *soup_server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  TestServer *server = user_data;
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autofree char *name = marker_name (body);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  guint attempt = GPOINTER_TO_UINT (g_hash_table_lookup (server->counts, name)) + 1;

  server->n_requests++;
  g_hash_table_insert (server->counts, g_strdup (name), GUINT_TO_POINTER (attempt));

  if (g_str_has_prefix (name, "comments"))
    /* A stream that stays alive with comments and never sends anything else. */
    start_ticker (server, msg, ": hello\n\n", ": ping\n\n", 20, G_MAXSIZE);
  else if (g_str_has_prefix (name, "longline"))
    {
      /* One "data:" line that never ends; 4 MB, then the connection just stays open. */
      g_autofree char *filler = g_strnfill (16384, 'x');

      start_ticker (server, msg, "data: {\"x\": \"", filler, 1, 4 * 1024 * 1024);
    }
  else if (g_str_has_prefix (name, "hugebody"))
    {
      g_autofree char *huge = g_strnfill (1024 * 1024, 'y');

      reply_content (msg, huge);
    }
  else if (g_str_has_prefix (name, "date429") && attempt == 1)
    {
      soup_message_headers_replace (headers, "Retry-After", "Thu, 31 Dec 2099 23:59:59 GMT");
      reply_json (msg, 429, "{\"error\": {\"message\": \"slow down\"}}");
    }
  else if (g_str_has_prefix (name, "secs429") && attempt == 1)
    {
      soup_message_headers_replace (headers, "Retry-After", "100000");
      reply_json (msg, 429, "{\"error\": {\"message\": \"slow down\"}}");
    }
  else if (g_str_has_prefix (name, "empty502"))
    reply_json (msg, 502, "");
  else if (g_str_has_prefix (name, "plain429"))
    reply_json (msg, 429, "rate limited");
  else if (g_str_has_prefix (name, "manyq"))
    {
      g_autoptr(GString) many = g_string_new (NULL);

      for (guint i = 0; i < 10000; i++)
        g_string_append_printf (many, "Question: What is item %u?\n", i);
      reply_content (msg, many->str);
    }
  else if (g_str_has_prefix (name, "leakstream"))
    {
      g_autofree char *content = leaky_content ();

      reply_stream_pieces (msg, content);
    }
  else if (g_str_has_prefix (name, "leak401"))
    {
      /* The key right where a 400-byte excerpt cuts, behind a lower-case header. */
      g_autofree char *filler = g_strnfill (380, 'a');
      g_autofree char *echo = g_strdup_printf ("%s authorization: bearer %s; rest", filler, KEY);

      reply_json (msg, 401, echo);
    }
  else if (g_str_has_prefix (name, "leakbearer"))
    reply_json (msg, 400, "{\"error\": {\"message\": \"authorization: bearer sk-other-proxy-token"
                          "\"}}");
  else
    reply_content (msg, "Question: What is it?\nAnswer: A cat.");
}

static TestServer *
server_new (void)
{
  TestServer *server = g_new0 (TestServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  server->server = soup_server_new (NULL, NULL);
  server->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  server->tickers = g_ptr_array_new_with_free_func ((GDestroyNotify) ticker_free);
  soup_server_add_handler (server->server, "/v1/chat/completions", handle_chat, server, NULL);
  soup_server_listen_local (server->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server->server);
  server->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return server;
}

static void
server_free (TestServer *server)
{
  g_ptr_array_unref (server->tickers);
  soup_server_disconnect (server->server);
  g_object_unref (server->server);
  g_hash_table_unref (server->counts);
  g_free (server->base_url);
  g_free (server);
}

static guint
count_for (TestServer *server,
           const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (server->counts, name));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = server_new ();
  syphus_fixture_set_up (fixture, fixture->server->base_url);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  syphus_fixture_tear_down (fixture);
  server_free (fixture->server);
}

/* Small limits where a case needs them (and generous timeouts elsewhere, so that a slow
 * machine, ASan or valgrind change nothing): each case ends in about a second when idle. */
static void
small_settings (MdSyphusQueueSettings *settings)
{
  md_syphus_queue_settings_init (settings);
  settings->concurrency = 4;
  settings->stall_timeout_ms = 60000;
  settings->deadline_ms = 0;
  settings->max_reply_bytes = 256 * 1024;
  settings->max_retry_wait_ms = 50;
  settings->max_attempts = 3;
  settings->backoff_base_ms = 10;
  settings->backoff_max_ms = 20;
}

static void
test_deadline (Fixture       *fixture,
               gconstpointer  data)
{
  MdSyphusQueueSettings settings;
  g_autoptr(MdSyphusGeneration) generation = NULL;

  /* Comments every 20 ms keep the silence timeout from ever firing; only the deadline ends
   * the request, and it is not retried. */
  small_settings (&settings);
  settings.deadline_ms = 300;
  syphus_fixture_open_queue (fixture, &settings);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "comments", TRUE);
  syphus_fixture_run (fixture, 300000);

  generation = syphus_fixture_generation (fixture, "comments");
  g_assert_cmpstr (generation->status, ==, "failed");
  g_assert_nonnull (strstr (generation->error, "no complete reply within 0.3 s "
                                               "(the request deadline"));
  /* Sent once (under valgrind the deadline may pass before the server reads it), not again. */
  g_assert_cmpuint (count_for (fixture->server, "comments"), <=, 1);
  g_assert_cmpuint (fixture->retries->len, ==, 0);
  g_assert_cmpuint (generation->attempts, ==, 1);
}

static void
test_reply_cap (Fixture       *fixture,
                gconstpointer  data)
{
  MdSyphusQueueSettings settings;
  g_autoptr(MdSyphusGeneration) longline = NULL;
  g_autoptr(MdSyphusGeneration) hugebody = NULL;

  small_settings (&settings);
  settings.stall_timeout_ms = 10000;   /* the cap alone must stop them */
  syphus_fixture_open_queue (fixture, &settings);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "longline", TRUE);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "hugebody", FALSE);
  syphus_fixture_run (fixture, 300000);

  longline = syphus_fixture_generation (fixture, "longline");
  g_assert_cmpstr (longline->status, ==, "failed");
  g_assert_nonnull (strstr (longline->error, "the reply passed 262144 bytes, the most a reply "
                                             "may have (max-reply-size)"));
  g_assert_cmpuint (count_for (fixture->server, "longline"), ==, 1);
  hugebody = syphus_fixture_generation (fixture, "hugebody");
  g_assert_cmpstr (hugebody->status, ==, "failed");
  g_assert_nonnull (strstr (hugebody->error, "(max-reply-size)"));
  g_assert_cmpuint (count_for (fixture->server, "hugebody"), ==, 1);
}

static const char *
retry_message (Fixture *fixture,
               guint    index)
{
  g_assert_cmpuint (index, <, fixture->retries->len);
  return g_ptr_array_index (fixture->retries, index);
}

static void
test_retry_after_capped (Fixture       *fixture,
                         gconstpointer  data)
{
  MdSyphusQueueSettings settings;
  g_autoptr(MdSyphusGeneration) date = NULL;
  g_autoptr(MdSyphusGeneration) secs = NULL;
  const char *first;
  const char *second;

  small_settings (&settings);
  settings.concurrency = 1;
  syphus_fixture_open_queue (fixture, &settings);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "date429", FALSE);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "secs429", FALSE);
  syphus_fixture_run (fixture, 300000);

  /* Both waits are cut to max_retry_wait_ms, and the message says what was asked. */
  g_assert_cmpuint (fixture->retries->len, ==, 2);
  first = retry_message (fixture, 0);
  second = retry_message (fixture, 1);
  g_assert_true (g_str_has_prefix (first, "50 "));
  g_assert_nonnull (strstr (first, "HTTP 429 Too Many Requests"));
  g_assert_nonnull (strstr (first, "the server asked to wait "));
  g_assert_nonnull (strstr (first, " days (Retry-After), waiting 0.1 s instead"));
  g_assert_true (g_str_has_prefix (second, "50 "));
  g_assert_nonnull (strstr (second, "the server asked to wait 27.8 h (Retry-After)"));
  date = syphus_fixture_generation (fixture, "date429");
  secs = syphus_fixture_generation (fixture, "secs429");
  g_assert_cmpstr (date->status, ==, "ok");
  g_assert_cmpuint (date->attempts, ==, 2);
  g_assert_cmpstr (secs->status, ==, "ok");
}

static void
test_error_bodies (Fixture       *fixture,
                   gconstpointer  data)
{
  MdSyphusQueueSettings settings;
  g_autoptr(MdSyphusGeneration) empty = NULL;
  g_autoptr(MdSyphusGeneration) limited = NULL;
  g_autoptr(MdSyphusGeneration) many = NULL;

  small_settings (&settings);
  settings.max_attempts = 1;
  settings.max_reply_bytes = 1024 * 1024;
  syphus_fixture_open_queue (fixture, &settings);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "empty502", FALSE);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "plain429", FALSE);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "manyq", FALSE);
  syphus_fixture_run (fixture, 300000);

  /* An empty body is said to be empty (no critical from GLib, no "(null)"). */
  empty = syphus_fixture_generation (fixture, "empty502");
  g_assert_cmpstr (empty->error, ==, "pair empty502: backend “test”: HTTP 502 Bad Gateway: "
                                     "(empty body)");
  /* libsoup does not name 429. */
  limited = syphus_fixture_generation (fixture, "plain429");
  g_assert_cmpstr (limited->error, ==, "pair plain429: backend “test”: HTTP 429 Too Many "
                                       "Requests: rate limited");
  /* 10,000 questions without answers: a bounded message that counts them. */
  many = syphus_fixture_generation (fixture, "manyq");
  g_assert_cmpstr (many->status, ==, "invalid");
  g_test_message ("manyq: %s", many->error);
  g_assert_cmpuint (strlen (many->error), <, 1500);
  g_assert_nonnull (strstr (many->error, "problems in all)"));
}

static void
assert_no_fragment (const char *what,
                    const char *text)
{
  if (text != NULL && syphus_test_holds_key (text, strlen (text)))
    g_error ("%s holds a fragment of the key: %s", what, text);
}

static void
test_redaction (Fixture       *fixture,
                gconstpointer  data)
{
  MdSyphusQueueSettings settings;
  const char *names[] = { "leakstream", "leak401", "leakbearer" };
  g_autofree char *wal = g_strconcat (fixture->journal_path, "-wal", NULL);
  g_autoptr(MdSyphusGeneration) stream = NULL;
  g_autoptr(MdSyphusGeneration) bearer = NULL;
  g_autoptr(GString) captured_log = g_string_new (NULL);

  syphus_test_capture_log (captured_log);
  md_syphus_backend_set_api_key (fixture->backend, KEY);
  small_settings (&settings);
  settings.max_attempts = 1;
  syphus_fixture_open_queue (fixture, &settings);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, names[i], i == 0);
  syphus_fixture_run (fixture, 300000);
  syphus_test_capture_log (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(MdSyphusGeneration) generation = syphus_fixture_generation (fixture, names[i]);

      assert_no_fragment ("an error", generation->error);
      assert_no_fragment ("a raw reply", generation->raw_reply);
      assert_no_fragment ("a parsed reply", generation->parsed);
    }
  /* The streamed text shown while it arrived, cut in 3-byte events. */
  g_assert_cmpuint (fixture->deltas->len, >, 0);
  assert_no_fragment ("the streamed text", fixture->deltas->str);
  for (guint i = 0; i < fixture->failures->len; i++)
    assert_no_fragment ("a job-finished message", g_ptr_array_index (fixture->failures, i));
  assert_no_fragment ("the log", captured_log->str);

  stream = syphus_fixture_generation (fixture, "leakstream");
  g_assert_cmpstr (stream->status, ==, "ok");
  g_assert_nonnull (strstr (stream->raw_reply, "Question: Is [redacted] the key?"));
  g_assert_cmpstr (stream->raw_reply, ==, fixture->deltas->str);
  bearer = syphus_fixture_generation (fixture, "leakbearer");
  g_assert_nonnull (strstr (bearer->error, "authorization: bearer [redacted]"));
  g_assert_null (strstr (bearer->error, "sk-other-proxy-token"));

  g_clear_object (&fixture->queue);
  g_clear_object (&fixture->journal);
  g_assert_true (g_file_test (fixture->journal_path, G_FILE_TEST_EXISTS));
  g_assert_false (syphus_test_file_holds_key (fixture->journal_path));
  g_assert_false (syphus_test_file_holds_key (wal));
}

static void
exec_sql (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

static void
test_journal_failure (Fixture       *fixture,
                      gconstpointer  data)
{
  MdSyphusQueueSettings settings;
  const char *failure;

  small_settings (&settings);
  syphus_fixture_open_queue (fixture, &settings);
  syphus_fixture_add_job (fixture, MD_SYPHUS_JOB_REGENERATE, "ok-a", FALSE);

  /* The journal cannot mark the job as running: it is not sent, and says why. */
  exec_sql (fixture->journal_path, "CREATE TRIGGER refuse BEFORE UPDATE ON syphus_jobs BEGIN "
                                   "SELECT RAISE(ABORT, 'database or disk is full'); END;");
  syphus_fixture_run (fixture, 300000);
  g_assert_cmpuint (fixture->server->n_requests, ==, 0);
  g_assert_cmpuint (fixture->failures->len, ==, 1);
  failure = g_ptr_array_index (fixture->failures, 0);
  g_assert_true (g_str_has_prefix (failure, "pair ok-a: the journal could not record the job"));
  g_assert_nonnull (strstr (failure, "database or disk is full"));
  g_assert_cmpuint (md_syphus_queue_get_n_failed (fixture->queue), ==, 1);

  /* The reply arrives but cannot be stored: the job fails visibly and stays to be sent again. */
  exec_sql (fixture->journal_path, "DROP TRIGGER refuse; CREATE TRIGGER refuse BEFORE INSERT ON "
                                   "syphus_generations BEGIN SELECT RAISE(ABORT, 'database or "
                                   "disk is full'); END;");
  g_ptr_array_set_size (fixture->failures, 0);
  syphus_fixture_open_queue (fixture, &settings);
  syphus_fixture_run (fixture, 300000);
  g_assert_cmpuint (fixture->server->n_requests, ==, 1);
  g_assert_cmpuint (fixture->failures->len, ==, 1);
  failure = g_ptr_array_index (fixture->failures, 0);
  g_assert_true (g_str_has_prefix (failure, "pair ok-a: the reply could not be stored in the "
                                            "journal"));
  g_assert_nonnull (strstr (failure, "database or disk is full"));
  g_assert_cmpuint (md_syphus_journal_count_jobs (fixture->journal, MD_SYPHUS_JOB_DONE), ==, 0);
}

static void
test_redact_pieces (void)
{
  g_autofree char *upper = g_ascii_strup (KEY, -1);
  g_autofree char *text = g_strdup_printf ("k=%s u=%s cut=%.10s| lo=authorization: bearer tok123 "
                                           "short=EMPTY", KEY, upper, KEY);
  g_autofree char *redacted = md_syphus_redact (text, KEY);
  g_autofree char *untouched = md_syphus_redact ("an EMPTY box, empty", "EMPTY");
  g_autoptr(MdSyphusRedactor) redactor = md_syphus_redactor_new (KEY);
  g_autoptr(GString) shown = g_string_new (NULL);
  g_autofree char *rest = NULL;

  g_assert_cmpstr (redacted, ==, "k=[redacted] u=[redacted] cut=[redacted]| "
                                 "lo=authorization: bearer [redacted] short=EMPTY");
  /* A short key (local servers take "none" or "EMPTY") is matched whole and exactly only. */
  g_assert_cmpstr (untouched, ==, "an [redacted] box, empty");

  /* Streamed a byte at a time, the key never shows, not even its first bytes. */
  for (const char *p = text; *p != '\0'; p++)
    {
      char piece[2] = { *p, '\0' };
      g_autofree char *out = md_syphus_redactor_push (redactor, piece);

      g_string_append (shown, out);
      assert_no_fragment ("streamed output", shown->str);
    }
  rest = md_syphus_redactor_finish (redactor);
  g_string_append (shown, rest);
  g_assert_cmpstr (shown->str, ==, "k=[redacted] u=[redacted] cut=[redacted]| "
                                   "lo=authorization: bearer tok123 short=EMPTY");
}

static void
test_field_cap (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("md-syphus-cap-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "review.sqlite", NULL);
  g_autoptr(MdReviewStore) review = NULL;
  g_autoptr(MdSyphusReviewWriter) writer = NULL;
  g_autofree char *long_answer = g_strnfill (MD_SYPHUS_MAX_TEXT_BYTES + 1, 'z');
  g_autoptr(GPtrArray) log = NULL;
  cJSON *root = cJSON_CreateObject ();
  cJSON *pair = cJSON_CreateObject ();
  char *printed;
  MdSyphusGeneration generation = {
    .id = 7, .kind = MD_SYPHUS_JOB_REGENERATE, .dataset = "DC", .pair_id = "DC_INS_00001",
    .model = "m", .status = "ok",
  };

  cJSON_AddStringToObject (pair, "question", "Short enough?");
  cJSON_AddStringToObject (pair, "answer", long_answer);
  cJSON_AddItemToArray (cJSON_AddArrayToObject (root, "pairs"), pair);
  printed = cJSON_PrintUnformatted (root);
  generation.parsed = printed;

  review = md_review_store_open (path, &error);
  g_assert_no_error (error);
  writer = md_syphus_review_writer_new (review, NULL);
  g_assert_cmpint (md_syphus_review_writer_apply (writer, &generation, MD_SYPHUS_PROPOSAL_ALL,
                                                  &error), ==, -1);
  g_assert_error (error, MD_ERROR, MD_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "generation 7 of pair DC_INS_00001: the proposed en "
                                            "answer has 65537 bytes, more than the 65536 a text "
                                            "may have; nothing was written"));
  g_clear_error (&error);
  /* Not even the short question went in. */
  log = md_review_store_get_log (review, "DC", "DC_INS_00001", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 0);

  cJSON_free (printed);
  cJSON_Delete (root);
  g_clear_object (&review);
  for (guint i = 0; i < 3; i++)
    {
      const char *suffixes[] = { "", "-wal", "-shm" };
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
  g_rmdir (dir);
}

static void
test_config_precision (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("md-syphus-config-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "backends.ini", NULL);
  g_autoptr(MdSyphusConfig) config = md_syphus_config_new ();
  g_autoptr(MdSyphusConfig) loaded = NULL;
  g_autofree char *text = NULL;
  MdSyphusQueueSettings settings;

  config->temperature = 0.7;
  config->deadline_s = 42;
  config->max_reply_bytes = 123456;
  config->max_retry_wait_s = 9;
  g_assert_true (md_syphus_config_save (config, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\ntemperature=0.7\n"));
  g_assert_nonnull (strstr (text, "\ndeadline=42\n"));

  loaded = md_syphus_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (loaded->temperature, ==, 0.7);
  md_syphus_config_get_queue_settings (loaded, &settings);
  g_assert_cmpuint (settings.deadline_ms, ==, 42000);
  g_assert_cmpuint (settings.max_reply_bytes, ==, 123456);
  g_assert_cmpuint (settings.max_retry_wait_ms, ==, 9000);
  g_remove (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  syphus_test_log_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/syphus/hostile/deadline", test_deadline);
  ADD ("/syphus/hostile/reply-cap", test_reply_cap);
  ADD ("/syphus/hostile/retry-after-capped", test_retry_after_capped);
  ADD ("/syphus/hostile/error-bodies", test_error_bodies);
  ADD ("/syphus/hostile/redaction", test_redaction);
  ADD ("/syphus/hostile/journal-failure", test_journal_failure);
#undef ADD
  g_test_add_func ("/syphus/hostile/redact-pieces", test_redact_pieces);
  g_test_add_func ("/syphus/hostile/field-cap", test_field_cap);
  g_test_add_func ("/syphus/hostile/config-precision", test_config_precision);
  return g_test_run ();
}
