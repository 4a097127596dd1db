/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-parquet"

#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "md-store.h"
#include "parquet/md-parquet.h"
#include "md-parquet-test-writer.h"

/* Generates a multi-GB pandas-style image store (index + base64 column) with the test writer,
 * then measures, in the same run:
 *   - a plain sequential read() of the file (the baseline for throughput),
 *   - md_parquet_scan_image_store() over it (time, MB/s, peak RSS),
 *   - md_parquet_read_image() for random images (ms each),
 *   - md_store_import() of the file into a fresh index (the same scan plus the SQLite rows), an
 *     unchanged re-import, and md_store_read_image_raw() for random images through the index.
 * Usage: bench-parquet [--gb N] [--dir /tmp] [--fetch 1000] [--keep] */

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static long
peak_rss_mb (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

/* Current RSS split as the kernel reports it: heap (anon) versus mapped file pages. */
static void
rss_now (long *anon_mb, long *file_mb)
{
  g_autofree char *status = NULL;
  char *p;

  *anon_mb = *file_mb = -1;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;
  if ((p = strstr (status, "RssAnon:")) != NULL)
    *anon_mb = strtol (p + 8, NULL, 10) / 1024;
  if ((p = strstr (status, "RssFile:")) != NULL)
    *file_mb = strtol (p + 8, NULL, 10) / 1024;
}

static void
generate (const char *path, int codec, guint64 target_bytes, guint *n_images)
{
  g_autoptr(GError) error = NULL;
  /* Pages of ~8 images (~1.6 MB, close to pyarrow's 1 MB default), row groups of ~200 MB. */
  MdPqwOptions opt = { .codec = codec, .rows_per_page = 8, .rows_per_group = 1000 };
  g_autoptr(MdPqWriter) w = md_pq_writer_new (path, &opt, &error);
  GRand *rand = g_rand_new_with_seed (42);
  guint fimg, fid;
  guint64 written = 0;
  guint i = 0;

  g_assert_no_error (error);
  fimg = md_pq_writer_add_field (w, "base64", MD_PQW_STRING, TRUE);
  fid = md_pq_writer_add_field (w, "__index_level_0__", MD_PQW_STRING, TRUE);
  md_pq_writer_set_metadata (w, "pandas", "{\"index_columns\": [\"__index_level_0__\"], "
                                          "\"columns\": []}");

  while (written < target_bytes)
    {
      /* JPEG-like: incompressible bytes, 100-200 KB, base64 encoded as in MIMIC-IT. */
      gsize len = 100000 + g_rand_int_range (rand, 0, 100000);
      g_autofree guint8 *img = g_malloc (len);
      g_autofree char *b64 = NULL;
      g_autofree char *id = g_strdup_printf ("LA_IMG_%012u", i);

      for (gsize k = 0; k + 4 <= len; k += 4)
        {
          guint32 r = g_rand_int (rand);

          memcpy (img + k, &r, 4);
        }
      memcpy (img, "\xff\xd8\xff\xe0", 4);
      b64 = g_base64_encode (img, len);
      md_pq_writer_begin_row (w);
      md_pq_writer_set_string (w, fid, id, -1);
      md_pq_writer_set_string (w, fimg, b64, -1);
      g_assert_true (md_pq_writer_end_row (w, &error));
      written += strlen (b64);
      i++;
    }
  g_assert_true (md_pq_writer_close (w, &error));
  g_rand_free (rand);
  *n_images = i;
}

/* Drops the file from the page cache (clean pages only; no privileges needed). */
static void
drop_cache (const char *path)
{
  int fd = open (path, O_RDONLY);

  if (fd >= 0)
    {
      fdatasync (fd);
      posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED);
      close (fd);
    }
}

