/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "mimicdesk-syphus"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "md-error.h"
#include "md-syphus.h"
#include "md-syphus-config.h"

MdSyphusBackendConfig *
md_syphus_backend_config_new (const char          *name,
                              const char          *base_url,
                              const char          *model,
                              MdSyphusBackendKind  kind,
                              const char          *command)
{
  MdSyphusBackendConfig *config = g_new0 (MdSyphusBackendConfig, 1);

  config->name = g_strdup (name != NULL ? name : "");
  config->base_url = g_strdup (base_url != NULL ? base_url : "");
  config->model = g_strdup (model != NULL ? model : "");
  config->kind = kind;
  config->command = command != NULL && command[0] != '\0' ? g_strdup (command) : NULL;
  return config;
}

MdSyphusBackendConfig *
md_syphus_backend_config_copy (const MdSyphusBackendConfig *config)
{
  return md_syphus_backend_config_new (config->name, config->base_url, config->model,
                                       config->kind, config->command);
}

void
md_syphus_backend_config_free (MdSyphusBackendConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->name);
  g_free (config->base_url);
  g_free (config->model);
  g_free (config->command);
  g_free (config);
}

MdSyphusBackend *
md_syphus_backend_config_create (const MdSyphusBackendConfig  *config,
                                 const char                   *path,
                                 GError                      **error)
{
  g_autoptr(MdSyphusBackend) backend = NULL;
  g_auto(GStrv) argv = NULL;

  g_return_val_if_fail (config != NULL, NULL);

  if (config->command != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!g_shell_parse_argv (config->command, NULL, &argv, &local_error))
        {
          g_set_error (error, MD_ERROR, MD_ERROR_PARSE, "%s: [%s] command: %s",
                       path != NULL ? path : "backends.ini", config->name, local_error->message);
          return NULL;
        }
    }
  backend = md_syphus_backend_new (config->name, config->base_url, config->model, config->kind);
  md_syphus_backend_set_command (backend, (const char * const *) argv);
  return g_steal_pointer (&backend);
}

char *
md_syphus_config_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), PACKAGE_NAME, "backends.ini", NULL);
}

MdSyphusConfig *
md_syphus_config_new (void)
{
  MdSyphusConfig *config = g_new0 (MdSyphusConfig, 1);

  config->backends = g_ptr_array_new_with_free_func ((GDestroyNotify) md_syphus_backend_config_free);
  config->concurrency = 4;
  config->temperature = MD_SYPHUS_DEFAULT_TEMPERATURE;
  config->max_tokens = MD_SYPHUS_DEFAULT_MAX_TOKENS;
  config->images = FALSE;
  config->frames = 8;
  config->deadline_s = MD_SYPHUS_DEFAULT_DEADLINE_MS / 1000;
  config->max_reply_bytes = MD_SYPHUS_DEFAULT_MAX_REPLY_BYTES;
  config->max_retry_wait_s = 300;
  return config;
}

void
md_syphus_config_free (MdSyphusConfig *config)
{
  if (config == NULL)
    return;
  g_ptr_array_unref (config->backends);
  g_free (config->default_backend);
  g_free (config);
}

MdSyphusConfig *
md_syphus_config_load (const char  *path,
                       GError     **error)
{
  g_autoptr(MdSyphusConfig) config = md_syphus_config_new ();
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;
  const char *settings = MD_SYPHUS_CONFIG_SETTINGS_GROUP;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&config);
      g_set_error (error, MD_ERROR, MD_ERROR_PARSE, "%s: expected a key file of backends: %s",
                   path, local_error->message);
      return NULL;
    }

  groups = g_key_file_get_groups (file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *base_url = NULL;
      g_autofree char *model = NULL;
      g_autofree char *kind = NULL;
      g_autofree char *command = NULL;

      if (g_str_equal (groups[i], settings))
        continue;
      base_url = g_key_file_get_string (file, groups[i], "base-url", NULL);
      model = g_key_file_get_string (file, groups[i], "model", NULL);
      kind = g_key_file_get_string (file, groups[i], "kind", NULL);
      command = g_key_file_get_string (file, groups[i], "command", NULL);
      g_ptr_array_add (config->backends,
                       md_syphus_backend_config_new (groups[i], base_url, model,
                                                     g_strcmp0 (kind, "hosted") == 0
                                                       ? MD_SYPHUS_BACKEND_HOSTED
                                                       : MD_SYPHUS_BACKEND_LOCAL,
                                                     command));
    }

  if (g_key_file_has_group (file, settings))
    {
      config->default_backend = g_key_file_get_string (file, settings, "default-backend", NULL);
      if (g_key_file_has_key (file, settings, "concurrency", NULL))
        config->concurrency = CLAMP (g_key_file_get_integer (file, settings, "concurrency", NULL),
                                     1, 64);
      if (g_key_file_has_key (file, settings, "temperature", NULL))
        config->temperature = CLAMP (g_key_file_get_double (file, settings, "temperature", NULL),
                                     0.0, 2.0);
      if (g_key_file_has_key (file, settings, "max-tokens", NULL))
        config->max_tokens = CLAMP (g_key_file_get_integer (file, settings, "max-tokens", NULL),
                                    1, 1000000);
      if (g_key_file_has_key (file, settings, "images", NULL))
        config->images = g_key_file_get_boolean (file, settings, "images", NULL);
      if (g_key_file_has_key (file, settings, "frames", NULL))
        config->frames = CLAMP (g_key_file_get_integer (file, settings, "frames", NULL), 0, 256);
      /* 0 turns a limit off; the upper bounds keep the milliseconds in a guint. */
      if (g_key_file_has_key (file, settings, "deadline", NULL))
        config->deadline_s = CLAMP (g_key_file_get_integer (file, settings, "deadline", NULL),
                                    0, 7 * 24 * 3600);
      if (g_key_file_has_key (file, settings, "max-reply-size", NULL))
        config->max_reply_bytes = MIN (g_key_file_get_uint64 (file, settings, "max-reply-size",
                                                              NULL), G_MAXUINT32);
      if (g_key_file_has_key (file, settings, "max-retry-wait", NULL))
        config->max_retry_wait_s = CLAMP (g_key_file_get_integer (file, settings,
                                                                  "max-retry-wait", NULL),
                                          0, 7 * 24 * 3600);
    }
  return g_steal_pointer (&config);
}

