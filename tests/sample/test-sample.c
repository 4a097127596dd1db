/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cJSON.h>
#include <gio/gio.h>
#include <string.h>

/* Validates the bundled sample (data/sample) on its own terms, independently of the store code:
 * every file parses, every reference resolves, every image decodes to a 224x224 PNG or JPEG and
 * every pair has its seven translations, except for the deliberate defects, which must be found
 * exactly as defects.json (and the README) list them. Each quirk in quirks.json must hold too,
 * since the importer's tests rely on them. */

#define MAX_SAMPLE_BYTES (10 * 1024 * 1024)
#define IMAGE_SIZE 224

static const char * const languages[] = { "zh", "es", "ja", "de", "fr", "ko", "ar" };

typedef struct
{
  char       *dir;
  GHashTable *raw;      /* relative path -> GBytes */
  GHashTable *json;     /* relative path -> cJSON (the file parsed) */
  GPtrArray  *tasks;    /* task codes, from <TASK>_instructions.json */
  GHashTable *pairs;    /* pair id -> cJSON pair object (borrowed from json) */
  GHashTable *pair_task;/* pair id -> task code */
  guint64     total_bytes;
} Sample;

static Sample *sample;

static void
json_delete (gpointer data)
{
  cJSON_Delete (data);
}

static const char *
skip_bom (const char *text,
          gsize      *length)
{
  if (*length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    {
      *length -= 3;
      return text + 3;
    }
  return text;
}

static void
load_dir (GFile      *root,
          GFile      *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);

  while ((info = g_file_enumerator_next_file (children, NULL, &error)) != NULL)
    {
      g_autoptr(GFileInfo) owned = info;
      g_autoptr(GFile) child = g_file_get_child (dir, g_file_info_get_name (info));
      g_autofree char *relative = g_file_get_relative_path (root, child);
      char *contents = NULL;
      gsize length = 0;

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        {
          load_dir (root, child);
          continue;
        }

      g_file_load_contents (child, NULL, &contents, &length, NULL, &error);
      g_assert_no_error (error);
      sample->total_bytes += length;
      g_hash_table_insert (sample->raw, g_strdup (relative),
                           g_bytes_new_take (contents, length));
    }
  g_assert_no_error (error);
}

static GBytes *
raw_file (const char *relative)
{
  GBytes *bytes = g_hash_table_lookup (sample->raw, relative);

  if (bytes == NULL)
    g_error ("The sample has no file %s", relative);
  return bytes;
}

static cJSON *
json_file (const char *relative)
{
  cJSON *json = g_hash_table_lookup (sample->json, relative);

  if (json == NULL)
    g_error ("The sample has no JSON file %s", relative);
  return json;
}

/* Loads and parses the whole sample once; every test reads from it. */
static void
sample_load (void)
{
  const char *dir = g_getenv ("MD_SAMPLE_DIR");
  g_autoptr(GFile) root = NULL;
  g_autoptr(GList) paths = NULL;

  sample = g_new0 (Sample, 1);
  sample->dir = g_strdup (dir != NULL ? dir : SOURCE_SAMPLE_DIR);
  sample->raw = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_bytes_unref);
  sample->json = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, json_delete);
  sample->tasks = g_ptr_array_new_with_free_func (g_free);
  sample->pairs = g_hash_table_new (g_str_hash, g_str_equal);
  sample->pair_task = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  root = g_file_new_for_path (sample->dir);
  load_dir (root, root);

  paths = g_hash_table_get_keys (sample->raw);
  paths = g_list_sort (paths, (GCompareFunc) g_strcmp0);
  for (const GList *l = paths; l != NULL; l = l->next)
    {
      const char *path = l->data;
      gsize length;
      const char *text = g_bytes_get_data (raw_file (path), &length);
      cJSON *json;

      if (!g_str_has_suffix (path, ".json"))
        continue;
      text = skip_bom (text, &length);
      json = cJSON_ParseWithLength (text, length);
      if (json == NULL)
        g_error ("%s does not parse as JSON near byte %" G_GSIZE_FORMAT, path,
                 (gsize) (cJSON_GetErrorPtr () - text));
      g_hash_table_insert (sample->json, g_strdup (path), json);

      if (g_str_has_suffix (path, "_instructions.json") && strchr (path, '/') == NULL)
        {
          char *task = g_strndup (path, strlen (path) - strlen ("_instructions.json"));
          const cJSON *pair;

          g_ptr_array_add (sample->tasks, task);
          cJSON_ArrayForEach (pair, cJSON_GetObjectItemCaseSensitive (json, "data"))
            {
              g_assert_false (g_hash_table_contains (sample->pairs, pair->string));
              g_hash_table_insert (sample->pairs, pair->string, (gpointer) pair);
              g_hash_table_insert (sample->pair_task, pair->string, g_strdup (task));
            }
        }
    }
}

