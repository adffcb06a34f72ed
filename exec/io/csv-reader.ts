// The reader of delimited text files for COPY and loads: CSV, TSV and dbgen's .tbl, with
// PostgreSQL's COPY rules (FORMAT csv and FORMAT text), streamed into Batches of flat vectors in
// the target column types.
//
// It works on bytes: the file is read in large chunks into one reusable Buffer and parsed in
// place. A record that straddles the end of the bytes read so far is parsed again from its start
// once more bytes are in (rows are only committed at the end of a record), so no field is ever
// stitched together from two chunks. Strings are decoded only for VARCHAR fields; integers,
// decimals, doubles, dates and timestamps in their plain forms are parsed from the bytes, and
// everything else falls back to common/text-values.ts, so both paths give the same values and
// the same error messages.
//
// PostgreSQL's CSV rules: an unquoted field equal to the NULL string (default: empty) is NULL, a
// quoted one never is ("" is the empty string); quoted fields may hold delimiters, newlines and
// doubled quotes (or escape+quote when ESCAPE differs); a quote may open anywhere in a field
// (`ab"c,d"` is `abc,d`). Text format: backslash escapes (\t, \n, \\, \N, octal, \xHH), the NULL
// string (default \N) compared before unescaping, `\.` alone on a line ends the data. Both
// accept LF, CR LF and CR line endings, skip a UTF-8 byte-order mark, keep spaces in fields.
// Deviations, on purpose: a blank line is skipped when the table has more than one column
// (PostgreSQL would report missing data), and with the '|' delimiter one empty field after the
// last column is ignored (dbgen's .tbl lines end with '|').

import { open, type FileHandle } from 'node:fs/promises';
import { extname } from 'node:path';
import { type Batch, BATCH_SIZE, makeBatch } from '../../common/batch.js';
import { QuiverError, toQuiverError } from '../../common/errors.js';
import {
  type LogicalType,
  TypeId,
  INT16_MAX,
  INT16_MIN,
  INT32_MAX,
  INT32_MIN,
  INT64_MAX,
  INT64_MIN,
  pow10,
  typeToString,
} from '../../common/types.js';
import { type ColumnData, type Vector, allocData, flatVector, toBigIntData } from '../../common/vector.js';
import {
  MICROS_PER_DAY,
  MICROS_PER_HOUR,
  MICROS_PER_MINUTE,
  MICROS_PER_SECOND,
  daysFromCivil,
  daysInMonth,
  parseBoolean,
  parseDate,
  parseDecimal,
  parseDouble,
  parseInteger,
  parseTimestamp,
} from '../../common/text-values.js';

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
}

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

/**
 * Streams the records of a delimited file as Batches with one flat vector per column, in
 * `columns`' order and types (BIGINT/DECIMAL vectors are Float64Array unless a batch holds a
 * value beyond 2^53, then BigInt64Array). Errors are INVALID_INPUT naming the file, the
 * physical line (1-based) and the field (1-based, with the column's name). NOT NULL is the
 * caller's to check.
 */
export async function* readDelimited(
  path: string,
  columns: DelimitedColumn[],
  options: CsvOptions,
  batchSize: number = BATCH_SIZE,
): AsyncGenerator<Batch> {
  const parser = new DelimitedParser(path, columns, options, batchSize);
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new QuiverError('IO_ERROR', `cannot open ${path}: ${(e as Error).message}`);
  }
  try {
    for (;;) {
      const status = parser.parse();
      if (status === Status.BatchFull) {
        yield parser.takeBatch();
      } else if (status === Status.NeedMore) {
        await parser.fill(fh);
      } else {
        if (parser.rows > 0) yield parser.takeBatch();
        return;
      }
    }
  } finally {
    await fh.close();
  }
}

const enum Status {
  NeedMore,
  BatchFull,
  Done,
}

// How a column's fields are converted.
const enum Kind {
  Boolean,
  SmallInt,
  Integer,
  BigInt,
  Decimal,
  Double,
  Date,
  Timestamp,
  Varchar,
}

