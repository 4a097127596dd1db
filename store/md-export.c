/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-export"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "md-base64.h"
#include "md-export-private.h"
#include "md-index-private.h"
#include "md-pair-list.h"
#include "md-review-private.h"
#include "md-review-sample.h"
#include "md-import-report.h"
#include "md-store-private.h"

#define STAGING_LOCK ".lock"

/* Names ----------------------------------------------------------------------------------------- */

static const char * const format_names[] = { "mimicit", "jsonl", "llava" };
static const char * const context_names[] = { "keep", "drop", "include" };
static const char * const image_store_names[] = { "parquet", "json", "both" };
static const char * const issue_names[MD_EXPORT_N_ISSUES] = {
  "missing_pair", "missing_image", "undecodable_image", "dangling_context", "empty_text",
  "unresolved_flag", "unexported_context", "dropped_context", "missing_translation",
  "rejected_left_out",
};

const char *
md_export_format_name (MdExportFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (format_names), NULL);
  return format_names[format];
}

/* The index of `name` in `names`, or -1. */
static int
index_of_name (const char * const *names,
               guint               n_names,
               const char         *name)
{
  for (guint i = 0; name != NULL && i < n_names; i++)
    if (strcmp (name, names[i]) == 0)
      return i;
  return -1;
}

gboolean
md_export_format_from_name (const char     *name,
                            MdExportFormat *out_format)
{
  int i = index_of_name (format_names, G_N_ELEMENTS (format_names), name);

  if (i >= 0)
    *out_format = i;
  return i >= 0;
}

const char *
md_export_context_name (MdExportContext context)
{
  g_return_val_if_fail (context < G_N_ELEMENTS (context_names), NULL);
  return context_names[context];
}

gboolean
md_export_context_from_name (const char      *name,
                             MdExportContext *out_context)
{
  int i = index_of_name (context_names, G_N_ELEMENTS (context_names), name);

  if (i >= 0)
    *out_context = i;
  return i >= 0;
}

const char *
md_export_image_store_name (MdExportImageStore store)
{
  g_return_val_if_fail (store < G_N_ELEMENTS (image_store_names), NULL);
  return image_store_names[store];
}

gboolean
md_export_image_store_from_name (const char         *name,
                                 MdExportImageStore *out_store)
{
  int i = index_of_name (image_store_names, G_N_ELEMENTS (image_store_names), name);

  if (i >= 0)
    *out_store = i;
  return i >= 0;
}

void
_md_export_counts_free (MdExportCounts *counts)
{
  if (counts == NULL)
    return;
  g_free (counts->images_path);
  g_free (counts);
}

const char *
md_export_issue_name (MdExportIssueKind kind)
{
  g_return_val_if_fail (kind < MD_EXPORT_N_ISSUES, NULL);
  return issue_names[kind];
}

gboolean
md_export_issue_is_blocking (MdExportIssueKind kind)
{
  return kind < MD_EXPORT_ISSUE_UNEXPORTED_CONTEXT;
}

/* Options --------------------------------------------------------------------------------------- */

G_DEFINE_BOXED_TYPE (MdExportOptions, md_export_options, md_export_options_copy,
                     md_export_options_free)

MdExportOptions *
md_export_options_new (void)
{
  MdExportOptions *options = g_new0 (MdExportOptions, 1);

  options->language = -1;
  options->search_language = -1;
  options->modality = -1;
  return options;
}

MdExportOptions *
md_export_options_copy (const MdExportOptions *options)
{
  MdExportOptions *copy;

  g_return_val_if_fail (options != NULL, NULL);

  copy = g_memdup2 (options, sizeof *options);
  copy->text = g_strdup (options->text);
  copy->dataset = g_strdup (options->dataset);
  copy->reason = g_strdup (options->reason);
  copy->sample = g_strdup (options->sample);
  return copy;
}

void
md_export_options_free (MdExportOptions *options)
{
  if (options == NULL)
    return;
  g_free (options->text);
  g_free (options->dataset);
  g_free (options->reason);
  g_free (options->sample);
  g_free (options);
}

static MdLanguage
main_language (const MdExportOptions *options)
{
  return options->language >= 0 && options->language < MD_N_LANGUAGES ? options->language
                                                                      : MD_LANGUAGE_EN;
}

/* Report ---------------------------------------------------------------------------------------- */

struct _MdExportReport
{
  GObject    parent_instance;

  guint64    n_pairs;
  guint64    n_context_pairs;
  guint64    counts[MD_EXPORT_N_ISSUES];
  GPtrArray *issues;
  guint64    n_images;
  GHashTable *datasets;   /* code -> MdExportCounts */
};

G_DEFINE_FINAL_TYPE (MdExportReport, md_export_report, G_TYPE_OBJECT)

static void
issue_free (MdExportIssue *issue)
{
  g_free (issue->pair_id);
  g_free (issue->ref);
  g_free (issue);
}

static void
md_export_report_finalize (GObject *object)
{
  g_clear_pointer (&MD_EXPORT_REPORT (object)->issues, g_ptr_array_unref);
  g_clear_pointer (&MD_EXPORT_REPORT (object)->datasets, g_hash_table_unref);
  G_OBJECT_CLASS (md_export_report_parent_class)->finalize (object);
}

static void
md_export_report_class_init (MdExportReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = md_export_report_finalize;
}

static void
md_export_report_init (MdExportReport *self)
{
  self->issues = g_ptr_array_new_with_free_func ((GDestroyNotify) issue_free);
  self->datasets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) _md_export_counts_free);
}

static void
report_add (MdExportReport    *self,
            MdExportIssueKind  kind,
            const char        *pair_id,
            const char        *ref)
{
  MdExportIssue *issue;

  /* Counts are complete; the listed examples are bounded so huge exports stay small. */
  if (self->counts[kind]++ >= MD_EXPORT_REPORT_MAX_LISTED)
    return;
  issue = g_new0 (MdExportIssue, 1);
  issue->kind = kind;
  issue->pair_id = g_strdup (pair_id);
  issue->ref = g_strdup (ref);
  g_ptr_array_add (self->issues, issue);
}

guint64
md_export_report_get_n_images (MdExportReport *self)
{
  g_return_val_if_fail (MD_IS_EXPORT_REPORT (self), 0);
  return self->n_images;
}

