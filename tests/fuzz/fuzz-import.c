/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-import"

#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "md-store.h"

/* The shard scanner end to end: the input becomes one file of a kind chosen by its first byte
 * (instructions, train, image store, Syphus translations) and is imported into a scratch index,
 * then every imported pair and image is read back. The index is reused across inputs, so
 * re-imports over earlier content (the "forget the old rows" path) are exercised as well. */

static const char * const names[] = {
  "FZ_instructions.json",
  "FZ_train.json",
  "FZ.json",
  "valid_output.json",
};

static MdStore *store;

static void
read_back (void)
{
  g_autoptr(MdQuery) query = md_query_new ();
  g_autoptr(GListModel) list = md_store_query (store, query, NULL);
  guint n = list != NULL ? g_list_model_get_n_items (list) : 0;

  for (guint i = 0; i < n && i < 8; i++)
    {
      g_autoptr(MdPair) row = g_list_model_get_item (list, i);
      g_autoptr(MdPair) pair = md_store_get_pair (store, md_pair_get_id (row), NULL);
      const char * const *ids = pair != NULL ? md_pair_get_image_ids (pair) : NULL;

      for (guint k = 0; ids != NULL && ids[k] != NULL && k < 4; k++)
        {
          GBytes *bytes = md_store_load_image (store, ids[k], NULL, NULL);

          g_clear_pointer (&bytes, g_bytes_unref);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *path = NULL;
  const char *paths[2] = { NULL, NULL };
  g_autoptr(MdImportReport) report = NULL;

  if (size < 1)
    return 0;
  if (store == NULL)
    {
      g_autofree char *db = g_build_filename (md_fuzz_dir (), "index.sqlite", NULL);

      store = md_store_open (db, NULL);
      g_assert (store != NULL);
    }
  path = md_fuzz_write (names[data[0] % G_N_ELEMENTS (names)], data + 1, size - 1);
  paths[0] = path;
  md_store_import (store, paths, NULL, NULL, NULL, &report, NULL);
  read_back ();
  g_unlink (path);
  return 0;
}
