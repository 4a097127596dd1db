/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include <cJSON.h>

#include "../store/md-test-store.h"
#include "md-export.h"
#include "md-parquet-test-writer.h"

/* Parquet inputs through md_store_import(): pandas image stores (one file or a folder of dask
 * parts), the three Hugging Face configurations, rejected files, reading images back (library,
 * CLI, export). Every store is written by the test writer, so each image's bytes are known. */

#define N_STORE 60

/* A small PNG: signature, a 4x4 IHDR, then bytes that differ per image and per version. */
static GBytes *
image_bytes (int i,
             int version)
{
  static const guint8 head[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                                 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 4, 0, 0, 0, 4,
                                 8, 2, 0, 0, 0, 0, 0, 0, 0 };
  GString *s = g_string_new_len ((const char *) head, sizeof head);

  for (int k = 0; k < 40 + (i * 53) % 300; k++)
    g_string_append_c (s, (char) (k * (i + 7) + version * 31));
  return g_string_free_to_bytes (s);
}

static void
assert_bytes_equal (GBytes *a,
                    GBytes *b)
{
  gsize la, lb;
  const guint8 *da = g_bytes_get_data (a, &la);
  const guint8 *db = g_bytes_get_data (b, &lb);

  g_assert_cmpmem (da, la, db, lb);
}

/* A pandas store of images [first, first + n) of `version`, ids "PQ_IMG_%05d". Rows 8, 17, ... have
 * a null value (pandas writes NaN for a missing image) and is skipped by the import. */
static void
write_pandas (const char         *path,
              const MdPqwOptions *opt,
              int                 first,
              int                 n,
              int                 version)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdPqWriter) w = md_pq_writer_new (path, opt, &error);
  guint fimg, fid;

  g_assert_no_error (error);
  fimg = md_pq_writer_add_field (w, "base64", MD_PQW_STRING, TRUE);
  fid = md_pq_writer_add_field (w, "__index_level_0__", MD_PQW_STRING, TRUE);
  md_pq_writer_set_metadata (w, "pandas", "{\"index_columns\": [\"__index_level_0__\"], "
                             "\"columns\": [{\"name\": \"base64\", \"field_name\": \"base64\"}, "
                             "{\"name\": null, \"field_name\": \"__index_level_0__\"}]}");
  for (int i = first; i < first + n; i++)
    {
      g_autofree char *id = g_strdup_printf ("PQ_IMG_%05d", i);

      md_pq_writer_begin_row (w);
      md_pq_writer_set_string (w, fid, id, -1);
      if (i % 9 != 8)
        {
          g_autoptr(GBytes) png = image_bytes (i, version);
          g_autofree char *b64 = g_base64_encode (g_bytes_get_data (png, NULL),
                                                  g_bytes_get_size (png));

          md_pq_writer_set_string (w, fimg, b64, -1);
        }
      g_assert_true (md_pq_writer_end_row (w, &error));
    }
  g_assert_true (md_pq_writer_close (w, &error));
  g_assert_no_error (error);
}

typedef struct
{
  int codec;
  guint n_parts;
} StoreCase;

/* PQ.parquet, or the folder PQ.parquet/ of n_parts dask parts. */
static char *
write_store (MdTestDir       *t,
             const StoreCase *c,
             int              version,
             int              only_part)
{
  MdPqwOptions opt = { .codec = c->codec, .dictionary = FALSE, .rows_per_page = 7,
                       .rows_per_group = 15, .page_version = 1 };
  char *path = g_build_filename (t->dir, "shards", "PQ.parquet", NULL);

  if (c->n_parts == 0)
    {
      g_autofree char *parent = g_path_get_dirname (path);

      g_mkdir_with_parents (parent, 0755);
      write_pandas (path, &opt, 0, N_STORE, version);
      return path;
    }
  g_mkdir_with_parents (path, 0755);
  for (guint p = 0; p < c->n_parts; p++)
    {
      g_autofree char *name = g_strdup_printf ("part.%u.parquet", p);
      g_autofree char *part = g_build_filename (path, name, NULL);
      int per = N_STORE / c->n_parts;

      if (only_part >= 0 && (guint) only_part != p)
        continue;
      opt.page_version = p % 2 == 0 ? 1 : 2;
      write_pandas (part, &opt, p * per, per, version);
    }
  return path;
}

