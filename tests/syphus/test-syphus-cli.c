/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cJSON.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "md-review-store.h"
#include "md-syphus.h"
#include "syphus-test-key.h"

/* mimicdesk-cli regenerate / translate end to end: the sample imported into a temporary index, a
 * chat-completions server on 127.0.0.1 in this process, the CLI spawned against it, and the
 * review file read back through MdReviewStore. */

#define PAIR_ID "DC_INS_00001"
#define NEW_QUESTION "What does the person do after opening the door?"
#define NEW_ANSWER "The person walks in and waves."

typedef enum
{
  SERVE_NORMAL,
  SERVE_KILL_AT_THIRD,   /* the third request is held and the CLI killed meanwhile */
  SERVE_LEAK,            /* replies and errors that carry the key back */
  SERVE_RETRY_DATE,      /* a 429 first, asking to come back in 2099 */
  SERVE_SILENT,          /* every request is held without a byte of answer */
} Serve;

typedef struct
{
  SoupServer  *server;
  char        *base_url;
  GPtrArray   *bodies;     /* request bodies seen */
  char        *dir;
  char        *db;
  Serve        serve;
  GPtrArray   *held;       /* messages never answered */
  GSubprocess *process;    /* the CLI running now */
  const char **env;        /* NAME, VALUE, ..., NULL: more environment for the CLI */
  char        *err;        /* its stderr, once it ended */
} Fixture;

#define KEY SYPHUS_TEST_KEY

/* What Otter's prompts ask for: several pairs in one reply. */
static const char *several_pairs_reply =
  "Question: Who opens the door?\nAnswer: A man in a coat.\n\n"
  "Question: What does he hold?\nAnswer: An umbrella.\n\n"
  "Question: Where does he go?\nAnswer: Into the kitchen.\n";

static const char *translation_reply =
  "```json\n{\"a\": {\"zh\": \"说明 A\", \"es\": \"Instrucción A\", \"ja\": \"指示 A\", "
  "\"de\": \"Anweisung A\", \"fr\": \"Consigne A\", \"ko\": \"지시 A\", \"ar\": \"تعليمات A\"},\n"
  " \"b\": {\"zh\": \"回答 B\", \"es\": \"Respuesta B\", \"ja\": \"答え B\", \"de\": \"Antwort B\", "
  "\"fr\": \"Réponse B\", \"ko\": \"대답 B\", \"ar\": \"إجابة B\",}}\n```";

static char *
sse_event (const char *content)
{
  cJSON *root = cJSON_CreateObject ();
  cJSON *choice = cJSON_CreateObject ();
  char *printed;
  char *line;

  cJSON_AddStringToObject (cJSON_AddObjectToObject (choice, "delta"), "content", content);
  cJSON_AddItemToArray (cJSON_AddArrayToObject (root, "choices"), choice);
  printed = cJSON_PrintUnformatted (root);
  line = g_strdup_printf ("data: %s\n\n", printed);
  cJSON_free (printed);
  cJSON_Delete (root);
  return line;
}

/* The behaviours of fixture->serve that are not a reply. Returns TRUE when it answered. */
static gboolean
serve_hostile (Fixture           *fixture,
               SoupServerMessage *msg)
{
  guint n = fixture->bodies->len;

  if ((fixture->serve == SERVE_KILL_AT_THIRD && n == 3) || fixture->serve == SERVE_SILENT)
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (fixture->held, g_object_ref (msg));
      if (fixture->serve == SERVE_KILL_AT_THIRD)
        g_subprocess_force_exit (fixture->process);
      return TRUE;
    }
  if (fixture->serve == SERVE_LEAK && n % 2 == 0)
    {
      /* The key where a 400-byte excerpt cuts, behind a lower-case header. */
      g_autofree char *filler = g_strnfill (380, 'a');
      g_autofree char *echo = g_strdup_printf ("%s authorization: bearer %s; rest", filler, KEY);

      soup_server_message_set_status (msg, 401, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, echo, strlen (echo));
      return TRUE;
    }
  if (fixture->serve == SERVE_RETRY_DATE && n == 1)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "Thu, 31 Dec 2099 23:59:59 GMT");
      soup_server_message_set_status (msg, 429, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
      return TRUE;
    }
  return FALSE;
}

