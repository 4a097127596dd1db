/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MD_TEST_VIDEO_WIDTH    160
#define MD_TEST_VIDEO_HEIGHT   120
#define MD_TEST_VIDEO_FPS      10
#define MD_TEST_VIDEO_N_FRAMES 30

/* Encodes a real VP8/WebM clip at path with GStreamer (base + good plugins only): a bouncing
 * ball, MD_TEST_VIDEO_N_FRAMES frames of MD_TEST_VIDEO_WIDTH x MD_TEST_VIDEO_HEIGHT at
 * MD_TEST_VIDEO_FPS frames per second. Fails the test when the pipeline fails. */
void md_test_write_webm (const char *path);

G_END_DECLS
