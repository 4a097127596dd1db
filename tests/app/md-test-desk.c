/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "md-test-desk.h"
#include "md-test-gtk.h"

/* Fixture ----------------------------------------------------------------------------------- */

static char *
png_base64 (guint8 r,
            guint8 g,
            guint8 b)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 32, 32);
  g_autofree char *buffer = NULL;
  gsize size = 0;
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, ((guint32) r << 24) | ((guint32) g << 16) | ((guint32) b << 8) | 0xff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL));
  g_assert_no_error (error);
  return g_base64_encode ((const guchar *) buffer, size);
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

void
md_test_desk_write_fixture (const char *dir)
{
  g_autoptr(GString) images = g_string_new ("{");
  g_autofree char *red = png_base64 (220, 40, 40);
  g_autofree char *blue = png_base64 (40, 40, 220);
  const char *translation_reply =
    "{\\\"a\\\": {\\\"zh\\\": \\\"描述红色的图片\\\", \\\"es\\\": \\\"Describe la imagen roja\\\", "
    "\\\"ja\\\": \\\"赤い画像を説明して\\\", \\\"de\\\": \\\"Beschreibe das rote Bild\\\", "
    "\\\"fr\\\": \\\"Décris l'image rouge\\\", \\\"ko\\\": \\\"빨간 이미지를 설명하세요\\\", "
    "\\\"ar\\\": \\\"صف الصورة الحمراء\\\"}, "
    "\\\"b\\\": {\\\"zh\\\": \\\"它是红色的。\\\", \\\"es\\\": \\\"Es roja.\\\", "
    "\\\"ja\\\": \\\"赤いです。\\\", \\\"de\\\": \\\"Es ist rot.\\\", \\\"fr\\\": \\\"Elle est rouge.\\\", "
    "\\\"ko\\\": \\\"빨간색입니다.\\\", \\\"ar\\\": \\\"إنها حمراء.\\\"}}";
  g_autofree char *translations = NULL;

  write_file (dir, "T_instructions.json",
              "{\"meta\": {\"version\": \"0.0.1\"}, \"data\": {\n"
              " \"T_INS_00001\": {\"instruction\": \"Describe the red picture\","
              "  \"answer\": \"It is red.\", \"image_ids\": [\"T_IMG_red\"],"
              "  \"rel_ins_ids\": [\"T_INS_00004\"]},\n"
              " \"T_INS_00002\": {\"instruction\": \"What happens in the clip?\","
              "  \"answer\": \"Colours change.\", \"image_ids\": [\"T_IMG_clip_0000\","
              "  \"T_IMG_clip_0001\", \"T_IMG_clip_0002\", \"T_IMG_clip_0003\"],"
              "  \"rel_ins_ids\": []},\n"
              " \"T_INS_00003\": {\"instruction\": \"Where did the picture go?\","
              "  \"answer\": \"Nowhere.\", \"image_ids\": [\"T_IMG_gone\"], \"rel_ins_ids\": []},\n"
              " \"T_INS_00004\": {\"instruction\": \"Describe the blue picture\","
              "  \"answer\": \"It is blue.\", \"image_ids\": [\"T_IMG_blue\"], \"rel_ins_ids\": []}\n"
              "}}");

  g_string_append_printf (images, "\"T_IMG_red\": \"%s\", \"T_IMG_blue\": \"%s\"", red, blue);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *frame = png_base64 (40 * i, 200, 255 - 40 * i);

      g_string_append_printf (images, ", \"T_IMG_clip_%04u\": \"%s\"", i, frame);
    }
  g_string_append (images, "}");
  write_file (dir, "T.json", images->str);

  translations = g_strdup_printf ("[{\"id\": \"T_INS_00001\", \"results\": \"%s\"}]",
                                  translation_reply);
  write_file (dir, "valid_output.json", translations);
}

/* Finding things ---------------------------------------------------------------------------- */

GtkWidget *
md_test_desk_find (GtkWindow  *window,
                   const char *name)
{
  GtkWidget *widget = md_test_find_by_accessible_name (GTK_WIDGET (window), name);

  if (widget == NULL)
    g_error ("No widget named “%s”", name);
  return widget;
}

