/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses shared by every command. */
enum
{
  MD_CLI_EXIT_OK = 0,
  MD_CLI_EXIT_FAILED = 1,   /* nothing could be done */
  MD_CLI_EXIT_PARTIAL = 2,  /* some inputs were rejected, each named on stderr */
};

/* A command receives its own argv (argv[0] is the command name) and returns an exit status. */
typedef int (*MdCliCommandFunc) (int argc, char **argv);

int md_cli_import     (int argc, char **argv);
int md_cli_search     (int argc, char **argv);
int md_cli_show       (int argc, char **argv);
int md_cli_image      (int argc, char **argv);
int md_cli_stats      (int argc, char **argv);
int md_cli_review     (int argc, char **argv);
int md_cli_regenerate (int argc, char **argv);
int md_cli_translate  (int argc, char **argv);
int md_cli_export     (int argc, char **argv);

/* Default index location when --db is not given: $XDG_CACHE_HOME/mimicdesk/index.sqlite. */
char *md_cli_default_db_path (void);

/* Parses a command's options; prints the error and usage and returns FALSE on failure. */
gboolean md_cli_parse_options (GOptionContext *context,
                               int            *argc,
                               char         ***argv);

/* Prints "mimicdesk-cli: MESSAGE" on stderr. */
void md_cli_printerr (const char *format, ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS
