/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-make-sample"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "md-sample-draw.h"
#include "md-sample-json.h"
#include "md-sample-text.h"

/* Writes the bundled sample dataset (data/sample). Every picture is drawn from a scene model and
 * every sentence is filled from the same model, so the text is true of the images. The output
 * is byte-for-byte reproducible: fixed seeds, no clock, no locale-dependent formatting.
 *
 * Usage: md-make-sample OUTPUT-DIR */

#define SEED 20230601

typedef struct
{
  char      *id;
  MdText     instruction;
  MdText     answer;
  GPtrArray *image_ids;            /* NULL for text-only pairs */
  GPtrArray *rel_ins_ids;
  gboolean   image_ids_as_string;  /* the old single-string form */
  const char *extra_key;
  const char *extra_value;
  guint      key_order;
} Pair;

typedef struct
{
  char   *id;
  GBytes *data;
} Image;

typedef enum
{
  STORE_PLAIN,
  STORE_URL_SAFE,   /* URL-safe alphabet, `=` padding stripped */
} StoreEncoding;

typedef struct
{
  const char    *code;
  GPtrArray     *pairs;
  GPtrArray     *images;
  /* Instruction file layout. */
  gboolean       pretty;
  gboolean       ascii_only;
  gboolean       bom;
  /* Image store layout. */
  StoreEncoding  encoding;
  gboolean       store_pretty;
  const char    *list_value_id;     /* stored as a one-element list */
  const char    *corrupt_value_id;  /* stored as undecodable base64 */
} Task;

static GRand *rng;
static GPtrArray *defects;
static GPtrArray *quirks;

/* Records are kept as (kind, pair/file, ref, note) string quadruples. */
static void
add_record (GPtrArray  *records,
            const char *kind,
            const char *where,
            const char *ref,
            const char *note)
{
  char **record = g_new0 (char *, 5);

  record[0] = g_strdup (kind);
  record[1] = g_strdup (where);
  record[2] = g_strdup (ref);
  record[3] = g_strdup (note);
  g_ptr_array_add (records, record);
}

static void
pair_free (gpointer data)
{
  Pair *pair = data;

  g_free (pair->id);
  md_text_clear (&pair->instruction);
  md_text_clear (&pair->answer);
  g_clear_pointer (&pair->image_ids, g_ptr_array_unref);
  g_clear_pointer (&pair->rel_ins_ids, g_ptr_array_unref);
  g_free (pair);
}

static void
image_free (gpointer data)
{
  Image *image = data;

  g_free (image->id);
  g_bytes_unref (image->data);
  g_free (image);
}

static Task *
task_new (const char *code)
{
  Task *task = g_new0 (Task, 1);

  task->code = code;
  task->pairs = g_ptr_array_new_with_free_func (pair_free);
  task->images = g_ptr_array_new_with_free_func (image_free);
  task->pretty = TRUE;
  return task;
}

static void
task_free (Task *task)
{
  g_ptr_array_unref (task->pairs);
  g_ptr_array_unref (task->images);
  g_free (task);
}

static Pair *
task_add_pair (Task *task)
{
  Pair *pair = g_new0 (Pair, 1);

  pair->id = g_strdup_printf ("%s_INS_%05u", task->code, task->pairs->len + 1);
  pair->rel_ins_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (task->pairs, pair);
  return pair;
}

static void
pair_add_image (Pair       *pair,
                const char *image_id)
{
  if (pair->image_ids == NULL)
    pair->image_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (pair->image_ids, g_strdup (image_id));
}

static void
task_add_image (Task            *task,
                const char      *id,
                cairo_surface_t *surface,
                gboolean         jpeg)
{
  Image *image = g_new0 (Image, 1);

  image->id = g_strdup (id);
  image->data = jpeg ? md_encode_jpeg (surface) : md_encode_png (surface);
  g_ptr_array_add (task->images, image);
  cairo_surface_destroy (surface);
}

static guint
rand_below (guint n)
{
  return (guint) g_rand_int_range (rng, 0, (gint32) n);
}

