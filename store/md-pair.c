/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include "md-pair-private.h"
#include "md-text-preview.h"

static const char * const modality_names[] = {
  [MD_MODALITY_TEXT] = "text",
  [MD_MODALITY_IMAGE] = "image",
  [MD_MODALITY_IMAGE_PAIR] = "image-pair",
  [MD_MODALITY_MULTI_IMAGE] = "multi-image",
  [MD_MODALITY_VIDEO] = "video",
};

static const char * const empty_strv[] = { NULL };

G_DEFINE_FINAL_TYPE (MdPair, md_pair, G_TYPE_OBJECT)

const char *
md_modality_name (MdModality modality)
{
  g_return_val_if_fail (modality <= MD_MODALITY_VIDEO, NULL);
  return modality_names[modality];
}

gboolean
md_modality_from_name (const char *name,
                       MdModality *out_modality)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (modality_names); i++)
    {
      if (strcmp (name, modality_names[i]) == 0)
        {
          if (out_modality != NULL)
            *out_modality = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
md_pair_finalize (GObject *object)
{
  MdPair *self = MD_PAIR (object);

  g_free (self->id);
  g_free (self->dataset);
  g_free (self->summary);
  for (guint l = 0; l < MD_N_LANGUAGES; l++)
    for (guint f = 0; f < MD_N_FIELDS; f++)
      g_free (self->texts[l][f]);
  g_strfreev (self->image_ids);
  g_strfreev (self->missing_image_ids);
  g_strfreev (self->context_ids);
  g_strfreev (self->dangling_context_ids);

  G_OBJECT_CLASS (md_pair_parent_class)->finalize (object);
}

static void
md_pair_class_init (MdPairClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = md_pair_finalize;
}

static void
md_pair_init (MdPair *self)
{
}

MdPair *
_md_pair_new (void)
{
  return g_object_new (MD_TYPE_PAIR, NULL);
}

char *
_md_pair_make_summary (const char *text)
{
  return md_text_row_summary (text);
}

const char *
md_pair_get_id (MdPair *self)
{
  g_return_val_if_fail (MD_IS_PAIR (self), NULL);
  return self->id;
}

const char *
md_pair_get_dataset (MdPair *self)
{
  g_return_val_if_fail (MD_IS_PAIR (self), NULL);
  return self->dataset;
}

gint64
md_pair_get_order (MdPair *self)
{
  g_return_val_if_fail (MD_IS_PAIR (self), 0);
  return self->order;
}

MdModality
md_pair_get_modality (MdPair *self)
{
  g_return_val_if_fail (MD_IS_PAIR (self), MD_MODALITY_TEXT);
  return self->modality;
}

guint
md_pair_get_n_images (MdPair *self)
{
  g_return_val_if_fail (MD_IS_PAIR (self), 0);
  return self->n_images;
}

guint
md_pair_get_languages (MdPair *self)
{
  g_return_val_if_fail (MD_IS_PAIR (self), 0);
  return self->languages;
}

gboolean
md_pair_is_full (MdPair *self)
{
  g_return_val_if_fail (MD_IS_PAIR (self), FALSE);
  return self->full;
}

const char *
md_pair_get_summary (MdPair *self)
{
  g_return_val_if_fail (MD_IS_PAIR (self), NULL);
  return self->summary ? self->summary : "";
}

guint
md_pair_get_problem_flags (MdPair *self)
{
  g_return_val_if_fail (MD_IS_PAIR (self), 0);
  return self->flags;
}

const char *
md_pair_get_text (MdPair     *self,
                  MdLanguage  language,
                  MdField     field)
{
  g_return_val_if_fail (MD_IS_PAIR (self), NULL);
  g_return_val_if_fail (language < MD_N_LANGUAGES, NULL);
  g_return_val_if_fail (field < MD_N_FIELDS, NULL);
  return self->texts[language][field];
}

#define STRV_OR_EMPTY(v) ((const char * const *) ((v) != NULL ? (v) : (GStrv) empty_strv))

const char * const *
md_pair_get_image_ids (MdPair *self)
{
  g_return_val_if_fail (MD_IS_PAIR (self), NULL);
  return STRV_OR_EMPTY (self->image_ids);
}

const char * const *
md_pair_get_missing_image_ids (MdPair *self)
{
  g_return_val_if_fail (MD_IS_PAIR (self), NULL);
  return STRV_OR_EMPTY (self->missing_image_ids);
}

const char * const *
md_pair_get_context_ids (MdPair *self)
{
  g_return_val_if_fail (MD_IS_PAIR (self), NULL);
  return STRV_OR_EMPTY (self->context_ids);
}

const char * const *
md_pair_get_dangling_context_ids (MdPair *self)
{
  g_return_val_if_fail (MD_IS_PAIR (self), NULL);
  return STRV_OR_EMPTY (self->dangling_context_ids);
}
