/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk-cli"

#include "config.h"

#include <cJSON.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "md-cli.h"
#include "md-review-store.h"
#include "md-store.h"

/* show: one pair as it stands now, the way the window and the export see it (edits and
 * accepted generations applied, each field with its revision, each language with its review),
 * or as the shard has it with --original. */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cJSON, cJSON_Delete)

typedef struct
{
  MdPair        *pair;
  MdReviewStore *review;     /* NULL: no review file yet, or --original */
  gboolean       original;
} Show;

static cJSON *
strv_to_json (const char * const *strv)
{
  cJSON *array = cJSON_CreateArray ();

  for (guint i = 0; strv[i] != NULL; i++)
    cJSON_AddItemToArray (array, cJSON_CreateString (strv[i]));
  return array;
}

static cJSON *
nullable_string (const char *text)
{
  return text != NULL ? cJSON_CreateString (text) : cJSON_CreateNull ();
}

/* The field as it stands: its text (owned by @out_text's caller) and revision (NULL with
 * --original or without a review file). */
static gboolean
current_field (Show               *show,
               MdLanguage          lang,
               MdField             field,
               char              **out_text,
               MdReviewRevision  **out_revision)
{
  g_autoptr(GError) error = NULL;
  const char *shard = md_pair_get_text (show->pair, lang, field);
  MdReviewRevision *revision;

  *out_revision = NULL;
  if (show->review == NULL)
    {
      *out_text = g_strdup (shard);
      return TRUE;
    }
  revision = md_review_store_get_revision (show->review, md_pair_get_dataset (show->pair),
                                           md_pair_get_id (show->pair), lang, field, &error);
  if (revision == NULL)
    {
      md_cli_printerr ("%s", error->message);
      return FALSE;
    }
  *out_text = g_strdup (revision->text != NULL ? revision->text : shard);
  *out_revision = revision;
  return TRUE;
}

static MdReviewState *
get_state (Show       *show,
           const char *lang)
{
  g_autoptr(GError) error = NULL;
  MdReviewState *state;

  if (show->review == NULL)
    return NULL;
  state = md_review_store_get_state (show->review, md_pair_get_dataset (show->pair),
                                     md_pair_get_id (show->pair), lang, &error);
  if (state == NULL)
    md_cli_printerr ("%s", error->message);
  return state;
}

static cJSON *
state_to_json (const MdReviewState *state)
{
  cJSON *item = cJSON_CreateObject ();

  cJSON_AddStringToObject (item, "status", md_review_status_name (state->status));
  cJSON_AddItemToObject (item, "reasons", strv_to_json ((const char * const *) state->reasons));
  cJSON_AddItemToObject (item, "note", nullable_string (state->note));
  cJSON_AddItemToObject (item, "reviewer", nullable_string (state->reviewer));
  return item;
}

static char *
describe_state (const MdReviewState *state)
{
  GString *text = g_string_new (md_review_status_name (state->status));

  if (state->reasons[0] != NULL)
    {
      g_autofree char *reasons = g_strjoinv (", ", state->reasons);

      g_string_append_printf (text, " (%s)", reasons);
    }
  if (state->reviewer != NULL)
    g_string_append_printf (text, _(" by %s"), state->reviewer);
  if (state->note != NULL)
    g_string_append_printf (text, _(", note: %s"), state->note);
  return g_string_free (text, FALSE);
}

static char *
describe_revision (const Show             *show,
                   const MdReviewRevision *revision)
{
  if (show->original)
    return g_strdup (_("shard text"));
  if (revision == NULL || revision->n_revisions == 0)
    return g_strdup (_("revision 0, as in the shard"));
  if (revision->text == NULL)
    return g_strdup_printf (_("revision %u, back to the shard's text"), revision->n_revisions);
  return g_strdup_printf (_("revision %u by %s (%s)"), revision->n_revisions, revision->author,
                          md_review_author_kind_name (revision->author_kind));
}

static cJSON *
revision_to_json (const Show             *show,
                  const MdReviewRevision *revision)
{
  cJSON *item = cJSON_CreateObject ();

  cJSON_AddNumberToObject (item, "revision", revision != NULL ? revision->n_revisions : 0);
  cJSON_AddBoolToObject (item, "edited", revision != NULL && revision->text != NULL);
  cJSON_AddItemToObject (item, "author",
                         nullable_string (revision != NULL ? revision->author : NULL));
  if (revision != NULL && revision->author != NULL)
    cJSON_AddStringToObject (item, "author_kind",
                             md_review_author_kind_name (revision->author_kind));
  return item;
}

