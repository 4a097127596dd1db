/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-make-sample"

#include "config.h"

#include "md-sample-text.h"

const char * const md_sample_lang_codes[MD_SAMPLE_N_LANGS] = {
  "en", "zh", "es", "ja", "de", "fr", "ko", "ar",
};

#define EN MD_SAMPLE_EN
#define ZH MD_SAMPLE_ZH
#define ES MD_SAMPLE_ES
#define JA MD_SAMPLE_JA
#define DE MD_SAMPLE_DE
#define FR MD_SAMPLE_FR
#define KO MD_SAMPLE_KO
#define AR MD_SAMPLE_AR

/* Format strings stay literal at every call so that -Wformat checks each template. */
#define SET(text, lang, ...) \
  G_STMT_START {                                         \
    g_free ((text)->s[lang]);                            \
    (text)->s[lang] = g_strdup_printf (__VA_ARGS__);     \
  } G_STMT_END

/* Word tables. Every Spanish and French shape noun is masculine; German and Arabic need the
 * gender of each noun for articles, adjective endings and verb agreement. Korean particles
 * (은/이) are fixed because every shape noun ends in a consonant. */
static const char *en_shape[] = { "circle", "square", "triangle" };
static const char *en_color[] = { "red", "blue", "green", "yellow" };
static const char *zh_shape[] = { "圆形", "正方形", "三角形" };
static const char *zh_color[] = { "红色", "蓝色", "绿色", "黄色" };
static const char *ja_shape[] = { "円", "正方形", "三角形" };
static const char *ja_color_adj[] = { "赤い", "青い", "緑の", "黄色い" };
static const char *ja_color[] = { "赤", "青", "緑", "黄色" };
static const char *ko_shape[] = { "원", "정사각형", "삼각형" };
static const char *ko_color_adj[] = { "빨간", "파란", "초록색", "노란" };
static const char *ko_color[] = { "빨간색", "파란색", "초록색", "노란색" };
static const char *es_shape[] = { "círculo", "cuadrado", "triángulo" };
static const char *es_color_m[] = { "rojo", "azul", "verde", "amarillo" };
static const char *es_color_f[] = { "roja", "azul", "verde", "amarilla" };
static const char *fr_shape[] = { "cercle", "carré", "triangle" };
static const char *fr_color_m[] = { "rouge", "bleu", "vert", "jaune" };
static const char *fr_color_f[] = { "rouge", "bleue", "verte", "jaune" };
static const char *de_shape[] = { "Kreis", "Quadrat", "Dreieck" };
static const gboolean de_masculine[] = { TRUE, FALSE, FALSE };
static const char *de_color[] = { "rot", "blau", "grün", "gelb" };
static const char *ar_shape[] = { "دائرة", "مربع", "مثلث" };
static const gboolean ar_feminine[] = { TRUE, FALSE, FALSE };
static const char *ar_color_m[] = { "أحمر", "أزرق", "أخضر", "أصفر" };
static const char *ar_color_f[] = { "حمراء", "زرقاء", "خضراء", "صفراء" };

void
md_text_clear (MdText *text)
{
  for (guint i = 0; i < MD_SAMPLE_N_LANGS; i++)
    g_clear_pointer (&text->s[i], g_free);
}

static const char *
ar_color (MdShape shape,
          MdColor color)
{
  return ar_feminine[shape] ? ar_color_f[color] : ar_color_m[color];
}

/* "der rote Kreis", "das rote Quadrat" (nominative, definite). */
static char *
de_definite (MdShape shape,
             MdColor color,
             gboolean capital)
{
  const char *article = de_masculine[shape] ? (capital ? "Der" : "der") : (capital ? "Das" : "das");

  return g_strdup_printf ("%s %se %s", article, de_color[color], de_shape[shape]);
}

void
md_text_la_count (guint   n_shapes,
                  MdText *q,
                  MdText *a)
{
  /* Arabic counted nouns take the plural only from 3 to 10. */
  g_assert (n_shapes >= 3 && n_shapes <= 10);

  SET (q, EN, "How many shapes are in the picture?");
  SET (a, EN, "There are %u shapes in the picture.", n_shapes);
  SET (q, ZH, "图片中有几个图形？");
  SET (a, ZH, "图片中有%u个图形。", n_shapes);
  SET (q, ES, "¿Cuántas figuras hay en la imagen?");
  SET (a, ES, "Hay %u figuras en la imagen.", n_shapes);
  SET (q, JA, "画像には図形がいくつありますか？");
  SET (a, JA, "画像には図形が%u個あります。", n_shapes);
  SET (q, DE, "Wie viele Formen sind auf dem Bild zu sehen?");
  SET (a, DE, "Auf dem Bild sind %u Formen zu sehen.", n_shapes);
  SET (q, FR, "Combien de formes y a-t-il dans l'image ?");
  SET (a, FR, "Il y a %u formes dans l'image.", n_shapes);
  SET (q, KO, "이미지에 도형이 몇 개 있나요?");
  SET (a, KO, "이미지에 도형이 %u개 있습니다.", n_shapes);
  SET (q, AR, "كم عدد الأشكال في الصورة؟");
  SET (a, AR, "يوجد في الصورة %u أشكال.", n_shapes);
}

