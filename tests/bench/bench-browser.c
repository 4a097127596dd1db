/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <stdlib.h>

#include "md-application.h"
#include "md-image-pane.h"
#include "md-media-view.h"
#include "md-store.h"
#include "md-window-private.h"

/* How the review desk feels on a big index: time from opening it to the first pair shown, and
 * time per step to the next pair (text, then first image). The baseline is the store's own
 * md_store_get_pair() on the same pairs in the same process, so the ratio says what the window
 * adds on top of the store whatever the machine.
 *
 *   bench-browser [FOLDER]      FOLDER of shards; without it, a synthetic shard of
 *                               $MD_BENCH_PAIRS pairs (default 200000) is written to a
 *                               temporary folder and indexed first.
 *   MD_BENCH_STEPS              next-pair steps to time (default 200)
 *
 * Run under Xvfb: xvfb-run -a dbus-run-session -- _build/tests/bench/bench-browser */

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, MIN (values->len - 1, (guint) (p * values->len)));
}

static void
write_synthetic (const char *dir,
                 guint       n_pairs)
{
  g_autofree char *path = g_build_filename (dir, "BENCH_instructions.json", NULL);
  g_autofree char *store_path = g_build_filename (dir, "BENCH.json", NULL);
  g_autoptr(GString) json = g_string_sized_new ((gsize) n_pairs * 220);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 224, 224);
  g_autofree char *png = NULL;
  g_autofree char *png64 = NULL;
  gsize png_size = 0;
  g_autoptr(GString) images = g_string_new ("{");
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, 0x3366aaff);
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &png, &png_size, "png", &error, NULL))
    g_error ("%s", error->message);
  png64 = g_base64_encode ((const guchar *) png, png_size);

  /* A thousand distinct images shared by all pairs: the store is not what is measured. */
  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (images, "%s\"BENCH_IMG_%06u\": \"%s\"", i ? ", " : "", i, png64);
  g_string_append (images, "}");

  g_string_append (json, "{\"meta\": {}, \"data\": {");
  for (guint i = 0; i < n_pairs; i++)
    g_string_append_printf (json,
                            "%s\"BENCH_INS_%08u\": {\"instruction\": \"What is in picture %u of "
                            "the benchmark, and which colour does it have?\", \"answer\": "
                            "\"A blue square, number %u.\", \"image_ids\": [\"BENCH_IMG_%06u\"], "
                            "\"rel_ins_ids\": [\"BENCH_INS_%08u\"]}",
                            i ? ",\n" : "", i, i, i, i % 1000, (i + 1) % n_pairs);
  g_string_append (json, "}}");

  if (!g_file_set_contents (path, json->str, json->len, &error) ||
      !g_file_set_contents (store_path, images->str, images->len, &error))
    g_error ("%s", error->message);
}

typedef struct
{
  MdWindow   *window;
  const char *id;
} ShownWait;

static gboolean
pair_shown (gpointer data)
{
  ShownWait *w = data;
  MdPair *pair = md_pair_page_get_pair (w->window->pair_page);

  return pair != NULL && (w->id == NULL || g_strcmp0 (md_pair_get_id (pair), w->id) == 0);
}

static gboolean
import_done (gpointer data)
{
  MdWindow *window = data;

  return window->import_cancellable == NULL;
}

static gboolean
image_shown (gpointer data)
{
  MdMediaView *view = data;
  MdImagePane *pane;

  if (md_media_view_get_n_panes (view) == 0)
    return TRUE;
  pane = md_media_view_get_pane (view, 0);
  return pane != NULL && md_image_pane_get_loaded (pane);
}

