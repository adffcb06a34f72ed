// The CSV sniffer behind read_csv: like DuckDB's, it reads a sample from the start of the file
// (SAMPLE_BYTES, at most SAMPLE_ROWS records) and detects what the caller did not give: the
// delimiter (',', '|', ';' or tab: the one that splits the first lines into the same number of
// fields, the most fields winning), the column types (per column the first of BOOLEAN, BIGINT,
// DOUBLE, DATE, TIMESTAMP that every non-NULL sample value fits, else VARCHAR) and whether the
// first record is a header. Header rule: when a typed column's first value does not fit its type,
// the first record is a header; when every column is VARCHAR, it is one if its values are all
// non-empty and distinct and the file has more records. Columns without a header are named
// column0, column1, ... (zero-padded to the same width, as DuckDB). The sample is tokenized by the
// same tokenizer that reads the file (csv-tokenizer.ts), every field as VARCHAR.

import { closeSync, openSync, readSync } from 'node:fs';
import { QuiverError } from '../../common/errors.js';
import { BATCH_SIZE } from '../../common/batch.js';
import { type LogicalType, T } from '../../common/types.js';
import { getScalar } from '../../common/vector.js';
import { CsvBatchParser } from './csv-batch-parser.js';
import type { FastBuffer } from './csv-input.js';
import { type CsvOptions, type DelimitedColumn, csvDefaults } from './csv-options.js';

/** Bytes of the file the sniffer reads. */
export const SAMPLE_BYTES = 1 << 20;
/** Records of the sample that decide the types (DuckDB's default sample size). */
export const SAMPLE_ROWS = 20480;
/** Lines compared when detecting the delimiter. */
const DELIMITER_LINES = 10;
const DELIMITERS = [',', '|', ';', '\t'];

export interface SniffOptions {
  delimiter?: string;
  header?: boolean;
  quote?: string;
  escape?: string;
  nullString?: string;
  /** false: no type detection (every column VARCHAR); the header still defaults to detection. */
  autoDetect: boolean;
}

export interface SniffResult {
  options: CsvOptions;
  columns: DelimitedColumn[];
}

/** Sniffs the file at `path` (synchronously: binding a query needs the columns). */
export function sniffCsv(path: string, given: SniffOptions): SniffResult {
  const { bytes, whole } = readSample(path);
  const quote = given.quote ?? '"';
  const delimiter = given.delimiter ?? detectDelimiter(bytes, quote);
  const options: CsvOptions = { ...csvDefaults(), delimiter, quote, nullString: given.nullString ?? '' };
  if (given.escape !== undefined) options.escape = given.escape;
  const ncols = fieldsOfFirstRecord(bytes, delimiter, quote);
  const records = sampleRecords(path, bytes, whole, ncols, options);
  if (records.length === 0) throw new QuiverError('INVALID_INPUT', `read_csv: ${path} is empty; give it a header or rows`);
  const first = records[0]!;
  const types: LogicalType[] = [];
  for (let c = 0; c < ncols; c++) types.push(given.autoDetect ? detectType(records, c) : T.VARCHAR);
  const header = given.header ?? detectHeader(records, types);
  if (header && given.autoDetect) {
    // The types come from the records after the header.
    for (let c = 0; c < ncols; c++) types[c] = detectType(records, c, 1);
  }
  options.header = header;
  const width = String(Math.max(0, ncols - 1)).length;
  const names = first.map((v, c) => (header && v !== null && v !== '' ? v : `column${String(c).padStart(width, '0')}`));
  return { options, columns: dedupe(names).map((name, c) => ({ name, type: types[c]! })) };
}

function readSample(path: string): { bytes: Buffer; whole: boolean } {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(SAMPLE_BYTES + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, n);
      if (got === 0) break;
      n += got;
      if (n === buf.length) break;
    }
    return { bytes: buf.subarray(0, Math.min(n, SAMPLE_BYTES)), whole: n <= SAMPLE_BYTES };
  } finally {
    closeSync(fd);
  }
}

