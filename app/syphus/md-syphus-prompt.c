/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-syphus"

#include "config.h"

#include <cJSON.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "md-error.h"
#include "md-py-literal.h"
#include "md-syphus-prompt.h"

typedef struct
{
  MdSyphusRole  role;
  char         *content;
} Turn;

struct _MdSyphusPrompt
{
  GObject  parent_instance;

  char    *name;
  char    *system_message;
  GArray  *turns;   /* of Turn */
};

G_DEFINE_FINAL_TYPE (MdSyphusPrompt, md_syphus_prompt, G_TYPE_OBJECT)

const char *
md_syphus_role_name (MdSyphusRole role)
{
  return role == MD_SYPHUS_ROLE_USER ? "user" : "assistant";
}

static void
turn_clear (gpointer data)
{
  Turn *turn = data;

  g_free (turn->content);
}

static void
md_syphus_prompt_finalize (GObject *object)
{
  MdSyphusPrompt *self = MD_SYPHUS_PROMPT (object);

  g_free (self->name);
  g_free (self->system_message);
  g_array_unref (self->turns);

  G_OBJECT_CLASS (md_syphus_prompt_parent_class)->finalize (object);
}

static void
md_syphus_prompt_class_init (MdSyphusPromptClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = md_syphus_prompt_finalize;
}

static void
md_syphus_prompt_init (MdSyphusPrompt *self)
{
  self->turns = g_array_new (FALSE, TRUE, sizeof (Turn));
  g_array_set_clear_func (self->turns, turn_clear);
}

/* Writes one scalar of an assistant object as the text after "Key: ". Numbers and booleans
 * appear in some hand-written prompts; nested containers do not belong there. */
static gboolean
append_scalar (GString     *out,
               const cJSON *value)
{
  if (cJSON_IsString (value))
    g_string_append (out, value->valuestring);
  else if (cJSON_IsNumber (value))
    g_string_append_printf (out, "%g", value->valuedouble);
  else if (cJSON_IsBool (value))
    g_string_append (out, cJSON_IsTrue (value) ? "true" : "false");
  else
    return FALSE;
  return TRUE;
}

/* [{"Question": "...", "Answer": "..."}, ...] becomes "Question: ...\nAnswer: ...\n..." with the
 * keys in file order, every line ending with "\n" (the last one included): exactly what Otter's
 * AbstractDataset._load_prompt builds (prefix + ": " + text + "\n" for each key of each object). */
static char *
flatten_assistant_list (const char   *name,
                        guint         turn_index,
                        const cJSON  *list,
                        GError      **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const cJSON *item;
  guint item_index = 0;

  cJSON_ArrayForEach (item, list)
    {
      const cJSON *field;

      if (!cJSON_IsObject (item))
        {
          g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                       _("%s: in_context[%u] item %u: expected an object of \"Key\": \"value\" "
                         "fields"), name, turn_index, item_index);
          return NULL;
        }
      cJSON_ArrayForEach (field, item)
        {
          g_string_append_printf (out, "%s: ", field->string);
          if (!append_scalar (out, field))
            {
              g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                           _("%s: in_context[%u] item %u key \"%s\": expected a string value"),
                           name, turn_index, item_index, field->string);
              return NULL;
            }
          g_string_append_c (out, '\n');
        }
      item_index++;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The prompt of a parsed file: a JSON document, or the globals of a `.py` module. */