void
md_text_la_color (MdShape  shape,
                  MdColor  color,
                  MdText  *q,
                  MdText  *a)
{
  const char *de_article = de_masculine[shape] ? "der" : "das";
  const char *de_article_cap = de_masculine[shape] ? "Der" : "Das";

  SET (q, EN, "What color is the %s?", en_shape[shape]);
  SET (a, EN, "The %s is %s.", en_shape[shape], en_color[color]);
  SET (q, ZH, "%s是什么颜色的？", zh_shape[shape]);
  SET (a, ZH, "%s是%s的。", zh_shape[shape], zh_color[color]);
  SET (q, ES, "¿De qué color es el %s?", es_shape[shape]);
  SET (a, ES, "El %s es %s.", es_shape[shape], es_color_m[color]);
  SET (q, JA, "%sは何色ですか？", ja_shape[shape]);
  SET (a, JA, "%sは%sです。", ja_shape[shape], ja_color[color]);
  SET (q, DE, "Welche Farbe hat %s %s?", de_article, de_shape[shape]);
  SET (a, DE, "%s %s ist %s.", de_article_cap, de_shape[shape], de_color[color]);
  SET (q, FR, "De quelle couleur est le %s ?", fr_shape[shape]);
  SET (a, FR, "Le %s est %s.", fr_shape[shape], fr_color_m[color]);
  SET (q, KO, "%s은 무슨 색인가요?", ko_shape[shape]);
  SET (a, KO, "%s은 %s입니다.", ko_shape[shape], ko_color[color]);
  SET (q, AR, "ما لون ال%s؟", ar_shape[shape]);
  SET (a, AR, "ال%s %s.", ar_shape[shape], ar_color (shape, color));
}

void
md_text_la_where (MdShape  shape,
                  MdColor  color,
                  MdSpot   spot,
                  MdText  *q,
                  MdText  *a)
{
  static const char *en_spot[] = { "on the left side of the picture",
                                   "in the middle of the picture",
                                   "on the right side of the picture" };
  static const char *zh_spot[] = { "左边", "中间", "右边" };
  static const char *es_spot[] = { "en el lado izquierdo de la imagen", "en el centro de la imagen",
                                   "en el lado derecho de la imagen" };
  static const char *ja_spot[] = { "左側", "中央", "右側" };
  static const char *de_spot[] = { "auf der linken Seite des Bildes", "in der Mitte des Bildes",
                                   "auf der rechten Seite des Bildes" };
  static const char *fr_spot[] = { "sur le côté gauche de l'image", "au centre de l'image",
                                   "sur le côté droit de l'image" };
  static const char *ko_spot[] = { "왼쪽", "가운데", "오른쪽" };
  static const char *ar_spot[] = { "في الجهة اليسرى من الصورة", "في وسط الصورة",
                                   "في الجهة اليمنى من الصورة" };
  g_autofree char *de_np = de_definite (shape, color, FALSE);
  g_autofree char *de_np_cap = de_definite (shape, color, TRUE);

  SET (q, EN, "Where is the %s %s?", en_color[color], en_shape[shape]);
  SET (a, EN, "The %s %s is %s.", en_color[color], en_shape[shape], en_spot[spot]);
  SET (q, ZH, "%s的%s在哪里？", zh_color[color], zh_shape[shape]);
  SET (a, ZH, "%s的%s在图片的%s。", zh_color[color], zh_shape[shape], zh_spot[spot]);
  SET (q, ES, "¿Dónde está el %s %s?", es_shape[shape], es_color_m[color]);
  SET (a, ES, "El %s %s está %s.", es_shape[shape], es_color_m[color], es_spot[spot]);
  SET (q, JA, "%s%sはどこにありますか？", ja_color_adj[color], ja_shape[shape]);
  SET (a, JA, "%s%sは画像の%sにあります。", ja_color_adj[color], ja_shape[shape], ja_spot[spot]);
  SET (q, DE, "Wo ist %s?", de_np);
  SET (a, DE, "%s ist %s.", de_np_cap, de_spot[spot]);
  SET (q, FR, "Où se trouve le %s %s ?", fr_shape[shape], fr_color_m[color]);
  SET (a, FR, "Le %s %s se trouve %s.", fr_shape[shape], fr_color_m[color], fr_spot[spot]);
  SET (q, KO, "%s %s은 어디에 있나요?", ko_color_adj[color], ko_shape[shape]);
  SET (a, KO, "%s %s은 이미지의 %s에 있습니다.", ko_color_adj[color], ko_shape[shape], ko_spot[spot]);
  SET (q, AR, "أين ال%s ال%s؟", ar_shape[shape], ar_color (shape, color));
  SET (a, AR, "ال%s ال%s %s.", ar_shape[shape], ar_color (shape, color), ar_spot[spot]);
}

/* "Is there a <asked> <shape>?" The scene holds exactly one shape of each kind, colored
 * `actual`; the answer is yes when asked == actual, otherwise no plus the real color. */
void
md_text_la_exists (MdShape  shape,
                   MdColor  asked,
                   MdColor  actual,
                   MdText  *q,
                   MdText  *a)
{
  gboolean yes = asked == actual;
  gboolean m = de_masculine[shape];
  const char *ar_verb = ar_feminine[shape] ? "توجد" : "يوجد";

  SET (q, EN, "Is there a %s %s in the picture?", en_color[asked], en_shape[shape]);
  SET (q, ZH, "图片中有%s的%s吗？", zh_color[asked], zh_shape[shape]);
  SET (q, ES, "¿Hay un %s %s en la imagen?", es_shape[shape], es_color_m[asked]);
  SET (q, JA, "画像に%s%sはありますか？", ja_color_adj[asked], ja_shape[shape]);
  SET (q, DE, "Gibt es auf dem Bild %s %s%s %s?", m ? "einen" : "ein", de_color[asked],
       m ? "en" : "es", de_shape[shape]);
  SET (q, FR, "Y a-t-il un %s %s dans l'image ?", fr_shape[shape], fr_color_m[asked]);
  SET (q, KO, "이미지에 %s %s이 있나요?", ko_color_adj[asked], ko_shape[shape]);
  SET (q, AR, "هل %s %s %s في الصورة؟", ar_verb, ar_shape[shape], ar_color (shape, asked));

  if (yes)
    {
      SET (a, EN, "Yes, there is a %s %s in the picture.", en_color[asked], en_shape[shape]);
      SET (a, ZH, "有，图片中有一个%s的%s。", zh_color[asked], zh_shape[shape]);
      SET (a, ES, "Sí, hay un %s %s en la imagen.", es_shape[shape], es_color_m[asked]);
      SET (a, JA, "はい、画像には%s%sがあります。", ja_color_adj[asked], ja_shape[shape]);
      SET (a, DE, "Ja, auf dem Bild gibt es %s %s%s %s.", m ? "einen" : "ein", de_color[asked],
           m ? "en" : "es", de_shape[shape]);
      SET (a, FR, "Oui, il y a un %s %s dans l'image.", fr_shape[shape], fr_color_m[asked]);
      SET (a, KO, "네, 이미지에 %s %s이 있습니다.", ko_color_adj[asked], ko_shape[shape]);
      SET (a, AR, "نعم، %s %s %s في الصورة.", ar_verb, ar_shape[shape], ar_color (shape, asked));
      return;
    }

  SET (a, EN, "No, there is no %s %s in the picture. The %s is %s.", en_color[asked],
       en_shape[shape], en_shape[shape], en_color[actual]);
  SET (a, ZH, "没有，图片中没有%s的%s。%s是%s的。", zh_color[asked], zh_shape[shape],
       zh_shape[shape], zh_color[actual]);
  SET (a, ES, "No, no hay ningún %s %s en la imagen. El %s es %s.", es_shape[shape],
       es_color_m[asked], es_shape[shape], es_color_m[actual]);
  SET (a, JA, "いいえ、画像に%s%sはありません。%sは%sです。", ja_color_adj[asked],
       ja_shape[shape], ja_shape[shape], ja_color[actual]);
  SET (a, DE, "Nein, auf dem Bild gibt es %s %s%s %s. %s %s ist %s.", m ? "keinen" : "kein",
       de_color[asked], m ? "en" : "es", de_shape[shape], m ? "Der" : "Das", de_shape[shape],
       de_color[actual]);
  SET (a, FR, "Non, il n'y a pas de %s %s dans l'image. Le %s est %s.", fr_shape[shape],
       fr_color_m[asked], fr_shape[shape], fr_color_m[actual]);
  SET (a, KO, "아니요, 이미지에 %s %s은 없습니다. %s은 %s입니다.", ko_color_adj[asked],
       ko_shape[shape], ko_shape[shape], ko_color[actual]);
  SET (a, AR, "لا، لا %s %s %s في الصورة. ال%s %s.", ar_verb, ar_shape[shape],
       ar_color (shape, asked), ar_shape[shape], ar_color (shape, actual));
}

void
md_text_sd_question (guint   variant,
                     MdText *q)
{
  if (variant % 2 == 0)
    {
      SET (q, EN, "What is the difference between the two images?");
      SET (q, ZH, "这两张图片有什么不同？");
      SET (q, ES, "¿Cuál es la diferencia entre las dos imágenes?");
      SET (q, JA, "二枚の画像の違いは何ですか？");
      SET (q, DE, "Was ist der Unterschied zwischen den beiden Bildern?");
      SET (q, FR, "Quelle est la différence entre les deux images ?");
      SET (q, KO, "두 이미지의 차이점은 무엇인가요?");
      SET (q, AR, "ما الفرق بين الصورتين؟");
    }
  else
    {
      SET (q, EN, "Look closely at both pictures. What has changed in the second one?");
      SET (q, ZH, "仔细看这两张图片。第二张图片有什么变化？");
      SET (q, ES, "Observa con atención las dos imágenes. ¿Qué ha cambiado en la segunda?");
      SET (q, JA, "二枚の画像をよく見てください。二枚目では何が変わっていますか？");
      SET (q, DE, "Sieh dir beide Bilder genau an. Was hat sich im zweiten Bild verändert?");
      SET (q, FR, "Regardez attentivement les deux images. "
                  "Qu'est-ce qui a changé dans la seconde ?");
      SET (q, KO, "두 그림을 자세히 보세요. 두 번째 그림에서 무엇이 바뀌었나요?");
      SET (q, AR, "انظر بتمعّن إلى الصورتين. ما الذي تغيّر في الصورة الثانية؟");
    }
}

static const char *sd_en_spot[] = { "on the left", "in the middle", "on the right" };
static const char *sd_zh_spot[] = { "左边", "中间", "右边" };
static const char *sd_es_spot[] = { "de la izquierda", "del centro", "de la derecha" };
static const char *sd_ja_spot[] = { "左側", "中央", "右側" };
static const char *sd_de_spot[] = { "linke", "mittlere", "rechte" };
static const char *sd_fr_spot[] = { "de gauche", "du centre", "de droite" };
static const char *sd_ko_spot[] = { "왼쪽", "가운데", "오른쪽" };
static const char *sd_ar_spot[] = { "على اليسار", "في الوسط", "على اليمين" };

