/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MD_ERROR (md_error_quark ())

/* Errors of the store library. Messages name the file, the byte offset or the record id, and what
 * was expected, so that they can be shown to the user as they are. */
typedef enum
{
  MD_ERROR_FAILED,
  MD_ERROR_PARSE,        /* an input file is not what its name or content announced */
  MD_ERROR_UNSUPPORTED,  /* a valid input that uses a feature we do not read */
  MD_ERROR_NOT_FOUND,    /* a pair, image or dataset that is not in the index */
  MD_ERROR_QUERY,        /* the user's search query could not be understood */
  MD_ERROR_IO,
  MD_ERROR_DATABASE,
  MD_ERROR_BUSY,         /* another process holds the index for the same work (an import) */
} MdError;

GQuark md_error_quark (void);

G_END_DECLS
