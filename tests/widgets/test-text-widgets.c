/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "md-context-strip.h"
#include "md-language-grid.h"
#include "md-pair-text.h"
#include "md-test-gtk.h"
#include "md-test-images.h"
#include "md-widgets.h"

static GtkWindow *
window_with (GtkWidget *child)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, 1200, 700);
  gtk_window_set_child (window, child);
  gtk_window_present (window);
  return window;
}

static gboolean
cell_has_hint (MdLanguageGrid *grid,
               MdLanguage      language,
               const char     *needle)
{
  g_autofree char *labels = md_test_collect_labels (md_language_grid_get_cell (grid, language));

  return strstr (labels, needle) != NULL;
}

static void
test_language_grid (void)
{
  MdTranslationTexts texts[MD_N_LANGUAGES] = {
    [MD_LANGUAGE_EN] = { "What is the man holding in his right hand at 3 seconds?",
                         "He is holding 2 red umbrellas and a phone." },
    [MD_LANGUAGE_ZH] = { "这个男人在第3秒时右手拿着什么？", "他拿着2把红伞和一部手机。" },
    [MD_LANGUAGE_ES] = { "¿Qué sostiene el hombre en su mano derecha a los 3 segundos?",
                         "Sostiene 5 paraguas rojos y un teléfono." },
    [MD_LANGUAGE_JA] = { "What is the man holding in his right hand at 3 seconds?",
                         "彼は赤い傘を2本と電話を持っています。" },
    [MD_LANGUAGE_DE] = { "Was?", "Er hält 2 rote Regenschirme und ein Telefon." },
    [MD_LANGUAGE_FR] = { NULL, NULL },
    [MD_LANGUAGE_KO] = { "3초에 남자가 오른손에 들고 있는 것은 무엇입니까?", "그는 빨간 우산 2개와 전화기를 들고 있습니다." },
    [MD_LANGUAGE_AR] = { "ماذا يحمل الرجل في يده اليمنى عند الثانية ٣؟", "إنه يحمل ٢ مظلات حمراء وهاتفًا." },
  };
  GtkWidget *grid = md_language_grid_new ();
  GtkWindow *window = window_with (grid);
  GtkWidget *arabic;
  GtkWidget *english;
  g_autofree char *arabic_labels = NULL;
  guint n_rtl = 0;

  g_assert_true (md_test_find_by_accessible_name (GTK_WIDGET (window), "Languages") == grid);
  md_language_grid_set_texts (MD_LANGUAGE_GRID (grid), texts);
  md_test_spin (50);

  /* Arabic reads right to left; English does not. */
  arabic = md_test_find_by_accessible_name (grid, "Arabic");
  g_assert_nonnull (arabic);
  arabic_labels = md_test_collect_labels (arabic);
  g_assert_nonnull (strstr (arabic_labels, "العربية"));   /* the header */
  for (GtkWidget *child = gtk_widget_get_first_child (arabic); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (child)), "ماذا"))
      {
        g_assert_cmpint (gtk_widget_get_direction (child), ==, GTK_TEXT_DIR_RTL);
        g_assert_true (gtk_label_get_selectable (GTK_LABEL (child)));
        n_rtl++;
      }
  g_assert_cmpuint (n_rtl, ==, 1);
  english = md_test_find_by_accessible_name (grid, "English");
  for (GtkWidget *child = gtk_widget_get_first_child (english); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child))
      g_assert_cmpint (gtk_widget_get_direction (child), !=, GTK_TEXT_DIR_RTL);

  /* Hints where expected, and only there. */
  g_assert_true (cell_has_hint (MD_LANGUAGE_GRID (grid), MD_LANGUAGE_FR, "Instruction is missing"));
  g_assert_true (cell_has_hint (MD_LANGUAGE_GRID (grid), MD_LANGUAGE_FR, "Answer is missing"));
  g_assert_true (cell_has_hint (MD_LANGUAGE_GRID (grid), MD_LANGUAGE_ES,
                                "Answer has numbers 5 where the English has 2"));
  g_assert_true (cell_has_hint (MD_LANGUAGE_GRID (grid), MD_LANGUAGE_JA, "has no kana or kanji"));
  g_assert_true (cell_has_hint (MD_LANGUAGE_GRID (grid), MD_LANGUAGE_DE, "much shorter"));
  g_assert_false (cell_has_hint (MD_LANGUAGE_GRID (grid), MD_LANGUAGE_AR, "Instruction has"));
  g_assert_false (cell_has_hint (MD_LANGUAGE_GRID (grid), MD_LANGUAGE_ZH, "Answer has"));
  g_assert_false (cell_has_hint (MD_LANGUAGE_GRID (grid), MD_LANGUAGE_KO, "Answer has"));
  /* fr: 2 missing; es: numbers; ja: script + untranslated; de: too short and lost its 3. */
  g_assert_true (cell_has_hint (MD_LANGUAGE_GRID (grid), MD_LANGUAGE_DE,
                                "Instruction has numbers none where the English has 3"));
  g_assert_cmpuint (md_language_grid_get_hints (MD_LANGUAGE_GRID (grid))->len, ==, 7);

  /* The sample's German answer of DC_INS_00001 stops mid-sentence while its length is still
   * plausible: the grid says so. */
  texts[MD_LANGUAGE_EN].answer = "A red ball rolls across the grass from the left side to the "
                                 "right side of the frame.";
  texts[MD_LANGUAGE_DE].answer = "Ein roter Ball rollt über das Gras von der";
  md_language_grid_set_texts (MD_LANGUAGE_GRID (grid), texts);
  md_test_spin (50);
  g_assert_true (cell_has_hint (MD_LANGUAGE_GRID (grid), MD_LANGUAGE_DE,
                                "Answer stops before the end of a sentence"));
  g_assert_false (cell_has_hint (MD_LANGUAGE_GRID (grid), MD_LANGUAGE_ES,
                                 "Answer stops before the end of a sentence"));

  gtk_window_destroy (window);
}

