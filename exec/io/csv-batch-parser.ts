// The delimited-text reader's conversion of fields into Batches: each field the tokenizer
// (csv-tokenizer.ts) finds goes into its column's typed vector. Strings are decoded only for
// VARCHAR fields; integers, decimals, doubles, dates and timestamps in their plain forms are
// parsed from the bytes (csv-field-decoders.ts), and everything else falls back to
// common/text-values.ts, so both paths give the same values and the same error messages.

import { type Batch, makeBatch } from '../../common/batch.js';
import { QuiverError, toQuiverError } from '../../common/errors.js';
import { TypeId, INT16_MAX, INT16_MIN, INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN, typeToString } from '../../common/types.js';
import { type ColumnData, type Vector, allocData, flatVector, toBigIntData } from '../../common/vector.js';
import { parseBoolean, parseDate, parseDecimal, parseDouble, parseInteger, parseTimestamp } from '../../common/text-values.js';
import {
  parsePlainDate,
  parsePlainTimestamp,
  parseSmallDecimal,
  parseSmallDouble,
  parseSmallInt,
} from './csv-field-decoders.js';
import type { FastBuffer } from './csv-input.js';
import type { CsvOptions, DelimitedColumn } from './csv-options.js';
import { EncodedTextColumn, type EncodedText, StringColumn } from './csv-text-columns.js';
import { CsvTokenizer, type ParseRange } from './csv-tokenizer.js';

/**
 * A batch as a worker thread sends it (csv-worker.ts): per column its typed array and validity,
 * or for VARCHAR its EncodedText; every array can be transferred.
 */
export interface EncodedBatch {
  readonly rows: number;
  readonly columns: readonly { readonly data: Exclude<ColumnData, string[]> | EncodedText; readonly validity: Uint8Array | null }[];
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
const MINUS = 45;
const ZERO = 48;
/** Digits of an integer the fast path decodes: a double holds every such value exactly. */
const SAFE_DIGITS = 15;

const NO_INTS = new Int32Array(0);
const INT64_MIN_BIG = INT64_MIN;
const INT64_MAX_BIG = INT64_MAX;

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

/** The parser for one file: the tokenizer's fields, converted into the batch being filled. */
export class CsvBatchParser extends CsvTokenizer {
  // The batch being filled: a vector per column; `wide` marks BIGINT/DECIMAL vectors switched
  // to BigInt64Array.
  private readonly kinds: Kind[];
  private readonly wide: Uint8Array;
  // Non-VARCHAR columns' arrays (VARCHAR slots unused), and the VARCHAR columns (others null).
  private data: ColumnData[] = [];
  // The same arrays of the INTEGER and SMALLINT columns (an empty one for the others), in an
  // array of one type, so fastRecord's stores are monomorphic.
  private ints: Int32Array[] = [];
  private readonly text: (StringColumn | EncodedTextColumn | null)[];
  private validity: (Uint8Array | null)[] = [];

  /**
   * `encoded`: VARCHAR values as EncodedText, for takeEncoded (a worker thread); else strings,
   * for takeBatch.
   */
  constructor(path: string, columns: DelimitedColumn[], options: CsvOptions, batchSize: number, range: ParseRange | null = null, encoded = false) {
    super(path, columns, options, batchSize, range);
    this.kinds = columns.map(kindOf);
    this.wide = new Uint8Array(this.ncols);
    this.text = this.kinds.map((k) => (k !== Kind.Varchar ? null : encoded ? new EncodedTextColumn(batchSize) : new StringColumn(batchSize)));
    this.newBatch();
  }

  private newBatch(): void {
    for (let c = 0; c < this.ncols; c++) {
      if (this.text[c] === null) this.data[c] = allocData(this.columns[c]!.type, this.batchSize);
      const k = this.kinds[c]!;
      this.ints[c] = k === Kind.Integer || k === Kind.SmallInt ? (this.data[c] as Int32Array) : NO_INTS;
      this.validity[c] = null;
      this.wide[c] = 0;
    }
    this.rows = 0;
  }

  /** Column c's first n values; a short last batch is copied, so it does not pin full-size arrays. */
  private takeData(c: number, n: number): Exclude<ColumnData, string[]> {
    const d = this.data[c] as Exclude<ColumnData, string[]>;
    return n === this.batchSize ? d : d.slice(0, n);
  }

  /** The rows parsed so far as a Batch; the next rows go to new vectors. */
  takeBatch(): Batch {
    const n = this.rows;
    const vectors: Vector[] = [];
    for (let c = 0; c < this.ncols; c++) {
      const t = this.text[c];
      const v = this.validity[c]!;
      const data: ColumnData = t === null ? this.takeData(c, n) : (t as StringColumn).take(n);
      vectors.push(flatVector(this.columns[c]!.type, data, v === null ? null : v.subarray(0, n)));
    }
    this.newBatch();
    return makeBatch(vectors, n);
  }

  /** The rows parsed so far as an EncodedBatch (a parser made with `encoded`). */
  takeEncoded(): EncodedBatch {
    const n = this.rows;
    const columns: EncodedBatch['columns'][number][] = [];
    for (let c = 0; c < this.ncols; c++) {
      const t = this.text[c];
      const v = this.validity[c]!;
      columns.push({ data: t === null ? this.takeData(c, n) : (t as EncodedTextColumn).take(n), validity: v === null ? null : v.slice(0, n) });
    }
    this.newBatch();
    return { rows: n, columns };
  }

