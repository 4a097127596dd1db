/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "md-translation-hints.h"

#define EN_INSTRUCTION "What is the man holding in his right hand at 3 seconds?"
#define EN_ANSWER "He is holding 2 red umbrellas and a phone."

/* A complete, plausible set of translations: no hints expected. */
static void
fill_good (MdTranslationTexts *texts)
{
  texts[MD_LANGUAGE_EN] = (MdTranslationTexts) { EN_INSTRUCTION, EN_ANSWER };
  texts[MD_LANGUAGE_ZH] = (MdTranslationTexts) { "这个男人在第3秒时右手拿着什么？", "他拿着2把红伞和一部手机。" };
  texts[MD_LANGUAGE_ES] = (MdTranslationTexts) { "¿Qué sostiene el hombre en su mano derecha a los 3 segundos?",
                                                 "Sostiene 2 paraguas rojos y un teléfono." };
  texts[MD_LANGUAGE_JA] = (MdTranslationTexts) { "3秒の時点で男性は右手に何を持っていますか？", "彼は赤い傘を2本と電話を持っています。" };
  texts[MD_LANGUAGE_DE] = (MdTranslationTexts) { "Was hält der Mann nach 3 Sekunden in seiner rechten Hand?",
                                                 "Er hält 2 rote Regenschirme und ein Telefon." };
  texts[MD_LANGUAGE_FR] = (MdTranslationTexts) { "Que tient l'homme dans sa main droite à 3 secondes ?",
                                                 "Il tient 2 parapluies rouges et un téléphone." };
  texts[MD_LANGUAGE_KO] = (MdTranslationTexts) { "3초에 남자가 오른손에 들고 있는 것은 무엇입니까?", "그는 빨간 우산 2개와 전화기를 들고 있습니다." };
  texts[MD_LANGUAGE_AR] = (MdTranslationTexts) { "ماذا يحمل الرجل في يده اليمنى عند الثانية ٣؟",
                                                 "إنه يحمل ٢ مظلات حمراء وهاتفًا." };
}

static guint
count_hints (GPtrArray             *hints,
             MdLanguage             language,
             MdField                field,
             MdTranslationHintKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < hints->len; i++)
    {
      MdTranslationHint *hint = g_ptr_array_index (hints, i);

      if (hint->language == language && hint->field == field && hint->kind == kind)
        n++;
    }
  return n;
}

static void
test_hints_none (void)
{
  MdTranslationTexts texts[MD_N_LANGUAGES];
  g_autoptr(GPtrArray) hints = NULL;

  fill_good (texts);
  hints = md_translation_hints_compute (texts);
  for (guint i = 0; i < hints->len; i++)
    {
      MdTranslationHint *hint = g_ptr_array_index (hints, i);
      g_test_message ("unexpected hint %s/%s: %s", md_language_code (hint->language),
                      md_translation_hint_kind_name (hint->kind), hint->message);
    }
  g_assert_cmpuint (hints->len, ==, 0);
}

static void
test_hints_missing_empty (void)
{
  MdTranslationTexts texts[MD_N_LANGUAGES];
  g_autoptr(GPtrArray) hints = NULL;
  MdTranslationHint *hint;

  fill_good (texts);
  texts[MD_LANGUAGE_DE].answer = NULL;
  texts[MD_LANGUAGE_FR].instruction = "  \n ";
  hints = md_translation_hints_compute (texts);
  g_assert_cmpuint (hints->len, ==, 2);

  hint = g_ptr_array_index (hints, 0);
  g_assert_cmpint (hint->language, ==, MD_LANGUAGE_DE);
  g_assert_cmpint (hint->field, ==, MD_FIELD_ANSWER);
  g_assert_cmpint (hint->kind, ==, MD_TRANSLATION_HINT_MISSING);
  g_assert_cmpstr (hint->message, ==, "Answer is missing");

  hint = g_ptr_array_index (hints, 1);
  g_assert_cmpint (hint->language, ==, MD_LANGUAGE_FR);
  g_assert_cmpint (hint->kind, ==, MD_TRANSLATION_HINT_EMPTY);
}

