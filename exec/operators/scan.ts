// Scan: reads the requested columns of a table's pinned snapshot, handing the pushed
// predicates to storage so it can skip data (the plan still filters exactly). Storage counts
// what it did (blocks skipped, values decoded, bytes read) into a ScanStats of this run: its
// bytes go to the query's totals and, under EXPLAIN ANALYZE, all of it to the node's profile.

import { type Batch, makeBatch } from '../../common/batch.js';
import { mapPredicateColumns, newScanStats, type ScanPrefilter, type ScanStats } from '../../storage/table.js';
import type { BatchStream, ExecContext } from '../context.js';
import { nodeProfile, pace } from '../context.js';
import type { PExpr, ScanNode } from '../plan.js';
import { applyFilter, type CompiledFilter } from './filter.js';
import { FilterOrder, type ScanJoinFilter } from './filter-order.js';

/** A filter fused into its scan (late materialization): storage reads the columns `expr` uses
 *  first and the others only for blocks with rows left. */
export interface ScanFilter {
  readonly expr: PExpr;
  readonly compiled: CompiledFilter;
}

export async function* scan(node: ScanNode, ctx: ExecContext, filter?: ScanFilter): BatchStream {
  const snapshot = ctx.snapshot(node.table);
  // Plan predicates name scan output positions; storage wants table column indexes.
  const predicates = node.predicates.map((p) => mapPredicateColumns(p, (c) => node.columns[c]!));
  const stats = newScanStats();
  const profile = ctx.profile === undefined ? null : nodeProfile(ctx.profile, node);
  // Join filters published by the joins above (join-filter.ts): a range storage can prune
  // with, and a membership test before the other columns are read.
  const joinFilters: ScanJoinFilter[] = [];
  for (const jf of node.joinFilters ?? []) {
    const f = ctx.joinFilters?.get(jf.id);
    if (f === undefined) continue;
    joinFilters.push({ column: jf.column, filter: f, rows: 0, passed: 0, ms: 0 });
    const column = node.columns[jf.column]!;
    predicates.push({ column, op: '>=', values: [f.min] }, { column, op: '<=', values: [f.max] });
  }
  let prefilter: ScanPrefilter | undefined;
  if (filter !== undefined || joinFilters.length > 0) {
    const compiled = filter?.compiled ?? null;
    const columns = filter === undefined ? [] : columnsOf(filter.expr);
    for (const jf of joinFilters) if (!columns.includes(jf.column)) columns.push(jf.column);
    // The selections between one filter and the next live here; only the last is copied out
    // (storage keeps it with the batch), at its exact size. Fresh arrays of a batch's length per
    // filter were a tenth of a star join's time.
    let scratch = new Int32Array(0);
    const order = new FilterOrder(joinFilters);
    prefilter = {
      columns,
      keep(b: Batch): Int32Array | null {
        // The scan's own counts are of the rows it read, before the filters.
        ctx.stats.rowsRead += b.count;
        if (profile !== null) {
          profile.rows += b.count;
          profile.batches++;
        }
        let selection = b.selection;
        let count = b.count;
        if (scratch.length < b.length) scratch = new Int32Array(b.length);
        const filters = order.next();
        for (let i = 0; i < filters.length; i++) {
          const jf = filters[i]!;
          const t = i === 0 ? performance.now() : 0;
          const before = count;
          selection = jf.filter.select(b.columns[jf.column]!, selection, count, scratch);
          count = selection.length;
          if (i === 0) order.measured(jf, before, count, performance.now() - t);
          if (count === 0) return EMPTY;
        }
        if (compiled === null) return selection === b.selection ? null : selection!.slice();
        const narrowed = selection === b.selection ? b : makeBatch(b.columns, b.length, selection);
        const out = applyFilter(narrowed, compiled, scratch);
        if (out === b) return null;
        return out.selection === null || out.selection.buffer !== scratch.buffer ? out.selection : out.selection.slice();
      },
    };
  }
  try {
    const share = ctx.share !== undefined && ctx.share.scan === node ? { morsel: { index: ctx.share.index, count: ctx.share.count } } : {};
    const options = prefilter === undefined ? { columns: node.columns, predicates, stats, ...share } : { columns: node.columns, predicates, stats, prefilter, ...share };
    for await (const b of snapshot.scan(options)) {
      await pace(ctx);
      if (prefilter === undefined) ctx.stats.rowsRead += b.count;
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

const EMPTY = new Int32Array(0);


/** The scan output positions an expression reads. */
function columnsOf(e: PExpr, into: number[] = []): number[] {
  switch (e.kind) {
    case 'col':
      if (!into.includes(e.index)) into.push(e.index);
      break;
    case 'outer':
    case 'const':
      break;
    case 'call':
    case 'and':
    case 'or':
      for (const a of e.args) columnsOf(a, into);
      break;
    case 'cast':
      columnsOf(e.expr, into);
      break;
    case 'not':
    case 'is_null':
      columnsOf(e.arg, into);
      break;
    case 'in_list':
      columnsOf(e.arg, into);
      for (const a of e.list) columnsOf(a, into);
      break;
    case 'case':
      for (const w of e.whens) {
        columnsOf(w.when, into);
        columnsOf(w.then, into);
      }
      if (e.else !== null) columnsOf(e.else, into);
      break;
    default: {
      // A new expression kind must say which columns it reads, or the filter would see NULLs.
      const unknown: never = e;
      throw new Error(`columnsOf: unknown expression ${JSON.stringify(unknown)}`);
    }
  }
  return into;
}

function addScanStats(into: ScanStats, s: ScanStats): void {
  into.blocksTotal += s.blocksTotal;
  into.blocksSkipped += s.blocksSkipped;
  into.blocksSkippedByBitmap += s.blocksSkippedByBitmap;
  into.bitmapRows += s.bitmapRows;
  into.valuesDecoded += s.valuesDecoded;
  into.bytesRead += s.bytesRead;
  into.blocksCached += s.blocksCached;
}
