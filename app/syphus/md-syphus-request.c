/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-syphus"

#include "config.h"

#include <cJSON.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "md-error.h"
#include "md-syphus.h"
#include "md-syphus-request.h"

const char *
md_syphus_job_kind_name (MdSyphusJobKind kind)
{
  return kind == MD_SYPHUS_JOB_TRANSLATE ? "translate" : "regenerate";
}

gboolean
md_syphus_job_kind_from_name (const char      *name,
                              MdSyphusJobKind *out_kind)
{
  if (g_strcmp0 (name, "regenerate") == 0)
    *out_kind = MD_SYPHUS_JOB_REGENERATE;
  else if (g_strcmp0 (name, "translate") == 0)
    *out_kind = MD_SYPHUS_JOB_TRANSLATE;
  else
    return FALSE;
  return TRUE;
}

const char *
md_syphus_request_default_translation_prompt (void)
{
  return "You are a professional translator. The user gives an instruction in <a></a> and its "
         "answer in <b></b>, in English. Translate both into Chinese (zh), Spanish (es), "
         "Japanese (ja), German (de), French (fr), Korean (ko) and Arabic (ar). Reply with JSON "
         "only, in this shape: {\"a\": {\"zh\": \"...\", \"es\": \"...\", \"ja\": \"...\", "
         "\"de\": \"...\", \"fr\": \"...\", \"ko\": \"...\", \"ar\": \"...\"}, \"b\": {the same "
         "keys}}.";
}

const char *
md_syphus_request_no_annotations_note (void)
{
  return _("no source annotations: the request asks the model to rewrite the pair from its text "
           "and images");
}

void
md_syphus_request_options_init (MdSyphusRequestOptions *options,
                                const char             *model)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->model = model;
  options->temperature = MD_SYPHUS_DEFAULT_TEMPERATURE;
  options->max_tokens = MD_SYPHUS_DEFAULT_MAX_TOKENS;
  options->top_p = MD_SYPHUS_DEFAULT_TOP_P;
  options->stream = TRUE;
  options->vision = FALSE;
  options->max_frames = 8;
}

static const char *
or_empty (const char *s)
{
  return s != NULL ? s : "";
}

char *
md_syphus_request_build_query (MdSyphusJobKind          kind,
                               const MdSyphusPairInput *input)
{
  GString *query;

  g_return_val_if_fail (input != NULL, NULL);

  if (kind == MD_SYPHUS_JOB_TRANSLATE)
    return g_strdup_printf ("<a>%s</a><b>%s</b>", or_empty (input->instruction),
                            or_empty (input->answer));

  /* The original pipeline sent the visual annotations of the source; when the index has them
   * that is still the best query, and the current text would only bias the model. */
  if (input->annotations != NULL && *input->annotations != '\0')
    return g_strdup (input->annotations);

  query = g_string_new (NULL);
  for (guint i = 0; i < input->n_examples; i++)
    {
      if (i == 0)
        g_string_append (query, "In-context examples:\n");
      g_string_append_printf (query, "Question: %s\nAnswer: %s\n\n",
                              or_empty (input->examples[i].instruction),
                              or_empty (input->examples[i].answer));
    }
  g_string_append_printf (query, "Current pair%s%s%s:\nQuestion: %s\nAnswer: %s\n",
                          input->id != NULL ? " (" : "", or_empty (input->id),
                          input->id != NULL ? ")" : "",
                          or_empty (input->instruction), or_empty (input->answer));
  if (input->reviewer_note != NULL && *input->reviewer_note != '\0')
    g_string_append_printf (query, "\nReviewer's note: %s\n", input->reviewer_note);
  g_string_append (query, "\nWrite this pair again, fixing what the reviewer pointed out.");
  return g_string_free (query, FALSE);
}

static void
add_message (cJSON      *messages,
             const char *role,
             const char *content)
{
  cJSON *message = cJSON_CreateObject ();

  cJSON_AddStringToObject (message, "role", role);
  cJSON_AddStringToObject (message, "content", content);
  cJSON_AddItemToArray (messages, message);
}

