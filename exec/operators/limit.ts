// LIMIT / OFFSET across batches. Rows are skipped and cut by narrowing the batch's selection,
// never by copying columns. Once `limit` rows are out the generator returns, which ends the
// `for await` over the input and so closes every operator upstream (no more rows are read).

import { type Batch, makeBatch } from '../../common/batch.js';
import { internalError } from '../../common/errors.js';
import { type BatchStream, pace, type ExecContext } from '../context.js';
import type { LimitNode } from '../plan.js';
import { withType } from '../hash/row-collection.js';

export async function* limit(node: LimitNode, ctx: ExecContext, input: BatchStream): AsyncGenerator<Batch> {
  if (node.limit !== null && (!Number.isInteger(node.limit) || node.limit < 0)) {
    throw internalError(`LIMIT must be a non-negative integer, the plan has ${node.limit}`);
  }
  if (!Number.isInteger(node.offset) || node.offset < 0) {
    throw internalError(`OFFSET must be a non-negative integer, the plan has ${node.offset}`);
  }
  let remaining = node.limit ?? Infinity;
  if (remaining === 0) return;
  let skip = node.offset;
  for await (const b of input) {
    await pace(ctx);
    const n = b.count;
    if (n === 0) continue;
    if (skip >= n) {
      skip -= n;
      continue;
    }
    const start = skip;
    skip = 0;
    const take = Math.min(n - start, remaining);
    const columns = b.columns.map((v, c) => withType(v, node.types[c]!));
    let sel: Int32Array | null;
    if (start === 0 && take === n) sel = b.selection;
    else if (b.selection !== null) sel = b.selection.subarray(start, start + take);
    else {
      sel = new Int32Array(take);
      for (let k = 0; k < take; k++) sel[k] = start + k;
    }
    remaining -= take;
    yield makeBatch(columns, b.length, sel);
    if (remaining === 0) return;
  }
}
