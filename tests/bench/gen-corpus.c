/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes the generated corpus of tests/common/md-test-corpus.h at any scale, for the store
 * benchmark's eight-language runs:
 *
 *   gen-corpus DIR PAIRS [TRANSLATE_EVERY]
 *
 * TRANSLATE_EVERY 1 gives every pair all seven translations (Syphus output); 0 English only. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "../common/md-test-corpus.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  MdTestCorpus corpus = { .seed = 19 };

  if (argc < 3)
    {
      fprintf (stderr, "usage: %s DIR PAIRS [TRANSLATE_EVERY]\n", argv[0]);
      return 1;
    }
  corpus.n_pairs = strtoul (argv[2], NULL, 10);
  corpus.translate_every = argc > 3 ? strtoul (argv[3], NULL, 10) : 1;
  if (!md_test_corpus_write (&corpus, argv[1], &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  return 0;
}
