/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-team"

#include "config.h"

#include <math.h>

#include "md-team-private.h"

void
md_team_unit_free (MdTeamUnit *unit)
{
  if (unit == NULL)
    return;
  g_free (unit->dataset);
  g_free (unit->pair_id);
  g_free (unit->lang);
  g_free (unit);
}

gboolean
md_team_assign (MdTeam              *self,
                const char          *name,
                const MdSampleUnit  *units,
                guint                n_units,
                const char * const  *reviewers,
                double               overlap,
                guint64              seed,
                guint               *out_n_rows,
                GError             **error)
{
  g_autofree guint *order = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GString) positions = g_string_new (NULL);
  g_autoptr(GString) who = g_string_new (NULL);
  g_autoptr(GString) datasets = g_string_new (NULL);
  g_autoptr(GString) pair_ids = g_string_new (NULL);
  g_autoptr(GString) langs = g_string_new (NULL);
  g_autoptr(PGresult) result = NULL;
  const char *params[6];
  guint n_reviewers, n_overlap, n_rows = 0;
  guint64 state = seed;

  g_return_val_if_fail (MD_IS_TEAM (self), FALSE);
  g_return_val_if_fail (name != NULL && *name != '\0', FALSE);
  g_return_val_if_fail (reviewers != NULL, FALSE);

  n_reviewers = g_strv_length ((GStrv) reviewers);
  if (n_reviewers == 0 || !(overlap >= 0 && overlap <= 1) || (overlap > 0 && n_reviewers < 2))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                   "assignment “%s”: expected at least one reviewer (two with an overlap) and an "
                   "overlap between 0 and 1", name);
      return FALSE;
    }

  /* Fisher–Yates with the samples' generator: the same seed splits the same way anywhere. */
  order = g_new (guint, MAX (n_units, 1));
  for (guint i = 0; i < n_units; i++)
    order[i] = i;
  for (guint i = n_units; i > 1; i--)
    {
      guint j = md_sample_splitmix64 (&state) % i;
      guint swap = order[i - 1];

      order[i - 1] = order[j];
      order[j] = swap;
    }
  n_overlap = (guint) lround (overlap * n_units);
  for (guint i = 0; i < n_units; i++)
    {
      const MdSampleUnit *unit = &units[order[i]];

      for (guint copy = 0; copy < (i < n_overlap ? 2u : 1u); copy++)
        {
          _md_team_array_add_text (names, name);
          _md_team_array_add_int (positions, i);
          _md_team_array_add_text (who, reviewers[(i + copy) % n_reviewers]);
          _md_team_array_add_text (datasets, unit->dataset);
          _md_team_array_add_text (pair_ids, unit->pair_id);
          _md_team_array_add_text (langs, unit->lang != NULL ? unit->lang : "");
          n_rows++;
        }
    }
  _md_team_array_close (names);
  _md_team_array_close (positions);
  _md_team_array_close (who);
  _md_team_array_close (datasets);
  _md_team_array_close (pair_ids);
  _md_team_array_close (langs);

  params[0] = name;
  result = _md_team_exec (self, "SELECT 1 FROM md_assignment WHERE name = $1 LIMIT 1", 1,
                          params, PGRES_TUPLES_OK, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      g_set_error (error, MD_ERROR, MD_ERROR_FAILED,
                   "assignment “%s” exists already on the team server; expected a new name", name);
      return FALSE;
    }
  g_clear_pointer (&result, PQclear);
  params[0] = names->str;
  params[1] = positions->str;
  params[2] = who->str;
  params[3] = datasets->str;
  params[4] = pair_ids->str;
  params[5] = langs->str;
  result = _md_team_exec (self,
    "INSERT INTO md_assignment (name, position, reviewer, dataset, pair_id, lang)"
    " SELECT * FROM unnest ($1::text[], $2::int[], $3::text[], $4::text[], $5::text[],"
    "                       $6::text[])",
    6, params, PGRES_COMMAND_OK, error);
  if (result == NULL)
    return FALSE;
  if (out_n_rows != NULL)
    *out_n_rows = n_rows;
  return TRUE;
}

/* A status other than unreviewed written by the row's reviewer. */
#define REVIEWED_BY(who) \
  "EXISTS (SELECT 1 FROM md_entry e WHERE e.dataset = a.dataset AND e.pair_id = a.pair_id" \
  " AND e.lang = a.lang AND e.field = 'status' AND e.author = " who \
  " AND e.new_value IS NOT NULL AND e.new_value <> 'unreviewed')"

gboolean
md_team_next (MdTeam          *self,
              const char      *name,
              const char      *reviewer,
              guint            ttl_seconds,
              gboolean         take_abandoned,
              MdTeamUnit     **out_unit,
              GError         **error)
{
  g_autoptr(PGresult) result = NULL;
  char ttl[32];
  const char *params[4];
  MdTeamUnit *unit;

  g_return_val_if_fail (MD_IS_TEAM (self), FALSE);
  g_return_val_if_fail (name != NULL && reviewer != NULL && out_unit != NULL, FALSE);

  *out_unit = NULL;
  if (!md_team_push (self, NULL, error))
    return FALSE;
  g_snprintf (ttl, sizeof ttl, "%u", ttl_seconds);
  params[0] = name;
  params[1] = reviewer;
  params[2] = ttl;
  params[3] = take_abandoned ? "t" : "f";
  /* One statement: the claim is taken by whoever updates the row first. */
  result = _md_team_exec (self,
    "WITH mine AS ("
    "  SELECT a.name, a.position, a.reviewer FROM md_assignment a"
    "  WHERE a.name = $1 AND a.reviewer = $2 AND NOT " REVIEWED_BY ("$2")
    "  ORDER BY a.position LIMIT 1 FOR UPDATE SKIP LOCKED),"
    " abandoned AS ("
    "  SELECT a.name, a.position, a.reviewer FROM md_assignment a"
    "  WHERE $4::boolean AND NOT EXISTS (SELECT 1 FROM mine) AND a.name = $1"
    "    AND a.reviewer <> $2 AND a.claimed_until < now () AND NOT " REVIEWED_BY ("a.reviewer")
    "    AND NOT EXISTS (SELECT 1 FROM md_assignment b WHERE b.name = a.name"
    "                    AND b.position = a.position AND b.reviewer = $2)"
    "  ORDER BY a.position LIMIT 1 FOR UPDATE SKIP LOCKED),"
    " pick AS (SELECT * FROM mine UNION ALL SELECT * FROM abandoned LIMIT 1)"
    " UPDATE md_assignment a SET reviewer = $2, claimed_by = $2,"
    "   claimed_until = now () + make_interval (secs => $3::int)"
    " FROM pick WHERE a.name = pick.name AND a.position = pick.position"
    "   AND a.reviewer = pick.reviewer"
    " RETURNING a.dataset, a.pair_id, a.lang, a.position",
    4, params, PGRES_TUPLES_OK, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    return FALSE;
  unit = g_new0 (MdTeamUnit, 1);
  unit->dataset = g_strdup (PQgetvalue (result, 0, 0));
  unit->pair_id = g_strdup (PQgetvalue (result, 0, 1));
  unit->lang = g_strdup (PQgetvalue (result, 0, 2));
  unit->position = (guint) g_ascii_strtoull (PQgetvalue (result, 0, 3), NULL, 10);
  *out_unit = unit;
  return TRUE;
}
