/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-syphus"

#include "config.h"

#include <cJSON.h>
#include <string.h>

#include "md-error.h"
#include "md-syphus-parse.h"

static void
qa_free (gpointer data)
{
  MdSyphusQa *qa = data;

  g_free (qa->question);
  g_free (qa->answer);
  g_free (qa);
}

void
md_syphus_qa_reply_free (MdSyphusQaReply *reply)
{
  if (reply == NULL)
    return;
  g_ptr_array_unref (reply->pairs);
  g_ptr_array_unref (reply->problems);
  g_free (reply);
}

typedef enum
{
  FIELD_NONE,
  FIELD_QUESTION,
  FIELD_ANSWER,
  FIELD_OPTIONS,
} FieldKind;

/* Optional list marker, optional bold, the keyword, optional number, optional bold, a colon
 * (ASCII or full-width), optional bold, then the value. */
#define HEADER_PATTERN \
  "^\\s*(?:(?:\\d+[.)]|[-*•])\\s*)?(?:\\*\\*|__)?\\s*(question|answer)(?:\\s*\\d+)?\\s*" \
  "(?:\\*\\*|__)?\\s*[:：]\\s*(?:\\*\\*|__)?\\s*(.*)$"

/* SceneNavigation replies: `Conversation N` blocks of `Human:` / `Assistant:` turns. */
#define DIALOGUE_PATTERN \
  "^\\s*(?:\\*\\*|__)?\\s*(human|assistant)\\s*(?:\\*\\*|__)?\\s*[:：]\\s*(?:\\*\\*|__)?\\s*(.*)$"
#define CONVERSATION_PATTERN "^\\s*(?:\\*\\*|__|#+)?\\s*conversation\\s*\\d+\\b"
/* Multiple-choice replies: `Options 1: ...` lines between the question and the answer. */
#define OPTIONS_PATTERN "^\\s*(?:\\*\\*|__)?\\s*options?\\s*\\d+\\s*(?:\\*\\*|__)?\\s*[:：]"

static GRegex *
compile_once (GRegex        **slot,
              gsize          *once,
              const char     *pattern,
              GRegexCompileFlags flags)
{
  if (g_once_init_enter (once))
    {
      *slot = g_regex_new (pattern, G_REGEX_CASELESS | flags, 0, NULL);
      g_once_init_leave (once, 1);
    }
  return *slot;
}

static char *
finish_field (GString *text)
{
  if (text == NULL)
    return NULL;
  return g_strstrip (g_string_free (text, FALSE));
}

static void
close_pair (MdSyphusQaReply *reply,
            GString        **question,
            GString        **answer,
            GString        **options,
            guint            question_line)
{
  g_autofree char *q = finish_field (g_steal_pointer (question));
  g_autofree char *a = finish_field (g_steal_pointer (answer));
  g_autofree char *o = finish_field (g_steal_pointer (options));
  MdSyphusQa *qa;

  /* The choices belong to the answer, which names one of them: "2\nOptions 1: ...". */
  if (a != NULL && o != NULL && *o != '\0')
    {
      char *joined = *a != '\0' ? g_strconcat (a, "\n", o, NULL) : NULL;

      if (joined != NULL)
        {
          g_free (a);
          a = joined;
        }
    }

  if (q == NULL && a == NULL)
    return;
  if (a == NULL)
    {
      g_ptr_array_add (reply->problems,
                       g_strdup_printf ("line %u: question without an answer: \"%s\"",
                                        question_line, q));
      return;
    }
  if (*q == '\0' || *a == '\0')
    {
      g_ptr_array_add (reply->problems,
                       g_strdup_printf ("line %u: empty %s", question_line,
                                        *q == '\0' ? "question" : "answer"));
      return;
    }
  qa = g_new0 (MdSyphusQa, 1);
  qa->question = g_steal_pointer (&q);
  qa->answer = g_steal_pointer (&a);
  g_ptr_array_add (reply->pairs, qa);
}

