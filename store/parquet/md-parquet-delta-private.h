/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The byte-array values of one page in DELTA_LENGTH_BYTE_ARRAY or DELTA_BYTE_ARRAY: value i is
 * base + off[i], len[i] bytes. base points into the page (lengths only) or into buf (values
 * rebuilt from prefixes). */
typedef struct
{
  guint32       n;
  guint32      *off;
  guint32      *len;
  guint8       *buf;
  const guint8 *base;
} MdParquetDeltaValues;

/* Decodes the values section [p, end) of a page holding at most @n_max values. @prefixed selects
 * DELTA_BYTE_ARRAY. Errors name @display and what was expected. */
gboolean _md_parquet_delta_decode (MdParquetDeltaValues  *v,
                                   gboolean               prefixed,
                                   const guint8          *p,
                                   const guint8          *end,
                                   guint32                n_max,
                                   const char            *display,
                                   GError               **error);
void     _md_parquet_delta_clear  (MdParquetDeltaValues  *v);

G_END_DECLS
