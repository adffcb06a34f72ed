// Rows that arrive as a few sorted runs, merged instead of sorted (sort-batches.ts). A large
// file is parsed by worker threads, each of which sorts its own range by the table's sort key
// (exec/io/csv-range-sort.ts), so a bulk load's rows come as one sorted run per range, in file
// order. Merging them with ties taken from the earlier run first is the stable sort of the
// whole file, whatever the runs are: they are found here from the keys, never trusted.
//
// The merge is a list of segments, rows [start, start + length) of the input that go to the
// output in that order. Runs sorted by a date hold each date in one stretch, so two runs make
// two segments per date (thousands in all for millions of rows), and each column is moved by
// one typed-array copy per segment instead of a write per row.

import { BATCH_SIZE } from '../../common/batch.js';
import type { FlatVector } from '../../common/vector.js';
import { rowComparator } from './sort-permutation.js';

/** Most runs merged; rows in more runs than this are sorted (they came unsorted). */
export const MAX_MERGED_RUNS = 16;

/** Where each piece of output goes: the input split at piece boundaries and output chunks of BATCH_SIZE rows. */
export interface CopyPlan {
  /** Per copy: input piece, first row in it, output chunk, first row in it, rows. */
  readonly piece: Int32Array;
  readonly from: Int32Array;
  readonly chunk: Int32Array;
  readonly to: Int32Array;
  readonly rows: Int32Array;
  readonly count: number;
  /** Rows of each output chunk. */
  readonly chunkRows: number[];
}

/**
 * The starts of the ascending runs of the rows (keys in sortRows' order: ascending, NULLs
 * last), the first being 0; null when there are more than `maxRuns`. Every key vector MUST use
 * one representation for all rows (concatFlat ensures it), as in sortRows.
 */
export function findRuns(keys: readonly FlatVector[], maxRuns: number): number[] | null {
  const n = keys[0]!.length;
  const starts = [0];
  const key = keys[0]!;
  if (keys.length === 1 && key.data instanceof Int32Array) {
    const d = key.data;
    const v = key.validity;
    for (let p = 1; p < n; p++) {
      if (rank(d, v, p) < rank(d, v, p - 1)) {
        if (starts.length === maxRuns) return null;
        starts.push(p);
      }
    }
    return starts;
  }
  const cmp = rowComparator(keys);
  for (let p = 1; p < n; p++) {
    if (cmp(p - 1, p) > 0) {
      if (starts.length === maxRuns) return null;
      starts.push(p);
    }
  }
  return starts;
}

/** A NULL's rank: above every 32-bit integer. */
const NULL_RANK = 2 ** 32;
/** Above every rank: no bound. */
const NO_BOUND = 2 ** 33;

function rank(d: Int32Array, v: Uint8Array | null, p: number): number {
  return v !== null && v[p] === 0 ? NULL_RANK : d[p]!;
}

/** Growing arrays of segments. */
class Segments {
  start = new Int32Array(1024);
  length = new Int32Array(1024);
  count = 0;

  add(start: number, length: number): void {
    if (this.count === this.start.length) {
      const s = new Int32Array(this.count * 2);
      s.set(this.start);
      this.start = s;
      const l = new Int32Array(this.count * 2);
      l.set(this.length);
      this.length = l;
    }
    this.start[this.count] = start;
    this.length[this.count++] = length;
  }
}

/**
 * The merge of the runs (starts from findRuns, the last ending at the rows' count) as segments
 * in output order. Each step takes rows from the run with the smallest head (the earliest such
 * run on a tie) for as long as they stay below every earlier run's head and not above any later
 * run's head: equal keys leave earlier runs first, which keeps them in input order.
 */
export function mergeSegments(keys: readonly FlatVector[], runStarts: readonly number[]): Segments {
  const n = keys[0]!.length;
  const k = runStarts.length;
  const heads = Int32Array.from(runStarts);
  const ends = Int32Array.from(runStarts, (_, r) => (r + 1 < k ? runStarts[r + 1]! : n));
  const out = new Segments();
  const key = keys[0]!;
  if (keys.length === 1 && key.data instanceof Int32Array) mergeInt32(key.data, key.validity, heads, ends, out);
  else mergeCompared(rowComparator(keys), heads, ends, out);
  return out;
}

