/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The window's state, shared by the files that implement it by concern:
 *   md-window.c          template, settings, queries, showing pairs, history
 *   md-window-actions.c  actions, key bindings and the capture-phase shortcuts
 *   md-window-open.c     opening datasets, background import and its progress bar, recents
 *   md-window-syphus.c   regenerate / translate the shown pair, Syphus batches
 *   md-window-layout.c   the window's size on its monitor, the sidebar giving way when narrow
 *   md-window-review.c   review actions and keys, status pill, history, review filters */

#include <adwaita.h>

#include "md-filter-bar.h"
#include "md-image-loader.h"
#include "md-pair-navigator.h"
#include "md-pair-table.h"
#include "md-pair-page.h"
#include "md-history-view.h"
#include "md-review-store.h"
#include "md-sidebar.h"
#include "md-status-pill.h"
#include "md-team-live.h"
#include "md-store.h"
#include "md-window.h"

G_BEGIN_DECLS

typedef struct _MdImportProgress MdImportProgress;

struct _MdWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  /* The open dataset */
  MdStore              *store;
  MdImageLoader        *loader;
  GStrv                 paths;
  GCancellable         *import_cancellable;
  MdImportProgress     *import_progress;
  guint                 import_poll_source;
  guint                 import_files_seen;
  guint                 import_whole_index_steps_seen;
  gint64                import_started;

  /* What is shown */
  char                 *dataset;
  MdLanguage            language;
  GQueue                history;       /* of char *, pair ids to go back to */
  MdPairNavigator      *navigator;     /* the pair shown, reads, cache and prefetching */
  guint                 datasets_serial;
  gboolean              narrow;        /* too narrow for the sidebar: md-window-layout.c */
  guint                 layout_idle;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  GtkSearchEntry       *search_entry;
  GtkToggleButton      *sidebar_button;
  GtkStack             *main_stack;
  GtkListBox           *recent_list;
  GtkWidget            *recent_group;
  GtkRevealer          *import_revealer;
  GtkProgressBar       *import_bar;
  GtkLabel             *import_label;
  GtkPaned             *outer_paned;
  GtkPaned             *inner_paned;
  GtkWidget            *sidebar_pane;
  MdSidebar            *sidebar;
  MdFilterBar          *filter_bar;
  MdPairTable           *pair_table;
  MdPairPage           *pair_page;
  GMenu                *recent_menu;

  /* Review (md-window-review.c) */
  MdReviewStore        *review;        /* the open index's review file, or NULL */
  MdTeamLive           *team_live;     /* syncs the review file with the team server */
  GSimpleActionGroup   *review_actions;
  GHashTable           *review_descriptions;  /* action id -> what it did, for undo toasts */
  MdStatusPill         *status_pill;
  MdHistoryView        *history_view;
  gboolean              editing;
};

/* md-window.c */
void      _md_window_requery            (MdWindow   *self);
/* NULL with MD_ERROR_QUERY when the search text's review prefixes are wrong. */
MdQuery  *_md_window_build_query        (MdWindow   *self,
                                         GError    **error);
void      _md_window_show_pair          (MdWindow   *self,
                                         const char *pair_id);
void      _md_window_go_back            (MdWindow   *self);
void      _md_window_set_language       (MdWindow   *self,
                                         MdLanguage  language);
void      _md_window_refresh_datasets   (MdWindow   *self);
void      _md_window_focus_list         (MdWindow   *self);

/* md-window-actions.c */
void      _md_window_class_init_actions (GtkWidgetClass *widget_class);
void      _md_window_init_actions       (MdWindow   *self);
void      _md_window_update_actions     (MdWindow   *self);

/* md-window-export.c */
void      _md_window_show_export        (MdWindow   *self);

/* md-window-open.c */
void      _md_window_init_open          (MdWindow   *self);
void      _md_window_dispose_open       (MdWindow   *self);
void      _md_window_open_path          (MdWindow   *self,
                                         const char *path);
void      _md_window_cancel_import      (MdWindow   *self);
void      _md_window_choose_dataset     (MdWindow   *self,
                                         gboolean    files);

/* md-window-review.c */
void      _md_window_init_review        (MdWindow      *self);
void      _md_window_dispose_review     (MdWindow      *self);
/* Opens the review file beside the index and attaches it to the store. */
void      _md_window_set_review_store   (MdWindow      *self,
                                         MdStore       *store);
/* Adds the display language and the review filters to a query about to run, and moves the
 * review prefixes of its text into its review filters. An unknown value is MD_ERROR_QUERY. */
gboolean  _md_window_apply_review_query (MdWindow      *self,
                                         MdQuery       *query,
                                         GError       **error);
/* The pair page shows a new pair: refresh the status pill, language statuses and history. */
void      _md_window_review_pair_shown  (MdWindow      *self);
/* The review file changed: every cached reading is dropped, the pair shown read again. */
void      _md_window_review_refresh     (MdWindow      *self);
/* Lists only the members of a saved sample (NULL: no sample filter). */
void      _md_window_set_sample_filter  (MdWindow      *self,
                                         const char    *name);

/* md-window-syphus.c */
void      _md_window_class_init_syphus  (GtkWidgetClass *widget_class);
void      _md_window_init_syphus        (MdWindow   *self);

void     _md_window_class_init_layout (GtkWidgetClass *widget_class);
void     _md_window_init_layout       (MdWindow       *self);
void     _md_window_dispose_layout    (MdWindow       *self);
void     _md_window_toggle_sidebar    (MdWindow       *self);

G_END_DECLS
