// Key columns: the normalized form in which join, aggregate, set-operation and sort keys are
// hashed and compared. Each key column is held in one of four typed representations:
//
//   KEY_I32   Int32Array            BOOLEAN, SMALLINT, INTEGER, DATE
//   KEY_F64   Float64Array          REAL, DOUBLE, TIMESTAMP(TZ), NULL; -0 stored as 0 and every
//                                   NaN as the canonical NaN, so equal values hash alike
//   KEY_WIDE  two Int32Arrays       BIGINT, DECIMAL: high word and low word (see int64-limbs.ts),
//                                   whether the vector was Float64Array or BigInt64Array
//   KEY_STR   string[]              VARCHAR
//
// plus a validity byte per row. Normalizing first means a BIGINT held as Float64Array in one
// batch and as BigInt64Array in the next still compares by value, and a join key of INTEGER
// against BIGINT compares by value too (both sides are encoded with the wider kind).
//
// Why not a Map keyed by a string encoding of the row: that allocates a string per row. Here a
// row's key is its position in these arrays, its hash a Uint32, and equality a column-wise
// compare (`keyRowsEqual`), as in DuckDB's join hash table.

import { type LogicalType, TypeId, typeToString } from '../../common/types.js';
import type { FlatVector, Vector } from '../../common/vector.js';
import { flatten, rleAsDictionary } from '../../common/vector.js';
import { internalError, notSupported, typeError } from '../../common/errors.js';
import { combineHash, HASH_SEED, hashF64, hashI32, hashString, hashWords, NULL_HASH } from './hash-functions.js';
import { HI_WORD, LO_WORD, limbsToFlat, TWO32, wordsOf } from './int64-limbs.js';

export const KEY_I32 = 0;
export const KEY_F64 = 1;
export const KEY_WIDE = 2;
export const KEY_STR = 3;
export type KeyKind = typeof KEY_I32 | typeof KEY_F64 | typeof KEY_WIDE | typeof KEY_STR;

/** The key representation of a logical type. */
export function keyKindOf(type: LogicalType): KeyKind {
  switch (type.id) {
    case TypeId.BOOLEAN:
    case TypeId.SMALLINT:
    case TypeId.INTEGER:
    case TypeId.DATE:
      return KEY_I32;
    case TypeId.REAL:
    case TypeId.DOUBLE:
    case TypeId.TIMESTAMP:
    case TypeId.TIMESTAMPTZ:
    case TypeId.NULL:
      return KEY_F64;
    case TypeId.BIGINT:
    case TypeId.DECIMAL:
      return KEY_WIDE;
    case TypeId.VARCHAR:
      return KEY_STR;
    case TypeId.INTERVAL:
      throw notSupported('INTERVAL values cannot be used as join, grouping, sort or set-operation keys yet; cast them to VARCHAR');
  }
}

/**
 * The one representation both sides of an equi-join key use: the planner casts both sides to
 * one type, but an INTEGER against a BIGINT must still compare by value.
 */
export function joinKeyKind(left: LogicalType, right: LogicalType): KeyKind {
  if (left.id === TypeId.NULL) return keyKindOf(right);
  if (right.id === TypeId.NULL) return keyKindOf(left);
  const a = keyKindOf(left);
  const b = keyKindOf(right);
  if (a === b) return a;
  if (a === KEY_STR || b === KEY_STR) {
    throw typeError(`cannot join ${typeToString(left)} with ${typeToString(right)}: a string is never equal to a number; cast one side`);
  }
  // I32 fits in both others; F64 against WIDE means DOUBLE against BIGINT/DECIMAL: compare as doubles.
  if (a === KEY_I32) return b;
  if (b === KEY_I32) return a;
  return KEY_F64;
}

const EMPTY_I32 = new Int32Array(0);
const EMPTY_F64 = new Float64Array(0);
const EMPTY_STR: string[] = [];

/** One key column: only the arrays of its kind are allocated (the others are empty). */
export interface KeyColumn {
  i32: Int32Array; // KEY_I32 values; KEY_WIDE high words
  lo: Int32Array; // KEY_WIDE low words (int32 bits of an unsigned value)
  f64: Float64Array; // KEY_F64 values
  str: string[]; // KEY_STR values
  valid: Uint8Array;
}

