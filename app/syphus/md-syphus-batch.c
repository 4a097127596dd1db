/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-syphus"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "md-error.h"
#include "md-review-store.h"
#include "md-store-syphus.h"
#include "md-syphus-batch.h"
#include "md-syphus-config.h"

struct _MdSyphusBatch
{
  GObject                 parent_instance;

  MdSyphusJobKind         kind;
  char                   *index_path;
  char                   *review_path;
  MdSyphusRequestOptions  options;
  char                   *model;          /* options.model points here */
  char                   *prompt_path;
  GHashTable             *dataset_paths;  /* code -> path */
};

G_DEFINE_FINAL_TYPE (MdSyphusBatch, md_syphus_batch, G_TYPE_OBJECT)

/* Prompt choice -------------------------------------------------------------------------------- */

const char *
md_syphus_prompt_origin_describe (MdSyphusPromptOrigin origin)
{
  switch (origin)
    {
    case MD_SYPHUS_PROMPT_GIVEN: return _("given for the batch");
    case MD_SYPHUS_PROMPT_PREFERENCES: return _("chosen in Preferences");
    case MD_SYPHUS_PROMPT_IMPORTED: return _("imported");
    case MD_SYPHUS_PROMPT_BUNDLED: return _("installed with MIMIC Desk");
    case MD_SYPHUS_PROMPT_BUILTIN:
    default: return _("built in");
    }
}

void
md_syphus_prompt_choice_free (MdSyphusPromptChoice *choice)
{
  if (choice == NULL)
    return;
  g_free (choice->dataset);
  g_clear_object (&choice->prompt);
  g_free (choice->path);
  g_free (choice);
}

/* Otter's prompt files are named after the task (mimic-it/syphus/prompts). */
static const struct
{
  const char *code;
  const char *name;
} otter_names[] = {
  { "DC", "dense_captions" },
  { "TVC", "tv_captions" },
  { "VST", "visual_story_telling" },
  { "SD", "spot_the_difference" },
  { "CGD", "coco_spot_the_difference" },
  { "SN", "scene_navigation" },
  { "E4D", "ego4d" },
};

/* "coco_spot_the_difference_prompt" and "coco_spot_the_difference" are one name. */
static gboolean
name_is (const char *file_name,
         const char *wanted)
{
  gsize len = strlen (wanted);

  return g_ascii_strncasecmp (file_name, wanted, len) == 0 &&
         (file_name[len] == '\0' || g_ascii_strcasecmp (file_name + len, "_prompt") == 0);
}

static const MdStorePrompt *
find_imported (GPtrArray       *imported,
               MdSyphusJobKind  kind,
               const char      *dataset)
{
  const char *wanted = NULL;

  if (kind == MD_SYPHUS_JOB_TRANSLATE)
    wanted = "translation";
  for (guint i = 0; wanted == NULL && i < G_N_ELEMENTS (otter_names); i++)
    if (strcmp (dataset, otter_names[i].code) == 0)
      wanted = otter_names[i].name;

  for (guint i = 0; wanted != NULL && i < imported->len; i++)
    {
      const MdStorePrompt *prompt = g_ptr_array_index (imported, i);

      if (name_is (prompt->name, wanted))
        return prompt;
    }

  if (kind == MD_SYPHUS_JOB_REGENERATE && g_ascii_strncasecmp (dataset, "FunQA", 5) == 0)
    {
      /* funqa_dia, funqa_mcqa, funqa_translation: the one of the dataset's suffix, else the first. */
      const MdStorePrompt *first = NULL;

      for (guint i = 0; i < imported->len; i++)
        {
          const MdStorePrompt *prompt = g_ptr_array_index (imported, i);

          if (g_ascii_strncasecmp (prompt->name, "funqa_", 6) != 0)
            continue;
          if (dataset[5] == '_' && name_is (prompt->name + 6, dataset + 6))
            return prompt;
          if (first == NULL)
            first = prompt;
        }
      if (first != NULL)
        return first;
    }

  /* A file named after the code itself ("DC.json"). */
  for (guint i = 0; kind == MD_SYPHUS_JOB_REGENERATE && i < imported->len; i++)
    {
      const MdStorePrompt *prompt = g_ptr_array_index (imported, i);

      if (strcmp (prompt->name, dataset) == 0)
        return prompt;
    }
  return NULL;
}

