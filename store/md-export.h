/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Export: the pairs of a filter (or of a saved audit sample) written to a folder as MIMIC-IT
 * files that Otter's loader reads, as JSONL, or as LLaVA-style conversations, with the review's
 * edits applied, references checked, and a manifest that proves what was written.
 *
 * Streaming. The selection is kept in a private temporary SQLite file (not in memory), pairs are
 * read one at a time and every file is written through a small JSON writer as it goes, so memory
 * does not grow with the size of the export. Image values are copied from their source store
 * (md_store_read_image_raw()) when they are standard padded base64, else decoded and encoded
 * again (see store/FORMATS.md).
 *
 * All or nothing. Everything is written into a hidden staging folder ".export-XXXXXX" inside the
 * output folder, which must be empty or absent (staging folders of killed exports, whose lock is
 * free, are removed with a note); only when every file is complete and flushed to the disk are
 * the entries moved to their final names: image stores, train and translation files first, then
 * the instructions files, otter_data.yaml, and the manifest last, the folder flushed between. A failed or cancelled export removes the staging folder (and the
 * output folder when it created it), so no half-written or temporary file is ever left behind.
 *
 * Layout of a MIMIC-IT export (format "mimicit"), per dataset TASK:
 *
 *   TASK_instructions.json   {"meta": {"version", "time", "author"}, "data": {ID: {"instruction",
 *                            "answer", "image_ids", "rel_ins_ids", other source keys}}}: the
 *                            current texts (accepted edits applied) in the main language (English
 *                            unless a language is chosen); rel_ins_ids and the other keys as the
 *                            source has them (rel_ins_ids after the context mode).
 *   TASK_train.json          {ID: [in-context ID, ...]}: the source's keys (those exported) and
 *                            lists after the context mode: keep them all (dangling ones too), drop
 *                            those to pairs that are not exported, or include the referenced pairs
 *                            in the export (not as keys). Without a source train file: every
 *                            exported pair with its rel_ins_ids.
 *   TASK.parquet / TASK.json image stores (MdExportImageStore) with exactly the images the exported
 *                            pairs reference, as standard padded base64. Absent when the dataset's
 *                            pairs have no images.
 *   translations/TASK/       the seven translations, in the layout our import reads:
 *     query_input.json       [{"id", "sentences": "<a>INSTRUCTION</a><b>ANSWER</b>"}] (English)
 *     valid_output.json      [{"id", "results": TEXT}] where TEXT is a JSON object
 *                            {"a": {LANG: instruction}, "b": {LANG: answer}} for LANG in zh, es,
 *                            ja, de, fr, ko, ar; a language (or field) the pair has no text for is
 *                            left out, exactly as in a Syphus reply that lacks it.
 *                            Written only when the main language is English: with another main
 *                            language the translations folder is not written.
 *   otter_data.yaml          Otter's training data file naming every dataset in its group.
 *   manifest.json            see below.
 *
 * JSONL ("jsonl"): pairs.jsonl, one object per line: {"id", "dataset", "images": [image ids, or
 * relative paths "images/NAME.png|jpg" of the extracted files when images are extracted, null for
 * an image that could not be extracted], "context": [ids], "texts": {LANG: {"instruction",
 * "answer"}} (all eight, null where absent), "status", "reasons", "language_status": {LANG:
 * status}, "revisions", "context_only"}.
 *
 * LLaVA ("llava"): llava.json, an array of {"id", "image" (one) or "images" (several),
 * "conversations": [{"from": "human", "value": "<image>\n...INSTRUCTION"}, {"from": "gpt",
 * "value": ANSWER}]}; with llava_context the in-context examples come first as earlier turns.
 *
 * Extracted images are named after their id with every byte outside [A-Za-z0-9._-] replaced (and
 * a hash of the id appended when anything was replaced), so an id like "../../x" never leaves the
 * output folder.
 *
 * manifest.json: {"tool", "version", "created", "format", "filter": {...}, "index", "review":
 * {"path", "last_action", "entries", "reviewers"}, "counts": {"pairs", "context_pairs",
 * "images", "datasets": {TASK: {...}}, "languages": {LANG: pairs with text}}, "checks": {KIND:
 * count}, "files": [{"path", "size", "sha256"}]}: every file written but the manifest itself. */

#include <gio/gio.h>

#include "md-query.h"
#include "md-review-store.h"
#include "md-store.h"

G_BEGIN_DECLS

