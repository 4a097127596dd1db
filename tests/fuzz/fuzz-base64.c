/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-base64"

#include "config.h"

#include "fuzz-common.h"
#include "md-base64.h"

/* The lenient base64 decoder and the image sniffing that follows it: the input is the text of an
 * image store value. A decode either fails with an offset inside the input or yields at most
 * 3/4 of its length; whatever it yields is sniffed and measured. */

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize bad = G_MAXSIZE;

  md_base64_looks_like_image ((const char *) data, size);
  bytes = md_base64_decode ((const char *) data, size, &bad);
  if (bytes == NULL)
    {
      if (bad > size)
        abort ();
    }
  else
    {
      gsize n = 0;
      const guint8 *decoded = g_bytes_get_data (bytes, &n);
      guint64 width = 0, height = 0;

      if (n > size / 4 * 3 + 3)
        abort ();
      md_image_sniff (decoded, n);
      md_image_get_size (decoded, n, &width, &height);
    }
  /* The raw input as already decoded bytes too. */
  md_image_sniff (data, size);
  {
    guint64 width = 0, height = 0;

    md_image_get_size (data, size, &width, &height);
  }
  return 0;
}