static void
on_example_activated (MdContextStrip *strip,
                      const char     *id,
                      GPtrArray      *activated)
{
  g_ptr_array_add (activated, g_strdup (id));
}

static gboolean
has_activation (gpointer data)
{
  GPtrArray *activated = data;

  return activated->len > 0;
}

static void
test_context_strip (void)
{
  GHashTable *table;
  g_autoptr(MdImageLoader) loader = md_test_loader_new (&table);
  const char *images[] = { "LA_IMG_000000377944", NULL };
  MdContextExample examples[] = {
    { "LA_INS_00001", "What is on the table?", "A red cup.", images, FALSE },
    { "LA_INS_99999", NULL, NULL, NULL, TRUE },
    { "LA_INS_00003", "How many people are there?", "Three.", NULL, FALSE },
  };
  GtkWidget *strip = md_context_strip_new ();
  GtkWindow *window = window_with (strip);
  g_autoptr(GPtrArray) activated = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *list;
  GtkWidget *row;
  GtkWidget *dangling;
  g_autofree char *labels = NULL;

  md_test_images_add (table, "LA_IMG_000000377944", md_test_solid_png (64, 64, 10, 20, 200));
  md_context_strip_set_examples (MD_CONTEXT_STRIP (strip), loader, examples, 3);
  g_signal_connect (strip, "example-activated", G_CALLBACK (on_example_activated), activated);
  md_test_spin (50);

  list = md_test_find_by_accessible_name (strip, "In-context examples");
  g_assert_true (GTK_IS_LIST_BOX (list));
  g_assert_cmpuint (md_context_strip_get_n_examples (MD_CONTEXT_STRIP (strip)), ==, 3);

  dangling = md_test_find_by_accessible_name (strip, "Example 2: LA_INS_99999");
  g_assert_true (GTK_IS_LIST_BOX_ROW (dangling));
  g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (dangling)));
  labels = md_test_collect_labels (dangling);
  g_assert_nonnull (strstr (labels, "Not in this dataset"));

  row = md_test_find_by_accessible_name (strip, "Example 3: LA_INS_00003");
  g_assert_true (GTK_IS_LIST_BOX_ROW (row));
  g_signal_emit_by_name (row, "activate");
  g_assert_true (md_test_wait_until (has_activation, activated, 2000));
  g_assert_cmpuint (activated->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (activated, 0), ==, "LA_INS_00003");

  gtk_window_destroy (window);
  g_hash_table_unref (table);
}

/* The headings above the views are labels with the same text, so look for the text view
 * carrying the accessible name. */
static GtkWidget *
find_text_view (GtkWidget  *root,
                const char *name)
{
  g_autofree char *mismatch = NULL;

  if (GTK_IS_TEXT_VIEW (root))
    {
      mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (root),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL, name);
      if (mismatch == NULL)
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_text_view (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_pair_text (void)
{
  GtkWidget *text = md_pair_text_new ();
  GtkWindow *window = window_with (text);
  GtkWidget *instruction;
  GtkWidget *answer;
  g_autofree char *labels = NULL;
  g_autofree char *shown = NULL;

  md_pair_text_set (MD_PAIR_TEXT (text), "DC_INS_00001", "DC", MD_LANGUAGE_AR,
                    "ماذا يحدث في الفيديو؟", NULL);
  instruction = find_text_view (text, "Instruction");
  answer = find_text_view (text, "Answer");
  g_assert_true (GTK_IS_TEXT_VIEW (instruction));
  g_assert_true (GTK_IS_TEXT_VIEW (answer));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (instruction)));
  g_assert_cmpint (gtk_widget_get_direction (instruction), ==, GTK_TEXT_DIR_RTL);
  shown = md_pair_text_get_instruction (MD_PAIR_TEXT (text));
  g_assert_cmpstr (shown, ==, "ماذا يحدث في الفيديو؟");
  g_assert_true (gtk_widget_has_css_class (answer, "md-missing"));
  labels = md_test_collect_labels (text);
  g_assert_nonnull (strstr (labels, "DC_INS_00001 · DC"));

  gtk_window_destroy (window);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  md_widgets_init ();

  g_test_add_func ("/widgets/language-grid/hints", test_language_grid);
  g_test_add_func ("/widgets/context-strip/activate", test_context_strip);
  g_test_add_func ("/widgets/pair-text/content", test_pair_text);

  return g_test_run ();
}
