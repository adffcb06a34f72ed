// Window functions (WindowNode). Every input row is collected into flat columns
// (RowCollection), then each window function is computed over the whole input at once:
// rows are sorted once per distinct (PARTITION BY, ORDER BY) (exec/window/partitions.ts; two
// functions with the same window share the sort), frames come from exec/window/frames.ts, and
// the function itself from exec/window/ranking.ts or exec/window/aggregates.ts. Results are
// written in input order, so the output is the input rows in their original order with one
// column appended per function, in batches of BATCH_SIZE.

import { BATCH_SIZE, type Batch, makeBatch } from '../../common/batch.js';
import { internalError } from '../../common/errors.js';
import type { FlatVector } from '../../common/vector.js';
import { type BatchStream, type ExecContext, pace } from '../context.js';
import type { WindowNode, WindowSpec } from '../plan.js';
import { RowCollection, sliceFlat } from '../hash/row-collection.js';
import { windowAggregate } from '../window/aggregates.js';
import { computeFrames } from '../window/frames.js';
import { type SortedRows, sortForWindow } from '../window/partitions.js';
import { navigationFunction, rankingFunction } from '../window/ranking.js';

export async function* windowOperator(node: WindowNode, ctx: ExecContext, input: BatchStream): AsyncGenerator<Batch> {
  const inputTypes = node.types.slice(0, node.types.length - node.functions.length);
  checkSpecs(node, inputTypes.length);
  const collected = new RowCollection(inputTypes, 'a window function', ctx.memory);
  await collected.appendAll(input, ctx);
  // Counted until the input is whole: a query over its memory limit fails there.
  collected.release();
  const cols = collected.finish();
  const n = collected.rowCount;
  if (n === 0) return;
  const sorts = new Map<string, SortedRows>();
  const results: FlatVector[] = [];
  for (const spec of node.functions) {
    await pace(ctx);
    const key = JSON.stringify([spec.partitionBy, spec.orderBy]);
    let rows = sorts.get(key);
    if (rows === undefined) {
      rows = sortForWindow(cols, inputTypes, n, spec.partitionBy, spec.orderBy);
      sorts.set(key, rows);
    }
    results.push(computeFunction(spec, rows, cols));
  }
  const all = [...cols, ...results];
  for (let start = 0; start < n; start += BATCH_SIZE) {
    await pace(ctx);
    const end = Math.min(n, start + BATCH_SIZE);
    yield makeBatch(all.map((c, i) => sliceFlat(c, start, end, node.types[i]!)), end - start);
  }
}

function computeFunction(spec: WindowSpec, rows: SortedRows, cols: readonly FlatVector[]): FlatVector {
  const args = spec.args.map((a) => cols[a]!);
  switch (spec.fn) {
    case 'row_number':
    case 'rank':
    case 'dense_rank':
    case 'percent_rank':
    case 'ntile':
      return rankingFunction(spec.fn, rows, spec.param);
    case 'lag':
    case 'lead':
      return navigationFunction(spec.fn, rows, spec.param, args[0]!, args[1] ?? null, null);
    case 'first_value':
    case 'last_value':
      return navigationFunction(spec.fn, rows, spec.param, args[0]!, null, computeFrames(rows, spec.frame, spec.orderBy, cols));
    default: {
      const frames = computeFrames(rows, spec.frame, spec.orderBy, cols);
      return windowAggregate(spec, rows, frames, args, spec.filter === null ? null : cols[spec.filter]!);
    }
  }
}

function checkSpecs(node: WindowNode, width: number): void {
  for (const f of node.functions) {
    const cols = [...f.args, ...f.partitionBy, ...f.orderBy.map((k) => k.index), ...(f.filter === null ? [] : [f.filter])];
    for (const c of cols) {
      if (!Number.isInteger(c) || c < 0 || c >= width) throw internalError(`window function ${f.fn}: column ${c} is out of range (the input has ${width})`);
    }
    if (f.args.length !== f.argTypes.length) throw internalError(`window function ${f.fn}: ${f.args.length} arguments but ${f.argTypes.length} types`);
  }
}
