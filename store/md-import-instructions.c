/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <time.h>

#include <glib/gi18n-lib.h>

#include "md-import-private.h"
#include "md-json-scan.h"

/* Instruction files ---------------------------------------------------------------------------- */

/* An instruction file is read by two threads: a reader scans the mapping and parses each record
 * (scanner, escape repair, cJSON, id lists, modality), the importing thread writes the rows. On
 * two cores the parsing then costs no time of its own: SQLite is the slower half. Batches go
 * through a small fixed set of buffers, so memory stays flat however large the file is. */

#define PAIR_BATCH 1024
#define N_PAIR_BATCHES 4

typedef struct
{
  MdParsedPair pairs[PAIR_BATCH];
  guint       n;
  gsize       scan_pos;       /* where the scan was when the batch was full */
  gboolean    last;           /* nothing follows: the reader has finished */
  GError     *error;          /* why the reader stopped early (with `last`) */
} PairBatch;

typedef struct
{
  Mapped        *m;
  const char    *path;
  GAsyncQueue   *full;
  GAsyncQueue   *empty;
  gint           stop;        /* set by the writer when it gives up */
  double         cpu_seconds;
} PairReader;

/* Frees what a batch held. The reader does it when it takes a batch back, so that the writing
 * thread, the slower one, spends nothing on it. */
static PairBatch *
pair_batch_reuse (PairBatch *batch)
{
  for (guint i = 0; i < batch->n; i++)
    _md_parsed_pair_clear (&batch->pairs[i]);
  batch->n = 0;
  return batch;
}

/* Scans the whole file; every batch, the last one included, goes to `full`. */
static gboolean
read_pairs (PairReader  *reader,
            PairBatch  **batch,
            GError     **error)
{
  Mapped *m = reader->m;
  MdJsonScan scan;
  MdJsonSpan key, value;
  gboolean has_next;
  gboolean seen_data = FALSE;
  g_autoptr(GString) ids = g_string_new (NULL);

  md_json_scan_init (&scan, m->data, m->len);
  scan.max_string = 16 * 1024 * 1024;
  if (!md_json_scan_start (&scan, error) ||
      !md_json_scan_open (&scan, '{', "a JSON object with “meta” and “data”", error))
    return FALSE;

  for (;;)
    {
      g_autofree char *name = NULL;

      if (!md_json_scan_next (&scan, &key, &has_next, error))
        return FALSE;
      if (!has_next)
        break;
      name = md_json_decode_string (m->data, key);
      if (g_strcmp0 (name, "data") != 0)
        {
          if (!md_json_scan_skip_value (&scan, NULL, error))
            return FALSE;
          continue;
        }
      seen_data = TRUE;
      if (!md_json_scan_open (&scan, '{', "an object of pairs as the value of “data”", error))
        return FALSE;
      for (;;)
        {
          MdParsedPair *pair;
          char *id;

          if (!md_json_scan_next (&scan, &key, &has_next, error))
            return FALSE;
          if (!has_next)
            break;
          if (!md_json_scan_skip_value (&scan, &value, error))
            return FALSE;
          id = md_json_decode_string (m->data, key);
          if (id == NULL || *id == '\0')
            {
              g_free (id);
              g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                           _("the key at byte %zu is not a valid id string, expected a pair "
                             "id such as “DC_INS_00001”"), key.start);
              return FALSE;
            }
          pair = &(*batch)->pairs[(*batch)->n++];
          pair->id = id;
          _md_parse_pair_record (reader->path, m->data, value, pair, ids);

          if ((*batch)->n == PAIR_BATCH)
            {
              if (g_atomic_int_get (&reader->stop))
                return TRUE;
              (*batch)->scan_pos = scan.pos;
              g_async_queue_push (reader->full, *batch);
              *batch = g_async_queue_pop (reader->empty);
              /* Batches come back in order: what the returned one held, and all before it, is
               * written. Texts point into the mapping until then. */
              _md_mapped_release_before (m, (*batch)->scan_pos);
              pair_batch_reuse (*batch);
            }
        }
    }
  if (!md_json_scan_finish (&scan, error))
    return FALSE;
  if (!seen_data)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   _("no “data” member in the top-level object, expected "
                     "{\"meta\": {...}, \"data\": {ID: PAIR, ...}}"));
      return FALSE;
    }
  (*batch)->scan_pos = scan.pos;
  return TRUE;
}

