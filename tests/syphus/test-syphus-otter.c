/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cJSON.h>
#include <glib/gstdio.h>
#include <string.h>

/* Requests as Otter's Syphus sends them: a folder in Otter's layout (prompts/ with the JSON
 * files and the two .py modules, instruction files, Syphus output folders with
 * query_input.json) is imported, `regenerate --dry-run` / `translate --dry-run` print the
 * bodies, and their messages are compared, byte for byte, with the ones otter-messages.py builds
 * from the same prompt file by Otter's rules. */

typedef struct
{
  char *dir;
  char *db;
  char *fixture;
} Fixture;

static int
run (const char * const *argv,
     char              **out,
     char              **err)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status,
                &error);
  g_assert_no_error (error);
  if (err != NULL)
    g_test_message ("stderr: %s", *err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { g_getenv ("MD_CLI"), "import", "--db", NULL, NULL, NULL };

  f->dir = g_dir_make_tmp ("md-syphus-otter-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "index.sqlite", NULL);
  f->fixture = g_test_build_filename (G_TEST_DIST, "syphus", "otter", NULL);
  config = g_build_filename (f->dir, "config", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  argv[3] = f->db;
  argv[4] = f->fixture;
  g_assert_cmpint (run (argv, &out, &err), ==, 0);
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
  g_free (f->fixture);
}

/* The messages Otter would send: otter-messages.py PROMPT [QUERY_INPUT ID]. */
static cJSON *
expected_messages (Fixture    *f,
                   const char *prompt,
                   const char *query_input,
                   const char *query_id)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "syphus", "otter-messages.py",
                                                   NULL);
  g_autofree char *prompt_path = g_build_filename (f->fixture, "prompts", prompt, NULL);
  g_autofree char *query_path = query_input != NULL
                                ? g_build_filename (f->fixture, "annotations", query_input,
                                                    "query_input.json", NULL)
                                : NULL;
  const char *argv[] = { "/usr/bin/python3", script, prompt_path, query_path, query_id, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  cJSON *messages;

  g_assert_cmpint (run (argv, &out, &err), ==, 0);
  messages = cJSON_Parse (out);
  g_assert_true (cJSON_IsArray (messages));
  return messages;
}

static cJSON *
dry_run (Fixture     *f,
         const char  *command,
         const char  *pair_id,
         char       **out_err)
{
  const char *argv[] = { g_getenv ("MD_CLI"), command, "--db", f->db, "--base-url",
                         "http://127.0.0.1:9", "--model", "m", "--dry-run", pair_id, NULL };
  g_autofree char *out = NULL;
  cJSON *body;

  g_assert_cmpint (run (argv, &out, out_err), ==, 0);
  body = cJSON_Parse (out);
  g_assert_nonnull (body);
  return body;
}

static void
assert_same_message (const cJSON *got,
                     const cJSON *want)
{
  g_assert_cmpstr (cJSON_GetObjectItem (got, "role")->valuestring, ==,
                   cJSON_GetObjectItem (want, "role")->valuestring);
  g_assert_cmpstr (cJSON_GetObjectItem (got, "content")->valuestring, ==,
                   cJSON_GetObjectItem (want, "content")->valuestring);
}

typedef struct
{
  const char *command;
  const char *pair_id;
  const char *prompt;        /* file in prompts/ */
  const char *query_input;   /* folder in annotations/, or NULL */
  const char *query_id;
} Case;

static const Case cases[] = {
  { "regenerate", "DC_INS_00001", "dense_captions.json", "output_video.DenseCaptions_v1",
    "v_kitchen01" },
  { "regenerate", "DC_INS_00002", "dense_captions.json", NULL, NULL },
  { "regenerate", "TVC_INS_00001", "tv_captions.json", "output_video.TVCaptions_v1",
    "bbt_s01e01_seg01_clip_00" },
  { "regenerate", "VST_INS_00001", "visual_story_telling.json", NULL, NULL },
  { "regenerate", "SD_INS_00001", "spot_the_difference.json", NULL, NULL },
  { "regenerate", "CGD_INS_00001", "coco_spot_the_difference_prompt.py", NULL, NULL },
  { "regenerate", "SN_INS_00001", "scene_navigation.json", NULL, NULL },
  { "regenerate", "E4D_INS_00001", "ego4d.json", NULL, NULL },
  { "regenerate", "FunQA_mcqa_INS_00001", "funqa_mcqa.json", NULL, NULL },
  { "translate", "DC_INS_00001", "translation_prompt.py", NULL, NULL },
};

static void
test_as_otter_sends (Fixture       *f,
                     gconstpointer  data)
{
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const Case *k = &cases[c];
      g_autofree char *err = NULL;
      g_autofree char *prompt_path = g_build_filename (f->fixture, "prompts", k->prompt, NULL);
      g_autofree char *named = NULL;
      cJSON *want = expected_messages (f, k->prompt, k->query_input, k->query_id);
      cJSON *body = dry_run (f, k->command, k->pair_id, &err);
      cJSON *got = cJSON_GetObjectItem (body, "messages");
      guint n_want = cJSON_GetArraySize (want);

      g_test_message ("%s %s", k->command, k->pair_id);
      /* The dry run names the prompt file and where it came from. */
      named = g_strdup_printf ("prompt %s (imported)", prompt_path);
      g_assert_nonnull (strstr (err, named));

      if (k->query_input != NULL)
        {
          /* Every message, the query included, as Syphus sent it. */
          g_assert_cmpuint (cJSON_GetArraySize (got), ==, n_want);
          for (guint i = 0; i < n_want; i++)
            assert_same_message (cJSON_GetArrayItem (got, i), cJSON_GetArrayItem (want, i));
          g_assert_null (strstr (err, "no source annotations"));
        }
      else
        {
          /* System message and in-context turns as Otter sends them, then our query. */
          g_assert_cmpuint (cJSON_GetArraySize (got), ==, n_want + 1);
          for (guint i = 0; i < n_want; i++)
            assert_same_message (cJSON_GetArrayItem (got, i), cJSON_GetArrayItem (want, i));
          if (strcmp (k->command, "regenerate") == 0)
            {
              g_autofree char *note =
                g_strdup_printf ("%s: no source annotations: the request asks the model to "
                                 "rewrite the pair from its text and images", k->pair_id);

              g_assert_nonnull (strstr (err, note));
            }
        }
      cJSON_Delete (body);
      cJSON_Delete (want);
    }
}

