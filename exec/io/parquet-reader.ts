// The Parquet reader for COPY and loads: streams a Parquet file, one row group at a time, as
// Batches of flat vectors in the target column types. Decoding is hyparquet's; this module
// picks the columns (by name, case-insensitive), and converts Parquet's values to Quiver's
// physical representation exactly: DATE -> days, TIMESTAMP (millis, micros, nanos, INT96) ->
// microseconds, DECIMAL -> the unscaled integer (hyparquet would give an inexact double, so its
// decimal annotation is taken off before reading and the raw integers are scaled here), INT64 ->
// BIGINT as a number up to 2^53 and a bigint beyond.
//
// A value of another type than the target's is converted as a cast would (a string column into
// a DATE is parsed, a DECIMAL into DOUBLE divided, anything into VARCHAR printed); a conversion
// that makes no sense (a DATE into INTEGER) is an error naming the file and the column.

import { open, type FileHandle } from 'node:fs/promises';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import {
  parquetMetadata,
  parquetMetadataAsync,
  parquetScan,
  parquetSchema,
  type AsyncBuffer,
  type DecodedArray,
  type FileMetaData,
  type ParquetParsers,
  type SchemaTree,
} from 'hyparquet';
import { type Batch, BATCH_SIZE, makeBatch } from '../../common/batch.js';
import { QuiverError, toQuiverError } from '../../common/errors.js';
import {
  type LogicalType,
  T,
  TypeId,
  decimalType,
  MAX_DECIMAL_PRECISION,
  INT16_MAX,
  INT16_MIN,
  INT32_MAX,
  INT32_MIN,
  INT64_MAX,
  INT64_MIN,
  SAFE_LIMIT,
  pow10,
  typeToString,
} from '../../common/types.js';
import { type ColumnData, type Vector, allocData, flatVector, toBigIntData } from '../../common/vector.js';
import {
  MICROS_PER_DAY,
  formatDate,
  formatDecimal,
  formatDouble,
  formatTimestamp,
  parseBoolean,
  parseDate,
  parseDecimal,
  parseDouble,
  parseInteger,
  parseTimestamp,
} from '../../common/text-values.js';

export interface ParquetColumn {
  name: string;
  type: LogicalType;
}

/** What a Parquet column's values are once hyparquet (with our parsers) has decoded them. */
const enum Source {
  Boolean, // boolean
  Int, // number (INT32 and narrower, unsigned 32 included)
  Int64, // bigint (INT64, UINT64)
  Float, // number (FLOAT, DOUBLE, FLOAT16)
  String, // string (UTF8, ENUM, JSON, UUID)
  Bytes, // Uint8Array (BYTE_ARRAY without annotation, FIXED_LEN_BYTE_ARRAY)
  Date, // number of days
  Timestamp, // number of microseconds
  Decimal, // unscaled: number (INT32), bigint (INT64) or Uint8Array (big-endian two's complement)
}

const SOURCE_NAMES = ['BOOLEAN', 'INTEGER', 'BIGINT', 'DOUBLE', 'STRING', 'BINARY', 'DATE', 'TIMESTAMP', 'DECIMAL'];

interface ColumnPlan {
  /** The column's name in the file. */
  fileName: string;
  source: Source;
  /** DECIMAL sources: the scale of the unscaled integers. */
  sourceScale: number;
  target: LogicalType;
  targetName: string;
}

const utf8 = new TextDecoder();

// Values as Quiver represents them, instead of hyparquet's Date objects. hyparquet calls these
// for non-null values only; the guards cost nothing and keep a surprise from becoming NaN.
const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (ms: bigint) => (ms == null ? ms : Number(ms) * 1000),
  timestampFromMicroseconds: (us: bigint) => (us == null ? us : Number(us)),
  timestampFromNanoseconds: (ns: bigint) => (ns == null ? ns : Number(floorDiv(ns, 1000n))),
  dateFromDays: (days: number) => days,
  // JSON stays text: VARCHAR is the only type that can hold it.
  jsonFromBytes: (bytes: Uint8Array) => (bytes == null ? bytes : utf8.decode(bytes)),
};

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