/* Three distinct shapes in the left, middle and right thirds, three distinct colors. */
static void
row_scene (MdShapeScene *scene)
{
  MdShape shapes[] = { MD_SHAPE_CIRCLE, MD_SHAPE_SQUARE, MD_SHAPE_TRIANGLE };
  MdColor colors[] = { MD_COLOR_RED, MD_COLOR_BLUE, MD_COLOR_GREEN, MD_COLOR_YELLOW };

  for (guint i = G_N_ELEMENTS (shapes) - 1; i > 0; i--)
    {
      guint j = rand_below (i + 1);
      MdShape t = shapes[i];

      shapes[i] = shapes[j];
      shapes[j] = t;
    }
  for (guint i = G_N_ELEMENTS (colors) - 1; i > 0; i--)
    {
      guint j = rand_below (i + 1);
      MdColor t = colors[i];

      colors[i] = colors[j];
      colors[j] = t;
    }

  memset (scene, 0, sizeof *scene);
  scene->background = rand_below (4);
  scene->n_items = 3;
  for (guint i = 0; i < 3; i++)
    {
      scene->items[i].shape = shapes[i];
      scene->items[i].color = colors[i];
      scene->items[i].x = 40 + 72 * i + (double) rand_below (9) - 4;
      scene->items[i].y = 100 + (double) rand_below (31);
      scene->items[i].size = 24 + rand_below (6);
    }
}

/* 3 to 5 shapes in distinct cells of a 3x2 grid, so none overlap. */
static void
count_scene (MdShapeScene *scene)
{
  gboolean used[6] = { FALSE, };

  memset (scene, 0, sizeof *scene);
  scene->background = rand_below (4);
  scene->n_items = 3 + rand_below (3);
  for (guint i = 0; i < scene->n_items; i++)
    {
      guint cell;

      do
        cell = rand_below (6);
      while (used[cell]);
      used[cell] = TRUE;
      scene->items[i].shape = rand_below (MD_N_SHAPES);
      scene->items[i].color = rand_below (MD_N_COLORS);
      scene->items[i].x = 40 + 72 * (cell % 3) + (double) rand_below (11) - 5;
      scene->items[i].y = 62 + 100 * (cell / 3) + (double) rand_below (11) - 5;
      scene->items[i].size = 20 + rand_below (6);
    }
}

/* LA: one COCO-style picture per pair; in-context examples are pairs of the same question
 * type, each with its own picture. */
static Task *
build_la (void)
{
  Task *task = task_new ("LA");
  const guint n_pairs = 22;

  for (guint k = 1; k <= n_pairs; k++)
    {
      Pair *pair = task_add_pair (task);
      g_autofree char *image_id = g_strdup_printf ("LA_IMG_000000%06u", 139000 + k * 4127);
      MdShapeScene scene;
      guint type = (k - 1) % 4;

      if (type == 0)
        {
          count_scene (&scene);
          md_text_la_count (scene.n_items, &pair->instruction, &pair->answer);
        }
      else
        {
          guint target = rand_below (3);
          const MdItem *item;

          row_scene (&scene);
          item = &scene.items[target];
          if (type == 1)
            md_text_la_color (item->shape, item->color, &pair->instruction, &pair->answer);
          else if (type == 2)
            md_text_la_where (item->shape, item->color, target, &pair->instruction, &pair->answer);
          else
            {
              /* Alternate yes and no answers. */
              MdColor asked = (k / 4) % 2 == 0
                ? item->color
                : (item->color + 1 + rand_below (3)) % MD_N_COLORS;

              md_text_la_exists (item->shape, asked, item->color,
                                 &pair->instruction, &pair->answer);
            }
        }

      task_add_image (task, image_id, md_draw_shapes (&scene), TRUE);
      pair_add_image (pair, image_id);
      pair->key_order = k % 3;
      if (k % 5 == 0)
        {
          pair->extra_key = "source";
          pair->extra_value = "coco-style";
        }
      else if (k % 7 == 0)
        {
          pair->extra_key = "question_type";
          pair->extra_value = (const char *[]) { "count", "color", "position", "existence" }[type];
        }

      /* The next two pairs of the same type, cyclically. */
      for (guint step = 1; step <= 2; step++)
        {
          guint same_type = (n_pairs - type + 3) / 4;
          guint index = ((k - 1) / 4 + step) % same_type;

          g_ptr_array_add (pair->rel_ins_ids,
                           g_strdup_printf ("LA_INS_%05u", index * 4 + type + 1));
        }
    }

  /* Quirks and defects. */
  {
    Pair *p3 = g_ptr_array_index (task->pairs, 2);
    Pair *p4 = g_ptr_array_index (task->pairs, 3);
    Pair *p7 = g_ptr_array_index (task->pairs, 6);
    Pair *p13 = g_ptr_array_index (task->pairs, 12);

    p3->image_ids_as_string = TRUE;
    add_record (quirks, "string_image_ids", "LA_instructions.json", p3->id,
                "image_ids is a single string, as in older releases");
    task->list_value_id = g_ptr_array_index (p4->image_ids, 0);
    add_record (quirks, "list_value", "LA.json", task->list_value_id,
                "the base64 value is a one-element list");
    g_ptr_array_add (p7->rel_ins_ids, g_strdup ("LA_INS_00099"));
    add_record (defects, "dangling_context", p7->id, "LA_INS_00099",
                "rel_ins_ids names a pair that is not in LA_instructions.json");
    task->corrupt_value_id = g_ptr_array_index (p13->image_ids, 0);
    add_record (defects, "undecodable_image", p13->id, task->corrupt_value_id,
                "the base64 value in LA.json contains characters outside both alphabets");
  }
  add_record (quirks, "extra_keys", "LA_instructions.json", "LA_INS_00005", NULL);
  add_record (quirks, "pretty", "LA_instructions.json", NULL, NULL);
  add_record (quirks, "jpeg", "LA.json", NULL, NULL);

  return task;
}

