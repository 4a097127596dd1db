/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "md-image-loader.h"

G_BEGIN_DECLS

/*
 * MdContextStrip: the in-context examples of a pair, in order, one row each with its own image
 * thumbnails (through the loader), its id, and the first lines of its instruction and answer.
 * Activating a row emits ::example-activated (const char *id). Ids that point to no pair of
 * the dataset ("dangling") are listed as such and cannot be activated.
 * Accessible name "In-context examples"; rows are named "Example N: ID".
 */

typedef struct
{
  const char         *id;
  const char         *instruction;   /* NULL for dangling examples */
  const char         *answer;
  const char * const *image_ids;     /* NULL-terminated, may be NULL */
  gboolean            dangling;      /* the id is not in this dataset */
} MdContextExample;

#define MD_CONTEXT_STRIP_MAX_THUMBNAILS 3

#define MD_TYPE_CONTEXT_STRIP (md_context_strip_get_type ())
G_DECLARE_FINAL_TYPE (MdContextStrip, md_context_strip, MD, CONTEXT_STRIP, GtkWidget)

GtkWidget *md_context_strip_new          (void);

/* Replaces the rows; the examples are copied. loader may be NULL when there are no images. */
void       md_context_strip_set_examples (MdContextStrip         *self,
                                          MdImageLoader          *loader,
                                          const MdContextExample *examples,
                                          guint                   n_examples);
guint      md_context_strip_get_n_examples (MdContextStrip       *self);

G_END_DECLS
