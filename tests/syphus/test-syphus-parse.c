/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cJSON.h>
#include <string.h>

#include "md-error.h"
#include "md-syphus.h"

static MdSyphusQa *
qa_at (MdSyphusQaReply *reply,
       guint            index)
{
  g_assert_cmpuint (index, <, reply->pairs->len);
  return g_ptr_array_index (reply->pairs, index);
}

static void
test_qa_plain (void)
{
  g_autoptr(MdSyphusQaReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = md_syphus_parse_qa ("Sure, here they are.\n"
                              "Question: What is on the table?\n"
                              "Answer: A red cup.\n"
                              "question: and next to it?\r\n"
                              "ANSWER: A spoon,\n"
                              "and a plate.\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->pairs->len, ==, 2);
  g_assert_cmpuint (reply->problems->len, ==, 0);
  g_assert_cmpstr (qa_at (reply, 0)->question, ==, "What is on the table?");
  g_assert_cmpstr (qa_at (reply, 0)->answer, ==, "A red cup.");
  g_assert_cmpstr (qa_at (reply, 1)->question, ==, "and next to it?");
  g_assert_cmpstr (qa_at (reply, 1)->answer, ==, "A spoon,\nand a plate.");
}

static void
test_qa_markdown (void)
{
  g_autoptr(MdSyphusQaReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = md_syphus_parse_qa ("1. **Question:** Who enters?\n"
                              "   **Answer:** A man in a coat.\n"
                              "2. Question 2: What does he hold?\n"
                              "Answer 2: An umbrella.\n"
                              "- __question__: Options?\n"
                              "Options 1: yes\n"
                              "Options 2: no\n"
                              "**Answer: yes**\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->problems->len, ==, 0);
  g_assert_cmpuint (reply->pairs->len, ==, 3);
  g_assert_cmpstr (qa_at (reply, 0)->question, ==, "Who enters?");
  g_assert_cmpstr (qa_at (reply, 0)->answer, ==, "A man in a coat.");
  g_assert_cmpstr (qa_at (reply, 1)->question, ==, "What does he hold?");
  g_assert_cmpstr (qa_at (reply, 1)->answer, ==, "An umbrella.");
  /* The choices are part of the answer that names one of them. */
  g_assert_cmpstr (qa_at (reply, 2)->question, ==, "Options?");
  g_assert_cmpstr (qa_at (reply, 2)->answer, ==, "yes\nOptions 1: yes\nOptions 2: no");
}

/* Every pair of a reply is kept, multiple-choice ones with their options (funqa_mcqa). */
static void
test_qa_several (void)
{
  g_autoptr(MdSyphusQaReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = md_syphus_parse_qa ("Question: Where is the cat?\n"
                              "Options 1: On a sofa\n"
                              "Options 2: In a salad bowl\n"
                              "Answer: 2\n\n"
                              "Question: What color is the cat?\n"
                              "Answer: White.\n\n"
                              "Question: Is it funny?\n"
                              "Answer: Yes.\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->problems->len, ==, 0);
  g_assert_cmpuint (reply->pairs->len, ==, 3);
  g_assert_cmpstr (qa_at (reply, 0)->question, ==, "Where is the cat?");
  g_assert_cmpstr (qa_at (reply, 0)->answer, ==,
                   "2\nOptions 1: On a sofa\nOptions 2: In a salad bowl");
  g_assert_cmpstr (qa_at (reply, 2)->answer, ==, "Yes.");
  {
    g_autofree char *json = md_syphus_qa_reply_to_json (reply);

    g_assert_cmpuint (md_syphus_qa_count_pairs (json), ==, 3);
  }
}

/* SceneNavigation: Conversation blocks of Human/Assistant turns, each turn pair a pair. */
static void
test_qa_scene_navigation (void)
{
  g_autoptr(MdSyphusQaReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = md_syphus_parse_qa ("Conversation 1\n"
                              "reason: the room has a desk\n"
                              "Human: I want to write a letter. Where can I sit?\n"
                              "Assistant: Use the black office chair in front of the desk.\n"
                              "Human: Is there light?\n"
                              "Assistant: A lamp stands on the desk.\n"
                              "It is white.\n"
                              "\n"
                              "Conversation 2\n"
                              "Human: I am thirsty.\n"
                              "Assistant: The refrigerator is next to the counter.\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->problems->len, ==, 0);
  g_assert_cmpuint (reply->pairs->len, ==, 3);
  g_assert_cmpstr (qa_at (reply, 0)->question, ==,
                   "I want to write a letter. Where can I sit?");
  g_assert_cmpstr (qa_at (reply, 1)->answer, ==, "A lamp stands on the desk.\nIt is white.");
  g_assert_cmpstr (qa_at (reply, 2)->question, ==, "I am thirsty.");
}

static void
test_qa_orphans (void)
{
  g_autoptr(MdSyphusQaReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  char *joined;

  reply = md_syphus_parse_qa ("Answer: nobody asked\n"
                              "Question: first?\n"
                              "Question: second?\n"
                              "Answer: two\n"
                              "Question: last without answer\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->pairs->len, ==, 1);
  g_assert_cmpstr (qa_at (reply, 0)->question, ==, "second?");
  g_assert_cmpuint (reply->problems->len, ==, 3);
  g_ptr_array_add (reply->problems, NULL);
  joined = g_strjoinv ("|", (char **) reply->problems->pdata);
  g_assert_nonnull (strstr (joined, "line 1: answer without a question: \"nobody asked\""));
  g_assert_nonnull (strstr (joined, "line 2: question without an answer: \"first?\""));
  g_assert_nonnull (strstr (joined, "line 5: question without an answer"));
  g_free (joined);
}

static void
test_qa_none (void)
{
  g_autoptr(MdSyphusQaReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = md_syphus_parse_qa ("I am sorry, I cannot see the image.", &error);
  g_assert_null (reply);
  g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "\"Question:\""));
}

static void
test_qa_to_json (void)
{
  g_autoptr(MdSyphusQaReply) reply = md_syphus_parse_qa ("Question: a \"b\"\nAnswer: c", NULL);
  g_autofree char *json = md_syphus_qa_reply_to_json (reply);

  g_assert_cmpstr (json, ==, "{\"pairs\":[{\"question\":\"a \\\"b\\\"\",\"answer\":\"c\"}],"
                             "\"problems\":[]}");
}

#define FULL_A "{\"zh\":\"你好\",\"es\":\"hola\",\"ja\":\"こんにちは\",\"de\":\"hallo\"," \
               "\"fr\":\"salut\",\"ko\":\"안녕\",\"ar\":\"مرحبا\"}"

static void
test_translation_clean (void)
{
  g_autoptr(MdSyphusTranslation) t = NULL;
  g_autoptr(GError) error = NULL;

  t = md_syphus_parse_translation ("{\"a\": " FULL_A ", \"b\": " FULL_A "}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (t->problems->len, ==, 0);
  g_assert_false (t->repaired);
  g_assert_cmpstr (t->text[MD_FIELD_INSTRUCTION][MD_LANGUAGE_ZH], ==, "你好");
  g_assert_cmpstr (t->text[MD_FIELD_ANSWER][MD_LANGUAGE_AR], ==, "مرحبا");
  g_assert_null (t->text[MD_FIELD_ANSWER][MD_LANGUAGE_EN]);
}

static void
test_translation_repaired (void)
{
  g_autoptr(MdSyphusTranslation) t = NULL;
  g_autoptr(GError) error = NULL;

  t = md_syphus_parse_translation ("Here is the translation:\n```json\n"
                                   "{\"a\": {\"zh\": \"一, 二,\", \"es\": \"uno, }\", \"ja\": \"x\", "
                                   "\"de\": \"x\", \"fr\": \"x\", \"ko\": \"x\", \"ar\": \"x\",},\n"
                                   " \"b\": {\"zh\": \"x\", \"es\": \"  \", \"ja\": \"x\", "
                                   "\"de\": \"x\", \"fr\": \"x\", \"ar\": 3,},}\n```\n", &error);
  g_assert_no_error (error);
  g_assert_true (t->repaired);
  /* Commas inside strings are text, not syntax. */
  g_assert_cmpstr (t->text[MD_FIELD_INSTRUCTION][MD_LANGUAGE_ZH], ==, "一, 二,");
  g_assert_cmpstr (t->text[MD_FIELD_INSTRUCTION][MD_LANGUAGE_ES], ==, "uno, }");
  g_assert_cmpuint (t->problems->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (t->problems, 0), ==, "b.es: empty");
  g_assert_cmpstr (g_ptr_array_index (t->problems, 1), ==, "b.ko: missing");
  g_assert_cmpstr (g_ptr_array_index (t->problems, 2), ==, "b.ar: not a string");
}

static void
test_translation_broken (void)
{
  g_autoptr(MdSyphusTranslation) t = NULL;
  g_autoptr(GError) error = NULL;

  t = md_syphus_parse_translation ("{\"a\": {\"zh\": \"x\" \"es\": }", &error);
  g_assert_null (t);
  g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "byte "));
  g_clear_error (&error);

  t = md_syphus_parse_translation ("no json here", &error);
  g_assert_null (t);
  g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);
  g_clear_error (&error);

  t = md_syphus_parse_translation ("{\"b\": " FULL_A "}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (t->problems->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (t->problems, 0), ==, "a: missing");
}

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "syphus", "prompts", name, NULL);
}

static void
test_prompt_load (void)
{
  g_autofree char *path = fixture ("regenerate.json");
  g_autoptr(MdSyphusPrompt) prompt = NULL;
  g_autoptr(GError) error = NULL;
  MdSyphusRole role;

  prompt = md_syphus_prompt_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (md_syphus_prompt_get_name (prompt), ==, path);
  g_assert_true (g_str_has_prefix (md_syphus_prompt_get_system_message (prompt), "You are"));
  g_assert_cmpuint (md_syphus_prompt_get_n_turns (prompt), ==, 4);
  g_assert_cmpstr (md_syphus_prompt_get_turn (prompt, 0, &role), ==,
                   "timestamp: 0-5s, a man opens a door");
  g_assert_cmpint (role, ==, MD_SYPHUS_ROLE_USER);
  g_assert_cmpstr (md_syphus_prompt_get_turn (prompt, 1, &role), ==,
                   "Question: What does the man do first?\n"
                   "Answer: He opens the door.\n"
                   "question: Which options fit?\n"
                   "Options 1: door\n"
                   "Options 2: window\n"
                   "answer: door\n");
  g_assert_cmpint (role, ==, MD_SYPHUS_ROLE_ASSISTANT);
  g_assert_cmpstr (md_syphus_prompt_get_turn (prompt, 3, NULL), ==,
                   "Question: Where is the cat?\nAnswer: On the sofa.");
}

static void
test_prompt_errors (void)
{
  g_autofree char *path = fixture ("bad-role.json");
  g_autoptr(MdSyphusPrompt) prompt = NULL;
  g_autoptr(GError) error = NULL;
  static const struct { const char *data; const char *expected; } cases[] = {
    { "{\"system_message\": \"x\",\n  oops}", "t.json: byte 27: expected a JSON object" },
    { "[]", "t.json: expected a string \"system_message\"" },
    { "{\"system_message\": 3}", "t.json: expected a string \"system_message\"" },
    { "{\"system_message\": \"x\", \"in_context\": {}}", "expected \"in_context\" to be a list" },
    { "{\"system_message\": \"x\", \"in_context\": [{\"role\": \"user\", \"content\": [1]}]}",
      "t.json: in_context[0]: expected \"content\" to be a string" },
    { "{\"system_message\": \"x\", \"in_context\": [{\"role\": \"assistant\", "
      "\"content\": [{\"Q\": [1]}]}]}", "in_context[0] item 0 key \"Q\": expected a string" },
  };

  prompt = md_syphus_prompt_new_from_file (path, &error);
  g_assert_null (prompt);
  g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "in_context[0]: expected \"role\""));
  g_clear_error (&error);

  prompt = md_syphus_prompt_new_from_file ("/nonexistent/p.json", &error);
  g_assert_error (error, MD_ERROR, MD_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, "/nonexistent/p.json: "));
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      prompt = md_syphus_prompt_new_from_data ("t.json", cases[i].data, strlen (cases[i].data),
                                               &error);
      g_assert_null (prompt);
      g_assert_error (error, MD_ERROR, MD_ERROR_PARSE);
      if (strstr (error->message, cases[i].expected) == NULL)
        g_error ("case %u: “%s” lacks “%s”", i, error->message, cases[i].expected);
      g_clear_error (&error);
    }
}

static cJSON *
build (MdSyphusJobKind          kind,
       MdSyphusPrompt          *prompt,
       const MdSyphusPairInput *input,
       MdSyphusRequestOptions  *options)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = md_syphus_request_build (kind, prompt, input, options, &error);
  cJSON *root;

  g_assert_no_error (error);
  root = cJSON_Parse (body);
  g_assert_nonnull (root);
  return root;
}

static const char *
message_content (cJSON *root,
                 int    index,
                 const char *role)
{
  cJSON *message = cJSON_GetArrayItem (cJSON_GetObjectItem (root, "messages"), index);

  g_assert_nonnull (message);
  g_assert_cmpstr (cJSON_GetObjectItem (message, "role")->valuestring, ==, role);
  return cJSON_GetStringValue (cJSON_GetObjectItem (message, "content"));
}

static void
test_request_regenerate (void)
{
  g_autofree char *path = fixture ("regenerate.json");
  g_autoptr(MdSyphusPrompt) prompt = md_syphus_prompt_new_from_file (path, NULL);
  MdSyphusExample examples[] = { { "Ex question?", "Ex answer." } };
  MdSyphusPairInput input = {
    .id = "DC_INS_00001", .dataset = "DC", .instruction = "What happens?",
    .answer = "A dog runs.", .reviewer_note = "It is a cat, not a dog.",
    .examples = examples, .n_examples = 1,
  };
  MdSyphusRequestOptions options;
  const char *query;
  cJSON *root;

  md_syphus_request_options_init (&options, "test-model");
  root = build (MD_SYPHUS_JOB_REGENERATE, prompt, &input, &options);
  g_assert_cmpstr (cJSON_GetObjectItem (root, "model")->valuestring, ==, "test-model");
  g_assert_cmpfloat (cJSON_GetObjectItem (root, "temperature")->valuedouble, ==, 0.7);
  g_assert_cmpint (cJSON_GetObjectItem (root, "max_tokens")->valueint, ==, 3200);
  g_assert_cmpfloat (cJSON_GetObjectItem (root, "top_p")->valuedouble, ==, 0.95);
  g_assert_true (cJSON_IsTrue (cJSON_GetObjectItem (root, "stream")));
  g_assert_cmpint (cJSON_GetArraySize (cJSON_GetObjectItem (root, "messages")), ==, 6);
  g_assert_true (g_str_has_prefix (message_content (root, 0, "system"), "You are"));
  g_assert_cmpstr (message_content (root, 1, "user"), ==, "timestamp: 0-5s, a man opens a door");
  g_assert_true (g_str_has_prefix (message_content (root, 2, "assistant"), "Question: What"));
  query = message_content (root, 5, "user");
  g_assert_nonnull (strstr (query, "Question: Ex question?\nAnswer: Ex answer."));
  g_assert_nonnull (strstr (query, "Current pair (DC_INS_00001):\nQuestion: What happens?\n"
                                   "Answer: A dog runs.\n"));
  g_assert_nonnull (strstr (query, "Reviewer's note: It is a cat, not a dog."));
  cJSON_Delete (root);

  /* Annotations replace the current text as the query. */
  input.annotations = "timestamp: 0-3s, a cat jumps";
  options.stream = FALSE;
  root = build (MD_SYPHUS_JOB_REGENERATE, prompt, &input, &options);
  g_assert_cmpstr (message_content (root, 5, "user"), ==, "timestamp: 0-3s, a cat jumps");
  g_assert_true (cJSON_IsFalse (cJSON_GetObjectItem (root, "stream")));
  g_assert_null (cJSON_GetObjectItem (root, "stream_options"));
  cJSON_Delete (root);
}

static void
test_request_translate (void)
{
  g_autoptr(MdSyphusPrompt) prompt =
    md_syphus_prompt_new_simple ("builtin", md_syphus_request_default_translation_prompt ());
  MdSyphusPairInput input = {
    .id = "LA_INS_1", .dataset = "LA", .instruction = "What <is> it?", .answer = "A \"cat\".",
  };
  MdSyphusRequestOptions options;
  cJSON *root;

  md_syphus_request_options_init (&options, "m");
  root = build (MD_SYPHUS_JOB_TRANSLATE, prompt, &input, &options);
  g_assert_cmpint (cJSON_GetArraySize (cJSON_GetObjectItem (root, "messages")), ==, 2);
  g_assert_cmpstr (message_content (root, 1, "user"), ==,
                   "<a>What <is> it?</a><b>A \"cat\".</b>");
  cJSON_Delete (root);
}

static void
test_request_vision (void)
{
  g_autoptr(MdSyphusPrompt) prompt = md_syphus_prompt_new_simple ("p", "sys");
  g_autoptr(GBytes) png = g_bytes_new_static ("\x89PNG\r\n\x1a\n", 8);
  g_autoptr(GBytes) jpg = g_bytes_new_static ("\xff\xd8\xff", 3);
  MdSyphusImage images[] = {
    { png, "image/png" }, { jpg, "image/jpeg" }, { png, "image/png" },
  };
  MdSyphusPairInput input = {
    .id = "TVC_INS_1", .dataset = "TVC", .instruction = "q", .answer = "a",
    .images = images, .n_images = 3,
  };
  MdSyphusRequestOptions options;
  cJSON *content;
  cJSON *root;

  md_syphus_request_options_init (&options, "vision-model");
  options.vision = TRUE;
  options.max_frames = 2;
  root = build (MD_SYPHUS_JOB_REGENERATE, prompt, &input, &options);
  content = cJSON_GetObjectItem (cJSON_GetArrayItem (cJSON_GetObjectItem (root, "messages"), 1),
                                 "content");
  g_assert_true (cJSON_IsArray (content));
  g_assert_cmpint (cJSON_GetArraySize (content), ==, 3);
  g_assert_cmpstr (cJSON_GetObjectItem (cJSON_GetArrayItem (content, 0), "type")->valuestring, ==,
                   "text");
  g_assert_cmpstr (cJSON_GetObjectItem (cJSON_GetObjectItem (cJSON_GetArrayItem (content, 1),
                                                             "image_url"), "url")->valuestring,
                   ==, "data:image/png;base64,iVBORw0KGgo=");
  g_assert_cmpstr (cJSON_GetObjectItem (cJSON_GetObjectItem (cJSON_GetArrayItem (content, 2),
                                                             "image_url"), "url")->valuestring,
                   ==, "data:image/jpeg;base64,/9j/");
  cJSON_Delete (root);
}

static void
test_redact (void)
{
  g_autofree char *a = md_syphus_redact ("key sk-123 and sk-123!", "sk-123");
  g_autofree char *b = md_syphus_redact ("{\"authorization\": \"Bearer other-token\"}", NULL);

  g_assert_cmpstr (a, ==, "key [redacted] and [redacted]!");
  g_assert_cmpstr (b, ==, "{\"authorization\": \"Bearer [redacted]\"}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/syphus/parse/qa-plain", test_qa_plain);
  g_test_add_func ("/syphus/parse/qa-markdown", test_qa_markdown);
  g_test_add_func ("/syphus/parse/qa-orphans", test_qa_orphans);
  g_test_add_func ("/syphus/parse/qa-several", test_qa_several);
  g_test_add_func ("/syphus/parse/qa-scene-navigation", test_qa_scene_navigation);
  g_test_add_func ("/syphus/parse/qa-none", test_qa_none);
  g_test_add_func ("/syphus/parse/qa-json", test_qa_to_json);
  g_test_add_func ("/syphus/parse/translation-clean", test_translation_clean);
  g_test_add_func ("/syphus/parse/translation-repaired", test_translation_repaired);
  g_test_add_func ("/syphus/parse/translation-broken", test_translation_broken);
  g_test_add_func ("/syphus/prompt/load", test_prompt_load);
  g_test_add_func ("/syphus/prompt/errors", test_prompt_errors);
  g_test_add_func ("/syphus/request/regenerate", test_request_regenerate);
  g_test_add_func ("/syphus/request/translate", test_request_translate);
  g_test_add_func ("/syphus/request/vision", test_request_vision);
  g_test_add_func ("/syphus/key/redact", test_redact);

  return g_test_run ();
}