static Task *
build_sd (void)
{
  Task *task = task_new ("SD");

  task->bom = TRUE;
  for (guint k = 1; k <= 10; k++)
    {
      Pair *pair = task_add_pair (task);
      g_autofree char *id1 = g_strdup_printf ("SD_IMG_%05u_1", 40 + k);
      g_autofree char *id2 = g_strdup_printf ("SD_IMG_%05u_2", 40 + k);
      MdShapeScene first, second;
      guint target = rand_below (3);
      MdItem *item;

      row_scene (&first);
      second = first;
      item = &second.items[target];
      md_text_sd_question (k / 2, &pair->instruction);
      if (k % 2 == 1)
        {
          MdColor to = (item->color + 1 + rand_below (3)) % MD_N_COLORS;

          md_text_sd_recolored (item->shape, target, item->color, to, &pair->answer);
          item->color = to;
        }
      else
        {
          md_text_sd_missing (item->shape, item->color, target, &pair->answer);
          second.items[target] = second.items[2];
          second.n_items = 2;
        }

      task_add_image (task, id1, md_draw_shapes (&first), FALSE);
      if (k == 9)
        {
          /* Drawn for the record, never stored: the deliberate missing image. */
          cairo_surface_destroy (md_draw_shapes (&second));
          add_record (defects, "missing_image", pair->id, id2,
                      "SD.json has no value for this image id");
        }
      else
        task_add_image (task, id2, md_draw_shapes (&second), FALSE);
      pair_add_image (pair, id1);
      pair_add_image (pair, id2);
      pair->key_order = (k + 1) % 3;
      if (k > 1)
        g_ptr_array_add (pair->rel_ins_ids, g_strdup_printf ("SD_INS_%05u", k - 1));
    }

  add_record (quirks, "bom", "SD_instructions.json", NULL, NULL);
  add_record (quirks, "png", "SD.json", NULL, NULL);
  return task;
}

typedef struct
{
  const char *name;
  guint       n_frames;
  MdColor     ball;
  gboolean    left_to_right;
} Clip;

static const Clip dc_clips[] = {
  { "v_Qm3tRb7-LkA", 12, MD_COLOR_RED, TRUE },
  { "v_x2Pz_Vn8hWc", 12, MD_COLOR_RED, FALSE },
  { "v_Bd9Ka0eYsTu", 16, MD_COLOR_BLUE, TRUE },
};

static Task *
build_dc (void)
{
  Task *task = task_new ("DC");

  task->pretty = FALSE;
  for (guint c = 0; c < G_N_ELEMENTS (dc_clips); c++)
    {
      const Clip *clip = &dc_clips[c];
      g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (g_free);

      for (guint f = 0; f < clip->n_frames; f++)
        {
          double t = (double) f / (clip->n_frames - 1);
          double x = 28 + 168 * (clip->left_to_right ? t : 1 - t);
          char *frame_id = g_strdup_printf ("DC_IMG_%s_%04u", clip->name, f);

          task_add_image (task, frame_id, md_draw_ball_frame (clip->ball, x, c), FALSE);
          g_ptr_array_add (frames, frame_id);
        }

      for (guint type = 0; type < 4; type++)
        {
          Pair *pair = task_add_pair (task);

          if (type == 0)
            md_text_dc_describe (clip->ball, clip->left_to_right, &pair->instruction,
                                 &pair->answer);
          else if (type == 1)
            md_text_dc_color (clip->ball, &pair->instruction, &pair->answer);
          else
            {
              gboolean at_end = type == 3;

              md_text_dc_where (at_end, at_end != clip->left_to_right, &pair->instruction,
                                &pair->answer);
            }
          for (guint f = 0; f < frames->len; f++)
            pair_add_image (pair, g_ptr_array_index (frames, f));
          for (guint other = 0; other < 4; other++)
            if (other != type)
              g_ptr_array_add (pair->rel_ins_ids,
                               g_strdup_printf ("DC_INS_%05u", c * 4 + other + 1));
          pair->key_order = (c + type) % 3;
          if (type == 0)
            {
              pair->extra_key = "clip";
              pair->extra_value = clip->name;
            }
        }
    }

  add_record (quirks, "single_line", "DC_instructions.json", NULL, NULL);
  add_record (quirks, "png", "DC.json", NULL, NULL);
  return task;
}

