/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "md-error.h"
#include "md-query-prefixes.h"

typedef enum
{
  PREFIX_NONE,
  PREFIX_STATUS,
  PREFIX_REASON,
  PREFIX_REVIEWER,
  PREFIX_IS,
} Prefix;

static Prefix
prefix_of (const char  *word,
           const char **out_value)
{
  static const struct { const char *name; Prefix prefix; } prefixes[] = {
    { "status", PREFIX_STATUS },
    { "reason", PREFIX_REASON },
    { "reviewer", PREFIX_REVIEWER },
    { "is", PREFIX_IS },
  };
  const char *colon = strchr (word, ':');

  if (colon == NULL)
    return PREFIX_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if ((gsize) (colon - word) == strlen (prefixes[i].name) &&
        g_ascii_strncasecmp (word, prefixes[i].name, colon - word) == 0)
      {
        *out_value = colon + 1;
        return prefixes[i].prefix;
      }
  return PREFIX_NONE;
}

gboolean
md_query_has_review_prefixes (const char *text)
{
  g_auto(GStrv) words = NULL;
  const char *value;

  if (text == NULL || strchr (text, ':') == NULL)
    return FALSE;
  words = g_strsplit_set (text, " \t\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (prefix_of (words[i], &value) != PREFIX_NONE)
      return TRUE;
  return FALSE;
}

static gboolean
check_reason (MdReviewStore  *review,
              const char     *word,
              const char     *value,
              GError        **error)
{
  g_autoptr(GPtrArray) tags = NULL;
  g_autofree char *list = NULL;

  if ((tags = md_review_store_list_tags (review, error)) == NULL)
    return FALSE;
  for (guint t = 0; t < tags->len; t++)
    if (g_ascii_strcasecmp (tags->pdata[t], value) == 0)
      return TRUE;
  g_ptr_array_add (tags, NULL);
  list = g_strjoinv (", ", (char **) tags->pdata);
  g_set_error (error, MD_ERROR, MD_ERROR_QUERY,
               _("“%s”: unknown reason, expected one of %s"), word, list);
  return FALSE;
}

/* The filters a text sets, gathered before the query is touched. */
typedef struct
{
  int       status;
  char     *reason;
  char     *reviewer;
  gboolean  edited;
  gboolean  unreviewed;
} Taken;

static gboolean
take_word (Taken          *taken,
           MdReviewStore  *review,
           const char     *word,
           Prefix          prefix,
           const char     *value,
           GError        **error)
{
  MdReviewStatus status;
  g_autofree char *down = g_ascii_strdown (value, -1);

  if (review == NULL)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_QUERY,
                   _("“%s”: no review file is open to filter by"), word);
      return FALSE;
    }
  switch (prefix)
    {
    case PREFIX_STATUS:
      if (!md_review_status_from_name (down, &status))
        {
          g_set_error (error, MD_ERROR, MD_ERROR_QUERY,
                       _("“%s”: unknown status, expected unreviewed, approved, flagged, "
                         "rejected or fixed"), word);
          return FALSE;
        }
      taken->status = status;
      return TRUE;
    case PREFIX_REASON:
      if (!check_reason (review, word, value, error))
        return FALSE;
      g_free (taken->reason);
      taken->reason = g_steal_pointer (&down);
      return TRUE;
    case PREFIX_REVIEWER:
      if (*value == '\0')
        {
          g_set_error (error, MD_ERROR, MD_ERROR_QUERY,
                       _("“%s”: expected a reviewer name after the colon"), word);
          return FALSE;
        }
      g_free (taken->reviewer);
      taken->reviewer = g_strdup (value);
      return TRUE;
    case PREFIX_IS:
      if (g_str_equal (down, "edited"))
        taken->edited = TRUE;
      else if (g_str_equal (down, "unreviewed"))
        taken->unreviewed = TRUE;
      else
        {
          g_set_error (error, MD_ERROR, MD_ERROR_QUERY,
                       _("“%s”: unknown filter, expected is:edited or is:unreviewed"), word);
          return FALSE;
        }
      return TRUE;
    case PREFIX_NONE:
    default:
      g_assert_not_reached ();
    }
}

gboolean
md_query_take_review_prefixes (MdQuery       *query,
                               MdReviewStore *review,
                               GError       **error)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GString) text = NULL;
  Taken taken = { -1, NULL, NULL, FALSE, FALSE };
  gboolean ok = TRUE;

  g_return_val_if_fail (query != NULL, FALSE);
  g_return_val_if_fail (review == NULL || MD_IS_REVIEW_STORE (review), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!md_query_has_review_prefixes (query->text))
    return TRUE;

  words = g_strsplit_set (query->text, " \t\n", -1);
  text = g_string_new (NULL);
  for (guint i = 0; ok && words[i] != NULL; i++)
    {
      const char *value = NULL;
      Prefix prefix = prefix_of (words[i], &value);

      if (*words[i] == '\0')
        continue;
      if (prefix == PREFIX_NONE)
        g_string_append_printf (text, "%s%s", text->len > 0 ? " " : "", words[i]);
      else
        ok = take_word (&taken, review, words[i], prefix, value, error);
    }

  if (ok)
    {
      if (taken.status >= 0)
        query->review_status = taken.status;
      if (taken.reason != NULL)
        g_free (g_steal_pointer (&query->review_reason)), query->review_reason = taken.reason;
      if (taken.reviewer != NULL)
        g_free (g_steal_pointer (&query->review_reviewer)),
          query->review_reviewer = taken.reviewer;
      query->review_edited |= taken.edited;
      query->review_unreviewed |= taken.unreviewed;
      g_free (query->text);
      query->text = g_string_free (g_steal_pointer (&text), FALSE);
    }
  else
    {
      g_free (taken.reason);
      g_free (taken.reviewer);
    }
  return ok;
}
