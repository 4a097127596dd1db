/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "md-error.h"
#include "md-history-view.h"
#include "md-language-grid.h"
#include "md-pair-text.h"
#include "md-query-prefixes.h"
#include "md-progress-view.h"
#include "md-team-live.h"
#include "md-sample-view.h"
#include "md-status-pill.h"
#include "md-window-private.h"

/* The window's review actions (approve, flag, reject, note, edit, undo, redo, per-language
 * status, next unreviewed, progress, sample), in its "review" action group, their keys in the
 * capture-phase shortcut controller named "md-review-keys", the status pill and history view
 * of the pair page, and the review file of the open index. */


/* The pair under review ------------------------------------------------------------------------ */

static MdPair *
current_pair (MdWindow *self)
{
  return md_pair_page_get_pair (self->pair_page);
}

static void
toast (MdWindow   *self,
       const char *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static void
report_error (MdWindow     *self,
              const GError *error)
{
  toast (self, error->message);
}

#define status_label md_status_pill_status_label

static void
update_pill (MdWindow *self)
{
  MdPair *pair = current_pair (self);
  g_autoptr(MdReviewState) state = NULL;

  if (pair != NULL && self->review != NULL)
    state = md_review_store_get_state (self->review, md_pair_get_dataset (pair),
                                       md_pair_get_id (pair), NULL, NULL);
  md_status_pill_set_state (self->status_pill, pair != NULL && self->review != NULL, state);
}

static void
update_language_buttons (MdWindow *self)
{
  MdPair *pair = current_pair (self);
  MdLanguageGrid *grid = MD_LANGUAGE_GRID (md_pair_page_get_language_grid (
    self->pair_page));

  for (guint l = 0; l < MD_N_LANGUAGES; l++)
    {
      g_autoptr(MdReviewState) state = NULL;

      if (pair == NULL || self->review == NULL)
        {
          md_language_grid_set_status_label (grid, l, NULL);
          continue;
        }
      state = md_review_store_get_state (self->review, md_pair_get_dataset (pair),
                                         md_pair_get_id (pair), md_language_code (l), NULL);
      md_language_grid_set_status_label (grid, l,
                                         status_label (state != NULL ? state->status
                                                                     : MD_REVIEW_STATUS_UNREVIEWED));
    }
}

static void
update_history (MdWindow *self)
{
  MdPair *pair = current_pair (self);
  const char *originals[MD_N_LANGUAGES][MD_N_FIELDS];

  if (pair == NULL || self->review == NULL)
    {
      md_history_view_set_pair (self->history_view, NULL, NULL, NULL, NULL);
      return;
    }
  for (guint l = 0; l < MD_N_LANGUAGES; l++)
    for (guint f = 0; f < MD_N_FIELDS; f++)
      originals[l][f] = md_pair_get_text (pair, l, f);
  md_history_view_set_pair (self->history_view, self->review, md_pair_get_dataset (pair),
                            md_pair_get_id (pair), (const char * const (*)[MD_N_FIELDS]) originals);
}

/* Everything but the texts, which an open editor keeps. */
static void
refresh_status (MdWindow *self)
{
  update_pill (self);
  update_language_buttons (self);
  update_history (self);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (
    G_ACTION_MAP (self->review_actions), "undo")), self->review != NULL &&
    md_review_store_can_undo (self->review, NULL));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (
    G_ACTION_MAP (self->review_actions), "redo")), self->review != NULL &&
    md_review_store_can_redo (self->review, NULL));
}

/* The texts are part of the pair's reading: they show once the navigator has read it again. */
static void
reread_shown (MdWindow *self)
{
  md_pair_navigator_reload (self->navigator);
  refresh_status (self);
}

void
_md_window_review_refresh (MdWindow *self)
{
  g_assert (MD_IS_WINDOW (self));

  /* Any pair may have changed (an undo, a batch, another process): no cached reading is
   * trusted any more. */
  md_pair_navigator_clear (self->navigator);
  reread_shown (self);
}

void
_md_window_review_pair_shown (MdWindow *self)
{
  g_assert (MD_IS_WINDOW (self));
  self->editing = FALSE;
  /* Just shown, just read: nothing to drop. */
  refresh_status (self);
}

static void
advance (MdWindow *self)
{
  if (g_settings_get_boolean (self->settings, "advance-after-action"))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.next-pair", NULL);
}

