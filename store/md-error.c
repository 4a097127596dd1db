/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include "md-error.h"

G_DEFINE_QUARK (md-error-quark, md_error)
