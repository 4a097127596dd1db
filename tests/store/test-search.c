/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <cJSON.h>

#include "md-test-store.h"

/* Real sentences in the eight languages, one pair per row: English goes into the instruction
 * file, the others arrive as a Syphus translation reply. */
static const char *sentences[][MD_N_LANGUAGES] = {
  { "The cat sleeps on the red sofa.", "猫在红色的沙发上睡觉。", "El gato duerme en el sofá rojo.",
    "猫が赤いソファで寝ています。", "Die Katze schläft auf dem roten Sofa.",
    "Le chat dort sur le canapé rouge.", "고양이가 빨간 소파에서 자고 있어요.",
    "القطة تنام على الأريكة الحمراء." },
  { "A man rides a bicycle through the park.", "一个男人骑自行车穿过公园。",
    "Un hombre anda en bicicleta por el parque.", "男性が自転車で公園を走っています。",
    "Ein Mann fährt mit dem Fahrrad durch den Park.", "Un homme traverse le parc à vélo.",
    "한 남자가 자전거를 타고 공원을 지나갑니다.", "رجل يركب دراجة عبر الحديقة." },
};

static const struct { MdLanguage language; const char *term; guint row; } searches[] = {
  { MD_LANGUAGE_EN, "red sofa", 0 },
  { MD_LANGUAGE_ZH, "沙发", 0 },            /* two characters: below the trigram size */
  { MD_LANGUAGE_ZH, "自行车", 1 },
  { MD_LANGUAGE_ES, "bicicleta", 1 },
  { MD_LANGUAGE_JA, "ソファ", 0 },
  { MD_LANGUAGE_JA, "猫", 0 },               /* one character */
  { MD_LANGUAGE_DE, "schläft", 0 },
  { MD_LANGUAGE_DE, "FAHRRAD", 1 },          /* case-insensitive */
  { MD_LANGUAGE_FR, "canapé", 0 },
  { MD_LANGUAGE_KO, "자전거", 1 },
  { MD_LANGUAGE_KO, "소파", 0 },
  { MD_LANGUAGE_AR, "الحديقة", 1 },
};

static char *
json_string (const char *text)
{
  cJSON *item = cJSON_CreateString (text);
  char *printed = cJSON_PrintUnformatted (item);
  char *copy = g_strdup (printed);

  cJSON_free (printed);
  cJSON_Delete (item);
  return copy;
}

static void
write_fixture (MdTestDir *t)
{
  GString *ins = g_string_new ("{\"meta\": {}, \"data\": {");
  GString *out = g_string_new ("[");
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  for (guint row = 0; row < G_N_ELEMENTS (sentences); row++)
    {
      GString *reply = g_string_new ("{\"a\": {");
      g_autofree char *escaped = NULL;
      g_autofree char *en = json_string (sentences[row][MD_LANGUAGE_EN]);

      g_string_append_printf (ins, "%s\"ML_INS_%u\": {\"instruction\": %s, \"answer\": \"yes\","
                              " \"image_ids\": [\"ML_IMG_%u\"]}", row ? "," : "", row, en, row);
      for (guint l = MD_LANGUAGE_ZH; l < MD_N_LANGUAGES; l++)
        {
          g_autofree char *s = json_string (sentences[row][l]);

          g_string_append_printf (reply, "%s\"%s\": %s", l > MD_LANGUAGE_ZH ? ", " : "",
                                  md_language_code (l), s);
        }
      g_string_append (reply, "}, \"b\": {");
      for (guint l = MD_LANGUAGE_ZH; l < MD_N_LANGUAGES; l++)
        g_string_append_printf (reply, "%s\"%s\": \"ok\"", l > MD_LANGUAGE_ZH ? ", " : "",
                                md_language_code (l));
      g_string_append (reply, "}}");
      escaped = json_string (reply->str);
      g_string_append_printf (out, "%s{\"id\": \"ML_INS_%u\", \"results\": %s}", row ? "," : "",
                              row, escaped);
      g_string_free (reply, TRUE);
    }
  /* Text-only pairs of another dataset, and filler to page through. */
  g_string_append (ins, "}}");
  g_string_append (out, "]");
  a = md_test_write (t, "ML_instructions.json", ins->str, -1);
  b = md_test_write (t, "tr/valid_output.json", out->str, -1);
  c = md_test_write (t, "TXT_instructions.json",
    "{\"data\": {\"TXT_INS_1\": {\"instruction\": \"Describe the red sofa.\", \"answer\": \"It is "
    "soft and émoji 🛋️ friendly.\"}, \"TXT_INS_2\": {\"instruction\": \"Name a fruit.\", "
    "\"answer\": \"An apple, not a sofa.\"}}}", -1);
  g_string_free (ins, TRUE);
  g_string_free (out, TRUE);
}

