/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "md-application.h"
#include "md-history-view.h"
#include "md-review-sample.h"
#include "md-review-store.h"
#include "md-store.h"
#include "md-test-desk.h"
#include "md-test-gtk.h"
#include "md-window-private.h"

/* Reviewing in the window: the keys of the review desk on a real index and review file. */

static MdApplication *app;
static char *fixture_dir;

/* Helpers ----------------------------------------------------------------------------------- */

static gboolean
press (GtkWindow *window,
       guint      keyval)
{
  return md_test_desk_press (window, "md-review-keys", keyval, 0);
}

static gboolean
press_ctrl (GtkWindow       *window,
            guint            keyval,
            GdkModifierType  more)
{
  return md_test_desk_press (window, "md-review-keys", keyval, GDK_CONTROL_MASK | more);
}

/* The review file the window writes, opened on its own as another process would. */
static MdReviewStore *
open_review (void)
{
  g_autoptr(GError) error = NULL;
  const char *cache = g_get_user_cache_dir ();
  g_autofree char *found = NULL;
  char *path;
  MdReviewStore *store;

  /* The index lives somewhere below the cache folder: find its review file. */
  g_autofree char *cmd = g_strdup_printf ("find '%s' -name '*.review.sqlite' -print -quit", cache);
  g_assert_true (g_spawn_command_line_sync (cmd, &found, NULL, NULL, &error));
  g_assert_no_error (error);
  path = g_strstrip (found);
  g_assert_cmpstr (path, !=, "");
  store = md_review_store_open (path, &error);
  g_assert_no_error (error);
  return store;
}

static MdReviewStatus
status_of (const char *id,
           const char *lang)
{
  g_autoptr(MdReviewStore) review = open_review ();
  g_autoptr(MdReviewState) state = md_review_store_get_state (review, "T", id, lang, NULL);

  return state != NULL ? state->status : MD_REVIEW_STATUS_UNREVIEWED;
}

typedef struct
{
  GtkWindow  *window;
  const char *id;
} WaitId;

static gboolean
page_shows (gpointer data)
{
  WaitId *w = data;
  MdPair *pair = md_pair_page_get_pair (MD_WINDOW (w->window)->pair_page);

  return pair != NULL && g_strcmp0 (md_pair_get_id (pair), w->id) == 0 &&
         g_strcmp0 (md_test_desk_selected_id (w->window), w->id) == 0;
}

static void
wait_pair (GtkWindow  *window,
           const char *id)
{
  WaitId w = { window, id };

  if (!md_test_wait_until (page_shows, &w, 5000))
    g_error ("the page shows %s, expected %s", md_test_desk_selected_id (window), id);
  md_test_spin (50);
}