static void
test_hints_numbers (void)
{
  MdTranslationTexts texts[MD_N_LANGUAGES];
  g_autoptr(GPtrArray) hints = NULL;
  g_autoptr(GPtrArray) numbers = NULL;
  MdTranslationHint *hint;

  /* Fullwidth, Arabic-Indic and extended Arabic-Indic digits read as their values, leading
   * zeros ignored, sorted numerically. */
  numbers = md_translation_numbers ("Ｐ１２ et ٣ ۰۰۷ and 0 and 10");
  g_assert_cmpuint (numbers->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (numbers, 0), ==, "0");
  g_assert_cmpstr (g_ptr_array_index (numbers, 1), ==, "3");
  g_assert_cmpstr (g_ptr_array_index (numbers, 2), ==, "7");
  g_assert_cmpstr (g_ptr_array_index (numbers, 3), ==, "10");
  g_assert_cmpstr (g_ptr_array_index (numbers, 4), ==, "12");

  fill_good (texts);
  texts[MD_LANGUAGE_ES].answer = "Sostiene 3 paraguas rojos y un teléfono.";
  texts[MD_LANGUAGE_ZH].answer = "他拿着２把红伞和一部手机。";   /* fullwidth 2: still fine */
  hints = md_translation_hints_compute (texts);
  g_assert_cmpuint (hints->len, ==, 1);
  hint = g_ptr_array_index (hints, 0);
  g_assert_cmpint (hint->language, ==, MD_LANGUAGE_ES);
  g_assert_cmpint (hint->field, ==, MD_FIELD_ANSWER);
  g_assert_cmpint (hint->kind, ==, MD_TRANSLATION_HINT_NUMBERS);
  g_assert_cmpstr (hint->message, ==, "Answer has numbers 3 where the English has 2");
}

static void
test_hints_script (void)
{
  MdTranslationTexts texts[MD_N_LANGUAGES];
  g_autoptr(GPtrArray) hints = NULL;

  fill_good (texts);
  /* Chinese text in the Japanese slot has Han, so is accepted; Korean in the Japanese slot
   * is not; romanised Arabic has no Arabic letters; Cyrillic in the German slot. */
  texts[MD_LANGUAGE_JA].instruction = "3초에 남자가 오른손에 들고 있는 것은 무엇입니까?";
  texts[MD_LANGUAGE_AR].answer = "Innahu yahmil 2 mazallat hamra wa hatifan.";
  texts[MD_LANGUAGE_DE].answer = "Он держит 2 красных зонта и телефон.";
  texts[MD_LANGUAGE_ZH].instruction = "这个男人在第3秒时右手拿着什么？";
  hints = md_translation_hints_compute (texts);
  g_assert_cmpuint (count_hints (hints, MD_LANGUAGE_JA, MD_FIELD_INSTRUCTION,
                                 MD_TRANSLATION_HINT_SCRIPT), ==, 1);
  g_assert_cmpuint (count_hints (hints, MD_LANGUAGE_AR, MD_FIELD_ANSWER,
                                 MD_TRANSLATION_HINT_SCRIPT), ==, 1);
  g_assert_cmpuint (count_hints (hints, MD_LANGUAGE_DE, MD_FIELD_ANSWER,
                                 MD_TRANSLATION_HINT_SCRIPT), ==, 1);
  g_assert_cmpuint (count_hints (hints, MD_LANGUAGE_ZH, MD_FIELD_INSTRUCTION,
                                 MD_TRANSLATION_HINT_SCRIPT), ==, 0);
  g_assert_cmpuint (hints->len, ==, 3);
}

