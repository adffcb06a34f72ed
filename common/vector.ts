// Column vectors: the unit operators exchange. A vector is one of
//   flat        a typed array (or string[]) plus an optional validity mask
//   constant    one value repeated `length` times
//   dictionary  Int32 codes into a shared flat dictionary vector
//   run-length  flat values plus Int32 run ends (exclusive, increasing, last = length)
// Operators that only need values call `flatten`; operators that can work on the
// compressed form (filters over dictionary codes, aggregates over runs) check `kind`.
//
// Validity is a byte mask (1 = valid, 0 = NULL), null when every value is valid. A byte per
// row costs 8x a bitmap in memory but makes every kernel a plain indexed loop.
// Invariant: where validity[i] === 0 the data slot MUST still hold a harmless value
// (0, 0n or '') so kernels may compute over it and discard the result.

import { type LogicalType, TypeId } from './types.js';
import { internalError } from './errors.js';

export type NumericArray = Int32Array | Float64Array | Uint8Array;
export type ColumnData = NumericArray | BigInt64Array | string[];

/** A physical value as held in vectors: number, bigint (wide integers), string, or an interval. */
export interface Interval {
  months: number;
  days: number;
  micros: number;
}
export type Scalar = number | bigint | string | Interval | null;

export interface FlatVector {
  readonly kind: 'flat';
  readonly type: LogicalType;
  readonly length: number;
  readonly data: ColumnData;
  readonly validity: Uint8Array | null;
}
export interface ConstantVector {
  readonly kind: 'constant';
  readonly type: LogicalType;
  readonly length: number;
  readonly value: Scalar;
}
export interface DictionaryVector {
  readonly kind: 'dictionary';
  readonly type: LogicalType;
  readonly length: number;
  readonly codes: Int32Array;
  readonly dictionary: FlatVector;
}
export interface RunLengthVector {
  readonly kind: 'rle';
  readonly type: LogicalType;
  readonly length: number;
  readonly values: FlatVector;
  readonly runEnds: Int32Array;
}
export type Vector = FlatVector | ConstantVector | DictionaryVector | RunLengthVector;

/** Allocates the data array a type's flat vectors use. `wide` picks BigInt64Array for BIGINT/DECIMAL. */
export function allocData(type: LogicalType, length: number, wide = false): ColumnData {
  switch (type.id) {
    case TypeId.BOOLEAN:
      return new Uint8Array(length);
    case TypeId.SMALLINT:
    case TypeId.INTEGER:
    case TypeId.DATE:
      return new Int32Array(length);
    case TypeId.BIGINT:
    case TypeId.DECIMAL:
      return wide ? new BigInt64Array(length) : new Float64Array(length);
    case TypeId.REAL:
    case TypeId.DOUBLE:
    case TypeId.TIMESTAMP:
    case TypeId.TIMESTAMPTZ:
    case TypeId.NULL:
      return new Float64Array(length);
    case TypeId.VARCHAR:
      return new Array<string>(length).fill('');
    case TypeId.INTERVAL:
      throw internalError('INTERVAL values exist only as constants');
  }
}

export function flatVector(type: LogicalType, data: ColumnData, validity: Uint8Array | null = null): FlatVector {
  return { kind: 'flat', type, length: data.length, data, validity };
}

export function constantVector(type: LogicalType, value: Scalar, length: number): ConstantVector {
  return { kind: 'constant', type, length, value };
}

export function isBigIntData(d: ColumnData): d is BigInt64Array {
  return d instanceof BigInt64Array;
}

/** The value at row i, or null. For tests, output and slow paths; never on a hot path. */
export function getScalar(v: Vector, i: number): Scalar {
  switch (v.kind) {
    case 'flat':
      return v.validity !== null && v.validity[i] === 0 ? null : (v.data[i] as Scalar);
    case 'constant':
      return v.value;
    case 'dictionary':
      return getScalar(v.dictionary, v.codes[i]!);
    case 'rle':
      return getScalar(v.values, findRun(v.runEnds, i));
  }
}

