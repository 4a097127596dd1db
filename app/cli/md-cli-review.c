/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk-cli"

#include "config.h"

#include <cJSON.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "md-cli.h"
#include "md-diff.h"
#include "md-review-merge.h"
#include "md-review-sample.h"
#include "md-review-store.h"
#include "md-store.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cJSON, cJSON_Delete)

/* Options every review subcommand takes. */
static char *opt_db;
static char *opt_review;
static char *opt_dataset;
static char *opt_reviewer;

static const GOptionEntry common_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, &opt_db, N_("Index file"), N_("FILE") },
  { "review", 0, 0, G_OPTION_ARG_FILENAME, &opt_review,
    N_("Review file (default: the index path + .review.sqlite)"), N_("FILE") },
  { "dataset", 0, 0, G_OPTION_ARG_STRING, &opt_dataset,
    N_("Dataset of the pair (default: the id's prefix before _INS_)"), N_("CODE") },
  { "reviewer", 0, 0, G_OPTION_ARG_STRING, &opt_reviewer,
    N_("Name recorded as author (default: the user name)"), N_("NAME") },
  { NULL }
};

static void
reset_common_options (void)
{
  g_clear_pointer (&opt_db, g_free);
  g_clear_pointer (&opt_review, g_free);
  g_clear_pointer (&opt_dataset, g_free);
  g_clear_pointer (&opt_reviewer, g_free);
}

/* Parses the subcommand's options; @argv[0] is the subcommand's name. */
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

static MdReviewStore *
open_review (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = opt_db != NULL ? g_strdup (opt_db) : md_cli_default_db_path ();
  g_autofree char *path = opt_review != NULL ? g_strdup (opt_review)
                                             : md_review_store_default_path (db);
  g_autofree char *dir = g_path_get_dirname (path);
  MdReviewStore *store;

  if (!md_cli_check_file (path, TRUE))
    return NULL;
  g_mkdir_with_parents (dir, 0700);
  store = md_review_store_open (path, &error);
  if (store == NULL)
    {
      md_cli_printerr ("%s", error->message);
      return NULL;
    }
  if (opt_reviewer != NULL)
    md_review_store_set_reviewer (store, opt_reviewer);
  return store;
}

/* The index, when there is one: --db, else the default index if it exists. Without one the
 * review commands still work from the id alone (a review file can be kept without its index). */
static MdStore *
open_index (gboolean *out_failed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = opt_db != NULL ? g_strdup (opt_db) : md_cli_default_db_path ();
  MdStore *store;

  *out_failed = FALSE;
  if (opt_db != NULL && !md_cli_check_file (db, FALSE))
    {
      *out_failed = TRUE;
      return NULL;
    }
  if (!g_file_test (db, G_FILE_TEST_IS_REGULAR))
    {
      if (opt_db != NULL)
        {
          md_cli_printerr (_("%s: no index there; expected a file made by “store import”"), db);
          *out_failed = TRUE;
        }
      return NULL;
    }
  store = md_store_open (db, &error);
  if (store == NULL)
    {
      md_cli_printerr ("%s", error->message);
      *out_failed = TRUE;
    }
  return store;
}

/* The pair's dataset, looked up in the index (an id the index does not hold is an error); with
 * no index, from --dataset or the id's prefix, and the user is told so. *out_pair (optional)
 * receives the pair as the index holds it, NULL without an index. */
