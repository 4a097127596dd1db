/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-test-pg"

#include "config.h"

#include <arpa/inet.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "md-test-pg.h"

#define PG_USER "md"
#define PG_PASSWORD "team-test-password"

struct _MdTestPg
{
  char    *dir;        /* temporary folder, removed at the end */
  char    *data;       /* dir/data */
  char    *bindir;
  char    *conninfo;
  guint16  port;
  gboolean as_postgres;
  gboolean running;
  GPid     guard;
  int      guard_fd;   /* closing it tells the guard to clean up */
};

guint
md_test_timeout_scale (void)
{
  const char *scale = g_getenv ("MD_TEST_TIMEOUT_SCALE");
  guint64 value = scale != NULL ? g_ascii_strtoull (scale, NULL, 10) : 1;

  return value >= 1 && value <= 100 ? (guint) value : 1;
}

/* PostgreSQL's server programs live outside PATH on Debian (/usr/lib/postgresql/15/bin). */
static char *
find_bindir (void)
{
  const char *env = g_getenv ("MD_PG_BINDIR");
  g_autofree char *out = NULL;
  g_autofree char *initdb = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (g_spawn_command_line_sync ("pg_config --bindir", &out, NULL, NULL, NULL) && out != NULL)
    {
      g_strstrip (out);
      initdb = g_build_filename (out, "initdb", NULL);
      if (g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&out);
    }
  for (int version = 17; version >= 13; version--)
    {
      g_autofree char *dir = g_strdup_printf ("/usr/lib/postgresql/%d/bin", version);
      g_autofree char *path = g_build_filename (dir, "initdb", NULL);

      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&dir);
    }
  return NULL;
}

static guint16
free_port (void)
{
  struct sockaddr_in addr = { .sin_family = AF_INET };
  socklen_t len = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  guint16 port = 0;

  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd >= 0 && bind (fd, (struct sockaddr *) &addr, sizeof addr) == 0 &&
      getsockname (fd, (struct sockaddr *) &addr, &len) == 0)
    port = ntohs (addr.sin_port);
  if (fd >= 0)
    close (fd);
  return port;
}

/* argv of a server program, through runuser when we are root. */
static GPtrArray *
server_argv (MdTestPg   *pg,
             const char *program)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  if (pg->as_postgres)
    {
      g_ptr_array_add (argv, g_strdup ("runuser"));
      g_ptr_array_add (argv, g_strdup ("-u"));
      g_ptr_array_add (argv, g_strdup ("postgres"));
      g_ptr_array_add (argv, g_strdup ("--"));
    }
  g_ptr_array_add (argv, g_build_filename (pg->bindir, program, NULL));
  return argv;
}

static gboolean
run (GPtrArray  *argv,
     char      **out_output,
     GError    **error)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                     &err, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_autofree char *command = g_strjoinv (" ", (char **) argv->pdata);

      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "%s failed: %s%s", command,
                   out != NULL ? out : "", err != NULL ? err : "");
      return FALSE;
    }
  if (out_output != NULL)
    *out_output = g_steal_pointer (&out);
  return TRUE;
}