static GtkWidget *
find_of_type (GtkWidget *root,
              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_of_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
pill (GtkWindow *window)
{
  /* The note popover hangs from the pill. */
  return gtk_widget_get_parent (gtk_widget_get_ancestor (md_test_desk_find (window, "Note"), GTK_TYPE_POPOVER));
}

static void
test_keys (void)
{
  GtkWindow *window = md_test_desk_open_folder (app, fixture_dir, 4);
  g_autoptr(MdReviewStore) review = NULL;
  g_autoptr(MdReviewState) state = NULL;
  GtkWidget *popover;
  GtkWidget *check;

  g_settings_set_string (g_settings_new ("io.github.mimicdesk.MimicDesk"), "reviewer-name",
                         "ana");
  wait_pair (window, "T_INS_00001");

  /* a: approved, and the next pair is shown. */
  g_assert_true (press (window, GDK_KEY_a));
  g_assert_cmpint (status_of ("T_INS_00001", NULL), ==, MD_REVIEW_STATUS_APPROVED);
  wait_pair (window, "T_INS_00002");

  /* f: the reason picker; a reason and Enter flag the pair. */
  g_assert_true (press (window, GDK_KEY_f));
  check = md_test_find_by_accessible_name (md_test_desk_find (window, "Reasons"), "hallucination");
  g_assert_nonnull (check);
  popover = gtk_widget_get_ancestor (check, GTK_TYPE_POPOVER);
  g_assert_true (gtk_widget_get_visible (popover));
  /* In the popover, keys belong to it: a does not approve. */
  gtk_widget_grab_focus (check);
  g_assert_false (press (window, GDK_KEY_a));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  gtk_widget_activate (md_test_desk_find (window, "Confirm flag"));
  md_test_spin (300);
  review = open_review ();
  state = md_review_store_get_state (review, "T", "T_INS_00002", NULL, NULL);
  g_assert_cmpint (state->status, ==, MD_REVIEW_STATUS_FLAGGED);
  g_assert_cmpstr (state->reasons[0], ==, "hallucination");
  g_assert_null (state->reasons[1]);
  g_assert_cmpstr (state->reviewer, ==, "ana");
  g_clear_pointer (&state, md_review_state_free);
  wait_pair (window, "T_INS_00003");

  /* x: rejected. */
  g_assert_true (press (window, GDK_KEY_x));
  g_assert_cmpint (status_of ("T_INS_00003", NULL), ==, MD_REVIEW_STATUS_REJECTED);
  wait_pair (window, "T_INS_00004");

  /* n: a note; the status stays. */
  g_assert_true (press (window, GDK_KEY_n));
  gtk_editable_set_text (GTK_EDITABLE (md_test_desk_find (window, "Note")), "blue is fine");
  g_signal_emit_by_name (md_test_desk_find (window, "Note"), "activate");
  md_test_spin (100);
  state = md_review_store_get_state (review, "T", "T_INS_00004", NULL, NULL);
  g_assert_cmpstr (state->note, ==, "blue is fine");
  g_assert_cmpint (state->status, ==, MD_REVIEW_STATUS_UNREVIEWED);
  g_clear_pointer (&state, md_review_state_free);
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (pill (window)), "blue is fine"));

  /* Ctrl+Z undoes the note, with a toast; Ctrl+Shift+Z redoes it. */
  g_assert_true (press_ctrl (window, GDK_KEY_z, 0));
  state = md_review_store_get_state (review, "T", "T_INS_00004", NULL, NULL);
  g_assert_null (state->note);
  g_clear_pointer (&state, md_review_state_free);
  g_assert_true (press_ctrl (window, GDK_KEY_z, GDK_SHIFT_MASK));
  state = md_review_store_get_state (review, "T", "T_INS_00004", NULL, NULL);
  g_assert_cmpstr (state->note, ==, "blue is fine");
  g_clear_pointer (&state, md_review_state_free);

  /* Ctrl+Z twice more: the note, then the reject of T_INS_00003. */
  g_assert_true (press_ctrl (window, GDK_KEY_z, 0));
  g_assert_true (press_ctrl (window, GDK_KEY_z, 0));
  g_assert_cmpint (status_of ("T_INS_00003", NULL), ==, MD_REVIEW_STATUS_UNREVIEWED);
  g_assert_true (press_ctrl (window, GDK_KEY_z, GDK_SHIFT_MASK));
  g_assert_cmpint (status_of ("T_INS_00003", NULL), ==, MD_REVIEW_STATUS_REJECTED);

  /* The status menu of a language card. */
  gtk_widget_activate_action (GTK_WIDGET (window), "review.set-language-status", "s",
                              "zh:approved");
  g_assert_cmpint (status_of ("T_INS_00004", "zh"), ==, MD_REVIEW_STATUS_APPROVED);
  g_assert_cmpint (status_of ("T_INS_00004", NULL), ==, MD_REVIEW_STATUS_UNREVIEWED);

  gtk_window_destroy (window);
}

typedef struct
{
  GtkWindow  *window;
  guint       n;
} WaitCount;

static gboolean
count_is (gpointer data)
{
  WaitCount *w = data;

  return md_test_desk_n_pairs (w->window) == w->n;
}

