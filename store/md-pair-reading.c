/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "md-error.h"
#include "md-pair-reading.h"
#include "md-store-private.h"

struct _MdPairReading
{
  MdPair    *pair;
  GPtrArray *examples;
  char      *texts[MD_N_LANGUAGES][MD_N_FIELDS];   /* NULL: the shard's */
};

static void
reading_clear (MdPairReading *self)
{
  g_clear_object (&self->pair);
  g_clear_pointer (&self->examples, g_ptr_array_unref);
  for (guint l = 0; l < MD_N_LANGUAGES; l++)
    for (guint f = 0; f < MD_N_FIELDS; f++)
      g_clear_pointer (&self->texts[l][f], g_free);
}

MdPairReading *
md_pair_reading_ref (MdPairReading *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

void
md_pair_reading_unref (MdPairReading *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, (GDestroyNotify) reading_clear);
}

G_DEFINE_BOXED_TYPE (MdPairReading, md_pair_reading, md_pair_reading_ref, md_pair_reading_unref)

MdPair *
md_pair_reading_get_pair (MdPairReading *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->pair;
}

GPtrArray *
md_pair_reading_get_examples (MdPairReading *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->examples;
}

const char *
md_pair_reading_get_text (MdPairReading *self,
                          MdLanguage     language,
                          MdField        field)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (language < MD_N_LANGUAGES && field < MD_N_FIELDS, NULL);

  if (self->texts[language][field] != NULL)
    return self->texts[language][field];
  return md_pair_get_text (self->pair, language, field);
}

static void
unref_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

/* The revisions of the pair's texts from the attached review file: per language and field the
 * entry that wins, as the review store picks it (latest time, then the greater uid). A
 * revision back to the shard's text is NULL in the log. */
static gboolean
read_revisions (MdStore        *store,
                MdPairReading  *reading,
                GError        **error)
{
  g_auto(sqlite3_stmt_ptr) stmt = NULL;
  gboolean seen[MD_N_LANGUAGES][MD_N_FIELDS] = { { FALSE } };
  gboolean ok = TRUE;
  sqlite3 *db = _md_store_read_begin (store, TRUE);
  int rc;

  if (!_md_store_has_review_locked (db))
    goto out;
  stmt = _md_index_prepare (db,
    "SELECT lang, field, new_value FROM review.review_log"
    " WHERE dataset = ?1 AND pair_id = ?2 AND field IN ('instruction', 'answer')"
    " ORDER BY created_at DESC, uid DESC", error);
  if (stmt == NULL)
    {
      ok = FALSE;
      goto out;
    }
  sqlite3_bind_text (stmt, 1, md_pair_get_dataset (reading->pair), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, md_pair_get_id (reading->pair), -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      MdLanguage l;
      MdField f;
      const char *value = (const char *) sqlite3_column_text (stmt, 2);

      if (!md_language_from_code ((const char *) sqlite3_column_text (stmt, 0), &l) ||
          !md_field_from_name ((const char *) sqlite3_column_text (stmt, 1), &f) || seen[l][f])
        continue;
      seen[l][f] = TRUE;
      reading->texts[l][f] = g_strdup (value);
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_DATABASE,
                   _("could not read the revisions of %s from the review file: %s"),
                   md_pair_get_id (reading->pair), sqlite3_errmsg (db));
      ok = FALSE;
    }
out:
  g_clear_pointer (&stmt, sqlite3_finalize);
  _md_store_read_end (store, db);
  return ok;
}

MdPairReading *
md_store_read_pair_with_context (MdStore       *self,
                                 const char    *pair_id,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  g_autoptr(MdPairReading) reading = NULL;
  const char * const *context_ids;

  g_return_val_if_fail (MD_IS_STORE (self), NULL);
  g_return_val_if_fail (pair_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  reading = g_atomic_rc_box_new0 (MdPairReading);
  if ((reading->pair = md_store_get_pair (self, pair_id, error)) == NULL)
    return NULL;
  if (!read_revisions (self, reading, error))
    return NULL;
  /* The examples' texts and images are shown in the strip: a handful of lookups, done here so
   * that the page changes in one go. */
  reading->examples = g_ptr_array_new_with_free_func (unref_if_set);
  context_ids = md_pair_get_context_ids (reading->pair);
  for (guint i = 0; context_ids != NULL && context_ids[i] != NULL; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      g_ptr_array_add (reading->examples, md_store_get_pair (self, context_ids[i], NULL));
    }
  return g_steal_pointer (&reading);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  MdPairReading *reading = md_store_read_pair_with_context (source_object, task_data,
                                                            cancellable, &error);

  if (reading == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, reading, (GDestroyNotify) md_pair_reading_unref);
}

void
md_store_read_pair_with_context_async (MdStore             *self,
                                       const char          *pair_id,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MD_IS_STORE (self));
  g_return_if_fail (pair_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_store_read_pair_with_context_async);
  g_task_set_task_data (task, g_strdup (pair_id), g_free);
  g_task_run_in_thread (task, read_thread);
}

MdPairReading *
md_store_read_pair_with_context_finish (MdStore       *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, md_store_read_pair_with_context_async),
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
read_many_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  const char * const *ids = task_data;
  GPtrArray *readings = g_ptr_array_new_with_free_func ((GDestroyNotify) md_pair_reading_unref);

  for (guint i = 0; ids[i] != NULL && !g_cancellable_is_cancelled (cancellable); i++)
    {
      MdPairReading *reading = md_store_read_pair_with_context (source_object, ids[i],
                                                                cancellable, NULL);

      if (reading != NULL)
        g_ptr_array_add (readings, reading);
    }
  g_task_return_pointer (task, readings, (GDestroyNotify) g_ptr_array_unref);
}

void
md_store_read_pairs_with_context_async (MdStore             *self,
                                        const char * const  *pair_ids,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MD_IS_STORE (self));
  g_return_if_fail (pair_ids != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_store_read_pairs_with_context_async);
  g_task_set_task_data (task, g_strdupv ((char **) pair_ids), (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, read_many_thread);
}

GPtrArray *
md_store_read_pairs_with_context_finish (MdStore       *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  md_store_read_pairs_with_context_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