/**
 * Streams `columns` of the Parquet file at `path` as Batches of at most `batchSize` rows, one
 * row group at a time. Columns are matched by name, case-insensitively; a missing column, a
 * nested one, or a value that does not convert is an INVALID_INPUT or NOT_SUPPORTED error
 * naming the file and the column.
 */
export async function* readParquet(
  path: string,
  columns: ParquetColumn[],
  batchSize: number = BATCH_SIZE,
): AsyncGenerator<Batch> {
  if (columns.length === 0) throw new QuiverError('INVALID_INPUT', `no columns to read from ${path}`);
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new QuiverError('IO_ERROR', `cannot open ${path}: ${(e as Error).message}`);
  }
  try {
    const file = await fileBuffer(fh, path);
    let metadata: FileMetaData;
    try {
      metadata = await parquetMetadataAsync(file);
    } catch (e) {
      throw new QuiverError('INVALID_INPUT', `${path} is not a readable Parquet file: ${toQuiverError(e).message.replace(/^internal error: /, '')}`);
    }
    const plans = planColumns(path, metadata, columns);
    const scan = await hyparquetCall(path, undefined, () =>
      parquetScan({
        file,
        metadata: withoutDecimalAnnotations(metadata),
        columns: [...new Set(plans.map((p) => p.fileName))],
        utf8: false,
        parsers: PARSERS,
      }),
    );
    for (const range of scan.ranges) {
      const values: DecodedArray[] = [];
      for (const plan of plans) {
        values.push(
          await hyparquetCall(path, plan.fileName, () =>
            scan.readColumn({ column: plan.fileName, rowStart: range.rowStart, rowEnd: range.rowEnd }),
          ),
        );
      }
      const rows = range.rowEnd - range.rowStart;
      for (let start = 0; start < rows; start += batchSize) {
        const count = Math.min(batchSize, rows - start);
        const vectors: Vector[] = plans.map((plan, c) =>
          convertColumn(path, plan, values[c]!, start, count, range.rowStart),
        );
        yield makeBatch(vectors, count);
      }
    }
  } finally {
    await fh.close();
  }
}

/** Runs a hyparquet call, turning its plain Errors into errors naming the file (and column). */
async function hyparquetCall<R>(path: string, column: string | undefined, f: () => Promise<R>): Promise<R> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof QuiverError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    const hint = /compression codec/.test(message) ? ' (supported: uncompressed and snappy)' : '';
    throw new QuiverError(
      'INVALID_INPUT',
      `${path}${column === undefined ? '' : ` column "${column}"`}: cannot read the Parquet data: ${message}${hint}`,
    );
  }
}

/** An AsyncBuffer over an open file: hyparquet asks for the footer, then column chunks. */
async function fileBuffer(fh: FileHandle, path: string): Promise<AsyncBuffer> {
  const { size } = await fh.stat();
  return {
    byteLength: size,
    async slice(start: number, end: number = size): Promise<ArrayBuffer> {
      const n = Math.max(0, Math.min(end, size) - start);
      // A Uint8Array of its own (not Buffer.allocUnsafe's shared pool), so .buffer is exactly it.
      const bytes = new Uint8Array(n);
      let off = 0;
      while (off < n) {
        const { bytesRead } = await fh.read(bytes, off, n - off, start + off);
        if (bytesRead === 0) throw new QuiverError('IO_ERROR', `${path} ended early: it changed while being read`);
        off += bytesRead;
      }
      return bytes.buffer;
    },
  };
}

/** The metadata with DECIMAL annotations removed, so hyparquet hands over the raw integers. */
function withoutDecimalAnnotations(metadata: FileMetaData): FileMetaData {
  return {
    ...metadata,
    schema: metadata.schema.map((e) =>
      e.converted_type === 'DECIMAL' || e.logical_type?.type === 'DECIMAL'
        ? { ...e, converted_type: undefined, logical_type: undefined }
        : e,
    ),
  };
}

