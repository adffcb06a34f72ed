// Scan: reads the requested columns of a table's pinned snapshot, handing the pushed
// predicates to storage so it can skip data (the plan still filters exactly).

import type { BatchStream, ExecContext } from '../context.js';
import { pace } from '../context.js';
import type { ScanNode } from '../plan.js';

export async function* scan(node: ScanNode, ctx: ExecContext): BatchStream {
  const snapshot = ctx.snapshot(node.table);
  // Plan predicates name scan output positions; storage wants table column indexes.
  const predicates = node.predicates.map((p) => ({ ...p, column: node.columns[p.column]! }));
  for await (const b of snapshot.scan({ columns: node.columns, predicates })) {
    await pace(ctx);
    ctx.stats.rowsRead += b.count;
    yield b;
  }
}