GtkWidget *
md_test_desk_find_typed (GtkWidget  *root,
                         const char *name,
                         GType       type)
{
  g_autofree char *mismatch = NULL;

  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    {
      mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (root),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL, name);
      if (mismatch == NULL)
        return root;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = md_test_desk_find_typed (child, name, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkSingleSelection *
md_test_desk_pairs_selection (GtkWindow *window)
{
  GtkWidget *view = md_test_desk_find (window, "Pairs");
  GtkSelectionModel *model;

  g_assert_true (GTK_IS_COLUMN_VIEW (view));
  model = gtk_column_view_get_model (GTK_COLUMN_VIEW (view));
  g_assert_true (GTK_IS_SINGLE_SELECTION (model));
  return GTK_SINGLE_SELECTION (model);
}

guint
md_test_desk_n_pairs (GtkWindow *window)
{
  GtkWidget *view = md_test_desk_find (window, "Pairs");
  GtkSelectionModel *model = gtk_column_view_get_model (GTK_COLUMN_VIEW (view));

  return model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (model)) : 0;
}

const char *
md_test_desk_selected_id (GtkWindow *window)
{
  MdPair *pair = gtk_single_selection_get_selected_item (md_test_desk_pairs_selection (window));

  return pair != NULL ? md_pair_get_id (pair) : NULL;
}

const char *
md_test_desk_first_id (GtkWindow *window)
{
  GListModel *model = G_LIST_MODEL (md_test_desk_pairs_selection (window));
  g_autoptr(MdPair) pair = g_list_model_get_item (model, 0);

  return pair != NULL ? md_pair_get_id (pair) : NULL;
}

char *
md_test_desk_text (GtkWindow  *window,
                   const char *name)
{
  GtkWidget *view = md_test_desk_find_typed (GTK_WIDGET (window), name, GTK_TYPE_TEXT_VIEW);
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  if (view == NULL)
    g_error ("No text view named “%s”", name);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Waiting ------------------------------------------------------------------------------------ */

typedef struct
{
  GtkWindow  *window;
  const char *name;
  const char *text;
  guint       n;
} Expect;

static gboolean
text_is (gpointer data)
{
  Expect *e = data;
  g_autofree char *text = md_test_desk_text (e->window, e->name);

  return g_strcmp0 (text, e->text) == 0;
}

void
md_test_desk_assert_text_becomes (GtkWindow  *window,
                                  const char *name,
                                  const char *text)
{
  Expect e = { window, name, text, 0 };

  if (!md_test_wait_until (text_is, &e, 5000))
    {
      g_autofree char *shown = md_test_desk_text (window, name);

      g_error ("“%s” shows “%s”, expected “%s”", name, shown, text);
    }
}

static gboolean
n_pairs_is (gpointer data)
{
  Expect *e = data;

  return md_test_desk_n_pairs (e->window) == e->n;
}

gboolean
md_test_desk_wait_n_pairs (GtkWindow *window,
                           guint      n,
                           guint      timeout_ms)
{
  Expect e = { window, NULL, NULL, n };

  return md_test_wait_until (n_pairs_is, &e, timeout_ms);
}

static gboolean
import_finished (gpointer data)
{
  Expect *e = data;

  /* The cancel button follows its action, enabled only while the import runs. */
  return !gtk_widget_get_sensitive (md_test_desk_find (e->window, "Cancel import")) &&
         md_test_desk_n_pairs (e->window) == e->n;
}

gboolean
md_test_desk_wait_import (GtkWindow *window,
                          guint      n_expected,
                          guint      timeout_ms)
{
  Expect e = { window, NULL, NULL, n_expected };

  return md_test_wait_until (import_finished, &e, timeout_ms);
}

GtkWindow *
md_test_desk_open_folder (MdApplication *app,
                          const char    *path,
                          guint          n_expected)
{
  g_autoptr(GFile) folder = g_file_new_for_path (path);
  MdWindow *window = md_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  md_window_open_files (window, &folder, 1);
  if (!md_test_desk_wait_import (GTK_WINDOW (window), n_expected, 20000))
    g_error ("%s: %u pairs listed, expected %u", path, md_test_desk_n_pairs (GTK_WINDOW (window)),
             n_expected);
  return GTK_WINDOW (window);
}

void
md_test_desk_select_id (GtkWindow  *window,
                        const char *id)
{
  GListModel *model = G_LIST_MODEL (md_test_desk_pairs_selection (window));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(MdPair) pair = g_list_model_get_item (model, i);

      if (g_str_equal (md_pair_get_id (pair), id))
        {
          gtk_single_selection_set_selected (md_test_desk_pairs_selection (window), i);
          return;
        }
    }
  g_error ("%s is not in the list", id);
}

/* Plays a key of the window's capture-phase shortcuts the way GTK does when the key is pressed:
 * the shortcut's action runs with its arguments and says whether it handled the key. */
gboolean
md_test_desk_press (GtkWindow       *window,
                    const char      *controller_name,
                    guint            keyval,
                    GdkModifierType  modifiers)
{
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  gboolean handled = FALSE;
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), controller_name) != 0)
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            {
              handled = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                      GTK_WIDGET (window),
                                                      gtk_shortcut_get_arguments (shortcut));
              found = TRUE;
              break;
            }
        }
    }
  g_object_unref (controllers);

  if (!found)
    g_error ("No window shortcut for %s", gdk_keyval_name (keyval));
  return handled;
}
