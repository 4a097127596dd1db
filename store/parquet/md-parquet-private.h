/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "md-parquet.h"

G_BEGIN_DECLS

/* Internal model of a Parquet file: the decoded footer, and a column reader that walks one
 * column chunk a page at a time. Only one page (plus the chunk's dictionary) is ever held in
 * memory, so a 22 GB file costs as much as its largest page. */

#define MD_PARQUET_MAX_PAGE_SIZE ((guint64) 1 << 30)
/* Level runs can describe many entries in a few bytes; bound what a page may claim. */
#define MD_PARQUET_MAX_PAGE_VALUES (64 * 1024 * 1024)

typedef enum
{
  MD_PARQUET_CODEC_UNCOMPRESSED = 0,
  MD_PARQUET_CODEC_SNAPPY = 1,
  MD_PARQUET_CODEC_GZIP = 2,
  MD_PARQUET_CODEC_LZO = 3,
  MD_PARQUET_CODEC_BROTLI = 4,
  MD_PARQUET_CODEC_LZ4 = 5,
  MD_PARQUET_CODEC_ZSTD = 6,
  MD_PARQUET_CODEC_LZ4_RAW = 7,
} MdParquetCodec;

typedef enum
{
  MD_PARQUET_ENCODING_PLAIN = 0,
  MD_PARQUET_ENCODING_PLAIN_DICTIONARY = 2,
  MD_PARQUET_ENCODING_RLE = 3,
  MD_PARQUET_ENCODING_BIT_PACKED = 4,
  MD_PARQUET_ENCODING_DELTA_BINARY_PACKED = 5,
  MD_PARQUET_ENCODING_DELTA_LENGTH_BYTE_ARRAY = 6,
  MD_PARQUET_ENCODING_DELTA_BYTE_ARRAY = 7,
  MD_PARQUET_ENCODING_RLE_DICTIONARY = 8,
  MD_PARQUET_ENCODING_BYTE_STREAM_SPLIT = 9,
} MdParquetEncoding;

typedef enum
{
  MD_PARQUET_PAGE_DATA = 0,
  MD_PARQUET_PAGE_INDEX = 1,
  MD_PARQUET_PAGE_DICTIONARY = 2,
  MD_PARQUET_PAGE_DATA_V2 = 3,
} MdParquetPageType;

typedef struct
{
  char *name;
  int type;                     /* MdParquetType, -1 for groups */
  int type_length;
  int repetition;               /* MdParquetRepetition */
  int num_children;
  int converted_type;           /* -1 when absent */
  int logical_type;             /* field id of the LogicalType union, 0 when absent */
} MdParquetSchemaElement;

typedef struct
{
  int codec;
  int type;
  gint64 num_values;
  gint64 total_compressed_size;
  gint64 data_page_offset;
  gint64 dictionary_page_offset;  /* 0 when absent */
  gboolean has_dictionary_page_offset;
  gboolean external;              /* file_path set: data lives in another file */
} MdParquetChunk;

typedef struct
{
  gint64 num_rows;
  guint n_chunks;
  MdParquetChunk *chunks;
} MdParquetRowGroup;

typedef struct
{
  int version;
  gint64 num_rows;
  GPtrArray *schema;            /* MdParquetSchemaElement* */
  guint n_row_groups;
  MdParquetRowGroup *row_groups;
  GPtrArray *kv_keys;
  GPtrArray *kv_values;
  char *created_by;
} MdParquetMeta;

MdParquetMeta *_md_parquet_meta_parse (const guint8 *data,
                                       gsize         len,
                                       const char   *what,
                                       guint64       base_offset,
                                       GError      **error);
void           _md_parquet_meta_free  (MdParquetMeta *meta);

typedef struct
{
  int type;
  int num_values;               /* data pages and dictionary pages */
  int encoding;
  int def_encoding;
  int rep_encoding;
  int num_nulls;                /* v2 */
  int def_len;                  /* v2 */
  int rep_len;                  /* v2 */
  gboolean is_compressed;       /* v2 */
  gint32 uncompressed_size;
  gint32 compressed_size;
  gsize header_len;
} MdParquetPageHeader;