static int
compare_codes (const void *a,
               const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
md_export_report_get_datasets (MdExportReport *self)
{
  g_autofree const char **codes = NULL;
  guint n = 0;
  GStrv copy;

  g_return_val_if_fail (MD_IS_EXPORT_REPORT (self), NULL);

  codes = (const char **) g_hash_table_get_keys_as_array (self->datasets, &n);
  qsort (codes, n, sizeof *codes, compare_codes);
  copy = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    copy[i] = g_strdup (codes[i]);
  return copy;
}

guint64
md_export_report_get_dataset_pairs (MdExportReport *self,
                                    const char     *dataset,
                                    guint64        *out_context_pairs)
{
  MdExportCounts *counts;

  g_return_val_if_fail (MD_IS_EXPORT_REPORT (self), 0);
  g_return_val_if_fail (dataset != NULL, 0);

  counts = g_hash_table_lookup (self->datasets, dataset);
  if (out_context_pairs != NULL)
    *out_context_pairs = counts != NULL ? counts->n_context_pairs : 0;
  return counts != NULL ? counts->n_pairs : 0;
}

guint64
md_export_report_get_n_pairs (MdExportReport *self)
{
  g_return_val_if_fail (MD_IS_EXPORT_REPORT (self), 0);
  return self->n_pairs;
}

guint64
md_export_report_get_n_context_pairs (MdExportReport *self)
{
  g_return_val_if_fail (MD_IS_EXPORT_REPORT (self), 0);
  return self->n_context_pairs;
}

guint64
md_export_report_count (MdExportReport    *self,
                        MdExportIssueKind  kind)
{
  g_return_val_if_fail (MD_IS_EXPORT_REPORT (self), 0);
  g_return_val_if_fail (kind < MD_EXPORT_N_ISSUES, 0);
  return self->counts[kind];
}

gboolean
md_export_report_has_blocking (MdExportReport *self)
{
  g_return_val_if_fail (MD_IS_EXPORT_REPORT (self), FALSE);
  for (guint k = 0; k < MD_EXPORT_N_ISSUES; k++)
    if (md_export_issue_is_blocking (k) && self->counts[k] > 0)
      return TRUE;
  return FALSE;
}

GPtrArray *
md_export_report_get_issues (MdExportReport *self)
{
  g_return_val_if_fail (MD_IS_EXPORT_REPORT (self), NULL);
  return self->issues;
}

char *
md_export_report_to_string (MdExportReport *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (MD_IS_EXPORT_REPORT (self), NULL);

  for (guint i = 0; i < self->issues->len; i++)
    {
      MdExportIssue *issue = g_ptr_array_index (self->issues, i);

      g_string_append_printf (out, "%s\t%s\t%s\t%s\n",
                              md_export_issue_is_blocking (issue->kind) ? "error" : "note",
                              issue_names[issue->kind], issue->pair_id ? issue->pair_id : "",
                              issue->ref ? issue->ref : "");
    }
  g_string_append_printf (out, "pairs\t%" G_GUINT64_FORMAT "\n", self->n_pairs);
  g_string_append_printf (out, "context_pairs\t%" G_GUINT64_FORMAT "\n", self->n_context_pairs);
  for (guint k = 0; k < MD_EXPORT_N_ISSUES; k++)
    if (self->counts[k] > 0)
      g_string_append_printf (out, "%s\t%" G_GUINT64_FORMAT "%s\n", issue_names[k],
                              self->counts[k],
                              self->counts[k] > MD_EXPORT_REPORT_MAX_LISTED ? " (first listed)" : "");
  return g_string_free (out, FALSE);
}

void
md_export_result_free (MdExportResult *result)
{
  if (result == NULL)
    return;
  g_free (result->out_dir);
  g_strfreev (result->notes);
  g_clear_pointer (&result->files, g_ptr_array_unref);
  g_clear_object (&result->report);
  g_free (result);
}

/* Job ------------------------------------------------------------------------------------------- */

static void
job_clear (MdExportJob *job)
{
  g_clear_pointer (&job->add_file, sqlite3_finalize);
  g_clear_pointer (&job->statements, g_hash_table_unref);
  g_clear_pointer (&job->sel, sqlite3_close);
  g_clear_pointer (&job->source, _md_export_source_free);
  g_clear_object (&job->report);
  g_clear_pointer (&job->staging, g_free);
  g_clear_pointer (&job->time, g_free);
  g_clear_pointer (&job->files, g_ptr_array_unref);
  g_clear_pointer (&job->reviewers, g_hash_table_unref);
  g_clear_pointer (&job->datasets, g_hash_table_unref);
  g_clear_pointer (&job->source_train, g_hash_table_unref);
}

gboolean
_md_export_sel_error (MdExportJob  *job,
           GError      **error,
           const char   *doing)
{
  g_set_error (error, MD_ERROR, MD_ERROR_DATABASE, "export work file: %s while %s",
               sqlite3_errmsg (job->sel), doing);
  return FALSE;
}

static sqlite3_stmt *
sel_prepare (MdExportJob  *job,
             const char   *sql,
             GError      **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (job->sel, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      _md_export_sel_error (job, error, sql);
      return NULL;
    }
  return stmt;
}

/* A statement of the job's cache (keyed by the SQL's address: callers pass literals), reset and
 * unbound; owned by the job. Used on paths that run once per pair or image. */
sqlite3_stmt *
_md_export_sel_cached (MdExportJob  *job,
            const char   *sql,
            GError      **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (job->statements, sql);

  if (stmt == NULL)
    {
      stmt = sel_prepare (job, sql, error);
      if (stmt == NULL)
        return NULL;
      g_hash_table_insert (job->statements, (gpointer) sql, stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static gboolean
job_init (MdExportJob            *job,
          MdStore                *store,
          MdReviewStore          *review,
          const MdExportOptions  *options,
          MdExportProgressFunc    progress,
          gpointer                progress_data,
          GCancellable           *cancellable,
          GError                **error)
{
  memset (job, 0, sizeof *job);
  job->store = store;
  job->review = review;
  job->options = options;
  job->progress = progress;
  job->progress_data = progress_data;
  job->cancellable = cancellable;
  job->report = g_object_new (MD_TYPE_EXPORT_REPORT, NULL);
  job->files = g_ptr_array_new_with_free_func ((GDestroyNotify) md_export_file_free);
  job->reviewers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  job->datasets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) _md_export_counts_free);
  job->source_train = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  job->statements = g_hash_table_new_full (NULL, NULL, NULL, finalize_statement);

  /* "" opens a private on-disk temporary database that SQLite deletes on close: the selection of
   * millions of pairs lives on disk with a small page cache, not in memory. */
  job->source = _md_export_source_open (md_store_get_path (store), error);
  if (job->source == NULL)
    return FALSE;
  if (sqlite3_open_v2 ("", &job->sel, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_DATABASE, "cannot create the export work file");
      return FALSE;
    }
  if (sqlite3_exec (job->sel,
        "PRAGMA cache_size = -8192;"
        "PRAGMA journal_mode = OFF;"
        "PRAGMA synchronous = OFF;"
        "CREATE TABLE sel (pair_id TEXT PRIMARY KEY, dataset TEXT NOT NULL, ord INTEGER NOT NULL,"
        "  context_only INTEGER NOT NULL) WITHOUT ROWID;"
        "CREATE INDEX sel_order ON sel (dataset, ord);"
        "CREATE TABLE inc (pair_id TEXT PRIMARY KEY, dataset TEXT NOT NULL, ord INTEGER NOT NULL)"
        "  WITHOUT ROWID;"
        "CREATE TABLE img (scope TEXT NOT NULL, image_id TEXT NOT NULL,"
        "  PRIMARY KEY (scope, image_id)) WITHOUT ROWID;"
        "CREATE TABLE checked (image_id TEXT PRIMARY KEY, result INTEGER NOT NULL) WITHOUT ROWID;"
        "CREATE TABLE extracted (image_id TEXT PRIMARY KEY, path TEXT) WITHOUT ROWID;"
        "CREATE TABLE extra (pair_id TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID;"
        "CREATE TABLE files (seq INTEGER PRIMARY KEY, path TEXT NOT NULL, size INTEGER NOT NULL,"
        "  sha256 TEXT NOT NULL);", NULL, NULL, NULL) != SQLITE_OK)
    return _md_export_sel_error (job, error, "creating its tables");
  return TRUE;
}

gboolean
_md_export_cancelled (MdExportJob  *job,
                      GError      **error)
{
  return g_cancellable_set_error_if_cancelled (job->cancellable, error);
}

void
_md_export_progress (MdExportJob *job,
                     const char  *phase,
                     guint64      done,
                     guint64      total)
{
  if (job->progress != NULL)
    job->progress (phase, done, total, job->progress_data);
}

gboolean
_md_export_in_selection (MdExportJob *job,
                         const char  *pair_id)
{
  sqlite3_stmt *stmt = _md_export_sel_cached (job, "SELECT 1 FROM sel WHERE pair_id = ?", NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, pair_id, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

gboolean
_md_export_first_image (MdExportJob  *job,
                        const char   *scope,
                        const char   *image_id,
                        GError      **error)
{
  sqlite3_stmt *stmt =
    _md_export_sel_cached (job, "INSERT OR IGNORE INTO img (scope, image_id) VALUES (?, ?)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, scope, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, image_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _md_export_sel_error (job, error, "recording an image");
  return sqlite3_changes (job->sel) > 0;
}

gboolean
_md_export_record_file (MdExportJob   *job,
                        MdExportFile  *file,
                        gboolean       keep_in_result,
                        GError       **error)
{
  if (job->add_file == NULL)
    {
      job->add_file = sel_prepare (job, "INSERT INTO files (path, size, sha256) VALUES (?, ?, ?)",
                                   error);
      if (job->add_file == NULL)
        {
          md_export_file_free (file);
          return FALSE;
        }
    }
  sqlite3_reset (job->add_file);
  sqlite3_bind_text (job->add_file, 1, file->path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (job->add_file, 2, file->size);
  sqlite3_bind_text (job->add_file, 3, file->sha256, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (job->add_file) != SQLITE_DONE)
    {
      md_export_file_free (file);
      return _md_export_sel_error (job, error, "recording a file");
    }
  job->n_files++;
  if (keep_in_result)
    g_ptr_array_add (job->files, file);
  else
    md_export_file_free (file);
  return TRUE;
}

/* Review lookups -------------------------------------------------------------------------------- */

MdReviewStatus
_md_export_review_status (MdExportJob *job,
                          const char  *dataset,
                          const char  *pair_id,
                          const char  *lang)
{
  MdReviewStatus status = MD_REVIEW_STATUS_UNREVIEWED;
  sqlite3_stmt *stmt;

  if (job->review == NULL)
    return status;
  stmt = _md_review_store_prepare (job->review, "SELECT status FROM pair_status "
                                   "WHERE dataset = ? AND pair_id = ? AND lang = ?", NULL);
  if (stmt == NULL)
    return status;
  sqlite3_bind_text (stmt, 1, dataset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, pair_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, lang, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    md_review_status_from_name ((const char *) sqlite3_column_text (stmt, 0), &status);
  sqlite3_reset (stmt);
  return status;
}

static gboolean
review_has_reason (MdExportJob *job,
                   const char  *dataset,
                   const char  *pair_id,
                   const char  *reason)
{
  sqlite3_stmt *stmt;
  gboolean found;

  if (job->review == NULL)
    return FALSE;
  stmt = _md_review_store_prepare (job->review, "SELECT 1 FROM pair_reason WHERE dataset = ? "
                                   "AND pair_id = ? AND tag = ? LIMIT 1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, dataset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, pair_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, reason, -1, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

/* The languages ("" for the pair) whose current status is flagged. */
static GStrv
review_flags (MdExportJob *job,
              const char  *dataset,
              const char  *pair_id)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;

  if (job->review != NULL &&
      (stmt = _md_review_store_prepare (job->review, "SELECT lang FROM pair_status WHERE "
                                        "dataset = ? AND pair_id = ? AND status = 'flagged' "
                                        "ORDER BY lang", NULL)) != NULL)
    {
      sqlite3_bind_text (stmt, 1, dataset, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, pair_id, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  return g_strv_builder_end (builder);
}

/* Pairs ----------------------------------------------------------------------------------------- */

void
_md_export_pair_free (MdExportPair *pair)
{
  if (pair == NULL)
    return;
  g_clear_object (&pair->pair);
  for (guint l = 0; l < MD_N_LANGUAGES; l++)
    for (guint f = 0; f < MD_N_FIELDS; f++)
      g_free (pair->texts[l][f]);
  g_clear_pointer (&pair->links, g_ptr_array_unref);
  g_clear_pointer (&pair->rel_ins, g_ptr_array_unref);
  g_clear_pointer (&pair->train, g_ptr_array_unref);
  g_free (pair);
}

static GPtrArray *
links_after_mode (MdExportJob        *job,
                  const char * const *ids,
                  gboolean            context_only)
{
  GPtrArray *links = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    if ((job->options->context == MD_EXPORT_CONTEXT_KEEP && !context_only) ||
        _md_export_in_selection (job, ids[i]))
      g_ptr_array_add (links, g_strdup (ids[i]));
  return links;
}

GPtrArray *
_md_export_source_files (MdExportJob *job,
                         const char  *dataset,
                         int          kind)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = _md_store_read_begin (job->store, FALSE);
  g_auto(sqlite3_stmt_ptr) stmt = _md_index_prepare (db,
    "SELECT f.path FROM files f JOIN datasets d ON d.id = f.dataset_id "
    "WHERE f.kind = ? AND d.code = ? ORDER BY f.id", NULL);

  if (stmt != NULL)
    {
      sqlite3_bind_int (stmt, 1, kind);
      sqlite3_bind_text (stmt, 2, dataset, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (paths, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  _md_store_read_end (job->store, db);
  return paths;
}

/* Whether the source has a TASK_train.json for @dataset: then the export's train file has
 * exactly its keys (those exported), else every exported pair with its rel_ins_ids. */
gboolean
_md_export_source_has_train (MdExportJob *job,
                             const char  *dataset)
{
  gpointer value;
  gboolean found = FALSE;

  if (g_hash_table_lookup_extended (job->source_train, dataset, NULL, &value))
    return GPOINTER_TO_INT (value);
  {
    g_autoptr(GPtrArray) paths = _md_export_source_files (job, dataset, MD_FILE_KIND_TRAIN);

    found = paths->len > 0;
  }
  g_hash_table_insert (job->source_train, g_strdup (dataset), GINT_TO_POINTER (found));
  return found;
}

MdExportPair *
_md_export_pair_load (MdExportJob  *job,
                      const char   *pair_id,
                      gboolean      context_only,
                      GError      **error)
{
  g_autoptr(MdExportPair) pair = g_new0 (MdExportPair, 1);
  g_auto(GStrv) rel_ins = NULL;
  g_auto(GStrv) train = NULL;
  const char * const *context;
  const char *dataset;

  pair->pair = _md_export_source_get_pair (job->source, pair_id, &rel_ins, &train, error);
  if (pair->pair == NULL)
    return NULL;
  pair->context_only = context_only;
  dataset = md_pair_get_dataset (pair->pair);

  for (guint l = 0; l < MD_N_LANGUAGES; l++)
    for (guint f = 0; f < MD_N_FIELDS; f++)
      {
        const char *original = md_pair_get_text (pair->pair, l, f);
        g_autoptr(GError) review_error = NULL;
        char *text = job->review != NULL
          ? md_review_store_get_text (job->review, dataset, pair_id, l, f, original, &review_error)
          : g_strdup (original);

        /* The shard's text is never exported in place of an edit that could not be read. */
        if (review_error != NULL)
          {
            g_propagate_error (error, g_steal_pointer (&review_error));
            return NULL;
          }

        /* Whatever comes out must be valid JSON text: refuse rather than write broken bytes. */
        if (text != NULL && !g_utf8_validate (text, -1, NULL))
          {
            g_set_error (error, MD_ERROR, MD_ERROR_PARSE, "pair “%s”: the %s %s is not valid "
                         "UTF-8, expected text", pair_id, md_language_code (l),
                         md_field_name (f));
            g_free (text);
            return NULL;
          }
        pair->texts[l][f] = text;
      }

  /* Links of exported pairs follow the mode; pairs that are only examples (include mode) keep
   * only links inside the export, so the export never gains a dangling link. */
  context = md_pair_get_context_ids (pair->pair);
  pair->links = links_after_mode (job, context, context_only);
  /* The lists as the source files have them (the review never edits them). */
  pair->rel_ins = links_after_mode (job, (const char * const *) rel_ins, context_only);
  if (train != NULL)
    pair->train = links_after_mode (job, (const char * const *) train, context_only);
  return g_steal_pointer (&pair);
}

const char *
_md_export_pair_main_text (MdExportJob  *job,
                           MdExportPair *pair,
                           MdField       field)
{
  return pair->texts[main_language (job->options)][field];
}

static gboolean
texts_complete (MdExportPair *pair)
{
  for (guint l = 0; l < MD_N_LANGUAGES; l++)
    for (guint f = 0; f < MD_N_FIELDS; f++)
      if (pair->texts[l][f] == NULL || *pair->texts[l][f] == '\0')
        return FALSE;
  return TRUE;
}

/* Selection ------------------------------------------------------------------------------------- */

/* Whether a pair passes the review filters and the completeness filter. */
static gboolean
passes_filters (MdExportJob  *job,
                const char   *dataset,
                const char   *pair_id,
                gboolean     *out_pass,
                GError      **error)
{
  const MdExportOptions *options = job->options;

  *out_pass = FALSE;
  if (options->dataset != NULL && *options->dataset != '\0' &&
      g_strcmp0 (options->dataset, dataset) != 0)
    return TRUE;
  if (job->review != NULL)
    {
      MdReviewStatus status = _md_export_review_status (job, dataset, pair_id, "");

      if (options->statuses != 0 && (options->statuses & (1u << status)) == 0)
        return TRUE;
      /* A rejection is the reviewer's word that the pair must not train anything: only a filter
       * that asks for rejected pairs exports them. */
      if (options->statuses == 0 && status == MD_REVIEW_STATUS_REJECTED)
        {
          report_add (job->report, MD_EXPORT_ISSUE_REJECTED_LEFT_OUT, pair_id, NULL);
          return TRUE;
        }
    }
  else if (options->statuses != 0 &&
           (options->statuses & (1u << MD_REVIEW_STATUS_UNREVIEWED)) == 0)
    return TRUE;
  if (options->reason != NULL && *options->reason != '\0' &&
      !review_has_reason (job, dataset, pair_id, options->reason))
    return TRUE;
  if (options->complete_languages)
    {
      g_autoptr(MdExportPair) pair = _md_export_pair_load (job, pair_id, FALSE, error);

      if (pair == NULL)
        return FALSE;
      if (!texts_complete (pair))
        return TRUE;
    }
  *out_pass = TRUE;
  return TRUE;
}

static gboolean
select_add (MdExportJob   *job,
            sqlite3_stmt  *insert,
            const char    *pair_id,
            const char    *dataset,
            gint64         order,
            GError       **error)
{
  sqlite3_reset (insert);
  sqlite3_bind_text (insert, 1, pair_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, dataset, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 3, order);
  if (sqlite3_step (insert) != SQLITE_DONE)
    return _md_export_sel_error (job, error, "recording the selection");
  job->n_pairs += sqlite3_changes (job->sel);
  return TRUE;
}

typedef struct
{
  MdExportJob  *job;
  sqlite3_stmt *insert;
  guint64       n_seen;
} SelectAll;

static gboolean
select_row (const char  *pair_id,
            const char  *dataset,
            gint64       order,
            gpointer     user_data,
            GError     **error)
{
  SelectAll *all = user_data;
  gboolean pass;

  if (all->n_seen++ % 4096 == 0)
    {
      if (_md_export_cancelled (all->job, error))
        return FALSE;
      _md_export_progress (all->job, "select", all->n_seen, 0);
    }
  if (!passes_filters (all->job, dataset, pair_id, &pass, error))
    return FALSE;
  return !pass || select_add (all->job, all->insert, pair_id, dataset, order, error);
}

static gboolean
select_from_query (MdExportJob   *job,
                   sqlite3_stmt  *insert,
                   GError       **error)
{
  g_autoptr(MdQuery) query = md_query_new ();
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GListModel) list = NULL;
  gboolean ok = TRUE;
  guint i = 0;

  /* Without a search text or a quick filter every pair of the dataset (or modality) matches:
   * read them straight from the index rather than through a list model built for a window. */
  if ((job->options->text == NULL || *job->options->text == '\0') &&
      job->options->query_flags == 0)
    {
      SelectAll all = { job, insert, 0 };

      return _md_export_source_foreach (job->source, job->options->dataset,
                                        job->options->modality, select_row, &all, error);
    }

  query->text = g_strdup (job->options->text);
  query->dataset = g_strdup (job->options->dataset);
  query->language = job->options->search_language;
  query->modality = job->options->modality;
  query->flags = job->options->query_flags;

  /* A search's list counts its matches up to a cap and counts further from an idle source of
   * the thread-default context when read near its end; the export runs that context itself so
   * that it reaches every match, never just the first cap of them. */
  g_main_context_push_thread_default (context);
  list = md_store_query (job->store, query, error);
  if (list == NULL)
    {
      g_main_context_pop_thread_default (context);
      return FALSE;
    }

  for (;;)
    {
      g_autoptr(MdPair) row = NULL;
      gboolean pass;

      if (i >= g_list_model_get_n_items (list))
        {
          gboolean dispatched = FALSE;

          if (md_pair_list_is_count_exact (MD_PAIR_LIST (list)))
            break;
          /* Reading near the end schedules the next counting step (each step is bounded in
           * time, so it may find nothing new yet); run steps until the list grows or knows its
           * end. */
          if (g_list_model_get_n_items (list) > 0)
            row = g_list_model_get_item (list, g_list_model_get_n_items (list) - 1);
          g_clear_object (&row);
          while (g_main_context_iteration (context, FALSE))
            dispatched = TRUE;
          if (!dispatched)
            {
              g_set_error (error, MD_ERROR, MD_ERROR_QUERY,
                           "the matches of “%s” could not be counted past %u", query->text, i);
              ok = FALSE;
              break;
            }
          if (_md_export_cancelled (job, error))
            {
              ok = FALSE;
              break;
            }
          continue;
        }
      row = g_list_model_get_item (list, i);
      if (row == NULL)
        {
          /* The index changed under the list; an export must not silently be short. */
          g_set_error (error, MD_ERROR, MD_ERROR_DATABASE,
                       "%s: the result changed while it was read (pair %u of %u); run the "
                       "export again", md_store_get_path (job->store), i,
                       g_list_model_get_n_items (list));
          ok = FALSE;
          break;
        }
      if (i % 256 == 0)
        {
          if (_md_export_cancelled (job, error))
            {
              ok = FALSE;
              break;
            }
          _md_export_progress (job, "select", i, g_list_model_get_n_items (list));
        }
      i++;
      if (!passes_filters (job, md_pair_get_dataset (row), md_pair_get_id (row), &pass, error))
        {
          ok = FALSE;
          break;
        }
      if (pass && !select_add (job, insert, md_pair_get_id (row), md_pair_get_dataset (row),
                               md_pair_get_order (row), error))
        {
          ok = FALSE;
          break;
        }
    }
  g_clear_object (&list);
  g_main_context_pop_thread_default (context);
  return ok;
}

static gboolean
select_from_sample (MdExportJob   *job,
                    sqlite3_stmt  *insert,
                    GError       **error)
{
  g_autoptr(MdSample) sample = NULL;

  if (job->review == NULL)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND,
                   "no review file is open, so there is no sample “%s”", job->options->sample);
      return FALSE;
    }
  sample = md_review_store_load_sample (job->review, job->options->sample, error);
  if (sample == NULL)
    return FALSE;

  for (guint i = 0; i < sample->members->len; i++)
    {
      MdSampleMember *member = g_ptr_array_index (sample->members, i);
      g_autoptr(MdPair) pair = NULL;
      g_autoptr(GError) local_error = NULL;
      gboolean pass;

      if (_md_export_cancelled (job, error))
        return FALSE;
      _md_export_progress (job, "select", i, sample->members->len);
      pair = md_store_get_pair (job->store, member->pair_id, &local_error);
      if (pair == NULL || g_strcmp0 (md_pair_get_dataset (pair), member->dataset) != 0)
        {
          if (local_error != NULL && !g_error_matches (local_error, MD_ERROR, MD_ERROR_NOT_FOUND))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          report_add (job->report, MD_EXPORT_ISSUE_MISSING_PAIR, member->pair_id,
                      member->dataset);
          continue;
        }
      if (!passes_filters (job, member->dataset, member->pair_id, &pass, error))
        return FALSE;
      if (pass && !select_add (job, insert, member->pair_id, member->dataset,
                               md_pair_get_order (pair), error))
        return FALSE;
    }
  return TRUE;
}

/* Include mode: the pairs the selected ones link to, added as examples only. */
static gboolean
select_context (MdExportJob  *job,
                GError      **error)
{
  g_auto(sqlite3_stmt_ptr) walk = sel_prepare (job, "SELECT pair_id FROM sel", error);
  g_auto(sqlite3_stmt_ptr) add = sel_prepare (job, "INSERT OR IGNORE INTO inc (pair_id, dataset, "
                                              "ord) VALUES (?, ?, ?)", error);
  int rc;

  if (walk == NULL || add == NULL)
    return FALSE;
  while ((rc = sqlite3_step (walk)) == SQLITE_ROW)
    {
      const char *pair_id = (const char *) sqlite3_column_text (walk, 0);
      g_autoptr(MdPair) pair = md_store_get_pair (job->store, pair_id, error);
      const char * const *context;
      const char * const *dangling;

      if (pair == NULL || _md_export_cancelled (job, error))
        return FALSE;
      context = md_pair_get_context_ids (pair);
      dangling = md_pair_get_dangling_context_ids (pair);
      for (guint i = 0; context[i] != NULL; i++)
        {
          g_autoptr(MdPair) target = NULL;

          if (g_strv_contains (dangling, context[i]) || _md_export_in_selection (job, context[i]))
            continue;
          target = md_store_get_pair (job->store, context[i], NULL);
          if (target == NULL)
            continue;
          sqlite3_reset (add);
          sqlite3_bind_text (add, 1, context[i], -1, SQLITE_STATIC);
          sqlite3_bind_text (add, 2, md_pair_get_dataset (target), -1, SQLITE_STATIC);
          sqlite3_bind_int64 (add, 3, md_pair_get_order (target));
          if (sqlite3_step (add) != SQLITE_DONE)
            return _md_export_sel_error (job, error, "recording an in-context pair");
        }
    }
  if (rc != SQLITE_DONE)
    return _md_export_sel_error (job, error, "reading the selection");
  if (sqlite3_exec (job->sel, "INSERT OR IGNORE INTO sel (pair_id, dataset, ord, context_only) "
                              "SELECT pair_id, dataset, ord, 1 FROM inc", NULL, NULL, NULL)
      != SQLITE_OK)
    return _md_export_sel_error (job, error, "adding the in-context pairs");
  job->n_context_pairs = sqlite3_changes (job->sel);
  return TRUE;
}

static gboolean
job_select (MdExportJob  *job,
            GError      **error)
{
  g_auto(sqlite3_stmt_ptr) insert = NULL;
  gboolean ok;

  if (job->options->sample != NULL && *job->options->sample != '\0' &&
      job->options->text != NULL && *job->options->text != '\0')
    {
      g_set_error (error, MD_ERROR, MD_ERROR_QUERY, "a sample (“%s”) and a search text (“%s”) "
                   "cannot be combined: export one or the other", job->options->sample,
                   job->options->text);
      return FALSE;
    }

  insert = sel_prepare (job, "INSERT OR IGNORE INTO sel (pair_id, dataset, ord, context_only) "
                             "VALUES (?, ?, ?, 0)", error);
  if (insert == NULL || sqlite3_exec (job->sel, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return FALSE;
  if (job->options->sample != NULL && *job->options->sample != '\0')
    ok = select_from_sample (job, insert, error);
  else
    ok = select_from_query (job, insert, error);
  if (ok && job->options->context == MD_EXPORT_CONTEXT_INCLUDE)
    ok = select_context (job, error);
  sqlite3_exec (job->sel, "COMMIT", NULL, NULL, NULL);
  job->report->n_pairs = job->n_pairs;
  job->report->n_context_pairs = job->n_context_pairs;
  return ok;
}

gboolean
_md_export_foreach (MdExportJob       *job,
                    const char        *phase,
                    MdExportPairFunc   func,
                    gpointer           user_data,
                    GError           **error)
{
  g_auto(sqlite3_stmt_ptr) walk =
    sel_prepare (job, "SELECT pair_id, context_only FROM sel ORDER BY dataset, ord", error);
  guint64 total = job->n_pairs + job->n_context_pairs;
  guint64 done = 0;
  int rc;

  if (walk == NULL)
    return FALSE;
  /* One transaction for the work file's writes (seen images, extracted files). */
  if (sqlite3_get_autocommit (job->sel))
    {
      gboolean ok;

      if (sqlite3_exec (job->sel, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return _md_export_sel_error (job, error, "starting a transaction");
      ok = _md_export_foreach (job, phase, func, user_data, error);
      if (sqlite3_exec (job->sel, "COMMIT", NULL, NULL, NULL) != SQLITE_OK && ok)
        return _md_export_sel_error (job, error, "committing");
      return ok;
    }
  while ((rc = sqlite3_step (walk)) == SQLITE_ROW)
    {
      g_autoptr(MdExportPair) pair = NULL;

      if (_md_export_cancelled (job, error))
        return FALSE;
      _md_export_progress (job, phase, done++, total);
      pair = _md_export_pair_load (job, (const char *) sqlite3_column_text (walk, 0),
                                   sqlite3_column_int (walk, 1), error);
      if (pair == NULL || !func (job, pair, user_data, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    return _md_export_sel_error (job, error, "reading the selection");
  _md_export_progress (job, phase, total, total);
  return TRUE;
}

/* Checks ---------------------------------------------------------------------------------------- */

enum
{
  IMAGE_OK,
  IMAGE_MISSING,
  IMAGE_UNDECODABLE,
};

/* Each distinct image is read and decoded once, however many pairs share it. */
static int
check_image (MdExportJob  *job,
             const char   *image_id,
             GError      **error)
{
  sqlite3_stmt *find = _md_export_sel_cached (job, "SELECT result FROM checked WHERE image_id = ?", error);
  sqlite3_stmt *add;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GBytes) decoded = NULL;
  g_autoptr(GError) local_error = NULL;
  int result = IMAGE_OK;
  gsize bad;

  if (find == NULL)
    return -1;
  sqlite3_bind_text (find, 1, image_id, -1, SQLITE_STATIC);
  if (sqlite3_step (find) == SQLITE_ROW)
    {
      result = sqlite3_column_int (find, 0);
      sqlite3_reset (find);
      return result;
    }
  sqlite3_reset (find);

  raw = md_store_read_image_raw (job->store, image_id, &local_error);
  if (raw == NULL)
    {
      if (!g_error_matches (local_error, MD_ERROR, MD_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return -1;
        }
      result = IMAGE_MISSING;
    }
  else
    {
      decoded = md_base64_decode (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), &bad);
      if (decoded == NULL ||
          md_image_sniff (g_bytes_get_data (decoded, NULL), g_bytes_get_size (decoded)) == NULL)
        result = IMAGE_UNDECODABLE;
      /* Held by a store, so written (MIMIC-IT copies even an undecodable value as it is). */
      job->report->n_images++;
    }

  add = _md_export_sel_cached (job, "INSERT INTO checked (image_id, result) VALUES (?, ?)", error);
  if (add == NULL)
    return -1;
  sqlite3_bind_text (add, 1, image_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (add, 2, result);
  if (sqlite3_step (add) != SQLITE_DONE)
    {
      sqlite3_reset (add);
      _md_export_sel_error (job, error, "recording a checked image");
      return -1;
    }
  sqlite3_reset (add);
  return result;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

static gboolean
check_pair (MdExportJob   *job,
            MdExportPair  *pair,
            gpointer       user_data,
            GError       **error)
{
  MdExportReport *report = job->report;
  const char *id = md_pair_get_id (pair->pair);
  const char *dataset = md_pair_get_dataset (pair->pair);
  const char * const *images = md_pair_get_image_ids (pair->pair);
  const char * const *context = md_pair_get_context_ids (pair->pair);
  const char * const *dangling = md_pair_get_dangling_context_ids (pair->pair);
  MdLanguage main = main_language (job->options);
  g_auto(GStrv) flags = NULL;
  MdExportCounts *counts = g_hash_table_lookup (report->datasets, dataset);

  if (counts == NULL)
    {
      counts = g_new0 (MdExportCounts, 1);
      g_hash_table_insert (report->datasets, g_strdup (dataset), counts);
    }
  if (pair->context_only)
    counts->n_context_pairs++;
  else
    counts->n_pairs++;

  for (guint i = 0; images[i] != NULL; i++)
    {
      /* The import found no store holding it: nothing to read. */
      int result = g_strv_contains (md_pair_get_missing_image_ids (pair->pair), images[i]) ||
                   !_md_export_source_has_image (job->source, images[i])
                   ? IMAGE_MISSING : check_image (job, images[i], error);

      if (result < 0)
        return FALSE;
      if (result == IMAGE_MISSING)
        report_add (report, MD_EXPORT_ISSUE_MISSING_IMAGE, id, images[i]);
      else if (result == IMAGE_UNDECODABLE)
        report_add (report, MD_EXPORT_ISSUE_UNDECODABLE_IMAGE, id, images[i]);
    }

  for (guint i = 0; context[i] != NULL; i++)
    {
      gboolean missing = g_strv_contains (dangling, context[i]);

      if (_md_export_in_selection (job, context[i]))
        continue;
      if (job->options->context == MD_EXPORT_CONTEXT_KEEP && !pair->context_only)
        report_add (report, missing ? MD_EXPORT_ISSUE_DANGLING_CONTEXT
                                    : MD_EXPORT_ISSUE_UNEXPORTED_CONTEXT, id, context[i]);
      else
        report_add (report, MD_EXPORT_ISSUE_DROPPED_CONTEXT, id, context[i]);
    }

  for (guint f = 0; f < MD_N_FIELDS; f++)
    if (is_blank (pair->texts[main][f]))
      {
        g_autofree char *ref = g_strdup_printf ("%s %s", md_language_code (main),
                                                md_field_name (f));

        report_add (report, MD_EXPORT_ISSUE_EMPTY_TEXT, id, ref);
      }
  for (guint l = MD_LANGUAGE_ZH; l < MD_N_LANGUAGES; l++)
    if (pair->texts[l][MD_FIELD_INSTRUCTION] == NULL || pair->texts[l][MD_FIELD_ANSWER] == NULL ||
        *pair->texts[l][MD_FIELD_INSTRUCTION] == '\0' || *pair->texts[l][MD_FIELD_ANSWER] == '\0')
      report_add (report, MD_EXPORT_ISSUE_MISSING_TRANSLATION, id, md_language_code (l));

  flags = review_flags (job, dataset, id);
  for (guint i = 0; flags[i] != NULL; i++)
    report_add (report, MD_EXPORT_ISSUE_UNRESOLVED_FLAG, id, *flags[i] ? flags[i] : NULL);
  return TRUE;
}

static gboolean
job_check (MdExportJob  *job,
           GError      **error)
{
  return _md_export_foreach (job, "check", check_pair, NULL, error);
}

/* Files ----------------------------------------------------------------------------------------- */

char *
md_export_image_file_name (const char *image_id,
                           const char *mime_type)
{
  GString *name = g_string_new (NULL);
  gboolean changed = FALSE;
  const char *ext = g_strcmp0 (mime_type, "image/jpeg") == 0 ? ".jpg"
                    : g_strcmp0 (mime_type, "image/png") == 0 ? ".png" : ".bin";

  g_return_val_if_fail (image_id != NULL, NULL);

  /* Only [A-Za-z0-9._-], no leading dot, at most 160 bytes: the name never holds a separator, is
   * never "." or "..", and never hides. When anything had to change, a hash of the id keeps
   * different ids apart. */
  for (const char *p = image_id; *p != '\0'; p++)
    {
      if (name->len >= 160)
        {
          changed = TRUE;
          break;
        }
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '_' || (*p == '.' && name->len > 0))
        g_string_append_c (name, *p);
      else
        {
          g_string_append_c (name, '_');
          changed = TRUE;
        }
    }
  if (name->len == 0)
    changed = TRUE;
  if (changed)
    {
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, image_id, -1);

      g_string_append_printf (name, "~%.16s", hash);
    }
  g_string_append (name, ext);
  return g_string_free (name, FALSE);
}

static gboolean
rm_rf (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          rm_rf (child);
        }
      return g_rmdir (path) == 0;
    }
  return g_unlink (path) == 0;
}

/* Manifest -------------------------------------------------------------------------------------- */

static void
manifest_key (MdJsonWriter *w,
              const char   *key)
{
  _md_json_writer_string (w, key);
  _md_json_writer_raw (w, ": ", 2);
}

static void
manifest_int (MdJsonWriter *w,
              guint64       value)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, value);
  _md_json_writer_puts (w, buf);
}

static gboolean
write_manifest (MdExportJob  *job,
                GError      **error)
{
  const MdExportOptions *o = job->options;
  MdJsonWriter *w = _md_json_writer_open (job->staging, "manifest.json", error);
  g_auto(sqlite3_stmt_ptr) files = NULL;
  g_autoptr(GList) datasets = NULL;
  g_autoptr(GList) reviewers = NULL;
  MdExportFile *file;
  gint64 last_action = 0, n_entries = 0;
  gboolean first;
  int rc;

  if (w == NULL)
    return FALSE;

  _md_json_writer_puts (w, "{\n  \"tool\": ");
  _md_json_writer_string (w, PACKAGE_NAME);
  _md_json_writer_puts (w, ",\n  \"version\": ");
  _md_json_writer_string (w, PACKAGE_VERSION);
  _md_json_writer_puts (w, ",\n  \"created\": ");
  _md_json_writer_string (w, job->time);
  _md_json_writer_puts (w, ",\n  \"format\": ");
  _md_json_writer_string (w, md_export_format_name (o->format));

  _md_json_writer_puts (w, ",\n  \"filter\": {");
  manifest_key (w, "query");
  _md_json_writer_string (w, o->text != NULL && *o->text ? o->text : NULL);
  _md_json_writer_puts (w, ", ");
  manifest_key (w, "dataset");
  _md_json_writer_string (w, o->dataset != NULL && *o->dataset ? o->dataset : NULL);
  _md_json_writer_puts (w, ", ");
  manifest_key (w, "statuses");
  _md_json_writer_puts (w, "[");
  first = TRUE;
  for (guint s = 0; s < MD_REVIEW_N_STATUSES; s++)
    if (o->statuses & (1u << s))
      {
        if (!first)
          _md_json_writer_puts (w, ", ");
        _md_json_writer_string (w, md_review_status_name (s));
        first = FALSE;
      }
  _md_json_writer_puts (w, "], ");
  manifest_key (w, "search_language");
  _md_json_writer_string (w, o->search_language >= 0 && o->search_language < MD_N_LANGUAGES
                               ? md_language_code (o->search_language) : NULL);
  _md_json_writer_puts (w, ", ");
  manifest_key (w, "modality");
  _md_json_writer_string (w, o->modality >= 0 ? md_modality_name (o->modality) : NULL);
  _md_json_writer_puts (w, ", ");
  manifest_key (w, "missing_images");
  _md_json_writer_puts (w, o->query_flags & MD_QUERY_MISSING_IMAGES ? "true" : "false");
  _md_json_writer_puts (w, ", ");
  manifest_key (w, "missing_translations");
  _md_json_writer_puts (w, o->query_flags & MD_QUERY_MISSING_TRANSLATIONS ? "true" : "false");
  _md_json_writer_puts (w, ", ");
  manifest_key (w, "dangling_context");
  _md_json_writer_puts (w, o->query_flags & MD_QUERY_DANGLING_CONTEXT ? "true" : "false");
  _md_json_writer_puts (w, ", ");
  manifest_key (w, "reason");
  _md_json_writer_string (w, o->reason != NULL && *o->reason ? o->reason : NULL);
  _md_json_writer_puts (w, ", ");
  manifest_key (w, "complete_languages");
  _md_json_writer_puts (w, o->complete_languages ? "true" : "false");
  _md_json_writer_puts (w, ", ");
  manifest_key (w, "sample");
  _md_json_writer_string (w, o->sample != NULL && *o->sample ? o->sample : NULL);
  _md_json_writer_puts (w, ", ");
  manifest_key (w, "context");
  _md_json_writer_string (w, md_export_context_name (o->context));
  _md_json_writer_puts (w, ", ");
  manifest_key (w, "language");
  _md_json_writer_string (w, md_language_code (main_language (o)));
  _md_json_writer_puts (w, ", ");
  manifest_key (w, "extract_images");
  _md_json_writer_puts (w, o->extract_images ? "true" : "false");
  _md_json_writer_puts (w, ", ");
  manifest_key (w, "llava_context");
  _md_json_writer_puts (w, o->llava_context ? "true" : "false");
  _md_json_writer_puts (w, "},\n  \"index\": ");
  _md_json_writer_string (w, md_store_get_path (job->store));

  /* The review-log position the export reflects: a later export with the same position and
   * filter writes the same texts and statuses. */
  _md_json_writer_puts (w, ",\n  \"review\": ");
  if (job->review != NULL)
    {
      sqlite3_stmt *stmt = _md_review_store_prepare (job->review,
        "SELECT (SELECT coalesce(max(id), 0) FROM review_action), "
        "(SELECT count(*) FROM review_log)", error);

      if (stmt == NULL)
        {
          _md_json_writer_abort (w);
          return FALSE;
        }
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          last_action = sqlite3_column_int64 (stmt, 0);
          n_entries = sqlite3_column_int64 (stmt, 1);
        }
      sqlite3_reset (stmt);
      _md_json_writer_puts (w, "{");
      manifest_key (w, "path");
      _md_json_writer_string (w, md_review_store_get_path (job->review));
      _md_json_writer_puts (w, ", ");
      manifest_key (w, "last_action");
      manifest_int (w, last_action);
      _md_json_writer_puts (w, ", ");
      manifest_key (w, "entries");
      manifest_int (w, n_entries);
      _md_json_writer_puts (w, ", ");
      manifest_key (w, "reviewers");
      _md_json_writer_puts (w, "[");
      reviewers = g_list_sort (g_hash_table_get_keys (job->reviewers), (GCompareFunc) strcmp);
      for (GList *l = reviewers; l != NULL; l = l->next)
        {
          _md_json_writer_string (w, l->data);
          if (l->next != NULL)
            _md_json_writer_puts (w, ", ");
        }
      _md_json_writer_puts (w, "]}");
    }
  else
    _md_json_writer_puts (w, "null");

  _md_json_writer_puts (w, ",\n  \"counts\": {");
  manifest_key (w, "pairs");
  manifest_int (w, job->n_pairs);
  _md_json_writer_puts (w, ", ");
  manifest_key (w, "context_pairs");
  manifest_int (w, job->n_context_pairs);
  _md_json_writer_puts (w, ", ");
  manifest_key (w, "images");
  manifest_int (w, job->n_images);
  _md_json_writer_puts (w, ", ");
  manifest_key (w, "datasets");
  _md_json_writer_puts (w, "{");
  datasets = g_list_sort (g_hash_table_get_keys (job->datasets), (GCompareFunc) strcmp);
  for (GList *l = datasets; l != NULL; l = l->next)
    {
      MdExportCounts *c = g_hash_table_lookup (job->datasets, l->data);

      manifest_key (w, l->data);
      _md_json_writer_puts (w, "{\"pairs\": ");
      manifest_int (w, c->n_pairs);
      _md_json_writer_puts (w, ", \"context_pairs\": ");
      manifest_int (w, c->n_context_pairs);
      _md_json_writer_puts (w, ", \"images\": ");
      manifest_int (w, c->n_images);
      _md_json_writer_puts (w, l->next != NULL ? "}, " : "}");
    }
  _md_json_writer_puts (w, "}, ");
  manifest_key (w, "languages");
  _md_json_writer_puts (w, "{");
  for (guint l = 0; l < MD_N_LANGUAGES; l++)
    {
      manifest_key (w, md_language_code (l));
      manifest_int (w, job->languages[l]);
      if (l + 1 < MD_N_LANGUAGES)
        _md_json_writer_puts (w, ", ");
    }
  _md_json_writer_puts (w, "}},\n  \"checks\": {");
  first = TRUE;
  for (guint k = 0; k < MD_EXPORT_N_ISSUES; k++)
    {
      if (!first)
        _md_json_writer_puts (w, ", ");
      manifest_key (w, issue_names[k]);
      manifest_int (w, job->report->counts[k]);
      first = FALSE;
    }

  _md_json_writer_puts (w, "},\n  \"files\": [");
  files = sel_prepare (job, "SELECT path, size, sha256 FROM files ORDER BY seq", error);
  if (files == NULL)
    {
      _md_json_writer_abort (w);
      return FALSE;
    }
  first = TRUE;
  while ((rc = sqlite3_step (files)) == SQLITE_ROW)
    {
      _md_json_writer_puts (w, first ? "\n    {" : ",\n    {");
      manifest_key (w, "path");
      _md_json_writer_string (w, (const char *) sqlite3_column_text (files, 0));
      _md_json_writer_puts (w, ", ");
      manifest_key (w, "size");
      manifest_int (w, sqlite3_column_int64 (files, 1));
      _md_json_writer_puts (w, ", ");
      manifest_key (w, "sha256");
      _md_json_writer_string (w, (const char *) sqlite3_column_text (files, 2));
      _md_json_writer_puts (w, "}");
      first = FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      _md_json_writer_abort (w);
      return _md_export_sel_error (job, error, "listing the files");
    }
  _md_json_writer_puts (w, "\n  ]\n}\n");

  file = _md_json_writer_close (w, error);
  if (file == NULL)
    return FALSE;
  g_ptr_array_add (job->files, file);
  return TRUE;
}

/* Running --------------------------------------------------------------------------------------- */

/* Writes what the folder's entries are (names, not contents) to the disk. */
static gboolean
sync_dir (const char  *path,
          GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  int saved;

  if (fd >= 0 && fsync (fd) == 0)
    {
      close (fd);
      return TRUE;
    }
  saved = errno;
  if (fd >= 0)
    close (fd);
  g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: cannot flush the folder to disk: %s", path,
               g_strerror (saved));
  return FALSE;
}

static gboolean
sync_tree (const char  *path,
           GError     **error)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, error);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK) &&
          !sync_tree (child, error))
        return FALSE;
    }
  return sync_dir (path, error);
}

/* Rename order: what nothing names first, then the instructions files (which name the images and
 * the in-context pairs), otter_data.yaml, and the manifest last. A kill in between leaves no
 * instructions file without its images and train file, and an output folder with a manifest
 * holds a complete export. */
static int
commit_rank (const char *name)
{
  if (strcmp (name, "manifest.json") == 0)
    return 3;
  if (strcmp (name, "otter_data.yaml") == 0)
    return 2;
  if (g_str_has_suffix (name, "_instructions.json"))
    return 1;
  return 0;
}

static int
compare_commit_order (gconstpointer a,
                      gconstpointer b)
{
  const char *na = *(const char * const *) a;
  const char *nb = *(const char * const *) b;
  int ra = commit_rank (na), rb = commit_rank (nb);

  return ra != rb ? ra - rb : strcmp (na, nb);
}

/* Moves the staged entries to their final names, everything on the disk before and after. */
static gboolean
commit_staging (MdExportJob  *job,
                const char   *out_dir,
                GError      **error)
{
  g_autoptr(GDir) dir = g_dir_open (job->staging, 0, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (strcmp (name, STAGING_LOCK) != 0)
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_commit_order);
  if (!sync_tree (job->staging, error))
    return FALSE;

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *from = g_build_filename (job->staging, names->pdata[i], NULL);
      g_autofree char *to = g_build_filename (out_dir, names->pdata[i], NULL);

      /* The instructions and the manifest only once what they name is on the disk. */
      if (i > 0 && commit_rank (names->pdata[i]) != commit_rank (names->pdata[i - 1]) &&
          !sync_dir (out_dir, error))
        return FALSE;
      if (g_rename (from, to) != 0)
        {
          int saved = errno;

          /* Undo what moved already, so the folder is as it was. */
          for (guint j = 0; j < i; j++)
            {
              g_autofree char *moved = g_build_filename (out_dir, names->pdata[j], NULL);

              rm_rf (moved);
            }
          g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: cannot move the finished export "
                       "into place: %s", to, g_strerror (saved));
          return FALSE;
        }
    }
  rm_rf (job->staging);
  return sync_dir (out_dir, error);
}

/* The staging folder's lock, held while the export runs: a staging folder whose lock can be
 * taken belongs to an export that was killed. */
static int
lock_staging (const char  *staging,
              gboolean     wait,
              GError     **error)
{
  g_autofree char *path = g_build_filename (staging, STAGING_LOCK, NULL);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: cannot create the lock: %s", path,
                   g_strerror (saved));
      return -1;
    }
  if (flock (fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0)
    {
      close (fd);
      g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: another export is writing into this "
                   "folder", staging);
      return -1;
    }
  return fd;
}

