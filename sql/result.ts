// Query results: the materialized batches of one statement, with conversions to the exact
// JS values of DESIGN.md (rows()) and to Apache Arrow (toArrow()).

import * as arrow from 'apache-arrow';
import { type Batch, makeBatch } from '../common/batch.js';
import { type LogicalType, T, TypeId, typeToString } from '../common/types.js';
import { type FlatVector, flatten, gatherAny, type Vector } from '../common/vector.js';
import { formatDate, formatDecimal, formatTimestampIso, formatInterval } from '../common/text-values.js';
import type { Interval } from '../common/vector.js';

export interface ColumnInfo {
  name: string;
  /** The SQL type, e.g. INTEGER, DECIMAL(15,2), VARCHAR. */
  type: string;
}

export interface ResultStats {
  rowsRead: number;
  bytesRead: number;
  elapsedMs: number;
}

export class QueryResult {
  readonly schema: ColumnInfo[];
  readonly rowCount: number;

  constructor(
    readonly names: string[],
    readonly types: LogicalType[],
    readonly batches: Batch[],
    readonly stats: ResultStats = { rowsRead: 0, bytesRead: 0, elapsedMs: 0 },
  ) {
    this.schema = names.map((name, i) => ({ name, type: typeToString(types[i]!) }));
    this.rowCount = batches.reduce((n, b) => n + b.count, 0);
  }

  /** The rows as arrays of JS values (INTEGER/DOUBLE number, BIGINT bigint, DECIMAL string, ...). */
  rows(): unknown[][] {
    const out: unknown[][] = [];
    for (const b of this.batches) {
      const cols = b.columns.map((c) => denseFlat(c, b));
      for (let r = 0; r < b.count; r++) out.push(cols.map((c, i) => jsValue(c, r, this.types[i]!)));
    }
    return out;
  }

  /** The rows as objects keyed by column name. */
  objects(): Record<string, unknown>[] {
    return this.rows().map((r) => Object.fromEntries(this.names.map((n, i) => [n, r[i]])));
  }

  toArrow(): arrow.Table {
    return new arrow.Table(this.arrowBatches());
  }

  arrowBatches(): arrow.RecordBatch[] {
    const schema = arrowSchema(this.names, this.types);
    if (this.batches.length === 0) return [emptyRecordBatch(schema)];
    return this.batches.map((b) => toRecordBatch(schema, b, this.types));
  }
}

function denseFlat(v: Vector, b: Batch): FlatVector {
  return flatten(b.selection === null ? v : gatherAny(v, b.selection, b.count));
}

/** The exact JS value of row r of a flat vector. */
export function jsValue(v: FlatVector, r: number, type: LogicalType): unknown {
  if (v.validity !== null && v.validity[r] === 0) return null;
  const x = v.data[r]!;
  switch (type.id) {
    case TypeId.BOOLEAN:
      return x === 1;
    case TypeId.BIGINT:
      return typeof x === 'bigint' ? x : BigInt(x as number);
    case TypeId.DECIMAL:
      return formatDecimal(x as number | bigint, type.scale!);
    case TypeId.DATE:
      return formatDate(x as number);
    case TypeId.TIMESTAMP:
    case TypeId.TIMESTAMPTZ:
      return formatTimestampIso(x as number);
    case TypeId.INTERVAL:
      return formatInterval(x as unknown as Interval);
    case TypeId.NULL:
      return null;
    default:
      return x;
  }
}

function arrowType(t: LogicalType): arrow.DataType {
  switch (t.id) {
    case TypeId.BOOLEAN:
      return new arrow.Bool();
    case TypeId.SMALLINT:
      return new arrow.Int16();
    case TypeId.INTEGER:
      return new arrow.Int32();
    case TypeId.BIGINT:
      return new arrow.Int64();
    case TypeId.REAL:
    case TypeId.DOUBLE:
      return new arrow.Float64();
    case TypeId.DECIMAL:
      return new arrow.Decimal(t.scale!, t.precision!, 128);
    case TypeId.DATE:
      return new arrow.DateDay();
    case TypeId.TIMESTAMP:
      return new arrow.TimestampMicrosecond();
    case TypeId.TIMESTAMPTZ:
      return new arrow.TimestampMicrosecond('UTC');
    case TypeId.NULL:
      return new arrow.Null();
    default:
      return new arrow.Utf8();
  }
}

export function arrowSchema(names: string[], types: LogicalType[]): arrow.Schema {
  return new arrow.Schema(names.map((n, i) => new arrow.Field(n, arrowType(types[i]!), true)));
}

export function emptyRecordBatch(schema: arrow.Schema): arrow.RecordBatch {
  const children = schema.fields.map((f) => arrow.makeData({ type: f.type, length: 0 }));
  return new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: 0, nullCount: 0, children }));
}

export function toRecordBatch(schema: arrow.Schema, b: Batch, types: LogicalType[]): arrow.RecordBatch {
  const n = b.count;
  const children = b.columns.map((c, i) => arrowData(denseFlat(c, b), types[i]!, schema.fields[i]!.type));
  return new arrow.RecordBatch(schema, arrow.makeData({ type: new arrow.Struct(schema.fields), length: n, nullCount: 0, children }));
}