static void
write_instructions (MdTestDir *t)
{
  g_autoptr(GString) json = g_string_new ("{\"meta\": {}, \"data\": {");
  g_autofree char *path = NULL;

  for (int i = 0; i < 10; i++)
    g_string_append_printf (json, "\"PQ_INS_%05d\": {\"instruction\": \"Question %d\", "
                            "\"answer\": \"Answer %d\", \"image_ids\": [\"PQ_IMG_%05d\", "
                            "\"PQ_IMG_%05d\"]},", i, i, i, 6 * i, 6 * i + 1);
  /* PQ_IMG_00008 is a null row of the store: as missing as an id it never had. */
  g_string_append (json, "\"PQ_INS_00010\": {\"instruction\": \"Where?\", \"answer\": \"Gone.\", "
                   "\"image_ids\": [\"PQ_IMG_99999\"]},"
                   "\"PQ_INS_00011\": {\"instruction\": \"And here?\", \"answer\": \"Half.\", "
                   "\"image_ids\": [\"PQ_IMG_00059\", \"PQ_IMG_00008\"]}}}");
  path = md_test_write (t, "shards/PQ_instructions.json", json->str, -1);
}

static int
run_cli_image (MdTestDir  *t,
               const char *image_id,
               char      **out_stdout,
               gsize      *out_len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GBytes) out = NULL;
  gconstpointer data;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                           &error, g_getenv ("MD_CLI"), "image", "--db", t->db_path, image_id,
                           NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate (proc, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  data = g_bytes_get_data (out, out_len);
  *out_stdout = g_memdup2 (data, *out_len);
  return g_subprocess_get_exit_status (proc);
}

static void
check_images (MdTestDir *t,
              int        version)
{
  static const int ids[] = { 0, 1, 13, 27, 40, 59 };

  for (guint k = 0; k < G_N_ELEMENTS (ids); k++)
    {
      g_autofree char *id = g_strdup_printf ("PQ_IMG_%05d", ids[k]);
      g_autoptr(GBytes) expected = image_bytes (ids[k], version);
      g_autoptr(GError) error = NULL;
      g_autofree char *mime = NULL;
      g_autoptr(GBytes) got = md_store_load_image (t->store, id, &mime, &error);
      g_autoptr(GBytes) raw = NULL;
      g_autoptr(GBytes) decoded = NULL;
      gsize len;

      g_assert_no_error (error);
      assert_bytes_equal (got, expected);
      g_assert_cmpstr (mime, ==, "image/png");
      /* The raw value is the base64 text, as a JSON store's would be. */
      raw = md_store_read_image_raw (t->store, id, &error);
      g_assert_no_error (error);
      {
        g_autofree char *text = g_strndup (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw));
        guchar *bytes = g_base64_decode (text, &len);

        decoded = g_bytes_new_take (bytes, len);
      }
      assert_bytes_equal (decoded, expected);
    }
}