/* An output folder must be empty, but for the staging folders of killed exports (which are
 * hidden, so `ls` shows an empty folder): those are removed, each with a note. */
static gboolean
prepare_out_dir (const char  *dir,
                 GPtrArray   *notes,
                 GError     **error)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR) || d == NULL)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: the output must be a folder that is empty "
                   "or does not exist yet", dir);
      return FALSE;
    }
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (!g_str_has_prefix (name, ".export-") || !g_file_test (path, G_FILE_TEST_IS_DIR) ||
          g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        {
          g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: the output folder must be empty or not "
                       "exist yet, so that nothing in it is mixed with the export (it holds "
                       "“%s”)", dir, name);
          return FALSE;
        }
      g_ptr_array_add (stale, g_steal_pointer (&path));
    }
  for (guint i = 0; i < stale->len; i++)
    {
      int fd = lock_staging (stale->pdata[i], FALSE, error);

      if (fd < 0)
        return FALSE;
      rm_rf (stale->pdata[i]);
      close (fd);
      g_ptr_array_add (notes, g_strdup_printf ("%s: removed the staging folder of an export "
                                               "that did not finish", (char *) stale->pdata[i]));
    }
  return TRUE;
}

static gboolean
job_write (MdExportJob  *job,
           const char   *out_dir,
           GError      **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  job->time = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  switch (job->options->format)
    {
    case MD_EXPORT_FORMAT_MIMICIT:
      if (!_md_export_write_mimicit (job, error))
        return FALSE;
      break;
    case MD_EXPORT_FORMAT_JSONL:
      if (!_md_export_write_jsonl (job, error))
        return FALSE;
      break;
    case MD_EXPORT_FORMAT_LLAVA:
      if (!_md_export_write_llava (job, error))
        return FALSE;
      break;
    default:
      g_assert_not_reached ();
    }
  if (_md_export_cancelled (job, error) || !write_manifest (job, error))
    return FALSE;
  return commit_staging (job, out_dir, error);
}

