/* SPDX-License-Identifier: GPL-3.0-or-later */
/* First page of search results over an index, in process, for the store benchmark.
 *
 *   bench-store-search INDEX [--queries N] [--runs R] [--write-queries FILE]
 *
 * The query set is drawn by rule from the index's own vocabulary (a sample of its texts): 1 to
 * 6 common, mid and rare words, phrases, exclusions, OR, 1- and 2-character CJK terms, CJK and
 * Arabic words, accented words in upper case, short Latin terms, no match at all, with and
 * without dataset and language filters. For each query: build the lazy result model and fetch
 * its first 50 rows (what the window shows), R runs (default 5), median. Prints one JSON line
 * per query (wall and CPU ms, the count and whether it is exact, a lower bound or "too broad",
 * rows visited, the path), then p50/p99/max per query class and overall, the load before and
 * after, and the index's size on disk. --write-queries writes the set as JSON lines for
 * baseline-search.py. */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "md-store.h"

#define SAMPLE_ROWS 4000

typedef struct
{
  const char *klass;
  char       *text;
  char       *dataset;
  int         language;
} Query;

typedef struct
{
  char  *word;
  guint  df;
} Word;

static guint64 rng_state = 0x19;

static guint64
rng_next (void)
{
  guint64 x = (rng_state += 0x9e3779b97f4a7c15ULL);

  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static char *
load (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?");
  return g_strndup (text, strcspn (text, " ") + 1 + strcspn (text + strcspn (text, " ") + 1, " "));
}

static int
compare_df (gconstpointer a,
            gconstpointer b)
{
  const Word *x = a, *y = b;

  if (x->df != y->df)
    return x->df > y->df ? -1 : 1;
  return strcmp (x->word, y->word);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Words of a sample, by document frequency, most frequent first. */
typedef struct
{
  GHashTable *df;       /* word -> count */
  GArray     *sorted;   /* Word */
  GPtrArray  *texts;    /* the sample's texts */
} Vocabulary;

static void
vocabulary_add (Vocabulary *v,
                const char *text,
                gboolean    split_chars)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *lower = g_utf8_strdown (text, -1);
  const char *p = lower;

  g_ptr_array_add (v->texts, g_strdup (lower));
  while (*p != '\0')
    {
      const char *start = p;
      g_autofree char *w = NULL;

      if (split_chars)
        {
          /* CJK: every run of 2 and 3 characters is a "word". */
          gunichar c = g_utf8_get_char (p);

          p = g_utf8_next_char (p);
          if (!g_unichar_isalpha (c))
            continue;
          for (guint n = 2; n <= 3; n++)
            {
              const char *end = start;
              gboolean ok = TRUE;

              for (guint i = 0; i < n && ok; i++)
                {
                  ok = *end != '\0' && g_unichar_isalpha (g_utf8_get_char (end));
                  end = ok ? g_utf8_next_char (end) : end;
                }
              if (ok)
                {
                  char *gram = g_strndup (start, end - start);

                  if (!g_hash_table_contains (seen, gram))
                    {
                      guint n_df = GPOINTER_TO_UINT (g_hash_table_lookup (v->df, gram));

                      /* The table keeps the new key: `seen` borrows it. */
                      g_hash_table_replace (v->df, gram, GUINT_TO_POINTER (n_df + 1));
                      g_hash_table_add (seen, gram);
                    }
                  else
                    g_free (gram);
                }
            }
          continue;
        }
      while (*p != '\0' && g_unichar_isalpha (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p == start)
        {
          p = g_utf8_next_char (p);
          continue;
        }
      w = g_strndup (start, p - start);
      if (g_utf8_strlen (w, -1) >= 3 && !g_hash_table_contains (seen, w))
        {
          guint n_df = GPOINTER_TO_UINT (g_hash_table_lookup (v->df, w));
          char *key = g_strdup (w);

          g_hash_table_replace (v->df, key, GUINT_TO_POINTER (n_df + 1));
          g_hash_table_add (seen, key);
        }
    }
}

static void
vocabulary_sort (Vocabulary *v)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, v->df);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Word w = { key, GPOINTER_TO_UINT (value) };

      g_array_append_val (v->sorted, w);
    }
  g_array_sort (v->sorted, compare_df);
}

