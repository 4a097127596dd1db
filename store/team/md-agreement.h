/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Agreement between reviewers on the pairs several of them judged.
 *
 * A rating is a reviewer's own latest status of a unit (a pair, or one language of it): the
 * latest "status" entry that reviewer wrote for it, so later changes by others do not hide it.
 * "unreviewed" (an undone status) is no rating. Only units with two or more ratings count.
 *
 *   percent agreement  mean over units of the share of agreeing ordered pairs of raters
 *                      (for two raters: the share of units where they agree);
 *   Cohen's kappa      (p_o - p_e) / (1 - p_e), only when exactly two reviewers rated the
 *                      units (NaN otherwise, or when p_e = 1);
 *   Krippendorff alpha nominal, any number of raters, missing ratings allowed:
 *                      1 - (n - 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k over the coincidence matrix
 *                      o (each unit with m ratings adds 1/(m-1) per ordered pair of ratings by
 *                      different raters); NaN when every rating has the same value. */

#include "md-review-store.h"

G_BEGIN_DECLS

typedef struct
{
  const char *unit;
  const char *rater;
  const char *value;
} MdRating;

typedef struct
{
  char   *dataset;      /* NULL for all datasets */
  char   *lang;         /* "" pair level; NULL for all levels */
  guint   n_units;      /* units with two or more ratings */
  guint   n_ratings;    /* ratings of those units */
  guint   n_raters;
  double  percent;      /* 0..1; NaN without units */
  double  kappa;
  double  alpha;
} MdAgreement;

void md_agreement_free (MdAgreement *agreement);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdAgreement, md_agreement_free)

/* Over @ratings (one per unit and rater; a repeated (unit, rater) keeps the last). */
MdAgreement *md_agreement_compute  (const MdRating  *ratings,
                                    guint            n_ratings);

/* Per dataset and language, then per dataset over every level (lang NULL), then overall
 * (dataset NULL). Element type MdAgreement. */
GPtrArray   *md_review_store_get_agreement (MdReviewStore  *review,
                                            GError        **error);

G_END_DECLS