/* Sets the status of the current pair (lang NULL) or one of its languages. */
static gboolean
set_status (MdWindow           *self,
            const char         *lang,
            MdReviewStatus      status,
            const char * const *reasons,
            const char         *note)
{
  MdPair *pair = current_pair (self);
  g_autoptr(GError) error = NULL;
  gint64 action;

  if (pair == NULL || self->review == NULL)
    return FALSE;
  action = md_review_store_set_status (self->review, md_pair_get_dataset (pair),
                                       md_pair_get_id (pair), lang, status, reasons, note, &error);
  if (action < 0)
    {
      report_error (self, error);
      return FALSE;
    }
  if (action > 0)
    g_hash_table_insert (self->review_descriptions, g_memdup2 (&action, sizeof action),
                         g_strdup_printf ("%s %s%s%s", md_pair_get_id (pair),
                                          lang != NULL ? lang : "", lang != NULL ? " " : "",
                                          note != NULL && reasons == NULL
                                          ? _("note") : status_label (status)));
  /* A status is no text: the reading shown stays right. */
  refresh_status (self);
  return TRUE;
}

/* Actions ---------------------------------------------------------------------------------- */

static const char * const no_reasons[] = { NULL };

static void
approve_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  MdWindow *self = user_data;

  if (set_status (self, NULL, MD_REVIEW_STATUS_APPROVED, no_reasons, NULL))
    advance (self);
}

static void
reject_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  MdWindow *self = user_data;

  if (set_status (self, NULL, MD_REVIEW_STATUS_REJECTED, NULL, NULL))
    advance (self);
}

/* flag: the pill's reason picker; note: its entry */

static void
on_flag_confirmed (MdStatusPill *pill,
                   GStrv         reasons,
                   MdWindow     *self)
{
  if (set_status (self, NULL, MD_REVIEW_STATUS_FLAGGED, (const char * const *) reasons, NULL))
    advance (self);
}

static void
flag_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  MdWindow *self = user_data;
  MdPair *pair = current_pair (self);
  g_autoptr(GPtrArray) tags = NULL;
  g_autoptr(MdReviewState) state = NULL;

  if (pair == NULL || self->review == NULL)
    return;
  tags = md_review_store_list_tags (self->review, NULL);
  state = md_review_store_get_state (self->review, md_pair_get_dataset (pair),
                                     md_pair_get_id (pair), NULL, NULL);
  md_status_pill_ask_flag (self->status_pill, tags,
                           state != NULL ? (const char * const *) state->reasons : NULL);
}

static void
on_note_confirmed (MdStatusPill *pill,
                   const char   *note,
                   MdWindow     *self)
{
  MdPair *pair = current_pair (self);
  g_autoptr(MdReviewState) state = NULL;

  if (pair == NULL || self->review == NULL)
    return;
  state = md_review_store_get_state (self->review, md_pair_get_dataset (pair),
                                     md_pair_get_id (pair), NULL, NULL);
  set_status (self, NULL, state != NULL ? state->status : MD_REVIEW_STATUS_UNREVIEWED, NULL,
              note);
}

static void
note_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  MdWindow *self = user_data;
  MdPair *pair = current_pair (self);
  g_autoptr(MdReviewState) state = NULL;

  if (pair == NULL || self->review == NULL)
    return;
  state = md_review_store_get_state (self->review, md_pair_get_dataset (pair),
                                     md_pair_get_id (pair), NULL, NULL);
  md_status_pill_ask_note (self->status_pill, state != NULL ? state->note : NULL);
}

/* edit in place: the text views of the pair page become editable */

static MdPairText *
pair_text (MdWindow *self)
{
  return MD_PAIR_TEXT (md_pair_page_get_pair_text (self->pair_page));
}

static void
set_editing (MdWindow *self,
             gboolean  editing,
             MdField   focus_field)
{
  MdPairText *text = pair_text (self);
  g_autoptr(GError) error = NULL;

  if (editing)
    gtk_stack_set_visible_child_name (GTK_STACK (gtk_widget_get_ancestor (
      GTK_WIDGET (text), GTK_TYPE_STACK)), "pair");
  if (!md_pair_text_set_editing (text, editing, focus_field, &error))
    {
      report_error (self, error);
      return;
    }
  self->editing = editing;
}

static void
edit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  MdWindow *self = user_data;

  if (current_pair (self) == NULL || self->review == NULL)
    return;
  set_editing (self, TRUE, MD_FIELD_INSTRUCTION);
}

