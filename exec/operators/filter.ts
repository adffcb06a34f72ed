// Filter: narrows a batch's selection to the rows where the predicate is TRUE. Column data
// is never copied (DuckDB's PhysicalFilter does the same).

import { type Batch, makeBatch } from '../../common/batch.js';
import { flatten } from '../../common/vector.js';
import type { BatchStream, ExecContext } from '../context.js';
import { pace } from '../context.js';
import type { CompiledExpr } from '../expression/compiled.js';
import { compileExpr } from '../expression/compile.js';
import type { PExpr } from '../plan.js';

export async function* filter(ctx: ExecContext, input: BatchStream, predicate: CompiledFilter): BatchStream {
  for await (const b of input) {
    await pace(ctx);
    if (b.count === 0) continue;
    const out = applyFilter(b, predicate);
    if (out.count > 0) yield out;
  }
}

/** A filter's conjuncts, compiled one by one: each is evaluated only on the rows the ones
 *  before it kept (as DuckDB filters with selection vectors). For a filter, a row passes when
 *  every conjunct is TRUE, so NULL and FALSE alike drop it at once. */
export type CompiledFilter = readonly CompiledExpr[];

export function compileFilter(predicate: PExpr, ctx: ExecContext): CompiledFilter {
  const conjuncts: PExpr[] = [];
  const split = (e: PExpr) => {
    if (e.kind === 'and') for (const a of e.args) split(a);
    else conjuncts.push(e);
  };
  split(predicate);
  return conjuncts.map((c) => compileExpr(c, ctx));
}

/** The batch restricted to the rows where every conjunct is TRUE. */
export function applyFilter(b: Batch, filter: CompiledFilter, scratch?: Int32Array): Batch {
  let out = b;
  for (const c of filter) {
    out = applyPredicate(out, c, scratch);
    if (out.count === 0) break;
  }
  return out;
}

/** The batch restricted to rows where `predicate` is TRUE. With `scratch` (at least b.count
 *  long, possibly b's own selection: each row is read before its position is written) the
 *  selection is written there instead of to a new array: the caller copies what it keeps. */
export function applyPredicate(b: Batch, predicate: CompiledExpr, scratch?: Int32Array): Batch {
  const v = predicate.evaluate(b);
  if (v.kind === 'constant') return v.value === 1 ? b : makeBatch(b.columns, b.length, new Int32Array(0));
  const f = flatten(v);
  const data = f.data as Uint8Array;
  const valid = f.validity;
  const n = b.count;
  const sel = scratch ?? new Int32Array(n);
  const prev = b.selection;
  const k = valid === null ? (prev === null ? keepDense(data, n, sel) : keepSelected(data, prev, n, sel)) : keepValid(data, valid, prev, n, sel);
  if (k === n && prev === null) return b;
  return makeBatch(b.columns, b.length, sel.subarray(0, k));
}

// The selection loops, branch-free: every row is written, and kept by advancing k by its
// BOOLEAN (0 or 1), since whether a row passes is what a branch predictor cannot guess.
function keepDense(data: Uint8Array, n: number, sel: Int32Array): number {
  let k = 0;
  for (let i = 0; i < n; i++) {
    sel[k] = i;
    k += data[i]!;
  }
  return k;
}

function keepSelected(data: Uint8Array, prev: Int32Array, n: number, sel: Int32Array): number {
  let k = 0;
  for (let i = 0; i < n; i++) {
    sel[k] = prev[i]!;
    k += data[i]!;
  }
  return k;
}

function keepValid(data: Uint8Array, valid: Uint8Array, prev: Int32Array | null, n: number, sel: Int32Array): number {
  let k = 0;
  for (let i = 0; i < n; i++) {
    sel[k] = prev === null ? i : prev[i]!;
    k += data[i]! & valid[i]!;
  }
  return k;
}
