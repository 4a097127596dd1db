/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bounded query cost on a generated corpus (tests/common/md-test-corpus.h): every query of a
 * rule-generated set returns its first page, or says it is too broad, within its budget of rows
 * visited, and what it returns is what a plain scan of the same texts finds. The root causes
 * of issue 19 each have a case here. Budgets are counted in rows, not time: nothing here
 * depends on the machine's speed.
 *
 * The corpus has 200 000 pairs (one in eight with all seven translations); under the sanitizer
 * and valgrind setups (MD_TEST_TIMEOUT_SCALE) it is that many divided by the scale. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "md-pair-list-private.h"
#include "../common/md-test-corpus.h"
#include "md-test-store.h"

#define FULL_PAIRS 200000
#define N_QUERIES 228
/* Queries checked against a full scan of the corpus: one in this many. */
#define FULL_CHECK_EVERY 8

static MdTestCorpus corpus = { .translate_every = 8, .seed = 19 };
static MdTestDir t;

static guint
pair_of (MdPair *pair)
{
  const char *id = md_pair_get_id (pair);

  return (guint) strtoul (id + strlen ("AA_INS_"), NULL, 10);
}

/* Pairs are listed in import order: the AA file, then BB. */
static guint
order_of (guint pair)
{
  return (pair % 4 == 3 ? corpus.n_pairs : 0) + pair;
}

static guint
pair_at (guint order)
{
  return order >= corpus.n_pairs ? order - corpus.n_pairs : order;
}

static MdQuery *
make_query (MdTestQuery *q)
{
  MdQuery *query = md_query_new ();

  query->text = g_strdup (q->text);
  query->dataset = g_strdup (q->dataset);
  query->language = q->language;
  return query;
}

static const char *
state_name (MdPairListCount state)
{
  return state == MD_PAIR_LIST_COUNT_EXACT ? "exact"
         : state == MD_PAIR_LIST_COUNT_AT_LEAST ? "at least" : "too broad";
}

static void
test_query_set (void)
{
  g_autoptr(GPtrArray) queries = md_test_corpus_queries (&corpus, N_QUERIES);
  guint n_state[3] = { 0 };
  guint64 max_visited = 0;

  g_assert_cmpuint (queries->len, >=, 200);
  for (guint i = 0; i < queries->len; i++)
    {
      MdTestQuery *q = g_ptr_array_index (queries, i);
      g_autoptr(MdQuery) query = make_query (q);
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) model = md_store_query (t.store, query, &error);
      MdPairList *list;
      MdPairListCount state;
      guint n, shown;
      gint64 last = -1;
      guint64 visited;

      g_assert_no_error (error);
      list = MD_PAIR_LIST (model);
      state = md_pair_list_get_count_state (list);
      n = g_list_model_get_n_items (model);
      visited = md_pair_list_get_rows_visited (list);
      n_state[state]++;
      max_visited = MAX (max_visited, visited);
      g_test_message ("%-14s %-32s %s%s%s: %s %u, %" G_GUINT64_FORMAT " rows visited (%s)",
                      q->klass, q->text, q->dataset ? " dataset " : "",
                      q->dataset ? q->dataset : "", q->language >= 0 ? " lang" : "",
                      state_name (state), n, visited, md_pair_list_get_path_name (list));

      /* The budget: a page or "too broad", never more rows than the first step may visit
       * (one row more per path at most, so that a step always moves on). */
      if (visited > MD_PAIR_LIST_FIRST_BUDGET + 256)
        g_error ("“%s” visited %" G_GUINT64_FORMAT " rows, over its budget of %u", q->text,
                 visited, MD_PAIR_LIST_FIRST_BUDGET);
      if (state == MD_PAIR_LIST_COUNT_AT_LEAST)
        g_assert_cmpuint (n, >=, MD_PAIR_LIST_FIRST_PAGE);

      /* What is shown matches, in pair order, without repeats. */
      shown = MIN (n, MD_PAIR_LIST_FIRST_PAGE);
      for (guint k = 0; k < shown; k++)
        {
          g_autoptr(MdPair) pair = g_list_model_get_item (model, k);
          guint p;

          g_assert_nonnull (pair);
          p = pair_of (pair);
          if (!md_test_corpus_matches (&corpus, p, q))
            g_error ("“%s” returned %s, which does not match", q->text, md_pair_get_id (pair));
          g_assert_cmpint ((gint64) order_of (p), >, last);
          last = order_of (p);
        }
      g_assert_null (g_list_model_get_item (model, n));

      /* Against a full scan: the first page is the first matches, an exact count is the
       * count, a lower bound is not above it. */
      if (i % FULL_CHECK_EVERY == 0)
        {
          guint total = 0;
          g_autoptr(GArray) first = g_array_new (FALSE, FALSE, sizeof (guint));

          for (guint o = 0; o < 2 * corpus.n_pairs; o++)
            if ((pair_at (o) % 4 == 3) == (o >= corpus.n_pairs) &&
                     md_test_corpus_matches (&corpus, pair_at (o), q))
              {
                guint p = pair_at (o);

                if (first->len < shown)
                  g_array_append_val (first, p);
                total++;
              }
          g_assert_cmpuint (first->len, ==, shown);
          for (guint k = 0; k < shown; k++)
            {
              g_autoptr(MdPair) pair = g_list_model_get_item (model, k);

              g_assert_cmpuint (pair_of (pair), ==, g_array_index (first, guint, k));
            }
          if (state == MD_PAIR_LIST_COUNT_EXACT)
            g_assert_cmpuint (n, ==, total);
          else
            g_assert_cmpuint (n, <=, total);
          /* The count without a budget, on every path, where it stays cheap. */
          if (total <= 2000)
            {
              g_assert_cmpuint (md_store_count_pairs (t.store, query, &error), ==, total);
              g_assert_no_error (error);
            }
        }
    }
  g_test_message ("%u queries: %u exact, %u at least, %u too broad; at most %" G_GUINT64_FORMAT
                  " rows visited", queries->len, n_state[0], n_state[1], n_state[2], max_visited);
}