function findRun(runEnds: Int32Array, i: number): number {
  let lo = 0;
  let hi = runEnds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (runEnds[mid]! > i) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Decodes any vector into a flat one (returns flat vectors as they are). */
export function flatten(v: Vector): FlatVector {
  switch (v.kind) {
    case 'flat':
      return v;
    case 'constant':
      return flattenConstant(v);
    case 'dictionary':
      return gather(v.dictionary, v.codes, v.length);
    case 'rle': {
      const idx = new Int32Array(v.length);
      let start = 0;
      for (let r = 0; r < v.runEnds.length; r++) {
        const end = v.runEnds[r]!;
        // fill() has a call's cost; short runs are cheaper as a loop.
        if (end - start < 16) for (let i = start; i < end; i++) idx[i] = r;
        else idx.fill(r, start, end);
        start = end;
      }
      return gather(v.values, idx, v.length);
    }
  }
}

function flattenConstant(v: ConstantVector): FlatVector {
  const n = v.length;
  if (v.value === null) {
    const data = v.type.id === TypeId.INTERVAL ? new Float64Array(n) : allocData(v.type, n);
    return flatVector(v.type, data, new Uint8Array(n));
  }
  const wide = typeof v.value === 'bigint';
  const data = allocData(v.type, n, wide);
  (data as { fill(x: unknown): unknown }).fill(v.value);
  return flatVector(v.type, data, null);
}

/** out[k] = v[idx[k]] for k < count. The gathered vector is flat and dense. */
export function gather(v: FlatVector, idx: Int32Array | Uint32Array, count: number): FlatVector {
  const src = v.data;
  // One loop per array type, so each stays monomorphic (a shared loop over every array type
  // runs several times slower).
  let data: ColumnData;
  if (Array.isArray(src)) data = gatherStrings(src, idx, count);
  else if (src instanceof Int32Array) data = gatherInt32(src, idx, count);
  else if (src instanceof Float64Array) data = gatherFloat64(src, idx, count);
  else if (src instanceof Uint8Array) data = gatherUint8(src, idx, count);
  else data = gatherBigInt64(src, idx, count);
  let validity: Uint8Array | null = null;
  if (v.validity !== null) {
    const sv = v.validity;
    validity = new Uint8Array(count);
    let nulls = 0;
    for (let k = 0; k < count; k++) {
      const b = sv[idx[k]!]!;
      validity[k] = b;
      nulls += b ^ 1;
    }
    if (nulls === 0) validity = null;
  }
  return { kind: 'flat', type: v.type, length: count, data, validity };
}

function gatherStrings(src: string[], idx: Int32Array | Uint32Array, count: number): string[] {
  const out = new Array<string>(count);
  for (let k = 0; k < count; k++) out[k] = src[idx[k]!]!;
  return out;
}

function gatherInt32(src: Int32Array, idx: Int32Array | Uint32Array, count: number): Int32Array {
  const out = new Int32Array(count);
  for (let k = 0; k < count; k++) out[k] = src[idx[k]!]!;
  return out;
}

function gatherFloat64(src: Float64Array, idx: Int32Array | Uint32Array, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) out[k] = src[idx[k]!]!;
  return out;
}

function gatherUint8(src: Uint8Array, idx: Int32Array | Uint32Array, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let k = 0; k < count; k++) out[k] = src[idx[k]!]!;
  return out;
}

function gatherBigInt64(src: BigInt64Array, idx: Int32Array | Uint32Array, count: number): BigInt64Array {
  const out = new BigInt64Array(count);
  for (let k = 0; k < count; k++) out[k] = src[idx[k]!]!;
  return out;
}

/** Gathers any vector kind through a selection (row indexes into it). */
export function gatherAny(v: Vector, idx: Int32Array | Uint32Array, count: number): Vector {
  switch (v.kind) {
    case 'flat':
      return gather(v, idx, count);
    case 'constant':
      return { ...v, length: count };
    case 'dictionary': {
      const codes = new Int32Array(count);
      const src = v.codes;
      for (let k = 0; k < count; k++) codes[k] = src[idx[k]!]!;
      return { kind: 'dictionary', type: v.type, length: count, codes, dictionary: v.dictionary };
    }
    case 'rle':
      return gather(v.values, runIndexes(v, idx, count), count);
  }
}

/** The run of each of `count` rows `idx[k]` of a run-length vector: a walk when the rows
 *  ascend (selections and join pairs do), a binary search for a row behind the last one. */
export function runIndexes(v: RunLengthVector, idx: Int32Array | Uint32Array, count: number): Int32Array {
  const out = new Int32Array(count);
  const ends = v.runEnds;
  let r = 0;
  for (let k = 0; k < count; k++) {
    const row = idx[k]!;
    if (r > 0 && row < ends[r - 1]!) {
      let lo = 0;
      let hi = r;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ends[mid]! <= row) lo = mid + 1;
        else hi = mid;
      }
      r = lo;
    }
    r = runFrom(ends, r, row);
    out[k] = r;
  }
  return out;
}