static void
sample_free (void)
{
  g_free (sample->dir);
  g_hash_table_unref (sample->raw);
  g_hash_table_unref (sample->pairs);
  g_hash_table_unref (sample->pair_task);
  g_hash_table_unref (sample->json);
  g_ptr_array_unref (sample->tasks);
  g_clear_pointer (&sample, g_free);
}

static void
found_add (GHashTable *found,
           const char *kind,
           const char *pair,
           const char *ref)
{
  g_hash_table_add (found, g_strdup_printf ("%s|%s|%s", kind, pair, ref));
}

static GHashTable *
found_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static gboolean
kind_in (const char         *kind,
         const char * const *kinds)
{
  if (kinds == NULL)
    return TRUE;
  return g_strv_contains (kinds, kind);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static char *
set_to_string (GHashTable *set)
{
  guint n = 0;
  g_autofree const char **keys = (const char **) g_hash_table_get_keys_as_array (set, &n);

  qsort (keys, n, sizeof (char *), compare_strings);
  return g_strjoinv ("\n", (char **) keys);
}

/* The listed defects of the given kinds (all kinds if NULL) as a "kind|pair|ref" set. */
static GHashTable *
listed_defects (const char * const *kinds)
{
  GHashTable *listed = found_new ();
  const cJSON *defect;

  cJSON_ArrayForEach (defect, json_file ("defects.json"))
    {
      const char *kind = cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (defect, "kind"));
      const char *pair = cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (defect, "pair"));
      const char *ref = cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (defect, "ref"));

      g_assert_nonnull (kind);
      g_assert_nonnull (pair);
      g_assert_nonnull (ref);
      if (kind_in (kind, kinds))
        found_add (listed, kind, pair, ref);
    }

  return listed;
}

static void
assert_found_as_listed (GHashTable         *found,
                        const char * const *kinds)
{
  g_autoptr(GHashTable) listed = listed_defects (kinds);
  g_autofree char *found_text = set_to_string (found);
  g_autofree char *listed_text = set_to_string (listed);

  g_assert_cmpstr (found_text, ==, listed_text);
}

/* Image ids of a pair: a list, the old single string, or nothing (text-only). */
static GPtrArray *
pair_image_ids (const cJSON *pair)
{
  const cJSON *ids = cJSON_GetObjectItemCaseSensitive (pair, "image_ids");
  GPtrArray *result = g_ptr_array_new ();
  const cJSON *id;

  if (cJSON_IsString (ids))
    g_ptr_array_add (result, ids->valuestring);
  else if (cJSON_IsArray (ids))
    cJSON_ArrayForEach (id, ids)
      {
        g_assert_true (cJSON_IsString (id));
        g_ptr_array_add (result, id->valuestring);
      }
  else
    g_assert_null (ids);

  return result;
}

static cJSON *
task_store (const char *task)
{
  g_autofree char *name = g_strdup_printf ("%s.json", task);

  return g_hash_table_lookup (sample->json, name);
}

/* "TVC_IMG_x_x_00009" -> "TVC_IMG_x_00009" when the clip name is doubled, else NULL. */
static char *
undouble_clip (const char *image_id)
{
  const char *marker = strstr (image_id, "_IMG_");
  const char *frame = strrchr (image_id, '_');
  g_autofree char *clip = NULL;
  gsize half;

  if (marker == NULL || frame == NULL || frame <= marker + 5)
    return NULL;
  clip = g_strndup (marker + 5, frame - (marker + 5));
  half = strlen (clip) / 2;
  if (strlen (clip) % 2 == 0 || clip[half] != '_' || strncmp (clip, clip + half + 1, half) != 0)
    return NULL;
  return g_strdup_printf ("%.*s%.*s%s", (int) (marker + 5 - image_id), image_id, (int) half,
                          clip, frame);
}