static void
test_pandas_store (gconstpointer data)
{
  const StoreCase *c = data;
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autofree char *store = NULL;
  g_autofree char *shards = NULL;
  g_autofree char *cli_out = NULL;
  g_autoptr(GBytes) expected = NULL;
  MdImportedFile *file;
  gboolean ok;
  gsize cli_len;

  md_test_dir_init (&t);
  store = write_store (&t, c, 0, -1);
  write_instructions (&t);
  shards = g_build_filename (t.dir, "shards", NULL);

  /* The folder is walked; a folder of parts is one input. */
  report = md_test_import (&t, &ok, &error, shards, NULL);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (md_import_report_count (report, MD_FILE_IMPORTED), ==, 2);
  file = md_test_report_file (report, "PQ.parquet");
  g_assert_nonnull (file);
  g_assert_cmpint (file->kind, ==, MD_FILE_KIND_IMAGE_STORE);
  g_assert_cmpstr (file->dataset, ==, "PQ");
  g_assert_cmpuint (file->n_records, ==, N_STORE - (N_STORE + 1) / 9);

  check_images (&t, 0);
  g_assert_null (md_store_load_image (t.store, "PQ_IMG_00008", NULL, &error));
  g_assert_error (error, MD_ERROR, MD_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (md_test_pair_has_problem (t.store, "PQ_INS_00010", "missing_image",
                                           "PQ_IMG_99999"));
  g_assert_true (md_test_pair_has_problem (t.store, "PQ_INS_00011", "missing_image",
                                           "PQ_IMG_00008"));
  g_assert_false (md_test_pair_has_problem (t.store, "PQ_INS_00001", "missing_image", NULL));
  g_assert_cmpuint (md_test_count_problems (t.store, "missing_image"), ==, 2);

  /* The command line reads the same bytes. */
  g_assert_cmpint (run_cli_image (&t, "PQ_IMG_00027", &cli_out, &cli_len), ==, 0);
  expected = image_bytes (27, 0);
  g_assert_cmpmem (cli_out, cli_len, g_bytes_get_data (expected, NULL),
                   g_bytes_get_size (expected));

  /* Unchanged: nothing to do. */
  g_clear_object (&report);
  report = md_test_import (&t, &ok, &error, shards, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (md_import_report_count (report, MD_FILE_IMPORTED), ==, 0);
  g_assert_cmpint (md_test_report_file (report, "PQ.parquet")->outcome, ==, MD_FILE_UNCHANGED);

  /* Changed (for a folder, one part only): the store is indexed again. */
  g_usleep (G_USEC_PER_SEC * 11 / 10);
  if (c->n_parts == 0)
    g_unlink (store);
  g_free (write_store (&t, c, 1, c->n_parts > 0 ? 1 : -1));
  g_clear_object (&report);
  report = md_test_import (&t, &ok, &error, shards, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (md_test_report_file (report, "PQ.parquet")->outcome, ==, MD_FILE_IMPORTED);
  {
    g_autoptr(GBytes) now = md_store_load_image (t.store, "PQ_IMG_00021", NULL, &error);
    g_autoptr(GBytes) want = image_bytes (21, 1);

    g_assert_no_error (error);
    assert_bytes_equal (now, want);
    if (c->n_parts > 0)
      {
        g_autoptr(GBytes) kept = md_store_load_image (t.store, "PQ_IMG_00000", NULL, &error);
        g_autoptr(GBytes) old = image_bytes (0, 0);

        g_assert_no_error (error);
        assert_bytes_equal (kept, old);
      }
  }
  md_test_dir_clear (&t);
}

/* --- Hugging Face configurations --------------------------------------------------------------- */

/* `<SUBSET>`: images embedded as {bytes, path}. Row i has i % 3 images; rows 4 and 5 leave the
 * path empty, so their images are named "<id>_<n>". */
static void
write_hf_embedded (const char *path,
                   int         n)
{
  MdPqwOptions opt = { .codec = 1, .rows_per_page = 4, .rows_per_group = 10, .page_version = 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MdPqWriter) w = md_pq_writer_new (path, &opt, &error);
  guint fid, fins, fans, fimg, frel;

  g_assert_no_error (error);
  fid = md_pq_writer_add_field (w, "id", MD_PQW_STRING, TRUE);
  fins = md_pq_writer_add_field (w, "instruction", MD_PQW_STRING, TRUE);
  fans = md_pq_writer_add_field (w, "answer", MD_PQW_STRING, TRUE);
  fimg = md_pq_writer_add_field (w, "images", MD_PQW_LIST_IMAGE, TRUE);
  frel = md_pq_writer_add_field (w, "related instructions", MD_PQW_LIST_STRING, TRUE);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("CGD_INS_%05d", i);
      g_autofree char *ins = g_strdup_printf ("What differs in pair %d?", i);
      g_autofree char *ans = g_strdup_printf ("The kite %d — 风筝", i);
      g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) pngs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      g_autofree char *rel = g_strdup_printf ("CGD_INS_%05d", (i + 1) % n);
      const char *rels[] = { rel };
      const guint8 *b[3];
      gsize bl[3];

      for (int j = 0; j < i % 3; j++)
        {
          GBytes *png = image_bytes (1000 + i * 3 + j, 0);

          g_ptr_array_add (pngs, png);
          b[j] = g_bytes_get_data (png, &bl[j]);
          g_ptr_array_add (paths, i == 4 || i == 5 ? g_strdup ("")
                                                   : g_strdup_printf ("CGD_IMG_%05d", i * 3 + j));
        }
      md_pq_writer_begin_row (w);
      md_pq_writer_set_string (w, fid, id, -1);
      md_pq_writer_set_string (w, fins, ins, -1);
      md_pq_writer_set_string (w, fans, ans, -1);
      md_pq_writer_set_images (w, fimg, b, bl, (const char * const *) paths->pdata, i % 3);
      md_pq_writer_set_list (w, frel, rels, 1);
      g_assert_true (md_pq_writer_end_row (w, &error));
    }
  g_assert_true (md_pq_writer_close (w, &error));
  g_assert_no_error (error);
}

/* `<SUBSET>_Images`: SD_IMG_%05d_1 and _2 for scenes [0, n). */
static void
write_hf_images (const char *path,
                 int         n)
{
  MdPqwOptions opt = { .codec = 6, .rows_per_page = 5, .page_version = 2 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MdPqWriter) w = md_pq_writer_new (path, &opt, &error);
  guint fid, fimg;

  g_assert_no_error (error);
  fid = md_pq_writer_add_field (w, "id", MD_PQW_STRING, TRUE);
  fimg = md_pq_writer_add_field (w, "image", MD_PQW_IMAGE, TRUE);
  for (int i = 0; i < 2 * n; i++)
    {
      g_autofree char *id = g_strdup_printf ("SD_IMG_%05d_%d", i / 2, i % 2 + 1);
      g_autoptr(GBytes) png = image_bytes (2000 + i, 0);
      const guint8 *b = g_bytes_get_data (png, NULL);
      gsize len = g_bytes_get_size (png);
      const char *p = "";

      md_pq_writer_begin_row (w);
      md_pq_writer_set_string (w, fid, id, -1);
      md_pq_writer_set_images (w, fimg, &b, &len, &p, 1);
      g_assert_true (md_pq_writer_end_row (w, &error));
    }
  g_assert_true (md_pq_writer_close (w, &error));
  g_assert_no_error (error);
}

/* `<SUBSET>_Instructions` rows [first, first + n): images as ids. Scene 999 is not in the store. */
static void
write_hf_instructions (const char *path,
                       int         first,
                       int         n)
{
  MdPqwOptions opt = { .codec = 2, .dictionary = TRUE, .page_version = 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(MdPqWriter) w = md_pq_writer_new (path, &opt, &error);
  guint fid, fins, fans, fimg, frel;

  g_assert_no_error (error);
  fid = md_pq_writer_add_field (w, "id", MD_PQW_STRING, TRUE);
  fins = md_pq_writer_add_field (w, "instruction", MD_PQW_STRING, TRUE);
  fans = md_pq_writer_add_field (w, "answer", MD_PQW_STRING, TRUE);
  fimg = md_pq_writer_add_field (w, "images", MD_PQW_LIST_STRING, TRUE);
  frel = md_pq_writer_add_field (w, "related instructions", MD_PQW_LIST_STRING, TRUE);
  for (int i = first; i < first + n; i++)
    {
      g_autofree char *id = g_strdup_printf ("SD_INS_%05d", i);
      g_autofree char *ins = g_strdup_printf ("Spot the difference %d.", i);
      int scene = i == 7 ? 999 : i;
      g_autofree char *a = g_strdup_printf ("SD_IMG_%05d_1", scene);
      g_autofree char *b = g_strdup_printf ("SD_IMG_%05d_2", scene);
      g_autofree char *r1 = g_strdup_printf ("SD_INS_%05d", i + 1);
      g_autofree char *r2 = g_strdup_printf ("SD_INS_%05d", i + 2);
      const char *images[] = { a, b };
      const char *rel[] = { r1, r2 };

      md_pq_writer_begin_row (w);
      md_pq_writer_set_string (w, fid, id, -1);
      md_pq_writer_set_string (w, fins, ins, -1);
      md_pq_writer_set_string (w, fans, i == 3 ? NULL : "A hat.", -1);
      md_pq_writer_set_list (w, fimg, images, 2);
      md_pq_writer_set_list (w, frel, rel, i % 2 == 0 ? 2 : 0);
      g_assert_true (md_pq_writer_end_row (w, &error));
    }
  g_assert_true (md_pq_writer_close (w, &error));
  g_assert_no_error (error);
}

static void
check_image (MdStore    *store,
             const char *image_id,
             int         seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) got = md_store_load_image (store, image_id, NULL, &error);
  g_autoptr(GBytes) want = image_bytes (seed, 0);

  g_assert_no_error (error);
  assert_bytes_equal (got, want);
}

static void
write_hf_tree (MdTestDir *t)
{
  g_autofree char *embedded = g_build_filename (t->dir, "hf", "CGD", "train-00000-of-00001.parquet",
                                                NULL);
  g_autofree char *images = g_build_filename (t->dir, "hf", "SD_Images.parquet", NULL);
  g_autofree char *ins0 = g_build_filename (t->dir, "hf", "SD_Instructions",
                                            "train-00000-of-00002.parquet", NULL);
  g_autofree char *ins1 = g_build_filename (t->dir, "hf", "SD_Instructions",
                                            "train-00001-of-00002.parquet", NULL);
  g_autofree char *d1 = g_path_get_dirname (embedded);
  g_autofree char *d2 = g_path_get_dirname (ins0);

  g_mkdir_with_parents (d1, 0755);
  g_mkdir_with_parents (d2, 0755);
  write_hf_embedded (embedded, 24);
  write_hf_images (images, 12);
  write_hf_instructions (ins0, 0, 6);
  write_hf_instructions (ins1, 6, 6);
}

static void
test_hugging_face (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(GPtrArray) datasets = NULL;
  g_autoptr(MdPair) pair = NULL;
  g_autofree char *hf = NULL;
  gboolean ok;

  md_test_dir_init (&t);
  write_hf_tree (&t);
  hf = g_build_filename (t.dir, "hf", NULL);
  report = md_test_import (&t, &ok, &error, hf, NULL);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (md_import_report_count (report, MD_FILE_IMPORTED), ==, 4);
  g_assert_cmpint (md_test_report_file (report, "SD_Images.parquet")->kind, ==,
                   MD_FILE_KIND_IMAGE_STORE);
  g_assert_cmpuint (md_test_report_file (report, "SD_Images.parquet")->n_records, ==, 24);
  g_assert_cmpint (md_test_report_file (report, "CGD/train-00000-of-00001.parquet")->kind, ==,
                   MD_FILE_KIND_INSTRUCTIONS);
  /* The dataset code of a generic file name comes from the ids. */
  g_assert_cmpstr (md_test_report_file (report, "CGD/train-00000-of-00001.parquet")->dataset, ==,
                   "CGD");
  g_assert_cmpstr (md_test_report_file (report, "train-00001-of-00002.parquet")->dataset, ==,
                   "SD");

  datasets = md_store_list_datasets (t.store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < datasets->len; i++)
    {
      MdDatasetInfo *info = g_ptr_array_index (datasets, i);

      if (g_str_equal (info->code, "CGD"))
        g_assert_cmpuint (info->n_pairs, ==, 24);
      else if (g_str_equal (info->code, "SD"))
        g_assert_cmpuint (info->n_pairs, ==, 12);
    }

  /* <SUBSET>: texts, links and embedded images named by path. */
  pair = md_store_get_pair (t.store, "CGD_INS_00008", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION), ==,
                   "What differs in pair 8?");
  g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_ANSWER), ==,
                   "The kite 8 — 风筝");
  g_assert_cmpuint (g_strv_length ((GStrv) md_pair_get_image_ids (pair)), ==, 2);
  g_assert_cmpstr (md_pair_get_image_ids (pair)[0], ==, "CGD_IMG_00024");
  g_assert_cmpstr (md_pair_get_image_ids (pair)[1], ==, "CGD_IMG_00025");
  g_assert_cmpstr (md_pair_get_context_ids (pair)[0], ==, "CGD_INS_00009");
  g_assert_cmpint (md_pair_get_modality (pair), ==, MD_MODALITY_IMAGE_PAIR);
  check_image (t.store, "CGD_IMG_00024", 1000 + 24);
  check_image (t.store, "CGD_IMG_00025", 1000 + 25);
  g_clear_object (&pair);

  /* Unnamed embedded images: "<id>_<n>". */
  pair = md_store_get_pair (t.store, "CGD_INS_00005", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (md_pair_get_image_ids (pair)[1], ==, "CGD_INS_00005_1");
  check_image (t.store, "CGD_INS_00005_1", 1000 + 16);
  check_image (t.store, "CGD_INS_00004_0", 1000 + 12);
  g_clear_object (&pair);
  pair = md_store_get_pair (t.store, "CGD_INS_00003", &error);
  g_assert_no_error (error);
  g_assert_cmpint (md_pair_get_modality (pair), ==, MD_MODALITY_TEXT);
  g_clear_object (&pair);

  /* <SUBSET>_Instructions + <SUBSET>_Images. */
  pair = md_store_get_pair (t.store, "SD_INS_00010", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION), ==,
                   "Spot the difference 10.");
  g_assert_cmpstr (md_pair_get_image_ids (pair)[0], ==, "SD_IMG_00010_1");
  g_assert_cmpint (md_pair_get_modality (pair), ==, MD_MODALITY_IMAGE_PAIR);
  g_assert_cmpuint (g_strv_length ((GStrv) md_pair_get_context_ids (pair)), ==, 2);
  g_assert_cmpstr (md_pair_get_context_ids (pair)[1], ==, "SD_INS_00012");
  /* SD_INS_00012 does not exist. */
  g_assert_cmpstr (md_pair_get_dangling_context_ids (pair)[0], ==, "SD_INS_00012");
  check_image (t.store, "SD_IMG_00010_1", 2000 + 20);
  check_image (t.store, "SD_IMG_00010_2", 2000 + 21);
  g_clear_object (&pair);
  pair = md_store_get_pair (t.store, "SD_INS_00003", &error);
  g_assert_no_error (error);
  g_assert_null (md_pair_get_text (pair, MD_LANGUAGE_EN, MD_FIELD_ANSWER));
  g_clear_object (&pair);
  g_assert_true (md_test_pair_has_problem (t.store, "SD_INS_00007", "missing_image",
                                           "SD_IMG_00999_1"));
  g_assert_cmpuint (md_test_count_problems (t.store, "missing_image"), ==, 2);

  /* Search finds Parquet texts like JSON ones. */
  {
    g_autoptr(MdQuery) query = md_query_new ();
    query->text = g_strdup ("风筝");
    g_assert_cmpuint (md_store_count_pairs (t.store, query, &error), ==, 24);
    g_assert_no_error (error);
  }

  g_clear_object (&report);
  report = md_test_import (&t, &ok, &error, hf, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (md_import_report_count (report, MD_FILE_UNCHANGED), ==, 4);
  md_test_dir_clear (&t);
}