static GListModel *
run_query (MdStore    *store,
           const char *text,
           int         language,
           const char *dataset,
           GError    **error)
{
  g_autoptr(MdQuery) query = md_query_new ();

  query->text = g_strdup (text);
  query->language = language;
  query->dataset = g_strdup (dataset);
  return md_store_query (store, query, error);
}

static char *
ids_of (GListModel *model)
{
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(MdPair) pair = g_list_model_get_item (model, i);

      g_string_append_printf (ids, "%s%s", i ? "," : "", md_pair_get_id (pair));
    }
  return g_string_free (ids, FALSE);
}

static void
test_search_languages (void)
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
      g_autofree char *expected = g_strdup_printf ("ML_INS_%u", searches[i].row);
      g_autoptr(GListModel) in_language = NULL;
      g_autoptr(GListModel) anywhere = NULL;
      g_autofree char *got = NULL;
      g_autoptr(MdPair) first = NULL;

      in_language = run_query (t.store, searches[i].term, searches[i].language, "ML", &error);
      g_assert_no_error (error);
      got = ids_of (in_language);
      if (g_strcmp0 (got, expected) != 0)
        g_error ("“%s” in %s found “%s”, expected “%s”", searches[i].term,
                 md_language_code (searches[i].language), got, expected);
      /* The row shows the instruction in the searched language. */
      first = g_list_model_get_item (in_language, 0);
      g_assert_cmpstr (md_pair_get_summary (first), ==,
                       sentences[searches[i].row][searches[i].language]);

      anywhere = run_query (t.store, searches[i].term, -1, "ML", &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (anywhere), ==, 1);
    }

  /* A term of one language is not found when searching another. */
  {
    g_autoptr(GListModel) model = run_query (t.store, "沙发", MD_LANGUAGE_JA, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  }
  md_test_dir_clear (&t);
}

static void
test_search_syntax (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  static const struct { const char *text; const char *expected; } cases[] = {
    { "sofa", "ML_INS_0,TXT_INS_1,TXT_INS_2" },
    { "\"red sofa\"", "ML_INS_0,TXT_INS_1" },
    { "sofa -apple", "ML_INS_0,TXT_INS_1" },
    /* Exclusions apply to the pair: ML_INS_0's German ("roten Sofa") lacks "red" but its
     * English has it. */
    { "sofa -red", "TXT_INS_2" },
    { "sofa -rouge", "TXT_INS_1,TXT_INS_2" },
    { "bicycle OR apple", "ML_INS_1,TXT_INS_2" },
    { "sofa émoji", "TXT_INS_1" },
    { "🛋️", "TXT_INS_1" },
    { "sof*", "" },                          /* FTS5 prefix syntax is plain text here */
    { "soft's", "" },
    { "sofa AND NOT NEAR(x)", "" },          /* FTS5 operators are plain words here */
    /* Short terms on the text: "Fahrrad"; ML_INS_0 is out by its French "canapé". */
    { "fa -ap", "ML_INS_1,TXT_INS_1" },
  };
  static const struct { const char *text; const char *message; } errors[] = {
    { "\"red sofa", "quote at character 1 is not closed" },
    { "OR sofa", "OR at character 1 needs a word on both sides" },
    { "sofa OR", "OR at character 6 needs a word" },
    { "sofa OR OR cat", "OR at character 6" },
    { "-sofa", "at least one word that is not excluded" },
    { "sofa \"\"", "phrase at character 6 is empty" },
    { "cat OR -dog", "excluded word cannot be part of OR" },
  };

  md_test_dir_init (&t);
  write_fixture (&t);
  report = md_test_import (&t, NULL, &error, t.dir, NULL);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GListModel) model = run_query (t.store, cases[i].text, -1, NULL, &error);
      g_autofree char *got = NULL;

      g_assert_no_error (error);
      got = ids_of (model);
      if (strcmp (got, cases[i].expected) != 0)
        g_error ("“%s” found “%s”, expected “%s”", cases[i].text, got, cases[i].expected);
    }
  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    {
      g_autoptr(GListModel) model = run_query (t.store, errors[i].text, -1, NULL, &error);

      g_assert_null (model);
      g_assert_error (error, MD_ERROR, MD_ERROR_QUERY);
      if (strstr (error->message, errors[i].message) == NULL)
        g_error ("“%s” gave “%s”, expected “%s”", errors[i].text, error->message,
                 errors[i].message);
      g_assert_null (strstr (error->message, "SQL"));
      g_clear_error (&error);
    }
  md_test_dir_clear (&t);
}

