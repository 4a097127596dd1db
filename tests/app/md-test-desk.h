/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "md-application.h"
#include "md-pair.h"
#include "md-window.h"

G_BEGIN_DECLS

/* The review desk as the window tests meet it: a small shard on disk, a real index, a real
 * window under Xvfb, found through accessible names. Failing look-ups fail the test. */

/* T_instructions.json (4 pairs: a red picture with T_INS_00004 as in-context example, a clip of 4
 * frames, a missing image, a blue picture), the T.json image store and a Syphus translation of
 * T_INS_00001 into the seven languages. */
void                md_test_desk_write_fixture       (const char    *dir);

GtkWidget          *md_test_desk_find                (GtkWindow     *window,
                                                      const char    *name);
/* The first widget of `type` under root whose accessible name is `name`: "Instruction" is both
 * a heading and the text view it introduces. */
GtkWidget          *md_test_desk_find_typed          (GtkWidget     *root,
                                                      const char    *name,
                                                      GType          type);
GtkSingleSelection *md_test_desk_pairs_selection     (GtkWindow     *window);
/* Plays a key of one of the window's capture-phase shortcut controllers (named
 * `controller_name`) the way GTK does when the key is pressed: the shortcut's action runs with
 * its arguments and says whether it handled the key. Fails the test when there is no such
 * shortcut. */
gboolean            md_test_desk_press               (GtkWindow       *window,
                                                      const char      *controller_name,
                                                      guint            keyval,
                                                      GdkModifierType  modifiers);
/* Selects the pair `id` in the list; fails the test when it is not listed. */
void                md_test_desk_select_id           (GtkWindow     *window,
                                                      const char    *id);
guint               md_test_desk_n_pairs             (GtkWindow     *window);
const char         *md_test_desk_selected_id         (GtkWindow     *window);
const char         *md_test_desk_first_id            (GtkWindow     *window);
/* The text of the text view named `name`; free it. */
char               *md_test_desk_text                (GtkWindow     *window,
                                                      const char    *name);

void                md_test_desk_assert_text_becomes (GtkWindow     *window,
                                                      const char    *name,
                                                      const char    *text);
gboolean            md_test_desk_wait_n_pairs        (GtkWindow     *window,
                                                      guint          n,
                                                      guint          timeout_ms);
/* Whether the window's import finished with n_expected pairs listed within timeout_ms. */
gboolean            md_test_desk_wait_import         (GtkWindow     *window,
                                                      guint          n_expected,
                                                      guint          timeout_ms);
/* A new window on `path`, once its import has finished with n_expected pairs listed. */
GtkWindow          *md_test_desk_open_folder         (MdApplication *app,
                                                      const char    *path,
                                                      guint          n_expected);

G_END_DECLS
