// Hash aggregate over GROUPING SETS (and ROLLUP / CUBE, which the binder expands into sets).
// One pass over the input: the rows are hash-aggregated once by every key (the finest grouping,
// hash-aggregate.ts's aggregateInput), then each set's groups are made by rolling partial states
// up, largest set first, each from the smallest set already made that contains it: that set's
// keys restricted to the new set are grouped again (a GroupIdAssigner over its key store, one
// row per source group), and every aggregate state is merged (AggregateState.merge with that
// group map) into a fresh state for the new set. DISTINCT aggregates roll up the same way: their
// state is the set of distinct (group, value) pairs, and merging through the map unions them
// per coarser group, so no input is read twice.
//
// Output, set by set in the order listed (a set listed twice is emitted twice, as in
// PostgreSQL and DuckDB): the keys (NULL where the key is not in the set), the aggregates, then
// the GROUPING() columns, constant within a set. A set with no keys has exactly one group,
// even over empty input (the grand total of ROLLUP over no rows is one row with count 0).

import { BATCH_SIZE, type Batch, makeBatch } from '../../common/batch.js';
import { internalError } from '../../common/errors.js';
import { T } from '../../common/types.js';
import { constantVector, type FlatVector, nullVector, type Vector } from '../../common/vector.js';
import { type BatchStream, pace, type ExecContext } from '../context.js';
import type { AggregateNode } from '../plan.js';
import { createAggregateState } from '../aggregate/registry.js';
import type { AggregateState } from '../aggregate/state.js';
import { GroupIdAssigner } from '../hash/group-ids.js';
import { type KeyColumns, keyColumnToVector } from '../hash/key-columns.js';
import { sliceFlat } from '../hash/row-collection.js';
import { aggregateInput } from './hash-aggregate.js';

/** One grouping set's groups and their (not finalized) aggregate states. */
interface SetGroups {
  /** Key positions, increasing. */
  set: number[];
  /** Key store of the groups (one column per position of `set`); null when `set` is empty. */
  store: KeyColumns | null;
  groupCount: number;
  states: AggregateState[];
}

/** One grouping set's finished groups. */
interface SetResult {
  /** Key store of the set's groups (columns in set order); null for the empty set. */
  store: KeyColumns | null;
  groupCount: number;
  results: FlatVector[];
}

export async function* groupingSetsAggregate(node: AggregateNode, ctx: ExecContext, input: BatchStream): AsyncGenerator<Batch> {
  const sets = node.groupingSets;
  const groupings = node.groupings ?? [];
  const nKeys = node.keys.length;
  const nAggs = node.aggregates.length;
  if (sets === undefined || sets.length === 0) throw internalError('a grouping-sets aggregate needs at least one grouping set');
  if (node.types.length !== nKeys + nAggs + groupings.length) {
    throw internalError(`a grouping-sets aggregate with ${nKeys} keys, ${nAggs} aggregates and ${groupings.length} GROUPING() columns lists ${node.types.length} output types`);
  }
  for (const s of [...sets, ...groupings]) {
    for (const k of s) if (!Number.isInteger(k) || k < 0 || k >= nKeys) throw internalError(`grouping set key position ${k} is not one of the ${nKeys} keys`);
  }
  for (const s of sets) {
    for (let i = 1; i < s.length; i++) if (s[i - 1]! >= s[i]!) throw internalError(`grouping set [${s.join(', ')}] must list key positions in increasing order`);
  }
  const fine = await aggregateInput({ ...node, types: node.types.slice(0, nKeys + nAggs) }, ctx, input);
  const finest: SetGroups = {
    set: Array.from({ length: nKeys }, (_, k) => k),
    store: fine.assigner === null ? null : fine.assigner.table.store,
    groupCount: fine.groupCount,
    states: fine.states,
  };

  // Each distinct set is rolled up once, largest first, from the smallest set already made that
  // contains it (CUBE (a, b, c) makes (a) from (a, b), not from every (a, b, c) group).
  const made = new Map<string, SetGroups>([[finest.set.join(','), finest]]);
  const bySize = [...new Map(sets.map((set) => [set.join(','), set])).values()].sort((x, y) => y.length - x.length);
  for (const set of bySize) {
    const sig = set.join(',');
    if (made.has(sig)) continue;
    await pace(ctx);
    let source = finest;
    for (const g of made.values()) {
      if (g.groupCount < source.groupCount && set.every((k) => g.set.includes(k))) source = g;
    }
    made.set(sig, rollUp(node, set, source));
  }
  // Finalized once each, after every roll-up has read its source's states.
  const results = new Map<string, SetResult>();
  for (const set of bySize) {
    const g = made.get(set.join(','))!;
    results.set(set.join(','), { store: g.store, groupCount: g.groupCount, results: g.states.map((st) => st.finalize()) });
  }

  for (const set of sets) {
    await pace(ctx);
    const r = results.get(set.join(','))!;
    const position = new Int32Array(nKeys).fill(-1);
    set.forEach((k, i) => { position[k] = i; });
    const groupingValues = groupings.map((args) => {
      let v = 0;
      for (const k of args) v = v * 2 + (position[k]! < 0 ? 1 : 0);
      return v;
    });
    for (let start = 0; start < r.groupCount; start += BATCH_SIZE) {
      await pace(ctx);
      const end = Math.min(r.groupCount, start + BATCH_SIZE);
      const n = end - start;
      const cols: Vector[] = [];
      for (let k = 0; k < nKeys; k++) {
        const p = position[k]!;
        cols.push(p < 0 ? nullVector(node.types[k]!, n) : keyColumnToVector(r.store!, p, node.types[k]!, start, n));
      }
      for (let a = 0; a < nAggs; a++) cols.push(sliceFlat(r.results[a]!, start, end, node.types[nKeys + a]!));
      for (const v of groupingValues) cols.push(constantVector(T.INTEGER, v, n));
      yield makeBatch(cols, n);
    }
  }
}

/** The groups of `set` and their states, merged from `source`'s (a set containing `set`). */
function rollUp(node: AggregateNode, set: number[], source: SetGroups): SetGroups {
  let map: Int32Array;
  let groupCount: number;
  let store: KeyColumns | null = null;
  if (set.length === 0) {
    map = new Int32Array(source.groupCount);
    groupCount = 1;
  } else {
    const assigner = new GroupIdAssigner(set.map((k) => node.types[k]!));
    const keyVectors = set.map((k) => keyColumnToVector(source.store!, source.set.indexOf(k), node.types[k]!, 0, source.groupCount));
    map = source.groupCount === 0 ? new Int32Array(0) : assigner.assign(keyVectors, null, source.groupCount).slice(0, source.groupCount);
    groupCount = assigner.groupCount;
    store = assigner.table.store;
  }
  const states = source.states.map((from, a) => {
    const state: AggregateState = createAggregateState(node.aggregates[a]!);
    state.init(groupCount);
    state.merge(from, map);
    return state;
  });
  return { set, store, groupCount, states };
}