/* DC_train.json: the pairs used for training and their in-context examples, which here are
 * the pairs asking the same thing about the other clips (unlike rel_ins_ids, which name pairs
 * of the same clip), so a reader can tell which of the two it used. */
static char *
build_dc_train (Task *task)
{
  g_autoptr(MdJsonWriter) writer = md_json_writer_new (TRUE, FALSE);
  guint n_clips = G_N_ELEMENTS (dc_clips);

  md_json_writer_begin_object (writer);
  for (guint i = 0; i < task->pairs->len; i++)
    {
      Pair *pair = g_ptr_array_index (task->pairs, i);
      guint clip = i / 4, type = i % 4;

      /* The end-position pairs of the first two clips serve only as examples. */
      if (type == 3 && clip < 2)
        continue;
      md_json_writer_key (writer, pair->id);
      md_json_writer_begin_array (writer);
      for (guint other = 0; other < n_clips; other++)
        if (other != clip)
          {
            g_autofree char *id = g_strdup_printf ("DC_INS_%05u", other * 4 + type + 1);

            md_json_writer_string (writer, id);
          }
      if (g_str_equal (pair->id, "DC_INS_00010"))
        {
          md_json_writer_string (writer, "DC_INS_00042");
          add_record (defects, "dangling_context", pair->id, "DC_INS_00042",
                      "DC_train.json names an in-context pair that is not in DC_instructions.json");
        }
      md_json_writer_end_array (writer);
    }
  md_json_writer_end_object (writer);

  return md_json_writer_steal (writer);
}

static Task *
build_vst (void)
{
  static const struct { MdAlbumKind kind; guint n_photos; } albums[] = {
    { MD_ALBUM_SUNRISE, 5 }, { MD_ALBUM_TREE, 4 }, { MD_ALBUM_BALLOONS, 4 }, { MD_ALBUM_SUNSET, 5 },
  };
  Task *task = task_new ("VST");
  guint photo = 0;

  task->encoding = STORE_URL_SAFE;
  for (guint a = 0; a < G_N_ELEMENTS (albums); a++)
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < albums[a].n_photos; i++, photo++)
        {
          char *id = g_strdup_printf ("VST_IMG_%" G_GUINT64_FORMAT,
                                      (guint64) 4735182961u + photo * 104729u);

          task_add_image (task, id, md_draw_album_photo (albums[a].kind, i, albums[a].n_photos),
                          TRUE);
          g_ptr_array_add (ids, id);
        }

      for (guint q = 0; q < 2; q++)
        {
          Pair *pair = task_add_pair (task);

          if (q == 0)
            md_text_vst_story (albums[a].kind, &pair->instruction, &pair->answer);
          else
            md_text_vst_count (albums[a].n_photos, &pair->instruction, &pair->answer);
          for (guint i = 0; i < ids->len; i++)
            pair_add_image (pair, g_ptr_array_index (ids, i));
          pair->key_order = (a + q) % 3;
        }
    }

  add_record (quirks, "raw_utf8", "VST_instructions.json", "VST_INS_00003", NULL);
  add_record (quirks, "urlsafe_base64", "VST.json", NULL, NULL);
  add_record (quirks, "jpeg", "VST.json", NULL, NULL);
  return task;
}

static Task *
build_txt (void)
{
  Task *task = task_new ("TXT");

  task->ascii_only = TRUE;
  for (guint k = 1; k <= 10; k++)
    {
      Pair *pair = task_add_pair (task);

      if (k % 2 == 1)
        md_text_txt_fruit (3 + rand_below (5), 3 + rand_below (5), &pair->instruction,
                           &pair->answer);
      else
        md_text_txt_books (6 + rand_below (5), 1 + rand_below (3), &pair->instruction,
                           &pair->answer);
      for (guint step = 2; step <= 4; step += 2)
        g_ptr_array_add (pair->rel_ins_ids,
                         g_strdup_printf ("TXT_INS_%05u", (k - 1 + step) % 10 + 1));
      pair->key_order = k % 3;
    }

  /* An emoji outside the BMP: written as a `\ud83c\udf4e` surrogate pair. */
  {
    Pair *first = g_ptr_array_index (task->pairs, 0);

    for (guint l = 0; l < MD_SAMPLE_N_LANGS; l++)
      {
        char *text = g_strconcat ("🍎 ", first->instruction.s[l], NULL);

        g_free (first->instruction.s[l]);
        first->instruction.s[l] = text;
      }
  }
  add_record (quirks, "surrogate_escape", "TXT_instructions.json", "TXT_INS_00001", NULL);
  add_record (quirks, "no_image_ids", "TXT_instructions.json", NULL, NULL);
  return task;
}

