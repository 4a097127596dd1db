/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include "md-map-guard-private.h"

/* Enough for every mapping an import and the readers beside it hold at once. */
#define N_SLOTS 64

/* Written with atomics, read by the signal handler: a slot is taken when `start` is not 0. */
typedef struct
{
  guintptr start;
  gsize    len;
  gsize    cut_at;   /* offset of the first page that went missing, plus one; 0 when none */
} Slot;

static Slot slots[N_SLOTS];
static struct sigaction previous;

static void
on_sigbus (int        signum,
           siginfo_t *info,
           void      *context)
{
  guintptr addr = (guintptr) info->si_addr;
  long page = sysconf (_SC_PAGESIZE);

  for (guint i = 0; i < N_SLOTS; i++)
    {
      guintptr start = __atomic_load_n (&slots[i].start, __ATOMIC_ACQUIRE);
      gsize len = __atomic_load_n (&slots[i].len, __ATOMIC_ACQUIRE);
      guintptr from, end;

      if (start == 0 || addr < start || addr >= start + len)
        continue;
      /* Past the new end of the file every page is gone: replace them all at once, so that
       * the scan faults once, not once a page. */
      from = addr / page * page;
      end = (start + len + page - 1) / page * page;
      if (mmap ((void *) from, end - from, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                -1, 0) == MAP_FAILED)
        break;
      __atomic_store_n (&slots[i].cut_at, MAX (from, start) - start + 1, __ATOMIC_RELEASE);
      return;
    }

  /* Not ours. */
  if ((previous.sa_flags & SA_SIGINFO) != 0 && previous.sa_sigaction != NULL)
    previous.sa_sigaction (signum, info, context);
  else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN)
    previous.sa_handler (signum);
  else
    {
      /* Returning runs the faulting access again, which now kills the process as before. */
      signal (SIGBUS, SIG_DFL);
    }
}

static void
install_handler (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      struct sigaction action = { 0 };

      action.sa_sigaction = on_sigbus;
      action.sa_flags = SA_SIGINFO | SA_NODEFER;
      sigemptyset (&action.sa_mask);
      sigaction (SIGBUS, &action, &previous);
      g_once_init_leave (&installed, 1);
    }
}

int
_md_map_guard_add (const void *data,
                   gsize       len)
{
  if (data == NULL || len == 0)
    return -1;
  install_handler ();
  for (guint i = 0; i < N_SLOTS; i++)
    {
      guintptr expected = 0;

      /* Claimed with a placeholder first, so that the handler never sees a half-set slot. */
      if (__atomic_compare_exchange_n (&slots[i].start, &expected, (guintptr) 1, FALSE,
                                       __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        {
          __atomic_store_n (&slots[i].cut_at, 0, __ATOMIC_RELEASE);
          __atomic_store_n (&slots[i].len, 0, __ATOMIC_RELEASE);
          __atomic_store_n (&slots[i].start, (guintptr) data, __ATOMIC_RELEASE);
          __atomic_store_n (&slots[i].len, len, __ATOMIC_RELEASE);
          return i;
        }
    }
  g_debug ("no free slot to guard a mapping of %" G_GSIZE_FORMAT " bytes", len);
  return -1;
}

gboolean
_md_map_guard_remove (int    slot,
                      gsize *cut_at)
{
  gsize at;

  if (slot < 0)
    return FALSE;
  g_assert (slot < N_SLOTS);
  at = __atomic_load_n (&slots[slot].cut_at, __ATOMIC_ACQUIRE);
  __atomic_store_n (&slots[slot].len, 0, __ATOMIC_RELEASE);
  __atomic_store_n (&slots[slot].start, 0, __ATOMIC_RELEASE);
  if (at == 0)
    return FALSE;
  if (cut_at != NULL)
    *cut_at = at - 1;
  return TRUE;
}
