/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-syphus"

#include "config.h"

#include <sqlite3.h>

#include "md-error.h"
#include "md-syphus-journal.h"

struct _MdSyphusJournal
{
  GObject             parent_instance;

  char               *path;
  sqlite3            *db;
  MdSyphusAcceptFunc  accept_func;
  gpointer            accept_data;
  GDestroyNotify      accept_destroy;
};

G_DEFINE_FINAL_TYPE (MdSyphusJournal, md_syphus_journal, G_TYPE_OBJECT)

static const char *job_state_names[] = { "queued", "running", "done", "failed", "cancelled" };

static const char schema_sql[] =
  "PRAGMA journal_mode=WAL;"
  "PRAGMA synchronous=NORMAL;"
  "PRAGMA foreign_keys=ON;"
  "CREATE TABLE IF NOT EXISTS syphus_jobs ("
  "  id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL,"
  "  dataset TEXT NOT NULL,"
  "  pair_id TEXT NOT NULL,"
  "  prompt TEXT,"
  "  backend TEXT,"
  "  model TEXT,"
  "  request TEXT NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'queued',"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT,"
  "  created INTEGER NOT NULL,"
  "  updated INTEGER NOT NULL,"
  "  accept INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX IF NOT EXISTS syphus_jobs_state ON syphus_jobs (state, id);"
  "CREATE INDEX IF NOT EXISTS syphus_jobs_pair ON syphus_jobs (dataset, pair_id, kind);"
  "CREATE TABLE IF NOT EXISTS syphus_generations ("
  "  id INTEGER PRIMARY KEY,"
  "  job_id INTEGER UNIQUE REFERENCES syphus_jobs (id),"
  "  kind TEXT NOT NULL,"
  "  dataset TEXT NOT NULL,"
  "  pair_id TEXT NOT NULL,"
  "  prompt TEXT,"
  "  backend TEXT,"
  "  model TEXT,"
  "  request TEXT,"
  "  params TEXT,"
  "  raw_reply TEXT,"
  "  parsed TEXT,"
  "  prompt_tokens INTEGER,"
  "  completion_tokens INTEGER,"
  "  latency_ms INTEGER,"
  "  attempts INTEGER,"
  "  status TEXT NOT NULL,"
  "  error TEXT,"
  "  verdict TEXT,"
  "  created INTEGER NOT NULL,"
  "  decided INTEGER);"
  "CREATE INDEX IF NOT EXISTS syphus_generations_pair ON syphus_generations (dataset, pair_id);";

const char *
md_syphus_job_state_name (MdSyphusJobState state)
{
  g_return_val_if_fail (state <= MD_SYPHUS_JOB_CANCELLED, NULL);
  return job_state_names[state];
}

static MdSyphusJobState
job_state_from_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (job_state_names); i++)
    if (g_strcmp0 (name, job_state_names[i]) == 0)
      return i;
  return MD_SYPHUS_JOB_FAILED;
}

void
md_syphus_job_free (MdSyphusJob *job)
{
  if (job == NULL)
    return;
  g_free (job->dataset);
  g_free (job->pair_id);
  g_free (job->prompt);
  g_free (job->backend);
  g_free (job->model);
  g_free (job->request);
  g_free (job->last_error);
  g_free (job);
}

void
md_syphus_generation_free (MdSyphusGeneration *generation)
{
  if (generation == NULL)
    return;
  g_free (generation->dataset);
  g_free (generation->pair_id);
  g_free (generation->prompt);
  g_free (generation->backend);
  g_free (generation->model);
  g_free (generation->request);
  g_free (generation->params);
  g_free (generation->raw_reply);
  g_free (generation->parsed);
  g_free (generation->status);
  g_free (generation->error);
  g_free (generation);
}

static void
md_syphus_journal_finalize (GObject *object)
{
  MdSyphusJournal *self = MD_SYPHUS_JOURNAL (object);

  if (self->accept_destroy != NULL)
    self->accept_destroy (self->accept_data);
  g_clear_pointer (&self->db, sqlite3_close);
  g_free (self->path);

  G_OBJECT_CLASS (md_syphus_journal_parent_class)->finalize (object);
}

