/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A small streaming JSON writer. The sample must reproduce byte-level quirks of real shards
 * (pretty or single-line layout, `\uXXXX` escapes or raw UTF-8, stray trailing commas), which a
 * tree serializer such as cJSON's cannot be told to produce, so the generator writes its own. */
typedef struct _MdJsonWriter MdJsonWriter;

MdJsonWriter *md_json_writer_new          (gboolean      pretty,
                                           gboolean      ascii_only);
void          md_json_writer_free         (MdJsonWriter *writer);
void          md_json_writer_begin_object (MdJsonWriter *writer);
void          md_json_writer_end_object   (MdJsonWriter *writer);
void          md_json_writer_begin_array  (MdJsonWriter *writer);
void          md_json_writer_end_array    (MdJsonWriter *writer);
void          md_json_writer_key          (MdJsonWriter *writer,
                                           const char   *key);
void          md_json_writer_string       (MdJsonWriter *writer,
                                           const char   *value);
void          md_json_writer_int          (MdJsonWriter *writer,
                                           gint64        value);
void          md_json_writer_raw          (MdJsonWriter *writer,
                                           const char   *text);
char         *md_json_writer_steal        (MdJsonWriter *writer);

void          md_json_escape_append       (GString      *out,
                                           const char   *value,
                                           gboolean      ascii_only);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdJsonWriter, md_json_writer_free)

G_END_DECLS