static void
test_search_filters (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(MdQuery) query = md_query_new ();
  g_autoptr(GListModel) model = NULL;
  g_autofree char *got = NULL;
  g_autofree char *store_path = NULL;

  md_test_dir_init (&t);
  write_fixture (&t);
  /* An ML image store that has image 0 but not image 1. */
  store_path = md_test_write (&t, "ML.json", "{\"ML_IMG_0\": \"iVBORw0KGgoAAAANSUhEUg==\"}", -1);
  report = md_test_import (&t, NULL, &error, t.dir, NULL);
  g_assert_no_error (error);

  query->dataset = g_strdup ("TXT");
  model = md_store_query (t.store, query, &error);
  g_assert_no_error (error);
  got = ids_of (model);
  g_assert_cmpstr (got, ==, "TXT_INS_1,TXT_INS_2");
  g_clear_object (&model);
  g_clear_pointer (&got, g_free);

  g_clear_pointer (&query->dataset, g_free);
  query->modality = MD_MODALITY_IMAGE;
  model = md_store_query (t.store, query, &error);
  got = ids_of (model);
  g_assert_cmpstr (got, ==, "ML_INS_0,ML_INS_1");
  g_clear_object (&model);
  g_clear_pointer (&got, g_free);

  query->modality = -1;
  query->flags = MD_QUERY_MISSING_IMAGES;
  model = md_store_query (t.store, query, &error);
  got = ids_of (model);
  g_assert_cmpstr (got, ==, "ML_INS_1");
  g_clear_object (&model);
  g_clear_pointer (&got, g_free);

  /* Language as a filter: pairs that have Korean text. */
  query->flags = 0;
  query->language = MD_LANGUAGE_KO;
  model = md_store_query (t.store, query, &error);
  got = ids_of (model);
  g_assert_cmpstr (got, ==, "ML_INS_0,ML_INS_1");
  g_clear_object (&model);
  g_clear_pointer (&got, g_free);

  /* Search combined with filters. */
  query->language = -1;
  query->text = g_strdup ("sofa");
  query->modality = MD_MODALITY_TEXT;
  model = md_store_query (t.store, query, &error);
  got = ids_of (model);
  g_assert_cmpstr (got, ==, "TXT_INS_1,TXT_INS_2");
  g_assert_cmpuint (md_store_count_pairs (t.store, query, &error), ==, 2);
  g_clear_object (&model);
  g_clear_pointer (&got, g_free);

  query->modality = -1;
  query->flags = MD_QUERY_MISSING_IMAGES;
  model = md_store_query (t.store, query, &error);
  got = ids_of (model);
  g_assert_cmpstr (got, ==, "");
  g_clear_object (&model);
  g_clear_pointer (&got, g_free);

  md_test_dir_clear (&t);
}

/* Lazy paging ------------------------------------------------------------------------------------ */

#define N_PAGED 70000

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  guint *total_added = user_data;

  g_assert_cmpuint (removed, ==, 0);
  *total_added += added;
}