static void
md_syphus_journal_class_init (MdSyphusJournalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = md_syphus_journal_finalize;
}

static void
md_syphus_journal_init (MdSyphusJournal *self)
{
}

static gboolean
db_error (MdSyphusJournal  *self,
          const char       *doing,
          GError          **error)
{
  g_set_error (error, MD_ERROR, MD_ERROR_DATABASE, "%s: cannot %s: %s", self->path, doing,
               sqlite3_errmsg (self->db));
  return FALSE;
}

static sqlite3_stmt *
prepare (MdSyphusJournal  *self,
         const char       *sql,
         GError          **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      db_error (self, "prepare a statement", error);
      return NULL;
    }
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           index)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, index));
}

/* Journals written before jobs could be accepted on arrival lack the column. */
static gboolean
add_accept_column (MdSyphusJournal  *self,
                   char            **message)
{
  sqlite3_stmt *probe = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT accept FROM syphus_jobs LIMIT 0", -1, &probe, NULL)
      == SQLITE_OK)
    {
      sqlite3_finalize (probe);
      return TRUE;
    }
  return sqlite3_exec (self->db, "ALTER TABLE syphus_jobs ADD COLUMN accept INTEGER NOT NULL "
                                 "DEFAULT 0", NULL, NULL, message) == SQLITE_OK;
}

MdSyphusJournal *
md_syphus_journal_open (const char  *path,
                        GError     **error)
{
  g_autoptr(MdSyphusJournal) self = NULL;
  sqlite3_stmt *requeue = NULL;
  char *message = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (MD_TYPE_SYPHUS_JOURNAL, NULL);
  self->path = g_strdup (path);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_DATABASE, "%s: cannot open the journal: %s", path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);
  if (sqlite3_exec (self->db, schema_sql, NULL, NULL, &message) != SQLITE_OK ||
      !add_accept_column (self, &message))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_DATABASE,
                   "%s: expected a Syphus journal (SQLite): %s", path, message);
      sqlite3_free (message);
      return NULL;
    }

  /* A job that was running when the last process ended has no stored result: send it again. */
  if (sqlite3_prepare_v2 (self->db, "UPDATE syphus_jobs SET state = 'queued', updated = ? "
                                    "WHERE state = 'running'", -1, &requeue, NULL) != SQLITE_OK ||
      sqlite3_bind_int64 (requeue, 1, g_get_real_time () / G_USEC_PER_SEC) != SQLITE_OK ||
      sqlite3_step (requeue) != SQLITE_DONE)
    {
      sqlite3_finalize (requeue);
      db_error (self, "queue interrupted jobs again", error);
      return NULL;
    }
  sqlite3_finalize (requeue);
  if (sqlite3_changes (self->db) > 0)
    g_debug ("%s: %d interrupted jobs queued again", path, sqlite3_changes (self->db));
  return g_steal_pointer (&self);
}

const char *
md_syphus_journal_get_path (MdSyphusJournal *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_JOURNAL (self), NULL);
  return self->path;
}