function planColumns(path: string, metadata: FileMetaData, columns: ParquetColumn[]): ColumnPlan[] {
  const fields = parquetSchema(metadata).children;
  return columns.map((col) => {
    const lower = col.name.toLowerCase();
    const field =
      fields.find((f) => f.element.name === col.name) ?? fields.find((f) => f.element.name.toLowerCase() === lower);
    if (field === undefined) {
      throw new QuiverError(
        'INVALID_INPUT',
        `${path} has no column "${col.name}"; its columns are: ${fields.map((f) => f.element.name).join(', ')}`,
      );
    }
    if (col.type.id === TypeId.INTERVAL || col.type.id === TypeId.NULL) {
      throw new QuiverError('NOT_SUPPORTED', `column "${col.name}" has type ${typeToString(col.type)}, which cannot be read from a file`);
    }
    const { source, scale } = sourceOf(path, field);
    const plan = { fileName: field.element.name, source, sourceScale: scale, target: col.type, targetName: typeToString(col.type) };
    checkConvertible(path, plan);
    return plan;
  });
}

function sourceOf(path: string, field: SchemaTree): { source: Source; scale: number } {
  const e = field.element;
  const unsupported = (what: string) =>
    new QuiverError('NOT_SUPPORTED', `${path} column "${e.name}": Parquet ${what} columns cannot be read`);
  if (field.children.length > 0 || e.repetition_type === 'REPEATED') {
    throw unsupported('nested (LIST, MAP, STRUCT)');
  }
  const ct = e.converted_type;
  const lt = e.logical_type;
  if (ct === 'DECIMAL' || lt?.type === 'DECIMAL') {
    return { source: Source.Decimal, scale: (lt?.type === 'DECIMAL' ? lt.scale : e.scale) ?? 0 };
  }
  if (ct === 'DATE' || lt?.type === 'DATE') return { source: Source.Date, scale: 0 };
  if (ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS' || lt?.type === 'TIMESTAMP' || e.type === 'INT96') {
    return { source: Source.Timestamp, scale: 0 };
  }
  if (ct === 'TIME_MILLIS' || ct === 'TIME_MICROS' || lt?.type === 'TIME') throw unsupported('TIME');
  if (ct === 'INTERVAL' || lt?.type === 'INTERVAL') throw unsupported('INTERVAL');
  if (ct === 'BSON' || lt?.type === 'BSON' || lt?.type === 'GEOMETRY' || lt?.type === 'GEOGRAPHY' || lt?.type === 'VARIANT') {
    throw unsupported(lt?.type ?? ct ?? 'BSON');
  }
  if (ct === 'UTF8' || ct === 'ENUM' || ct === 'JSON' || lt?.type === 'STRING' || lt?.type === 'ENUM' || lt?.type === 'JSON' || lt?.type === 'UUID') {
    return { source: Source.String, scale: 0 };
  }
  if (lt?.type === 'FLOAT16') return { source: Source.Float, scale: 0 };
  switch (e.type) {
    case 'BOOLEAN':
      return { source: Source.Boolean, scale: 0 };
    case 'INT32':
      return { source: Source.Int, scale: 0 };
    case 'INT64':
      return { source: Source.Int64, scale: 0 };
    case 'FLOAT':
    case 'DOUBLE':
      return { source: Source.Float, scale: 0 };
    case 'BYTE_ARRAY':
    case 'FIXED_LEN_BYTE_ARRAY':
      return { source: Source.Bytes, scale: 0 };
    default:
      throw unsupported(String(e.type));
  }
}

// ---------------------------------------------------------------------------------------------
// Value conversion

/** The error for one value, naming file, row (1-based in the file) and column. */
function valueError(path: string, plan: ColumnPlan, row: number, message: string): QuiverError {
  return new QuiverError('INVALID_INPUT', `${path} row ${row + 1}, column "${plan.fileName}": ${message}`);
}

