// The values a bitmap index is keyed by (bitmap-index-format.ts): one canonical JavaScript value
// per SQL value of a column, so that a Map finds a stored value and a predicate's constant alike
// however each is held. Stored values come as vectors hold them (common/types.ts: integers in
// Int32Array, BIGINT/DECIMAL/TIMESTAMP as integral doubles or BigInt64Array); predicate constants
// come as the zone maps compare them, in the same representation, but a wide integer may arrive
// as a number or a bigint.
//
// Canonical keys, by domain:
// - INTEGER (BOOLEAN, SMALLINT, INTEGER, BIGINT, DECIMAL as its scaled integer, DATE): a number
//   for a safe integer (|v| < 2^53), a bigint beyond, so 5, 5.0 and 5n are one key.
// - FLOAT (REAL, DOUBLE, and TIMESTAMP, whose microseconds are doubles that need not be
//   integral): the number, with -0 read as 0 (SQL: -0.0 = 0.0). NaN is one key (Map compares
//   with SameValueZero); a predicate on NaN is left to the scan.
// - STRING (VARCHAR): the string.
// Keys order as the zone maps order values: numerically (NaN above every number), strings by
// UTF-16 code unit.

import { type LogicalType, TypeId } from '../../common/types.js';
import type { Scalar } from '../../common/vector.js';

export type IndexKey = number | bigint | string;

export const enum KeyDomain {
  INTEGER = 0,
  FLOAT = 1,
  STRING = 2,
  /** The NULL type: every value is NULL, so an index holds only its NULL bitmap. */
  NONE = 3,
}

export function keyDomain(type: LogicalType): KeyDomain {
  switch (type.id) {
    case TypeId.REAL:
    case TypeId.DOUBLE:
    case TypeId.TIMESTAMP:
    case TypeId.TIMESTAMPTZ:
      return KeyDomain.FLOAT;
    case TypeId.VARCHAR:
      return KeyDomain.STRING;
    case TypeId.NULL:
      return KeyDomain.NONE;
    default:
      return KeyDomain.INTEGER;
  }
}

const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/** The canonical key of a non-NULL stored value of the domain. */
export function storedKey(domain: KeyDomain, v: number | bigint | string): IndexKey {
  if (domain === KeyDomain.STRING) return v;
  if (typeof v === 'bigint') return v >= -MAX_SAFE_BIG && v <= MAX_SAFE_BIG ? Number(v) : v;
  if (typeof v === 'string') return v;
  if (v === 0) return 0; // -0
  return domain === KeyDomain.INTEGER && !Number.isSafeInteger(v) && Number.isInteger(v) ? BigInt(v) : v;
}

/** No stored value of the domain equals the constant (a fraction against an integer column). */
export const NO_KEY = Symbol('no key');
/** The index cannot tell which rows equal the constant (a type mismatch, a NaN): the scan reads
 *  every row and the caller's exact filter decides. */
export const UNKNOWN_KEY = Symbol('unknown key');

/** The key a predicate constant looks up in a column of the domain. */
export function constantKey(domain: KeyDomain, x: Scalar): IndexKey | typeof NO_KEY | typeof UNKNOWN_KEY {
  if (x === null) return NO_KEY; // x = NULL is never true
  switch (domain) {
    case KeyDomain.STRING:
      return typeof x === 'string' ? x : UNKNOWN_KEY;
    case KeyDomain.NONE:
      return NO_KEY;
    case KeyDomain.INTEGER:
      if (typeof x === 'bigint') return storedKey(domain, x);
      if (typeof x !== 'number' || Number.isNaN(x)) return UNKNOWN_KEY;
      return Number.isInteger(x) ? storedKey(domain, x) : NO_KEY;
    case KeyDomain.FLOAT:
      if (typeof x === 'bigint') {
        const n = Number(x);
        return BigInt(n) === x ? storedKey(domain, n) : NO_KEY;
      }
      if (typeof x !== 'number' || Number.isNaN(x)) return UNKNOWN_KEY;
      return storedKey(domain, x);
  }
}

/** Orders keys of one domain: negative when a sorts first. NaN sorts after every number. */
export function compareKeys(a: IndexKey, b: IndexKey): number {
  if (typeof a === 'number' && Number.isNaN(a)) return typeof b === 'number' && Number.isNaN(b) ? 0 : 1;
  if (typeof b === 'number' && Number.isNaN(b)) return -1;
  // number and bigint compare exactly with < and >; strings by code unit.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True for a key that does not order against constants (NaN). */
export function isUnorderedKey(k: IndexKey): boolean {
  return typeof k === 'number' && Number.isNaN(k);
}
