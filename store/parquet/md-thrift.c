/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "md-thrift"

#include "config.h"

#include <string.h>

#include "md-error.h"
#include "md-thrift-private.h"

void
_md_thrift_reader_init (MdThriftReader *r,
                        const guint8   *data,
                        gsize           len,
                        const char     *what,
                        guint64         base_offset)
{
  memset (r, 0, sizeof *r);
  r->start = data;
  r->p = data;
  r->end = data + len;
  r->what = what;
  r->base_offset = base_offset;
}

guint64
_md_thrift_reader_offset (MdThriftReader *r)
{
  return r->base_offset + (guint64) (r->p - r->start);
}

void
_md_thrift_fail (MdThriftReader *r,
                 const char     *format,
                 ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  if (r->error != NULL)
    return;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (&r->error, MD_ERROR, MD_ERROR_PARSE,
               "%s: Parquet metadata at byte %" G_GUINT64_FORMAT ": %s",
               r->what, _md_thrift_reader_offset (r), msg);
  /* Stop every later read at once. */
  r->p = r->end;
}

static guint8
read_byte (MdThriftReader *r)
{
  if (r->error != NULL)
    return 0;
  if (r->p >= r->end)
    {
      _md_thrift_fail (r, "unexpected end of data");
      return 0;
    }
  return *r->p++;
}

static guint64
read_varint (MdThriftReader *r)
{
  guint64 value = 0;

  for (guint shift = 0; shift < 64; shift += 7)
    {
      guint8 b = read_byte (r);

      if (r->error != NULL)
        return 0;
      value |= (guint64) (b & 0x7f) << shift;
      if ((b & 0x80) == 0)
        return value;
    }

  _md_thrift_fail (r, "varint longer than 10 bytes");
  return 0;
}

static gint64
read_zigzag (MdThriftReader *r)
{
  guint64 v = read_varint (r);

  return (gint64) (v >> 1) ^ -(gint64) (v & 1);
}

void
_md_thrift_struct_begin (MdThriftReader *r)
{
  if (r->error != NULL)
    return;
  if (r->depth >= MD_THRIFT_MAX_DEPTH)
    {
      _md_thrift_fail (r, "structures nested more than %d deep", MD_THRIFT_MAX_DEPTH);
      return;
    }
  r->depth++;
  r->last_field[r->depth] = 0;
}

void
_md_thrift_struct_end (MdThriftReader *r)
{
  if (r->depth > 0)
    r->depth--;
}

gboolean
_md_thrift_field_begin (MdThriftReader *r,
                        gint16         *id,
                        MdThriftType   *type)
{
  guint8 b = read_byte (r);
  guint delta;

  if (r->error != NULL || b == MD_THRIFT_STOP)
    return FALSE;

  *type = b & 0x0f;
  delta = b >> 4;
  if (delta != 0)
    *id = r->last_field[r->depth] + delta;
  else
    *id = (gint16) read_zigzag (r);
  if (*type > MD_THRIFT_STRUCT)
    {
      _md_thrift_fail (r, "unknown field type %u", *type);
      return FALSE;
    }
  r->last_field[r->depth] = *id;

  return r->error == NULL;
}

gboolean
_md_thrift_read_bool (MdThriftReader *r,
                      MdThriftType    type)
{
  if (type == MD_THRIFT_TRUE)
    return TRUE;
  if (type == MD_THRIFT_FALSE)
    return FALSE;
  _md_thrift_fail (r, "expected a boolean, found type %u", type);
  return FALSE;
}

gint64
_md_thrift_read_i64 (MdThriftReader *r,
                     MdThriftType    type)
{
  switch (type)
    {
    case MD_THRIFT_BYTE:
      return (gint8) read_byte (r);
    case MD_THRIFT_I16:
    case MD_THRIFT_I32:
    case MD_THRIFT_I64:
      return read_zigzag (r);
    default:
      _md_thrift_fail (r, "expected an integer, found type %u", type);
      return 0;
    }
}

gint32
_md_thrift_read_i32 (MdThriftReader *r,
                     MdThriftType    type)
{
  gint64 v = _md_thrift_read_i64 (r, type);

  if (v < G_MININT32 || v > G_MAXINT32)
    {
      _md_thrift_fail (r, "integer %" G_GINT64_FORMAT " does not fit 32 bits", v);
      return 0;
    }
  return (gint32) v;
}

