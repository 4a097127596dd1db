/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "md-sample-draw.h"

G_BEGIN_DECLS

/* Sentence templates in the eight MIMIC-IT languages, filled from the scene models. Numbers stay
 * in Western digits in every language so the per-language number checks compare like with like. */

typedef enum
{
  MD_SAMPLE_EN,
  MD_SAMPLE_ZH,
  MD_SAMPLE_ES,
  MD_SAMPLE_JA,
  MD_SAMPLE_DE,
  MD_SAMPLE_FR,
  MD_SAMPLE_KO,
  MD_SAMPLE_AR,
  MD_SAMPLE_N_LANGS
} MdSampleLang;

typedef struct
{
  char *s[MD_SAMPLE_N_LANGS];
} MdText;

extern const char * const md_sample_lang_codes[MD_SAMPLE_N_LANGS];

void md_text_clear           (MdText      *text);

void md_text_la_count        (guint        n_shapes,
                              MdText      *question,
                              MdText      *answer);
void md_text_la_color        (MdShape      shape,
                              MdColor      color,
                              MdText      *question,
                              MdText      *answer);
void md_text_la_where        (MdShape      shape,
                              MdColor      color,
                              MdSpot       spot,
                              MdText      *question,
                              MdText      *answer);
void md_text_la_exists       (MdShape      shape,
                              MdColor      asked,
                              MdColor      actual,
                              MdText      *question,
                              MdText      *answer);

void md_text_sd_question     (guint        variant,
                              MdText      *question);
void md_text_sd_recolored    (MdShape      shape,
                              MdSpot       spot,
                              MdColor      from,
                              MdColor      to,
                              MdText      *answer);
void md_text_sd_missing      (MdShape      shape,
                              MdColor      color,
                              MdSpot       spot,
                              MdText      *answer);

void md_text_dc_describe     (MdColor      ball,
                              gboolean     left_to_right,
                              MdText      *question,
                              MdText      *answer);
void md_text_dc_color        (MdColor      ball,
                              MdText      *question,
                              MdText      *answer);
void md_text_dc_where        (gboolean     at_end,
                              gboolean     on_left,
                              MdText      *question,
                              MdText      *answer);

void md_text_vst_story       (MdAlbumKind  kind,
                              MdText      *question,
                              MdText      *answer);
void md_text_vst_count       (guint        n_photos,
                              MdText      *question,
                              MdText      *answer);

void md_text_txt_fruit       (guint        apples,
                              guint        pears,
                              MdText      *question,
                              MdText      *answer);
void md_text_txt_books       (guint        total,
                              guint        taken,
                              MdText      *question,
                              MdText      *answer);

void md_text_tvc             (guint        which,
                              MdText      *question,
                              MdText      *answer);

G_END_DECLS