static void
detect_references (GHashTable *found,
                   guint      *n_refs)
{
  *n_refs = 0;

  for (guint t = 0; t < sample->tasks->len; t++)
    {
      const char *task = g_ptr_array_index (sample->tasks, t);
      g_autofree char *name = g_strdup_printf ("%s_instructions.json", task);
      g_autofree char *train_name = g_strdup_printf ("%s_train.json", task);
      const cJSON *store = task_store (task);
      const cJSON *train = g_hash_table_lookup (sample->json, train_name);
      const cJSON *pair;

      cJSON_ArrayForEach (pair, cJSON_GetObjectItemCaseSensitive (json_file (name), "data"))
        {
          const cJSON *rel = cJSON_GetObjectItemCaseSensitive (pair, "rel_ins_ids");
          g_autoptr(GPtrArray) images = pair_image_ids (pair);
          const cJSON *id;

          g_assert_true (cJSON_IsArray (rel));
          cJSON_ArrayForEach (id, rel)
            {
              g_assert_true (cJSON_IsString (id));
              (*n_refs)++;
              if (g_strcmp0 (g_hash_table_lookup (sample->pair_task, id->valuestring), task) != 0)
                found_add (found, "dangling_context", pair->string, id->valuestring);
            }

          for (guint i = 0; i < images->len; i++)
            {
              const char *image_id = g_ptr_array_index (images, i);
              g_autofree char *undoubled = undouble_clip (image_id);

              (*n_refs)++;
              g_assert_true (g_str_has_prefix (image_id, task));
              if (store != NULL && cJSON_GetObjectItemCaseSensitive (store, image_id) != NULL)
                continue;
              if (undoubled != NULL && store != NULL
                  && cJSON_GetObjectItemCaseSensitive (store, undoubled) != NULL)
                {
                  g_autofree char *clip = g_strndup (image_id, strrchr (image_id, '_') - image_id);

                  found_add (found, "doubled_clip_name", pair->string, clip);
                }
              else
                found_add (found, "missing_image", pair->string, image_id);
            }
        }

      if (train != NULL)
        {
          const cJSON *entry;

          g_assert_true (cJSON_IsObject (train));
          cJSON_ArrayForEach (entry, train)
            {
              const cJSON *id;

              (*n_refs)++;
              if (g_strcmp0 (g_hash_table_lookup (sample->pair_task, entry->string), task) != 0)
                found_add (found, "dangling_context", entry->string, entry->string);
              g_assert_true (cJSON_IsArray (entry));
              cJSON_ArrayForEach (id, entry)
                {
                  (*n_refs)++;
                  g_assert_true (cJSON_IsString (id));
                  if (g_strcmp0 (g_hash_table_lookup (sample->pair_task, id->valuestring),
                                 task) != 0)
                    found_add (found, "dangling_context", entry->string, id->valuestring);
                }
            }
        }
    }
}

/* Strict base64: either alphabet (not mixed within one value), `=` padding optional but only
 * at the end. Returns NULL on any other character. */