function cannotConvert(path: string, plan: ColumnPlan): QuiverError {
  return new QuiverError(
    'INVALID_INPUT',
    `${path} column "${plan.fileName}": cannot convert Parquet ${SOURCE_NAMES[plan.source]} values to ${plan.targetName}`,
  );
}

/** The unscaled integer of a DECIMAL value, as a number when |v| <= 2^53. */
function unscaled(v: number | bigint | Uint8Array): number | bigint {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return v >= -SAFE_LIMIT && v <= SAFE_LIMIT ? Number(v) : v;
  const n = v.length;
  if (n === 0) return 0;
  if (n <= 6) {
    // Up to 48 bits: exact in a double.
    let x = v[0]! >= 0x80 ? v[0]! - 0x100 : v[0]!;
    for (let i = 1; i < n; i++) x = x * 256 + v[i]!;
    return x;
  }
  let b = 0n;
  for (let i = 0; i < n; i++) b = (b << 8n) | BigInt(v[i]!);
  if (v[0]! >= 0x80) b -= 1n << BigInt(8 * n);
  return b >= -SAFE_LIMIT && b <= SAFE_LIMIT ? Number(b) : b;
}

/**
 * Rescales an unscaled integer from scale `from` to scale `to`, exactly, rounding half away
 * from zero when digits are dropped. The result is a number when |v| <= 2^53.
 */
function rescale(v: number | bigint, from: number, to: number): number | bigint {
  if (from === to) return v;
  // Doubles hold every integer up to 2^53 exactly, so with at most 15 digits of scaling the
  // number path is exact; wider shifts go through bigint.
  if (typeof v === 'number' && Math.abs(to - from) <= 15) {
    if (to > from) {
      const f = pow10(to - from);
      if (Math.abs(v) * f <= SAFE_LIMIT) return v * f;
    } else {
      const f = pow10(from - to);
      const r = v % f;
      let q = (v - r) / f;
      if (Math.abs(r) * 2 >= f) q += v < 0 ? -1 : 1;
      return q === 0 ? 0 : q;
    }
  }
  const b = BigInt(v);
  let out: bigint;
  if (to > from) {
    out = b * 10n ** BigInt(to - from);
  } else {
    const f = 10n ** BigInt(from - to);
    const r = b % f;
    out = b / f;
    if ((r < 0n ? -r : r) * 2n >= f) out += b < 0n ? -1n : 1n;
  }
  return out >= -SAFE_LIMIT && out <= SAFE_LIMIT ? Number(out) : out;
}

/** Rounds half to even (PostgreSQL's rint() in float-to-integer casts). */
function rint(x: number): number {
  let r = Math.round(x);
  if (r - x === 0.5 && r % 2 !== 0) r -= 1;
  return r;
}

function bytesToString(v: Uint8Array): string {
  return utf8.decode(v);
}

/** A value of `plan.source` as an exact integer (number or bigint), or an error message. */
function toInteger(v: unknown, plan: ColumnPlan): number | bigint | string {
  switch (plan.source) {
    case Source.Int:
      return v as number;
    case Source.Int64: {
      const b = v as bigint;
      return b >= -SAFE_LIMIT && b <= SAFE_LIMIT ? Number(b) : b;
    }
    case Source.Boolean:
      return v ? 1 : 0;
    case Source.Float: {
      const x = v as number;
      if (!Number.isFinite(x)) return `value ${formatDouble(x)} has no integer equivalent`;
      const r = rint(x);
      return Math.abs(r) <= SAFE_LIMIT ? r : BigInt(r);
    }
    case Source.Decimal:
      return rescale(unscaled(v as number | bigint | Uint8Array), plan.sourceScale, 0);
    default:
      return 'unreachable';
  }
}

/**
 * Converts rows [start, start + count) of one decoded column chunk into a flat vector of the
 * target type. `firstRow` is the chunk's first row in the file, for error messages.
 */
