/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include "md-import-problem-private.h"
#include "md-index-private.h"

static const char * const kind_names[] = {
  [MD_PROBLEM_BAD_RECORD] = "bad_record",
  [MD_PROBLEM_DUPLICATE_PAIR] = "duplicate_pair",
  [MD_PROBLEM_BAD_ESCAPE] = "bad_escape",
  [MD_PROBLEM_UNDECODABLE_IMAGE] = "undecodable_image",
  [MD_PROBLEM_MISSING_IMAGE] = "missing_image",
  [MD_PROBLEM_DOUBLED_CLIP_NAME] = "doubled_clip_name",
  [MD_PROBLEM_DANGLING_CONTEXT] = "dangling_context",
  [MD_PROBLEM_UNKNOWN_TRANSLATED_PAIR] = "unknown_translated_pair",
  [MD_PROBLEM_UNPARSABLE_TRANSLATION] = "unparsable_translation",
  [MD_PROBLEM_MISSING_TRANSLATION] = "missing_translation",
  [MD_PROBLEM_NUMBER_MISMATCH] = "number_mismatch",
  [MD_PROBLEM_TRUNCATED_TRANSLATION] = "truncated_translation",
  [MD_PROBLEM_SYPHUS_ERROR] = "syphus_error",
};

const char *
_md_problem_kind_name (MdProblemKind kind)
{
  g_assert ((guint) kind < G_N_ELEMENTS (kind_names) && kind_names[kind] != NULL);
  return kind_names[kind];
}

gboolean
_md_problem_writer_init (MdProblemWriter  *writer,
                         sqlite3          *db,
                         int               phase,
                         GError          **error)
{
  writer->db = db;
  writer->phase = phase;
  writer->n_written = 0;
  writer->insert = _md_index_prepare (db,
    "INSERT INTO problems (kind, phase, dataset_id, file_id, pair_id, ref, detail) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  return writer->insert != NULL;
}

void
_md_problem_writer_clear (MdProblemWriter *writer)
{
  g_clear_pointer (&writer->insert, sqlite3_finalize);
}

static void
bind_id (sqlite3_stmt *s,
         int           column,
         gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (s, column, id);
  else
    sqlite3_bind_null (s, column);
}

gboolean
_md_problem_write (MdProblemWriter  *writer,
                   MdProblemKind     kind,
                   gint64            dataset_id,
                   gint64            file_id,
                   const char       *pair_id,
                   const char       *ref,
                   gssize            ref_len,
                   const char       *detail,
                   GError          **error)
{
  sqlite3_stmt *s = writer->insert;
  int rc;

  g_assert (s != NULL);
  sqlite3_reset (s);
  sqlite3_bind_text (s, 1, _md_problem_kind_name (kind), -1, SQLITE_STATIC);
  sqlite3_bind_int (s, 2, writer->phase);
  bind_id (s, 3, dataset_id);
  bind_id (s, 4, file_id);
  sqlite3_bind_text (s, 5, pair_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 6, ref, ref_len < 0 ? -1 : (int) ref_len, SQLITE_STATIC);
  sqlite3_bind_text (s, 7, detail, -1, SQLITE_STATIC);
  rc = sqlite3_step (s);
  if (rc != SQLITE_DONE)
    {
      _md_index_set_error (writer->db, error, "recording a problem");
      sqlite3_reset (s);
      return FALSE;
    }
  sqlite3_reset (s);
  writer->n_written++;
  return TRUE;
}
