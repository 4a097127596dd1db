/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "md-pair-list.h"
#include "md-store.h"

G_BEGIN_DECLS

GListModel *_md_pair_list_new   (MdStore    *store,
                                 MdQuery    *query,
                                 GError    **error);
/* Pairs matching `query`, counted up to `cap`; *out_exact tells whether the cap was reached. */
guint64     _md_pair_list_count (MdStore    *store,
                                 MdQuery    *query,
                                 guint64     cap,
                                 gboolean   *out_exact,
                                 GError    **error);

/* The next cap of a growing count: four times `cap`, saturating at G_MAXUINT64. */
guint64     _md_pair_list_next_cap (guint64  cap);
/* For tests: visits per growth step instead of MD_PAIR_LIST_GROW_BUDGET. */
void        _md_pair_list_set_grow_budget (MdPairList *self,
                                           guint64     budget);
/* For tests: one growth step now, as the idle callback would run it. */
void        _md_pair_list_grow_now (MdPairList *self);

G_END_DECLS
