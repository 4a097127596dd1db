/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "md-import-report.h"

G_BEGIN_DECLS

MdImportedFile *_md_import_report_add (MdImportReport *self,
                                       const char     *path,
                                       MdFileKind      kind);

G_END_DECLS