gboolean _md_parquet_page_header_parse (const guint8        *data,
                                        gsize                len,
                                        const char          *what,
                                        guint64              base_offset,
                                        MdParquetPageHeader *header,
                                        GError             **error);

/* Streaming decoder of the RLE / bit-packed hybrid used for levels and dictionary indices. */
typedef struct
{
  const guint8 *p;
  const guint8 *end;
  guint bit_width;
  guint32 run_left;
  gboolean packed;
  guint32 rle_value;
  guint32 buf[8];
  guint buf_pos;
  guint buf_len;
} MdRleDecoder;

void     _md_rle_decoder_init (MdRleDecoder *d,
                               const guint8 *data,
                               gsize         len,
                               guint         bit_width);
gboolean _md_rle_decoder_next (MdRleDecoder *d,
                               guint32      *value);

gboolean _md_parquet_decompress (int           codec,
                                 const guint8 *src,
                                 gsize         src_len,
                                 guint8       *dst,
                                 gsize         dst_len,
                                 GError      **error);

/* One entry of a column: a (repetition, definition) level pair and, when the value is present
 * (def == max_def), its bytes. */
typedef struct
{
  guint rep;
  guint def;
  gboolean present;
  const guint8 *data;
  gsize len;
  /* Where the value lives, for MdParquetValueLocation. */
  guint64 page_offset;
  guint32 value_index;
  gboolean in_file;             /* `data` points into the mapped file (uncompressed PLAIN) */
} MdParquetEntry;

typedef struct _MdParquetColumnReader MdParquetColumnReader;

MdParquetColumnReader *_md_parquet_column_reader_new   (MdParquetFile        *file,
                                                        guint                 row_group,
                                                        guint                 column,
                                                        GError              **error);
/* Starts at the data page at `page_offset` (dictionary read first if the chunk has one). */
gboolean               _md_parquet_column_reader_seek  (MdParquetColumnReader *reader,
                                                        guint64               page_offset,
                                                        GError              **error);
/* Returns FALSE at the end of the chunk (error unset) or on error. */
gboolean               _md_parquet_column_reader_next  (MdParquetColumnReader *reader,
                                                        MdParquetEntry        *entry,
                                                        GError              **error);
/* Like next, without consuming. */
gboolean               _md_parquet_column_reader_peek  (MdParquetColumnReader *reader,
                                                        MdParquetEntry        *entry,
                                                        GError              **error);
/* Stops after the current page: the next call to next() returns FALSE. */
void                   _md_parquet_column_reader_stop_after_page (MdParquetColumnReader *reader);
/* For long scans: give the mapped pages of each finished page back to the kernel. */
void                   _md_parquet_column_reader_set_release_pages (MdParquetColumnReader *reader,
                                                                    gboolean               release);
/* Gives back the mapped bytes of the current page; entries pointing into it are re-read from
 * the file if touched again, so this is always safe. */
void                   _md_parquet_column_reader_release_page (MdParquetColumnReader *reader);
void                   _md_parquet_column_reader_free  (MdParquetColumnReader *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdParquetColumnReader, _md_parquet_column_reader_free)

/* Accessors used by the column reader. */
const guint8        *_md_parquet_file_get_data       (MdParquetFile *file,
                                                      gsize         *len);
/* Tells the kernel that a scan is done with bytes [start, end) of the mapping. */
void                 _md_parquet_file_release        (MdParquetFile *file,
                                                      guint64        start,
                                                      guint64        end);
const MdParquetMeta *_md_parquet_file_get_meta       (MdParquetFile *file);
const char          *_md_parquet_file_get_display    (MdParquetFile *file);

/* Shared by the image-store scan and the instruction iterator. */
int   _md_parquet_find_id_column    (MdParquetFile          *file);
char *_md_parquet_format_id         (const MdParquetColumn  *col,
                                     const MdParquetEntry   *e);
void  _md_parquet_entry_to_location (const MdParquetEntry   *e,
                                     MdParquetFile          *file,
                                     guint                   part,
                                     guint                   row_group,
                                     guint                   column,
                                     guint32                 flags,
                                     MdParquetValueLocation *loc);

G_END_DECLS
