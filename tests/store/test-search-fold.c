/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <cJSON.h>

#include "md-fold-private.h"
#include "md-index-private.h"
#include "md-read-pool-private.h"
#include "md-test-store.h"

/* Search ignores case in every cased script, not only in ASCII: capitals in the query find
 * small letters in the text and the reverse, for accented Latin, Greek and Cyrillic; uncased
 * scripts (Chinese, Arabic) and ASCII keep matching as before. */

static const char *texts[] = {
  "Find the émoji in the picture.",            /* FD_INS_1 */
  "A sign reads ÉCOLE PRIMAIRE.",               /* FD_INS_2 */
  "Die Straße ist nass.",                       /* FD_INS_3 */
  "Она сказала: καλημέρα σας.",                 /* FD_INS_4 */
  "ПРИВЕТ, МИР! written on a wall.",            /* FD_INS_5 */
  "Ärger im Büro.",                             /* FD_INS_6 */
  "مرحبا بالعالم من القاهرة",                   /* FD_INS_7 */
  "我喜欢红色的沙发。",                          /* FD_INS_8 */
  "EMOJI without an accent.",                   /* FD_INS_9 */
  "Η ΟΔΟΣ ΕΙΝΑΙ ΣΤΕΝΗ.",                        /* FD_INS_10: capital sigma */
  "GROẞE STRAẞE.",                              /* FD_INS_11: capital sharp s */
  "kein ärger zu Hause.",                       /* FD_INS_12 */
  "UNA CANCIÓN PARA EL NIÑO.",                  /* FD_INS_13 */
  "la niña y la canción",                       /* FD_INS_14 */
};

static const struct { const char *query; const char *expected; } searches[] = {
  { "ÉMOJI", "FD_INS_1" },                       /* upper query, lower text; not plain EMOJI */
  { "émoji", "FD_INS_1" },
  { "emoji", "FD_INS_9" },                       /* ASCII: é is another letter */
  { "école", "FD_INS_2" },                       /* lower query, upper text */
  { "ΚΑΛΗΜΈΡΑ", "FD_INS_4" },
  { "привет", "FD_INS_5" },
  { "ПРИВЕТ", "FD_INS_5" },
  { "ärger", "FD_INS_6,FD_INS_12" },
  { "ÄRGER", "FD_INS_6,FD_INS_12" },
  { "straße", "FD_INS_3,FD_INS_11" },            /* ẞ is the capital of ß */
  { "οδός", "" },                                /* the accent is not case: no match */
  { "οδος", "FD_INS_10" },                       /* final ς, capital Σ */
  { "canción", "FD_INS_13,FD_INS_14" },
  { "NIÑO", "FD_INS_13" },
  { "NIÑA", "FD_INS_14" },
  { "PICTURE", "FD_INS_1" },                     /* ASCII still folds */
  { "ärger -BÜRO", "FD_INS_12" },                /* a non-ASCII exclusion */
  { "ÄRGER -hause", "FD_INS_6" },
  { "\"привет, мир\"", "FD_INS_5" },             /* a phrase */
  { "\"ÄRGER IM\"", "FD_INS_6" },
  { "ΚΑΛΗΜΈΡΑ OR привет", "FD_INS_4,FD_INS_5" },
  { "ÄR", "FD_INS_6,FD_INS_12" },                /* two characters: the scan, no index */
  { "沙发", "FD_INS_8" },                        /* two CJK characters */
  { "红色的", "FD_INS_8" },
  { "بالعالم", "FD_INS_7" },
  { "-émoji picture", "" },
  { "find -ÉMOJI", "" },
};

static void
write_fixture (MdTestDir *t)
{
  g_autoptr(GString) ins = g_string_new ("{\"meta\": {}, \"data\": {");
  g_autofree char *path = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      cJSON *item = cJSON_CreateString (texts[i]);
      char *printed = cJSON_PrintUnformatted (item);

      g_string_append_printf (ins, "%s\"FD_INS_%u\": {\"instruction\": %s, \"answer\": \"ok\"}",
                              i ? "," : "", i + 1, printed);
      cJSON_free (printed);
      cJSON_Delete (item);
    }
  g_string_append (ins, "}}");
  path = md_test_write (t, "FD_instructions.json", ins->str, -1);
}

static char *
search_ids (MdStore    *store,
            const char *text)
{
  g_autoptr(MdQuery) query = md_query_new ();
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GError) error = NULL;
  GString *ids = g_string_new (NULL);

  query->text = g_strdup (text);
  model = md_store_query (store, query, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(MdPair) pair = g_list_model_get_item (model, i);

      g_string_append_printf (ids, "%s%s", i ? "," : "", md_pair_get_id (pair));
    }
  return g_string_free (ids, FALSE);
}

