// Project: evaluates one expression per output column over each batch. The output batch
// has no selection (expressions produce vectors dense over the selected rows).

import { makeBatch } from '../../common/batch.js';
import type { BatchStream, ExecContext } from '../context.js';
import { pace } from '../context.js';
import type { CompiledExpr } from '../expression/compiled.js';

export async function* project(ctx: ExecContext, input: BatchStream, exprs: CompiledExpr[]): BatchStream {
  for await (const b of input) {
    await pace(ctx);
    if (b.count === 0) continue;
    yield makeBatch(
      exprs.map((e) => e.evaluate(b)),
      b.count,
    );
  }
}
