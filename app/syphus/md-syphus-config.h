/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The Syphus configuration shared by the CLI and the window: $XDG_CONFIG_HOME/mimicdesk/
 * backends.ini, one group per backend plus a group "@settings" for the defaults:
 *
 *   [@settings]  default-backend=llama  concurrency=4  temperature=0.7  max-tokens=3200
 *                images=false  frames=8
 *                deadline=600          seconds one request may take in all
 *                max-reply-size=8388608  bytes one reply may have
 *                max-retry-wait=300    seconds of Retry-After honoured at most
 *   [llama]      base-url=http://127.0.0.1:8080  model=qwen  kind=local
 *                command=llama-server -m model.gguf --port 8080
 *
 * API keys are never stored here: they live in the keyring (md-syphus-key). */

#include <gio/gio.h>

#include "md-syphus-backend.h"
#include "md-syphus-queue.h"
#include "md-syphus-request.h"

G_BEGIN_DECLS

#define MD_SYPHUS_CONFIG_SETTINGS_GROUP "@settings"

typedef struct
{
  char                *name;
  char                *base_url;
  char                *model;
  MdSyphusBackendKind  kind;
  char                *command;   /* shell-quoted command line of a local server; may be NULL */
} MdSyphusBackendConfig;

MdSyphusBackendConfig *md_syphus_backend_config_new  (const char *name,
                                                      const char *base_url,
                                                      const char *model,
                                                      MdSyphusBackendKind kind,
                                                      const char *command);
MdSyphusBackendConfig *md_syphus_backend_config_copy (const MdSyphusBackendConfig *config);
void                   md_syphus_backend_config_free (MdSyphusBackendConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSyphusBackendConfig, md_syphus_backend_config_free)

/* A backend object for @config (its command parsed); NULL with an error naming the file and
 * group when the command line does not parse. */
MdSyphusBackend *md_syphus_backend_config_create (const MdSyphusBackendConfig  *config,
                                                  const char                   *path,
                                                  GError                      **error);

typedef struct
{
  GPtrArray *backends;          /* MdSyphusBackendConfig, in file order */
  char      *default_backend;   /* may be NULL */
  guint      concurrency;
  double     temperature;
  int        max_tokens;
  gboolean   images;
  guint      frames;
  guint      deadline_s;
  guint64    max_reply_bytes;
  guint      max_retry_wait_s;
} MdSyphusConfig;

/* "$XDG_CONFIG_HOME/mimicdesk/backends.ini". */
char           *md_syphus_config_default_path (void);
MdSyphusConfig *md_syphus_config_new          (void);
/* A missing file gives the defaults; a file that does not parse is an error naming it. */
MdSyphusConfig *md_syphus_config_load         (const char            *path,
                                               GError               **error);
gboolean        md_syphus_config_save         (const MdSyphusConfig  *config,
                                               const char            *path,
                                               GError               **error);
void            md_syphus_config_free         (MdSyphusConfig        *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSyphusConfig, md_syphus_config_free)

const MdSyphusBackendConfig *md_syphus_config_find (const MdSyphusConfig *config,
                                                    const char           *name);

/* Queue settings with the file's concurrency and limits (the rest at their defaults). */
void            md_syphus_config_get_queue_settings (const MdSyphusConfig  *config,
                                                     MdSyphusQueueSettings *settings);

G_END_DECLS

G_BEGIN_DECLS

/* The prompt file of a dataset (task code) for @kind: "<dir>/<code>.json", or the file of the
 * subset kind it belongs to (video clips use DC.json, single images LA.json), or
 * "translation.json". Looked up in the source tree's data/prompts (development builds) then in
 * the installed pkgdatadir/prompts. NULL when none exists. */
char *md_syphus_prompt_default_path (MdSyphusJobKind  kind,
                                     const char      *dataset);

G_END_DECLS
