// Apply (dependent join): runs a correlated subquery's plan once per distinct outer tuple
// and appends its result as one column. The optimizer decorrelates the common shapes into
// joins; this operator is the general fallback, so correlated subqueries always work.

import { type Batch, compactBatch, makeBatch } from '../../common/batch.js';
import { QuiverError } from '../../common/errors.js';
import { type Scalar, allocData, getScalar } from '../../common/vector.js';
import type { BatchStream, ExecContext } from '../context.js';
import { pace } from '../context.js';
import type { ApplyNode, PlanNode } from '../plan.js';
import { compileExpr } from '../expression/compile.js';

export type RunPlan = (node: PlanNode, ctx: ExecContext) => BatchStream;

export async function* apply(node: ApplyNode, ctx: ExecContext, input: BatchStream, run: RunPlan): BatchStream {
  const cache = new Map<unknown, Scalar | SubqueryValues>();
  const outType = node.types[node.types.length - 1]!;
  const correlated = node.correlated.map((e) => compileExpr(e, ctx));
  for await (const b of input) {
    await pace(ctx);
    if (b.count === 0) continue;
    const n = b.count;
    const rows = b.selection;
    const outerCols = correlated.map((e) => e.evaluate(b));
    const single = outerCols.length === 1;
    const data = allocData(outType, n, false) as unknown as Scalar[];
    const valid = new Uint8Array(n);
    let wide = false;
    const results: Scalar[] = new Array<Scalar>(n);
    for (let k = 0; k < n; k++) {
      const row = rows === null ? k : rows[k]!;
      // One correlated value (the common case) is its own cache key; several make a string.
      const key = single ? cacheKey(getScalar(outerCols[0]!, k)) : keyOf(outerCols.map((v) => getScalar(v, k)));
      let r = cache.get(key);
      if (r === undefined) {
        const outer = outerCols.map((v) => getScalar(v, k));
        r = await evaluateSubquery(node, { ...ctx, outer }, run);
        cache.set(key, r);
      }
      const value = node.mode === 'in' ? inResult(getScalar(b.columns[node.inColumn!]!, row), r as SubqueryValues) : (r as Scalar);
      results[k] = value;
      if (typeof value === 'bigint') wide = true;
    }
    const out = wide ? (allocData(outType, n, true) as unknown as Scalar[]) : data;
    for (let k = 0; k < n; k++) {
      const v = results[k]!;
      if (v === null) continue;
      valid[k] = 1;
      out[k] = wide && typeof v === 'number' ? BigInt(v) : v;
    }
    const dense: Batch = compactBatch(b);
    yield makeBatch(
      [...dense.columns, { kind: 'flat', type: outType, length: n, data: out as never, validity: valid.every((x) => x === 1) ? null : valid }],
      n,
    );
  }
}

interface SubqueryValues {
  values: Scalar[];
  hasNull: boolean;
}

/** A Map key for one value: BIGINT/DECIMAL values equal by value whether number or bigint. */
function cacheKey(v: Scalar): unknown {
  return typeof v === 'bigint' && v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

function keyOf(values: Scalar[]): string {
  return values.map((v) => (v === null ? '\u0000N' : typeof v === 'bigint' ? `${v}n` : typeof v === 'string' ? `s${v}` : String(v))).join('\u0001');
}

async function evaluateSubquery(node: ApplyNode, ctx: ExecContext, run: RunPlan): Promise<Scalar | SubqueryValues> {
  if (node.mode === 'exists') {
    for await (const b of run(node.subplan, ctx)) if (b.count > 0) return 1;
    return 0;
  }
  if (node.mode === 'scalar') {
    let value: Scalar = null;
    let seen = 0;
    for await (const b of run(node.subplan, ctx)) {
      if (b.count === 0) continue;
      seen += b.count;
      if (seen > 1) throw new QuiverError('INVALID_INPUT', 'more than one row returned by a subquery used as an expression');
      value = getScalar(b.columns[0]!, b.selection === null ? 0 : b.selection[0]!);
    }
    return value;
  }
  const values: Scalar[] = [];
  let hasNull = false;
  for await (const b of run(node.subplan, ctx)) {
    for (let k = 0; k < b.count; k++) {
      const v = getScalar(b.columns[0]!, b.selection === null ? k : b.selection[k]!);
      if (v === null) hasNull = true;
      else values.push(v);
    }
  }
  return { values, hasNull };
}

/** SQL `x IN (values)`: TRUE on a match, NULL if x is NULL or a value is NULL, else FALSE. */
function inResult(x: Scalar, s: SubqueryValues): Scalar {
  if (s.values.length === 0 && !s.hasNull) return 0;
  if (x === null) return null;
  for (const v of s.values) if (sameValue(v, x)) return 1;
  return s.hasNull ? null : 0;
}

/** Equality by value across the number and bigint representations of one integer type. */
function sameValue(a: Scalar, b: Scalar): boolean {
  if (typeof a === 'bigint' && typeof b === 'number') return Number.isInteger(b) && a === BigInt(b);
  if (typeof a === 'number' && typeof b === 'bigint') return Number.isInteger(a) && BigInt(a) === b;
  return a === b;
}
