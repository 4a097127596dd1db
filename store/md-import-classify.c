/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "md-import-parquet-private.h"
#include "md-import-private.h"

/* What each input is: by its name, or for other .json files by a peek at its start. Folders
 * are walked in name order. */

#define PEEK_SIZE 4096

void
_md_import_input_free (Input *input)
{
  g_free (input->path);
  g_free (input->dataset);
  g_free (input);
}

/* Classification ------------------------------------------------------------------------------- */

static gsize
peek_file (const char *path,
           char       *buffer,
           gsize       size)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  gssize n;

  if (fd < 0)
    return 0;
  n = read (fd, buffer, size - 1);
  close (fd);
  if (n < 0)
    n = 0;
  buffer[n] = '\0';
  return n;
}

static const char *
skip_bom_ws (const char *p)
{
  if (memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
    p++;
  return p;
}

Input *
_md_import_classify (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  Input *input = g_new0 (Input, 1);
  char peek[PEEK_SIZE];
  const char *p;

  input->path = g_strdup (path);
  input->kind = MD_FILE_KIND_UNKNOWN;
  input->skip = TRUE;

  if (_md_import_parquet_classify (path, &input->kind, &input->dataset, &input->size))
    {
      input->parquet = TRUE;
      input->skip = FALSE;
      return input;
    }

  if (g_str_has_suffix (base, "_instructions.json") && strlen (base) > strlen ("_instructions.json"))
    {
      input->kind = MD_FILE_KIND_INSTRUCTIONS;
      input->dataset = g_strndup (base, strlen (base) - strlen ("_instructions.json"));
      input->skip = FALSE;
      return input;
    }
  if (g_str_has_suffix (base, "_train.json") && strlen (base) > strlen ("_train.json"))
    {
      input->kind = MD_FILE_KIND_TRAIN;
      input->dataset = g_strndup (base, strlen (base) - strlen ("_train.json"));
      input->skip = FALSE;
      return input;
    }
  if (strcmp (base, "valid_output.json") == 0)
    {
      input->kind = MD_FILE_KIND_TRANSLATION;
      input->skip = FALSE;
      return input;
    }
  input->syphus_failures = _md_import_syphus_failures_kind (base);
  if (input->syphus_failures != MD_SYPHUS_FAILURES_NONE)
    {
      input->kind = MD_FILE_KIND_TRANSLATION;
      input->skip = FALSE;
      return input;
    }
  if (strcmp (base, "meta.json") == 0)
    {
      /* The rest of a Syphus output folder: nothing in them is indexed. */
      input->kind = MD_FILE_KIND_TRANSLATION;
      return input;
    }
  if (g_str_has_suffix (base, ".py") && base[0] != '.')
    {
      /* Otter's prompt modules (translation_prompt.py, coco_spot_the_difference_prompt.py). */
      peek_file (path, peek, sizeof peek);
      if (strstr (skip_bom_ws (peek), "system_message") != NULL)
        {
          input->kind = MD_FILE_KIND_PROMPT;
          input->dataset = g_strndup (base, strlen (base) - strlen (".py"));
          input->skip = FALSE;
        }
      return input;
    }
  if (!g_str_has_suffix (base, ".json") || base[0] == '.')
    return input;

  peek_file (path, peek, sizeof peek);
  p = skip_bom_ws (peek);
  if (strstr (p, "\"system_message\"") != NULL && *p == '{')
    {
      input->kind = MD_FILE_KIND_PROMPT;
      input->dataset = g_strndup (base, strlen (base) - strlen (".json"));
      input->skip = FALSE;
      return input;
    }
  if (*p == '{')
    {
      const char *key = skip_bom_ws (p + 1);
      const char *key_end = *key == '"' ? strchr (key + 1, '"') : NULL;

      if (key_end != NULL)
        {
          g_autofree char *first = g_strndup (key + 1, key_end - key - 1);

          if (strstr (first, "_IMG_") != NULL)
            {
              input->kind = MD_FILE_KIND_IMAGE_STORE;
              input->dataset = g_strndup (base, strlen (base) - strlen (".json"));
              input->skip = FALSE;
            }
        }
    }
  return input;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char **) a, *(char **) b);
}

/* Folders are identified by device and inode: a symbolic link back to a parent (a loop) or two
 * links to one folder must not make the walk endless or import the same files twice. */
void
_md_import_collect_folder (const char *folder,
                           GHashTable *visited,
                           GPtrArray  *out_paths)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  GStatBuf st;
  char *key;

  if (g_stat (folder, &st) != 0)
    return;
  key = g_strdup_printf ("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT,
                         (guint64) st.st_dev, (guint64) st.st_ino);
  if (!g_hash_table_add (visited, key))
    return;
  dir = g_dir_open (folder, 0, NULL);
  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (folder, g_ptr_array_index (names, i), NULL);

      if (_md_import_parquet_is_part_folder (child))
        g_ptr_array_add (out_paths, g_steal_pointer (&child));
      else if (g_file_test (child, G_FILE_TEST_IS_DIR))
        _md_import_collect_folder (child, visited, out_paths);
      else if (g_file_test (child, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (out_paths, g_steal_pointer (&child));
    }
}

static int
kind_rank (MdFileKind kind)
{
  /* Pairs first, then what refers to them. */
  switch (kind)
    {
    case MD_FILE_KIND_INSTRUCTIONS: return 0;
    case MD_FILE_KIND_IMAGE_STORE: return 1;
    case MD_FILE_KIND_TRAIN: return 2;
    case MD_FILE_KIND_TRANSLATION: return 3;
    case MD_FILE_KIND_PROMPT: return 4;
    case MD_FILE_KIND_UNKNOWN:
    default: return 5;
    }
}

static int
compare_inputs (gconstpointer a,
                gconstpointer b)
{
  const Input *ia = *(Input **) a;
  const Input *ib = *(Input **) b;

  return kind_rank (ia->kind) - kind_rank (ib->kind);
}

void
_md_import_sort_inputs (GPtrArray *inputs)
{
  g_ptr_array_sort (inputs, compare_inputs);
}