/* --- Rejections -------------------------------------------------------------------------------- */

static void
test_rejected (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(MdPair) pair = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *odd = NULL;
  g_autofree char *lzo = NULL;
  g_autofree char *json = NULL;
  MdPqwOptions opt = { .fake_codec = 3 };
  MdImportedFile *file;
  gboolean ok;

  md_test_dir_init (&t);
  /* Magic at both ends, a footer length pointing nowhere. */
  bad = md_test_write (&t, "mixed/BAD.parquet", "PAR1 not really parquet \xff\xff\xff\x7fPAR1", 32);
  /* Named like anything, recognised by its magic. */
  odd = md_test_write (&t, "mixed/odd.bin", "PAR1\x01\x02\x03\x04\x10\x00\x00\x00PAR1", 16);
  lzo = g_build_filename (t.dir, "mixed", "LZO.parquet", NULL);
  write_pandas (lzo, &opt, 0, 5, 0);
  json = md_test_write (&t, "mixed/OK_instructions.json",
                        "{\"meta\": {}, \"data\": {\"OK_INS_1\": {\"instruction\": \"Hi\", "
                        "\"answer\": \"Hello\"}}}", -1);
  dir = g_build_filename (t.dir, "mixed", NULL);

  report = md_test_import (&t, &ok, &error, dir, NULL);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (md_test_report_file (report, "OK_instructions.json")->outcome, ==,
                   MD_FILE_IMPORTED);
  g_assert_cmpuint (md_import_report_count (report, MD_FILE_REJECTED), ==, 3);
  for (guint i = 0; i < md_import_report_get_files (report)->len; i++)
    {
      file = g_ptr_array_index (md_import_report_get_files (report), i);
      if (file->error != NULL)
        g_test_message ("%s", file->error->message);
    }

  file = md_test_report_file (report, "BAD.parquet");
  g_assert_cmpint (file->outcome, ==, MD_FILE_REJECTED);
  g_assert_nonnull (file->error);
  g_assert_nonnull (strstr (file->error->message, bad));
  /* The path is named once, not once per layer. */
  g_assert_null (strstr (strstr (file->error->message, bad) + 1, bad));

  file = md_test_report_file (report, "odd.bin");
  g_assert_cmpint (file->outcome, ==, MD_FILE_REJECTED);
  g_assert_nonnull (strstr (file->error->message, odd));

  /* An unsupported feature names itself, the column and the file. */
  file = md_test_report_file (report, "LZO.parquet");
  g_assert_cmpint (file->outcome, ==, MD_FILE_REJECTED);
  g_assert_error (file->error, MD_ERROR, MD_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (file->error->message, lzo));
  g_assert_nonnull (strstr (file->error->message, "LZO"));

  pair = md_store_get_pair (t.store, "OK_INS_1", NULL);
  g_assert_nonnull (pair);
  md_test_dir_clear (&t);
}

