// The options of the delimited-text reader (csv-reader.ts) and their defaults: PostgreSQL's
// COPY defaults for FORMAT csv and FORMAT text, the format implied by a file's extension, and
// the options checked and turned into the bytes the tokenizer compares.

import { extname } from 'node:path';
import { QuiverError } from '../../common/errors.js';
import type { LogicalType } from '../../common/types.js';

export interface CsvOptions {
  /** One byte. ',' for CSV, '\t' for TSV and the text format, '|' for .tbl. */
  delimiter: string;
  /** Skip the first record. */
  header: boolean;
  /** One byte (csv format only). */
  quote: string;
  /** One byte (csv format only); undefined or '' means the same as `quote` (doubled quotes). */
  escape?: string;
  /** Fields equal to it are NULL: unquoted fields in csv, raw (before unescaping) in text. */
  nullString: string;
  format: 'csv' | 'text';
  /** Bytes per read; the default is DEFAULT_CHUNK_SIZE. Tests make it tiny to split records. */
  chunkSize?: number;
  /**
   * Worker threads that parse ranges of the file (csv-parallel.ts); 1 parses on the calling
   * thread. Default: one per core for files of at least PARALLEL_MIN_BYTES, else 1.
   */
  threads?: number;
  /**
   * VARCHAR columns may come as dictionary vectors over their distinct values (when parsed in
   * worker threads and every value of a batch was interned): for loads, which sort and encode
   * the rows, where millions of strings per column would only burden the garbage collector.
   */
  dictionaryText?: boolean;
  /**
   * Positions in the columns read of the key the rows will be sorted by (a bulk load's table
   * sort key). Worker threads then sort their ranges by it (csv-range-sort.ts), so the rows
   * come as one sorted run per range, ties in file order, which the load merges: the rows are
   * NOT in file order then. The calling thread reads in file order.
   */
  sortKey?: readonly number[];
}

/** Files smaller than this are parsed on the calling thread: starting workers would cost more. */
export const PARALLEL_MIN_BYTES = 8 << 20;
/** Most worker threads one file is parsed with. */
export const MAX_PARSE_THREADS = 8;

export interface DelimitedColumn {
  name: string;
  type: LogicalType;
}

/** Bytes read from the file at a time. */
export const DEFAULT_CHUNK_SIZE = 4 << 20;

/** PostgreSQL's defaults for COPY ... (FORMAT csv). */
export function csvDefaults(): CsvOptions {
  return { delimiter: ',', header: false, quote: '"', nullString: '', format: 'csv' };
}

/** PostgreSQL's defaults for COPY ... (FORMAT text). */
export function textDefaults(): CsvOptions {
  return { delimiter: '\t', header: false, quote: '"', nullString: '\\N', format: 'text' };
}

/**
 * Options by file extension: .csv is CSV with a header row; .tsv is PostgreSQL's text format
 * (tab-delimited, \N for NULL, backslash escapes: what COPY TO writes) without a header;
 * .tbl is dbgen's '|'-delimited data without a header. Anything else is headerless CSV.
 */
export function detectFormatFromPath(path: string): CsvOptions {
  switch (extname(path).toLowerCase()) {
    case '.csv':
      return { ...csvDefaults(), header: true };
    case '.tsv':
    case '.tab':
      return textDefaults();
    case '.tbl':
      return { ...csvDefaults(), delimiter: '|' };
    default:
      return csvDefaults();
  }
}

/** The options as the tokenizer (csv-tokenizer.ts) reads them: checked, characters as bytes. */
export interface ByteOptions {
  csv: boolean;
  delim: number;
  /** -1 in the text format, which has no quoting: it matches no byte. */
  quote: number;
  /** The same as `quote` unless ESCAPE names another byte. */
  escape: number;
  nullBytes: Buffer;
  /** With the '|' delimiter one empty field after the last column is ignored (dbgen's .tbl). */
  ignoreTrailingDelimiter: boolean;
  header: boolean;
  chunkSize: number;
}

const LF = 10;
const CR = 13;
const BACKSLASH = 92;
const PIPE = 124;

function oneByte(value: string, what: string): number {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length !== 1) {
    throw new QuiverError('INVALID_INPUT', `the ${what} must be a single one-byte character, got "${value}"`);
  }
  return bytes[0]!;
}

/** Checks the options (an INVALID_INPUT error names the wrong one) and turns them into bytes. */
export function toByteOptions(options: CsvOptions): ByteOptions {
  const csv = options.format === 'csv';
  if (!csv && options.format !== 'text') {
    throw new QuiverError('INVALID_INPUT', `unknown format "${String(options.format)}"; use csv or text`);
  }
  const delim = oneByte(options.delimiter, 'delimiter');
  const quote = csv ? oneByte(options.quote, 'quote') : -1;
  const escape = csv && options.escape ? oneByte(options.escape, 'escape') : quote;
  if (delim === LF || delim === CR || (!csv && delim === BACKSLASH)) {
    throw new QuiverError('INVALID_INPUT', `the delimiter cannot be a newline${csv ? '' : ' or a backslash'}`);
  }
  if (csv && delim === quote) {
    throw new QuiverError('INVALID_INPUT', 'the delimiter and the quote must differ');
  }
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new QuiverError('INTERNAL_ERROR', `chunk size must be a positive integer, got ${chunkSize}`);
  }
  return {
    csv,
    delim,
    quote,
    escape,
    nullBytes: Buffer.from(options.nullString, 'utf8'),
    ignoreTrailingDelimiter: delim === PIPE,
    header: options.header,
    chunkSize,
  };
}
