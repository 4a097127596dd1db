/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The importer's shared context (md-import-context.c), private to the md-import*.c files.
 *
 * md-import.c drives an import: it classifies the inputs (md-import-classify.c), then imports
 * each file in its own transaction, first forgetting what an older version of it contributed
 * (md-import-forget.c), then reading it by kind: instruction files (md-import-instructions.c),
 * in-context files (md-import-train.c), image stores (md-import-images.c), translations
 * (md-import-translations.c) and prompts (md-import-prompt.c); Parquet and Syphus failure files
 * have readers of their own. The reference check (md-import-references.c) and the full-text
 * build (md-import-search.c) follow. Problems found on the way go through one writer
 * (md-import-problem-private.h). */

#include <cJSON.h>

#include "md-import-problem-private.h"
#include "md-import-record-private.h"
#include "md-import-report-private.h"
#include "md-import-syphus-private.h"
#include "md-store-private.h"

G_BEGIN_DECLS

/* One statement inserts this many rows: a statement's set-up (cursors, transaction check, reset)
 * costs about as much as a narrow row. */
#define ROWS_PER_INSERT 32
/* Records between checks of the cancellable (and progress reports). */
#define CHECK_EVERY 4096

/* An input file, classified. */
typedef struct
{
  char       *path;
  MdFileKind  kind;
  char       *dataset;
  gboolean    skip;
  guint64     size;
  gboolean    parquet;    /* a Parquet file or folder of parts: md-import-parquet.c */
  MdSyphusFailures syphus_failures;   /* a Syphus failure file: md-import-syphus-failures.c */
} Input;

typedef struct
{
  sqlite3              *db;
  MdImportReport       *report;
  MdImportProgressFunc  progress;
  gpointer              progress_data;
  GCancellable         *cancellable;
  guint64               bytes_total;
  guint64               bytes_done;
  guint64               records_done;
  gint64                last_progress;
  guint64               file_base;      /* bytes_done when the current file started */
  gint64                fts_marker;
  gint64                next_pair_rowid;
  gboolean              changed;

  /* The file being imported. */
  const char           *path;
  gint64                file_id;
  gint64                dataset_id;
  guint64               n_records;
  guint64               n_problems;

  sqlite3_stmt         *insert_pair;
  sqlite3_stmt         *insert_refs;
  sqlite3_stmt         *insert_text;
  /* Pairs whose row is in, waiting for their text and id lists: written ROWS_PER_INSERT at a
   * time (md-import-instructions.c). */
  sqlite3_stmt         *insert_texts_en;
  sqlite3_stmt         *insert_many_refs;
  MdParsedPair         *pending[ROWS_PER_INSERT];
  gint64                pending_rowid[ROWS_PER_INSERT];
  guint                 n_pending;
  MdProblemWriter       problems;
  sqlite3_stmt         *insert_image;
  sqlite3_stmt         *insert_train;
} Importer;

/* A file mapped for one sequential scan. */
typedef struct
{
  int    fd;
  char  *data;
  gsize  len;
  gsize  released;
  int    guard;       /* md-map-guard-private.h */
} Mapped;

/* Mapping (md-import-context.c) */
gboolean  _md_mapped_open             (Mapped       *m,
                                       const char   *path,
                                       GError      **error);
/* Drops the pages before `pos` from this process once enough of them are behind the scan. */
void      _md_mapped_release_before   (Mapped       *m,
                                       gsize         pos);
/* Whether the file was cut short while it was mapped (the pages past its new end read as
 * zeros), and the offset of the first page that went; stops watching for it. */
gboolean  _md_mapped_cut_short        (Mapped       *m,
                                       gsize        *cut_at);
void      _md_mapped_close            (Mapped       *m);

/* The context (md-import-context.c) */
void      _md_importer_progress       (Importer     *imp,
                                       gboolean      force);
gboolean  _md_importer_check_cancel   (Importer     *imp,
                                       GError      **error);
/* A problem of the current file, counted in its report. */
gboolean  _md_importer_problem        (Importer     *imp,
                                       MdProblemKind kind,
                                       const char   *pair_id,
                                       const char   *ref,
                                       const char   *detail,
                                       GError      **error);
/* Steps `stmt` once and resets it; `doing` names the work in the error. */
gboolean  _md_importer_step           (Importer     *imp,
                                       sqlite3_stmt *stmt,
                                       const char   *doing,
                                       GError      **error);
/* The id of the dataset `code`, added when new; 0 for a NULL code, -1 on error. */
gint64    _md_importer_ensure_dataset (Importer     *imp,
                                       const char   *code,
                                       GError      **error);

/* JSON helpers (md-import-context.c) */
void        _md_join_ids              (GString      *out,
                                       cJSON        *item);
gboolean    _md_is_id_list            (cJSON        *item);
const char *_md_json_type_name        (cJSON        *item);

/* Classification (md-import-classify.c) */
Input    *_md_import_classify         (const char   *path);
void      _md_import_input_free       (Input        *input);
void      _md_import_collect_folder   (const char   *folder,
                                       GHashTable   *visited,
                                       GPtrArray    *out_paths);
/* Pairs first, then what refers to them. */
void      _md_import_sort_inputs      (GPtrArray    *inputs);

/* Forgetting what an older version of the current file contributed (md-import-forget.c).
 * The translation files that wrote into replaced pairs are added to `requeue`. */
gboolean  _md_importer_forget_file    (Importer     *imp,
                                       MdFileKind    kind,
                                       GPtrArray    *requeue,
                                       GError      **error);
/* Texts with keys in [first_key, last_key], out of the search index too. */
gboolean  _md_importer_delete_texts   (Importer     *imp,
                                       gint64        first_key,
                                       gint64        last_key,
                                       GError      **error);

/* Readers by kind, inside the file's transaction */
gboolean  _md_import_instructions     (Importer     *imp,
                                       Mapped       *m,
                                       GError      **error);
gboolean  _md_import_train            (Importer     *imp,
                                       Mapped       *m,
                                       GError      **error);
gboolean  _md_import_image_store      (Importer     *imp,
                                       Mapped       *m,
                                       GError      **error);
gboolean  _md_import_translations     (Importer     *imp,
                                       Mapped       *m,
                                       GError      **error);
gboolean  _md_import_prompt           (Importer     *imp,
                                       Mapped       *m,
                                       const char   *name,
                                       GError      **error);

/* One import per index (md-import-lock.c): the lock's descriptor, or -1 with MD_ERROR_BUSY
 * naming the process that holds it. */
int       _md_import_lock             (const char   *index_path,
                                       GError      **error);
void      _md_import_unlock           (int           fd);

/* The search phase (md-import-search.c) */
typedef struct _MdSearchBuild MdSearchBuild;

/* A crash between the commits of the index's file and the search file: the search index is
 * emptied, to be built again. */
gboolean       _md_importer_reset_suspect_search (Importer      *imp,
                                                  GError       **error);
/* Builds the search index on a connection and thread of its own. */
MdSearchBuild *_md_search_build_start            (const char    *index_path,
                                                  GCancellable  *cancellable);
/* Waits for the build; frees it. */
gboolean       _md_search_build_join             (MdSearchBuild *build,
                                                  GError       **error);

G_END_DECLS