static char *
resolve_pair (const char  *pair_id,
              MdPair     **out_pair)
{
  g_autoptr(MdStore) index = NULL;
  const char *ins;
  gboolean failed;

  if (out_pair != NULL)
    *out_pair = NULL;
  index = open_index (&failed);
  if (failed)
    return NULL;
  if (index != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MdPair) pair = md_store_get_pair (index, pair_id, &error);

      if (pair == NULL)
        {
          md_cli_printerr (_("%s: pair “%s” is not in the index (%s)"), md_store_get_path (index),
                           pair_id, error->message);
          return NULL;
        }
      if (opt_dataset != NULL && strcmp (opt_dataset, md_pair_get_dataset (pair)) != 0)
        {
          md_cli_printerr (_("%s: pair “%s” belongs to dataset “%s”, not “%s”"),
                           md_store_get_path (index), pair_id, md_pair_get_dataset (pair),
                           opt_dataset);
          return NULL;
        }
      if (out_pair != NULL)
        *out_pair = g_object_ref (pair);
      return g_strdup (md_pair_get_dataset (pair));
    }

  if (opt_dataset != NULL)
    return g_strdup (opt_dataset);
  ins = strstr (pair_id, "_INS_");
  if (ins == NULL || ins == pair_id)
    {
      md_cli_printerr (_("cannot tell the dataset of “%s”: expected an id like DC_INS_00001 "
                         "or --dataset"), pair_id);
      return NULL;
    }
  md_cli_printerr (_("note: dataset “%.*s” taken from the id (there is no index to consult)"),
                   (int) (ins - pair_id), pair_id);
  return g_strndup (pair_id, ins - pair_id);
}

static char *
resolve_dataset (const char *pair_id)
{
  return resolve_pair (pair_id, NULL);
}

static char *
format_time (gint64 usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("?");
}

static int
print_json (cJSON *root)
{
  md_cli_print_json (root);
  return MD_CLI_EXIT_OK;
}

/* review set */