MdSyphusPromptChoice *
md_syphus_prompt_choose (MdStore          *store,
                         MdSyphusJobKind   kind,
                         const char       *dataset,
                         const char       *given_path,
                         GHashTable       *dataset_paths,
                         GError          **error)
{
  g_autoptr(MdSyphusPromptChoice) choice = g_new0 (MdSyphusPromptChoice, 1);
  const char *key = kind == MD_SYPHUS_JOB_TRANSLATE ? "translation" : dataset;
  const char *preferred = dataset_paths != NULL ? g_hash_table_lookup (dataset_paths, key) : NULL;

  g_return_val_if_fail (store == NULL || MD_IS_STORE (store), NULL);
  g_return_val_if_fail (dataset != NULL, NULL);

  choice->dataset = g_strdup (dataset);
  if (given_path != NULL)
    {
      choice->path = g_strdup (given_path);
      choice->origin = MD_SYPHUS_PROMPT_GIVEN;
    }
  else if (preferred != NULL && *preferred != '\0')
    {
      choice->path = g_strdup (preferred);
      choice->origin = MD_SYPHUS_PROMPT_PREFERENCES;
    }
  else
    {
      g_autoptr(GPtrArray) imported = NULL;
      const MdStorePrompt *found = NULL;

      if (store != NULL)
        {
          imported = md_store_list_prompts (store, error);
          if (imported == NULL)
            return NULL;
          found = find_imported (imported, kind, dataset);
        }
      if (found != NULL)
        {
          choice->path = g_strdup (found->path);
          choice->origin = MD_SYPHUS_PROMPT_IMPORTED;
        }
      else
        {
          choice->path = md_syphus_prompt_default_path (kind, dataset);
          choice->origin = MD_SYPHUS_PROMPT_BUNDLED;
        }
    }

  if (choice->path != NULL)
    choice->prompt = md_syphus_prompt_new_from_file (choice->path, error);
  else if (kind == MD_SYPHUS_JOB_TRANSLATE)
    {
      choice->origin = MD_SYPHUS_PROMPT_BUILTIN;
      choice->prompt = md_syphus_prompt_new_simple ("builtin:translate",
                                                    md_syphus_request_default_translation_prompt ());
    }
  else
    g_set_error (error, MD_ERROR, MD_ERROR_NOT_FOUND,
                 _("no Syphus prompt file for dataset %s: import Otter's prompts folder, or give "
                   "one (--prompt FILE, or Preferences)"), dataset);
  if (choice->prompt == NULL)
    return NULL;
  return g_steal_pointer (&choice);
}

/* The batch --------------------------------------------------------------------------------- */

static void
md_syphus_batch_finalize (GObject *object)
{
  MdSyphusBatch *self = MD_SYPHUS_BATCH (object);

  g_free (self->index_path);
  g_free (self->review_path);
  g_free (self->model);
  g_free (self->prompt_path);
  g_hash_table_unref (self->dataset_paths);

  G_OBJECT_CLASS (md_syphus_batch_parent_class)->finalize (object);
}

static void
md_syphus_batch_class_init (MdSyphusBatchClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = md_syphus_batch_finalize;
}

static void
md_syphus_batch_init (MdSyphusBatch *self)
{
  self->dataset_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  md_syphus_request_options_init (&self->options, NULL);
}

MdSyphusBatch *
md_syphus_batch_new (MdSyphusJobKind  kind,
                     const char      *index_path,
                     const char      *review_path)
{
  MdSyphusBatch *self;

  g_return_val_if_fail (index_path != NULL, NULL);

  self = g_object_new (MD_TYPE_SYPHUS_BATCH, NULL);
  self->kind = kind;
  self->index_path = g_strdup (index_path);
  self->review_path = g_strdup (review_path);
  return self;
}

MdSyphusJobKind
md_syphus_batch_get_kind (MdSyphusBatch *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_BATCH (self), MD_SYPHUS_JOB_REGENERATE);
  return self->kind;
}

void
md_syphus_batch_set_options (MdSyphusBatch                *self,
                             const MdSyphusRequestOptions *options)
{
  g_return_if_fail (MD_IS_SYPHUS_BATCH (self));
  g_return_if_fail (options != NULL);

  g_free (self->model);
  self->model = g_strdup (options->model);
  self->options = *options;
  self->options.model = self->model;
}

const MdSyphusRequestOptions *
md_syphus_batch_get_options (MdSyphusBatch *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_BATCH (self), NULL);
  return &self->options;
}

void
md_syphus_batch_set_prompt_path (MdSyphusBatch *self,
                                 const char    *path)
{
  g_return_if_fail (MD_IS_SYPHUS_BATCH (self));

  g_free (self->prompt_path);
  self->prompt_path = g_strdup (path);
}

void
md_syphus_batch_set_dataset_prompt (MdSyphusBatch *self,
                                    const char    *dataset,
                                    const char    *path)
{
  g_return_if_fail (MD_IS_SYPHUS_BATCH (self));
  g_return_if_fail (dataset != NULL);

  if (path == NULL)
    g_hash_table_remove (self->dataset_paths, dataset);
  else
    g_hash_table_replace (self->dataset_paths, g_strdup (dataset), g_strdup (path));
}

GHashTable *
md_syphus_prompt_paths_from_variant (GVariant *prompts)
{
  GHashTable *paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GVariantIter iter;
  const char *dataset;
  const char *path;

  if (prompts == NULL || !g_variant_is_of_type (prompts, G_VARIANT_TYPE ("a{ss}")))
    return paths;
  g_variant_iter_init (&iter, prompts);
  while (g_variant_iter_next (&iter, "{&s&s}", &dataset, &path))
    if (*path != '\0')
      g_hash_table_replace (paths, g_strdup (dataset), g_strdup (path));
  return paths;
}