static void
save_edit_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  MdWindow *self = user_data;
  MdPair *pair = current_pair (self);
  MdLanguage lang = md_pair_page_get_language (self->pair_page);
  MdPairText *text = pair_text (self);
  g_autoptr(GError) failure = NULL;
  guint n_saved = 0;

  if (!self->editing || pair == NULL || self->review == NULL)
    return;
  for (guint f = 0; f < MD_N_FIELDS; f++)
    {
      g_autofree char *value = f == MD_FIELD_INSTRUCTION ? md_pair_text_get_instruction (text)
                                                         : md_pair_text_get_answer (text);
      g_autoptr(GError) error = NULL;
      gint64 id = md_review_store_edit_text (self->review, md_pair_get_dataset (pair),
                                             md_pair_get_id (pair), lang, f,
                                             md_pair_get_text (pair, lang, f), value, NULL,
                                             MD_REVIEW_AUTHOR_PERSON, &error);

      if (id < 0 && failure == NULL)
        failure = g_steal_pointer (&error);
      else if (id > 0)
        {
          n_saved++;
          g_hash_table_insert (self->review_descriptions, g_memdup2 (&id, sizeof id),
                               g_strdup_printf (_("edit of %s %s %s"), md_pair_get_id (pair),
                                                md_language_code (lang), md_field_name (f)));
        }
    }
  /* A text that could not be written (a full disk) stays in the editor, typed as it was, so
   * that Ctrl+Enter saves it once the cause is gone; what was saved is saved. */
  if (failure != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The revision is not saved: %s"),
                                                  failure->message);

      refresh_status (self);
      toast (self, message);
      return;
    }
  set_editing (self, FALSE, MD_FIELD_INSTRUCTION);
  reread_shown (self);
  _md_window_focus_list (self);
  toast (self, n_saved > 0 ? _("Revision saved") : _("Nothing changed"));
}

static void
cancel_edit_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  MdWindow *self = user_data;

  if (!self->editing)
    return;
  set_editing (self, FALSE, MD_FIELD_INSTRUCTION);
  md_pair_page_reload_text (self->pair_page);
  _md_window_focus_list (self);
}

static void
on_text_pressed (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 MdWindow        *self)
{
  GtkWidget *view = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));

  if (n_press == 2 && !self->editing && current_pair (self) != NULL && self->review != NULL)
    set_editing (self, TRUE, view == GTK_WIDGET (md_pair_text_get_view (pair_text (self),
                                                                        MD_FIELD_ANSWER))
                             ? MD_FIELD_ANSWER : MD_FIELD_INSTRUCTION);
}

/* undo / redo */

static void
replay (MdWindow *self,
        gboolean  is_undo)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gint64 target = 0;
  gint64 action;
  const char *what;

  if (self->review == NULL)
    return;
  /* The reviewer's own latest action (the store's reviewer), never another author's. */
  action = is_undo ? md_review_store_undo (self->review, NULL, &target, &error)
                   : md_review_store_redo (self->review, NULL, &target, &error);
  if (action < 0)
    {
      report_error (self, error);
      return;
    }
  if (action == 0)
    {
      toast (self, is_undo ? _("Nothing to undo") : _("Nothing to redo"));
      return;
    }
  what = g_hash_table_lookup (self->review_descriptions, &target);
  if (what != NULL)
    message = g_strdup_printf (is_undo ? _("Undone: %s") : _("Redone: %s"), what);
  else
    message = g_strdup_printf (is_undo ? _("Undone: action %" G_GINT64_FORMAT)
                                       : _("Redone: action %" G_GINT64_FORMAT), target);
  _md_window_review_refresh (self);
  toast (self, message);
}

static void
undo_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  replay (user_data, TRUE);
}

static void
redo_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  replay (user_data, FALSE);
}

/* per language: "zh:approved" */

static void
language_status_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  MdWindow *self = user_data;
  const char *arg = g_variant_get_string (parameter, NULL);
  const char *colon = strchr (arg, ':');
  g_autofree char *lang = NULL;
  MdReviewStatus status;

  if (colon == NULL || !md_review_status_from_name (colon + 1, &status))
    return;
  lang = g_strndup (arg, colon - arg);
  set_status (self, lang, status, status == MD_REVIEW_STATUS_FLAGGED ? NULL : no_reasons, NULL);
}

/* next unreviewed */

typedef struct
{
  GListModel *model;
  MdPair     *item;
} Walk;

