/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared pieces of the libFuzzer targets: a private temporary folder per process and quiet
 * logging (the libraries log rejected input at debug level, which would flood the fuzzer). */

#include <glib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
md_fuzz_log_nothing (const char     *log_domain,
                     GLogLevelFlags  log_level,
                     const char     *message,
                     gpointer        user_data)
{
}

/* A private folder (0700) that lives as long as the fuzzing process. */
static inline const char *
md_fuzz_dir (void)
{
  static char *dir = NULL;

  if (dir == NULL)
    {
      GError *error = NULL;

      g_log_set_default_handler (md_fuzz_log_nothing, NULL);
      dir = g_dir_make_tmp ("mdfuzz-XXXXXX", &error);
      if (dir == NULL)
        g_error ("cannot create a temporary folder: %s", error->message);
    }
  return dir;
}

/* Writes the input to DIR/NAME and returns the path (owned by the caller). */
static inline char *
md_fuzz_write (const char    *name,
               const uint8_t *data,
               size_t         size)
{
  char *path = g_build_filename (md_fuzz_dir (), name, NULL);
  GError *error = NULL;

  if (!g_file_set_contents (path, (const char *) data, size, &error))
    g_error ("cannot write %s: %s", path, error->message);
  return path;
}

/* The input as a NUL-terminated string (inputs may hold NUL bytes; the parsers see what a
 * C string of them would be). */
static inline char *
md_fuzz_string (const uint8_t *data,
                size_t         size)
{
  return g_strndup ((const char *) data, size);
}
