/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The "Language Models" page of the preferences: Syphus backends (add, edit, remove, test the
 * connection and list the server's models), the default backend, concurrency, temperature,
 * maximum tokens, images and frames. Everything is saved to backends.ini, the file the CLI reads
 * (md-syphus-config.h); API keys go to the keyring only (md-syphus-key.h). */
void md_backend_rows_add_page (AdwPreferencesWindow *window);

G_END_DECLS
