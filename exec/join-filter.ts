// Join filters (sideways information passing): once a hash join has built its table, the
// values of its build keys tell the probe side which rows can match. The join publishes a
// JoinFilter; a scan under its probe input (found by the planner, sql/planner/join-filters.ts)
// turns it into a range predicate on the key column, so zone maps skip whole blocks, and into a
// per-row membership test that runs before the scan reads its other columns (late
// materialization). In a star join the filtered dimensions thus cut the fact table down
// before any other fact column is decoded.
//
// Only for keys held as 32-bit integers (INTEGER, SMALLINT, DATE) and joins that drop probe
// rows without a match (inner, semi, right). The test is exact over a table of the build keys
// when their range is small enough, else it only checks the range.

import type { FlatVector, Vector } from '../common/vector.js';
import { flatten, runFrom } from '../common/vector.js';

/** Largest key range (max - min + 1) a filter keeps a membership table for: one byte per
 *  value (8 MiB at most), which tests faster than bits. */
const MAX_TABLE_RANGE = 1 << 23;

export class JoinFilter {
  private constructor(
    /** Smallest and largest non-NULL build key. */
    readonly min: number,
    readonly max: number,
    /** Byte (k - min) is 1 for every build key k; null when the range is too wide. */
    private readonly table: Uint8Array | null,
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
    if (range > MAX_TABLE_RANGE) return new JoinFilter(min, max, null, n);
    // One byte past the range stays 0: where out-of-range keys are sent (selectDense).
    const table = new Uint8Array(range + 1);
    for (let i = 0; i < keys.length; i++) if (valid === null || valid[i] === 1) table[data[i]! - min] = 1;
    return new JoinFilter(min, max, table, n);
  }

  /** Whether key `k` may have a match. */
  mayMatch(k: number): boolean {
    if (k < this.min || k > this.max) return false;
    return this.table === null || this.table[k - this.min] === 1;
  }

  /**
   * The rows among `count` (row k = physical row sel[k], or k) of vector `v` whose key may match,
   * as a selection of physical rows; NULL keys never do. Written to `into` when given (at least
   * `count` long; it may be `sel` itself: row k is read before position k is written), else to
   * a new array.
   */
  select(v: Vector, sel: Int32Array | null, count: number, into?: Int32Array): Int32Array {
    const out = into ?? new Int32Array(count);
    let n = 0;
    switch (v.kind) {
      case 'constant': {
        if (v.value === null || !this.mayMatch(v.value as number)) return out.subarray(0, 0);
        for (let k = 0; k < count; k++) out[k] = sel === null ? k : sel[k]!;
        return out.subarray(0, count);
      }
      case 'rle': {
        // One test per run; with a selection (ascending), the runs are walked alongside it.
        const values = v.values.data as Int32Array;
        const valid = v.values.validity;
        const ends = v.runEnds;
        if (this.table !== null && valid === null) {
          const span = this.max - this.min;
          return out.subarray(0, sel === null ? runsDense(values, ends, this.min, span, this.table, out) : runsSparse(values, ends, this.min, span, this.table, sel, count, out));
        }
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
            r = runFrom(ends, r, row);
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
    const table = this.table;
    if (table !== null && valid === null) return out.subarray(0, sel === null ? selectDense(data, min, span, table, count, out) : selectSparse(data, min, span, table, sel, count, out));
    for (let k = 0; k < count; k++) {
      const r = sel === null ? k : sel[k]!;
      if (valid !== null && valid[r] === 0) continue;
      const o = data[r]! - min;
      if (o >>> 0 > span) continue;
      if (table !== null && table[o] === 0) continue;
      out[n++] = r;
    }
    return out.subarray(0, n);
  }

  describe(): string {
    return `${this.keyCount} key(s) in [${this.min}, ${this.max}]${this.table === null ? '' : ', exact'}`;
  }
}

// The hot loops, kept apart so each stays small and monomorphic. The row is written always and
// kept by advancing n: no branch on the (unpredictable) result. Nor on the range: an offset
// outside [0, span] is sent to the table's last byte, which is 0, by integer arithmetic (`bad`
// is -1 exactly when o < 0 or o > span) — a branch there mispredicts whenever the probe keys
// spread past the build keys' range, and doubled the loop's time. A key so far from `min` that
// the 32-bit offset wraps may pass: a filter may keep extra rows (the join still compares keys),
// never drop one that matches.
function selectDense(data: Int32Array, min: number, span: number, table: Uint8Array, count: number, out: Int32Array): number {
  const lim = span + 1;
  let n = 0;
  for (let r = 0; r < count; r++) {
    const o = (data[r]! - min) | 0;
    const bad = (o >> 31) | ((span - o) >> 31);
    out[n] = r;
    n += table[(o & ~bad) | (lim & bad)]!;
  }
  return n;
}

function selectSparse(data: Int32Array, min: number, span: number, table: Uint8Array, sel: Int32Array, count: number, out: Int32Array): number {
  const lim = span + 1;
  let n = 0;
  for (let k = 0; k < count; k++) {
    const r = sel[k]!;
    const o = (data[r]! - min) | 0;
    const bad = (o >> 31) | ((span - o) >> 31);
    out[n] = r;
    n += table[(o & ~bad) | (lim & bad)]!;
  }
  return n;
}

function runsDense(values: Int32Array, ends: Int32Array, min: number, span: number, table: Uint8Array, out: Int32Array): number {
  let n = 0;
  let start = 0;
  for (let r = 0; r < ends.length; r++) {
    const end = ends[r]!;
    const o = values[r]! - min;
    if (o >>> 0 <= span && table[o] === 1) for (let i = start; i < end; i++) out[n++] = i;
    start = end;
  }
  return n;
}

function runsSparse(values: Int32Array, ends: Int32Array, min: number, span: number, table: Uint8Array, sel: Int32Array, count: number, out: Int32Array): number {
  let n = 0;
  // The run of the last row looked up; -1 before the first (whose run is then 0 or after).
  let r = -1;
  let end = -1;
  let pass = 0;
  for (let k = 0; k < count; k++) {
    const row = sel[k]!;
    if (row >= end) {
      // Past run r: most often the row is in the next run (checked here, no call), else ahead.
      if (ends[++r]! <= row) r = runFrom(ends, r, row);
      end = ends[r]!;
      const o = values[r]! - min;
      pass = o >>> 0 <= span ? table[o]! : 0;
    }
    out[n] = row;
    n += pass;
  }
  return n;
}
