// SPDX-License-Identifier: GPL-3.0-or-later
// Writes the DuckDB fixtures of test-parquet-delta beside this file. Run with
//   npm install @duckdb/node-api@1.5.6-r.1 && node make-fixtures.mjs
// DuckDB writes V2 data pages with DELTA_LENGTH_BYTE_ARRAY strings when asked for
// PARQUET_VERSION V2 with dictionaries turned off.
import { DuckDBInstance } from '@duckdb/node-api';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
// Image i: the PNG signature, then chr(65 + i % 26) repeated 20 + i times, in base64.
await c.run(`CREATE TABLE t AS SELECT 'DK_IMG_' || lpad(i::VARCHAR, 5, '0') AS id,
  base64('\\x89PNG\\x0D\\x0A\\x1A\\x0A'::BLOB ||
         repeat(chr((65 + (i % 26))::INTEGER), (20 + i)::INTEGER)::BLOB) AS base64
  FROM range(300) r(i)`);
await c.run(`COPY t TO '${here}/DK.parquet' (FORMAT parquet, PARQUET_VERSION V2,
  DICTIONARY_COMPRESSION_RATIO_THRESHOLD -1, COMPRESSION snappy, ROW_GROUP_SIZE 200)`);
const r = await c.runAndReadAll(`SELECT DISTINCT path_in_schema, encodings
  FROM parquet_metadata('${here}/DK.parquet')`);
console.log(JSON.stringify(r.getRowObjects()));

// DKN: every fifth image is null. DKZ: an id on every row and no image at all.
await c.run(`COPY (SELECT replace(id, 'DK_', 'DKN_') AS id,
  CASE WHEN i % 5 = 0 THEN NULL ELSE base64 END AS base64
  FROM (SELECT *, row_number() OVER () - 1 AS i FROM t) LIMIT 50)
  TO '${here}/DKN.parquet' (FORMAT parquet, PARQUET_VERSION V2,
  DICTIONARY_COMPRESSION_RATIO_THRESHOLD -1)`);
await c.run(`COPY (SELECT replace(id, 'DK_', 'DKZ_') AS id, NULL::VARCHAR AS base64 FROM t LIMIT 20)
  TO '${here}/DKZ.parquet' (FORMAT parquet, PARQUET_VERSION V2)`);
