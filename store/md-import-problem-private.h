/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Problem rows of the index (md-import-problem.c). Private to store/.
 *
 * Every part of the import (the file readers, the Parquet and Syphus readers, the reference
 * check) records what it found wrong through one writer. The kind is an enum here; the index
 * stores its name ("bad_record", ...), which md-store.h documents and readers filter on. */

#include <sqlite3.h>

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  MD_PROBLEM_BAD_RECORD,
  MD_PROBLEM_DUPLICATE_PAIR,
  MD_PROBLEM_BAD_ESCAPE,
  MD_PROBLEM_UNDECODABLE_IMAGE,
  MD_PROBLEM_MISSING_IMAGE,
  MD_PROBLEM_DOUBLED_CLIP_NAME,
  MD_PROBLEM_DANGLING_CONTEXT,
  MD_PROBLEM_UNKNOWN_TRANSLATED_PAIR,
  MD_PROBLEM_UNPARSABLE_TRANSLATION,
  MD_PROBLEM_MISSING_TRANSLATION,
  MD_PROBLEM_NUMBER_MISMATCH,
  MD_PROBLEM_TRUNCATED_TRANSLATION,
  MD_PROBLEM_SYPHUS_ERROR,
} MdProblemKind;

/* The name stored in problems.kind. */
const char *_md_problem_kind_name (MdProblemKind kind);

typedef struct
{
  sqlite3      *db;
  sqlite3_stmt *insert;
  int           phase;        /* MD_PROBLEM_PHASE_FILE or _REFERENCES (md-index-private.h) */
  guint64       n_written;
} MdProblemWriter;

gboolean _md_problem_writer_init  (MdProblemWriter  *writer,
                                   sqlite3          *db,
                                   int               phase,
                                   GError          **error);
void     _md_problem_writer_clear (MdProblemWriter  *writer);

/* One problem row. `dataset_id` and `file_id` of 0 are stored as NULL; `ref_len` -1 for a
 * NUL-terminated `ref`. */
gboolean _md_problem_write        (MdProblemWriter  *writer,
                                   MdProblemKind     kind,
                                   gint64            dataset_id,
                                   gint64            file_id,
                                   const char       *pair_id,
                                   const char       *ref,
                                   gssize            ref_len,
                                   const char       *detail,
                                   GError          **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MdProblemWriter, _md_problem_writer_clear)

G_END_DECLS
