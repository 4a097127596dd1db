/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "md-media-view.h"
#include "md-pair-table.h"
#include "md-pair-page.h"

struct _MdPairPage
{
  GtkWidget       parent_instance;

  MdPair         *pair;
  MdImageLoader  *loader;
  MdLanguage      language;

  GtkStack       *state_stack;
  GtkLabel       *id_label;
  GtkLabel       *dataset_label;
  GtkImage       *modality_image;
  GtkBox         *language_box;
  AdwViewStack   *view_stack;
  AdwStatusPage  *error_page;

  /* Slots the media, text, language grid and in-context widgets live in. */
  MdMediaView    *media_view;
  GtkLabel       *instruction_label;
  GtkLabel       *answer_label;
  GtkGrid        *languages_grid;
  GtkFlowBox     *context_box;
  GtkWidget      *context_heading;
  GtkWidget      *instruction_heading;
  GtkWidget      *answer_heading;
};

G_DEFINE_FINAL_TYPE (MdPairPage, md_pair_page, GTK_TYPE_WIDGET)

enum {
  EXAMPLE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_text_label (GtkLabel   *label,
                const char *name,
                const char *text,
                MdLanguage  language)
{
  if (text == NULL || text[0] == '\0')
    {
      gtk_label_set_text (label, _("No text in this language"));
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
  else
    {
      gtk_label_set_text (label, text);
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
    }
  gtk_widget_set_direction (GTK_WIDGET (label),
                            md_language_is_rtl (language) ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
  /* Setting the text made it the accessible name; the name says what the text is. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
update_text (MdPairPage *self)
{
  if (self->pair == NULL)
    return;

  set_text_label (self->instruction_label, _("Instruction"),
                  md_pair_get_text (self->pair, self->language, MD_FIELD_INSTRUCTION),
                  self->language);
  set_text_label (self->answer_label, _("Answer"),
                  md_pair_get_text (self->pair, self->language, MD_FIELD_ANSWER),
                  self->language);
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

  /* A text-only pair has nothing to show: give its text the room. */
  gtk_widget_set_visible (GTK_WIDGET (self->media_view), modality != MD_MODALITY_TEXT);
  md_media_view_set_media (self->media_view, modality, md_pair_get_image_ids (self->pair),
                           dataset_fps (md_pair_get_dataset (self->pair)));
}

static void
update_languages (MdPairPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->languages_grid))) != NULL)
    gtk_grid_remove (self->languages_grid, child);

  for (guint i = 0; i < MD_N_LANGUAGES; i++)
    {
      GtkWidget *code = gtk_label_new (md_language_code (i));
      const char *instruction = md_pair_get_text (self->pair, i, MD_FIELD_INSTRUCTION);
      const char *answer = md_pair_get_text (self->pair, i, MD_FIELD_ANSWER);
      g_autofree char *joined = g_strdup_printf ("%s\n%s", instruction ? instruction : "—",
                                                 answer ? answer : "—");
      GtkWidget *text = gtk_label_new (joined);

      gtk_widget_add_css_class (code, "md-language-code");
      gtk_label_set_yalign (GTK_LABEL (code), 0);
      gtk_label_set_wrap (GTK_LABEL (text), TRUE);
      gtk_label_set_selectable (GTK_LABEL (text), TRUE);
      gtk_label_set_xalign (GTK_LABEL (text), 0);
      gtk_widget_set_hexpand (text, TRUE);
      if (md_language_is_rtl (i))
        gtk_widget_set_direction (text, GTK_TEXT_DIR_RTL);
      gtk_grid_attach (self->languages_grid, code, 0, i, 1, 1);
      gtk_grid_attach (self->languages_grid, text, 1, i, 1, 1);
    }
}

static void
on_example_clicked (GtkButton  *button,
                    MdPairPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "md-pair-id");

  g_signal_emit (self, signals[EXAMPLE_ACTIVATED], 0, id);
}

static void
update_context (MdPairPage *self)
{
  const char * const *ids = md_pair_get_context_ids (self->pair);
  const char * const *dangling = md_pair_get_dangling_context_ids (self->pair);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->context_box))) != NULL)
    gtk_flow_box_remove (self->context_box, child);

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      GtkWidget *button = gtk_button_new_with_label (ids[i]);
      gboolean is_dangling = dangling != NULL && g_strv_contains (dangling, ids[i]);

      gtk_widget_add_css_class (button, "md-pair-id");
      g_object_set_data_full (G_OBJECT (button), "md-pair-id", g_strdup (ids[i]), g_free);
      if (is_dangling)
        {
          gtk_widget_set_sensitive (button, FALSE);
          gtk_widget_set_tooltip_text (button, _("Not in the index"));
        }
      g_signal_connect (button, "clicked", G_CALLBACK (on_example_clicked), self);
      gtk_flow_box_append (self->context_box, button);
    }

  gtk_widget_set_visible (self->context_heading, ids != NULL && ids[0] != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->context_box), ids != NULL && ids[0] != NULL);
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
md_pair_page_set_pair (MdPairPage *self,
                       MdPair     *pair)
{
  g_return_if_fail (MD_IS_PAIR_PAGE (self));
  g_return_if_fail (pair == NULL || MD_IS_PAIR (pair));

  if (!g_set_object (&self->pair, pair))
    return;

  if (pair == NULL)
    {
      gtk_stack_set_visible_child_name (self->state_stack, "none");
      return;
    }

  md_pair_page_set_row (self, pair);
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

  g_clear_object (&self->pair);
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
  g_clear_object (&self->pair);
  g_clear_object (&self->loader);

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
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, instruction_label);
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, answer_label);
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, languages_grid);
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, context_box);
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, context_heading);
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, instruction_heading);
  gtk_widget_class_bind_template_child (widget_class, MdPairPage, answer_heading);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "mdpairpage");
}

static void
md_pair_page_init (MdPairPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_language_switcher (self);

  /* A label's text is its accessible name. The headings only introduce the texts, which carry
   * the names "Instruction" and "Answer" themselves; a screen reader should not meet each twice. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->instruction_heading),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->answer_heading),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
}

GtkWidget *
md_pair_page_new (void)
{
  return g_object_new (MD_TYPE_PAIR_PAGE, NULL);
}
