/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The store: a derived, rebuildable SQLite index over read-only MIMIC-IT shards.
 *
 * store/ is GTK-free (GLib, GIO, SQLite, cJSON). The GUI, the CLI and the tests reach the index
 * only through this header and the headers it includes; nothing outside store/ runs SQL.
 *
 * Threading: an MdStore may be used from any thread; imports write through their own connection
 * (WAL), so browsing and searching go on while an import runs. Pairs, images and pages of the
 * pair list are read on a small pool of read-only connections (md-read-pool.c), so readers in
 * different threads do not wait for each other.
 *
 * Where things live: md-import*.c (classification, one transaction per file, a reader per
 * input kind, references, the full-text phase; md-import-private.h maps them), md-json-scan.c
 * (the structural scanner over mapped files), md-base64.c (lenient decoding and sniffing),
 * md-translation.c (Syphus replies and their checks), md-index.c (schema; the layout is
 * described in md-index-private.h), md-query.c (search text to FTS5 and LIKE), md-pair-list.c
 * (the lazy list model), md-store.c (reading pairs and images), md-clip.c (clips and their
 * source video files).
 *
 * Problem kinds recorded: bad_record, duplicate_pair, undecodable_image, missing_image,
 * doubled_clip_name, dangling_context, missing_translation, unparsable_translation,
 * unknown_translated_pair, number_mismatch, truncated_translation, syphus_error (a query Syphus
 * reported as failed, from error_messages.json; replies it could not parse, from
 * invalid_output.json, are unparsable_translation). An image reference is only called missing
 * when a store with its prefix ("DC_IMG") was imported. */

#include <gio/gio.h>

#include "md-error.h"
#include "md-language.h"
#include "md-pair.h"
#include "md-query.h"
#include "md-import-report.h"
#include "md-pair-list.h"

G_BEGIN_DECLS

#define MD_TYPE_STORE (md_store_get_type ())
G_DECLARE_FINAL_TYPE (MdStore, md_store, MD, STORE, GObject)

/* Progress of an import, called from the importing thread: bytes scanned of all inputs and records
 * indexed so far. Return nothing; cancel through the GCancellable. `current_file` is NULL once
 * every file is in the index: from then on the pairs can be browsed. It is called with NULL a
 * second time when the references are checked (problem counts and the missing-image,
 * missing-translation and dangling-context filters are then up to date); the full-text index is
 * built after that, and the import's return ends it. */
typedef void (*MdImportProgressFunc) (guint64     bytes_done,
                                      guint64     bytes_total,
                                      guint64     records_done,
                                      const char *current_file,
                                      gpointer    user_data);

typedef struct
{
  char    *code;          /* task code, e.g. "DC" */
  guint    n_pairs;
  guint    n_images;      /* images located in this dataset's stores */
  guint    n_problems;    /* rows of the problem table for this dataset */
} MdDatasetInfo;

void           md_dataset_info_free   (MdDatasetInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdDatasetInfo, md_dataset_info_free)

MdStore       *md_store_open          (const char            *index_path,
                                       GError               **error);
const char    *md_store_get_path      (MdStore               *self);

/* Blocking import of files or folders (recursively). Files that fail are described in the report
 * and the others still import; FALSE only when nothing could be done at all. */
gboolean       md_store_import        (MdStore               *self,
                                       const char * const    *paths,
                                       MdImportProgressFunc   progress,
                                       gpointer               progress_data,
                                       GCancellable          *cancellable,
                                       MdImportReport       **out_report,
                                       GError               **error);
void           md_store_import_async  (MdStore               *self,
                                       const char * const    *paths,
                                       MdImportProgressFunc   progress,
                                       gpointer               progress_data,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data);
MdImportReport *md_store_import_finish (MdStore              *self,
                                       GAsyncResult          *result,
                                       GError               **error);

/* Element type MdDatasetInfo, sorted by code. */
GPtrArray     *md_store_list_datasets (MdStore               *self,
                                       GError               **error);

/* The whole pair: every text, images, in-context links and their problems. */
MdPair        *md_store_get_pair      (MdStore               *self,
                                       const char            *pair_id,
                                       GError               **error);

/* Decoded bytes of an image (PNG or JPEG, sniffed); *out_mime_type is "image/png" or
 * "image/jpeg". Fails with MD_ERROR_NOT_FOUND for an id no store holds and MD_ERROR_PARSE for
 * base64 that does not decode to an image. Safe to call from worker threads. */
GBytes        *md_store_load_image    (MdStore               *self,
                                       const char            *image_id,
                                       char                 **out_mime_type,
                                       GError               **error);

