/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "md-import-parquet-private.h"
#include "md-import-private.h"

/* Import: every input file is memory-mapped and scanned once. Each file is imported in its own
 * transaction, so a failure leaves the index as it was before that file. Problems that need all
 * inputs (missing images, dangling links) are computed afterwards, then the full-text index is
 * brought up to date in a separate, resumable phase. md-import-private.h says which file does
 * what. */


/* A cheap fingerprint: size and hashes of the first, middle and last 64 KiB. Together with
 * size and mtime it tells an unchanged file without reading gigabytes. */
static char *
fingerprint_file (const char *path,
                  guint64     size)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA1);
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  guint64 offsets[3] = { 0, size / 2, size > 65536 ? size - 65536 : 0 };
  g_autofree guchar *buffer = g_malloc (65536);

  if (fd < 0)
    return NULL;
  g_checksum_update (sum, (const guchar *) &size, sizeof size);
  for (guint i = 0; i < 3; i++)
    {
      gssize n = pread (fd, buffer, 65536, offsets[i]);

      if (n > 0)
        g_checksum_update (sum, buffer, n);
    }
  close (fd);
  return g_strdup (g_checksum_get_string (sum));
}


/* One file ----------------------------------------------------------------------------------- */

/* Pair rowids are handed out here, never reused: a pair imported again after its file changed
 * gets rowids (and text keys) past the full-text marker, so the search phase picks it up. */
static gint64
first_free_pair_rowid (sqlite3 *db)
{
  g_auto(sqlite3_stmt_ptr) max = _md_index_prepare (db, "SELECT max(rowid) FROM pairs", NULL);
  gint64 next = _md_index_get_meta_int (db, "next_pair_rowid", 1);

  if (max != NULL && sqlite3_step (max) == SQLITE_ROW)
    next = MAX (next, sqlite3_column_int64 (max, 0) + 1);
  return MAX (next, 1);
}

/* "INSERT ... VALUES (?, ?, ?), (?, ?, ?), ..." with ROWS_PER_INSERT rows: literals only. */
static sqlite3_stmt *
prepare_many (sqlite3     *db,
              const char  *insert,
              const char  *row,
              GError     **error)
{
  g_autoptr(GString) sql = g_string_new (insert);

  for (guint i = 0; i < ROWS_PER_INSERT; i++)
    g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "", row);
  return _md_index_prepare (db, sql->str, error);
}