void
md_text_sd_recolored (MdShape  shape,
                      MdSpot   spot,
                      MdColor  from,
                      MdColor  to,
                      MdText  *a)
{
  gboolean f = ar_feminine[shape];

  SET (a, EN, "In the second image, the %s %s is %s instead of %s.", en_shape[shape],
       sd_en_spot[spot], en_color[to], en_color[from]);
  SET (a, ZH, "在第二张图片中，%s的%s是%s的，而不是%s的。", sd_zh_spot[spot], zh_shape[shape],
       zh_color[to], zh_color[from]);
  SET (a, ES, "En la segunda imagen, el %s %s es %s en lugar de %s.", es_shape[shape],
       sd_es_spot[spot], es_color_m[to], es_color_m[from]);
  SET (a, JA, "二枚目の画像では、%sの%sが%sではなく%sになっています。", sd_ja_spot[spot],
       ja_shape[shape], ja_color[from], ja_color[to]);
  SET (a, DE, "Im zweiten Bild ist %s %s %s %s statt %s.", de_masculine[shape] ? "der" : "das",
       sd_de_spot[spot], de_shape[shape], de_color[to], de_color[from]);
  SET (a, FR, "Dans la deuxième image, le %s %s est %s au lieu d'être %s.", fr_shape[shape],
       sd_fr_spot[spot], fr_color_m[to], fr_color_m[from]);
  SET (a, KO, "두 번째 이미지에서는 %s의 %s이 %s이 아니라 %s입니다.", sd_ko_spot[spot],
       ko_shape[shape], ko_color[from], ko_color[to]);
  SET (a, AR, "في الصورة الثانية، ال%s %s %s %s بدلًا من أن %s %s.", ar_shape[shape],
       f ? "التي" : "الذي", sd_ar_spot[spot], ar_color (shape, to), f ? "تكون" : "يكون",
       ar_color (shape, from));
}

void
md_text_sd_missing (MdShape  shape,
                    MdColor  color,
                    MdSpot   spot,
                    MdText  *a)
{
  gboolean f = ar_feminine[shape];

  SET (a, EN, "The %s %s %s is missing from the second image.", en_color[color], en_shape[shape],
       sd_en_spot[spot]);
  SET (a, ZH, "第二张图片中少了%s的%s%s。", sd_zh_spot[spot], zh_color[color], zh_shape[shape]);
  SET (a, ES, "En la segunda imagen falta el %s %s %s.", es_shape[shape], es_color_m[color],
       sd_es_spot[spot]);
  SET (a, JA, "二枚目の画像には、%sの%s%sがありません。", sd_ja_spot[spot], ja_color_adj[color],
       ja_shape[shape]);
  SET (a, DE, "Im zweiten Bild fehlt %s %s %se %s.", de_masculine[shape] ? "der" : "das",
       sd_de_spot[spot], de_color[color], de_shape[shape]);
  SET (a, FR, "Dans la deuxième image, le %s %s %s a disparu.", fr_shape[shape],
       fr_color_m[color], sd_fr_spot[spot]);
  SET (a, KO, "두 번째 이미지에는 %s의 %s %s이 없습니다.", sd_ko_spot[spot], ko_color_adj[color],
       ko_shape[shape]);
  SET (a, AR, "في الصورة الثانية، %s ال%s ال%s %s %s.", f ? "اختفت" : "اختفى", ar_shape[shape],
       ar_color (shape, color), f ? "التي" : "الذي", sd_ar_spot[spot]);
}

void
md_text_dc_describe (MdColor   ball,
                     gboolean  left_to_right,
                     MdText   *q,
                     MdText   *a)
{
  guint from = left_to_right ? 0 : 1, to = left_to_right ? 1 : 0;
  static const char *en_side[] = { "left", "right" };
  static const char *zh_side[] = { "左", "右" };
  static const char *es_side[] = { "izquierdo", "derecho" };
  static const char *ja_side[] = { "左", "右" };
  static const char *de_side[] = { "link", "recht" };
  static const char *fr_side[] = { "gauche", "droit" };
  static const char *ko_side[] = { "왼쪽", "오른쪽" };
  static const char *ar_side[] = { "اليسرى", "اليمنى" };

  SET (q, EN, "What is happening in the video?");
  SET (a, EN, "A %s ball rolls across the grass from the %s side to the %s side of the frame.",
       en_color[ball], en_side[from], en_side[to]);
  SET (q, ZH, "视频中发生了什么？");
  SET (a, ZH, "一个%s的球在草地上从画面%s侧滚到%s侧。", zh_color[ball], zh_side[from], zh_side[to]);
  SET (q, ES, "¿Qué está pasando en el vídeo?");
  SET (a, ES, "Una pelota %s rueda por el césped desde el lado %s hasta el lado %s de la imagen.",
       es_color_f[ball], es_side[from], es_side[to]);
  SET (q, JA, "動画の中で何が起きていますか？");
  SET (a, JA, "%sボールが草の上を画面の%s側から%s側へ転がっていきます。", ja_color_adj[ball],
       ja_side[from], ja_side[to]);
  SET (q, DE, "Was passiert im Video?");
  SET (a, DE, "Ein %ser Ball rollt über das Gras von der %sen zur %sen Seite des Bildes.",
       de_color[ball], de_side[from], de_side[to]);
  SET (q, FR, "Que se passe-t-il dans la vidéo ?");
  SET (a, FR, "Une balle %s roule sur l'herbe du côté %s au côté %s de l'image.",
       fr_color_f[ball], fr_side[from], fr_side[to]);
  SET (q, KO, "영상에서 무슨 일이 일어나고 있나요?");
  SET (a, KO, "%s 공이 풀밭 위를 화면 %s에서 %s으로 굴러갑니다.", ko_color_adj[ball],
       ko_side[from], ko_side[to]);
  SET (q, AR, "ماذا يحدث في الفيديو؟");
  SET (a, AR, "تتدحرج كرة %s على العشب من الجهة %s إلى الجهة %s من الإطار.", ar_color_f[ball],
       ar_side[from], ar_side[to]);
}

