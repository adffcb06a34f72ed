// Hash aggregate (AggregateNode). Per batch: group ids for the selected rows come from a
// GroupIdAssigner (direct Int32Array lookups for a single small-range integer key or a
// dictionary vector's codes, a typed open-addressing hash table otherwise; NULL keys form one
// group), then each aggregate state folds the rows in with one loop over (row, group id)
// (exec/aggregate). FILTER (WHERE ...) narrows an aggregate's rows to those whose filter column
// is TRUE. At the end the states finalize into one vector each and the output — group keys,
// then aggregates, in order of first appearance — goes out in batches of at most BATCH_SIZE.
// With no keys there is exactly one group, so empty input still gives one row
// (count = 0, the others NULL).

import { BATCH_SIZE, type Batch, makeBatch } from '../../common/batch.js';
import { typesEqual, typeToString } from '../../common/types.js';
import type { FlatVector, Vector } from '../../common/vector.js';
import { flatten } from '../../common/vector.js';
import { internalError } from '../../common/errors.js';
import { type BatchStream, pace, type ExecContext } from '../context.js';
import type { AggregateNode } from '../plan.js';
import { createAggregateState } from '../aggregate/registry.js';
import type { AggregateState } from '../aggregate/state.js';
import { GroupIdAssigner } from '../hash/group-ids.js';
import { keyColumnToVector } from '../hash/key-columns.js';
import { sliceFlat } from '../hash/row-collection.js';

export async function* hashAggregate(node: AggregateNode, ctx: ExecContext, input: BatchStream): AsyncGenerator<Batch> {
  const nKeys = node.keys.length;
  if (node.types.length !== nKeys + node.aggregates.length) {
    throw internalError(`an aggregate with ${nKeys} keys and ${node.aggregates.length} aggregates lists ${node.types.length} output types`);
  }
  yield* emitGroups(node, ctx, await aggregateInput(node, ctx, input));
}

/** Finalizes the states and yields the groups: keys, then aggregates, BATCH_SIZE rows at a time. */
export async function* emitGroups(node: AggregateNode, ctx: ExecContext, { assigner, states, groupCount }: AggregatedInput): AsyncGenerator<Batch> {
  const nKeys = node.keys.length;
  const results = states.map((s) => s.finalize());
  for (let start = 0; start < groupCount; start += BATCH_SIZE) {
    await pace(ctx);
    const end = Math.min(groupCount, start + BATCH_SIZE);
    const cols: Vector[] = [];
    for (let c = 0; c < nKeys; c++) cols.push(keyColumnToVector(assigner!.table.store, c, node.types[c]!, start, end - start));
    for (let a = 0; a < results.length; a++) cols.push(sliceFlat(results[a]!, start, end, node.types[nKeys + a]!));
    yield makeBatch(cols, end - start);
  }
}

/** The groups of the whole input (by all of node.keys) and their aggregate states, not finalized. */
export interface AggregatedInput {
  /** Null when there are no keys (then there is exactly one group). */
  assigner: GroupIdAssigner | null;
  states: AggregateState[];
  groupCount: number;
}

/** Consumes the input, folding each batch into per-group aggregate states. With `maxGroups`,
 *  stops as soon as there are more groups than that and returns null (a parallel share gives
 *  up: merging that many groups in one thread costs more than the threads save). */
