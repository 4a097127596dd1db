/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Fixtures for store tests: a temporary folder per test, small files written into it, and an
 * index inside it. */

#include <glib/gstdio.h>
#include <string.h>

#include "md-store.h"

typedef struct
{
  char    *dir;
  char    *db_path;
  MdStore *store;
} MdTestDir;

static inline void
md_test_rm_rf (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      GDir *dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          char *child = g_build_filename (path, name, NULL);

          md_test_rm_rf (child);
          g_free (child);
        }
      if (dir != NULL)
        g_dir_close (dir);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static inline void
md_test_dir_init (MdTestDir *t)
{
  GError *error = NULL;

  t->dir = g_dir_make_tmp ("mdstore-XXXXXX", &error);
  g_assert_no_error (error);
  t->db_path = g_build_filename (t->dir, "index", "index.sqlite", NULL);
  t->store = md_store_open (t->db_path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (t->store);
}

static inline void
md_test_dir_clear (MdTestDir *t)
{
  g_clear_object (&t->store);
  md_test_rm_rf (t->dir);
  g_free (t->dir);
  g_free (t->db_path);
}

/* Writes `len` bytes (-1: a string) to DIR/NAME, creating subfolders; returns the path. */
static inline char *
md_test_write (MdTestDir  *t,
               const char *name,
               const char *contents,
               gssize      len)
{
  char *path = g_build_filename (t->dir, name, NULL);
  char *parent = g_path_get_dirname (path);
  GError *error = NULL;

  g_mkdir_with_parents (parent, 0755);
  g_free (parent);
  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return path;
}

/* Imports the given paths (NULL-terminated); the report is returned, FALSE results asserted
 * through *out_ok. */
static inline MdImportReport *
md_test_import (MdTestDir   *t,
                gboolean    *out_ok,
                GError     **error,
                ...)
{
  GPtrArray *paths = g_ptr_array_new ();
  MdImportReport *report = NULL;
  const char *path;
  va_list args;
  gboolean ok;

  va_start (args, error);
  while ((path = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (paths, (gpointer) path);
  va_end (args);
  g_ptr_array_add (paths, NULL);
  ok = md_store_import (t->store, (const char * const *) paths->pdata, NULL, NULL, NULL, &report,
                        error);
  if (out_ok != NULL)
    *out_ok = ok;
  g_ptr_array_unref (paths);
  return report;
}

static inline MdImportedFile *
md_test_report_file (MdImportReport *report,
                     const char     *basename)
{
  GPtrArray *files = md_import_report_get_files (report);

  for (guint i = 0; i < files->len; i++)
    {
      MdImportedFile *file = g_ptr_array_index (files, i);

      if (g_str_has_suffix (file->path, basename))
        return file;
    }
  return NULL;
}

static inline guint64
md_test_count_problems (MdStore    *store,
                        const char *kind)
{
  GPtrArray *counts = md_store_count_problems (store, NULL, NULL);
  guint64 n = 0;

  for (guint i = 0; i < counts->len; i++)
    {
      MdProblemCount *count = g_ptr_array_index (counts, i);

      if (strcmp (count->kind, kind) == 0)
        n = count->count;
    }
  g_ptr_array_unref (counts);
  return n;
}

/* Whether some problem of the pair has this kind and its detail contains `needle`. */
static inline gboolean
md_test_pair_has_problem (MdStore    *store,
                          const char *pair_id,
                          const char *kind,
                          const char *needle)
{
  GPtrArray *problems = md_store_list_pair_problems (store, pair_id, NULL);
  gboolean found = FALSE;

  for (guint i = 0; i < problems->len && !found; i++)
    {
      const char *line = g_ptr_array_index (problems, i);

      found = g_str_has_prefix (line, kind) && line[strlen (kind)] == ':' &&
              (needle == NULL || strstr (line, needle) != NULL);
    }
  g_ptr_array_unref (problems);
  return found;
}