/* CPU seconds of the calling thread, for the debug log: wall times are noisy on shared
 * machines, and the slower of the two threads sets the pace. */
static double
thread_cpu_seconds (void)
{
  struct timespec now;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now) != 0)
    return 0;
  return now.tv_sec + now.tv_nsec / 1e9;
}

static gpointer
pair_reader_thread (gpointer data)
{
  PairReader *reader = data;
  PairBatch *batch = pair_batch_reuse (g_async_queue_pop (reader->empty));
  GError *error = NULL;

  /* The error goes with the last batch: read_pairs() moves on to other batches as it goes. */
  read_pairs (reader, &batch, &error);
  reader->cpu_seconds = thread_cpu_seconds ();
  batch->error = error;
  batch->last = TRUE;
  g_async_queue_push (reader->full, batch);
  return NULL;
}

static void
bind_pending_text (sqlite3_stmt *s,
                   int           first,
                   MdParsedPair *pair,
                   gint64        rowid)
{
  sqlite3_bind_int64 (s, first, MD_TEXT_KEY (rowid, MD_LANGUAGE_EN));
  sqlite3_bind_text (s, first + 1, pair->instruction, pair->instruction_len, SQLITE_STATIC);
  sqlite3_bind_text (s, first + 2, pair->answer, pair->answer_len, SQLITE_STATIC);
}

static void
bind_pending_refs (sqlite3_stmt *s,
                   int           first,
                   MdParsedPair *pair,
                   gint64        rowid)
{
  sqlite3_bind_int64 (s, first, rowid);
  sqlite3_bind_text (s, first + 1, pair->images, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, first + 2, pair->context, -1, SQLITE_STATIC);
}

/* Texts and id lists of the pending pairs: one statement for a full set, one per row for the
 * rest (the end of a file). */
static gboolean
flush_pending (Importer  *imp,
               GError   **error)
{
  gboolean full = imp->n_pending == ROWS_PER_INSERT;
  sqlite3_stmt *s = full ? imp->insert_texts_en : imp->insert_text;
  guint n_refs = 0;

  for (guint i = 0; i < imp->n_pending; i++)
    {
      if (!full)
        {
          sqlite3_reset (s);
          /* English comes from the pair's own file: origin NULL keeps the origin index small. */
          sqlite3_bind_null (s, 4);
          sqlite3_bind_null (s, 5);
        }
      bind_pending_text (s, full ? 3 * i + 1 : 1, imp->pending[i], imp->pending_rowid[i]);
      if (!full && sqlite3_step (s) != SQLITE_DONE)
        return _md_index_set_error (imp->db, error, "adding a text");
      if (imp->pending[i]->images != NULL || imp->pending[i]->context != NULL)
        n_refs++;
    }
  if (full && (sqlite3_step (s) != SQLITE_DONE || sqlite3_reset (s) != SQLITE_OK))
    return _md_index_set_error (imp->db, error, "adding texts");

  /* Most pairs have images; the few that have none make the rest one row at a time. */
  full = n_refs == ROWS_PER_INSERT;
  s = full ? imp->insert_many_refs : imp->insert_refs;
  for (guint i = 0, n = 0; i < imp->n_pending; i++)
    {
      if (imp->pending[i]->images == NULL && imp->pending[i]->context == NULL)
        continue;
      if (!full)
        sqlite3_reset (s);
      bind_pending_refs (s, full ? 3 * n++ + 1 : 1, imp->pending[i], imp->pending_rowid[i]);
      if (!full && sqlite3_step (s) != SQLITE_DONE)
        return _md_index_set_error (imp->db, error, "adding image and in-context ids");
    }
  if (full && (sqlite3_step (s) != SQLITE_DONE || sqlite3_reset (s) != SQLITE_OK))
    return _md_index_set_error (imp->db, error, "adding image and in-context ids");
  imp->n_pending = 0;
  return TRUE;
}

