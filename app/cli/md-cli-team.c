/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk-cli"

#include "config.h"

#include <cJSON.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "md-agreement.h"
#include "md-cli.h"
#include "md-review-sample.h"
#include "md-review-store.h"
#include "md-team.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cJSON, cJSON_Delete)

static char *opt_db;
static char *opt_review;
static char *opt_reviewer;
static gboolean opt_json;

static const GOptionEntry common_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, N_("Index file"), N_("FILE") },
  { "review", 0, 0, G_OPTION_ARG_FILENAME, &opt_review,
    N_("Review file (default: the index path + .review.sqlite)"), N_("FILE") },
  { "reviewer", 0, 0, G_OPTION_ARG_STRING, &opt_reviewer,
    N_("Name recorded as author (default: the user name)"), N_("NAME") },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Print JSON"), NULL },
  { NULL }
};

static gboolean
parse (int                *argc,
       char             ***argv,
       const char         *parameters,
       const char         *summary,
       const GOptionEntry *entries)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, common_entries, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return md_cli_parse_options (context, argc, argv);
}

/* The review file and its team side; NULL after printing why. */
static MdTeam *
open_team (MdReviewStore **out_review)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = opt_db != NULL ? g_strdup (opt_db) : md_cli_default_db_path ();
  g_autofree char *path = opt_review != NULL ? g_strdup (opt_review)
                                             : md_review_store_default_path (db);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(MdReviewStore) review = NULL;
  MdTeam *team;

  g_mkdir_with_parents (dir, 0700);
  review = md_review_store_open (path, &error);
  if (review == NULL)
    {
      md_cli_printerr ("%s", error->message);
      return NULL;
    }
  if (opt_reviewer != NULL)
    md_review_store_set_reviewer (review, opt_reviewer);
  team = md_team_new (review);
  if (out_review != NULL)
    *out_review = g_steal_pointer (&review);
  return team;
}

static int
print_json (cJSON *root)
{
  g_autofree char *text = cJSON_PrintUnformatted (root);

  printf ("%s\n", text);
  return MD_CLI_EXIT_OK;
}

static int
fail (GError *error)
{
  md_cli_printerr ("%s", error->message);
  return MD_CLI_EXIT_FAILED;
}

/* Reads one line from standard input without echo when it is a terminal. */
static char *
read_secret_line (void)
{
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
  char buffer[1024];
  char *line = NULL;

  if (tty)
    {
      fprintf (stderr, "%s", _("Password: "));
      quiet = saved;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
    }
  if (fgets (buffer, sizeof buffer, stdin) != NULL)
    line = g_strdup (g_strchomp (buffer));
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSANOW, &saved);
      fputc ('\n', stderr);
    }
  memset (buffer, 0, sizeof buffer);
  return line;
}

/* team connect */

static int
team_connect (int    argc,
              char **argv)
{
  gboolean ask_password = FALSE;
  const GOptionEntry entries[] = {
    { "password", 0, 0, G_OPTION_ARG_NONE, &ask_password,
      N_("Read the password from standard input and keep it in the Secret Service"), NULL },
    { NULL }
  };
  g_autoptr(MdReviewStore) review = NULL;
  g_autoptr(MdTeam) team = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *password = NULL;
  g_autoptr(MdTeamStatus) status = NULL;

  if (!parse (&argc, &argv, "CONNINFO",
              _("Share this review file through a PostgreSQL server (a libpq connection string; "
                "the password comes from PGPASSFILE, ~/.pgpass or the Secret Service and is "
                "never written to the review file)."), entries))
    return MD_CLI_EXIT_FAILED;
  if (argc != 2)
    {
      md_cli_printerr (_("usage: team connect CONNINFO [--password] [--reviewer NAME]"));
      return MD_CLI_EXIT_FAILED;
    }
  if ((team = open_team (&review)) == NULL)
    return MD_CLI_EXIT_FAILED;
  conninfo = g_strdup (argv[1]);
  if (ask_password)
    {
      g_autofree char *stripped = md_team_strip_password (conninfo, &error);
      g_autofree char *quoted = NULL;

      if (stripped == NULL)
        return fail (error);
      password = read_secret_line ();
      if (password == NULL)
        {
          md_cli_printerr (_("no password on standard input"));
          return MD_CLI_EXIT_FAILED;
        }
      quoted = g_strescape (password, NULL);
      g_free (conninfo);
      conninfo = g_strdup_printf ("%s password='%s'", stripped, quoted);
    }
  if (!md_team_connect (team, conninfo, opt_reviewer, &error))
    return fail (error);
  if (password != NULL && !md_team_store_password (team, password, &error))
    return fail (error);
  status = md_team_get_status (team, &error);
  if (status == NULL)
    return fail (error);
  printf (_("connected: %s as %s (%" G_GUINT64_FORMAT " entries queued)\n"), status->conninfo,
          status->member, status->n_queued);
  return MD_CLI_EXIT_OK;
}

static int
team_disconnect (int    argc,
                 char **argv)
{
  g_autoptr(MdTeam) team = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse (&argc, &argv, NULL, _("Stop sharing this review file (the log stays)."), NULL))
    return MD_CLI_EXIT_FAILED;
  if ((team = open_team (NULL)) == NULL)
    return MD_CLI_EXIT_FAILED;
  if (!md_team_disconnect (team, &error))
    return fail (error);
  return MD_CLI_EXIT_OK;
}

/* team status */

static int
team_status (int    argc,
             char **argv)
{
  g_autoptr(MdTeam) team = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdTeamStatus) status = NULL;

  if (!parse (&argc, &argv, NULL, _("Show the team server, the queue and the sync position."),
              NULL))
    return MD_CLI_EXIT_FAILED;
  if ((team = open_team (NULL)) == NULL)
    return MD_CLI_EXIT_FAILED;
  status = md_team_get_status (team, &error);
  if (status == NULL)
    return fail (error);
  if (opt_json)
    {
      g_autoptr(cJSON) root = cJSON_CreateObject ();

      cJSON_AddBoolToObject (root, "configured", status->configured);
      if (status->conninfo != NULL)
        cJSON_AddStringToObject (root, "conninfo", status->conninfo);
      if (status->member != NULL)
        cJSON_AddStringToObject (root, "member", status->member);
      cJSON_AddBoolToObject (root, "online", status->server_seq >= 0);
      cJSON_AddNumberToObject (root, "queued", (double) status->n_queued);
      cJSON_AddNumberToObject (root, "pulled_seq", (double) status->pulled_seq);
      cJSON_AddNumberToObject (root, "server_seq", (double) status->server_seq);
      return print_json (root);
    }
  if (!status->configured)
    {
      printf (_("not connected to a team server (%" G_GUINT64_FORMAT " local entries)\n"),
              status->n_queued);
      return MD_CLI_EXIT_OK;
    }
  printf (_("server: %s\nmember: %s\n"), status->conninfo, status->member);
  if (status->server_seq >= 0)
    printf (_("online: pulled %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT "\n"),
            status->pulled_seq, status->server_seq);
  else
    printf (_("offline: pulled %" G_GINT64_FORMAT "\n"), status->pulled_seq);
  printf (_("queued: %" G_GUINT64_FORMAT "\n"), status->n_queued);
  return MD_CLI_EXIT_OK;
}

/* team sync */

static int
team_sync (int    argc,
           char **argv)
{
  g_autoptr(MdTeam) team = NULL;
  g_autoptr(GError) error = NULL;
  MdTeamSyncReport report = { 0 };

  if (!parse (&argc, &argv, NULL, _("Push the queued entries, then pull the others'."), NULL))
    return MD_CLI_EXIT_FAILED;
  if ((team = open_team (NULL)) == NULL)
    return MD_CLI_EXIT_FAILED;
  if (!md_team_sync (team, &report, &error))
    return fail (error);
  if (opt_json)
    {
      g_autoptr(cJSON) root = cJSON_CreateObject ();

      cJSON_AddNumberToObject (root, "pushed", (double) report.n_pushed);
      cJSON_AddNumberToObject (root, "pulled", (double) report.n_pulled);
      cJSON_AddNumberToObject (root, "known", (double) report.n_known);
      cJSON_AddNumberToObject (root, "pulled_seq", (double) report.pulled_seq);
      return print_json (root);
    }
  printf (_("pushed %" G_GUINT64_FORMAT ", pulled %" G_GUINT64_FORMAT " (server sequence %"
            G_GINT64_FORMAT ")\n"), report.n_pushed, report.n_pulled, report.pulled_seq);
  return MD_CLI_EXIT_OK;
}

/* team conflicts */

static void
add_nullable (cJSON      *object,
              const char *name,
              const char *value)
{
  if (value == NULL)
    cJSON_AddNullToObject (object, name);
  else
    cJSON_AddStringToObject (object, name, value);
}

