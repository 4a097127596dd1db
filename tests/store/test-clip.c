/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "md-clip.h"

static void
test_clip_names (void)
{
  static const struct { const char *id; const char *clip; } cases[] = {
    { "DC_IMG_v_N1c3C_Npr-E_0000", "v_N1c3C_Npr-E" },
    { "TVC_IMG_bbt_s01e01_seg01_clip_00_00001", "bbt_s01e01_seg01_clip_00" },
    { "E4D_IMG_3c0dffd0-e38e-4643-bc48-d513943dc20b_00000012",
      "3c0dffd0-e38e-4643-bc48-d513943dc20b" },
    /* A photo numbered like a frame has no clip. */
    { "VST_IMG_12345", NULL },
    { "LA_IMG_000000051842", NULL },
    /* No frame index, no "_IMG_", nothing at all. */
    { "DC_IMG_v_N1c3C_Npr-E", NULL },
    { "DC_v_N1c3C_Npr-E_0000", NULL },
    { "", NULL },
    { "_0001", NULL },
    /* A shard cannot make the path leave the folder. */
    { "DC_IMG_.._0001", NULL },
    { "DC_IMG_a/b_0001", NULL },
    { "DC_IMG_._0001", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *clip = md_clip_name_for_frame (cases[i].id);

      g_assert_cmpstr (clip, ==, cases[i].clip);
    }
}

static char *
touch (const char *dir,
       const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (path, "not really a video", -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
test_find (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("md-clip-XXXXXX", &error);
  g_autofree char *webm = NULL;
  g_autofree char *mp4 = NULL;
  g_autofree char *in_dataset = NULL;
  g_autofree char *found = NULL;
  g_autofree char *inner = NULL;

  g_assert_no_error (error);

  /* Nothing there yet. */
  found = md_clip_find_source_video (folder, "DC", "v_N1c3C_Npr-E");
  g_assert_null (found);

  /* Under the dataset's folder. */
  in_dataset = touch (folder, "DC/v_N1c3C_Npr-E.mkv");
  found = md_clip_find_source_video (folder, "DC", "v_N1c3C_Npr-E");
  g_assert_cmpstr (found, ==, in_dataset);
  g_clear_pointer (&found, g_free);
  /* ... only that dataset's. */
  found = md_clip_find_source_video (folder, "TVC", "v_N1c3C_Npr-E");
  g_assert_null (found);
  found = md_clip_find_source_video (folder, NULL, "v_N1c3C_Npr-E");
  g_assert_null (found);

  /* The folder itself comes first, and mp4 before webm. */
  webm = touch (folder, "v_N1c3C_Npr-E.webm");
  found = md_clip_find_source_video (folder, "DC", "v_N1c3C_Npr-E");
  g_assert_cmpstr (found, ==, webm);
  g_clear_pointer (&found, g_free);
  mp4 = touch (folder, "v_N1c3C_Npr-E.mp4");
  found = md_clip_find_source_video (folder, "DC", "v_N1c3C_Npr-E");
  g_assert_cmpstr (found, ==, mp4);
  g_clear_pointer (&found, g_free);

  /* A folder named like a video is not one. */
  g_free (touch (folder, "bbt_s01e01_seg01_clip_00.mp4/inside"));
  found = md_clip_find_source_video (folder, "TVC", "bbt_s01e01_seg01_clip_00");
  g_assert_null (found);

  /* Names that would leave the folder are refused, not looked up: inner/../escape.mp4 exists. */
  g_free (touch (folder, "escape.mp4"));
  g_free (touch (folder, "inner/DC/other.mp4"));
  inner = g_build_filename (folder, "inner", NULL);
  found = md_clip_find_source_video (inner, "DC", "../escape");
  g_assert_null (found);
  found = md_clip_find_source_video (inner, "..", "escape");
  g_assert_null (found);
  found = md_clip_find_source_video (inner, "DC", "other");
  g_assert_nonnull (found);
  g_clear_pointer (&found, g_free);
  found = md_clip_find_source_video ("", "DC", "v_N1c3C_Npr-E");
  g_assert_null (found);

  remove_tree (folder);
}

static void
on_found (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = md_clip_find_source_video_finish (result, &error);
  g_assert_no_error (error);
  if (*out == NULL)
    *out = g_strdup ("");
}

static void
test_find_async (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("md-clip-XXXXXX", &error);
  g_autofree char *video = touch (folder, "TVC/bbt_s01e01_seg01_clip_00.avi");
  g_autofree char *found = NULL;

  md_clip_find_source_video_async (folder, "TVC", "bbt_s01e01_seg01_clip_00", NULL, on_found,
                                   &found);
  while (found == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (found, ==, video);
  g_clear_pointer (&found, g_free);

  md_clip_find_source_video_async (folder, "TVC", "bbt_s01e01_seg01_clip_01", NULL, on_found,
                                   &found);
  while (found == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (found, ==, "");

  remove_tree (folder);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/clip/names", test_clip_names);
  g_test_add_func ("/store/clip/find", test_find);
  g_test_add_func ("/store/clip/find-async", test_find_async);
  return g_test_run ();
}
