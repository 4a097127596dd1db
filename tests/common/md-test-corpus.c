/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "md-test-corpus.h"

#define N_WORDS 3000
#define INSTRUCTION_WORDS 12
#define ANSWER_WORDS 40

static const char *latin_syllables[] = {
  "ba", "ko", "ri", "te", "mu", "sa", "lo", "ne", "di", "pa", "ku", "me", "to", "ra", "vi",
  "go", "le", "ni", "su", "fa", "ho", "ze", "ma", "ti", "bo", "ka", "re", "lu", "no", "si",
  "pe", "da", "mi", "ju", "wa", "ge", "fo", "chi", "ste", "pla",
};
/* Accented syllables per language: es, de, fr; plain ones come from latin_syllables. */
static const char *accented[3][6] = {
  { "ñe", "á", "ío", "ú", "bé", "ón" },
  { "ä", "ö", "ü", "schä", "rü", "gö" },
  { "é", "è", "ç", "ê", "où", "â" },
};
static const char *han = "猫狗沙发自行车公园红色的在上睡觉男人骑穿过桌子椅子厨房窗户街道花园"
                         "球盒子杯星环立滚动等待视频中做什么附近下面旁边大小白黑蓝绿黄紫橙";
static const char *kana = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめも"
                          "らりるれろわをんソファテレビカメラ";
static const char *hangul = "가나다라마바사아자차카타파하고노도로모보소오조초코토포호구누두루무부"
                            "수우주추쿠투푸후기니디리미비시이지치키티피히";
static const char *arabic = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي";

