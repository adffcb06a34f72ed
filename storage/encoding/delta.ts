// Delta encoding for sorted integers: the first value, then each value minus the previous
// non-NULL one, bit-packed with the fewest bits that hold the largest step. A sorted key
// (row ids, dates, timestamps in ORDER BY order) needs a few bits per row however wide its
// range. Holds the same types as bitpacking, when the block's non-NULL values never decrease.
// Payload: i32 high and u32 low limb of the first value, then the limb streams of the steps.
// A NULL row has step 0 and decodes to 0.

import type { Vector } from '../../common/vector.js';
import type { BlockEncoding } from './block-encoding.js';
import { EncodingId } from './encoding-kind.js';
import { decodeIntegers, integerEncodingUnsupported } from './frame-of-reference.js';
import { blockLimbs, TWO_32, writeLimbStreams } from './limbs.js';
import { PhysicalClass } from './physical-class.js';

const NO_LIMBS = new Uint32Array(0);

export const delta: BlockEncoding = {
  id: EncodingId.DELTA,
  name: 'delta',
  rowValidity: true,

  unsupported(a) {
    const why = integerEncodingUnsupported('delta', a);
    if (why !== null) return why;
    return a.stats.sorted ? null : 'delta needs non-decreasing values; this block is not sorted';
  },

  estimate: (a) => 16 + Math.ceil((a.stats.rows * a.deltaBits) / 32) * 4,

  encode(a, w) {
    const n = a.stats.rows;
    const valid = a.values.validity;
    if (a.cls === PhysicalClass.INT32) {
      const data = a.values.data as Int32Array;
      // Sorted: the first non-NULL value is the minimum.
      const first = a.stats.min === null ? 0 : (a.stats.min as number);
      const steps = new Uint32Array(n);
      let prev = first;
      let maxStep = 0;
      for (let i = 0; i < n; i++) {
        if (valid !== null && valid[i] === 0) continue;
        const x = data[i]!;
        const d = x - prev;
        steps[i] = d;
        if (d > maxStep) maxStep = d;
        prev = x;
      }
      w.i32(first < 0 ? -1 : 0);
      w.u32(first >>> 0);
      writeLimbStreams(w, NO_LIMBS, steps, n, 0, maxStep);
      return;
    }
    const { hi, lo } = blockLimbs(a.values.data as Float64Array | BigInt64Array, n);
    let firstRow = 0;
    while (firstRow < n && valid !== null && valid[firstRow] === 0) firstRow++;
    const firstHi = firstRow < n ? hi[firstRow]! : 0;
    const firstLo = firstRow < n ? lo[firstRow]! : 0;
    const dhi = new Uint32Array(n);
    const dlo = new Uint32Array(n);
    let prevHi = firstHi;
    let prevLo = firstLo;
    let maxHi = 0;
    let maxLo = 0;
    for (let i = firstRow; i < n; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const h0 = hi[i]!;
      const l0 = lo[i]!;
      let l = l0 - prevLo;
      let borrow = 0;
      if (l < 0) {
        l += TWO_32;
        borrow = 1;
      }
      const h = h0 - prevHi - borrow;
      dlo[i] = l;
      dhi[i] = h;
      if (h > maxHi) maxHi = h;
      if (l > maxLo) maxLo = l;
      prevHi = h0;
      prevLo = l0;
    }
    w.i32(firstHi);
    w.u32(firstLo);
    writeLimbStreams(w, dhi, dlo, n, maxHi, maxLo);
  },

  decode(r, h, validity): Vector {
    return decodeIntegers(r, h, validity, true);
  },
};
