/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-review-import"

#include "config.h"

#include "fuzz-common.h"
#include "md-review-merge.h"

/* Importing a review log (JSONL from another reviewer). Malformed lines are reported, never
 * fatal; the review file stays usable: after each import the log can be exported again. */

static MdReviewStore *review;

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *path = md_fuzz_write ("log.jsonl", data, size);
  g_autofree char *out = g_build_filename (md_fuzz_dir (), "out.jsonl", NULL);
  g_autoptr(MdReviewMergeReport) report = NULL;
  g_autoptr(GError) error = NULL;

  if (review == NULL)
    {
      g_autofree char *db = g_build_filename (md_fuzz_dir (), "review.sqlite", NULL);

      review = md_review_store_open (db, NULL);
      g_assert (review != NULL);
    }
  report = md_review_store_import_log (review, path, &error);
  if (report == NULL && error == NULL)
    abort ();
  if (!md_review_store_export_log (review, out, NULL))
    abort ();
  g_unlink (path);
  return 0;
}
