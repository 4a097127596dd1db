/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "md-pair.h"

G_BEGIN_DECLS

struct _MdPair
{
  GObject     parent_instance;

  char       *id;
  char       *dataset;
  gint64      order;
  MdModality  modality;
  guint       n_images;
  guint       languages;
  guint       flags;
  gboolean    full;
  char       *summary;

  /* Full pairs only. */
  char       *texts[MD_N_LANGUAGES][MD_N_FIELDS];
  GStrv       image_ids;
  GStrv       missing_image_ids;
  GStrv       context_ids;
  GStrv       dangling_context_ids;
};

MdPair *_md_pair_new           (void);
/* First line of text, at most 200 characters, without trailing white space. */
char   *_md_pair_make_summary  (const char *text);

G_END_DECLS