static gboolean
pair_at (guint64      index,
         const char **out_dataset,
         const char **out_pair_id,
         gpointer     user_data)
{
  Walk *walk = user_data;

  g_clear_object (&walk->item);
  if (index >= g_list_model_get_n_items (walk->model))
    return FALSE;
  walk->item = g_list_model_get_item (walk->model, index);
  if (walk->item == NULL)
    return FALSE;
  *out_dataset = md_pair_get_dataset (walk->item);
  *out_pair_id = md_pair_get_id (walk->item);
  return TRUE;
}

static void
next_unreviewed_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  MdWindow *self = user_data;
  MdPairTable *table = self->pair_table;
  Walk walk = { md_pair_table_get_model (table), NULL };
  g_autoptr(GError) error = NULL;
  guint position = md_pair_table_get_selected (table);
  guint64 found;
  gboolean ok;

  if (self->review == NULL || walk.model == NULL)
    return;
  ok = md_review_store_next_unreviewed (self->review, pair_at, &walk,
                                        position == GTK_INVALID_LIST_POSITION ? G_MAXUINT64
                                                                              : position,
                                        NULL, &found, &error);
  g_clear_object (&walk.item);
  if (error != NULL)
    report_error (self, error);
  else if (!ok)
    toast (self, _("No unreviewed pair after this one"));
  else
    md_pair_table_move (table, (int) ((gint64) found - (gint64) (position == GTK_INVALID_LIST_POSITION
                                                                 ? 0 : position)));
}

static void
progress_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  MdWindow *self = user_data;

  if (self->review == NULL)
    return;
  md_progress_view_present (GTK_WINDOW (self), self->store, self->review);
}

static void
sample_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  MdWindow *self = user_data;

  if (self->review == NULL)
    return;
  md_sample_view_present (GTK_WINDOW (self), self->store, self->review,
                          (MdSampleShowFunc) _md_window_set_sample_filter, self);
}

static const GActionEntry action_entries[] = {
  { "approve", approve_activated },
  { "flag", flag_activated },
  { "reject", reject_activated },
  { "note", note_activated },
  { "edit", edit_activated },
  { "save-edit", save_edit_activated },
  { "cancel-edit", cancel_edit_activated },
  { "undo", undo_activated },
  { "redo", redo_activated },
  { "set-language-status", language_status_activated, "s" },
  { "next-unreviewed", next_unreviewed_activated },
  { "progress", progress_activated },
  { "sample", sample_activated },
};

/* Keys ------------------------------------------------------------------------------------------ */

/* Single keys are declined where they are text (an entry, a text view being edited) or where
 * Enter means something else (a button, a popover, the sidebar). */
static gboolean
focus_takes_keys (MdWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (focus == NULL)
    return FALSE;
  if (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT (focus))
    return TRUE;
  if (GTK_IS_TEXT_VIEW (focus) && gtk_text_view_get_editable (GTK_TEXT_VIEW (focus)))
    return TRUE;
  if (gtk_widget_get_ancestor (focus, GTK_TYPE_POPOVER) != NULL)
    return TRUE;
  return FALSE;
}

static gboolean
focus_takes_enter (MdWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (focus_takes_keys (self) || focus == NULL)
    return focus != NULL;
  return GTK_IS_BUTTON (focus) || GTK_IS_CHECK_BUTTON (focus) ||
         gtk_widget_is_ancestor (focus, GTK_WIDGET (self->sidebar));
}

static gboolean
on_key (GtkWidget *widget,
        GVariant  *args,
        gpointer   user_data)
{
  MdWindow *self = user_data;
  const char *name = g_variant_get_string (args, NULL);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->review_actions), name);

  if (strcmp (name, "next-unreviewed") == 0 ? focus_takes_enter (self) : focus_takes_keys (self))
    return FALSE;
  if (self->store == NULL || !g_action_get_enabled (action))
    return FALSE;
  g_action_activate (action, NULL);
  return TRUE;
}

static gboolean
on_edit_key (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  MdWindow *self = user_data;

  if (!self->editing)
    return FALSE;
  g_action_group_activate_action (G_ACTION_GROUP (self->review_actions),
                                  g_variant_get_string (args, NULL), NULL);
  return TRUE;
}