static GBytes *
decode_base64 (const char *text)
{
  static const char standard[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static const char url_safe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  gsize length = strlen (text);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  const char *alphabet = strpbrk (text, "-_") != NULL ? url_safe : standard;
  guint32 acc = 0;
  guint bits = 0;

  while (length > 0 && text[length - 1] == '=')
    length--;
  if (strlen (text) - length > 2 || length % 4 == 1)
    return NULL;

  for (gsize i = 0; i < length; i++)
    {
      const char *at = text[i] != '\0' ? strchr (alphabet, text[i]) : NULL;

      if (at == NULL)
        return NULL;
      acc = (acc << 6) | (guint32) (at - alphabet);
      bits += 6;
      if (bits >= 8)
        {
          guint8 byte = (acc >> (bits - 8)) & 0xff;

          bits -= 8;
          g_byte_array_append (out, &byte, 1);
        }
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

typedef enum
{
  IMAGE_BAD,
  IMAGE_PNG,
  IMAGE_JPEG,
} ImageKind;

static guint
be16 (const guint8 *p)
{
  return (p[0] << 8) | p[1];
}

static guint
be32 (const guint8 *p)
{
  return ((guint) p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

/* Reads the kind and size from the header bytes: PNG's IHDR, or JPEG's first SOFn segment.
 * A file cut short is caught by its missing end (PNG's IEND chunk, JPEG's EOI marker). */
static ImageKind
image_header (GBytes *bytes,
              guint  *width,
              guint  *height)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  if (length >= 24 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0
      && memcmp (data + 12, "IHDR", 4) == 0)
    {
      if (memcmp (data + length - 8, "IEND", 4) != 0)
        return IMAGE_BAD;
      *width = be32 (data + 16);
      *height = be32 (data + 20);
      return IMAGE_PNG;
    }

  if (length >= 4 && data[0] == 0xff && data[1] == 0xd8)
    {
      gsize pos = 2;

      if (data[length - 2] != 0xff || data[length - 1] != 0xd9)
        return IMAGE_BAD;

      while (pos + 4 <= length)
        {
          guint marker;

          if (data[pos] != 0xff)
            return IMAGE_BAD;
          marker = data[pos + 1];
          if (marker == 0xff)
            {
              pos++;
              continue;
            }
          if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8
              && marker != 0xcc)
            {
              if (pos + 9 > length)
                return IMAGE_BAD;
              *height = be16 (data + pos + 5);
              *width = be16 (data + pos + 7);
              return IMAGE_JPEG;
            }
          if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
            pos += 2;
          else
            pos += 2 + be16 (data + pos + 2);
        }
    }

  return IMAGE_BAD;
}

static const char *
store_value (const cJSON *value)
{
  if (cJSON_IsString (value))
    return value->valuestring;
  if (cJSON_IsArray (value) && cJSON_GetArraySize (value) == 1)
    return cJSON_GetStringValue (cJSON_GetArrayItem (value, 0));
  return NULL;
}

static ImageKind
decode_store_value (const cJSON *value)
{
  const char *text = store_value (value);
  g_autoptr(GBytes) bytes = NULL;
  guint width = 0, height = 0;
  ImageKind kind;

  if (text == NULL || (bytes = decode_base64 (text)) == NULL)
    return IMAGE_BAD;
  kind = image_header (bytes, &width, &height);
  if (width != IMAGE_SIZE || height != IMAGE_SIZE)
    return IMAGE_BAD;
  return kind;
}

static void
detect_images (GHashTable *found,
               guint      *n_png,
               guint      *n_jpeg)
{
  *n_png = *n_jpeg = 0;

  for (guint t = 0; t < sample->tasks->len; t++)
    {
      const char *task = g_ptr_array_index (sample->tasks, t);
      g_autofree char *name = g_strdup_printf ("%s_instructions.json", task);
      const cJSON *store = task_store (task);
      const cJSON *value;

      if (store == NULL)
        continue;
      g_assert_true (cJSON_IsObject (store));
      cJSON_ArrayForEach (value, store)
        {
          const cJSON *pair;

          switch (decode_store_value (value))
            {
            case IMAGE_PNG:
              (*n_png)++;
              continue;
            case IMAGE_JPEG:
              (*n_jpeg)++;
              continue;
            case IMAGE_BAD:
            default:
              break;
            }

          /* Name the pairs that show the broken image. */
          cJSON_ArrayForEach (pair, cJSON_GetObjectItemCaseSensitive (json_file (name), "data"))
            {
              g_autoptr(GPtrArray) images = pair_image_ids (pair);

              for (guint i = 0; i < images->len; i++)
                if (g_str_equal (g_ptr_array_index (images, i), value->string))
                  found_add (found, "undecodable_image", pair->string, value->string);
            }
        }
    }
}

/* What a careful reader does with a raw reply: drop code fences and trailing commas. */
static char *
repair_reply (const char *reply,
              gboolean   *had_fence,
              gboolean   *had_trailing_comma)
{
  g_autofree char *text = g_strstrip (g_strdup (reply));
  GString *out = g_string_new (NULL);
  gboolean in_string = FALSE;
  const char *body = text;
  const char *end;

  *had_fence = FALSE;
  *had_trailing_comma = FALSE;
  if (g_str_has_prefix (body, "```"))
    {
      const char *newline = strchr (body, '\n');

      *had_fence = TRUE;
      body = newline != NULL ? newline + 1 : body + strlen (body);
      end = g_strrstr (body, "```");
      if (end == NULL)
        end = body + strlen (body);
    }
  else
    end = body + strlen (body);

  for (const char *p = body; p < end; p++)
    {
      if (in_string)
        {
          g_string_append_c (out, *p);
          if (*p == '\\' && p + 1 < end)
            g_string_append_c (out, *++p);
          else if (*p == '"')
            in_string = FALSE;
          continue;
        }
      if (*p == '"')
        in_string = TRUE;
      if (*p == ',')
        {
          const char *next = p + 1;

          while (next < end && g_ascii_isspace (*next))
            next++;
          if (next < end && (*next == '}' || *next == ']'))
            {
              *had_trailing_comma = TRUE;
              continue;
            }
        }
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static gboolean
ends_sentence (const char *text)
{
  static const gunichar stops[] = { '.', '?', '!', 0x3002, 0xff1f, 0xff01, 0x061f, 0x2026 };
  g_autofree char *copy = g_strstrip (g_strdup (text));
  const char *last;
  gunichar c;

  if (*copy == '\0')
    return FALSE;
  last = g_utf8_find_prev_char (copy, copy + strlen (copy));
  c = g_utf8_get_char (last);
  for (guint i = 0; i < G_N_ELEMENTS (stops); i++)
    if (c == stops[i])
      return TRUE;
  return FALSE;
}

/* The set of ASCII digit runs of a text, sorted and joined: "3,4,7". */
static char *
numbers_of (const char *text)
{
  g_autoptr(GHashTable) numbers = found_new ();

  for (const char *p = text; *p != '\0';)
    {
      gsize n = strspn (p, "0123456789");

      if (n > 0)
        {
          g_hash_table_add (numbers, g_strndup (p, n));
          p += n;
        }
      else
        p++;
    }

  return set_to_string (numbers);
}

static void
check_translation (GHashTable  *found,
                   const char  *pair_id,
                   const cJSON *reply,
                   const char  *lang)
{
  const cJSON *pair = g_hash_table_lookup (sample->pairs, pair_id);

  for (guint field = 0; field < 2; field++)
    {
      const char *english = cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (
        pair, field == 0 ? "instruction" : "answer"));
      const cJSON *group = cJSON_GetObjectItemCaseSensitive (reply, field == 0 ? "a" : "b");
      const char *text = cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (group, lang));
      g_autofree char *english_numbers = NULL;
      g_autofree char *numbers = NULL;

      g_assert_nonnull (english);
      if (text == NULL || *text == '\0')
        {
          found_add (found, "missing_translation", pair_id, lang);
          continue;
        }
      if (ends_sentence (english) && !ends_sentence (text))
        found_add (found, "truncated_translation", pair_id, lang);
      english_numbers = numbers_of (english);
      numbers = numbers_of (text);
      if (g_strcmp0 (english_numbers, numbers) != 0)
        found_add (found, "number_mismatch", pair_id, lang);
    }
}

static void
detect_translations (GHashTable *found,
                     guint      *n_translated)
{
  *n_translated = 0;

  for (guint t = 0; t < sample->tasks->len; t++)
    {
      const char *task = g_ptr_array_index (sample->tasks, t);
      g_autofree char *queries_name = g_strdup_printf ("translations/%s/query_input.json", task);
      g_autofree char *valid_name = g_strdup_printf ("translations/%s/valid_output.json", task);
      g_autofree char *meta_name = g_strdup_printf ("translations/%s/meta.json", task);
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      const cJSON *entry;

      g_assert_true (cJSON_IsObject (json_file (meta_name)));

      cJSON_ArrayForEach (entry, json_file (queries_name))
        {
          const char *id = cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (entry, "id"));
          const char *sentences = cJSON_GetStringValue (
            cJSON_GetObjectItemCaseSensitive (entry, "sentences"));
          const cJSON *pair = g_hash_table_lookup (sample->pairs, id);
          g_autofree char *expected = NULL;

          g_assert_nonnull (pair);
          expected = g_strdup_printf (
            "<a>%s</a><b>%s</b>",
            cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (pair, "instruction")),
            cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (pair, "answer")));
          g_assert_cmpstr (sentences, ==, expected);
        }

      cJSON_ArrayForEach (entry, json_file (valid_name))
        {
          const char *id = cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (entry, "id"));
          const char *results = cJSON_GetStringValue (
            cJSON_GetObjectItemCaseSensitive (entry, "results"));
          gboolean fence, comma;
          g_autofree char *repaired = NULL;
          cJSON *reply;

          g_assert_nonnull (id);
          g_assert_nonnull (results);
          g_assert_cmpstr (g_hash_table_lookup (sample->pair_task, id), ==, task);
          g_assert_false (g_hash_table_contains (seen, id));
          g_hash_table_add (seen, (gpointer) id);

          repaired = repair_reply (results, &fence, &comma);
          reply = cJSON_Parse (repaired);
          if (reply == NULL)
            g_error ("%s: the reply for %s does not parse even after repair", valid_name, id);
          for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
            check_translation (found, id, reply, languages[l]);
          cJSON_Delete (reply);
          (*n_translated)++;
        }

      /* Every pair of the task has its reply. */
      {
        GHashTableIter iter;
        gpointer key, value;

        g_hash_table_iter_init (&iter, sample->pair_task);
        while (g_hash_table_iter_next (&iter, &key, &value))
          if (g_str_equal (value, task) && !g_hash_table_contains (seen, key))
            g_error ("%s has no reply for %s", valid_name, (const char *) key);
      }
    }
}