MdSyphusQaReply *
md_syphus_parse_qa (const char  *reply_text,
                    GError     **error)
{
  static GRegex *qa_regex, *dialogue_regex, *conversation_regex, *options_regex;
  static gsize qa_once, dialogue_once, conversation_once, options_once;
  GRegex *header_regex;
  gboolean dialogue = FALSE;
  GString *options = NULL;
  g_autoptr(MdSyphusQaReply) reply = NULL;
  g_auto(GStrv) lines = NULL;
  GString *question = NULL;
  GString *answer = NULL;
  FieldKind current = FIELD_NONE;
  guint question_line = 0;
  guint n_headers = 0;
  g_autofree char *valid = NULL;
  const char *bad_utf8 = NULL;
  gsize bad_offset = 0;

  g_return_val_if_fail (reply_text != NULL, NULL);

  /* GRegex needs valid UTF-8 (its JIT reads past the end of a broken sequence). */
  if (!g_utf8_validate (reply_text, -1, &bad_utf8))
    {
      bad_offset = bad_utf8 - reply_text;
      valid = g_utf8_make_valid (reply_text, -1);
      reply_text = valid;
    }

  /* Only the header pattern runs on every line of every reply: JIT it. */
  header_regex = compile_once (&qa_regex, &qa_once, HEADER_PATTERN, G_REGEX_OPTIMIZE);
  compile_once (&dialogue_regex, &dialogue_once, DIALOGUE_PATTERN, 0);
  compile_once (&conversation_regex, &conversation_once, CONVERSATION_PATTERN, 0);
  compile_once (&options_regex, &options_once, OPTIONS_PATTERN, 0);

  reply = g_new0 (MdSyphusQaReply, 1);
  reply->pairs = g_ptr_array_new_with_free_func (qa_free);
  reply->problems = g_ptr_array_new_with_free_func (g_free);
  if (valid != NULL)
    g_ptr_array_add (reply->problems,
                     g_strdup_printf ("byte %" G_GSIZE_FORMAT ": invalid UTF-8 replaced by U+FFFD",
                                      bad_offset));

  lines = g_strsplit (reply_text, "\n", -1);
  /* A reply with no Question/Answer line but Human/Assistant turns is a SceneNavigation one. */
  {
    gboolean any_qa = FALSE;
    gboolean any_dialogue = FALSE;

    for (guint i = 0; lines[i] != NULL && !any_qa; i++)
      {
        any_qa = g_regex_match (header_regex, lines[i], 0, NULL);
        any_dialogue = any_dialogue || g_regex_match (dialogue_regex, lines[i], 0, NULL);
      }
    if (!any_qa && any_dialogue)
      {
        dialogue = TRUE;
        header_regex = dialogue_regex;
      }
  }
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;
      char *line = lines[i];
      gsize len = strlen (line);

      if (len > 0 && line[len - 1] == '\r')
        line[len - 1] = '\0';

      if (dialogue && g_regex_match (conversation_regex, line, 0, NULL))
        {
          /* A new conversation: the turn before it is complete. */
          close_pair (reply, &question, &answer, &options, question_line);
          current = FIELD_NONE;
          continue;
        }
      if (!dialogue && question != NULL && answer == NULL &&
          g_regex_match (options_regex, line, 0, NULL))
        {
          if (options == NULL)
            options = g_string_new (NULL);
          else
            g_string_append_c (options, '\n');
          g_string_append (options, g_strstrip (line));
          current = FIELD_OPTIONS;
          continue;
        }
      if (g_regex_match (header_regex, line, 0, &match))
        {
          g_autofree char *keyword = g_match_info_fetch (match, 1);
          g_autofree char *value = g_match_info_fetch (match, 2);
          gsize vlen = strlen (value);

          /* "**Question: text**" closes its bold at the end of the line. */
          if (vlen >= 2 && (g_str_has_suffix (value, "**") || g_str_has_suffix (value, "__")))
            value[vlen - 2] = '\0';

          n_headers++;
          if (g_ascii_tolower (keyword[0]) == 'q' || g_ascii_tolower (keyword[0]) == 'h')
            {
              close_pair (reply, &question, &answer, &options, question_line);
              question = g_string_new (value);
              question_line = i + 1;
              current = FIELD_QUESTION;
            }
          else
            {
              if (question == NULL)
                {
                  g_ptr_array_add (reply->problems,
                                   g_strdup_printf ("line %u: answer without a question: \"%s\"",
                                                    i + 1, value));
                  /* Its continuation lines belong to the orphan, not to the next pair. */
                  current = FIELD_NONE;
                  continue;
                }
              if (answer != NULL)
                {
                  /* A second answer to one question: keep both texts, report it. */
                  g_ptr_array_add (reply->problems,
                                   g_strdup_printf ("line %u: a second answer for the question "
                                                    "of line %u", i + 1, question_line));
                  g_string_append_c (answer, '\n');
                  g_string_append (answer, value);
                }
              else
                answer = g_string_new (value);
              current = FIELD_ANSWER;
            }
          continue;
        }

      if (current == FIELD_QUESTION)
        g_string_append_printf (question, "\n%s", line);
      else if (current == FIELD_ANSWER)
        g_string_append_printf (answer, "\n%s", line);
      else if (current == FIELD_OPTIONS)
        g_string_append_printf (options, "\n%s", line);
      /* Lines before the first header are the model's preamble ("Sure, here are..."). */
    }
  close_pair (reply, &question, &answer, &options, question_line);

  if (n_headers == 0)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "reply: expected \"Question:\" and \"Answer:\" lines (or \"Human:\" and "
                   "\"Assistant:\" turns), found none");
      return NULL;
    }
  return g_steal_pointer (&reply);
}

