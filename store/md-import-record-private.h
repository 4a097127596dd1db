/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* One record of an instruction file, read straight from the mapped bytes (md-import-record.c).
 * Private to store/.
 *
 * The record is walked with the structural scanner and its four fields are decoded in place:
 * no parse tree is built. Text without escapes is not even copied: it points into the mapping,
 * which the importer keeps until the record is written. At MIMIC-IT scale this halves the cost
 * of reading a record, and reading runs beside SQLite's writing on the other core. */

#include "md-json-scan.h"
#include "md-pair.h"

G_BEGIN_DECLS

typedef struct
{
  char       *id;
  gsize       start;            /* byte offset of the record, for messages */
  char       *problem;          /* a bad record: what is wrong with it, file and offset named */
  const char *instruction;      /* NULL when absent or null; else `instruction_len` bytes */
  gsize       instruction_len;
  const char *answer;
  gsize       answer_len;
  char       *owned_text[2];    /* decoded copies of the texts that had escapes */
  char       *images;           /* ids joined by '\n', NULL when none */
  char       *context;
  MdModality  modality;
  guint       n_images;
  guint       n_repaired;       /* \u0000 and lone surrogates replaced by U+FFFD */
  gsize       first_repaired;   /* offset of the first from `start` */
} MdParsedPair;

/* Reads the record whose value the scanner found at `span`. A record that is not what an
 * instruction file holds gets `problem` set and nothing else. `ids` is scratch space. */
void        _md_parse_pair_record (const char   *path,
                                   const char   *data,
                                   MdJsonSpan    span,
                                   MdParsedPair *out,
                                   GString      *ids);
void        _md_parsed_pair_clear (MdParsedPair *pair);

/* What a pair shows, from its image ids: one image, a spot-the-difference pair, frames of one
 * clip, several images, or text only. */
MdModality  _md_decide_modality   (char        **images,
                                   guint         n_images);

G_END_DECLS
