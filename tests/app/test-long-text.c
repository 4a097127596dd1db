/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <string.h>
#include <time.h>

#include "md-application.h"
#include "md-diff-label.h"
#include "md-long-text-window.h"
#include "md-pair-text.h"
#include "md-test-desk.h"
#include "md-test-gtk.h"
#include "md-text-preview.h"

/* A pair whose answer is a megabyte in one paragraph, as real shards hold: the window shows it
 * without laying the whole string out, keeps repainting, and opens all of it on demand. */

#define LONG_CHARS 1000000

static MdApplication *app;
static char *fixture_dir;
static char *long_answer;

static void
write_fixture (const char *dir)
{
  g_autoptr(GString) words = g_string_new (NULL);
  g_autoptr(GString) json = g_string_new (NULL);
  g_autofree char *path = g_build_filename (dir, "L_instructions.json", NULL);
  g_autoptr(GError) error = NULL;

  while (words->len < LONG_CHARS)
    g_string_append (words, "the umbrella keeps the rain away from the child ");
  g_string_truncate (words, LONG_CHARS);
  long_answer = g_strdup (words->str);
  g_string_append_printf (json,
                          "{\"meta\": {\"version\": \"0.0.1\"}, \"data\": {\n"
                          " \"L_INS_00001\": {\"instruction\": \"Describe the umbrella\","
                          " \"answer\": \"%s\", \"image_ids\": [], \"rel_ins_ids\": []},\n"
                          " \"L_INS_00002\": {\"instruction\": \"Is it raining?\","
                          " \"answer\": \"Yes.\", \"image_ids\": [], \"rel_ins_ids\": []}\n"
                          "}}", long_answer);
  g_file_set_contents (path, json->str, json->len, &error);
  g_assert_no_error (error);
}

typedef struct
{
  guint frames;
} Watch;

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  ((Watch *) data)->frames++;
  return G_SOURCE_CONTINUE;
}

static gboolean
three_frames (gpointer data)
{
  return ((Watch *) data)->frames >= 3;
}

