/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Between Syphus and the user's work: the input of a request taken from the index and the review
 * file (the current text, i.e. the latest revision, and the reviewer's note), the fields a
 * generation proposes, and the writer that turns an accepted generation into revisions authored
 * by the model.
 *
 * Where the journal lives: "<index>.syphus.sqlite", beside "<index>.review.sqlite", for the CLI
 * and the window alike, so that a batch started in one can be resumed or reviewed in the other. */

#include "md-review-store.h"
#include "md-store.h"
#include "md-syphus-journal.h"
#include "md-syphus-request.h"

G_BEGIN_DECLS

/* "<index_path>.syphus.sqlite". */
char *md_syphus_journal_default_path (const char *index_path);

/* Everything one request borrows (pairs, texts, images), owned together. */
typedef struct _MdSyphusInput MdSyphusInput;

/* Index of the @i-th of @n_wanted frames sampled from a clip of @n_frames, uniformly across the
 * clip as Otter samples them (np.linspace(0, n_frames - 1, n_wanted, dtype=int)). */
guint md_syphus_frame_index (guint i,
                             guint n_wanted,
                             guint n_frames);

/* Loads @pair_id from @store with its in-context examples (regeneration only, at most 8) and, when
 * @vision is set, @max_frames of its images (0: all) sampled uniformly across the clip. For
 * regeneration, the annotations are the user turn Syphus sent for the pair when an imported
 * query_input.json has it (md_store_get_query_sentences()). With @review, the texts are the current
 * ones (latest revision) and the pair's note is the reviewer's note. Blocking: call it from a
 * worker thread for many pairs (one MdStore and MdReviewStore per thread). */
MdSyphusInput           *md_syphus_input_load (MdStore          *store,
                                               MdReviewStore    *review,
                                               const char       *pair_id,
                                               MdSyphusJobKind   kind,
                                               gboolean          vision,
                                               guint             max_frames,
                                               GError          **error);
const MdSyphusPairInput *md_syphus_input_get  (MdSyphusInput    *input);
MdPair                  *md_syphus_input_get_pair (MdSyphusInput *input);
void                     md_syphus_input_free (MdSyphusInput    *input);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSyphusInput, md_syphus_input_free)

/* One text a generation proposes. */
typedef struct
{
  MdLanguage  lang;
  MdField     field;
  char       *text;
} MdSyphusProposal;

void md_syphus_proposal_free (MdSyphusProposal *proposal);

/* The texts of a generation's parsed result, in language then field order: English instruction
 * and answer of the first pair for regeneration, the seven languages (those present) for a
 * translation. Element type MdSyphusProposal. Fails when the generation has no parsed result. */
GPtrArray *md_syphus_generation_proposals (const MdSyphusGeneration  *generation,
                                           GError                   **error);

/* The longest text an accepted generation may write (MIMIC-IT's longest is a few KB). */
#define MD_SYPHUS_MAX_TEXT_BYTES (64 * 1024)

/* A bit per (language, field): bit lang * MD_N_FIELDS + field. */
#define MD_SYPHUS_PROPOSAL_BIT(lang, field) (1u << ((lang) * MD_N_FIELDS + (field)))
#define MD_SYPHUS_PROPOSAL_ALL              ((1u << (MD_N_LANGUAGES * MD_N_FIELDS)) - 1)

typedef struct _MdSyphusReviewWriter MdSyphusReviewWriter;

/* Writes accepted generations into @review as revisions authored by the model (author = the
 * model name, kind "model"). @store (may be NULL) gives the shard's original texts. */
MdSyphusReviewWriter *md_syphus_review_writer_new    (MdReviewStore         *review,
                                                      MdStore               *store);
void                  md_syphus_review_writer_free   (MdSyphusReviewWriter  *writer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSyphusReviewWriter, md_syphus_review_writer_free)

/* Makes @journal call the writer when a generation is accepted (the writer must outlive it). */
void                  md_syphus_review_writer_attach (MdSyphusReviewWriter  *writer,
                                                      MdSyphusJournal       *journal);
/* Writes the proposals of @generation selected by @mask. Returns how many texts changed, -1 on
 * error; a text longer than MD_SYPHUS_MAX_TEXT_BYTES is refused and then nothing is written. */
int                   md_syphus_review_writer_apply  (MdSyphusReviewWriter      *writer,
                                                      const MdSyphusGeneration  *generation,
                                                      guint                      mask,
                                                      GError                   **error);
/* Stores the "accepted" verdict of a generation in @journal (attached to this writer), writing
 * only the proposals in @mask (0 when the caller already wrote the ones it wanted). */
gboolean              md_syphus_review_writer_accept (MdSyphusReviewWriter  *writer,
                                                      MdSyphusJournal       *journal,
                                                      gint64                 generation_id,
                                                      guint                  mask,
                                                      GError               **error);

G_END_DECLS
