// The row order of a compaction's output: the sources' live rows, concatenated source after
// source, form one run per source, each already sorted by the table's sort key (parts are
// written sorted, DESIGN.md storage/). Merging k sorted runs pairwise takes n·log2(k)
// comparisons where sorting all rows anew (the flush's sortRows) takes n·log2(n): for 4 parts of
// 250k rows, 2 comparisons per row instead of about 20.
//
// The order is sortRows' order (sort-permutation.ts: ascending, NULLs last), and ties keep the
// concatenated order, so equal keys come out source by source as a stable sort would leave them.
// A run that is not sorted (a part written by some other route) is sorted first, so the result
// is correct whatever the sources hold; checking costs one comparison per row.

import { type FlatVector } from '../../common/vector.js';
import { type RowComparator, rowComparator, sortRows } from '../memtable/sort-permutation.js';

/**
 * Row indexes into `keys` in output order. `runEnds` are the exclusive ends of the runs,
 * increasing, the last one the row count. With no key columns the order is the concatenation.
 */
export function mergeSortedRuns(keys: readonly FlatVector[], runEnds: readonly number[]): Int32Array {
  const n = runEnds.length === 0 ? 0 : runEnds[runEnds.length - 1]!;
  let src = new Int32Array(n);
  for (let i = 0; i < n; i++) src[i] = i;
  if (keys.length === 0 || n < 2) return src;
  const cmp = rowComparator(keys);
  let bounds = [0, ...runEnds];
  for (let r = 0; r + 1 < bounds.length; r++) {
    const start = bounds[r]!;
    const end = bounds[r + 1]!;
    if (!isSorted(cmp, start, end)) sortRows(keys, src.subarray(start, end));
  }
  let dst = new Int32Array(n);
  // Bottom-up: merge runs 0+1, 2+3, ... until one run is left.
  while (bounds.length > 2) {
    const next = [0];
    for (let r = 0; r + 1 < bounds.length; r += 2) {
      const s0 = bounds[r]!;
      const e0 = bounds[r + 1]!;
      const e1 = r + 2 < bounds.length ? bounds[r + 2]! : e0;
      mergeTwo(cmp, src, dst, s0, e0, e1);
      next.push(e1);
    }
    bounds = next;
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

/** True when rows start..end-1 (identity order at this point) are in key order. */
function isSorted(cmp: RowComparator, start: number, end: number): boolean {
  for (let i = start + 1; i < end; i++) if (cmp(i - 1, i) > 0) return false;
  return true;
}

/** Merges src[s0, e0) and src[e0, e1) into dst[s0, e1); on equal keys the first run's row goes first. */
function mergeTwo(cmp: RowComparator, src: Int32Array, dst: Int32Array, s0: number, e0: number, e1: number): void {
  // Runs that do not overlap (parts of disjoint key ranges, common for time-ordered keys) are
  // copied without comparing row by row.
  if (e0 === e1 || s0 === e0 || cmp(src[e0 - 1]!, src[e0]!) <= 0) {
    dst.set(src.subarray(s0, e1), s0);
    return;
  }
  let i = s0;
  let j = e0;
  let o = s0;
  let a = src[i]!;
  let b = src[j]!;
  for (;;) {
    if (cmp(b, a) < 0) {
      dst[o++] = b;
      if (++j === e1) break;
      b = src[j]!;
    } else {
      dst[o++] = a;
      if (++i === e0) break;
      a = src[i]!;
    }
  }
  if (i < e0) dst.set(src.subarray(i, e0), o);
  else dst.set(src.subarray(j, e1), o);
}
