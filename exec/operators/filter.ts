// Filter: narrows a batch's selection to the rows where the predicate is TRUE. Column data
// is never copied (DuckDB's PhysicalFilter does the same).

import { type Batch, makeBatch } from '../../common/batch.js';
import { flatten } from '../../common/vector.js';
import type { BatchStream, ExecContext } from '../context.js';
import { pace } from '../context.js';
import type { CompiledExpr } from '../expression/compiled.js';

export async function* filter(ctx: ExecContext, input: BatchStream, predicate: CompiledExpr): BatchStream {
  for await (const b of input) {
    await pace(ctx);
    if (b.count === 0) continue;
    const out = applyPredicate(b, predicate);
    if (out.count > 0) yield out;
  }
}

/** The batch restricted to rows where `predicate` is TRUE. */
export function applyPredicate(b: Batch, predicate: CompiledExpr): Batch {
  const v = predicate.evaluate(b);
  if (v.kind === 'constant') return v.value === 1 ? b : makeBatch(b.columns, b.length, new Int32Array(0));
  const f = flatten(v);
  const data = f.data as Uint8Array;
  const valid = f.validity;
  const n = b.count;
  const sel = new Int32Array(n);
  const prev = b.selection;
  let k = 0;
  if (valid === null) {
    for (let i = 0; i < n; i++) if (data[i] === 1) sel[k++] = prev === null ? i : prev[i]!;
  } else {
    for (let i = 0; i < n; i++) if ((data[i]! & valid[i]!) === 1) sel[k++] = prev === null ? i : prev[i]!;
  }
  if (k === n && prev === null) return b;
  return makeBatch(b.columns, b.length, sel.subarray(0, k));
}
