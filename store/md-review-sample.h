/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Audit samples: a reproducible random sample of pairs (or of pairs in one language), stratified
 * by dataset or by dataset and language, saved in the review file, and the error rate the
 * reviews of its members give, with a 95 % Wilson score interval.
 *
 * Reproducible: the population is sorted (bytewise, by dataset, pair id and language) before
 * drawing, and each stratum draws with its own splitmix64 generator seeded from the sample's seed
 * and a FNV-1a hash of the stratum's name, by a partial Fisher-Yates shuffle with unbiased
 * bounded integers. Same seed and same population give the same members on any machine, whatever
 * order the population came in.
 *
 * Allocation: proportional (largest remainders, ties to the stratum that sorts first) or a fixed
 * number per stratum; never more than a stratum holds.
 *
 * Estimates. In stratum h, n_h members have been reviewed (status other than unreviewed) and e_h
 * of them are errors (flagged or rejected): p_h = e_h / n_h, with the Wilson interval
 *     centre = (p + z²/2n) / (1 + z²/n),  half = z / (1 + z²/n) · sqrt (p(1-p)/n + z²/4n²).
 * Overall, over the strata with n_h > 0 and population sizes N_h, W_h = N_h / Σ N_h:
 *     p = Σ W_h p_h,  V = Σ W_h² p_h (1 - p_h) / n_h,
 * and the Wilson interval of p with the effective size n_eff = p (1 - p) / V (Σ n_h when V = 0).
 * A member drawn for a language uses that language's review, else the pair's. */

#include <gio/gio.h>

#include "md-review-store.h"
#include "md-store.h"

G_BEGIN_DECLS

typedef enum
{
  MD_SAMPLE_BY_DATASET,
  MD_SAMPLE_BY_DATASET_LANGUAGE,
} MdSampleStrata;

typedef enum
{
  MD_SAMPLE_PROPORTIONAL,   /* size is the total */
  MD_SAMPLE_FIXED,          /* size is per stratum */
} MdSampleAllocation;

/* One unit of the population. lang "" (or NULL) for the pair as a whole. */
typedef struct
{
  const char *dataset;
  const char *pair_id;
  const char *lang;
} MdSampleUnit;

typedef struct
{
  char    *stratum;      /* "DC", or "DC/zh" by dataset and language */
  guint64  population;
  guint    n_members;
} MdSampleStratum;

typedef struct
{
  char *stratum;
  char *dataset;
  char *pair_id;
  char *lang;
} MdSampleMember;

typedef struct
{
  char               *name;
  guint64             seed;
  guint               size;
  MdSampleStrata      strata_by;
  MdSampleAllocation  allocation;
  GPtrArray          *strata;    /* MdSampleStratum, sorted by name */
  GPtrArray          *members;   /* MdSampleMember, by stratum then draw order */
} MdSample;

void      md_sample_free          (MdSample *sample);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSample, md_sample_free)

typedef struct
{
  char    *stratum;     /* NULL for the overall estimate */
  guint64  population;
  guint    n_members;
  guint    n_reviewed;
  guint    n_errors;
  double   rate;        /* NAN when nothing was reviewed */
  double   low;
  double   high;
} MdSampleEstimate;

void      md_sample_estimate_free (MdSampleEstimate *estimate);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSampleEstimate, md_sample_estimate_free)

/* splitmix64: the generator used for drawing, exposed for tests. */
guint64   md_sample_splitmix64    (guint64 *state);

/* Draws a sample; duplicate units count once. Never fails. */
MdSample *md_sample_draw          (const MdSampleUnit  *population,
                                   gsize                n_population,
                                   guint64              seed,
                                   guint                size,
                                   MdSampleStrata       strata_by,
                                   MdSampleAllocation   allocation);

/* The audit-sample population of an index, drawn where the CLI and the window both get it: every
 * pair of @store (MD_SAMPLE_BY_DATASET) or every language each pair has
 * (MD_SAMPLE_BY_DATASET_LANGUAGE), then md_sample_draw(). The same seed and index give the same
 * members from either face. *out_population (optional) receives the number of units. The
 * blocking call is for worker threads and the CLI; the window uses the _async form, which runs
 * it in a thread on @store (whose connections are thread-safe). */
MdSample *md_review_sample_draw        (MdStore             *store,
                                        guint64              seed,
                                        guint                size,
                                        MdSampleStrata       strata_by,
                                        MdSampleAllocation   allocation,
                                        guint64             *out_population,
                                        GError             **error);
void      md_review_sample_draw_async  (MdStore             *store,
                                        guint64              seed,
                                        guint                size,
                                        MdSampleStrata       strata_by,
                                        MdSampleAllocation   allocation,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
MdSample *md_review_sample_draw_finish (MdStore             *store,
                                        GAsyncResult        *result,
                                        GError             **error);

/* Wilson score interval of @p observed over @n trials at @z (1.96 for 95 %). */
void      md_sample_wilson        (double               p,
                                   double               n,
                                   double               z,
                                   double              *out_low,
                                   double              *out_high);

const char *md_sample_strata_name (MdSampleStrata      strata_by);   /* "dataset", "language" */
gboolean    md_sample_strata_from_name (const char     *name,
                                        MdSampleStrata *out_strata);

/* Saving under a name fails when the name is taken (samples are evidence; they are not
 * overwritten). */
gboolean  md_review_store_save_sample  (MdReviewStore  *self,
                                        const char     *name,
                                        MdSample       *sample,
                                        GError        **error);
MdSample *md_review_store_load_sample  (MdReviewStore  *self,
                                        const char     *name,
                                        GError        **error);
/* Names of the saved samples, newest first. Element type char*. */
GPtrArray *md_review_store_list_samples (MdReviewStore  *self,
                                         GError        **error);
/* Element type MdSampleEstimate, one per stratum; *out_overall gets the weighted estimate. */
GPtrArray *md_review_store_sample_stats (MdReviewStore    *self,
                                         const char       *name,
                                         double            z,
                                         MdSampleEstimate **out_overall,
                                         GError          **error);

G_END_DECLS