static void
vocabulary_init (Vocabulary *v)
{
  v->df = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  v->sorted = g_array_new (FALSE, FALSE, sizeof (Word));
  v->texts = g_ptr_array_new_with_free_func (g_free);
}

static void
vocabulary_clear (Vocabulary *v)
{
  g_array_unref (v->sorted);
  g_hash_table_unref (v->df);
  g_ptr_array_unref (v->texts);
}

/* A word of a class: 0 common (top 10), 1 mid (ranks 100-400), 2 rare (seen once). */
static const char *
pick (Vocabulary *v,
      int         klass)
{
  guint n = v->sorted->len, lo, hi;

  if (n == 0)
    return NULL;
  if (klass == 0)
    lo = 0, hi = MIN (n, 10);
  else if (klass == 1)
    lo = MIN (n - 1, 100), hi = MIN (n, 400);
  else
    {
      for (lo = n; lo > 0 && g_array_index (v->sorted, Word, lo - 1).df == 1; lo--)
        ;
      lo = MIN (lo, n - 1);
      hi = n;
    }
  return g_array_index (v->sorted, Word, lo + rng_next () % MAX (hi - lo, 1)).word;
}

static void
add (GPtrArray  *queries,
     const char *klass,
     char       *text,
     const char *dataset,
     int         language)
{
  Query *q = g_new0 (Query, 1);

  if (text == NULL)
    {
      g_free (q);
      return;
    }
  q->klass = klass;
  q->text = text;
  q->dataset = g_strdup (dataset);
  q->language = language;
  g_ptr_array_add (queries, q);
}