static void
test_edit_history (void)
{
  GtkWindow *window = md_test_desk_open_folder (app, fixture_dir, 4);
  GtkWidget *instruction;
  GtkTextBuffer *buffer;
  GtkTextBuffer *diff;
  GtkTextIter start, end;
  GtkTextTagTable *tags;
  MdHistoryView *history;
  g_autofree char *text = NULL;

  wait_pair (window, "T_INS_00001");

  /* e: the instruction becomes editable; Escape cancels and changes nothing. */
  g_assert_true (press (window, GDK_KEY_e));
  instruction = md_test_desk_find_typed (GTK_WIDGET (window), "Instruction", GTK_TYPE_TEXT_VIEW);
  g_assert_true (gtk_text_view_get_editable (GTK_TEXT_VIEW (instruction)));
  g_assert_true (gtk_widget_has_focus (instruction));
  /* While editing, letters are text. */
  g_assert_false (press (window, GDK_KEY_a));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (instruction));
  gtk_text_buffer_set_text (buffer, "Describe the dark red picture", -1);
  g_assert_true (md_test_desk_press (window, "md-review-keys", GDK_KEY_Escape, 0));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (instruction)));
  md_test_desk_assert_text_becomes (window, "Instruction", "Describe the red picture");

  /* e again, Ctrl+Enter saves a revision and the view shows it. */
  g_assert_true (press (window, GDK_KEY_e));
  gtk_text_buffer_set_text (buffer, "Describe the dark red picture", -1);
  g_assert_true (press_ctrl (window, GDK_KEY_Return, 0));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (instruction)));
  md_test_desk_assert_text_becomes (window, "Instruction", "Describe the dark red picture");
  {
    g_autoptr(MdReviewStore) review = open_review ();

    text = md_review_store_get_text (review, "T", "T_INS_00001", MD_LANGUAGE_EN,
                                     MD_FIELD_INSTRUCTION, "Describe the red picture", NULL);
    g_assert_cmpstr (text, ==, "Describe the dark red picture");
  }

  /* The history lists the revision with its diff: "dark " inserted. */
  history = MD_HISTORY_VIEW (find_of_type (GTK_WIDGET (window), MD_TYPE_HISTORY_VIEW));
  /* Newest first: the revision, then the approval of the keys test. */
  g_assert_cmpuint (md_history_view_get_n_entries (history), ==, 2);
  g_assert_null (md_history_view_get_diff (history, 1));
  diff = md_history_view_get_diff (history, 0);
  g_assert_nonnull (diff);
  gtk_text_buffer_get_bounds (diff, &start, &end);
  g_clear_pointer (&text, g_free);
  text = gtk_text_buffer_get_text (diff, &start, &end, FALSE);
  g_assert_cmpstr (text, ==, "Describe the dark red picture");
  tags = gtk_text_buffer_get_tag_table (diff);
  gtk_text_buffer_get_iter_at_offset (diff, &start, strlen ("Describe the "));
  g_assert_true (gtk_text_iter_has_tag (&start, gtk_text_tag_table_lookup (tags, "insert")));
  gtk_text_buffer_get_iter_at_offset (diff, &start, 0);
  g_assert_false (gtk_text_iter_has_tag (&start, gtk_text_tag_table_lookup (tags, "insert")));

  /* Undo brings the shard's text back into the view. */
  g_assert_true (press_ctrl (window, GDK_KEY_z, 0));
  md_test_desk_assert_text_becomes (window, "Instruction", "Describe the red picture");
  g_assert_cmpuint (md_history_view_get_n_entries (history), ==, 3);

  /* Revert of the first revision (newest is shown first) restores the shard text again after
   * a redo. */
  g_assert_true (press_ctrl (window, GDK_KEY_z, GDK_SHIFT_MASK));
  md_test_desk_assert_text_becomes (window, "Instruction", "Describe the dark red picture");
  /* The History tab is not on screen: click its button directly. */
  g_signal_emit_by_name (md_test_find_by_accessible_name (GTK_WIDGET (history), "Revert"),
                         "clicked");
  md_test_desk_assert_text_becomes (window, "Instruction", "Describe the red picture");

  gtk_window_destroy (window);
}

