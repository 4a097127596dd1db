/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-syphus-qa"

#include "config.h"

#include <cJSON.h>

#include "fuzz-common.h"
#include "md-syphus-parse.h"

/* The Question/Answer reply parser: whatever a model sends back. A parsed reply must serialise
 * to JSON that cJSON reads back. */

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = md_fuzz_string (data, size);
  g_autoptr(MdSyphusQaReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  md_fuzz_dir ();
  reply = md_syphus_parse_qa (text, &error);
  if (reply != NULL)
    {
      g_autofree char *json = md_syphus_qa_reply_to_json (reply);
      cJSON *parsed = cJSON_Parse (json);

      if (parsed == NULL)
        abort ();
      cJSON_Delete (parsed);
    }
  else if (error == NULL)
    abort ();
  return 0;
}