static char *
phrase_of (Vocabulary *v,
           guint       n_words)
{
  const char *text;
  g_auto(GStrv) words = NULL;
  guint n, start;
  GString *out;

  if (v->texts->len == 0)
    return NULL;
  text = g_ptr_array_index (v->texts, rng_next () % v->texts->len);
  words = g_strsplit (text, " ", -1);
  n = g_strv_length (words);
  if (n < n_words + 1)
    return NULL;
  start = rng_next () % (n - n_words);
  out = g_string_new ("\"");
  for (guint i = 0; i < n_words; i++)
    {
      g_autofree char *w = g_strdup (words[start + i]);

      g_strdelimit (w, ",.?!;:\"", ' ');
      g_strstrip (w);
      if (*w == '\0')
        break;
      g_string_append_printf (out, "%s%s", out->len > 1 ? " " : "", w);
    }
  if (out->len == 1)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

static char *
prefix_chars (const char *word,
              guint       n)
{
  if (word == NULL)
    return NULL;
  return g_strndup (word, g_utf8_offset_to_pointer (word, MIN (n, (guint) g_utf8_strlen (word, -1)))
                          - word);
}

static GPtrArray *
make_queries (sqlite3    *db,
              guint       n_wanted,
              const char *dataset)
{
  GPtrArray *queries = g_ptr_array_new ();
  Vocabulary latin, cjk, arabic, accented;
  sqlite3_stmt *stmt = NULL;
  gint64 max_key = 0;

  vocabulary_init (&latin);
  vocabulary_init (&cjk);
  vocabulary_init (&arabic);
  vocabulary_init (&accented);
  sqlite3_prepare_v2 (db, "SELECT max(key) FROM texts", -1, &stmt, NULL);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    max_key = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_prepare_v2 (db, "SELECT key, instruction, answer FROM texts WHERE key >= ? LIMIT 8",
                      -1, &stmt, NULL);
  for (guint i = 0; i < SAMPLE_ROWS / 8 && max_key > 0; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, rng_next () % max_key);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          int l = sqlite3_column_int64 (stmt, 0) & 7;

          for (int f = 1; f <= 2; f++)
            {
              const char *text = (const char *) sqlite3_column_text (stmt, f);

              if (text == NULL)
                continue;
              if (l == MD_LANGUAGE_ZH || l == MD_LANGUAGE_JA || l == MD_LANGUAGE_KO)
                vocabulary_add (&cjk, text, TRUE);
              else if (l == MD_LANGUAGE_AR)
                vocabulary_add (&arabic, text, FALSE);
              else
                {
                  vocabulary_add (&latin, text, FALSE);
                  if (l != MD_LANGUAGE_EN && !g_str_is_ascii (text))
                    vocabulary_add (&accented, text, FALSE);
                }
            }
        }
    }
  sqlite3_finalize (stmt);
  vocabulary_sort (&latin);
  vocabulary_sort (&cjk);
  vocabulary_sort (&arabic);
  vocabulary_sort (&accented);

  while (queries->len < n_wanted)
    {
      guint i = queries->len;
      GString *words = g_string_new (NULL);
      GString *six = g_string_new (NULL);
      const char *accent = NULL;

      add (queries, "common", g_strdup (pick (&latin, 0)), NULL, -1);
      add (queries, "mid", g_strdup (pick (&latin, 1)), NULL, -1);
      add (queries, "rare", g_strdup (pick (&latin, 2)), NULL, -1);
      for (guint w = 0; w < 2 + i % 5; w++)
        g_string_append_printf (words, "%s%s", w ? " " : "",
                                pick (&latin, i % 3 == 0 ? 0 : w % 3));
      add (queries, "words", g_string_free (words, FALSE), NULL, -1);
      for (guint w = 0; w < 6; w++)
        g_string_append_printf (six, "%s%s", w ? " " : "", pick (&latin, w % 3));
      add (queries, "six-words", g_string_free (six, FALSE), NULL, -1);
      add (queries, "phrase", phrase_of (&latin, 2 + i % 3), NULL, -1);
      add (queries, "exclusion", g_strdup_printf ("%s -%s", pick (&latin, i % 2),
                                                  pick (&latin, i % 3)), NULL, -1);
      add (queries, "or", g_strdup_printf ("%s OR %s %s", pick (&latin, 1), pick (&latin, 2),
                                           pick (&latin, i % 3)), NULL, -1);
      add (queries, "cjk-1", prefix_chars (pick (&cjk, i % 3), 1), NULL, -1);
      add (queries, "cjk-2", prefix_chars (pick (&cjk, i % 3), 2), NULL, -1);
      add (queries, "cjk-word", g_strdup (pick (&cjk, i % 3)), NULL, -1);
      add (queries, "arabic", g_strdup (pick (&arabic, i % 3)), NULL, -1);
      for (guint tries = 0; tries < 200 && accent == NULL; tries++)
        {
          const char *w = pick (&accented, tries < 50 ? (int) (i % 3) : 1);

          if (w != NULL && !g_str_is_ascii (w))
            accent = w;
        }
      add (queries, "accent", accent ? g_utf8_strup (accent, -1) : NULL, NULL, -1);
      add (queries, "cased", g_utf8_strup (pick (&latin, 0), -1), NULL, -1);
      add (queries, "short-latin", prefix_chars (pick (&latin, 1), 2), NULL, -1);
      add (queries, "no-match", g_strdup (i % 2 ? "xyzzyq" : "qwv 猿猴"), NULL, -1);
      add (queries, "dataset", g_strdup (pick (&latin, i % 3)), dataset, -1);
      add (queries, "language", g_strdup (i % 2 ? pick (&latin, i % 3) : pick (&cjk, i % 3)),
           NULL, i % 2 ? MD_LANGUAGE_EN : MD_LANGUAGE_ZH);
      add (queries, "filtered-words", g_strdup_printf ("%s %s -%s", pick (&latin, 0),
                                                       pick (&latin, 0), pick (&latin, 1)),
           dataset, i % 2 ? MD_LANGUAGE_EN : -1);
      if (queries->len == i)
        break;
    }
  vocabulary_clear (&latin);
  vocabulary_clear (&cjk);
  vocabulary_clear (&arabic);
  vocabulary_clear (&accented);
  return queries;
}