/* The shortest text that reads back as @value ("0.7", not "0.69999999999999996"), so the file
 * says what was typed. */
static void
set_double (GKeyFile   *file,
            const char *group,
            const char *key,
            double      value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (text, sizeof text, format, value);
      if (g_ascii_strtod (text, NULL) == value)
        break;
    }
  g_key_file_set_value (file, group, key, text);
}

gboolean
md_syphus_config_save (const MdSyphusConfig  *config,
                       const char            *path,
                       GError               **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);
  const char *settings = MD_SYPHUS_CONFIG_SETTINGS_GROUP;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (config->default_backend != NULL)
    g_key_file_set_string (file, settings, "default-backend", config->default_backend);
  g_key_file_set_integer (file, settings, "concurrency", config->concurrency);
  set_double (file, settings, "temperature", config->temperature);
  g_key_file_set_integer (file, settings, "max-tokens", config->max_tokens);
  g_key_file_set_boolean (file, settings, "images", config->images);
  g_key_file_set_integer (file, settings, "frames", config->frames);
  g_key_file_set_integer (file, settings, "deadline", config->deadline_s);
  g_key_file_set_uint64 (file, settings, "max-reply-size", config->max_reply_bytes);
  g_key_file_set_integer (file, settings, "max-retry-wait", config->max_retry_wait_s);

  for (guint i = 0; i < config->backends->len; i++)
    {
      const MdSyphusBackendConfig *backend = g_ptr_array_index (config->backends, i);

      if (backend->name == NULL || backend->name[0] == '\0')
        continue;
      g_key_file_set_string (file, backend->name, "base-url", backend->base_url);
      g_key_file_set_string (file, backend->name, "model", backend->model);
      g_key_file_set_string (file, backend->name, "kind",
                             backend->kind == MD_SYPHUS_BACKEND_HOSTED ? "hosted" : "local");
      if (backend->command != NULL)
        g_key_file_set_string (file, backend->name, "command", backend->command);
    }

  g_mkdir_with_parents (dir, 0700);
  if (!g_key_file_save_to_file (file, path, &local_error))
    {
      g_set_error (error, MD_ERROR, MD_ERROR_IO, "%s: could not write the backends: %s", path,
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

const MdSyphusBackendConfig *
md_syphus_config_find (const MdSyphusConfig *config,
                       const char           *name)
{
  g_return_val_if_fail (config != NULL, NULL);

  for (guint i = 0; name != NULL && i < config->backends->len; i++)
    {
      const MdSyphusBackendConfig *backend = g_ptr_array_index (config->backends, i);

      if (g_strcmp0 (backend->name, name) == 0)
        return backend;
    }
  return NULL;
}

void
md_syphus_config_get_queue_settings (const MdSyphusConfig  *config,
                                     MdSyphusQueueSettings *settings)
{
  g_return_if_fail (config != NULL);
  g_return_if_fail (settings != NULL);

  md_syphus_queue_settings_init (settings);
  settings->concurrency = config->concurrency;
  settings->deadline_ms = config->deadline_s * 1000;
  settings->max_reply_bytes = config->max_reply_bytes;
  settings->max_retry_wait_ms = config->max_retry_wait_s * 1000;
}

static char *
find_prompt (const char *file_name)
{
  const char *dirs[] = {
#if DEVELOPMENT_BUILD
    SOURCE_PROMPTS_DIR,
#endif
    PKGDATADIR "/prompts",
  };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], file_name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

char *
md_syphus_prompt_default_path (MdSyphusJobKind  kind,
                               const char      *dataset)
{
  /* Task codes whose prompt is the one of a sibling subset (FORMATS.md). */
  static const struct { const char *prefix; const char *prompt; } kinds[] = {
    { "TVC", "DC" }, { "E4D", "DC" }, { "CGD", "SD" }, { "SN", "LA" }, { "LA", "LA" },
  };
  g_autofree char *exact = NULL;
  char *path;

  if (kind == MD_SYPHUS_JOB_TRANSLATE)
    return find_prompt ("translation.json");
  if (dataset == NULL || dataset[0] == '\0' || strchr (dataset, '/') != NULL)
    return NULL;

  exact = g_strconcat (dataset, ".json", NULL);
  path = find_prompt (exact);
  if (path != NULL)
    return path;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_has_prefix (dataset, kinds[i].prefix))
      {
        g_autofree char *name = g_strconcat (kinds[i].prompt, ".json", NULL);

        return find_prompt (name);
      }
  return NULL;
}
