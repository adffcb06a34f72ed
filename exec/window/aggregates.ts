// Aggregates over window frames, computed with the aggregate states of exec/aggregate (so SUM
// stays exact over integers and DECIMALs, MIN/MAX order as GROUP BY does, and every aggregate
// with a state works here too). The result state has one group per sorted position
// (partitions.ts) plus one group that stays empty: the value of an empty frame (NULL, or 0 for
// COUNT).
//
// Frames anchored at a partition end (UNBOUNDED PRECEDING: the default frame, running totals,
// whole partitions; or UNBOUNDED FOLLOWING) in partitions of RUNNING_MIN rows or more: a
// running state of one group walks the partition, folding in the rows that enter the frame,
// and after each row merges its one group into that row's result group. O(n) updates and
// merges, one running state per such partition.
// Every other frame, and all frames of small partitions: each row's frame is folded in row by
// row (update() calls over batches of (row, group) pairs), O(total frame size). That is the
// slow path: fine for narrow frames (ROWS 2 PRECEDING AND 1 FOLLOWING, small partitions),
// quadratic for sliding frames that span most of a large partition. A state's merge() moves
// all of its groups, so a sliding frame cannot be assembled from a segment tree of states.

import type { FlatVector } from '../../common/vector.js';
import { internalError } from '../../common/errors.js';
import type { AggregateFn, AggregateSpec, WindowSpec } from '../plan.js';
import { createAggregateState } from '../aggregate/registry.js';
import type { AggregateState } from '../aggregate/state.js';
import { gatherFlat } from '../hash/row-collection.js';
import type { Frames } from './frames.js';
import type { SortedRows } from './partitions.js';

/** (row, group) pairs per update() call. */
const CHUNK = 65536;
/** Partitions this large get a running state; smaller ones are folded frame by frame. */
const RUNNING_MIN = 64;

export function windowAggregate(spec: WindowSpec, rows: SortedRows, frames: Frames, args: readonly FlatVector[], filter: FlatVector | null): FlatVector {
  const aggSpec: AggregateSpec = { fn: spec.fn as AggregateFn, args: spec.args, argTypes: spec.argTypes, distinct: false, filter: null, type: spec.type };
  const { n, perm, partEnd } = rows;
  const enters = enteringRows(rows, filter);
  const result = createAggregateState(aggSpec);
  // Group n stays empty.
  result.init(n + 1);
  const folder = new Folder(result, args);
  const forward = spec.frame.start.kind === 'unbounded_preceding';
  const anchored = forward || spec.frame.end.kind === 'unbounded_following';
  // The result group each sorted position reads: a row whose frame equals its neighbour's
  // (peers under RANGE, every row of a whole-partition frame) shares the neighbour's group.
  const groupOf = new Int32Array(n);
  const { start, end } = frames;
  for (let ps = 0; ps < n; ps = partEnd[ps]!) {
    const pe = partEnd[ps]!;
    if (anchored && pe - ps >= RUNNING_MIN) {
      runPartition(aggSpec, result, rows, frames, enters, args, ps, pe, forward, groupOf);
      continue;
    }
    for (let j = ps; j < pe; j++) {
      if (j > ps && start[j] === start[j - 1] && end[j] === end[j - 1]) {
        groupOf[j] = groupOf[j - 1]!;
      } else {
        groupOf[j] = j;
        folder.frame(j, start[j]!, end[j]!, perm, enters);
      }
    }
  }
  folder.flush();
  const idx = new Int32Array(n);
  for (let j = 0; j < n; j++) idx[perm[j]!] = end[j]! <= start[j]! ? n : groupOf[j]!;
  return gatherFlat(result.finalize(), idx, n, spec.type);
}

/** 1 for sorted positions whose row enters the aggregate (passes its FILTER). */
function enteringRows(rows: SortedRows, filter: FlatVector | null): Uint8Array {
  const enters = new Uint8Array(rows.n).fill(1);
  if (filter === null) return enters;
  const data = filter.data;
  if (!(data instanceof Uint8Array)) throw internalError('a window FILTER column is not BOOLEAN');
  const valid = filter.validity;
  for (let j = 0; j < rows.n; j++) {
    const r = rows.perm[j]!;
    if (data[r] === 0 || (valid !== null && valid[r] === 0)) enters[j] = 0;
  }
  return enters;
}

/** Buffers (input row, group) pairs and folds them into a state CHUNK at a time. */
class Folder {
  private readonly rowIdx = new Int32Array(CHUNK);
  private readonly groupIdx = new Int32Array(CHUNK);
  private m = 0;

  constructor(private readonly state: AggregateState, private readonly args: readonly FlatVector[]) {}

  /** Adds the entering rows of sorted positions [s, e) to group g. */
  frame(g: number, s: number, e: number, perm: Int32Array, enters: Uint8Array): void {
    for (let k = s; k < e; k++) {
      if (enters[k] === 0) continue;
      this.rowIdx[this.m] = perm[k]!;
      this.groupIdx[this.m++] = g;
      if (this.m === CHUNK) this.flush();
    }
  }

  flush(): void {
    if (this.m === 0) return;
    this.state.update(this.args[0] ?? null, this.rowIdx, this.groupIdx, this.m, this.args.slice(1));
    this.m = 0;
  }
}

/** One partition's anchored frames through a running state of one group. */
function runPartition(
  spec: AggregateSpec,
  result: AggregateState,
  rows: SortedRows,
  frames: Frames,
  enters: Uint8Array,
  args: readonly FlatVector[],
  ps: number,
  pe: number,
  forward: boolean,
  groupOf: Int32Array,
): void {
  const running = createAggregateState(spec);
  running.init(1);
  const folder = new Folder(running, args);
  const target = new Int32Array(1);
  const { start, end } = frames;
  if (forward) {
    // Frames [ps, end[j]) with end[j] non-decreasing.
    let added = ps;
    for (let j = ps; j < pe; j++) {
      const e = end[j]!;
      if (j > ps && e === end[j - 1]) {
        groupOf[j] = groupOf[j - 1]!;
        continue;
      }
      if (e > added) {
        folder.frame(0, added, e, rows.perm, enters);
        folder.flush();
        added = e;
      }
      groupOf[j] = j;
      target[0] = j;
      if (e > start[j]!) result.merge(running, target);
    }
  } else {
    // Frames [start[j], pe) with start[j] non-increasing as j walks back.
    let added = pe;
    for (let j = pe - 1; j >= ps; j--) {
      const s = start[j]!;
      if (j < pe - 1 && s === start[j + 1]) {
        groupOf[j] = groupOf[j + 1]!;
        continue;
      }
      if (s < added) {
        folder.frame(0, s, added, rows.perm, enters);
        folder.flush();
        added = s;
      }
      groupOf[j] = j;
      target[0] = j;
      if (end[j]! > s) result.merge(running, target);
    }
  }
}
