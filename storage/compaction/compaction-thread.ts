// Runs compaction merges (merge.ts) off the main thread (DESIGN.md Threads: "the main thread of a
// server never runs a scan, a flush or a compaction"): one long-lived worker thread
// (compaction-worker.ts), started at the first merge, doing one merge at a time; merges asked
// for meanwhile wait their turn in order.
//
// The worker is unref'ed while it is idle, so it never keeps the process alive, and ref'ed while
// a merge runs, so a program awaiting a merge is not cut short. close() terminates it.
//
// Failures: an error thrown by the merge comes back as a QuiverError with its code and message
// (no stack). A worker that dies (an uncaught error, running out of heap, exiting) rejects the
// merge it was running with INTERNAL_ERROR, and the next merge starts a fresh worker. A merge cut
// short may leave its target directory behind, unreferenced; recovery removes it.

import { Worker } from 'node:worker_threads';
import { type ErrorCode, QuiverError } from '../../common/errors.js';
import { workerUrl } from '../../common/worker-url.js';
import type { MergeRequest, MergeResult } from './merge.js';

/** Main thread -> worker. */
export interface MergeCall {
  readonly id: number;
  readonly request: MergeRequest;
}

/** Worker -> main thread: the result or the error of call `id`. */
export type MergeReply =
  | { readonly id: number; readonly ok: true; readonly result: MergeResult }
  | { readonly id: number; readonly ok: false; readonly code: ErrorCode; readonly message: string };

export interface CompactionThreadOptions {
  /** The worker's JavaScript heap limit in MiB (V8's old generation: strings and objects;
   *  typed arrays live outside it); a merge needing more fails with an error instead of growing
   *  the process without bound. Default: Node's own limit. */
  maxHeapMb?: number;
}

interface Running {
  readonly id: number;
  readonly worker: Worker;
  readonly resolve: (r: MergeResult) => void;
  readonly reject: (e: QuiverError) => void;
}

export class CompactionThread {
  private worker: Worker | null = null;
  private running: Running | null = null;
  /** Settles after the last merge asked for; the next one starts then. */
  private tail: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: CompactionThreadOptions = {}) {
    const mb = options.maxHeapMb;
    if (mb !== undefined && !(Number.isInteger(mb) && mb >= 1)) {
      throw new QuiverError('INVALID_INPUT', `maxHeapMb must be a positive integer number of MiB, got ${mb}`);
    }
  }

  /** Merges in the worker thread, after any merge asked for earlier. */
  merge(request: MergeRequest): Promise<MergeResult> {
    const run = this.tail.then(() => this.runOne(request));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Terminates the worker; a running merge rejects with CANCELLED, and so do later ones. */
  async close(): Promise<void> {
    this.closed = true;
    const running = this.running;
    this.running = null;
    running?.reject(new QuiverError('CANCELLED', 'the compaction thread was closed during a merge'));
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) await worker.terminate();
  }

  private runOne(request: MergeRequest): Promise<MergeResult> {
    if (this.closed) return Promise.reject(new QuiverError('CANCELLED', 'the compaction thread is closed: no merge can start'));
    return new Promise<MergeResult>((resolve, reject) => {
      try {
        const worker = this.worker ?? this.start();
        const id = this.nextId++;
        this.running = { id, worker, resolve, reject };
        worker.ref();
        worker.postMessage({ id, request } satisfies MergeCall);
      } catch (e) {
        this.running = null;
        this.worker?.unref();
        reject(e instanceof QuiverError ? e : new QuiverError('INTERNAL_ERROR', `cannot hand the merge to the compaction worker: ${messageOf(e)}`));
      }
    });
  }

  private start(): Worker {
    const limit = this.options.maxHeapMb;
    const worker = new Worker(workerUrl(import.meta.url, './compaction-worker.js'), limit === undefined ? {} : { resourceLimits: { maxOldGenerationSizeMb: limit } });
    worker.on('message', (reply: MergeReply) => this.onReply(worker, reply));
    worker.on('messageerror', (e) => this.onDeath(worker, `its reply could not be read (${e.message})`));
    worker.on('error', (e: Error & { code?: string }) => {
      const why =
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `it ran out of memory (heap limit ${limit ?? 'Node default'} MiB); merge fewer rows at a time (a lower maxPartRows) or raise maxHeapMb`
          : `it failed: ${e.message}`;
      this.onDeath(worker, why);
    });
    worker.on('exit', (code) => this.onDeath(worker, `it exited with code ${code}`));
    // After the listeners: adding a 'message' listener refs the worker's port again.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private onReply(worker: Worker, reply: MergeReply): void {
    const running = this.running;
    if (running === null || running.worker !== worker || running.id !== reply.id) return;
    this.running = null;
    worker.unref();
    if (reply.ok) running.resolve(reply.result);
    else running.reject(new QuiverError(reply.code, reply.message));
  }

  /** The worker is gone (or unusable): reject its merge; the next merge starts a new worker. */
  private onDeath(worker: Worker, why: string): void {
    if (this.worker === worker) this.worker = null;
    const running = this.running;
    if (running === null || running.worker !== worker) return;
    this.running = null;
    running.reject(new QuiverError('INTERNAL_ERROR', `the compaction worker stopped during a merge: ${why}`));
    // A worker whose reply was unreadable is still alive: end it so it cannot linger.
    void worker.terminate();
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
