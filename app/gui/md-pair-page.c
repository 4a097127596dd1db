/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "md-context-strip.h"
#include "md-language-grid.h"
#include "md-media-view.h"
#include "md-pair-text.h"
#include "md-pair-table.h"
#include "md-pair-page.h"
#include "md-source-video.h"

struct _MdPairPage
{
  GtkWidget       parent_instance;

  MdPairReading  *reading;
  MdPair         *pair;         /* the reading's */
  MdImageLoader  *loader;
  MdLanguage      language;

  GtkStack       *state_stack;
  GtkLabel       *id_label;
  GtkLabel       *dataset_label;
  GtkImage       *modality_image;
  GtkBox         *language_box;
  AdwViewStack   *view_stack;
  AdwStatusPage  *error_page;

  GPtrArray      *examples;     /* MdPair or NULL per in-context id */

  MdMediaView    *media_view;
  MdSourceVideo  *source_video;

  /* What the media view shows, so that fetching the same pair again does not restart it. */
  char           *media_pair_id;
  GStrv           media_image_ids;
  MdPairText     *pair_text;
  MdLanguageGrid *language_grid;
  MdContextStrip *context_strip;
  GtkWidget      *context_heading;
  GtkWidget      *header_box;
};

G_DEFINE_FINAL_TYPE (MdPairPage, md_pair_page, GTK_TYPE_WIDGET)

enum {
  EXAMPLE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The text the user reviews: the latest revision when there is one, else the shard's, as read
 * with the pair. */
static const char *
current_text (MdPairPage *self,
              MdLanguage  language,
              MdField     field)
{
  return md_pair_reading_get_text (self->reading, language, field);
}

static void
update_text (MdPairPage *self)
{
  if (self->pair == NULL)
    return;

  md_pair_text_set (self->pair_text, md_pair_get_id (self->pair),
                    md_pair_get_dataset (self->pair), self->language,
                    current_text (self, self->language, MD_FIELD_INSTRUCTION),
                    current_text (self, self->language, MD_FIELD_ANSWER));
}

/* Frames per second at which MIMIC-IT sampled the clips of a dataset (FORMATS.md): TV clips at
 * 3 fps, Dense Captions and Ego4D at 1 fps. */
static double
dataset_fps (const char *dataset)
{
  if (g_strcmp0 (dataset, "TVC") == 0)
    return 3.0;
  return 1.0;
}

static void
update_media (MdPairPage *self)
{
  MdModality modality = md_pair_get_modality (self->pair);
  const char * const *image_ids = md_pair_get_image_ids (self->pair);

  /* A pair fetched again (after a review action, or a new query that keeps it selected) must
   * not reload its images or restart its clip or source video. */
  if (g_strcmp0 (self->media_pair_id, md_pair_get_id (self->pair)) == 0 &&
      self->media_image_ids != NULL && image_ids != NULL &&
      g_strv_equal ((const char * const *) self->media_image_ids, image_ids))
    return;
  g_free (self->media_pair_id);
  self->media_pair_id = g_strdup (md_pair_get_id (self->pair));
  g_strfreev (self->media_image_ids);
  self->media_image_ids = g_strdupv ((char **) image_ids);

  /* A text-only pair has nothing to show: give its text the room. */
  gtk_widget_set_visible (GTK_WIDGET (self->media_view), modality != MD_MODALITY_TEXT);
  md_media_view_set_media (self->media_view, modality, md_pair_get_image_ids (self->pair),
                           dataset_fps (md_pair_get_dataset (self->pair)));
  md_source_video_set_pair (self->source_video, self->pair,
                            dataset_fps (md_pair_get_dataset (self->pair)));
}

static void
update_languages (MdPairPage *self)
{
  MdTranslationTexts texts[MD_N_LANGUAGES];

  for (guint i = 0; i < MD_N_LANGUAGES; i++)
    {
      texts[i].instruction = current_text (self, i, MD_FIELD_INSTRUCTION);
      texts[i].answer = current_text (self, i, MD_FIELD_ANSWER);
    }
  md_language_grid_set_texts (self->language_grid, texts);
}

static void
on_example_activated (MdContextStrip *strip,
                      const char     *pair_id,
                      MdPairPage     *self)
{
  g_signal_emit (self, signals[EXAMPLE_ACTIVATED], 0, pair_id);
}

static void
update_context (MdPairPage *self)
{
  const char * const *ids = md_pair_get_context_ids (self->pair);
  const char * const *dangling = md_pair_get_dangling_context_ids (self->pair);
  guint n_ids = ids != NULL ? g_strv_length ((char **) ids) : 0;
  g_autofree MdContextExample *examples = g_new0 (MdContextExample, MAX (n_ids, 1));

  for (guint i = 0; i < n_ids; i++)
    {
      MdPair *example = NULL;

      if (self->examples != NULL && i < self->examples->len)
        example = g_ptr_array_index (self->examples, i);

      examples[i].id = ids[i];
      examples[i].dangling = example == NULL ||
                             (dangling != NULL && g_strv_contains (dangling, ids[i]));
      if (example != NULL)
        {
          examples[i].instruction = md_pair_get_text (example, self->language, MD_FIELD_INSTRUCTION);
          examples[i].answer = md_pair_get_text (example, self->language, MD_FIELD_ANSWER);
          /* Untranslated examples still read in English rather than as blanks. */
          if (examples[i].instruction == NULL)
            examples[i].instruction = md_pair_get_text (example, MD_LANGUAGE_EN, MD_FIELD_INSTRUCTION);
          if (examples[i].answer == NULL)
            examples[i].answer = md_pair_get_text (example, MD_LANGUAGE_EN, MD_FIELD_ANSWER);
          examples[i].image_ids = md_pair_get_image_ids (example);
        }
    }

  md_context_strip_set_examples (self->context_strip, self->loader, examples, n_ids);
  gtk_widget_set_visible (self->context_heading, n_ids > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->context_strip), n_ids > 0);
}