static int
review_set (int    argc,
            char **argv)
{
  g_autofree char *lang = NULL;
  g_autofree char *status_name = NULL;
  g_auto(GStrv) reasons = NULL;
  g_autofree char *note = NULL;
  const GOptionEntry entries[] = {
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang, N_("Language (default: the whole pair)"), N_("CODE") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status_name,
      N_("approved, flagged, rejected, fixed or unreviewed"), N_("STATUS") },
    { "reason", 0, 0, G_OPTION_ARG_STRING_ARRAY, &reasons, N_("Reason tag (repeatable)"), N_("TAG") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("Free-text note"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(MdReviewStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dataset = NULL;
  MdReviewStatus status;
  gint64 action;

  if (!parse (&argc, &argv, "ID", _("Set the review status of a pair or of one language."),
              entries))
    return MD_CLI_EXIT_FAILED;
  if (argc != 2 || status_name == NULL)
    {
      md_cli_printerr (_("usage: review set ID [--lang L] --status S [--reason R]… [--note TEXT]"));
      return MD_CLI_EXIT_FAILED;
    }
  if (!md_review_status_from_name (status_name, &status))
    {
      md_cli_printerr (_("unknown status “%s”: expected approved, flagged, rejected, fixed or "
                         "unreviewed"), status_name);
      return MD_CLI_EXIT_FAILED;
    }
  dataset = resolve_dataset (argv[1]);
  if (dataset == NULL || (store = open_review ()) == NULL)
    return MD_CLI_EXIT_FAILED;

  action = md_review_store_set_status (store, dataset, argv[1], lang, status,
                                       (const char * const *) reasons, note, &error);
  if (action < 0)
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }
  if (action == 0)
    printf (_("%s: nothing changed\n"), argv[1]);
  else
    printf (_("action %" G_GINT64_FORMAT ": %s%s%s %s\n"), action, argv[1],
            lang != NULL ? " " : "", lang != NULL ? lang : "", md_review_status_name (status));
  return MD_CLI_EXIT_OK;
}

/* review edit */

static int
review_edit (int    argc,
             char **argv)
{
  g_autofree char *lang_code = NULL;
  g_autofree char *field_name = NULL;
  g_autofree char *text = NULL;
  const GOptionEntry entries[] = {
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang_code, N_("Language"), N_("CODE") },
    { "field", 0, 0, G_OPTION_ARG_STRING, &field_name, N_("instruction or answer"), N_("FIELD") },
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, N_("The new text"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(MdReviewStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dataset = NULL;
  g_autoptr(MdPair) pair = NULL;
  MdLanguage lang;
  MdField field;
  gint64 action;

  if (!parse (&argc, &argv, "ID", _("Revise the instruction or answer of a pair in one language."),
              entries))
    return MD_CLI_EXIT_FAILED;
  if (argc != 2 || lang_code == NULL || field_name == NULL || text == NULL)
    {
      md_cli_printerr (_("usage: review edit ID --lang L --field instruction|answer --text TEXT"));
      return MD_CLI_EXIT_FAILED;
    }
  if (!md_language_from_code (lang_code, &lang))
    {
      md_cli_printerr (_("unknown language “%s”: expected en, zh, es, ja, de, fr, ko or ar"),
                       lang_code);
      return MD_CLI_EXIT_FAILED;
    }
  if (!md_field_from_name (field_name, &field))
    {
      md_cli_printerr (_("unknown field “%s”: expected instruction or answer"), field_name);
      return MD_CLI_EXIT_FAILED;
    }
  dataset = resolve_pair (argv[1], &pair);
  if (dataset == NULL || (store = open_review ()) == NULL)
    return MD_CLI_EXIT_FAILED;

  /* The shard's text is the old value of the first revision; without an index it is unknown. */
  action = md_review_store_edit_text (store, dataset, argv[1], lang, field,
                                      pair != NULL ? md_pair_get_text (pair, lang, field) : NULL,
                                      text, NULL, MD_REVIEW_AUTHOR_PERSON, &error);
  if (action < 0)
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }
  if (action == 0)
    printf (_("%s: nothing changed\n"), argv[1]);
  else
    printf (_("action %" G_GINT64_FORMAT ": %s %s %s revised\n"), action, argv[1],
            md_language_code (lang), md_field_name (field));
  return MD_CLI_EXIT_OK;
}

/* review undo / redo */

static int
review_replay (int      argc,
               char   **argv,
               gboolean is_undo)
{
  g_autoptr(MdReviewStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *latest_author = NULL;
  const char *me;
  gint64 action, target = 0, latest;

  if (!parse (&argc, &argv, NULL, is_undo ? _("Undo your own latest action (--reviewer).")
                                          : _("Redo your own latest undone action."), NULL))
    return MD_CLI_EXIT_FAILED;
  if ((store = open_review ()) == NULL)
    return MD_CLI_EXIT_FAILED;
  me = md_review_store_get_reviewer (store);
  latest = md_review_store_get_latest_action (store, &latest_author, &error);
  if (latest >= 0)
    action = is_undo ? md_review_store_undo (store, me, &target, &error)
                     : md_review_store_redo (store, me, &target, &error);
  else
    action = -1;
  if (action < 0)
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }
  /* Only the reviewer's own actions are undone: say so when the latest one is someone else's. */
  if (latest > 0 && g_strcmp0 (latest_author, me) != 0)
    md_cli_printerr (_("note: the latest action (%" G_GINT64_FORMAT ") is %s's, not %s's; "
                       "only %s's own actions are %s (pass --reviewer to act as another)"),
                     latest, latest_author, me, me, is_undo ? _("undone") : _("redone"));
  if (action == 0)
    printf (is_undo ? _("nothing of %s's to undo\n") : _("nothing of %s's to redo\n"), me);
  else if (is_undo)
    printf (_("action %" G_GINT64_FORMAT ": undid action %" G_GINT64_FORMAT " of %s\n"), action,
            target, me);
  else
    printf (_("action %" G_GINT64_FORMAT ": redid action %" G_GINT64_FORMAT " of %s\n"), action,
            target, me);
  return MD_CLI_EXIT_OK;
}

/* review log */

static int
review_log (int    argc,
            char **argv)
{
  g_autoptr(MdReviewStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *dataset = NULL;

  if (!parse (&argc, &argv, "ID", _("Show every change of a pair, with word diffs of edits."),
              NULL))
    return MD_CLI_EXIT_FAILED;
  if (argc != 2)
    {
      md_cli_printerr (_("usage: review log ID"));
      return MD_CLI_EXIT_FAILED;
    }
  dataset = resolve_dataset (argv[1]);
  if (dataset == NULL || (store = open_review ()) == NULL)
    return MD_CLI_EXIT_FAILED;
  entries = md_review_store_get_log (store, dataset, argv[1], &error);
  if (entries == NULL)
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      const MdReviewEntry *entry = entries->pdata[i];
      g_autofree char *when = format_time (entry->created_at);
      g_autofree char *author = md_cli_safe_line (entry->author);
      MdField field;

      printf ("#%" G_GINT64_FORMAT " action %" G_GINT64_FORMAT " (%s) %s %s (%s) %s %s\n",
              entry->seq, entry->action, entry->action_kind, when, author,
              md_review_author_kind_name (entry->author_kind),
              *entry->lang != '\0' ? entry->lang : _("pair"), entry->field);
      if (md_field_from_name (entry->field, &field))
        {
          g_autoptr(GPtrArray) segments = md_diff_texts (entry->old_value, entry->new_value);
          g_autofree char *plain = md_diff_format_plain (segments);
          g_autofree char *diff = md_cli_safe (plain);

          if (entry->old_value == NULL)
            printf ("    %s\n", _("(was the shard's text)"));
          if (entry->new_value == NULL)
            printf ("    %s\n", _("(back to the shard's text)"));
          printf ("    %s\n", diff);
        }
      else
        {
          g_autofree char *old_value = g_strdup (entry->old_value != NULL ? entry->old_value : "-");
          g_autofree char *new_value = g_strdup (entry->new_value != NULL ? entry->new_value : "-");
          g_autofree char *safe_old = NULL, *safe_new = NULL;

          g_strdelimit (old_value, "\n", ',');
          g_strdelimit (new_value, "\n", ',');
          safe_old = md_cli_safe_line (old_value);
          safe_new = md_cli_safe_line (new_value);
          printf ("    %s → %s\n", safe_old, safe_new);
        }
    }
  return MD_CLI_EXIT_OK;
}

/* review stats */

static gboolean
index_has_pair (const char *dataset,
                const char *pair_id,
                gpointer    user_data)
{
  return md_store_has_pair (user_data, dataset, pair_id);
}

static int
review_stats (int    argc,
              char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(MdReviewStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) orphans = NULL;
  g_autoptr(cJSON) root = NULL;
  g_autoptr(MdStore) index = NULL;
  gboolean failed;

  if (!parse (&argc, &argv, NULL, _("Review progress per dataset and language."), entries))
    return MD_CLI_EXIT_FAILED;
  if ((index = open_index (&failed)) == NULL && failed)
    return MD_CLI_EXIT_FAILED;
  if ((store = open_review ()) == NULL)
    return MD_CLI_EXIT_FAILED;
  rows = md_review_store_get_progress (store, &error);
  if (rows == NULL)
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }

  if (!json)
    printf ("%-12s %-5s %9s %9s %9s %9s %9s %9s\n", _("dataset"), _("lang"), _("reviewed"),
            _("approved"), _("flagged"), _("rejected"), _("fixed"), _("edited"));
  root = cJSON_CreateArray ();
  for (guint i = 0; i < rows->len; i++)
    {
      const MdReviewProgress *row = rows->pdata[i];
      cJSON *item;

      if (!json)
        {
          g_autofree char *dataset = md_cli_safe_line (row->dataset);

          printf ("%-12s %-5s %9u %9u %9u %9u %9u %9u\n", dataset,
                  *row->lang != '\0' ? row->lang : "-", row->n_reviewed, row->n_approved,
                  row->n_flagged, row->n_rejected, row->n_fixed, row->n_edited);
          continue;
        }
      item = cJSON_CreateObject ();
      cJSON_AddStringToObject (item, "dataset", row->dataset);
      cJSON_AddStringToObject (item, "lang", row->lang);
      cJSON_AddNumberToObject (item, "reviewed", row->n_reviewed);
      cJSON_AddNumberToObject (item, "approved", row->n_approved);
      cJSON_AddNumberToObject (item, "flagged", row->n_flagged);
      cJSON_AddNumberToObject (item, "rejected", row->n_rejected);
      cJSON_AddNumberToObject (item, "fixed", row->n_fixed);
      cJSON_AddNumberToObject (item, "edited", row->n_edited);
      cJSON_AddItemToArray (root, item);
    }

  /* Reviews of pairs whose id left its shard are kept; say which they are. */
  if (index != NULL)
    {
      orphans = md_review_store_list_orphans (store, index_has_pair, index, &error);
      if (orphans == NULL)
        {
          md_cli_printerr ("%s", error->message);
          return MD_CLI_EXIT_FAILED;
        }
      for (guint i = 0; i < orphans->len; i++)
        {
          const MdReviewRef *ref = orphans->pdata[i];

          md_cli_printerr (_("%s %s: reviewed, but no longer in the index"), ref->dataset,
                           ref->pair_id);
        }
    }
  return json ? print_json (root) : MD_CLI_EXIT_OK;
}

/* review sample */

/* Population from a file of ids, one per line ("ID" or "DATASET<TAB>ID"). */
gboolean
md_cli_read_population (const char  *path,
                        GPtrArray   *datasets,
                        GPtrArray   *ids)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint offset = 0;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      md_cli_printerr ("%s", error->message);
      return FALSE;
    }
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; offset += strlen (lines[i]) + 1, i++)
    {
      char *line = g_strstrip (lines[i]);
      char *tab = strchr (line, '\t');
      const char *ins;

      if (*line == '\0')
        continue;
      if (tab != NULL)
        {
          g_ptr_array_add (datasets, g_strndup (line, tab - line));
          g_ptr_array_add (ids, g_strdup (tab + 1));
          continue;
        }
      ins = strstr (line, "_INS_");
      if (ins == NULL || ins == line)
        {
          md_cli_printerr (_("%s:%u (byte %u): expected an id like DC_INS_00001 or "
                             "DATASET<TAB>ID"), path, i + 1, offset);
          return FALSE;
        }
      g_ptr_array_add (datasets, g_strndup (line, ins - line));
      g_ptr_array_add (ids, g_strdup (line));
    }
  return TRUE;
}

