// Table function: streams the rows of a FROM-clause function (`storage_info('t')`) that the
// engine provides through ExecContext.tableFunction, keeping the columns the plan reads.

import { internalError } from '../../common/errors.js';
import { makeBatch } from '../../common/batch.js';
import type { BatchStream, ExecContext } from '../context.js';
import { pace } from '../context.js';
import type { TableFunctionNode } from '../plan.js';

export async function* tableFunction(node: TableFunctionNode, ctx: ExecContext): BatchStream {
  if (ctx.tableFunction === undefined) throw internalError(`table function ${node.name}() cannot run here: the execution context provides no table functions`);
  for await (const b of ctx.tableFunction(node.name, node.args)) {
    await pace(ctx);
    if (b.count === 0) continue;
    yield makeBatch(node.columns.map((c) => b.columns[c]!), b.length, b.selection);
  }
}