static int
team_conflicts (int    argc,
                char **argv)
{
  g_autoptr(MdTeam) team = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(cJSON) root = cJSON_CreateArray ();

  if (!parse (&argc, &argv, NULL,
              _("List changes of the same field made without seeing each other's."), NULL))
    return MD_CLI_EXIT_FAILED;
  if ((team = open_team (NULL)) == NULL)
    return MD_CLI_EXIT_FAILED;
  conflicts = md_team_list_conflicts (team, &error);
  if (conflicts == NULL)
    return fail (error);
  for (guint i = 0; i < conflicts->len; i++)
    {
      const MdTeamConflict *c = conflicts->pdata[i];

      if (opt_json)
        {
          cJSON *item = cJSON_CreateObject ();

          add_nullable (item, "dataset", c->dataset);
          add_nullable (item, "id", c->pair_id);
          add_nullable (item, "lang", c->lang);
          add_nullable (item, "field", c->field);
          cJSON_AddNumberToObject (item, "first_seq", (double) c->first_seq);
          add_nullable (item, "first_uid", c->first_uid);
          add_nullable (item, "first_author", c->first_author);
          add_nullable (item, "first_value", c->first_value);
          cJSON_AddNumberToObject (item, "second_seq", (double) c->second_seq);
          add_nullable (item, "second_uid", c->second_uid);
          add_nullable (item, "second_author", c->second_author);
          add_nullable (item, "second_value", c->second_value);
          add_nullable (item, "current_value", c->current_value);
          cJSON_AddItemToArray (root, item);
        }
      else
        {
          g_autofree char *first = md_cli_safe_line (c->first_value != NULL ? c->first_value : "-");
          g_autofree char *second = md_cli_safe_line (c->second_value != NULL ? c->second_value
                                                                               : "-");
          g_autofree char *now = md_cli_safe_line (c->current_value != NULL ? c->current_value
                                                                             : "-");
          g_autofree char *who_first = md_cli_safe_line (c->first_author);
          g_autofree char *who_second = md_cli_safe_line (c->second_author);
          g_autofree char *pair = md_cli_safe_line (c->pair_id);

          printf (_("%s %s %s %s: %s set “%s” (#%" G_GINT64_FORMAT "), %s set “%s” (#%"
                    G_GINT64_FORMAT ") without seeing it; now “%s”\n"),
                  c->dataset, pair, *c->lang != '\0' ? c->lang : _("pair"), c->field, who_first,
                  first, c->first_seq, who_second, second, c->second_seq, now);
        }
    }
  if (opt_json)
    return print_json (root);
  return MD_CLI_EXIT_OK;
}

/* team run: scripted reviewing (one action per line, fields separated by tabs), syncing as a
 * reviewer's client does: after every action, or every --sync-every actions. A sync that fails
 * (server down) leaves the queue for the next one. Lines:
 *   set ID STATUS [LANG]      edit ID LANG FIELD TEXT      undo      sync */

static char *
dataset_of (const char *pair_id)
{
  const char *ins = strstr (pair_id, "_INS_");

  return ins != NULL && ins != pair_id ? g_strndup (pair_id, ins - pair_id) : NULL;
}

static gint64
run_line (MdReviewStore  *review,
          char          **fields,
          GError        **error)
{
  guint n = g_strv_length (fields);
  g_autofree char *dataset = n >= 2 ? dataset_of (fields[1]) : NULL;
  MdReviewStatus status;
  MdLanguage lang;
  MdField field;

  if (g_str_equal (fields[0], "undo") && n == 1)
    return md_review_store_undo (review, NULL, NULL, error);
  if (g_str_equal (fields[0], "set") && (n == 3 || n == 4) && dataset != NULL &&
      md_review_status_from_name (fields[2], &status))
    return md_review_store_set_status (review, dataset, fields[1], n == 4 ? fields[3] : NULL,
                                       status, NULL, NULL, error);
  if (g_str_equal (fields[0], "edit") && n == 5 && dataset != NULL &&
      md_language_from_code (fields[2], &lang) && md_field_from_name (fields[3], &field))
    return md_review_store_edit_text (review, dataset, fields[1], lang, field, NULL, fields[4],
                                      NULL, MD_REVIEW_AUTHOR_PERSON, error);
  g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
               "expected “set ID STATUS [LANG]”, “edit ID LANG FIELD TEXT”, “undo” or “sync” "
               "with tab-separated fields and ids like DC_INS_00001");
  return -1;
}

