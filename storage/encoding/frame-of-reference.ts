// Frame-of-reference bit-packing ('bitpacking'): the block minimum, then every value minus the
// minimum bit-packed with the fewest bits that hold the largest difference (0 bits when all
// values are equal). For integers: SMALLINT, INTEGER, DATE (0..32 bits); BIGINT and DECIMAL,
// as doubles within 2^53 or as int64 out to its limits; and TIMESTAMP, DOUBLE or REAL blocks
// whose values happen to be integers. 64-bit values go as two limb streams (limbs.ts), so the
// arithmetic stays exact without a BigInt per value.
// Payload: i32 high and u32 low limb of the minimum, then the limb streams of the differences.
// NULL rows are written as the minimum and decode to 0.

import { type FlatVector, flatVector, type Scalar, type Vector } from '../../common/vector.js';
import type { BlockAnalysis } from './block-analysis.js';
import { unpackFloat64, unpackInt32 } from './bit-packing.js';
import { type BlockEncoding, zeroNullSlots, zeroNullSlotsWide } from './block-encoding.js';
import type { BlockHeader } from './block-header.js';
import { type BlockReader, corruptBlock } from './block-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { EncodingId } from './encoding-kind.js';
import { blockLimbs, limbsToNumber, readLimbStreams, TWO_32, unpackLimbs, writeLimbStreams } from './limbs.js';
import { PhysicalClass } from './physical-class.js';

const NO_LIMBS = new Uint32Array(0);
/** The widest high-limb stream a block of doubles can need: differences up to 2^54. */
export const MAX_SAFE_HIGH_WIDTH = 23;

/** Why an integer encoding (bitpacking, delta) cannot hold the block, or null. */
export function integerEncodingUnsupported(name: string, a: BlockAnalysis): string | null {
  if (a.cls === PhysicalClass.BOOL) return `${name} holds integers; BOOLEAN values are stored as bits by plain`;
  if (a.cls === PhysicalClass.STRING) return `${name} holds integers, not VARCHAR`;
  if (!a.integral) return `${name} holds integers; this block has values that are not integers within 2^53 (fractions, -0, NaN or infinities)`;
  return null;
}

/** Estimated payload bytes of `count` values whose range needs `rangeBits` bits: the reference,
 *  the limb widths with their padding, and the packed words. */
export function frameOfReferenceBytes(count: number, rangeBits: number): number {
  return 16 + Math.ceil((count * rangeBits) / 32) * 4;
}

export const frameOfReference: BlockEncoding = {
  id: EncodingId.BITPACKING,
  name: 'bitpacking',
  rowValidity: true,

  unsupported: (a) => integerEncodingUnsupported('bitpacking', a),

  estimate: (a) => frameOfReferenceBytes(a.stats.rows, a.rangeBits),

  encode(a, w) {
    writeFrameOfReference(w, a.cls, a.values.data as Int32Array | Float64Array | BigInt64Array, a.values.validity, a.stats.rows, a.stats.min, a.stats.max);
  },

  decode(r, h, validity): Vector {
    return decodeIntegers(r, h, validity, false);
  },
};

/**
 * Writes the frame-of-reference payload of values data[0..n) of class `cls` (not BOOL or
 * STRING), every non-NULL one an integer the encoding holds (BlockAnalysis.integral). `min` and
 * `max` are their smallest and largest (null when all are NULL); only Int32 values use them,
 * 64-bit values find their minimum as limbs. NULL rows (validity 0) are written as the minimum.
 * Also how rle.ts stores the values of its runs.
 */
export function writeFrameOfReference(
  w: ByteWriter,
  cls: PhysicalClass,
  data: Int32Array | Float64Array | BigInt64Array,
  valid: Uint8Array | null,
  n: number,
  min: Scalar,
  max: Scalar,
): void {
  if (cls === PhysicalClass.INT32) {
    const ints = data as Int32Array;
    const lo = min === null ? 0 : (min as number);
    const hi = max === null ? 0 : (max as number);
    const offsets = new Uint32Array(n);
    if (valid === null) for (let i = 0; i < n; i++) offsets[i] = ints[i]! - lo;
    else for (let i = 0; i < n; i++) offsets[i] = valid[i] === 0 ? 0 : ints[i]! - lo;
    w.i32(lo < 0 ? -1 : 0);
    w.u32(lo >>> 0);
    writeLimbStreams(w, NO_LIMBS, offsets, n, 0, hi - lo);
    return;
  }
  const { hi, lo } = blockLimbs(data as Float64Array | BigInt64Array, n);
  let minHi = 0;
  let minLo = 0;
  let seen = false;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const h = hi[i]!;
    const l = lo[i]!;
    if (!seen || h < minHi || (h === minHi && l < minLo)) {
      minHi = h;
      minLo = l;
      seen = true;
    }
  }
  const dhi = new Uint32Array(n);
  const dlo = new Uint32Array(n);
  let maxHi = 0;
  let maxLo = 0;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    // Unsigned 64-bit subtraction with a borrow; the difference is >= 0 because min is the minimum.
    let l = lo[i]! - minLo;
    let borrow = 0;
    if (l < 0) {
      l += TWO_32;
      borrow = 1;
    }
    const h = hi[i]! - minHi - borrow;
    dlo[i] = l;
    dhi[i] = h;
    if (h > maxHi) maxHi = h;
    if (l > maxLo) maxLo = l;
  }
  w.i32(minHi);
  w.u32(minLo);
  writeLimbStreams(w, dhi, dlo, n, maxHi, maxLo);
}

