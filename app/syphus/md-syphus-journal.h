/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The journal of a Syphus batch: jobs and the generations they produced, in an SQLite file
 * chosen by the caller (WAL; tables syphus_jobs and syphus_generations). It is what lets a batch
 * survive closing the app: a job that was in flight is queued again on open, and a job whose
 * generation is stored is done for good. The API key is never given to the journal. */

#include <gio/gio.h>

#include "md-syphus-request.h"

G_BEGIN_DECLS

typedef enum
{
  MD_SYPHUS_JOB_QUEUED,
  MD_SYPHUS_JOB_RUNNING,
  MD_SYPHUS_JOB_DONE,       /* a generation is stored (parsed or not) */
  MD_SYPHUS_JOB_FAILED,     /* attempts exhausted or a request the server refused */
  MD_SYPHUS_JOB_CANCELLED,
} MdSyphusJobState;

const char *md_syphus_job_state_name (MdSyphusJobState state);

typedef struct
{
  gint64            id;
  MdSyphusJobKind   kind;
  MdSyphusJobState  state;
  char             *dataset;
  char             *pair_id;
  char             *prompt;     /* prompt file name */
  char             *backend;
  char             *model;
  char             *request;    /* the JSON body, exactly as sent */
  guint             attempts;
  char             *last_error;
  gboolean          accept;     /* accept the reply as soon as it parses (--accept) */
} MdSyphusJob;

void md_syphus_job_free (MdSyphusJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSyphusJob, md_syphus_job_free)

typedef enum
{
  MD_SYPHUS_VERDICT_NONE,
  MD_SYPHUS_VERDICT_ACCEPTED,
  MD_SYPHUS_VERDICT_REJECTED,
} MdSyphusVerdict;

typedef struct
{
  gint64           id;
  gint64           job_id;
  MdSyphusJobKind  kind;
  char            *dataset;
  char            *pair_id;
  char            *prompt;
  char            *backend;
  char            *model;
  char            *request;            /* messages and parameters, as sent */
  char            *params;             /* {"temperature", "max_tokens", "top_p", "stream"} */
  char            *raw_reply;          /* NULL when no reply arrived */
  char            *parsed;             /* JSON of the parsed reply; NULL when unparseable */
  gint64           prompt_tokens;      /* -1 when unknown */
  gint64           completion_tokens;
  gint64           latency_ms;
  guint            attempts;
  char            *status;             /* "ok", "invalid" (reply kept, not usable), "failed" */
  char            *error;
  MdSyphusVerdict  verdict;
  gint64           created;            /* unix seconds */
} MdSyphusGeneration;

void md_syphus_generation_free (MdSyphusGeneration *generation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSyphusGeneration, md_syphus_generation_free)

/* Called when a generation is accepted, before the verdict is stored; the review library writes
 * the model-authored revisions here. Returning FALSE keeps the generation undecided. */
typedef gboolean (*MdSyphusAcceptFunc) (const MdSyphusGeneration  *generation,
                                        gpointer                   user_data,
                                        GError                   **error);

#define MD_TYPE_SYPHUS_JOURNAL (md_syphus_journal_get_type ())
G_DECLARE_FINAL_TYPE (MdSyphusJournal, md_syphus_journal, MD, SYPHUS_JOURNAL, GObject)

/* Creates the file and tables when needed; jobs left "running" by a previous process are queued
 * again. */
MdSyphusJournal *md_syphus_journal_open            (const char          *path,
                                                    GError             **error);
const char      *md_syphus_journal_get_path        (MdSyphusJournal     *self);

/* Adds a queued job, or returns the id of the unfinished job (queued or running) that already
 * exists for the same kind and pair, so that adding a pair twice does not send it twice. */
gint64           md_syphus_journal_add_job         (MdSyphusJournal     *self,
                                                    MdSyphusJobKind      kind,
                                                    const char          *dataset,
                                                    const char          *pair_id,
                                                    const char          *prompt,
                                                    const char          *backend,
                                                    const char          *model,
                                                    const char          *request,
                                                    gboolean            *out_existing,
                                                    GError             **error);
/* Jobs in @state, oldest first. */
GPtrArray       *md_syphus_journal_list_jobs       (MdSyphusJournal     *self,
                                                    MdSyphusJobState     state,
                                                    GError             **error);
MdSyphusJob     *md_syphus_journal_get_job         (MdSyphusJournal     *self,
                                                    gint64               job_id,
                                                    GError             **error);
guint            md_syphus_journal_count_jobs      (MdSyphusJournal     *self,
                                                    MdSyphusJobState     state);
gboolean         md_syphus_journal_set_job_state   (MdSyphusJournal     *self,
                                                    gint64               job_id,
                                                    MdSyphusJobState     state,
                                                    guint                attempts,
                                                    const char          *last_error,
                                                    GError             **error);
/* Flags a job to have its reply accepted on arrival, also by a later run after a kill. */
gboolean         md_syphus_journal_set_job_accept  (MdSyphusJournal     *self,
                                                    gint64               job_id,
                                                    gboolean             accept,
                                                    GError             **error);
/* The done job that sent exactly @request for the pair and got a reply that parsed and was not
 * rejected (the newest), or 0; 0 with @error set when the journal cannot be read. */
gint64           md_syphus_journal_find_answer     (MdSyphusJournal     *self,
                                                    MdSyphusJobKind      kind,
                                                    const char          *dataset,
                                                    const char          *pair_id,
                                                    const char          *request,
                                                    GError             **error);
/* Replies of jobs flagged accept that parsed and are still undecided, as pairs of gint64 (job
 * id, generation id), oldest first. */
GArray          *md_syphus_journal_list_unapplied  (MdSyphusJournal     *self,
                                                    GError             **error);
/* Stores the generation of a job and ends the job (done, or failed when @generation's status is
 * "failed") in one transaction. Fails if the job already has one. Sets generation->id. */
gboolean         md_syphus_journal_finish_job      (MdSyphusJournal     *self,
                                                    MdSyphusGeneration  *generation,
                                                    GError             **error);

/* Generations of one pair, newest first. */
GPtrArray       *md_syphus_journal_list_generations (MdSyphusJournal    *self,
                                                     const char         *dataset,
                                                     const char         *pair_id,
                                                     GError            **error);
MdSyphusGeneration *md_syphus_journal_get_generation (MdSyphusJournal   *self,
                                                      gint64             generation_id,
                                                      GError           **error);

void             md_syphus_journal_set_accept_func (MdSyphusJournal     *self,
                                                    MdSyphusAcceptFunc   func,
                                                    gpointer             user_data,
                                                    GDestroyNotify       destroy);
/* Accepting runs the accept function first. Only generations with status "ok" can be
 * accepted. */
gboolean         md_syphus_journal_set_verdict     (MdSyphusJournal     *self,
                                                    gint64               generation_id,
                                                    MdSyphusVerdict      verdict,
                                                    GError             **error);

G_END_DECLS
