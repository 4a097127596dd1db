/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "md-review-merge.h"
#include "md-review-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cJSON, cJSON_Delete)

void
md_review_conflict_free (MdReviewConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->dataset);
  g_free (conflict->pair_id);
  g_free (conflict->lang);
  g_free (conflict->field);
  g_free (conflict->local_value);
  g_free (conflict->local_author);
  g_free (conflict->remote_value);
  g_free (conflict->remote_author);
  g_free (conflict);
}

void
md_review_merge_report_free (MdReviewMergeReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->conflicts, g_ptr_array_unref);
  g_clear_pointer (&report->errors, g_ptr_array_unref);
  g_free (report);
}

static void
add_string (cJSON      *object,
            const char *name,
            const char *value)
{
  if (value == NULL)
    cJSON_AddNullToObject (object, name);
  else
    cJSON_AddStringToObject (object, name, value);
}

static gboolean
same_file (const char *a,
           const char *b)
{
  GStatBuf sa, sb;

  return g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

/* A log must never replace a database: the review file itself (or its WAL and shared memory),
 * or any other SQLite file such as an index or another reviewer's review file. */
static gboolean
check_log_target (MdReviewStore  *self,
                  const char     *path,
                  GError        **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };
  static const char sqlite_magic[16] = "SQLite format 3";
  const char *review_path = md_review_store_get_path (self);
  char header[16];
  int fd;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (review_path, suffixes[i], NULL);

      if (same_file (path, file))
        {
          g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                       "%s: this is the review file%s itself; refusing to write the log over it "
                       "(expected a new .jsonl file)", path, suffixes[i]);
          return FALSE;
        }
    }
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
  if (fd < 0)
    return TRUE;
  if (read (fd, header, sizeof header) == sizeof header &&
      memcmp (header, sqlite_magic, sizeof header) == 0)
    {
      close (fd);
      g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                   "%s is an SQLite database (an index or a review file); refusing to replace it "
                   "with a log (expected a new .jsonl file)", path);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

gboolean
md_review_store_export_log (MdReviewStore  *self,
                            const char     *path,
                            GError        **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!check_log_target (self, path, error))
    return FALSE;
  entries = md_review_store_get_log (self, NULL, NULL, error);
  if (entries == NULL)
    return FALSE;

  for (guint i = 0; i < entries->len; i++)
    {
      const MdReviewEntry *entry = entries->pdata[i];
      g_autoptr(cJSON) object = cJSON_CreateObject ();
      g_autofree char *line = NULL;

      add_string (object, "uid", entry->uid);
      add_string (object, "action_kind", entry->action_kind);
      add_string (object, "dataset", entry->dataset);
      add_string (object, "id", entry->pair_id);
      add_string (object, "lang", entry->lang);
      add_string (object, "field", entry->field);
      add_string (object, "old", entry->old_value);
      add_string (object, "new", entry->new_value);
      add_string (object, "author", entry->author);
      add_string (object, "author_kind", md_review_author_kind_name (entry->author_kind));
      /* As an integer: cJSON prints doubles with 15 significant digits when they round-trip
       * within its tolerance, which turns 1700000000000000 into 1.7e+15 and big values into
       * something else entirely. */
      {
        char time[32];

        g_snprintf (time, sizeof time, "%" G_GINT64_FORMAT, entry->created_at);
        cJSON_AddRawToObject (object, "time", time);
      }
      line = cJSON_PrintUnformatted (object);
      g_string_append (out, line);
      g_string_append_c (out, '\n');
    }

  /* Written to a temporary file and renamed, so a crash never leaves half a log behind. */
  file = g_file_new_for_path (path);
  return g_file_replace_contents (file, out->str, out->len, NULL, FALSE, G_FILE_CREATE_NONE,
                                  NULL, NULL, error);
}

/* One parsed line of an imported log. */
typedef struct
{
  char   *uid;
  char   *dataset;
  char   *pair_id;
  char   *lang;
  char   *field;
  char   *old_value;
  char   *new_value;
  char   *author;
  char   *author_kind;
  gint64  time;
} Incoming;