static void
test_filters (void)
{
  GtkWindow *window = md_test_desk_open_folder (app, fixture_dir, 4);
  GtkDropDown *status;
  WaitCount w = { window, 0 };

  wait_pair (window, "T_INS_00001");
  /* advance-after-action off: the key acts on the pair and stays. */
  g_settings_set_boolean (g_settings_new ("io.github.mimicdesk.MimicDesk"),
                          "advance-after-action", FALSE);
  g_assert_true (press (window, GDK_KEY_x));
  g_assert_cmpstr (md_test_desk_selected_id (window), ==, "T_INS_00001");
  g_settings_set_boolean (g_settings_new ("io.github.mimicdesk.MimicDesk"),
                          "advance-after-action", TRUE);

  /* Flagged: exactly the flagged pairs (T_INS_00002 from the keys test). */
  status = GTK_DROP_DOWN (md_test_desk_find (window, "Review status filter"));
  gtk_drop_down_set_selected (status, 1 + MD_REVIEW_STATUS_FLAGGED);
  w.n = 1;
  g_assert_true (md_test_wait_until (count_is, &w, 3000));
  g_assert_cmpstr (md_test_desk_first_id (window), ==, "T_INS_00002");
  gtk_drop_down_set_selected (status, 1 + MD_REVIEW_STATUS_REJECTED);
  w.n = 2;
  g_assert_true (md_test_wait_until (count_is, &w, 3000));
  gtk_drop_down_set_selected (status, 0);
  w.n = 4;
  g_assert_true (md_test_wait_until (count_is, &w, 3000));

  /* Enter: the next unreviewed pair (00001 rejected, 00002 flagged, 00003 rejected). */
  wait_pair (window, "T_INS_00001");
  g_assert_true (press (window, GDK_KEY_Return));
  wait_pair (window, "T_INS_00004");

  gtk_window_destroy (window);
}

static void
test_progress (void)
{
  GtkWindow *window = md_test_desk_open_folder (app, fixture_dir, 4);
  GtkWidget *row;
  GList *toplevels;
  GtkWindow *progress = NULL;

  wait_pair (window, "T_INS_00001");
  gtk_widget_activate_action (GTK_WIDGET (window), "review.progress", NULL);
  md_test_spin (200);
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (gtk_window_get_transient_for (l->data) == window &&
        g_strcmp0 (gtk_window_get_title (l->data), "Review Progress") == 0)
      progress = l->data;
  g_list_free (toplevels);
  g_assert_nonnull (progress);
  /* The only dataset's pair-level row comes first. */
  row = find_of_type (GTK_WIDGET (progress), ADW_TYPE_ACTION_ROW);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Whole pairs");
  /* T_INS_00001 rejected, 00002 flagged, 00003 rejected (from the earlier tests). */
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "3 of 4 reviewed · 0 approved · 1 flagged · 2 rejected · 1 edited");
  gtk_window_destroy (progress);
  gtk_window_destroy (window);
}

static void
search (GtkWindow  *window,
        const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (MD_WINDOW (window)->search_entry), text);
  /* The entry's search-changed comes after its typing delay. */
  md_test_spin (400);
}

static GtkWindow *
find_toplevel (GtkWindow  *parent,
               const char *title)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (gtk_window_get_transient_for (l->data) == parent &&
        g_strcmp0 (gtk_window_get_title (l->data), title) == 0)
      found = l->data;
  g_list_free (toplevels);
  g_assert_nonnull (found);
  return found;
}

