// Per-group running sums, shared by SUM and AVG.
//
// LimbSums: exact sums of integers and scaled DECIMALs without a BigInt per row. Each group has
// a high and a low limb (doubles); a value v adds floor(v / 2^32) to hi and the remainder to lo.
// Int32 inputs go straight into lo. BigInt64Array inputs are read as two 32-bit words through an
// Int32Array view (exact, and cheaper than BigInt arithmetic). After every chunk of at most
// CHUNK rows the touched groups' lo limbs are normalized back into [0, 2^32) by carrying into
// hi, so lo never leaves the exact range of a double (2^32 * CHUNK < 2^53).
//
// FloatSums: DOUBLE sums with Neumaier compensation, so results do not depend much on the order
// rows arrive in (batches, workers, shards).

import type { FlatVector } from '../../common/vector.js';
import { internalError, overflowError } from '../../common/errors.js';
import { HI_WORD, INT64_HI_MAX, INT64_HI_MIN, LO_WORD, TWO32, wordsOf } from '../hash/int64-limbs.js';
import { growF64, type StateArray } from './state.js';

/** Rows folded between two normalizations of the low limbs. */
const CHUNK = 65536;
/** |hi| beyond this means the sum is far past int64 (2^84); stop before doubles lose exactness. */
const HI_LIMIT = 2 ** 52;

export class LimbSums {
  hi = new Float64Array(0);
  lo = new Float64Array(0);

  /** overflowMessage: the error text when a sum leaves the range SUM can return. */
  constructor(private readonly overflowMessage: string) {}

  grow(cap: number): void {
    this.hi = growF64(this.hi, cap);
    this.lo = growF64(this.lo, cap);
  }

  /**
   * Adds the non-NULL values; marks their groups in `seen` (when given) and counts them in
   * `counts` (when given).
   */
  add(
    arg: FlatVector,
    rows: Int32Array | null,
    groups: Int32Array,
    count: number,
    seen: Uint8Array | null,
    counts: Float64Array | null,
  ): void {
    const hi = this.hi;
    const lo = this.lo;
    const valid = arg.validity;
    const data = arg.data;
    if (Array.isArray(data)) throw internalError('a sum over a string column');
    for (let start = 0; start < count; start += CHUNK) {
      const end = Math.min(count, start + CHUNK);
      if (data instanceof BigInt64Array) {
        const words = wordsOf(data);
        for (let k = start; k < end; k++) {
          const i = rows === null ? k : rows[k]!;
          if (valid !== null && valid[i] === 0) continue;
          const g = groups[k]!;
          hi[g] += words[2 * i + HI_WORD]!;
          lo[g] += words[2 * i + LO_WORD]! >>> 0;
          if (seen !== null) seen[g] = 1;
          if (counts !== null) counts[g]++;
        }
      } else if (data instanceof Float64Array) {
        for (let k = start; k < end; k++) {
          const i = rows === null ? k : rows[k]!;
          if (valid !== null && valid[i] === 0) continue;
          const g = groups[k]!;
          const v = data[i]!;
          const h = Math.floor(v / TWO32);
          hi[g] += h;
          lo[g] += v - h * TWO32;
          if (seen !== null) seen[g] = 1;
          if (counts !== null) counts[g]++;
        }
      } else {
        // Int32Array (SMALLINT, INTEGER) or Uint8Array: |v| < 2^31 fits lo for a whole chunk.
        for (let k = start; k < end; k++) {
          const i = rows === null ? k : rows[k]!;
          if (valid !== null && valid[i] === 0) continue;
          const g = groups[k]!;
          lo[g] += data[i]!;
          if (seen !== null) seen[g] = 1;
          if (counts !== null) counts[g]++;
        }
      }
      for (let k = start; k < end; k++) this.normalize(groups[k]!);
    }
  }

  /** Adds v x times to group g exactly (a run of a run-length column): one BigInt per call. */
  addTimes(g: number, v: number | bigint, times: number): void {
    const product = BigInt(v) * BigInt(times);
    this.hi[g] += Number(product >> 32n);
    this.lo[g] += Number(product & 0xffffffffn);
    this.normalize(g);
  }

