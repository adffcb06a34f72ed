// The write-ahead log (DESIGN.md, storage/, write path): an INSERT or DELETE is acknowledged
// only once its record is fsynced. Appends are group-committed: every append that arrives while
// a write + fsync is in flight joins the next batch, which is written with one write and made
// durable with one fsync; each append's promise resolves when its batch's fsync has returned.
//
// Protocol with the engine (so that a flush and the log's truncation commit together):
// 1. `rotate()` at the moment the memtable is frozen: records appended before the call stay in
//    the older segments, records appended after it go to the new one; it resolves with the new
//    segment's number N once that segment exists durably.
// 2. The engine writes the frozen memtable's part and commits a manifest saying "the log starts
//    at segment N".
// 3. `removeSegmentsBefore(N)` deletes the flushed segments.
// On open, `WriteAheadLog.open(fs, dir, { firstSegment: N })` deletes segments older than N (a
// crash between 2 and 3 leaves them), replays the rest into the memtable, and truncates a torn
// tail. A crash before 2 keeps the old segments, whose records are replayed again: nothing is
// lost or applied twice. `reset()` is 1 and 3 together, for callers that keep no manifest.
//
// After any write or fsync failure the log refuses further appends: after a failed fsync the
// kernel may have dropped the dirty pages, so retrying could acknowledge data that is not on
// disk. The engine must reopen the database.

import { posix } from 'node:path';
import { QuiverError } from '../../common/errors.js';
import { type FileHandle, type FileSystem, pathExists } from '../fs/file-system.js';
import { type RecordHandler, type ReplayResult, replayLog } from './replay-log.js';
import { MAX_RECORD_BYTES, RECORD_HEADER_BYTES, encodeRecord } from './wal-record.js';
import { listSegments, segmentPath } from './wal-segments.js';

export interface WalOpenOptions {
  /** The segment the manifest says the log starts at; older segments are deleted. When absent,
   *  every segment present is replayed. */
  firstSegment?: number;
  /** Receives each record found in the log, in order (replay-log.ts, RecordHandler). */
  onRecord?: RecordHandler;
}

export interface WalOpenResult {
  log: WriteAheadLog;
  replay: ReplayResult;
  /** Segments older than `firstSegment` that were deleted. */
  removedSegments: number[];
  /** Bytes cut from the end of the last segment (a torn or corrupt tail). */
  truncatedBytes: number;
}

export interface WalStats {
  /** Records appended. */
  appends: number;
  /** Batches written; each is one write and one fsync. */
  syncs: number;
  /** Bytes written, framing included. */
  bytes: number;
}

/** A group of appends written and fsynced together; all its appends share one promise. */
interface Batch {
  kind: 'write';
  buffer: Uint8Array;
  view: DataView;
  length: number;
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (e: unknown) => void;
}

type Task = Batch | { kind: 'rotate'; done: Deferred<number> } | { kind: 'close'; done: Deferred<void> };

