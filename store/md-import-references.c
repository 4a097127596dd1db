/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "md-error.h"
#include "md-id-set-private.h"
#include "md-import-problem-private.h"
#include "md-index-private.h"
#include "md-store-private.h"

/* References: missing images, dangling in-context links and the pair flags, from all inputs
 * together. It runs after the pairs are browsable, beside the search index's build: its deferred
 * transaction only locks the index's file, not the search file.
 *
 * The ids everything can point at (pairs, images) are loaded into hash sets first, and then the
 * pairs are read once in rowid order. One index lookup per reference made this phase take 11 s
 * at MIMIC-IT scale (17M lookups); the sets take it to a few seconds. The page cache is shrunk
 * meanwhile so that the sets fit in the memory budget. */

#define CHECK_EVERY 4096
#define CACHE_KIB_WHILE_CHECKING 32768

typedef struct
{
  sqlite3      *db;
  GCancellable *cancellable;
  GHashTable   *covered;            /* image id prefixes ("DC_IMG") some store covers */
  MdIdSet       pairs;
  MdIdSet       images;
  MdIdSet       bad_images;         /* in a store but not decodable */
  MdIdSet       translation_problems; /* pairs named by a translation problem */
  GHashTable   *translated_datasets;  /* datasets where some pair has a translation */
  MdProblemWriter problems;
  sqlite3_stmt *set_flags;
} Checker;

static gboolean
check_cancel (Checker  *c,
              guint64   n,
              GError  **error)
{
  return n % CHECK_EVERY != 0 || !g_cancellable_set_error_if_cancelled (c->cancellable, error);
}