static MdSyphusPrompt *
prompt_from_tree (const char   *name,
                  const cJSON  *root,
                  GError      **error)
{
  g_autoptr(MdSyphusPrompt) self = NULL;
  const cJSON *system_message;
  const cJSON *in_context;
  const cJSON *turn_json;
  guint index = 0;

  self = g_object_new (MD_TYPE_SYPHUS_PROMPT, NULL);
  self->name = g_strdup (name);

  system_message = cJSON_GetObjectItemCaseSensitive (root, "system_message");
  if (!cJSON_IsObject (root) || !cJSON_IsString (system_message))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   _("%s: expected a string \"system_message\" in the top-level object"), name);
      return NULL;
    }
  self->system_message = g_strdup (system_message->valuestring);

  in_context = cJSON_GetObjectItemCaseSensitive (root, "in_context");
  if (in_context != NULL && !cJSON_IsNull (in_context) && !cJSON_IsArray (in_context))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   _("%s: expected \"in_context\" to be a list of {\"role\", \"content\"} turns"),
                   name);
      return NULL;
    }

  cJSON_ArrayForEach (turn_json, in_context)
    {
      const cJSON *role = cJSON_GetObjectItemCaseSensitive (turn_json, "role");
      const cJSON *content = cJSON_GetObjectItemCaseSensitive (turn_json, "content");
      Turn turn = { 0, };

      if (!cJSON_IsString (role) ||
          (strcmp (role->valuestring, "user") != 0 &&
           strcmp (role->valuestring, "assistant") != 0))
        {
          g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                       _("%s: in_context[%u]: expected \"role\" to be \"user\" or \"assistant\""),
                       name, index);
          return NULL;
        }
      turn.role = role->valuestring[0] == 'u' ? MD_SYPHUS_ROLE_USER : MD_SYPHUS_ROLE_ASSISTANT;

      if (cJSON_IsString (content))
        turn.content = g_strdup (content->valuestring);
      else if (turn.role == MD_SYPHUS_ROLE_ASSISTANT && cJSON_IsArray (content))
        {
          turn.content = flatten_assistant_list (name, index, content, error);
          if (turn.content == NULL)
            return NULL;
        }
      else
        {
          g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                       turn.role == MD_SYPHUS_ROLE_ASSISTANT
                         ? _("%s: in_context[%u]: expected \"content\" to be a string or a list "
                             "of objects")
                         : _("%s: in_context[%u]: expected \"content\" to be a string"),
                       name, index);
          return NULL;
        }
      g_array_append_val (self->turns, turn);
      index++;
    }
  return g_steal_pointer (&self);
}

MdSyphusPrompt *
md_syphus_prompt_new_from_data (const char  *name,
                                const char  *data,
                                gsize        length,
                                GError     **error)
{
  MdSyphusPrompt *self;
  cJSON *root;
  const char *parse_end = NULL;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  if (g_str_has_suffix (name, ".py"))
    {
      /* Otter's .py prompt modules: importlib evaluates them, then system_message and in_context
       * are used as they are (md-py-literal.h). */
      root = md_py_literal_parse_module (name, data, length, error);
      if (root == NULL)
        return NULL;
      self = prompt_from_tree (name, root, error);
      cJSON_Delete (root);
      return self;
    }

  /* A BOM is common in files saved by editors on other systems. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }

  root = cJSON_ParseWithLengthOpts (data, length, &parse_end, FALSE);
  if (root == NULL)
    {
      gsize offset = parse_end != NULL ? (gsize) (parse_end - data) : 0;

      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   _("%s: byte %" G_GSIZE_FORMAT ": expected a JSON object "
                     "{\"system_message\": ..., \"in_context\": [...]}"), name, offset);
      return NULL;
    }
  self = prompt_from_tree (name, root, error);
  cJSON_Delete (root);
  return self;
}

MdSyphusPrompt *
md_syphus_prompt_new_from_file (const char  *path,
                                GError     **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_IO, _("%s: cannot read the prompt file: %s"), path,
                   local_error->message);
      return NULL;
    }
  return md_syphus_prompt_new_from_data (path, data, length, error);
}

MdSyphusPrompt *
md_syphus_prompt_new_simple (const char *name,
                             const char *system_message)
{
  MdSyphusPrompt *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (system_message != NULL, NULL);

  self = g_object_new (MD_TYPE_SYPHUS_PROMPT, NULL);
  self->name = g_strdup (name);
  self->system_message = g_strdup (system_message);
  return self;
}

const char *
md_syphus_prompt_get_name (MdSyphusPrompt *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_PROMPT (self), NULL);
  return self->name;
}

const char *
md_syphus_prompt_get_system_message (MdSyphusPrompt *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_PROMPT (self), NULL);
  return self->system_message;
}

guint
md_syphus_prompt_get_n_turns (MdSyphusPrompt *self)
{
  g_return_val_if_fail (MD_IS_SYPHUS_PROMPT (self), 0);
  return self->turns->len;
}

const char *
md_syphus_prompt_get_turn (MdSyphusPrompt *self,
                           guint           index,
                           MdSyphusRole   *out_role)
{
  const Turn *turn;

  g_return_val_if_fail (MD_IS_SYPHUS_PROMPT (self), NULL);
  g_return_val_if_fail (index < self->turns->len, NULL);

  turn = &g_array_index (self->turns, Turn, index);
  if (out_role != NULL)
    *out_role = turn->role;
  return turn->content;
}