static void
incoming_free (Incoming *in)
{
  g_free (in->uid);
  g_free (in->dataset);
  g_free (in->pair_id);
  g_free (in->lang);
  g_free (in->field);
  g_free (in->old_value);
  g_free (in->new_value);
  g_free (in->author);
  g_free (in->author_kind);
  g_free (in);
}

static gboolean
get_string (cJSON       *object,
            const char  *name,
            gboolean     nullable,
            char       **out_value)
{
  cJSON *item = cJSON_GetObjectItemCaseSensitive (object, name);

  if (item != NULL && cJSON_IsString (item) && g_utf8_validate (item->valuestring, -1, NULL))
    {
      *out_value = g_strdup (item->valuestring);
      return TRUE;
    }
  if (nullable && (item == NULL || cJSON_IsNull (item)))
    {
      *out_value = NULL;
      return TRUE;
    }
  return FALSE;
}

static Incoming *
parse_line (const char  *line,
            gsize        length,
            gint64       latest,
            gboolean    *out_future,
            char       **out_expected)
{
  g_autoptr(cJSON) object = cJSON_ParseWithLength (line, length);
  Incoming *in;
  cJSON *time;

  if (memchr (line, '\0', length) != NULL)
    {
      *out_expected = g_strdup ("the line holds a NUL byte; expected a JSON object");
      return NULL;
    }
  if (object == NULL || !cJSON_IsObject (object))
    {
      *out_expected = g_strdup ("expected a JSON object");
      return NULL;
    }
  in = g_new0 (Incoming, 1);
  time = cJSON_GetObjectItemCaseSensitive (object, "time");
  if (!get_string (object, "uid", FALSE, &in->uid) || *in->uid == '\0')
    *out_expected = g_strdup ("expected a non-empty string \"uid\"");
  else if (!get_string (object, "dataset", FALSE, &in->dataset) || *in->dataset == '\0' ||
           !get_string (object, "id", FALSE, &in->pair_id) || *in->pair_id == '\0')
    *out_expected = g_strdup ("expected non-empty strings \"dataset\" and \"id\"");
  else if (!get_string (object, "lang", FALSE, &in->lang) || !_md_review_is_known_lang (in->lang))
    *out_expected = g_strdup ("expected \"lang\" to be \"\" or one of en, zh, es, ja, de, fr, "
                              "ko, ar");
  else if (!get_string (object, "field", FALSE, &in->field) ||
           !_md_review_is_known_field (in->field))
    *out_expected = g_strdup ("expected \"field\" to be status, reasons, note, instruction or "
                              "answer");
  else if (!get_string (object, "old", TRUE, &in->old_value) ||
           !get_string (object, "new", TRUE, &in->new_value))
    *out_expected = g_strdup ("expected \"old\" and \"new\" to be strings or null");
  else if (!get_string (object, "author", FALSE, &in->author) || *in->author == '\0')
    *out_expected = g_strdup ("expected a non-empty string \"author\"");
  /* Written this way round so that NaN fails too; beyond 2^63 the cast to gint64 is undefined.
   * Every accepted time is below 2^53, where a double holds integers exactly. */
  else if (time == NULL || !cJSON_IsNumber (time) ||
           !(time->valuedouble >= 0 && time->valuedouble < 9.2e18) ||
           time->valuedouble != (double) (gint64) time->valuedouble)
    *out_expected = g_strdup ("expected \"time\" as an integer number of microseconds since "
                              "the epoch");
  /* A time from the future would win every merge and push every later local action after it:
   * refused, with the clock skew we allow. */
  else if ((gint64) time->valuedouble > latest && (*out_future = TRUE))
    *out_expected = g_strdup_printf ("\"time\" %" G_GINT64_FORMAT " is later than now plus "
                                     "%d minutes of clock skew; entry refused (import the log "
                                     "again once the writer's clock is right)",
                                     (gint64) time->valuedouble,
                                     (int) (MD_REVIEW_LOG_MAX_SKEW / G_USEC_PER_SEC / 60));
  else if (g_strcmp0 (in->field, MD_REVIEW_FIELD_STATUS) == 0 && in->new_value != NULL &&
           !md_review_status_from_name (in->new_value, NULL))
    *out_expected = g_strdup ("expected \"new\" to be a review status");
  else
    {
      if (!get_string (object, "author_kind", TRUE, &in->author_kind) || in->author_kind == NULL ||
          strcmp (in->author_kind, "model") != 0)
        {
          g_free (in->author_kind);
          in->author_kind = g_strdup ("person");
        }
      in->time = (gint64) time->valuedouble;
      return in;
    }
  incoming_free (in);
  return NULL;
}

