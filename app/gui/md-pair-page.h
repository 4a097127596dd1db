/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "md-image-loader.h"
#include "md-pair-reading.h"
#include "md-store.h"

G_BEGIN_DECLS

#define MD_TYPE_PAIR_PAGE (md_pair_page_get_type ())
G_DECLARE_FINAL_TYPE (MdPairPage, md_pair_page, MD, PAIR_PAGE, GtkWidget)

/* The right pane: the header of one pair (id, dataset), its media, its text in the current
 * language, the eight languages side by side and its in-context examples. It shows what it is
 * given; the window fetches pairs. "example-activated" (const char *id) asks to jump. */
GtkWidget *md_pair_page_new          (void);
/* Shows the light row at once (id, dataset) while the full pair is being fetched. */
void       md_pair_page_set_row      (MdPairPage *self,
                                      MdPair     *row);
/* The pair, its in-context examples and its current texts, as read by the store (NULL: none). */
void       md_pair_page_set_reading  (MdPairPage    *self,
                                      MdPairReading *reading);
MdPair    *md_pair_page_get_pair     (MdPairPage *self);
void       md_pair_page_set_language (MdPairPage *self,
                                      MdLanguage  language);
void       md_pair_page_set_error    (MdPairPage *self,
                                      const char *pair_id,
                                      const GError *error);
void       md_pair_page_set_loader   (MdPairPage    *self,
                                      MdImageLoader *loader);
/* Frame player controls; FALSE when the pair has no clip to play. */
gboolean   md_pair_page_toggle_play  (MdPairPage *self);
gboolean   md_pair_page_step         (MdPairPage *self,
                                      int         frames);
/* Puts the keyboard focus somewhere sensible inside the page. */
void       md_pair_page_focus        (MdPairPage *self);

/* Shows the reading's texts again, dropping what an editor changed in the views. Texts revised
 * in the review file show once the pair is read again and set. */
void       md_pair_page_reload_text      (MdPairPage    *self);
MdLanguage md_pair_page_get_language     (MdPairPage    *self);
GtkWidget *md_pair_page_get_pair_text    (MdPairPage    *self);
/* Runs one of the media view's actions (media.zoom-in, media.zoom-out, media.zoom-fit) on the
 * shown pair's media; FALSE when it has none. */
gboolean   md_pair_page_activate_media_action (MdPairPage *self,
                                               const char *action_name);
GtkWidget *md_pair_page_get_language_grid (MdPairPage   *self);
void       md_pair_page_add_header_widget (MdPairPage   *self,
                                           GtkWidget    *widget);
/* Shows the view named `name` ("pair", "languages", "history"); unknown names are ignored. */
void       md_pair_page_show_view        (MdPairPage    *self,
                                          const char    *name);
void       md_pair_page_add_view         (MdPairPage    *self,
                                          GtkWidget     *child,
                                          const char    *name,
                                          const char    *title,
                                          const char    *icon_name);

G_END_DECLS
