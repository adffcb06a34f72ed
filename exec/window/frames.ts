// Window frames: for every sorted position j, the rows [start[j], end[j]) of its frame, in sorted
// positions (exec/window/partitions.ts). ROWS offsets count rows; RANGE offsets are distances in
// the single ORDER BY key's units, found by binary search over the partition's sorted keys.
// RANGE edge cases, as PostgreSQL and DuckDB: CURRENT ROW means the current row's peers; rows
// whose key is NULL take no part in offset bounds of other rows, and a NULL-key row's offset
// bounds are its peers (the other NULLs); UNBOUNDED bounds always reach the partition's ends.
// An end before its start gives an empty frame (end = start).

import { internalError } from '../../common/errors.js';
import type { FlatVector } from '../../common/vector.js';
import type { SortKey, WindowBound, WindowFrame } from '../plan.js';
import type { SortedRows } from './partitions.js';

export interface Frames {
  start: Int32Array;
  end: Int32Array;
}

export function computeFrames(rows: SortedRows, frame: WindowFrame, orderBy: readonly SortKey[], cols: readonly FlatVector[]): Frames {
  const n = rows.n;
  const start = new Int32Array(n);
  const end = new Int32Array(n);
  const range = frame.units === 'range' && (isOffset(frame.start) || isOffset(frame.end));
  const keys = range ? rangeKeys(rows, orderBy, cols) : null;
  for (let j = 0; j < n; j++) {
    const s = bound(rows, frame, frame.start, j, keys, false);
    const e = bound(rows, frame, frame.end, j, keys, true);
    start[j] = s;
    end[j] = e < s ? s : e;
  }
  return { start, end };
}

function isOffset(b: WindowBound): boolean {
  return b.kind === 'preceding' || b.kind === 'following';
}

/** RANGE keys in sorted order, negated for DESC so they ascend; `valid` 0 for NULL keys. */
interface RangeKeys {
  value: Float64Array;
  valid: Uint8Array;
  /** Per sorted position: the partition's rows with a non-NULL key, [nonNullStart, nonNullEnd)
   *  (NULLs sort all first or all last within a partition). */
  nonNullStart: Int32Array;
  nonNullEnd: Int32Array;
}

function rangeKeys(rows: SortedRows, orderBy: readonly SortKey[], cols: readonly FlatVector[]): RangeKeys {
  if (orderBy.length !== 1) throw internalError(`a RANGE frame with an offset needs exactly one ORDER BY key, the plan has ${orderBy.length}`);
  const key = orderBy[0]!;
  const col = cols[key.index]!;
  const data = col.data;
  if (Array.isArray(data)) throw internalError('a RANGE frame with an offset over a string key');
  const sign = key.desc ? -1 : 1;
  const value = new Float64Array(rows.n);
  const valid = new Uint8Array(rows.n);
  for (let j = 0; j < rows.n; j++) {
    const r = rows.perm[j]!;
    if (col.validity !== null && col.validity[r] === 0) continue;
    valid[j] = 1;
    value[j] = sign * Number(data[r]!);
  }
  const nonNullStart = new Int32Array(rows.n);
  const nonNullEnd = new Int32Array(rows.n);
  for (let ps = 0; ps < rows.n; ps = rows.partEnd[ps]!) {
    const pe = rows.partEnd[ps]!;
    let lo = ps;
    let hi = pe;
    while (lo < hi && valid[lo] === 0) lo++;
    while (hi > lo && valid[hi - 1] === 0) hi--;
    nonNullStart.fill(lo, ps, pe);
    nonNullEnd.fill(hi, ps, pe);
  }
  return { value, valid, nonNullStart, nonNullEnd };
}

/** The frame bound of sorted position j: a start (inclusive) or an end (exclusive). */
function bound(rows: SortedRows, frame: WindowFrame, b: WindowBound, j: number, keys: RangeKeys | null, isEnd: boolean): number {
  const ps = rows.partStart[j]!;
  const pe = rows.partEnd[j]!;
  switch (b.kind) {
    case 'unbounded_preceding':
      return ps;
    case 'unbounded_following':
      return pe;
    case 'current_row':
      if (frame.units === 'rows') return isEnd ? j + 1 : j;
      return isEnd ? rows.peerEnd[j]! : rows.peerStart[j]!;
    case 'preceding':
    case 'following': {
      const delta = b.kind === 'preceding' ? -b.offset : b.offset;
      if (frame.units === 'rows') {
        const at = j + delta + (isEnd ? 1 : 0);
        return at < ps ? ps : at > pe ? pe : at;
      }
      const k = keys!;
      if (k.valid[j] === 0) return isEnd ? rows.peerEnd[j]! : rows.peerStart[j]!;
      let lo = k.nonNullStart[j]!;
      let hi = k.nonNullEnd[j]!;
      const target = k.value[j]! + delta;
      // First row with key >= target (a start) or > target (an end).
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const v = k.value[mid]!;
        if (isEnd ? v <= target : v < target) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }
  }
}