static char *
key_of (const char *dataset,
        const char *pair_id,
        const char *lang,
        const char *field)
{
  /* The parts never contain a NUL, so NUL-free separators that cannot occur in ids suffice. */
  return g_strjoin ("\x1f", dataset, pair_id, lang, field, NULL);
}

static gboolean
later (gint64      time_a,
       const char *uid_a,
       gint64      time_b,
       const char *uid_b)
{
  return time_a > time_b || (time_a == time_b && strcmp (uid_a, uid_b) > 0);
}

/* Compares one key's local entries with the incoming ones and records a conflict when both sides
 * have entries the other lacks and they end on different values. */
static gboolean
check_conflict (MdReviewStore        *self,
                GPtrArray            *group,
                GHashTable           *known_uids,
                MdReviewMergeReport  *report,
                GError              **error)
{
  const Incoming *first = group->pdata[0];
  g_autoptr(GHashTable) remote_uids = g_hash_table_new (g_str_hash, g_str_equal);
  const Incoming *remote_last = NULL;
  g_autofree char *local_value = NULL;
  g_autofree char *local_author = NULL;
  g_autofree char *local_uid = NULL;
  gint64 local_time = 0;
  gboolean local_only = FALSE;
  sqlite3_stmt *stmt;
  MdReviewConflict *conflict;
  int rc;

  for (guint i = 0; i < group->len; i++)
    {
      const Incoming *in = group->pdata[i];

      g_hash_table_add (remote_uids, in->uid);
      if (remote_last == NULL || later (in->time, in->uid, remote_last->time, remote_last->uid))
        remote_last = in;
    }

  stmt = _md_review_store_prepare (self,
    "SELECT uid, new_value, author, created_at FROM review_log"
    " WHERE dataset = ? AND pair_id = ? AND lang = ? AND field = ? ORDER BY created_at, uid",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, first->dataset, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, first->pair_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, first->lang, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, first->field, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *uid = (const char *) sqlite3_column_text (stmt, 0);

      if (!g_hash_table_contains (remote_uids, uid))
        local_only = TRUE;
      /* Rows come oldest first: the last one is the local current value. */
      g_free (local_uid);
      g_free (local_value);
      g_free (local_author);
      local_uid = g_strdup (uid);
      local_value = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      local_author = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      local_time = sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _md_review_store_set_error (self, error, "could not read the log");
      return FALSE;
    }

  if (!local_only || g_hash_table_contains (known_uids, remote_last->uid))
    return TRUE;
  {
    gboolean remote_new = FALSE;

    for (guint i = 0; i < group->len && !remote_new; i++)
      remote_new = !g_hash_table_contains (known_uids, ((Incoming *) group->pdata[i])->uid);
    if (!remote_new || g_strcmp0 (local_value, remote_last->new_value) == 0)
      return TRUE;
  }

  conflict = g_new0 (MdReviewConflict, 1);
  conflict->dataset = g_strdup (first->dataset);
  conflict->pair_id = g_strdup (first->pair_id);
  conflict->lang = g_strdup (first->lang);
  conflict->field = g_strdup (first->field);
  conflict->local_value = g_steal_pointer (&local_value);
  conflict->local_author = g_steal_pointer (&local_author);
  conflict->local_time = local_time;
  conflict->remote_value = g_strdup (remote_last->new_value);
  conflict->remote_author = g_strdup (remote_last->author);
  conflict->remote_time = remote_last->time;
  conflict->remote_wins = later (remote_last->time, remote_last->uid, local_time, local_uid);
  g_ptr_array_add (report->conflicts, conflict);
  return TRUE;
}