void
md_text_dc_color (MdColor  ball,
                  MdText  *q,
                  MdText  *a)
{
  SET (q, EN, "What color is the ball in the video?");
  SET (a, EN, "The ball is %s.", en_color[ball]);
  SET (q, ZH, "视频中的球是什么颜色的？");
  SET (a, ZH, "球是%s的。", zh_color[ball]);
  SET (q, ES, "¿De qué color es la pelota del vídeo?");
  SET (a, ES, "La pelota es %s.", es_color_f[ball]);
  SET (q, JA, "動画の中のボールは何色ですか？");
  SET (a, JA, "ボールは%sです。", ja_color[ball]);
  SET (q, DE, "Welche Farbe hat der Ball im Video?");
  SET (a, DE, "Der Ball ist %s.", de_color[ball]);
  SET (q, FR, "De quelle couleur est la balle dans la vidéo ?");
  SET (a, FR, "La balle est %s.", fr_color_f[ball]);
  SET (q, KO, "영상 속 공은 무슨 색인가요?");
  SET (a, KO, "공은 %s입니다.", ko_color[ball]);
  SET (q, AR, "ما لون الكرة في الفيديو؟");
  SET (a, AR, "الكرة %s.", ar_color_f[ball]);
}

void
md_text_dc_where (gboolean  at_end,
                  gboolean  on_left,
                  MdText   *q,
                  MdText   *a)
{
  guint when = at_end ? 1 : 0, side = on_left ? 0 : 1;
  static const char *en_when[] = { "beginning", "end" };
  static const char *en_side[] = { "left", "right" };
  static const char *zh_when[] = { "开始", "结束" };
  static const char *zh_side[] = { "左", "右" };
  static const char *es_when[] = { "principio", "final" };
  static const char *es_side[] = { "izquierdo", "derecho" };
  static const char *ja_when[] = { "始めに", "終わりに" };
  static const char *ja_side[] = { "左", "右" };
  static const char *de_when[] = { "Anfang", "Ende" };
  static const char *de_side[] = { "link", "recht" };
  static const char *fr_when[] = { "au début", "à la fin" };
  static const char *fr_when_cap[] = { "Au début", "À la fin" };
  static const char *fr_side[] = { "gauche", "droit" };
  static const char *ko_when[] = { "시작될", "끝날" };
  static const char *ko_side[] = { "왼쪽", "오른쪽" };
  static const char *ar_when[] = { "بداية", "نهاية" };
  static const char *ar_side[] = { "اليسرى", "اليمنى" };

  SET (q, EN, "Where is the ball at the %s of the video?", en_when[when]);
  SET (a, EN, "At the %s of the video, the ball is on the %s side of the frame.", en_when[when],
       en_side[side]);
  SET (q, ZH, "视频%s时，球在哪里？", zh_when[when]);
  SET (a, ZH, "视频%s时，球在画面的%s侧。", zh_when[when], zh_side[side]);
  SET (q, ES, "¿Dónde está la pelota al %s del vídeo?", es_when[when]);
  SET (a, ES, "Al %s del vídeo, la pelota está en el lado %s de la imagen.", es_when[when],
       es_side[side]);
  SET (q, JA, "動画の%s、ボールはどこにありますか？", ja_when[when]);
  SET (a, JA, "動画の%s、ボールは画面の%s側にあります。", ja_when[when], ja_side[side]);
  SET (q, DE, "Wo ist der Ball am %s des Videos?", de_when[when]);
  SET (a, DE, "Am %s des Videos ist der Ball auf der %sen Seite des Bildes.", de_when[when],
       de_side[side]);
  SET (q, FR, "Où se trouve la balle %s de la vidéo ?", fr_when[when]);
  SET (a, FR, "%s de la vidéo, la balle se trouve du côté %s de l'image.", fr_when_cap[when],
       fr_side[side]);
  SET (q, KO, "영상이 %s 때 공은 어디에 있나요?", ko_when[when]);
  SET (a, KO, "영상이 %s 때 공은 화면의 %s에 있습니다.", ko_when[when], ko_side[side]);
  SET (q, AR, "أين الكرة في %s الفيديو؟", ar_when[when]);
  SET (a, AR, "في %s الفيديو، تكون الكرة في الجهة %s من الإطار.", ar_when[when], ar_side[side]);
}

