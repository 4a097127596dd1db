/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "md-language.h"

G_BEGIN_DECLS

typedef enum
{
  MD_MODALITY_TEXT,
  MD_MODALITY_IMAGE,         /* one image */
  MD_MODALITY_IMAGE_PAIR,    /* two images compared (spot the difference) */
  MD_MODALITY_MULTI_IMAGE,   /* an album */
  MD_MODALITY_VIDEO,         /* frames of one clip */
} MdModality;

const char *md_modality_name (MdModality modality);   /* "text", "image", "image-pair", ... */
gboolean    md_modality_from_name (const char *name, MdModality *out_modality);

#define MD_TYPE_PAIR (md_pair_get_type ())
G_DECLARE_FINAL_TYPE (MdPair, md_pair, MD, PAIR, GObject)

/* A pair as a row of a list is light: id, dataset, modality, number of images, languages present
 * and the instruction in the query's language. md_store_get_pair() returns a full pair. */
const char         *md_pair_get_id                   (MdPair     *self);
const char         *md_pair_get_dataset              (MdPair     *self);
gint64              md_pair_get_order                (MdPair     *self);
MdModality          md_pair_get_modality             (MdPair     *self);
guint               md_pair_get_n_images             (MdPair     *self);
/* Bit (1 << MdLanguage) set for each language with a non-empty instruction or answer. */
guint               md_pair_get_languages            (MdPair     *self);
gboolean            md_pair_is_full                  (MdPair     *self);
/* One line (at most 200 characters) of the instruction in the list's language, falling back to
 * English; also set on full pairs (English). */
const char         *md_pair_get_summary              (MdPair     *self);
/* MdQueryFlags bits (missing images, missing translations, dangling context). */
guint               md_pair_get_problem_flags        (MdPair     *self);

/* Full pairs only. NULL when the language has no such text. */
const char         *md_pair_get_text                 (MdPair     *self,
                                                      MdLanguage  language,
                                                      MdField     field);
const char * const *md_pair_get_image_ids            (MdPair     *self);
const char * const *md_pair_get_missing_image_ids    (MdPair     *self);
const char * const *md_pair_get_context_ids          (MdPair     *self);
const char * const *md_pair_get_dangling_context_ids (MdPair     *self);

G_END_DECLS
