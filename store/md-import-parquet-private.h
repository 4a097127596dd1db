/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Parquet inputs of the import (md-import-parquet.c) and reading their images back
 * (md-store-parquet.c). Private to store/.
 *
 * What is indexed:
 * - pandas image stores (`<TASK>.parquet`, or a folder of dask part files taken as one input)
 *   and Hugging Face `<SUBSET>_Images` configurations: kind MD_FILE_KIND_IMAGE_STORE;
 * - Hugging Face `<SUBSET>` (embedded images) and `<SUBSET>_Instructions` configurations:
 *   kind MD_FILE_KIND_INSTRUCTIONS.
 * Each image gets an `images` row (offset/length: the raw bytes in the file when they are
 * stored as they are, else the page) plus a `parquet_locations` row with the reader's
 * MdParquetValueLocation, so that showing it decodes only its page. */

#include "md-import-report.h"
#include "md-index-private.h"
#include "md-pair.h"
#include "parquet/md-parquet.h"

G_BEGIN_DECLS

/* Whether `path` is a Parquet input: a `.parquet` file, a file starting with the PAR1 magic, or
 * a folder of part files. Fills *out_kind (MD_FILE_KIND_UNKNOWN when the footer cannot be
 * read: the import then rejects the file with the reader's message) and *out_dataset. */
gboolean  _md_import_parquet_classify     (const char   *path,
                                           MdFileKind   *out_kind,
                                           char        **out_dataset,
                                           guint64      *out_size);

/* Whether a folder is one store made of part files (dask's `part.N.parquet`, or a folder named
 * `*.parquet`), to be imported as one input rather than walked. */
gboolean  _md_import_parquet_is_part_folder (const char *path);

/* For a folder of parts: the total size, the newest mtime, and a fingerprint over every part
 * (names, sizes, footers), so that changing any part re-imports the store. FALSE for other
 * paths. */
gboolean  _md_import_parquet_stat_folder  (const char   *path,
                                           guint64      *out_size,
                                           gint64       *out_mtime,
                                           char        **out_fingerprint);

typedef void (*MdImportParquetProgress) (guint64  bytes_done,
                                         guint64  records_done,
                                         gpointer user_data);

/* What the importer hands over for one Parquet input, inside its transaction. */
typedef struct
{
  sqlite3                 *db;
  const char              *path;
  MdFileKind               kind;
  gint64                   file_id;
  gint64                   dataset_id;
  GCancellable            *cancellable;
  MdImportParquetProgress  progress;
  gpointer                 progress_data;
  /* Same rules as the JSON pairs (md-import.c). */
  MdModality             (*decide_modality) (char **images, guint n_images);
  /* In and out: the rowid the next pair gets (md-import.c hands them out). */
  gint64                  *next_pair_rowid;

  /* Out. */
  guint64                  n_records;
  guint64                  n_problems;
} MdImportParquet;

gboolean  _md_import_parquet              (MdImportParquet *job,
                                           GError         **error);

/* Reading back (md-store-parquet.c). `db` is the store's connection, held under its lock.
 * TRUE and *out_path (the store's file or folder) when the image lives in a Parquet store. */
gboolean  _md_store_parquet_lookup        (sqlite3                *db,
                                           const char             *image_id,
                                           char                  **out_path,
                                           MdParquetValueLocation *out_loc);
/* The image file's bytes (PNG, JPEG), reading only the value's page. */
GBytes   *_md_store_parquet_read_image    (const char                   *path,
                                           const MdParquetValueLocation *loc,
                                           const char                   *image_id,
                                           GError                      **error);
/* The base64 text of the image, safe to copy between the quotes of a JSON string: a pandas
 * store's value as it is stored when it is clean base64, else the bytes encoded. */
GBytes   *_md_store_parquet_read_base64   (const char                   *path,
                                           const MdParquetValueLocation *loc,
                                           const char                   *image_id,
                                           GError                      **error);

G_END_DECLS