void
md_text_vst_story (MdAlbumKind  kind,
                   MdText      *q,
                   MdText      *a)
{
  SET (q, EN, "Tell a short story based on this photo album.");
  SET (q, ZH, "根据这本相册讲一个简短的故事。");
  SET (q, ES, "Cuenta una historia breve basada en este álbum de fotos.");
  SET (q, JA, "このアルバムの写真をもとに、短い物語を書いてください。");
  SET (q, DE, "Erzähle eine kurze Geschichte zu diesem Fotoalbum.");
  SET (q, FR, "Racontez une courte histoire à partir de cet album photo.");
  SET (q, KO, "이 사진 앨범을 바탕으로 짧은 이야기를 들려주세요.");
  SET (q, AR, "احكِ قصة قصيرة بناءً على ألبوم الصور هذا.");

  switch (kind)
    {
    case MD_ALBUM_SUNRISE:
      SET (a, EN, "Early in the morning the sky is still dark blue. The yellow sun slowly rises "
                  "above the green hills, and in the last photo the sky is bright blue.");
      SET (a, ZH, "清晨，天空还是深蓝色的。黄色的太阳慢慢从绿色的山丘上升起，到最后一张照片时，"
                  "天空已经变成了明亮的蓝色。");
      SET (a, ES, "Por la mañana temprano, el cielo todavía es azul oscuro. El sol amarillo sale "
                  "despacio por encima de las colinas verdes y, en la última foto, el cielo ya es "
                  "de un azul brillante.");
      SET (a, JA, "早朝、空はまだ濃い青色です。黄色い太陽が緑の丘の上にゆっくりと昇り、"
                  "最後の写真では空が明るい青色になっています。");
      SET (a, DE, "Früh am Morgen ist der Himmel noch dunkelblau. Die gelbe Sonne steigt langsam "
                  "über den grünen Hügeln auf, und auf dem letzten Foto ist der Himmel hellblau.");
      SET (a, FR, "Tôt le matin, le ciel est encore bleu foncé. Le soleil jaune se lève lentement "
                  "au-dessus des collines vertes et, sur la dernière photo, le ciel est d'un bleu "
                  "lumineux.");
      SET (a, KO, "이른 아침, 하늘은 아직 짙은 파란색입니다. 노란 해가 초록 언덕 위로 천천히 "
                  "떠오르고, 마지막 사진에서는 하늘이 밝은 파란색이 됩니다.");
      SET (a, AR, "في الصباح الباكر لا تزال السماء زرقاء داكنة. تشرق الشمس الصفراء ببطء فوق "
                  "التلال الخضراء، وفي الصورة الأخيرة تصبح السماء زرقاء زاهية.");
      break;
    case MD_ALBUM_SUNSET:
      SET (a, EN, "In the afternoon the sun is high above the hills. It sinks lower in every photo "
                  "while the sky turns orange, and in the last photo the sun has almost "
                  "disappeared behind the hills.");
      SET (a, ZH, "下午，太阳高高挂在山丘上方。每张照片里它都落得更低，天空渐渐变成橙色，"
                  "到最后一张照片时，太阳几乎已经消失在山丘后面。");
      SET (a, ES, "Por la tarde, el sol está alto sobre las colinas. En cada foto baja un poco más "
                  "mientras el cielo se vuelve naranja, y en la última foto el sol casi ha "
                  "desaparecido detrás de las colinas.");
      SET (a, JA, "午後、太陽は丘の上の高いところにあります。写真ごとに太陽は低くなり、"
                  "空はオレンジ色に染まっていきます。最後の写真では、太陽はほとんど丘の向こうに"
                  "沈んでいます。");
      SET (a, DE, "Am Nachmittag steht die Sonne hoch über den Hügeln. Auf jedem Foto sinkt sie "
                  "tiefer, während sich der Himmel orange färbt, und auf dem letzten Foto ist die "
                  "Sonne fast hinter den Hügeln verschwunden.");
      SET (a, FR, "L'après-midi, le soleil est haut au-dessus des collines. Il descend un peu plus "
                  "sur chaque photo tandis que le ciel devient orange, et sur la dernière photo le "
                  "soleil a presque disparu derrière les collines.");
      SET (a, KO, "오후에는 해가 언덕 위 높이 떠 있습니다. 사진마다 해가 점점 낮아지고 하늘은 "
                  "주황색으로 물들며, 마지막 사진에서는 해가 언덕 뒤로 거의 사라졌습니다.");
      SET (a, AR, "في فترة بعد الظهر تكون الشمس عالية فوق التلال. تنخفض الشمس أكثر في كل صورة "
                  "بينما تتحول السماء إلى اللون البرتقالي، وفي الصورة الأخيرة تكاد الشمس تختفي "
                  "خلف التلال.");
      break;
    case MD_ALBUM_TREE:
      /* The typographic apostrophe is deliberate: raw UTF-8 in an English instruction file. */
      SET (a, EN, "A young tree grows on a green hill. It gets a little taller in every photo, "
                  "and in the last photo the tree’s round crown is wide and full.");
      SET (a, ZH, "一棵小树长在绿色的山丘上。每张照片里它都长高了一点，到最后一张照片时，"
                  "它圆圆的树冠又宽又茂密。");
      SET (a, ES, "Un árbol joven crece en una colina verde. En cada foto está un poco más alto y, "
                  "en la última, su copa redonda es ancha y frondosa.");
      SET (a, JA, "緑の丘に若い木が生えています。写真ごとに少しずつ背が高くなり、"
                  "最後の写真では丸い樹冠が大きく茂っています。");
      SET (a, DE, "Auf einem grünen Hügel wächst ein junger Baum. Auf jedem Foto ist er ein "
                  "bisschen größer, und auf dem letzten Foto ist seine runde Krone breit und "
                  "dicht.");
      SET (a, FR, "Un jeune arbre pousse sur une colline verte. Il grandit un peu sur chaque photo "
                  "et, sur la dernière, son feuillage rond est large et touffu.");
      SET (a, KO, "초록 언덕 위에서 어린 나무가 자랍니다. 사진마다 조금씩 더 자라고, 마지막 "
                  "사진에서는 둥근 나뭇잎이 넓고 무성하게 우거져 있습니다.");
      SET (a, AR, "تنمو شجرة صغيرة على تلة خضراء. تزداد طولًا قليلًا في كل صورة، وفي الصورة "
                  "الأخيرة يصبح تاجها المستدير عريضًا وكثيفًا.");
      break;
    case MD_ALBUM_BALLOONS:
      SET (a, EN, "The party starts with a single red balloon. A new balloon is added in every "
                  "photo, and in the last photo 4 colorful balloons float in the air.");
      SET (a, ZH, "派对开始时只有一个红气球。每张照片里都会多一个气球，到最后一张照片时，"
                  "空中飘着4个五颜六色的气球。");
      SET (a, ES, "La fiesta empieza con un solo globo rojo. En cada foto se añade un globo nuevo "
                  "y, en la última, 4 globos de colores flotan en el aire.");
      SET (a, JA, "パーティーは赤い風船ひとつから始まります。写真ごとに風船がひとつずつ増え、"
                  "最後の写真では色とりどりの風船が4個空に浮かんでいます。");
      SET (a, DE, "Die Party beginnt mit einem einzigen roten Luftballon. Auf jedem Foto kommt ein "
                  "neuer Ballon dazu, und auf dem letzten Foto schweben 4 bunte Luftballons in "
                  "der Luft.");
      SET (a, FR, "La fête commence avec un seul ballon rouge. Un nouveau ballon s'ajoute sur "
                  "chaque photo et, sur la dernière, 4 ballons colorés flottent dans les airs.");
      SET (a, KO, "파티는 빨간 풍선 하나로 시작합니다. 사진마다 풍선이 하나씩 늘어나고, 마지막 "
                  "사진에서는 알록달록한 풍선 4개가 공중에 떠 있습니다.");
      SET (a, AR, "تبدأ الحفلة ببالون أحمر واحد. يُضاف بالون جديد في كل صورة، وفي الصورة "
                  "الأخيرة تطفو 4 بالونات ملونة في الهواء.");
      break;
    case MD_N_ALBUM_KINDS:
    default:
      g_assert_not_reached ();
    }
}

