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
 * A file that is neither an array nor an object is rejected (MD_ERROR_PARSE, byte offset named;
 * the importer prefixes the file). */

#include <sqlite3.h>

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  MD_SYPHUS_FAILURES_NONE,
  MD_SYPHUS_FAILURES_INVALID_OUTPUT,   /* invalid_output.json */
  MD_SYPHUS_FAILURES_ERROR_MESSAGES,   /* error_messages.json */
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
} MdImportSyphusFailures;

gboolean          _md_import_syphus_failures      (MdImportSyphusFailures *job,
                                                   GError                **error);

/* The first `max_chars` characters of `text` on one line (control characters become spaces),
 * with an ellipsis when cut; invalid UTF-8 is made valid first. Newly allocated. */
char             *_md_import_syphus_excerpt       (const char             *text,
                                                   guint                   max_chars);

G_END_DECLS
