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
  int           language;      /* MdLanguage to search and to show, -1 for all */
  int           modality;      /* MdModality, -1 for all */
  MdQueryFlags  flags;
} MdQuery;

#define MD_TYPE_QUERY (md_query_get_type ())
GType    md_query_get_type (void) G_GNUC_CONST;
MdQuery *md_query_new      (void);
MdQuery *md_query_copy     (const MdQuery *query);
void     md_query_free     (MdQuery       *query);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdQuery, md_query_free)

G_END_DECLS
