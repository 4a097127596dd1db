/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk-syphus"

#include "config.h"

#include <cJSON.h>
#include <string.h>

#include "md-error.h"
#include "md-store-syphus.h"
#include "md-syphus-review.h"

#define MAX_CONTEXT_EXAMPLES 8

guint
md_syphus_frame_index (guint i,
                       guint n_wanted,
                       guint n_frames)
{
  double step;

  g_return_val_if_fail (i < n_wanted && n_wanted <= n_frames, 0);

  /* np.linspace(0, n - 1, N, dtype=int): start + i * step in double, the last one exactly the
   * end, then truncated. */
  if (n_wanted == 1)
    return 0;
  if (i == n_wanted - 1)
    return n_frames - 1;
  step = (double) (n_frames - 1) / (double) (n_wanted - 1);
  return (guint) (i * step);
}

char *
md_syphus_journal_default_path (const char *index_path)
{
  g_return_val_if_fail (index_path != NULL, NULL);

  return g_strconcat (index_path, ".syphus.sqlite", NULL);
}

struct _MdSyphusInput
{
  MdSyphusPairInput  input;
  MdPair            *pair;
  GPtrArray         *owned;      /* strings, pairs and bytes the input points into */
  GArray            *examples;   /* MdSyphusExample */
  GArray            *images;     /* MdSyphusImage */
};

void
md_syphus_input_free (MdSyphusInput *input)
{
  if (input == NULL)
    return;
  g_clear_object (&input->pair);
  g_clear_pointer (&input->examples, g_array_unref);
  g_clear_pointer (&input->images, g_array_unref);
  g_clear_pointer (&input->owned, g_ptr_array_unref);
  g_free (input);
}

typedef struct
{
  gpointer       data;
  GDestroyNotify destroy;
} Owned;

static void
owned_free (gpointer data)
{
  Owned *owned = data;

  owned->destroy (owned->data);
  g_free (owned);
}

static gpointer
own (MdSyphusInput  *input,
     gpointer        data,
     GDestroyNotify  destroy)
{
  Owned *owned;

  if (data == NULL)
    return NULL;
  owned = g_new (Owned, 1);
  owned->data = data;
  owned->destroy = destroy;
  g_ptr_array_add (input->owned, owned);
  return data;
}

/* NULL with @error set when the review file cannot be read. */
static const char *
current_text (MdSyphusInput  *input,
              MdReviewStore  *review,
              MdPair         *pair,
              MdField         field,
              GError        **error)
{
  const char *original = md_pair_get_text (pair, MD_LANGUAGE_EN, field);

  if (review == NULL || (error != NULL && *error != NULL))
    return original;
  return own (input, md_review_store_get_text (review, md_pair_get_dataset (pair),
                                               md_pair_get_id (pair), MD_LANGUAGE_EN, field,
                                               original, error), g_free);
}

MdSyphusInput *
md_syphus_input_load (MdStore          *store,
                      MdReviewStore    *review,
                      const char       *pair_id,
                      MdSyphusJobKind   kind,
                      gboolean          vision,
                      guint             max_frames,
                      GError          **error)
{
  g_autoptr(MdSyphusInput) input = g_new0 (MdSyphusInput, 1);
  const char * const *context_ids;
  const char * const *image_ids;
  MdPair *pair;

  g_return_val_if_fail (MD_IS_STORE (store), NULL);
  g_return_val_if_fail (review == NULL || MD_IS_REVIEW_STORE (review), NULL);
  g_return_val_if_fail (pair_id != NULL, NULL);

  input->owned = g_ptr_array_new_with_free_func (owned_free);
  input->examples = g_array_new (FALSE, TRUE, sizeof (MdSyphusExample));
  input->images = g_array_new (FALSE, TRUE, sizeof (MdSyphusImage));

  pair = md_store_get_pair (store, pair_id, error);
  if (pair == NULL)
    return NULL;
  input->pair = pair;

  context_ids = md_pair_get_context_ids (pair);
  for (guint i = 0; kind == MD_SYPHUS_JOB_REGENERATE && context_ids != NULL &&
       context_ids[i] != NULL && input->examples->len < MAX_CONTEXT_EXAMPLES; i++)
    {
      MdPair *example = md_store_get_pair (store, context_ids[i], NULL);
      MdSyphusExample item;

      if (example == NULL)
        continue;   /* dangling: the index already reports it */
      own (input, example, g_object_unref);
      item.instruction = current_text (input, review, example, MD_FIELD_INSTRUCTION, error);
      item.answer = current_text (input, review, example, MD_FIELD_ANSWER, error);
      if (error != NULL && *error != NULL)
        return NULL;
      g_array_append_val (input->examples, item);
    }

  image_ids = md_pair_get_image_ids (pair);
  if (vision && image_ids != NULL)
    {
      guint n_ids = g_strv_length ((char **) image_ids);
      guint n_wanted = max_frames == 0 || max_frames > n_ids ? n_ids : max_frames;

      for (guint i = 0; i < n_wanted; i++)
        {
          g_autoptr(GError) image_error = NULL;
          guint index = md_syphus_frame_index (i, n_wanted, n_ids);
          char *mime = NULL;
          GBytes *bytes = md_store_load_image (store, image_ids[index], &mime, &image_error);
          MdSyphusImage item;

          if (bytes == NULL)
            {
              /* A missing frame does not stop the request: the model sees the others. */
              g_debug ("%s: %s", pair_id, image_error->message);
              continue;
            }
          item.data = own (input, bytes, (GDestroyNotify) g_bytes_unref);
          item.mime_type = own (input, mime, g_free);
          g_array_append_val (input->images, item);
        }
    }

  if (kind == MD_SYPHUS_JOB_REGENERATE)
    {
      char *path = NULL;
      char *sentences = md_store_get_query_sentences (store, pair_id, image_ids, &path, error);

      if (sentences == NULL && error != NULL && *error != NULL)
        return NULL;
      input->input.annotations = own (input, sentences, g_free);
      input->input.annotations_path = own (input, path, g_free);
    }

  input->input.id = md_pair_get_id (pair);
  input->input.dataset = md_pair_get_dataset (pair);
  input->input.instruction = current_text (input, review, pair, MD_FIELD_INSTRUCTION, error);
  input->input.answer = current_text (input, review, pair, MD_FIELD_ANSWER, error);
  if (error != NULL && *error != NULL)
    return NULL;
  if (review != NULL)
    {
      g_autoptr(MdReviewState) state = md_review_store_get_state (review, input->input.dataset,
                                                                  input->input.id, "", NULL);

      if (state != NULL && state->note != NULL && state->note[0] != '\0')
        input->input.reviewer_note = own (input, g_strdup (state->note), g_free);
    }
  input->input.examples = (const MdSyphusExample *) (gpointer) input->examples->data;
  input->input.n_examples = input->examples->len;
  input->input.images = (const MdSyphusImage *) (gpointer) input->images->data;
  input->input.n_images = input->images->len;
  return g_steal_pointer (&input);
}

