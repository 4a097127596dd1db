/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-export"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "md-export.h"
#include "md-store.h"

/* Memory of an export against its output size.
 *
 *   bench-export [PAIRS]
 *
 * Writes a synthetic video subset (BN_instructions.json, BN_train.json, BN.json with 8 frames
 * per pair, translations in all seven languages), imports it, then exports it to MIMIC-IT in a
 * child process, for PAIRS and for 4 x PAIRS, and prints the child's peak RSS (getrusage) next
 * to the bytes written. A streaming export keeps the peak flat while the output grows. */

#define FRAMES 8

static void
put_string (FILE       *fp,
            const char *text)
{
  fputc ('"', fp);
  for (const char *p = text; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        fputc ('\\', fp);
      fputc (*p, fp);
    }
  fputc ('"', fp);
}

static void
generate (const char *dir,
          guint       n_pairs)
{
  static const char *langs[] = { "zh", "es", "ja", "de", "fr", "ko", "ar" };
  g_autofree char *ins_path = g_build_filename (dir, "BN_instructions.json", NULL);
  g_autofree char *train_path = g_build_filename (dir, "BN_train.json", NULL);
  g_autofree char *store_path = g_build_filename (dir, "BN.json", NULL);
  g_autofree char *tr_dir = g_build_filename (dir, "translations", "BN", NULL);
  g_autofree char *tr_path = g_build_filename (tr_dir, "valid_output.json", NULL);
  g_autofree char *frame = NULL;
  FILE *ins, *train, *store, *tr;
  guint8 png[2048];

  /* A PNG signature and IHDR-looking bytes, then noise: only the magic is sniffed. */
  memset (png, 0, sizeof png);
  memcpy (png, "\x89PNG\r\n\x1a\n", 8);
  for (guint i = 8; i < sizeof png; i++)
    png[i] = (guint8) (i * 2654435761u >> 13);
  frame = g_base64_encode (png, sizeof png);

  g_mkdir_with_parents (tr_dir, 0755);
  ins = fopen (ins_path, "w");
  train = fopen (train_path, "w");
  store = fopen (store_path, "w");
  tr = fopen (tr_path, "w");
  g_assert (ins && train && store && tr);
  fputs ("{\"meta\": {\"version\": \"bench\"}, \"data\": {", ins);
  fputs ("{", train);
  fputs ("{", store);
  fputs ("[", tr);
  for (guint i = 0; i < n_pairs; i++)
    {
      g_autofree char *reply = NULL;
      GString *r = g_string_new ("{");

      fprintf (ins, "%s\"BN_INS_%08u\": {\"instruction\": \"What happens in clip %u?\", "
               "\"answer\": \"Something happens in clip %u, frame after frame, as described "
               "at length here so that texts have a realistic size.\", \"image_ids\": [",
               i ? "," : "", i, i, i);
      for (guint k = 0; k < FRAMES; k++)
        {
          fprintf (ins, "%s\"BN_IMG_clip_%08u_%04u\"", k ? ", " : "", i, k);
          fprintf (store, "%s\"BN_IMG_clip_%08u_%04u\": \"%s\"", i || k ? ",\n" : "", i, k, frame);
        }
      fprintf (ins, "], \"rel_ins_ids\": [\"BN_INS_%08u\"]}\n", (i + 1) % n_pairs);
      fprintf (train, "%s\"BN_INS_%08u\": [\"BN_INS_%08u\"]", i ? ",\n" : "", i,
               (i + 1) % n_pairs);
      for (guint f = 0; f < 2; f++)
        {
          g_string_append (r, f ? ", \"b\": {" : "\"a\": {");
          for (guint l = 0; l < G_N_ELEMENTS (langs); l++)
            g_string_append_printf (r, "%s\"%s\": \"%s text %u of pair %u\"", l ? ", " : "",
                                    langs[l], langs[l], f, i);
          g_string_append_c (r, '}');
        }
      g_string_append_c (r, '}');
      reply = g_string_free (r, FALSE);
      fprintf (tr, "%s{\"id\": \"BN_INS_%08u\", \"results\": ", i ? ",\n" : "", i);
      put_string (tr, reply);
      fputs ("}", tr);
    }
  fputs ("}}\n", ins);
  fputs ("}\n", train);
  fputs ("}\n", store);
  fputs ("]\n", tr);
  fclose (ins);
  fclose (train);
  fclose (store);
  fclose (tr);
}

static guint64
folder_size (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint64 total = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      GStatBuf st;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        total += folder_size (child);
      else if (g_stat (child, &st) == 0)
        total += st.st_size;
    }
  return total;
}

static int
export_only (const char *db,
             const char *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdStore) store = md_store_open (db, &error);
  g_autoptr(MdExportOptions) options = md_export_options_new ();
  g_autoptr(MdExportResult) result = NULL;

  if (store == NULL)
    g_error ("%s", error->message);
  result = md_export_run (store, NULL, options, out, NULL, NULL, NULL, &error);
  if (result == NULL)
    g_error ("%s", error->message);
  return 0;
}

static void
run_size (const char *self,
          guint       n_pairs)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mdbench-XXXXXX", &error);
  g_autofree char *src = g_build_filename (dir, "src", NULL);
  g_autofree char *db = g_build_filename (dir, "index.sqlite", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *cmd = NULL;
  g_autoptr(MdStore) store = NULL;
  const char *paths[] = { src, NULL };
  struct rusage usage;
  gint64 start, elapsed;
  guint64 out_size;
  int status;

  g_mkdir_with_parents (src, 0755);
  generate (src, n_pairs);
  store = md_store_open (db, &error);
  if (store == NULL || !md_store_import (store, paths, NULL, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  g_clear_object (&store);

  /* In a child, so the peak RSS that wait4() reports is the export's alone. */
  start = g_get_monotonic_time ();
  {
    char *child_argv[] = { (char *) self, "--export-only", db, out, NULL };
    pid_t pid = fork ();

    if (pid == 0)
      {
        execv (self, child_argv);
        _exit (127);
      }
    g_assert (pid > 0);
    g_assert (wait4 (pid, &status, 0, &usage) == pid);
  }
  elapsed = g_get_monotonic_time () - start;
  g_assert (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  out_size = folder_size (out);
  printf ("pairs %8u  images %9u  output %8.1f MB  export %6.2f s  %6.1f MB/s  "
          "peak RSS %6.1f MB  (RSS/output %.3f)\n",
          n_pairs, n_pairs * FRAMES, out_size / 1e6, elapsed / 1e6,
          out_size / 1e6 / (elapsed / 1e6), usage.ru_maxrss / 1024.0,
          usage.ru_maxrss * 1024.0 / out_size);
  cmd = g_strdup_printf ("rm -rf '%s'", dir);
  if (system (cmd) != 0)
    g_warning ("could not remove %s", dir);
}

int
main (int   argc,
      char *argv[])
{
  guint n;

  if (argc == 4 && strcmp (argv[1], "--export-only") == 0)
    return export_only (argv[2], argv[3]);
  n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 5000;
  run_size (argv[0], n);
  run_size (argv[0], n * 4);
  return 0;
}