static void
test_files_parse (void)
{
  guint n_json = g_hash_table_size (sample->json);

  /* Every *.json file parsed in sample_load(); the layout is there. */
  g_assert_cmpuint (n_json, >=, 6 * 6);
  g_assert_cmpuint (sample->tasks->len, >=, 5);
  for (guint i = 0; i < sample->tasks->len; i++)
    {
      const char *task = g_ptr_array_index (sample->tasks, i);
      g_autofree char *name = g_strdup_printf ("%s_instructions.json", task);
      cJSON *root = json_file (name);

      g_assert_true (cJSON_IsObject (cJSON_GetObjectItemCaseSensitive (root, "meta")));
      g_assert_true (cJSON_IsObject (cJSON_GetObjectItemCaseSensitive (root, "data")));
    }
  g_assert_true (g_hash_table_contains (sample->raw, "README.md"));
  g_assert_true (g_hash_table_contains (sample->raw, "DC_train.json"));
}

static void
test_size (void)
{
  g_test_message ("sample size: %" G_GUINT64_FORMAT " bytes", sample->total_bytes);
  g_assert_cmpuint (sample->total_bytes, <, MAX_SAMPLE_BYTES);
}

static void
test_pairs (void)
{
  static const char * const known_keys[] = { "instruction", "answer", "image_ids", "rel_ins_ids",
                                              NULL };
  GHashTableIter iter;
  gpointer key, value;
  guint n_text_only = 0, n_extra = 0;
  g_autoptr(GHashTable) tasks_with_pairs = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (g_hash_table_size (sample->pairs), >=, 60);

  g_hash_table_iter_init (&iter, sample->pairs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const cJSON *pair = value;
      const cJSON *field;
      const char *task = g_hash_table_lookup (sample->pair_task, key);
      g_autofree char *prefix = g_strdup_printf ("%s_INS_", task);
      g_autoptr(GPtrArray) images = pair_image_ids (pair);

      g_assert_true (g_str_has_prefix (key, prefix));
      field = cJSON_GetObjectItemCaseSensitive (pair, "instruction");
      g_assert_true (cJSON_IsString (field) && *field->valuestring != '\0');
      field = cJSON_GetObjectItemCaseSensitive (pair, "answer");
      g_assert_true (cJSON_IsString (field) && *field->valuestring != '\0');
      if (images->len == 0)
        n_text_only++;
      cJSON_ArrayForEach (field, pair)
        if (!g_strv_contains (known_keys, field->string))
          n_extra++;
      g_hash_table_add (tasks_with_pairs, (gpointer) task);
    }

  g_assert_true (g_hash_table_contains (tasks_with_pairs, "LA"));
  g_assert_true (g_hash_table_contains (tasks_with_pairs, "SD"));
  g_assert_true (g_hash_table_contains (tasks_with_pairs, "DC"));
  g_assert_true (g_hash_table_contains (tasks_with_pairs, "VST"));
  g_assert_true (g_hash_table_contains (tasks_with_pairs, "TXT"));
  g_assert_cmpuint (n_text_only, >=, 1);
  g_assert_cmpuint (n_extra, >=, 1);
}

