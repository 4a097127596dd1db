/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Live team review for an open window: a worker thread with its own connection to the review
 * file syncs it with the team server every second (pushing the window's actions, pulling the
 * others') and, when others' actions arrived, emits "changed" on the main thread so that the
 * window re-reads the pair list, the status pill and the history. Without a server configured
 * (Preferences → Team server, or `mimicdesk-cli team connect`) it only waits. */

#include <glib-object.h>

G_BEGIN_DECLS

#define MD_TYPE_TEAM_LIVE (md_team_live_get_type ())
G_DECLARE_FINAL_TYPE (MdTeamLive, md_team_live, MD, TEAM_LIVE, GObject)

/* @conninfo: the server to connect the review file to first (NULL or "": keep the one stored in
 * the review file). */
MdTeamLive *md_team_live_new  (const char *review_path,
                               const char *reviewer,
                               const char *conninfo);
/* Stops the worker (also done when the last reference goes). */
void        md_team_live_stop (MdTeamLive *self);

G_END_DECLS
