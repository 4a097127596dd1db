/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-syphus"

#include "config.h"

#include "md-syphus.h"

const char *
md_syphus_user_agent (void)
{
  return PACKAGE_NAME "/" PACKAGE_VERSION;
}