gint64
md_syphus_journal_add_job (MdSyphusJournal  *self,
                           MdSyphusJobKind   kind,
                           const char       *dataset,
                           const char       *pair_id,
                           const char       *prompt,
                           const char       *backend,
                           const char       *model,
                           const char       *request,
                           gboolean         *out_existing,
                           GError          **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (MD_IS_SYPHUS_JOURNAL (self), 0);
  g_return_val_if_fail (dataset != NULL && pair_id != NULL && request != NULL, 0);

  if (out_existing != NULL)
    *out_existing = FALSE;

  stmt = prepare (self, "SELECT id FROM syphus_jobs WHERE dataset = ?1 AND pair_id = ?2 AND "
                        "kind = ?3 AND state IN ('queued', 'running') ORDER BY id LIMIT 1", error);
  if (stmt == NULL)
    return 0;
  bind_text (stmt, 1, dataset);
  bind_text (stmt, 2, pair_id);
  bind_text (stmt, 3, md_syphus_job_kind_name (kind));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      db_error (self, "look up jobs", error);
      return 0;
    }
  if (id != 0)
    {
      if (out_existing != NULL)
        *out_existing = TRUE;
      return id;
    }

  stmt = prepare (self, "INSERT INTO syphus_jobs (kind, dataset, pair_id, prompt, backend, model, "
                        "request, state, attempts, created, updated) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'queued', 0, ?8, ?8)", error);
  if (stmt == NULL)
    return 0;
  bind_text (stmt, 1, md_syphus_job_kind_name (kind));
  bind_text (stmt, 2, dataset);
  bind_text (stmt, 3, pair_id);
  bind_text (stmt, 4, prompt);
  bind_text (stmt, 5, backend);
  bind_text (stmt, 6, model);
  bind_text (stmt, 7, request);
  sqlite3_bind_int64 (stmt, 8, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      db_error (self, "add a job", error);
      return 0;
    }
  return sqlite3_last_insert_rowid (self->db);
}

#define JOB_COLUMNS "id, kind, state, dataset, pair_id, prompt, backend, model, request, " \
                    "attempts, last_error, accept"

static MdSyphusJob *
job_from_row (sqlite3_stmt *stmt)
{
  MdSyphusJob *job = g_new0 (MdSyphusJob, 1);

  job->id = sqlite3_column_int64 (stmt, 0);
  md_syphus_job_kind_from_name ((const char *) sqlite3_column_text (stmt, 1), &job->kind);
  job->state = job_state_from_name ((const char *) sqlite3_column_text (stmt, 2));
  job->dataset = column_text (stmt, 3);
  job->pair_id = column_text (stmt, 4);
  job->prompt = column_text (stmt, 5);
  job->backend = column_text (stmt, 6);
  job->model = column_text (stmt, 7);
  job->request = column_text (stmt, 8);
  job->attempts = sqlite3_column_int (stmt, 9);
  job->last_error = column_text (stmt, 10);
  job->accept = sqlite3_column_int (stmt, 11) != 0;
  return job;
}

GPtrArray *
md_syphus_journal_list_jobs (MdSyphusJournal   *self,
                             MdSyphusJobState   state,
                             GError           **error)
{
  g_autoptr(GPtrArray) jobs = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (MD_IS_SYPHUS_JOURNAL (self), NULL);

  stmt = prepare (self, "SELECT " JOB_COLUMNS " FROM syphus_jobs WHERE state = ?1 ORDER BY id",
                  error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, md_syphus_job_state_name (state));
  jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) md_syphus_job_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (jobs, job_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      db_error (self, "list jobs", error);
      return NULL;
    }
  return g_steal_pointer (&jobs);
}

MdSyphusJob *
md_syphus_journal_get_job (MdSyphusJournal  *self,
                           gint64            job_id,
                           GError          **error)
{
  MdSyphusJob *job = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (MD_IS_SYPHUS_JOURNAL (self), NULL);

  stmt = prepare (self, "SELECT " JOB_COLUMNS " FROM syphus_jobs WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    job = job_from_row (stmt);
  else
    g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND, "%s: no job %" G_GINT64_FORMAT,
                 self->path, job_id);
  sqlite3_finalize (stmt);
  return job;
}

guint
md_syphus_journal_count_jobs (MdSyphusJournal  *self,
                              MdSyphusJobState  state)
{
  sqlite3_stmt *stmt;
  guint count = 0;

  g_return_val_if_fail (MD_IS_SYPHUS_JOURNAL (self), 0);

  stmt = prepare (self, "SELECT count(*) FROM syphus_jobs WHERE state = ?1", NULL);
  if (stmt == NULL)
    return 0;
  bind_text (stmt, 1, md_syphus_job_state_name (state));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return count;
}

