/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A Syphus prompt file: a system message and in-context turns (see FORMATS.md), as a JSON file
 * or as one of Otter's `.py` modules defining `system_message` and `in_context` as literals
 * (md-py-literal.h). Assistant turns that hold a list of objects are flattened once, at load
 * time, into `Key: value` lines, each ending with a newline, as Otter's loader does, so that the
 * request builder only ever sees strings. */

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  MD_SYPHUS_ROLE_USER,
  MD_SYPHUS_ROLE_ASSISTANT,
} MdSyphusRole;

const char *md_syphus_role_name (MdSyphusRole role);

#define MD_TYPE_SYPHUS_PROMPT (md_syphus_prompt_get_type ())
G_DECLARE_FINAL_TYPE (MdSyphusPrompt, md_syphus_prompt, MD, SYPHUS_PROMPT, GObject)

MdSyphusPrompt *md_syphus_prompt_new_from_file     (const char      *path,
                                                    GError         **error);
/* @name is used in error messages and recorded with each generation; a name ending in ".py" is
 * read as a Python module, any other as JSON. */
MdSyphusPrompt *md_syphus_prompt_new_from_data     (const char      *name,
                                                    const char      *data,
                                                    gsize            length,
                                                    GError         **error);
/* A prompt with a system message and no in-context turns. */
MdSyphusPrompt *md_syphus_prompt_new_simple        (const char      *name,
                                                    const char      *system_message);

const char     *md_syphus_prompt_get_name          (MdSyphusPrompt  *self);
const char     *md_syphus_prompt_get_system_message (MdSyphusPrompt *self);
guint           md_syphus_prompt_get_n_turns       (MdSyphusPrompt  *self);
/* The content of turn @index as a string (assistant lists already flattened). */
const char     *md_syphus_prompt_get_turn          (MdSyphusPrompt  *self,
                                                    guint            index,
                                                    MdSyphusRole    *out_role);

G_END_DECLS