static void
test_search_filters (void)
{
  GtkWindow *window = md_test_desk_open_folder (app, fixture_dir, 4);
  GtkWidget *entry = GTK_WIDGET (MD_WINDOW (window)->search_entry);
  GtkDropDown *chip;
  GtkDropDown *sidebar;
  WaitCount w = { window, 0 };
  const char * const reasons[] = { "hallucination", NULL };

  wait_pair (window, "T_INS_00001");

  /* The chip of the filter bar and the sidebar's dropdown are one filter. */
  chip = GTK_DROP_DOWN (md_test_desk_find (window, "Review status"));
  sidebar = GTK_DROP_DOWN (md_test_desk_find (window, "Review status filter"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (chip)));
  gtk_drop_down_set_selected (chip, 1 + MD_REVIEW_STATUS_FLAGGED);
  g_assert_cmpuint (gtk_drop_down_get_selected (sidebar), ==, 1 + MD_REVIEW_STATUS_FLAGGED);
  w.n = 1;
  g_assert_true (md_test_wait_until (count_is, &w, 3000));
  g_assert_cmpstr (md_test_desk_first_id (window), ==, "T_INS_00002");
  gtk_drop_down_set_selected (sidebar, 1 + MD_REVIEW_STATUS_REJECTED);
  g_assert_cmpuint (gtk_drop_down_get_selected (chip), ==, 1 + MD_REVIEW_STATUS_REJECTED);
  w.n = 2;
  g_assert_true (md_test_wait_until (count_is, &w, 3000));
  /* Searches combine with it: of the rejected 00001 and 00003, only 00001 is red. */
  search (window, "red");
  w.n = 1;
  g_assert_true (md_test_wait_until (count_is, &w, 3000));
  g_assert_cmpstr (md_test_desk_first_id (window), ==, "T_INS_00001");
  search (window, "");
  gtk_drop_down_set_selected (chip, 0);
  g_assert_cmpuint (gtk_drop_down_get_selected (sidebar), ==, 0);
  w.n = 4;
  g_assert_true (md_test_wait_until (count_is, &w, 3000));

  /* Flag the blue pair from another connection, as a second reviewer would. */
  {
    g_autoptr(MdReviewStore) review = open_review ();
    g_autoptr(GError) error = NULL;

    md_review_store_set_reviewer (review, "bo");
    g_assert_cmpint (md_review_store_set_status (review, "T", "T_INS_00004", NULL,
                                                 MD_REVIEW_STATUS_FLAGGED, reasons, NULL,
                                                 &error), >, 0);
    g_assert_no_error (error);
  }

  /* Prefixes: exactly the flagged pairs that match "blue". */
  search (window, "status:flagged blue");
  w.n = 1;
  g_assert_true (md_test_wait_until (count_is, &w, 3000));
  g_assert_cmpstr (md_test_desk_first_id (window), ==, "T_INS_00004");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  search (window, "status:flagged");
  w.n = 2;
  g_assert_true (md_test_wait_until (count_is, &w, 3000));
  search (window, "reviewer:bo");
  w.n = 1;
  g_assert_true (md_test_wait_until (count_is, &w, 3000));
  g_assert_cmpstr (md_test_desk_first_id (window), ==, "T_INS_00004");
  search (window, "reason:hallucination is:edited");
  w.n = 0;
  g_assert_true (md_test_wait_until (count_is, &w, 3000));
  search (window, "is:unreviewed");
  w.n = 0;
  g_assert_true (md_test_wait_until (count_is, &w, 3000));
  search (window, "is:edited");
  w.n = 1;
  g_assert_true (md_test_wait_until (count_is, &w, 3000));
  g_assert_cmpstr (md_test_desk_first_id (window), ==, "T_INS_00001");

  /* A value we do not know is a query error, shown on the entry and under the filter bar. */
  search (window, "status:shiny blue");
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (entry), "status:shiny"));
  search (window, "is:pretty");
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  search (window, "reason:nope");
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  search (window, "");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  w.n = 4;
  g_assert_true (md_test_wait_until (count_is, &w, 3000));

  gtk_window_destroy (window);
}

static gboolean
is_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

