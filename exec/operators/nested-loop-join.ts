// Nested-loop join (NestedLoopJoinNode): for joins without equality keys. The right input is
// materialized; every left batch is crossed with it block by block — chunks of at most
// BATCH_SIZE (left row, right row) index pairs — and each chunk is gathered into one batch of
// left ++ right columns on which the compiled condition runs once (JoinMatcher). Pairs where it
// is TRUE match; NULL counts as false. No condition is a cross join. Join types: inner, left,
// right, full, semi, anti and single (a left row matching two right rows is an error); mark
// joins need equality keys and come only as hash joins.

import { BATCH_SIZE, type Batch } from '../../common/batch.js';
import { internalError } from '../../common/errors.js';
import { type BatchStream, pace, type ExecContext } from '../context.js';
import type { CompiledExpr } from '../expression/compiled.js';
import type { NestedLoopJoinNode } from '../plan.js';
import { emitsPairs, JoinMatcher } from '../hash/join-matcher.js';
import { RowCollection } from '../hash/row-collection.js';

export async function* nestedLoopJoin(
  node: NestedLoopJoinNode,
  ctx: ExecContext,
  left: BatchStream,
  right: BatchStream,
  condition: CompiledExpr | null,
): AsyncGenerator<Batch> {
  const joinType = node.joinType;
  if (joinType === 'mark') throw internalError('a mark join needs equality keys: plan it as a hash join');
  const nLeft = node.left.types.length;
  const rightTypes = node.right.types;
  const pairs = emitsPairs(joinType);
  const expected = pairs ? nLeft + rightTypes.length : nLeft;
  if (node.types.length !== expected) {
    throw internalError(`a ${joinType} join outputs ${expected} columns, the plan lists ${node.types.length}`);
  }

  const build = new RowCollection(rightTypes, 'a join', ctx.memory);
  try {
    await build.appendAll(right, ctx);
    const rightCols = build.finish();
    const nRight = build.rowCount;
    if (nRight === 0 && (joinType === 'inner' || joinType === 'semi' || joinType === 'right')) return;

    const outLeft = node.types.slice(0, nLeft);
    const outRight = pairs ? node.types.slice(nLeft) : rightTypes;
    const matcher = new JoinMatcher(joinType, outLeft, outRight, rightCols, nRight, condition);
    const K = new Int32Array(BATCH_SIZE);
    const R = new Int32Array(BATCH_SIZE);
    for await (const lb of left) {
      await pace(ctx);
      const n = lb.count;
      if (n === 0) continue;
      matcher.beginBatch(lb);
      if (!pairs && condition === null) {
        // Semi / anti without a condition: every left row matches any right row.
        if (nRight > 0) matcher.leftMatches.fill(1, 0, n);
      } else {
        let p = 0;
        for (let k = 0; k < n; k++) {
          for (let j = 0; j < nRight; j++) {
            K[p] = k;
            R[p] = j;
            if (++p === BATCH_SIZE) {
              const out = matcher.pairs(K, R, p);
              p = 0;
              if (out !== null) yield out;
              await pace(ctx);
            }
          }
        }
        const out = matcher.pairs(K, R, p);
        if (out !== null) yield out;
      }
      const tail = matcher.endBatch();
      if (tail !== null) yield tail;
    }
    for (const b of matcher.unmatchedRight()) yield b;
  } finally {
    build.release();
  }
}