/* Shapes of the subsets the brief promises: SD pairs show two images _1/_2, DC clips have 12+
 * frames in order, VST albums 4-5 photos, LA one image each. */
static void
test_subset_shapes (void)
{
  guint n_clips = 0;
  g_autoptr(GHashTable) clips = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, sample->pairs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *task = g_hash_table_lookup (sample->pair_task, key);
      g_autoptr(GPtrArray) images = pair_image_ids (value);

      if (g_str_equal (task, "LA"))
        g_assert_cmpuint (images->len, ==, 1);
      else if (g_str_equal (task, "SD"))
        {
          g_assert_cmpuint (images->len, ==, 2);
          g_assert_true (g_str_has_suffix (g_ptr_array_index (images, 0), "_1"));
          g_assert_true (g_str_has_suffix (g_ptr_array_index (images, 1), "_2"));
        }
      else if (g_str_equal (task, "VST"))
        g_assert_cmpuint (images->len, >=, 4);
      else if (g_str_equal (task, "DC"))
        {
          const char *first = g_ptr_array_index (images, 0);

          g_assert_cmpuint (images->len, >=, 12);
          for (guint i = 0; i < images->len; i++)
            {
              g_autofree char *suffix = g_strdup_printf ("_%04u", i);

              g_assert_true (g_str_has_suffix (g_ptr_array_index (images, i), suffix));
            }
          g_hash_table_add (clips, g_strndup (first, strrchr (first, '_') - first));
        }
      else if (g_str_equal (task, "TXT"))
        g_assert_cmpuint (images->len, ==, 0);
    }

  n_clips = g_hash_table_size (clips);
  g_assert_cmpuint (n_clips, >=, 2);
}

static void
test_references (void)
{
  static const char * const kinds[] = { "dangling_context", "missing_image", "doubled_clip_name",
                                        NULL };
  g_autoptr(GHashTable) found = found_new ();
  guint n_refs = 0;

  detect_references (found, &n_refs);
  g_test_message ("%u references checked", n_refs);
  g_assert_cmpuint (n_refs, >, 400);
  assert_found_as_listed (found, kinds);
}

static void
test_images (void)
{
  static const char * const kinds[] = { "undecodable_image", NULL };
  g_autoptr(GHashTable) found = found_new ();
  guint n_png = 0, n_jpeg = 0;

  detect_images (found, &n_png, &n_jpeg);
  g_test_message ("%u PNG and %u JPEG images decoded", n_png, n_jpeg);
  g_assert_cmpuint (n_png, >=, 20);
  g_assert_cmpuint (n_jpeg, >=, 20);
  assert_found_as_listed (found, kinds);
}

static void
test_translations (void)
{
  static const char * const kinds[] = { "missing_translation", "truncated_translation",
                                        "number_mismatch", NULL };
  g_autoptr(GHashTable) found = found_new ();
  guint n_translated = 0;

  detect_translations (found, &n_translated);
  g_assert_cmpuint (n_translated, ==, g_hash_table_size (sample->pairs));
  assert_found_as_listed (found, kinds);
}

/* All detectors together find exactly what defects.json lists, and nothing of an unknown kind is
 * listed. */