static int
review_sample (int    argc,
               char **argv)
{
  int size = 0;
  gint64 seed = 0;
  g_autofree char *by = NULL;
  g_autofree char *name = NULL;
  g_autofree char *ids_path = NULL;
  gboolean fixed = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "size", 0, 0, G_OPTION_ARG_INT, &size, N_("Sample size (per stratum with --fixed)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Random seed"), N_("S") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, N_("Strata: dataset or language"), N_("STRATA") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Save the sample under this name"), N_("NAME") },
    { "ids", 0, 0, G_OPTION_ARG_FILENAME, &ids_path,
      N_("Population: a file of pair ids (default: every pair of the index)"), N_("FILE") },
    { "fixed", 0, 0, G_OPTION_ARG_NONE, &fixed, N_("Draw N per stratum instead of N in all"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(MdReviewStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) datasets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) units = g_array_new (FALSE, FALSE, sizeof (MdSampleUnit));
  g_autoptr(GArray) languages = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(MdStore) index = NULL;
  gboolean failed;
  g_autoptr(MdSample) sample = NULL;
  g_autoptr(cJSON) root = NULL;
  MdSampleStrata strata = MD_SAMPLE_BY_DATASET;

  if (!parse (&argc, &argv, NULL, _("Draw a reproducible, stratified audit sample."), entries))
    return MD_CLI_EXIT_FAILED;
  if (argc != 1 || size <= 0)
    {
      md_cli_printerr (_("usage: review sample --size N --seed S [--by dataset|language] "
                         "[--name NAME] [--ids FILE]"));
      return MD_CLI_EXIT_FAILED;
    }
  if (by != NULL && !md_sample_strata_from_name (by, &strata))
    {
      md_cli_printerr (_("unknown strata “%s”: expected dataset or language"), by);
      return MD_CLI_EXIT_FAILED;
    }
  if ((store = open_review ()) == NULL)
    return MD_CLI_EXIT_FAILED;

  if (ids_path != NULL)
    {
      if (!md_cli_read_population (ids_path, datasets, ids))
        return MD_CLI_EXIT_FAILED;
    }
  else if ((index = open_index (&failed)) != NULL)
    {
      /* Every pair of the index, drawn by the store as the window draws it. */
      sample = md_review_sample_draw (index, (guint64) seed, size, strata,
                                      fixed ? MD_SAMPLE_FIXED : MD_SAMPLE_PROPORTIONAL, NULL,
                                      &error);
      if (sample == NULL)
        {
          md_cli_printerr ("%s", error->message);
          return MD_CLI_EXIT_FAILED;
        }
    }
  else if (failed)
    return MD_CLI_EXIT_FAILED;
  else
    {
      MdReviewFilter filter = MD_REVIEW_FILTER_INIT;
      g_autoptr(GPtrArray) refs = md_review_store_find (store, &filter, &error);

      if (refs == NULL)
        {
          md_cli_printerr ("%s", error->message);
          return MD_CLI_EXIT_FAILED;
        }
      md_cli_printerr (_("note: there is no index; the population is the %u pairs of the "
                         "review file (pass --db FILE or --ids FILE for another)"), refs->len);
      for (guint i = 0; i < refs->len; i++)
        {
          MdReviewRef *ref = refs->pdata[i];
          guint all = (1u << MD_N_LANGUAGES) - 1;

          g_ptr_array_add (datasets, g_strdup (ref->dataset));
          g_ptr_array_add (ids, g_strdup (ref->pair_id));
          g_array_append_val (languages, all);
        }
    }

  for (guint i = 0; sample == NULL && i < ids->len; i++)
    {
      MdSampleUnit unit = { datasets->pdata[i], ids->pdata[i], "" };
      guint present = i < languages->len ? g_array_index (languages, guint, i)
                                         : (1u << MD_N_LANGUAGES) - 1;

      if (strata == MD_SAMPLE_BY_DATASET)
        g_array_append_val (units, unit);
      else
        /* A language the pair lacks has nothing to review. */
        for (guint lang = 0; lang < MD_N_LANGUAGES; lang++)
          if (present & (1u << lang))
            {
              unit.lang = md_language_code (lang);
              g_array_append_val (units, unit);
            }
    }

  if (sample == NULL)
    sample = md_sample_draw ((const MdSampleUnit *) (gpointer) units->data, units->len,
                             (guint64) seed, size, strata,
                             fixed ? MD_SAMPLE_FIXED : MD_SAMPLE_PROPORTIONAL);
  if (name != NULL && !md_review_store_save_sample (store, name, sample, &error))
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }

  root = cJSON_CreateArray ();
  for (guint i = 0; i < sample->members->len; i++)
    {
      const MdSampleMember *member = sample->members->pdata[i];

      if (json)
        {
          cJSON *item = cJSON_CreateObject ();

          cJSON_AddStringToObject (item, "stratum", member->stratum);
          cJSON_AddStringToObject (item, "dataset", member->dataset);
          cJSON_AddStringToObject (item, "id", member->pair_id);
          cJSON_AddStringToObject (item, "lang", member->lang);
          cJSON_AddItemToArray (root, item);
        }
      else
        {
          g_autofree char *stratum = md_cli_safe_line (member->stratum);
          g_autofree char *id = md_cli_safe_line (member->pair_id);

          printf ("%s\t%s%s%s\n", stratum, id, *member->lang ? "\t" : "", member->lang);
        }
    }
  if (json)
    return print_json (root);
  if (name != NULL)
    fprintf (stderr, _("saved sample “%s”: %u members in %u strata\n"), name,
             sample->members->len, sample->strata->len);
  return MD_CLI_EXIT_OK;
}

