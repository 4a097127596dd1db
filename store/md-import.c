/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>
#include <glib/gstdio.h>

#include "md-base64.h"
#include "md-import-parquet-private.h"
#include "md-import-record-private.h"
#include "md-import-report-private.h"
#include "md-import-syphus-private.h"
#include "md-json-scan.h"
#include "md-py-literal.h"
#include "md-store-private.h"
#include "md-translation-private.h"

/* Import: every input file is memory-mapped and scanned once. Each file is imported in its own
 * transaction, so a failure leaves the index as it was before that file. Problems that need all
 * inputs (missing images, dangling links) are computed afterwards, then the full-text index is
 * brought up to date in a separate, resumable phase. */

#define RELEASE_CHUNK (32 * 1024 * 1024)
/* One statement inserts this many rows: a statement's set-up (cursors, transaction check, reset)
 * costs about as much as a narrow row. */
#define ROWS_PER_INSERT 32
#define PEEK_SIZE 4096
#define CHECK_EVERY 4096

typedef struct
{
  char       *path;
  MdFileKind  kind;
  char       *dataset;
  gboolean    skip;
  guint64     size;
  gboolean    parquet;    /* a Parquet file or folder of parts: md-import-parquet.c */
  MdSyphusFailures syphus_failures;   /* a Syphus failure file: md-import-syphus-failures.c */
} Input;

typedef struct
{
  sqlite3              *db;
  MdImportReport       *report;
  MdImportProgressFunc  progress;
  gpointer              progress_data;
  GCancellable         *cancellable;
  guint64               bytes_total;
  guint64               bytes_done;
  guint64               records_done;
  gint64                last_progress;
  guint64               file_base;      /* bytes_done when the current file started */
  gint64                fts_marker;
  gint64                next_pair_rowid;
  gboolean              changed;

  /* The file being imported. */
  const char           *path;
  gint64                file_id;
  gint64                dataset_id;
  guint64               n_records;
  guint64               n_problems;

  sqlite3_stmt         *insert_pair;
  sqlite3_stmt         *insert_refs;
  sqlite3_stmt         *insert_text;
  /* Pairs whose row is in, waiting for their text and id lists: written ROWS_PER_INSERT at a
   * time (md-import.c, "Instruction files"). */
  sqlite3_stmt         *insert_texts_en;
  sqlite3_stmt         *insert_many_refs;
  MdParsedPair         *pending[ROWS_PER_INSERT];
  gint64                pending_rowid[ROWS_PER_INSERT];
  guint                 n_pending;
  sqlite3_stmt         *insert_problem;
  sqlite3_stmt         *insert_image;
  sqlite3_stmt         *insert_train;
} Importer;

typedef struct
{
  int    fd;
  char  *data;
  gsize  len;
  gsize  released;
} Mapped;

static void
input_free (Input *input)
{
  g_free (input->path);
  g_free (input->dataset);
  g_free (input);
}

/* Mapping and releasing ------------------------------------------------------------------------ */

static gboolean
mapped_open (Mapped      *m,
             const char  *path,
             GError     **error)
{
  struct stat st;

  memset (m, 0, sizeof *m);
  m->fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (m->fd < 0)
    {
      int saved = errno;

      g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: cannot open: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (fstat (m->fd, &st) != 0)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: cannot stat", path);
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
      g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: cannot map: %s", path, g_strerror (saved));
      close (m->fd);
      return FALSE;
    }
  madvise (m->data, m->len, MADV_SEQUENTIAL);
  return TRUE;
}

/* Drops the pages before `pos` from this process: the scan never goes back, and without this a
 * 50 GB store would count towards our resident memory as it is read. */
static void
mapped_release_before (Mapped *m,
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

static void
mapped_close (Mapped *m)
{
  if (m->data != NULL)
    munmap (m->data, m->len);
  if (m->fd >= 0)
    close (m->fd);
  m->data = NULL;
  m->fd = -1;
}

/* Classification --------------------------------------------------------------------------------- */

static gsize
peek_file (const char *path,
           char       *buffer,
           gsize       size)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  gssize n;

  if (fd < 0)
    return 0;
  n = read (fd, buffer, size - 1);
  close (fd);
  if (n < 0)
    n = 0;
  buffer[n] = '\0';
  return n;
}

static const char *
skip_bom_ws (const char *p)
{
  if (memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
    p++;
  return p;
}

static Input *
classify (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  Input *input = g_new0 (Input, 1);
  char peek[PEEK_SIZE];
  const char *p;

  input->path = g_strdup (path);
  input->kind = MD_FILE_KIND_UNKNOWN;
  input->skip = TRUE;

  if (_md_import_parquet_classify (path, &input->kind, &input->dataset, &input->size))
    {
      input->parquet = TRUE;
      input->skip = FALSE;
      return input;
    }

  if (g_str_has_suffix (base, "_instructions.json") && strlen (base) > strlen ("_instructions.json"))
    {
      input->kind = MD_FILE_KIND_INSTRUCTIONS;
      input->dataset = g_strndup (base, strlen (base) - strlen ("_instructions.json"));
      input->skip = FALSE;
      return input;
    }
  if (g_str_has_suffix (base, "_train.json") && strlen (base) > strlen ("_train.json"))
    {
      input->kind = MD_FILE_KIND_TRAIN;
      input->dataset = g_strndup (base, strlen (base) - strlen ("_train.json"));
      input->skip = FALSE;
      return input;
    }
  if (strcmp (base, "valid_output.json") == 0)
    {
      input->kind = MD_FILE_KIND_TRANSLATION;
      input->skip = FALSE;
      return input;
    }
  input->syphus_failures = _md_import_syphus_failures_kind (base);
  if (input->syphus_failures != MD_SYPHUS_FAILURES_NONE)
    {
      input->kind = MD_FILE_KIND_TRANSLATION;
      input->skip = FALSE;
      return input;
    }
  if (strcmp (base, "meta.json") == 0)
    {
      /* The rest of a Syphus output folder: nothing in them is indexed. */
      input->kind = MD_FILE_KIND_TRANSLATION;
      return input;
    }
  if (g_str_has_suffix (base, ".py") && base[0] != '.')
    {
      /* Otter's prompt modules (translation_prompt.py, coco_spot_the_difference_prompt.py). */
      peek_file (path, peek, sizeof peek);
      if (strstr (skip_bom_ws (peek), "system_message") != NULL)
        {
          input->kind = MD_FILE_KIND_PROMPT;
          input->dataset = g_strndup (base, strlen (base) - strlen (".py"));
          input->skip = FALSE;
        }
      return input;
    }
  if (!g_str_has_suffix (base, ".json") || base[0] == '.')
    return input;

  peek_file (path, peek, sizeof peek);
  p = skip_bom_ws (peek);
  if (strstr (p, "\"system_message\"") != NULL && *p == '{')
    {
      input->kind = MD_FILE_KIND_PROMPT;
      input->dataset = g_strndup (base, strlen (base) - strlen (".json"));
      input->skip = FALSE;
      return input;
    }
  if (*p == '{')
    {
      const char *key = skip_bom_ws (p + 1);
      const char *key_end = *key == '"' ? strchr (key + 1, '"') : NULL;

      if (key_end != NULL)
        {
          g_autofree char *first = g_strndup (key + 1, key_end - key - 1);

          if (strstr (first, "_IMG_") != NULL)
            {
              input->kind = MD_FILE_KIND_IMAGE_STORE;
              input->dataset = g_strndup (base, strlen (base) - strlen (".json"));
              input->skip = FALSE;
            }
        }
    }
  return input;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char **) a, *(char **) b);
}

/* Folders are identified by device and inode: a symbolic link back to a parent (a loop) or two
 * links to one folder must not make the walk endless or import the same files twice. */
static void
collect_folder (const char *folder,
                GHashTable *visited,
                GPtrArray  *out_paths)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  GStatBuf st;
  char *key;

  if (g_stat (folder, &st) != 0)
    return;
  key = g_strdup_printf ("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT,
                         (guint64) st.st_dev, (guint64) st.st_ino);
  if (!g_hash_table_add (visited, key))
    return;
  dir = g_dir_open (folder, 0, NULL);
  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (folder, g_ptr_array_index (names, i), NULL);

      if (_md_import_parquet_is_part_folder (child))
        g_ptr_array_add (out_paths, g_steal_pointer (&child));
      else if (g_file_test (child, G_FILE_TEST_IS_DIR))
        collect_folder (child, visited, out_paths);
      else if (g_file_test (child, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (out_paths, g_steal_pointer (&child));
    }
}

static int
kind_rank (MdFileKind kind)
{
  /* Pairs first, then what refers to them. */
  switch (kind)
    {
    case MD_FILE_KIND_INSTRUCTIONS: return 0;
    case MD_FILE_KIND_IMAGE_STORE: return 1;
    case MD_FILE_KIND_TRAIN: return 2;
    case MD_FILE_KIND_TRANSLATION: return 3;
    case MD_FILE_KIND_PROMPT: return 4;
    case MD_FILE_KIND_UNKNOWN:
    default: return 5;
    }
}

static int
compare_inputs (gconstpointer a,
                gconstpointer b)
{
  const Input *ia = *(Input **) a;
  const Input *ib = *(Input **) b;

  return kind_rank (ia->kind) - kind_rank (ib->kind);
}

/* Helpers ---------------------------------------------------------------------------------------- */

