/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "md-store-private.h"
#include "md-test-store.h"

/* Readers do not queue behind each other: pairs and images come from a pool of read-only
 * connections, not from the store's own connection behind its mutex. */

#define N_THREADS 4

typedef struct
{
  MdStore   *store;
  GPtrArray *ids;        /* pair ids */
  GPtrArray *expected;   /* English instruction of each */
  GPtrArray *image_ids;
  guint      rounds;
  gint       failures;
} Readers;

static MdTestDir *
import_sample (void)
{
  MdTestDir *t = g_new0 (MdTestDir, 1);
  g_autofree char *dc = g_build_filename (g_getenv ("MD_SAMPLE_DIR"), "DC_instructions.json",
                                          NULL);
  g_autofree char *dc_images = g_build_filename (g_getenv ("MD_SAMPLE_DIR"), "DC.json", NULL);
  g_autofree char *txt = g_build_filename (g_getenv ("MD_SAMPLE_DIR"), "TXT_instructions.json",
                                           NULL);
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  md_test_dir_init (t);
  report = md_test_import (t, &ok, &error, dc, dc_images, txt, NULL);
  g_assert_no_error (error);
  g_assert_true (ok);
  return t;
}

typedef struct
{
  MdStore    *store;
  const char *id;
  MdPair     *pair;
  gint        done;
} Lone;

static gpointer
get_pair_thread (gpointer data)
{
  Lone *l = data;

  l->pair = md_store_get_pair (l->store, l->id, NULL);
  g_atomic_int_set (&l->done, 1);
  return NULL;
}

/* With the store's own connection held (as a long count or an attach would), a pair is still
 * read: it does not need that connection. */
static void
test_not_behind_lock (void)
{
  MdTestDir *t = import_sample ();
  g_autoptr(GListModel) list = NULL;
  g_autoptr(MdQuery) query = md_query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MdPair) row = NULL;
  Lone l = { t->store, NULL, NULL, 0 };
  gboolean done_while_locked;
  GThread *thread;
  gint64 deadline;

  list = md_store_query (t->store, query, &error);
  g_assert_no_error (error);
  row = g_list_model_get_item (list, 0);
  l.id = md_pair_get_id (row);

  _md_store_lock (t->store);
  thread = g_thread_new ("reader", get_pair_thread, &l);
  deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  while (!g_atomic_int_get (&l.done) && g_get_monotonic_time () < deadline)
    g_usleep (5000);
  done_while_locked = g_atomic_int_get (&l.done);
  _md_store_unlock (t->store);
  g_thread_join (thread);

  g_assert_true (done_while_locked);
  g_assert_nonnull (l.pair);
  g_assert_cmpstr (md_pair_get_id (l.pair), ==, md_pair_get_id (row));

  g_clear_object (&l.pair);
  g_clear_object (&list);
  md_test_dir_clear (t);
  g_free (t);
}

static gpointer
reader_thread (gpointer data)
{
  Readers *r = data;

  for (guint round = 0; round < r->rounds; round++)
    {
      for (guint i = 0; i < r->ids->len; i++)
        {
          g_autoptr(MdPair) pair = md_store_get_pair (r->store, g_ptr_array_index (r->ids, i),
                                                      NULL);

          if (pair == NULL ||
              g_strcmp0 (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION),
                         g_ptr_array_index (r->expected, i)) != 0)
            g_atomic_int_inc (&r->failures);
        }
      for (guint i = 0; i < r->image_ids->len; i++)
        {
          g_autoptr(GBytes) bytes = md_store_load_image (r->store,
                                                         g_ptr_array_index (r->image_ids, i),
                                                         NULL, NULL);

          if (bytes == NULL)
            g_atomic_int_inc (&r->failures);
        }
    }
  return NULL;
}

/* Many threads reading at once, more than the pool has connections, each get what a lone
 * reader gets, while the main thread pages through the list. */
static void
test_concurrent_readers (void)
{
  MdTestDir *t = import_sample ();
  g_autoptr(MdQuery) query = md_query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = md_store_query (t->store, query, &error);
  Readers r = { t->store, g_ptr_array_new_with_free_func (g_free),
                g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free),
                20, 0 };
  GThread *threads[N_THREADS];
  guint n;

  g_assert_no_error (error);
  n = g_list_model_get_n_items (list);
  g_assert_cmpuint (n, >, 10);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MdPair) row = g_list_model_get_item (list, i);
      g_autoptr(MdPair) pair = md_store_get_pair (t->store, md_pair_get_id (row), &error);
      const char * const *images;

      g_assert_no_error (error);
      g_ptr_array_add (r.ids, g_strdup (md_pair_get_id (pair)));
      g_ptr_array_add (r.expected,
                       g_strdup (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION)));
      images = md_pair_get_image_ids (pair);
      for (guint j = 0; images != NULL && images[j] != NULL; j++)
        {
          g_autoptr(GBytes) bytes = md_store_load_image (t->store, images[j], NULL, NULL);

          if (bytes != NULL && r.image_ids->len < 16)
            g_ptr_array_add (r.image_ids, g_strdup (images[j]));
        }
    }
  g_assert_cmpuint (r.image_ids->len, >, 0);

  for (guint i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("reader", reader_thread, &r);
  for (guint round = 0; round < 20; round++)
    {
      g_autoptr(GListModel) again = md_store_query (t->store, query, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (again), ==, n);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(MdPair) row = g_list_model_get_item (again, i);

          g_assert_cmpstr (md_pair_get_id (row), ==, g_ptr_array_index (r.ids, i));
        }
    }
  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);
  g_assert_cmpint (r.failures, ==, 0);

  g_ptr_array_unref (r.ids);
  g_ptr_array_unref (r.expected);
  g_ptr_array_unref (r.image_ids);
  g_clear_object (&list);
  md_test_dir_clear (t);
  g_free (t);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/read-pool/not-behind-lock", test_not_behind_lock);
  g_test_add_func ("/store/read-pool/concurrent-readers", test_concurrent_readers);
  return g_test_run ();
}
