/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>

#include "md-store-private.h"
#include "md-store-syphus.h"

void
md_store_prompt_free (MdStorePrompt *prompt)
{
  if (prompt == NULL)
    return;
  g_free (prompt->name);
  g_free (prompt->path);
  g_free (prompt);
}

GPtrArray *
md_store_list_prompts (MdStore  *self,
                       GError  **error)
{
  g_autoptr(GPtrArray) prompts = NULL;
  g_auto(sqlite3_stmt_ptr) stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (MD_IS_STORE (self), NULL);

  db = _md_store_read_begin (self, FALSE);
  stmt = _md_index_prepare (db, "SELECT p.name, f.path FROM prompts p JOIN files f "
                                "ON f.id = p.file_id ORDER BY p.name, f.path", error);
  if (stmt == NULL)
    {
      _md_store_read_end (self, db);
      return NULL;
    }
  prompts = g_ptr_array_new_with_free_func ((GDestroyNotify) md_store_prompt_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MdStorePrompt *prompt = g_new0 (MdStorePrompt, 1);

      prompt->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      prompt->path = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      g_ptr_array_add (prompts, prompt);
    }
  if (rc != SQLITE_DONE)
    {
      _md_index_set_error (db, error, "listing the prompt files");
      g_clear_pointer (&prompts, g_ptr_array_unref);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  _md_store_read_end (self, db);
  return g_steal_pointer (&prompts);
}

/* The source key of an image's clip: "DC_IMG_v_abc_0003" gives "v_abc". */
static char *
source_key_of (const char *image_id)
{
  g_autofree char *clip = _md_image_clip_of (image_id);
  const char *img = clip != NULL ? strstr (clip, "_IMG_") : NULL;

  if (img == NULL || img[5] == '\0')
    return NULL;
  return g_strdup (img + 5);
}

char *
md_store_get_query_sentences (MdStore            *self,
                              const char         *pair_id,
                              const char * const *image_ids,
                              char              **out_path,
                              GError            **error)
{
  g_auto(sqlite3_stmt_ptr) exists = NULL;
  g_auto(sqlite3_stmt_ptr) stmt = NULL;
  g_autofree char *source_key = NULL;
  const char *keys[2];
  char *sentences = NULL;
  sqlite3 *db;

  g_return_val_if_fail (MD_IS_STORE (self), NULL);
  g_return_val_if_fail (pair_id != NULL, NULL);

  if (image_ids != NULL && image_ids[0] != NULL)
    source_key = source_key_of (image_ids[0]);
  keys[0] = pair_id;
  keys[1] = source_key;

  db = _md_store_read_begin (self, FALSE);
  /* An index made before the table existed has no queries yet. */
  exists = _md_index_prepare (db, "SELECT 1 FROM sqlite_master WHERE name = 'syphus_queries'",
                              error);
  if (exists == NULL)
    goto out;
  if (sqlite3_step (exists) != SQLITE_ROW)
    goto out;
  stmt = _md_index_prepare (db, "SELECT q.sentences, f.path FROM syphus_queries q JOIN files f "
                                "ON f.id = q.file_id WHERE q.query_id = ? AND "
                                "q.kind = 'regenerate' ORDER BY q.file_id DESC LIMIT 1", error);
  if (stmt == NULL)
    goto out;
  for (guint i = 0; i < G_N_ELEMENTS (keys) && sentences == NULL; i++)
    {
      int rc;

      if (keys[i] == NULL)
        continue;
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, keys[i], -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          sentences = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          if (out_path != NULL)
            *out_path = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        }
      else if (rc != SQLITE_DONE)
        {
          _md_index_set_error (db, error, "reading the query of a pair");
          break;
        }
    }

out:
  g_clear_pointer (&exists, sqlite3_finalize);
  g_clear_pointer (&stmt, sqlite3_finalize);
  _md_store_read_end (self, db);
  return sentences;
}