/**
 * The run holding `row` (the first r' >= r with ends[r'] > row), searched forward from run r by
 * galloping: O(1) for the next row of a dense selection, O(log distance) for one far ahead, so
 * a sparse selection over many short runs does not walk every run between its rows.
 */
export function runFrom(ends: Int32Array, r: number, row: number): number {
  // A few steps first: the next selected row is most often in one of the next runs.
  const near = Math.min(r + 4, ends.length - 1);
  while (r < near && ends[r]! <= row) r++;
  if (ends[r]! > row) return r;
  let step = 1;
  let lo = r + 1;
  while (lo + step < ends.length && ends[lo + step - 1]! <= row) {
    lo += step;
    step *= 2;
  }
  let hi = Math.min(lo + step, ends.length - 1);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid]! <= row) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A run-length vector as a dictionary vector: its runs' values, each row's run as its code
 *  (for code that handles dictionaries once per entry). */
export function rleAsDictionary(v: RunLengthVector): DictionaryVector {
  const codes = new Int32Array(v.length);
  let start = 0;
  for (let r = 0; r < v.runEnds.length; r++) {
    const end = v.runEnds[r]!;
    if (end - start < 16) for (let i = start; i < end; i++) codes[i] = r;
    else codes.fill(r, start, end);
    start = end;
  }
  return { kind: 'dictionary', type: v.type, length: v.length, codes, dictionary: v.values };
}

/** A vector of `n` NULLs. */
export function nullVector(type: LogicalType, n: number): Vector {
  return constantVector(type, null, n);
}

/** Number of NULLs in a vector. */
export function nullCount(v: Vector): number {
  if (v.kind === 'constant') return v.value === null ? v.length : 0;
  const f = flatten(v);
  if (f.validity === null) return 0;
  let nulls = 0;
  for (let i = 0; i < f.length; i++) nulls += f.validity[i]! ^ 1;
  return nulls;
}

/**
 * Converts a wide-capable data array to BigInt64Array (for mixed exact arithmetic).
 * Float64 values here are integers with |v| <= 2^53 by the representation invariant.
 */
export function toBigIntData(d: ColumnData): BigInt64Array {
  if (d instanceof BigInt64Array) return d;
  const out = new BigInt64Array(d.length);
  const src = d as NumericArray;
  for (let i = 0; i < src.length; i++) out[i] = BigInt(src[i]!);
  return out;
}

/** Concatenates flat vectors of one type (used when materializing small results). */
export function concatFlat(type: LogicalType, parts: FlatVector[]): FlatVector {
  let n = 0;
  let wide = false;
  let anyNull = false;
  for (const p of parts) {
    n += p.length;
    if (p.data instanceof BigInt64Array) wide = true;
    if (p.validity !== null) anyNull = true;
  }
  const data = type.id === TypeId.NULL ? new Float64Array(n) : allocData(type, n, wide);
  const validity = anyNull ? new Uint8Array(n).fill(1) : null;
  let off = 0;
  for (const p of parts) {
    const src = wide && !(p.data instanceof BigInt64Array) ? toBigIntData(p.data) : p.data;
    if (Array.isArray(data)) {
      const s = src as string[];
      for (let i = 0; i < p.length; i++) data[off + i] = s[i]!;
    } else {
      (data as Float64Array).set(src as Float64Array, off);
    }
    if (validity !== null && p.validity !== null) validity.set(p.validity, off);
    off += p.length;
  }
  return { kind: 'flat', type, length: n, data, validity };
}

/** Bytes a vector's arrays hold (strings counted as UTF-16 plus a header each). */
export function vectorBytes(v: Vector): number {
  switch (v.kind) {
    case 'flat':
      return flatBytes(v);
    case 'constant':
      return 32;
    case 'dictionary':
      return v.codes.byteLength + flatBytes(v.dictionary);
    case 'rle':
      return v.runEnds.byteLength + flatBytes(v.values);
  }
}

function flatBytes(v: FlatVector): number {
  let n = v.validity?.byteLength ?? 0;
  const d = v.data;
  if (Array.isArray(d)) {
    for (const s of d) n += 32 + 2 * s.length;
  } else n += d.byteLength;
  return n;
}