void
md_pair_page_set_row (MdPairPage *self,
                      MdPair     *row)
{
  g_return_if_fail (MD_IS_PAIR_PAGE (self));
  g_return_if_fail (row == NULL || MD_IS_PAIR (row));

  if (row == NULL)
    {
      gtk_stack_set_visible_child_name (self->state_stack, "none");
      return;
    }

  gtk_label_set_text (self->id_label, md_pair_get_id (row));
  gtk_label_set_text (self->dataset_label, md_pair_get_dataset (row));
  gtk_image_set_from_icon_name (self->modality_image,
                                md_modality_icon_name (md_pair_get_modality (row)));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->modality_image),
                               md_modality_label (md_pair_get_modality (row)));
}

void
md_pair_page_set_reading (MdPairPage    *self,
                          MdPairReading *reading)
{
  g_return_if_fail (MD_IS_PAIR_PAGE (self));

  if (reading == self->reading)
    return;
  g_clear_pointer (&self->reading, md_pair_reading_unref);
  g_clear_pointer (&self->examples, g_ptr_array_unref);
  if (reading == NULL)
    {
      self->pair = NULL;
      gtk_stack_set_visible_child_name (self->state_stack, "none");
      return;
    }

  self->reading = md_pair_reading_ref (reading);
  self->pair = md_pair_reading_get_pair (reading);
  if (md_pair_reading_get_examples (reading) != NULL)
    self->examples = g_ptr_array_ref (md_pair_reading_get_examples (reading));
  md_pair_page_set_row (self, self->pair);
  update_text (self);
  update_media (self);
  update_languages (self);
  update_context (self);
  gtk_stack_set_visible_child_name (self->state_stack, "pair");
}

MdPair *
md_pair_page_get_pair (MdPairPage *self)
{
  g_return_val_if_fail (MD_IS_PAIR_PAGE (self), NULL);

  return self->pair;
}

void
md_pair_page_set_error (MdPairPage   *self,
                        const char   *pair_id,
                        const GError *error)
{
  g_return_if_fail (MD_IS_PAIR_PAGE (self));

  g_clear_pointer (&self->reading, md_pair_reading_unref);
  self->pair = NULL;
  adw_status_page_set_description (self->error_page, error != NULL ? error->message : NULL);
  gtk_stack_set_visible_child_name (self->state_stack, "error");
}

void
md_pair_page_set_language (MdPairPage *self,
                           MdLanguage  language)
{
  g_return_if_fail (MD_IS_PAIR_PAGE (self));

  if (self->language == language)
    return;

  self->language = language;
  update_text (self);
  if (self->pair != NULL)
    update_context (self);
}

void
md_pair_page_set_loader (MdPairPage    *self,
                         MdImageLoader *loader)
{
  g_return_if_fail (MD_IS_PAIR_PAGE (self));

  if (g_set_object (&self->loader, loader))
    md_media_view_set_loader (self->media_view, loader);
}

static MdFramePlayer *
get_player (MdPairPage *self)
{
  if (self->pair == NULL || md_media_view_get_modality (self->media_view) != MD_MODALITY_VIDEO)
    return NULL;
  return md_media_view_get_frame_player (self->media_view);
}

gboolean
md_pair_page_toggle_play (MdPairPage *self)
{
  MdFramePlayer *player;

  g_return_val_if_fail (MD_IS_PAIR_PAGE (self), FALSE);

  if ((player = get_player (self)) == NULL)
    return FALSE;

  md_frame_player_set_playing (player, !md_frame_player_get_playing (player));
  return TRUE;
}

gboolean
md_pair_page_activate_media_action (MdPairPage *self,
                                    const char *action_name)
{
  g_return_val_if_fail (MD_IS_PAIR_PAGE (self), FALSE);
  return gtk_widget_activate_action (GTK_WIDGET (self->media_view), action_name, NULL);
}

