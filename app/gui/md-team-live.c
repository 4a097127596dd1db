/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk"

#include "config.h"

#include "md-team-live.h"
#include "md-team.h"

#define POLL_MS 1000

struct _MdTeamLive
{
  GObject       parent_instance;

  char         *review_path;
  char         *reviewer;
  char         *conninfo;
  GThread      *thread;
  GMutex        lock;
  GCond         wake;
  gboolean      stopping;
  GMainContext *context;    /* where "changed" is emitted */
};

G_DEFINE_FINAL_TYPE (MdTeamLive, md_team_live, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static gboolean
emit_changed (gpointer data)
{
  MdTeamLive *self = data;

  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* Waits up to @ms; FALSE when stopping. */
static gboolean
wait_tick (MdTeamLive *self,
           guint       ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;
  gboolean stopping;

  g_mutex_lock (&self->lock);
  while (!self->stopping && g_cond_wait_until (&self->wake, &self->lock, until))
    ;
  stopping = self->stopping;
  g_mutex_unlock (&self->lock);
  return !stopping;
}

static gpointer
worker (gpointer data)
{
  MdTeamLive *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MdReviewStore) review = md_review_store_open (self->review_path, &error);
  g_autoptr(MdTeam) team = NULL;
  gboolean connected = self->conninfo == NULL;
  gboolean reported = FALSE;

  if (review == NULL)
    {
      g_warning ("%s", error->message);
      return NULL;
    }
  if (self->reviewer != NULL)
    md_review_store_set_reviewer (review, self->reviewer);
  team = md_team_new (review);
  do
    {
      MdTeamSyncReport report = { 0 };

      g_clear_error (&error);
      if (!connected)
        connected = md_team_connect (team, self->conninfo, NULL, &error);
      if (connected && md_team_is_configured (team))
        {
          if (md_team_sync (team, &report, &error))
            {
              reported = FALSE;
              if (report.n_pulled > 0)
                g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_changed,
                                            g_object_ref (self), g_object_unref);
            }
        }
      /* Offline is normal (the queue waits); say it once per outage. */
      if (error != NULL && !reported)
        {
          g_message ("team server: %s", error->message);
          reported = TRUE;
        }
    }
  while (wait_tick (self, POLL_MS));
  return NULL;
}

void
md_team_live_stop (MdTeamLive *self)
{
  g_return_if_fail (MD_IS_TEAM_LIVE (self));

  if (self->thread == NULL)
    return;
  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_signal (&self->wake);
  g_mutex_unlock (&self->lock);
  g_thread_join (g_steal_pointer (&self->thread));
}

static void
md_team_live_dispose (GObject *object)
{
  MdTeamLive *self = (MdTeamLive *)object;

  /* The worker holds no reference: "changed" sources do, and run after it stopped. */
  md_team_live_stop (self);
  G_OBJECT_CLASS (md_team_live_parent_class)->dispose (object);
}

static void
md_team_live_finalize (GObject *object)
{
  MdTeamLive *self = (MdTeamLive *)object;

  g_free (self->review_path);
  g_free (self->reviewer);
  g_free (self->conninfo);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->wake);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (md_team_live_parent_class)->finalize (object);
}

static void
md_team_live_class_init (MdTeamLiveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = md_team_live_dispose;
  object_class->finalize = md_team_live_finalize;

  /* Others' actions reached the review file. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
md_team_live_init (MdTeamLive *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->wake);
  self->context = g_main_context_ref_thread_default ();
}

MdTeamLive *
md_team_live_new (const char *review_path,
                  const char *reviewer,
                  const char *conninfo)
{
  MdTeamLive *self;

  g_return_val_if_fail (review_path != NULL, NULL);

  self = g_object_new (MD_TYPE_TEAM_LIVE, NULL);
  self->review_path = g_strdup (review_path);
  self->reviewer = g_strdup (reviewer);
  self->conninfo = conninfo != NULL && *conninfo != '\0' ? g_strdup (conninfo) : NULL;
  self->thread = g_thread_new ("team-live", worker, self);
  return self;
}