/* review sample-stats */

static cJSON *
estimate_to_json (const MdSampleEstimate *e)
{
  cJSON *item = cJSON_CreateObject ();

  if (e->stratum != NULL)
    cJSON_AddStringToObject (item, "stratum", e->stratum);
  cJSON_AddNumberToObject (item, "population", e->population);
  cJSON_AddNumberToObject (item, "members", e->n_members);
  cJSON_AddNumberToObject (item, "reviewed", e->n_reviewed);
  cJSON_AddNumberToObject (item, "errors", e->n_errors);
  if (isnan (e->rate))
    {
      cJSON_AddNullToObject (item, "error_rate");
      cJSON_AddNullToObject (item, "ci_low");
      cJSON_AddNullToObject (item, "ci_high");
    }
  else
    {
      cJSON_AddNumberToObject (item, "error_rate", e->rate);
      cJSON_AddNumberToObject (item, "ci_low", e->low);
      cJSON_AddNumberToObject (item, "ci_high", e->high);
    }
  return item;
}

static void
print_estimate (const char             *label,
                const MdSampleEstimate *e)
{
  if (isnan (e->rate))
    printf ("%-16s %10" G_GUINT64_FORMAT " %8u %8u %7u %8s\n", label, e->population, e->n_members,
            e->n_reviewed, e->n_errors, "-");
  else
    printf ("%-16s %10" G_GUINT64_FORMAT " %8u %8u %7u %7.2f%%  [%.2f%%, %.2f%%]\n", label,
            e->population, e->n_members, e->n_reviewed, e->n_errors, 100 * e->rate,
            100 * e->low, 100 * e->high);
}

