// The messages between a query and the worker threads that run its shares (pool.ts, worker.ts).
// Everything here is plain data: plans, snapshot descriptions, vectors and serialized aggregate
// states are structured-cloned; the cancellation flag and the memory account are shared memory.

import type { ErrorCode } from '../../common/errors.js';
import type { Vector } from '../../common/vector.js';
import type { SnapshotDescription } from '../../storage/disk/detached-snapshot.js';
import type { SerializedAggregate } from '../aggregate/state.js';
import type { ExecStats, NodeProfile } from '../context.js';
import type { SharedMemoryAccount } from '../memory.js';
import type { AggregateNode } from '../plan.js';

/** One share of a parallel GROUP BY: fold the rows of share `index` of `count` of the scan at
 *  `path` (fragment.ts) into the aggregate's states. */
export interface AggregateShareTask {
  readonly node: AggregateNode;
  readonly path: readonly number[];
  readonly index: number;
  readonly count: number;
  /** The snapshot of every table the plan scans, by name. */
  readonly tables: Readonly<Record<string, SnapshotDescription>>;
  /** Nonzero: stop (the query was cancelled or another share failed). */
  readonly cancel: Int32Array;
  readonly memory: SharedMemoryAccount;
  /** Whether to count rows per plan node (EXPLAIN ANALYZE). */
  readonly profile: boolean;
  /** More groups than this in the share: it gives up (AggregateShareResult.gaveUp). */
  readonly maxGroups: number;
}

/** The share's groups — key columns, then each aggregate's state — not finalized. */
export interface AggregateShareResult {
  /** The share met more than maxGroups groups and stopped; the rest of the result is empty. */
  readonly gaveUp: boolean;
  readonly groupCount: number;
  /** One vector per group key, `groupCount` long (none without keys: one group). */
  readonly keys: readonly Vector[];
  readonly states: readonly SerializedAggregate[];
  readonly stats: ExecStats;
  /** Per node of `node.input` in pre-order (fragment.ts preorder), when profiled. */
  readonly profile: readonly (NodeProfile | null)[] | null;
}

export interface ShareCall {
  readonly id: number;
  readonly task: AggregateShareTask;
}

export type ShareReply =
  | { readonly id: number; readonly ok: true; readonly result: AggregateShareResult }
  | { readonly id: number; readonly ok: false; readonly code: ErrorCode; readonly message: string };