static void
test_fold_scripts (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;

  md_test_dir_init (&t);
  write_fixture (&t);
  report = md_test_import (&t, NULL, &error, t.dir, NULL);
  g_assert_no_error (error);
  g_assert_true (md_store_is_search_index_complete (t.store));

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autofree char *ids = search_ids (t.store, searches[i].query);

      if (g_strcmp0 (ids, searches[i].expected) != 0)
        g_error ("search “%s” found “%s”, expected “%s”", searches[i].query, ids,
                 searches[i].expected);
    }
  md_test_dir_clear (&t);
}

static gboolean
contains (const char *haystack,
          gssize      length,
          const char *needle)
{
  g_autoptr(MdFoldNeedle) folded = _md_fold_needle_new (needle);

  return _md_fold_contains (folded, haystack, length < 0 ? strlen (haystack) : (gsize) length);
}

static void
test_fold_contains (void)
{
  g_assert_true (contains ("Ärger", -1, "äRGER"));
  g_assert_true (contains ("xx ΣΟΦΊΑ", -1, "σοφία"));
  g_assert_true (contains ("ΟΔΟΣ", -1, "οδος"));
  g_assert_true (contains ("ǅemal", -1, "ǆ"));               /* titlecase */
  g_assert_true (contains ("ＡＢＣ", -1, "ａｂｃ"));            /* fullwidth, three bytes */
  g_assert_true (contains ("𐐀𐐁", -1, "𐐨𐐩"));                /* Deseret, four bytes */
  g_assert_true (contains ("anything", -1, ""));
  /* Letters of two and three bytes that fold to ASCII ones: the skipping over bytes that cannot
   * start a match must stop at them. */
  g_assert_true (contains ("the ſtop sign", -1, "STOP"));
  g_assert_true (contains ("200 \u212a", -1, "0 k"));
  g_assert_true (contains ("vidéo VIDÉO", -1, "o vidé"));
  g_assert_false (contains ("straße", -1, "strasse"));     /* one character is one character */
  g_assert_false (contains ("emoji", -1, "émoji"));
  g_assert_false (contains ("İstanbul", -1, "istanbul"));   /* as the index keeps them */
  g_assert_false (contains ("ÄRGE", -1, "ärger"));          /* too short, at the very end */
  g_assert_false (contains ("", -1, "a"));
  /* The length is the bound, not a NUL. */
  g_assert_false (contains ("ÉCOLE", 4, "école"));
  g_assert_true (contains ("ÉCOLE", 6, "école"));
  /* Broken UTF-8 matches nothing and reads nothing beyond the length: a lead byte that
   * promises more bytes than there are, a lone continuation byte. */
  g_assert_false (contains ("\xc3", 1, "é"));
  g_assert_false (contains ("ab\xf0\x9f", 4, "ab\xf0\x9f\x98\x80"));
  g_assert_true (contains ("\x80\xc3\xa9x", 4, "ÉX"));
  g_assert_false (contains ("\xc3\x28", 2, "é"));

  g_assert_true (_md_fold_is_cased ("ÉMOJI"));
  g_assert_true (_md_fold_is_cased ("straße"));
  g_assert_true (_md_fold_is_cased ("abc привет"));
  g_assert_false (_md_fold_is_cased ("emoji"));
  g_assert_false (_md_fold_is_cased ("沙发"));
  g_assert_false (_md_fold_is_cased ("بالعالم"));
  g_assert_false (_md_fold_is_cased ("소파 100%_"));
}

/* Letters of Unicode 7.0 and later that SQLite 3.40's folding tables (Unicode 6.1) leave
 * alone: the index keeps their cases apart, our folding does not. */
static gboolean
newer_than_index (gunichar c)
{
  return c == 0x037f || (c >= 0x0528 && c <= 0x052f);
}

static gboolean
is_cased (gunichar c)
{
  return g_unichar_isdefined (c) && (_md_fold_char (c) != c || g_unichar_toupper (c) != c);
}

static void
tripled (gunichar  c,
         char     *out)
{
  int n = g_unichar_to_utf8 (c, out);

  memcpy (out + n, out, n);
  memcpy (out + 2 * n, out, n);
  out[3 * n] = '\0';
}

/* The check after the index must fold the way the index folds (FTS5 `trigram case_sensitive
 * 0`), or a short term found by the scan and a long one found through the index would follow
 * different rules. Every cased character of the scripts users work in goes into the index
 * tripled (one trigram); the trigram of its folding must find exactly the characters that we
 * fold the same way. */
