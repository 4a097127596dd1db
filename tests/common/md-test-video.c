/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gst/gst.h>

#include "md-test-video.h"

void
md_test_write_webm (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  GstElement *sink;

  gst_init (NULL, NULL);
  description = g_strdup_printf ("videotestsrc num-buffers=%d pattern=ball ! "
                                 "video/x-raw,width=%d,height=%d,framerate=%d/1 ! "
                                 "vp8enc deadline=1 ! webmmux ! filesink name=sink",
                                 MD_TEST_VIDEO_N_FRAMES, MD_TEST_VIDEO_WIDTH,
                                 MD_TEST_VIDEO_HEIGHT, MD_TEST_VIDEO_FPS);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pipeline);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (sink, "location", path, NULL);
  gst_object_unref (sink);

  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PLAYING), !=,
                   GST_STATE_CHANGE_FAILURE);
  bus = gst_element_get_bus (pipeline);
  message = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (message);
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gst_error = NULL;

      gst_message_parse_error (message, &gst_error, NULL);
      g_error ("encoding %s failed: %s", path, gst_error->message);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}