static int
review_sample_stats (int    argc,
                     char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(MdReviewStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) estimates = NULL;
  g_autoptr(MdSampleEstimate) overall = NULL;

  if (!parse (&argc, &argv, "NAME",
              _("Error rate (flagged or rejected) of a saved sample with 95% Wilson intervals."),
              entries))
    return MD_CLI_EXIT_FAILED;
  if (argc != 2)
    {
      md_cli_printerr (_("usage: review sample-stats NAME [--json]"));
      return MD_CLI_EXIT_FAILED;
    }
  if ((store = open_review ()) == NULL)
    return MD_CLI_EXIT_FAILED;
  estimates = md_review_store_sample_stats (store, argv[1], 1.96, &overall, &error);
  if (estimates == NULL)
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }

  if (json)
    {
      g_autoptr(cJSON) root = cJSON_CreateObject ();
      cJSON *strata = cJSON_AddArrayToObject (root, "strata");

      cJSON_AddStringToObject (root, "sample", argv[1]);
      cJSON_AddNumberToObject (root, "z", 1.96);
      for (guint i = 0; i < estimates->len; i++)
        cJSON_AddItemToArray (strata, estimate_to_json (estimates->pdata[i]));
      cJSON_AddItemToObject (root, "overall", estimate_to_json (overall));
      return print_json (root);
    }

  printf ("%-16s %10s %8s %8s %7s %8s\n", _("stratum"), _("population"), _("members"),
          _("reviewed"), _("errors"), _("rate [95% CI]"));
  for (guint i = 0; i < estimates->len; i++)
    {
      const MdSampleEstimate *e = estimates->pdata[i];
      print_estimate (e->stratum, e);
    }
  print_estimate (_("overall"), overall);
  return MD_CLI_EXIT_OK;
}

