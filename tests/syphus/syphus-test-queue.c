/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "syphus-test-queue.h"

static void
on_job_finished (MdSyphusQueue *queue,
                 gint64         job_id,
                 gint64         generation_id,
                 const char    *status,
                 const char    *message,
                 Fixture       *fixture)
{
  fixture->n_finished_jobs++;
  if (g_strcmp0 (status, "failed") == 0)
    g_ptr_array_add (fixture->failures, g_strdup (message));
  if (fixture->close_after > 0 && fixture->n_finished_jobs == fixture->close_after)
    {
      md_syphus_queue_close (queue);
      fixture->finished = TRUE;
    }
}

static void
on_delta (MdSyphusQueue *queue,
          gint64         job_id,
          const char    *text,
          Fixture       *fixture)
{
  if (fixture->delta_job == 0 || job_id == fixture->delta_job)
    g_string_append (fixture->deltas, text);
}

static void
on_retry (MdSyphusQueue *queue,
          gint64         job_id,
          guint          attempt,
          guint          delay_ms,
          const char    *message,
          Fixture       *fixture)
{
  fixture->n_retries++;
  g_ptr_array_add (fixture->retries, g_strdup_printf ("%u %s", delay_ms, message));
}

static void
on_finished (MdSyphusQueue *queue,
             Fixture       *fixture)
{
  fixture->finished = TRUE;
}

void
syphus_fixture_set_up (Fixture    *fixture,
                       const char *base_url)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("md-syphus-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->journal_path = g_build_filename (fixture->dir, "journal.sqlite", NULL);
  fixture->backend = md_syphus_backend_new ("test", base_url, "test-model",
                                            MD_SYPHUS_BACKEND_LOCAL);
  fixture->deltas = g_string_new (NULL);
  fixture->retries = g_ptr_array_new_with_free_func (g_free);
  fixture->failures = g_ptr_array_new_with_free_func (g_free);
}

void
syphus_fixture_tear_down (Fixture *fixture)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->queue);
  g_clear_object (&fixture->journal);
  g_clear_object (&fixture->backend);
  /* Let cancelled requests unwind before the server goes. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->journal_path);
  g_string_free (fixture->deltas, TRUE);
  g_ptr_array_unref (fixture->retries);
  g_ptr_array_unref (fixture->failures);
}

void
syphus_fixture_open_queue (Fixture                     *fixture,
                           const MdSyphusQueueSettings *settings)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->queue);
  g_clear_object (&fixture->journal);
  fixture->journal = md_syphus_journal_open (fixture->journal_path, &error);
  g_assert_no_error (error);
  fixture->queue = md_syphus_queue_new (fixture->backend, fixture->journal, settings);
  g_signal_connect (fixture->queue, "job-finished", G_CALLBACK (on_job_finished), fixture);
  g_signal_connect (fixture->queue, "delta", G_CALLBACK (on_delta), fixture);
  g_signal_connect (fixture->queue, "job-retry", G_CALLBACK (on_retry), fixture);
  g_signal_connect (fixture->queue, "finished", G_CALLBACK (on_finished), fixture);
  fixture->finished = FALSE;
  fixture->n_finished_jobs = 0;
}

gint64
syphus_fixture_add_job (Fixture         *fixture,
                        MdSyphusJobKind  kind,
                        const char      *name,
                        gboolean         stream)
{
  g_autoptr(MdSyphusPrompt) prompt = md_syphus_prompt_new_simple ("test-prompt", "sys");
  g_autoptr(GError) error = NULL;
  g_autofree char *instruction = g_strdup_printf ("pair=%s; what is it?", name);
  MdSyphusPairInput input = {
    .id = name, .dataset = "TST", .instruction = instruction, .answer = "It is a cat.",
    .reviewer_note = "too short",
  };
  MdSyphusRequestOptions options;
  gint64 id;

  md_syphus_request_options_init (&options, "test-model");
  options.stream = stream;
  id = md_syphus_queue_add (fixture->queue, kind, prompt, &input, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

void
syphus_fixture_run (Fixture *fixture,
                    guint    timeout_ms)
{
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  if (!fixture->finished)
    {
      md_syphus_queue_start (fixture->queue, &error);
      g_assert_no_error (error);
    }
  while (!fixture->finished)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        g_error ("the queue did not finish in %u ms", timeout_ms);
    }
}

MdSyphusGeneration *
syphus_fixture_generation (Fixture    *fixture,
                           const char *name)
{
  g_autoptr(GPtrArray) generations = NULL;
  g_autoptr(GError) error = NULL;

  generations = md_syphus_journal_list_generations (fixture->journal, "TST", name, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (generations->len, ==, 1);
  return g_ptr_array_steal_index (generations, 0);
}

static GString *captured_log;

static GLogWriterOutput
capture_log_or_default (GLogLevelFlags   level,
                        const GLogField *fields,
                        gsize            n_fields,
                        gpointer         user_data)
{
  if (captured_log == NULL)
    return g_log_writer_default (level, fields, n_fields, user_data);
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
      {
        g_string_append_len (captured_log, fields[i].value,
                             fields[i].length < 0 ? (gssize) strlen (fields[i].value)
                                                  : fields[i].length);
        g_string_append_c (captured_log, '\n');
      }
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

void
syphus_test_log_init (void)
{
  g_log_set_writer_func (capture_log_or_default, NULL, NULL);
}

void
syphus_test_capture_log (GString *captured)
{
  captured_log = captured;
  g_log_set_debug_enabled (captured != NULL);
}

gboolean
syphus_test_file_contains (const char *path,
                           const char *needle)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &data, &length, NULL))
    return FALSE;
  /* The file is binary (SQLite pages): search bytes, not a C string. */
  for (gsize i = 0; i + strlen (needle) <= length; i++)
    if (memcmp (data + i, needle, strlen (needle)) == 0)
      return TRUE;
  return FALSE;
}