static cJSON *
build_vision_content (const char              *query,
                      const MdSyphusPairInput *input,
                      guint                    max_frames)
{
  cJSON *parts = cJSON_CreateArray ();
  cJSON *text = cJSON_CreateObject ();
  guint n = input->n_images;

  cJSON_AddStringToObject (text, "type", "text");
  cJSON_AddStringToObject (text, "text", query);
  cJSON_AddItemToArray (parts, text);

  if (max_frames > 0 && n > max_frames)
    n = max_frames;
  for (guint i = 0; i < n; i++)
    {
      const MdSyphusImage *image = &input->images[i];
      g_autofree char *b64 = NULL;
      g_autofree char *url = NULL;
      cJSON *part = cJSON_CreateObject ();
      cJSON *image_url;
      gsize size = 0;
      const guchar *bytes = g_bytes_get_data (image->data, &size);

      b64 = g_base64_encode (bytes, size);
      url = g_strdup_printf ("data:%s;base64,%s",
                             image->mime_type != NULL ? image->mime_type : "image/png", b64);
      cJSON_AddStringToObject (part, "type", "image_url");
      image_url = cJSON_AddObjectToObject (part, "image_url");
      cJSON_AddStringToObject (image_url, "url", url);
      cJSON_AddItemToArray (parts, part);
    }
  return parts;
}

char *
md_syphus_request_build (MdSyphusJobKind               kind,
                         MdSyphusPrompt               *prompt,
                         const MdSyphusPairInput      *input,
                         const MdSyphusRequestOptions *options,
                         GError                      **error)
{
  g_autofree char *query = NULL;
  cJSON *body;
  cJSON *messages;
  char *printed;
  char *query_copy;

  g_return_val_if_fail (MD_IS_SYPHUS_PROMPT (prompt), NULL);
  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  if (options->model == NULL || *options->model == '\0')
    {
      g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                   "pair %s: no model given for the request", or_empty (input->id));
      return NULL;
    }
  if (input->instruction == NULL && input->annotations == NULL)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                   "pair %s: expected an instruction or annotations to build the query",
                   or_empty (input->id));
      return NULL;
    }

  query = md_syphus_request_build_query (kind, input);

  body = cJSON_CreateObject ();
  cJSON_AddStringToObject (body, "model", options->model);
  messages = cJSON_AddArrayToObject (body, "messages");
  add_message (messages, "system", md_syphus_prompt_get_system_message (prompt));
  for (guint i = 0; i < md_syphus_prompt_get_n_turns (prompt); i++)
    {
      MdSyphusRole role;
      const char *content = md_syphus_prompt_get_turn (prompt, i, &role);

      add_message (messages, md_syphus_role_name (role), content);
    }

  if (options->vision && input->n_images > 0 && kind == MD_SYPHUS_JOB_REGENERATE)
    {
      cJSON *message = cJSON_CreateObject ();

      cJSON_AddStringToObject (message, "role", "user");
      cJSON_AddItemToObject (message, "content",
                             build_vision_content (query, input, options->max_frames));
      cJSON_AddItemToArray (messages, message);
    }
  else
    add_message (messages, "user", query);

  cJSON_AddNumberToObject (body, "temperature", options->temperature);
  cJSON_AddNumberToObject (body, "max_tokens", options->max_tokens);
  cJSON_AddNumberToObject (body, "top_p", options->top_p);
  cJSON_AddBoolToObject (body, "stream", options->stream);
  if (options->stream)
    {
      /* Ask servers that support it for a final usage chunk; others ignore the field. */
      cJSON *stream_options = cJSON_AddObjectToObject (body, "stream_options");

      cJSON_AddBoolToObject (stream_options, "include_usage", TRUE);
    }

  printed = cJSON_PrintUnformatted (body);
  cJSON_Delete (body);
  query_copy = g_strdup (printed);
  cJSON_free (printed);
  return query_copy;
}
