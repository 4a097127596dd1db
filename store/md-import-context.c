/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "md-import-private.h"
#include "md-map-guard-private.h"

/* The importer's shared context: mapping input files, progress, cancelling, problems and
 * datasets of the current file, and small JSON helpers of the readers. */

#define RELEASE_CHUNK (32 * 1024 * 1024)

/* Mapping and releasing ------------------------------------------------------------------------ */

gboolean
_md_mapped_open (Mapped      *m,
                 const char  *path,
                 GError     **error)
{
  struct stat st;

  memset (m, 0, sizeof *m);
  m->guard = -1;
  m->fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (m->fd < 0)
    {
      int saved = errno;

      g_set_error (error, MD_ERROR, MD_ERROR_IO, _("%s: cannot open: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  if (fstat (m->fd, &st) != 0)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_IO, _("%s: cannot stat"), path);
      close (m->fd);
      return FALSE;
    }
  m->len = st.st_size;
  if (m->len == 0)
    return TRUE;
  m->data = mmap (NULL, m->len, PROT_READ, MAP_PRIVATE, m->fd, 0);
  if (m->data == MAP_FAILED)
    {
      int saved = errno;

      m->data = NULL;
      g_set_error (error, MD_ERROR, MD_ERROR_IO, _("%s: cannot map: %s"), path,
                   g_strerror (saved));
      close (m->fd);
      return FALSE;
    }
  madvise (m->data, m->len, MADV_SEQUENTIAL);
  m->guard = _md_map_guard_add (m->data, m->len);
  return TRUE;
}

/* Drops the pages before `pos` from this process: the scan never goes back, and without this a
 * 50 GB store would count towards our resident memory as it is read. */
void
_md_mapped_release_before (Mapped *m,
                           gsize   pos)
{
  long page = sysconf (_SC_PAGESIZE);
  gsize upto;

  if (m->data == NULL || pos < m->released + RELEASE_CHUNK)
    return;
  upto = pos / page * page;
  madvise (m->data + m->released, upto - m->released, MADV_DONTNEED);
  m->released = upto;
}

gboolean
_md_mapped_cut_short (Mapped *m,
                      gsize  *cut_at)
{
  gboolean cut = _md_map_guard_remove (m->guard, cut_at);

  m->guard = -1;
  return cut;
}

void
_md_mapped_close (Mapped *m)
{
  _md_map_guard_remove (m->guard, NULL);
  m->guard = -1;
  if (m->data != NULL)
    munmap (m->data, m->len);
  if (m->fd >= 0)
    close (m->fd);
  m->data = NULL;
  m->fd = -1;
}


/* Helpers -------------------------------------------------------------------------------------- */

void
_md_importer_progress (Importer *imp,
                       gboolean  force)
{
  gint64 now;

  if (imp->progress == NULL)
    return;
  now = g_get_monotonic_time ();
  if (!force && now - imp->last_progress < 100 * 1000)
    return;
  imp->last_progress = now;
  imp->progress (imp->bytes_done, imp->bytes_total, imp->records_done, imp->path,
                 imp->progress_data);
}

gboolean
_md_importer_check_cancel (Importer  *imp,
                           GError   **error)
{
  return !g_cancellable_set_error_if_cancelled (imp->cancellable, error);
}

gboolean
_md_importer_problem (Importer       *imp,
                      MdProblemKind   kind,
                      const char     *pair_id,
                      const char     *ref,
                      const char     *detail,
                      GError        **error)
{
  if (!_md_problem_write (&imp->problems, kind, imp->dataset_id, imp->file_id, pair_id, ref, -1,
                          detail, error))
    return FALSE;
  imp->n_problems++;
  return TRUE;
}

gboolean
_md_importer_step (Importer     *imp,
                   sqlite3_stmt *stmt,
                   const char   *doing,
                   GError      **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _md_index_set_error (imp->db, error, doing);
  return TRUE;
}

gint64
_md_importer_ensure_dataset (Importer    *imp,
                             const char  *code,
                             GError     **error)
{
  g_auto(sqlite3_stmt_ptr) insert = NULL;
  g_auto(sqlite3_stmt_ptr) select = NULL;

  if (code == NULL)
    return 0;
  insert = _md_index_prepare (imp->db, "INSERT OR IGNORE INTO datasets (code) VALUES (?)", error);
  select = _md_index_prepare (imp->db, "SELECT id FROM datasets WHERE code = ?", error);
  if (insert == NULL || select == NULL)
    return -1;
  sqlite3_bind_text (insert, 1, code, -1, SQLITE_STATIC);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      _md_index_set_error (imp->db, error, "adding a dataset");
      return -1;
    }
  sqlite3_bind_text (select, 1, code, -1, SQLITE_STATIC);
  if (sqlite3_step (select) != SQLITE_ROW)
    {
      _md_index_set_error (imp->db, error, "reading a dataset");
      return -1;
    }
  return sqlite3_column_int64 (select, 0);
}


void
_md_join_ids (GString *out,
              cJSON   *item)
{
  g_string_truncate (out, 0);
  if (cJSON_IsString (item))
    g_string_append (out, item->valuestring);
  else if (cJSON_IsArray (item))
    {
      cJSON *element;

      cJSON_ArrayForEach (element, item)
        {
          if (out->len > 0)
            g_string_append_c (out, '\n');
          g_string_append (out, element->valuestring);
        }
    }
}

/* Whether `item` is absent, a string, or an array of strings. */
gboolean
_md_is_id_list (cJSON *item)
{
  cJSON *element;

  if (item == NULL || cJSON_IsNull (item) || cJSON_IsString (item))
    return TRUE;
  if (!cJSON_IsArray (item))
    return FALSE;
  cJSON_ArrayForEach (element, item)
    if (!cJSON_IsString (element) || element->valuestring == NULL)
      return FALSE;
  return TRUE;
}

const char *
_md_json_type_name (cJSON *item)
{
  if (cJSON_IsString (item)) return "a string";
  if (cJSON_IsNumber (item)) return "a number";
  if (cJSON_IsBool (item)) return "a boolean";
  if (cJSON_IsNull (item)) return "null";
  if (cJSON_IsArray (item)) return "an array";
  if (cJSON_IsObject (item)) return "an object";
  return "invalid";
}

