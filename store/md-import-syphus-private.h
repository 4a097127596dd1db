/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The failure files of a Syphus output folder (md-import-syphus-failures.c). Private to store/.
 *
 * Beside valid_output.json (read by md-import.c), Syphus writes the replies it could not parse
 * to invalid_output.json and the queries that failed to error_messages.json. Neither has a
 * published schema, so both are read defensively: a JSON array of entries, or an object whose
 * keys are pair ids. Every entry becomes a problem row of the file:
 * - invalid_output.json: `unparsable_translation` with the pair id (so the pair is flagged as
 *   missing translations), the detail naming the file, the entry's byte offset, the id and the
 *   start of the raw reply;
 * - error_messages.json: `syphus_error`, with the pair id when the entry names one;
 * - an entry of neither shape: `bad_record` saying what was expected.
 * query_input.json (md-import-syphus-query.c) is read through the same loop: each
 * {"id", "sentences"} is kept in the table syphus_queries, the user turn exactly as Syphus sent
 * it, and a query with no entry in the folder's valid_output.json or invalid_output.json (the
 * request failed and Otter's task() kept no id for it) is a `syphus_error` of its id.
 * A file that is neither an array nor an object is rejected (MD_ERROR_PARSE, byte offset named;
 * the importer prefixes the file). */

#include <cJSON.h>
#include <sqlite3.h>

#include <gio/gio.h>

#include "md-import-problem-private.h"

G_BEGIN_DECLS

typedef enum
{
  MD_SYPHUS_FAILURES_NONE,
  MD_SYPHUS_FAILURES_INVALID_OUTPUT,   /* invalid_output.json */
  MD_SYPHUS_FAILURES_ERROR_MESSAGES,   /* error_messages.json */
  MD_SYPHUS_FAILURES_QUERY_INPUT,      /* query_input.json */
} MdSyphusFailures;

/* Which failure file a file of this base name is, or MD_SYPHUS_FAILURES_NONE. */
MdSyphusFailures  _md_import_syphus_failures_kind (const char *basename);

/* What the importer hands over for one failure file, inside its transaction. */
typedef struct
{
  sqlite3          *db;
  const char       *path;
  MdSyphusFailures  which;
  const char       *data;          /* the mapped file */
  gsize             len;
  gint64            file_id;
  GCancellable     *cancellable;

  /* Out. */
  guint64           n_records;     /* entries read as failures (not the bad ones) */
  guint64           n_problems;

  /* Private: the statements of _md_import_syphus_add_problem(). */
  MdProblemWriter  *problems;
  sqlite3_stmt     *find_dataset;
} MdImportSyphusFailures;

/* A problem row of the file; the pair's dataset when the pair is in the index. */
gboolean          _md_import_syphus_add_problem   (MdImportSyphusFailures *job,
                                                   MdProblemKind           kind,
                                                   const char             *pair_id,
                                                   const char             *detail,
                                                   GError                **error);

/* query_input.json (md-import-syphus-query.c). */
typedef struct _MdSyphusQueryReader MdSyphusQueryReader;

MdSyphusQueryReader *_md_syphus_query_reader_new    (MdImportSyphusFailures *job,
                                                     GError                **error);
gboolean             _md_syphus_query_reader_add    (MdSyphusQueryReader    *reader,
                                                     cJSON                  *entry,
                                                     const char             *key_id,
                                                     gsize                   offset,
                                                     GError                **error);
/* Reports the queries without an output in the folder's valid_output.json and
 * invalid_output.json (when either exists). */
gboolean             _md_syphus_query_reader_finish (MdSyphusQueryReader    *reader,
                                                     GError                **error);
void                 _md_syphus_query_reader_free   (MdSyphusQueryReader    *reader);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSyphusQueryReader, _md_syphus_query_reader_free)

gboolean          _md_import_syphus_failures      (MdImportSyphusFailures *job,
                                                   GError                **error);

/* The first `max_chars` characters of `text` on one line (control characters become spaces),
 * with an ellipsis when cut; invalid UTF-8 is made valid first. Newly allocated. */
char             *_md_import_syphus_excerpt       (const char             *text,
                                                   guint                   max_chars);

G_END_DECLS
