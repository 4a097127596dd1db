/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Building the body of one chat-completion request for one pair. The inputs are plain structs
 * filled by the caller (from the store, the review file or a test), so this file does not depend
 * on how pairs are stored. Nothing here knows the API key. */

#include <gio/gio.h>

#include "md-syphus-prompt.h"

G_BEGIN_DECLS

typedef enum
{
  MD_SYPHUS_JOB_REGENERATE,
  MD_SYPHUS_JOB_TRANSLATE,
} MdSyphusJobKind;

const char *md_syphus_job_kind_name      (MdSyphusJobKind  kind);
gboolean    md_syphus_job_kind_from_name (const char      *name,
                                          MdSyphusJobKind *out_kind);

typedef struct
{
  const char *instruction;
  const char *answer;
} MdSyphusExample;

typedef struct
{
  GBytes     *data;        /* decoded PNG or JPEG bytes */
  const char *mime_type;   /* "image/png" or "image/jpeg" */
} MdSyphusImage;

typedef struct
{
  const char            *id;             /* e.g. "DC_INS_00001" */
  const char            *dataset;        /* task code, e.g. "DC" */
  const char            *instruction;    /* current English text (with edits applied) */
  const char            *answer;
  const char            *reviewer_note;  /* may be NULL */
  const char            *annotations;    /* the user turn Syphus sent (query_input.json
                                          * sentences); may be NULL */
  const char            *annotations_path; /* the query_input.json it came from; may be NULL */
  const MdSyphusExample *examples;       /* in-context pairs, in order */
  guint                  n_examples;
  const MdSyphusImage   *images;         /* in frame order; only sent to vision models */
  guint                  n_images;
} MdSyphusPairInput;

typedef struct
{
  const char *model;
  double      temperature;
  int         max_tokens;
  double      top_p;
  gboolean    stream;
  gboolean    vision;       /* attach images as data URLs */
  guint       max_frames;   /* N images sampled across a clip; 0 means all */
} MdSyphusRequestOptions;

/* Sets the MIMIC-IT defaults (temperature 0.7, max_tokens 3200, top_p 0.95, streaming on, no
 * images, 8 frames). */
void   md_syphus_request_options_init (MdSyphusRequestOptions       *options,
                                       const char                   *model);

/* Said wherever a regeneration request has no source annotations to send. */
const char *md_syphus_request_no_annotations_note (void);

/* The text of the last user turn. For regeneration: the annotations when present, exactly (the
 * user turn Syphus sent), else a request to rewrite the current pair from its text, its
 * in-context pairs and the reviewer's note. For translation:
 * <a>INSTRUCTION</a><b>ANSWER</b>. */
char  *md_syphus_request_build_query  (MdSyphusJobKind               kind,
                                       const MdSyphusPairInput      *input);

/* The JSON body of POST /v1/chat/completions: system message, the prompt's in-context turns in
 * order, then the query (with images as OpenAI content parts when options->vision is set). */
char  *md_syphus_request_build        (MdSyphusJobKind               kind,
                                       MdSyphusPrompt               *prompt,
                                       const MdSyphusPairInput      *input,
                                       const MdSyphusRequestOptions *options,
                                       GError                      **error);

/* The system message used for translation when no prompt file is given. */
const char *md_syphus_request_default_translation_prompt (void);

G_END_DECLS