void
md_text_vst_count (guint   n,
                   MdText *q,
                   MdText *a)
{
  g_assert (n >= 3 && n <= 10);

  SET (q, EN, "How many photos are in this album?");
  SET (a, EN, "There are %u photos in this album.", n);
  SET (q, ZH, "这本相册里有几张照片？");
  SET (a, ZH, "这本相册里有%u张照片。", n);
  SET (q, ES, "¿Cuántas fotos hay en este álbum?");
  SET (a, ES, "Hay %u fotos en este álbum.", n);
  SET (q, JA, "このアルバムには写真が何枚ありますか？");
  SET (a, JA, "このアルバムには写真が%u枚あります。", n);
  SET (q, DE, "Wie viele Fotos enthält dieses Album?");
  SET (a, DE, "Dieses Album enthält %u Fotos.", n);
  SET (q, FR, "Combien de photos y a-t-il dans cet album ?");
  SET (a, FR, "Il y a %u photos dans cet album.", n);
  SET (q, KO, "이 앨범에는 사진이 몇 장 있나요?");
  SET (a, KO, "이 앨범에는 사진이 %u장 있습니다.", n);
  SET (q, AR, "كم عدد الصور في هذا الألبوم؟");
  SET (a, AR, "يحتوي هذا الألبوم على %u صور.", n);
}

void
md_text_txt_fruit (guint   apples,
                   guint   pears,
                   MdText *q,
                   MdText *a)
{
  guint sum = apples + pears;

  g_assert (apples >= 3 && apples <= 10 && pears >= 3 && pears <= 10);

  SET (q, EN, "A basket holds %u apples and %u pears. How many pieces of fruit are in the basket?",
       apples, pears);
  SET (a, EN, "There are %u pieces of fruit in the basket: %u apples and %u pears.", sum, apples,
       pears);
  SET (q, ZH, "一个篮子里有%u个苹果和%u个梨。篮子里一共有多少个水果？", apples, pears);
  SET (a, ZH, "篮子里一共有%u个水果：%u个苹果和%u个梨。", sum, apples, pears);
  SET (q, ES, "Una cesta contiene %u manzanas y %u peras. ¿Cuántas piezas de fruta hay en la "
              "cesta?", apples, pears);
  SET (a, ES, "Hay %u piezas de fruta en la cesta: %u manzanas y %u peras.", sum, apples, pears);
  SET (q, JA, "かごにリンゴが%u個と梨が%u個入っています。かごの中には果物が全部でいくつありますか？",
       apples, pears);
  SET (a, JA, "かごの中には果物が全部で%u個あります。リンゴが%u個と梨が%u個です。", sum, apples,
       pears);
  SET (q, DE, "In einem Korb liegen %u Äpfel und %u Birnen. Wie viele Früchte liegen im Korb?",
       apples, pears);
  SET (a, DE, "Im Korb liegen %u Früchte: %u Äpfel und %u Birnen.", sum, apples, pears);
  SET (q, FR, "Un panier contient %u pommes et %u poires. Combien de fruits y a-t-il dans le "
              "panier ?", apples, pears);
  SET (a, FR, "Il y a %u fruits dans le panier : %u pommes et %u poires.", sum, apples, pears);
  SET (q, KO, "바구니에 사과 %u개와 배 %u개가 있습니다. 바구니에 과일은 모두 몇 개 있나요?",
       apples, pears);
  SET (a, KO, "바구니에는 과일이 모두 %u개 있습니다. 사과 %u개와 배 %u개입니다.", sum, apples,
       pears);
  SET (q, AR, "في سلة %u تفاحات و%u إجاصات. كم عدد الفواكه في السلة؟", apples, pears);
  SET (a, AR, "عدد الفواكه في السلة هو %u: %u تفاحات و%u إجاصات.", sum, apples, pears);
}