static void
add_key (GtkShortcutController *controller,
         guint                  keyval,
         GdkModifierType        modifiers,
         GtkShortcutFunc        func,
         gpointer               data,
         const char            *action)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keyval, modifiers),
                                            gtk_callback_action_new (func, data, NULL));

  gtk_shortcut_set_arguments (shortcut, g_variant_new_string (action));
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static void
install_keys (MdWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkShortcutController *shortcuts = GTK_SHORTCUT_CONTROLLER (controller);

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (controller, "md-review-keys");
  gtk_shortcut_controller_set_scope (shortcuts, GTK_SHORTCUT_SCOPE_MANAGED);
  add_key (shortcuts, GDK_KEY_a, 0, on_key, self, "approve");
  add_key (shortcuts, GDK_KEY_f, 0, on_key, self, "flag");
  add_key (shortcuts, GDK_KEY_x, 0, on_key, self, "reject");
  add_key (shortcuts, GDK_KEY_n, 0, on_key, self, "note");
  add_key (shortcuts, GDK_KEY_e, 0, on_key, self, "edit");
  add_key (shortcuts, GDK_KEY_Return, 0, on_key, self, "next-unreviewed");
  add_key (shortcuts, GDK_KEY_KP_Enter, 0, on_key, self, "next-unreviewed");
  add_key (shortcuts, GDK_KEY_z, GDK_CONTROL_MASK, on_key, self, "undo");
  add_key (shortcuts, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, on_key, self, "redo");
  add_key (shortcuts, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, on_key, self, "redo");
  add_key (shortcuts, GDK_KEY_Return, GDK_CONTROL_MASK, on_edit_key, self, "save-edit");
  add_key (shortcuts, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, on_edit_key, self, "save-edit");
  add_key (shortcuts, GDK_KEY_Escape, 0, on_edit_key, self, "cancel-edit");
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  /* Ctrl+Shift+P opens progress, Ctrl+Shift+S the audit sample. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_name (controller, "md-review-accels");
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller),
                                     GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_p, GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                      gtk_named_action_new ("review.progress")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK),
                      gtk_named_action_new ("review.sample")));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* Pieces of the pair page ------------------------------------------------------------------------ */

static void
build_pair_page_pieces (MdWindow *self)
{
  MdPairPage *page = self->pair_page;
  MdPairText *text = pair_text (self);
  MdLanguageGrid *grid = MD_LANGUAGE_GRID (md_pair_page_get_language_grid (page));

  /* The status pill, with the flag and note popovers hanging from it. */
  self->status_pill = g_object_new (MD_TYPE_STATUS_PILL, NULL);
  g_signal_connect (self->status_pill, "flag-confirmed", G_CALLBACK (on_flag_confirmed), self);
  g_signal_connect (self->status_pill, "note-confirmed", G_CALLBACK (on_note_confirmed), self);
  md_pair_page_add_header_widget (page, GTK_WIDGET (self->status_pill));

  /* Double-click a text to edit it. */
  for (guint f = 0; f < MD_N_FIELDS; f++)
    {
      GtkGesture *click = gtk_gesture_click_new ();

      g_signal_connect (click, "pressed", G_CALLBACK (on_text_pressed), self);
      gtk_widget_add_controller (GTK_WIDGET (md_pair_text_get_view (text, f)),
                                 GTK_EVENT_CONTROLLER (click));
    }

  /* A status menu on each language card. */
  for (guint l = 0; l < MD_N_LANGUAGES; l++)
    {
      g_autoptr(GMenu) menu = g_menu_new ();

      for (guint s = MD_REVIEW_STATUS_UNREVIEWED; s < MD_REVIEW_N_STATUSES; s++)
        {
          g_autofree char *target = g_strdup_printf ("%s:%s", md_language_code (l),
                                                     md_review_status_name (s));
          g_autoptr(GMenuItem) item = g_menu_item_new (status_label (s), NULL);

          g_menu_item_set_action_and_target_value (item, "review.set-language-status",
                                                   g_variant_new_string (target));
          g_menu_append_item (menu, item);
        }
      md_language_grid_set_status_menu (grid, l, G_MENU_MODEL (menu));
    }

  self->history_view = MD_HISTORY_VIEW (md_history_view_new ());
  g_signal_connect_swapped (self->history_view, "reverted", G_CALLBACK (_md_window_review_refresh), self);
  md_pair_page_add_view (page, GTK_WIDGET (self->history_view), "history", _("History"),
                         "document-open-recent-symbolic");
}

/* Sidebar filters -------------------------------------------------------------------------------- */

static MdReviewFilters *
filters (MdWindow *self)
{
  return md_sidebar_get_review_filters (self->sidebar);
}

static void
on_filter_changed (MdWindow *self)
{
  _md_window_requery (self);
}

static void
fill_reasons (MdWindow *self)
{
  g_autoptr(GPtrArray) tags = self->review != NULL ? md_review_store_list_tags (self->review,
                                                                                NULL) : NULL;

  md_review_filters_set_reasons (filters (self), tags);
}

void
_md_window_set_sample_filter (MdWindow   *self,
                              const char *name)
{
  g_assert (MD_IS_WINDOW (self));

  md_review_filters_set_sample (filters (self), name);
  _md_window_requery (self);
}

gboolean
_md_window_apply_review_query (MdWindow *self,
                               MdQuery  *query,
                               GError  **error)
{
  g_assert (MD_IS_WINDOW (self));

  /* Rows read in the language the user reads in, whatever is searched. */
  query->display_language = self->language;
  if (self->review != NULL)
    {
      query->review_language = query->language;
      md_review_filters_apply (filters (self), query);
    }
  return md_query_take_review_prefixes (query, self->review, error);
}

/* Store -------------------------------------------------------------------------------------- */

static void
update_reviewer (MdWindow *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "reviewer-name");

  if (self->review != NULL)
    md_review_store_set_reviewer (self->review, *name != '\0' ? name : g_get_user_name ());
}

