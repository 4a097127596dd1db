/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Internal API shared by the files of the review store (md-review-store.c, md-review-sample.c,
 * md-review-merge.c). Nothing outside store/ includes it. */

#include <sqlite3.h>

#include "md-review-store.h"

G_BEGIN_DECLS

/* Fields of the log that are not texts. */
#define MD_REVIEW_FIELD_STATUS  "status"
#define MD_REVIEW_FIELD_REASONS "reasons"
#define MD_REVIEW_FIELD_NOTE    "note"

/* A prepared statement of the store's cache, reset and with its bindings cleared; NULL and
 * @error set when SQLite rejects it. Owned by the store. */
sqlite3_stmt *_md_review_store_prepare     (MdReviewStore  *self,
                                            const char     *sql,
                                            GError        **error);
gboolean      _md_review_store_exec        (MdReviewStore  *self,
                                            const char     *sql,
                                            GError        **error);
/* Fills @error from the connection's last error, naming the file and @what was being done. */
void          _md_review_store_set_error   (MdReviewStore  *self,
                                            GError        **error,
                                            const char     *what);

/* Write transactions: BEGIN IMMEDIATE so that concurrent writers wait for each other instead of
 * failing half-way; rollback never fails loudly (it is used on error paths). */
gboolean      _md_review_store_begin       (MdReviewStore  *self,
                                            GError        **error);
gboolean      _md_review_store_commit      (MdReviewStore  *self,
                                            GError        **error);
void          _md_review_store_rollback    (MdReviewStore  *self);

/* Inside a transaction: a new action row; returns its id or -1. */
gint64        _md_review_store_new_action  (MdReviewStore  *self,
                                            const char     *kind,
                                            gint64          target,
                                            GError        **error);

/* Inside a transaction: the next local timestamp, strictly after every entry of the log. */
gint64        _md_review_store_next_time   (MdReviewStore  *self,
                                            GError        **error);

/* The winning entry of a key: its value (may be NULL), time and uid. FALSE when the key has no
 * entry (outputs untouched) or on error (@error set). */
gboolean      _md_review_store_lookup      (MdReviewStore  *self,
                                            const char     *dataset,
                                            const char     *pair_id,
                                            const char     *lang,
                                            const char     *field,
                                            char          **out_value,
                                            gint64         *out_time,
                                            char          **out_uid,
                                            GError        **error);

/* Inside a transaction: appends one entry (uid NULL: a new one) and, when it is the latest of its
 * key, applies it to the derived tables. *out_inserted is FALSE when an entry with that uid
 * already exists (nothing is done); *out_applied tells whether it became the current value. */
gboolean      _md_review_store_append      (MdReviewStore  *self,
                                            gint64          action,
                                            const char     *uid,
                                            const char     *dataset,
                                            const char     *pair_id,
                                            const char     *lang,
                                            const char     *field,
                                            const char     *old_value,
                                            const char     *new_value,
                                            const char     *author,
                                            const char     *author_kind,
                                            gint64          created_at,
                                            gboolean       *out_inserted,
                                            gboolean       *out_applied,
                                            GError        **error);

gboolean      _md_review_is_known_field    (const char     *field);
gboolean      _md_review_is_known_lang     (const char     *lang);

G_END_DECLS
