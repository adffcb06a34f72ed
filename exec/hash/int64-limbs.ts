// Exact 64-bit integers without a BigInt per value. BIGINT and DECIMAL vectors are Float64Array
// (integer values, |v| <= 2^53) or BigInt64Array; both are read here as two 32-bit words:
//   hi = Math.floor(v / 2^32)  (signed),   lo = v - hi * 2^32  (0 <= lo < 2^32)
// A BigInt64Array is read through an Int32Array view of its buffer, so no BigInt is created.
// Keys, SUM accumulators and MIN/MAX states use this split; `limbsToFlat` writes results back
// as Float64Array when every value fits in 2^53, else as BigInt64Array through the same view.

import type { LogicalType } from '../../common/types.js';
import type { FlatVector } from '../../common/vector.js';

export const TWO32 = 4294967296;
/** hi limb of 2^53: values with |hi| below this (and a few at the edge) are exact doubles. */
export const SAFE_HI = 2097152;
/** int64 range in hi limbs: [-2^31, 2^31 - 1]. */
export const INT64_HI_MIN = -2147483648;
export const INT64_HI_MAX = 2147483647;

// Word order of a 64-bit integer in memory (every platform Node runs on today is little-endian,
// but checking costs nothing).
const PROBE = new BigInt64Array([1n]);
const LITTLE_ENDIAN = new Int32Array(PROBE.buffer)[0] === 1;
/** Index of the low word of element i in a words view is 2 * i + LO_WORD. */
export const LO_WORD = LITTLE_ENDIAN ? 0 : 1;
export const HI_WORD = LITTLE_ENDIAN ? 1 : 0;

/** An Int32Array over the same memory as `a`: element i is words 2i and 2i+1. */
export function wordsOf(a: BigInt64Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length * 2);
}

/** True when hi * 2^32 + lo (lo unsigned) is an exact double (|v| <= 2^53). */
export function isSafeLimbs(hi: number, lo: number): boolean {
  return hi >= -SAFE_HI && (hi < SAFE_HI || (hi === SAFE_HI && lo === 0));
}

/**
 * Builds a BIGINT/DECIMAL vector from normalized limbs (hi an integer in int64 range, lo in
 * [0, 2^32)): Float64Array when every valid value fits in 2^53, else BigInt64Array.
 * `valid` null means all valid; invalid slots are written as 0.
 */
export function limbsToFlat(
  type: LogicalType,
  hi: Float64Array | Int32Array,
  lo: Float64Array | Int32Array,
  valid: Uint8Array | null,
  start: number,
  count: number,
): FlatVector {
  let safe = true;
  for (let k = 0; k < count; k++) {
    const g = start + k;
    if ((valid === null || valid[g] === 1) && !isSafeLimbs(hi[g]!, lo[g]! >>> 0)) {
      safe = false;
      break;
    }
  }
  let validity: Uint8Array | null = null;
  if (valid !== null) {
    validity = valid.slice(start, start + count);
    if (validity.indexOf(0) < 0) validity = null;
  }
  if (safe) {
    const out = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const g = start + k;
      if (valid === null || valid[g] === 1) out[k] = hi[g]! * TWO32 + (lo[g]! >>> 0);
    }
    return { kind: 'flat', type, length: count, data: out, validity };
  }
  const out = new BigInt64Array(count);
  const words = wordsOf(out);
  for (let k = 0; k < count; k++) {
    const g = start + k;
    if (valid === null || valid[g] === 1) {
      words[2 * k + LO_WORD] = lo[g]! | 0;
      words[2 * k + HI_WORD] = hi[g]!;
    }
  }
  return { kind: 'flat', type, length: count, data: out, validity };
}