  /**
   * The fast path of a plain record (see CsvTokenizer.fastRecord): one pass over its bytes that
   * finds each delimiter and decodes integers digit by digit as it goes, the other values with
   * the byte decoders. It gives up on anything unusual (a NULL, a sign other than a leading
   * '-', more than 15 digits, a value out of range, a quote, escape or CR, a field count other
   * than the table's), and record() parses that record again: the same values, and its errors.
   */
  protected override fastRecord(): boolean {
    const buf = this.buf;
    const len = this.len;
    const delim = this.delim;
    const special = this.specialByte;
    const nullBytes = this.nullBytes;
    const nullLength = nullBytes.length;
    const ncols = this.ncols;
    const kinds = this.kinds;
    const row = this.rows;
    const ints = this.ints;
    let p = this.pos;
    for (let col = 0; col < ncols; col++) {
      const kind = kinds[col]!;
      const s = p;
      if (kind === Kind.Integer || kind === Kind.SmallInt || kind === Kind.BigInt) {
        let negative = false;
        if (p < len && buf[p] === MINUS) {
          negative = true;
          p++;
        }
        const digitsStart = p;
        let v = 0;
        for (; p < len; p++) {
          const d = buf[p]! - ZERO;
          if (d < 0 || d > 9) break;
          v = v * 10 + d;
        }
        const digits = p - digitsStart;
        if (digits === 0 || digits > SAFE_DIGITS || p >= len) return this.notFast();
        if (p - s === nullLength && this.rawNull(s)) return this.notFast();
        if (negative) v = 0 - v;
        if (kind === Kind.Integer) {
          if (v < INT32_MIN || v > INT32_MAX) return this.notFast();
          ints[col]![row] = v;
        } else if (kind === Kind.SmallInt) {
          if (v < INT16_MIN || v > INT16_MAX) return this.notFast();
          ints[col]![row] = v;
        } else {
          this.storeWide(col, v);
        }
      } else {
        let hi = 0;
        for (; p < len; p++) {
          const c = buf[p]!;
          if (c === delim || c === LF || c === CR || c === special) break;
          hi |= c;
        }
        if (p >= len || (p - s === nullLength && this.rawNull(s))) return this.notFast();
        if (!this.fastValue(kind, col, row, buf, s, p, hi < 0x80)) return this.notFast();
      }
      // The field's terminator: a delimiter, or LF after the last field (and after dbgen's
      // trailing '|').
      let t = buf[p]!;
      if (col + 1 < ncols) {
        if (t !== delim) return this.notFast();
        p++;
        continue;
      }
      if (t === delim && this.ignoreTrailingDelimiter) {
        p++;
        if (p >= len) return this.notFast();
        t = buf[p]!;
      }
      if (t !== LF) return this.notFast();
      p++;
    }
    this.pos = p;
    return true;
  }

  /** A non-integer field of fastRecord, in its plain form; false when it is not. */
  private fastValue(kind: Kind, col: number, row: number, b: FastBuffer, s: number, e: number, ascii: boolean): boolean {
    const data = this.data[col]!;
    switch (kind) {
      case Kind.Varchar:
        this.text[col]!.store(row, b, s, e, ascii);
        return true;
      case Kind.Decimal: {
        const t = this.columns[col]!.type;
        const v = parseSmallDecimal(b, s, e, t.precision!, t.scale!);
        if (Number.isNaN(v)) return false;
        this.storeWide(col, v);
        return true;
      }
      case Kind.Double: {
        const v = parseSmallDouble(b, s, e);
        if (Number.isNaN(v)) return false;
        (data as Float64Array)[row] = v;
        return true;
      }
      case Kind.Date: {
        const v = parsePlainDate(b, s, e);
        if (Number.isNaN(v)) return false;
        (data as Int32Array)[row] = v;
        return true;
      }
      case Kind.Timestamp: {
        const v = parsePlainTimestamp(b, s, e);
        if (Number.isNaN(v)) return false;
        (data as Float64Array)[row] = v;
        return true;
      }
      default:
        return false;
    }
  }

  /** Are the bytes from buf[s] the NULL string (the caller checked the length)? */
  private rawNull(s: number): boolean {
    const nb = this.nullBytes;
    for (let k = 0; k < nb.length; k++) if (this.buf[s + k] !== nb[k]) return false;
    return true;
  }

  private notFast(): false {
    this.discardRow();
    return false;
  }

  protected override discardRow(): void {
    // The row slot may hold NULL flags from the partial record; the retry writes every field.
    const row = this.rows;
    for (let c = 0; c < this.ncols; c++) {
      const v = this.validity[c];
      if (v != null) v[row] = 1;
      const t = this.text[c];
      if (t instanceof EncodedTextColumn) t.discard(row);
    }
  }

  /** Converts the current field into row `rows` of column `col`. */
  protected override storeField(col: number): void {
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
      const t = this.text[col];
      if (t != null) t.storeNull(row);
      else if (data instanceof BigInt64Array) data[row] = 0n;
      else data[row] = 0;
      return;
    }
    const b = this.fieldBuf;
    const s = this.fieldStart;
    const e = this.fieldEnd;
    switch (this.kinds[col]!) {
      case Kind.Varchar:
        this.text[col]!.store(row, b, s, e, this.fieldAscii);
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
}