static void
test_sample (void)
{
  GtkWindow *window = md_test_desk_open_folder (app, fixture_dir, 4);
  GtkWindow *view;
  GtkWidget *draw;
  GtkWidget *label;
  g_autoptr(MdReviewStore) review = NULL;
  g_autoptr(MdSample) sample = NULL;
  g_autoptr(GError) error = NULL;

  wait_pair (window, "T_INS_00001");
  gtk_widget_activate_action (GTK_WIDGET (window), "review.sample", NULL);
  md_test_spin (200);
  view = find_toplevel (window, "Audit Sample");
  gtk_editable_set_text (GTK_EDITABLE (md_test_desk_find_typed (GTK_WIDGET (view), "Name",
                                                                GTK_TYPE_ENTRY)), "spot");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (md_test_desk_find_typed (GTK_WIDGET (view), "Size",
                                                                       GTK_TYPE_SPIN_BUTTON)), 2);
  draw = md_test_find_by_accessible_name (GTK_WIDGET (view), "Draw sample");
  g_signal_emit_by_name (draw, "clicked");
  /* The index is walked in a thread: the button waits for it. */
  g_assert_false (gtk_widget_get_sensitive (draw));
  g_assert_true (md_test_wait_until (is_sensitive, draw, 10000));
  label = md_test_find_by_accessible_name (GTK_WIDGET (view), "Drawing sample");
  g_assert_false (gtk_widget_get_visible (label));
  g_assert_true (gtk_widget_get_sensitive (md_test_find_by_accessible_name (GTK_WIDGET (view),
                                                                            "Show sample in list")));

  review = open_review ();
  sample = md_review_store_load_sample (review, "spot", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sample->members->len, ==, 2);

  /* Show in List lists exactly its members. */
  g_signal_emit_by_name (md_test_find_by_accessible_name (GTK_WIDGET (view),
                                                          "Show sample in list"), "clicked");
  {
    WaitCount w = { window, 2 };

    g_assert_true (md_test_wait_until (count_is, &w, 3000));
  }
  gtk_window_destroy (window);
}

/* A full disk under the review file, and only under it: SQLite's own write calls, swapped for
 * ones that fail with ENOSPC on the review file's descriptors while `disk_full` is set. The
 * connection then reports SQLITE_FULL as it does on a real full disk. */

static gboolean disk_full;
static sqlite3_syscall_ptr real_write, real_pwrite, real_pwrite64;

static gboolean
refuse_write (int fd)
{
  g_autofree char *link = g_strdup_printf ("/proc/self/fd/%d", fd);
  char target[4096];
  ssize_t n;

  if (!g_atomic_int_get (&disk_full))
    return FALSE;
  n = readlink (link, target, sizeof target - 1);
  if (n < 0)
    return FALSE;
  target[n] = '\0';
  if (strstr (target, ".review.sqlite") == NULL)
    return FALSE;
  errno = ENOSPC;
  return TRUE;
}

static ssize_t
full_write (int fd, const void *buf, size_t n)
{
  return refuse_write (fd) ? -1 : ((ssize_t (*) (int, const void *, size_t)) real_write) (fd, buf, n);
}

static ssize_t
full_pwrite (int fd, const void *buf, size_t n, off_t offset)
{
  return refuse_write (fd) ? -1 : ((ssize_t (*) (int, const void *, size_t, off_t)) real_pwrite) (
    fd, buf, n, offset);
}

static ssize_t
full_pwrite64 (int fd, const void *buf, size_t n, off_t offset)
{
  return refuse_write (fd) ? -1 : ((ssize_t (*) (int, const void *, size_t, off_t)) real_pwrite64) (
    fd, buf, n, offset);
}

static void
install_full_disk (void)
{
  sqlite3_vfs *vfs = sqlite3_vfs_find (NULL);
  int n = 0;

  g_assert_nonnull (vfs->xSetSystemCall);
  real_write = vfs->xGetSystemCall (vfs, "write");
  real_pwrite = vfs->xGetSystemCall (vfs, "pwrite");
  real_pwrite64 = vfs->xGetSystemCall (vfs, "pwrite64");
  n += real_write != NULL && vfs->xSetSystemCall (vfs, "write", (sqlite3_syscall_ptr) full_write) == SQLITE_OK;
  n += real_pwrite != NULL && vfs->xSetSystemCall (vfs, "pwrite", (sqlite3_syscall_ptr) full_pwrite) == SQLITE_OK;
  n += real_pwrite64 != NULL && vfs->xSetSystemCall (vfs, "pwrite64", (sqlite3_syscall_ptr) full_pwrite64) == SQLITE_OK;
  g_assert_cmpint (n, >, 0);
}

static gboolean
label_contains (GtkWidget  *root,
                const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) &&
      strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (label_contains (child, text))
      return TRUE;
  return FALSE;
}

