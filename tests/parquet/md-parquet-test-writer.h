/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A small, deterministic Parquet writer for tests and benchmarks only. It writes exactly the
 * layouts the reader claims to support (pages v1/v2, PLAIN and dictionary encodings, codecs
 * none/snappy/gzip/zstd, nullable, 3-level and legacy 2-level lists, image structs) so that
 * every value can be read back and compared. Rows are streamed: only the current row group is
 * held in memory, which lets the benchmark produce multi-GB files. */

typedef enum
{
  MD_PQW_STRING,        /* BYTE_ARRAY, UTF8 */
  MD_PQW_BINARY,        /* BYTE_ARRAY */
  MD_PQW_INT32,
  MD_PQW_INT64,
  MD_PQW_DOUBLE,
  MD_PQW_BOOLEAN,
  MD_PQW_FIXED16,       /* FIXED_LEN_BYTE_ARRAY(16) */
  MD_PQW_LIST_STRING,   /* 3-level list<string> with nullable elements */
  MD_PQW_LIST_STRING_LEGACY, /* 2-level: group (LIST) { repeated binary array (UTF8) } */
  MD_PQW_IMAGE,         /* struct { bytes: binary, path: string } */
  MD_PQW_LIST_IMAGE,    /* list<struct { bytes, path }> */
} MdPqwKind;

typedef struct
{
  int codec;            /* 0 none, 1 snappy, 2 gzip, 6 zstd */
  int page_version;     /* 1 or 2 */
  gboolean dictionary;
  guint rows_per_page;  /* 0: one page per column chunk */
  guint rows_per_group; /* 0: one row group */
  gboolean v2_values_uncompressed; /* v2 pages with is_compressed = false */
  /* For error tests: values written in place of the true ones when non-zero. */
  int fake_codec;       /* codec id written in the footer */
  int fake_encoding;    /* encoding id written in data page headers */
  gint32 claim_page_size; /* uncompressed size written in data page headers */
} MdPqwOptions;

typedef struct _MdPqWriter MdPqWriter;

MdPqWriter *md_pq_writer_new          (const char         *path,
                                       const MdPqwOptions *options,
                                       GError            **error);
guint       md_pq_writer_add_field    (MdPqWriter *w,
                                       const char *name,
                                       MdPqwKind   kind,
                                       gboolean    nullable);
void        md_pq_writer_set_metadata (MdPqWriter *w,
                                       const char *key,
                                       const char *value);

void        md_pq_writer_begin_row    (MdPqWriter *w);
/* Unset fields of a row are null. */
void        md_pq_writer_set_string   (MdPqWriter *w,
                                       guint       field,
                                       const char *value,
                                       gssize      len);
void        md_pq_writer_set_int      (MdPqWriter *w,
                                       guint       field,
                                       gint64      value);
void        md_pq_writer_set_double   (MdPqWriter *w,
                                       guint       field,
                                       double      value);
void        md_pq_writer_set_bool     (MdPqWriter *w,
                                       guint       field,
                                       gboolean    value);
/* n < 0: null list. items[i] may be NULL (null element; not for the legacy layout). */
void        md_pq_writer_set_list     (MdPqWriter        *w,
                                       guint              field,
                                       const char *const *items,
                                       int                n);
/* MD_PQW_IMAGE: one struct; MD_PQW_LIST_IMAGE: n structs (n < 0: null list). bytes may be NULL. */
void        md_pq_writer_set_images   (MdPqWriter          *w,
                                       guint                field,
                                       const guint8 *const *bytes,
                                       const gsize         *lens,
                                       const char *const   *paths,
                                       int                  n);
gboolean    md_pq_writer_end_row      (MdPqWriter *w,
                                       GError    **error);
gboolean    md_pq_writer_close        (MdPqWriter *w,
                                       GError    **error);
void        md_pq_writer_free         (MdPqWriter *w);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdPqWriter, md_pq_writer_free)

G_END_DECLS
