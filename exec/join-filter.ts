// Join filters (sideways information passing): once a hash join has built its table, the
// values of its build keys tell the probe side which rows can match. The join publishes a
// JoinFilter; a scan under its probe input (found by the planner, sql/planner/join-filters.ts)
// turns it into a range predicate on the key column, so zone maps skip whole blocks, and into a
// per-row membership test that runs before the scan reads its other columns (late
// materialization). In a star join the filtered dimensions thus cut the fact table down
// before any other fact column is decoded.
//
// Only for keys held as 32-bit integers (INTEGER, SMALLINT, DATE) and joins that drop probe
// rows without a match (inner, semi, right). The test is exact over a bitmap of the build keys
// when their range is small enough, else it only checks the range.

import type { FlatVector, Vector } from '../common/vector.js';
import { flatten } from '../common/vector.js';

/** Largest key range (max - min + 1) a filter keeps as a bitmap: 2 MiB of bits. */
const MAX_BITMAP_RANGE = 1 << 24;

export class JoinFilter {
  private constructor(
    /** Smallest and largest non-NULL build key. */
    readonly min: number,
    readonly max: number,
    /** Bit (k - min) set for every build key k; null when the range is too wide. */
    private readonly bits: Uint8Array | null,
    readonly keyCount: number,
  ) {}

  /** The filter of a build side's key column (Int32Array data), or null when it has no
   *  non-NULL key (the join then matches nothing and never reads its probe side). */
  static fromKeys(keys: FlatVector): JoinFilter | null {
    const data = keys.data as Int32Array;
    const valid = keys.validity;
    let min = Infinity;
    let max = -Infinity;
    let n = 0;
    for (let i = 0; i < keys.length; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const k = data[i]!;
      if (k < min) min = k;
      if (k > max) max = k;
      n++;
    }
    if (n === 0) return null;
    const range = max - min + 1;
    if (range > MAX_BITMAP_RANGE) return new JoinFilter(min, max, null, n);
    const bits = new Uint8Array((range + 7) >>> 3);
    for (let i = 0; i < keys.length; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const o = data[i]! - min;
      bits[o >>> 3]! |= 1 << (o & 7);
    }
    return new JoinFilter(min, max, bits, n);
  }

  /** Whether key `k` may have a match. */
  mayMatch(k: number): boolean {
    if (k < this.min || k > this.max) return false;
    const bits = this.bits;
    if (bits === null) return true;
    const o = k - this.min;
    return (bits[o >>> 3]! & (1 << (o & 7))) !== 0;
  }

  /**
   * The rows among `count` (row k = physical row sel[k], or k) of vector `v` whose key may match,
   * as a selection of physical rows; NULL keys never do.
   */
  select(v: Vector, sel: Int32Array | null, count: number): Int32Array {
    const out = new Int32Array(count);
    let n = 0;
    switch (v.kind) {
      case 'constant': {
        if (v.value === null || !this.mayMatch(v.value as number)) return out.subarray(0, 0);
        for (let k = 0; k < count; k++) out[k] = sel === null ? k : sel[k]!;
        return out;
      }
      case 'rle': {
        // One test per run; with a selection (ascending), the runs are walked alongside it.
        const values = v.values.data as Int32Array;
        const valid = v.values.validity;
        const ends = v.runEnds;
        if (sel === null) {
          let start = 0;
          for (let r = 0; r < ends.length; r++) {
            const end = ends[r]!;
            if ((valid === null || valid[r] === 1) && this.mayMatch(values[r]!)) for (let i = start; i < end; i++) out[n++] = i;
            start = end;
          }
          return out.subarray(0, n);
        }
        let r = 0;
        let pass = false;
        let end = -1;
        for (let k = 0; k < count; k++) {
          const row = sel[k]!;
          if (row >= end) {
            while (ends[r]! <= row) r++;
            end = ends[r]!;
            pass = (valid === null || valid[r] === 1) && this.mayMatch(values[r]!);
          }
          if (pass) out[n++] = row;
        }
        return out.subarray(0, n);
      }
      case 'dictionary': {
        // One test per dictionary entry.
        const dict = v.dictionary;
        const values = dict.data as Int32Array;
        const pass = new Uint8Array(dict.length);
        for (let d = 0; d < dict.length; d++) pass[d] = (dict.validity === null || dict.validity[d] === 1) && this.mayMatch(values[d]!) ? 1 : 0;
        const codes = v.codes;
        for (let k = 0; k < count; k++) {
          const r = sel === null ? k : sel[k]!;
          if (pass[codes[r]!] === 1) out[n++] = r;
        }
        return out.subarray(0, n);
      }
      case 'flat':
        break;
    }
    const flat = flatten(v);
    const data = flat.data as Int32Array;
    const valid = flat.validity;
    const min = this.min;
    const span = this.max - min;
    const bits = this.bits;
    // Unsigned compare: x - min outside [0, span] is out of range, one test for both ends.
    if (bits !== null && valid === null && sel === null) {
      for (let r = 0; r < count; r++) {
        const o = data[r]! - min;
        if (o >>> 0 <= span && (bits[o >>> 3]! & (1 << (o & 7))) !== 0) out[n++] = r;
      }
      return out.subarray(0, n);
    }
    if (bits !== null && valid === null) {
      for (let k = 0; k < count; k++) {
        const r = sel![k]!;
        const o = data[r]! - min;
        if (o >>> 0 <= span && (bits[o >>> 3]! & (1 << (o & 7))) !== 0) out[n++] = r;
      }
      return out.subarray(0, n);
    }
    for (let k = 0; k < count; k++) {
      const r = sel === null ? k : sel[k]!;
      if (valid !== null && valid[r] === 0) continue;
      const o = data[r]! - min;
      if (o >>> 0 > span) continue;
      if (bits !== null && (bits[o >>> 3]! & (1 << (o & 7))) === 0) continue;
      out[n++] = r;
    }
    return out.subarray(0, n);
  }

  describe(): string {
    return `${this.keyCount} key(s) in [${this.min}, ${this.max}]${this.bits === null ? '' : ', bitmap'}`;
  }
}