static guint64
mix (guint64 x)
{
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

typedef struct
{
  guint64 state;
} Rng;

static guint64
rng_next (Rng *rng)
{
  rng->state = mix (rng->state);
  return rng->state;
}

static double
rng_unit (Rng *rng)
{
  return (rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

/* Zipf-like: a few words in nearly every text, a long tail of rare ones. */
static guint
rng_rank (Rng *rng)
{
  double u = rng_unit (rng);

  return MIN ((guint) (N_WORDS * u * u * u * u), N_WORDS - 1);
}

static void
append_nth_char (GString    *out,
                 const char *chars,
                 guint       n)
{
  const char *p = g_utf8_offset_to_pointer (chars, n % g_utf8_strlen (chars, -1));

  g_string_append_len (out, p, g_utf8_next_char (p) - p);
}

/* Word `rank` of `language`'s vocabulary. */
static void
append_word (GString    *out,
             MdLanguage  language,
             guint       rank)
{
  guint64 h = mix (((guint64) language << 32) | rank);
  guint n = 2 + h % 3;

  switch (language)
    {
    case MD_LANGUAGE_ZH:
      for (guint i = 0; i < 2 + (h >> 8) % 2; i++)
        append_nth_char (out, han, (guint) (h >> (12 + 6 * i)));
      break;
    case MD_LANGUAGE_JA:
      for (guint i = 0; i < n; i++)
        append_nth_char (out, i == 0 && h % 5 == 0 ? han : kana, (guint) (h >> (12 + 6 * i)));
      break;
    case MD_LANGUAGE_KO:
      for (guint i = 0; i < n; i++)
        append_nth_char (out, hangul, (guint) (h >> (12 + 6 * i)));
      break;
    case MD_LANGUAGE_AR:
      for (guint i = 0; i < n + 1; i++)
        append_nth_char (out, arabic, (guint) (h >> (12 + 6 * i)));
      break;
    default:
      for (guint i = 0; i < n; i++)
        {
          guint s = (guint) (h >> (10 + 7 * i));

          /* One word in seven of es, de, fr, and one in eleven of English, has an accent. */
          if (i == 1 && language >= MD_LANGUAGE_ES && language != MD_LANGUAGE_JA &&
              language != MD_LANGUAGE_KO && (h >> 40) % 7 == 0)
            g_string_append (out, accented[language == MD_LANGUAGE_ES ? 0
                                           : language == MD_LANGUAGE_DE ? 1 : 2][s % 6]);
          else if (i == 1 && language == MD_LANGUAGE_EN && (h >> 40) % 11 == 0)
            g_string_append (out, accented[2][s % 6]);
          else
            g_string_append (out, latin_syllables[s % G_N_ELEMENTS (latin_syllables)]);
        }
      break;
    }
}

static gboolean
spaced (MdLanguage language)
{
  return language != MD_LANGUAGE_ZH && language != MD_LANGUAGE_JA;
}

void
md_test_corpus_text (const MdTestCorpus *corpus,
                     guint               pair,
                     MdLanguage          language,
                     gboolean            answer,
                     GString            *out)
{
  Rng rng = { mix (((guint64) corpus->seed << 40) ^ ((guint64) pair << 4) ^ (language << 1) ^
                   (answer ? 1 : 0)) };
  guint n = answer ? ANSWER_WORDS : INSTRUCTION_WORDS;

  for (guint i = 0; i < n; i++)
    {
      if (i > 0 && spaced (language))
        g_string_append_c (out, ' ');
      append_word (out, language, rng_rank (&rng));
      if (i % 9 == 8 && i + 1 < n)
        g_string_append (out, spaced (language) ? "," : "，");
    }
  g_string_append (out, spaced (language) ? (answer ? "." : "?") : (answer ? "。" : "？"));
}

char *
md_test_corpus_pair_id (const MdTestCorpus *corpus,
                        guint               pair)
{
  return g_strdup_printf ("%s_INS_%07u", md_test_corpus_dataset (pair), pair);
}

const char *
md_test_corpus_dataset (guint pair)
{
  return pair % 4 == 3 ? "BB" : "AA";
}

gboolean
md_test_corpus_has_language (const MdTestCorpus *corpus,
                             guint               pair,
                             MdLanguage          language)
{
  return language == MD_LANGUAGE_EN ||
         (corpus->translate_every > 0 && pair % corpus->translate_every == 0);
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '"' || *c == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

static gboolean
flush (FILE       *file,
       GString    *buffer,
       const char *path,
       GError    **error)
{
  if (buffer->len > 0 && fwrite (buffer->str, 1, buffer->len, file) != buffer->len)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, "%s: could not write", path);
      return FALSE;
    }
  g_string_truncate (buffer, 0);
  return TRUE;
}

static gboolean
write_dataset (const MdTestCorpus *corpus,
               const char         *dir,
               const char         *dataset,
               GError            **error)
{
  g_autofree char *ins_path = g_strdup_printf ("%s/%s_instructions.json", dir, dataset);
  g_autofree char *tr_dir = g_strdup_printf ("%s/translations/%s", dir, dataset);
  g_autofree char *tr_path = g_strdup_printf ("%s/valid_output.json", tr_dir);
  g_autoptr(GString) buffer = g_string_new (NULL);
  g_autoptr(GString) tr = g_string_new (NULL);
  g_autoptr(GString) reply = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  FILE *ins = NULL, *trf = NULL;
  gboolean first = TRUE, first_tr = TRUE, ok = FALSE;

  ins = g_fopen (ins_path, "w");
  if (corpus->translate_every > 0)
    {
      g_mkdir_with_parents (tr_dir, 0755);
      trf = g_fopen (tr_path, "w");
    }
  if (ins == NULL || (corpus->translate_every > 0 && trf == NULL))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, "%s: could not create", ins_path);
      goto out;
    }
  g_string_append (buffer, "{\"meta\": {}, \"data\": {");
  g_string_append_c (tr, '[');
  for (guint pair = 0; pair < corpus->n_pairs; pair++)
    {
      g_autofree char *id = NULL;

      if (strcmp (md_test_corpus_dataset (pair), dataset) != 0)
        continue;
      id = md_test_corpus_pair_id (corpus, pair);
      g_string_append_printf (buffer, "%s\n\"%s\": {\"instruction\": ", first ? "" : ",", id);
      g_string_truncate (text, 0);
      md_test_corpus_text (corpus, pair, MD_LANGUAGE_EN, FALSE, text);
      append_json_string (buffer, text->str);
      g_string_append (buffer, ", \"answer\": ");
      g_string_truncate (text, 0);
      md_test_corpus_text (corpus, pair, MD_LANGUAGE_EN, TRUE, text);
      append_json_string (buffer, text->str);
      if (dataset[0] == 'A')
        {
          g_string_append (buffer, ", \"image_ids\": [");
          for (guint f = 0; f < 8; f++)
            g_string_append_printf (buffer, "%s\"AA_IMG_%07u_%u\"", f ? ", " : "", pair, f);
          g_string_append (buffer, "], \"rel_ins_ids\": [");
          for (guint c = 1; c <= 5; c++)
            g_string_append_printf (buffer, "%s\"AA_INS_%07u\"", c > 1 ? ", " : "",
                                    (pair + 4 * c) % MAX (corpus->n_pairs, 1));
          g_string_append (buffer, "]}");
        }
      else
        g_string_append (buffer, ", \"image_ids\": [], \"rel_ins_ids\": []}");
      first = FALSE;

      if (trf != NULL && md_test_corpus_has_language (corpus, pair, MD_LANGUAGE_ZH))
        {
          g_string_assign (reply, "{\"a\": {");
          for (int field = 0; field < 2; field++)
            {
              if (field == 1)
                g_string_append (reply, "}, \"b\": {");
              for (MdLanguage l = MD_LANGUAGE_ZH; l < MD_N_LANGUAGES; l++)
                {
                  g_string_truncate (text, 0);
                  md_test_corpus_text (corpus, pair, l, field == 1, text);
                  g_string_append_printf (reply, "%s\"%s\": ", l > MD_LANGUAGE_ZH ? ", " : "",
                                          md_language_code (l));
                  append_json_string (reply, text->str);
                }
            }
          g_string_append (reply, "}}");
          g_string_append_printf (tr, "%s\n{\"id\": \"%s\", \"results\": ", first_tr ? "" : ",",
                                  id);
          append_json_string (tr, reply->str);
          g_string_append_c (tr, '}');
          first_tr = FALSE;
        }
      if (buffer->len > (1 << 20) && !flush (ins, buffer, ins_path, error))
        goto out;
      if (tr->len > (1 << 20) && !flush (trf, tr, tr_path, error))
        goto out;
    }
  g_string_append (buffer, "}}\n");
  g_string_append (tr, "]\n");
  if (!flush (ins, buffer, ins_path, error) || (trf != NULL && !flush (trf, tr, tr_path, error)))
    goto out;
  ok = TRUE;
out:
  if (ins != NULL && fclose (ins) != 0 && ok)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, "%s: could not write", ins_path);
      ok = FALSE;
    }
  if (trf != NULL)
    fclose (trf);
  return ok;
}