function convertColumn(
  path: string,
  plan: ColumnPlan,
  values: DecodedArray,
  start: number,
  count: number,
  firstRow: number,
): Vector {
  const target = plan.target;
  let data: ColumnData = allocData(target, count);
  let validity: Uint8Array | null = null;
  const src = plan.source;
  const fail = (i: number, message: string) => valueError(path, plan, firstRow + start + i, message);
  // DECIMAL targets: |unscaled| must stay below 10^precision.
  const decimalLimit = target.id === TypeId.DECIMAL ? 10n ** BigInt(target.precision!) : 0n;
  if (isDirectCopy(src, target)) {
    // The common case, values already in the target's representation: a plain copy loop.
    const out = data as Int32Array | Float64Array | string[];
    const checkInt32 = target.id === TypeId.INTEGER; // unsigned 32-bit sources may not fit
    for (let i = 0; i < count; i++) {
      const v = values[start + i] as number | string | null | undefined;
      if (v == null) {
        if (validity === null) validity = new Uint8Array(count).fill(1);
        validity[i] = 0;
      } else {
        if (checkInt32 && ((v as number) > INT32_MAX || (v as number) < INT32_MIN)) {
          throw fail(i, `value ${v} is out of range for type INTEGER`);
        }
        out[i] = v;
      }
    }
    return flatVector(target, data, validity);
  }
  for (let i = 0; i < count; i++) {
    const v: unknown = values[start + i];
    if (v == null) {
      if (validity === null) validity = new Uint8Array(count).fill(1);
      validity[i] = 0;
      continue;
    }
    switch (target.id) {
      case TypeId.VARCHAR:
        (data as string[])[i] = toText(v, plan);
        break;
      case TypeId.BOOLEAN:
        if (src === Source.Boolean) (data as Uint8Array)[i] = v ? 1 : 0;
        else if (src === Source.String || src === Source.Bytes) (data as Uint8Array)[i] = parseText(v, plan, fail, i) as number;
        else (data as Uint8Array)[i] = Number(v) !== 0 ? 1 : 0;
        break;
      case TypeId.SMALLINT:
      case TypeId.INTEGER: {
        const x = src === Source.String || src === Source.Bytes ? parseText(v, plan, fail, i) : toInteger(v, plan);
        if (typeof x === 'string') throw fail(i, x);
        const lo = target.id === TypeId.INTEGER ? INT32_MIN : INT16_MIN;
        const hi = target.id === TypeId.INTEGER ? INT32_MAX : INT16_MAX;
        if (typeof x === 'bigint' || x < lo || x > hi) throw fail(i, `value ${String(x)} is out of range for type ${plan.targetName}`);
        (data as Int32Array)[i] = x;
        break;
      }
      case TypeId.BIGINT: {
        const x = src === Source.String || src === Source.Bytes ? parseText(v, plan, fail, i) : toInteger(v, plan);
        if (typeof x === 'string') throw fail(i, x);
        if (typeof x === 'bigint' && (x < INT64_MIN || x > INT64_MAX)) {
          throw fail(i, `value ${x} is out of range for type BIGINT`);
        }
        data = storeWide(data, i, x);
        break;
      }
      case TypeId.DECIMAL: {
        const p = target.precision!;
        const s = target.scale!;
        let x: number | bigint;
        if (src === Source.String || src === Source.Bytes) x = parseText(v, plan, fail, i) as number | bigint;
        else if (src === Source.Float) x = parseDecimalChecked(formatDouble(v as number), p, s, fail, i);
        else if (src === Source.Decimal) x = rescale(unscaled(v as number | bigint | Uint8Array), plan.sourceScale, s);
        else x = rescale(toInteger(v, plan) as number | bigint, 0, s);
        if (typeof x === 'bigint' ? x >= decimalLimit || x <= -decimalLimit : p <= 15 && Math.abs(x) >= pow10(p)) {
          throw fail(i, `numeric field overflow: the value has more than ${p - s} integer digits for type ${plan.targetName}`);
        }
        if (typeof x === 'bigint' && (x < INT64_MIN || x > INT64_MAX)) {
          throw fail(i, `value is out of range for 64-bit storage of type ${plan.targetName}`);
        }
        data = storeWide(data, i, x);
        break;
      }
      case TypeId.REAL:
      case TypeId.DOUBLE:
        if (src === Source.Float || src === Source.Int) (data as Float64Array)[i] = v as number;
        else if (src === Source.String || src === Source.Bytes) (data as Float64Array)[i] = parseText(v, plan, fail, i) as number;
        else if (src === Source.Decimal) {
          (data as Float64Array)[i] = Number(unscaled(v as number | bigint | Uint8Array)) / 10 ** plan.sourceScale;
        } else (data as Float64Array)[i] = Number(v);
        break;
      case TypeId.DATE:
        if (src === Source.Date) (data as Int32Array)[i] = v as number;
        else if (src === Source.Timestamp) (data as Int32Array)[i] = Math.floor((v as number) / MICROS_PER_DAY);
        else (data as Int32Array)[i] = parseText(v, plan, fail, i) as number;
        break;
      case TypeId.TIMESTAMP:
      case TypeId.TIMESTAMPTZ:
        if (src === Source.Timestamp) (data as Float64Array)[i] = v as number;
        else if (src === Source.Date) (data as Float64Array)[i] = (v as number) * MICROS_PER_DAY;
        else (data as Float64Array)[i] = parseText(v, plan, fail, i) as number;
        break;
      default:
        throw cannotConvert(path, plan);
    }
  }
  return flatVector(target, data, validity);
}

