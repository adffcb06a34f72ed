// COPY t [(cols)] TO 'file' (options) and COPY (query) TO 'file' (options): streams the rows of a
// table or query into a file, batch by batch, written atomically (exec/io/atomic-file.ts: a
// failed COPY TO leaves no file behind). Formats: csv (PostgreSQL's quoting; options HEADER,
// DELIMITER, QUOTE) and ndjson (DuckDB's JSON values; exec/io/text-writers.ts). Without FORMAT
// the extension decides, as for COPY FROM: .ndjson/.jsonl/.json are ndjson, .parquet parquet,
// anything else CSV (a .tbl file '|'-delimited). HEADER is off unless asked for, as in PostgreSQL
// and as COPY FROM reads files back (DuckDB writes a header by default: say HEADER there).
// parquet: exec/io/parquet-writer.ts.

import { extname } from 'node:path';
import type { Batch } from '../common/batch.js';
import { QuiverError } from '../common/errors.js';
import type { LogicalType } from '../common/types.js';
import { AtomicFile } from '../exec/io/atomic-file.js';
import { detectFormatFromPath } from '../exec/io/csv-options.js';
import { ParquetFileWriter } from '../exec/io/parquet-writer.js';
import { csvEncoder, ndjsonEncoder, type RowEncoder } from '../exec/io/text-writers.js';
import type * as A from './ast.js';

const FORMATS = 'csv, ndjson (or json), parquet';
const OPTIONS = ['format', 'header', 'delimiter', 'delim', 'sep', 'quote'];

/** The query COPY t [(cols)] TO reads: the table's columns, or those named, in that order. */
export function copyToSql(s: A.CopyToStatement): string {
  const ident = (n: string) => `"${n.replace(/"/g, '""')}"`;
  const cols = s.columns === undefined ? '*' : s.columns.map(ident).join(', ');
  return `SELECT ${cols} FROM ${ident(s.table!)}`;
}

/** Writes `rows` to the statement's file; the number of rows written. */
export async function copyTo(s: A.CopyToStatement, names: string[], types: LogicalType[], rows: AsyncIterable<Batch>): Promise<number> {
  const encoder = encoderFor(s, names, types);
  const file = await AtomicFile.create(s.path);
  let count = 0;
  try {
    if (encoder === 'parquet') {
      const writer = new ParquetFileWriter(file, names, types);
      for await (const b of rows) {
        if (b.count === 0) continue;
        await writer.add(b);
        count += b.count;
      }
      await writer.finish();
    } else {
      await file.write(encoder.header());
      for await (const b of rows) {
        if (b.count === 0) continue;
        await file.write(encoder.batch(b));
        count += b.count;
      }
    }
    await file.commit();
  } catch (e) {
    await file.abort();
    throw e;
  }
  return count;
}

function encoderFor(s: A.CopyToStatement, names: string[], types: LogicalType[]): RowEncoder | 'parquet' {
  const o = s.options;
  for (const name of Object.keys(o)) {
    if (!OPTIONS.includes(name)) throw invalid(`COPY TO has no option "${name}"; its options are: ${OPTIONS.join(', ')}`, s);
  }
  const ext = extname(s.path).toLowerCase();
  const given = o.format === undefined ? undefined : String(o.format).toLowerCase();
  const format = given ?? (['.ndjson', '.jsonl', '.json'].includes(ext) ? 'ndjson' : ext === '.parquet' ? 'parquet' : 'csv');
  if (format === 'parquet' || format === 'ndjson' || format === 'json') {
    const extra = Object.keys(o).find((k) => k !== 'format');
    if (extra !== undefined) throw invalid(`COPY TO option "${extra}" does not apply to FORMAT ${format}`, s);
    return format === 'parquet' ? 'parquet' : ndjsonEncoder(names, types);
  }
  if (format !== 'csv') throw invalid(`COPY TO cannot write FORMAT ${format}; the formats are: ${FORMATS}`, s);
  if (given === undefined && (ext === '.tsv' || ext === '.tab')) {
    // COPY FROM reads these as PostgreSQL's text format, which COPY TO does not write.
    throw invalid(`COPY TO cannot write PostgreSQL's text format (${ext}); give (FORMAT csv, DELIMITER '\t')`, s);
  }
  const text = (k: string) => (o[k] === undefined ? undefined : String(o[k]));
  const delimiter = text('delimiter') ?? text('delim') ?? text('sep') ?? (given === undefined ? detectFormatFromPath(s.path).delimiter : ',');
  const quote = text('quote') ?? '"';
  if ([...delimiter].length !== 1) throw invalid(`COPY TO delimiter must be one character, got "${delimiter}"`, s);
  if ([...quote].length !== 1) throw invalid(`COPY TO quote must be one character, got "${quote}"`, s);
  if (delimiter === quote || delimiter === '\n' || delimiter === '\r') throw invalid('COPY TO delimiter must differ from the quote and from line ends', s);
  const header = o.header !== undefined && (o.header === true || ['true', 'on', '1'].includes(String(o.header).toLowerCase()));
  return csvEncoder(names, types, { delimiter, quote, header });
}

function invalid(message: string, s: A.CopyToStatement): QuiverError {
  return new QuiverError('INVALID_INPUT', message, s.pos);
}