/** Field counts of the first lines for one delimiter, quotes respected (quoted line ends too). */
function fieldCounts(bytes: Buffer, delimiter: string, quote: string, maxLines: number): number[] {
  const d = delimiter.charCodeAt(0);
  const q = quote.charCodeAt(0);
  const counts: number[] = [];
  let fields = 1;
  let quoted = false;
  let empty = true;
  for (let i = 0; i < bytes.length && counts.length < maxLines; i++) {
    const b = bytes[i]!;
    if (b === q) quoted = !quoted;
    else if (quoted) continue;
    else if (b === d) fields++;
    else if (b === 10) {
      if (!empty) counts.push(fields);
      fields = 1;
      empty = true;
      continue;
    } else if (b === 13) continue;
    empty = false;
  }
  if (!empty && counts.length < maxLines) counts.push(fields);
  return counts;
}

function detectDelimiter(bytes: Buffer, quote: string): string {
  let best = ',';
  let bestFields = 1;
  for (const d of DELIMITERS) {
    const counts = fieldCounts(bytes, d, quote, DELIMITER_LINES);
    if (counts.length === 0 || counts.some((n) => n !== counts[0])) continue;
    if (counts[0]! > bestFields) {
      best = d;
      bestFields = counts[0]!;
    }
  }
  return best;
}

function fieldsOfFirstRecord(bytes: Buffer, delimiter: string, quote: string): number {
  return fieldCounts(bytes, delimiter, quote, 1)[0] ?? 1;
}

/** The tokenizer fed from the sample in memory instead of from the file. */
class SampleParser extends CsvBatchParser {
  feed(bytes: Buffer, whole: boolean): void {
    this.buf = bytes as FastBuffer;
    this.pos = 0;
    this.len = bytes.length;
    this.eof = whole;
  }
}

/** The sample's complete records, every field as text or NULL. */
function sampleRecords(path: string, bytes: Buffer, whole: boolean, ncols: number, options: CsvOptions): (string | null)[][] {
  const columns = Array.from({ length: ncols }, (_, c) => ({ name: `column${c}`, type: T.VARCHAR }));
  const parser = new SampleParser(path, columns, { ...options, header: false }, Math.min(SAMPLE_ROWS, BATCH_SIZE));
  parser.feed(bytes, whole);
  // BatchFull: the sample is large enough; NeedMore: the rest of the sample is a partial record.
  parser.parse();
  const batch = parser.takeBatch();
  const out: (string | null)[][] = [];
  for (let r = 0; r < batch.length; r++) {
    out.push(batch.columns.map((v) => getScalar(v, r) as string | null));
  }
  return out;
}

const BOOLEAN = /^(true|false)$/i;
const INTEGER = /^[+-]?\d{1,18}$/;
const DOUBLE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$/;
const CANDIDATES: [RegExp, LogicalType][] = [
  [BOOLEAN, T.BOOLEAN],
  [INTEGER, T.BIGINT],
  [DOUBLE, T.DOUBLE],
  [DATE, T.DATE],
  [TIMESTAMP, T.TIMESTAMP],
];

function fits(value: string, pattern: RegExp): boolean {
  if (!pattern.test(value)) return false;
  if (pattern === DATE || pattern === TIMESTAMP) {
    const m = Number(value.slice(5, 7));
    const d = Number(value.slice(8, 10));
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
  }
  return true;
}

function detectType(records: (string | null)[][], c: number, from = 0): LogicalType {
  let candidate = 0;
  let seen = false;
  for (let r = from; r < records.length && candidate < CANDIDATES.length; r++) {
    const v = records[r]![c];
    if (v === null || v === undefined) continue;
    seen = true;
    while (candidate < CANDIDATES.length && !fits(v, CANDIDATES[candidate]![0])) candidate++;
  }
  if (!seen || candidate === CANDIDATES.length) return T.VARCHAR;
  return CANDIDATES[candidate]![1];
}

function detectHeader(records: (string | null)[][], types: LogicalType[]): boolean {
  if (records.length < 2) return false;
  const first = records[0]!;
  // Types detected with the first record included: recompute without it to see whether the
  // first record alone breaks a typed column.
  for (let c = 0; c < types.length; c++) {
    const rest = detectType(records, c, 1);
    if (rest === T.VARCHAR) continue;
    const v = first[c];
    const pattern = CANDIDATES.find(([, t]) => t === rest)![0];
    if (v !== null && v !== undefined && !fits(v, pattern)) return true;
  }
  if (types.some((t) => t !== T.VARCHAR)) return false;
  return first.every((v) => v !== null && v !== '') && new Set(first).size === first.length;
}

function dedupe(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((n) => {
    let name = n;
    for (let i = 1; seen.has(name); i++) name = `${n}_${i}`;
    seen.add(name);
    return name;
  });
}