/**
 * Rows of key values, column-wise. Used both as a per-batch scratch (KeyEncoder reuses one) and
 * as a growable store (group keys of a hash table: `appendRow`).
 */
export class KeyColumns {
  readonly kinds: readonly KeyKind[];
  readonly cols: KeyColumn[];
  /** Rows held. */
  count = 0;
  capacity = 0;
  /** Row hashes (filled when the encoder is asked for them, and by appendRow). */
  hashes: Uint32Array = new Uint32Array(0);
  /** 1 when some key column of the row is NULL. */
  anyNull: Uint8Array = new Uint8Array(0);

  constructor(kinds: readonly KeyKind[], capacity = 0) {
    this.kinds = kinds;
    this.cols = kinds.map(() => ({ i32: EMPTY_I32, lo: EMPTY_I32, f64: EMPTY_F64, str: EMPTY_STR, valid: new Uint8Array(0) }));
    if (capacity > 0) this.reserve(capacity, false);
  }

  /** Makes room for `n` rows; `keep` copies the rows held (growth), else contents are undefined. */
  reserve(n: number, keep: boolean): void {
    if (n <= this.capacity) return;
    const cap = Math.max(n, keep ? this.capacity * 2 : n, 16);
    const held = keep ? this.count : 0;
    for (let c = 0; c < this.kinds.length; c++) {
      const col = this.cols[c]!;
      col.valid = growU8(col.valid, cap, held);
      switch (this.kinds[c]) {
        case KEY_I32:
          col.i32 = growI32(col.i32, cap, held);
          break;
        case KEY_F64:
          col.f64 = growF64(col.f64, cap, held);
          break;
        case KEY_WIDE:
          col.i32 = growI32(col.i32, cap, held);
          col.lo = growI32(col.lo, cap, held);
          break;
        case KEY_STR: {
          const s = new Array<string>(cap);
          for (let i = 0; i < held; i++) s[i] = col.str[i]!;
          col.str = s;
          break;
        }
      }
    }
    const h = new Uint32Array(cap);
    if (held > 0) h.set(this.hashes.subarray(0, held));
    this.hashes = h;
    this.anyNull = growU8(this.anyNull, cap, held);
    this.capacity = cap;
  }

  /** Appends row `row` of `src` (same kinds), with its hash. Returns the new row's index. */
  appendRow(src: KeyColumns, row: number): number {
    const r = this.count;
    if (r === this.capacity) this.reserve(r + 1, true);
    for (let c = 0; c < this.kinds.length; c++) {
      const d = this.cols[c]!;
      const s = src.cols[c]!;
      d.valid[r] = s.valid[row]!;
      switch (this.kinds[c]) {
        case KEY_I32:
          d.i32[r] = s.i32[row]!;
          break;
        case KEY_F64:
          d.f64[r] = s.f64[row]!;
          break;
        case KEY_WIDE:
          d.i32[r] = s.i32[row]!;
          d.lo[r] = s.lo[row]!;
          break;
        case KEY_STR:
          d.str[r] = s.str[row]!;
          break;
      }
    }
    this.hashes[r] = src.hashes[row]!;
    this.anyNull[r] = src.anyNull[row]!;
    this.count = r + 1;
    return r;
  }
}

function growU8(a: Uint8Array, cap: number, held: number): Uint8Array {
  const b = new Uint8Array(cap);
  if (held > 0) b.set(a.subarray(0, held));
  return b;
}
function growI32(a: Int32Array, cap: number, held: number): Int32Array {
  const b = new Int32Array(cap);
  if (held > 0) b.set(a.subarray(0, held));
  return b;
}
function growF64(a: Float64Array, cap: number, held: number): Float64Array {
  const b = new Float64Array(cap);
  if (held > 0) b.set(a.subarray(0, held));
  return b;
}