static gboolean
prepare_statements (Importer  *imp,
                    GError   **error)
{
  imp->insert_pair = _md_index_prepare (imp->db,
    "INSERT INTO pairs (pair_id, dataset_id, file_id, modality, n_images, languages, rowid) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (imp->insert_pair == NULL)
    return FALSE;
  imp->insert_refs = _md_index_prepare (imp->db,
    "INSERT OR REPLACE INTO pair_refs (pair_rowid, image_ids, rel_ins_ids) VALUES (?, ?, ?)",
    error);
  if (imp->insert_refs == NULL)
    return FALSE;
  imp->insert_text = _md_index_prepare (imp->db,
    "INSERT OR REPLACE INTO texts (key, instruction, answer, instruction_origin, answer_origin) "
    "VALUES (?, ?, ?, ?, ?)", error);
  if (imp->insert_text == NULL)
    return FALSE;
  imp->insert_texts_en = prepare_many (imp->db, "INSERT OR REPLACE INTO texts (key, instruction, "
                                                "answer) VALUES ", "(?, ?, ?)", error);
  if (imp->insert_texts_en == NULL)
    return FALSE;
  imp->insert_many_refs = prepare_many (imp->db, "INSERT OR REPLACE INTO pair_refs (pair_rowid, "
                                                 "image_ids, rel_ins_ids) VALUES ", "(?, ?, ?)",
                                        error);
  if (imp->insert_many_refs == NULL)
    return FALSE;
  if (!_md_problem_writer_init (&imp->problems, imp->db, MD_PROBLEM_PHASE_FILE, error))
    return FALSE;
  imp->insert_image = _md_index_prepare (imp->db,
    "INSERT OR REPLACE INTO images (image_id, file_id, offset, length, variant) "
    "VALUES (?, ?, ?, ?, ?)", error);
  if (imp->insert_image == NULL)
    return FALSE;
  imp->insert_train = _md_index_prepare (imp->db,
    "INSERT OR REPLACE INTO train_links (pair_id, file_id, context_ids) VALUES (?, ?, ?)", error);
  return imp->insert_train != NULL;
}

static void
finalize_statements (Importer *imp)
{
  g_clear_pointer (&imp->insert_pair, sqlite3_finalize);
  g_clear_pointer (&imp->insert_refs, sqlite3_finalize);
  g_clear_pointer (&imp->insert_text, sqlite3_finalize);
  g_clear_pointer (&imp->insert_texts_en, sqlite3_finalize);
  g_clear_pointer (&imp->insert_many_refs, sqlite3_finalize);
  _md_problem_writer_clear (&imp->problems);
  g_clear_pointer (&imp->insert_image, sqlite3_finalize);
  g_clear_pointer (&imp->insert_train, sqlite3_finalize);
}

static gboolean
update_dataset_count (Importer  *imp,
                      GError   **error)
{
  g_auto(sqlite3_stmt_ptr) stmt = _md_index_prepare (imp->db,
    "UPDATE datasets SET n_pairs = (SELECT count(*) FROM pairs WHERE dataset_id = ?1) "
    "WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, imp->dataset_id);
  return _md_importer_step (imp, stmt, "counting pairs", error);
}

/* What identifies an input's version; a folder of Parquet parts is one input. */
static gboolean
stat_input (const char  *path,
            GStatBuf    *st,
            char       **fingerprint)
{
  guint64 size;
  gint64 mtime;

  if (_md_import_parquet_stat_folder (path, &size, &mtime, fingerprint))
    {
      memset (st, 0, sizeof *st);
      st->st_size = size;
      st->st_mtime = mtime;
      return TRUE;
    }
  if (g_stat (path, st) != 0)
    return FALSE;
  *fingerprint = fingerprint_file (path, st->st_size);
  return TRUE;
}

typedef struct
{
  Importer *imp;
  guint64   records_before;
} ParquetProgress;

static void
parquet_progress (guint64  bytes_done,
                  guint64  records_done,
                  gpointer user_data)
{
  ParquetProgress *p = user_data;

  p->imp->bytes_done = p->imp->file_base + bytes_done;
  p->imp->records_done = p->records_before + records_done;
  _md_importer_progress (p->imp, FALSE);
}

/* Parquet inputs are read by md-import-parquet.c, inside this file's transaction. */
static gboolean
import_parquet (Importer  *imp,
                Input     *input,
                GError   **error)
{
  ParquetProgress progress = { imp, imp->records_done };
  MdImportParquet job = {
    .db = imp->db,
    .path = input->path,
    .kind = input->kind,
    .file_id = imp->file_id,
    .dataset_id = imp->dataset_id,
    .cancellable = imp->cancellable,
    .progress = parquet_progress,
    .progress_data = &progress,
    .decide_modality = _md_decide_modality,
    .next_pair_rowid = &imp->next_pair_rowid,
  };
  gboolean ok;

  ok = _md_import_parquet (&job, error);
  imp->records_done = progress.records_before + job.n_records;
  imp->n_records = job.n_records;
  imp->n_problems = job.n_problems;
  return ok;
}

/* Syphus's failure files are read by md-import-syphus-failures.c, inside this file's
 * transaction. */
static gboolean
import_syphus_failures (Importer  *imp,
                        Input     *input,
                        Mapped    *m,
                        GError   **error)
{
  MdImportSyphusFailures job = {
    .db = imp->db,
    .path = input->path,
    .which = input->syphus_failures,
    .data = m->data,
    .len = m->len,
    .file_id = imp->file_id,
    .cancellable = imp->cancellable,
  };
  gboolean ok;

  ok = _md_import_syphus_failures (&job, error);
  imp->records_done += job.n_records;
  imp->n_records = job.n_records;
  imp->n_problems = job.n_problems;
  return ok;
}

/* Imports one file in one transaction. Returns FALSE with `error` when the file is rejected
 * (the transaction is rolled back) or the import was cancelled. */
static gboolean
import_one (Importer        *imp,
            Input           *input,
            MdImportedFile  *out,
            GPtrArray       *requeue,
            GError         **error)
{
  g_auto(sqlite3_stmt_ptr) find = NULL;
  g_auto(sqlite3_stmt_ptr) upsert = NULL;
  g_autofree char *fingerprint = NULL;
  GStatBuf st;
  Mapped m = { .fd = -1 };
  gboolean ok = FALSE;
  gint64 old_id = 0;

  if (!stat_input (input->path, &st, &fingerprint))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_IO, _("%s: cannot read the file"), input->path);
      return FALSE;
    }

  find = _md_index_prepare (imp->db, "SELECT id, size, mtime, fingerprint FROM files "
                                     "WHERE path = ?", error);
  if (find == NULL)
    return FALSE;
  sqlite3_bind_text (find, 1, input->path, -1, SQLITE_STATIC);
  if (sqlite3_step (find) == SQLITE_ROW)
    {
      old_id = sqlite3_column_int64 (find, 0);
      if (sqlite3_column_int64 (find, 1) == (gint64) st.st_size &&
          sqlite3_column_int64 (find, 2) == (gint64) st.st_mtime &&
          g_strcmp0 ((const char *) sqlite3_column_text (find, 3), fingerprint) == 0)
        {
          out->outcome = MD_FILE_UNCHANGED;
          imp->bytes_done += st.st_size;
          return TRUE;
        }
    }
  sqlite3_reset (find);

  imp->path = input->path;
  imp->file_base = imp->bytes_done;
  imp->n_records = 0;
  imp->n_problems = 0;
  /* Replaced texts that were indexed are taken out of the search file in this transaction. */
  if (imp->fts_marker > 0 && !_md_index_set_meta_int (imp->db, "search_suspect", 1, error))
    return FALSE;
  if (!_md_index_exec (imp->db, "BEGIN IMMEDIATE", error))
    return FALSE;

  imp->dataset_id = 0;
  if (input->kind != MD_FILE_KIND_TRANSLATION && input->kind != MD_FILE_KIND_PROMPT)
    {
      imp->dataset_id = _md_importer_ensure_dataset (imp, input->dataset, error);
      if (imp->dataset_id < 0)
        goto out;
    }

  upsert = _md_index_prepare (imp->db,
    "INSERT INTO files (path, kind, dataset_id, size, mtime, fingerprint) VALUES (?1, ?2, ?3, ?4, "
    "?5, NULL) ON CONFLICT (path) DO UPDATE SET kind = ?2, dataset_id = ?3, size = ?4, "
    "mtime = ?5, fingerprint = NULL RETURNING id", error);
  if (upsert == NULL)
    goto out;
  sqlite3_bind_text (upsert, 1, input->path, -1, SQLITE_STATIC);
  sqlite3_bind_int (upsert, 2, input->kind);
  if (imp->dataset_id > 0)
    sqlite3_bind_int64 (upsert, 3, imp->dataset_id);
  else
    sqlite3_bind_null (upsert, 3);
  sqlite3_bind_int64 (upsert, 4, st.st_size);
  sqlite3_bind_int64 (upsert, 5, st.st_mtime);
  if (sqlite3_step (upsert) != SQLITE_ROW)
    {
      _md_index_set_error (imp->db, error, "recording a file");
      goto out;
    }
  imp->file_id = sqlite3_column_int64 (upsert, 0);
  sqlite3_reset (upsert);

  if (old_id != 0 && !_md_importer_forget_file (imp, input->kind, requeue, error))
    goto out;

  if (input->parquet)
    {
      ok = import_parquet (imp, input, error);
      goto scanned;
    }
  if (!_md_mapped_open (&m, input->path, error))
    goto out;

  switch (input->kind)
    {
    case MD_FILE_KIND_INSTRUCTIONS:
      ok = _md_import_instructions (imp, &m, error);
      break;
    case MD_FILE_KIND_TRAIN:
      ok = _md_import_train (imp, &m, error);
      break;
    case MD_FILE_KIND_IMAGE_STORE:
      ok = _md_import_image_store (imp, &m, error);
      break;
    case MD_FILE_KIND_TRANSLATION:
      if (input->syphus_failures != MD_SYPHUS_FAILURES_NONE)
        ok = import_syphus_failures (imp, input, &m, error);
      else
        ok = _md_import_translations (imp, &m, error);
      break;
    case MD_FILE_KIND_PROMPT:
      ok = _md_import_prompt (imp, &m, input->dataset, error);
      break;
    case MD_FILE_KIND_UNKNOWN:
    default:
      g_assert_not_reached ();
    }
  {
    gsize cut_at = 0;

    /* What was read past the cut is zeros: whatever the scan made of it is thrown away. */
    if (_md_mapped_cut_short (&m, &cut_at) &&
        !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      {
        struct stat now;

        g_clear_error (error);
        if (fstat (m.fd, &now) != 0)
          now.st_size = 0;
        g_set_error (error, MD_ERROR, MD_ERROR_IO,
                     _("%s: the file changed during the import: it was cut to %" PRIu64
                       " bytes (from %" PRIu64 ") while byte %zu was being read; nothing of it "
                       "was kept, expected a file that stays the same until the import ends"),
                     input->path, (guint64) now.st_size,
                     (guint64) st.st_size, cut_at);
        ok = FALSE;
      }
  }
  _md_mapped_close (&m);
scanned:
  if (!ok)
    goto out;

  /* A file written to while it was scanned gives rows from two versions, or garbage: compare
   * what identifies the file before and after, and keep nothing when they differ. */
  {
    g_autofree char *after = NULL;
    GStatBuf st_after;

    if (!stat_input (input->path, &st_after, &after))
      after = NULL;
    if (after == NULL || st_after.st_size != st.st_size || st_after.st_mtime != st.st_mtime ||
        g_strcmp0 (after, fingerprint) != 0)
      {
        g_set_error (error, MD_ERROR, MD_ERROR_IO,
                     _("%s: the file changed while it was being imported (%" PRIu64
                       " bytes before, %" PRIu64 " after); nothing of it was kept, expected a "
                       "file that stays the same until the import ends"), input->path,
                     (guint64) st.st_size, (guint64) (after != NULL ? st_after.st_size : 0));
        ok = FALSE;
        goto out;
      }
  }

  {
    g_auto(sqlite3_stmt_ptr) done = _md_index_prepare (imp->db,
      "UPDATE files SET fingerprint = ?, n_records = ?, n_problems = ? WHERE id = ?", error);

    if (done == NULL)
      {
        ok = FALSE;
        goto out;
      }
    sqlite3_bind_text (done, 1, fingerprint, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (done, 2, imp->n_records);
    sqlite3_bind_int64 (done, 3, imp->n_problems);
    sqlite3_bind_int64 (done, 4, imp->file_id);
    ok = _md_importer_step (imp, done, "recording a file", error);
  }
  if (ok && input->kind == MD_FILE_KIND_INSTRUCTIONS)
    ok = update_dataset_count (imp, error);
  if (ok)
    ok = _md_index_set_meta_int (imp->db, "next_pair_rowid", imp->next_pair_rowid, error);
  g_debug ("%s: committing", input->path);
  if (ok)
    ok = _md_index_exec (imp->db, "COMMIT", error);
  g_debug ("%s: committed", input->path);

out:
  if (!ok)
    sqlite3_exec (imp->db, "ROLLBACK", NULL, NULL, NULL);
  /* Both files committed, or both rolled back: they agree again. */
  if (imp->fts_marker > 0)
    _md_index_set_meta_int (imp->db, "search_suspect", 0, NULL);
  if (!ok)
    {
      if (error != NULL && *error != NULL && (*error)->domain == MD_ERROR &&
          (*error)->code == MD_ERROR_PARSE && !input->parquet)
        g_prefix_error (error, "%s: ", input->path);
      imp->bytes_done = imp->file_base + st.st_size;
      return FALSE;
    }
  imp->changed = TRUE;
  imp->bytes_done = imp->file_base + st.st_size;
  out->outcome = MD_FILE_IMPORTED;
  out->n_records = imp->n_records;
  out->n_problems = imp->n_problems;
  _md_importer_progress (imp, TRUE);
  return TRUE;
}


/* Entry point ---------------------------------------------------------------------------------- */

static gboolean
path_is_queued (GPtrArray  *inputs,
                const char *path,
                guint       from)
{
  for (guint i = from; i < inputs->len; i++)
    if (strcmp (((Input *) g_ptr_array_index (inputs, i))->path, path) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
run_locked (const char            *index_path,
            const char * const    *paths,
            MdImportProgressFunc   progress,
            gpointer               progress_data,
            GCancellable          *cancellable,
            MdImportReport        *report,
            GError               **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) inputs =
    g_ptr_array_new_with_free_func ((GDestroyNotify) _md_import_input_free);
  g_autoptr(GPtrArray) requeue = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Importer imp = { 0 };
  guint n_considered = 0;
  guint n_ok = 0;
  gboolean ok = TRUE;
  gint64 started = g_get_monotonic_time ();

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *absolute = g_canonicalize_filename (paths[i], NULL);

      if (_md_import_parquet_is_part_folder (absolute))
        g_ptr_array_add (files, g_steal_pointer (&absolute));
      else if (g_file_test (absolute, G_FILE_TEST_IS_DIR))
        _md_import_collect_folder (absolute, visited, files);
      else if (g_file_test (absolute, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (files, g_steal_pointer (&absolute));
      else
        {
          MdImportedFile *out = _md_import_report_add (report, absolute, MD_FILE_KIND_UNKNOWN);

          out->outcome = MD_FILE_REJECTED;
          g_set_error (&out->error, MD_ERROR, MD_ERROR_IO,
                       _("%s: no such file or folder, expected a MIMIC-IT file or a folder"),
                       absolute);
          n_considered++;
        }
    }
  for (guint i = 0; i < files->len; i++)
    {
      Input *input = _md_import_classify (g_ptr_array_index (files, i));
      GStatBuf st;

      if (input->size == 0 && g_stat (input->path, &st) == 0)
        input->size = st.st_size;
      g_ptr_array_add (inputs, input);
    }
  _md_import_sort_inputs (inputs);

  imp.db = _md_index_open (index_path, TRUE, error);
  if (imp.db == NULL)
    return FALSE;
  imp.report = report;
  imp.progress = progress;
  imp.progress_data = progress_data;
  imp.cancellable = cancellable;
  imp.fts_marker = _md_index_get_search_marker (imp.db);
  imp.next_pair_rowid = first_free_pair_rowid (imp.db);
  for (guint i = 0; i < inputs->len; i++)
    if (!((Input *) g_ptr_array_index (inputs, i))->skip)
      imp.bytes_total += ((Input *) g_ptr_array_index (inputs, i))->size;
  /* Copying the write-ahead log into the index is left to the reference check's commit: it then
   * runs on one core while the search index is built on the other, instead of keeping the
   * pairs from being browsable. */
  if (!_md_index_exec (imp.db, "PRAGMA wal_autocheckpoint = 0", error) ||
      !_md_importer_reset_suspect_search (&imp, error) || !prepare_statements (&imp, error))
    {
      finalize_statements (&imp);
      sqlite3_close (imp.db);
      return FALSE;
    }

  for (guint i = 0; i < inputs->len && ok; i++)
    {
      Input *input = g_ptr_array_index (inputs, i);
      MdImportedFile *out = _md_import_report_add (report, input->path, input->kind);
      g_autoptr(GError) local_error = NULL;

      out->dataset = g_strdup (input->dataset);
      if (input->skip)
        {
          out->outcome = MD_FILE_SKIPPED;
          continue;
        }
      n_considered++;
      g_ptr_array_set_size (requeue, 0);
      if (import_one (&imp, input, out, requeue, &local_error))
        {
          n_ok++;
          for (guint r = 0; r < requeue->len; r++)
            {
              const char *path = g_ptr_array_index (requeue, r);

              if (!path_is_queued (inputs, path, i + 1) && g_file_test (path, G_FILE_TEST_EXISTS))
                {
                  Input *again = _md_import_classify (path);

                  imp.bytes_total += again->size;
                  g_ptr_array_add (inputs, again);
                }
            }
          continue;
        }
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          out->outcome = MD_FILE_REJECTED;
          ok = FALSE;
          break;
        }
      out->outcome = MD_FILE_REJECTED;
      g_debug ("%s", local_error->message);
      out->error = g_steal_pointer (&local_error);
    }
  finalize_statements (&imp);
  g_debug ("import: files done after %.2f s", (g_get_monotonic_time () - started) / 1e6);

  /* Every file is in: the pairs can be browsed while their references are checked and the
   * search index is built. */
  _md_index_exec (imp.db, "PRAGMA wal_autocheckpoint = 1000", NULL);
  imp.path = NULL;
  if (ok)
    _md_importer_progress (&imp, TRUE);

  if (ok)
    {
      MdSearchBuild *build = _md_search_build_start (index_path, cancellable);

      /* A phase cut short (cancelled, crashed) is finished by the next import, changes or not. */
      if (imp.changed)
        _md_index_set_meta_int (imp.db, "references_dirty", 1, NULL);
      if (_md_index_get_meta_int (imp.db, "references_dirty", 0) != 0)
        {
          ok = _md_import_check_references (imp.db, cancellable, error);
          if (ok)
            _md_index_set_meta_int (imp.db, "references_dirty", 0, NULL);
          if (ok)
            _md_importer_progress (&imp, TRUE);
        }
      g_debug ("import: references done after %.2f s",
               (g_get_monotonic_time () - started) / 1e6);
      if (!_md_search_build_join (build, ok ? error : NULL))
        ok = FALSE;
    }
  g_debug ("import: search index done after %.2f s", (g_get_monotonic_time () - started) / 1e6);
  if (ok && n_ok == 0)
    {
      if (n_considered == 0)
        g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                     _("no MIMIC-IT file found among the %u inputs"),
                     g_strv_length ((GStrv) paths));
      else
        g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                     _("none of the %u MIMIC-IT files could be imported"), n_considered);
      ok = FALSE;
    }

  {
    g_auto(sqlite3_stmt_ptr) log = _md_index_prepare (imp.db,
      "INSERT INTO reports (time, n_imported, n_unchanged, n_skipped, n_rejected) "
      "VALUES (?, ?, ?, ?, ?)", NULL);

    if (log != NULL)
      {
        sqlite3_bind_int64 (log, 1, g_get_real_time () / G_USEC_PER_SEC);
        sqlite3_bind_int (log, 2, md_import_report_count (report, MD_FILE_IMPORTED));
        sqlite3_bind_int (log, 3, md_import_report_count (report, MD_FILE_UNCHANGED));
        sqlite3_bind_int (log, 4, md_import_report_count (report, MD_FILE_SKIPPED));
        sqlite3_bind_int (log, 5, md_import_report_count (report, MD_FILE_REJECTED));
        sqlite3_step (log);
      }
  }
  sqlite3_close (imp.db);
  return ok;
}

gboolean
_md_import_run (const char            *index_path,
                const char * const    *paths,
                MdImportProgressFunc   progress,
                gpointer               progress_data,
                GCancellable          *cancellable,
                MdImportReport        *report,
                GError               **error)
{
  int lock = _md_import_lock (index_path, error);
  gboolean ok;

  if (lock < 0)
    return FALSE;
  ok = run_locked (index_path, paths, progress, progress_data, cancellable, report, error);
  _md_import_unlock (lock);
  return ok;
}