/**
 * Shared by bitpacking and delta: reads the reference and the limb streams and rebuilds the
 * values, as the reference plus each difference (bitpacking) or plus the running sum of the
 * differences (delta, `prefixSum`).
 */
export function decodeIntegers(r: BlockReader, h: BlockHeader, validity: Uint8Array | null, prefixSum: boolean): FlatVector {
  const n = h.rows;
  const refHi = r.i32('reference high limb');
  const refLo = r.u32('reference low limb');
  const s = readLimbStreams(r, n);
  if (h.cls === PhysicalClass.INT32) {
    if (s.hiWidth !== 0) throw corruptBlock(`an Int32 block with a ${s.hiWidth}-bit high limb stream`);
    const out = new Int32Array(n);
    if (prefixSum) {
      unpackInt32(s.lo, n, s.loWidth, 0, out);
      // Differences up to 2^32 - 1 wrap in 32-bit arithmetic and come back exact.
      let acc = refLo | 0;
      for (let i = 0; i < n; i++) {
        acc = (acc + out[i]!) | 0;
        out[i] = acc;
      }
    } else {
      unpackInt32(s.lo, n, s.loWidth, refLo | 0, out);
    }
    zeroNullSlots(out, validity, n);
    return flatVector(h.type, out, validity);
  }
  if (h.cls !== PhysicalClass.FLOAT64 && h.cls !== PhysicalClass.WIDE) throw corruptBlock(`an integer encoding for a ${h.type.id} block`);
  if (h.wide) {
    const out = new BigInt64Array(n);
    const halves = new Int32Array(out.buffer);
    const { hi, lo } = unpackLimbs(s, n);
    let accHi = refHi;
    let accLo = refLo;
    for (let i = 0; i < n; i++) {
      let l = (prefixSum ? accLo : refLo) + lo[i]!;
      let carry = 0;
      if (l >= TWO_32) {
        l -= TWO_32;
        carry = 1;
      }
      // Int32Array stores wrap modulo 2^32: the high limb of an int64 sum.
      const hsum = ((prefixSum ? accHi : refHi) + hi[i]! + carry) | 0;
      halves[2 * i] = l;
      halves[2 * i + 1] = hsum;
      accHi = hsum;
      accLo = l;
    }
    zeroNullSlotsWide(out, validity, n);
    return flatVector(h.type, out, validity);
  }
  if (s.hiWidth > MAX_SAFE_HIGH_WIDTH) throw corruptBlock(`a ${s.hiWidth}-bit high limb stream in a block of doubles`);
  const out = new Float64Array(n);
  const ref = limbsToNumber(refHi, refLo);
  if (s.hiWidth === 0) {
    // Every partial result is one of the block's values (|v| <= 2^53), so plain doubles are exact.
    if (prefixSum) {
      unpackFloat64(s.lo, n, s.loWidth, 0, out);
      let acc = ref;
      for (let i = 0; i < n; i++) {
        acc += out[i]!;
        out[i] = acc;
      }
    } else {
      unpackFloat64(s.lo, n, s.loWidth, ref, out);
    }
  } else {
    const { hi, lo } = unpackLimbs(s, n);
    let accHi = refHi;
    let accLo = refLo;
    for (let i = 0; i < n; i++) {
      let l = (prefixSum ? accLo : refLo) + lo[i]!;
      let carry = 0;
      if (l >= TWO_32) {
        l -= TWO_32;
        carry = 1;
      }
      const hsum = (prefixSum ? accHi : refHi) + hi[i]! + carry;
      out[i] = hsum * TWO_32 + l;
      accHi = hsum;
      accLo = l;
    }
  }
  zeroNullSlots(out, validity, n);
  return flatVector(h.type, out, validity);
}
