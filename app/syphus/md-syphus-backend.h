/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* One OpenAI-compatible server: POST {base}/v1/chat/completions (plain JSON or SSE stream) and
 * GET {base}/v1/models. A local backend may also own the command line of its server, which it
 * starts, health-checks and stops on dispose.
 *
 * All I/O is asynchronous on the thread-default main context of the caller; streamed text is
 * handed to the caller's callback on that context. The API key is held only in memory; every
 * error message is scrubbed of it. HTTPS certificates are checked (libsoup's default). */

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  MD_SYPHUS_BACKEND_LOCAL,
  MD_SYPHUS_BACKEND_HOSTED,
} MdSyphusBackendKind;

/* The outcome of one HTTP attempt. */
typedef struct
{
  guint     status;             /* HTTP status; 0 when no response arrived */
  char     *text;               /* the assistant's content, assembled from the stream; on a
                                 * reply that is not JSON, the raw body */
  char     *finish_reason;
  gint64    prompt_tokens;      /* -1 when the server sent no usage */
  gint64    completion_tokens;
  gint64    latency_us;         /* from sending to the last byte */
  gint64    retry_after_ms;     /* from Retry-After; -1 when absent */
  gboolean  retryable;          /* 429, 5xx, timeouts, broken connections */
  GError   *error;              /* NULL on success; its message never holds the key */
} MdSyphusResponse;

void md_syphus_response_free (MdSyphusResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MdSyphusResponse, md_syphus_response_free)

/* Streamed text as it arrives. */
typedef void (*MdSyphusDeltaFunc) (const char *delta,
                                   gpointer    user_data);

#define MD_TYPE_SYPHUS_BACKEND (md_syphus_backend_get_type ())
G_DECLARE_FINAL_TYPE (MdSyphusBackend, md_syphus_backend, MD, SYPHUS_BACKEND, GObject)

MdSyphusBackend     *md_syphus_backend_new             (const char          *name,
                                                        const char          *base_url,
                                                        const char          *model,
                                                        MdSyphusBackendKind  kind);
const char          *md_syphus_backend_get_name        (MdSyphusBackend     *self);
const char          *md_syphus_backend_get_base_url    (MdSyphusBackend     *self);
const char          *md_syphus_backend_get_model       (MdSyphusBackend     *self);
MdSyphusBackendKind  md_syphus_backend_get_kind        (MdSyphusBackend     *self);

/* The key is copied and kept in memory only. NULL removes it. */
void                 md_syphus_backend_set_api_key     (MdSyphusBackend     *self,
                                                        const char          *key);
gboolean             md_syphus_backend_has_api_key     (MdSyphusBackend     *self);
/* Scrubs the key (and any bearer token) out of @text. */
char                *md_syphus_backend_redact          (MdSyphusBackend     *self,
                                                        const char          *text);

/* What one attempt may take. A hostile or broken server can send forever (a stream that never
 * ends, ":" comments every few seconds) or send one endless line; these bound time and memory. */
#define MD_SYPHUS_DEFAULT_STALL_TIMEOUT_MS 120000
#define MD_SYPHUS_DEFAULT_DEADLINE_MS      600000
#define MD_SYPHUS_DEFAULT_MAX_REPLY_BYTES  ((gsize) 8 * 1024 * 1024)

typedef struct
{
  guint  stall_timeout_ms;   /* no byte for this long: a retryable timeout; 0: never */
  guint  deadline_ms;        /* not complete this long after sending: fails; 0: never */
  gsize  max_reply_bytes;    /* a reply (body or stream, all bytes) longer fails; 0: no limit */
} MdSyphusChatLimits;

void                 md_syphus_chat_limits_init        (MdSyphusChatLimits  *limits);

/* One attempt within @limits (NULL: the defaults). Passing the deadline or the size cap fails
 * the attempt as not retryable. The finish function returns a response (with its error set for
 * HTTP or transport failures), or NULL with G_IO_ERROR_CANCELLED when @cancellable was
 * cancelled. Streamed text reaches @delta_func redacted of the key. */
void                 md_syphus_backend_chat_async      (MdSyphusBackend          *self,
                                                        const char               *body,
                                                        const MdSyphusChatLimits *limits,
                                                        MdSyphusDeltaFunc         delta_func,
                                                        gpointer                  delta_data,
                                                        GCancellable             *cancellable,
                                                        GAsyncReadyCallback       callback,
                                                        gpointer                  user_data);
MdSyphusResponse    *md_syphus_backend_chat_finish     (MdSyphusBackend     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* The ids of GET {base}/v1/models. */
void                 md_syphus_backend_list_models_async  (MdSyphusBackend     *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
GStrv                md_syphus_backend_list_models_finish (MdSyphusBackend     *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

/* The server command of a local backend (argv, NULL to forget it). */
void                 md_syphus_backend_set_command     (MdSyphusBackend     *self,
                                                        const char * const  *argv);
/* Starts the command (when set and not running) and polls /v1/models, then /health, until one
 * answers 2xx or @timeout_ms passes. Without a command it only waits for the server. */
void                 md_syphus_backend_start_async     (MdSyphusBackend     *self,
                                                        guint                timeout_ms,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean             md_syphus_backend_start_finish    (MdSyphusBackend     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* Stops a server this backend started (also done on dispose). */
void                 md_syphus_backend_stop            (MdSyphusBackend     *self);
gboolean             md_syphus_backend_is_server_running (MdSyphusBackend   *self);

G_END_DECLS