static void
test_fold_agrees_with_index (void)
{
  static const gunichar ranges[][2] = {
    { 0x0041, 0x005a },   /* ASCII capitals */
    { 0x00c0, 0x024f },   /* Latin-1, Latin Extended A and B */
    { 0x0370, 0x03ff },   /* Greek */
    { 0x0400, 0x052f },   /* Cyrillic */
    { 0x1e00, 0x1fff },   /* Latin and Greek Extended */
    { 0x2126, 0x212b },   /* Ohm, Kelvin and Angstrom signs */
    { 0xff21, 0xff5a },   /* fullwidth Latin */
  };
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL, *match = NULL;
  guint n_checked = 0;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE VIRTUAL TABLE fts USING fts5 (t, content='', "
                                     "tokenize='trigram case_sensitive 0', detail='none')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO fts (rowid, t) VALUES (?, ?)", -1,
                                       &insert, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT rowid FROM fts WHERE fts MATCH ?", -1,
                                       &match, NULL), ==, SQLITE_OK);
  for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
    for (gunichar c = ranges[r][0]; c <= ranges[r][1]; c++)
      {
        char text[3 * 6 + 1];

        if (!is_cased (c) || newer_than_index (c))
          continue;
        tripled (c, text);
        sqlite3_reset (insert);
        sqlite3_bind_int64 (insert, 1, c);
        sqlite3_bind_text (insert, 2, text, -1, SQLITE_TRANSIENT);
        g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
      }

  for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
    for (gunichar c = ranges[r][0]; c <= ranges[r][1]; c++)
      {
        g_autofree char *query = NULL;
        char text[3 * 6 + 1];
        gunichar folded = _md_fold_char (c);
        gboolean found = FALSE;

        if (!is_cased (c) || newer_than_index (c))
          continue;
        tripled (folded, text);
        query = g_strdup_printf ("\"%s\"", text);
        sqlite3_reset (match);
        sqlite3_bind_text (match, 1, query, -1, SQLITE_TRANSIENT);
        while (sqlite3_step (match) == SQLITE_ROW)
          {
            gunichar other = (gunichar) sqlite3_column_int64 (match, 0);

            if (_md_fold_char (other) != folded)
              g_error ("the index matches U+%04X for U+%04X, we fold them apart", other, c);
            found |= other == c;
          }
        if (!found)
          g_error ("U+%04X folds to U+%04X, which the index does not match", c, folded);
        n_checked++;
      }
  g_assert_cmpuint (n_checked, >, 1000);
  sqlite3_finalize (insert);
  sqlite3_finalize (match);
  sqlite3_close (db);
}

static void
assert_sql_contains (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT md_contains('Une ÉCOLE', ?), "
                                           "md_contains(NULL, ?), md_contains('x', NULL), "
                                           "md_contains('ÉCOLE', 'ÉCOLE')", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, "école", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, "école", -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 0);
  g_assert_cmpint (sqlite3_column_type (stmt, 2), ==, SQLITE_NULL);
  g_assert_cmpint (sqlite3_column_int (stmt, 3), ==, 1);   /* an unfolded needle folds too */
  sqlite3_finalize (stmt);
}

/* Every connection that can run a search has md_contains(): the store's own (queries with
 * review filters) and the read pool's. */
static void
test_fold_connections (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;
  MdReadPool *pool;

  md_test_dir_init (&t);
  db = _md_index_open (t.db_path, FALSE, &error);
  g_assert_no_error (error);
  assert_sql_contains (db);
  sqlite3_close (db);

  pool = _md_read_pool_new (t.db_path, 1);
  db = _md_read_pool_acquire (pool);
  g_assert_nonnull (db);
  assert_sql_contains (db);
  _md_read_pool_release (pool, db);
  _md_read_pool_free (pool);
  md_test_dir_clear (&t);
}

static void
test_fold_cli (void)
{
  MdTestDir t;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  int status = -1;
  const char *argv[] = { g_getenv ("MD_CLI"), "search", "--db", NULL, "ΚΑΛΗΜΈΡΑ", NULL };

  g_assert_nonnull (argv[0]);
  md_test_dir_init (&t);
  write_fixture (&t);
  report = md_test_import (&t, NULL, &error, t.dir, NULL);
  g_assert_no_error (error);
  g_clear_object (&t.store);

  argv[3] = t.db_path;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, "FD_INS_4\tFD\tОна сказала: καλημέρα σας.\n");
  md_test_dir_clear (&t);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/search/fold/scripts", test_fold_scripts);
  g_test_add_func ("/store/search/fold/contains", test_fold_contains);
  g_test_add_func ("/store/search/fold/agrees-with-index", test_fold_agrees_with_index);
  g_test_add_func ("/store/search/fold/connections", test_fold_connections);
  g_test_add_func ("/store/search/fold/cli", test_fold_cli);
  return g_test_run ();
}
