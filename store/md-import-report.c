/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-store"

#include "config.h"

#include "md-import-report-private.h"

struct _MdImportReport
{
  GObject    parent_instance;
  GPtrArray *files;
};

G_DEFINE_FINAL_TYPE (MdImportReport, md_import_report, G_TYPE_OBJECT)

static void
imported_file_free (MdImportedFile *file)
{
  g_free (file->path);
  g_free (file->dataset);
  g_clear_error (&file->error);
  g_free (file);
}

static void
md_import_report_finalize (GObject *object)
{
  MdImportReport *self = MD_IMPORT_REPORT (object);

  g_ptr_array_unref (self->files);
  G_OBJECT_CLASS (md_import_report_parent_class)->finalize (object);
}

static void
md_import_report_class_init (MdImportReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = md_import_report_finalize;
}

static void
md_import_report_init (MdImportReport *self)
{
  self->files = g_ptr_array_new_with_free_func ((GDestroyNotify) imported_file_free);
}

MdImportReport *
md_import_report_new (void)
{
  return g_object_new (MD_TYPE_IMPORT_REPORT, NULL);
}

GPtrArray *
md_import_report_get_files (MdImportReport *self)
{
  g_return_val_if_fail (MD_IS_IMPORT_REPORT (self), NULL);
  return self->files;
}

guint
md_import_report_count (MdImportReport *self,
                        MdFileOutcome   outcome)
{
  guint n = 0;

  g_return_val_if_fail (MD_IS_IMPORT_REPORT (self), 0);
  for (guint i = 0; i < self->files->len; i++)
    {
      MdImportedFile *file = g_ptr_array_index (self->files, i);

      if (file->outcome == outcome)
        n++;
    }
  return n;
}

const char *
md_file_kind_name (MdFileKind kind)
{
  switch (kind)
    {
    case MD_FILE_KIND_INSTRUCTIONS:
      return "instructions";
    case MD_FILE_KIND_TRAIN:
      return "train";
    case MD_FILE_KIND_IMAGE_STORE:
      return "image-store";
    case MD_FILE_KIND_TRANSLATION:
      return "translation";
    case MD_FILE_KIND_PROMPT:
      return "prompt";
    case MD_FILE_KIND_UNKNOWN:
    default:
      return "unknown";
    }
}

MdImportedFile *
_md_import_report_add (MdImportReport *self,
                       const char     *path,
                       MdFileKind      kind)
{
  MdImportedFile *file = g_new0 (MdImportedFile, 1);

  file->path = g_strdup (path);
  file->kind = kind;
  g_ptr_array_add (self->files, file);
  return file;
}