static GHashTable *
lookup_known_uids (MdReviewStore  *self,
                   GPtrArray      *incoming,
                   GError        **error)
{
  g_autoptr(GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < incoming->len; i++)
    {
      Incoming *in = incoming->pdata[i];
      sqlite3_stmt *stmt = _md_review_store_prepare (self,
        "SELECT 1 FROM review_log WHERE uid = ?", error);
      int rc;

      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, in->uid, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_ROW)
        g_hash_table_add (known, in->uid);
      else if (rc != SQLITE_DONE)
        {
          _md_review_store_set_error (self, error, "could not read the log");
          return NULL;
        }
    }
  return g_steal_pointer (&known);
}

/* Reading a log: bounded lines from a file descriptor. */

#define READ_CHUNK (64 * 1024)

typedef enum
{
  LINE_OK,
  LINE_END,
  LINE_TOO_LONG,
  LINE_READ_ERROR,
} LineStatus;

typedef struct
{
  int      fd;
  char    *buffer;
  gsize    start;
  gsize    length;
  guint64  offset;   /* of buffer[start] in the file */
  gboolean eof;
  int      error;
} LineReader;

/* The next line, without its newline, into @line; *out_offset gets its byte offset. */
static LineStatus
read_line (LineReader *reader,
           GString    *line,
           guint64    *out_offset)
{
  g_string_truncate (line, 0);
  *out_offset = reader->offset;
  for (;;)
    {
      if (reader->start < reader->length)
        {
          const char *data = reader->buffer + reader->start;
          gsize available = reader->length - reader->start;
          const char *newline = memchr (data, '\n', available);
          gsize take = newline != NULL ? (gsize) (newline - data) : available;

          if (line->len + take > MD_REVIEW_LOG_MAX_LINE)
            return LINE_TOO_LONG;
          g_string_append_len (line, data, take);
          reader->start += take;
          reader->offset += take;
          if (newline != NULL)
            {
              reader->start++;
              reader->offset++;
              return LINE_OK;
            }
        }
      if (reader->eof)
        return line->len > 0 ? LINE_OK : LINE_END;
      {
        gssize n;

        do
          n = read (reader->fd, reader->buffer, READ_CHUNK);
        while (n < 0 && errno == EINTR);
        if (n < 0)
          {
            reader->error = errno;
            return LINE_READ_ERROR;
          }
        reader->start = 0;
        reader->length = n;
        reader->eof = n == 0;
      }
    }
}

/* The first errors are kept, then only counted: a file of garbage must not fill the memory. */
static void
add_error (MdReviewMergeReport *report,
           char                *message)
{
  if (report->errors->len < MD_REVIEW_LOG_MAX_ERRORS)
    g_ptr_array_add (report->errors, message);
  else
    {
      report->n_errors_dropped++;
      g_free (message);
    }
}

