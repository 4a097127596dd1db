/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cJSON.h>
#include <glib.h>

#include "md-store.h"

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
int md_cli_team       (int argc, char **argv);
int md_cli_problems   (int argc, char **argv);
/* review agreement (in md-cli-team.c, beside the team commands) */
int md_cli_review_agreement (int argc, char **argv);

/* Default index location when --db is not given: with --dataset-dir DIR (any command, repeatable)
 * the window's index for that set of folders, $XDG_CACHE_HOME/mimicdesk/<sha256>.sqlite
 * (md_dataset_index_path()); else $XDG_CACHE_HOME/mimicdesk/index.sqlite. */
char *md_cli_default_db_path (void);

/* Opens the index at db_path (NULL: md_cli_default_db_path()), after md_cli_check_file();
 * NULL after printing why. */
MdStore *md_cli_open_store (const char *db_path);

/* The window's index for a set of shard files or folders; NULL (and a message) when one of
 * them does not exist. */
char *md_cli_index_path_for (const char * const *paths);

/* The folders given with --dataset-dir, or NULL. */
const char * const *md_cli_get_dataset_dirs (void);

/* Takes the options every command accepts (--raw, --dataset-dir DIR) out of argv wherever they
 * stand before a "--"; returns the new argc, -1 after printing an error. */
int   md_cli_take_global_options (int    argc,
                                  char **argv);

/* A file the user named as an index or review file: a regular file, or (@may_create) a path that
 * does not exist yet. A FIFO, device, socket or folder is refused with a message that says what
 * it is, before SQLite opens it (it would create "/dev/null-journal" beside /dev/null). */
gboolean md_cli_check_file (const char *path,
                            gboolean    may_create);

/* Parses a command's options; prints the error and usage and returns FALSE on failure. */
gboolean md_cli_parse_options (GOptionContext *context,
                               int            *argc,
                               char         ***argv);

typedef struct
{
  const char       *name;
  MdCliCommandFunc  func;
  const char       *summary;
} MdCliSubcommand;

/* Runs the subcommand named by @argv[1] among @subcommands, then @reset (may be NULL); prints
 * the group's usage for --help or an unknown name. */
int md_cli_dispatch (const char            *group,
                     const MdCliSubcommand *subcommands,
                     guint                  n_subcommands,
                     void                 (*reset) (void),
                     int                    argc,
                     char                 **argv);

/* Reads a file of pair ids, one per line, "ID" (dataset from the prefix before _INS_) or
 * "DATASET<TAB>ID", into @datasets and @ids (char*); prints the first bad line and returns FALSE. */
gboolean md_cli_read_population (const char *path,
                                 GPtrArray  *datasets,
                                 GPtrArray  *ids);

/* Prints "mimicdesk-cli: MESSAGE" on stderr, control characters escaped. */
void md_cli_printerr (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* Terminal safety (md-cli-text.c). Texts from shards and review files are printed through
 * md_cli_safe(): C0/C1 controls but tab and newline, DEL, bidirectional overrides and bytes that
 * are not UTF-8 become visible escapes (\x1b, \r, \u202e, \xff), unless --raw was given.
 * md_cli_safe_line() also turns newlines and tabs into spaces. JSON output needs neither. */
void      md_cli_set_raw         (gboolean    raw);
gboolean  md_cli_get_raw         (void);
char     *md_cli_escape          (const char *text,
                                  gboolean    keep_newlines);
char     *md_cli_safe            (const char *text);
char     *md_cli_safe_line       (const char *text);
/* JSON as cJSON prints it, with C1 controls and bidi overrides as \uXXXX; printed with a
 * newline by md_cli_print_json(). */
char     *md_cli_safe_json       (const char *json);
void      md_cli_print_json      (cJSON      *root);

G_END_DECLS