const MdSyphusPairInput *
md_syphus_input_get (MdSyphusInput *input)
{
  g_return_val_if_fail (input != NULL, NULL);
  return &input->input;
}

MdPair *
md_syphus_input_get_pair (MdSyphusInput *input)
{
  g_return_val_if_fail (input != NULL, NULL);
  return input->pair;
}

/* Proposals ------------------------------------------------------------------------------- */

void
md_syphus_proposal_free (MdSyphusProposal *proposal)
{
  if (proposal == NULL)
    return;
  g_free (proposal->text);
  g_free (proposal);
}

static void
add_proposal (GPtrArray  *proposals,
              MdLanguage  lang,
              MdField     field,
              const char *text)
{
  MdSyphusProposal *proposal;

  if (text == NULL || text[0] == '\0')
    return;
  proposal = g_new0 (MdSyphusProposal, 1);
  proposal->lang = lang;
  proposal->field = field;
  proposal->text = g_strdup (text);
  g_ptr_array_add (proposals, proposal);
}

static const char *
json_string (const cJSON *object,
             const char  *key)
{
  const cJSON *item = cJSON_GetObjectItemCaseSensitive (object, key);

  return cJSON_IsString (item) ? item->valuestring : NULL;
}

GPtrArray *
md_syphus_generation_proposals (const MdSyphusGeneration  *generation,
                                GError                   **error)
{
  g_autoptr(GPtrArray) proposals = NULL;
  cJSON *root;

  g_return_val_if_fail (generation != NULL, NULL);

  root = generation->parsed != NULL ? cJSON_Parse (generation->parsed) : NULL;
  if (root == NULL)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "generation %" G_GINT64_FORMAT " of pair %s: no parsed reply to take texts "
                   "from (status “%s”)", generation->id, generation->pair_id,
                   generation->status != NULL ? generation->status : "?");
      return NULL;
    }

  proposals = g_ptr_array_new_with_free_func ((GDestroyNotify) md_syphus_proposal_free);
  if (generation->kind == MD_SYPHUS_JOB_REGENERATE)
    {
      /* One pair was asked for; a reply with several keeps the first, the rest stay in the
       * journal's raw reply. */
      const cJSON *first = cJSON_GetArrayItem (cJSON_GetObjectItemCaseSensitive (root, "pairs"), 0);

      add_proposal (proposals, MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION,
                    json_string (first, "question"));
      add_proposal (proposals, MD_LANGUAGE_EN, MD_FIELD_ANSWER, json_string (first, "answer"));
    }
  else
    {
      const cJSON *a = cJSON_GetObjectItemCaseSensitive (root, "a");
      const cJSON *b = cJSON_GetObjectItemCaseSensitive (root, "b");

      for (MdLanguage lang = MD_LANGUAGE_EN + 1; lang < MD_N_LANGUAGES; lang++)
        {
          add_proposal (proposals, lang, MD_FIELD_INSTRUCTION,
                        json_string (a, md_language_code (lang)));
          add_proposal (proposals, lang, MD_FIELD_ANSWER, json_string (b, md_language_code (lang)));
        }
    }
  cJSON_Delete (root);

  if (proposals->len == 0)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "generation %" G_GINT64_FORMAT " of pair %s: the parsed reply holds no text",
                   generation->id, generation->pair_id);
      return NULL;
    }
  return g_steal_pointer (&proposals);
}

