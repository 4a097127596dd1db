/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-syphus"

#include "config.h"

#include <string.h>

#include "md-error.h"
#include "md-syphus-key.h"

#define REDACTED "[redacted]"

const SecretSchema *
md_syphus_key_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.mimicdesk.MimicDesk.ApiKey", SECRET_SCHEMA_NONE,
    {
      { "backend", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

char *
md_syphus_key_lookup (const char    *backend_name,
                      gboolean       use_keyring,
                      GCancellable  *cancellable,
                      GError       **error)
{
  const char *env = g_getenv (MD_SYPHUS_KEY_ENV);
  g_autoptr(GError) local_error = NULL;
  char *secret;
  char *key;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (!use_keyring || backend_name == NULL)
    return NULL;

  secret = secret_password_lookup_sync (md_syphus_key_get_schema (), cancellable, &local_error,
                                        "backend", backend_name, NULL);
  if (local_error != NULL)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_IO,
                   "keyring: cannot read the API key of backend “%s”: %s", backend_name,
                   local_error->message);
      return NULL;
    }
  key = g_strdup (secret);
  secret_password_free (secret);
  return key;
}

gboolean
md_syphus_key_store (const char    *backend_name,
                     const char    *key,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autofree char *label = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (backend_name != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  label = g_strdup_printf ("MIMIC Desk API key for %s", backend_name);
  if (!secret_password_store_sync (md_syphus_key_get_schema (), SECRET_COLLECTION_DEFAULT, label,
                                   key, cancellable, &local_error, "backend", backend_name, NULL))
    {
      /* The message of a keyring error never contains the secret itself. */
      g_set_error (error, MD_ERROR, MD_ERROR_IO,
                   "keyring: cannot store the API key of backend “%s”: %s", backend_name,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* "Bearer xyz" may reach us from a server that echoes request headers back in an error body;
 * the token may not be the key we know (a proxy can add its own), so hide any. */
static void
redact_bearer (GString *text)
{
  gsize pos = 0;

  for (;;)
    {
      const char *found = strstr (text->str + pos, "Bearer ");
      gsize start;
      gsize end;

      if (found == NULL)
        break;
      start = (found - text->str) + strlen ("Bearer ");
      end = start;
      while (end < text->len && !g_ascii_isspace (text->str[end]) && text->str[end] != '"' &&
             text->str[end] != '\'' && text->str[end] != ',')
        end++;
      if (end > start && strncmp (text->str + start, REDACTED, strlen (REDACTED)) != 0)
        {
          g_string_erase (text, start, end - start);
          g_string_insert (text, start, REDACTED);
        }
      pos = start + strlen (REDACTED);
      if (pos > text->len)
        break;
    }
}

char *
md_syphus_redact (const char *text,
                  const char *key)
{
  GString *out;

  if (text == NULL)
    return NULL;
  out = g_string_new (text);
  if (key != NULL && *key != '\0')
    g_string_replace (out, key, REDACTED, 0);
  redact_bearer (out);
  return g_string_free (out, FALSE);
}
