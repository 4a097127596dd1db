/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-syphus"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

#include "md-syphus.h"

/* Client overhead of the Syphus engine per request, at concurrency 8, against a server in this
 * process that answers at once. The baseline is raw SoupSession requests of the same body; the
 * ratios hold on a noisy machine because both run here, one after the other.
 *   ninja -C _build tests/bench/bench-syphus && _build/tests/bench/bench-syphus [N] */

#define CONCURRENCY 8

static const char reply[] =
  "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Question: q?\\nAnswer: a.\"},"
  "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}";

static void
handle_chat (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
             gpointer user_data)
{
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, reply,
                                    strlen (reply));
}

typedef struct
{
  SoupSession *session;
  char        *url;
  const char  *body;
  guint        started;
  guint        done;
  guint        total;
} Raw;

static void raw_next (Raw *raw);

static void
on_raw_done (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Raw *raw = user_data;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);

  g_assert (bytes != NULL);
  raw->done++;
  raw_next (raw);
}

static void
raw_next (Raw *raw)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;

  if (raw->started >= raw->total)
    return;
  raw->started++;
  message = soup_message_new ("POST", raw->url);
  body = g_bytes_new_static (raw->body, strlen (raw->body));
  soup_message_set_request_body_from_bytes (message, "application/json", body);
  soup_session_send_and_read_async (raw->session, message, G_PRIORITY_DEFAULT, NULL, on_raw_done,
                                    raw);
}

static void
on_finished (MdSyphusQueue *queue, gboolean *finished)
{
  *finished = TRUE;
}

int
main (int argc, char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 2000;
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(MdSyphusPrompt) prompt = md_syphus_prompt_new_simple ("bench", "sys");
  g_autoptr(MdSyphusBackend) backend = NULL;
  g_autoptr(MdSyphusJournal) journal = NULL;
  g_autoptr(MdSyphusQueue) queue = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *journal_path = NULL;
  g_autofree char *body = NULL;
  MdSyphusQueueSettings settings;
  MdSyphusRequestOptions options;
  MdSyphusPairInput input = { .dataset = "B", .instruction = "q", .answer = "a" };
  gboolean finished = FALSE;
  gint64 t0, raw_us, queue_us, add_us;
  GSList *uris;
  Raw raw = { 0, };

  soup_server_add_handler (server, "/v1/chat/completions", handle_chat, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  md_syphus_request_options_init (&options, "bench-model");
  options.stream = FALSE;
  input.id = "B_INS_0";
  body = md_syphus_request_build (MD_SYPHUS_JOB_REGENERATE, prompt, &input, &options, NULL);

  /* Baseline: raw SoupSession, 8 in flight. */
  raw.session = soup_session_new_with_options ("max-conns-per-host", CONCURRENCY, NULL);
  raw.url = g_strconcat (base, "/v1/chat/completions", NULL);
  raw.body = body;
  raw.total = n;
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < CONCURRENCY; i++)
    raw_next (&raw);
  while (raw.done < n)
    g_main_context_iteration (NULL, TRUE);
  raw_us = g_get_monotonic_time () - t0;
  g_object_unref (raw.session);
  g_free (raw.url);

  /* The engine: request building, journal, queue, backend, parsing, generation records. */
  dir = g_dir_make_tmp ("bench-syphus-XXXXXX", &error);
  g_assert_no_error (error);
  journal_path = g_build_filename (dir, "journal.sqlite", NULL);
  journal = md_syphus_journal_open (journal_path, &error);
  g_assert_no_error (error);
  backend = md_syphus_backend_new ("bench", base, "bench-model", MD_SYPHUS_BACKEND_LOCAL);
  md_syphus_queue_settings_init (&settings);
  settings.concurrency = CONCURRENCY;
  queue = md_syphus_queue_new (backend, journal, &settings);
  g_signal_connect (queue, "finished", G_CALLBACK (on_finished), &finished);

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("B_INS_%u", i);

      input.id = id;
      md_syphus_queue_add (queue, MD_SYPHUS_JOB_REGENERATE, prompt, &input, &options, &error);
      g_assert_no_error (error);
    }
  add_us = g_get_monotonic_time () - t0;
  t0 = g_get_monotonic_time ();
  md_syphus_queue_start (queue, &error);
  g_assert_no_error (error);
  while (!finished)
    g_main_context_iteration (NULL, TRUE);
  queue_us = g_get_monotonic_time () - t0;
  g_assert (md_syphus_queue_get_n_done (queue) == n);

  printf ("requests: %u at concurrency %d\n", n, CONCURRENCY);
  printf ("raw SoupSession: %.3f ms/request\n", raw_us / 1000.0 / n);
  printf ("engine queue:    %.3f ms/request (plus %.3f ms/job to build and journal it)\n",
          queue_us / 1000.0 / n, add_us / 1000.0 / n);
  printf ("client overhead: %.3f ms/request (run) %.3f ms/request (with add)\n",
          (queue_us - raw_us) / 1000.0 / n, (queue_us + add_us - raw_us) / 1000.0 / n);
  printf ("ratio engine/raw: %.2f (run) %.2f (with add)\n", (double) queue_us / raw_us,
          (double) (queue_us + add_us) / raw_us);

  g_clear_object (&queue);
  g_clear_object (&journal);
  {
    g_autofree char *wal = g_strconcat (journal_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (journal_path, "-shm", NULL);

    g_remove (journal_path);
    g_remove (wal);
    g_remove (shm);
    g_rmdir (dir);
  }
  return 0;
}
