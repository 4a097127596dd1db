/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A reader for the Thrift compact protocol, the encoding of Parquet's footer and page headers.
 * It never reads past `end`, bounds nesting, and reports the first problem in `error`, after
 * which every call is a no-op returning zero; callers check `error` once per struct. */

typedef enum
{
  MD_THRIFT_STOP = 0,
  MD_THRIFT_TRUE = 1,
  MD_THRIFT_FALSE = 2,
  MD_THRIFT_BYTE = 3,
  MD_THRIFT_I16 = 4,
  MD_THRIFT_I32 = 5,
  MD_THRIFT_I64 = 6,
  MD_THRIFT_DOUBLE = 7,
  MD_THRIFT_BINARY = 8,
  MD_THRIFT_LIST = 9,
  MD_THRIFT_SET = 10,
  MD_THRIFT_MAP = 11,
  MD_THRIFT_STRUCT = 12,
} MdThriftType;

#define MD_THRIFT_MAX_DEPTH 32

typedef struct
{
  const guint8 *start;
  const guint8 *p;
  const guint8 *end;
  const char *what;         /* file name for messages */
  guint64 base_offset;      /* file offset of `start`, for messages */
  guint depth;
  gint16 last_field[MD_THRIFT_MAX_DEPTH + 1];
  GError *error;
} MdThriftReader;

void      _md_thrift_reader_init        (MdThriftReader *r,
                                         const guint8   *data,
                                         gsize           len,
                                         const char     *what,
                                         guint64         base_offset);
guint64   _md_thrift_reader_offset      (MdThriftReader *r);
void      _md_thrift_fail               (MdThriftReader *r,
                                         const char     *format,
                                         ...) G_GNUC_PRINTF (2, 3);
void      _md_thrift_struct_begin       (MdThriftReader *r);
void      _md_thrift_struct_end         (MdThriftReader *r);
/* Returns FALSE at the end of the struct (or on error). Booleans carry their value in the type
 * (MD_THRIFT_TRUE / MD_THRIFT_FALSE); read it with _md_thrift_read_bool(). */
gboolean  _md_thrift_field_begin        (MdThriftReader *r,
                                         gint16         *id,
                                         MdThriftType   *type);
gboolean  _md_thrift_read_bool          (MdThriftReader *r,
                                         MdThriftType    type);
gint32    _md_thrift_read_i32           (MdThriftReader *r,
                                         MdThriftType    type);
gint64    _md_thrift_read_i64           (MdThriftReader *r,
                                         MdThriftType    type);
/* Points into the buffer; not NUL-terminated. */
const guint8 *_md_thrift_read_binary    (MdThriftReader *r,
                                         MdThriftType    type,
                                         gsize          *len);
char     *_md_thrift_read_string        (MdThriftReader *r,
                                         MdThriftType    type);
/* Returns the number of elements; each is then read with the element type. */
guint32   _md_thrift_list_begin         (MdThriftReader *r,
                                         MdThriftType    type,
                                         MdThriftType   *elem_type);
void      _md_thrift_skip               (MdThriftReader *r,
                                         MdThriftType    type);

G_END_DECLS