/* In a child process, so that the writer's row-group buffers do not count in our peak RSS. */
static void
generate_in_child (const char *path, int codec, guint64 target_bytes, guint *n_images)
{
  int fds[2];
  pid_t pid;
  int status;

  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      guint n;

      close (fds[0]);
      generate (path, codec, target_bytes, &n);
      if (write (fds[1], &n, sizeof n) != sizeof n)
        _exit (1);
      _exit (0);
    }
  close (fds[1]);
  g_assert_cmpint (read (fds[0], n_images, sizeof *n_images), ==, sizeof *n_images);
  close (fds[0]);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
}

static double
baseline_read (const char *path, guint64 *total)
{
  int fd = open (path, O_RDONLY);
  g_autofree char *buf = g_malloc (1 << 20);
  double t0 = now ();
  ssize_t n;

  *total = 0;
  g_assert_cmpint (fd, >=, 0);
  while ((n = read (fd, buf, 1 << 20)) > 0)
    *total += n;
  close (fd);
  return now () - t0;
}

static gboolean
on_image (const char *id, const MdParquetValueLocation *loc, gpointer user_data)
{
  g_array_append_val ((GArray *) user_data, *loc);
  return TRUE;
}

/* Through the store: a fresh index each time, so that the import is not a no-op. */
static void
bench_store (const char *dir, const char *path, const char *label, gboolean cold, double t_scan,
             guint n_images, guint n_fetch)
{
  g_autofree char *db_dir = g_build_filename (dir, "bench-parquet-index", NULL);
  g_autofree char *db = g_build_filename (db_dir, "index.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MdStore) store = NULL;
  g_autoptr(MdImportReport) report = NULL;
  const char *paths[] = { path, NULL };
  GRand *rand = g_rand_new_with_seed (11);
  double t, t_import, sum = 0, worst = 0;
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *f = g_strconcat (db, suffixes[i], NULL);

      g_unlink (f);
    }
  if (cold)
    drop_cache (path);
  store = md_store_open (db, &error);
  g_assert_no_error (error);
  t = now ();
  g_assert_true (md_store_import (store, paths, NULL, NULL, NULL, &report, &error));
  g_assert_no_error (error);
  t_import = now () - t;
  printf ("[%s] md_store_import:  %6.2f s  = %.2fx the reader's own scan (%.2f s)\n", label,
          t_import, t_import / t_scan, t_scan);
  g_clear_object (&report);
  t = now ();
  g_assert_true (md_store_import (store, paths, NULL, NULL, NULL, &report, &error));
  printf ("[%s] unchanged re-import: %.3f s (%u unchanged)\n", label, now () - t,
          md_import_report_count (report, MD_FILE_UNCHANGED));

  if (cold)
    drop_cache (path);
  for (guint i = 0; i < n_fetch; i++)
    {
      g_autofree char *id = g_strdup_printf ("LA_IMG_%012u", g_rand_int_range (rand, 0, n_images));
      g_autoptr(GBytes) raw = NULL;
      double dt;

      t = now ();
      raw = md_store_read_image_raw (store, id, &error);
      dt = (now () - t) * 1000;
      g_assert_no_error (error);
      sum += dt;
      worst = MAX (worst, dt);
    }
  printf ("[%s] md_store_read_image_raw %u random: mean %.3f ms, max %.3f ms\n", label, n_fetch,
          sum / n_fetch, worst);
  g_rand_free (rand);
  g_clear_object (&store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *f = g_strconcat (db, suffixes[i], NULL);

      g_unlink (f);
    }
  g_rmdir (db_dir);
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
run (const char *dir, const char *codec_name, int codec, double gb, guint n_fetch, gboolean keep)
{
  g_autofree char *name = g_strdup_printf ("bench-%s.parquet", codec_name);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MdParquetDataset) ds = NULL;
  g_autoptr(GArray) locs = g_array_new (FALSE, FALSE, sizeof (MdParquetValueLocation));
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  GRand *rand = g_rand_new_with_seed (7);
  guint n_images;
  guint64 size;
  double t, t_read, t_scan, sum = 0;
  long anon, file;
  guint64 fetched = 0;

  t = now ();
  generate_in_child (path, codec, (guint64) (gb * 1e9), &n_images);
  t = now () - t;

  for (int cold = 1; cold >= 0; cold--)
    {
      const char *label = cold ? "cold cache" : "warm cache";

      if (cold)
        drop_cache (path);
      t_read = baseline_read (path, &size);
      if (cold)
        printf ("\n== %s: %s, %.2f GB, %u images (written in %.1f s)\n", codec_name, path,
                size / 1e9, n_images, t);
      printf ("[%s] baseline read():  %6.2f s  %7.0f MB/s\n", label, t_read,
              size / 1e6 / t_read);

      if (cold)
        drop_cache (path);
      g_array_set_size (locs, 0);
      g_clear_object (&ds);
      t = now ();
      ds = md_parquet_dataset_open (path, &error);
      g_assert_no_error (error);
      g_assert_true (md_parquet_scan_image_store (ds, on_image, locs, NULL, &error));
      g_assert_no_error (error);
      t_scan = now () - t;
      rss_now (&anon, &file);
      g_assert_cmpuint (locs->len, ==, n_images);
      printf ("[%s] index (scan):     %6.2f s  %7.0f MB/s  = %.2fx the read() baseline's speed\n",
              label, t_scan, size / 1e6 / t_scan, t_read / t_scan);
      printf ("[%s]   after scan: RSS anon %ld MB, file-backed %ld MB; peak RSS %ld MB\n",
              label, anon, file, peak_rss_mb ());
      bench_store (dir, path, label, cold, t_scan, n_images, n_fetch);

      if (cold)
        drop_cache (path);
      g_array_set_size (times, 0);
      sum = 0;
      fetched = 0;
      for (guint i = 0; i < n_fetch; i++)
        {
          const MdParquetValueLocation *loc =
            &g_array_index (locs, MdParquetValueLocation, g_rand_int_range (rand, 0, locs->len));
          g_autoptr(GBytes) img = NULL;
          double dt;

          t = now ();
          img = md_parquet_read_image (ds, loc, &error);
          dt = (now () - t) * 1000;
          g_assert_no_error (error);
          g_assert_cmpmem (g_bytes_get_data (img, NULL), 4, "\xff\xd8\xff\xe0", 4);
          fetched += g_bytes_get_size (img);
          g_array_append_val (times, dt);
          sum += dt;
        }
      g_array_sort (times, compare_double);
      printf ("[%s] fetch %u random: mean %.3f ms, median %.3f ms, p99 %.3f ms, max %.3f ms "
              "(%.0f KB each, decoded)\n", label, n_fetch, sum / n_fetch,
              g_array_index (times, double, n_fetch / 2),
              g_array_index (times, double, n_fetch * 99 / 100),
              g_array_index (times, double, n_fetch - 1), fetched / 1024.0 / n_fetch);
    }
  printf ("peak RSS (getrusage, whole run of this codec so far): %ld MB for a %.2f GB file\n",
          peak_rss_mb (), size / 1e9);

  g_rand_free (rand);
  if (!keep)
    g_unlink (path);
}

int
main (int argc, char *argv[])
{
  double gb = 2.0;
  const char *dir = g_get_tmp_dir ();
  int n_fetch = 1000;
  gboolean keep = FALSE;
  char *codec = NULL;
  GOptionEntry entries[] = {
    { "gb", 0, 0, G_OPTION_ARG_DOUBLE, &gb, "Size of each generated file in GB", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Where to write the files", "DIR" },
    { "fetch", 0, 0, G_OPTION_ARG_INT, &n_fetch, "Random images to fetch", "N" },
    { "codec", 0, 0, G_OPTION_ARG_STRING, &codec, "none or snappy (default: both)", "C" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the generated files", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- Parquet image store benchmark");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  setvbuf (stdout, NULL, _IOLBF, 0);

  if (codec == NULL || g_str_equal (codec, "none"))
    run (dir, "none", 0, gb, n_fetch, keep);
  if (codec == NULL || g_str_equal (codec, "snappy"))
    run (dir, "snappy", 1, gb, n_fetch, keep);
  g_free (codec);
  return 0;
}
