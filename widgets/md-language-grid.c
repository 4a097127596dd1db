/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-language-grid"

#include "config.h"

#include <glib/gi18n.h>

#include "md-language-grid.h"
#include "md-text-preview.h"


typedef struct
{
  GtkWidget *card;
  GtkWidget *status;        /* GtkMenuButton, hidden until it has a menu and a label */
  GtkLabel  *instruction;
  GtkLabel  *answer;
  GtkWidget *hints;
} Cell;

struct _MdLanguageGrid
{
  GtkWidget          parent_instance;

  GtkScrolledWindow *scroller;
  GtkFlowBox        *grid;

  Cell               cells[MD_N_LANGUAGES];
  GPtrArray         *hints;
};

G_DEFINE_FINAL_TYPE (MdLanguageGrid, md_language_grid, GTK_TYPE_WIDGET)

static const char *
english_name (MdLanguage language)
{
  switch (language)
    {
    case MD_LANGUAGE_EN: return _("English");
    case MD_LANGUAGE_ZH: return _("Chinese");
    case MD_LANGUAGE_ES: return _("Spanish");
    case MD_LANGUAGE_JA: return _("Japanese");
    case MD_LANGUAGE_DE: return _("German");
    case MD_LANGUAGE_FR: return _("French");
    case MD_LANGUAGE_KO: return _("Korean");
    case MD_LANGUAGE_AR: return _("Arabic");
    case MD_N_LANGUAGES:
    default: return NULL;
    }
}

static GtkLabel *
add_text_label (GtkBox     *box,
                MdLanguage  language,
                const char *caption)
{
  GtkWidget *heading = gtk_label_new (caption);
  GtkWidget *label = gtk_label_new (NULL);
  GtkTextDirection direction = md_language_is_rtl (language) ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR;

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "caption-heading");
  gtk_widget_add_css_class (heading, "dim-label");
  gtk_box_append (box, heading);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* A bounded natural width lets the flow box put several languages side by side; the labels
   * still grow to the width the box gives them. */
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);   /* mirrored to the right edge in RTL */
  gtk_widget_set_direction (label, direction);
  gtk_widget_add_css_class (label, "md-translation");
  gtk_box_append (box, label);
  return GTK_LABEL (label);
}

static void
build_cell (MdLanguageGrid *self,
            MdLanguage      language)
{
  Cell *cell = &self->cells[language];
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = gtk_label_new (md_language_native_name (language));
  GtkWidget *code = gtk_label_new (md_language_code (language));

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "md-language-cell");
  gtk_accessible_update_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  english_name (language), -1);

  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_set_tooltip_text (name, english_name (language));
  gtk_widget_add_css_class (code, "monospace");
  gtk_widget_add_css_class (code, "dim-label");
  gtk_widget_add_css_class (code, "md-language-code");
  gtk_box_append (GTK_BOX (header), name);
  gtk_box_append (GTK_BOX (header), code);
  gtk_box_append (GTK_BOX (card), header);

  {
    g_autofree char *status_name = g_strdup_printf (_("Status of %s"), md_language_code (language));

    cell->status = gtk_menu_button_new ();
    gtk_widget_add_css_class (cell->status, "flat");
    gtk_widget_set_halign (cell->status, GTK_ALIGN_END);
    gtk_widget_set_hexpand (cell->status, TRUE);
    gtk_widget_set_visible (cell->status, FALSE);
    gtk_accessible_update_property (GTK_ACCESSIBLE (cell->status), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    status_name, -1);
    gtk_box_append (GTK_BOX (header), cell->status);
  }

  cell->instruction = add_text_label (GTK_BOX (card), language, _("Instruction"));
  cell->answer = add_text_label (GTK_BOX (card), language, _("Answer"));
  cell->hints = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_add_css_class (cell->hints, "md-hints");
  gtk_box_append (GTK_BOX (card), cell->hints);
  cell->card = card;

  /* A flow box: up to four languages side by side, fewer on a narrow pane, so the grid never
   * forces the window wider than the screen. */
  gtk_flow_box_append (self->grid, card);
}

