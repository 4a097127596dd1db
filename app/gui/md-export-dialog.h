/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The export dialog: the pairs of the window's current filter (or of a saved audit sample)
 * written out through store/md-export.h. Options first, with a preview of what would be written
 * counted in a worker thread as they change; then the checks report, confirmed or abandoned;
 * then progress with cancel; then a summary of the files written. */

#include <adwaita.h>

#include "md-query.h"
#include "md-store.h"

G_BEGIN_DECLS

#define MD_TYPE_EXPORT_DIALOG (md_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MdExportDialog, md_export_dialog, MD, EXPORT_DIALOG, AdwWindow)

/* Modal, transient for @parent. @review_path is the review file whose statuses, edits and
 * samples apply (NULL, or a file that does not exist: every pair unreviewed, shard texts; the
 * dialog never creates one). @query is copied; NULL exports every pair. */
MdExportDialog *md_export_dialog_new               (GtkWindow      *parent,
                                                    MdStore        *store,
                                                    const char     *review_path,
                                                    const MdQuery  *query);
/* The folder the export goes to, as if chosen in the file chooser. */
void            md_export_dialog_set_output_folder (MdExportDialog *self,
                                                    const char     *path);
const char     *md_export_dialog_get_output_folder (MdExportDialog *self);

G_END_DECLS