void
md_syphus_batch_set_dataset_prompts (MdSyphusBatch *self,
                                     GVariant      *prompts)
{
  g_autoptr(GHashTable) paths = md_syphus_prompt_paths_from_variant (prompts);
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (MD_IS_SYPHUS_BATCH (self));

  g_hash_table_iter_init (&iter, paths);
  while (g_hash_table_iter_next (&iter, &key, &value))
    md_syphus_batch_set_dataset_prompt (self, key, value);
}

static void
plan_item_free (MdSyphusPlanItem *item)
{
  g_free (item->pair_id);
  g_free (item->dataset);
  g_clear_pointer (&item->input, md_syphus_input_free);
  g_free (item->body);
  g_clear_error (&item->error);
  g_free (item);
}

void
md_syphus_plan_free (MdSyphusPlan *plan)
{
  if (plan == NULL)
    return;
  g_ptr_array_unref (plan->items);
  g_ptr_array_unref (plan->choices);
  g_free (plan);
}

/* The choice of @dataset, made once per plan; a failed choice is kept as its error. */
static const MdSyphusPromptChoice *
choice_for (MdSyphusBatch  *self,
            MdStore        *store,
            MdSyphusPlan   *plan,
            GHashTable     *failures,
            const char     *dataset,
            GError        **error)
{
  const GError *failed = g_hash_table_lookup (failures, dataset);
  MdSyphusPromptChoice *choice;
  GError *local_error = NULL;

  for (guint i = 0; i < plan->choices->len; i++)
    {
      choice = g_ptr_array_index (plan->choices, i);
      if (strcmp (choice->dataset, dataset) == 0)
        return choice;
    }
  if (failed != NULL)
    {
      g_propagate_error (error, g_error_copy (failed));
      return NULL;
    }
  choice = md_syphus_prompt_choose (store, self->kind, dataset, self->prompt_path,
                                    self->dataset_paths, &local_error);
  if (choice == NULL)
    {
      g_hash_table_insert (failures, g_strdup (dataset), g_error_copy (local_error));
      g_propagate_error (error, local_error);
      return NULL;
    }
  g_ptr_array_add (plan->choices, choice);
  return choice;
}

MdSyphusPlan *
md_syphus_batch_plan (MdSyphusBatch       *self,
                      const char * const  *pair_ids,
                      GCancellable        *cancellable,
                      GError             **error)
{
  g_autoptr(MdStore) store = NULL;
  g_autoptr(MdReviewStore) review = NULL;
  g_autoptr(MdSyphusPlan) plan = NULL;
  g_autoptr(GHashTable) failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) g_error_free);

  g_return_val_if_fail (MD_IS_SYPHUS_BATCH (self), NULL);

  store = md_store_open (self->index_path, error);
  if (store == NULL)
    return NULL;
  if (self->review_path != NULL)
    {
      review = md_review_store_open (self->review_path, error);
      if (review == NULL)
        return NULL;
    }

  plan = g_new0 (MdSyphusPlan, 1);
  plan->kind = self->kind;
  plan->items = g_ptr_array_new_with_free_func ((GDestroyNotify) plan_item_free);
  plan->choices = g_ptr_array_new_with_free_func ((GDestroyNotify) md_syphus_prompt_choice_free);

  for (guint i = 0; pair_ids != NULL && pair_ids[i] != NULL; i++)
    {
      MdSyphusPlanItem *item = g_new0 (MdSyphusPlanItem, 1);
      const MdSyphusPairInput *input;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          plan_item_free (item);
          return NULL;
        }
      g_ptr_array_add (plan->items, item);
      item->pair_id = g_strdup (pair_ids[i]);
      item->input = md_syphus_input_load (store, review, pair_ids[i], self->kind,
                                          self->options.vision, self->options.max_frames,
                                          &item->error);
      if (item->input == NULL)
        {
          plan->n_errors++;
          continue;
        }
      input = md_syphus_input_get (item->input);
      item->dataset = g_strdup (input->dataset);
      item->choice = choice_for (self, store, plan, failures, input->dataset, &item->error);
      if (item->choice != NULL)
        item->body = md_syphus_request_build (self->kind, item->choice->prompt, input,
                                              &self->options, &item->error);
      if (item->body == NULL)
        {
          plan->n_errors++;
          continue;
        }
      if (self->kind == MD_SYPHUS_JOB_REGENERATE &&
          (input->annotations == NULL || input->annotations[0] == '\0'))
        plan->n_without_annotations++;
      plan->n_chars += strlen (item->body);
    }
  return g_steal_pointer (&plan);
}

static void
plan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  MdSyphusPlan *plan = md_syphus_batch_plan (source_object, task_data, cancellable, &error);

  if (plan == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, plan, (GDestroyNotify) md_syphus_plan_free);
}

void
md_syphus_batch_plan_async (MdSyphusBatch       *self,
                            const char * const  *pair_ids,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MD_IS_SYPHUS_BATCH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_syphus_batch_plan_async);
  g_task_set_task_data (task, g_strdupv ((char **) pair_ids), (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, plan_thread);
}

MdSyphusPlan *
md_syphus_batch_plan_finish (MdSyphusBatch  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (MD_IS_SYPHUS_BATCH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