static void
set_text (GtkLabel   *label,
          const char *text)
{
  if (text == NULL)
    {
      gtk_label_set_text (label, _("(missing)"));
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
  else
    {
      guint64 n_chars = 0;
      g_autofree char *preview = md_text_preview (text, MD_TEXT_CARD_CHARS, &n_chars);

      /* A card shows the start of a long text; the pair view has all of it. */
      gtk_label_set_text (label, preview != NULL ? preview : text);
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
      if (preview != NULL)
        {
          g_autofree char *tooltip =
            g_strdup_printf (_("The first %d of %'" G_GUINT64_FORMAT " characters: press the "
                               "language's number key to read all of it"),
                             MD_TEXT_CARD_CHARS, n_chars);

          gtk_widget_set_tooltip_text (GTK_WIDGET (label), tooltip);
        }
      else
        gtk_widget_set_tooltip_text (GTK_WIDGET (label), NULL);
    }
}

static void
clear_hints (Cell *cell)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (cell->hints)) != NULL)
    gtk_box_remove (GTK_BOX (cell->hints), child);
  gtk_widget_remove_css_class (cell->card, "md-has-hints");
}

static void
add_hint_row (Cell                    *cell,
              const MdTranslationHint *hint)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *label = gtk_label_new (hint->message);

  gtk_widget_add_css_class (row, "md-hint");
  gtk_widget_add_css_class (row, "warning");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_set_name (row, md_translation_hint_kind_name (hint->kind));
  gtk_box_append (GTK_BOX (row), icon);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (cell->hints), row);
  gtk_widget_add_css_class (cell->card, "md-has-hints");
}

void
md_language_grid_set_texts (MdLanguageGrid           *self,
                            const MdTranslationTexts *texts)
{
  g_return_if_fail (MD_IS_LANGUAGE_GRID (self));

  g_clear_pointer (&self->hints, g_ptr_array_unref);
  for (MdLanguage language = 0; language < MD_N_LANGUAGES; language++)
    {
      Cell *cell = &self->cells[language];

      clear_hints (cell);
      set_text (cell->instruction, texts != NULL ? texts[language].instruction : NULL);
      set_text (cell->answer, texts != NULL ? texts[language].answer : NULL);
    }
  if (texts == NULL)
    return;

  self->hints = md_translation_hints_compute (texts);
  for (guint i = 0; i < self->hints->len; i++)
    {
      const MdTranslationHint *hint = g_ptr_array_index (self->hints, i);

      add_hint_row (&self->cells[hint->language], hint);
    }
}

GPtrArray *
md_language_grid_get_hints (MdLanguageGrid *self)
{
  g_return_val_if_fail (MD_IS_LANGUAGE_GRID (self), NULL);
  return self->hints;
}

GtkWidget *
md_language_grid_get_cell (MdLanguageGrid *self,
                           MdLanguage      language)
{
  g_return_val_if_fail (MD_IS_LANGUAGE_GRID (self), NULL);
  g_return_val_if_fail (language < MD_N_LANGUAGES, NULL);
  return self->cells[language].card;
}

GtkWidget *
md_language_grid_new (void)
{
  return g_object_new (MD_TYPE_LANGUAGE_GRID, NULL);
}

static void
md_language_grid_dispose (GObject *object)
{
  MdLanguageGrid *self = MD_LANGUAGE_GRID (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), MD_TYPE_LANGUAGE_GRID);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->hints, g_ptr_array_unref);

  G_OBJECT_CLASS (md_language_grid_parent_class)->dispose (object);
}

static void
md_language_grid_class_init (MdLanguageGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = md_language_grid_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mimicdesk/MimicDesk/widgets/widgets/md-language-grid.ui");
  gtk_widget_class_bind_template_child (widget_class, MdLanguageGrid, scroller);
  gtk_widget_class_bind_template_child (widget_class, MdLanguageGrid, grid);
  gtk_widget_class_set_css_name (widget_class, "md-language-grid");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
md_language_grid_init (MdLanguageGrid *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (MdLanguage language = 0; language < MD_N_LANGUAGES; language++)
    build_cell (self, language);
  md_language_grid_set_texts (self, NULL);
}

void
md_language_grid_set_status_menu (MdLanguageGrid *self,
                                  MdLanguage      language,
                                  GMenuModel     *menu)
{
  g_return_if_fail (MD_IS_LANGUAGE_GRID (self));
  g_return_if_fail (language < MD_N_LANGUAGES);
  g_return_if_fail (menu == NULL || G_IS_MENU_MODEL (menu));

  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->cells[language].status), menu);
  if (menu == NULL)
    gtk_widget_set_visible (self->cells[language].status, FALSE);
}

void
md_language_grid_set_status_label (MdLanguageGrid *self,
                                   MdLanguage      language,
                                   const char     *label)
{
  GtkWidget *status;

  g_return_if_fail (MD_IS_LANGUAGE_GRID (self));
  g_return_if_fail (language < MD_N_LANGUAGES);

  status = self->cells[language].status;
  if (label != NULL)
    gtk_menu_button_set_label (GTK_MENU_BUTTON (status), label);
  gtk_widget_set_visible (status, label != NULL &&
                          gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (status)) != NULL);
}