static int
team_run (int    argc,
          char **argv)
{
  int sync_every = 1;
  gboolean offline = FALSE;
  const GOptionEntry entries[] = {
    { "sync-every", 0, 0, G_OPTION_ARG_INT, &sync_every,
      N_("Sync after every N actions (0: only on “sync” lines)"), N_("N") },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &offline, N_("Never sync (work offline)"), NULL },
    { NULL }
  };
  g_autoptr(MdReviewStore) review = NULL;
  g_autoptr(MdTeam) team = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_actions = 0, n_refused = 0, n_failed_lines = 0, n_synced = 0, n_sync_failed = 0, since_sync = 0;
  g_autoptr(MdTeamStatus) status = NULL;
  g_autoptr(cJSON) root = cJSON_CreateObject ();

  if (!parse (&argc, &argv, "SCRIPT",
              _("Run review actions from a file (- for standard input), syncing as it goes."),
              entries))
    return MD_CLI_EXIT_FAILED;
  if (argc != 2)
    {
      md_cli_printerr (_("usage: team run SCRIPT [--sync-every N] [--offline]"));
      return MD_CLI_EXIT_FAILED;
    }
  if (g_str_equal (argv[1], "-"))
    {
      g_autoptr(GIOChannel) in = g_io_channel_unix_new (STDIN_FILENO);

      if (g_io_channel_read_to_end (in, &contents, NULL, &error) != G_IO_STATUS_NORMAL)
        return fail (error);
    }
  else if (!g_file_get_contents (argv[1], &contents, NULL, &error))
    return fail (error);
  if ((team = open_team (&review)) == NULL)
    return MD_CLI_EXIT_FAILED;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      gboolean want_sync;

      g_strchomp (lines[i]);
      if (*lines[i] == '\0')
        continue;
      fields = g_strsplit (lines[i], "\t", -1);
      want_sync = g_str_equal (fields[0], "sync");
      if (!want_sync)
        {
          g_autoptr(GError) line_error = NULL;

          if (run_line (review, fields, &line_error) < 0 && g_str_equal (fields[0], "undo") &&
              g_error_matches (line_error, MD_ERROR, MD_ERROR_FAILED))
            {
              /* Another reviewer changed the field since: the undo is refused, as in the
               * window, and the script goes on. */
              n_refused++;
              continue;
            }
          if (line_error != NULL)
            {
              md_cli_printerr ("%s:%u: %s", argv[1], i + 1, line_error->message);
              n_failed_lines++;
              continue;
            }
          n_actions++;
          since_sync++;
          want_sync = sync_every > 0 && since_sync >= (guint) sync_every;
        }
      if (want_sync && !offline)
        {
          g_autoptr(GError) sync_error = NULL;

          since_sync = 0;
          if (md_team_sync (team, NULL, &sync_error))
            n_synced++;
          else
            {
              /* Offline is a normal state: the actions are in the review file and queued. */
              if (n_sync_failed++ == 0 || !g_error_matches (sync_error, MD_ERROR, MD_ERROR_IO))
                md_cli_printerr ("%s", sync_error->message);
            }
        }
    }

  status = md_team_get_status (team, &error);
  if (status == NULL)
    return fail (error);
  cJSON_AddNumberToObject (root, "actions", n_actions);
  cJSON_AddNumberToObject (root, "refused_undos", n_refused);
  cJSON_AddNumberToObject (root, "failed_lines", n_failed_lines);
  cJSON_AddNumberToObject (root, "syncs", n_synced);
  cJSON_AddNumberToObject (root, "failed_syncs", n_sync_failed);
  cJSON_AddNumberToObject (root, "queued", (double) status->n_queued);
  print_json (root);
  return n_failed_lines > 0 ? MD_CLI_EXIT_PARTIAL : MD_CLI_EXIT_OK;
}

/* team assign */

