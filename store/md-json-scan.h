/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A structural JSON scanner over a memory-mapped buffer. It never builds a tree: it walks the
 * containers the caller opens and hands out the byte span of each member's key and value, so
 * that a record can be parsed on its own (cJSON) or, for image stores, not parsed at all.
 *
 * Errors (MD_ERROR_PARSE) name the byte offset and what was expected; callers prefix the file. */

typedef struct
{
  gsize start;   /* offset of the first byte */
  gsize end;     /* offset one past the last byte */
} MdJsonSpan;

#define MD_JSON_SCAN_MAX_OPEN 8

typedef struct
{
  const char *data;
  gsize       len;
  gsize       pos;
  guint       max_depth;
  gsize       max_string;     /* longest string accepted, in bytes */
  gsize       max_key;        /* longest key accepted, in bytes (4096 unless set) */
  gboolean    validate_utf8;  /* check strings are UTF-8 (off for base64 values) */
  gboolean    last_string_escaped;
  guint       n_open;
  char        open_kind[MD_JSON_SCAN_MAX_OPEN];
  guint64     open_count[MD_JSON_SCAN_MAX_OPEN];
} MdJsonScan;

void      md_json_scan_init       (MdJsonScan   *scan,
                                   const char   *data,
                                   gsize         len);
/* Skips a UTF-8 byte order mark and white space; fails on an empty buffer. */
gboolean  md_json_scan_start      (MdJsonScan   *scan,
                                   GError      **error);
/* The first byte of the value at the current position ('{', '[', '"', ...) or 0 at the end. */
char      md_json_scan_peek       (MdJsonScan   *scan);
/* Enters the object ('{') or array ('[') at the current position. */
gboolean  md_json_scan_open       (MdJsonScan   *scan,
                                   char          kind,
                                   const char   *what,
                                   GError      **error);
/* Moves to the next member of the innermost open container. For objects *key is the span of the
 * key string (quotes included). Sets *has_next to FALSE and closes the container at its end. */
gboolean  md_json_scan_next       (MdJsonScan   *scan,
                                   MdJsonSpan   *key,
                                   gboolean     *has_next,
                                   GError      **error);
/* Skips the value at the current position and returns its span. */
gboolean  md_json_scan_skip_value (MdJsonScan   *scan,
                                   MdJsonSpan   *value,
                                   GError      **error);
/* Only white space may follow the top-level value. */
gboolean  md_json_scan_finish     (MdJsonScan   *scan,
                                   GError      **error);

/* Decodes a JSON string span (quotes included) into a newly allocated UTF-8 string, or NULL when
 * it is not a valid string. */
char     *md_json_decode_string   (const char   *data,
                                   MdJsonSpan    span);

/* Decodes a JSON string span (quotes included) the scanner accepted, without a parse tree. What
 * text cannot hold is kept visible, as md_json_repair_escapes() does: \u0000 and lone surrogates
 * become U+FFFD, counted in *out_n_repaired, *out_first being the offset of the first from
 * span.start. Returns a newly allocated string of *out_len bytes, or NULL for an escape that JSON
 * does not have. */
char     *md_json_unescape        (const char   *data,
                                   MdJsonSpan    span,
                                   gsize        *out_len,
                                   guint        *out_n_repaired,
                                   gsize        *out_first);

/* JSON text whose \u escapes would lose data: \u0000 (cJSON ends the string there, silently
 * dropping the rest) and lone surrogates (cJSON rejects the whole record). Returns NULL when the
 * span has none, else a copy of the same length in which each such escape is \uFFFD (the
 * replacement character); *out_n_repaired counts them and *out_first is the offset of the first
 * within the span. */
char     *md_json_repair_escapes  (const char   *data,
                                   gsize         len,
                                   guint        *out_n_repaired,
                                   gsize        *out_first);

G_END_DECLS