gboolean
md_syphus_journal_set_job_state (MdSyphusJournal   *self,
                                 gint64             job_id,
                                 MdSyphusJobState   state,
                                 guint              attempts,
                                 const char        *last_error,
                                 GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (MD_IS_SYPHUS_JOURNAL (self), FALSE);

  /* A finished job stays finished whatever a late callback says. */
  stmt = prepare (self, "UPDATE syphus_jobs SET state = ?1, attempts = ?2, "
                        "last_error = coalesce(?3, last_error), updated = ?4 "
                        "WHERE id = ?5 AND state NOT IN ('done', 'failed')", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, md_syphus_job_state_name (state));
  sqlite3_bind_int (stmt, 2, attempts);
  bind_text (stmt, 3, last_error);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 5, job_id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return db_error (self, "update a job", error);
  return TRUE;
}

gboolean
md_syphus_journal_set_job_accept (MdSyphusJournal  *self,
                                  gint64            job_id,
                                  gboolean          accept,
                                  GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (MD_IS_SYPHUS_JOURNAL (self), FALSE);

  stmt = prepare (self, "UPDATE syphus_jobs SET accept = ?1 WHERE id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, accept ? 1 : 0);
  sqlite3_bind_int64 (stmt, 2, job_id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return db_error (self, "flag a job to be accepted", error);
  return TRUE;
}

gint64
md_syphus_journal_find_answer (MdSyphusJournal  *self,
                               MdSyphusJobKind   kind,
                               const char       *dataset,
                               const char       *pair_id,
                               const char       *request,
                               GError          **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (MD_IS_SYPHUS_JOURNAL (self), 0);
  g_return_val_if_fail (dataset != NULL && pair_id != NULL && request != NULL, 0);

  stmt = prepare (self, "SELECT j.id FROM syphus_jobs j JOIN syphus_generations g "
                        "ON g.job_id = j.id WHERE j.dataset = ?1 AND j.pair_id = ?2 AND "
                        "j.kind = ?3 AND j.request = ?4 AND j.state = 'done' AND "
                        "g.status = 'ok' AND (g.verdict IS NULL OR g.verdict = 'accepted') "
                        "ORDER BY j.id DESC LIMIT 1", error);
  if (stmt == NULL)
    return 0;
  bind_text (stmt, 1, dataset);
  bind_text (stmt, 2, pair_id);
  bind_text (stmt, 3, md_syphus_job_kind_name (kind));
  bind_text (stmt, 4, request);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    db_error (self, "look up answered jobs", error);
  return id;
}

GArray *
md_syphus_journal_list_unapplied (MdSyphusJournal  *self,
                                  GError          **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (MD_IS_SYPHUS_JOURNAL (self), NULL);

  stmt = prepare (self, "SELECT j.id, g.id FROM syphus_jobs j JOIN syphus_generations g "
                        "ON g.job_id = j.id WHERE j.accept = 1 AND g.status = 'ok' AND "
                        "g.verdict IS NULL ORDER BY g.id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 job_id = sqlite3_column_int64 (stmt, 0);
      gint64 generation_id = sqlite3_column_int64 (stmt, 1);

      g_array_append_val (ids, job_id);
      g_array_append_val (ids, generation_id);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      db_error (self, "list replies to accept", error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

static gboolean
exec (MdSyphusJournal  *self,
      const char       *sql,
      GError          **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return db_error (self, sql, error);
  return TRUE;
}

static void
bind_optional_int (sqlite3_stmt *stmt,
                   int           index,
                   gint64        value)
{
  if (value >= 0)
    sqlite3_bind_int64 (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

gboolean
md_syphus_journal_finish_job (MdSyphusJournal     *self,
                              MdSyphusGeneration  *generation,
                              GError             **error)
{
  sqlite3_stmt *stmt;
  gboolean failed;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  int rc;

  g_return_val_if_fail (MD_IS_SYPHUS_JOURNAL (self), FALSE);
  g_return_val_if_fail (generation != NULL && generation->status != NULL, FALSE);

  failed = g_strcmp0 (generation->status, "failed") == 0;
  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  stmt = prepare (self, "INSERT INTO syphus_generations (job_id, kind, dataset, pair_id, prompt, "
                        "backend, model, request, params, raw_reply, parsed, prompt_tokens, "
                        "completion_tokens, latency_ms, attempts, status, error, created) VALUES "
                        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
                        "?17, ?18)", error);
  if (stmt == NULL)
    goto rollback;
  if (generation->job_id > 0)
    sqlite3_bind_int64 (stmt, 1, generation->job_id);
  else
    sqlite3_bind_null (stmt, 1);
  bind_text (stmt, 2, md_syphus_job_kind_name (generation->kind));
  bind_text (stmt, 3, generation->dataset);
  bind_text (stmt, 4, generation->pair_id);
  bind_text (stmt, 5, generation->prompt);
  bind_text (stmt, 6, generation->backend);
  bind_text (stmt, 7, generation->model);
  bind_text (stmt, 8, generation->request);
  bind_text (stmt, 9, generation->params);
  bind_text (stmt, 10, generation->raw_reply);
  bind_text (stmt, 11, generation->parsed);
  bind_optional_int (stmt, 12, generation->prompt_tokens);
  bind_optional_int (stmt, 13, generation->completion_tokens);
  sqlite3_bind_int64 (stmt, 14, generation->latency_ms);
  sqlite3_bind_int (stmt, 15, generation->attempts);
  bind_text (stmt, 16, generation->status);
  bind_text (stmt, 17, generation->error);
  sqlite3_bind_int64 (stmt, 18, now);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      db_error (self, "store a generation (is the job already done?)", error);
      goto rollback;
    }
  generation->id = sqlite3_last_insert_rowid (self->db);
  generation->created = now;

  if (generation->job_id > 0)
    {
      stmt = prepare (self, "UPDATE syphus_jobs SET state = ?1, attempts = ?2, last_error = ?3, "
                            "updated = ?4 WHERE id = ?5", error);
      if (stmt == NULL)
        goto rollback;
      bind_text (stmt, 1, failed ? "failed" : "done");
      sqlite3_bind_int (stmt, 2, generation->attempts);
      bind_text (stmt, 3, generation->error);
      sqlite3_bind_int64 (stmt, 4, now);
      sqlite3_bind_int64 (stmt, 5, generation->job_id);
      rc = sqlite3_step (stmt);
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        {
          db_error (self, "end a job", error);
          goto rollback;
        }
    }
  return exec (self, "COMMIT", error);

rollback:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

#define GENERATION_COLUMNS "id, job_id, kind, dataset, pair_id, prompt, backend, model, request, " \
  "params, raw_reply, parsed, coalesce(prompt_tokens, -1), coalesce(completion_tokens, -1), " \
  "latency_ms, attempts, status, error, verdict, created"

static MdSyphusGeneration *
generation_from_row (sqlite3_stmt *stmt)
{
  MdSyphusGeneration *generation = g_new0 (MdSyphusGeneration, 1);
  const char *verdict;

  generation->id = sqlite3_column_int64 (stmt, 0);
  generation->job_id = sqlite3_column_int64 (stmt, 1);
  md_syphus_job_kind_from_name ((const char *) sqlite3_column_text (stmt, 2), &generation->kind);
  generation->dataset = column_text (stmt, 3);
  generation->pair_id = column_text (stmt, 4);
  generation->prompt = column_text (stmt, 5);
  generation->backend = column_text (stmt, 6);
  generation->model = column_text (stmt, 7);
  generation->request = column_text (stmt, 8);
  generation->params = column_text (stmt, 9);
  generation->raw_reply = column_text (stmt, 10);
  generation->parsed = column_text (stmt, 11);
  generation->prompt_tokens = sqlite3_column_int64 (stmt, 12);
  generation->completion_tokens = sqlite3_column_int64 (stmt, 13);
  generation->latency_ms = sqlite3_column_int64 (stmt, 14);
  generation->attempts = sqlite3_column_int (stmt, 15);
  generation->status = column_text (stmt, 16);
  generation->error = column_text (stmt, 17);
  verdict = (const char *) sqlite3_column_text (stmt, 18);
  generation->verdict = g_strcmp0 (verdict, "accepted") == 0 ? MD_SYPHUS_VERDICT_ACCEPTED :
                        g_strcmp0 (verdict, "rejected") == 0 ? MD_SYPHUS_VERDICT_REJECTED :
                        MD_SYPHUS_VERDICT_NONE;
  generation->created = sqlite3_column_int64 (stmt, 19);
  return generation;
}

GPtrArray *
md_syphus_journal_list_generations (MdSyphusJournal  *self,
                                    const char       *dataset,
                                    const char       *pair_id,
                                    GError          **error)
{
  g_autoptr(GPtrArray) generations = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (MD_IS_SYPHUS_JOURNAL (self), NULL);
  g_return_val_if_fail (dataset != NULL && pair_id != NULL, NULL);

  stmt = prepare (self, "SELECT " GENERATION_COLUMNS " FROM syphus_generations "
                        "WHERE dataset = ?1 AND pair_id = ?2 ORDER BY id DESC", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, dataset);
  bind_text (stmt, 2, pair_id);
  generations = g_ptr_array_new_with_free_func ((GDestroyNotify) md_syphus_generation_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (generations, generation_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      db_error (self, "list generations", error);
      return NULL;
    }
  return g_steal_pointer (&generations);
}

MdSyphusGeneration *
md_syphus_journal_get_generation (MdSyphusJournal  *self,
                                  gint64            generation_id,
                                  GError          **error)
{
  MdSyphusGeneration *generation = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (MD_IS_SYPHUS_JOURNAL (self), NULL);

  stmt = prepare (self, "SELECT " GENERATION_COLUMNS " FROM syphus_generations WHERE id = ?1",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, generation_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    generation = generation_from_row (stmt);
  else
    g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND, "%s: no generation %" G_GINT64_FORMAT,
                 self->path, generation_id);
  sqlite3_finalize (stmt);
  return generation;
}

void
md_syphus_journal_set_accept_func (MdSyphusJournal    *self,
                                   MdSyphusAcceptFunc  func,
                                   gpointer            user_data,
                                   GDestroyNotify      destroy)
{
  g_return_if_fail (MD_IS_SYPHUS_JOURNAL (self));

  if (self->accept_destroy != NULL)
    self->accept_destroy (self->accept_data);
  self->accept_func = func;
  self->accept_data = user_data;
  self->accept_destroy = destroy;
}

gboolean
md_syphus_journal_set_verdict (MdSyphusJournal  *self,
                               gint64            generation_id,
                               MdSyphusVerdict   verdict,
                               GError          **error)
{
  g_autoptr(MdSyphusGeneration) generation = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (MD_IS_SYPHUS_JOURNAL (self), FALSE);

  generation = md_syphus_journal_get_generation (self, generation_id, error);
  if (generation == NULL)
    return FALSE;
  if (verdict == MD_SYPHUS_VERDICT_ACCEPTED)
    {
      if (g_strcmp0 (generation->status, "ok") != 0)
        {
          g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                       "generation %" G_GINT64_FORMAT " of pair %s: its status is “%s”; only a "
                       "reply that parsed (status “ok”) can be accepted", generation_id,
                       generation->pair_id, generation->status);
          return FALSE;
        }
      if (self->accept_func != NULL && !self->accept_func (generation, self->accept_data, error))
        return FALSE;
    }

  stmt = prepare (self, "UPDATE syphus_generations SET verdict = ?1, decided = ?2 WHERE id = ?3",
                  error);
  if (stmt == NULL)
    return FALSE;
  if (verdict == MD_SYPHUS_VERDICT_NONE)
    sqlite3_bind_null (stmt, 1);
  else
    bind_text (stmt, 1, verdict == MD_SYPHUS_VERDICT_ACCEPTED ? "accepted" : "rejected");
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 3, generation_id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return db_error (self, "store a verdict", error);
  return TRUE;
}