typedef enum
{
  MD_EXPORT_FORMAT_MIMICIT,
  MD_EXPORT_FORMAT_JSONL,
  MD_EXPORT_FORMAT_LLAVA,
} MdExportFormat;

typedef enum
{
  MD_EXPORT_CONTEXT_KEEP,      /* write every link, dangling ones included */
  MD_EXPORT_CONTEXT_DROP,      /* write only links to exported pairs */
  MD_EXPORT_CONTEXT_INCLUDE,   /* add the referenced pairs (as in-context examples only) */
} MdExportContext;

/* The image store of a MIMIC-IT export: TASK.parquet (read by Otter since September 2023),
 * the flat TASK.json {IMAGE_ID: BASE64} of the older loader, or both. */
typedef enum
{
  MD_EXPORT_IMAGES_PARQUET,
  MD_EXPORT_IMAGES_JSON,
  MD_EXPORT_IMAGES_BOTH,
} MdExportImageStore;

const char *md_export_image_store_name      (MdExportImageStore  store);
gboolean    md_export_image_store_from_name (const char         *name,
                                             MdExportImageStore *out_store);

const char *md_export_format_name       (MdExportFormat   format);
gboolean    md_export_format_from_name  (const char      *name,
                                         MdExportFormat  *out_format);
const char *md_export_context_name      (MdExportContext  context);
gboolean    md_export_context_from_name (const char      *name,
                                         MdExportContext *out_context);

/* What to export and how. Filters combine with AND; unset members do not filter. */
typedef struct
{
  MdExportFormat   format;
  MdExportImageStore image_store;      /* MIMIC-IT: which image store files (default Parquet) */
  char            *text;               /* search text, as md_store_query() */
  char            *dataset;
  guint            statuses;           /* bits (1 << MdReviewStatus) of the pair's status; 0: any
                                        * but rejected (rejected pairs the filter matched are
                                        * left out and listed as rejected_left_out) */
  char            *reason;             /* a reason tag of the pair or of one of its languages */
  gboolean         complete_languages; /* all eight languages with both texts, edits applied */
  char            *sample;             /* a saved audit sample instead of a search */
  MdExportContext  context;
  int              language;           /* MdLanguage of the main texts; -1 or EN: English */
  gboolean         extract_images;     /* JSONL / LLaVA: write decoded image files */
  gboolean         llava_context;      /* LLaVA: in-context examples as earlier turns */
  /* The rest of a window's MdQuery, so that an export from the window holds what it lists. */
  int              search_language;    /* MdLanguage the text is searched in; -1: all */
  int              modality;           /* MdModality; -1: any */
  MdQueryFlags     query_flags;        /* quick filters (missing images, ...); 0: none */
} MdExportOptions;

#define MD_TYPE_EXPORT_OPTIONS (md_export_options_get_type ())
GType            md_export_options_get_type (void) G_GNUC_CONST;
MdExportOptions *md_export_options_new      (void);
MdExportOptions *md_export_options_copy     (const MdExportOptions *options);
void             md_export_options_free     (MdExportOptions       *options);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdExportOptions, md_export_options_free)

/* The checks made before writing. */
typedef enum
{
  MD_EXPORT_ISSUE_MISSING_PAIR,        /* a sample member the index no longer holds */
  MD_EXPORT_ISSUE_MISSING_IMAGE,       /* an image reference no store holds */
  MD_EXPORT_ISSUE_UNDECODABLE_IMAGE,   /* a stored value that is not a base64 PNG or JPEG */
  MD_EXPORT_ISSUE_DANGLING_CONTEXT,    /* an in-context id that is in no dataset (kept) */
  MD_EXPORT_ISSUE_EMPTY_TEXT,          /* an empty instruction or answer in the main language */
  MD_EXPORT_ISSUE_UNRESOLVED_FLAG,     /* the pair or one of its languages is flagged */
  /* Not blocking: what the context mode and the translations imply. */
  MD_EXPORT_ISSUE_UNEXPORTED_CONTEXT,  /* kept link to a pair that is not exported */
  MD_EXPORT_ISSUE_DROPPED_CONTEXT,     /* link left out (drop, or a missing pair) */
  MD_EXPORT_ISSUE_MISSING_TRANSLATION, /* a language without instruction or answer */
  MD_EXPORT_ISSUE_REJECTED_LEFT_OUT,   /* a rejected pair the filter matched, not exported */
  MD_EXPORT_N_ISSUES
} MdExportIssueKind;

const char *md_export_issue_name        (MdExportIssueKind kind);
gboolean    md_export_issue_is_blocking (MdExportIssueKind kind);