static gboolean
pg_ctl (MdTestPg    *pg,
        const char  *what,
        GError     **error)
{
  g_autoptr(GPtrArray) argv = server_argv (pg, "pg_ctl");
  g_autofree char *log = g_build_filename (pg->dir, "server.log", NULL);

  g_ptr_array_add (argv, g_strdup ("-D"));
  g_ptr_array_add (argv, g_strdup (pg->data));
  g_ptr_array_add (argv, g_strdup ("-w"));
  g_ptr_array_add (argv, g_strdup ("-t"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", 120 * md_test_timeout_scale ()));
  if (g_str_equal (what, "start"))
    {
      g_ptr_array_add (argv, g_strdup ("-l"));
      g_ptr_array_add (argv, g_strdup (log));
      g_ptr_array_add (argv, g_strdup ("-o"));
      /* fsync off: a test cluster is thrown away, and the disk is shared with other builds. */
      g_ptr_array_add (argv, g_strdup_printf ("-p %u -k %s -c listen_addresses=127.0.0.1 "
                                              "-c fsync=off -c shared_buffers=16MB "
                                              "-c max_connections=80", pg->port, pg->dir));
      g_ptr_array_add (argv, g_strdup ("start"));
    }
  else
    {
      g_ptr_array_add (argv, g_strdup ("-m"));
      g_ptr_array_add (argv, g_strdup ("fast"));
      g_ptr_array_add (argv, g_strdup ("stop"));
    }
  if (!run (argv, NULL, error))
    {
      g_autofree char *contents = NULL;

      if (g_file_get_contents (log, &contents, NULL, NULL))
        g_prefix_error (error, "%s\n", contents);
      return FALSE;
    }
  return TRUE;
}

/* A process in its own session that waits for our end of its stdin to close (we exited, crashed
 * or aborted on an assertion), then stops the server and removes the folder. */
static gboolean
start_guard (MdTestPg  *pg,
             GError   **error)
{
  g_autofree char *quoted_dir = g_shell_quote (pg->dir);
  g_autofree char *quoted_data = g_shell_quote (pg->data);
  g_autofree char *pg_ctl_path = g_build_filename (pg->bindir, "pg_ctl", NULL);
  g_autofree char *quoted_ctl = g_shell_quote (pg_ctl_path);
  g_autofree char *script = g_strdup_printf (
    "cat >/dev/null; %s %s -D %s stop -m immediate >/dev/null 2>&1; rm -rf %s",
    pg->as_postgres ? "runuser -u postgres --" : "", quoted_ctl, quoted_data, quoted_dir);
  const char *argv[] = { "setsid", "sh", "-c", script, NULL };

  return g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                   G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                                   G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                   NULL, NULL, &pg->guard, &pg->guard_fd, NULL, NULL, error);
}

static gboolean
create_cluster (MdTestPg  *pg,
                GError   **error)
{
  g_autofree char *pwfile = g_build_filename (pg->dir, "pwfile", NULL);
  g_autofree char *passfile = g_build_filename (pg->dir, "pgpass", NULL);
  g_autofree char *passline = NULL;
  g_autoptr(GPtrArray) argv = NULL;

  if (!g_file_set_contents_full (pwfile, PG_PASSWORD "\n", -1, G_FILE_SET_CONTENTS_NONE, 0600,
                                 error))
    return FALSE;
  if (pg->as_postgres)
    {
      struct passwd *pw = getpwnam ("postgres");

      if (pw == NULL)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                       "the tests run as root and there is no “postgres” user to run the "
                       "server as; install postgresql-15 (it creates the user)");
          return FALSE;
        }
      if (chown (pg->dir, pw->pw_uid, pw->pw_gid) != 0 || g_chmod (pg->dir, 0700) != 0 ||
          chown (pwfile, pw->pw_uid, pw->pw_gid) != 0)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
                       "%s: could not give the folder to the postgres user", pg->dir);
          return FALSE;
        }
    }

  argv = server_argv (pg, "initdb");
  g_ptr_array_add (argv, g_strdup ("-D"));
  g_ptr_array_add (argv, g_strdup (pg->data));
  g_ptr_array_add (argv, g_strdup ("-U"));
  g_ptr_array_add (argv, g_strdup (PG_USER));
  g_ptr_array_add (argv, g_strdup_printf ("--pwfile=%s", pwfile));
  g_ptr_array_add (argv, g_strdup ("--auth-local=trust"));
  g_ptr_array_add (argv, g_strdup ("--auth-host=scram-sha-256"));
  g_ptr_array_add (argv, g_strdup ("-E"));
  g_ptr_array_add (argv, g_strdup ("UTF8"));
  g_ptr_array_add (argv, g_strdup ("--locale=C"));
  g_ptr_array_add (argv, g_strdup ("--no-sync"));
  g_ptr_array_add (argv, g_strdup ("--no-instructions"));
  if (!run (argv, NULL, error))
    return FALSE;

  /* The password reaches clients the way it reaches a reviewer: a pgpass file (mode 0600). */
  passline = g_strdup_printf ("127.0.0.1:%u:*:%s:%s\n", pg->port, PG_USER, PG_PASSWORD);
  if (!g_file_set_contents_full (passfile, passline, -1, G_FILE_SET_CONTENTS_NONE, 0600, error))
    return FALSE;
  g_setenv ("PGPASSFILE", passfile, TRUE);
  return TRUE;
}