const guint8 *
_md_thrift_read_binary (MdThriftReader *r,
                        MdThriftType    type,
                        gsize          *len)
{
  guint64 n;
  const guint8 *data;

  *len = 0;
  if (type != MD_THRIFT_BINARY)
    {
      _md_thrift_fail (r, "expected a string, found type %u", type);
      return NULL;
    }
  n = read_varint (r);
  if (r->error != NULL)
    return NULL;
  if (n > (guint64) (r->end - r->p))
    {
      _md_thrift_fail (r, "string of %" G_GUINT64_FORMAT " bytes runs past the end of the data", n);
      return NULL;
    }
  data = r->p;
  r->p += n;
  *len = n;
  return data;
}

char *
_md_thrift_read_string (MdThriftReader *r,
                        MdThriftType    type)
{
  gsize len;
  const guint8 *data = _md_thrift_read_binary (r, type, &len);

  if (data == NULL)
    return NULL;
  return g_strndup ((const char *) data, len);
}

guint32
_md_thrift_list_begin (MdThriftReader *r,
                       MdThriftType    type,
                       MdThriftType   *elem_type)
{
  guint8 b;
  guint64 n;

  *elem_type = MD_THRIFT_STOP;
  if (type != MD_THRIFT_LIST && type != MD_THRIFT_SET)
    {
      _md_thrift_fail (r, "expected a list, found type %u", type);
      return 0;
    }
  b = read_byte (r);
  n = b >> 4;
  if (n == 15)
    n = read_varint (r);
  *elem_type = b & 0x0f;
  if (r->error != NULL)
    return 0;
  /* Every element takes at least one byte: a larger count is a lie. */
  if (n > (guint64) (r->end - r->p))
    {
      _md_thrift_fail (r, "list of %" G_GUINT64_FORMAT " elements is longer than the data", n);
      return 0;
    }
  return (guint32) n;
}

static void
skip_value (MdThriftReader *r,
            MdThriftType    type,
            gboolean        in_container)
{
  gsize len;

  if (r->error != NULL)
    return;

  switch (type)
    {
    case MD_THRIFT_TRUE:
    case MD_THRIFT_FALSE:
      /* In a field header the value lives in the type; in a container it takes one byte. */
      if (in_container)
        read_byte (r);
      break;
    case MD_THRIFT_BYTE:
      read_byte (r);
      break;
    case MD_THRIFT_I16:
    case MD_THRIFT_I32:
    case MD_THRIFT_I64:
      read_varint (r);
      break;
    case MD_THRIFT_DOUBLE:
      if (r->end - r->p < 8)
        _md_thrift_fail (r, "unexpected end of data in a double");
      else
        r->p += 8;
      break;
    case MD_THRIFT_BINARY:
      _md_thrift_read_binary (r, type, &len);
      break;
    case MD_THRIFT_LIST:
    case MD_THRIFT_SET:
      {
        MdThriftType elem;
        guint32 n = _md_thrift_list_begin (r, type, &elem);

        if (r->depth >= MD_THRIFT_MAX_DEPTH)
          {
            _md_thrift_fail (r, "containers nested more than %d deep", MD_THRIFT_MAX_DEPTH);
            break;
          }
        r->depth++;
        for (guint32 i = 0; i < n && r->error == NULL; i++)
          skip_value (r, elem, TRUE);
        r->depth--;
      }
      break;
    case MD_THRIFT_MAP:
      {
        guint64 n = read_varint (r);
        guint8 kv;

        if (n == 0)
          break;
        kv = read_byte (r);
        if (n > (guint64) (r->end - r->p))
          {
            _md_thrift_fail (r, "map of %" G_GUINT64_FORMAT " entries is longer than the data", n);
            break;
          }
        if (r->depth >= MD_THRIFT_MAX_DEPTH)
          {
            _md_thrift_fail (r, "containers nested more than %d deep", MD_THRIFT_MAX_DEPTH);
            break;
          }
        r->depth++;
        for (guint64 i = 0; i < n && r->error == NULL; i++)
          {
            skip_value (r, kv >> 4, TRUE);
            skip_value (r, kv & 0x0f, TRUE);
          }
        r->depth--;
      }
      break;
    case MD_THRIFT_STRUCT:
      {
        gint16 id;
        MdThriftType ft;

        _md_thrift_struct_begin (r);
        while (_md_thrift_field_begin (r, &id, &ft))
          skip_value (r, ft, FALSE);
        _md_thrift_struct_end (r);
      }
      break;
    case MD_THRIFT_STOP:
    default:
      _md_thrift_fail (r, "cannot skip a value of type %u", type);
      break;
    }
}

void
_md_thrift_skip (MdThriftReader *r,
                 MdThriftType    type)
{
  skip_value (r, type, FALSE);
}