/* grow() multiplied its cap by 4 from 5000: after 31 rounds it was 0 and the count never moved
 * again. */
static void
test_cap_saturates (void)
{
  guint64 cap = 5000;

  for (guint round = 0; round < 64; round++)
    {
      guint64 next = _md_pair_list_next_cap (cap);

      g_assert_cmpuint (next, >=, cap);
      g_assert_cmpuint (next, !=, 0);
      cap = next;
    }
  g_assert_cmpuint (cap, ==, G_MAXUINT64);
}

/* The same at the list: with a small budget per step the count needs far more than 31 rounds
 * to finish, and each round moves on until it is exact. */
static void
test_many_rounds (void)
{
  MdTestQuery q = { "common", NULL, NULL, -1 };
  g_autoptr(GPtrArray) queries = md_test_corpus_queries (&corpus, 19);
  g_autoptr(MdQuery) query = NULL;
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GError) error = NULL;
  guint total = 0, rounds = 0;

  /* A rare word: a few hundred matches or less. */
  q.text = ((MdTestQuery *) g_ptr_array_index (queries, 2))->text;
  for (guint p = 0; p < corpus.n_pairs; p++)
    total += md_test_corpus_matches (&corpus, p, &q);
  query = make_query (&q);
  model = md_store_query (t.store, query, &error);
  g_assert_no_error (error);
  _md_pair_list_set_grow_budget (MD_PAIR_LIST (model), 16);
  while (!md_pair_list_is_count_exact (MD_PAIR_LIST (model)))
    {
      guint before = g_list_model_get_n_items (model);
      guint64 visited = md_pair_list_get_rows_visited (MD_PAIR_LIST (model));

      _md_pair_list_grow_now (MD_PAIR_LIST (model));
      g_assert_cmpuint (md_pair_list_get_rows_visited (MD_PAIR_LIST (model)), >, visited);
      g_assert_cmpuint (g_list_model_get_n_items (model), >=, before);
      rounds++;
      g_assert_cmpuint (rounds, <, 10000000);
    }
  g_test_message ("“%s”: %u matches counted in %u rounds", q.text, total, rounds);
  g_assert_cmpuint (rounds, >, 32);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, total);
  g_clear_pointer (&q.clauses, g_ptr_array_unref);
}

/* A chunk with no match that could not be read within the step's deadline started over from
 * the same place every time; now every step moves the frontier. A filter that nothing passes
 * makes every row a miss. */
static void
test_steps_move_on (void)
{
  g_autoptr(MdQuery) query = md_query_new ();
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GError) error = NULL;
  guint rounds = 0;

  query->text = g_strdup ("ba");
  query->flags = MD_QUERY_MISSING_IMAGES;  /* no store was imported: no image is missing */
  model = md_store_query (t.store, query, &error);
  g_assert_no_error (error);
  g_assert_cmpint (md_pair_list_get_count_state (MD_PAIR_LIST (model)), ==,
                   MD_PAIR_LIST_COUNT_TOO_BROAD);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  /* Large steps, so that the test stays quick; each still ends on its budget. */
  while (!md_pair_list_is_count_exact (MD_PAIR_LIST (model)))
    {
      guint64 visited = md_pair_list_get_rows_visited (MD_PAIR_LIST (model));

      _md_pair_list_grow_now (MD_PAIR_LIST (model));
      g_assert_cmpuint (md_pair_list_get_rows_visited (MD_PAIR_LIST (model)), >, visited);
      rounds++;
      g_assert_cmpuint (rounds, <, 1000);
    }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpint (md_pair_list_get_count_state (MD_PAIR_LIST (model)), ==,
                   MD_PAIR_LIST_COUNT_EXACT);
  /* An unknown dataset needs no scan at all. */
  g_clear_object (&model);
  query->flags = 0;
  query->dataset = g_strdup ("NOPE");
  model = md_store_query (t.store, query, &error);
  g_assert_no_error (error);
  g_assert_true (md_pair_list_is_count_exact (MD_PAIR_LIST (model)));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
}

