// The query worker threads (DESIGN.md, Threads): one process-wide pool, started on first use and
// grown to the most threads a query has asked for. Share i of a parallel plan always goes to
// worker i, so each worker keeps reading the same blocks of a table from query to query and its
// block cache (each worker has its own, WORKER_BLOCK_CACHE_BYTES) stays warm.
//
// A worker takes calls from several queries at once (they interleave at their awaits). It is
// unref'ed while it has no call, so the pool never keeps the process alive, and ref'ed while it
// has one. A worker that dies (out of memory, an uncaught error) fails its calls with
// INTERNAL_ERROR and is replaced by the next call.

import { Worker } from 'node:worker_threads';
import { QuiverError } from '../../common/errors.js';
import { workerUrl } from '../../common/worker-url.js';
import { WORKER_BLOCK_CACHE_BYTES } from '../../storage/part/block-cache.js';
import type { AggregateShareResult, AggregateShareTask, ShareCall, ShareReply } from './protocol.js';

interface Pending {
  readonly resolve: (r: AggregateShareResult) => void;
  readonly reject: (e: QuiverError) => void;
}

class QueryWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  dead = false;

  constructor() {
    this.worker = new Worker(workerUrl(import.meta.url, './worker.js'), { workerData: { cacheBytes: WORKER_BLOCK_CACHE_BYTES } });
    this.worker.on('message', (reply: ShareReply) => this.onReply(reply));
    this.worker.on('messageerror', (e) => this.die(`its reply could not be read (${e.message})`));
    this.worker.on('error', (e: Error & { code?: string }) =>
      this.die(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'it ran out of memory; lower memory_limit or use fewer threads' : `it failed: ${e.message}`),
    );
    this.worker.on('exit', (code) => this.die(`it exited with code ${code}`));
    // After the listeners: adding a 'message' listener refs the worker's port again.
    this.worker.unref();
  }

  run(task: AggregateShareTask): Promise<AggregateShareResult> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) this.worker.ref();
      try {
        this.worker.postMessage({ id, task } satisfies ShareCall);
      } catch (e) {
        this.settle(id);
        reject(new QuiverError('INTERNAL_ERROR', `cannot hand the query's share to a worker thread: ${e instanceof Error ? e.message : String(e)}`));
      }
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private onReply(reply: ShareReply): void {
    const p = this.settle(reply.id);
    if (p === undefined) return;
    if (reply.ok) p.resolve(reply.result);
    else p.reject(new QuiverError(reply.code, reply.message));
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
    return p;
  }

  private die(why: string): void {
    if (this.dead) return;
    this.dead = true;
    for (const p of this.pending.values()) p.reject(new QuiverError('INTERNAL_ERROR', `a query worker thread stopped: ${why}`));
    this.pending.clear();
    void this.worker.terminate();
  }
}

const workers: QueryWorker[] = [];

/** Worker `index`, started (or replaced) when it is not running. */
function worker(index: number): QueryWorker {
  let w = workers[index];
  if (w === undefined || w.dead) {
    w = new QueryWorker();
    workers[index] = w;
  }
  return w;
}

let started = 0;

/** Runs share `task.index` on worker `task.index`. */
export function runShare(task: AggregateShareTask): Promise<AggregateShareResult> {
  started++;
  return worker(task.index).run(task);
}

/** Shares handed to the workers since the process started. */
export function sharesStarted(): number {
  return started;
}

/** Starts workers 0 .. count-1 ahead of the first parallel query (a database on disk opens):
 *  a thread takes a tenth of a second to load its modules, which a query, or the cancelling of
 *  one, should not wait for. They stay unref'ed: an idle pool never keeps the process alive. */
export function startQueryWorkers(count: number): void {
  for (let i = 0; i < count; i++) worker(i);
}

/** Stops every worker (tests; a process exits without it). */
export async function stopQueryWorkers(): Promise<void> {
  const all = workers.splice(0);
  await Promise.all(all.map((w) => w.terminate()));
}
