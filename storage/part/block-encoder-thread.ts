// A worker thread that encodes column blocks for writePart (part-writer.ts), so a large part's
// columns are encoded on two threads at once: the calling thread encodes some columns while
// this one encodes others. Encoding is pure computation on a block's values (encodeBlock), so
// the bytes are the same whichever thread made them; the calling thread writes every file.
//
// Blocks are copied to the worker (the caller keeps its values for the bitmap indexes) and the
// encoded bytes come back transferred. One worker per process, started at the first use; it is
// unreferenced while idle, so it never keeps the process alive, and a worker that fails is
// replaced at the next use.

import { Worker } from 'node:worker_threads';
import { type ErrorCode, QuiverError } from '../../common/errors.js';
import type { FlatVector } from '../../common/vector.js';
import { workerUrl } from '../../common/worker-url.js';
import type { EncodedBlock } from '../encoding/block-codec.js';
import type { EncodingName } from '../encoding/encoding-kind.js';

export interface EncodeCall {
  readonly id: number;
  readonly blocks: readonly FlatVector[];
  readonly force: EncodingName | null;
}

export type EncodeReply =
  | { readonly id: number; readonly ok: true; readonly blocks: EncodedBlock[] }
  | { readonly id: number; readonly ok: false; readonly code: ErrorCode; readonly message: string };

interface Pending {
  resolve(blocks: EncodedBlock[]): void;
  reject(e: QuiverError): void;
}

let shared: BlockEncoderThread | null = null;

/** The process's block encoder thread. */
export function blockEncoderThread(): BlockEncoderThread {
  shared ??= new BlockEncoderThread();
  return shared;
}

export class BlockEncoderThread {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  /** Encodes `blocks` (in order) on the worker thread. Blocks MUST NOT hold strings. */
  encode(blocks: readonly FlatVector[], force: EncodingName | null): Promise<EncodedBlock[]> {
    return new Promise((resolve, reject) => {
      try {
        const worker = this.worker ?? this.start();
        const id = this.nextId++;
        this.pending.set(id, { resolve, reject });
        worker.ref();
        // A view is sent alone, not with the rest of the buffer it looks into.
        worker.postMessage({ id, blocks: blocks.map(ownBuffers), force } satisfies EncodeCall);
      } catch (e) {
        reject(e instanceof QuiverError ? e : new QuiverError('INTERNAL_ERROR', `cannot hand blocks to the block encoder thread: ${(e as Error).message}`));
      }
    });
  }

  private start(): Worker {
    const worker = new Worker(workerUrl(import.meta.url, './block-encoder-worker.js'));
    worker.on('message', (reply: EncodeReply) => this.onReply(reply));
    worker.on('messageerror', (e) => this.onDeath(worker, `its reply could not be read (${e.message})`));
    worker.on('error', (e) => this.onDeath(worker, `it failed: ${e.message}`));
    worker.on('exit', (code) => this.onDeath(worker, `it exited with code ${code}`));
    // After the listeners: adding a 'message' listener refs the worker's port again.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private onReply(reply: EncodeReply): void {
    const p = this.pending.get(reply.id);
    if (p === undefined) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (reply.ok) p.resolve(reply.blocks);
    else p.reject(new QuiverError(reply.code, reply.message));
  }

  private onDeath(worker: Worker, why: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new QuiverError('INTERNAL_ERROR', `the block encoder thread stopped: ${why}`));
    this.pending.clear();
    void worker.terminate();
  }
}

function ownBuffers(v: FlatVector): FlatVector {
  const own = <T extends ArrayBufferView>(a: T): T => (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : ((a as unknown as Uint8Array).slice() as unknown as T));
  return { ...v, data: own(v.data as Uint8Array), validity: v.validity === null ? null : own(v.validity) };
}