const LF = 10;
const CR = 13;
const BACKSLASH = 92;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
/** Digits whose value (and any shift of it by up to 15 - digits places) a double holds exactly. */
const SAFE_DIGITS = 15;
const BOM = [0xef, 0xbb, 0xbf];
const INT64_MIN_BIG = INT64_MIN;
const INT64_MAX_BIG = INT64_MAX;

// Node's Buffer has these undocumented fast paths under toString(); they skip its argument
// normalization, which matters at one call per VARCHAR field.
interface FastBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

function oneByte(value: string, what: string): number {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length !== 1) {
    throw new QuiverError('INVALID_INPUT', `the ${what} must be a single one-byte character, got "${value}"`);
  }
  return bytes[0]!;
}

function kindOf(col: DelimitedColumn): Kind {
  switch (col.type.id) {
    case TypeId.BOOLEAN:
      return Kind.Boolean;
    case TypeId.SMALLINT:
      return Kind.SmallInt;
    case TypeId.INTEGER:
      return Kind.Integer;
    case TypeId.BIGINT:
      return Kind.BigInt;
    case TypeId.DECIMAL:
      return Kind.Decimal;
    case TypeId.REAL:
    case TypeId.DOUBLE:
      return Kind.Double;
    case TypeId.DATE:
      return Kind.Date;
    case TypeId.TIMESTAMP:
    case TypeId.TIMESTAMPTZ:
      return Kind.Timestamp;
    case TypeId.VARCHAR:
      return Kind.Varchar;
    default:
      throw new QuiverError(
        'NOT_SUPPORTED',
        `column "${col.name}" has type ${typeToString(col.type)}, which cannot be read from a file`,
      );
  }
}

/**
 * The parser state for one file. parse() consumes complete records from the bytes in `buf`
 * and stops when the batch is full, when it needs more bytes, or at the end of the data.
 * Invariant: `pos` is always at the start of a record; `line` is that record's first line.
 */
class DelimitedParser {
  // Input bytes: buf[pos, len) is unparsed; `eof` once the file has no more.
  private buf: FastBuffer;
  private pos = 0;
  private len = 0;
  private eof = false;
  private filePos = 0;
  private readonly chunkSize: number;
  private started = false;
  private done = false;
  private headerPending: boolean;
  private line = 1;

  // Options as bytes.
  private readonly csv: boolean;
  private readonly delim: number;
  private readonly quote: number;
  private readonly escape: number;
  private readonly nullBytes: Buffer;
  private readonly ignoreTrailingDelimiter: boolean;

  // Columns and the batch being filled.
  private readonly ncols: number;
  private readonly kinds: Kind[];
  private readonly wide: Uint8Array;
  private data: ColumnData[] = [];
  private validity: (Uint8Array | null)[] = [];
  rows = 0;

  // The current field: its bytes are fieldBuf[fieldStart, fieldEnd) after unquoting and
  // unescaping; rawStart/rawEnd are its bytes in buf as written; fieldAscii whether every byte
  // is < 0x80; fieldQuoted whether a quote was seen; fieldLine the line it starts on.
  private fieldBuf: FastBuffer;
  private fieldStart = 0;
  private fieldEnd = 0;
  private rawStart = 0;
  private rawEnd = 0;
  private fieldAscii = true;
  private fieldQuoted = false;
  private fieldLine = 1;
  private fieldIndex = 0;
  private scratch: FastBuffer = Buffer.allocUnsafe(256) as FastBuffer;