static void
report_progress (Importer *imp,
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

static gboolean
check_cancel (Importer  *imp,
              GError   **error)
{
  return !g_cancellable_set_error_if_cancelled (imp->cancellable, error);
}

static gboolean
add_problem (Importer    *imp,
             const char  *kind,
             const char  *pair_id,
             const char  *ref,
             const char  *detail,
             GError     **error)
{
  sqlite3_stmt *s = imp->insert_problem;

  sqlite3_reset (s);
  sqlite3_bind_text (s, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_int (s, 2, MD_PROBLEM_PHASE_FILE);
  if (imp->dataset_id > 0)
    sqlite3_bind_int64 (s, 3, imp->dataset_id);
  else
    sqlite3_bind_null (s, 3);
  sqlite3_bind_int64 (s, 4, imp->file_id);
  sqlite3_bind_text (s, 5, pair_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 6, ref, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, 7, detail, -1, SQLITE_STATIC);
  if (sqlite3_step (s) != SQLITE_DONE)
    return _md_index_set_error (imp->db, error, "recording a problem");
  imp->n_problems++;
  return TRUE;
}

static gboolean
step_done (Importer     *imp,
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

static gint64
ensure_dataset (Importer    *imp,
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

/* A cheap fingerprint: size and hashes of the first, middle and last 64 KiB. Together with
 * size and mtime it tells an unchanged file without reading gigabytes. */
static char *
fingerprint_file (const char *path,
                  guint64     size)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA1);
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  guint64 offsets[3] = { 0, size / 2, size > 65536 ? size - 65536 : 0 };
  g_autofree guchar *buffer = g_malloc (65536);

  if (fd < 0)
    return NULL;
  g_checksum_update (sum, (const guchar *) &size, sizeof size);
  for (guint i = 0; i < 3; i++)
    {
      gssize n = pread (fd, buffer, 65536, offsets[i]);

      if (n > 0)
        g_checksum_update (sum, buffer, n);
    }
  close (fd);
  return g_strdup (g_checksum_get_string (sum));
}

static void
join_ids (GString *out,
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
static gboolean
is_id_list (cJSON *item)
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

static const char *
json_type_name (cJSON *item)
{
  if (cJSON_IsString (item)) return "a string";
  if (cJSON_IsNumber (item)) return "a number";
  if (cJSON_IsBool (item)) return "a boolean";
  if (cJSON_IsNull (item)) return "null";
  if (cJSON_IsArray (item)) return "an array";
  if (cJSON_IsObject (item)) return "an object";
  return "invalid";
}

char *
_md_image_clip_of (const char *image_id)
{
  const char *img = strstr (image_id, "_IMG_");
  gsize len = strlen (image_id);
  gsize end = len;

  while (end > 0 && g_ascii_isdigit (image_id[end - 1]))
    end--;
  if (end == len || end == 0 || image_id[end - 1] != '_')
    return NULL;
  end--;
  /* "VST_IMG_12345" is a photo, not frame 12345 of clip "VST_IMG". */
  if (img == NULL || (gsize) (img - image_id) + strlen ("_IMG_") > end)
    return NULL;
  return g_strndup (image_id, end);
}

/* Removing what a file contributed ------------------------------------------------------------ */

static gboolean
delete_texts_of_pair_range (Importer    *imp,
                            gint64       first_key,
                            gint64       last_key,
                            GError     **error)
{
  g_auto(sqlite3_stmt_ptr) fts = NULL;
  g_auto(sqlite3_stmt_ptr) del = NULL;

  /* External-content FTS5 needs the old values to forget a row. */
  if (first_key <= imp->fts_marker)
    {
      fts = _md_index_prepare (imp->db,
                               "INSERT INTO search.fts (fts, rowid, instruction, answer) "
                               "SELECT 'delete', key, instruction, answer FROM texts "
                               "WHERE key BETWEEN ?1 AND ?2 AND key <= ?3", error);
      if (fts == NULL)
        return FALSE;
      sqlite3_bind_int64 (fts, 1, first_key);
      sqlite3_bind_int64 (fts, 2, last_key);
      sqlite3_bind_int64 (fts, 3, imp->fts_marker);
      if (!step_done (imp, fts, "removing texts from the search index", error))
        return FALSE;
    }
  del = _md_index_prepare (imp->db, "DELETE FROM texts WHERE key BETWEEN ? AND ?", error);
  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, first_key);
  sqlite3_bind_int64 (del, 2, last_key);
  return step_done (imp, del, "removing texts", error);
}

/* The translation files that wrote into these pairs must be read again after the pairs are
 * replaced: their fingerprints are cleared and their paths returned. */
static gboolean
forget_pairs_of_file (Importer    *imp,
                      GPtrArray   *requeue,
                      GError     **error)
{
  g_auto(sqlite3_stmt_ptr) pairs = NULL;
  g_auto(sqlite3_stmt_ptr) origins = NULL;
  g_auto(sqlite3_stmt_ptr) refs = NULL;
  g_auto(sqlite3_stmt_ptr) del = NULL;
  g_autoptr(GHashTable) origin_ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* Through the dataset's index: one index less to fill for every pair imported. */
  pairs = _md_index_prepare (imp->db, "SELECT rowid FROM pairs WHERE dataset_id = ? AND "
                                      "file_id = ?", error);
  refs = _md_index_prepare (imp->db, "DELETE FROM pair_refs WHERE pair_rowid = ?", error);
  origins = _md_index_prepare (imp->db,
                               "SELECT DISTINCT instruction_origin FROM texts "
                               "WHERE key BETWEEN ?1 * 8 + 1 AND ?1 * 8 + 7 "
                               "AND instruction_origin IS NOT NULL", error);
  if (pairs == NULL || origins == NULL || refs == NULL)
    return FALSE;
  sqlite3_bind_int64 (pairs, 1, imp->dataset_id);
  sqlite3_bind_int64 (pairs, 2, imp->file_id);
  while (sqlite3_step (pairs) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (pairs, 0);

      g_array_append_val (ids, rowid);
    }
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 rowid = g_array_index (ids, gint64, i);

      sqlite3_reset (origins);
      sqlite3_bind_int64 (origins, 1, rowid);
      while (sqlite3_step (origins) == SQLITE_ROW)
        {
          gint64 value = sqlite3_column_int64 (origins, 0);

          /* g_hash_table_add() replaces an equal key with the new pointer: check first, or
           * the table would keep a pointer freed here. */
          if (!g_hash_table_contains (origin_ids, &value))
            g_hash_table_add (origin_ids, g_memdup2 (&value, sizeof value));
        }
      if (!delete_texts_of_pair_range (imp, MD_TEXT_KEY (rowid, 0), MD_TEXT_KEY (rowid, 7), error))
        return FALSE;
      sqlite3_reset (refs);
      sqlite3_bind_int64 (refs, 1, rowid);
      if (!step_done (imp, refs, "removing image and in-context ids", error))
        return FALSE;
    }

  if (g_hash_table_size (origin_ids) > 0)
    {
      g_auto(sqlite3_stmt_ptr) path = _md_index_prepare (imp->db,
        "UPDATE files SET fingerprint = NULL WHERE id = ? RETURNING path", error);
      GHashTableIter iter;
      gint64 *origin;

      if (path == NULL)
        return FALSE;
      g_hash_table_iter_init (&iter, origin_ids);
      while (g_hash_table_iter_next (&iter, (gpointer *) &origin, NULL))
        {
          sqlite3_reset (path);
          sqlite3_bind_int64 (path, 1, *origin);
          if (sqlite3_step (path) == SQLITE_ROW)
            g_ptr_array_add (requeue, g_strdup ((const char *) sqlite3_column_text (path, 0)));
          g_free (origin);
        }
      g_hash_table_steal_all (origin_ids);
    }

  del = _md_index_prepare (imp->db, "DELETE FROM pairs WHERE dataset_id = ? AND file_id = ?",
                           error);
  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, imp->dataset_id);
  sqlite3_bind_int64 (del, 2, imp->file_id);
  return step_done (imp, del, "removing the pairs of a file", error);
}

