/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Parquet reader for the image stores and shards of later MIMIC-IT releases.
 *
 * What it reads:
 *  - pandas image stores: `<TASK>.parquet`, or a folder of dask part files (`part.0.parquet`,
 *    ...), rows indexed by image id (the `pandas` key-value metadata names the index column),
 *    one string column `base64`;
 *  - the Hugging Face configurations `<SUBSET>_Images` (`id`, `image` {bytes, path}),
 *    `<SUBSET>_Instructions` (`id`, `instruction`, `answer`, `images` list<string> of ids,
 *    `related instructions` list<string>) and `<SUBSET>` (the same with `images` as a list of
 *    embedded {bytes, path} structs).
 *
 * Supported: data pages v1 and v2, dictionary pages, PLAIN and dictionary encodings
 * (PLAIN_DICTIONARY / RLE_DICTIONARY), codecs none / snappy / gzip / zstd, nullable columns,
 * lists in the 3-level and legacy 2-level layouts. Anything else fails with
 * MD_ERROR_UNSUPPORTED naming the feature, the column and the file.
 *
 * Memory: files are mapped, never read whole; one page (plus a chunk's dictionary) is decoded
 * at a time, and pages claiming more than 1 GiB are rejected. Nothing here is thread-safe per
 * object, but distinct objects can be used from distinct threads; use it from a worker thread
 * (GTask) since scanning a 22 GB store takes a while.
 *
 * Files: md-thrift.c (Thrift compact decoder), md-parquet-meta.c (FileMetaData, PageHeader),
 * md-parquet-codec.c (codecs, RLE / bit-packed hybrid), md-parquet-column.c (column chunk reader,
 * one page at a time), md-parquet-file.c (mapping, schema), md-parquet-dataset.c (part folders,
 * image-store scan, reading one value back), md-parquet-instructions.c (Hugging Face rows).
 * Depends on GLib/GIO, cJSON (pandas metadata), libsnappy, zlib and libzstd; never on GTK.
 *
 * Typical use by an importer:
 *
 *   g_autoptr(MdParquetDataset) ds = md_parquet_dataset_open (path, &error);  // file or folder
 *   md_parquet_scan_image_store (ds, on_image, db, cancellable, &error);
 *     // on_image (id, loc, db): store id -> *loc (seven integers) in the index
 *   ...later, to show one image:
 *   g_autoptr(GBytes) png = md_parquet_read_image (ds, &loc, &error);  // reads one page only
 *
 *   g_autoptr(MdParquetInstructionIter) it = md_parquet_instruction_iter_new (ds, &error);
 *   while ((row = md_parquet_instruction_iter_next (it, &error)))
 *     ...row->id, row->instruction, row->answer, row->image_ids, row->images...
 */

typedef enum
{
  MD_PARQUET_TYPE_BOOLEAN = 0,
  MD_PARQUET_TYPE_INT32 = 1,
  MD_PARQUET_TYPE_INT64 = 2,
  MD_PARQUET_TYPE_INT96 = 3,
  MD_PARQUET_TYPE_FLOAT = 4,
  MD_PARQUET_TYPE_DOUBLE = 5,
  MD_PARQUET_TYPE_BYTE_ARRAY = 6,
  MD_PARQUET_TYPE_FIXED_LEN_BYTE_ARRAY = 7,
} MdParquetType;

typedef enum
{
  MD_PARQUET_REQUIRED = 0,
  MD_PARQUET_OPTIONAL = 1,
  MD_PARQUET_REPEATED = 2,
} MdParquetRepetition;

/* A leaf column of the schema. */
typedef struct
{
  const char *path;       /* dotted path from the root, e.g. "images.list.element.bytes" */
  const char *top_name;   /* the top-level field it belongs to, e.g. "images" */
  MdParquetType type;
  int type_length;        /* FIXED_LEN_BYTE_ARRAY only */
  guint max_def;          /* maximum definition level: the value is present at this level */
  guint max_rep;          /* maximum repetition level: > 0 inside a list */
  guint list_def;         /* an entry is a list element when def >= list_def (0: no list) */
  gboolean is_string;     /* annotated UTF8 / STRING */
} MdParquetColumn;

#define MD_TYPE_PARQUET_FILE (md_parquet_file_get_type ())
G_DECLARE_FINAL_TYPE (MdParquetFile, md_parquet_file, MD, PARQUET_FILE, GObject)

MdParquetFile         *md_parquet_file_open                (const char     *path,
                                                            GError        **error);
/* Reads Parquet data already in memory; `name` is used in messages. */
MdParquetFile         *md_parquet_file_new_from_bytes      (GBytes         *bytes,
                                                            const char     *name,
                                                            GError        **error);
const char            *md_parquet_file_get_path            (MdParquetFile  *self);
gint64                 md_parquet_file_get_n_rows          (MdParquetFile  *self);
guint                  md_parquet_file_get_n_row_groups    (MdParquetFile  *self);
gint64                 md_parquet_file_get_row_group_n_rows (MdParquetFile *self,
                                                            guint           row_group);
guint                  md_parquet_file_get_n_columns       (MdParquetFile  *self);
const MdParquetColumn *md_parquet_file_get_column          (MdParquetFile  *self,
                                                            guint           column);
/* Returns the index of the leaf column with this dotted path, or -1. */
int                    md_parquet_file_find_column         (MdParquetFile  *self,
                                                            const char     *path);
/* Footer key-value metadata (e.g. "pandas"), or NULL. */
const char            *md_parquet_file_get_metadata        (MdParquetFile  *self,
                                                            const char     *key);
const char            *md_parquet_file_get_created_by      (MdParquetFile  *self);

/* A store: one Parquet file, or a folder of part files read in natural name order
 * (part.2 before part.10) as if they were one file. */
#define MD_TYPE_PARQUET_DATASET (md_parquet_dataset_get_type ())
G_DECLARE_FINAL_TYPE (MdParquetDataset, md_parquet_dataset, MD, PARQUET_DATASET, GObject)

MdParquetDataset *md_parquet_dataset_open      (const char       *path,
                                                GError          **error);
MdParquetDataset *md_parquet_dataset_open_dir  (const char       *path,
                                                GError          **error);
/* A dataset of this one file. */
MdParquetDataset *md_parquet_dataset_new_for_file (MdParquetFile  *file);
guint             md_parquet_dataset_get_n_parts (MdParquetDataset *self);
MdParquetFile    *md_parquet_dataset_get_part  (MdParquetDataset *self,
                                                guint             part);
gint64            md_parquet_dataset_get_n_rows (MdParquetDataset *self);

typedef enum
{
  MD_PARQUET_VALUE_BASE64 = 1 << 0,  /* the value is base64 text of the image */
  MD_PARQUET_VALUE_DIRECT = 1 << 1,  /* byte_offset / byte_length give the raw bytes in the file */
  MD_PARQUET_VALUE_NULL = 1 << 2,    /* md_parquet_scan_image_store_with_nulls(): the image is null;
                                      * value_index is the row in its row group, nothing to read */
} MdParquetValueFlags;

/* Where one value lives. Plain integers: an importer can store them as they are and later read
 * the value back from the same dataset without scanning. */
typedef struct
{
  guint32 part;          /* index of the part file in the dataset */
  guint32 row_group;
  guint32 column;        /* leaf column index */
  guint32 flags;         /* MdParquetValueFlags */
  guint64 page_offset;   /* file offset of the data page header */
  guint32 value_index;   /* index among the page's present (non-null) values */
  guint32 reserved;
  guint64 byte_offset;   /* MD_PARQUET_VALUE_DIRECT: file offset of the value's bytes */
  guint64 byte_length;   /* MD_PARQUET_VALUE_DIRECT: length of the value's bytes */
} MdParquetValueLocation;

/* Return FALSE to stop the scan (it then returns TRUE). `image_id` is only valid during the
 * call. Rows whose id or image is null are skipped. */
typedef gboolean (*MdParquetImageFunc) (const char                   *image_id,
                                        const MdParquetValueLocation *loc,
                                        gpointer                      user_data);

/* Walks an image store (pandas `base64` store or Hugging Face `_Images` config) page by page
 * and reports where each image lives. The id column is the pandas index (from the `pandas`
 * footer metadata), else a column named `id` or `__index_level_0__`; the image column is
 * `base64`, else `image.bytes`. Integer ids are reported in decimal. */
gboolean md_parquet_scan_image_store (MdParquetDataset            *self,
                                      MdParquetImageFunc           func,
                                      gpointer                     user_data,
                                      GCancellable                *cancellable,
                                      GError                     **error);

/* The same, also calling @func for rows whose id is set and whose image is null, with
 * MD_PARQUET_VALUE_NULL in loc->flags. */
gboolean md_parquet_scan_image_store_with_nulls (MdParquetDataset      *self,
                                                 MdParquetImageFunc     func,
                                                 gpointer               user_data,
                                                 GCancellable          *cancellable,
                                                 GError               **error);

/* The name of the image column @loc refers to. */
const char *md_parquet_dataset_get_column_name (MdParquetDataset             *self,
                                                const MdParquetValueLocation *loc);

/* The raw value at `loc`, reading only its page (and the chunk's dictionary if any). */
GBytes  *md_parquet_read_value       (MdParquetDataset            *self,
                                      const MdParquetValueLocation *loc,
                                      GError                     **error);
/* Like md_parquet_read_value(), base64-decoded when the location says so: the image file's
 * bytes (PNG, JPEG, ...). */
GBytes  *md_parquet_read_image       (MdParquetDataset            *self,
                                      const MdParquetValueLocation *loc,
                                      GError                     **error);

/* One row of a Hugging Face instruction configuration. Strings are NULL when null. */
typedef struct
{
  char *id;
  char *instruction;
  char *answer;
  GPtrArray *image_ids;             /* char*: the `images` ids, or the embedded images' paths */
  GArray *images;                   /* MdParquetValueLocation of embedded image bytes, else empty */
  GPtrArray *related_instructions;  /* char* */
} MdParquetInstruction;

typedef struct _MdParquetInstructionIter MdParquetInstructionIter;

/* Fails with MD_ERROR_UNSUPPORTED if the dataset lacks `id`, `instruction` or `answer`. */
MdParquetInstructionIter   *md_parquet_instruction_iter_new  (MdParquetDataset         *dataset,
                                                              GError                  **error);
/* The next row, valid until the next call; NULL at the end (error unset) or on error. */
const MdParquetInstruction *md_parquet_instruction_iter_next (MdParquetInstructionIter *iter,
                                                              GError                  **error);
void                        md_parquet_instruction_iter_free (MdParquetInstructionIter *iter);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdParquetInstructionIter, md_parquet_instruction_iter_free)

G_END_DECLS
