// The byte-level tokenizer of the delimited-text reader (csv-reader.ts): it splits the bytes of
// a file into records and fields under PostgreSQL's COPY rules and hands each field's bytes to
// its subclass (csv-batch-parser.ts), which converts them into the column's type.
//
// It parses in place the bytes that csv-input.ts reads in chunks. A record that straddles the
// end of the bytes read so far is parsed again from its start once more bytes are in (rows are
// only committed at the end of a record), so no field is ever stitched together from two chunks.
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

import { QuiverError } from '../../common/errors.js';
import { ChunkedInput, type FastBuffer } from './csv-input.js';
import { type CsvOptions, type DelimitedColumn, toByteOptions } from './csv-options.js';

/**
 * A part of a file to parse (parallel parsing, csv-parallel.ts): the records that start at or
 * after `start` and before `stop`, where `start` MUST be the start of a line; a record that
 * starts before `stop` is parsed to its end. Only a range at offset 0 has a byte-order mark or a
 * header. Line numbers count from the range's first line as line 1.
 */
export interface ParseRange {
  readonly start: number;
  readonly stop: number;
}

/**
 * An INVALID_INPUT error at a field of a delimited file. It keeps its place apart, so an error
 * a worker thread found in a range of the file can be told at its line in the whole file.
 */
export class CsvInputError extends QuiverError {
  constructor(
    readonly path: string,
    readonly line: number,
    /** 0-based. */
    readonly field: number,
    readonly columnName: string | undefined,
    readonly detail: string,
  ) {
    const where = `${path} line ${line}, column ${field + 1}${columnName === undefined ? '' : ` (${columnName})`}`;
    super('INVALID_INPUT', `${where}: ${detail}`);
  }
}

/** What parse() stopped at. */
export enum ParseStatus {
  NeedMore,
  BatchFull,
  Done,
}

const LF = 10;
const CR = 13;
const BACKSLASH = 92;
const DOT = 46;
const ZERO = 48;
const BOM = [0xef, 0xbb, 0xbf];