gboolean
md_test_corpus_write (const MdTestCorpus *corpus,
                      const char         *dir,
                      GError            **error)
{
  g_mkdir_with_parents (dir, 0755);
  return write_dataset (corpus, dir, "AA", error) && write_dataset (corpus, dir, "BB", error);
}

/* Queries ------------------------------------------------------------------------------------ */

static void
query_free (gpointer data)
{
  MdTestQuery *query = data;

  g_clear_pointer (&query->clauses, g_ptr_array_unref);
  g_free (query->text);
  g_free (query->dataset);
  g_free (query);
}

static char *
word (MdLanguage language,
      guint      rank)
{
  GString *out = g_string_new (NULL);

  append_word (out, language, rank);
  return g_string_free (out, FALSE);
}

/* A word of a frequency class: common (the 10 most frequent), mid, rare (the tail). */
static char *
class_word (Rng        *rng,
            MdLanguage  language,
            int         klass)
{
  guint rank = klass == 0 ? rng_next (rng) % 10
               : klass == 1 ? 100 + rng_next (rng) % 300 : 2000 + rng_next (rng) % 1000;

  return word (language, rank);
}

/* `n` consecutive words of some pair's English answer, quoted. */
static char *
phrase (const MdTestCorpus *corpus,
        Rng                *rng,
        guint               n)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(GStrv) words = NULL;
  guint start = rng_next (rng) % (ANSWER_WORDS - 10);
  GString *out = g_string_new ("\"");

  md_test_corpus_text (corpus, (guint) (rng_next (rng) % corpus->n_pairs), MD_LANGUAGE_EN, TRUE,
                       text);
  words = g_strsplit (text->str, " ", -1);
  for (guint i = 0; i < n; i++)
    {
      const char *w = words[start + i];

      /* Stop before punctuation: a phrase is words. */
      if (strpbrk (w, ",.?") != NULL)
        break;
      g_string_append_printf (out, "%s%s", i ? " " : "", w);
    }
  if (out->len == 1)
    g_string_append (out, words[start]);
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* The first `n` characters of a word of `language` (CJK terms below the trigram size). */
static char *
short_term (Rng        *rng,
            MdLanguage  language,
            guint       n)
{
  g_autofree char *w = word (language, rng_next (rng) % 400);
  const char *end = g_utf8_offset_to_pointer (w, MIN (n, (guint) g_utf8_strlen (w, -1)));

  return g_strndup (w, end - w);
}

