// UNION / INTERSECT / EXCEPT [ALL] (SetOpNode). Rows compare on all columns with NULL equal to
// NULL. UNION ALL streams the left input, then the right. The others give every distinct row a
// group id in one typed hash table (GroupIdAssigner, as the aggregate does) and emit input rows
// by narrowing the batch's selection, never copying columns:
//   UNION          a row is emitted the first time its group appears (left, then right);
//   INTERSECT      the right input is counted per group first; a left row is emitted once per
//                  group when the right count is positive;
//   INTERSECT ALL  a left row is emitted while its group's right count is positive, which is
//                  decremented: min(m, n) copies, as PostgreSQL;
//   EXCEPT         a left row is emitted once per group when the right count is 0;
//   EXCEPT ALL     a left row first cancels one right copy, and is emitted when none is left:
//                  max(m - n, 0) copies.

import { type Batch, makeBatch } from '../../common/batch.js';
import { internalError } from '../../common/errors.js';
import type { Vector } from '../../common/vector.js';
import { type BatchStream, pace, type ExecContext } from '../context.js';
import type { SetOpNode } from '../plan.js';
import { GroupIdAssigner } from '../hash/group-ids.js';
import { withType } from '../hash/row-collection.js';
import { growF64, growU8 } from '../aggregate/state.js';

export async function* setOp(node: SetOpNode, ctx: ExecContext, left: BatchStream, right: BatchStream): AsyncGenerator<Batch> {
  const width = node.types.length;
  if (node.left.types.length !== width || node.right.types.length !== width) {
    throw internalError(`${node.setOp} inputs must have ${width} columns, they have ${node.left.types.length} and ${node.right.types.length}`);
  }
  const retype = (b: Batch, sel: Int32Array | null): Batch => {
    const cols: Vector[] = b.columns.map((v, c) => withType(v, node.types[c]!));
    return makeBatch(cols, b.length, sel);
  };
  if (node.setOp === 'union' && node.all) {
    for (const input of [left, right]) {
      for await (const b of input) {
        await pace(ctx);
        if (b.count > 0) yield retype(b, b.selection);
      }
    }
    return;
  }

  const groups = new GroupIdAssigner(node.types);
  let sel = new Int32Array(0);
  /** Rows of b (physical indexes) into sel; returns the batch of them, or null. */
  const selected = (b: Batch, m: number): Batch | null => (m === 0 ? null : retype(b, m === b.count && b.selection === null ? null : sel.slice(0, m)));

  if (node.setOp === 'union') {
    for (const input of [left, right]) {
      for await (const b of input) {
        await pace(ctx);
        const n = b.count;
        if (n === 0) continue;
        let next = groups.groupCount;
        const ids = groups.assign(b.columns, b.selection, n);
        if (sel.length < n) sel = new Int32Array(n);
        let m = 0;
        // New groups get consecutive ids, so a row is a group's first when its id is the next one.
        for (let k = 0; k < n; k++) {
          if (ids[k] === next) {
            next++;
            sel[m++] = b.selection === null ? k : b.selection[k]!;
          }
        }
        const out = selected(b, m);
        if (out !== null) yield out;
      }
    }
    return;
  }

  // INTERSECT / EXCEPT: count the right side's rows per group.
  let counts = new Float64Array(0);
  let emitted = new Uint8Array(0);
  const grow = (): void => {
    const g = groups.groupCount;
    if (counts.length < g) {
      const cap = Math.max(g, counts.length * 2, 1024);
      counts = growF64(counts, cap);
      emitted = growU8(emitted, cap);
    }
  };
  for await (const b of right) {
    await pace(ctx);
    const n = b.count;
    if (n === 0) continue;
    const ids = groups.assign(b.columns, b.selection, n);
    grow();
    for (let k = 0; k < n; k++) counts[ids[k]!]++;
  }
  const intersect = node.setOp === 'intersect';
  const all = node.all;
  for await (const b of left) {
    await pace(ctx);
    const n = b.count;
    if (n === 0) continue;
    const ids = groups.assign(b.columns, b.selection, n);
    grow();
    if (sel.length < n) sel = new Int32Array(n);
    let m = 0;
    for (let k = 0; k < n; k++) {
      const g = ids[k]!;
      let keep: boolean;
      if (all) {
        const inRight = counts[g]! > 0;
        if (inRight) counts[g]--;
        keep = intersect === inRight;
      } else {
        keep = emitted[g] === 0 && intersect === counts[g]! > 0;
        if (keep) emitted[g] = 1;
      }
      if (keep) sel[m++] = b.selection === null ? k : b.selection[k]!;
    }
    const out = selected(b, m);
    if (out !== null) yield out;
  }
}
