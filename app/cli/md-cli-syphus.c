/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "md-cli.h"

int
md_cli_regenerate (int    argc,
         char **argv)
{
  md_cli_printerr (_("“%s” is not available in this build"), argv[0]);
  return MD_CLI_EXIT_FAILED;
}

int
md_cli_translate (int    argc,
         char **argv)
{
  md_cli_printerr (_("“%s” is not available in this build"), argv[0]);
  return MD_CLI_EXIT_FAILED;
}