MdExportReport *
md_export_check (MdStore                *store,
                 MdReviewStore          *review,
                 const MdExportOptions  *options,
                 MdExportProgressFunc    progress,
                 gpointer                progress_data,
                 GCancellable           *cancellable,
                 GError                **error)
{
  MdExportJob job;
  MdExportReport *report = NULL;

  g_return_val_if_fail (MD_IS_STORE (store), NULL);
  g_return_val_if_fail (review == NULL || MD_IS_REVIEW_STORE (review), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  if (job_init (&job, store, review, options, progress, progress_data, cancellable, error) &&
      job_select (&job, error) && job_check (&job, error))
    report = g_steal_pointer (&job.report);
  job_clear (&job);
  return report;
}

MdExportResult *
md_export_run (MdStore                *store,
               MdReviewStore          *review,
               const MdExportOptions  *options,
               const char             *out_dir,
               MdExportProgressFunc    progress,
               gpointer                progress_data,
               GCancellable           *cancellable,
               GError                **error)
{
  MdExportJob job;
  MdExportResult *result = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *template = NULL;
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  gboolean created = FALSE;
  int lock_fd = -1;
  gboolean ok;

  g_return_val_if_fail (MD_IS_STORE (store), NULL);
  g_return_val_if_fail (review == NULL || MD_IS_REVIEW_STORE (review), NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (out_dir != NULL, NULL);

  dir = g_canonicalize_filename (out_dir, NULL);
  if (g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      if (!prepare_out_dir (dir, notes, error))
        return NULL;
    }
  else
    {
      if (g_mkdir_with_parents (dir, 0755) != 0)
        {
          int saved = errno;

          g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: cannot create the output folder: %s",
                       dir, g_strerror (saved));
          return NULL;
        }
      created = TRUE;
    }

  ok = job_init (&job, store, review, options, progress, progress_data, cancellable, error);
  if (ok)
    {
      template = g_build_filename (dir, ".export-XXXXXX", NULL);
      job.staging = g_mkdtemp_full (template, 0755) != NULL ? g_strdup (template) : NULL;
      if (job.staging == NULL)
        {
          int saved = errno;

          g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: cannot create a staging folder: %s",
                       dir, g_strerror (saved));
          ok = FALSE;
        }
      else if ((lock_fd = lock_staging (job.staging, TRUE, error)) < 0)
        ok = FALSE;
    }
  ok = ok && job_select (&job, error) && job_check (&job, error) && job_write (&job, dir, error);

  if (ok)
    {
      result = g_new0 (MdExportResult, 1);
      result->out_dir = g_steal_pointer (&dir);
      result->n_pairs = job.n_pairs;
      result->n_context_pairs = job.n_context_pairs;
      result->n_images = job.n_images;
      result->files = g_steal_pointer (&job.files);
      result->report = g_steal_pointer (&job.report);
      g_ptr_array_add (notes, NULL);
      result->notes = (GStrv) g_ptr_array_steal (notes, NULL);
    }
  else
    {
      /* Nothing half-written stays behind: not the staging folder, not a folder we made. */
      if (job.staging != NULL)
        rm_rf (job.staging);
      if (created)
        g_rmdir (dir);
    }
  if (lock_fd >= 0)
    close (lock_fd);
  job_clear (&job);
  return result;
}

