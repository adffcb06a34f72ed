// COPY t FROM 'file' (options): reads a CSV/TSV/.tbl or Parquet file into batches of the
// table's column types. Options follow PostgreSQL (FORMAT, DELIMITER, HEADER, QUOTE, ESCAPE,
// NULL); defaults follow the file extension. The caller appends the batches only after the
// whole file was read, so a bad file leaves the table as it was.

import { extname, resolve } from 'node:path';
import { type Batch, makeBatch } from '../common/batch.js';
import { QuiverError, binderError } from '../common/errors.js';
import { type Vector, nullVector } from '../common/vector.js';
import { type CsvOptions, csvDefaults, detectFormatFromPath, readDelimited, textDefaults } from '../exec/io/csv-reader.js';
import { readParquet } from '../exec/io/parquet-reader.js';
import type { TableSchema } from '../storage/table.js';
import type * as A from './ast.js';

/** The file's rows for table `schema`. `sorted`: the rows are bulk loaded into parts sorted by
 *  the table's sort key, so they may come in sorted runs (else in the file's order). */
export async function copyFrom(s: A.CopyStatement, schema: TableSchema, sorted: boolean): Promise<Batch[]> {
  const path = resolve(s.path);
  const names = s.columns ?? schema.columns.map((c) => c.name);
  const positions = names.map((n) => {
    const i = schema.columns.findIndex((c) => c.name === n);
    if (i < 0) throw binderError(`column "${n}" of table "${schema.name}" does not exist`, s.pos);
    return i;
  });
  const columns = positions.map((i) => ({ name: schema.columns[i]!.name, type: schema.columns[i]!.type }));
  const format = String(s.options.format ?? (extname(path).toLowerCase() === '.parquet' ? 'parquet' : '')).toLowerCase();
  // The rows are stored, not computed on: text columns may stay dictionary-encoded, and, when
  // the load sorts them anyway, parsing threads may sort their ranges by the table's sort key
  // (the load merges them). A key column not read is NULL in every row, so it orders nothing.
  // A table in memory or in a transaction keeps the file's order.
  const sortKey = sorted ? schema.sortKey.map((n) => names.indexOf(n)).filter((k) => k >= 0) : [];
  const source = format === 'parquet' ? readParquet(path, columns) : readDelimited(path, columns, { ...csvOptions(s, path, format), dictionaryText: true, sortKey });
  const out: Batch[] = [];
  for await (const b of source) {
    if (b.count === 0) continue;
    if (positions.length === schema.columns.length && positions.every((p, i) => p === i)) {
      out.push(b);
      continue;
    }
    // Columns not named in the COPY column list are NULL.
    const full: Vector[] = schema.columns.map((c, i) => {
      const k = positions.indexOf(i);
      return k < 0 ? nullVector(c.type, b.length) : b.columns[k]!;
    });
    out.push(makeBatch(full, b.length, b.selection));
  }
  return out;
}

function csvOptions(s: A.CopyStatement, path: string, format: string): CsvOptions {
  const o = s.options;
  let base: CsvOptions;
  if (format === 'csv') base = csvDefaults();
  else if (format === 'text') base = textDefaults();
  else if (format === '') {
    // PostgreSQL's COPY has no header by default; the extension picks delimiter and format.
    base = { ...detectFormatFromPath(path), header: false };
  } else throw new QuiverError('INVALID_INPUT', `unknown COPY format "${format}"; use csv, text or parquet`, s.pos);
  const opt = (name: string): string | undefined => (o[name] === undefined ? undefined : String(o[name]));
  const delimiter = opt('delimiter') ?? opt('delim') ?? opt('sep');
  if (delimiter !== undefined) {
    if (delimiter.length !== 1) throw new QuiverError('INVALID_INPUT', 'COPY delimiter must be a single one-byte character', s.pos);
    base.delimiter = delimiter;
  }
  if (o.header !== undefined) base.header = o.header === true || ['true', 'on', '1'].includes(String(o.header).toLowerCase());
  const quote = opt('quote');
  if (quote !== undefined) base.quote = quote;
  const escape = opt('escape');
  if (escape !== undefined) base.escape = escape;
  const nul = opt('null');
  if (nul !== undefined) base.nullString = nul;
  return base;
}