static void
test_defects (void)
{
  g_autoptr(GHashTable) found = found_new ();
  guint n_refs, n_png, n_jpeg, n_translated;

  detect_references (found, &n_refs);
  detect_images (found, &n_png, &n_jpeg);
  detect_translations (found, &n_translated);
  assert_found_as_listed (found, NULL);
  g_assert_cmpuint (g_hash_table_size (found), >=, 6);
}

static const cJSON *
lookup_reply (const char *file,
              const char *pair_id)
{
  const cJSON *entry;

  cJSON_ArrayForEach (entry, json_file (file))
    if (g_strcmp0 (cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (entry, "id")),
                   pair_id) == 0)
      return entry;
  g_error ("%s has no reply for %s", file, pair_id);
}

static gboolean
has_non_ascii (const char *text,
               gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if ((guchar) text[i] >= 0x80)
      return TRUE;
  return FALSE;
}

static void
check_quirk (const char *kind,
             const char *file,
             const char *ref)
{
  gsize length;
  const char *raw = g_bytes_get_data (raw_file (file), &length);
  g_autofree char *text = g_strndup (raw, length);
  const cJSON *json = json_file (file);
  const cJSON *data = cJSON_GetObjectItemCaseSensitive (json, "data");

  g_test_message ("quirk %s in %s (%s)", kind, file, ref != NULL ? ref : "-");

  if (g_str_equal (kind, "bom"))
    g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF"));
  else if (g_str_equal (kind, "pretty"))
    g_assert_nonnull (strstr (text, "\n  \""));
  else if (g_str_equal (kind, "single_line"))
    g_assert_null (memchr (raw, '\n', length - 1));
  else if (g_str_equal (kind, "surrogate_escape"))
    {
      const char *instruction = cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (
        cJSON_GetObjectItemCaseSensitive (data, ref), "instruction"));

      g_assert_nonnull (strstr (text, "\\ud83c\\udf4e"));
      g_assert_false (has_non_ascii (raw, length));
      g_assert_true (g_str_has_prefix (instruction, "\xF0\x9F\x8D\x8E"));
    }
  else if (g_str_equal (kind, "raw_utf8"))
    {
      const char *answer = cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (
        cJSON_GetObjectItemCaseSensitive (data, ref), "answer"));

      g_assert_null (strstr (text, "\\u"));
      g_assert_true (has_non_ascii (answer, strlen (answer)));
    }
  else if (g_str_equal (kind, "string_image_ids"))
    g_assert_true (cJSON_IsString (cJSON_GetObjectItemCaseSensitive (
      cJSON_GetObjectItemCaseSensitive (data, ref), "image_ids")));
  else if (g_str_equal (kind, "extra_keys"))
    g_assert_cmpint (cJSON_GetArraySize (cJSON_GetObjectItemCaseSensitive (data, ref)), >, 4);
  else if (g_str_equal (kind, "no_image_ids"))
    {
      const cJSON *pair;

      cJSON_ArrayForEach (pair, data)
        g_assert_null (cJSON_GetObjectItemCaseSensitive (pair, "image_ids"));
    }
  else if (g_str_equal (kind, "list_value"))
    {
      const cJSON *value = cJSON_GetObjectItemCaseSensitive (json, ref);

      g_assert_true (cJSON_IsArray (value));
      g_assert_cmpint (cJSON_GetArraySize (value), ==, 1);
      g_assert_cmpint (decode_store_value (value), !=, IMAGE_BAD);
    }
  else if (g_str_equal (kind, "urlsafe_base64"))
    {
      const cJSON *value;
      gboolean url_only_characters = FALSE;

      cJSON_ArrayForEach (value, json)
        {
          g_assert_null (strpbrk (value->valuestring, "+/="));
          if (strpbrk (value->valuestring, "-_") != NULL)
            url_only_characters = TRUE;
        }
      g_assert_true (url_only_characters);
    }
  else if (g_str_equal (kind, "png") || g_str_equal (kind, "jpeg"))
    {
      ImageKind expected = g_str_equal (kind, "png") ? IMAGE_PNG : IMAGE_JPEG;
      const cJSON *value;
      guint n = 0;

      cJSON_ArrayForEach (value, json)
        {
          ImageKind got = decode_store_value (value);

          if (got != IMAGE_BAD)
            {
              g_assert_cmpint (got, ==, expected);
              n++;
            }
        }
      g_assert_cmpuint (n, >, 0);
    }
  else if (g_str_equal (kind, "fenced_reply") || g_str_equal (kind, "trailing_comma")
           || g_str_equal (kind, "escaped_reply"))
    {
      const char *results = cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (
        lookup_reply (file, ref), "results"));
      gboolean fence, comma;
      g_autofree char *repaired = repair_reply (results, &fence, &comma);

      if (g_str_equal (kind, "fenced_reply"))
        g_assert_true (fence);
      else if (g_str_equal (kind, "trailing_comma"))
        {
          g_autofree char *unrepaired = NULL;
          cJSON *strict;

          g_assert_true (comma);
          /* Without the repair the reply must not parse: the comma is really there. */
          unrepaired = g_strdup (results);
          strict = cJSON_Parse (unrepaired);
          g_assert_null (strict);
        }
      else
        g_assert_nonnull (strstr (results, "\\u"));
    }
  else
    g_error ("quirks.json lists an unknown kind %s", kind);
}