static gboolean
forget_translations_of_file (Importer  *imp,
                             GError   **error)
{
  g_auto(sqlite3_stmt_ptr) keys = NULL;
  g_auto(sqlite3_stmt_ptr) langs = NULL;
  g_auto(sqlite3_stmt_ptr) update = NULL;
  g_autoptr(GArray) list = g_array_new (FALSE, FALSE, sizeof (gint64));

  keys = _md_index_prepare (imp->db, "SELECT key FROM texts WHERE instruction_origin = ?", error);
  if (keys == NULL)
    return FALSE;
  sqlite3_bind_int64 (keys, 1, imp->file_id);
  while (sqlite3_step (keys) == SQLITE_ROW)
    {
      gint64 key = sqlite3_column_int64 (keys, 0);

      g_array_append_val (list, key);
    }
  langs = _md_index_prepare (imp->db, "SELECT key & 7 FROM texts WHERE key BETWEEN ?1 * 8 "
                                      "AND ?1 * 8 + 7 AND (coalesce(instruction, '') <> '' OR "
                                      "coalesce(answer, '') <> '')", error);
  update = _md_index_prepare (imp->db, "UPDATE pairs SET languages = ? WHERE rowid = ?", error);
  if (langs == NULL || update == NULL)
    return FALSE;
  for (guint i = 0; i < list->len; i++)
    {
      gint64 key = g_array_index (list, gint64, i);
      guint mask = 0;

      if (!delete_texts_of_pair_range (imp, key, key, error))
        return FALSE;
      sqlite3_reset (langs);
      sqlite3_bind_int64 (langs, 1, key >> 3);
      while (sqlite3_step (langs) == SQLITE_ROW)
        mask |= 1u << sqlite3_column_int (langs, 0);
      sqlite3_bind_int (update, 1, mask);
      sqlite3_bind_int64 (update, 2, key >> 3);
      if (!step_done (imp, update, "updating the languages of a pair", error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
forget_file (Importer    *imp,
             MdFileKind   kind,
             GPtrArray   *requeue,
             GError     **error)
{
  static const char * const by_file[] = {
    "DELETE FROM problems WHERE file_id = ?",
    "DELETE FROM images WHERE file_id = ?",
    "DELETE FROM parquet_locations WHERE file_id = ?",
    "DELETE FROM image_prefixes WHERE file_id = ?",
    "DELETE FROM train_links WHERE file_id = ?",
    "DELETE FROM prompts WHERE file_id = ?",
  };

  if (kind == MD_FILE_KIND_INSTRUCTIONS && !forget_pairs_of_file (imp, requeue, error))
    return FALSE;
  if (kind == MD_FILE_KIND_TRANSLATION && !forget_translations_of_file (imp, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (by_file); i++)
    {
      g_auto(sqlite3_stmt_ptr) stmt = _md_index_prepare (imp->db, by_file[i], error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, imp->file_id);
      if (!step_done (imp, stmt, "removing what a file contributed", error))
        return FALSE;
    }
  return TRUE;
}

/* Instruction files ---------------------------------------------------------------------------- */

/* An instruction file is read by two threads: a reader scans the mapping and parses each record
 * (scanner, escape repair, cJSON, id lists, modality), the importing thread writes the rows. On
 * two cores the parsing then costs no time of its own: SQLite is the slower half. Batches go
 * through a small fixed set of buffers, so memory stays flat however large the file is. */

#define PAIR_BATCH 1024
#define N_PAIR_BATCHES 4

typedef struct
{
  MdParsedPair pairs[PAIR_BATCH];
  guint       n;
  gsize       scan_pos;       /* where the scan was when the batch was full */
  gboolean    last;           /* nothing follows: the reader has finished */
  GError     *error;          /* why the reader stopped early (with `last`) */
} PairBatch;

typedef struct
{
  Mapped        *m;
  const char    *path;
  GAsyncQueue   *full;
  GAsyncQueue   *empty;
  gint           stop;        /* set by the writer when it gives up */
  double         cpu_seconds;
} PairReader;

/* Frees what a batch held. The reader does it when it takes a batch back, so that the writing
 * thread, the slower one, spends nothing on it. */
static PairBatch *
pair_batch_reuse (PairBatch *batch)
{
  for (guint i = 0; i < batch->n; i++)
    _md_parsed_pair_clear (&batch->pairs[i]);
  batch->n = 0;
  return batch;
}

/* Scans the whole file; every batch, the last one included, goes to `full`. */
static gboolean
read_pairs (PairReader  *reader,
            PairBatch  **batch,
            GError     **error)
{
  Mapped *m = reader->m;
  MdJsonScan scan;
  MdJsonSpan key, value;
  gboolean has_next;
  gboolean seen_data = FALSE;
  g_autoptr(GString) ids = g_string_new (NULL);

  md_json_scan_init (&scan, m->data, m->len);
  scan.max_string = 16 * 1024 * 1024;
  if (!md_json_scan_start (&scan, error) ||
      !md_json_scan_open (&scan, '{', "a JSON object with “meta” and “data”", error))
    return FALSE;

  for (;;)
    {
      g_autofree char *name = NULL;

      if (!md_json_scan_next (&scan, &key, &has_next, error))
        return FALSE;
      if (!has_next)
        break;
      name = md_json_decode_string (m->data, key);
      if (g_strcmp0 (name, "data") != 0)
        {
          if (!md_json_scan_skip_value (&scan, NULL, error))
            return FALSE;
          continue;
        }
      seen_data = TRUE;
      if (!md_json_scan_open (&scan, '{', "an object of pairs as the value of “data”", error))
        return FALSE;
      for (;;)
        {
          MdParsedPair *pair;
          char *id;

          if (!md_json_scan_next (&scan, &key, &has_next, error))
            return FALSE;
          if (!has_next)
            break;
          if (!md_json_scan_skip_value (&scan, &value, error))
            return FALSE;
          id = md_json_decode_string (m->data, key);
          if (id == NULL || *id == '\0')
            {
              g_free (id);
              g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                           "the key at byte %" G_GSIZE_FORMAT " is not a valid id string, "
                           "expected a pair id such as “DC_INS_00001”", key.start);
              return FALSE;
            }
          pair = &(*batch)->pairs[(*batch)->n++];
          pair->id = id;
          _md_parse_pair_record (reader->path, m->data, value, pair, ids);

          if ((*batch)->n == PAIR_BATCH)
            {
              if (g_atomic_int_get (&reader->stop))
                return TRUE;
              (*batch)->scan_pos = scan.pos;
              g_async_queue_push (reader->full, *batch);
              *batch = g_async_queue_pop (reader->empty);
              /* Batches come back in order: what the returned one held, and all before it, is
               * written. Texts point into the mapping until then. */
              mapped_release_before (m, (*batch)->scan_pos);
              pair_batch_reuse (*batch);
            }
        }
    }
  if (!md_json_scan_finish (&scan, error))
    return FALSE;
  if (!seen_data)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "no “data” member in the top-level object, expected "
                   "{\"meta\": {...}, \"data\": {ID: PAIR, ...}}");
      return FALSE;
    }
  (*batch)->scan_pos = scan.pos;
  return TRUE;
}

/* CPU seconds of the calling thread, for the debug log: wall times are noisy on shared
 * machines, and the slower of the two threads sets the pace. */
static double
thread_cpu_seconds (void)
{
  struct timespec now;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now) != 0)
    return 0;
  return now.tv_sec + now.tv_nsec / 1e9;
}

static gpointer
pair_reader_thread (gpointer data)
{
  PairReader *reader = data;
  PairBatch *batch = pair_batch_reuse (g_async_queue_pop (reader->empty));

  read_pairs (reader, &batch, &batch->error);
  reader->cpu_seconds = thread_cpu_seconds ();
  batch->last = TRUE;
  g_async_queue_push (reader->full, batch);
  return NULL;
}

static void
bind_pending_text (sqlite3_stmt *s,
                   int           first,
                   MdParsedPair *pair,
                   gint64        rowid)
{
  sqlite3_bind_int64 (s, first, MD_TEXT_KEY (rowid, MD_LANGUAGE_EN));
  sqlite3_bind_text (s, first + 1, pair->instruction, pair->instruction_len, SQLITE_STATIC);
  sqlite3_bind_text (s, first + 2, pair->answer, pair->answer_len, SQLITE_STATIC);
}

static void
bind_pending_refs (sqlite3_stmt *s,
                   int           first,
                   MdParsedPair *pair,
                   gint64        rowid)
{
  sqlite3_bind_int64 (s, first, rowid);
  sqlite3_bind_text (s, first + 1, pair->images, -1, SQLITE_STATIC);
  sqlite3_bind_text (s, first + 2, pair->context, -1, SQLITE_STATIC);
}

/* Texts and id lists of the pending pairs: one statement for a full set, one per row for the
 * rest (the end of a file). */
static gboolean
flush_pending (Importer  *imp,
               GError   **error)
{
  gboolean full = imp->n_pending == ROWS_PER_INSERT;
  sqlite3_stmt *s = full ? imp->insert_texts_en : imp->insert_text;
  guint n_refs = 0;

  for (guint i = 0; i < imp->n_pending; i++)
    {
      if (!full)
        {
          sqlite3_reset (s);
          /* English comes from the pair's own file: origin NULL keeps the origin index small. */
          sqlite3_bind_null (s, 4);
          sqlite3_bind_null (s, 5);
        }
      bind_pending_text (s, full ? 3 * i + 1 : 1, imp->pending[i], imp->pending_rowid[i]);
      if (!full && sqlite3_step (s) != SQLITE_DONE)
        return _md_index_set_error (imp->db, error, "adding a text");
      if (imp->pending[i]->images != NULL || imp->pending[i]->context != NULL)
        n_refs++;
    }
  if (full && (sqlite3_step (s) != SQLITE_DONE || sqlite3_reset (s) != SQLITE_OK))
    return _md_index_set_error (imp->db, error, "adding texts");

  /* Most pairs have images; the few that have none make the rest one row at a time. */
  full = n_refs == ROWS_PER_INSERT;
  s = full ? imp->insert_many_refs : imp->insert_refs;
  for (guint i = 0, n = 0; i < imp->n_pending; i++)
    {
      if (imp->pending[i]->images == NULL && imp->pending[i]->context == NULL)
        continue;
      if (!full)
        sqlite3_reset (s);
      bind_pending_refs (s, full ? 3 * n++ + 1 : 1, imp->pending[i], imp->pending_rowid[i]);
      if (!full && sqlite3_step (s) != SQLITE_DONE)
        return _md_index_set_error (imp->db, error, "adding image and in-context ids");
    }
  if (full && (sqlite3_step (s) != SQLITE_DONE || sqlite3_reset (s) != SQLITE_OK))
    return _md_index_set_error (imp->db, error, "adding image and in-context ids");
  imp->n_pending = 0;
  return TRUE;
}