static const char *
text_at (GPtrArray *queries,
         guint      index)
{
  return ((MdTestQuery *) g_ptr_array_index (queries, index))->text;
}

static void
add (GPtrArray  *queries,
     const char *klass,
     char       *text)
{
  MdTestQuery *query = g_new0 (MdTestQuery, 1);

  query->klass = klass;
  query->text = text;
  query->language = -1;
  g_ptr_array_add (queries, query);
}

GPtrArray *
md_test_corpus_queries (const MdTestCorpus *corpus,
                        guint               n)
{
  GPtrArray *queries = g_ptr_array_new_with_free_func (query_free);
  Rng rng = { mix (corpus->seed ^ 0x5eed) };
  guint per_class = MAX ((n + 18) / 19, 1);

  for (guint i = 0; i < per_class; i++)
    {
      GString *multi = g_string_new (NULL);
      guint n_words = 2 + i % 5;
      g_autofree char *up = NULL;
      guint base = queries->len;

      add (queries, "common", class_word (&rng, MD_LANGUAGE_EN, 0));
      add (queries, "mid", class_word (&rng, MD_LANGUAGE_EN, 1));
      add (queries, "rare", class_word (&rng, MD_LANGUAGE_EN, 2));
      /* 2 to 6 words of mixed classes; all common every third time. */
      for (guint w = 0; w < n_words; w++)
        {
          g_autofree char *x = class_word (&rng, MD_LANGUAGE_EN, i % 3 == 0 ? 0 : w % 3);

          g_string_append_printf (multi, "%s%s", w ? " " : "", x);
        }
      add (queries, "words", g_string_free (multi, FALSE));
      add (queries, "phrase", phrase (corpus, &rng, 2 + i % 3));
      {
        g_autofree char *a = class_word (&rng, MD_LANGUAGE_EN, i % 2);
        g_autofree char *b = class_word (&rng, MD_LANGUAGE_EN, i % 3);

        add (queries, "exclusion", g_strdup_printf ("%s -%s", a, b));
      }
      {
        g_autofree char *a = class_word (&rng, MD_LANGUAGE_EN, 1 + i % 2);
        g_autofree char *b = class_word (&rng, MD_LANGUAGE_EN, 2);
        g_autofree char *c = class_word (&rng, MD_LANGUAGE_EN, i % 3);

        add (queries, "or", i % 2 ? g_strdup_printf ("%s OR %s", a, b)
                                  : g_strdup_printf ("%s OR %s %s", a, b, c));
      }
      add (queries, "cjk-1", short_term (&rng, i % 3 == 0 ? MD_LANGUAGE_ZH
                                               : i % 3 == 1 ? MD_LANGUAGE_JA : MD_LANGUAGE_KO, 1));
      add (queries, "cjk-2", short_term (&rng, i % 3 == 0 ? MD_LANGUAGE_ZH
                                               : i % 3 == 1 ? MD_LANGUAGE_JA : MD_LANGUAGE_KO, 2));
      add (queries, "cjk-word", class_word (&rng, i % 2 ? MD_LANGUAGE_ZH : MD_LANGUAGE_KO, i % 3));
      add (queries, "arabic", class_word (&rng, MD_LANGUAGE_AR, i % 3));
      /* Accented words, in upper case: é must find É. */
      for (guint tries = 0; tries < 1000; tries++)
        {
          /* Some classes may have no accented word: then a mid one. */
          g_autofree char *w = class_word (&rng, i % 2 ? MD_LANGUAGE_FR : MD_LANGUAGE_DE,
                                           tries < 100 ? (int) (i % 3) : 1);

          if (!g_str_is_ascii (w))
            {
              up = g_utf8_strup (w, -1);
              break;
            }
        }
      add (queries, "accent", up != NULL ? g_steal_pointer (&up) : g_strdup ("É"));
      add (queries, "short-latin", short_term (&rng, MD_LANGUAGE_EN, 2));
      add (queries, "no-match", g_strdup (i % 2 ? "xyzzyq" : "qwv 猿猴"));
      /* Filters with a term of any class. */
      {
        g_autofree char *w = class_word (&rng, MD_LANGUAGE_EN, i % 3);
        MdTestQuery *q;

        add (queries, "dataset", g_strdup (w));
        q = g_ptr_array_index (queries, queries->len - 1);
        q->dataset = g_strdup ("BB");
      }
      {
        MdLanguage l = i % 3 == 0 ? MD_LANGUAGE_ZH : i % 3 == 1 ? MD_LANGUAGE_DE : MD_LANGUAGE_EN;
        MdTestQuery *q;

        add (queries, "language", class_word (&rng, l, i % 3));
        q = g_ptr_array_index (queries, queries->len - 1);
        q->language = l;
      }
      {
        g_autofree char *a = class_word (&rng, MD_LANGUAGE_EN, 0);
        g_autofree char *b = class_word (&rng, MD_LANGUAGE_EN, 0);
        g_autofree char *c = class_word (&rng, MD_LANGUAGE_EN, 1);
        MdTestQuery *q;

        add (queries, "filtered-words", g_strdup_printf ("%s %s -%s", a, b, c));
        q = g_ptr_array_index (queries, queries->len - 1);
        q->dataset = g_strdup (i % 2 ? "AA" : "BB");
        q->language = i % 2 ? MD_LANGUAGE_EN : -1;
      }
      /* A common word in upper case, and six words of the classes above. */
      add (queries, "cased", g_utf8_strup (text_at (queries, base + 0), -1));
      add (queries, "six-words", g_strdup_printf ("%s %s %s %s %s %s",
                                                  text_at (queries, base + 0),
                                                  text_at (queries, base + 1),
                                                  text_at (queries, base + 2),
                                                  text_at (queries, base + 12),
                                                  text_at (queries, base + 14),
                                                  text_at (queries, base + 0)));
    }
  return queries;
}