static void
on_chat (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fixture *fixture = user_data;
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request);
  g_autofree char *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  const char *reply = strstr (body, "<a>") != NULL ? translation_reply
                      : strstr (body, "(DC_INS_00002)") != NULL ? several_pairs_reply
                      : "Question: " NEW_QUESTION "\n"
                        "Answer: " NEW_ANSWER;
  g_autoptr(GString) stream = g_string_new (NULL);
  gsize length = strlen (reply);

  g_autofree char *leaky = NULL;

  g_ptr_array_add (fixture->bodies, g_strdup (body));
  if (serve_hostile (fixture, msg))
    return;
  if (fixture->serve == SERVE_LEAK)
    {
      g_autofree char *upper = g_ascii_strup (KEY, -1);

      /* Whole, upper-cased and split over two lines, in a reply that parses. */
      leaky = g_strdup_printf ("Question: Is %s the key?\nAnswer: Yes, %s, also %.12s\n%s.", KEY,
                               upper, KEY, KEY + 12);
      reply = leaky;
      length = strlen (reply);
    }
  /* The reply in three events, then the end marker. */
  for (gsize start = 0; start < length;)
    {
      gsize end = MIN (length, start + length / 3 + 1);
      g_autofree char *piece = NULL;
      g_autofree char *event = NULL;

      while (end < length && (reply[end] & 0xc0) == 0x80)
        end++;
      piece = g_strndup (reply + start, end - start);
      event = sse_event (piece);
      g_string_append (stream, event);
      start = end;
    }
  g_string_append (stream, "data: [DONE]\n\n");
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/event-stream", SOUP_MEMORY_COPY, stream->str,
                                    stream->len);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *config = NULL;
  g_autofree char *out = NULL;
  int status = 0;
  const char *argv[] = { g_getenv ("MD_CLI"), "import", "--db", NULL, g_getenv ("MD_SAMPLE_DIR"),
                         NULL };

  fixture->dir = g_dir_make_tmp ("md-syphus-cli-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "index.sqlite", NULL);
  fixture->bodies = g_ptr_array_new_with_free_func (g_free);
  fixture->held = g_ptr_array_new_with_free_func (g_object_unref);
  /* No backends.ini of the user's may change what the CLI does. */
  config = g_build_filename (fixture->dir, "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_unsetenv ("MIMICDESK_API_KEY");

  argv[3] = fixture->db;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, "/v1/chat/completions", on_chat, fixture, NULL);
  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fixture->server);
  fixture->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  soup_server_disconnect (fixture->server);
  g_ptr_array_unref (fixture->held);
  g_clear_object (&fixture->server);
  g_free (fixture->err);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->base_url);
  g_ptr_array_unref (fixture->bodies);
}

typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
  int       status;
} RunResult;

static void
on_communicated (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RunResult *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &run->out, &run->err,
                                        &error);
  g_assert_no_error (error);
  if (g_subprocess_get_if_signaled (G_SUBPROCESS (object)))
    run->status = 128 + g_subprocess_get_term_sig (G_SUBPROCESS (object));
  else
    run->status = g_subprocess_get_exit_status (G_SUBPROCESS (object));
  run->done = TRUE;
}

/* Runs the CLI while this process keeps serving HTTP. */
static int
run_cli (Fixture     *fixture,
         char       **out,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  RunResult run = { 0, };
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("MD_CLI"));
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; fixture->env != NULL && fixture->env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, fixture->env[i], fixture->env[i + 1], TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  fixture->process = process;
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  fixture->process = NULL;
  g_test_message ("stderr: %s", run.err);
  if (out != NULL)
    *out = g_steal_pointer (&run.out);
  g_free (run.out);
  g_free (fixture->err);
  fixture->err = g_steal_pointer (&run.err);
  return run.status;
}

static MdReviewStore *
open_review (Fixture *fixture)
{
  g_autofree char *path = md_review_store_default_path (fixture->db);
  g_autoptr(GError) error = NULL;
  MdReviewStore *review = md_review_store_open (path, &error);

  g_assert_no_error (error);
  return review;
}