static gboolean
write_pair (Importer      *imp,
            MdParsedPair  *pair,
            GError     **error)
{
  const char *id = pair->id;
  sqlite3_stmt *s = imp->insert_pair;
  gboolean has_text;
  gint64 rowid;
  int rc;

  if (pair->problem != NULL)
    return add_problem (imp, "bad_record", id, NULL, pair->problem, error);

  has_text = pair->instruction_len > 0 || pair->answer_len > 0;
  sqlite3_reset (s);
  sqlite3_bind_text (s, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s, 2, imp->dataset_id);
  sqlite3_bind_int64 (s, 3, imp->file_id);
  sqlite3_bind_int (s, 4, pair->modality);
  sqlite3_bind_int (s, 5, pair->n_images);
  sqlite3_bind_int (s, 6, has_text ? 1 << MD_LANGUAGE_EN : 0);
  sqlite3_bind_int64 (s, 7, imp->next_pair_rowid);
  rc = sqlite3_step (s);
  if (rc == SQLITE_CONSTRAINT_UNIQUE)
    {
      g_autofree char *problem =
        g_strdup_printf ("%s: record “%s” at byte %" G_GSIZE_FORMAT
                         ": the id is already used by another pair; expected unique ids",
                         imp->path, id, pair->start);

      return add_problem (imp, "duplicate_pair", id, NULL, problem, error);
    }
  if (rc != SQLITE_DONE)
    return _md_index_set_error (imp->db, error, "adding a pair");
  rowid = imp->next_pair_rowid++;

  imp->pending[imp->n_pending] = pair;
  imp->pending_rowid[imp->n_pending] = rowid;
  if (++imp->n_pending == ROWS_PER_INSERT && !flush_pending (imp, error))
    return FALSE;
  imp->n_records++;
  /* The pair is kept with U+FFFD in place of what could not be text; the change is a problem
   * so that nobody mistakes the repaired text for the shard's. */
  if (pair->n_repaired > 0)
    {
      g_autofree char *detail =
        g_strdup_printf ("%s: record “%s” at byte %" G_GSIZE_FORMAT ": %u \\u escape%s "
                         "(NUL or lone surrogate, first at byte %" G_GSIZE_FORMAT ") replaced "
                         "by U+FFFD, expected Unicode characters",
                         imp->path, id, pair->start, pair->n_repaired,
                         pair->n_repaired == 1 ? "" : "s", pair->start + pair->first_repaired);

      return add_problem (imp, "bad_escape", id, NULL, detail, error);
    }
  return TRUE;
}

static gboolean
import_instructions (Importer    *imp,
                     Mapped      *m,
                     GError     **error)
{
  PairReader reader = { .m = m, .path = imp->path };
  PairBatch *batches = g_new0 (PairBatch, N_PAIR_BATCHES);
  GThread *thread;
  gboolean ok = TRUE;
  gboolean finished = FALSE;
  double cpu_before = thread_cpu_seconds ();

  reader.full = g_async_queue_new ();
  reader.empty = g_async_queue_new ();
  for (guint i = 0; i < N_PAIR_BATCHES; i++)
    g_async_queue_push (reader.empty, &batches[i]);
  thread = g_thread_new ("md-read-pairs", pair_reader_thread, &reader);

  /* After a failure the batches are still taken and given back, until the reader has seen the
   * stop flag and sent its last one: it never waits forever for a free batch. */
  while (!finished)
    {
      PairBatch *batch = g_async_queue_pop (reader.full);

      for (guint i = 0; i < batch->n; i++)
        {
          if (ok)
            {
              ok = write_pair (imp, &batch->pairs[i], error);
              if (ok && ++imp->records_done % CHECK_EVERY == 0)
                {
                  ok = check_cancel (imp, error);
                  imp->bytes_done = imp->file_base + batch->scan_pos;
                  report_progress (imp, FALSE);
                }
              if (!ok)
                g_atomic_int_set (&reader.stop, TRUE);
            }
        }
      /* The pending pairs live in the batch, which goes back to the reader now. */
      if (ok && !flush_pending (imp, error))
        {
          ok = FALSE;
          g_atomic_int_set (&reader.stop, TRUE);
        }
      imp->n_pending = 0;
      finished = batch->last;
      if (finished && batch->error != NULL)
        {
          if (ok)
            g_propagate_error (error, g_steal_pointer (&batch->error));
          g_clear_error (&batch->error);
          ok = FALSE;
        }
      g_async_queue_push (reader.empty, batch);
    }
  g_thread_join (thread);
  g_debug ("%s: read in %.2f CPU s, written in %.2f CPU s", imp->path, reader.cpu_seconds,
           thread_cpu_seconds () - cpu_before);
  for (guint i = 0; i < N_PAIR_BATCHES; i++)
    pair_batch_reuse (&batches[i]);
  g_async_queue_unref (reader.full);
  g_async_queue_unref (reader.empty);
  g_free (batches);
  return ok;
}

/* In-context files ----------------------------------------------------------------------------- */

