// Decoded column blocks kept in memory between scans (a buffer pool for immutable data): a
// block read once is not read, checksummed and decoded again while it stays here. Process-wide
// and least-recently-used, bounded by the bytes its vectors hold. Entries belong to one opened
// Part object (keyed by an id given to it on first use), so a directory deleted and written
// again under the same name never reads a stale block; blocks of parts no longer in use simply
// age out.
//
// Cached vectors are shared by every scan that reads the block: operators never write into
// their input vectors (they allocate their outputs), which is what makes this safe.

import { availableParallelism, totalmem } from 'node:os';
import { type Vector, vectorBytes } from '../../common/vector.js';

/**
 * What the process's block caches may hold together: 40% of the machine's memory (DuckDB's
 * buffer pool may take 80%), at least 1 GiB. A quarter is this thread's cache; the rest is
 * shared out among the query worker threads (exec/parallel/), one per core, which read the
 * fact tables of parallel queries. At SSB SF10 the blocks the queries read no longer fit in the
 * 512 MiB this used to be, and every query decoded its blocks again (7-12x DuckDB's time on
 * the star joins).
 */
const CACHE_BUDGET_BYTES = Math.max(2 ** 30, Math.floor(totalmem() * 0.4));

/** This (main) thread's cache. */
export const DEFAULT_BLOCK_CACHE_BYTES = Math.floor(CACHE_BUDGET_BYTES / 4);

/** The cache of one query worker thread. */
export const WORKER_BLOCK_CACHE_BYTES = Math.floor((CACHE_BUDGET_BYTES * 3) / 4 / Math.max(2, availableParallelism()));

/** A block larger than this share of the capacity is not cached (it would evict too much). */
const MAX_ENTRY_SHARE = 1 / 16;

export class BlockCache {
  private readonly entries = new Map<string, { vector: Vector; bytes: number }>();
  private used = 0;
  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;

  constructor(private capacity: number) {}

  /** The key of block `block` of column `column` of `part`. */
  key(part: object, column: number, block: number): string {
    let id = this.ids.get(part);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(part, id);
    }
    return `${id}/${column}/${block}`;
  }

  get(key: string): Vector | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.vector;
  }

  set(key: string, vector: Vector): void {
    const bytes = vectorBytes(vector);
    if (bytes > this.capacity * MAX_ENTRY_SHARE || this.entries.has(key)) return;
    this.entries.set(key, { vector, bytes });
    this.used += bytes;
    this.evict();
  }

  /** Bytes the cached vectors hold. */
  get size(): number {
    return this.used;
  }

  setCapacity(bytes: number): void {
    this.capacity = bytes;
    this.evict();
  }

  clear(): void {
    this.entries.clear();
    this.used = 0;
  }

  private evict(): void {
    for (const [key, e] of this.entries) {
      if (this.used <= this.capacity) return;
      this.entries.delete(key);
      this.used -= e.bytes;
    }
  }
}

/** The process's block cache. */
export const blockCache = new BlockCache(DEFAULT_BLOCK_CACHE_BYTES);
