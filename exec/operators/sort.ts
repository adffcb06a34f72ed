// ORDER BY (SortNode), with top-N when the node has a limit.
// Full sort: every input row is collected into flat columns (RowCollection), the sort keys
// are encoded into typed key columns, an Int32Array permutation is sorted with a comparator
// specialized per key type (exec/sort/compare.ts; ties broken by input position, so the sort
// is stable), and the output is gathered through the permutation in batches of BATCH_SIZE.
// Top-N (limit + offset = N rows wanted): only candidate rows are kept. Once N rows are kept,
// the N-th best is a threshold: an incoming row enters only if it sorts strictly before it (a
// tie arrived later, so it loses). The kept rows plus new candidates are re-cut to the best N
// whenever candidates pile up past max(N, BATCH_SIZE), so memory stays O(N + BATCH_SIZE) and
// rows that cannot make the cut are never copied.

import { BATCH_SIZE, type Batch, makeBatch } from '../../common/batch.js';
import { internalError } from '../../common/errors.js';
import type { FlatVector, Vector } from '../../common/vector.js';
import { type BatchStream, pace, type ExecContext } from '../context.js';
import type { SortKey, SortNode } from '../plan.js';
import { type KeyColumns, KeyEncoder, keyKindOf } from '../hash/key-columns.js';
import { gatherFlat, RowCollection, sliceFlat } from '../hash/row-collection.js';
import { makeComparator, sortPermutation } from '../sort/compare.js';

export async function* sort(node: SortNode, ctx: ExecContext, input: BatchStream): AsyncGenerator<Batch> {
  for (const k of node.keys) {
    if (k.index < 0 || k.index >= node.types.length) throw internalError(`sort key column ${k.index} is out of range`);
  }
  if (node.limit !== null && (!Number.isInteger(node.limit) || node.limit < 0)) {
    throw internalError(`a top-N limit must be a non-negative integer, the plan has ${node.limit}`);
  }
  if (!Number.isInteger(node.offset) || node.offset < 0) {
    throw internalError(`a sort offset must be a non-negative integer, the plan has ${node.offset}`);
  }
  if (node.limit !== null) {
    yield* topN(node, ctx, input, node.limit);
    return;
  }
  const rows = new RowCollection(node.types, 'ORDER BY', ctx.memory);
  try {
    await rows.appendAll(input, ctx);
    const cols = rows.finish();
    const n = rows.rowCount;
    const perm = sortedOrder(node, cols, n);
    yield* emit(node, ctx, cols, perm, Math.min(node.offset, n), n);
  } finally {
    rows.release();
  }
}

/** The sorted permutation of `n` collected rows. */
function sortedOrder(node: SortNode, cols: readonly FlatVector[], n: number): Int32Array {
  const keys = encodeKeys(node, cols, n);
  return sortPermutation(n, makeComparator(keys, keys, node.keys));
}

function encodeKeys(node: SortNode, cols: readonly Vector[], n: number, sel: Int32Array | null = null): KeyColumns {
  const encoder = new KeyEncoder(node.keys.map((k) => keyKindOf(node.types[k.index]!)));
  return encoder.encode(node.keys.map((k) => cols[k.index]!), sel, n, false);
}

/** Output rows perm[from..to) in batches. */
async function* emit(
  node: SortNode,
  ctx: ExecContext,
  cols: readonly FlatVector[],
  perm: Int32Array,
  from: number,
  to: number,
): AsyncGenerator<Batch> {
  for (let start = from; start < to; start += BATCH_SIZE) {
    await pace(ctx);
    const end = Math.min(to, start + BATCH_SIZE);
    const idx = perm.subarray(start, end);
    const out = cols.map((c, i) => gatherFlat(c, idx, end - start, node.types[i]!));
    yield makeBatch(out, end - start);
  }
}

async function* topN(node: SortNode, ctx: ExecContext, input: BatchStream, limit: number): AsyncGenerator<Batch> {
  if (limit === 0) return;
  const wanted = limit + node.offset;
  const keySpec: readonly SortKey[] = node.keys;
  const batchEncoder = new KeyEncoder(node.keys.map((k) => keyKindOf(node.types[k.index]!)));
  // Rows kept so far (sorted, at most `wanted`), their keys, and new candidates since the last cut.
  let kept: FlatVector[] | null = null;
  let keptCount = 0;
  let keptKeys: KeyColumns | null = null;
  let pending = new RowCollection(node.types, 'ORDER BY ... LIMIT', ctx.memory);
  let sel = new Int32Array(0);

  const cut = (): void => {
    const all = new RowCollection(node.types, 'ORDER BY ... LIMIT');
    if (kept !== null) all.appendColumns(kept, keptCount);
    const more = pending.finish();
    all.appendColumns(more, pending.rowCount);
    const cols = all.finish();
    const n = all.rowCount;
    const perm = sortedOrder(node, cols, n);
    keptCount = Math.min(wanted, n);
    const idx = perm.subarray(0, keptCount);
    kept = cols.map((c, i) => gatherFlat(c, idx, keptCount, node.types[i]!));
    keptKeys = keptCount === wanted ? encodeKeys(node, kept, keptCount) : null;
    pending.release();
    pending = new RowCollection(node.types, 'ORDER BY ... LIMIT', ctx.memory);
  };

  for await (const b of input) {
    await pace(ctx);
    const n = b.count;
    if (n === 0) continue;
    if (keptKeys === null) {
      pending.append(b);
    } else {
      // Keep only rows that sort strictly before the current N-th row.
      const keys = batchEncoder.encode(node.keys.map((k) => b.columns[k.index]!), b.selection, n, false);
      const cmp = makeComparator(keys, keptKeys, keySpec);
      const last = keptCount - 1;
      if (sel.length < n) sel = new Int32Array(n);
      let m = 0;
      const bs = b.selection;
      for (let k = 0; k < n; k++) if (cmp(k, last) < 0) sel[m++] = bs === null ? k : bs[k]!;
      if (m > 0) pending.append(makeBatch(b.columns, b.length, sel.slice(0, m)));
    }
    if (pending.rowCount >= Math.max(wanted, BATCH_SIZE)) cut();
  }
  cut();
  // `cut` assigns `kept`; TypeScript cannot see that through the closure.
  const rows = kept as FlatVector[] | null;
  if (rows === null) return;
  // The kept rows are already in order: slice them into batches without copying.
  for (let start = node.offset; start < keptCount; start += BATCH_SIZE) {
    await pace(ctx);
    const end = Math.min(keptCount, start + BATCH_SIZE);
    yield makeBatch(rows.map((c, i) => sliceFlat(c, start, end, node.types[i]!)), end - start);
  }
}