static double
percentile (GArray *values,
            double  p)
{
  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, MIN (values->len - 1,
                                             (guint) ceil (p * values->len) - (p > 0 ? 1 : 0)));
}

static char *
json_escape (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '"' || *c == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *c);
    }
  return g_string_free (out, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MdStore) store = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("INDEX");
  g_autoptr(GHashTable) classes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) g_array_unref);
  g_autoptr(GHashTable) classes_cpu = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                             (GDestroyNotify) g_array_unref);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) all_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) queries = NULL;
  g_autofree char *write_queries = NULL;
  g_autofree char *dataset = NULL;
  g_autofree char *load_before = NULL, *load_after = NULL;
  g_autofree char *search_path = NULL;
  int n_queries = 228, n_runs = 5;
  guint n_state[3] = { 0 };
  FILE *qfile = NULL;
  sqlite3 *db = NULL;
  GStatBuf st;
  GOptionEntry entries[] = {
    { "queries", 0, 0, G_OPTION_ARG_INT, &n_queries, "Queries in the set (228)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "Runs per query (5)", "R" },
    { "write-queries", 0, 0, G_OPTION_ARG_FILENAME, &write_queries, "Write the set", "FILE" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      fprintf (stderr, "usage: %s INDEX [--queries N] [--runs R] [--write-queries FILE]\n",
               argv[0]);
      return 1;
    }
  store = md_store_open (argv[1], &error);
  if (store == NULL || sqlite3_open_v2 (argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      fprintf (stderr, "%s\n", error ? error->message : sqlite3_errmsg (db));
      return 1;
    }
  {
    sqlite3_stmt *stmt = NULL;

    /* The smallest dataset, as a filter. */
    sqlite3_prepare_v2 (db, "SELECT code FROM datasets ORDER BY n_pairs LIMIT 1", -1, &stmt, NULL);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      dataset = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }
  queries = make_queries (db, n_queries, dataset);
  sqlite3_close (db);
  if (write_queries != NULL)
    qfile = fopen (write_queries, "w");

  load_before = load ();
  for (guint q = 0; q < queries->len; q++)
    {
      Query *query_def = g_ptr_array_index (queries, q);
      g_autofree double *wall = g_new (double, n_runs);
      g_autofree double *cpu = g_new (double, n_runs);
      g_autofree char *escaped = json_escape (query_def->text);
      guint n_items = 0;
      guint64 visited = 0;
      MdPairListCount state = MD_PAIR_LIST_COUNT_EXACT;
      const char *path = "";
      GArray *per_class, *per_class_cpu;

      if (qfile != NULL)
        fprintf (qfile, "{\"class\": \"%s\", \"text\": \"%s\"}\n", query_def->klass, escaped);
      for (int r = 0; r < n_runs; r++)
        {
          g_autoptr(MdQuery) query = md_query_new ();
          g_autoptr(GListModel) model = NULL;
          gint64 start = g_get_monotonic_time ();
          double cpu_start = cpu_ms ();

          query->text = g_strdup (query_def->text);
          query->dataset = g_strdup (query_def->dataset);
          query->language = query_def->language;
          model = md_store_query (store, query, &error);
          if (model == NULL)
            {
              fprintf (stderr, "%s: %s\n", query_def->text, error->message);
              return 1;
            }
          n_items = g_list_model_get_n_items (model);
          for (guint i = 0; i < MIN (n_items, 50); i++)
            g_object_unref (g_list_model_get_item (model, i));
          wall[r] = (g_get_monotonic_time () - start) / 1000.0;
          cpu[r] = cpu_ms () - cpu_start;
          state = md_pair_list_get_count_state (MD_PAIR_LIST (model));
          visited = md_pair_list_get_rows_visited (MD_PAIR_LIST (model));
          path = md_pair_list_get_path_name (MD_PAIR_LIST (model));
        }
      qsort (wall, n_runs, sizeof (double), compare_doubles);
      qsort (cpu, n_runs, sizeof (double), compare_doubles);
      n_state[state]++;
      printf ("{\"class\": \"%s\", \"query\": \"%s\", \"dataset\": \"%s\", \"lang\": %d, "
              "\"n_items\": %u, \"count\": \"%s\", \"rows_visited\": %" G_GUINT64_FORMAT ", "
              "\"path\": \"%s\", \"first_page_ms\": %.2f, \"first_page_cpu_ms\": %.2f, "
              "\"max_ms\": %.2f}\n", query_def->klass, escaped,
              query_def->dataset ? query_def->dataset : "", query_def->language, n_items,
              state == MD_PAIR_LIST_COUNT_EXACT ? "exact"
              : state == MD_PAIR_LIST_COUNT_AT_LEAST ? "at least" : "too broad",
              visited, path, wall[n_runs / 2], cpu[n_runs / 2], wall[n_runs - 1]);
      per_class = g_hash_table_lookup (classes, query_def->klass);
      if (per_class == NULL)
        {
          per_class = g_array_new (FALSE, FALSE, sizeof (double));
          g_hash_table_insert (classes, (gpointer) query_def->klass, per_class);
        }
      g_array_append_val (per_class, wall[n_runs / 2]);
      g_array_append_val (all, wall[n_runs / 2]);
      per_class_cpu = g_hash_table_lookup (classes_cpu, query_def->klass);
      if (per_class_cpu == NULL)
        {
          per_class_cpu = g_array_new (FALSE, FALSE, sizeof (double));
          g_hash_table_insert (classes_cpu, (gpointer) query_def->klass, per_class_cpu);
        }
      g_array_append_val (per_class_cpu, cpu[n_runs / 2]);
      g_array_append_val (all_cpu, cpu[n_runs / 2]);
    }
  load_after = load ();
  if (qfile != NULL)
    fclose (qfile);

  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, classes);
    /* Wall time, and CPU time: on a shared machine the wall time includes waiting for a core. */
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        GArray *c = g_hash_table_lookup (classes_cpu, key);

        printf ("class %-15s n %3u  p50_ms %8.2f  p99_ms %8.2f  max_ms %8.2f  "
                "cpu_p50_ms %7.2f  cpu_p99_ms %7.2f  cpu_max_ms %7.2f\n", (char *) key,
                ((GArray *) value)->len, percentile (value, 0.5), percentile (value, 0.99),
                percentile (value, 1.0), percentile (c, 0.5), percentile (c, 0.99),
                percentile (c, 1.0));
      }
  }
  printf ("all   %-15s n %3u  p50_ms %8.2f  p99_ms %8.2f  max_ms %8.2f  "
          "cpu_p50_ms %7.2f  cpu_p99_ms %7.2f  cpu_max_ms %7.2f\n", "", all->len,
          percentile (all, 0.5), percentile (all, 0.99), percentile (all, 1.0),
          percentile (all_cpu, 0.5), percentile (all_cpu, 0.99), percentile (all_cpu, 1.0));
  printf ("counts exact %u at_least %u too_broad %u\n", n_state[0], n_state[1], n_state[2]);
  printf ("load_before %s load_after %s\n", load_before, load_after);
  search_path = g_strconcat (argv[1], ".search.sqlite", NULL);
  printf ("index_bytes %" G_GINT64_FORMAT " search_bytes %" G_GINT64_FORMAT "\n",
          g_stat (argv[1], &st) == 0 ? (gint64) st.st_size : -1,
          g_stat (search_path, &st) == 0 ? (gint64) st.st_size : -1);
  for (guint q = 0; q < queries->len; q++)
    {
      Query *query_def = g_ptr_array_index (queries, q);

      g_free (query_def->text);
      g_free (query_def->dataset);
      g_free (query_def);
    }
  return 0;
}
