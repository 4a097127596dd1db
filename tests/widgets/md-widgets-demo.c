/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A window with the pair view's widgets over made-up data, for looking at them:
 *   xvfb-run -a -s '-screen 0 1600x1000x24' _build/tests/widgets/md-widgets-demo */
#include "config.h"

#include <adwaita.h>

#include "md-context-strip.h"
#include "md-language-grid.h"
#include "md-media-view.h"
#include "md-pair-text.h"
#include "md-test-images.h"
#include "md-widgets.h"

#define N_FRAMES 16

static GtkWidget *
section (const char *title,
         GtkWidget  *child)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), child);
  return box;
}

static void
on_activate (GtkApplication *app)
{
  GHashTable *table;
  MdImageLoader *loader = md_test_loader_new (&table);
  char *ids[N_FRAMES + 1] = { NULL };
  MdTranslationTexts texts[MD_N_LANGUAGES] = {
    [MD_LANGUAGE_EN] = { "What does the man do after he opens the door at 3 seconds?",
                         "He walks in, puts 2 bags on the table and sits down." },
    [MD_LANGUAGE_ZH] = { "这个男人在第3秒打开门后做了什么？", "他走进来，把2个包放在桌子上，然后坐下。" },
    [MD_LANGUAGE_ES] = { "¿Qué hace el hombre después de abrir la puerta a los 3 segundos?",
                         "Entra, pone 3 bolsas sobre la mesa y se sienta." },
    [MD_LANGUAGE_JA] = { "3秒でドアを開けた後、男性は何をしますか？", "彼は中に入り、テーブルに2つのバッグを置いて座ります。" },
    [MD_LANGUAGE_DE] = { "Was macht der Mann, nachdem er bei 3 Sekunden die Tür öffnet?",
                         "Er kommt herein, stellt 2 Taschen auf den Tisch und setzt sich." },
    [MD_LANGUAGE_FR] = { "Que fait l'homme après avoir ouvert la porte à 3 secondes ?", NULL },
    [MD_LANGUAGE_KO] = { "남자는 3초에 문을 연 후 무엇을 합니까?", "He walks in, puts 2 bags on the table and sits down." },
    [MD_LANGUAGE_AR] = { "ماذا يفعل الرجل بعد أن يفتح الباب عند الثانية ٣؟",
                         "يدخل ويضع ٢ حقيبة على الطاولة ثم يجلس." },
  };
  const char *context_images[] = { "TVC_IMG_bbt_s01e01_seg01_clip_00_00003", NULL };
  MdContextExample examples[] = {
    { "TVC_INS_00012", "Who enters the room first?", "Leonard enters first, holding a box.",
      context_images, FALSE },
    { "TVC_INS_00077", NULL, NULL, NULL, TRUE },
    { "TVC_INS_00031", "What is on the whiteboard?", "Equations about string theory.",
      (const char *[]) { "TVC_IMG_bbt_s01e01_seg01_clip_00_00009",
                         "TVC_IMG_bbt_s01e01_seg01_clip_00_00012", NULL }, FALSE },
  };
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *right = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *media = md_media_view_new ();
  GtkWidget *text = md_pair_text_new ();
  GtkWidget *strip = md_context_strip_new ();
  GtkWidget *grid = md_language_grid_new ();

  for (guint i = 0; i < N_FRAMES; i++)
    {
      ids[i] = g_strdup_printf ("TVC_IMG_bbt_s01e01_seg01_clip_00_%05u", i);
      md_test_images_add (table, ids[i], md_test_frame_png (i));
    }

  gtk_window_set_title (GTK_WINDOW (window), "MIMIC Desk widgets");
  gtk_window_set_default_size (GTK_WINDOW (window), 1560, 960);
  gtk_box_append (GTK_BOX (toolbar), header);
  gtk_box_append (GTK_BOX (toolbar), paned);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), toolbar);

  gtk_widget_set_margin_start (left, 18);
  gtk_widget_set_margin_end (left, 12);
  gtk_widget_set_margin_top (left, 12);
  gtk_widget_set_margin_bottom (left, 12);
  gtk_widget_set_margin_start (right, 12);
  gtk_widget_set_margin_end (right, 18);
  gtk_widget_set_margin_top (right, 12);
  gtk_widget_set_margin_bottom (right, 12);
  gtk_widget_set_size_request (media, -1, 360);
  gtk_widget_set_vexpand (media, TRUE);

  md_media_view_set_loader (MD_MEDIA_VIEW (media), loader);
  md_media_view_set_media (MD_MEDIA_VIEW (media), MD_MODALITY_VIDEO, (const char * const *) ids, 3.0);
  md_pair_text_set (MD_PAIR_TEXT (text), "TVC_INS_00042", "TVC", MD_LANGUAGE_EN,
                    texts[MD_LANGUAGE_EN].instruction, texts[MD_LANGUAGE_EN].answer);
  md_context_strip_set_examples (MD_CONTEXT_STRIP (strip), loader, examples, 3);
  md_language_grid_set_texts (MD_LANGUAGE_GRID (grid), texts);
  gtk_widget_set_vexpand (grid, TRUE);

  gtk_box_append (GTK_BOX (left), media);
  gtk_box_append (GTK_BOX (left), text);
  gtk_box_append (GTK_BOX (right), section ("In-context examples", strip));
  gtk_box_append (GTK_BOX (right), section ("Translations", grid));
  gtk_paned_set_start_child (GTK_PANED (paned), left);
  gtk_paned_set_end_child (GTK_PANED (paned), right);
  gtk_paned_set_position (GTK_PANED (paned), 640);
  gtk_widget_set_vexpand (paned, TRUE);

  gtk_window_present (GTK_WINDOW (window));
  for (guint i = 0; i < N_FRAMES; i++)
    g_free (ids[i]);
  g_object_unref (loader);
  g_hash_table_unref (table);
}

int
main (int argc, char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.mimicdesk.WidgetsDemo",
                                                       G_APPLICATION_NON_UNIQUE);

  g_signal_connect (app, "startup", G_CALLBACK (md_widgets_init), NULL);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