function mergeInt32(d: Int32Array, v: Uint8Array | null, heads: Int32Array, ends: Int32Array, out: Segments): void {
  const k = heads.length;
  for (;;) {
    let i = -1;
    let least = NO_BOUND;
    for (let r = 0; r < k; r++) {
      if (heads[r]! === ends[r]!) continue;
      const x = rank(d, v, heads[r]!);
      if (x < least) {
        least = x;
        i = r;
      }
    }
    if (i < 0) return;
    // Rows of run i go while below `below` (earlier runs' heads) and at most `atMost` (later ones').
    let below = NO_BOUND;
    let atMost = NO_BOUND;
    for (let r = 0; r < k; r++) {
      if (r === i || heads[r]! === ends[r]!) continue;
      const x = rank(d, v, heads[r]!);
      if (r < i) below = Math.min(below, x);
      else atMost = Math.min(atMost, x);
    }
    const start = heads[i]!;
    const end = ends[i]!;
    let p = start + 1;
    while (p < end) {
      const x = rank(d, v, p);
      if (x >= below || x > atMost) break;
      p++;
    }
    out.add(start, p - start);
    heads[i] = p;
  }
}

function mergeCompared(cmp: (a: number, b: number) => number, heads: Int32Array, ends: Int32Array, out: Segments): void {
  const k = heads.length;
  for (;;) {
    let i = -1;
    for (let r = 0; r < k; r++) {
      if (heads[r]! === ends[r]!) continue;
      if (i < 0 || cmp(heads[r]!, heads[i]!) < 0) i = r;
    }
    if (i < 0) return;
    const start = heads[i]!;
    const end = ends[i]!;
    let p = start + 1;
    for (; p < end; p++) {
      let ok = true;
      for (let r = 0; r < k && ok; r++) {
        if (r === i || heads[r]! === ends[r]!) continue;
        const c = cmp(p, heads[r]!);
        ok = r < i ? c < 0 : c <= 0;
      }
      if (!ok) break;
    }
    out.add(start, p - start);
    heads[i] = p;
  }
}

/** Splits the segments (rows of the concatenated pieces of `pieceRows` rows each) at piece and output chunk boundaries. */
export function copyPlan(segments: Segments, pieceRows: readonly number[]): CopyPlan {
  const pieceStart: number[] = [];
  let n = 0;
  for (const rows of pieceRows) {
    pieceStart.push(n);
    n += rows;
  }
  const chunkRows: number[] = [];
  for (let start = 0; start < n; start += BATCH_SIZE) chunkRows.push(Math.min(BATCH_SIZE, n - start));
  // Each segment adds at most one copy per piece and chunk boundary it crosses.
  const most = segments.count + pieceRows.length + chunkRows.length;
  const piece = new Int32Array(most);
  const from = new Int32Array(most);
  const chunk = new Int32Array(most);
  const to = new Int32Array(most);
  const rows = new Int32Array(most);
  let count = 0;
  let c = 0;
  let at = 0;
  for (let s = 0; s < segments.count; s++) {
    let row = segments.start[s]!;
    let left = segments.length[s]!;
    let p = pieceOf(pieceStart, row);
    while (left > 0) {
      while (row - pieceStart[p]! >= pieceRows[p]!) p++;
      const offset = row - pieceStart[p]!;
      const m = Math.min(left, pieceRows[p]! - offset, BATCH_SIZE - at);
      piece[count] = p;
      from[count] = offset;
      chunk[count] = c;
      to[count] = at;
      rows[count++] = m;
      row += m;
      left -= m;
      at += m;
      if (at === BATCH_SIZE) {
        c++;
        at = 0;
      }
    }
  }
  return { piece, from, chunk, to, rows, count, chunkRows };
}

/** The piece holding `row`: the last one starting at or before it. */
function pieceOf(pieceStart: readonly number[], row: number): number {
  let lo = 0;
  let hi = pieceStart.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pieceStart[mid]! <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