/* Reference matching ---------------------------------------------------------------------- */

typedef struct
{
  gboolean   negative;
  GPtrArray *terms;   /* lower-cased */
} Clause;

static void
clause_free (gpointer data)
{
  Clause *clause = data;

  g_ptr_array_unref (clause->terms);
  g_free (clause);
}

/* An independent reading of the syntax: words, "phrases", -exclusion, OR between words. */
static GPtrArray *
parse (const char *text)
{
  GPtrArray *clauses = g_ptr_array_new_with_free_func (clause_free);
  const char *p = text;
  gboolean pending_or = FALSE;

  while (*p != '\0')
    {
      gboolean negative = FALSE;
      g_autofree char *term = NULL;

      while (*p == ' ')
        p++;
      if (*p == '\0')
        break;
      if (*p == '-' && p[1] != '\0' && p[1] != ' ')
        {
          negative = TRUE;
          p++;
        }
      if (*p == '"')
        {
          const char *end = strchr (p + 1, '"');

          term = g_strndup (p + 1, end - p - 1);
          p = end + 1;
        }
      else
        {
          const char *start = p;

          while (*p != '\0' && *p != ' ' && *p != '"')
            p++;
          term = g_strndup (start, p - start);
          if (!negative && strcmp (term, "OR") == 0)
            {
              pending_or = TRUE;
              continue;
            }
        }
      if (pending_or && clauses->len > 0)
        g_ptr_array_add (((Clause *) g_ptr_array_index (clauses, clauses->len - 1))->terms,
                         g_utf8_strdown (term, -1));
      else
        {
          Clause *clause = g_new0 (Clause, 1);

          clause->negative = negative;
          clause->terms = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (clause->terms, g_utf8_strdown (term, -1));
          g_ptr_array_add (clauses, clause);
        }
      pending_or = FALSE;
    }
  return clauses;
}

