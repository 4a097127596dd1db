/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The Syphus engine: the pipeline that generated MIMIC-IT, run again on chosen pairs. */

#include <glib.h>

G_BEGIN_DECLS

/* Sampling defaults used to build MIMIC-IT. */
#define MD_SYPHUS_DEFAULT_TEMPERATURE 0.7
#define MD_SYPHUS_DEFAULT_MAX_TOKENS  3200
#define MD_SYPHUS_DEFAULT_TOP_P       0.95

const char *md_syphus_user_agent (void);

G_END_DECLS