gboolean
md_pair_page_step (MdPairPage *self,
                   int         frames)
{
  MdFramePlayer *player;

  g_return_val_if_fail (MD_IS_PAIR_PAGE (self), FALSE);

  if ((player = get_player (self)) == NULL)
    return FALSE;

  md_frame_player_step (player, frames);
  return TRUE;
}

void
md_pair_page_focus (MdPairPage *self)
{
  g_return_if_fail (MD_IS_PAIR_PAGE (self));

  gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

void
md_pair_page_reload_text (MdPairPage *self)
{
  g_return_if_fail (MD_IS_PAIR_PAGE (self));

  if (self->pair == NULL)
    return;
  update_text (self);
  update_languages (self);
}

MdLanguage
md_pair_page_get_language (MdPairPage *self)
{
  g_return_val_if_fail (MD_IS_PAIR_PAGE (self), MD_LANGUAGE_EN);
  return self->language;
}

GtkWidget *
md_pair_page_get_pair_text (MdPairPage *self)
{
  g_return_val_if_fail (MD_IS_PAIR_PAGE (self), NULL);
  return GTK_WIDGET (self->pair_text);
}

GtkWidget *
md_pair_page_get_language_grid (MdPairPage *self)
{
  g_return_val_if_fail (MD_IS_PAIR_PAGE (self), NULL);
  return GTK_WIDGET (self->language_grid);
}

void
md_pair_page_add_header_widget (MdPairPage *self,
                                GtkWidget  *widget)
{
  g_return_if_fail (MD_IS_PAIR_PAGE (self));
  /* Before the view switcher, the header's last child. */
  gtk_box_insert_child_after (GTK_BOX (self->header_box), widget,
                              gtk_widget_get_prev_sibling (gtk_widget_get_last_child (
                                self->header_box)));
}

void
md_pair_page_show_view (MdPairPage *self,
                        const char *name)
{
  g_return_if_fail (MD_IS_PAIR_PAGE (self));
  g_return_if_fail (name != NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, name);
}

void
md_pair_page_add_view (MdPairPage *self,
                       GtkWidget  *child,
                       const char *name,
                       const char *title,
                       const char *icon_name)
{
  g_return_if_fail (MD_IS_PAIR_PAGE (self));
  adw_view_stack_add_titled (self->view_stack, child, name, title);
  adw_view_stack_page_set_icon_name (adw_view_stack_get_page (self->view_stack, child), icon_name);
}

static void
build_language_switcher (MdPairPage *self)
{
  for (guint i = 0; i < MD_N_LANGUAGES; i++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (md_language_code (i));
      g_autofree char *tooltip = g_strdup_printf ("%s (%u)", md_language_native_name (i), i + 1);

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.language");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", md_language_code (i));
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_widget_set_focus_on_click (button, FALSE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, md_language_native_name (i),
                                      -1);
      gtk_box_append (self->language_box, button);
    }
}

static void
md_pair_page_dispose (GObject *object)
{
  MdPairPage *self = MD_PAIR_PAGE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), MD_TYPE_PAIR_PAGE);
  /* The template's unnamed top child is not a bound child: unparent it by hand. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->reading, md_pair_reading_unref);
  self->pair = NULL;
  g_clear_pointer (&self->media_pair_id, g_free);
  g_clear_pointer (&self->media_image_ids, g_strfreev);
  g_clear_object (&self->loader);
  g_clear_pointer (&self->examples, g_ptr_array_unref);

  G_OBJECT_CLASS (md_pair_page_parent_class)->dispose (object);
}

static void
md_pair_page_class_init (MdPairPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = md_pair_page_dispose;

  signals[EXAMPLE_ACTIVATED] =
    g_signal_new ("example-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (MD_TYPE_MEDIA_VIEW);
  g_type_ensure (MD_TYPE_SOURCE_VIDEO);
  g_type_ensure (MD_TYPE_PAIR_TEXT);
  g_type_ensure (MD_TYPE_LANGUAGE_GRID);
  g_type_ensure (MD_TYPE_CONTEXT_STRIP);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mimicdesk/MimicDesk/ui/md-pair-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, id_label);
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, dataset_label);
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, modality_image);
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, language_box);
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, media_view);
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, source_video);
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, pair_text);
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, language_grid);
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, context_strip);
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, context_heading);
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, header_box);
  gtk_widget_class_bind_template_callback (widget_class, on_example_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mdpairpage");
}

static void
md_pair_page_init (MdPairPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_language_switcher (self);
  md_source_video_set_media_view (self->source_video, self->media_view);

}

GtkWidget *
md_pair_page_new (void)
{
  return g_object_new (MD_TYPE_PAIR_PAGE, NULL);
}
