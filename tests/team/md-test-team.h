/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Running the CLI against a review file in team tests. */

#include <cJSON.h>
#include <glib.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cJSON, cJSON_Delete)

/* Runs "mimicdesk-cli ARGS… --review REVIEW" (REVIEW NULL: no such option), returns the exit
 * status and (optional) stdout. */
int    md_test_cli       (const char  *review,
                          char       **out_stdout,
                          const char  *first_arg,
                          ...) G_GNUC_NULL_TERMINATED;

/* Runs it and parses stdout as JSON; asserts exit status 0. */
cJSON *md_test_cli_json  (const char  *review,
                          const char  *first_arg,
                          ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
