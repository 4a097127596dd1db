/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the queue tests share: a journal in a temporary folder, a backend pointing at the test's
 * own server, a queue whose signals are recorded, and a log writer that can capture messages.
 * The server is the test file's own (struct _TestServer); the fixture only points at it. */

#include "md-syphus.h"

typedef struct _TestServer TestServer;

typedef struct
{
  TestServer      *server;
  char            *dir;
  char            *journal_path;
  MdSyphusBackend *backend;
  MdSyphusJournal *journal;
  MdSyphusQueue   *queue;
  GString         *deltas;
  gint64           delta_job;     /* collect the streamed text of this job only; 0: of all */
  GPtrArray       *retries;       /* "DELAY_MS MESSAGE" of each job-retry */
  GPtrArray       *failures;      /* the message of each job-finished "failed" */
  guint            n_finished_jobs;
  guint            n_retries;
  gboolean         finished;
  guint            close_after;   /* close the queue after this many jobs finished */
} Fixture;

void                syphus_fixture_set_up     (Fixture                     *fixture,
                                               const char                  *base_url);
/* Everything but the server. */
void                syphus_fixture_tear_down  (Fixture                     *fixture);
/* (Re)opens the journal and a queue on it. */
void                syphus_fixture_open_queue (Fixture                     *fixture,
                                               const MdSyphusQueueSettings *settings);
/* A job of dataset "TST" whose instruction carries the marker "pair=NAME;". */
gint64              syphus_fixture_add_job    (Fixture                     *fixture,
                                               MdSyphusJobKind              kind,
                                               const char                  *name,
                                               gboolean                     stream);
/* Starts the queue (unless it already finished) and runs until "finished"; @timeout_ms only
 * guards against a hang. */
void                syphus_fixture_run        (Fixture                     *fixture,
                                               guint                        timeout_ms);
MdSyphusGeneration *syphus_fixture_generation (Fixture                     *fixture,
                                               const char                  *name);

/* Installs the log writer (call once, after g_test_init()). While capturing, every log message is appended to the string (debug ones are not printed). */
void                syphus_test_log_init      (void);
void                syphus_test_capture_log   (GString                     *captured);
gboolean            syphus_test_file_contains (const char                  *path,
                                               const char                  *needle);