/* review export-log / import-log */

static int
review_export_log (int    argc,
                   char **argv)
{
  g_autoptr(MdReviewStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse (&argc, &argv, "FILE.jsonl", _("Write the review log as JSON lines."), NULL))
    return MD_CLI_EXIT_FAILED;
  if (argc != 2)
    {
      md_cli_printerr (_("usage: review export-log FILE.jsonl"));
      return MD_CLI_EXIT_FAILED;
    }
  if ((store = open_review ()) == NULL)
    return MD_CLI_EXIT_FAILED;
  if (!md_review_store_export_log (store, argv[1], &error))
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }
  return MD_CLI_EXIT_OK;
}

static int
review_import_log (int    argc,
                   char **argv)
{
  g_autoptr(MdReviewStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdReviewMergeReport) report = NULL;

  if (!parse (&argc, &argv, "FILE.jsonl",
              _("Merge another reviewer's log; the later change wins per field."), NULL))
    return MD_CLI_EXIT_FAILED;
  if (argc != 2)
    {
      md_cli_printerr (_("usage: review import-log FILE.jsonl"));
      return MD_CLI_EXIT_FAILED;
    }
  if ((store = open_review ()) == NULL)
    return MD_CLI_EXIT_FAILED;
  report = md_review_store_import_log (store, argv[1], &error);
  if (report == NULL)
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }

  printf (_("read %u entries: %u new (%u applied, %u older than ours), %u already known\n"),
          report->n_lines - report->errors->len - report->n_errors_dropped, report->n_new,
          report->n_applied, report->n_superseded, report->n_duplicates);
  if (report->n_future > 0)
    printf (_("%u entries refused: their time is in the future (more than %d minutes ahead of "
              "this clock)\n"), report->n_future,
            (int) (MD_REVIEW_LOG_MAX_SKEW / G_USEC_PER_SEC / 60));
  printf (_("%u conflicts\n"), report->conflicts->len);
  for (guint i = 0; i < report->conflicts->len; i++)
    {
      const MdReviewConflict *c = report->conflicts->pdata[i];
      g_autofree char *local_time = format_time (c->local_time);
      g_autofree char *remote_time = format_time (c->remote_time);
      g_autofree char *line = g_strdup_printf (
        _("conflict %s %s %s %s: ours “%s” (%s, %s), theirs “%s” (%s, %s): %s wins"),
        c->dataset, c->pair_id, *c->lang != '\0' ? c->lang : _("pair"), c->field,
        c->local_value != NULL ? c->local_value : "-", c->local_author, local_time,
        c->remote_value != NULL ? c->remote_value : "-", c->remote_author, remote_time,
        c->remote_wins ? _("theirs") : _("ours"));
      g_autofree char *safe = md_cli_safe_line (line);

      printf ("%s\n", safe);
    }
  for (guint i = 0; i < report->errors->len; i++)
    md_cli_printerr ("%s", (const char *) report->errors->pdata[i]);
  if (report->n_errors_dropped > 0)
    md_cli_printerr (_("… and %u more refused lines"), report->n_errors_dropped);
  return report->errors->len > 0 ? MD_CLI_EXIT_PARTIAL : MD_CLI_EXIT_OK;
}

