// A query worker thread's entry (started by pool.ts, which runs the compiled dist/ copy). It runs
// shares of parallel plans: each task's plan is compiled here, its tables are scanned from their
// part files through this thread's own block cache, and only the share's partial aggregate
// states go back. Errors go back as code and message; nothing is left unhandled.

import { parentPort, workerData } from 'node:worker_threads';
import { internalError, toQuiverError } from '../../common/errors.js';
import { DetachedSnapshot } from '../../storage/disk/detached-snapshot.js';
import { blockCache } from '../../storage/part/block-cache.js';
import type { ExecContext, NodeProfile } from '../context.js';
import { executePlan } from '../execute.js';
import { keyColumnToVector } from '../hash/key-columns.js';
import { MemoryTracker } from '../memory.js';
import { aggregateInput } from '../operators/hash-aggregate.js';
import type { PlanNode } from '../plan.js';
import { nodeAt, preorder } from './fragment.js';
import type { AggregateShareResult, AggregateShareTask, ShareCall, ShareReply } from './protocol.js';

const port = parentPort;
if (port === null) throw internalError('worker.js runs only as a worker thread (see exec/parallel/pool.ts)');

const { cacheBytes } = workerData as { cacheBytes: number };
blockCache.setCapacity(cacheBytes);

port.on('message', (call: ShareCall) => {
  runShare(call.task).then(
    (result) => port.postMessage({ id: call.id, ok: true, result } satisfies ShareReply),
    (e: unknown) => {
      const q = toQuiverError(e);
      port.postMessage({ id: call.id, ok: false, code: q.code, message: q.message } satisfies ShareReply);
    },
  );
});

async function runShare(task: AggregateShareTask): Promise<AggregateShareResult> {
  const { node } = task;
  const sources = new Map<string, DetachedSnapshot>();
  const profile = task.profile ? new Map<PlanNode, NodeProfile>() : undefined;
  const ctx: ExecContext = {
    snapshot(table) {
      let s = sources.get(table);
      if (s === undefined) {
        const d = task.tables[table];
        if (d === undefined) throw internalError(`the parallel plan reads table "${table}", which its task does not describe`);
        s = new DetachedSnapshot(d);
        sources.set(table, s);
      }
      return s;
    },
    outer: [],
    // Never aborted (the query stops a share through cancelFlag): there so pace() gives this
    // thread's event loop a turn every PACE_MS, as it does only for a context with a signal.
    // Without one a share ran start to end, and another query's share waited for all of it.
    signal: new AbortController().signal,
    cancelFlag: task.cancel,
    stats: { rowsRead: 0, bytesRead: 0 },
    codegenLog: null,
    memory: new MemoryTracker(task.memory),
    share: { scan: nodeAt(node.input, task.path), index: task.index, count: task.count },
    ...(profile === undefined ? {} : { profile }),
  };
  const aggregated = await aggregateInput(node, ctx, executePlan(node.input, ctx), task.maxGroups);
  if (aggregated === null) return { gaveUp: true, groupCount: 0, keys: [], states: [], stats: ctx.stats, profile: null };
  const { assigner, states, groupCount } = aggregated;
  const keys = assigner === null ? [] : node.keys.map((_, c) => keyColumnToVector(assigner.table.store, c, node.types[c]!, 0, groupCount));
  return {
    gaveUp: false,
    groupCount,
    keys,
    states: states.map((s) => s.serialize()),
    stats: ctx.stats,
    profile: profile === undefined ? null : preorder(node.input).map((n) => profile.get(n) ?? null),
  };
}