/* Where an image's value lies in its store: the file, and the byte range of the base64 text
 * between its quotes (for a ["..."] value, of the one string inside). For a Parquet store: the
 * file or folder, and the value's bytes when they are stored as they are, else the offset of
 * its page and length 0. FALSE with MD_ERROR_NOT_FOUND for an id no store holds. Any out
 * argument may be NULL. */
gboolean       md_store_locate_image  (MdStore               *self,
                                       const char            *image_id,
                                       char                 **out_path,
                                       gint64                *out_offset,
                                       gint64                *out_length,
                                       GError               **error);

/* The stored value of an image exactly as its store holds it, not decoded: the base64 text between
 * the quotes, JSON escapes ("\/") included, so it can be copied byte for byte into another JSON
 * string. From a Parquet store: its base64 text as stored, or the base64 encoding of a binary
 * image column's bytes (still safe inside a JSON string). Errors as md_store_load_image(), plus
 * MD_ERROR_IO when the store changed on disk. */
GBytes        *md_store_read_image_raw (MdStore              *self,
                                        const char           *image_id,
                                        GError              **error);

/* A lazy GListModel of MdPair rows (id, dataset, modality, image count, languages present, one
 * line of the instruction) that pages through the result; it never materialises the result. */
GListModel    *md_store_query         (MdStore               *self,
                                       MdQuery               *query,
                                       GError               **error);

/* Counts for statistics. */
typedef struct
{
  char    *kind;          /* "missing_image", "dangling_context", ... */
  guint64  count;
} MdProblemCount;

void           md_problem_count_free  (MdProblemCount *count);

/* Element type MdProblemCount, sorted by kind; dataset NULL for all. */
GPtrArray     *md_store_count_problems (MdStore              *self,
                                        const char           *dataset,
                                        GError              **error);
/* Pairs with a non-empty text per language (indexed by MdLanguage). */
gboolean       md_store_count_languages (MdStore             *self,
                                         guint64              counts[MD_N_LANGUAGES],
                                         GError             **error);
/* Number of pairs matching a query, exact (it may take a while on huge results; the list model
 * of md_store_query() counts lazily instead). */
guint64        md_store_count_pairs   (MdStore               *self,
                                       MdQuery               *query,
                                       GError               **error);
/* One row of the problem table, as md_store_foreach_problem() hands it over: valid during the
 * call only. Fields a problem does not have are NULL; byte_offset is -1 when the message names
 * no byte offset. */
typedef struct
{
  gint64      id;
  const char *kind;
  const char *dataset;      /* dataset code */
  const char *pair_id;      /* NULL for a problem of a whole file */
  const char *file;         /* the shard file it was found in */
  const char *ref;          /* the image id, language or in-context id concerned */
  gint64      byte_offset;
  const char *detail;
} MdProblem;

/* Return FALSE to stop. */
typedef gboolean (*MdProblemFunc) (const MdProblem *problem,
                                   gpointer         user_data);

/* Every problem of the index, in the order found, with `kind` and `dataset` (either may be NULL:
 * all) narrowing; rows are read one at a time, never held all at once. */
gboolean       md_store_foreach_problem (MdStore          *self,
                                         const char       *kind,
                                         const char       *dataset,
                                         MdProblemFunc     func,
                                         gpointer          user_data,
                                         GError          **error);
/* Problem details of one pair: element type char*, "kind: detail". */
GPtrArray     *md_store_list_pair_problems (MdStore          *self,
                                            const char       *pair_id,
                                            GError          **error);
/* Finishes (or resumes) the full-text index; md_store_import() calls it at its end. Texts past
 * the point reached are browsable but not yet searchable. */
gboolean       md_store_build_search_index (MdStore          *self,
                                            GCancellable     *cancellable,
                                            GError          **error);
/* Whether every text is in the full-text index. */
gboolean       md_store_is_search_index_complete (MdStore    *self);

/* Review state in queries (md-store-review.c). Attaches the review file (made by
 * md_review_store_open()) to the store's connection, replacing one attached before, so that
 * MdQuery's review filters can be answered. */
gboolean       md_store_attach_review (MdStore               *self,
                                       const char            *review_path,
                                       GError               **error);
void           md_store_detach_review (MdStore               *self);

/* Whether the index holds the pair (@dataset NULL: in any dataset). */
gboolean       md_store_has_pair      (MdStore               *self,
                                       const char            *dataset,
                                       const char            *pair_id);

/* Calls @func for every pair (of @dataset, NULL for all) in index order, with the store locked:
 * @func must not call back into the store. It returns FALSE to stop. */
typedef gboolean (*MdStorePairFunc) (const char *dataset,
                                     const char *pair_id,
                                     guint       languages,
                                     gpointer    user_data);
gboolean       md_store_foreach_pair  (MdStore               *self,
                                       const char            *dataset,
                                       MdStorePairFunc        func,
                                       gpointer               user_data,
                                       GError               **error);

G_END_DECLS