static gint64
count_rows (sqlite3    *db,
            const char *sql)
{
  g_auto(sqlite3_stmt_ptr) stmt = _md_index_prepare (db, sql, NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}

static gboolean
load_sets (Checker  *c,
           GError  **error)
{
  g_auto(sqlite3_stmt_ptr) prefixes = NULL;
  g_auto(sqlite3_stmt_ptr) pairs = NULL;
  g_auto(sqlite3_stmt_ptr) images = NULL;
  g_auto(sqlite3_stmt_ptr) translations = NULL;
  guint64 n = 0;

  prefixes = _md_index_prepare (c->db, "SELECT DISTINCT prefix FROM image_prefixes", error);
  if (prefixes == NULL)
    return FALSE;
  while (sqlite3_step (prefixes) == SQLITE_ROW)
    g_hash_table_add (c->covered, g_strdup ((const char *) sqlite3_column_text (prefixes, 0)));

  _md_id_set_init (&c->pairs, count_rows (c->db, "SELECT total (n_pairs) FROM datasets"));
  pairs = _md_index_prepare (c->db, "SELECT pair_id, dataset_id, languages FROM pairs", error);
  if (pairs == NULL)
    return FALSE;
  while (sqlite3_step (pairs) == SQLITE_ROW)
    {
      gint64 dataset_id = sqlite3_column_int64 (pairs, 1);

      _md_id_set_add (&c->pairs, (const char *) sqlite3_column_text (pairs, 0),
                      sqlite3_column_bytes (pairs, 0));
      if ((sqlite3_column_int (pairs, 2) & ~(1 << MD_LANGUAGE_EN)) != 0 &&
          !g_hash_table_contains (c->translated_datasets, &dataset_id))
        g_hash_table_add (c->translated_datasets, g_memdup2 (&dataset_id, sizeof dataset_id));
      if (!check_cancel (c, ++n, error))
        return FALSE;
    }

  _md_id_set_init (&c->images, count_rows (c->db, "SELECT count(*) FROM images"));
  _md_id_set_init (&c->bad_images, 0);
  images = _md_index_prepare (c->db, "SELECT image_id, variant FROM images", error);
  if (images == NULL)
    return FALSE;
  while (sqlite3_step (images) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (images, 0);
      gsize len = sqlite3_column_bytes (images, 0);

      _md_id_set_add (&c->images, id, len);
      if (sqlite3_column_int (images, 1) & MD_IMAGE_BAD)
        _md_id_set_add (&c->bad_images, id, len);
      if (!check_cancel (c, ++n, error))
        return FALSE;
    }

  _md_id_set_init (&c->translation_problems, 0);
  translations = _md_index_prepare (c->db,
    "SELECT DISTINCT pair_id FROM problems WHERE pair_id IS NOT NULL AND kind IN "
    "('missing_translation', 'unparsable_translation')", error);
  if (translations == NULL)
    return FALSE;
  while (sqlite3_step (translations) == SQLITE_ROW)
    _md_id_set_add (&c->translation_problems,
                    (const char *) sqlite3_column_text (translations, 0),
                    sqlite3_column_bytes (translations, 0));
  return TRUE;
}

/* Takes `detail`. */
static gboolean
add_problem (Checker        *c,
             MdProblemKind   kind,
             gint64          dataset_id,
             const char     *pair_id,
             const char     *ref,
             gsize           ref_len,
             char           *detail,
             GError        **error)
{
  g_autofree char *owned_detail = detail;

  return _md_problem_write (&c->problems, kind, dataset_id, 0, pair_id, ref, ref_len,
                            owned_detail, error);
}

static gboolean
doubled_clip_name (const char *image_id)
{
  const char *first = strstr (image_id, "_clip_");

  return first != NULL && strstr (first + 1, "_clip_") != NULL;
}

/* The covered-prefix test of an image id: "DC_IMG_x" has prefix "DC_IMG". */
static gboolean
is_covered (Checker    *c,
            const char *image_id)
{
  const char *img = strstr (image_id, "_IMG_");
  char prefix[64];
  gsize len;

  if (img == NULL)
    return FALSE;
  len = img - image_id + 4;
  if (len >= sizeof prefix)
    return FALSE;
  memcpy (prefix, image_id, len);
  prefix[len] = '\0';
  return g_hash_table_contains (c->covered, prefix);
}

static gboolean
check_images (Checker     *c,
              gint64       dataset_id,
              const char  *pair_id,
              const char  *image_ids,
              guint       *flags,
              GError     **error)
{
  g_auto(GStrv) list = g_strsplit (image_ids, "\n", -1);
  gboolean reported_doubled = FALSE;

  for (guint i = 0; list[i] != NULL; i++)
    {
      const char *id = list[i];
      gsize len = strlen (id);
      gboolean doubled = doubled_clip_name (id);

      if (doubled && !reported_doubled)
        {
          g_autofree char *clip = _md_image_clip_of (id);
          const char *ref = clip != NULL ? clip : id;

          if (!add_problem (c, MD_PROBLEM_DOUBLED_CLIP_NAME, dataset_id, pair_id, ref,
                            strlen (ref),
                            g_strdup_printf ("pair “%s”: frame “%s” names its clip twice",
                                             pair_id, id), error))
            return FALSE;
          reported_doubled = TRUE;
        }
      if (!is_covered (c, id))
        continue;
      if (!_md_id_set_contains (&c->images, id, len))
        {
          if (!add_problem (c, MD_PROBLEM_MISSING_IMAGE, dataset_id, pair_id, id, len,
                            g_strdup_printf ("pair “%s”: image “%s” is in no imported image "
                                             "store%s", pair_id, id,
                                             doubled ? " (its clip name is doubled)" : ""),
                            error))
            return FALSE;
          *flags |= MD_PAIR_FLAG_MISSING_IMAGES;
        }
      else if (c->bad_images.n > 0 && _md_id_set_contains (&c->bad_images, id, len))
        {
          /* Cannot be shown: as good as missing for whoever filters on it. */
          if (!add_problem (c, MD_PROBLEM_UNDECODABLE_IMAGE, dataset_id, pair_id, id, len,
                            g_strdup_printf ("pair “%s”: image “%s” does not decode to a PNG "
                                             "or JPEG", pair_id, id), error))
            return FALSE;
          *flags |= MD_PAIR_FLAG_MISSING_IMAGES;
        }
    }
  return TRUE;
}

/* rel_ins_ids (train_path NULL) or a _train.json list: whether some id names no pair. */
static gboolean
check_context (Checker     *c,
               gint64       dataset_id,
               const char  *pair_id,
               const char  *ids,
               const char  *train_path,
               gboolean    *out_dangling,
               GError     **error)
{
  const char *p = ids;

  while (*p != '\0')
    {
      const char *end = strchr (p, '\n');
      gsize len = end != NULL ? (gsize) (end - p) : strlen (p);

      if (!_md_id_set_contains (&c->pairs, p, len))
        {
          g_autofree char *ref = g_strndup (p, len);
          char *detail =
            train_path == NULL
              ? g_strdup_printf ("pair “%s”: rel_ins_ids names “%s”, which is no pair of the "
                                 "index", pair_id, ref)
              : g_strdup_printf ("pair “%s”: %s names “%s”, which is no pair of the index",
                                 pair_id, train_path, ref);

          if (!add_problem (c, MD_PROBLEM_DANGLING_CONTEXT, dataset_id, pair_id, ref, len, detail,
                            error))
            return FALSE;
          *out_dangling = TRUE;
        }
      if (end == NULL)
        break;
      p = end + 1;
    }
  return TRUE;
}

static gboolean
check_pairs (Checker  *c,
             GError  **error)
{
  gboolean with_train = count_rows (c->db, "SELECT EXISTS (SELECT 1 FROM train_links)") != 0;
  g_auto(sqlite3_stmt_ptr) pairs = NULL;
  guint64 n = 0;

  /* Without _train.json links, a lookup per pair in their (empty) table is saved. */
  pairs = _md_index_prepare (c->db, with_train
    ? "SELECT p.rowid, p.pair_id, p.dataset_id, r.image_ids, r.rel_ins_ids, p.languages, "
      "p.flags, l.context_ids, f.path FROM pairs p LEFT JOIN pair_refs r ON r.pair_rowid = "
      "p.rowid LEFT JOIN train_links l ON l.pair_id = p.pair_id LEFT JOIN files f ON "
      "f.id = l.file_id ORDER BY p.rowid"
    : "SELECT p.rowid, p.pair_id, p.dataset_id, r.image_ids, r.rel_ins_ids, p.languages, "
      "p.flags, NULL, NULL FROM pairs p LEFT JOIN pair_refs r ON r.pair_rowid = p.rowid "
      "ORDER BY p.rowid", error);
  if (pairs == NULL)
    return FALSE;

  while (sqlite3_step (pairs) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (pairs, 0);
      const char *pair_id = (const char *) sqlite3_column_text (pairs, 1);
      gint64 dataset_id = sqlite3_column_int64 (pairs, 2);
      const char *image_ids = (const char *) sqlite3_column_text (pairs, 3);
      const char *rel = (const char *) sqlite3_column_text (pairs, 4);
      guint languages = sqlite3_column_int (pairs, 5);
      guint old_flags = sqlite3_column_int (pairs, 6);
      const char *train = (const char *) sqlite3_column_text (pairs, 7);
      const char *train_path = (const char *) sqlite3_column_text (pairs, 8);
      guint translations = languages & ~(1u << MD_LANGUAGE_EN);
      guint all_translations = ((1u << MD_N_LANGUAGES) - 1) & ~(1u << MD_LANGUAGE_EN);
      gboolean rel_dangles = FALSE;
      gboolean train_dangles = FALSE;
      guint flags = 0;

      if (image_ids != NULL && !check_images (c, dataset_id, pair_id, image_ids, &flags, error))
        return FALSE;
      if (rel != NULL && !check_context (c, dataset_id, pair_id, rel, NULL, &rel_dangles, error))
        return FALSE;
      if (train != NULL &&
          !check_context (c, dataset_id, pair_id, train, train_path, &train_dangles, error))
        return FALSE;
      /* Only the links shown (train over rel_ins_ids) set the flag. */
      if (train_dangles || (train == NULL && rel_dangles))
        flags |= MD_PAIR_FLAG_DANGLING_CONTEXT;

      /* Where the dataset has translations, a pair without all seven lacks some; an English-only
       * dataset is not flagged pair by pair. */
      if ((translations != all_translations &&
           g_hash_table_contains (c->translated_datasets, &dataset_id)) ||
          (c->translation_problems.n > 0 &&
           _md_id_set_contains (&c->translation_problems, pair_id, strlen (pair_id))))
        flags |= MD_PAIR_FLAG_MISSING_TRANSLATIONS;

      if (flags != old_flags)
        {
          sqlite3_reset (c->set_flags);
          sqlite3_bind_int (c->set_flags, 1, flags);
          sqlite3_bind_int64 (c->set_flags, 2, rowid);
          if (sqlite3_step (c->set_flags) != SQLITE_DONE)
            return _md_index_set_error (c->db, error, "updating pair flags");
        }
      if (!check_cancel (c, ++n, error))
        return FALSE;
    }
  return TRUE;
}

/* Train keys that name no pair of an imported dataset. */
static gboolean
check_train_keys (Checker  *c,
                  GError  **error)
{
  g_auto(sqlite3_stmt_ptr) orphans = _md_index_prepare (c->db,
    "INSERT INTO problems (kind, phase, dataset_id, file_id, pair_id, ref, detail) "
    "SELECT ?1, ?2, f.dataset_id, f.id, l.pair_id, l.pair_id, "
    "f.path || ': key “' || l.pair_id || '” is no pair of the index' "
    "FROM train_links l JOIN files f ON f.id = l.file_id "
    "JOIN datasets d ON d.id = f.dataset_id AND d.n_pairs > 0 "
    "WHERE NOT EXISTS (SELECT 1 FROM pairs p WHERE p.pair_id = l.pair_id)", error);

  if (orphans == NULL)
    return FALSE;
  sqlite3_bind_text (orphans, 1, _md_problem_kind_name (MD_PROBLEM_DANGLING_CONTEXT), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int (orphans, 2, MD_PROBLEM_PHASE_REFERENCES);
  if (sqlite3_step (orphans) != SQLITE_DONE)
    return _md_index_set_error (c->db, error, "checking in-context keys");
  return TRUE;
}

gboolean
_md_import_check_references (sqlite3       *db,
                             GCancellable  *cancellable,
                             GError       **error)
{
  Checker c = { .db = db, .cancellable = cancellable };
  gboolean ok;

  /* The import's connection has no heavy work after this: the cache stays small. The pages it
   * let go of go back to the system, not only to malloc, or the sets would come on top. */
  if (!_md_index_exec (db, "PRAGMA cache_size = -" G_STRINGIFY (CACHE_KIB_WHILE_CHECKING) ";"
                           "PRAGMA shrink_memory;", error))
    return FALSE;
#ifdef __GLIBC__
  malloc_trim (0);
#endif
  if (!_md_index_exec (db, "BEGIN;"
                           "DELETE FROM problems WHERE phase = 1;", error))
    return FALSE;

  c.covered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  c.translated_datasets = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  c.set_flags =
    !_md_problem_writer_init (&c.problems, db, MD_PROBLEM_PHASE_REFERENCES, error) ? NULL
    : _md_index_prepare (db, "UPDATE pairs SET flags = ? WHERE rowid = ?", error);

  ok = c.set_flags != NULL && load_sets (&c, error) && check_pairs (&c, error) &&
       check_train_keys (&c, error) && _md_index_exec (db, "COMMIT", error);
  if (!ok)
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);

  _md_problem_writer_clear (&c.problems);
  g_clear_pointer (&c.set_flags, sqlite3_finalize);
  g_hash_table_unref (c.covered);
  g_hash_table_unref (c.translated_datasets);
  _md_id_set_clear (&c.pairs);
  _md_id_set_clear (&c.images);
  _md_id_set_clear (&c.bad_images);
  _md_id_set_clear (&c.translation_problems);
  return ok;
}
