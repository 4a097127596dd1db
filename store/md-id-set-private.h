/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A set of ids held as 64-bit hashes (md-id-set.c), for checking millions of references in
 * memory rather than with one index lookup each. Private to store/.
 *
 * Eight bytes per id, whatever its length: the 2.8M pair ids of MIMIC-IT take 32 MB. Two ids
 * share a hash with a probability of about n / 2^64 per lookup (1e-13 at MIMIC-IT scale), the
 * only way an answer can be wrong, and then only towards "present". */

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 *slots;     /* 0 is a free slot */
  gsize    mask;      /* capacity - 1, a power of two */
  gsize    n;
} MdIdSet;

void      _md_id_set_init     (MdIdSet    *set,
                               gsize       expected);
void      _md_id_set_clear    (MdIdSet    *set);
void      _md_id_set_add      (MdIdSet    *set,
                               const char *id,
                               gsize       len);
gboolean  _md_id_set_contains (const MdIdSet *set,
                               const char    *id,
                               gsize          len);

G_END_DECLS
