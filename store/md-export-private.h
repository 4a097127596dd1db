/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Internal pieces of the export (md-export*.c): the streaming JSON writer, the job that carries
 * one export through selection, checks and writing, and the writers of each format. */

#include <stdio.h>
#include <sqlite3.h>

#include "md-export.h"

G_BEGIN_DECLS

/* A file being written into the staging folder: every byte goes through the SHA-256 and the
 * size count, and the first write error is kept (later writes are skipped) so callers check once,
 * at close. */
typedef struct
{
  char      *rel_path;
  char      *full_path;
  FILE      *fp;
  GChecksum *sha256;
  guint64    size;
  GError    *error;
} MdJsonWriter;

MdJsonWriter *_md_json_writer_open   (const char    *staging,
                                      const char    *rel_path,
                                      GError       **error);
void          _md_json_writer_raw    (MdJsonWriter  *w,
                                      const char    *data,
                                      gsize          len);
void          _md_json_writer_puts   (MdJsonWriter  *w,
                                      const char    *text);
/* A JSON string (quoted and escaped); NULL writes null. */
void          _md_json_writer_string (MdJsonWriter  *w,
                                      const char    *text);
/* Closes the file; on success returns its record (path, size, sha256). Always frees @w. */
MdExportFile *_md_json_writer_close  (MdJsonWriter  *w,
                                      GError       **error);
/* Closes and deletes the file; frees @w. */
void          _md_json_writer_abort  (MdJsonWriter  *w);

/* Appends @text as a quoted JSON string (NULL: null). Control characters, quote and backslash
 * are escaped; other text is copied as UTF-8. */
void          _md_json_append_string (GString       *out,
                                      const char    *text);

void          md_export_file_free    (MdExportFile  *file);

/* Image values (md-export-image.c). Whether @text is standard, padded base64 as it is. */
gboolean      _md_export_base64_is_standard (const char  *text,
                                             gsize        len);
/* The value as standard, padded base64: @raw itself when it is that already, else a new text in
 * *out_owned whose decoded bytes were checked to equal those of @raw. NULL when @raw does not
 * decode (the error says at which byte). */
const char   *_md_export_image_value (const char  *raw,
                                      gsize        len,
                                      gsize       *out_len,
                                      char       **out_owned,
                                      GError     **error);

/* The export's read-only connection to the index (md-export-source.c). */
typedef struct _MdExportSource MdExportSource;

MdExportSource *_md_export_source_open (const char      *index_path,
                                        GError         **error);
void            _md_export_source_free (MdExportSource  *source);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdExportSource, _md_export_source_free)
/* A full pair as md_store_get_pair() reads it, with the source's rel_ins_ids and train list
 * (NULL when the pair is no key of a train file). */
MdPair         *_md_export_source_get_pair (MdExportSource  *source,
                                            const char      *pair_id,
                                            GStrv           *out_rel_ins,
                                            GStrv           *out_train,
                                            GError         **error);
/* Whether some imported store holds the image (a cheap test before reading it). */
gboolean        _md_export_source_has_image (MdExportSource *source,
                                             const char     *image_id);
typedef gboolean (*MdExportSourceRowFunc) (const char  *pair_id,
                                           const char  *dataset,
                                           gint64       order,
                                           gpointer     user_data,
                                           GError     **error);
/* Every pair of @dataset (NULL: all) and @modality (-1: any), in no particular order. */
gboolean        _md_export_source_foreach  (MdExportSource        *source,
                                            const char            *dataset,
                                            int                    modality,
                                            MdExportSourceRowFunc  func,
                                            gpointer               user_data,
                                            GError               **error);

typedef struct
{
  MdStore               *store;
  MdExportSource        *source;
  MdReviewStore         *review;     /* NULL: no review file */
  const MdExportOptions *options;
  MdExportProgressFunc   progress;
  gpointer               progress_data;
  GCancellable          *cancellable;

  sqlite3               *sel;        /* private temporary database: selection, seen images */
  MdExportReport        *report;
  guint64                n_pairs;
  guint64                n_context_pairs;

  /* Writing. */
  char                  *staging;
  char                  *time;       /* ISO 8601, UTC */
  sqlite3_stmt          *add_file;
  GHashTable            *statements; /* SQL literal -> sqlite3_stmt */
  guint64                n_files;
  GPtrArray             *files;      /* MdExportFile, extracted images left out */
  guint64                n_images;
  GHashTable            *reviewers;  /* set of names */
  GHashTable            *datasets;   /* code -> MdExportCounts */
  GHashTable            *source_train; /* code -> whether the source has TASK_train.json */
  guint64                languages[MD_N_LANGUAGES];
} MdExportJob;

