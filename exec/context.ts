// Per-execution state shared by the operators of one running query. Plans hold no state;
// everything a run accumulates lives here or inside the operators' own generators.

import type { Snapshot } from '../storage/table.js';
import type { PlanNode } from './plan.js';
import type { Scalar } from '../common/vector.js';
import { QuiverError } from '../common/errors.js';

export interface ExecStats {
  rowsRead: number;
  bytesRead: number;
}

export interface ExecContext {
  /** The snapshot of each table the query reads, pinned when the query starts. */
  snapshot(table: string): Snapshot;
  /** Values of the current outer row, for `outer` expressions inside an Apply subplan. */
  outer: Scalar[];
  signal: AbortSignal | null;
  stats: ExecStats;
  /** Collects generated kernel sources when EXPLAIN (CODEGEN) asks for them. */
  codegenLog: string[] | null;
  /** Output rows per plan node, when EXPLAIN ANALYZE asks for them. */
  profile?: Map<PlanNode, NodeProfile>;
}

export interface NodeProfile {
  rows: number;
  batches: number;
}

/** Checked once per batch by every operator loop. */
export function checkCancelled(ctx: ExecContext): void {
  if (ctx.signal !== null && ctx.signal.aborted) {
    const reason = ctx.signal.reason;
    const msg = reason instanceof QuiverError ? reason.message : 'query cancelled';
    throw new QuiverError('CANCELLED', msg);
  }
}

/** Runs a plan node's input: the operators receive their children as async batch streams. */
export type BatchStream = AsyncIterable<import('../common/batch.js').Batch>;
