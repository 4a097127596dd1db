/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "md-review-store.h"

G_BEGIN_DECLS

/* The review status of the pair shown, as a pill in the pair page's header (accessible name
 * "Review status", reasons and note in its tooltip), with the two popovers that hang from it:
 * the reason tags of a flag ("Reasons", confirmed by Enter or "Confirm flag") and the note
 * ("Note", confirmed by Enter). It reports what the user confirmed and changes nothing itself:
 *   "flag-confirmed" (GStrv reasons)   "note-confirmed" (const char *note) */

#define MD_TYPE_STATUS_PILL (md_status_pill_get_type ())
G_DECLARE_FINAL_TYPE (MdStatusPill, md_status_pill, MD, STATUS_PILL, GtkWidget)

/* The label of a status, translated ("Approved"). */
const char *md_status_pill_status_label (MdReviewStatus       status);

/* @state NULL with @shown FALSE hides the pill; NULL with @shown TRUE is an unreviewed pair. */
void        md_status_pill_set_state    (MdStatusPill        *self,
                                         gboolean             shown,
                                         const MdReviewState *state);
/* Opens the reason picker over @tags (char *), with the @checked ones ticked. */
void        md_status_pill_ask_flag     (MdStatusPill        *self,
                                         GPtrArray           *tags,
                                         const char * const  *checked);
/* Opens the note entry with @note (NULL: empty). */
void        md_status_pill_ask_note     (MdStatusPill        *self,
                                         const char          *note);

G_END_DECLS