function nullBitmap(v: FlatVector): { bitmap: Uint8Array | undefined; nulls: number } {
  if (v.validity === null) return { bitmap: undefined, nulls: 0 };
  const bits = new Uint8Array((v.length + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < v.length; i++) {
    if (v.validity[i] === 1) bits[i >> 3]! |= 1 << (i & 7);
    else nulls++;
  }
  return { bitmap: bits, nulls };
}

/** Converts one flat vector to Arrow data without a BigInt per value for 64-bit columns. */
function arrowData(v: FlatVector, t: LogicalType, type: arrow.DataType): arrow.Data {
  const n = v.length;
  const { bitmap, nulls } = nullBitmap(v);
  const base = { type, length: n, nullCount: nulls, nullBitmap: bitmap } as const;
  switch (t.id) {
    case TypeId.BOOLEAN: {
      const bits = new Uint8Array((n + 7) >> 3);
      const d = v.data as Uint8Array;
      for (let i = 0; i < n; i++) if (d[i] === 1) bits[i >> 3]! |= 1 << (i & 7);
      return arrow.makeData({ ...base, type: type as arrow.Bool, data: bits });
    }
    case TypeId.SMALLINT:
      return arrow.makeData({ ...base, type: type as arrow.Int16, data: Int16Array.from(v.data as Int32Array) });
    // Copies: a result vector may be storage's own (the block cache), and an Arrow vector's
    // toArray() hands its memory to the caller, who may write into it.
    case TypeId.INTEGER:
      return arrow.makeData({ ...base, type: type as arrow.Int32, data: (v.data as Int32Array).slice(0, n) });
    case TypeId.DATE:
      return arrow.makeData({ ...base, type: type as arrow.DateDay, data: (v.data as Int32Array).slice(0, n) });
    case TypeId.BIGINT:
    case TypeId.TIMESTAMP:
    case TypeId.TIMESTAMPTZ:
      return arrow.makeData({ ...base, type: type as arrow.Int64, data: int64Words(v.data as Float64Array | BigInt64Array, 2) as unknown as BigInt64Array });
    case TypeId.DECIMAL:
      return arrow.makeData({ ...base, type: type as arrow.Decimal, data: int64Words(v.data as Float64Array | BigInt64Array, 4) });
    case TypeId.REAL:
    case TypeId.DOUBLE:
      return arrow.makeData({ ...base, type: type as arrow.Float64, data: (v.data as Float64Array).slice(0, n) });
    case TypeId.NULL:
      return arrow.makeData({ type: type as arrow.Null, length: n, nullCount: n });
    default: {
      const strs = v.data as string[];
      const enc = new TextEncoder();
      const parts = strs.map((s) => enc.encode(s));
      const offsets = new Int32Array(n + 1);
      let total = 0;
      for (let i = 0; i < n; i++) {
        total += parts[i]!.length;
        offsets[i + 1] = total;
      }
      const bytes = new Uint8Array(total);
      for (let i = 0; i < n; i++) bytes.set(parts[i]!, offsets[i]!);
      return arrow.makeData({ ...base, type: type as arrow.Utf8, data: bytes, valueOffsets: offsets });
    }
  }
}

/** Little-endian two's complement words (32-bit) of integers: 2 words for Int64, 4 for Decimal128. */
function int64Words(src: Float64Array | BigInt64Array, words: number): Uint32Array {
  const n = src.length;
  const out = new Uint32Array(n * words);
  if (src instanceof BigInt64Array) {
    const as64 = new BigInt64Array(src.buffer, src.byteOffset, n);
    const view = new Uint32Array(as64.buffer, as64.byteOffset, n * 2);
    for (let i = 0; i < n; i++) {
      out[i * words] = view[i * 2]!;
      out[i * words + 1] = view[i * 2 + 1]!;
      if (words === 4) {
        const sign = src[i]! < 0n ? 0xffffffff : 0;
        out[i * 4 + 2] = sign;
        out[i * 4 + 3] = sign;
      }
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const x = src[i]!;
    const hi = Math.floor(x / 4294967296);
    out[i * words] = x - hi * 4294967296;
    out[i * words + 1] = hi >>> 0;
    if (words === 4) {
      const sign = x < 0 ? 0xffffffff : 0;
      out[i * 4 + 2] = sign;
      out[i * 4 + 3] = sign;
    }
  }
  return out;
}

/** The result of a statement that returns nothing. */
export function ok(): QueryResult {
  return new QueryResult([], [], []);
}

/** A write's result: one row, column `count`, the rows it changed. */
export function affected(n: number): QueryResult {
  return rowsResult(['count'], [T.BIGINT], [[n]]);
}

/** A small result of constant rows (SHOW, DESCRIBE, EXPLAIN). */
export function rowsResult(names: string[], types: LogicalType[], rows: (string | number)[][]): QueryResult {
  if (rows.length === 0) return new QueryResult(names, types, []);
  const columns = types.map((t, c) => {
    const data = t.id === TypeId.VARCHAR ? rows.map((r) => String(r[c])) : Float64Array.from(rows, (r) => Number(r[c]));
    return { kind: 'flat' as const, type: t, length: rows.length, data, validity: null };
  });
  return new QueryResult(names, types, [makeBatch(columns, rows.length)]);
}
