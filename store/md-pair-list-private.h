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

G_END_DECLS
