/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "md-application.h"

G_BEGIN_DECLS

#define MD_TYPE_WINDOW (md_window_get_type ())
G_DECLARE_FINAL_TYPE (MdWindow, md_window, MD, WINDOW, AdwApplicationWindow)

MdWindow *md_window_new        (MdApplication  *application);
void      md_window_open_files (MdWindow       *self,
                                GFile         **files,
                                int             n_files);

G_END_DECLS