static gboolean
import_train (Importer    *imp,
              Mapped      *m,
              GError     **error)
{
  MdJsonScan scan;
  MdJsonSpan key, value;
  gboolean has_next;
  g_autoptr(GString) ids = g_string_new (NULL);

  md_json_scan_init (&scan, m->data, m->len);
  scan.max_string = 1024 * 1024;
  if (!md_json_scan_start (&scan, error) ||
      !md_json_scan_open (&scan, '{', "a JSON object {ID: [in-context ID, ...]}", error))
    return FALSE;
  for (;;)
    {
      g_autofree char *id = NULL;
      cJSON *list;

      if (!md_json_scan_next (&scan, &key, &has_next, error))
        return FALSE;
      if (!has_next)
        break;
      if (!md_json_scan_skip_value (&scan, &value, error))
        return FALSE;
      id = md_json_decode_string (m->data, key);
      list = cJSON_ParseWithLength (m->data + value.start, value.end - value.start);
      if (id == NULL || list == NULL || !cJSON_IsArray (list) || !is_id_list (list))
        {
          g_autofree char *detail =
            g_strdup_printf ("%s: record “%s” at byte %" G_GSIZE_FORMAT
                             " is %s, expected a list of in-context id strings",
                             imp->path, id ? id : "?", value.start,
                             list ? json_type_name (list) : "not valid JSON");

          cJSON_Delete (list);
          if (!add_problem (imp, "bad_record", id, NULL, detail, error))
            return FALSE;
          continue;
        }
      join_ids (ids, list);
      cJSON_Delete (list);
      sqlite3_reset (imp->insert_train);
      sqlite3_bind_text (imp->insert_train, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (imp->insert_train, 2, imp->file_id);
      sqlite3_bind_text (imp->insert_train, 3, ids->str, ids->len, SQLITE_STATIC);
      if (!step_done (imp, imp->insert_train, "adding in-context links", error))
        return FALSE;
      imp->n_records++;
      if (++imp->records_done % CHECK_EVERY == 0)
        {
          if (!check_cancel (imp, error))
            return FALSE;
          report_progress (imp, FALSE);
        }
    }
  return md_json_scan_finish (&scan, error);
}

/* Image stores ----------------------------------------------------------------------------------- */

static gboolean
import_image_store (Importer    *imp,
                    Mapped      *m,
                    GError     **error)
{
  MdJsonScan scan;
  MdJsonSpan key, value;
  gboolean has_next;
  g_autoptr(GHashTable) prefixes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(sqlite3_stmt_ptr) add_prefix =
    _md_index_prepare (imp->db, "INSERT OR IGNORE INTO image_prefixes (prefix, file_id) "
                                "VALUES (?, ?)", error);

  if (add_prefix == NULL)
    return FALSE;
  md_json_scan_init (&scan, m->data, m->len);
  scan.validate_utf8 = FALSE;
  scan.max_string = G_MAXSIZE;
  if (!md_json_scan_start (&scan, error) ||
      !md_json_scan_open (&scan, '{', "a JSON object {IMAGE_ID: BASE64, ...}", error))
    return FALSE;

  for (;;)
    {
      g_autofree char *id = NULL;
      gsize start, len;
      int variant = 0;
      const char *img;

      if (!md_json_scan_next (&scan, &key, &has_next, error))
        return FALSE;
      if (!has_next)
        break;
      if (!md_json_scan_skip_value (&scan, &value, error))
        return FALSE;
      id = md_json_decode_string (m->data, key);
      if (id == NULL)
        {
          g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                       "the key at byte %" G_GSIZE_FORMAT " is not a valid id string", key.start);
          return FALSE;
        }

      start = value.start;
      len = value.end - value.start;
      if (m->data[start] == '[')
        {
          /* ["BASE64"]: find the one string inside. */
          gsize p = start + 1;
          gsize q = value.end - 1;

          while (p < q && g_ascii_isspace (m->data[p]))
            p++;
          while (q > p && g_ascii_isspace (m->data[q - 1]))
            q--;
          variant |= MD_IMAGE_LISTED;
          if (q - p >= 2 && m->data[p] == '"' && m->data[q - 1] == '"' &&
              memchr (m->data + p + 1, '"', q - p - 2) == NULL)
            {
              start = p;
              len = q - p;
            }
          else
            len = 0;
        }
      if (len < 2 || m->data[start] != '"')
        {
          g_autofree char *detail =
            g_strdup_printf ("%s: image “%s” at byte %" G_GSIZE_FORMAT
                             " is not a base64 string, expected \"BASE64\" or [\"BASE64\"]",
                             imp->path, id, value.start);

          if (!add_problem (imp, "undecodable_image", NULL, id, detail, error))
            return FALSE;
          continue;
        }
      start += 1;
      len -= 2;
      if (memchr (m->data + start, '\\', MIN (len, 64)) != NULL || scan.last_string_escaped)
        variant |= MD_IMAGE_ESCAPED;
      {
        gsize bad = 0;
        g_autofree char *detail = NULL;

        if (!md_base64_is_valid (m->data + start, len, &bad))
          detail = g_strdup_printf ("%s: image “%s” at byte %" G_GSIZE_FORMAT ": byte %"
                                    G_GSIZE_FORMAT " is outside both base64 alphabets",
                                    imp->path, id, start, start + bad);
        else if (!md_base64_looks_like_image (m->data + start, len))
          detail = g_strdup_printf ("%s: image “%s” at byte %" G_GSIZE_FORMAT
                                    " does not start like a base64 PNG or JPEG", imp->path, id,
                                    start);
        if (detail != NULL)
          {
            variant |= MD_IMAGE_BAD;
            if (!add_problem (imp, "undecodable_image", NULL, id, detail, error))
              return FALSE;
          }
      }

      sqlite3_reset (imp->insert_image);
      sqlite3_bind_text (imp->insert_image, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (imp->insert_image, 2, imp->file_id);
      sqlite3_bind_int64 (imp->insert_image, 3, start);
      sqlite3_bind_int64 (imp->insert_image, 4, len);
      sqlite3_bind_int (imp->insert_image, 5, variant);
      if (!step_done (imp, imp->insert_image, "adding an image", error))
        return FALSE;

      img = strstr (id, "_IMG_");
      if (img != NULL)
        {
          g_autofree char *prefix = g_strndup (id, img - id + strlen ("_IMG"));

          if (!g_hash_table_contains (prefixes, prefix))
            {
              sqlite3_reset (add_prefix);
              sqlite3_bind_text (add_prefix, 1, prefix, -1, SQLITE_STATIC);
              sqlite3_bind_int64 (add_prefix, 2, imp->file_id);
              if (!step_done (imp, add_prefix, "adding an image prefix", error))
                return FALSE;
              g_hash_table_add (prefixes, g_steal_pointer (&prefix));
            }
        }

      imp->n_records++;
      imp->records_done++;
      if (imp->records_done % 256 == 0)
        {
          if (!check_cancel (imp, error))
            return FALSE;
          mapped_release_before (m, scan.pos);
          imp->bytes_done = imp->file_base + scan.pos;
          report_progress (imp, FALSE);
        }
    }
  return md_json_scan_finish (&scan, error);
}

/* Translations ----------------------------------------------------------------------------------- */

static gboolean
import_translation_entry (Importer     *imp,
                          cJSON        *entry,
                          gsize         offset,
                          sqlite3_stmt *find_pair,
                          sqlite3_stmt *set_languages,
                          GError      **error)
{
  cJSON *id = cJSON_GetObjectItemCaseSensitive (entry, "id");
  cJSON *results = cJSON_GetObjectItemCaseSensitive (entry, "results");
  g_autoptr(MdTranslationReply) reply = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *english_ins = NULL;
  g_autofree char *english_ans = NULL;
  char *english[MD_N_FIELDS] = { NULL, NULL };
  gint64 rowid;
  guint languages;
  gboolean ok = TRUE;

  imp->dataset_id = 0;
  if (!cJSON_IsString (id) || !cJSON_IsString (results))
    {
      g_autofree char *detail =
        g_strdup_printf ("%s: entry at byte %" G_GSIZE_FORMAT " has %s “id” and %s “results”, "
                         "expected two strings", imp->path, offset,
                         id ? json_type_name (id) : "no", results ? json_type_name (results) : "no");

      return add_problem (imp, "bad_record", cJSON_IsString (id) ? id->valuestring : NULL, NULL,
                          detail, error);
    }

  sqlite3_reset (find_pair);
  sqlite3_bind_text (find_pair, 1, id->valuestring, -1, SQLITE_STATIC);
  if (sqlite3_step (find_pair) != SQLITE_ROW)
    {
      g_autofree char *detail =
        g_strdup_printf ("%s: translation of “%s” at byte %" G_GSIZE_FORMAT
                         " names no pair of the index", imp->path, id->valuestring, offset);

      return add_problem (imp, "unknown_translated_pair", id->valuestring, NULL, detail, error);
    }
  rowid = sqlite3_column_int64 (find_pair, 0);
  languages = sqlite3_column_int (find_pair, 1);
  /* Problems of this entry belong to the pair's dataset. */
  imp->dataset_id = sqlite3_column_int64 (find_pair, 2);
  sqlite3_reset (find_pair);

  {
    g_auto(sqlite3_stmt_ptr) en = _md_index_prepare (imp->db, "SELECT instruction, answer FROM "
                                                              "texts WHERE key = ?", error);

    if (en == NULL)
      return FALSE;
    sqlite3_bind_int64 (en, 1, MD_TEXT_KEY (rowid, MD_LANGUAGE_EN));
    if (sqlite3_step (en) == SQLITE_ROW)
      {
        english[MD_FIELD_INSTRUCTION] = english_ins =
          g_strdup ((const char *) sqlite3_column_text (en, 0));
        english[MD_FIELD_ANSWER] = english_ans =
          g_strdup ((const char *) sqlite3_column_text (en, 1));
      }
  }

  reply = _md_translation_reply_parse (results->valuestring, &local_error);
  if (reply == NULL)
    {
      g_autofree char *detail =
        g_strdup_printf ("%s: translation of “%s” at byte %" G_GSIZE_FORMAT ": %s",
                         imp->path, id->valuestring, offset, local_error->message);

      return add_problem (imp, "unparsable_translation", id->valuestring, NULL, detail, error);
    }

  for (guint l = MD_LANGUAGE_ZH; l < MD_N_LANGUAGES; l++)
    {
      const char *ins = reply->texts[MD_FIELD_INSTRUCTION][l];
      const char *ans = reply->texts[MD_FIELD_ANSWER][l];
      gint64 key = MD_TEXT_KEY (rowid, l);

      if (ins == NULL || ans == NULL)
        {
          g_autofree char *detail =
            g_strdup_printf ("%s: translation of “%s” at byte %" G_GSIZE_FORMAT
                             " has no %s for “%s”", imp->path, id->valuestring, offset,
                             ins == NULL && ans == NULL ? "instruction and no answer"
                             : ins == NULL ? "instruction" : "answer", md_language_code (l));

          if (!add_problem (imp, "missing_translation", id->valuestring, md_language_code (l),
                            detail, error))
            return FALSE;
        }
      if (ins == NULL && ans == NULL)
        continue;

      if (!delete_texts_of_pair_range (imp, key, key, error))
        return FALSE;
      sqlite3_reset (imp->insert_text);
      sqlite3_bind_int64 (imp->insert_text, 1, key);
      sqlite3_bind_text (imp->insert_text, 2, ins, -1, SQLITE_STATIC);
      sqlite3_bind_text (imp->insert_text, 3, ans, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (imp->insert_text, 4, imp->file_id);
      sqlite3_bind_int64 (imp->insert_text, 5, imp->file_id);
      if (!step_done (imp, imp->insert_text, "adding a translation", error))
        return FALSE;
      if (key <= imp->fts_marker)
        {
          g_auto(sqlite3_stmt_ptr) fts = _md_index_prepare (imp->db,
            "INSERT INTO search.fts (rowid, instruction, answer) VALUES (?, ?, ?)", error);

          if (fts == NULL)
            return FALSE;
          sqlite3_bind_int64 (fts, 1, key);
          sqlite3_bind_text (fts, 2, ins, -1, SQLITE_STATIC);
          sqlite3_bind_text (fts, 3, ans, -1, SQLITE_STATIC);
          if (!step_done (imp, fts, "indexing a translation", error))
            return FALSE;
        }
      if ((ins != NULL && *ins != '\0') || (ans != NULL && *ans != '\0'))
        languages |= 1u << l;

      for (guint f = 0; f < MD_N_FIELDS && ok; f++)
        {
          const char *text = reply->texts[f][l];
          g_autofree char *numbers = _md_translation_check_numbers (english[f], text);

          if (numbers != NULL)
            {
              g_autofree char *detail =
                g_strdup_printf ("%s: translation of “%s” at byte %" G_GSIZE_FORMAT
                                 ": the %s in “%s” has the numbers %s", imp->path,
                                 id->valuestring, offset, md_field_name (f),
                                 md_language_code (l), numbers);

              ok = add_problem (imp, "number_mismatch", id->valuestring, md_language_code (l),
                                detail, error);
            }
          if (ok && _md_translation_looks_truncated (english[f], text))
            {
              g_autofree char *detail =
                g_strdup_printf ("%s: translation of “%s” at byte %" G_GSIZE_FORMAT
                                 ": the %s in “%s” stops before the end of a sentence",
                                 imp->path, id->valuestring, offset, md_field_name (f),
                                 md_language_code (l));

              ok = add_problem (imp, "truncated_translation", id->valuestring,
                                md_language_code (l), detail, error);
            }
        }
      if (!ok)
        return FALSE;
    }
  if (reply->bad_values != NULL)
    {
      g_autofree char *detail =
        g_strdup_printf ("%s: translation of “%s” at byte %" G_GSIZE_FORMAT
                         ": values of %s are not strings", imp->path, id->valuestring, offset,
                         reply->bad_values);

      if (!add_problem (imp, "unparsable_translation", id->valuestring, NULL, detail, error))
        return FALSE;
    }

  sqlite3_reset (set_languages);
  sqlite3_bind_int (set_languages, 1, languages);
  sqlite3_bind_int64 (set_languages, 2, rowid);
  if (!step_done (imp, set_languages, "updating the languages of a pair", error))
    return FALSE;
  imp->n_records++;
  return TRUE;
}

static gboolean
import_translations (Importer    *imp,
                     Mapped      *m,
                     GError     **error)
{
  MdJsonScan scan;
  MdJsonSpan value;
  gboolean has_next;
  g_auto(sqlite3_stmt_ptr) find_pair =
    _md_index_prepare (imp->db, "SELECT rowid, languages, dataset_id FROM pairs "
                                "WHERE pair_id = ?", error);
  g_auto(sqlite3_stmt_ptr) set_languages =
    _md_index_prepare (imp->db, "UPDATE pairs SET languages = ? WHERE rowid = ?", error);

  if (find_pair == NULL || set_languages == NULL)
    return FALSE;
  md_json_scan_init (&scan, m->data, m->len);
  scan.max_string = 16 * 1024 * 1024;
  if (!md_json_scan_start (&scan, error) ||
      !md_json_scan_open (&scan, '[', "a JSON array [{\"id\": ..., \"results\": ...}, ...]", error))
    return FALSE;
  for (;;)
    {
      cJSON *entry;
      gboolean ok;

      if (!md_json_scan_next (&scan, NULL, &has_next, error))
        return FALSE;
      if (!has_next)
        break;
      if (!md_json_scan_skip_value (&scan, &value, error))
        return FALSE;
      entry = cJSON_ParseWithLength (m->data + value.start, value.end - value.start);
      if (entry == NULL || !cJSON_IsObject (entry))
        {
          g_autofree char *detail =
            g_strdup_printf ("%s: entry at byte %" G_GSIZE_FORMAT " is %s, expected an object "
                             "{\"id\": ..., \"results\": ...}", imp->path, value.start,
                             entry ? json_type_name (entry) : "not valid JSON");

          cJSON_Delete (entry);
          if (!add_problem (imp, "bad_record", NULL, NULL, detail, error))
            return FALSE;
          continue;
        }
      ok = import_translation_entry (imp, entry, value.start, find_pair, set_languages, error);
      cJSON_Delete (entry);
      if (!ok)
        return FALSE;
      if (++imp->records_done % 1024 == 0)
        {
          if (!check_cancel (imp, error))
            return FALSE;
          mapped_release_before (m, scan.pos);
          imp->bytes_done = imp->file_base + scan.pos;
          report_progress (imp, FALSE);
        }
    }
  return md_json_scan_finish (&scan, error);
}

/* Prompt files ----------------------------------------------------------------------------------- */

static gboolean
import_prompt (Importer    *imp,
               Mapped      *m,
               const char  *name,
               GError     **error)
{
  MdJsonScan scan;
  MdJsonSpan value;
  cJSON *root, *system, *examples, *turn;
  guint n = 0;
  g_auto(sqlite3_stmt_ptr) insert = NULL;

  if (g_str_has_suffix (imp->path, ".py"))
    {
      /* The error names the file and the line. */
      root = md_py_literal_parse_module (imp->path, m->data, m->len, error);
      if (root == NULL)
        return FALSE;
      value.start = 0;
    }
  else
    {
      /* Check the structure (and UTF-8) with the scanner first, for a precise offset. */
      md_json_scan_init (&scan, m->data, m->len);
      if (!md_json_scan_start (&scan, error) ||
          !md_json_scan_skip_value (&scan, &value, error) ||
          !md_json_scan_finish (&scan, error))
        return FALSE;
      root = cJSON_ParseWithLength (m->data + value.start, value.end - value.start);
    }
  system = cJSON_GetObjectItemCaseSensitive (root, "system_message");
  examples = cJSON_GetObjectItemCaseSensitive (root, "in_context");
  if (!cJSON_IsObject (root) || !cJSON_IsString (system) ||
      (examples != NULL && !cJSON_IsArray (examples)))
    {
      cJSON_Delete (root);
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "expected {\"system_message\": str, \"in_context\": [...]} at byte %"
                   G_GSIZE_FORMAT, value.start);
      return FALSE;
    }
  cJSON_ArrayForEach (turn, examples)
    {
      cJSON *role = cJSON_GetObjectItemCaseSensitive (turn, "role");

      if (!cJSON_IsString (role) || (strcmp (role->valuestring, "user") != 0 &&
                                     strcmp (role->valuestring, "assistant") != 0))
        {
          g_autofree char *detail =
            g_strdup_printf ("%s: in-context turn %u has no role “user” or “assistant”",
                             imp->path, n);

          if (!add_problem (imp, "bad_record", NULL, NULL, detail, error))
            {
              cJSON_Delete (root);
              return FALSE;
            }
        }
      n++;
    }
  insert = _md_index_prepare (imp->db, "INSERT OR REPLACE INTO prompts (file_id, name, "
                                       "system_message, n_examples) VALUES (?, ?, ?, ?)", error);
  if (insert == NULL)
    {
      cJSON_Delete (root);
      return FALSE;
    }
  sqlite3_bind_int64 (insert, 1, imp->file_id);
  sqlite3_bind_text (insert, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, system->valuestring, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (insert, 4, n);
  cJSON_Delete (root);
  imp->n_records = 1;
  return step_done (imp, insert, "adding a prompt", error);
}

/* One file ----------------------------------------------------------------------------------- */

/* Pair rowids are handed out here, never reused: a pair imported again after its file changed
 * gets rowids (and text keys) past the full-text marker, so the search phase picks it up. */
static gint64
first_free_pair_rowid (sqlite3 *db)
{
  g_auto(sqlite3_stmt_ptr) max = _md_index_prepare (db, "SELECT max(rowid) FROM pairs", NULL);
  gint64 next = _md_index_get_meta_int (db, "next_pair_rowid", 1);

  if (max != NULL && sqlite3_step (max) == SQLITE_ROW)
    next = MAX (next, sqlite3_column_int64 (max, 0) + 1);
  return MAX (next, 1);
}

/* "INSERT ... VALUES (?, ?, ?), (?, ?, ?), ..." with ROWS_PER_INSERT rows: literals only. */
static sqlite3_stmt *
prepare_many (sqlite3     *db,
              const char  *insert,
              const char  *row,
              GError     **error)
{
  g_autoptr(GString) sql = g_string_new (insert);

  for (guint i = 0; i < ROWS_PER_INSERT; i++)
    g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "", row);
  return _md_index_prepare (db, sql->str, error);
}

static gboolean
prepare_statements (Importer  *imp,
                    GError   **error)
{
  imp->insert_pair = _md_index_prepare (imp->db,
    "INSERT INTO pairs (pair_id, dataset_id, file_id, modality, n_images, languages, rowid) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (imp->insert_pair == NULL)
    return FALSE;
  imp->insert_refs = _md_index_prepare (imp->db,
    "INSERT OR REPLACE INTO pair_refs (pair_rowid, image_ids, rel_ins_ids) VALUES (?, ?, ?)",
    error);
  if (imp->insert_refs == NULL)
    return FALSE;
  imp->insert_text = _md_index_prepare (imp->db,
    "INSERT OR REPLACE INTO texts (key, instruction, answer, instruction_origin, answer_origin) "
    "VALUES (?, ?, ?, ?, ?)", error);
  if (imp->insert_text == NULL)
    return FALSE;
  imp->insert_texts_en = prepare_many (imp->db, "INSERT OR REPLACE INTO texts (key, instruction, "
                                                "answer) VALUES ", "(?, ?, ?)", error);
  if (imp->insert_texts_en == NULL)
    return FALSE;
  imp->insert_many_refs = prepare_many (imp->db, "INSERT OR REPLACE INTO pair_refs (pair_rowid, "
                                                 "image_ids, rel_ins_ids) VALUES ", "(?, ?, ?)",
                                        error);
  if (imp->insert_many_refs == NULL)
    return FALSE;
  imp->insert_problem = _md_index_prepare (imp->db,
    "INSERT INTO problems (kind, phase, dataset_id, file_id, pair_id, ref, detail) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (imp->insert_problem == NULL)
    return FALSE;
  imp->insert_image = _md_index_prepare (imp->db,
    "INSERT OR REPLACE INTO images (image_id, file_id, offset, length, variant) "
    "VALUES (?, ?, ?, ?, ?)", error);
  if (imp->insert_image == NULL)
    return FALSE;
  imp->insert_train = _md_index_prepare (imp->db,
    "INSERT OR REPLACE INTO train_links (pair_id, file_id, context_ids) VALUES (?, ?, ?)", error);
  return imp->insert_train != NULL;
}

static void
finalize_statements (Importer *imp)
{
  g_clear_pointer (&imp->insert_pair, sqlite3_finalize);
  g_clear_pointer (&imp->insert_refs, sqlite3_finalize);
  g_clear_pointer (&imp->insert_text, sqlite3_finalize);
  g_clear_pointer (&imp->insert_texts_en, sqlite3_finalize);
  g_clear_pointer (&imp->insert_many_refs, sqlite3_finalize);
  g_clear_pointer (&imp->insert_problem, sqlite3_finalize);
  g_clear_pointer (&imp->insert_image, sqlite3_finalize);
  g_clear_pointer (&imp->insert_train, sqlite3_finalize);
}

static gboolean
update_dataset_count (Importer  *imp,
                      GError   **error)
{
  g_auto(sqlite3_stmt_ptr) stmt = _md_index_prepare (imp->db,
    "UPDATE datasets SET n_pairs = (SELECT count(*) FROM pairs WHERE dataset_id = ?1) "
    "WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, imp->dataset_id);
  return step_done (imp, stmt, "counting pairs", error);
}

/* What identifies an input's version; a folder of Parquet parts is one input. */
static gboolean
stat_input (const char  *path,
            GStatBuf    *st,
            char       **fingerprint)
{
  guint64 size;
  gint64 mtime;

  if (_md_import_parquet_stat_folder (path, &size, &mtime, fingerprint))
    {
      memset (st, 0, sizeof *st);
      st->st_size = size;
      st->st_mtime = mtime;
      return TRUE;
    }
  if (g_stat (path, st) != 0)
    return FALSE;
  *fingerprint = fingerprint_file (path, st->st_size);
  return TRUE;
}

typedef struct
{
  Importer *imp;
  guint64   records_before;
} ParquetProgress;

static void
parquet_progress (guint64  bytes_done,
                  guint64  records_done,
                  gpointer user_data)
{
  ParquetProgress *p = user_data;

  p->imp->bytes_done = p->imp->file_base + bytes_done;
  p->imp->records_done = p->records_before + records_done;
  report_progress (p->imp, FALSE);
}

/* Parquet inputs are read by md-import-parquet.c, inside this file's transaction. */
static gboolean
import_parquet (Importer  *imp,
                Input     *input,
                GError   **error)
{
  ParquetProgress progress = { imp, imp->records_done };
  MdImportParquet job = {
    .db = imp->db,
    .path = input->path,
    .kind = input->kind,
    .file_id = imp->file_id,
    .dataset_id = imp->dataset_id,
    .cancellable = imp->cancellable,
    .progress = parquet_progress,
    .progress_data = &progress,
    .decide_modality = _md_decide_modality,
    .next_pair_rowid = &imp->next_pair_rowid,
  };
  gboolean ok;

  ok = _md_import_parquet (&job, error);
  imp->records_done = progress.records_before + job.n_records;
  imp->n_records = job.n_records;
  imp->n_problems = job.n_problems;
  return ok;
}

/* Syphus's failure files are read by md-import-syphus-failures.c, inside this file's
 * transaction. */
static gboolean
import_syphus_failures (Importer  *imp,
                        Input     *input,
                        Mapped    *m,
                        GError   **error)
{
  MdImportSyphusFailures job = {
    .db = imp->db,
    .path = input->path,
    .which = input->syphus_failures,
    .data = m->data,
    .len = m->len,
    .file_id = imp->file_id,
    .cancellable = imp->cancellable,
  };
  gboolean ok;

  ok = _md_import_syphus_failures (&job, error);
  imp->records_done += job.n_records;
  imp->n_records = job.n_records;
  imp->n_problems = job.n_problems;
  return ok;
}

/* Imports one file in one transaction. Returns FALSE with `error` when the file is rejected
 * (the transaction is rolled back) or the import was cancelled. */
static gboolean
import_one (Importer        *imp,
            Input           *input,
            MdImportedFile  *out,
            GPtrArray       *requeue,
            GError         **error)
{
  g_auto(sqlite3_stmt_ptr) find = NULL;
  g_auto(sqlite3_stmt_ptr) upsert = NULL;
  g_autofree char *fingerprint = NULL;
  GStatBuf st;
  Mapped m = { .fd = -1 };
  gboolean ok = FALSE;
  gint64 old_id = 0;

  if (!stat_input (input->path, &st, &fingerprint))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: cannot read the file", input->path);
      return FALSE;
    }

  find = _md_index_prepare (imp->db, "SELECT id, size, mtime, fingerprint FROM files "
                                     "WHERE path = ?", error);
  if (find == NULL)
    return FALSE;
  sqlite3_bind_text (find, 1, input->path, -1, SQLITE_STATIC);
  if (sqlite3_step (find) == SQLITE_ROW)
    {
      old_id = sqlite3_column_int64 (find, 0);
      if (sqlite3_column_int64 (find, 1) == (gint64) st.st_size &&
          sqlite3_column_int64 (find, 2) == (gint64) st.st_mtime &&
          g_strcmp0 ((const char *) sqlite3_column_text (find, 3), fingerprint) == 0)
        {
          out->outcome = MD_FILE_UNCHANGED;
          imp->bytes_done += st.st_size;
          return TRUE;
        }
    }
  sqlite3_reset (find);

  imp->path = input->path;
  imp->file_base = imp->bytes_done;
  imp->n_records = 0;
  imp->n_problems = 0;
  /* Replaced texts that were indexed are taken out of the search file in this transaction. */
  if (imp->fts_marker > 0 && !_md_index_set_meta_int (imp->db, "search_suspect", 1, error))
    return FALSE;
  if (!_md_index_exec (imp->db, "BEGIN IMMEDIATE", error))
    return FALSE;

  imp->dataset_id = 0;
  if (input->kind != MD_FILE_KIND_TRANSLATION && input->kind != MD_FILE_KIND_PROMPT)
    {
      imp->dataset_id = ensure_dataset (imp, input->dataset, error);
      if (imp->dataset_id < 0)
        goto out;
    }

  upsert = _md_index_prepare (imp->db,
    "INSERT INTO files (path, kind, dataset_id, size, mtime, fingerprint) VALUES (?1, ?2, ?3, ?4, "
    "?5, NULL) ON CONFLICT (path) DO UPDATE SET kind = ?2, dataset_id = ?3, size = ?4, "
    "mtime = ?5, fingerprint = NULL RETURNING id", error);
  if (upsert == NULL)
    goto out;
  sqlite3_bind_text (upsert, 1, input->path, -1, SQLITE_STATIC);
  sqlite3_bind_int (upsert, 2, input->kind);
  if (imp->dataset_id > 0)
    sqlite3_bind_int64 (upsert, 3, imp->dataset_id);
  else
    sqlite3_bind_null (upsert, 3);
  sqlite3_bind_int64 (upsert, 4, st.st_size);
  sqlite3_bind_int64 (upsert, 5, st.st_mtime);
  if (sqlite3_step (upsert) != SQLITE_ROW)
    {
      _md_index_set_error (imp->db, error, "recording a file");
      goto out;
    }
  imp->file_id = sqlite3_column_int64 (upsert, 0);
  sqlite3_reset (upsert);

  if (old_id != 0 && !forget_file (imp, input->kind, requeue, error))
    goto out;

  if (input->parquet)
    {
      ok = import_parquet (imp, input, error);
      goto scanned;
    }
  if (!mapped_open (&m, input->path, error))
    goto out;

  switch (input->kind)
    {
    case MD_FILE_KIND_INSTRUCTIONS:
      ok = import_instructions (imp, &m, error);
      break;
    case MD_FILE_KIND_TRAIN:
      ok = import_train (imp, &m, error);
      break;
    case MD_FILE_KIND_IMAGE_STORE:
      ok = import_image_store (imp, &m, error);
      break;
    case MD_FILE_KIND_TRANSLATION:
      if (input->syphus_failures != MD_SYPHUS_FAILURES_NONE)
        ok = import_syphus_failures (imp, input, &m, error);
      else
        ok = import_translations (imp, &m, error);
      break;
    case MD_FILE_KIND_PROMPT:
      ok = import_prompt (imp, &m, input->dataset, error);
      break;
    case MD_FILE_KIND_UNKNOWN:
    default:
      g_assert_not_reached ();
    }
  mapped_close (&m);
scanned:
  if (!ok)
    goto out;

  /* A file written to while it was scanned gives rows from two versions, or garbage: compare
   * what identifies the file before and after, and keep nothing when they differ. */
  {
    g_autofree char *after = NULL;
    GStatBuf st_after;

    if (!stat_input (input->path, &st_after, &after))
      after = NULL;
    if (after == NULL || st_after.st_size != st.st_size || st_after.st_mtime != st.st_mtime ||
        g_strcmp0 (after, fingerprint) != 0)
      {
        g_set_error (error, MD_ERROR, MD_ERROR_IO,
                     "%s: the file changed while it was being imported (%" G_GUINT64_FORMAT
                     " bytes before, %" G_GUINT64_FORMAT " after); nothing of it was kept, "
                     "expected a file that stays the same until the import ends", input->path,
                     (guint64) st.st_size, (guint64) (after != NULL ? st_after.st_size : 0));
        ok = FALSE;
        goto out;
      }
  }

  {
    g_auto(sqlite3_stmt_ptr) done = _md_index_prepare (imp->db,
      "UPDATE files SET fingerprint = ?, n_records = ?, n_problems = ? WHERE id = ?", error);

    if (done == NULL)
      {
        ok = FALSE;
        goto out;
      }
    sqlite3_bind_text (done, 1, fingerprint, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (done, 2, imp->n_records);
    sqlite3_bind_int64 (done, 3, imp->n_problems);
    sqlite3_bind_int64 (done, 4, imp->file_id);
    ok = step_done (imp, done, "recording a file", error);
  }
  if (ok && input->kind == MD_FILE_KIND_INSTRUCTIONS)
    ok = update_dataset_count (imp, error);
  if (ok)
    ok = _md_index_set_meta_int (imp->db, "next_pair_rowid", imp->next_pair_rowid, error);
  g_debug ("%s: committing", input->path);
  if (ok)
    ok = _md_index_exec (imp->db, "COMMIT", error);
  g_debug ("%s: committed", input->path);

out:
  if (!ok)
    sqlite3_exec (imp->db, "ROLLBACK", NULL, NULL, NULL);
  /* Both files committed, or both rolled back: they agree again. */
  if (imp->fts_marker > 0)
    _md_index_set_meta_int (imp->db, "search_suspect", 0, NULL);
  if (!ok)
    {
      if (error != NULL && *error != NULL && (*error)->domain == MD_ERROR &&
          (*error)->code == MD_ERROR_PARSE && !input->parquet)
        g_prefix_error (error, "%s: ", input->path);
      imp->bytes_done = imp->file_base + st.st_size;
      return FALSE;
    }
  imp->changed = TRUE;
  imp->bytes_done = imp->file_base + st.st_size;
  out->outcome = MD_FILE_IMPORTED;
  out->n_records = imp->n_records;
  out->n_problems = imp->n_problems;
  report_progress (imp, TRUE);
  return TRUE;
}

/* Full-text phase -------------------------------------------------------------------------------- */

#define FTS_BATCH 100000

/* Only the search file is written, in deferred transactions: the index's file stays free for
 * the other writer (the reference check runs beside this on an import). */
gboolean
_md_import_build_fts (sqlite3       *db,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_auto(sqlite3_stmt_ptr) upto = _md_index_prepare (db,
    "SELECT max(key) FROM (SELECT key FROM texts WHERE key > ? ORDER BY key LIMIT ?)", error);
  g_auto(sqlite3_stmt_ptr) fill = _md_index_prepare (db,
    "INSERT INTO search.fts (rowid, instruction, answer) SELECT key, instruction, answer "
    "FROM texts WHERE key > ? AND key <= ?", error);

  if (upto == NULL || fill == NULL)
    return FALSE;

  /* Measured on 200k English pairs: a 16 MB pending-terms hash (flushing fewer, larger
   * segments) and merging 8 segments of a level at a time instead of 4 build the index in
   * about 55% of the time, with the same number of pages and no slower queries. Both settings
   * live in the search file, so the GUI's resumed builds use them too. */
  if (!_md_index_exec (db, "BEGIN;"
                           "INSERT INTO search.fts (fts, rank) VALUES ('hashsize', 16777216);"
                           "INSERT INTO search.fts (fts, rank) VALUES ('automerge', 8);"
                           "COMMIT;", error))
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  for (;;)
    {
      gint64 marker = _md_index_get_search_marker (db);
      gint64 next;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      sqlite3_reset (upto);
      sqlite3_bind_int64 (upto, 1, marker);
      sqlite3_bind_int (upto, 2, FTS_BATCH);
      if (sqlite3_step (upto) != SQLITE_ROW || sqlite3_column_type (upto, 0) == SQLITE_NULL)
        return TRUE;
      next = sqlite3_column_int64 (upto, 0);
      sqlite3_reset (upto);

      if (!_md_index_exec (db, "BEGIN", error))
        return FALSE;
      sqlite3_reset (fill);
      sqlite3_bind_int64 (fill, 1, marker);
      sqlite3_bind_int64 (fill, 2, next);
      if (sqlite3_step (fill) != SQLITE_DONE)
        {
          _md_index_set_error (db, error, "building the search index");
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      if (!_md_index_set_search_marker (db, next, error) ||
          !_md_index_exec (db, "COMMIT", error))
        {
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
    }
}

/* The search index is built on a connection of its own, in a thread of its own, while the
 * importing thread checks the references. */
typedef struct
{
  const char   *index_path;
  GCancellable *cancellable;
  GError       *error;
} SearchBuild;

static gpointer
search_build_thread (gpointer data)
{
  SearchBuild *build = data;
  sqlite3 *db = _md_index_open (build->index_path, TRUE, &build->error);

  /* Texts are read once, in key order: a small cache for them, more for merging segments. */
  if (db != NULL && !_md_index_exec (db, "PRAGMA main.cache_size = -8192;", &build->error))
    g_clear_pointer (&db, sqlite3_close);
  if (db != NULL)
    {
      _md_import_build_fts (db, build->cancellable, &build->error);
      sqlite3_close (db);
    }
  return NULL;
}

/* A crash between the commits of the index's file and the search file may have left the
 * search index out of step with the texts (md-index-private.h): it is built again. */
static gboolean
reset_suspect_search (Importer  *imp,
                      GError   **error)
{
  if (_md_index_get_meta_int (imp->db, "search_suspect", 0) == 0)
    return TRUE;
  g_message ("index %s: the last import stopped while writing the search index; it is built "
             "again", sqlite3_db_filename (imp->db, "main"));
  if (!_md_index_exec (imp->db, "BEGIN;"
                                "INSERT INTO search.fts (fts) VALUES ('delete-all');", error) ||
      !_md_index_set_search_marker (imp->db, 0, error) ||
      !_md_index_exec (imp->db, "COMMIT", error))
    {
      sqlite3_exec (imp->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  imp->fts_marker = 0;
  return _md_index_set_meta_int (imp->db, "search_suspect", 0, error);
}

/* Entry point ------------------------------------------------------------------------------------ */

static gboolean
path_is_queued (GPtrArray  *inputs,
                const char *path,
                guint       from)
{
  for (guint i = from; i < inputs->len; i++)
    if (strcmp (((Input *) g_ptr_array_index (inputs, i))->path, path) == 0)
      return TRUE;
  return FALSE;
}

gboolean
_md_import_run (const char            *index_path,
                const char * const    *paths,
                MdImportProgressFunc   progress,
                gpointer               progress_data,
                GCancellable          *cancellable,
                MdImportReport        *report,
                GError               **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) input_free);
  g_autoptr(GPtrArray) requeue = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) visited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Importer imp = { 0 };
  guint n_considered = 0;
  guint n_ok = 0;
  gboolean ok = TRUE;
  gint64 started = g_get_monotonic_time ();

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *absolute = g_canonicalize_filename (paths[i], NULL);

      if (_md_import_parquet_is_part_folder (absolute))
        g_ptr_array_add (files, g_steal_pointer (&absolute));
      else if (g_file_test (absolute, G_FILE_TEST_IS_DIR))
        collect_folder (absolute, visited, files);
      else if (g_file_test (absolute, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (files, g_steal_pointer (&absolute));
      else
        {
          MdImportedFile *out = _md_import_report_add (report, absolute, MD_FILE_KIND_UNKNOWN);

          out->outcome = MD_FILE_REJECTED;
          g_set_error (&out->error, MD_ERROR, MD_ERROR_IO,
                       "%s: no such file or folder, expected a MIMIC-IT file or a folder",
                       absolute);
          n_considered++;
        }
    }
  for (guint i = 0; i < files->len; i++)
    {
      Input *input = classify (g_ptr_array_index (files, i));
      GStatBuf st;

      if (input->size == 0 && g_stat (input->path, &st) == 0)
        input->size = st.st_size;
      g_ptr_array_add (inputs, input);
    }
  g_ptr_array_sort (inputs, compare_inputs);

  imp.db = _md_index_open (index_path, TRUE, error);
  if (imp.db == NULL)
    return FALSE;
  imp.report = report;
  imp.progress = progress;
  imp.progress_data = progress_data;
  imp.cancellable = cancellable;
  imp.fts_marker = _md_index_get_search_marker (imp.db);
  imp.next_pair_rowid = first_free_pair_rowid (imp.db);
  for (guint i = 0; i < inputs->len; i++)
    if (!((Input *) g_ptr_array_index (inputs, i))->skip)
      imp.bytes_total += ((Input *) g_ptr_array_index (inputs, i))->size;
  /* Copying the write-ahead log into the index is left to the reference check's commit: it then
   * runs on one core while the search index is built on the other, instead of keeping the
   * pairs from being browsable. */
  if (!_md_index_exec (imp.db, "PRAGMA wal_autocheckpoint = 0", error) ||
      !reset_suspect_search (&imp, error) || !prepare_statements (&imp, error))
    {
      finalize_statements (&imp);
      sqlite3_close (imp.db);
      return FALSE;
    }

  for (guint i = 0; i < inputs->len && ok; i++)
    {
      Input *input = g_ptr_array_index (inputs, i);
      MdImportedFile *out = _md_import_report_add (report, input->path, input->kind);
      g_autoptr(GError) local_error = NULL;

      out->dataset = g_strdup (input->dataset);
      if (input->skip)
        {
          out->outcome = MD_FILE_SKIPPED;
          continue;
        }
      n_considered++;
      g_ptr_array_set_size (requeue, 0);
      if (import_one (&imp, input, out, requeue, &local_error))
        {
          n_ok++;
          for (guint r = 0; r < requeue->len; r++)
            {
              const char *path = g_ptr_array_index (requeue, r);

              if (!path_is_queued (inputs, path, i + 1) && g_file_test (path, G_FILE_TEST_EXISTS))
                {
                  Input *again = classify (path);

                  imp.bytes_total += again->size;
                  g_ptr_array_add (inputs, again);
                }
            }
          continue;
        }
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          out->outcome = MD_FILE_REJECTED;
          ok = FALSE;
          break;
        }
      out->outcome = MD_FILE_REJECTED;
      g_debug ("%s", local_error->message);
      out->error = g_steal_pointer (&local_error);
    }
  finalize_statements (&imp);
  g_debug ("import: files done after %.2f s", (g_get_monotonic_time () - started) / 1e6);

  /* Every file is in: the pairs can be browsed while their references are checked and the
   * search index is built. */
  _md_index_exec (imp.db, "PRAGMA wal_autocheckpoint = 1000", NULL);
  imp.path = NULL;
  if (ok)
    report_progress (&imp, TRUE);

  if (ok)
    {
      SearchBuild build = { index_path, cancellable, NULL };
      GThread *builder = g_thread_new ("md-build-search", search_build_thread, &build);

      /* A phase cut short (cancelled, crashed) is finished by the next import, changes or not. */
      if (imp.changed)
        _md_index_set_meta_int (imp.db, "references_dirty", 1, NULL);
      if (_md_index_get_meta_int (imp.db, "references_dirty", 0) != 0)
        {
          ok = _md_import_check_references (imp.db, cancellable, error);
          if (ok)
            _md_index_set_meta_int (imp.db, "references_dirty", 0, NULL);
          if (ok)
            report_progress (&imp, TRUE);
        }
      g_debug ("import: references done after %.2f s",
               (g_get_monotonic_time () - started) / 1e6);
      g_thread_join (builder);
      if (ok && build.error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&build.error));
          ok = FALSE;
        }
      g_clear_error (&build.error);
    }
  g_debug ("import: search index done after %.2f s", (g_get_monotonic_time () - started) / 1e6);
  if (ok && n_ok == 0)
    {
      if (n_considered == 0)
        g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                     "no MIMIC-IT file found among the %u inputs", g_strv_length ((GStrv) paths));
      else
        g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                     "none of the %u MIMIC-IT files could be imported", n_considered);
      ok = FALSE;
    }

  {
    g_auto(sqlite3_stmt_ptr) log = _md_index_prepare (imp.db,
      "INSERT INTO reports (time, n_imported, n_unchanged, n_skipped, n_rejected) "
      "VALUES (?, ?, ?, ?, ?)", NULL);

    if (log != NULL)
      {
        sqlite3_bind_int64 (log, 1, g_get_real_time () / G_USEC_PER_SEC);
        sqlite3_bind_int (log, 2, md_import_report_count (report, MD_FILE_IMPORTED));
        sqlite3_bind_int (log, 3, md_import_report_count (report, MD_FILE_UNCHANGED));
        sqlite3_bind_int (log, 4, md_import_report_count (report, MD_FILE_SKIPPED));
        sqlite3_bind_int (log, 5, md_import_report_count (report, MD_FILE_REJECTED));
        sqlite3_step (log);
      }
  }
  sqlite3_close (imp.db);
  return ok;
}