static Task *
build_tvc (void)
{
  const char *clip = "demo_s01e03_seg02_clip_01";
  Task *task = task_new ("TVC");
  const guint n_frames = 16;

  task->pretty = FALSE;
  for (guint f = 1; f <= n_frames; f++)
    {
      g_autofree char *id = g_strdup_printf ("TVC_IMG_%s_%05u", clip, f);

      task_add_image (task, id, md_draw_room_frame (f > n_frames / 2, f), FALSE);
    }

  for (guint which = 0; which < 3; which++)
    {
      Pair *pair = task_add_pair (task);

      md_text_tvc (which, &pair->instruction, &pair->answer);
      for (guint f = 1; f <= n_frames; f++)
        {
          /* The known defect of some TVC files: the clip name doubled in the frame ids. */
          g_autofree char *id = which == 2
            ? g_strdup_printf ("TVC_IMG_%s_%s_%05u", clip, clip, f)
            : g_strdup_printf ("TVC_IMG_%s_%05u", clip, f);

          pair_add_image (pair, id);
        }
      pair->key_order = which;
    }

  {
    g_autofree char *ref = g_strdup_printf ("TVC_IMG_%s_%s", clip, clip);

    add_record (defects, "doubled_clip_name", "TVC_INS_00003", ref,
                "all 16 frame ids double the clip name; TVC.json stores them under the single "
                "name, so each is a missing image");
  }
  return task;
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (parent, 0755) != 0)
    g_error ("Could not create %s: %s", parent, g_strerror (errno));
  if (!g_file_set_contents (path, contents, length, &error))
    g_error ("%s", error->message);
}

static void
write_string_list (MdJsonWriter *writer,
                   GPtrArray    *list)
{
  md_json_writer_begin_array (writer);
  for (guint i = 0; i < list->len; i++)
    md_json_writer_string (writer, g_ptr_array_index (list, i));
  md_json_writer_end_array (writer);
}