/* Others' actions arrived: show them in the pill, the history and the filtered list. */
static void
on_team_changed (MdTeamLive *live,
                 MdWindow   *self)
{
  g_autoptr(MdQuery) query = md_query_new ();

  _md_window_review_refresh (self);
  md_review_filters_apply (filters (self), query);
  if (md_query_has_review_filters (query))
    _md_window_requery (self);
}

static void
restart_team_live (MdWindow *self)
{
  g_autofree char *name = g_settings_get_string (self->settings, "reviewer-name");
  g_autofree char *server = g_settings_get_string (self->settings, "team-server");

  if (self->team_live != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->team_live, on_team_changed, self);
      md_team_live_stop (self->team_live);
      g_clear_object (&self->team_live);
    }
  if (self->review == NULL)
    return;
  self->team_live = md_team_live_new (md_review_store_get_path (self->review),
                                 *name != '\0' ? name : g_get_user_name (), server);
  g_signal_connect (self->team_live, "changed", G_CALLBACK (on_team_changed), self);
}

void
_md_window_set_review_store (MdWindow *self,
                             MdStore  *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_assert (MD_IS_WINDOW (self));

  g_clear_object (&self->review);
  if (store != NULL)
    {
      path = md_review_store_default_path (md_store_get_path (store));
      self->review = md_review_store_open (path, &error);
      if (self->review == NULL || !md_store_attach_review (store, path, &error))
        {
          g_clear_object (&self->review);
          report_error (self, error);
        }
    }
  /* Lists again, once pairs are read with their revisions. */
  _md_window_set_sample_filter (self, NULL);
  update_reviewer (self);
  restart_team_live (self);
  fill_reasons (self);
  md_sidebar_set_review_available (self->sidebar, self->review != NULL);
  md_filter_bar_set_review_available (self->filter_bar, self->review != NULL);
  for (guint i = 0; i < G_N_ELEMENTS (action_entries); i++)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (
      G_ACTION_MAP (self->review_actions), action_entries[i].name)), self->review != NULL);
  refresh_status (self);
}

void
_md_window_dispose_review (MdWindow *self)
{
  if (self->team_live != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->team_live, on_team_changed, self);
      md_team_live_stop (self->team_live);
      g_clear_object (&self->team_live);
    }
  g_clear_object (&self->review);
  g_clear_object (&self->review_actions);
  g_clear_pointer (&self->review_descriptions, g_hash_table_unref);
}

void
_md_window_init_review (MdWindow *self)
{
  self->review_descriptions = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_signal_connect_object (self->settings, "changed::reviewer-name",
                           G_CALLBACK (update_reviewer), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::team-server",
                           G_CALLBACK (restart_team_live), self, G_CONNECT_SWAPPED);
  self->review_actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->review_actions), action_entries,
                                   G_N_ELEMENTS (action_entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "review",
                                  G_ACTION_GROUP (self->review_actions));
  install_keys (self);
  build_pair_page_pieces (self);
  /* The sidebar's status dropdown and the filter bar's chip show one status, never two. */
  g_signal_connect_object (filters (self), "changed", G_CALLBACK (on_filter_changed), self,
                           G_CONNECT_SWAPPED);
  g_object_bind_property (filters (self), "status", self->filter_bar, "review-status",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  _md_window_set_review_store (self, NULL);
}