static gboolean
clause_in (const Clause *clause,
           const char   *ins,
           const char   *ans)
{
  for (guint i = 0; i < clause->terms->len; i++)
    {
      const char *term = g_ptr_array_index (clause->terms, i);

      if (strstr (ins, term) != NULL || strstr (ans, term) != NULL)
        return TRUE;
    }
  return FALSE;
}

static gboolean
text_matches (GPtrArray  *clauses,
              const char *ins,
              const char *ans,
              gboolean   *inout_excluded)
{
  gboolean all = TRUE;

  for (guint i = 0; i < clauses->len; i++)
    {
      const Clause *clause = g_ptr_array_index (clauses, i);

      if (clause->negative && clause_in (clause, ins, ans))
        *inout_excluded = TRUE;
      if (!clause->negative && !clause_in (clause, ins, ans))
        all = FALSE;
    }
  return all;
}

gboolean
md_test_corpus_matches (const MdTestCorpus *corpus,
                        guint               pair,
                        MdTestQuery        *query)
{
  g_autoptr(GString) ins = NULL;
  g_autoptr(GString) ans = NULL;
  gboolean positive = FALSE, excluded = FALSE;

  if (query->dataset != NULL && strcmp (query->dataset, md_test_corpus_dataset (pair)) != 0)
    return FALSE;
  if (query->clauses == NULL)
    query->clauses = parse (query->text);
  for (MdLanguage l = 0; l < MD_N_LANGUAGES; l++)
    {
      gboolean all;

      if (!md_test_corpus_has_language (corpus, pair, l))
        continue;
      if (corpus->texts != NULL)
        {
          /* No term holds the separator: a match in the two is a match in one. */
          all = text_matches (query->clauses, corpus->texts[pair * MD_N_LANGUAGES + l], "",
                              &excluded);
        }
      else
        {
          if (ins == NULL)
            {
              ins = g_string_new (NULL);
              ans = g_string_new (NULL);
            }
          g_string_truncate (ins, 0);
          g_string_truncate (ans, 0);
          md_test_corpus_text (corpus, pair, l, FALSE, ins);
          md_test_corpus_text (corpus, pair, l, TRUE, ans);
          all = text_matches (query->clauses, ins->str, ans->str, &excluded);
        }
      if (excluded)
        return FALSE;
      if (all && (query->language < 0 || query->language == (int) l))
        positive = TRUE;
    }
  return positive;
}

void
md_test_corpus_cache (MdTestCorpus *corpus)
{
  g_autoptr(GString) text = g_string_new (NULL);

  corpus->texts = g_new0 (char *, (gsize) corpus->n_pairs * MD_N_LANGUAGES);
  for (guint pair = 0; pair < corpus->n_pairs; pair++)
    for (MdLanguage l = 0; l < MD_N_LANGUAGES; l++)
      if (md_test_corpus_has_language (corpus, pair, l))
        {
          g_string_truncate (text, 0);
          md_test_corpus_text (corpus, pair, l, FALSE, text);
          g_string_append_c (text, '\x01');
          md_test_corpus_text (corpus, pair, l, TRUE, text);
          corpus->texts[pair * MD_N_LANGUAGES + l] = g_strdup (text->str);
        }
}

void
md_test_corpus_uncache (MdTestCorpus *corpus)
{
  if (corpus->texts == NULL)
    return;
  for (gsize i = 0; i < (gsize) corpus->n_pairs * MD_N_LANGUAGES; i++)
    g_free (corpus->texts[i]);
  g_clear_pointer (&corpus->texts, g_free);
}