static int
team_assign (int    argc,
             char **argv)
{
  g_autofree char *sample_name = NULL;
  g_autofree char *ids_path = NULL;
  g_autofree char *reviewer_list = NULL;
  double overlap = 0;
  gint64 seed = 1;
  const GOptionEntry entries[] = {
    { "sample", 0, 0, G_OPTION_ARG_STRING, &sample_name, N_("Split this saved audit sample"),
      N_("NAME") },
    { "ids", 0, 0, G_OPTION_ARG_FILENAME, &ids_path,
      N_("Split the pairs of this file (one id per line, or DATASET<TAB>ID)"), N_("FILE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &reviewer_list, N_("Reviewers, separated by commas"),
      N_("NAMES") },
    { "overlap", 0, 0, G_OPTION_ARG_DOUBLE, &overlap,
      N_("Share of the units that a second reviewer also gets (0 to 1)"), N_("F") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed of the shuffle"), N_("S") },
    { NULL }
  };
  g_autoptr(MdReviewStore) review = NULL;
  g_autoptr(MdTeam) team = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdSample) sample = NULL;
  g_autoptr(GPtrArray) datasets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) units = g_array_new (FALSE, FALSE, sizeof (MdSampleUnit));
  g_auto(GStrv) reviewers = NULL;
  guint n_rows = 0;

  if (!parse (&argc, &argv, "NAME",
              _("Split an audit sample or a list of pairs among reviewers, on the team server."),
              entries))
    return MD_CLI_EXIT_FAILED;
  if (argc != 2 || reviewer_list == NULL || (sample_name == NULL) == (ids_path == NULL))
    {
      md_cli_printerr (_("usage: team assign NAME (--sample S | --ids FILE) --to A,B,… "
                         "[--overlap F] [--seed S]"));
      return MD_CLI_EXIT_FAILED;
    }
  if ((team = open_team (&review)) == NULL)
    return MD_CLI_EXIT_FAILED;
  if (sample_name != NULL)
    {
      sample = md_review_store_load_sample (review, sample_name, &error);
      if (sample == NULL)
        return fail (error);
      for (guint i = 0; i < sample->members->len; i++)
        {
          const MdSampleMember *member = sample->members->pdata[i];
          MdSampleUnit unit = { member->dataset, member->pair_id, member->lang };

          g_array_append_val (units, unit);
        }
    }
  else
    {
      if (!md_cli_read_population (ids_path, datasets, ids))
        return MD_CLI_EXIT_FAILED;
      for (guint i = 0; i < ids->len; i++)
        {
          MdSampleUnit unit = { datasets->pdata[i], ids->pdata[i], "" };

          g_array_append_val (units, unit);
        }
    }
  reviewers = g_strsplit (reviewer_list, ",", -1);
  if (!md_team_assign (team, argv[1], (const MdSampleUnit *) units->data, units->len,
                       (const char * const *) reviewers, overlap, (guint64) seed, &n_rows,
                       &error))
    return fail (error);
  printf (_("assignment %s: %u units, %u assigned rows for %u reviewers\n"), argv[1], units->len,
          n_rows, g_strv_length (reviewers));
  return MD_CLI_EXIT_OK;
}

/* team next */

static int
team_next (int    argc,
           char **argv)
{
  int ttl_minutes = 30;
  gboolean take_abandoned = FALSE;
  const GOptionEntry entries[] = {
    { "ttl", 0, 0, G_OPTION_ARG_INT, &ttl_minutes,
      N_("Minutes the claim lasts without a status (default 30)"), N_("MIN") },
    { "take-abandoned", 0, 0, G_OPTION_ARG_NONE, &take_abandoned,
      N_("Once your part is done, take units whose claim by others expired"), NULL },
    { NULL }
  };
  g_autoptr(MdReviewStore) review = NULL;
  g_autoptr(MdTeam) team = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdTeamUnit) unit = NULL;
  g_autoptr(cJSON) root = cJSON_CreateObject ();

  if (!parse (&argc, &argv, "NAME",
              _("Claim the next unit of your part of an assignment that you have not reviewed."),
              entries))
    return MD_CLI_EXIT_FAILED;
  if (argc != 2 || ttl_minutes < 0)
    {
      md_cli_printerr (_("usage: team next NAME [--ttl MIN] [--take-abandoned]"));
      return MD_CLI_EXIT_FAILED;
    }
  if ((team = open_team (&review)) == NULL)
    return MD_CLI_EXIT_FAILED;
  if (!md_team_next (team, argv[1], md_review_store_get_reviewer (review),
                     (guint) ttl_minutes * 60, take_abandoned, &unit, &error) &&
      error != NULL)
    return fail (error);
  if (opt_json)
    {
      cJSON_AddBoolToObject (root, "done", unit == NULL);
      if (unit != NULL)
        {
          cJSON_AddStringToObject (root, "dataset", unit->dataset);
          cJSON_AddStringToObject (root, "id", unit->pair_id);
          cJSON_AddStringToObject (root, "lang", unit->lang);
          cJSON_AddNumberToObject (root, "position", unit->position);
        }
      return print_json (root);
    }
  if (unit == NULL)
    printf (_("nothing left in %s for %s\n"), argv[1], md_review_store_get_reviewer (review));
  else
    printf ("%s\t%s%s%s\n", unit->dataset, unit->pair_id, *unit->lang != '\0' ? "\t" : "",
            unit->lang);
  return MD_CLI_EXIT_OK;
}

