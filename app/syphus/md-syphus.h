/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* The Syphus engine: the pipeline that generated MIMIC-IT, run again on chosen pairs.
 *
 * GLib, libsoup, cJSON, SQLite and libsecret only; never GTK. What lives here:
 *   md-syphus-prompt    prompt files (system message + in-context turns)
 *   md-syphus-request   the request body of one pair, from plain input structs
 *   md-syphus-backend   one OpenAI-compatible server (plain and streamed), local server process
 *   md-syphus-key       API keys from the environment or the keyring, and redaction
 *   md-syphus-parse     Question/Answer and translation replies
 *   md-syphus-config    backends.ini: named backends and defaults, shared by CLI and window
 *   md-syphus-journal   jobs and generations in SQLite (survives closing the app)
 *   md-syphus-queue     concurrency, timeouts, retries, budgets, pause/resume/cancel
 *   md-syphus-review    inputs from the index and review file; accepted results as revisions
 *   md-syphus-batch     the prompt of each dataset and the plan of a batch (CLI and window)
 * It depends on store/ for MD_ERROR and the language codes, and (md-syphus-review only) for
 * the index and the review file. */

#include <glib.h>

G_BEGIN_DECLS

/* Sampling defaults used to build MIMIC-IT. */
#define MD_SYPHUS_DEFAULT_TEMPERATURE 0.7
#define MD_SYPHUS_DEFAULT_MAX_TOKENS  3200
#define MD_SYPHUS_DEFAULT_TOP_P       0.95

const char *md_syphus_user_agent (void);

G_END_DECLS

#include "md-syphus-backend.h"
#include "md-syphus-batch.h"
#include "md-syphus-config.h"
#include "md-syphus-journal.h"
#include "md-syphus-key.h"
#include "md-syphus-parse.h"
#include "md-syphus-prompt.h"
#include "md-syphus-queue.h"
#include "md-syphus-request.h"
#include "md-syphus-review.h"