static cJSON *
problems_to_json (GPtrArray *problems)
{
  cJSON *array = cJSON_CreateArray ();

  for (guint i = 0; i < problems->len; i++)
    cJSON_AddItemToArray (array, cJSON_CreateString (g_ptr_array_index (problems, i)));
  return array;
}

static char *
print_and_delete (cJSON *root)
{
  char *printed = cJSON_PrintUnformatted (root);
  char *copy = g_strdup (printed);

  cJSON_free (printed);
  cJSON_Delete (root);
  return copy;
}

char *
md_syphus_qa_reply_to_json (const MdSyphusQaReply *reply)
{
  cJSON *root = cJSON_CreateObject ();
  cJSON *pairs = cJSON_AddArrayToObject (root, "pairs");

  for (guint i = 0; i < reply->pairs->len; i++)
    {
      MdSyphusQa *qa = g_ptr_array_index (reply->pairs, i);
      cJSON *item = cJSON_CreateObject ();

      cJSON_AddStringToObject (item, "question", qa->question);
      cJSON_AddStringToObject (item, "answer", qa->answer);
      cJSON_AddItemToArray (pairs, item);
    }
  cJSON_AddItemToObject (root, "problems", problems_to_json (reply->problems));
  return print_and_delete (root);
}

guint
md_syphus_qa_count_pairs (const char *parsed)
{
  cJSON *root = parsed != NULL ? cJSON_Parse (parsed) : NULL;
  guint n = cJSON_GetArraySize (cJSON_GetObjectItemCaseSensitive (root, "pairs"));

  cJSON_Delete (root);
  return n;
}

void
md_syphus_translation_free (MdSyphusTranslation *translation)
{
  if (translation == NULL)
    return;
  for (guint f = 0; f < MD_N_FIELDS; f++)
    for (guint l = 0; l < MD_N_LANGUAGES; l++)
      g_free (translation->text[f][l]);
  g_ptr_array_unref (translation->problems);
  g_free (translation);
}

/* Removes a ``` fence (with or without a language tag) around the JSON. */
static char *
strip_code_fence (const char *text,
                  gboolean   *repaired)
{
  const char *open = strstr (text, "```");
  const char *start;
  const char *close;

  if (open == NULL)
    return g_strdup (text);
  start = strchr (open + 3, '\n');
  if (start == NULL)
    return g_strdup (text);
  start++;
  close = strstr (start, "```");
  *repaired = TRUE;
  return close != NULL ? g_strndup (start, close - start) : g_strdup (start);
}

/* Drops commas that are followed only by blanks and a closing } or ]. Commas inside strings are
 * left alone, so this cannot change any text. */
static gboolean
strip_trailing_commas (char *json)
{
  gboolean in_string = FALSE;
  gboolean changed = FALSE;
  char *out = json;

  for (char *p = json; *p != '\0'; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            {
              *out++ = *p++;
            }
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (*p == ',')
        {
          const char *q = p + 1;

          while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
            q++;
          if (*q == '}' || *q == ']')
            {
              changed = TRUE;
              continue;
            }
        }
      *out++ = *p;
    }
  *out = '\0';
  return changed;
}