static int
print_json (Show *show)
{
  MdPair *pair = show->pair;
  g_autoptr(cJSON) root = cJSON_CreateObject ();
  g_autoptr(MdReviewState) pair_state = get_state (show, "");
  cJSON *texts = cJSON_CreateObject ();

  if (show->review != NULL && pair_state == NULL)
    return MD_CLI_EXIT_FAILED;
  cJSON_AddStringToObject (root, "id", md_pair_get_id (pair));
  cJSON_AddStringToObject (root, "dataset", md_pair_get_dataset (pair));
  cJSON_AddStringToObject (root, "modality", md_modality_name (md_pair_get_modality (pair)));
  cJSON_AddItemToObject (root, "image_ids", strv_to_json (md_pair_get_image_ids (pair)));
  cJSON_AddItemToObject (root, "missing_images",
                         strv_to_json (md_pair_get_missing_image_ids (pair)));
  cJSON_AddItemToObject (root, "context_ids", strv_to_json (md_pair_get_context_ids (pair)));
  cJSON_AddItemToObject (root, "dangling_context_ids",
                         strv_to_json (md_pair_get_dangling_context_ids (pair)));
  cJSON_AddItemToObject (root, "texts", texts);
  if (show->original)
    cJSON_AddNullToObject (root, "review");
  else if (pair_state != NULL)
    cJSON_AddItemToObject (root, "review", state_to_json (pair_state));
  else
    cJSON_AddNullToObject (root, "review");

  for (MdLanguage l = 0; l < MD_N_LANGUAGES; l++)
    {
      g_autoptr(MdReviewState) state = NULL;
      cJSON *entry, *revisions;
      gboolean any = FALSE;

      entry = cJSON_CreateObject ();
      revisions = cJSON_CreateObject ();
      for (MdField f = 0; f < MD_N_FIELDS; f++)
        {
          g_autofree char *current = NULL;
          g_autoptr(MdReviewRevision) revision = NULL;

          if (!current_field (show, l, f, &current, &revision))
            {
              cJSON_Delete (entry);
              cJSON_Delete (revisions);
              return MD_CLI_EXIT_FAILED;
            }
          any |= current != NULL || (revision != NULL && revision->n_revisions > 0);
          cJSON_AddItemToObject (entry, md_field_name (f), nullable_string (current));
          cJSON_AddItemToObject (revisions, md_field_name (f), revision_to_json (show, revision));
        }
      if (!any)
        {
          cJSON_Delete (entry);
          cJSON_Delete (revisions);
          continue;
        }
      cJSON_AddItemToObject (entry, "revisions", revisions);
      state = get_state (show, md_language_code (l));
      if (state != NULL)
        cJSON_AddItemToObject (entry, "review", state_to_json (state));
      else
        cJSON_AddNullToObject (entry, "review");
      cJSON_AddItemToObject (texts, md_language_code (l), entry);
    }
  md_cli_print_json (root);
  return MD_CLI_EXIT_OK;
}

static void
print_ids (const char         *heading,
           const char * const *ids,
           const char * const *bad,
           const char         *bad_label)
{
  printf ("%s:\n", heading);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *id = md_cli_safe_line (ids[i]);

      printf ("  %s%s\n", id, g_strv_contains (bad, ids[i]) ? bad_label : "");
    }
}

