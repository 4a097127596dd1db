// SPDX-License-Identifier: GPL-3.0-or-later
//
// An independent Parquet reader for the export tests: DuckDB (from the npm registry) reads each
// image store given on the command line and prints, as one JSON document, for every file its
// schema, its key-value metadata, its row groups and every row (in file order).
//
//   node read-parquet.mjs NODE_MODULES_DIR FILE.parquet...

import { createRequire } from 'node:module';
import path from 'node:path';

const [modules, ...files] = process.argv.slice(2);
const require = createRequire(path.join(modules, 'x.js'));
const { DuckDBInstance } = require('@duckdb/node-api');

function quote(text) {
  return "'" + text.replaceAll("'", "''") + "'";
}

const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
const out = {};
for (const file of files) {
  const q = quote(file);
  const schema = (await conn.runAndReadAll(
    `SELECT name, type, repetition_type, converted_type FROM parquet_schema(${q})`)).getRowObjectsJson();
  const kv = (await conn.runAndReadAll(
    `SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata(${q})`)).getRowObjectsJson();
  const groups = (await conn.runAndReadAll(
    `SELECT row_group_id, max(row_group_num_rows) AS num_rows FROM parquet_metadata(${q}) ` +
    `GROUP BY row_group_id ORDER BY row_group_id`)).getRowObjectsJson();
  const rows = (await conn.runAndReadAll(`SELECT * FROM read_parquet(${q})`)).getRowObjectsJson();
  out[file] = { schema, kv, groups, rows };
}
process.stdout.write(JSON.stringify(out));
