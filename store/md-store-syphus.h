/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What the index keeps for Syphus: the prompt files imported (Otter's JSON files and .py
 * modules, read again from their paths when a request is built) and the user turns of the queries
 * of imported Syphus output folders (query_input.json). */

#include "md-store.h"

G_BEGIN_DECLS

typedef struct
{
  char *name;   /* the file's name without extension, e.g. "dense_captions" */
  char *path;
} MdStorePrompt;

void       md_store_prompt_free   (MdStorePrompt *prompt);

/* The imported prompt files, by name (element type MdStorePrompt). */
GPtrArray *md_store_list_prompts  (MdStore       *self,
                                   GError       **error);

/* The user turn Syphus sent for a pair when it was generated: the `sentences` of the
 * query_input.json entry whose id is the pair's id, or else the source key of the clip of its
 * first image ("DC_IMG_v_abc_0003" gives "v_abc", the video Syphus was asked about). NULL without
 * an error when no imported query matches. @out_path (optional) gets the query_input.json file. */
char      *md_store_get_query_sentences (MdStore            *self,
                                         const char         *pair_id,
                                         const char * const *image_ids,
                                         char              **out_path,
                                         GError            **error);

G_END_DECLS