function hexValue(c: number): number {
  if (c >= ZERO && c <= 57) return c - ZERO;
  const l = c | 32;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/**
 * The tokenizer state for one file. parse() consumes complete records from the bytes in `buf`
 * and stops when the batch is full, when it needs more bytes, or at the end of the data.
 * Invariant: `pos` is always at the start of a record; `line` is that record's first line.
 *
 * A subclass MUST store the current field (fieldBuf[fieldStart, fieldEnd), or NULL when
 * isNull()) into row `rows` of column `col` in storeField, and MUST clear in discardRow whatever
 * a partial record left in row `rows` that a retry would not overwrite: a record cut off by the
 * end of the bytes read so far is parsed again, field by field, once more bytes are in.
 */
export abstract class CsvTokenizer extends ChunkedInput {
  private started = false;
  private done = false;
  private headerPending: boolean;
  private line = 1;

  // Options as bytes (see ByteOptions).
  private readonly csv: boolean;
  protected readonly delim: number;
  private readonly quote: number;
  private readonly escape: number;
  protected readonly nullBytes: Buffer;
  protected readonly ignoreTrailingDelimiter: boolean;
  /**
   * The byte that starts quoting (csv) or an escape (text): a field holding it, or a CR, is
   * not plain, so fastRecord leaves its record to record().
   */
  protected readonly specialByte: number;

  // The columns (for the field count and error messages), and the records stored into the
  // current batch: parse() stops when `rows` reaches batchSize.
  protected readonly columns: DelimitedColumn[];
  protected readonly ncols: number;
  protected readonly batchSize: number;
  rows = 0;

  // The current field: its bytes are fieldBuf[fieldStart, fieldEnd) after unquoting and
  // unescaping; rawStart/rawEnd are its bytes in buf as written; fieldAscii whether every byte
  // is < 0x80; fieldQuoted whether a quote was seen; fieldLine the line it starts on.
  protected fieldBuf: FastBuffer;
  protected fieldStart = 0;
  protected fieldEnd = 0;
  private rawStart = 0;
  private rawEnd = 0;
  protected fieldAscii = true;
  private fieldQuoted = false;
  private fieldLine = 1;
  private fieldIndex = 0;
  private scratch: FastBuffer = Buffer.allocUnsafe(256) as FastBuffer;

  // Where parsing stops (ParseRange.stop); Infinity for the whole file.
  private readonly stop: number;

  constructor(path: string, columns: DelimitedColumn[], options: CsvOptions, batchSize: number, range: ParseRange | null = null) {
    if (columns.length === 0) throw new QuiverError('INVALID_INPUT', `no columns to read from ${path}`);
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new QuiverError('INTERNAL_ERROR', `batch size must be a positive integer, got ${batchSize}`);
    }
    const bytes = toByteOptions(options);
    super(path, bytes.chunkSize, range?.start ?? 0);
    this.stop = range?.stop ?? Infinity;
    // A range after the file's start begins on a record: no byte-order mark, no header.
    if (range !== null && range.start > 0) this.started = true;
    this.columns = columns;
    this.batchSize = batchSize;
    this.csv = bytes.csv;
    this.delim = bytes.delim;
    this.quote = bytes.quote;
    this.escape = bytes.escape;
    this.nullBytes = bytes.nullBytes;
    this.ignoreTrailingDelimiter = bytes.ignoreTrailingDelimiter;
    this.specialByte = bytes.csv ? bytes.quote : BACKSLASH;
    this.headerPending = bytes.header && (range === null || range.start === 0);
    this.fieldBuf = this.buf;
    this.ncols = columns.length;
  }

  /** The file offset parsing reached: the end of the last record parsed. */
  get offset(): number {
    return this.offsetOf(this.pos);
  }

  /** Lines parsed (the line terminators passed). */
  get linesParsed(): number {
    return this.line - 1;
  }

  /** The data ended at PostgreSQL's `\.` marker. */
  get endMarkerSeen(): boolean {
    return this.done;
  }

  /** Converts the current field into row `rows` of column `col` (0-based). */
  protected abstract storeField(col: number): void;

  /** Undoes what a partial record stored in row `rows`, before the record is parsed again. */
  protected abstract discardRow(): void;

  /**
   * The fast path for one plain record at `pos` (no quotes, escapes, CRs or NULLs, every value
   * in its plain form, ending with LF within the bytes read): stores it into row `rows`, moves
   * `pos` past it and returns true. Anything else MUST return false with `pos` unchanged and
   * row `rows` as discardRow leaves it; record() then parses the record and reports its errors.
   */
  protected abstract fastRecord(): boolean;

  /** Parses complete records until the batch is full, more bytes are needed, or the data ends. */
  parse(): ParseStatus {
    if (!this.started) {
      if (this.len < BOM.length && !this.eof) return ParseStatus.NeedMore;
      if (this.len >= BOM.length && this.buf[0] === BOM[0] && this.buf[1] === BOM[1] && this.buf[2] === BOM[2]) {
        this.pos = BOM.length;
      }
      this.started = true;
    }
    for (;;) {
      if (this.done) return ParseStatus.Done;
      if (this.rows === this.batchSize) return ParseStatus.BatchFull;
      if (this.offsetOf(this.pos) >= this.stop) return ParseStatus.Done;
      if (this.pos >= this.len) return this.eof ? ParseStatus.Done : ParseStatus.NeedMore;
      if (!this.headerPending && this.fastRecord()) {
        this.rows++;
        this.line++;
        continue;
      }
      if (!this.record()) return ParseStatus.NeedMore;
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
          this.storeField(field);
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
    this.discardRow();
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

  /** Is the current field the NULL string (unquoted, compared as written)? */
  protected isNull(): boolean {
    const nb = this.nullBytes;
    const n = nb.length;
    if (this.fieldQuoted || this.rawEnd - this.rawStart !== n) return false;
    const buf = this.buf;
    const s = this.rawStart;
    for (let k = 0; k < n; k++) if (buf[s + k] !== nb[k]) return false;
    return true;
  }


  /** The current field as a string (for messages and the slow path). */
  protected fieldText(): string {
    return this.fieldAscii
      ? this.fieldBuf.latin1Slice(this.fieldStart, this.fieldEnd)
      : this.fieldBuf.utf8Slice(this.fieldStart, this.fieldEnd);
  }

  /** An INVALID_INPUT error at the current field's line, naming field `field` (0-based). */
  protected error(field: number, message: string): CsvInputError {
    return new CsvInputError(this.path, this.fieldLine, field, this.columns[field]?.name, message);
  }
}