MdReviewMergeReport *
md_review_store_import_log (MdReviewStore  *self,
                            const char     *path,
                            GError        **error)
{
  g_autoptr(MdReviewMergeReport) report = g_new0 (MdReviewMergeReport, 1);
  g_autoptr(GPtrArray) incoming = g_ptr_array_new_with_free_func ((GDestroyNotify) incoming_free);
  g_autoptr(GHashTable) groups = NULL;
  g_autoptr(GPtrArray) group_order = g_ptr_array_new ();
  g_autoptr(GHashTable) known = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) line = g_string_new (NULL);
  LineReader reader = { 0 };
  LineStatus status;
  guint64 line_offset = 0;
  guint line_no = 0;
  gint64 latest;
  int fd;

  g_return_val_if_fail (MD_IS_REVIEW_STORE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  report->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) md_review_conflict_free);
  report->errors = g_ptr_array_new_with_free_func (g_free);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", path,
                   g_strerror (saved));
      return NULL;
    }
  reader.fd = fd;
  reader.buffer = g_malloc (READ_CHUNK);
  latest = g_get_real_time () + MD_REVIEW_LOG_MAX_SKEW;

  groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                  (GDestroyNotify) g_ptr_array_unref);
  /* Streamed line by line with a bounded line: a log of any size, or /dev/zero, never needs
   * more memory than its valid entries. */
  while ((status = read_line (&reader, line, &line_offset)) == LINE_OK)
    {
      g_autofree char *expected = NULL;
      gboolean future = FALSE;
      Incoming *in;
      gsize start = 0, end = line->len;

      line_no++;
      while (start < end && g_ascii_isspace (line->str[start]))
        start++;
      while (end > start && g_ascii_isspace (line->str[end - 1]))
        end--;
      if (start == end)
        continue;
      report->n_lines++;
      in = parse_line (line->str + start, end - start, latest, &future, &expected);
      if (in == NULL)
        {
          if (future)
            report->n_future++;
          add_error (report, g_strdup_printf ("%s:%u (byte %" G_GUINT64_FORMAT "): %s", path,
                                              line_no, line_offset, expected));
          continue;
        }
      if (g_hash_table_contains (seen, in->uid))
        {
          report->n_duplicates++;
          incoming_free (in);
          continue;
        }
      g_ptr_array_add (incoming, in);
      g_hash_table_add (seen, in->uid);
    }
  close (fd);
  g_free (reader.buffer);
  if (status == LINE_TOO_LONG)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "%s:%u (byte %" G_GUINT64_FORMAT "): line longer than %u MiB; expected one "
                   "review entry per line (nothing was imported)", path, line_no + 1,
                   line_offset, (guint) (MD_REVIEW_LOG_MAX_LINE >> 20));
      return NULL;
    }
  if (status == LINE_READ_ERROR)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (reader.error),
                   "%s: read error after line %u (byte %" G_GUINT64_FORMAT "): %s", path,
                   line_no, line_offset, g_strerror (reader.error));
      return NULL;
    }

  for (guint i = 0; i < incoming->len; i++)
    {
      Incoming *in = incoming->pdata[i];
      char *key = key_of (in->dataset, in->pair_id, in->lang, in->field);
      GPtrArray *group = g_hash_table_lookup (groups, key);

      if (group == NULL)
        {
          group = g_ptr_array_new ();
          g_hash_table_insert (groups, key, group);
          g_ptr_array_add (group_order, group);
        }
      else
        g_free (key);
      g_ptr_array_add (group, in);
    }

  if (!_md_review_store_begin (self, error))
    return NULL;
  known = lookup_known_uids (self, incoming, error);
  if (known == NULL)
    goto fail;

  /* Conflicts are judged before anything is appended, against the log as it was. */
  for (guint i = 0; i < group_order->len; i++)
    {
      if (!check_conflict (self, group_order->pdata[i], known, report, error))
        goto fail;
    }

  for (guint i = 0; i < incoming->len; i++)
    {
      Incoming *in = incoming->pdata[i];
      gboolean inserted = FALSE, applied = FALSE;

      if (g_hash_table_contains (known, in->uid))
        {
          report->n_duplicates++;
          continue;
        }
      if (report->action == 0)
        {
          report->action = _md_review_store_new_action (self, "import", 0, error);
          if (report->action < 0)
            goto fail;
        }
      if (!_md_review_store_append (self, report->action, in->uid, in->dataset, in->pair_id,
                                    in->lang, in->field, in->old_value, in->new_value, in->author,
                                    in->author_kind, in->time, &inserted, &applied, error))
        goto fail;
      if (inserted)
        {
          report->n_new++;
          if (applied)
            report->n_applied++;
          else
            report->n_superseded++;
        }
    }

  if (report->action == 0)
    _md_review_store_rollback (self);
  else if (!_md_review_store_commit (self, error))
    return NULL;
  return g_steal_pointer (&report);

fail:
  _md_review_store_rollback (self);
  return NULL;
}
