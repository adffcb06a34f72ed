// The order a flush writes memtable rows in: the table's sort key, ascending, NULLs last (as the
// engine sorts, DESIGN.md "NULLs sort as larger than every value"). Numbers compare by value with
// NaN greatest (-0 equals 0), BIGINT/DECIMAL by exact value, strings by UTF-16 code unit. Ties
// keep row order, so equal keys stay in insertion order whatever the sort algorithm does.

import type { FlatVector } from '../../common/vector.js';
import { radixSortRows } from './radix-sort.js';

export type RowComparator = (a: number, b: number) => number;

/**
 * The comparator of one key column, specialized once per sort by representation and by whether
 * the column has NULLs, so the comparison loop reads one monomorphic array.
 */
function keyComparator(v: FlatVector): RowComparator {
  const d = v.data;
  const valid = v.validity;
  let cmp: RowComparator;
  if (d instanceof Int32Array || d instanceof Uint8Array) {
    cmp = (a, b) => d[a]! - d[b]!;
  } else if (d instanceof Float64Array) {
    cmp = (a, b) => {
      const x = d[a]!;
      const y = d[b]!;
      if (x < y) return -1;
      if (x > y) return 1;
      // Equal, or at least one NaN: NaN sorts after every other number.
      return (x !== x ? 1 : 0) - (y !== y ? 1 : 0);
    };
  } else if (d instanceof BigInt64Array) {
    cmp = (a, b) => {
      const x = d[a]!;
      const y = d[b]!;
      return x < y ? -1 : x > y ? 1 : 0;
    };
  } else {
    // String < compares UTF-16 code units.
    cmp = (a, b) => {
      const x = d[a]!;
      const y = d[b]!;
      return x < y ? -1 : x > y ? 1 : 0;
    };
  }
  if (valid === null) return cmp;
  return (a, b) => {
    const va = valid[a]!;
    const vb = valid[b]!;
    if ((va & vb) === 0) return vb - va;
    return cmp(a, b);
  };
}

/**
 * Sorts `rows` (indexes into the key vectors) in place by the key vectors, ascending, NULLs last,
 * stably. Every key vector MUST use one representation for all rows (concatFlat ensures it).
 */
export function sortRows(keys: readonly FlatVector[], rows: Int32Array): Int32Array {
  if (keys.length === 0) return rows;
  const key = keys[0]!;
  // One 32-bit integer key sorts in linear time; the radix sort keeps ties in the order given,
  // which is the row order asked for when the rows ascend (every caller passes them so).
  if (keys.length === 1 && key.data instanceof Int32Array && ascending(rows)) return radixSortRows(key.data, key.validity, rows);
  const cmp = rowComparator(keys);
  return rows.sort((a, b) => {
    const c = cmp(a, b);
    return c !== 0 ? c : a - b;
  });
}

function ascending(rows: Int32Array): boolean {
  for (let i = 1; i < rows.length; i++) if (rows[i]! <= rows[i - 1]!) return false;
  return true;
}

/**
 * Compares rows a and b (indexes into the key vectors) in sortRows' order, 0 for equal keys (no
 * tie-break): for merging runs that are already sorted (compaction). Same representation rule
 * as sortRows; `keys` MUST NOT be empty.
 */
export function rowComparator(keys: readonly FlatVector[]): RowComparator {
  const cmps = keys.map(keyComparator);
  const first = cmps[0]!;
  const count = cmps.length;
  if (count === 1) return first;
  return (a, b) => {
    let c = first(a, b);
    for (let k = 1; c === 0 && k < count; k++) c = cmps[k]!(a, b);
    return c;
  };
}

/** The same order for two values of possibly different vectors and representations (stats: min and max). */
export function compareValues(v: FlatVector, a: number, w: FlatVector, b: number): number {
  const x = v.data[a]!;
  const y = w.data[b]!;
  if (typeof x === 'string' || typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === 'bigint' || typeof y === 'bigint') {
    if (typeof x === 'number' && x !== x) return 1;
    if (typeof y === 'number' && y !== y) return -1;
    // A number here is an integer (BIGINT/DECIMAL Float64 values are), so BigInt is exact.
    const bx = BigInt(x);
    const by = BigInt(y);
    return bx < by ? -1 : bx > by ? 1 : 0;
  }
  if (x < y) return -1;
  if (x > y) return 1;
  return (x !== x ? 1 : 0) - (y !== y ? 1 : 0);
}