static int
print_text (Show *show)
{
  MdPair *pair = show->pair;
  g_autoptr(MdReviewState) pair_state = get_state (show, "");
  g_autofree char *id = md_cli_safe_line (md_pair_get_id (pair));
  g_autofree char *dataset = md_cli_safe_line (md_pair_get_dataset (pair));

  if (show->review != NULL && pair_state == NULL)
    return MD_CLI_EXIT_FAILED;
  printf ("%s: %s\n", _("Id"), id);
  printf ("%s: %s\n", _("Dataset"), dataset);
  printf ("%s: %s\n", _("Modality"), md_modality_name (md_pair_get_modality (pair)));
  if (pair_state != NULL)
    {
      g_autofree char *described = describe_state (pair_state);
      g_autofree char *safe = md_cli_safe_line (described);

      printf ("%s: %s\n", _("Review"), safe);
    }
  print_ids (_("Images"), md_pair_get_image_ids (pair), md_pair_get_missing_image_ids (pair),
             _(" (missing)"));
  print_ids (_("In-context examples"), md_pair_get_context_ids (pair),
             md_pair_get_dangling_context_ids (pair), _(" (dangling)"));

  for (MdLanguage l = 0; l < MD_N_LANGUAGES; l++)
    {
      char *texts[MD_N_FIELDS] = { NULL };
      MdReviewRevision *revisions[MD_N_FIELDS] = { NULL };
      g_autoptr(MdReviewState) state = NULL;
      const char *code = md_language_code (l);
      gboolean any = FALSE, ok = TRUE;

      for (MdField f = 0; f < MD_N_FIELDS && ok; f++)
        {
          ok = current_field (show, l, f, &texts[f], &revisions[f]);
          any |= texts[f] != NULL || (revisions[f] != NULL && revisions[f]->n_revisions > 0);
        }
      for (MdField f = 0; ok && any && f < MD_N_FIELDS; f++)
        {
          g_autofree char *described = describe_revision (show, revisions[f]);
          g_autofree char *safe = md_cli_safe (texts[f] != NULL ? texts[f] : "");

          printf ("[%s] %s (%s): %s\n", code,
                  f == MD_FIELD_INSTRUCTION ? _("Instruction") : _("Answer"), described, safe);
        }
      for (MdField f = 0; f < MD_N_FIELDS; f++)
        {
          md_review_revision_free (revisions[f]);
          g_free (texts[f]);
        }
      if (!ok)
        return MD_CLI_EXIT_FAILED;
      if (!any || show->review == NULL)
        continue;
      state = get_state (show, code);
      if (state == NULL)
        return MD_CLI_EXIT_FAILED;
      {
        g_autofree char *described = describe_state (state);
        g_autofree char *safe = md_cli_safe_line (described);

        printf ("[%s] %s: %s\n", code, _("Review"), safe);
      }
    }
  return MD_CLI_EXIT_OK;
}

int
md_cli_show (int    argc,
             char **argv)
{
  g_autofree char *db_path = NULL;
  g_autofree char *review_path = NULL;
  g_auto(GStrv) ids = NULL;
  gboolean as_json = FALSE;
  gboolean original = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(MdStore) store = NULL;
  g_autoptr(MdPair) pair = NULL;
  g_autoptr(MdReviewStore) review = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_("Index file"), N_("FILE") },
    { "review", 0, 0, G_OPTION_ARG_FILENAME, &review_path,
      N_("Review file (default: the index path + .review.sqlite)"), N_("FILE") },
    { "original", 0, 0, G_OPTION_ARG_NONE, &original,
      N_("Print the shard's texts, without edits or accepted generations"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &ids, NULL, N_("ID") },
    { NULL }
  };
  Show show = { 0 };

  context = g_option_context_new (_("ID — show one pair as it stands now"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!md_cli_parse_options (context, &argc, &argv))
    return MD_CLI_EXIT_FAILED;
  if (ids == NULL || ids[0] == NULL || ids[1] != NULL)
    {
      md_cli_printerr (_("show needs exactly one pair id"));
      return MD_CLI_EXIT_FAILED;
    }
  if (db_path == NULL)
    db_path = md_cli_default_db_path ();
  if (!md_cli_check_file (db_path, TRUE))
    return MD_CLI_EXIT_FAILED;
  store = md_store_open (db_path, &error);
  if (store == NULL)
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }
  pair = md_store_get_pair (store, ids[0], &error);
  if (pair == NULL)
    {
      md_cli_printerr ("%s", error->message);
      return MD_CLI_EXIT_FAILED;
    }

  /* Reading never creates a review file: without one every text is the shard's. */
  if (review_path == NULL)
    review_path = md_review_store_default_path (md_store_get_path (store));
  if (!original && g_file_test (review_path, G_FILE_TEST_EXISTS))
    {
      if (!md_cli_check_file (review_path, FALSE))
        return MD_CLI_EXIT_FAILED;
      review = md_review_store_open (review_path, &error);
      if (review == NULL)
        {
          md_cli_printerr ("%s", error->message);
          return MD_CLI_EXIT_FAILED;
        }
    }

  show.pair = pair;
  show.review = review;
  show.original = original;
  return as_json ? print_json (&show) : print_text (&show);
}
