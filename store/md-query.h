/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "md-language.h"
#include "md-pair.h"

G_BEGIN_DECLS

typedef enum
{
  MD_QUERY_MISSING_IMAGES       = 1 << 0,
  MD_QUERY_MISSING_TRANSLATIONS = 1 << 1,
  MD_QUERY_DANGLING_CONTEXT     = 1 << 2,
} MdQueryFlags;

/* What to list: free text (searched in all languages, or in one), and filters that combine with
 * it. Every member may be left unset. */
typedef struct
{
  char         *text;          /* user's search text, NULL or "" for all pairs */
  char         *dataset;       /* task code, NULL for all */
  int           language;      /* MdLanguage to search (and to show), -1 for all */
  int           modality;      /* MdModality, -1 for all */
  MdQueryFlags  flags;
  /* MdLanguage of the rows' instruction line whatever is searched (falling back to English);
   * -1: the language the text matched in, else `language`, else English. */
  int           display_language;

  /* Review filters, answered by the review file that md_store_attach_review() attached; a
   * query using one fails with MD_ERROR_QUERY when none is. They apply to the pair's own
   * review, or to one language's when review_language is set. */
  int           review_language;  /* MdLanguage, -1 for the pair as a whole */
  int           review_status;    /* MdReviewStatus, -1 for any */
  char         *review_reason;    /* reason tag of the current status */
  char         *review_reviewer;  /* author of the latest status change */
  gboolean      review_edited;    /* only pairs with a text revision (any language) */
  gboolean      review_unreviewed;/* only pairs without a status (same as status unreviewed) */
  char         *review_sample;    /* only members of this saved audit sample */
} MdQuery;

/* Whether any review filter is set. */
gboolean md_query_has_review_filters (const MdQuery *query);

#define MD_TYPE_QUERY (md_query_get_type ())
GType    md_query_get_type (void) G_GNUC_CONST;
MdQuery *md_query_new      (void);
MdQuery *md_query_copy     (const MdQuery *query);
void     md_query_free     (MdQuery       *query);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdQuery, md_query_free)

G_END_DECLS