static void
test_quirks (void)
{
  const cJSON *quirk;
  guint n = 0;

  cJSON_ArrayForEach (quirk, json_file ("quirks.json"))
    {
      check_quirk (cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (quirk, "kind")),
                   cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (quirk, "file")),
                   cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (quirk, "ref")));
      n++;
    }
  g_assert_cmpuint (n, >=, 12);
}

/* The README's defect table ("| `kind` | `pair` | `ref` | ...") matches defects.json. */
static void
test_readme (void)
{
  gsize length;
  const char *raw = g_bytes_get_data (raw_file ("README.md"), &length);
  g_autofree char *text = g_strndup (raw, length);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GHashTable) listed = found_new ();
  g_autoptr(GHashTable) expected = listed_defects (NULL);
  g_autofree char *listed_text = NULL;
  g_autofree char *expected_text = NULL;

  g_assert_nonnull (strstr (text, "meson compile -C _build md-make-sample && "
                                  "_build/data/sample-generator/md-make-sample data/sample"));

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) cells = NULL;

      if (!g_str_has_prefix (lines[i], "| `"))
        continue;
      cells = g_strsplit (lines[i], "`", -1);
      /* "| `kind` | `pair` | `ref` |" splits into 7 pieces, the names at 1, 3 and 5. */
      if (g_strv_length (cells) >= 7)
        found_add (listed, cells[1], cells[3], cells[5]);
    }

  listed_text = set_to_string (listed);
  expected_text = set_to_string (expected);
  g_assert_cmpstr (listed_text, ==, expected_text);
}

/* The Syphus prompt files beside the sample: well-formed, alternating user and assistant turns,
 * assistant content a string or a list of objects whose values are strings. */
static void
test_prompts (void)
{
  static const char * const names[] = { "LA.json", "SD.json", "DC.json", "VST.json", "TXT.json",
                                        "translation.json" };
  const char *dir = g_getenv ("MD_PROMPTS_DIR");

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir != NULL ? dir : SOURCE_PROMPTS_DIR, names[i],
                                                NULL);
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;
      cJSON *prompt;
      const cJSON *turn;
      guint n = 0;

      g_file_get_contents (path, &text, NULL, &error);
      g_assert_no_error (error);
      prompt = cJSON_Parse (text);
      g_assert_nonnull (prompt);
      g_assert_nonnull (cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (prompt,
                                                                                "system_message")));
      cJSON_ArrayForEach (turn, cJSON_GetObjectItemCaseSensitive (prompt, "in_context"))
        {
          const char *role = cJSON_GetStringValue (cJSON_GetObjectItemCaseSensitive (turn, "role"));
          const cJSON *content = cJSON_GetObjectItemCaseSensitive (turn, "content");

          g_assert_cmpstr (role, ==, n % 2 == 0 ? "user" : "assistant");
          if (n % 2 == 0 || cJSON_IsString (content))
            g_assert_true (cJSON_IsString (content) && *content->valuestring != '\0');
          else
            {
              const cJSON *item, *field;

              g_assert_true (cJSON_IsArray (content));
              g_assert_cmpint (cJSON_GetArraySize (content), >, 0);
              cJSON_ArrayForEach (item, content)
                cJSON_ArrayForEach (field, item)
                  g_assert_true (cJSON_IsString (field));
            }
          n++;
        }
      g_assert_cmpuint (n, >=, 2);
      g_assert_cmpuint (n % 2, ==, 0);
      cJSON_Delete (prompt);
    }
}

int
main (int argc, char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  sample_load ();

  g_test_add_func ("/sample/files/parse", test_files_parse);
  g_test_add_func ("/sample/files/size", test_size);
  g_test_add_func ("/sample/pairs/count", test_pairs);
  g_test_add_func ("/sample/pairs/subsets", test_subset_shapes);
  g_test_add_func ("/sample/references", test_references);
  g_test_add_func ("/sample/images", test_images);
  g_test_add_func ("/sample/translations", test_translations);
  g_test_add_func ("/sample/defects", test_defects);
  g_test_add_func ("/sample/quirks", test_quirks);
  g_test_add_func ("/sample/readme", test_readme);
  g_test_add_func ("/sample/prompts", test_prompts);

  status = g_test_run ();
  sample_free ();
  return status;
}