typedef struct
{
  guint64 n_pairs;
  guint64 n_context_pairs;
  guint64 n_images;
  guint64 n_train;          /* keys written to TASK_train.json */
  guint64 n_video;          /* pairs whose images are frames of a clip or an album */
  guint64 n_with_images;
  guint64 n_linked;         /* exported pairs with in-context examples */
  gboolean has_train;       /* a TASK_train.json was written */
  char    *images_path;     /* the image store the yaml names, or NULL */
} MdExportCounts;

/* A pair as it is exported: the index's full pair, its current texts, and its links after the
 * context mode. */
typedef struct
{
  MdPair    *pair;
  gboolean   context_only;
  char      *texts[MD_N_LANGUAGES][MD_N_FIELDS];
  GPtrArray *links;        /* char*: the shown links (train.json's, else rel_ins_ids) */
  /* What the source files said, after the context mode: the rel_ins_ids of the instructions
   * file, and the list of TASK_train.json (NULL when the pair is no key of it). */
  GPtrArray *rel_ins;
  GPtrArray *train;
} MdExportPair;

void          _md_export_counts_free  (MdExportCounts *counts);
/* Paths of the dataset's source files of an MdFileKind, in import order. */
GPtrArray    *_md_export_source_files (MdExportJob *job,
                                       const char  *dataset,
                                       int          kind);
gboolean      _md_export_source_has_train (MdExportJob *job,
                                           const char  *dataset);

MdExportPair *_md_export_pair_load    (MdExportJob   *job,
                                       const char    *pair_id,
                                       gboolean       context_only,
                                       GError       **error);
void          _md_export_pair_free    (MdExportPair  *pair);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdExportPair, _md_export_pair_free)

/* Main-language text: the chosen language's, English by default. */
const char   *_md_export_pair_main_text (MdExportJob  *job,
                                         MdExportPair *pair,
                                         MdField       field);

/* Statements on the work file, cached by the SQL literal's address; reset and unbound. */
sqlite3_stmt *_md_export_sel_cached   (MdExportJob   *job,
                                       const char    *sql,
                                       GError       **error);
gboolean      _md_export_sel_error    (MdExportJob   *job,
                                       GError       **error,
                                       const char    *doing);

gboolean      _md_export_in_selection (MdExportJob   *job,
                                       const char    *pair_id);
/* TRUE the first time (@scope, @image_id) is seen in this export. */
gboolean      _md_export_first_image  (MdExportJob   *job,
                                       const char    *scope,
                                       const char    *image_id,
                                       GError       **error);

/* Pair-level status name and the statuses of its languages. */
MdReviewStatus _md_export_review_status (MdExportJob *job,
                                         const char  *dataset,
                                         const char  *pair_id,
                                         const char  *lang);

gboolean      _md_export_record_file  (MdExportJob   *job,
                                       MdExportFile  *file,
                                       gboolean       keep_in_result,
                                       GError       **error);
gboolean      _md_export_cancelled    (MdExportJob   *job,
                                       GError       **error);
void          _md_export_progress     (MdExportJob   *job,
                                       const char    *phase,
                                       guint64        done,
                                       guint64        total);

/* Walks the selection (by dataset, then index order); @func returns FALSE to stop on error. */
typedef gboolean (*MdExportPairFunc) (MdExportJob   *job,
                                      MdExportPair  *pair,
                                      gpointer       user_data,
                                      GError       **error);
gboolean      _md_export_foreach      (MdExportJob      *job,
                                       const char       *phase,
                                       MdExportPairFunc  func,
                                       gpointer          user_data,
                                       GError          **error);

gboolean      _md_export_write_mimicit (MdExportJob  *job,
                                        GError      **error);
/* The source's keys of pairs that the index does not hold (md-export-extra.c): read from the
 * dataset's instructions files, then `"key": value, ...` per pair (NULL: none). */
gboolean      _md_export_load_extras  (MdExportJob  *job,
                                       const char   *dataset,
                                       GError      **error);
char         *_md_export_pair_extras  (MdExportJob  *job,
                                       const char   *pair_id);

/* otter_data.yaml naming every dataset written (md-export-otter.c). */
gboolean      _md_export_write_otter_yaml (MdExportJob  *job,
                                           GError      **error);
gboolean      _md_export_write_jsonl   (MdExportJob  *job,
                                        GError      **error);
gboolean      _md_export_write_llava   (MdExportJob  *job,
                                        GError      **error);

G_END_DECLS
