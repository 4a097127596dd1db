/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A streaming writer of one Parquet image store in the layout pandas gives
 * DataFrame.from_dict(images, orient="index", columns=["base64"]).to_parquet():
 *
 *   base64              BYTE_ARRAY (UTF8), required: the image as base64 text
 *   __index_level_0__   BYTE_ARRAY (UTF8), required: the image id
 *   key-value "pandas"  {"index_columns": ["__index_level_0__"], ...}, so that pandas and pyarrow
 *                       make the image id the index again (images.loc[id]["base64"])
 *
 * Pages are PLAIN and uncompressed (base64 text hardly compresses). Rows are appended one at a
 * time: the base64 values go out a page at a time, and only the ids of the current row group are
 * held, so memory is bounded by the row-group limits below and not by the store. Every byte goes
 * through @sink, in file order. */

typedef gboolean (*MdParquetSink) (const guint8 *data,
                                   gsize         len,
                                   gpointer      user_data);

/* A row group ends after this many rows or this many bytes of base64 text, whichever comes
 * first; a page after this many bytes of values (a bigger value is a page of its own). */
#define MD_PARQUET_WRITER_GROUP_ROWS  65536
#define MD_PARQUET_WRITER_GROUP_BYTES (128u * 1024 * 1024)
#define MD_PARQUET_WRITER_PAGE_BYTES  (1024u * 1024)

typedef struct _MdParquetWriter MdParquetWriter;

MdParquetWriter *md_parquet_writer_new    (MdParquetSink     sink,
                                           gpointer          sink_data,
                                           const char       *created_by);
/* Limits for tests; 0 keeps the default. */
void             md_parquet_writer_set_limits (MdParquetWriter *w,
                                               guint            group_rows,
                                               gsize            group_bytes,
                                               gsize            page_bytes);
/* FALSE when the sink failed (then every later call is a no-op). */
gboolean         md_parquet_writer_add    (MdParquetWriter  *w,
                                           const char       *image_id,
                                           gsize             id_len,
                                           const char       *base64,
                                           gsize             base64_len);
/* Writes the last row group and the footer. */
gboolean         md_parquet_writer_finish (MdParquetWriter  *w);
guint64          md_parquet_writer_get_n_rows       (MdParquetWriter *w);
guint            md_parquet_writer_get_n_row_groups (MdParquetWriter *w);
void             md_parquet_writer_free   (MdParquetWriter  *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdParquetWriter, md_parquet_writer_free)

G_END_DECLS
