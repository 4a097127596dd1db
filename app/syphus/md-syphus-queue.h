/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The job queue of a batch: N requests at a time against one backend, a stall timeout per
 * request, retries with exponential backoff and jitter on 429 (Retry-After honoured), 5xx,
 * timeouts and broken connections, budgets of requests and tokens, pause/resume/cancel. Jobs
 * live in an MdSyphusJournal, so a batch resumes after the app was closed.
 *
 * Runs on the thread-default main context of its creator; every signal is emitted there. */

#include <gio/gio.h>

#include "md-syphus-backend.h"
#include "md-syphus-journal.h"
#include "md-syphus-prompt.h"
#include "md-syphus-request.h"

G_BEGIN_DECLS

#define MD_TYPE_SYPHUS_QUEUE (md_syphus_queue_get_type ())
G_DECLARE_FINAL_TYPE (MdSyphusQueue, md_syphus_queue, MD, SYPHUS_QUEUE, GObject)

typedef struct
{
  guint  concurrency;        /* default 4 */
  guint  stall_timeout_ms;   /* no byte for this long fails the attempt; default 120000 */
  guint  max_attempts;       /* default 5 */
  guint  backoff_base_ms;    /* first retry after base..2*base; default 1000 */
  guint  backoff_max_ms;     /* default 60000 */
  guint  max_requests;       /* HTTP requests per run, retries included; 0: no limit */
  guint64 max_tokens;        /* prompt + completion tokens per run; 0: no limit */
  guint  deadline_ms;        /* total time of one attempt; default 600000; 0: none */
  gsize  max_reply_bytes;    /* size of one reply; default 8 MiB; 0: no limit */
  guint  max_retry_wait_ms;  /* a longer Retry-After is cut to this; default 300000 */
  gboolean reuse_replies;    /* add(): an identical request already answered (parsed, not
                              * rejected), or a pair whose current texts are the regeneration
                              * accepted last, is not sent again; that job is returned */
  gboolean accept_on_arrival; /* jobs added are accepted as soon as their reply parses, also
                               * when a later run receives it (the flag is journaled) */
} MdSyphusQueueSettings;

void           md_syphus_queue_settings_init (MdSyphusQueueSettings       *settings);

MdSyphusQueue *md_syphus_queue_new           (MdSyphusBackend             *backend,
                                              MdSyphusJournal             *journal,
                                              const MdSyphusQueueSettings *settings);
MdSyphusJournal *md_syphus_queue_get_journal (MdSyphusQueue               *self);

/* Builds the request and journals the job. Returns the job id (an existing one when the pair
 * already waits in the journal), 0 on error. */
gint64         md_syphus_queue_add           (MdSyphusQueue               *self,
                                              MdSyphusJobKind              kind,
                                              MdSyphusPrompt              *prompt,
                                              const MdSyphusPairInput     *input,
                                              const MdSyphusRequestOptions *options,
                                              GError                     **error);

/* Loads the journal's queued jobs and starts sending. First accepts the replies of jobs flagged
 * accept-on-arrival that arrived but were not applied (the process was killed in between). Emits "finished" when nothing is left to
 * do (or a budget is spent, or after cancel). */
gboolean       md_syphus_queue_start         (MdSyphusQueue               *self,
                                              GError                     **error);
/* Like md_syphus_queue_start(), but sends only the given jobs of the journal (those still
 * queued), not every queued one: a single pair sent from the window must not wake a paused batch
 * sharing the journal. */
gboolean       md_syphus_queue_start_jobs    (MdSyphusQueue               *self,
                                              const gint64                *job_ids,
                                              guint                        n_jobs,
                                              GError                     **error);
/* Accepts the replies of jobs flagged accept-on-arrival that arrived but were never applied
 * (start does it too), emitting "accepted" for each. */
gboolean       md_syphus_queue_apply_accepted (MdSyphusQueue              *self,
                                               GError                    **error);
/* Pause: no new request starts; the ones in flight finish. */
void           md_syphus_queue_pause         (MdSyphusQueue               *self);
void           md_syphus_queue_resume        (MdSyphusQueue               *self);
gboolean       md_syphus_queue_is_paused     (MdSyphusQueue               *self);
/* Cancels every job of the run: in flight and queued jobs end as "cancelled" in the journal. */
void           md_syphus_queue_cancel        (MdSyphusQueue               *self);
/* Stops at once without deciding anything: jobs in flight go back to "queued" in the journal,
 * to be sent again by the next run. Also done on dispose. */
void           md_syphus_queue_close         (MdSyphusQueue               *self);

guint          md_syphus_queue_get_n_pending (MdSyphusQueue               *self);
guint          md_syphus_queue_get_n_active  (MdSyphusQueue               *self);
guint          md_syphus_queue_get_n_done    (MdSyphusQueue               *self);
guint          md_syphus_queue_get_n_failed  (MdSyphusQueue               *self);
guint          md_syphus_queue_get_n_requests (MdSyphusQueue              *self);
guint64        md_syphus_queue_get_n_tokens  (MdSyphusQueue               *self);
gboolean       md_syphus_queue_get_limit_reached (MdSyphusQueue           *self);

/* Signals:
 *   job-started  (gint64 job_id, guint attempt)
 *   delta        (gint64 job_id, const char *text)          streamed content
 *   job-retry    (gint64 job_id, guint attempt, guint delay_ms, const char *error)
 *   job-finished (gint64 job_id, gint64 generation_id, const char *status, const char *error)
 *                 also when the journal cannot record a job: status "failed", the job unsent
 *   accepted     (gint64 job_id, gint64 generation_id, const char *error)
 *                 a reply accepted on arrival (error NULL) or that could not be (error set)
 *   finished     ()                                         nothing more will be sent
 * Every error message is bounded (a few hundred bytes) and free of the key.
 */

G_END_DECLS