/** Whether a source's decoded values are already the target's physical values. */
function isDirectCopy(src: Source, target: LogicalType): boolean {
  switch (target.id) {
    case TypeId.INTEGER:
      return src === Source.Int;
    case TypeId.REAL:
    case TypeId.DOUBLE:
      return src === Source.Float;
    case TypeId.DATE:
      return src === Source.Date;
    case TypeId.TIMESTAMP:
    case TypeId.TIMESTAMPTZ:
      return src === Source.Timestamp;
    case TypeId.VARCHAR:
      return src === Source.String;
    default:
      return false;
  }
}

/** Which Parquet sources convert to which target types (VARCHAR takes everything). */
function checkConvertible(path: string, plan: ColumnPlan): void {
  const s = plan.source;
  const text = s === Source.String || s === Source.Bytes;
  let ok: boolean;
  switch (plan.target.id) {
    case TypeId.VARCHAR:
      ok = true;
      break;
    case TypeId.BOOLEAN:
    case TypeId.SMALLINT:
    case TypeId.INTEGER:
    case TypeId.BIGINT:
    case TypeId.DECIMAL:
    case TypeId.REAL:
    case TypeId.DOUBLE:
      ok = text || s === Source.Boolean || s === Source.Int || s === Source.Int64 || s === Source.Float || s === Source.Decimal;
      break;
    case TypeId.DATE:
    case TypeId.TIMESTAMP:
    case TypeId.TIMESTAMPTZ:
      ok = text || s === Source.Date || s === Source.Timestamp;
      break;
    default:
      ok = false;
  }
  if (!ok) throw cannotConvert(path, plan);
}

function storeWide(data: ColumnData, i: number, x: number | bigint): ColumnData {
  if (data instanceof BigInt64Array) {
    data[i] = BigInt(x);
    return data;
  }
  if (typeof x === 'bigint') {
    const wide = toBigIntData(data);
    wide[i] = x;
    return wide;
  }
  (data as Float64Array)[i] = x;
  return data;
}

function parseDecimalChecked(
  text: string,
  p: number,
  s: number,
  fail: (i: number, m: string) => QuiverError,
  i: number,
): number | bigint {
  try {
    return parseDecimal(text, p, s);
  } catch (e) {
    throw fail(i, toQuiverError(e).message);
  }
}