static const MdReviewEntry *
find_entry (GPtrArray  *log,
            const char *lang,
            const char *field)
{
  for (guint i = log->len; i > 0; i--)
    {
      const MdReviewEntry *entry = g_ptr_array_index (log, i - 1);

      if (g_strcmp0 (entry->lang, lang) == 0 && g_strcmp0 (entry->field, field) == 0)
        return entry;
    }
  return NULL;
}

static void
test_regenerate_accept (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(MdReviewStore) review = open_review (fixture);
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *journal_path = md_syphus_journal_default_path (fixture->db);
  g_autoptr(MdSyphusJournal) journal = NULL;
  g_autoptr(GPtrArray) generations = NULL;
  const MdReviewEntry *entry;
  g_autofree char *answer = NULL;
  const char *sent;
  int status;

  /* The request must carry the current text and the reviewer's note, not the shard's text. */
  g_assert_cmpint (md_review_store_edit_text (review, "DC", PAIR_ID, MD_LANGUAGE_EN,
                                              MD_FIELD_INSTRUCTION, NULL,
                                              "Edited by a person: what happens first?", NULL,
                                              MD_REVIEW_AUTHOR_PERSON, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (md_review_store_set_status (review, "DC", PAIR_ID, NULL,
                                               MD_REVIEW_STATUS_FLAGGED, NULL,
                                               "Answer names the wrong colour", &error), >, 0);
  g_assert_no_error (error);

  status = run_cli (fixture, NULL, "regenerate", "--db", fixture->db, "--base-url",
                    fixture->base_url, "--model", "m", "--accept", PAIR_ID, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (fixture->bodies->len, ==, 1);
  sent = g_ptr_array_index (fixture->bodies, 0);
  g_assert_nonnull (strstr (sent, "Edited by a person: what happens first?"));
  g_assert_nonnull (strstr (sent, "Answer names the wrong colour"));
  g_assert_nonnull (strstr (sent, "\"model\":\"m\""));

  log = md_review_store_get_log (review, "DC", PAIR_ID, &error);
  g_assert_no_error (error);
  entry = find_entry (log, "en", "answer");
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->new_value, ==, NEW_ANSWER);
  g_assert_cmpstr (entry->author, ==, "m");
  g_assert_cmpint (entry->author_kind, ==, MD_REVIEW_AUTHOR_MODEL);
  entry = find_entry (log, "en", "instruction");
  g_assert_cmpstr (entry->new_value, ==, NEW_QUESTION);
  g_assert_cmpint (entry->author_kind, ==, MD_REVIEW_AUTHOR_MODEL);
  answer = md_review_store_get_text (review, "DC", PAIR_ID, MD_LANGUAGE_EN, MD_FIELD_ANSWER,
                                     "shard", NULL);
  g_assert_cmpstr (answer, ==, NEW_ANSWER);

  /* The journal sits beside the index and records the verdict. */
  g_assert_true (g_file_test (journal_path, G_FILE_TEST_IS_REGULAR));
  journal = md_syphus_journal_open (journal_path, &error);
  g_assert_no_error (error);
  generations = md_syphus_journal_list_generations (journal, "DC", PAIR_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (generations->len, ==, 1);
  g_assert_cmpint (((MdSyphusGeneration *) generations->pdata[0])->verdict, ==,
                   MD_SYPHUS_VERDICT_ACCEPTED);
}

static void
test_regenerate_no_accept (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(MdReviewStore) review = open_review (fixture);
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  /* Without --accept the result waits in the journal; the review file is untouched. */
  status = run_cli (fixture, NULL, "regenerate", "--db", fixture->db, "--base-url",
                    fixture->base_url, "--model", "m", PAIR_ID, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (fixture->bodies->len, ==, 1);
  log = md_review_store_get_log (review, "DC", PAIR_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 0);
}

static void
test_translate_accept (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(MdReviewStore) review = open_review (fixture);
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GError) error = NULL;
  guint n_model = 0;
  int status;

  status = run_cli (fixture, NULL, "translate", "--db", fixture->db, "--base-url",
                    fixture->base_url, "--model", "m", "--accept", PAIR_ID, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (fixture->bodies->len, ==, 1);

  log = md_review_store_get_log (review, "DC", PAIR_ID, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < log->len; i++)
    {
      const MdReviewEntry *entry = g_ptr_array_index (log, i);

      g_assert_cmpint (entry->author_kind, ==, MD_REVIEW_AUTHOR_MODEL);
      g_assert_cmpstr (entry->author, ==, "m");
      n_model++;
    }
  g_assert_cmpuint (n_model, ==, 14);
  for (MdLanguage lang = MD_LANGUAGE_ZH; lang < MD_N_LANGUAGES; lang++)
    {
      g_autofree char *a = md_review_store_get_text (review, "DC", PAIR_ID, lang,
                                                     MD_FIELD_INSTRUCTION, NULL, NULL);
      g_autofree char *b = md_review_store_get_text (review, "DC", PAIR_ID, lang,
                                                     MD_FIELD_ANSWER, NULL, NULL);

      g_assert_nonnull (a);
      g_assert_true (g_str_has_suffix (a, " A"));
      g_assert_true (g_str_has_suffix (b, " B"));
    }
  {
    g_autofree char *fr = md_review_store_get_text (review, "DC", PAIR_ID, MD_LANGUAGE_FR,
                                                    MD_FIELD_ANSWER, NULL, NULL);
    g_assert_cmpstr (fr, ==, "Réponse B");
  }
}

static void
test_dry_run (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *journal_path = md_syphus_journal_default_path (fixture->db);
  g_autofree char *prompt_path = g_build_filename (g_getenv ("MD_PROMPTS_DIR"), "DC.json", NULL);
  g_autofree char *prompt_text = NULL;
  cJSON *body;
  cJSON *messages;
  const cJSON *system;
  cJSON *prompt;
  int status;

  status = run_cli (fixture, &out, "regenerate", "--db", fixture->db, "--base-url",
                    fixture->base_url, "--model", "m", "--dry-run", PAIR_ID, NULL);
  g_assert_cmpint (status, ==, 0);
  /* Nothing sent, nothing journaled. */
  g_assert_cmpuint (fixture->bodies->len, ==, 0);
  g_assert_false (g_file_test (journal_path, G_FILE_TEST_EXISTS));

  /* One JSON document: the request, with the DC prompt's system message first. */
  g_assert_nonnull (out);
  g_assert_cmpuint (strlen (out), >, 0);
  g_assert_true (g_str_has_suffix (out, "\n"));
  g_assert_true (strchr (out, '\n') == out + strlen (out) - 1);   /* one line */
  body = cJSON_Parse (out);
  g_assert_nonnull (body);
  g_assert_cmpstr (cJSON_GetObjectItem (body, "model")->valuestring, ==, "m");
  messages = cJSON_GetObjectItem (body, "messages");
  g_assert_true (cJSON_GetArraySize (messages) >= 2);
  g_assert_true (g_file_get_contents (prompt_path, &prompt_text, NULL, NULL));
  prompt = cJSON_Parse (prompt_text);
  system = cJSON_GetArrayItem (messages, 0);
  g_assert_cmpstr (cJSON_GetObjectItem (system, "role")->valuestring, ==, "system");
  g_assert_cmpstr (cJSON_GetObjectItem (system, "content")->valuestring, ==,
                   cJSON_GetObjectItem (prompt, "system_message")->valuestring);
  g_assert_cmpstr (cJSON_GetObjectItem (cJSON_GetArrayItem (messages,
                                                            cJSON_GetArraySize (messages) - 1),
                                        "role")->valuestring, ==, "user");
  cJSON_Delete (prompt);
  cJSON_Delete (body);
}

static guint
n_model_entries (MdReviewStore *review,
                 const char    *pair_id)
{
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  log = md_review_store_get_log (review, "DC", pair_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < log->len; i++)
    n += ((const MdReviewEntry *) g_ptr_array_index (log, i))->author_kind ==
         MD_REVIEW_AUTHOR_MODEL;
  return n;
}

#define REGENERATE_THREE(fixture) \
  run_cli (fixture, NULL, "regenerate", "--db", (fixture)->db, "--base-url", (fixture)->base_url, \
           "--model", "m", "--accept", "--concurrency", "1", "DC_INS_00001", "DC_INS_00002", \
           "DC_INS_00003", NULL)

static void
test_accept_survives_kill (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(MdReviewStore) review = open_review (fixture);
  int status;

  /* Killed (SIGKILL) while the third request is in flight. */
  fixture->serve = SERVE_KILL_AT_THIRD;
  status = REGENERATE_THREE (fixture);
  g_assert_cmpint (status, ==, 128 + SIGKILL);
  g_assert_cmpuint (fixture->bodies->len, ==, 3);
  /* The two replies that arrived are in the review file already. */
  g_assert_cmpuint (n_model_entries (review, "DC_INS_00001"), ==, 2);
  g_assert_cmpuint (n_model_entries (review, "DC_INS_00002"), ==, 2);
  g_assert_cmpuint (n_model_entries (review, "DC_INS_00003"), ==, 0);

  /* The same command again sends only the interrupted request, and accepts its reply. */
  status = REGENERATE_THREE (fixture);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (fixture->bodies->len, ==, 4);
  g_assert_cmpuint (n_model_entries (review, "DC_INS_00001"), ==, 2);
  g_assert_cmpuint (n_model_entries (review, "DC_INS_00003"), ==, 2);

  /* And once more: nothing left to pay for. */
  status = REGENERATE_THREE (fixture);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (fixture->bodies->len, ==, 4);
}

static void
test_accept_later (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(MdReviewStore) review = open_review (fixture);
  g_autofree char *out = NULL;
  int status;

  /* A reply received without --accept is accepted by the same command with it, unsent. */
  status = run_cli (fixture, NULL, "regenerate", "--db", fixture->db, "--base-url",
                    fixture->base_url, "--model", "m", PAIR_ID, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (n_model_entries (review, PAIR_ID), ==, 0);
  status = run_cli (fixture, &out, "regenerate", "--db", fixture->db, "--base-url",
                    fixture->base_url, "--model", "m", "--accept", PAIR_ID, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (fixture->bodies->len, ==, 1);
  g_assert_cmpuint (n_model_entries (review, PAIR_ID), ==, 2);
  g_assert_nonnull (strstr (out, "1 replies received before were accepted"));

  /* --again pays for a new one on purpose. */
  status = run_cli (fixture, NULL, "regenerate", "--db", fixture->db, "--base-url",
                    fixture->base_url, "--model", "m", "--again", PAIR_ID, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (fixture->bodies->len, ==, 2);
}

static void
assert_file_keyless (const char *path)
{
  g_test_message ("scanning %s", path);
  if (syphus_test_file_holds_key (path))
    g_error ("%s holds a fragment of the key", path);
}

static void
test_key_fragments (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *journal = md_syphus_journal_default_path (fixture->db);
  g_autofree char *review = md_review_store_default_path (fixture->db);
  const char *suffixes[] = { "", "-wal" };
  const char *env[] = { "MIMICDESK_API_KEY", KEY, "G_MESSAGES_DEBUG", "all", NULL };
  int status;

  /* Replies carry the key whole, upper-cased and split; errors echo it where the excerpt cuts.
   * Debug logging is on, so the logs are scanned too (GLib writes them to stdout/stderr). */
  fixture->serve = SERVE_LEAK;
  fixture->env = env;
  status = run_cli (fixture, &out, "regenerate", "--db", fixture->db, "--base-url",
                    fixture->base_url, "--model", "m", "--accept", "--max-attempts", "1",
                    "--concurrency", "1", "DC_INS_00001", "DC_INS_00002", "DC_INS_00003",
                    "DC_INS_00004", NULL);
  fixture->env = NULL;
  g_assert_cmpint (status, ==, 2);   /* partial: two replies accepted, two refused */
  g_assert_cmpuint (fixture->bodies->len, ==, 4);
  g_assert_nonnull (strstr (fixture->err, "HTTP 401 Unauthorized"));
  g_assert_true (strstr (fixture->err, "POST") != NULL || strstr (out, "POST") != NULL);
  g_assert_false (syphus_test_holds_key (fixture->err, strlen (fixture->err)));
  g_assert_false (syphus_test_holds_key (out, strlen (out)));
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *a = g_strconcat (journal, suffixes[i], NULL);
      g_autofree char *b = g_strconcat (review, suffixes[i], NULL);

      assert_file_keyless (a);
      assert_file_keyless (b);
    }
  {
    g_autoptr(MdReviewStore) store = open_review (fixture);
    g_autofree char *text = md_review_store_get_text (store, "DC", "DC_INS_00001", MD_LANGUAGE_EN,
                                                      MD_FIELD_INSTRUCTION, NULL, NULL);

    g_assert_cmpstr (text, ==, "Is [redacted] the key?");
  }
}

static void
test_retry_wait_shown (Fixture       *fixture,
                       gconstpointer  data)
{
  int status;

  fixture->serve = SERVE_RETRY_DATE;
  status = run_cli (fixture, NULL, "regenerate", "--db", fixture->db, "--base-url",
                    fixture->base_url, "--model", "m", "--max-retry-wait", "0", PAIR_ID, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (fixture->bodies->len, ==, 2);
  g_assert_nonnull (strstr (fixture->err, "HTTP 429 Too Many Requests"));
  g_assert_nonnull (strstr (fixture->err, " days (Retry-After), waiting 0.0 s instead); "
                                          "retrying in 0.0 s"));
}

static void
test_deadline_option (Fixture       *fixture,
                      gconstpointer  data)
{
  int status;

  /* A server that never answers, well inside the silence timeout: the deadline ends it. */
  fixture->serve = SERVE_SILENT;
  status = run_cli (fixture, NULL, "regenerate", "--db", fixture->db, "--base-url",
                    fixture->base_url, "--model", "m", "--timeout", "600", "--deadline", "1",
                    PAIR_ID, NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_cmpuint (fixture->bodies->len, <=, 1);
  g_assert_nonnull (strstr (fixture->err, "no complete reply within 1.0 s (the request deadline"));
}

/* One pair of a reply replaces the pair; the CLI says how many others there were. */
static void
test_regenerate_several_pairs (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(MdReviewStore) review = open_review (fixture);
  g_autofree char *out = NULL;
  g_autofree char *answer = NULL;
  int status;

  status = run_cli (fixture, &out, "regenerate", "--db", fixture->db, "--base-url",
                    fixture->base_url, "--model", "m", "--accept", "DC_INS_00002", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (fixture->err, "3 Question/Answer pairs in the reply; the first "
                                          "replaces the pair, 2 are not used"));
  g_assert_nonnull (strstr (out, "2 more Question/Answer pairs of the replies not used"));
  answer = md_review_store_get_text (review, "DC", "DC_INS_00002", MD_LANGUAGE_EN,
                                     MD_FIELD_ANSWER, NULL, NULL);
  g_assert_cmpstr (answer, ==, "A man in a coat.");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/syphus/cli/regenerate-accept", Fixture, NULL, fixture_setup,
              test_regenerate_accept, fixture_teardown);
  g_test_add ("/syphus/cli/regenerate-waits", Fixture, NULL, fixture_setup,
              test_regenerate_no_accept, fixture_teardown);
  g_test_add ("/syphus/cli/translate-accept", Fixture, NULL, fixture_setup,
              test_translate_accept, fixture_teardown);
  g_test_add ("/syphus/cli/regenerate-several-pairs", Fixture, NULL, fixture_setup,
              test_regenerate_several_pairs, fixture_teardown);
  g_test_add ("/syphus/cli/dry-run", Fixture, NULL, fixture_setup, test_dry_run,
              fixture_teardown);
  g_test_add ("/syphus/cli/accept-survives-kill", Fixture, NULL, fixture_setup,
              test_accept_survives_kill, fixture_teardown);
  g_test_add ("/syphus/cli/accept-later", Fixture, NULL, fixture_setup, test_accept_later,
              fixture_teardown);
  g_test_add ("/syphus/cli/key-fragments", Fixture, NULL, fixture_setup, test_key_fragments,
              fixture_teardown);
  g_test_add ("/syphus/cli/retry-wait-shown", Fixture, NULL, fixture_setup,
              test_retry_wait_shown, fixture_teardown);
  g_test_add ("/syphus/cli/deadline-option", Fixture, NULL, fixture_setup,
              test_deadline_option, fixture_teardown);
  return g_test_run ();
}