static gboolean
wait_until (gboolean (*condition) (gpointer),
            gpointer   data,
            guint      timeout_ms)
{
  double end = now_ms () + timeout_ms;

  while (!condition (data))
    {
      if (now_ms () > end)
        return FALSE;
      g_main_context_iteration (NULL, TRUE);
    }
  return TRUE;
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

int
main (int argc, char *argv[])
{
  g_autoptr(MdApplication) app = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *tmp = NULL;
  g_autoptr(GArray) text_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) image_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) store_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) action_ms = g_array_new (FALSE, FALSE, sizeof (double));
  const char *steps_env = g_getenv ("MD_BENCH_STEPS");
  const char *pairs_env = g_getenv ("MD_BENCH_PAIRS");
  guint steps = steps_env ? (guint) atoi (steps_env) : 200;
  guint n_pairs = pairs_env ? (guint) atoi (pairs_env) : 200000;
  MdWindow *window;
  MdMediaView *media;
  ShownWait w = { NULL, NULL };
  double t0, first_ms, import_ms = 0;

  gtk_init ();
  adw_init ();

  tmp = g_dir_make_tmp ("mimicdesk-bench-XXXXXX", NULL);
  if (g_getenv ("XDG_CACHE_HOME") == NULL)
    {
      g_autofree char *cache = g_build_filename (tmp, "cache", NULL);

      g_setenv ("XDG_CACHE_HOME", cache, TRUE);
    }

  if (argc > 1)
    folder = g_file_new_for_commandline_arg (argv[1]);
  else
    {
      g_autofree char *dir = g_build_filename (tmp, "shard", NULL);

      g_mkdir_with_parents (dir, 0700);
      g_print ("# writing a synthetic shard of %u pairs\n", n_pairs);
      write_synthetic (dir, n_pairs);
      folder = g_file_new_for_path (dir);
    }

  app = md_application_new ();
  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = md_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  w.window = window;

  /* First open: an empty index, so this times the import too. */
  t0 = now_ms ();
  md_window_open_files (window, &folder, 1);
  if (!wait_until (import_done, window, 30 * 60 * 1000))
    g_error ("import did not finish");
  import_ms = now_ms () - t0;
  gtk_window_destroy (GTK_WINDOW (window));

  /* Second open: the index exists. This is what a user waits for every morning. */
  window = md_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  w.window = window;
  t0 = now_ms ();
  md_window_open_files (window, &folder, 1);
  if (!wait_until (pair_shown, &w, 60000))
    g_error ("no pair shown");
  first_ms = now_ms () - t0;
  wait_until (import_done, window, 60000);

  media = MD_MEDIA_VIEW (find_type (GTK_WIDGET (window), MD_TYPE_MEDIA_VIEW));

  for (guint i = 0; i < steps; i++)
    {
      double start, text_done;
      MdPair *row;

      start = now_ms ();
      gtk_widget_activate_action (GTK_WIDGET (window), "win.next-pair", NULL);
      g_array_append_vals (action_ms, (double[]) { now_ms () - start }, 1);
      row = md_pair_table_get_selected_pair (window->pair_table);
      w.id = row != NULL ? md_pair_get_id (row) : NULL;
      if (!wait_until (pair_shown, &w, 5000))
        g_error ("step %u: pair %s not shown", i, w.id);
      text_done = now_ms ();
      g_array_append_vals (text_ms, (double[]) { text_done - start }, 1);
      if (wait_until (image_shown, media, 5000))
        g_array_append_vals (image_ms, (double[]) { now_ms () - start }, 1);

      /* Baseline: the store alone, same pair, same process. */
      {
        g_autoptr(MdPair) pair = NULL;
        double s = now_ms ();

        pair = md_store_get_pair (window->store, w.id, NULL);
        g_array_append_vals (store_ms, (double[]) { now_ms () - s }, 1);
      }
    }

  g_print ("import (first open)       %10.1f ms\n", import_ms);
  g_print ("first pair shown (reopen) %10.1f ms   target <= 1000 ms\n", first_ms);
  g_print ("next pair, text   median  %10.2f ms   p95 %.2f ms   target one frame (16 ms)\n",
           percentile (text_ms, 0.5), percentile (text_ms, 0.95));
  g_print ("next pair, image  median  %10.2f ms   p95 %.2f ms   target <= 50 ms\n",
           percentile (image_ms, 0.5), percentile (image_ms, 0.95));
  g_print ("next pair, action median  %10.2f ms   p95 %.2f ms   (selection + scroll, main thread)\n",
           percentile (action_ms, 0.5), percentile (action_ms, 0.95));
  g_print ("store get_pair    median  %10.3f ms   p95 %.3f ms   (baseline)\n",
           percentile (store_ms, 0.5), percentile (store_ms, 0.95));
  g_print ("ratio text step / store   %10.1f\n",
           percentile (text_ms, 0.5) / MAX (percentile (store_ms, 0.5), 0.001));

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