/* review agreement */

static void
add_number_or_null (cJSON      *object,
                    const char *name,
                    double      value)
{
  if (isnan (value))
    cJSON_AddNullToObject (object, name);
  else
    cJSON_AddNumberToObject (object, name, value);
}

static char *
format_ratio (double value)
{
  return isnan (value) ? g_strdup ("-") : g_strdup_printf ("%.3f", value);
}

static void reset_options (void);

static int
agreement (int    argc,
           char **argv)
{
  g_autoptr(MdReviewStore) review = NULL;
  g_autoptr(MdTeam) team = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(cJSON) root = cJSON_CreateArray ();

  if (!parse (&argc, &argv, NULL,
              _("Agreement between reviewers on the pairs several of them judged: percent "
                "agreement, Cohen's kappa (two reviewers) and Krippendorff's alpha (nominal), "
                "per dataset and language."), NULL))
    return MD_CLI_EXIT_FAILED;
  if ((team = open_team (&review)) == NULL)
    return MD_CLI_EXIT_FAILED;
  rows = md_review_store_get_agreement (review, &error);
  if (rows == NULL)
    return fail (error);
  if (!opt_json)
    printf ("%-10s %-6s %7s %7s %8s %7s %7s\n", _("dataset"), _("lang"), _("units"),
            _("raters"), _("percent"), _("kappa"), _("alpha"));
  for (guint i = 0; i < rows->len; i++)
    {
      const MdAgreement *row = rows->pdata[i];

      if (opt_json)
        {
          cJSON *item = cJSON_CreateObject ();

          add_nullable (item, "dataset", row->dataset);
          add_nullable (item, "lang", row->lang);
          cJSON_AddNumberToObject (item, "units", row->n_units);
          cJSON_AddNumberToObject (item, "ratings", row->n_ratings);
          cJSON_AddNumberToObject (item, "raters", row->n_raters);
          add_number_or_null (item, "percent", row->percent);
          add_number_or_null (item, "kappa", row->kappa);
          add_number_or_null (item, "alpha", row->alpha);
          cJSON_AddItemToArray (root, item);
        }
      else
        {
          g_autofree char *percent = format_ratio (row->percent);
          g_autofree char *kappa = format_ratio (row->kappa);
          g_autofree char *alpha = format_ratio (row->alpha);

          printf ("%-10s %-6s %7u %7u %8s %7s %7s\n",
                  row->dataset != NULL ? row->dataset : _("all"),
                  row->lang == NULL ? _("all") : *row->lang == '\0' ? _("pair") : row->lang,
                  row->n_units, row->n_raters, percent, kappa, alpha);
        }
    }
  if (opt_json)
    print_json (root);
  return MD_CLI_EXIT_OK;
}

int
md_cli_review_agreement (int    argc,
                         char **argv)
{
  int status = agreement (argc, argv);

  reset_options ();
  return status;
}

static const MdCliSubcommand subcommands[] = {
  { "connect", team_connect, N_("Share the review file through a PostgreSQL server") },
  { "disconnect", team_disconnect, N_("Stop sharing the review file") },
  { "status", team_status, N_("Server, queue and sync position") },
  { "sync", team_sync, N_("Push queued actions and pull the others'") },
  { "conflicts", team_conflicts, N_("Changes made without seeing each other's") },
  { "run", team_run, N_("Run review actions from a script, syncing as it goes") },
  { "assign", team_assign, N_("Split a sample or a list of pairs among reviewers") },
  { "next", team_next, N_("Claim the next unreviewed unit of your assignment") },
};

static void
reset_options (void)
{
  g_clear_pointer (&opt_db, g_free);
  g_clear_pointer (&opt_review, g_free);
  g_clear_pointer (&opt_reviewer, g_free);
  opt_json = FALSE;
}

int
md_cli_team (int    argc,
             char **argv)
{
  return md_cli_dispatch ("team", subcommands, G_N_ELEMENTS (subcommands), reset_options, argc,
                          argv);
}