static void
test_hints_length (void)
{
  MdTranslationTexts texts[MD_N_LANGUAGES];
  g_autoptr(GPtrArray) hints = NULL;
  g_autofree char *long_fr = NULL;

  fill_good (texts);
  /* 11 Han characters for a 47-character sentence is normal for Chinese (ratio 0.3), but
   * 4 characters for the same in Spanish is far too short. */
  texts[MD_LANGUAGE_ES].instruction = "¿Qué 3?";
  long_fr = g_strjoin (" ", "Que tient l'homme dans sa main droite à 3 secondes ?",
                       "Décrivez aussi la pièce, la lumière, les couleurs, les meubles,",
                       "les autres personnes présentes et tout ce qui se passe autour.",
                       "Soyez précis et détaillé dans chaque partie de la réponse.", NULL);
  texts[MD_LANGUAGE_FR].instruction = long_fr;
  texts[MD_LANGUAGE_KO].answer = EN_ANSWER;
  hints = md_translation_hints_compute (texts);
  g_assert_cmpuint (count_hints (hints, MD_LANGUAGE_ES, MD_FIELD_INSTRUCTION,
                                 MD_TRANSLATION_HINT_TOO_SHORT), ==, 1);
  g_assert_cmpuint (count_hints (hints, MD_LANGUAGE_FR, MD_FIELD_INSTRUCTION,
                                 MD_TRANSLATION_HINT_TOO_LONG), ==, 1);
  /* The English copied into the Korean slot: untranslated and wrong script. */
  g_assert_cmpuint (count_hints (hints, MD_LANGUAGE_KO, MD_FIELD_ANSWER,
                                 MD_TRANSLATION_HINT_UNTRANSLATED), ==, 1);
  g_assert_cmpuint (count_hints (hints, MD_LANGUAGE_KO, MD_FIELD_ANSWER,
                                 MD_TRANSLATION_HINT_SCRIPT), ==, 1);
  g_assert_cmpuint (hints->len, ==, 4);
  g_assert_cmpfloat (md_translation_expected_ratio (MD_LANGUAGE_ZH), <, 0.5);
}

/* The sample's German answer of DC_INS_00001: just long enough to pass the length check, but it
 * stops mid-sentence where the English ends with a full stop. */
static void
test_hints_truncated (void)
{
  MdTranslationTexts texts[MD_N_LANGUAGES];
  g_autoptr(GPtrArray) hints = NULL;

  fill_good (texts);
  texts[MD_LANGUAGE_EN].answer = "A red ball rolls across the grass from the left side to the "
                                 "right side of the frame.";
  texts[MD_LANGUAGE_ZH].answer = "一个红色的球在草地上从画面左侧滚到右侧。";
  texts[MD_LANGUAGE_ES].answer = "Una pelota roja rueda por el césped desde el lado izquierdo.";
  texts[MD_LANGUAGE_JA].answer = "赤いボールが草の上を画面の左側から右側へ転がっていきます。";
  texts[MD_LANGUAGE_DE].answer = "Ein roter Ball rollt über das Gras von der";
  texts[MD_LANGUAGE_FR].answer = "Une balle rouge roule sur l'herbe « du côté gauche »";
  texts[MD_LANGUAGE_KO].answer = "빨간 공이 풀밭 위를 화면 왼쪽에서 오른쪽으로 굴러갑니다.";
  texts[MD_LANGUAGE_AR].answer = "تتدحرج كرة حمراء على العشب من الجهة اليسرى إلى الجهة اليمنى؟";
  hints = md_translation_hints_compute (texts);
  g_assert_cmpuint (count_hints (hints, MD_LANGUAGE_DE, MD_FIELD_ANSWER,
                                 MD_TRANSLATION_HINT_TRUNCATED), ==, 1);
  /* A closing guillemet after the last word is not a sentence end either. */
  g_assert_cmpuint (count_hints (hints, MD_LANGUAGE_FR, MD_FIELD_ANSWER,
                                 MD_TRANSLATION_HINT_TRUNCATED), ==, 0);
  for (MdLanguage l = MD_LANGUAGE_ZH; l < MD_N_LANGUAGES; l++)
    if (l != MD_LANGUAGE_DE)
      g_assert_cmpuint (count_hints (hints, l, MD_FIELD_ANSWER, MD_TRANSLATION_HINT_TRUNCATED),
                        ==, 0);
  g_assert_cmpstr (md_translation_hint_kind_name (MD_TRANSLATION_HINT_TRUNCATED), ==, "truncated");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/translation-hints/none", test_hints_none);
  g_test_add_func ("/store/translation-hints/missing-empty", test_hints_missing_empty);
  g_test_add_func ("/store/translation-hints/numbers", test_hints_numbers);
  g_test_add_func ("/store/translation-hints/script", test_hints_script);
  g_test_add_func ("/store/translation-hints/length", test_hints_length);
  g_test_add_func ("/store/translation-hints/truncated", test_hints_truncated);

  return g_test_run ();
}