/** Equality of row i of `a` and row j of `b` (same kinds); NULL equals NULL. */
export function keyRowsEqual(a: KeyColumns, i: number, b: KeyColumns, j: number): boolean {
  const kinds = a.kinds;
  for (let c = 0; c < kinds.length; c++) {
    const ca = a.cols[c]!;
    const cb = b.cols[c]!;
    const va = ca.valid[i]!;
    if (va !== cb.valid[j]) return false;
    if (va === 0) continue;
    switch (kinds[c]) {
      case KEY_I32:
        if (ca.i32[i] !== cb.i32[j]) return false;
        break;
      case KEY_F64: {
        const x = ca.f64[i]!;
        const y = cb.f64[j]!;
        // NaN equals NaN, as in PostgreSQL's float comparisons.
        if (x !== y && (x === x || y === y)) return false;
        break;
      }
      case KEY_WIDE:
        if (ca.i32[i] !== cb.i32[j] || ca.lo[i] !== cb.lo[j]) return false;
        break;
      case KEY_STR:
        if (ca.str[i] !== cb.str[j]) return false;
        break;
    }
  }
  return true;
}

/**
 * SQL row-IN compatibility: no key column is known unequal (each pair is equal or has a NULL).
 * Decides whether a failed `x IN (...)` match is FALSE or NULL.
 */
export function keyRowsMaybeEqual(a: KeyColumns, i: number, b: KeyColumns, j: number): boolean {
  const kinds = a.kinds;
  for (let c = 0; c < kinds.length; c++) {
    const ca = a.cols[c]!;
    const cb = b.cols[c]!;
    if (ca.valid[i] === 0 || cb.valid[j] === 0) continue;
    switch (kinds[c]) {
      case KEY_I32:
        if (ca.i32[i] !== cb.i32[j]) return false;
        break;
      case KEY_F64: {
        const x = ca.f64[i]!;
        const y = cb.f64[j]!;
        if (x !== y && (x === x || y === y)) return false;
        break;
      }
      case KEY_WIDE:
        if (ca.i32[i] !== cb.i32[j] || ca.lo[i] !== cb.lo[j]) return false;
        break;
      case KEY_STR:
        if (ca.str[i] !== cb.str[j]) return false;
        break;
    }
  }
  return true;
}

/** The hash of column c's value in `row`, as the encoder computes it. */
function columnHash(keys: KeyColumns, c: number, row: number): number {
  const col = keys.cols[c]!;
  if (col.valid[row] === 0) return NULL_HASH;
  switch (keys.kinds[c]) {
    case KEY_I32:
      return hashI32(col.i32[row]!);
    case KEY_F64:
      return hashF64(col.f64[row]!);
    case KEY_WIDE:
      return hashWords(col.i32[row]!, col.lo[row]!);
    case KEY_STR:
      return hashString(col.str[row]!);
  }
  throw internalError('unknown key kind');
}

/** The hash of one row, equal to what KeyEncoder computes column-wise (for lazy paths). */
export function hashKeyRow(keys: KeyColumns, row: number): number {
  let h = HASH_SEED;
  for (let c = 0; c < keys.kinds.length; c++) h = combineHash(h, columnHash(keys, c, row));
  return h;
}

/** Encoded dictionary entries of one dictionary vector, kept while batches reuse it. */
interface DictionaryCache {
  dictionary: FlatVector | null;
  keys: KeyColumns;
  colHash: Uint32Array;
}

/**
 * Encodes the key vectors of a batch into a reused KeyColumns (dense: row k is the batch's k-th
 * selected row). Dictionary and constant vectors are encoded (and hashed) once per distinct
 * dictionary or value, then spread by code.
 */
export class KeyEncoder {
  readonly keys: KeyColumns;
  private colHash = new Uint32Array(0);
  private readonly dicts: DictionaryCache[];

  constructor(kinds: readonly KeyKind[]) {
    this.keys = new KeyColumns(kinds);
    this.dicts = kinds.map((k) => ({ dictionary: null, keys: new KeyColumns([k]), colHash: new Uint32Array(0) }));
  }

  /**
   * Encodes `count` rows: row k reads vector row `sel[k]` (or k). With `hash`, fills
   * keys.hashes. keys.anyNull is always filled. The result is valid until the next call.
   */
  encode(vectors: readonly Vector[], sel: Int32Array | null, count: number, hash: boolean): KeyColumns {
    const keys = this.keys;
    keys.reserve(count, false);
    keys.count = count;
    keys.anyNull.fill(0, 0, count);
    if (hash) keys.hashes.fill(HASH_SEED, 0, count);
    if (this.colHash.length < count) this.colHash = new Uint32Array(Math.max(count, 16));
    for (let c = 0; c < vectors.length; c++) this.encodeColumn(c, vectors[c]!, sel, count, hash);
    return keys;
  }

