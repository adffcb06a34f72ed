// VALUES: evaluates constant row expressions into one batch per BATCH_SIZE rows.

import { type Batch, BATCH_SIZE, makeBatch } from '../../common/batch.js';
import { type Scalar, type Vector, allocData, getScalar } from '../../common/vector.js';
import { TypeId } from '../../common/types.js';
import type { BatchStream, ExecContext } from '../context.js';
import type { ValuesNode } from '../plan.js';
import { compileExpr } from '../expression/compile.js';

/** A one-row, zero-column batch to evaluate constant expressions against. */
export const SINGLE_ROW: Batch = makeBatch([], 1);

export async function* values(node: ValuesNode, ctx: ExecContext): BatchStream {
  const exprs = node.rows.map((row) => row.map((e) => compileExpr(e, ctx)));
  for (let start = 0; start < exprs.length; start += BATCH_SIZE) {
    const rows = exprs.slice(start, start + BATCH_SIZE);
    const cells: Scalar[][] = rows.map((row) => row.map((e) => getScalar(e.evaluate(SINGLE_ROW), 0)));
    yield makeBatch(
      node.types.map((t, c) => columnOf(t, cells.map((r) => r[c]!))),
      rows.length,
    );
  }
}

function columnOf(type: import('../../common/types.js').LogicalType, vals: Scalar[]): Vector {
  const n = vals.length;
  const wide = vals.some((v) => typeof v === 'bigint');
  const data = type.id === TypeId.NULL ? new Float64Array(n) : allocData(type, n, wide);
  let validity: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const v = vals[i]!;
    if (v === null) {
      if (validity === null) validity = new Uint8Array(n).fill(1);
      validity[i] = 0;
    } else (data as unknown as Scalar[])[i] = wide && typeof v === 'number' ? BigInt(v) : v;
  }
  return { kind: 'flat', type, length: n, data, validity };
}