typedef struct
{
  GtkWindow  *window;
  const char *text;
} WaitLabel;

static gboolean
shows_label (gpointer data)
{
  WaitLabel *w = data;

  return label_contains (GTK_WIDGET (w->window), w->text);
}

/* e, type, Ctrl+Enter on a full disk: the editor stays open with the typed text and says why;
 * once there is room again, Ctrl+Enter saves it. */
static void
test_full_disk (void)
{
  GtkWindow *window = md_test_desk_open_folder (app, fixture_dir, 4);
  const char *typed = "Describe the red picture, disk or no disk";
  WaitLabel why = { window, "database or disk is full" };
  WaitLabel saved = { window, "Revision saved" };
  GtkWidget *instruction;
  GtkTextBuffer *buffer;
  g_autofree char *text = NULL;
  g_autofree char *before = NULL;

  wait_pair (window, "T_INS_00001");
  {
    g_autoptr(MdReviewStore) review = open_review ();

    before = md_review_store_get_text (review, "T", "T_INS_00001", MD_LANGUAGE_EN,
                                       MD_FIELD_INSTRUCTION, "shard", NULL);
  }
  g_assert_true (press (window, GDK_KEY_e));
  instruction = md_test_desk_find_typed (GTK_WIDGET (window), "Instruction", GTK_TYPE_TEXT_VIEW);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (instruction));
  gtk_text_buffer_set_text (buffer, typed, -1);

  g_atomic_int_set (&disk_full, TRUE);
  g_assert_true (press_ctrl (window, GDK_KEY_Return, 0));
  if (!md_test_wait_until (shows_label, &why, 5000))
    g_error ("no message saying the disk is full");
  /* Still editing, the typed text still there, nothing written. */
  g_assert_true (gtk_text_view_get_editable (GTK_TEXT_VIEW (instruction)));
  md_test_spin (100);
  text = md_test_desk_text (window, "Instruction");
  g_assert_cmpstr (text, ==, typed);
  g_clear_pointer (&text, g_free);
  g_atomic_int_set (&disk_full, FALSE);
  {
    g_autoptr(MdReviewStore) review = open_review ();

    text = md_review_store_get_text (review, "T", "T_INS_00001", MD_LANGUAGE_EN,
                                     MD_FIELD_INSTRUCTION, "shard", NULL);
    g_assert_cmpstr (text, ==, before);
    g_clear_pointer (&text, g_free);
  }

  /* Room again: the same keys save it. */
  g_assert_true (press_ctrl (window, GDK_KEY_Return, 0));
  if (!md_test_wait_until (shows_label, &saved, 5000))
    g_error ("no “Revision saved” after the disk had room again");
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (instruction)));
  md_test_desk_assert_text_becomes (window, "Instruction", typed);
  {
    g_autoptr(MdReviewStore) review = open_review ();

    text = md_review_store_get_text (review, "T", "T_INS_00001", MD_LANGUAGE_EN,
                                     MD_FIELD_INSTRUCTION, "shard", NULL);
    g_assert_cmpstr (text, ==, typed);
  }
  gtk_window_destroy (window);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *cache = NULL;
  int status;

  tmp = g_dir_make_tmp ("mimicdesk-review-XXXXXX", &error);
  g_assert_no_error (error);
  cache = g_build_filename (tmp, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  fixture_dir = g_build_filename (tmp, "T-shard", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture_dir, 0700), ==, 0);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  install_full_disk ();
  md_test_desk_write_fixture (fixture_dir);

  app = md_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  /* In order: each builds on the review file the one before left. */
  g_test_add_func ("/app/review/keys", test_keys);
  g_test_add_func ("/app/review/edit-history", test_edit_history);
  g_test_add_func ("/app/review/filters", test_filters);
  g_test_add_func ("/app/review/progress", test_progress);
  g_test_add_func ("/app/review/search-filters", test_search_filters);
  g_test_add_func ("/app/review/sample", test_sample);
  g_test_add_func ("/app/review/full-disk", test_full_disk);

  status = g_test_run ();

  g_clear_object (&app);
  g_free (fixture_dir);
  return status;
}
