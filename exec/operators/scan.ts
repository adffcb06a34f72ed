// Scan: reads the requested columns of a table's pinned snapshot, handing the pushed
// predicates to storage so it can skip data (the plan still filters exactly). Storage counts
// what it did (blocks skipped, values decoded, bytes read) into a ScanStats of this run: its
// bytes go to the query's totals and, under EXPLAIN ANALYZE, all of it to the node's profile.

import { mapPredicateColumns, newScanStats, type ScanStats } from '../../storage/table.js';
import type { BatchStream, ExecContext } from '../context.js';
import { nodeProfile, pace } from '../context.js';
import type { ScanNode } from '../plan.js';

export async function* scan(node: ScanNode, ctx: ExecContext): BatchStream {
  const snapshot = ctx.snapshot(node.table);
  // Plan predicates name scan output positions; storage wants table column indexes.
  const predicates = node.predicates.map((p) => mapPredicateColumns(p, (c) => node.columns[c]!));
  const stats = newScanStats();
  try {
    for await (const b of snapshot.scan({ columns: node.columns, predicates, stats })) {
      await pace(ctx);
      ctx.stats.rowsRead += b.count;
      yield b;
    }
  } finally {
    // Also when the consumer stops early (LIMIT): the counters say what was done until then.
    ctx.stats.bytesRead += stats.bytesRead;
    if (ctx.profile !== undefined) {
      const p = nodeProfile(ctx.profile, node);
      addScanStats((p.scan ??= newScanStats()), stats);
    }
  }
}

function addScanStats(into: ScanStats, s: ScanStats): void {
  into.blocksTotal += s.blocksTotal;
  into.blocksSkipped += s.blocksSkipped;
  into.blocksSkippedByBitmap += s.blocksSkippedByBitmap;
  into.bitmapRows += s.bitmapRows;
  into.valuesDecoded += s.valuesDecoded;
  into.bytesRead += s.bytesRead;
}