/* --- Export ------------------------------------------------------------------------------------ */

static void
check_exported_store (const char *out,
                      const char *name,
                      const char *image_id,
                      GBytes     *expected)
{
  g_autofree char *path = g_build_filename (out, name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guchar *bytes = NULL;
  cJSON *root, *value;
  gsize len;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  root = cJSON_Parse (text);
  g_assert_nonnull (root);
  value = cJSON_GetObjectItemCaseSensitive (root, image_id);
  g_assert_true (cJSON_IsString (value));
  bytes = g_base64_decode (value->valuestring, &len);
  g_assert_cmpmem (bytes, len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  cJSON_Delete (root);
}

static void
test_export (void)
{
  static const StoreCase parts = { .codec = 1, .n_parts = 3 };
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(MdExportOptions) options = md_export_options_new ();
  g_autoptr(MdExportResult) result = NULL;
  g_autofree char *shards = NULL;
  g_autofree char *hf = NULL;
  g_autofree char *out = NULL;
  gboolean ok;

  md_test_dir_init (&t);
  g_free (write_store (&t, &parts, 0, -1));
  write_instructions (&t);
  write_hf_tree (&t);
  shards = g_build_filename (t.dir, "shards", NULL);
  hf = g_build_filename (t.dir, "hf", NULL);
  report = md_test_import (&t, &ok, &error, shards, hf, NULL);
  g_assert_no_error (error);
  g_assert_true (ok);

  out = g_build_filename (t.dir, "out", NULL);
  options->format = MD_EXPORT_FORMAT_MIMICIT;
  /* The flat JSON stores are checked here; the Parquet ones by tests/export/otter-readers.py. */
  options->image_store = MD_EXPORT_IMAGES_BOTH;
  result = md_export_run (t.store, NULL, options, out, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);

  /* Base64 text from a pandas store, raw bytes from Hugging Face ones: every JSON store written
   * decodes to the image's bytes. */
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *id = g_strdup_printf ("PQ_IMG_%05d", 6 * 7 + i);
      g_autoptr(GBytes) expected = image_bytes (6 * 7 + i, 0);

      check_exported_store (out, "PQ.json", id, expected);
    }
  {
    g_autoptr(GBytes) a = image_bytes (1000 + 24, 0);
    g_autoptr(GBytes) b = image_bytes (1000 + 16, 0);
    g_autoptr(GBytes) c = image_bytes (2000 + 21, 0);

    check_exported_store (out, "CGD.json", "CGD_IMG_00024", a);
    check_exported_store (out, "CGD.json", "CGD_INS_00005_1", b);
    check_exported_store (out, "SD.json", "SD_IMG_00010_2", c);
  }
  md_test_dir_clear (&t);
}

int
main (int argc, char *argv[])
{
  static const StoreCase cases[] = {
    { 0, 0 }, { 1, 0 }, { 1, 3 }, { 0, 3 },
  };
  static const char * const names[] = {
    "/parquet/import/pandas/file-uncompressed",
    "/parquet/import/pandas/file-snappy",
    "/parquet/import/pandas/parts-snappy",
    "/parquet/import/pandas/parts-uncompressed",
  };

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (names[i], &cases[i], test_pandas_store);
  g_test_add_func ("/parquet/import/hugging-face", test_hugging_face);
  g_test_add_func ("/parquet/import/rejected", test_rejected);
  g_test_add_func ("/parquet/import/export", test_export);
  return g_test_run ();
}
