/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* API keys. They come from the environment (MIMICDESK_API_KEY) or the keyring (libsecret,
 * schema io.github.mimicdesk.MimicDesk.ApiKey keyed by backend name), live only in memory, and
 * are scrubbed from any text that may reach a file, a log or the user. */

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

#define MD_SYPHUS_KEY_ENV "MIMICDESK_API_KEY"

const SecretSchema *md_syphus_key_get_schema (void);

/* The key for @backend_name: the environment variable first, then the keyring when
 * @use_keyring is set. NULL without error when there is none. */
char     *md_syphus_key_lookup (const char    *backend_name,
                                gboolean       use_keyring,
                                GCancellable  *cancellable,
                                GError       **error);
gboolean  md_syphus_key_store  (const char    *backend_name,
                                const char    *key,
                                GCancellable  *cancellable,
                                GError       **error);

/* A copy of @text with every occurrence of @key (when non-empty) and any bearer token replaced
 * by "[redacted]". */
char     *md_syphus_redact     (const char    *text,
                                const char    *key);

G_END_DECLS