static int
review_undo (int argc, char **argv)
{
  return review_replay (argc, argv, TRUE);
}

static int
review_redo (int argc, char **argv)
{
  return review_replay (argc, argv, FALSE);
}

static const struct {
  const char       *name;
  MdCliCommandFunc  func;
  const char       *summary;
} subcommands[] = {
  { "set", review_set, N_("Set the status, reasons and note of a pair or language") },
  { "edit", review_edit, N_("Revise an instruction or answer") },
  { "undo", review_undo, N_("Undo your own latest action") },
  { "redo", review_redo, N_("Redo your own latest undone action") },
  { "log", review_log, N_("Show a pair's history with word diffs") },
  { "stats", review_stats, N_("Progress per dataset and language") },
  { "sample", review_sample, N_("Draw a reproducible audit sample") },
  { "sample-stats", review_sample_stats, N_("Error rate of a sample with Wilson intervals") },
  { "export-log", review_export_log, N_("Write the review log as JSON lines") },
  { "import-log", review_import_log, N_("Merge another reviewer's log") },
  { "agreement", md_cli_review_agreement, N_("Agreement between reviewers (kappa, alpha)") },
};

int
md_cli_review (int    argc,
               char **argv)
{
  if (argc >= 2)
    {
      for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
        {
          if (strcmp (argv[1], subcommands[i].name) == 0)
            {
              int status = subcommands[i].func (argc - 1, argv + 1);

              reset_common_options ();
              return status;
            }
        }
      if (strcmp (argv[1], "--help") != 0 && strcmp (argv[1], "-h") != 0)
        md_cli_printerr (_("unknown review command “%s”"), argv[1]);
    }

  fprintf (stderr, _("Usage: %s review COMMAND [OPTION…]\n\n"), "mimicdesk-cli");
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    fprintf (stderr, "  %-13s %s\n", subcommands[i].name, _(subcommands[i].summary));
  fprintf (stderr, "\n%s\n", _("Every command takes --db FILE and --review FILE."));
  return argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
           ? MD_CLI_EXIT_OK : MD_CLI_EXIT_FAILED;
}
