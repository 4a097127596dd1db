/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A generated MIMIC-IT corpus for search tests and benchmarks, and a query set drawn from its
 * own vocabulary by rule.
 *
 * Pair i is a pure function of (seed, i): its texts can be made again at any time, so a test
 * can check the index's answers against a plain scan of the same texts. Words follow a Zipf-like
 * law over a vocabulary per language (syllables for the Latin scripts, with accents for es, de
 * and fr; Han, kana, Hangul and Arabic letters for the others), all lower case. Instructions
 * have 12 words and answers 40, as in MIMIC-IT. Pairs with i % 4 == 3 belong to dataset BB,
 * the others to AA (which name frames). Pairs with i % translate_every == 0 have all seven
 * translations, written as Syphus translation output. */

#include <glib.h>

#include "md-language.h"

G_BEGIN_DECLS

typedef struct
{
  guint   n_pairs;
  guint   translate_every;  /* 0: English only */
  guint32 seed;
  char  **texts;            /* md_test_corpus_cache(): per pair, per language, ins \x01 ans */
} MdTestCorpus;

/* Writes DIR/AA_instructions.json, DIR/BB_instructions.json and, with translations,
 * DIR/translations/{AA,BB}/valid_output.json, streamed. */
gboolean  md_test_corpus_write       (const MdTestCorpus *corpus,
                                      const char         *dir,
                                      GError            **error);
char     *md_test_corpus_pair_id     (const MdTestCorpus *corpus,
                                      guint               pair);
const char *md_test_corpus_dataset   (guint               pair);
gboolean  md_test_corpus_has_language (const MdTestCorpus *corpus,
                                       guint               pair,
                                       MdLanguage          language);
/* Appends the pair's instruction (or answer) in `language`. */
void      md_test_corpus_text        (const MdTestCorpus *corpus,
                                      guint               pair,
                                      MdLanguage          language,
                                      gboolean            answer,
                                      GString            *out);

typedef struct
{
  const char *klass;      /* the rule that made it: "common", "rare", "phrase", "cjk-1", ... */
  char       *text;
  char       *dataset;    /* NULL: any */
  int         language;   /* -1: any */
  GPtrArray  *clauses;    /* parsed on first use by md_test_corpus_matches() */
} MdTestQuery;

/* At least `n` queries, 19 classes in turn, drawn by rule. */
GPtrArray *md_test_corpus_queries   (const MdTestCorpus *corpus,
                                     guint               n);

/* Whether the pair matches the query, the way the search defines it: every positive clause in
 * one text (one language: instruction or answer), no excluded term in any text of the pair,
 * case-insensitively. A plain scan, independent of the index. */
gboolean   md_test_corpus_matches   (const MdTestCorpus *corpus,
                                     guint               pair,
                                     MdTestQuery        *query);
/* Keeps every text in memory (about 1 KB per translated pair) so that repeated scans need not
 * make them again. */
void       md_test_corpus_cache     (MdTestCorpus       *corpus);
void       md_test_corpus_uncache   (MdTestCorpus       *corpus);

G_END_DECLS
