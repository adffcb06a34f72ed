// A GROUP BY run by worker threads (DESIGN.md, Threads). The aggregate's input splits at its
// driving scan (fragment.ts); each of `threads` workers runs the whole plan below the aggregate
// over its share of the scan's blocks (build sides whole, compiled in the worker) and sends back
// its groups' keys and partial states (pool.ts, worker.ts). This thread merges them, group by
// group, and finalizes: the answer is the one thread's, up to the order of groups and the
// rounding of floating-point sums.
//
// The query's snapshots are described (storage/disk/detached-snapshot.ts) and stay pinned until
// every worker has answered. Cancellation (the query's signal, or a share that failed) sets a
// shared flag each worker checks once per batch; the query waits for all of them to stop before
// it fails, so nothing keeps running after it. Memory: the workers count into the query's own
// account (exec/memory.ts), and the merged groups here too.
//
// It runs in this thread instead when it cannot help or cannot run elsewhere: one thread, a
// table in memory or inside a transaction (nothing a worker can read), a driving table of fewer
// than two blocks, inside a correlated subquery or a worker's share.

import { QuiverError } from '../../common/errors.js';
import { describedShare, type SnapshotDescription } from '../../storage/disk/detached-snapshot.js';
import { createAggregateState, deserializeAggregateState } from '../aggregate/registry.js';
import { type BatchStream, checkCancelled, type ExecContext, nodeProfile } from '../context.js';
import { GroupIdAssigner } from '../hash/group-ids.js';
import { type AggregatedInput, emitGroups, groupBytes, groupsHeld } from '../operators/hash-aggregate.js';
import type { AggregateNode, PlanNode, ScanNode } from '../plan.js';
import { drivingScanPath, nodeAt, preorder, scannedTables } from './fragment.js';
import { runShare } from './pool.js';
import type { AggregateShareResult } from './protocol.js';

/** Groups a share may hold before it gives up (runShares). */
const MAX_SHARE_GROUPS = 100_000;

/** The aggregate, in worker threads when it can; otherwise `local()` runs it here. */
export async function* parallelAggregate(node: AggregateNode, ctx: ExecContext, local: () => BatchStream): BatchStream {
  const tables = await sharesOf(node, ctx);
  if (tables === null) {
    yield* local();
    return;
  }
  const results = await runShares(node, ctx, tables.path, tables.descriptions);
  if (results === null) {
    // Too many groups to merge in one thread: the threads would cost more than they save.
    yield* local();
    return;
  }
  if (ctx.profile !== undefined) nodeProfile(ctx.profile, node).threads = results.length;
  yield* emitGroups(node, ctx, merge(node, ctx, results));
}

/** The driving scan's path and every scanned table's description, or null to run here. */
async function sharesOf(node: AggregateNode, ctx: ExecContext): Promise<{ path: number[]; descriptions: Record<string, SnapshotDescription> } | null> {
  if ((ctx.threads ?? 1) < 2 || ctx.share !== undefined || ctx.outer.length > 0) return null;
  const path = drivingScanPath(node);
  if (path === null) return null;
  const descriptions: Record<string, SnapshotDescription> = {};
  for (const table of scannedTables(node.input)) {
    const d = (await ctx.snapshot(table).describe?.()) ?? null;
    if (d === null) return null;
    descriptions[table] = d;
  }
  const driver = nodeAt(node.input, path);
  if (driver.op !== 'scan') return null;
  let blocks = 0;
  for (const p of descriptions[driver.table]!.parts) blocks += p.blocks;
  return blocks < 2 ? null : { path, descriptions };
}

/**
 * Runs every share; fails (after all have stopped) with the first failure, or as cancelled.
 * Null when a share met more than MAX_SHARE_GROUPS groups: the others are stopped, and the
 * aggregate runs in this thread instead (merging groups is done here, one thread, so a GROUP BY
 * of a near-unique key was slower in two threads than in one: 1.3 s against 0.95 s for
 * lineorder's 1.5 million order keys).
 */