/* Async ----------------------------------------------------------------------------------------- */

typedef struct
{
  MdStore              *store;
  char                 *review_path;
  MdExportOptions      *options;
  char                 *out_dir;
  MdExportProgressFunc  progress;
  gpointer              progress_data;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_clear_object (&data->store);
  g_free (data->review_path);
  md_export_options_free (data->options);
  g_free (data->out_dir);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TaskData *data = task_data;
  g_autoptr(MdReviewStore) review = NULL;
  GError *error = NULL;

  /* A review store belongs to one thread: this one opens its own connection. */
  if (data->review_path != NULL &&
      (review = md_review_store_open (data->review_path, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (data->out_dir != NULL)
    {
      MdExportResult *result = md_export_run (data->store, review, data->options, data->out_dir,
                                              data->progress, data->progress_data, cancellable,
                                              &error);

      if (result != NULL)
        g_task_return_pointer (task, result, (GDestroyNotify) md_export_result_free);
      else
        g_task_return_error (task, error);
    }
  else
    {
      MdExportReport *report = md_export_check (data->store, review, data->options,
                                                data->progress, data->progress_data, cancellable,
                                                &error);

      if (report != NULL)
        g_task_return_pointer (task, report, g_object_unref);
      else
        g_task_return_error (task, error);
    }
}

static void
start_task (MdStore               *store,
            MdReviewStore         *review,
            const MdExportOptions *options,
            const char            *out_dir,
            MdExportProgressFunc   progress,
            gpointer               progress_data,
            GCancellable          *cancellable,
            GAsyncReadyCallback    callback,
            gpointer               user_data,
            gpointer               source_tag)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  TaskData *data = g_new0 (TaskData, 1);

  data->store = g_object_ref (store);
  data->review_path = review != NULL ? g_strdup (md_review_store_get_path (review)) : NULL;
  data->options = md_export_options_copy (options);
  data->out_dir = g_strdup (out_dir);
  data->progress = progress;
  data->progress_data = progress_data;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, export_thread);
}

void
md_export_check_async (MdStore               *store,
                       MdReviewStore         *review,
                       const MdExportOptions *options,
                       MdExportProgressFunc   progress,
                       gpointer               progress_data,
                       GCancellable          *cancellable,
                       GAsyncReadyCallback    callback,
                       gpointer               user_data)
{
  g_return_if_fail (MD_IS_STORE (store));
  g_return_if_fail (options != NULL);
  start_task (store, review, options, NULL, progress, progress_data, cancellable, callback,
              user_data, md_export_check_async);
}

MdExportReport *
md_export_check_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
md_export_run_async (MdStore               *store,
                     MdReviewStore         *review,
                     const MdExportOptions *options,
                     const char            *out_dir,
                     MdExportProgressFunc   progress,
                     gpointer               progress_data,
                     GCancellable          *cancellable,
                     GAsyncReadyCallback    callback,
                     gpointer               user_data)
{
  g_return_if_fail (MD_IS_STORE (store));
  g_return_if_fail (options != NULL);
  g_return_if_fail (out_dir != NULL);
  start_task (store, review, options, out_dir, progress, progress_data, cancellable, callback,
              user_data, md_export_run_async);
}

MdExportResult *
md_export_run_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