MdTestPg *
md_test_pg_start (void)
{
  g_autoptr(MdTestPg) pg = g_new0 (MdTestPg, 1);
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (g_getenv ("MD_TEST_NO_POSTGRES"), "1") == 0)
    {
      g_test_skip ("MD_TEST_NO_POSTGRES=1: this test needs a PostgreSQL server");
      return NULL;
    }

  pg->guard_fd = -1;
  pg->as_postgres = getuid () == 0;
  pg->bindir = find_bindir ();
  if (pg->bindir == NULL)
    g_error ("no PostgreSQL server programs (initdb) found: install postgresql-15 "
             "(make deps), set MD_PG_BINDIR, or set MD_TEST_NO_POSTGRES=1 to skip");

  pg->dir = g_dir_make_tmp ("mimicdesk-pg-XXXXXX", &error);
  g_assert_no_error (error);
  pg->data = g_build_filename (pg->dir, "data", NULL);
  start_guard (pg, &error);
  g_assert_no_error (error);

  pg->port = free_port ();
  g_assert_cmpuint (pg->port, >, 0);
  if (!create_cluster (pg, &error))
    g_error ("could not create a PostgreSQL cluster in %s: %s", pg->dir, error->message);

  /* Another process may take the port between free_port() and the server's bind. */
  for (guint attempt = 0; ; attempt++)
    {
      g_clear_error (&error);
      if (pg_ctl (pg, "start", &error))
        break;
      if (attempt == 2)
        g_error ("could not start PostgreSQL in %s: %s", pg->dir, error->message);
      pg->port = free_port ();
      {
        g_autofree char *passfile = g_build_filename (pg->dir, "pgpass", NULL);
        g_autofree char *passline = g_strdup_printf ("127.0.0.1:%u:*:%s:%s\n", pg->port,
                                                     PG_USER, PG_PASSWORD);

        g_assert_true (g_file_set_contents (passfile, passline, -1, NULL));
        g_chmod (passfile, 0600);
      }
    }
  pg->running = TRUE;
  pg->conninfo = g_strdup_printf ("host=127.0.0.1 port=%u dbname=postgres user=%s "
                                  "connect_timeout=10", pg->port, PG_USER);
  return g_steal_pointer (&pg);
}

void
md_test_pg_free (MdTestPg *pg)
{
  if (pg == NULL)
    return;
  if (pg->running)
    md_test_pg_stop (pg);
  if (pg->guard_fd >= 0)
    {
      close (pg->guard_fd);
      waitpid (pg->guard, NULL, 0);
      g_spawn_close_pid (pg->guard);
    }
  g_free (pg->dir);
  g_free (pg->data);
  g_free (pg->bindir);
  g_free (pg->conninfo);
  g_free (pg);
}

const char *
md_test_pg_conninfo (MdTestPg *pg)
{
  return pg->conninfo;
}

guint16
md_test_pg_port (MdTestPg *pg)
{
  return pg->port;
}

const char *
md_test_pg_dir (MdTestPg *pg)
{
  return pg->dir;
}

void
md_test_pg_stop (MdTestPg *pg)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pg->running);
  if (!pg_ctl (pg, "stop", &error))
    g_error ("could not stop PostgreSQL: %s", error->message);
  pg->running = FALSE;
}

void
md_test_pg_restart (MdTestPg *pg)
{
  g_autoptr(GError) error = NULL;

  if (pg->running)
    md_test_pg_stop (pg);
  if (!pg_ctl (pg, "start", &error))
    g_error ("could not restart PostgreSQL: %s", error->message);
  pg->running = TRUE;
}

char *
md_test_pg_query (MdTestPg   *pg,
                  const char *sql)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_ptr_array_add (argv, g_build_filename (pg->bindir, "psql", NULL));
  g_ptr_array_add (argv, g_strdup ("-X"));
  g_ptr_array_add (argv, g_strdup ("-qAt"));
  g_ptr_array_add (argv, g_strdup ("-v"));
  g_ptr_array_add (argv, g_strdup ("ON_ERROR_STOP=1"));
  g_ptr_array_add (argv, g_strdup ("-h"));
  g_ptr_array_add (argv, g_strdup (pg->dir));
  g_ptr_array_add (argv, g_strdup ("-p"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", pg->port));
  g_ptr_array_add (argv, g_strdup ("-U"));
  g_ptr_array_add (argv, g_strdup (PG_USER));
  g_ptr_array_add (argv, g_strdup ("-d"));
  g_ptr_array_add (argv, g_strdup ("postgres"));
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup (sql));
  if (!run (argv, &out, &error))
    g_error ("psql: %s", error->message);
  return out;
}