  /** Carries lo into hi so 0 <= lo < 2^32. */
  normalize(g: number): void {
    const l = this.lo[g]!;
    if (l >= 0 && l < TWO32) return;
    const carry = Math.floor(l / TWO32);
    this.lo[g] = l - carry * TWO32;
    const h = this.hi[g]! + carry;
    this.hi[g] = h;
    if (h > HI_LIMIT || h < -HI_LIMIT) throw overflowError(this.overflowMessage);
  }

  /** Adds other's group og into group g. */
  mergeGroup(g: number, other: LimbSums, og: number): void {
    this.hi[g] += other.hi[og]!;
    this.lo[g] += other.lo[og]!;
    this.normalize(g);
  }

  /** Throws unless group g's sum is within int64. */
  checkInt64(g: number): void {
    const h = this.hi[g]!;
    if (h < INT64_HI_MIN || h > INT64_HI_MAX) throw overflowError(this.overflowMessage);
  }

  /** The exact sum of group g. */
  exact(g: number): bigint {
    return BigInt(this.hi[g]!) * 4294967296n + BigInt(this.lo[g]!);
  }

  /** The sum as the nearest double. */
  value(g: number): number {
    return this.hi[g]! * TWO32 + this.lo[g]!;
  }

  serialize(n: number): StateArray[] {
    return [this.hi.slice(0, n), this.lo.slice(0, n)];
  }

  load(hi: Float64Array, lo: Float64Array, n: number): void {
    this.grow(n);
    this.hi.set(hi.subarray(0, n));
    this.lo.set(lo.subarray(0, n));
  }
}

export class FloatSums {
  sum = new Float64Array(0);
  comp = new Float64Array(0);

  grow(cap: number): void {
    this.sum = growF64(this.sum, cap);
    this.comp = growF64(this.comp, cap);
  }

  add(
    arg: FlatVector,
    rows: Int32Array | null,
    groups: Int32Array,
    count: number,
    seen: Uint8Array | null,
    counts: Float64Array | null,
  ): void {
    const sum = this.sum;
    const comp = this.comp;
    const valid = arg.validity;
    const data = arg.data;
    if (Array.isArray(data)) throw internalError('a sum over a string column');
    if (data instanceof BigInt64Array) {
      const words = wordsOf(data);
      for (let k = 0; k < count; k++) {
        const i = rows === null ? k : rows[k]!;
        if (valid !== null && valid[i] === 0) continue;
        const g = groups[k]!;
        this.addOne(g, words[2 * i + HI_WORD]! * TWO32 + (words[2 * i + LO_WORD]! >>> 0));
        if (seen !== null) seen[g] = 1;
        if (counts !== null) counts[g]++;
      }
      return;
    }
    if (rows === null && valid === null && counts === null && seen !== null) {
      // The common case (dense batch, no NULLs, a SUM): one branch-free loop.
      for (let k = 0; k < count; k++) {
        const g = groups[k]!;
        const v = data[k]!;
        const s = sum[g]!;
        const t = s + v;
        comp[g] += (s >= 0 ? s : -s) >= (v >= 0 ? v : -v) ? s - t + v : v - t + s;
        sum[g] = t;
        seen[g] = 1;
      }
      return;
    }
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k]!;
      if (valid !== null && valid[i] === 0) continue;
      const g = groups[k]!;
      const v = data[i]!;
      const s = sum[g]!;
      const t = s + v;
      // Neumaier: keep the low-order bits lost by the addition.
      comp[g] += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
      sum[g] = t;
      if (seen !== null) seen[g] = 1;
      if (counts !== null) counts[g]++;
    }
  }

  addOne(g: number, v: number): void {
    const s = this.sum[g]!;
    const t = s + v;
    this.comp[g] += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    this.sum[g] = t;
  }

  mergeGroup(g: number, other: FloatSums, og: number): void {
    this.addOne(g, other.sum[og]!);
    this.comp[g] += other.comp[og]!;
  }

  /** The compensated sum; an infinite or NaN running sum is the answer as it stands. */
  value(g: number): number {
    const s = this.sum[g]!;
    return Number.isFinite(s) ? s + this.comp[g]! : s;
  }

  serialize(n: number): StateArray[] {
    return [this.sum.slice(0, n), this.comp.slice(0, n)];
  }

  load(sum: Float64Array, comp: Float64Array, n: number): void {
    this.grow(n);
    this.sum.set(sum.subarray(0, n));
    this.comp.set(comp.subarray(0, n));
  }
}