  private encodeColumn(c: number, v: Vector, sel: Int32Array | null, count: number, hash: boolean): void {
    // Runs are encoded once each, as dictionary entries.
    if (v.kind === 'rle') v = rleAsDictionary(v);
    const keys = this.keys;
    const kind = keys.kinds[c]!;
    const dst = keys.cols[c]!;
    const colHash = this.colHash;
    if (v.kind === 'dictionary' || v.kind === 'constant') {
      const cache = this.dicts[c]!;
      let dict: FlatVector;
      if (v.kind === 'dictionary') {
        dict = v.dictionary;
      } else {
        // A constant is a one-entry dictionary; its encoded entry is rebuilt for every batch.
        dict = flatten({ ...v, length: 1 });
        cache.dictionary = null;
      }
      if (cache.dictionary !== dict) {
        const n = dict.length;
        cache.keys.reserve(n, false);
        cache.keys.count = n;
        if (cache.colHash.length < n) cache.colHash = new Uint32Array(n);
        encodeFlat(kind, dict, null, n, cache.keys.cols[0]!, cache.colHash, true);
        cache.dictionary = v.kind === 'dictionary' ? dict : null;
      }
      const codes = v.kind === 'dictionary' ? v.codes : null;
      spreadDictionary(kind, cache.keys.cols[0]!, cache.colHash, codes, sel, count, dst, colHash);
    } else {
      encodeFlat(kind, v.kind === 'flat' ? v : flatten(v), sel, count, dst, colHash, hash);
    }
    const valid = dst.valid;
    const anyNull = keys.anyNull;
    for (let k = 0; k < count; k++) anyNull[k] |= valid[k]! ^ 1;
    if (hash) {
      const hashes = keys.hashes;
      for (let k = 0; k < count; k++) hashes[k] = combineHash(hashes[k]!, colHash[k]!);
    }
  }
}

/** Copies dictionary entries (already encoded) to rows by code; constant when codes is null. */
function spreadDictionary(
  kind: KeyKind,
  src: KeyColumn,
  srcHash: Uint32Array,
  codes: Int32Array | null,
  sel: Int32Array | null,
  count: number,
  dst: KeyColumn,
  colHash: Uint32Array,
): void {
  const valid = dst.valid;
  for (let k = 0; k < count; k++) {
    const e = codes === null ? 0 : codes[sel === null ? k : sel[k]!]!;
    valid[k] = src.valid[e]!;
    colHash[k] = srcHash[e]!;
    switch (kind) {
      case KEY_I32:
        dst.i32[k] = src.i32[e]!;
        break;
      case KEY_F64:
        dst.f64[k] = src.f64[e]!;
        break;
      case KEY_WIDE:
        dst.i32[k] = src.i32[e]!;
        dst.lo[k] = src.lo[e]!;
        break;
      case KEY_STR:
        dst.str[k] = src.str[e]!;
        break;
    }
  }
}

/**
 * Encodes a flat vector's rows into a key column (and their column hashes when `hash`).
 * One loop per source representation, so each loop sees one array type.
 */