const INITIAL_BATCH_BYTES = 64 * 1024;
/** A batch buffer larger than this is dropped after use rather than kept for the next batch. */
const MAX_SPARE_BYTES = 16 * 1024 * 1024;

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export class WriteAheadLog {
  readonly dir: string;
  readonly stats: WalStats = { appends: 0, syncs: 0, bytes: 0 };
  private readonly fs: FileSystem;
  private handle: FileHandle;
  private activeSegment: number;
  /** Where the next batch is written in the active segment. */
  private end: number;
  /** The batch appends are joining now; null when none has arrived since the last one left. */
  private open: Batch | null = null;
  /** Closed batches, rotations and the close, in the order they were asked for. */
  private readonly queue: Task[] = [];
  /** True while the writer loop runs; it is the only code that touches the file. */
  private running = false;
  /** The promise of the newest batch: everything appended so far is durable when it resolves. */
  private newest: Promise<void> = Promise.resolve();
  private spare: Uint8Array | null = null;
  private failure: unknown = null;
  private closed = false;

  private constructor(fs: FileSystem, dir: string, handle: FileHandle, segment: number, end: number) {
    this.fs = fs;
    this.dir = dir;
    this.handle = handle;
    this.activeSegment = segment;
    this.end = end;
  }

  /** Opens the log in `dir` for writing (the caller MUST hold the writer lock): removes
   *  segments older than `firstSegment`, replays the rest into `onRecord`, truncates a torn
   *  tail, and makes the log ready to append. Creates `dir` when missing (its parent MUST exist). */
  static async open(fs: FileSystem, dir: string, options: WalOpenOptions = {}): Promise<WalOpenResult> {
    const first = options.firstSegment;
    if (first !== undefined && (!Number.isSafeInteger(first) || first < 1)) {
      throw new QuiverError('INVALID_INPUT', `write-ahead log ${dir}: the first segment must be a positive integer, not ${first}`);
    }
    if (!(await pathExists(fs, dir))) {
      await fs.mkdir(dir);
      await fs.syncDirectory(posix.dirname(dir));
    }
    const removedSegments = (await listSegments(fs, dir)).filter((s) => first !== undefined && s < first);
    for (const s of removedSegments) await fs.unlink(segmentPath(dir, s));
    if (removedSegments.length > 0) await fs.syncDirectory(dir);

    const replay = await replayLog(fs, dir, options.onRecord ?? (() => undefined), first === undefined ? {} : { firstSegment: first });
    const last = replay.segments[replay.segments.length - 1];
    if (!last) {
      const segment = first ?? 1;
      const handle = await createSegment(fs, dir, segment);
      return { log: new WriteAheadLog(fs, dir, handle, segment, 0), replay, removedSegments, truncatedBytes: 0 };
    }
    const handle = await fs.open(last.path, 'write');
    const truncatedBytes = last.fileBytes - last.validBytes;
    try {
      if (truncatedBytes > 0) {
        // The tail was never acknowledged; cut it so new records follow the last valid one.
        await handle.truncate(last.validBytes);
        await handle.sync();
      }
    } catch (e) {
      await handle.close().catch(() => undefined);
      throw e;
    }
    return { log: new WriteAheadLog(fs, dir, handle, last.segment, last.validBytes), replay, removedSegments, truncatedBytes };
  }

  /** The segment appends go to now. */
  get segment(): number {
    return this.activeSegment;
  }

  /** Adds a record; resolves once it is durable (fsynced), rejects if it cannot be made so.
   *  Records reach the log, and replay, in the order of the calls. */
  append(payload: Uint8Array): Promise<void> {
    const refusal = this.refusal();
    if (refusal) return Promise.reject(refusal);
    if (payload.length > MAX_RECORD_BYTES) {
      return Promise.reject(
        new QuiverError('INVALID_INPUT', `write-ahead log ${this.dir}: a record of ${payload.length} bytes exceeds the limit of ${MAX_RECORD_BYTES} bytes`),
      );
    }
    const batch = this.open ?? this.startBatch();
    const need = batch.length + RECORD_HEADER_BYTES + payload.length;
    if (need > batch.buffer.length) {
      const grown = new Uint8Array(Math.max(need, batch.buffer.length * 2));
      grown.set(batch.buffer.subarray(0, batch.length));
      batch.buffer = grown;
      batch.view = new DataView(grown.buffer);
    }
    batch.length = encodeRecord(batch.buffer, batch.view, batch.length, payload);
    this.stats.appends++;
    this.pump();
    return batch.promise;
  }

  /** Resolves when every record appended before the call is durable. */
  drain(): Promise<void> {
    return this.newest;
  }

  /** Starts a new segment: records appended before the call stay in the older segments, later
   *  ones go to the new one. Resolves with its number once it exists durably (see the module
   *  comment for how the engine uses it). */
  rotate(): Promise<number> {
    const refusal = this.refusal();
    if (refusal) return Promise.reject(refusal);
    const done = deferred<number>();
    this.closeBatch();
    this.queue.push({ kind: 'rotate', done });
    this.pump();
    return done.promise;
  }

  /** Deletes every segment numbered below `segment` (whose records the engine has flushed and
   *  committed); returns their numbers. `segment` MUST NOT be above the active segment. */
  async removeSegmentsBefore(segment: number): Promise<number[]> {
    if (segment > this.activeSegment) {
      throw new QuiverError('INVALID_INPUT', `write-ahead log ${this.dir}: cannot remove segments up to ${segment}, segment ${this.activeSegment} is still being written`);
    }
    const removed = (await listSegments(this.fs, this.dir)).filter((s) => s < segment);
    for (const s of removed) await this.fs.unlink(segmentPath(this.dir, s));
    if (removed.length > 0) await this.fs.syncDirectory(this.dir);
    return removed;
  }

  /** Rotates and deletes every older segment: the log then holds only records appended after
   *  the call. Resolves with the new first segment. */
  async reset(): Promise<number> {
    const segment = await this.rotate();
    await this.removeSegmentsBefore(segment);
    return segment;
  }

  /** Writes what is pending, then closes the file; later appends are refused. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    const done = deferred<void>();
    this.closeBatch();
    this.queue.push({ kind: 'close', done });
    this.pump();
    return done.promise;
  }

  private refusal(): QuiverError | null {
    if (this.closed) return new QuiverError('IO_ERROR', `write-ahead log ${this.dir} is closed`);
    return this.failure === null ? null : this.failedError();
  }

  private failedError(): QuiverError {
    const reason = this.failure instanceof Error ? this.failure.message : String(this.failure);
    return new QuiverError('IO_ERROR', `write-ahead log ${segmentPath(this.dir, this.activeSegment)} failed earlier (${reason}); reopen the database`);
  }

  private startBatch(): Batch {
    const buffer = this.spare ?? new Uint8Array(INITIAL_BATCH_BYTES);
    this.spare = null;
    const d = deferred<void>();
    const batch: Batch = { kind: 'write', buffer, view: new DataView(buffer.buffer), length: 0, ...d };
    this.open = batch;
    this.newest = d.promise;
    return batch;
  }

  /** Queues the open batch, so that what follows (a rotation, the close) comes after it. */
  private closeBatch(): void {
    if (this.open) this.queue.push(this.open);
    this.open = null;
  }

  private pump(): void {
    if (this.running) return;
    this.running = true;
    void this.run();
  }

  private async run(): Promise<void> {
    // Let every append of the current synchronous burst join the first batch.
    await null;
    try {
      while (true) {
        let task = this.queue.shift();
        if (!task && this.open) {
          task = this.open;
          this.open = null;
        }
        if (!task) break;
        if (task.kind === 'write') await this.writeBatch(task);
        else if (task.kind === 'rotate') await this.rotateNow(task.done);
        else await this.closeNow(task.done);
      }
    } finally {
      this.running = false;
    }
  }

  private async writeBatch(batch: Batch): Promise<void> {
    if (this.failure !== null) {
      batch.reject(this.failedError());
      return;
    }
    try {
      await this.handle.write(batch.buffer.subarray(0, batch.length), this.end);
      await this.handle.sync();
    } catch (e) {
      this.failure = e;
      batch.reject(e);
      return;
    }
    this.end += batch.length;
    this.stats.syncs++;
    this.stats.bytes += batch.length;
    if (batch.buffer.length <= MAX_SPARE_BYTES) this.spare = batch.buffer;
    batch.resolve();
  }

  private async rotateNow(done: Deferred<number>): Promise<void> {
    if (this.failure !== null) {
      done.reject(this.failedError());
      return;
    }
    const next = this.activeSegment + 1;
    try {
      const handle = await createSegment(this.fs, this.dir, next);
      const old = this.handle;
      this.handle = handle;
      this.activeSegment = next;
      this.end = 0;
      await old.close();
    } catch (e) {
      this.failure = e;
      done.reject(e);
      return;
    }
    done.resolve(next);
  }

  private async closeNow(done: Deferred<void>): Promise<void> {
    try {
      await this.handle.close();
    } catch (e) {
      // After a failure the file is already unusable; closing it is only tidying up.
      if (this.failure === null) {
        done.reject(e);
        return;
      }
    }
    done.resolve();
  }
}

/** Creates an empty segment file and makes its directory entry durable. */
async function createSegment(fs: FileSystem, dir: string, segment: number): Promise<FileHandle> {
  const handle = await fs.open(segmentPath(dir, segment), 'exclusive');
  try {
    await handle.sync();
    await fs.syncDirectory(dir);
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw e;
  }
  return handle;
}
