/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "md-pair-page.h"
#include "md-store.h"
#include "md-syphus.h"

G_BEGIN_DECLS

#define MD_TYPE_SYPHUS_PANEL (md_syphus_panel_get_type ())
G_DECLARE_FINAL_TYPE (MdSyphusPanel, md_syphus_panel, MD, SYPHUS_PANEL, AdwWindow)

/* Regenerate or translate one pair while watching: the request that will be sent (editable),
 * prompt file, backend and model, the reply as it streams in, then a word diff against the
 * current text per field and language with Accept / Reject for each. Accepted texts become
 * revisions authored by the model in the review file beside @store's index; @page (may be NULL)
 * shows them at once and "revised" (const char *pair_id) is emitted. Keys: Ctrl+Enter sends,
 * Escape closes. */
MdSyphusPanel *md_syphus_panel_new          (GtkWindow       *parent,
                                             MdStore         *store,
                                             MdPairPage      *page,
                                             MdSyphusJobKind  kind,
                                             const char      *pair_id);
/* Sends the request shown (what Ctrl+Enter does). */
void           md_syphus_panel_send         (MdSyphusPanel   *self);
/* The id of the generation received, 0 before. */
gint64         md_syphus_panel_get_generation (MdSyphusPanel *self);

G_END_DECLS