void
md_text_txt_books (guint   total,
                   guint   taken,
                   MdText *q,
                   MdText *a)
{
  guint left = total - taken;

  g_assert (taken < total && total <= 10 && left >= 3);

  SET (q, EN, "There are %u books on a shelf. Someone takes %u of them away. How many books are "
              "left on the shelf?", total, taken);
  SET (a, EN, "There are %u books left on the shelf.", left);
  SET (q, ZH, "书架上有%u本书。有人拿走了%u本。书架上还剩几本书？", total, taken);
  SET (a, ZH, "书架上还剩%u本书。", left);
  SET (q, ES, "Hay %u libros en una estantería. Alguien se lleva %u. ¿Cuántos libros quedan en "
              "la estantería?", total, taken);
  SET (a, ES, "Quedan %u libros en la estantería.", left);
  SET (q, JA, "棚に本が%u冊あります。誰かが%u冊持っていきました。棚には本が何冊残っていますか？",
       total, taken);
  SET (a, JA, "棚には本が%u冊残っています。", left);
  SET (q, DE, "Auf einem Regal stehen %u Bücher. Jemand nimmt %u davon weg. Wie viele Bücher "
              "stehen noch auf dem Regal?", total, taken);
  SET (a, DE, "Auf dem Regal stehen noch %u Bücher.", left);
  SET (q, FR, "Il y a %u livres sur une étagère. Quelqu'un en emporte %u. Combien de livres "
              "reste-t-il sur l'étagère ?", total, taken);
  SET (a, FR, "Il reste %u livres sur l'étagère.", left);
  SET (q, KO, "책장에 책이 %u권 있습니다. 누군가 %u권을 가져갔습니다. 책장에 책이 몇 권 남아 "
              "있나요?", total, taken);
  SET (a, KO, "책장에 책이 %u권 남아 있습니다.", left);
  SET (q, AR, "يوجد على الرف %u كتب. أخذ شخص ما %u منها. كم كتابًا بقي على الرف؟", total, taken);
  SET (a, AR, "بقي على الرف %u كتب.", left);
}

void
md_text_tvc (guint   which,
             MdText *q,
             MdText *a)
{
  switch (which)
    {
    case 0:
      SET (q, EN, "What happens to the lamp during the clip?");
      SET (a, EN, "At first the lamp is off and the room is dark. Halfway through the clip the "
                  "lamp turns on and the room becomes bright.");
      SET (q, ZH, "片段中台灯发生了什么变化？");
      SET (a, ZH, "一开始台灯是关着的，房间很暗。片段进行到一半时，台灯亮了，房间变得明亮起来。");
      SET (q, ES, "¿Qué le pasa a la lámpara durante el clip?");
      SET (a, ES, "Al principio la lámpara está apagada y la habitación está a oscuras. A mitad "
                  "del clip la lámpara se enciende y la habitación se ilumina.");
      SET (q, JA, "このクリップの中で、ランプはどうなりますか？");
      SET (a, JA, "最初はランプが消えていて、部屋は暗いです。クリップの途中でランプが点き、"
                  "部屋が明るくなります。");
      SET (q, DE, "Was passiert mit der Lampe in diesem Clip?");
      SET (a, DE, "Am Anfang ist die Lampe aus und das Zimmer ist dunkel. In der Mitte des Clips "
                  "geht die Lampe an und das Zimmer wird hell.");
      SET (q, FR, "Que se passe-t-il avec la lampe pendant l'extrait ?");
      SET (a, FR, "Au début, la lampe est éteinte et la pièce est sombre. Au milieu de l'extrait, "
                  "la lampe s'allume et la pièce devient claire.");
      SET (q, KO, "이 클립에서 램프에 무슨 일이 일어나나요?");
      SET (a, KO, "처음에는 램프가 꺼져 있어 방이 어둡습니다. 클립 중간에 램프가 켜지고 방이 "
                  "밝아집니다.");
      SET (q, AR, "ماذا يحدث للمصباح خلال المقطع؟");
      SET (a, AR, "في البداية يكون المصباح مطفأً والغرفة مظلمة. في منتصف المقطع يُضاء المصباح "
                  "وتصبح الغرفة مشرقة.");
      break;
    case 1:
      SET (q, EN, "What color is the sofa in the room?");
      SET (a, EN, "The sofa is green.");
      SET (q, ZH, "房间里的沙发是什么颜色的？");
      SET (a, ZH, "沙发是绿色的。");
      SET (q, ES, "¿De qué color es el sofá de la habitación?");
      SET (a, ES, "El sofá es verde.");
      SET (q, JA, "部屋のソファは何色ですか？");
      SET (a, JA, "ソファは緑です。");
      SET (q, DE, "Welche Farbe hat das Sofa im Zimmer?");
      SET (a, DE, "Das Sofa ist grün.");
      SET (q, FR, "De quelle couleur est le canapé dans la pièce ?");
      SET (a, FR, "Le canapé est vert.");
      SET (q, KO, "방에 있는 소파는 무슨 색인가요?");
      SET (a, KO, "소파는 초록색입니다.");
      SET (q, AR, "ما لون الأريكة في الغرفة؟");
      SET (a, AR, "الأريكة خضراء.");
      break;
    default:
      SET (q, EN, "Is anyone sitting on the sofa?");
      SET (a, EN, "No, the sofa is empty for the whole clip.");
      SET (q, ZH, "有人坐在沙发上吗？");
      SET (a, ZH, "没有，整个片段中沙发上都没有人。");
      SET (q, ES, "¿Hay alguien sentado en el sofá?");
      SET (a, ES, "No, el sofá está vacío durante todo el clip.");
      SET (q, JA, "ソファに誰か座っていますか？");
      SET (a, JA, "いいえ、クリップの間ずっとソファには誰も座っていません。");
      SET (q, DE, "Sitzt jemand auf dem Sofa?");
      SET (a, DE, "Nein, das Sofa bleibt während des ganzen Clips leer.");
      SET (q, FR, "Quelqu'un est-il assis sur le canapé ?");
      SET (a, FR, "Non, le canapé reste vide pendant tout l'extrait.");
      SET (q, KO, "소파에 누가 앉아 있나요?");
      SET (a, KO, "아니요, 클립 내내 소파에는 아무도 앉아 있지 않습니다.");
      SET (q, AR, "هل يجلس أحد على الأريكة؟");
      SET (a, AR, "لا، تبقى الأريكة فارغة طوال المقطع.");
      break;
    }
}