/* Writer ---------------------------------------------------------------------------------- */

struct _MdSyphusReviewWriter
{
  MdReviewStore *review;
  MdStore       *store;
  guint          mask;   /* what the journal's accept callback writes */
};

MdSyphusReviewWriter *
md_syphus_review_writer_new (MdReviewStore *review,
                             MdStore       *store)
{
  MdSyphusReviewWriter *writer;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (review), NULL);
  g_return_val_if_fail (store == NULL || MD_IS_STORE (store), NULL);

  writer = g_new0 (MdSyphusReviewWriter, 1);
  writer->review = g_object_ref (review);
  writer->store = store != NULL ? g_object_ref (store) : NULL;
  writer->mask = MD_SYPHUS_PROPOSAL_ALL;
  return writer;
}

void
md_syphus_review_writer_free (MdSyphusReviewWriter *writer)
{
  if (writer == NULL)
    return;
  g_clear_object (&writer->review);
  g_clear_object (&writer->store);
  g_free (writer);
}

int
md_syphus_review_writer_apply (MdSyphusReviewWriter      *writer,
                               const MdSyphusGeneration  *generation,
                               guint                      mask,
                               GError                   **error)
{
  g_autoptr(GPtrArray) proposals = NULL;
  g_autoptr(MdPair) pair = NULL;
  int n_changed = 0;

  g_return_val_if_fail (writer != NULL, -1);
  g_return_val_if_fail (generation != NULL, -1);

  if (mask == 0)
    return 0;
  proposals = md_syphus_generation_proposals (generation, error);
  if (proposals == NULL)
    return -1;
  /* The review log is append-only: a text too long to be one would stay in it for good. Checked
   * before anything is written, so that a generation goes in whole or not at all. */
  for (guint i = 0; i < proposals->len; i++)
    {
      MdSyphusProposal *proposal = g_ptr_array_index (proposals, i);
      gsize length = strlen (proposal->text);

      if ((mask & MD_SYPHUS_PROPOSAL_BIT (proposal->lang, proposal->field)) == 0 ||
          length <= MD_SYPHUS_MAX_TEXT_BYTES)
        continue;
      g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                   "generation %" G_GINT64_FORMAT " of pair %s: the proposed %s %s has %"
                   G_GSIZE_FORMAT " bytes, more than the %u a text may have; nothing was written",
                   generation->id, generation->pair_id, md_language_code (proposal->lang),
                   proposal->field == MD_FIELD_INSTRUCTION ? "instruction" : "answer", length,
                   (guint) MD_SYPHUS_MAX_TEXT_BYTES);
      return -1;
    }
  if (writer->store != NULL)
    pair = md_store_get_pair (writer->store, generation->pair_id, NULL);

  for (guint i = 0; i < proposals->len; i++)
    {
      MdSyphusProposal *proposal = g_ptr_array_index (proposals, i);
      const char *original;
      gint64 action;

      if ((mask & MD_SYPHUS_PROPOSAL_BIT (proposal->lang, proposal->field)) == 0)
        continue;
      original = pair != NULL ? md_pair_get_text (pair, proposal->lang, proposal->field) : NULL;
      action = md_review_store_edit_text (writer->review, generation->dataset,
                                          generation->pair_id, proposal->lang, proposal->field,
                                          original, proposal->text, generation->model,
                                          MD_REVIEW_AUTHOR_MODEL, error);
      if (action < 0)
        return -1;
      if (action > 0)
        n_changed++;
    }
  return n_changed;
}

static gboolean
on_accept (const MdSyphusGeneration  *generation,
           gpointer                   user_data,
           GError                   **error)
{
  MdSyphusReviewWriter *writer = user_data;

  return md_syphus_review_writer_apply (writer, generation, writer->mask, error) >= 0;
}

void
md_syphus_review_writer_attach (MdSyphusReviewWriter *writer,
                                MdSyphusJournal      *journal)
{
  g_return_if_fail (writer != NULL);
  g_return_if_fail (MD_IS_SYPHUS_JOURNAL (journal));

  md_syphus_journal_set_accept_func (journal, on_accept, writer, NULL);
}

gboolean
md_syphus_review_writer_accept (MdSyphusReviewWriter  *writer,
                                MdSyphusJournal       *journal,
                                gint64                 generation_id,
                                guint                  mask,
                                GError               **error)
{
  gboolean ok;

  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (MD_IS_SYPHUS_JOURNAL (journal), FALSE);

  writer->mask = mask;
  ok = md_syphus_journal_set_verdict (journal, generation_id, MD_SYPHUS_VERDICT_ACCEPTED, error);
  writer->mask = MD_SYPHUS_PROPOSAL_ALL;
  return ok;
}