static void
test_lazy_model (void)
{
  MdTestDir t;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autoptr(MdQuery) query = md_query_new ();
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GListModel) found = NULL;
  g_autofree char *path = NULL;
  GString *text = g_string_new ("{\"data\": {");
  guint added = 0;
  guint first_count;
  gint64 start;

  md_test_dir_init (&t);
  for (guint i = 0; i < N_PAGED; i++)
    g_string_append_printf (text, "%s\"PG_INS_%06u\": {\"instruction\": \"Row %u of the %s "
                            "list\", \"answer\": \"fine\"}", i ? "," : "", i, i,
                            i % 2 ? "odd" : "even");
  g_string_append (text, "}}");
  path = md_test_write (&t, "PG_instructions.json", text->str, text->len);
  g_string_free (text, TRUE);
  report = md_test_import (&t, NULL, &error, path, NULL);
  g_assert_no_error (error);

  all = md_store_query (t.store, query, &error);
  g_assert_no_error (error);
  g_assert_true (MD_IS_PAIR_LIST (all));
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, N_PAGED);
  g_assert_true (md_pair_list_is_count_exact (MD_PAIR_LIST (all)));
  g_assert_cmpint (g_list_model_get_item_type (all), ==, MD_TYPE_PAIR);

  /* Far positions first (a jump of the scroll bar), then back, then neighbours. */
  {
    static const guint positions[] = { 65432, 3, 69999, 256, 255, 40000, 40001, 0 };

    for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
      {
        g_autoptr(MdPair) pair = g_list_model_get_item (all, positions[i]);
        g_autofree char *id = g_strdup_printf ("PG_INS_%06u", positions[i]);

        g_assert_nonnull (pair);
        g_assert_cmpstr (md_pair_get_id (pair), ==, id);
        g_assert_false (md_pair_is_full (pair));
      }
    g_assert_null (g_list_model_get_item (all, N_PAGED));
  }

  /* A term in half of the rows: the count is capped at 5000, the first page is quick, and the list grows
   * as it is read near its end. */
  query->text = g_strdup ("even");
  start = g_get_monotonic_time ();
  found = md_store_query (t.store, query, &error);
  g_assert_no_error (error);
  {
    g_autoptr(MdPair) first = g_list_model_get_item (found, 0);

    g_test_message ("first page of a 35000-match query: %.1f ms",
                    (g_get_monotonic_time () - start) / 1000.0);
    g_assert_cmpstr (md_pair_get_id (first), ==, "PG_INS_000000");
  }
  /* The first count stops at the first page. */
  first_count = g_list_model_get_n_items (found);
  g_assert_cmpuint (first_count, ==, MD_PAIR_LIST_FIRST_PAGE);
  g_assert_cmpint (md_pair_list_get_count_state (MD_PAIR_LIST (found)), ==,
                   MD_PAIR_LIST_COUNT_AT_LEAST);
  g_assert_false (md_pair_list_is_count_exact (MD_PAIR_LIST (found)));
  g_signal_connect (found, "items-changed", G_CALLBACK (items_changed_cb), &added);
  /* Reading near the end counts further, four times as far each time, up to all 35000. */
  for (guint round = 0; !md_pair_list_is_count_exact (MD_PAIR_LIST (found)); round++)
    {
      guint n = g_list_model_get_n_items (found);
      g_autoptr(MdPair) late = g_list_model_get_item (found, n - 1);
      g_autofree char *id = g_strdup_printf ("PG_INS_%06u", 2 * (n - 1));

      g_assert_cmpuint (round, <, 12);
      g_assert_cmpstr (md_pair_get_id (late), ==, id);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, N_PAGED / 2);
  g_assert_cmpuint (added, ==, N_PAGED / 2 - first_count);
  g_assert_true (md_pair_list_is_count_exact (MD_PAIR_LIST (found)));
  {
    g_autoptr(MdPair) last = g_list_model_get_item (found, N_PAGED / 2 - 1);

    g_assert_cmpstr (md_pair_get_id (last), ==, "PG_INS_069998");
  }
  g_assert_cmpuint (md_store_count_pairs (t.store, query, &error), ==, N_PAGED / 2);
  md_test_dir_clear (&t);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/search/languages", test_search_languages);
  g_test_add_func ("/store/search/syntax", test_search_syntax);
  g_test_add_func ("/store/search/filters", test_search_filters);
  g_test_add_func ("/store/query/lazy-model", test_lazy_model);

  return g_test_run ();
}
