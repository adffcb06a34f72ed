// Per-execution state shared by the operators of one running query. Plans hold no state;
// everything a run accumulates lives here or inside the operators' own generators.

import type { ScanSource, ScanStats } from '../storage/table.js';
import type { PlanNode } from './plan.js';
import type { Scalar } from '../common/vector.js';
import { QuiverError } from '../common/errors.js';
import type { JoinFilter } from './join-filter.js';
import type { MemoryTracker } from './memory.js';

export interface ExecStats {
  rowsRead: number;
  bytesRead: number;
}

export interface ExecContext {
  /** The snapshot of each table the query reads, pinned when the query starts. */
  snapshot(table: string): ScanSource;
  /** Values of the current outer row, for `outer` expressions inside an Apply subplan. */
  outer: Scalar[];
  signal: AbortSignal | null;
  /** Set to nonzero (Atomics) when the query is cancelled: how a worker thread running part of
   *  a query learns it should stop (exec/parallel/). */
  cancelFlag?: Int32Array;
  stats: ExecStats;
  /** Collects generated kernel sources when EXPLAIN (CODEGEN) asks for them. */
  codegenLog: string[] | null;
  /** Output rows per plan node, when EXPLAIN ANALYZE asks for them. */
  profile?: Map<PlanNode, NodeProfile>;
  /** Runs a table function (TableFunctionNode): all of its columns, in the function's order.
   *  The engine that planned the query provides it (sql/table-functions/). */
  tableFunction?(name: string, args: readonly Scalar[]): BatchStream;
  /** The query's memory accounting (exec/memory.ts); none: unlimited, uncounted. */
  memory?: MemoryTracker;
  /** Join filters published by hash joins of this run, by id (exec/join-filter.ts). */
  joinFilters?: Map<number, JoinFilter>;
  /** Threads a query may use (SET threads); absent or 1: the query runs in this thread. */
  threads?: number;
  /** Runs share `index` of `count` of a parallel plan: the scan `scan` reads only that share
   *  of its table (exec/parallel/). */
  share?: { readonly scan: PlanNode; readonly index: number; readonly count: number };
}

export interface NodeProfile {
  rows: number;
  batches: number;
  /** For a scan node: what storage did for it, summed over every run of the node. */
  scan?: ScanStats;
  /** For an aggregate that ran in worker threads (exec/parallel/): how many. */
  threads?: number;
}

/** The profile entry of `node`, created when missing. */
export function nodeProfile(profile: Map<PlanNode, NodeProfile>, node: PlanNode): NodeProfile {
  let p = profile.get(node);
  if (p === undefined) {
    p = { rows: 0, batches: 0 };
    profile.set(node, p);
  }
  return p;
}

/** Checked once per batch by every operator loop. */
export function checkCancelled(ctx: ExecContext): void {
  if (ctx.cancelFlag !== undefined && Atomics.load(ctx.cancelFlag, 0) !== 0) throw new QuiverError('CANCELLED', 'query cancelled');
  if (ctx.signal !== null && ctx.signal.aborted) {
    const reason = ctx.signal.reason;
    const msg = reason instanceof QuiverError ? reason.message : 'query cancelled';
    throw new QuiverError('CANCELLED', msg);
  }
}

/** How long an operator may compute before it gives the event loop a turn. */
const PACE_MS = 20;
const lastYield = new WeakMap<AbortSignal, number>();

/**
 * Called once per batch by the operators that can run long (scans, joins, sorts): every
 * PACE_MS of work it yields to the event loop, so that timers (timeoutMs) and aborts (Ctrl+C,
 * a client that hung up) are seen while a query runs, then checks for cancellation. A query
 * nobody can cancel (no signal) never yields.
 */
export async function pace(ctx: ExecContext): Promise<void> {
  checkCancelled(ctx);
  const signal = ctx.signal;
  if (signal === null) return;
  const now = performance.now();
  const last = lastYield.get(signal);
  if (last === undefined) {
    lastYield.set(signal, now);
    return;
  }
  if (now - last < PACE_MS) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  lastYield.set(signal, performance.now());
  checkCancelled(ctx);
}

/** Runs a plan node's input: the operators receive their children as async batch streams. */
export type BatchStream = AsyncIterable<import('../common/batch.js').Batch>;
