/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-export"

#include "config.h"

#include <string.h>

#include "md-export-private.h"

/* otter_data.yaml: the training data file Otter's trainer takes (--training_data_yaml). Its
 * top-level keys are the four groups Otter knows, each mapping dataset names to the keys its
 * MimicitDataset reads: mimicit_path, images_path, train_config_path and num_samples. Otter
 * opens the paths as they are, so they are relative to the export folder: train from there.
 * Every string is double-quoted (JSON quoting is YAML), so no code reads as a number or a
 * boolean. */

typedef enum
{
  GROUP_IMAGE_TEXT,
  GROUP_TEXT_ONLY,
  GROUP_IMAGE_TEXT_IN_CONTEXT,
  GROUP_VIDEO_TEXT,
  N_GROUPS
} Group;

static const char * const group_names[N_GROUPS] = {
  "IMAGE_TEXT", "TEXT_ONLY", "IMAGE_TEXT_IN_CONTEXT", "VIDEO_TEXT",
};

/* Frames of clips and albums go to the video group (Otter samples their frames), datasets with
 * no image to the text group, image datasets whose training pairs have in-context examples to
 * the in-context group. */
static Group
group_of (const MdExportCounts *counts)
{
  if (counts->n_with_images == 0 || counts->images_path == NULL)
    return GROUP_TEXT_ONLY;
  if (counts->n_video * 2 > counts->n_with_images)
    return GROUP_VIDEO_TEXT;
  if (counts->n_linked > 0)
    return GROUP_IMAGE_TEXT_IN_CONTEXT;
  return GROUP_IMAGE_TEXT;
}

static void
yaml_entry (MdJsonWriter *w,
            const char   *key,
            const char   *value)
{
  _md_json_writer_puts (w, "    ");
  _md_json_writer_puts (w, key);
  _md_json_writer_puts (w, ": ");
  _md_json_writer_string (w, value);
  _md_json_writer_puts (w, "\n");
}

gboolean
_md_export_write_otter_yaml (MdExportJob  *job,
                             GError      **error)
{
  g_autoptr(GList) datasets = g_list_sort (g_hash_table_get_keys (job->datasets),
                                           (GCompareFunc) strcmp);
  MdJsonWriter *w = _md_json_writer_open (job->staging, "otter_data.yaml", error);
  MdExportFile *file;

  if (w == NULL)
    return FALSE;
  _md_json_writer_puts (w, "# Otter's training data file (--training_data_yaml). Paths are "
                           "relative to this folder.\n");
  for (guint g = 0; g < N_GROUPS; g++)
    {
      gboolean any = FALSE;

      for (GList *l = datasets; l != NULL; l = l->next)
        {
          MdExportCounts *counts = g_hash_table_lookup (job->datasets, l->data);
          g_autofree char *instructions = NULL;
          g_autofree char *train = NULL;
          char buf[32];

          if (!counts->has_train || group_of (counts) != g)
            continue;
          if (!any)
            {
              _md_json_writer_puts (w, group_names[g]);
              _md_json_writer_puts (w, ":\n");
              any = TRUE;
            }
          instructions = g_strdup_printf ("%s_instructions.json", (const char *) l->data);
          train = g_strdup_printf ("%s_train.json", (const char *) l->data);
          _md_json_writer_puts (w, "  ");
          _md_json_writer_string (w, l->data);
          _md_json_writer_puts (w, ":\n");
          yaml_entry (w, "mimicit_path", instructions);
          if (g != GROUP_TEXT_ONLY)
            yaml_entry (w, "images_path", counts->images_path);
          yaml_entry (w, "train_config_path", train);
          /* The number of training keys: Otter then takes each of them once. */
          g_snprintf (buf, sizeof buf, "    num_samples: %" G_GUINT64_FORMAT "\n",
                      counts->n_train);
          _md_json_writer_puts (w, buf);
        }
    }
  file = _md_json_writer_close (w, error);
  return file != NULL && _md_export_record_file (job, file, TRUE, error);
}