  constructor(
    private readonly path: string,
    private readonly columns: DelimitedColumn[],
    options: CsvOptions,
    private readonly batchSize: number,
  ) {
    if (columns.length === 0) throw new QuiverError('INVALID_INPUT', `no columns to read from ${path}`);
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new QuiverError('INTERNAL_ERROR', `batch size must be a positive integer, got ${batchSize}`);
    }
    this.csv = options.format === 'csv';
    if (!this.csv && options.format !== 'text') {
      throw new QuiverError('INVALID_INPUT', `unknown format "${String(options.format)}"; use csv or text`);
    }
    this.delim = oneByte(options.delimiter, 'delimiter');
    // The text format has no quoting: -1 matches no byte.
    this.quote = this.csv ? oneByte(options.quote, 'quote') : -1;
    this.escape = this.csv && options.escape ? oneByte(options.escape, 'escape') : this.quote;
    if (this.delim === LF || this.delim === CR || (!this.csv && this.delim === BACKSLASH)) {
      throw new QuiverError('INVALID_INPUT', `the delimiter cannot be a newline${this.csv ? '' : ' or a backslash'}`);
    }
    if (this.csv && this.delim === this.quote) {
      throw new QuiverError('INVALID_INPUT', 'the delimiter and the quote must differ');
    }
    this.nullBytes = Buffer.from(options.nullString, 'utf8');
    this.ignoreTrailingDelimiter = this.delim === 124; /* | */
    this.headerPending = options.header;
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    if (!Number.isInteger(this.chunkSize) || this.chunkSize < 1) {
      throw new QuiverError('INTERNAL_ERROR', `chunk size must be a positive integer, got ${this.chunkSize}`);
    }
    this.buf = Buffer.allocUnsafe(this.chunkSize) as FastBuffer;
    this.fieldBuf = this.buf;
    this.ncols = columns.length;
    this.kinds = columns.map(kindOf);
    this.wide = new Uint8Array(this.ncols);
    this.newBatch();
  }

  private newBatch(): void {
    for (let c = 0; c < this.ncols; c++) {
      this.data[c] = allocData(this.columns[c]!.type, this.batchSize);
      this.validity[c] = null;
      this.wide[c] = 0;
    }
    this.rows = 0;
  }

  /** The rows parsed so far as a Batch; the next rows go to new vectors. */
  takeBatch(): Batch {
    const n = this.rows;
    const vectors: Vector[] = [];
    for (let c = 0; c < this.ncols; c++) {
      const d = this.data[c]!;
      const v = this.validity[c]!;
      // A short last batch is copied, so it does not pin full-size arrays.
      const data: ColumnData = n === this.batchSize ? d : d.slice(0, n);
      vectors.push(flatVector(this.columns[c]!.type, data, v === null ? null : v.subarray(0, n)));
    }
    this.newBatch();
    return makeBatch(vectors, n);
  }

  /** Reads the next chunk after moving the unparsed tail to the front (growing the buffer if full). */
  async fill(fh: FileHandle): Promise<void> {
    if (this.pos > 0) {
      this.buf.copyWithin(0, this.pos, this.len);
      this.len -= this.pos;
      this.pos = 0;
    }
    if (this.len === this.buf.length) {
      // One record is larger than the buffer: double it.
      const bigger = Buffer.allocUnsafe(this.buf.length * 2) as FastBuffer;
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
    const want = Math.min(this.chunkSize, this.buf.length - this.len);
    let bytesRead: number;
    try {
      ({ bytesRead } = await fh.read(this.buf, this.len, want, this.filePos));
    } catch (e) {
      throw new QuiverError('IO_ERROR', `cannot read ${this.path}: ${(e as Error).message}`);
    }
    if (bytesRead === 0) this.eof = true;
    this.len += bytesRead;
    this.filePos += bytesRead;
  }

  /** Parses complete records until the batch is full, more bytes are needed, or the data ends. */
  parse(): Status {
    if (!this.started) {
      if (this.len < BOM.length && !this.eof) return Status.NeedMore;
      if (this.len >= BOM.length && this.buf[0] === BOM[0] && this.buf[1] === BOM[1] && this.buf[2] === BOM[2]) {
        this.pos = BOM.length;
      }
      this.started = true;
    }
    for (;;) {
      if (this.done) return Status.Done;
      if (this.rows === this.batchSize) return Status.BatchFull;
      if (this.pos >= this.len) return this.eof ? Status.Done : Status.NeedMore;
      if (!this.record()) return Status.NeedMore;
    }
  }

  /**
   * Parses one record at `pos`. Returns false, with pos and line unchanged, when the record
   * does not end within the bytes read so far; the row slot it wrote to is rewritten then.
   */
  private record(): boolean {
    const buf = this.buf;
    const recStart = this.pos;
    const recLine = this.line;
    const first = buf[recStart]!;
    if ((first === LF || first === CR) && this.ncols > 1) {
      // A blank line: skipped, it cannot be a record of a table with several columns.
      const next = this.lineEnd(recStart);
      if (next < 0) return false;
      this.pos = next;
      this.line++;
      return true;
    }
    const storing = !this.headerPending;
    let field = 0;
    for (;;) {
      this.fieldLine = this.line;
      this.fieldIndex = field;
      const end = this.csv ? this.scanCsvField(this.pos) : this.scanTextField(this.pos);
      if (end < 0) return this.rollback(recStart, recLine);
      const atLineEnd = end >= this.len || buf[end] !== this.delim;
      if (
        !this.csv &&
        field === 0 &&
        atLineEnd &&
        this.rawEnd - this.rawStart === 2 &&
        buf[this.rawStart] === BACKSLASH &&
        buf[this.rawStart + 1] === DOT
      ) {
        // `\.` alone on a line: the end-of-data marker of PostgreSQL's text format.
        this.done = true;
        return true;
      }
      if (storing) {
        if (field < this.ncols) {
          this.store(field);
        } else if (!(field === this.ncols && atLineEnd && this.ignoreTrailingDelimiter && this.rawEnd === this.rawStart)) {
          throw this.error(
            field,
            `extra data after the last expected column: the table has ${this.ncols} column${
              this.ncols === 1 ? '' : 's'
            }`,
          );
        }
      }
      field++;
      if (!atLineEnd) {
        this.pos = end + 1;
        continue;
      }
      if (end >= this.len) {
        this.pos = end; // the last record of a file without a final newline
      } else {
        const next = this.lineEnd(end);
        if (next < 0) return this.rollback(recStart, recLine);
        this.pos = next;
        this.line++;
      }
      break;
    }
    if (!storing) {
      this.headerPending = false;
      return true;
    }
    if (field < this.ncols) {
      this.fieldLine = recLine;
      throw this.error(
        field,
        `missing data: the line has ${field} field${field === 1 ? '' : 's'} but the table has ${this.ncols} columns`,
      );
    }
    this.rows++;
    return true;
  }

  /** The position after the line terminator at `p` (LF, CR LF or CR), or -1 if it needs a byte more. */
  private lineEnd(p: number): number {
    if (this.buf[p] === LF) return p + 1;
    if (p + 1 >= this.len) return this.eof ? p + 1 : -1;
    return this.buf[p + 1] === LF ? p + 2 : p + 1;
  }

  private rollback(recStart: number, recLine: number): false {
    this.pos = recStart;
    this.line = recLine;
    // The row slot may hold NULL flags from the partial record; the retry writes every field.
    const row = this.rows;
    for (let c = 0; c < this.ncols; c++) {
      const v = this.validity[c];
      if (v != null) v[row] = 1;
    }
    return false;
  }

  /**
   * Finds the end of the CSV field starting at `start`: returns the position of its terminator
   * (a delimiter, CR or LF, or len at the end of the data) or -1 when more bytes are needed,
   * and sets the field* members.
   */
  private scanCsvField(start: number): number {
    const buf = this.buf;
    const len = this.len;
    const delim = this.delim;
    const quote = this.quote;
    let hi = 0;
    let p = start;
    while (p < len) {
      const c = buf[p]!;
      if (c === delim || c === LF || c === CR) break;
      if (c === quote) return this.scanCsvQuoted(start, p);
      hi |= c;
      p++;
    }
    if (p >= len && !this.eof) return -1;
    this.fieldBuf = buf;
    this.fieldStart = this.rawStart = start;
    this.fieldEnd = this.rawEnd = p;
    this.fieldAscii = hi < 0x80;
    this.fieldQuoted = false;
    return p;
  }

  /** The general CSV field: quoted segments anywhere, doubled quotes and escapes. */
  private scanCsvQuoted(start: number, firstQuote: number): number {
    const buf = this.buf;
    const len = this.len;
    const delim = this.delim;
    const quote = this.quote;
    const escape = this.escape;
    // Pass 1: find the end; the field is "simple" when it is one quoted segment without
    // escapes, so its content can be used in place.
    let simple = firstQuote === start;
    let inQuote = true;
    let closeQuote = -1;
    let hi = 0;
    let p = firstQuote + 1;
    for (;;) {
      if (p >= len) {
        if (!this.eof) return -1;
        if (inQuote) {
          throw this.error(this.fieldIndex, `unterminated quoted field: the quote opened on line ${this.fieldLine} is never closed`);
        }
        break;
      }
      const c = buf[p]!;
      if (inQuote) {
        if (c === escape && escape !== quote) {
          if (p + 1 >= len && !this.eof) return -1;
          const next = buf[p + 1];
          if (next === quote || next === escape) {
            simple = false;
            p += 2;
            continue;
          }
        } else if (c === quote) {
          if (escape === quote) {
            if (p + 1 >= len && !this.eof) return -1;
            if (buf[p + 1] === quote) {
              simple = false;
              p += 2;
              continue;
            }
          }
          inQuote = false;
          closeQuote = p;
          p++;
          continue;
        } else if (c === LF) {
          this.line++;
        }
        hi |= c;
        p++;
      } else {
        if (c === delim || c === LF || c === CR) break;
        simple = false;
        if (c === quote) inQuote = true;
        else hi |= c;
        p++;
      }
    }
    this.rawStart = start;
    this.rawEnd = p;
    this.fieldAscii = hi < 0x80;
    this.fieldQuoted = true;
    if (simple) {
      this.fieldBuf = buf;
      this.fieldStart = firstQuote + 1;
      this.fieldEnd = closeQuote;
      return p;
    }
    // Pass 2: copy the content without quotes and escapes into the scratch buffer.
    const out = this.scratchFor(p - start);
    let o = 0;
    inQuote = false;
    for (let q = start; q < p; q++) {
      const c = buf[q]!;
      if (!inQuote) {
        if (c === quote) inQuote = true;
        else out[o++] = c;
      } else if (c === escape && escape !== quote && q + 1 < p && (buf[q + 1] === quote || buf[q + 1] === escape)) {
        out[o++] = buf[++q]!;
      } else if (c === quote) {
        if (escape === quote && q + 1 < p && buf[q + 1] === quote) out[o++] = buf[++q]!;
        else inQuote = false;
      } else {
        out[o++] = c;
      }
    }
    this.fieldBuf = out;
    this.fieldStart = 0;
    this.fieldEnd = o;
    return p;
  }

  /** Finds the end of a text-format field; see scanCsvField. */
  private scanTextField(start: number): number {
    const buf = this.buf;
    const len = this.len;
    const delim = this.delim;
    let hi = 0;
    let escaped = false;
    let p = start;
    while (p < len) {
      const c = buf[p]!;
      if (c === delim || c === LF || c === CR) break;
      if (c === BACKSLASH) {
        // A backslash takes the next byte as data, even a delimiter or a newline.
        if (p + 1 >= len) {
          if (!this.eof) return -1;
          p++;
          break;
        }
        escaped = true;
        if (buf[p + 1] === LF) this.line++;
        hi |= buf[p + 1]!;
        p += 2;
        continue;
      }
      hi |= c;
      p++;
    }
    if (p >= len && !this.eof) return -1;
    this.rawStart = start;
    this.rawEnd = p;
    this.fieldQuoted = false;
    if (!escaped) {
      this.fieldBuf = buf;
      this.fieldStart = start;
      this.fieldEnd = p;
      this.fieldAscii = hi < 0x80;
      return p;
    }
    const out = this.scratchFor(p - start);
    let o = 0;
    hi = 0;
    for (let q = start; q < p; q++) {
      let c = buf[q]!;
      if (c === BACKSLASH && q + 1 < p) {
        c = buf[++q]!;
        switch (c) {
          case 98 /* b */:
            c = 8;
            break;
          case 102 /* f */:
            c = 12;
            break;
          case 110 /* n */:
            c = LF;
            break;
          case 114 /* r */:
            c = CR;
            break;
          case 116 /* t */:
            c = 9;
            break;
          case 118 /* v */:
            c = 11;
            break;
          case 120 /* x */: {
            const h1 = hexValue(q + 1 < p ? buf[q + 1]! : -1);
            if (h1 >= 0) {
              q++;
              c = h1;
              const h2 = hexValue(q + 1 < p ? buf[q + 1]! : -1);
              if (h2 >= 0) {
                q++;
                c = c * 16 + h2;
              }
            }
            break;
          }
          default:
            if (c >= ZERO && c <= 55 /* 7 */) {
              let v = c - ZERO;
              for (let k = 0; k < 2 && q + 1 < p && buf[q + 1]! >= ZERO && buf[q + 1]! <= 55; k++) v = v * 8 + (buf[++q]! - ZERO);
              c = v & 0xff;
            }
        }
      }
      out[o++] = c;
      hi |= c;
    }
    this.fieldBuf = out;
    this.fieldStart = 0;
    this.fieldEnd = o;
    this.fieldAscii = hi < 0x80;
    return p;
  }

  private scratchFor(n: number): FastBuffer {
    if (this.scratch.length < n) this.scratch = Buffer.allocUnsafe(Math.max(n, this.scratch.length * 2)) as FastBuffer;
    return this.scratch;
  }

  private isNull(): boolean {
    const nb = this.nullBytes;
    const n = nb.length;
    if (this.fieldQuoted || this.rawEnd - this.rawStart !== n) return false;
    const buf = this.buf;
    const s = this.rawStart;
    for (let k = 0; k < n; k++) if (buf[s + k] !== nb[k]) return false;
    return true;
  }

  /** Converts the current field into row `rows` of column `col`. */
  private store(col: number): void {
    const row = this.rows;
    const data = this.data[col]!;
    if (this.isNull()) {
      let v = this.validity[col];
      if (v == null) {
        v = new Uint8Array(this.batchSize).fill(1);
        this.validity[col] = v;
      }
      v[row] = 0;
      // Null slots hold a harmless value (vector.ts's invariant); a retried record may have
      // written a real one here before.
      if (Array.isArray(data)) data[row] = '';
      else if (data instanceof BigInt64Array) data[row] = 0n;
      else data[row] = 0;
      return;
    }
    const b = this.fieldBuf;
    const s = this.fieldStart;
    const e = this.fieldEnd;
    switch (this.kinds[col]!) {
      case Kind.Varchar:
        (data as string[])[row] = this.fieldAscii ? b.latin1Slice(s, e) : b.utf8Slice(s, e);
        return;
      case Kind.Integer: {
        const v = parseSmallInt(b, s, e);
        (data as Int32Array)[row] = v >= INT32_MIN && v <= INT32_MAX ? v : (this.fallback(col) as number);
        return;
      }
      case Kind.SmallInt: {
        const v = parseSmallInt(b, s, e);
        (data as Int32Array)[row] = v >= INT16_MIN && v <= INT16_MAX ? v : (this.fallback(col) as number);
        return;
      }
      case Kind.BigInt: {
        const v = parseSmallInt(b, s, e);
        this.storeWide(col, Number.isNaN(v) ? (this.fallback(col) as number | bigint) : v);
        return;
      }
      case Kind.Decimal: {
        const t = this.columns[col]!.type;
        const v = parseSmallDecimal(b, s, e, t.precision!, t.scale!);
        this.storeWide(col, Number.isNaN(v) ? (this.fallback(col) as number | bigint) : v);
        return;
      }
      case Kind.Double: {
        const v = parseSmallDouble(b, s, e);
        (data as Float64Array)[row] = Number.isNaN(v) ? (this.fallback(col) as number) : v;
        return;
      }
      case Kind.Date: {
        const v = parsePlainDate(b, s, e);
        (data as Int32Array)[row] = Number.isNaN(v) ? (this.fallback(col) as number) : v;
        return;
      }
      case Kind.Timestamp: {
        const v = parsePlainTimestamp(b, s, e);
        (data as Float64Array)[row] = Number.isNaN(v) ? (this.fallback(col) as number) : v;
        return;
      }
      case Kind.Boolean:
        (data as Uint8Array)[row] = this.fallback(col) as number;
        return;
    }
  }

  /** Stores a BIGINT/DECIMAL value, switching the batch's vector to BigInt64Array past 2^53. */
  private storeWide(col: number, v: number | bigint): void {
    const row = this.rows;
    if (typeof v === 'bigint') {
      if (v < INT64_MIN_BIG || v > INT64_MAX_BIG) {
        throw this.error(col, `value "${this.fieldText()}" is out of range for 64-bit storage of type ${typeToString(this.columns[col]!.type)}`);
      }
      if (this.wide[col] === 0) {
        this.data[col] = toBigIntData(this.data[col]!);
        this.wide[col] = 1;
      }
      (this.data[col] as BigInt64Array)[row] = v;
    } else if (this.wide[col] === 1) {
      (this.data[col] as BigInt64Array)[row] = BigInt(v);
    } else {
      (this.data[col] as Float64Array)[row] = v;
    }
  }

  private fieldText(): string {
    return this.fieldAscii
      ? this.fieldBuf.latin1Slice(this.fieldStart, this.fieldEnd)
      : this.fieldBuf.utf8Slice(this.fieldStart, this.fieldEnd);
  }

  /** The slow path: the field as text through common/text-values.ts, errors located. */
  private fallback(col: number): number | bigint {
    const text = this.fieldText();
    const type = this.columns[col]!.type;
    try {
      switch (this.kinds[col]!) {
        case Kind.Boolean:
          return parseBoolean(text);
        case Kind.SmallInt:
        case Kind.Integer:
        case Kind.BigInt:
          return parseInteger(text, type);
        case Kind.Decimal:
          return parseDecimal(text, type.precision!, type.scale!);
        case Kind.Double:
          return parseDouble(text);
        case Kind.Date:
          return parseDate(text);
        case Kind.Timestamp:
          return parseTimestamp(text);
        case Kind.Varchar:
          break;
      }
    } catch (e) {
      throw this.error(col, toQuiverError(e).message);
    }
    throw new QuiverError('INTERNAL_ERROR', `no text conversion for column ${col + 1}`);
  }

  /** An INVALID_INPUT error at the current field's line, naming field `field` (0-based). */
  private error(field: number, message: string): QuiverError {
    const col = this.columns[field];
    const where = `${this.path} line ${this.fieldLine}, column ${field + 1}${col === undefined ? '' : ` (${col.name})`}`;
    return new QuiverError('INVALID_INPUT', `${where}: ${message}`);
  }
}

