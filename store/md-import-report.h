/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What an import did: per input file its kind and outcome, and totals. */
typedef enum
{
  MD_FILE_KIND_UNKNOWN,
  MD_FILE_KIND_INSTRUCTIONS,   /* <TASK>_instructions.json */
  MD_FILE_KIND_TRAIN,          /* <TASK>_train.json */
  MD_FILE_KIND_IMAGE_STORE,    /* <TASK>.json, <TASK>.parquet */
  MD_FILE_KIND_TRANSLATION,    /* Syphus valid_output.json and its failure files */
  MD_FILE_KIND_PROMPT,         /* Syphus prompt file */
} MdFileKind;

typedef enum
{
  MD_FILE_IMPORTED,
  MD_FILE_UNCHANGED,           /* already indexed and not modified since */
  MD_FILE_SKIPPED,             /* not a MIMIC-IT file */
  MD_FILE_REJECTED,            /* error says why */
} MdFileOutcome;

typedef struct
{
  char          *path;
  MdFileKind     kind;
  MdFileOutcome  outcome;
  char          *dataset;
  guint64        n_records;
  guint64        n_problems;
  GError        *error;        /* set when rejected */
} MdImportedFile;

#define MD_TYPE_IMPORT_REPORT (md_import_report_get_type ())
G_DECLARE_FINAL_TYPE (MdImportReport, md_import_report, MD, IMPORT_REPORT, GObject)

MdImportReport       *md_import_report_new          (void);
/* Element type MdImportedFile, in import order. */
GPtrArray            *md_import_report_get_files    (MdImportReport *self);
guint                 md_import_report_count        (MdImportReport *self,
                                                     MdFileOutcome   outcome);
const char           *md_file_kind_name             (MdFileKind      kind);

G_END_DECLS