typedef struct
{
  MdExportIssueKind  kind;
  char              *pair_id;
  char              *ref;      /* image id, pair id or language code; may be NULL */
} MdExportIssue;

#define MD_TYPE_EXPORT_REPORT (md_export_report_get_type ())
G_DECLARE_FINAL_TYPE (MdExportReport, md_export_report, MD, EXPORT_REPORT, GObject)

/* Pairs selected by the filter, and pairs added as in-context examples (include mode). */
guint64     md_export_report_get_n_pairs         (MdExportReport    *self);
guint64     md_export_report_get_n_context_pairs (MdExportReport    *self);
/* Distinct images the pairs reference that a store holds (missing ones are issues). */
guint64     md_export_report_get_n_images        (MdExportReport    *self);
/* The datasets of the export, sorted bytewise; free with g_strfreev(). */
GStrv       md_export_report_get_datasets        (MdExportReport    *self);
/* Pairs of @dataset selected by the filter; @out_context_pairs (may be NULL) gets those added
 * as in-context examples. */
guint64     md_export_report_get_dataset_pairs   (MdExportReport    *self,
                                                  const char        *dataset,
                                                  guint64           *out_context_pairs);
guint64     md_export_report_count               (MdExportReport    *self,
                                                  MdExportIssueKind  kind);
gboolean    md_export_report_has_blocking        (MdExportReport    *self);
/* The first issues of each kind (at most MD_EXPORT_REPORT_MAX_LISTED per kind are kept, the
 * counts are always complete). Element type MdExportIssue. */
#define MD_EXPORT_REPORT_MAX_LISTED 200
GPtrArray  *md_export_report_get_issues          (MdExportReport    *self);
/* Human-readable, one issue per line, then counts. */
char       *md_export_report_to_string           (MdExportReport    *self);

/* One file of a finished export, relative to the output folder. */
typedef struct
{
  char    *path;
  guint64  size;
  char    *sha256;
} MdExportFile;

typedef struct
{
  char           *out_dir;
  guint64         n_pairs;
  guint64         n_context_pairs;
  guint64         n_images;
  GPtrArray      *files;      /* MdExportFile, the manifest last */
  MdExportReport *report;
  GStrv           notes;      /* what was done besides (stale staging folders removed) */
} MdExportResult;

void md_export_result_free (MdExportResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdExportResult, md_export_result_free)

/* Called from the working thread. phase is "select", "check" or "write". Cancel through the
 * GCancellable (calling g_cancellable_cancel() from here is fine). */
typedef void (*MdExportProgressFunc) (const char *phase,
                                      guint64     done,
                                      guint64     total,
                                      gpointer    user_data);

/* Blocking. @review may be NULL (no review file: every pair unreviewed, shard texts). Both use
 * @review from the calling thread only. */
MdExportReport *md_export_check      (MdStore                *store,
                                      MdReviewStore          *review,
                                      const MdExportOptions  *options,
                                      MdExportProgressFunc    progress,
                                      gpointer                progress_data,
                                      GCancellable           *cancellable,
                                      GError                **error);
MdExportResult *md_export_run        (MdStore                *store,
                                      MdReviewStore          *review,
                                      const MdExportOptions  *options,
                                      const char             *out_dir,
                                      MdExportProgressFunc    progress,
                                      gpointer                progress_data,
                                      GCancellable           *cancellable,
                                      GError                **error);

/* In a worker thread, which opens its own connection to @review's file. */
void            md_export_check_async  (MdStore               *store,
                                        MdReviewStore         *review,
                                        const MdExportOptions *options,
                                        MdExportProgressFunc   progress,
                                        gpointer               progress_data,
                                        GCancellable          *cancellable,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data);
MdExportReport *md_export_check_finish (GAsyncResult          *result,
                                        GError               **error);
void            md_export_run_async    (MdStore               *store,
                                        MdReviewStore         *review,
                                        const MdExportOptions *options,
                                        const char            *out_dir,
                                        MdExportProgressFunc   progress,
                                        gpointer               progress_data,
                                        GCancellable          *cancellable,
                                        GAsyncReadyCallback    callback,
                                        gpointer               user_data);
MdExportResult *md_export_run_finish   (GAsyncResult          *result,
                                        GError               **error);

/* The file name an extracted image gets (without folder): safe for any id. */
char           *md_export_image_file_name (const char  *image_id,
                                           const char  *mime_type);

G_END_DECLS