function hexValue(c: number): number {
  if (c >= ZERO && c <= 57) return c - ZERO;
  const l = c | 32;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/**
 * A plain integer (optional sign, 1 to 15 digits) from bytes; NaN for anything else, which
 * the caller sends to the general parser (whitespace, long numbers, errors).
 */
function parseSmallInt(b: Buffer, s: number, e: number): number {
  let p = s;
  let negative = false;
  if (p < e) {
    const c = b[p]!;
    if (c === MINUS) {
      negative = true;
      p++;
    } else if (c === PLUS) {
      p++;
    }
  }
  const n = e - p;
  if (n === 0 || n > SAFE_DIGITS) return NaN;
  let v = 0;
  for (; p < e; p++) {
    const d = b[p]! - ZERO;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return negative ? (v === 0 ? 0 : -v) : v;
}

/**
 * A plain decimal 'digits[.digits]' whose scaled value has at most 15 digits and whose
 * fraction fits the scale, scaled by 10^scale; NaN for anything else (exponents, rounding,
 * overflow and errors go to parseDecimal).
 */
function parseSmallDecimal(b: Buffer, s: number, e: number, precision: number, scale: number): number {
  let p = s;
  let negative = false;
  if (p < e && (b[p] === MINUS || b[p] === PLUS)) {
    negative = b[p] === MINUS;
    p++;
  }
  let v = 0;
  let intDigits = 0;
  for (; p < e; p++) {
    const d = b[p]! - ZERO;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
    intDigits++;
  }
  let fracDigits = 0;
  if (p < e && b[p] === DOT) {
    for (p++; p < e; p++) {
      const d = b[p]! - ZERO;
      if (d < 0 || d > 9) return NaN;
      v = v * 10 + d;
      fracDigits++;
    }
  }
  if (p !== e || intDigits + fracDigits === 0 || fracDigits > scale) return NaN;
  if (intDigits > precision - scale || intDigits + scale > SAFE_DIGITS) return NaN;
  v *= pow10(scale - fracDigits);
  return negative ? (v === 0 ? 0 : -v) : v;
}

/**
 * A plain 'digits[.digits]' double with at most 15 significant digits, correctly rounded
 * (an exact integer divided by an exact power of ten); NaN for anything else.
 */
function parseSmallDouble(b: Buffer, s: number, e: number): number {
  let p = s;
  let negative = false;
  if (p < e && (b[p] === MINUS || b[p] === PLUS)) {
    negative = b[p] === MINUS;
    p++;
  }
  let v = 0;
  let digits = 0;
  let fracDigits = 0;
  let seenDot = false;
  for (; p < e; p++) {
    const c = b[p]!;
    if (c === DOT && !seenDot) {
      seenDot = true;
      continue;
    }
    const d = c - ZERO;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
    digits++;
    if (seenDot) fracDigits++;
  }
  if (digits === 0 || digits > SAFE_DIGITS) return NaN;
  if (fracDigits > 0) v /= pow10(fracDigits);
  return negative ? -v : v;
}

/** Two ASCII digits at b[p], or -1. */
function twoDigits(b: Buffer, p: number): number {
  const d1 = b[p]! - ZERO;
  const d2 = b[p + 1]! - ZERO;
  return d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9 ? d1 * 10 + d2 : -1;
}

/** Exactly 'YYYY-MM-DD' from bytes as a day number; NaN for anything else. */
function parsePlainDate(b: Buffer, s: number, e: number): number {
  if (e - s !== 10 || b[s + 4] !== MINUS || b[s + 7] !== MINUS) return NaN;
  const hi = twoDigits(b, s);
  const lo = twoDigits(b, s + 2);
  const month = twoDigits(b, s + 5);
  const day = twoDigits(b, s + 8);
  if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1) return NaN;
  const year = hi * 100 + lo;
  if (year < 1 || day > daysInMonth(year, month)) return NaN;
  return daysFromCivil(year, month, day);
}

/** Exactly 'YYYY-MM-DD HH:MM:SS' (or with 'T') from bytes as microseconds; NaN otherwise. */
function parsePlainTimestamp(b: Buffer, s: number, e: number): number {
  if (e - s !== 19) return NaN;
  const sep = b[s + 10];
  if ((sep !== 32 && sep !== 84) /* ' ' or 'T' */ || b[s + 13] !== 58 || b[s + 16] !== 58) return NaN;
  const days = parsePlainDate(b, s, s + 10);
  const h = twoDigits(b, s + 11);
  const m = twoDigits(b, s + 14);
  const sec = twoDigits(b, s + 17);
  if (Number.isNaN(days) || h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) return NaN;
  return days * MICROS_PER_DAY + h * MICROS_PER_HOUR + m * MICROS_PER_MINUTE + sec * MICROS_PER_SECOND;
}