async function runShares(node: AggregateNode, ctx: ExecContext, path: number[], tables: Record<string, SnapshotDescription>): Promise<AggregateShareResult[] | null> {
  const count = ctx.threads!;
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  const stop = (): void => void Atomics.store(cancel, 0, 1);
  ctx.signal?.addEventListener('abort', stop);
  let failure: QuiverError | null = null;
  let gaveUp = false;
  const shares: Promise<AggregateShareResult | null>[] = [];
  try {
    // An abort before the listener was added (while the snapshots were described) fires no
    // event: without this the workers would run the whole query before it fails as cancelled.
    checkCancelled(ctx);
    const memory = ctx.memory?.share() ?? { limit: Infinity, counters: new BigInt64Array(new SharedArrayBuffer(16)) };
    const driver = (nodeAt(node.input, path) as ScanNode).table;
    // Build sides read their tables whole; each share of the driving scan reads its own rows in
    // memory, and is sent only those, unless a build side reads that table too (a self-join).
    const alone = preorder(node.input).filter((n) => n.op === 'scan' && n.table === driver).length === 1;
    for (let index = 0; index < count; index++) {
      const shareTables = alone ? { ...tables, [driver]: describedShare(tables[driver]!, index, count) } : tables;
      const task = { node, path, index, count, tables: shareTables, cancel, memory, profile: ctx.profile !== undefined, maxGroups: MAX_SHARE_GROUPS };
      shares.push(
        // A worker that cannot even start fails its share like any other failure, so the shares
        // already handed out are still awaited before the snapshots are released.
        (async () => runShare(task))().then(
          (r) => {
            if (r.gaveUp) {
              gaveUp = true;
              stop();
            }
            return r;
          },
          (e: QuiverError) => {
            // The first real failure stops the others; theirs (CANCELLED) are its echo.
            if (failure === null || (failure.code === 'CANCELLED' && e.code !== 'CANCELLED')) failure = e;
            stop();
            return null;
          },
        ),
      );
    }
    const results = await Promise.all(shares);
    checkCancelled(ctx);
    // Stopped because one share gave up: the others' CANCELLED is its echo.
    if (failure !== null && !(gaveUp && (failure as QuiverError).code === 'CANCELLED')) throw failure;
    return gaveUp ? null : (results as AggregateShareResult[]);
  } finally {
    ctx.signal?.removeEventListener('abort', stop);
  }
}

/** The shares' groups merged into one set of states, with their counters added to the query's. */
function merge(node: AggregateNode, ctx: ExecContext, results: AggregateShareResult[]): AggregatedInput {
  const nKeys = node.keys.length;
  const states = node.aggregates.map(createAggregateState);
  const assigner = nKeys > 0 ? new GroupIdAssigner(node.keys.map((k) => node.input.types[k]!)) : null;
  let groupCount = assigner === null ? 1 : 0;
  for (const s of states) s.init(groupCount);
  const memory = assigner === null ? null : (ctx.memory?.reservation(groupsHeld(node)) ?? null);
  const nodes = ctx.profile === undefined ? null : preorder(node.input);
  try {
    for (const r of results) {
      ctx.stats.rowsRead += r.stats.rowsRead;
      ctx.stats.bytesRead += r.stats.bytesRead;
      if (nodes !== null && r.profile !== null) addProfile(ctx, nodes, r.profile);
      let map: Int32Array | null = null;
      if (assigner !== null) {
        map = assigner.assign(r.keys, null, r.groupCount);
        groupCount = assigner.groupCount;
        memory?.resize(groupCount * groupBytes(node));
      }
      for (let a = 0; a < states.length; a++) {
        states[a]!.init(groupCount);
        states[a]!.merge(deserializeAggregateState(node.aggregates[a]!, r.states[a]!), map);
      }
    }
  } finally {
    memory?.release();
  }
  return { assigner, states, groupCount };
}

function addProfile(ctx: ExecContext, nodes: readonly PlanNode[], profile: AggregateShareResult['profile']): void {
  profile!.forEach((p, i) => {
    if (p === null) return;
    const into = nodeProfile(ctx.profile!, nodes[i]!);
    into.rows += p.rows;
    into.batches += p.batches;
    if (p.scan !== undefined) {
      if (into.scan === undefined) into.scan = { ...p.scan };
      else for (const k of Object.keys(p.scan) as (keyof typeof p.scan)[]) into.scan[k] += p.scan[k];
    }
  });
}
