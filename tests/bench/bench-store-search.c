/* SPDX-License-Identifier: GPL-3.0-or-later */
/* First page of search results over an index, in process, for the store benchmark.
 *
 *   bench-store-search INDEX QUERY...
 *
 * For each query: builds the lazy result model and fetches its first 50 rows (what the window
 * shows), 5 runs, and prints the median in milliseconds as JSON lines. */

#include "config.h"

#include <stdio.h>

#include "md-store.h"

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdStore) store = NULL;

  if (argc < 3)
    {
      fprintf (stderr, "usage: %s INDEX QUERY...\n", argv[0]);
      return 1;
    }

  store = md_store_open (argv[1], &error);
  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  for (int q = 2; q < argc; q++)
    {
      double runs[5];
      guint n_items = 0;

      for (guint r = 0; r < G_N_ELEMENTS (runs); r++)
        {
          g_autoptr(MdQuery) query = md_query_new ();
          g_autoptr(GListModel) model = NULL;
          gint64 start = g_get_monotonic_time ();

          query->text = g_strdup (argv[q]);
          model = md_store_query (store, query, &error);
          if (model == NULL)
            {
              fprintf (stderr, "%s: %s\n", argv[q], error->message);
              return 1;
            }
          n_items = g_list_model_get_n_items (model);
          for (guint i = 0; i < MIN (n_items, 50); i++)
            g_object_unref (g_list_model_get_item (model, i));
          runs[r] = (g_get_monotonic_time () - start) / 1000.0;
        }
      qsort (runs, G_N_ELEMENTS (runs), sizeof runs[0], compare_doubles);
      printf ("{\"query\": \"%s\", \"n_items\": %u, \"first_page_ms\": %.2f}\n",
              argv[q], n_items, runs[G_N_ELEMENTS (runs) / 2]);
    }
  return 0;
}