export async function aggregateInput(node: AggregateNode, ctx: ExecContext, input: BatchStream): Promise<AggregatedInput>;
export async function aggregateInput(node: AggregateNode, ctx: ExecContext, input: BatchStream, maxGroups: number): Promise<AggregatedInput | null>;
export async function aggregateInput(node: AggregateNode, ctx: ExecContext, input: BatchStream, maxGroups = Infinity): Promise<AggregatedInput | null> {
  const inTypes = node.input.types;
  const nKeys = node.keys.length;
  for (let a = 0; a < node.aggregates.length; a++) {
    const spec = node.aggregates[a]!;
    if (!typesEqual(spec.type, node.types[nKeys + a]!)) {
      throw internalError(`aggregate ${a} (${spec.fn}) returns ${typeToString(spec.type)} but the plan lists ${typeToString(node.types[nKeys + a]!)}`);
    }
  }
  const keyTypes = node.keys.map((k) => inTypes[k]!);
  const states = node.aggregates.map(createAggregateState);
  const assigner = nKeys > 0 ? new GroupIdAssigner(keyTypes) : null;
  let groupCount = assigner === null ? 1 : 0;
  for (const s of states) s.init(groupCount);
  // No keys: every row is in group 0.
  let zeros = new Int32Array(0);
  let filteredRows = new Int32Array(0);
  let filteredGroups = new Int32Array(0);

  // The groups' keys, hash slots and states, estimated per group (exec/memory.ts).
  const memory = assigner === null ? null : (ctx.memory?.reservation(groupsHeld(node)) ?? null);
  const bytesPerGroup = groupBytes(node);
  for await (const b of input) {
    await pace(ctx);
    const n = b.count;
    if (n === 0) continue;
    let groups: Int32Array;
    if (assigner !== null) {
      groups = assigner.assign(node.keys.map((k) => b.columns[k]!), b.selection, n);
      groupCount = assigner.groupCount;
      if (groupCount > maxGroups) {
        memory?.release();
        return null;
      }
      for (const s of states) s.init(groupCount);
      memory?.resize(groupCount * bytesPerGroup);
    } else {
      if (zeros.length < n) zeros = new Int32Array(n);
      groups = zeros;
    }
    for (let a = 0; a < states.length; a++) {
      const spec = node.aggregates[a]!;
      const state = states[a]!;
      // A run-length column straight from storage is consumed as runs when every row counts
      // into one group (no keys, no selection, no FILTER).
      const raw = spec.fn === 'count_star' ? null : b.columns[spec.args[0]!]!;
      if (raw !== null && raw.kind === 'rle' && assigner === null && b.selection === null && spec.filter === null && state.updateRuns !== undefined) {
        state.updateRuns(raw.values, raw.runEnds, 0);
        continue;
      }
      const arg: FlatVector | null = raw === null ? null : flatten(raw);
      // The arguments after the first, then an ORDER BY's key columns (exec/aggregate/ordered.ts).
      const extra = spec.orderBy !== undefined && spec.orderBy.length > 0 ? [...spec.args.slice(1), ...spec.orderBy.map((k) => k.index)] : spec.args.slice(1);
      const more = extra.length > 0 ? extra.map((c) => flatten(b.columns[c]!)) : undefined;
      if (spec.filter === null) {
        state.update(arg, b.selection, groups, n, more);
        continue;
      }
      // FILTER: keep the rows whose filter column is TRUE (NULL and FALSE drop the row).
      if (filteredRows.length < n) {
        filteredRows = new Int32Array(n);
        filteredGroups = new Int32Array(n);
      }
      const m = filterRows(b.columns[spec.filter]!, b.selection, groups, n, filteredRows, filteredGroups);
      if (m > 0) states[a]!.update(arg, filteredRows, filteredGroups, m, more);
    }
  }
  memory?.release();
  return { assigner, states, groupCount };
}

/** Per group: two hash slots and a group id, each key's encoded value, each state's value. */
const GROUP_OVERHEAD_BYTES = 16;
const KEY_BYTES = 16;
const STATE_BYTES = 16;

/** The memory a group of `node` is counted for (exec/memory.ts). */
export function groupBytes(node: AggregateNode): number {
  return GROUP_OVERHEAD_BYTES + node.keys.length * KEY_BYTES + node.aggregates.length * STATE_BYTES;
}

/** What holds the memory of `node`'s groups, for OUT_OF_MEMORY errors. */
export function groupsHeld(node: AggregateNode): string {
  return `the groups of GROUP BY (${node.keys.length} key(s), ${node.aggregates.length} aggregate(s))`;
}

/** Rows (physical indexes) and groups of the rows whose BOOLEAN filter is TRUE; returns how many. */
function filterRows(
  filter: Vector,
  sel: Int32Array | null,
  groups: Int32Array,
  n: number,
  rowsOut: Int32Array,
  groupsOut: Int32Array,
): number {
  const f = flatten(filter);
  const data = f.data as Uint8Array;
  const valid = f.validity;
  let m = 0;
  for (let k = 0; k < n; k++) {
    const i = sel === null ? k : sel[k]!;
    if (data[i] === 0 || (valid !== null && valid[i] === 0)) continue;
    rowsOut[m] = i;
    groupsOut[m] = groups[k]!;
    m++;
  }
  return m;
}