MdSyphusTranslation *
md_syphus_parse_translation (const char  *reply_text,
                             GError     **error)
{
  g_autoptr(MdSyphusTranslation) translation = NULL;
  g_autofree char *text = NULL;
  const char *first;
  const char *last;
  g_autofree char *json = NULL;
  gboolean repaired = FALSE;
  g_autofree char *valid = NULL;
  const char *bad_utf8 = NULL;
  gsize bad_offset;
  cJSON *root;

  g_return_val_if_fail (reply_text != NULL, NULL);
  bad_offset = 0;

  /* Bytes that are not UTF-8 become U+FFFD, reported as a problem, so that what reaches the
   * review file and the JSON output is text. */
  if (!g_utf8_validate (reply_text, -1, &bad_utf8))
    {
      bad_offset = bad_utf8 - reply_text;
      valid = g_utf8_make_valid (reply_text, -1);
      reply_text = valid;
      repaired = TRUE;
    }
  text = strip_code_fence (reply_text, &repaired);
  first = strchr (text, '{');
  last = strrchr (text, '}');
  if (first == NULL || last == NULL || last < first)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "reply: expected a JSON object {\"a\": {...}, \"b\": {...}}, found no braces");
      return NULL;
    }
  json = g_strndup (first, last - first + 1);

  root = cJSON_Parse (json);
  if (root == NULL && strip_trailing_commas (json))
    {
      repaired = TRUE;
      root = cJSON_Parse (json);
    }
  if (root == NULL || !cJSON_IsObject (root))
    {
      const char *where = cJSON_GetErrorPtr ();
      gsize offset = (root == NULL && where != NULL && where >= json &&
                      where <= json + strlen (json)) ? (gsize) (where - json) : 0;

      cJSON_Delete (root);
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE,
                   "reply: byte %" G_GSIZE_FORMAT " of the JSON: expected a JSON object "
                   "{\"a\": {...}, \"b\": {...}}", offset);
      return NULL;
    }

  translation = g_new0 (MdSyphusTranslation, 1);
  translation->problems = g_ptr_array_new_with_free_func (g_free);
  translation->repaired = repaired;
  if (valid != NULL)
    g_ptr_array_add (translation->problems,
                     g_strdup_printf ("reply: invalid UTF-8 from byte %" G_GSIZE_FORMAT
                                      " replaced by U+FFFD", bad_offset));

  for (MdField field = 0; field < MD_N_FIELDS; field++)
    {
      const char *key = field == MD_FIELD_INSTRUCTION ? "a" : "b";
      const cJSON *object = cJSON_GetObjectItemCaseSensitive (root, key);

      if (!cJSON_IsObject (object))
        {
          g_ptr_array_add (translation->problems,
                           g_strdup_printf ("%s: %s", key,
                                            object == NULL ? "missing" : "not an object"));
          continue;
        }
      for (MdLanguage lang = MD_LANGUAGE_ZH; lang < MD_N_LANGUAGES; lang++)
        {
          const char *code = md_language_code (lang);
          const cJSON *value = cJSON_GetObjectItemCaseSensitive (object, code);

          if (value == NULL)
            g_ptr_array_add (translation->problems, g_strdup_printf ("%s.%s: missing", key, code));
          else if (!cJSON_IsString (value))
            g_ptr_array_add (translation->problems,
                             g_strdup_printf ("%s.%s: not a string", key, code));
          else
            {
              g_autofree char *stripped = g_strstrip (g_strdup (value->valuestring));

              if (*stripped == '\0')
                g_ptr_array_add (translation->problems,
                                 g_strdup_printf ("%s.%s: empty", key, code));
              else
                translation->text[field][lang] = g_strdup (value->valuestring);
            }
        }
    }
  cJSON_Delete (root);
  return g_steal_pointer (&translation);
}

char *
md_syphus_translation_to_json (const MdSyphusTranslation *translation)
{
  cJSON *root = cJSON_CreateObject ();

  for (MdField field = 0; field < MD_N_FIELDS; field++)
    {
      cJSON *object = cJSON_AddObjectToObject (root, field == MD_FIELD_INSTRUCTION ? "a" : "b");

      for (MdLanguage lang = MD_LANGUAGE_ZH; lang < MD_N_LANGUAGES; lang++)
        if (translation->text[field][lang] != NULL)
          cJSON_AddStringToObject (object, md_language_code (lang),
                                   translation->text[field][lang]);
    }
  cJSON_AddItemToObject (root, "problems", problems_to_json (translation->problems));
  cJSON_AddBoolToObject (root, "repaired", translation->repaired);
  return print_and_delete (root);
}