/* --prompt wins over the imported file. */
static void
test_prompt_option (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *given = g_build_filename (f->fixture, "prompts", "funqa_dia.json", NULL);
  const char *argv[] = { g_getenv ("MD_CLI"), "regenerate", "--db", f->db, "--base-url",
                         "http://127.0.0.1:9", "--model", "m", "--dry-run", "--prompt", given,
                         "DC_INS_00002", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *named = g_strdup_printf ("DC: prompt %s (given for the batch)", given);
  cJSON *want = expected_messages (f, "funqa_dia.json", NULL, NULL);
  cJSON *body;
  cJSON *got;

  g_assert_cmpint (run (argv, &out, &err), ==, 0);
  g_assert_nonnull (strstr (err, named));
  body = cJSON_Parse (out);
  got = cJSON_GetObjectItem (body, "messages");
  for (int i = 0; i < cJSON_GetArraySize (want); i++)
    assert_same_message (cJSON_GetArrayItem (got, i), cJSON_GetArrayItem (want, i));
  cJSON_Delete (body);
  cJSON_Delete (want);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/syphus/otter/as-otter-sends", Fixture, NULL, fixture_setup, test_as_otter_sends,
              fixture_teardown);
  g_test_add ("/syphus/otter/prompt-option", Fixture, NULL, fixture_setup, test_prompt_option,
              fixture_teardown);
  return g_test_run ();
}
