// The star join's fast path (hash-join.ts): an inner join on one 32-bit integer key whose build
// keys are unique and span a small range — a dimension's primary key — needs no hash table. The
// build row of key k is rowOf[k - min], and since each probe row matches at most one build row,
// the probe batch's own vectors are the output's left columns: the matched rows become its
// selection and only the build side's columns are gathered (into vectors as long as the batch,
// at the matched positions). A batch that keeps few rows is compacted instead, so a sparse
// selection does not carry full-length vectors up the plan.

import { type Batch, makeBatch } from '../../common/batch.js';
import type { LogicalType } from '../../common/types.js';
import { type FlatVector, flatten, runIndexes, type Vector } from '../../common/vector.js';
import { gatherFlat, gatherVector, withType } from './row-collection.js';

/** Largest key range (max - min + 1) the lookup array covers: 32 MiB of Int32. */
const MAX_RANGE = 1 << 23;
/** Largest build side whose string columns are passed on as dictionaries. */
const DICTIONARY_MAX = 1 << 16;
/** Below this share of a batch's rows kept, the output is compacted. */
const COMPACT_BELOW = 1 / 8;

export class DirectJoin {
  private constructor(
    private readonly min: number,
    private readonly rowOf: Int32Array,
    private readonly leftKey: number,
    private readonly leftTypes: readonly LogicalType[],
    private readonly right: readonly FlatVector[],
    private readonly rightTypes: readonly LogicalType[],
  ) {}

  /** The lookup for build key column `keys` (INTEGER-like, flat), or null when the keys repeat,
   *  span too much, or there are none. */
  static build(keys: FlatVector, leftKey: number, leftTypes: readonly LogicalType[], right: readonly FlatVector[], rightTypes: readonly LogicalType[]): DirectJoin | null {
    const data = keys.data as Int32Array;
    const valid = keys.validity;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < keys.length; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const k = data[i]!;
      if (k < min) min = k;
      if (k > max) max = k;
    }
    if (min > max || max - min + 1 > MAX_RANGE) return null;
    const rowOf = new Int32Array(max - min + 1).fill(-1);
    for (let i = 0; i < keys.length; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const o = data[i]! - min;
      if (rowOf[o] !== -1) return null;
      rowOf[o] = i;
    }
    return new DirectJoin(min, rowOf, leftKey, leftTypes, right, rightTypes);
  }

  /** The join of one probe batch, or null when no row matches. */
  probe(lb: Batch): Batch | null {
    const n = lb.count;
    const sel = lb.selection;
    // Sized by the rows selected, not the batch: under join filters a star join's probe batch
    // arrives with few rows selected of many.
    const kept = new Int32Array(n);
    const matched = new Int32Array(n);
    const m = this.match(lb.columns[this.leftKey]!, sel, n, kept, matched);
    if (m === 0) return null;
    const keep = kept.subarray(0, m);
    if (m < lb.length * COMPACT_BELOW) {
      const cols: Vector[] = lb.columns.map((v, c) => gatherVector(v, keep, m, this.leftTypes[c]!));
      for (let c = 0; c < this.right.length; c++) cols.push(this.rightColumn(c, matched, m));
      return makeBatch(cols, m, null);
    }
    // rows[p] = the build row of matched probe row p; unmatched positions keep 0, any valid
    // row, since the selection leaves them out.
    const rows = new Int32Array(lb.length);
    for (let k = 0; k < m; k++) rows[keep[k]!] = matched[k]!;
    const cols: Vector[] = lb.columns.map((v, c) => withType(v, this.leftTypes[c]!));
    for (let c = 0; c < this.right.length; c++) cols.push(this.rightColumn(c, rows, lb.length));
    return makeBatch(cols, lb.length, m === lb.length && sel === null ? null : keep);
  }

  /** Build column `c` at build rows `rows`: strings of a small build side as a dictionary vector
   *  over the whole column (no string is copied, and grouping or comparing by it works per
   *  entry, cached across batches); other columns gathered. */
  private rightColumn(c: number, rows: Int32Array, n: number): Vector {
    const col = this.right[c]!;
    if (Array.isArray(col.data) && col.length <= DICTIONARY_MAX) {
      return { kind: 'dictionary', type: this.rightTypes[c]!, length: n, codes: rows.length === n ? rows : rows.subarray(0, n), dictionary: withType(col, this.rightTypes[c]!) as FlatVector };
    }
    return gatherFlat(col, rows, n, this.rightTypes[c]!);
  }

  /** Writes the matched probe rows (physical positions) to `kept` and their build rows to
   *  `matched`, both in order; returns how many matched. */
  private match(v: Vector, sel: Int32Array | null, n: number, kept: Int32Array, matched: Int32Array): number {
    const rowOf = this.rowOf;
    const min = this.min;
    const span = rowOf.length - 1;
    if (v.kind === 'rle' || v.kind === 'dictionary') {
      // Each run or dictionary entry is looked up once.
      const values = v.kind === 'rle' ? v.values : v.dictionary;
      const data = values.data as Int32Array;
      const valid = values.validity;
      const entry = new Int32Array(values.length);
      for (let e = 0; e < values.length; e++) {
        const o = data[e]! - min;
        entry[e] = (valid === null || valid[e] === 1) && o >>> 0 <= span ? rowOf[o]! : -1;
      }
      let codes: Int32Array;
      if (v.kind === 'dictionary') codes = v.codes;
      else {
        const phys = sel ?? identity(n);
        const runs = runIndexes(v, phys, n);
        let m = 0;
        for (let k = 0; k < n; k++) {
          const r = entry[runs[k]!]!;
          kept[m] = phys[k]!;
          matched[m] = r;
          m += r >= 0 ? 1 : 0;
        }
        return m;
      }
      let m = 0;
      for (let k = 0; k < n; k++) {
        const p = sel === null ? k : sel[k]!;
        const r = entry[codes[p]!]!;
        kept[m] = p;
        matched[m] = r;
        m += r >= 0 ? 1 : 0;
      }
      return m;
    }
    const flat = flatten(v);
    const data = flat.data as Int32Array;
    const valid = flat.validity;
    let m = 0;
    for (let k = 0; k < n; k++) {
      const p = sel === null ? k : sel[k]!;
      const o = data[p]! - min;
      const r = (valid === null || valid[p] === 1) && o >>> 0 <= span ? rowOf[o]! : -1;
      kept[m] = p;
      matched[m] = r;
      m += r >= 0 ? 1 : 0;
    }
    return m;
  }
}

function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
