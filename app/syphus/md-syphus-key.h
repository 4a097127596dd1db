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

/* A copy of @text with the key and any bearer token replaced by "[redacted]". Of a key of 8
 * bytes or more, any 8 consecutive bytes in any ASCII letter case count as the key (so neither a
 * cut nor an upper-cased key gets through); a shorter key is matched whole and exactly. */
char     *md_syphus_redact     (const char    *text,
                                const char    *key);

/* The same for text that arrives in pieces (a streamed reply): push returns what can be shown
 * now, holding back the few bytes that may start a key fragment; finish returns the rest. */
typedef struct _MdSyphusRedactor MdSyphusRedactor;

MdSyphusRedactor *md_syphus_redactor_new    (const char       *key);
char             *md_syphus_redactor_push   (MdSyphusRedactor *redactor,
                                             const char       *piece);
char             *md_syphus_redactor_finish (MdSyphusRedactor *redactor);
void              md_syphus_redactor_free   (MdSyphusRedactor *redactor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSyphusRedactor, md_syphus_redactor_free)

G_END_DECLS
