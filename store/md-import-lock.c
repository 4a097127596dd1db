/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "md-import-private.h"

/* One import per index at a time. Two at once each saw the other's files as new, recorded
 * every problem twice, and left fingerprints that made later imports skip the files. The lock
 * is flock() on a file beside the index: it goes with the process, however that ends, and the
 * file says who holds it. */

static char *
lock_path_of (const char *index_path)
{
  return g_strconcat (index_path, ".import-lock", NULL);
}

int
_md_import_lock (const char  *index_path,
                 GError     **error)
{
  g_autofree char *path = lock_path_of (index_path);
  g_autofree char *dir = g_path_get_dirname (index_path);
  g_autofree char *program = NULL;
  g_autofree char *holder = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *since = g_date_time_format (now, "%F %T");
  int fd;

  g_mkdir_with_parents (dir, 0755);
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, MD_ERROR, MD_ERROR_IO, _("%s: cannot open the import lock: %s"), path,
                   g_strerror (saved));
      return -1;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved = errno;
      char buffer[512];
      gssize n = saved == EWOULDBLOCK ? pread (fd, buffer, sizeof buffer - 1, 0) : -1;

      close (fd);
      if (saved != EWOULDBLOCK)
        {
          g_set_error (error, MD_ERROR, MD_ERROR_IO, _("%s: cannot take the import lock: %s"),
                       path,
                       g_strerror (saved));
          return -1;
        }
      buffer[MAX (n, 0)] = '\0';
      g_strchomp (buffer);
      g_set_error (error, MD_ERROR, MD_ERROR_BUSY,
                   _("%s: another import into this index is running (%s); wait for it to end, "
                     "or stop it, then import again"), index_path,
                   buffer[0] != '\0' ? buffer : _("its process did not say which it is"));
      return -1;
    }

  program = g_path_get_basename (g_get_prgname () != NULL ? g_get_prgname () : "unnamed");
  holder = g_strdup_printf ("process %d, %s, on %s, since %s\n", (int) getpid (), program,
                            g_get_host_name (), since);
  if (ftruncate (fd, 0) != 0 || pwrite (fd, holder, strlen (holder), 0) < 0)
    g_debug ("%s: cannot say who holds the import lock: %s", path, g_strerror (errno));
  return fd;
}

void
_md_import_unlock (int fd)
{
  if (fd < 0)
    return;
  /* Emptied first: a reader that opens the file after the unlock finds no stale holder. */
  if (ftruncate (fd, 0) != 0)
    g_debug ("cannot empty the import lock: %s", g_strerror (errno));
  flock (fd, LOCK_UN);
  close (fd);
}