/** A string (or binary) value parsed as the target type by text-values' rules. */
function parseText(
  v: unknown,
  plan: ColumnPlan,
  fail: (i: number, m: string) => QuiverError,
  i: number,
): number | bigint {
  const text = typeof v === 'string' ? v : bytesToString(v as Uint8Array);
  const t = plan.target;
  try {
    switch (t.id) {
      case TypeId.BOOLEAN:
        return parseBoolean(text);
      case TypeId.SMALLINT:
      case TypeId.INTEGER:
      case TypeId.BIGINT:
        return parseInteger(text, t);
      case TypeId.DECIMAL:
        return parseDecimal(text, t.precision!, t.scale!);
      case TypeId.REAL:
      case TypeId.DOUBLE:
        return parseDouble(text);
      case TypeId.DATE:
        return parseDate(text);
      default:
        return parseTimestamp(text);
    }
  } catch (e) {
    throw fail(i, toQuiverError(e).message);
  }
}

/** Any Parquet value as VARCHAR text, printed as Quiver prints its own values. */
function toText(v: unknown, plan: ColumnPlan): string {
  switch (plan.source) {
    case Source.String:
      return v as string;
    case Source.Bytes:
      return bytesToString(v as Uint8Array);
    case Source.Boolean:
      return v ? 'true' : 'false';
    case Source.Int:
    case Source.Int64:
      return String(v);
    case Source.Float:
      return formatDouble(v as number);
    case Source.Date:
      return formatDate(v as number);
    case Source.Timestamp:
      return formatTimestamp(v as number);
    case Source.Decimal:
      return formatDecimal(unscaled(v as number | bigint | Uint8Array), plan.sourceScale);
  }
}

/** The length of Parquet's footer trailer: the metadata length (4 bytes) and "PAR1". */
const TRAILER_BYTES = 8;

/**
 * The columns of the Parquet file at `path` and the Quiver type each reads as (read_parquet's
 * schema), from the footer alone, synchronously: binding a query needs them. DECIMAL wider than
 * 18 digits reads as DOUBLE; unannotated binary as VARCHAR.
 */
export function parquetFileColumns(path: string): ParquetColumn[] {
  const fd = openSync(path, 'r');
  let tail: Uint8Array;
  try {
    const size = fstatSync(fd).size;
    const bad = (why: string) => new QuiverError('INVALID_INPUT', `${path} is not a readable Parquet file: ${why}`);
    if (size < TRAILER_BYTES) throw bad('it is too short');
    const trailer = Buffer.alloc(TRAILER_BYTES);
    readSync(fd, trailer, 0, TRAILER_BYTES, size - TRAILER_BYTES);
    if (trailer.toString('latin1', 4) !== 'PAR1') throw bad('it does not end in PAR1');
    const length = trailer.readUInt32LE(0) + TRAILER_BYTES;
    if (length > size) throw bad('its footer is longer than the file');
    tail = new Uint8Array(length);
    readSync(fd, tail, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(tail);
  } catch (e) {
    throw new QuiverError('INVALID_INPUT', `${path} is not a readable Parquet file: ${(e as Error).message}`);
  }
  return parquetSchema(metadata).children.map((field) => {
    const { source, scale } = sourceOf(path, field);
    const e = field.element;
    let type: LogicalType;
    switch (source) {
      case Source.Boolean:
        type = T.BOOLEAN;
        break;
      case Source.Int:
        type = T.INTEGER;
        break;
      case Source.Int64:
        type = T.BIGINT;
        break;
      case Source.Float:
        type = T.DOUBLE;
        break;
      case Source.Date:
        type = T.DATE;
        break;
      case Source.Timestamp:
        type = T.TIMESTAMP;
        break;
      case Source.Decimal: {
        const precision = (e.logical_type?.type === 'DECIMAL' ? e.logical_type.precision : e.precision) ?? MAX_DECIMAL_PRECISION;
        type = precision <= MAX_DECIMAL_PRECISION ? decimalType(precision, scale) : T.DOUBLE;
        break;
      }
      default:
        type = T.VARCHAR;
    }
    return { name: e.name, type };
  });
}