static void
write_pair_field (MdJsonWriter *writer,
                  Pair         *pair,
                  guint         field)
{
  switch (field)
    {
    case 0:
      md_json_writer_key (writer, "instruction");
      md_json_writer_string (writer, pair->instruction.s[MD_SAMPLE_EN]);
      break;
    case 1:
      md_json_writer_key (writer, "answer");
      md_json_writer_string (writer, pair->answer.s[MD_SAMPLE_EN]);
      break;
    case 2:
      if (pair->image_ids == NULL)
        break;
      md_json_writer_key (writer, "image_ids");
      if (pair->image_ids_as_string)
        md_json_writer_string (writer, g_ptr_array_index (pair->image_ids, 0));
      else
        write_string_list (writer, pair->image_ids);
      break;
    case 3:
      md_json_writer_key (writer, "rel_ins_ids");
      write_string_list (writer, pair->rel_ins_ids);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
write_instructions (Task       *task,
                    const char *dir)
{
  static const guint orders[3][4] = { { 0, 1, 2, 3 }, { 2, 0, 1, 3 }, { 3, 1, 0, 2 } };
  g_autoptr(MdJsonWriter) writer = md_json_writer_new (task->pretty, task->ascii_only);
  g_autofree char *name = g_strdup_printf ("%s_instructions.json", task->code);
  g_autofree char *text = NULL;
  g_autofree char *contents = NULL;

  md_json_writer_begin_object (writer);
  md_json_writer_key (writer, "meta");
  md_json_writer_begin_object (writer);
  /* Real files carry any subset of these fields. */
  if (!g_str_equal (task->code, "DC"))
    {
      md_json_writer_key (writer, "version");
      md_json_writer_string (writer, "0.1.0");
    }
  if (g_str_equal (task->code, "LA") || g_str_equal (task->code, "VST"))
    {
      md_json_writer_key (writer, "time");
      md_json_writer_string (writer, "2023-06-01");
      md_json_writer_key (writer, "author");
      md_json_writer_string (writer, "MIMIC Desk sample");
    }
  md_json_writer_end_object (writer);

  md_json_writer_key (writer, "data");
  md_json_writer_begin_object (writer);
  for (guint i = 0; i < task->pairs->len; i++)
    {
      Pair *pair = g_ptr_array_index (task->pairs, i);

      md_json_writer_key (writer, pair->id);
      md_json_writer_begin_object (writer);
      for (guint f = 0; f < 4; f++)
        {
          write_pair_field (writer, pair, orders[pair->key_order][f]);
          if (f == 1 && pair->extra_key != NULL)
            {
              md_json_writer_key (writer, pair->extra_key);
              md_json_writer_string (writer, pair->extra_value);
            }
        }
      md_json_writer_end_object (writer);
    }
  md_json_writer_end_object (writer);
  md_json_writer_end_object (writer);

  text = md_json_writer_steal (writer);
  contents = g_strconcat (task->bom ? "\xEF\xBB\xBF" : "", text, NULL);
  write_file (dir, name, contents, -1);
}

static char *
encode_base64 (GBytes        *bytes,
               StoreEncoding  encoding)
{
  gsize length;
  const guchar *data = g_bytes_get_data (bytes, &length);
  char *text = g_base64_encode (data, length);

  if (encoding == STORE_URL_SAFE)
    {
      for (char *p = text; *p != '\0'; p++)
        {
          if (*p == '+')
            *p = '-';
          else if (*p == '/')
            *p = '_';
          else if (*p == '=')
            *p = '\0';
        }
    }

  return text;
}

static void
write_store (Task       *task,
             const char *dir)
{
  g_autoptr(MdJsonWriter) writer = md_json_writer_new (task->store_pretty, FALSE);
  g_autofree char *name = g_strdup_printf ("%s.json", task->code);
  g_autofree char *contents = NULL;

  md_json_writer_begin_object (writer);
  for (guint i = 0; i < task->images->len; i++)
    {
      Image *image = g_ptr_array_index (task->images, i);
      g_autofree char *value = encode_base64 (image->data, task->encoding);

      md_json_writer_key (writer, image->id);
      if (g_strcmp0 (image->id, task->corrupt_value_id) == 0)
        {
          /* Cut short and overwritten with characters outside both alphabets, as a transfer
           * gone wrong would leave it. */
          g_autofree char *broken = g_strndup (value, 160);

          memcpy (broken + 64, "%%%%<lost>%%%%", 14);
          md_json_writer_string (writer, broken);
        }
      else if (g_strcmp0 (image->id, task->list_value_id) == 0)
        {
          md_json_writer_begin_array (writer);
          md_json_writer_string (writer, value);
          md_json_writer_end_array (writer);
        }
      else
        md_json_writer_string (writer, value);
    }
  md_json_writer_end_object (writer);

  contents = md_json_writer_steal (writer);
  write_file (dir, name, contents, -1);
}

/* Translation defects, applied to the reply text of one pair. */
typedef enum
{
  REPLY_FENCED         = 1 << 0,
  REPLY_TRAILING_COMMA = 1 << 1,
  REPLY_ESCAPED        = 1 << 2,
  REPLY_COMPACT        = 1 << 3,
} ReplyFlags;

static char *
replace_first (const char *text,
               const char *from,
               const char *to)
{
  const char *at = strstr (text, from);

  g_assert (at != NULL);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, to, at + strlen (from));
}

/* Cuts a sentence after about 60% of its characters, at a space, without final punctuation. */
static char *
truncate_sentence (const char *text)
{
  glong n = g_utf8_strlen (text, -1);
  const char *cut = g_utf8_offset_to_pointer (text, n * 6 / 10);

  while (cut > text && *cut != ' ')
    cut--;
  return g_strndup (text, cut - text);
}

static char *
build_reply (Pair       *pair,
             ReplyFlags  flags,
             const char *skip_lang,
             const char *truncate_lang,
             const char *renumber_lang)
{
  g_autoptr(MdJsonWriter) writer = md_json_writer_new (!(flags & REPLY_COMPACT),
                                                       (flags & REPLY_ESCAPED) != 0);
  g_autofree char *json = NULL;

  md_json_writer_begin_object (writer);
  for (guint field = 0; field < 2; field++)
    {
      MdText *text = field == 0 ? &pair->instruction : &pair->answer;

      md_json_writer_key (writer, field == 0 ? "a" : "b");
      md_json_writer_begin_object (writer);
      for (guint l = 1; l < MD_SAMPLE_N_LANGS; l++)
        {
          const char *code = md_sample_lang_codes[l];
          g_autofree char *value = g_strdup (text->s[l]);

          if (g_strcmp0 (code, skip_lang) == 0)
            continue;
          if (field == 1 && g_strcmp0 (code, truncate_lang) == 0)
            {
              char *cut = truncate_sentence (value);

              g_free (value);
              value = cut;
            }
          if (field == 1 && g_strcmp0 (code, renumber_lang) == 0)
            {
              g_autofree char *digits = NULL;
              g_autofree char *other = NULL;
              char *changed;
              const char *p = value;

              /* The first number in the sentence, off by one. */
              while (*p != '\0' && !g_ascii_isdigit (*p))
                p++;
              digits = g_strndup (p, strspn (p, "0123456789"));
              other = g_strdup_printf ("%d", atoi (digits) + 1);
              changed = replace_first (value, digits, other);
              g_free (value);
              value = changed;
            }
          md_json_writer_key (writer, code);
          md_json_writer_string (writer, value);
        }
      if (field == 1 && (flags & REPLY_TRAILING_COMMA))
        md_json_writer_raw (writer, ",");
      md_json_writer_end_object (writer);
    }
  md_json_writer_end_object (writer);

  json = md_json_writer_steal (writer);
  g_strchomp (json);
  if (flags & REPLY_FENCED)
    return g_strdup_printf ("```json\n%s\n```", json);
  return g_steal_pointer (&json);
}

static void
write_translations (Task       *task,
                    const char *dir,
                    guint      *reply_counter)
{
  g_autoptr(MdJsonWriter) queries = md_json_writer_new (TRUE, TRUE);
  g_autoptr(MdJsonWriter) valid = md_json_writer_new (TRUE, g_str_equal (task->code, "TXT"));
  g_autoptr(MdJsonWriter) meta = md_json_writer_new (TRUE, FALSE);
  g_autofree char *folder = g_build_filename ("translations", task->code, NULL);
  g_autofree char *queries_path = g_build_filename (folder, "query_input.json", NULL);
  g_autofree char *valid_path = g_build_filename (folder, "valid_output.json", NULL);
  g_autofree char *text = NULL;
  gsize prompt_chars = 0, reply_chars = 0;

  md_json_writer_begin_array (queries);
  md_json_writer_begin_array (valid);
  for (guint i = 0; i < task->pairs->len; i++)
    {
      Pair *pair = g_ptr_array_index (task->pairs, i);
      g_autofree char *sentences = g_strdup_printf ("<a>%s</a><b>%s</b>",
                                                    pair->instruction.s[MD_SAMPLE_EN],
                                                    pair->answer.s[MD_SAMPLE_EN]);
      g_autofree char *reply = NULL;
      const char *skip = NULL, *truncate = NULL, *renumber = NULL;
      ReplyFlags flags = 0;
      guint n = (*reply_counter)++;

      if (n % 6 == 1)
        flags |= REPLY_FENCED;
      if (n % 4 == 3)
        flags |= REPLY_COMPACT;
      if (g_str_equal (pair->id, "SD_INS_00004"))
        {
          flags |= REPLY_TRAILING_COMMA;
          add_record (quirks, "trailing_comma", valid_path, pair->id, NULL);
        }
      if (g_str_equal (pair->id, "DC_INS_00003"))
        {
          flags |= REPLY_ESCAPED;
          add_record (quirks, "escaped_reply", valid_path, pair->id, NULL);
        }
      if (flags & REPLY_FENCED)
        add_record (quirks, "fenced_reply", valid_path, pair->id, NULL);

      if (g_str_equal (pair->id, "LA_INS_00005"))
        {
          skip = "ko";
          add_record (defects, "missing_translation", pair->id, skip,
                      "the reply has no Korean in either a or b");
        }
      if (g_str_equal (pair->id, "DC_INS_00001"))
        {
          truncate = "de";
          add_record (defects, "truncated_translation", pair->id, truncate,
                      "the German answer stops in the middle of the sentence");
        }
      if (g_str_equal (pair->id, "TXT_INS_00003"))
        {
          renumber = "fr";
          add_record (defects, "number_mismatch", pair->id, renumber,
                      "the French answer gives a total one higher than the English");
        }

      reply = build_reply (pair, flags, skip, truncate, renumber);
      prompt_chars += g_utf8_strlen (sentences, -1);
      reply_chars += g_utf8_strlen (reply, -1);

      md_json_writer_begin_object (queries);
      md_json_writer_key (queries, "id");
      md_json_writer_string (queries, pair->id);
      md_json_writer_key (queries, "sentences");
      md_json_writer_string (queries, sentences);
      md_json_writer_end_object (queries);

      md_json_writer_begin_object (valid);
      md_json_writer_key (valid, "id");
      md_json_writer_string (valid, pair->id);
      md_json_writer_key (valid, "results");
      md_json_writer_string (valid, reply);
      md_json_writer_end_object (valid);
    }
  md_json_writer_end_array (queries);
  md_json_writer_end_array (valid);

  text = md_json_writer_steal (queries);
  write_file (dir, queries_path, text, -1);
  g_clear_pointer (&text, g_free);
  text = md_json_writer_steal (valid);
  write_file (dir, valid_path, text, -1);
  g_clear_pointer (&text, g_free);

  /* Syphus keeps failed replies and errors beside the valid ones; here there are none. */
  {
    g_autofree char *invalid_path = g_build_filename (folder, "invalid_output.json", NULL);
    g_autofree char *errors_path = g_build_filename (folder, "error_messages.json", NULL);

    write_file (dir, invalid_path, "[]\n", -1);
    write_file (dir, errors_path, "[]\n", -1);
  }

  md_json_writer_begin_object (meta);
  md_json_writer_key (meta, "prompt");
  md_json_writer_string (meta, "translation.json");
  md_json_writer_key (meta, "source");
  md_json_writer_string (meta, "md-make-sample language templates");
  md_json_writer_key (meta, "queries");
  md_json_writer_int (meta, task->pairs->len);
  md_json_writer_key (meta, "valid");
  md_json_writer_int (meta, task->pairs->len);
  md_json_writer_key (meta, "invalid");
  md_json_writer_int (meta, 0);
  /* Rough token counts (a token is about three characters of mixed-script text). */
  md_json_writer_key (meta, "prompt_tokens");
  md_json_writer_int (meta, (gint64) (prompt_chars / 3));
  md_json_writer_key (meta, "completion_tokens");
  md_json_writer_int (meta, (gint64) (reply_chars / 3));
  md_json_writer_key (meta, "elapsed_seconds");
  md_json_writer_int (meta, 0);
  md_json_writer_end_object (meta);
  text = md_json_writer_steal (meta);
  {
    g_autofree char *meta_path = g_build_filename (folder, "meta.json", NULL);

    write_file (dir, meta_path, text, -1);
  }
}

static void
write_records (GPtrArray  *records,
               const char *dir,
               const char *name,
               const char *where_key)
{
  g_autoptr(MdJsonWriter) writer = md_json_writer_new (TRUE, FALSE);
  g_autofree char *text = NULL;

  md_json_writer_begin_array (writer);
  for (guint i = 0; i < records->len; i++)
    {
      char **record = g_ptr_array_index (records, i);

      md_json_writer_begin_object (writer);
      md_json_writer_key (writer, "kind");
      md_json_writer_string (writer, record[0]);
      md_json_writer_key (writer, where_key);
      md_json_writer_string (writer, record[1]);
      if (record[2] != NULL)
        {
          md_json_writer_key (writer, "ref");
          md_json_writer_string (writer, record[2]);
        }
      if (record[3] != NULL)
        {
          md_json_writer_key (writer, "note");
          md_json_writer_string (writer, record[3]);
        }
      md_json_writer_end_object (writer);
    }
  md_json_writer_end_array (writer);

  text = md_json_writer_steal (writer);
  write_file (dir, name, text, -1);
}

int
main (int   argc,
      char *argv[])
{
  Task *tasks[6];
  guint reply_counter = 0;
  const char *dir;

  if (argc != 2)
    {
      g_printerr ("Usage: %s OUTPUT-DIR\n", argv[0]);
      return 2;
    }
  dir = argv[1];

  rng = g_rand_new_with_seed (SEED);
  defects = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  quirks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  tasks[0] = build_la ();
  tasks[1] = build_sd ();
  tasks[2] = build_dc ();
  tasks[3] = build_vst ();
  tasks[4] = build_txt ();
  tasks[5] = build_tvc ();

  tasks[1]->store_pretty = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    {
      write_instructions (tasks[i], dir);
      if (tasks[i]->images->len > 0)
        write_store (tasks[i], dir);
      write_translations (tasks[i], dir, &reply_counter);
    }

  {
    g_autofree char *train = build_dc_train (tasks[2]);

    write_file (dir, "DC_train.json", train, -1);
  }

  write_records (defects, dir, "defects.json", "pair");
  write_records (quirks, dir, "quirks.json", "file");

  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    task_free (tasks[i]);
  g_ptr_array_unref (defects);
  g_ptr_array_unref (quirks);
  g_rand_free (rng);

  return 0;
}
