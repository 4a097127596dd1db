/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A batch of Syphus requests: which prompt each dataset uses, and the plan (the input, prompt
 * and exact request body of every pair), shared by the CLI, the Syphus panel and the batch view.
 *
 * The prompt of a dataset, first found wins:
 *   1. the prompt given for every pair (`--prompt`);
 *   2. the file chosen for the dataset in Preferences (md_syphus_batch_set_dataset_prompt());
 *   3. an imported prompt file with Otter's name for the dataset: dense_captions (DC),
 *      tv_captions (TVC), visual_story_telling (VST), spot_the_difference (SD),
 *      coco_spot_the_difference (CGD), scene_navigation (SN), ego4d (E4D), funqa_* (FunQA; the
 *      one named after the dataset's suffix, else the first by name), translation (translation
 *      jobs); a "_prompt" suffix of the name (Otter's .py modules) is ignored; or an imported
 *      file named after the task code itself (DC.json);
 *   4. the prompt installed with MIMIC Desk (md_syphus_prompt_default_path());
 *   5. for translation, the built-in translation prompt. */

#include <gio/gio.h>

#include "md-store.h"
#include "md-syphus-prompt.h"
#include "md-syphus-request.h"
#include "md-syphus-review.h"

G_BEGIN_DECLS

/* Where a dataset's prompt came from (the numbers of the list above). */
typedef enum
{
  MD_SYPHUS_PROMPT_GIVEN,
  MD_SYPHUS_PROMPT_PREFERENCES,
  MD_SYPHUS_PROMPT_IMPORTED,
  MD_SYPHUS_PROMPT_BUNDLED,
  MD_SYPHUS_PROMPT_BUILTIN,
} MdSyphusPromptOrigin;

/* A translatable word for @origin ("given", "Preferences", "imported", ...). */
const char *md_syphus_prompt_origin_describe (MdSyphusPromptOrigin origin);

typedef struct
{
  char                 *dataset;
  MdSyphusPrompt       *prompt;
  char                 *path;      /* the file; NULL for the built-in prompt */
  MdSyphusPromptOrigin  origin;
} MdSyphusPromptChoice;

void md_syphus_prompt_choice_free (MdSyphusPromptChoice *choice);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSyphusPromptChoice, md_syphus_prompt_choice_free)

/* Chooses the prompt of @dataset by the rules above (blocking: it reads the prompt file).
 * @given_path may be NULL; @dataset_paths (dataset code to path, may be NULL) are the Preferences
 * choices; @store gives the imported prompt files. */
MdSyphusPromptChoice *md_syphus_prompt_choose (MdStore          *store,
                                               MdSyphusJobKind   kind,
                                               const char       *dataset,
                                               const char       *given_path,
                                               GHashTable       *dataset_paths,
                                               GError          **error);

/* One pair of a plan. */
typedef struct
{
  char                       *pair_id;
  char                       *dataset;       /* NULL when the pair could not be read */
  MdSyphusInput              *input;         /* NULL on error */
  const MdSyphusPromptChoice *choice;        /* owned by the plan; NULL on error */
  char                       *body;          /* the request; NULL on error */
  GError                     *error;         /* why the pair cannot be sent */
} MdSyphusPlanItem;

typedef struct
{
  MdSyphusJobKind kind;
  GPtrArray *items;       /* of MdSyphusPlanItem, in the order of the ids */
  GPtrArray *choices;     /* of MdSyphusPromptChoice, one per dataset, in first-use order */
  guint      n_errors;
  guint      n_without_annotations;   /* regeneration items with no source annotations */
  guint64    n_chars;     /* request characters of the items that can be sent */
} MdSyphusPlan;

void md_syphus_plan_free (MdSyphusPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSyphusPlan, md_syphus_plan_free)

#define MD_TYPE_SYPHUS_BATCH (md_syphus_batch_get_type ())
G_DECLARE_FINAL_TYPE (MdSyphusBatch, md_syphus_batch, MD, SYPHUS_BATCH, GObject)

/* A batch over the index at @index_path; with @review_path, texts are the current ones and notes
 * the reviewer's. Each plan opens its own connections (it runs in a worker thread). */
MdSyphusBatch *md_syphus_batch_new                (MdSyphusJobKind                kind,
                                                   const char                    *index_path,
                                                   const char                    *review_path);
MdSyphusJobKind md_syphus_batch_get_kind          (MdSyphusBatch                 *self);
/* Copied (the model string too). */
void           md_syphus_batch_set_options        (MdSyphusBatch                 *self,
                                                   const MdSyphusRequestOptions  *options);
const MdSyphusRequestOptions *md_syphus_batch_get_options (MdSyphusBatch         *self);
/* The prompt of every pair (`--prompt`); NULL to choose per dataset. */
void           md_syphus_batch_set_prompt_path    (MdSyphusBatch                 *self,
                                                   const char                    *path);
/* The Preferences choice for @dataset; NULL @path removes it. */
void           md_syphus_batch_set_dataset_prompt (MdSyphusBatch                 *self,
                                                   const char                    *dataset,
                                                   const char                    *path);

/* The Preferences choices (the GSettings key syphus-prompts, type a{ss}) as a table of dataset
 * to path for md_syphus_prompt_choose(), or set on @self. */
GHashTable    *md_syphus_prompt_paths_from_variant (GVariant                    *prompts);
void           md_syphus_batch_set_dataset_prompts (MdSyphusBatch               *self,
                                                    GVariant                    *prompts);

/* Blocking: reads every pair, chooses prompts and builds the request bodies. Items that cannot
 * be sent carry their error; the plan fails only when the index cannot be opened or
 * @cancellable is cancelled. */
MdSyphusPlan  *md_syphus_batch_plan               (MdSyphusBatch                 *self,
                                                   const char * const            *pair_ids,
                                                   GCancellable                  *cancellable,
                                                   GError                       **error);
void           md_syphus_batch_plan_async         (MdSyphusBatch                 *self,
                                                   const char * const            *pair_ids,
                                                   GCancellable                  *cancellable,
                                                   GAsyncReadyCallback            callback,
                                                   gpointer                       user_data);
MdSyphusPlan  *md_syphus_batch_plan_finish        (MdSyphusBatch                 *self,
                                                   GAsyncResult                  *result,
                                                   GError                       **error);

G_END_DECLS
