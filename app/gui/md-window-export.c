/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include "md-export-dialog.h"
#include "md-review-store.h"
#include "md-window-private.h"

/* "Export…": the export dialog over the window, for what the window lists right now. */

/* The dialog starts from the window's own query: it exports exactly the pairs the list shows. */
void
_md_window_show_export (MdWindow *self)
{
  g_autoptr(MdQuery) query = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *review_path = NULL;
  MdReviewStore *review;
  MdExportDialog *dialog;

  g_assert (MD_IS_WINDOW (self));

  if (self->store == NULL)
    return;

  query = _md_window_build_query (self, &error);
  if (query == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  review = self->review;
  review_path = review != NULL ? g_strdup (md_review_store_get_path (review))
                               : md_review_store_default_path (md_store_get_path (self->store));
  dialog = md_export_dialog_new (GTK_WINDOW (self), self->store, review_path, query);
  gtk_window_present (GTK_WINDOW (dialog));
}
