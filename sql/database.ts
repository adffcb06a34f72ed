// The Database facade of the embedded library (see DESIGN.md, "Embedded library").
// Statements run one at a time per database, in order, so concurrent callers see each
// statement applied whole.

import type * as arrow from 'apache-arrow';
import { QuiverError } from '../common/errors.js';
import { resolve } from 'node:path';
import { Engine } from './engine.js';
import { type CompactionMode, DiskStore } from '../storage/disk/disk-store.js';
import { nodeFileSystem } from '../storage/fs/node-file-system.js';
import { type QueryResult, arrowSchema, emptyRecordBatch, toRecordBatch } from './result.js';

export interface QueryOptions {
  signal?: AbortSignal;
  /** Cancels the query after this many milliseconds. */
  timeoutMs?: number;
}

export interface OpenOptions {
  readOnly?: boolean;
  /** On disk: rows buffered in memory (and the write-ahead log) before a checkpoint writes parts. */
  memtableRows?: number;
  /** On disk: rows per block of the column parts written (tests use tiny blocks). */
  blockRows?: number;
  /** On disk: when parts are merged — 'auto' (tiered, in the background, the default), 'eager'
   *  (down to one part per table after every flush or load; tests), 'off'. */
  compaction?: CompactionMode;
}

export class Database {
  private readonly engine: Engine;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly path: string,
    readonly options: OpenOptions,
    private readonly store: DiskStore | null,
  ) {
    this.engine = new Engine(store);
  }

  /**
   * Opens a database: ':memory:', or a directory (created if missing) whose data survives
   * restarts and crashes. One process writes a directory at a time; others may open it with
   * `{ readOnly: true }` meanwhile and see what it committed as of the open or of `refresh()`.
   */
  static async open(path: string, options: OpenOptions = {}): Promise<Database> {
    if (path === ':memory:') return new Database(path, options, null);
    const store = await DiskStore.open(nodeFileSystem, resolve(path), {
      readOnly: options.readOnly === true,
      ...(options.memtableRows !== undefined ? { memtableRows: options.memtableRows } : {}),
      ...(options.blockRows !== undefined ? { blockRows: options.blockRows } : {}),
      ...(options.compaction !== undefined ? { compaction: options.compaction } : {}),
    });
    return new Database(path, options, store);
  }

  /** Runs one or more statements; resolves when all are done. */
  async exec(sql: string, params: readonly unknown[] = [], options: QueryOptions = {}): Promise<void> {
    await this.query(sql, params, options);
  }

  /** Runs one or more statements and returns the last one's result. */
  query(sql: string, params: readonly unknown[] = [], options: QueryOptions = {}): Promise<QueryResult> {
    if (this.closed) return Promise.reject(new QuiverError('INVALID_INPUT', 'the database is closed'));
    const run = async () => {
      const { signal, dispose } = combineSignals(options);
      try {
        return await this.engine.run(sql, { params, signal });
      } finally {
        dispose();
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Streams the result of the last statement as Arrow RecordBatches, converted batch by
   * batch as the query produces them. Other statements on this database wait until the
   * stream is finished or abandoned.
   */
  async *stream(sql: string, params: readonly unknown[] = [], options: QueryOptions = {}): AsyncGenerator<arrow.RecordBatch> {
    if (this.closed) throw new QuiverError('INVALID_INPUT', 'the database is closed');
    let release!: () => void;
    const turn = this.queue;
    this.queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { signal, dispose } = combineSignals(options);
    try {
      await turn;
      let schema: arrow.Schema | null = null;
      let sent = false;
      for await (const part of this.engine.stream(sql, { params, signal })) {
        schema ??= arrowSchema(part.names, part.types);
        if (part.batch === null) continue;
        sent = true;
        yield toRecordBatch(schema, part.batch, part.types);
      }
      if (!sent && schema !== null) yield emptyRecordBatch(schema);
    } finally {
      dispose();
      release();
    }
  }

  /** Writes the memtables of an on-disk database into parts now (and pending deletions into
   *  deletion files); a no-op in memory. Runs after the statements already queued. */
  checkpoint(): Promise<void> {
    return this.afterQueued(() => {
      this.engine.refuseInTransaction('checkpoint()');
      return this.store?.checkpoint();
    });
  }

  /** Merges each on-disk table's parts now (the deleted rows go with them); a no-op in memory.
   *  Runs after the statements already queued. */
  compact(): Promise<void> {
    return this.afterQueued(() => {
      // Merges wait for transactions to end: inside one this would wait for itself.
      this.engine.refuseInTransaction('compact()');
      return this.store?.compact();
    });
  }

  /**
   * Read-only on-disk databases: makes every write the writer committed since the open or the
   * last refresh visible (the log included) to the statements that start after it; statements
   * queued before it see the older state. A no-op in memory and for the writer, which always
   * sees its own writes.
   */
  refresh(): Promise<void> {
    return this.afterQueued(() => this.engine.refresh());
  }

  /** Runs `fn` after the statements already queued, as one more of them. */
  private async afterQueued(fn: () => Promise<void> | undefined): Promise<void> {
    if (this.closed) throw new QuiverError('INVALID_INPUT', 'the database is closed');
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    await run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    // A transaction still open is rolled back, as when a connection closes.
    this.engine.rollbackOpen();
    await this.store?.close();
  }
}

function combineSignals(o: QueryOptions): { signal: AbortSignal | null; dispose: () => void } {
  if (o.timeoutMs === undefined) return { signal: o.signal ?? null, dispose: () => undefined };
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new QuiverError('CANCELLED', `query timed out after ${o.timeoutMs} ms`)), o.timeoutMs);
  const onAbort = () => ctl.abort(o.signal?.reason);
  if (o.signal?.aborted) onAbort();
  else o.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: ctl.signal,
    dispose: () => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
    },
  };
}
