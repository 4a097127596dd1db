/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-translation"

#include "config.h"

#include <cJSON.h>

#include "fuzz-common.h"
#include "md-syphus-parse.h"
#include "md-translation-private.h"

/* The translation-reply repair, both the store's (Syphus output folders at import) and the
 * engine's (live replies). Each either fails with an error or returns texts that are valid
 * UTF-8; the engine's result must serialise to JSON that cJSON reads back. */

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = md_fuzz_string (data, size);

  md_fuzz_dir ();
  {
    g_autoptr(MdTranslationReply) reply = NULL;
    g_autoptr(GError) error = NULL;

    reply = _md_translation_reply_parse (text, &error);
    if (reply == NULL && error == NULL)
      abort ();
    for (guint f = 0; reply != NULL && f < MD_N_FIELDS; f++)
      for (guint l = 0; l < MD_N_LANGUAGES; l++)
        if (reply->texts[f][l] != NULL && !g_utf8_validate (reply->texts[f][l], -1, NULL))
          abort ();
  }
  {
    g_autoptr(MdSyphusTranslation) translation = NULL;
    g_autoptr(GError) error = NULL;

    translation = md_syphus_parse_translation (text, &error);
    if (translation == NULL && error == NULL)
      abort ();
    if (translation != NULL)
      {
        g_autofree char *json = md_syphus_translation_to_json (translation);
        cJSON *parsed = cJSON_Parse (json);

        if (parsed == NULL)
          abort ();
        cJSON_Delete (parsed);
      }
  }
  return 0;
}