function encodeFlat(
  kind: KeyKind,
  v: FlatVector,
  sel: Int32Array | null,
  count: number,
  dst: KeyColumn,
  colHash: Uint32Array,
  hash: boolean,
): void {
  const valid = dst.valid;
  const sv = v.validity;
  if (v.type.id === TypeId.NULL) {
    valid.fill(0, 0, count);
    clearValues(kind, dst, count);
    if (hash) colHash.fill(NULL_HASH, 0, count);
    return;
  }
  if (sv === null) valid.fill(1, 0, count);
  else for (let k = 0; k < count; k++) valid[k] = sv[sel === null ? k : sel[k]!]!;
  const data = v.data;
  switch (kind) {
    case KEY_I32: {
      if (Array.isArray(data) || data instanceof BigInt64Array || data instanceof Float64Array) {
        throw internalError(`a ${typeToString(v.type)} vector cannot be encoded as an INTEGER-like key`);
      }
      const out = dst.i32;
      for (let k = 0; k < count; k++) out[k] = data[sel === null ? k : sel[k]!]!;
      if (hash) for (let k = 0; k < count; k++) colHash[k] = valid[k] === 1 ? hashI32(out[k]!) : NULL_HASH;
      return;
    }
    case KEY_F64: {
      if (Array.isArray(data)) throw internalError(`a ${typeToString(v.type)} vector cannot be encoded as a numeric key`);
      const out = dst.f64;
      if (data instanceof BigInt64Array) {
        const words = wordsOf(data);
        for (let k = 0; k < count; k++) {
          const i = sel === null ? k : sel[k]!;
          out[k] = words[2 * i + HI_WORD]! * TWO32 + (words[2 * i + LO_WORD]! >>> 0);
        }
      } else {
        for (let k = 0; k < count; k++) {
          const x = data[sel === null ? k : sel[k]!]!;
          // -0 -> 0 and any NaN -> the canonical NaN, so equal values have equal bits.
          out[k] = x === 0 ? 0 : x === x ? x : NaN;
        }
      }
      if (hash) for (let k = 0; k < count; k++) colHash[k] = valid[k] === 1 ? hashF64(out[k]!) : NULL_HASH;
      return;
    }
    case KEY_WIDE: {
      if (Array.isArray(data)) throw internalError(`a ${typeToString(v.type)} vector cannot be encoded as a BIGINT key`);
      const hi = dst.i32;
      const lo = dst.lo;
      if (data instanceof BigInt64Array) {
        const words = wordsOf(data);
        for (let k = 0; k < count; k++) {
          const i = sel === null ? k : sel[k]!;
          hi[k] = words[2 * i + HI_WORD]!;
          lo[k] = words[2 * i + LO_WORD]!;
        }
      } else {
        for (let k = 0; k < count; k++) {
          const x = data[sel === null ? k : sel[k]!]!;
          const h = Math.floor(x / TWO32);
          hi[k] = h;
          lo[k] = x - h * TWO32;
        }
      }
      if (hash) for (let k = 0; k < count; k++) colHash[k] = valid[k] === 1 ? hashWords(hi[k]!, lo[k]!) : NULL_HASH;
      return;
    }
    case KEY_STR: {
      if (!Array.isArray(data)) throw internalError(`a ${typeToString(v.type)} vector cannot be encoded as a string key`);
      const out = dst.str;
      for (let k = 0; k < count; k++) out[k] = data[sel === null ? k : sel[k]!]!;
      if (hash) for (let k = 0; k < count; k++) colHash[k] = valid[k] === 1 ? hashString(out[k]!) : NULL_HASH;
      return;
    }
  }
}

function clearValues(kind: KeyKind, dst: KeyColumn, count: number): void {
  switch (kind) {
    case KEY_I32:
      dst.i32.fill(0, 0, count);
      break;
    case KEY_F64:
      dst.f64.fill(0, 0, count);
      break;
    case KEY_WIDE:
      dst.i32.fill(0, 0, count);
      dst.lo.fill(0, 0, count);
      break;
    case KEY_STR:
      dst.str.fill('', 0, count);
      break;
  }
}

/**
 * Rows [start, start + count) of key column c as a flat vector of `type` (the column's logical
 * type: BOOLEAN comes back as Uint8Array, BIGINT/DECIMAL as Float64Array or BigInt64Array).
 */
export function keyColumnToVector(keys: KeyColumns, c: number, type: LogicalType, start: number, count: number): FlatVector {
  const col = keys.cols[c]!;
  const kind = keys.kinds[c]!;
  let validity: Uint8Array | null = col.valid.slice(start, start + count);
  if (validity.indexOf(0) < 0) validity = null;
  switch (kind) {
    case KEY_I32: {
      const src = col.i32.subarray(start, start + count);
      const data = type.id === TypeId.BOOLEAN ? Uint8Array.from(src) : src.slice();
      return { kind: 'flat', type, length: count, data, validity };
    }
    case KEY_F64:
      return { kind: 'flat', type, length: count, data: col.f64.slice(start, start + count), validity };
    case KEY_WIDE:
      return limbsToFlat(type, col.i32, col.lo, col.valid, start, count);
    case KEY_STR:
      return { kind: 'flat', type, length: count, data: col.str.slice(start, start + count), validity };
  }
}