/* The first page was fetched with no bound: now it stops where the count stopped, so reading
 * it costs no more than counting it did. */
static void
test_page_within_count (void)
{
  g_autoptr(GPtrArray) queries = md_test_corpus_queries (&corpus, 19);
  g_autoptr(MdQuery) query = make_query (g_ptr_array_index (queries, 0));  /* common */
  g_autoptr(GListModel) model = md_store_query (t.store, query, NULL);
  guint n = g_list_model_get_n_items (model);
  g_autoptr(MdPair) last = g_list_model_get_item (model, n - 1);

  g_assert_cmpuint (n, ==, MD_PAIR_LIST_FIRST_PAGE);
  g_assert_nonnull (last);
  g_assert_null (g_list_model_get_item (model, n));
  /* Reading near the end counted on; the page read before is read again, longer. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (model), >, n);
  {
    g_autoptr(MdPair) next = g_list_model_get_item (model, n);

    g_assert_nonnull (next);
    g_assert_cmpuint (order_of (pair_of (next)), >, order_of (pair_of (last)));
  }
}

/* Hostile queries ended with "Expression tree is too large": now many terms are refused with a
 * clear word, and as many as allowed run within budget. */
static void
test_many_terms (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(MdQuery) query = md_query_new ();
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 300; i++)
    g_string_append_printf (text, "%s%s", i ? (i % 3 ? " OR " : " ") : "",
                            i % 2 ? "bako" : "\"ba ko\"");
  query->text = g_strdup (text->str);
  model = md_store_query (t.store, query, &error);
  g_assert_null (model);
  g_assert_error (error, MD_ERROR, MD_ERROR_QUERY);
  g_assert_nonnull (strstr (error->message, "expected at most 32"));
  g_clear_error (&error);

  g_string_truncate (text, 0);
  for (guint i = 0; i < 24; i++)
    g_string_append_printf (text, "%s%s", i ? (i % 4 ? " OR " : " ") : "",
                            i % 2 ? "teko" : "\"ri mu\"");
  for (guint i = 0; i < 8; i++)
    g_string_append_printf (text, " -%s", i % 2 ? "zeno" : "pla");
  g_free (query->text);
  query->text = g_strdup (text->str);
  model = md_store_query (t.store, query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (md_pair_list_get_rows_visited (MD_PAIR_LIST (model)), <=,
                    MD_PAIR_LIST_FIRST_BUDGET + 256);
}

static void
count_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  guint64 *out = data;
  g_autoptr(GError) error = NULL;

  g_assert_true (md_pair_list_count_finish (MD_PAIR_LIST (source), result, out, &error));
  g_assert_no_error (error);
}

/* The exact count in the background, for the window to show after "more than N". */
static void
test_count_async (void)
{
  g_autoptr(GPtrArray) queries = md_test_corpus_queries (&corpus, 19);
  MdTestQuery *q = g_ptr_array_index (queries, 1);  /* mid */
  g_autoptr(MdQuery) query = make_query (q);
  g_autoptr(GListModel) model = md_store_query (t.store, query, NULL);
  guint64 count = G_MAXUINT64;
  guint total = 0;

  for (guint p = 0; p < corpus.n_pairs; p++)
    total += md_test_corpus_matches (&corpus, p, q);
  md_pair_list_count_async (MD_PAIR_LIST (model), NULL, count_done_cb, &count);
  while (count == G_MAXUINT64)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (count, ==, total);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdImportReport) report = NULL;
  g_autofree char *data = NULL;
  const char *scale = g_getenv ("MD_TEST_TIMEOUT_SCALE");
  int status;

  g_test_init (&argc, &argv, NULL);
  corpus.n_pairs = FULL_PAIRS / MAX (1, scale != NULL ? atoi (scale) : 1);

  md_test_dir_init (&t);
  data = g_build_filename (t.dir, "data", NULL);
  if (!md_test_corpus_write (&corpus, data, &error))
    g_error ("%s", error->message);
  report = md_test_import (&t, NULL, &error, data, NULL);
  g_assert_no_error (error);
  g_assert_true (md_store_is_search_index_complete (t.store));
  md_test_corpus_cache (&corpus);

  g_test_add_func ("/store/search-budget/cap-saturates", test_cap_saturates);
  g_test_add_func ("/store/search-budget/many-rounds", test_many_rounds);
  g_test_add_func ("/store/search-budget/steps-move-on", test_steps_move_on);
  g_test_add_func ("/store/search-budget/page-within-count", test_page_within_count);
  g_test_add_func ("/store/search-budget/many-terms", test_many_terms);
  g_test_add_func ("/store/search-budget/count-async", test_count_async);
  g_test_add_func ("/store/search-budget/query-set", test_query_set);
  status = g_test_run ();
  md_test_corpus_uncache (&corpus);
  md_test_dir_clear (&t);
  return status;
}