static gboolean
write_pair (Importer      *imp,
            MdParsedPair  *pair,
            GError     **error)
{
  const char *id = pair->id;
  sqlite3_stmt *s = imp->insert_pair;
  gboolean has_text;
  gint64 rowid;
  int rc;

  if (pair->problem != NULL)
    return _md_importer_problem (imp, MD_PROBLEM_BAD_RECORD, id, NULL, pair->problem, error);

  has_text = pair->instruction_len > 0 || pair->answer_len > 0;
  sqlite3_reset (s);
  sqlite3_bind_text (s, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, imp->dataset_id);
  sqlite3_bind_int64 (s, 3, imp->file_id);
  sqlite3_bind_int (s, 4, pair->modality);
  sqlite3_bind_int (s, 5, pair->n_images);
  sqlite3_bind_int (s, 6, has_text ? 1 << MD_LANGUAGE_EN : 0);
  sqlite3_bind_int64 (s, 7, imp->next_pair_rowid);
  rc = sqlite3_step (s);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_autofree char *problem =
        g_strdup_printf ("%s: record “%s” at byte %" G_GSIZE_FORMAT
                         ": the id is already used by another pair; expected unique ids",
                         imp->path, id, pair->start);

      return _md_importer_problem (imp, MD_PROBLEM_DUPLICATE_PAIR, id, NULL, problem, error);
    }
  if (rc != SQLITE_DONE)
    return _md_index_set_error (imp->db, error, "adding a pair");
  rowid = imp->next_pair_rowid++;

  imp->pending[imp->n_pending] = pair;
  imp->pending_rowid[imp->n_pending] = rowid;
  if (++imp->n_pending == ROWS_PER_INSERT && !flush_pending (imp, error))
    return FALSE;
  imp->n_records++;
  /* The pair is kept with U+FFFD in place of what could not be text; the change is a problem
   * so that nobody mistakes the repaired text for the shard's. */
  if (pair->n_repaired > 0)
    {
      g_autofree char *detail =
        g_strdup_printf ("%s: record “%s” at byte %" G_GSIZE_FORMAT ": %u \\u escape%s "
                         "(NUL or lone surrogate, first at byte %" G_GSIZE_FORMAT ") replaced "
                         "by U+FFFD, expected Unicode characters",
                         imp->path, id, pair->start, pair->n_repaired,
                         pair->n_repaired == 1 ? "" : "s", pair->start + pair->first_repaired);

      return _md_importer_problem (imp, MD_PROBLEM_BAD_ESCAPE, id, NULL, detail, error);
    }
  return TRUE;
}

gboolean
_md_import_instructions (Importer    *imp,
                         Mapped      *m,
                         GError     **error)
{
  PairReader reader = { .m = m, .path = imp->path };
  PairBatch *batches = g_new0 (PairBatch, N_PAIR_BATCHES);
  GThread *thread;
  gboolean ok = TRUE;
  gboolean finished = FALSE;
  double cpu_before = thread_cpu_seconds ();

  reader.full = g_async_queue_new ();
  reader.empty = g_async_queue_new ();
  for (guint i = 0; i < N_PAIR_BATCHES; i++)
    g_async_queue_push (reader.empty, &batches[i]);
  thread = g_thread_new ("md-read-pairs", pair_reader_thread, &reader);

  /* After a failure the batches are still taken and given back, until the reader has seen the
   * stop flag and sent its last one: it never waits forever for a free batch. */
  while (!finished)
    {
      PairBatch *batch = g_async_queue_pop (reader.full);

      for (guint i = 0; i < batch->n; i++)
        {
          if (ok)
            {
              ok = write_pair (imp, &batch->pairs[i], error);
              if (ok && ++imp->records_done % CHECK_EVERY == 0)
                {
                  ok = _md_importer_check_cancel (imp, error);
                  imp->bytes_done = imp->file_base + batch->scan_pos;
                  _md_importer_progress (imp, FALSE);
                }
              if (!ok)
                g_atomic_int_set (&reader.stop, TRUE);
            }
        }
      /* The pending pairs live in the batch, which goes back to the reader now. */
      if (ok && !flush_pending (imp, error))
        {
          ok = FALSE;
          g_atomic_int_set (&reader.stop, TRUE);
        }
      imp->n_pending = 0;
      finished = batch->last;
      if (finished && batch->error != NULL)
        {
          if (ok)
            g_propagate_error (error, g_steal_pointer (&batch->error));
          g_clear_error (&batch->error);
          ok = FALSE;
        }
      g_async_queue_push (reader.empty, batch);
    }
  g_thread_join (thread);
  g_debug ("%s: read in %.2f CPU s, written in %.2f CPU s", imp->path, reader.cpu_seconds,
           thread_cpu_seconds () - cpu_before);
  for (guint i = 0; i < N_PAIR_BATCHES; i++)
    pair_batch_reuse (&batches[i]);
  g_async_queue_unref (reader.full);
  g_async_queue_unref (reader.empty);
  g_free (batches);
  return ok;
}