static double
main_thread_cpu_seconds (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

/* Whether `widget`'s window draws three more frames, spending less than a second of main-thread
 * CPU on it (times the sanitizer scale): laying the whole megabyte out took minutes of it. CPU
 * time rather than wall time, so that a busy machine does not fail the test. */
static gboolean
repaints (GtkWidget *widget)
{
  const char *scale = g_getenv ("MD_TEST_TIMEOUT_SCALE");
  double budget = 1.0 * CLAMP (scale != NULL ? g_ascii_strtod (scale, NULL) : 1.0, 1.0, 50.0);
  Watch watch = { 0 };
  double start = main_thread_cpu_seconds ();
  guint id = gtk_widget_add_tick_callback (widget, count_frame, &watch, NULL);
  gboolean drawn = md_test_wait_until (three_frames, &watch, 20000);
  double spent = main_thread_cpu_seconds () - start;

  gtk_widget_remove_tick_callback (widget, id);
  g_test_message ("3 frames: %s, %.3f s of main-thread CPU", drawn ? "drawn" : "not drawn", spent);
  /* Under the sanitizers our code runs several times slower and GTK's does not: the CPU budget
   * is the plain build's; there it is enough that the window draws at all. */
  if (scale != NULL && g_ascii_strtod (scale, NULL) > 1)
    return drawn;
  return drawn && spent < budget;
}

static gboolean
answer_is_preview (gpointer data)
{
  g_autofree char *shown = md_test_desk_text (data, "Answer");

  return g_str_has_prefix (shown, "the umbrella keeps");
}

static MdPairText *
pair_text (GtkWindow *window)
{
  GtkWidget *view = md_test_desk_find_typed (GTK_WIDGET (window), "Answer", GTK_TYPE_TEXT_VIEW);

  return MD_PAIR_TEXT (gtk_widget_get_ancestor (view, MD_TYPE_PAIR_TEXT));
}

static GtkWindow *
find_long_text_window (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (MD_IS_LONG_TEXT_WINDOW (l->data))
      return l->data;
  return NULL;
}

static gboolean
long_text_window_shown (gpointer data)
{
  return find_long_text_window () != NULL;
}

static void
test_long_answer (void)
{
  GtkWindow *window = md_test_desk_open_folder (app, fixture_dir, 2);
  g_autofree char *shown = NULL;
  g_autofree char *whole = NULL;
  GtkWidget *show_all;
  GtkWindow *long_window;

  md_test_desk_select_id (window, "L_INS_00001");
  g_assert_true (md_test_wait_until (answer_is_preview, window, 5000));
  g_assert_true (repaints (GTK_WIDGET (window)));

  /* The view holds the start of the answer; the pair's text is still the whole answer. */
  shown = md_test_desk_text (window, "Answer");
  g_assert_cmpuint (g_utf8_strlen (shown, -1), <=, MD_TEXT_PREVIEW_CHARS + 1);
  g_assert_true (g_str_has_suffix (shown, "…"));
  g_assert_true (md_pair_text_is_previewed (pair_text (window), MD_FIELD_ANSWER));
  g_assert_false (md_pair_text_is_previewed (pair_text (window), MD_FIELD_INSTRUCTION));
  whole = md_pair_text_get_answer (pair_text (window));
  g_assert_cmpstr (whole, ==, long_answer);

  /* "Show all" opens the whole text as a list of pieces, which keeps repainting too. */
  show_all = md_test_find_by_accessible_name (GTK_WIDGET (window), "Show the whole answer");
  g_assert_nonnull (show_all);
  g_assert_true (gtk_widget_get_visible (show_all));
  g_assert_nonnull (strstr (gtk_button_get_label (GTK_BUTTON (show_all)), "1000000"));
  g_assert_false (gtk_widget_get_visible (
    md_test_find_by_accessible_name (GTK_WIDGET (window), "Show the whole instruction")));
  g_signal_emit_by_name (show_all, "clicked");
  g_assert_true (md_test_wait_until (long_text_window_shown, NULL, 2000));
  long_window = find_long_text_window ();
  g_assert_cmpstr (md_long_text_window_get_text (MD_LONG_TEXT_WINDOW (long_window)), ==,
                   long_answer);
  g_assert_cmpuint (md_long_text_window_get_n_pieces (MD_LONG_TEXT_WINDOW (long_window)), >=,
                    LONG_CHARS / MD_LONG_TEXT_PIECE_CHARS);
  g_assert_nonnull (md_test_find_by_accessible_name (GTK_WIDGET (long_window), "Copy all"));
  /* Not under the sanitizers: their malloc hooks unwind the stack at every allocation Pango
   * makes while shaping the pieces, which makes the first frame take minutes there. */
  if (g_getenv ("MD_TEST_TIMEOUT_SCALE") == NULL)
    g_assert_true (repaints (GTK_WIDGET (long_window)));
  gtk_window_destroy (long_window);

  /* The in-place editor refuses a paragraph GTK would have to lay out whole, and says why;
   * the view stays as it was. */
  g_assert_false (md_pair_text_set_editing (pair_text (window), TRUE, MD_FIELD_ANSWER, NULL));
  g_assert_false (md_pair_text_get_editing (pair_text (window)));
  g_assert_false (gtk_text_view_get_editable (
    GTK_TEXT_VIEW (md_test_desk_find_typed (GTK_WIDGET (window), "Answer", GTK_TYPE_TEXT_VIEW))));
  g_assert_true (repaints (GTK_WIDGET (window)));

  /* The list row holds one line of the instruction, never a whole text. */
  g_assert_cmpuint (md_test_desk_n_pairs (window), ==, 2);

  gtk_window_destroy (window);
}

static void
test_tab_moves_on (void)
{
  GtkWindow *window = md_test_desk_open_folder (app, fixture_dir, 2);
  MdPairText *text;
  GtkTextView *instruction;

  md_test_desk_select_id (window, "L_INS_00002");
  md_test_desk_assert_text_becomes (window, "Instruction", "Is it raining?");
  text = pair_text (window);
  g_assert_true (md_pair_text_set_editing (text, TRUE, MD_FIELD_INSTRUCTION, NULL));
  instruction = md_pair_text_get_view (text, MD_FIELD_INSTRUCTION);
  g_assert_true (gtk_text_view_get_editable (instruction));
  /* Tab leaves the field instead of typing a tab character into it. */
  g_assert_false (gtk_text_view_get_accepts_tab (instruction));
  g_assert_false (gtk_text_view_get_accepts_tab (md_pair_text_get_view (text, MD_FIELD_ANSWER)));
  g_assert_true (md_pair_text_set_editing (text, FALSE, MD_FIELD_INSTRUCTION, NULL));
  g_assert_false (gtk_text_view_get_editable (instruction));

  gtk_window_destroy (window);
}

/* The diffs of the history and the Syphus panel: what a reviewer must see is seen, and a diff of
 * a megabyte-long text is a few lines. */
static void
test_diff_markup (void)
{
  g_autofree char *tab = md_diff_markup ("Is it raining?", "Is it\training?");
  g_autofree char *words = md_diff_markup ("a red ball", "a blue ball");
  g_autofree char *long_old = g_strconcat (long_answer, " end.", NULL);
  g_autofree char *long_new = g_strconcat (long_answer, " stop.", NULL);
  g_autofree char *long_diff = md_diff_markup (long_old, long_new);

  /* A tab typed where a space was is drawn, not an empty tinted box. */
  g_assert_nonnull (strstr (tab, "⇥"));
  g_assert_nonnull (strstr (tab, "·"));
  /* Old and new words keep a space between them. */
  g_assert_nonnull (strstr (words, "red</span> <span"));
  /* The megabyte of unchanged text before the change shows only its end. */
  g_assert_cmpuint (strlen (long_diff), <, 2000);
  g_assert_true (g_str_has_prefix (long_diff, "…"));
  g_assert_nonnull (strstr (long_diff, "stop"));
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *cache = NULL;
  int status;

  tmp = g_dir_make_tmp ("mimicdesk-long-text-XXXXXX", &error);
  g_assert_no_error (error);
  cache = g_build_filename (tmp, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  fixture_dir = g_build_filename (tmp, "L-shard", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture_dir, 0700), ==, 0);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  write_fixture (fixture_dir);

  app = md_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/app/long-text/answer", test_long_answer);
  g_test_add_func ("/app/long-text/tab", test_tab_moves_on);
  g_test_add_func ("/app/long-text/diff-markup", test_diff_markup);

  status = g_test_run ();

  g_clear_object (&app);
  g_free (fixture_dir);
  g_free (long_answer);
  return status;
}
