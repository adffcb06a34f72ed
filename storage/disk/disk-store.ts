// The persistent storage engine of one database directory (DESIGN.md, storage/): it ties the
// writer lock, the manifest, the write-ahead log, the memtables and the parts together. Not yet
// used by the SQL engine.
//
// Open order (the writer): lock -> load the manifest -> commit a first version if the database is
// new (before parts/ or wal/ exist, see manifest-store.ts) -> remove leftovers -> open the log at
// the manifest's first segment and replay it into memtables. A read-only open takes no lock,
// writes nothing and replays the log read-only.
//
// Write path: insert = log record, fsynced (group commit) -> memtable, then visible. A checkpoint
// (database-wide, because the log is shared) rotates the log, freezes every non-empty memtable,
// writes one part per table and commits ONE manifest that adds them all and says the log now
// starts at the new segment; only then are the older segments deleted. A crash before the commit
// replays the old segments into memtables again; after it, they are skipped: no row is lost or
// applied twice.
//
// The checkpoint's cut: at the moment the log rotates (one synchronous step), every table gets a
// fresh memtable for inserts whose records go to the new segment, while inserts whose records went
// to the old segments may still be waiting for their fsync; the checkpoint waits for them to reach
// the old memtable before freezing it. So a part holds exactly the rows of the segments it
// replaces.
//
// DROP TABLE runs as a checkpoint that discards the dropped table's memtable: its log records
// are then in flushed segments only, and a later table of the same name never replays them.
//
// Every commit (DDL, checkpoint, bulk load) runs alone (`exclusive`). After a failed checkpoint
// or commit the store refuses writes: what is durable is consistent, and reopening recovers it.

import { posix } from 'node:path';
import { type Batch, makeBatch } from '../../common/batch.js';
import { catalogError, internalError, QuiverError } from '../../common/errors.js';
import { typesEqual, typeToString } from '../../common/types.js';
import { type FileSystem, pathExists } from '../fs/file-system.js';
import { acquireWriterLock, type WriterLock } from '../lock.js';
import { partDirectoryName, partPath, partsPath, walPath } from '../manifest/database-layout.js';
import { removeLeftovers, removeUnreferencedFiles } from '../manifest/leftovers.js';
import * as M from '../manifest/manifest.js';
import { commitManifest, loadManifest } from '../manifest/manifest-store.js';
import { type PinnedVersion, VersionTracker } from '../manifest/version-tracker.js';
import { Memtable } from '../memtable/memtable.js';
import { decodeWalRecord, encodeInsert } from '../memtable/wal-records.js';
import { openPart, type Part } from '../part/part-reader.js';
import { writePart } from '../part/part-writer.js';
import type { Snapshot, TableSchema } from '../table.js';
import { replayLog } from '../wal/replay-log.js';
import { WriteAheadLog } from '../wal/write-ahead-log.js';
import { DiskTable, type TableSource } from './disk-table.js';

export const DEFAULT_MEMTABLE_ROWS = 1_000_000;

export interface DiskStoreOptions {
  /** Open without the writer lock; every write is refused. */
  readOnly?: boolean;
  /** A memtable reaching this many rows triggers a checkpoint (default 1,000,000). */
  memtableRows?: number;
  /** Rows per block of the parts written (writePart's default when absent). */
  blockRows?: number;
}

/** A table's memtables: `active` takes inserts; `flushing` is the one a checkpoint is writing. */
interface TableState {
  active: Memtable;
  flushing: Memtable | null;
  /** Set when DROP TABLE starts: inserts are refused from then on. */
  dropping: boolean;
}

export class DiskStore implements TableSource {
  readonly readOnly: boolean;
  private readonly tracker: VersionTracker;
  private readonly states = new Map<string, TableState>();
  private readonly parts = new Map<string, Part>();
  /** Inserts whose log record is appended and not yet in their memtable. */
  private readonly inflight = new Set<Promise<void>>();
  /** The tail of the chain of exclusive operations (commits). */
  private chain: Promise<unknown> = Promise.resolve();
  private failure: unknown = null;
  private closed = false;

  private constructor(
    readonly fs: FileSystem,
    readonly dir: string,
    manifest: M.Manifest,
    private readonly wal: WriteAheadLog | null,
    private readonly lock: WriterLock | null,
    private readonly memtableRows: number,
    private readonly blockRows: number | undefined,
  ) {
    this.readOnly = wal === null;
    this.tracker = new VersionTracker(manifest);
  }

  /** Opens (creating it for a writer when missing) the database in directory `dir`. */
  static async open(fs: FileSystem, dir: string, options: DiskStoreOptions = {}): Promise<DiskStore> {
    const memtableRows = options.memtableRows ?? DEFAULT_MEMTABLE_ROWS;
    if (!Number.isSafeInteger(memtableRows) || memtableRows < 1) {
      throw new QuiverError('INVALID_INPUT', `memtableRows must be a positive integer, not ${memtableRows}`);
    }
    if (options.readOnly === true) return DiskStore.openReadOnly(fs, dir, memtableRows, options.blockRows);
    if (!(await pathExists(fs, dir))) {
      await fs.mkdir(dir, { recursive: true });
      await fs.syncDirectory(posix.dirname(dir));
    }
    const lock = await acquireWriterLock(dir, fs);
    try {
      const loaded = await loadManifest(fs, dir);
      let manifest = loaded.manifest;
      if (loaded.isNew) {
        // The first version, committed before parts/ and wal/ exist (manifest-store.ts).
        manifest = M.setFirstWalSegment(manifest, manifest.firstWalSegment);
        await commitManifest(fs, dir, manifest);
      }
      await removeLeftovers(fs, dir, manifest);
      if (!(await pathExists(fs, partsPath(dir)))) {
        await fs.mkdir(partsPath(dir));
        await fs.syncDirectory(dir);
      }
      const memtables = newMemtables(manifest);
      const { log } = await WriteAheadLog.open(fs, walPath(dir), {
        firstSegment: manifest.firstWalSegment,
        onRecord: (payload) => replayRecord(memtables, payload, dir),
      });
      const store = new DiskStore(fs, dir, manifest, log, lock, memtableRows, options.blockRows);
      try {
        await store.loadParts(manifest, memtables);
      } catch (e) {
        await log.close().catch(() => undefined);
        throw e;
      }
      return store;
    } catch (e) {
      await lock.release().catch(() => undefined);
      throw e;
    }
  }

  private static async openReadOnly(fs: FileSystem, dir: string, memtableRows: number, blockRows: number | undefined): Promise<DiskStore> {
    const loaded = await loadManifest(fs, dir);
    if (loaded.isNew) throw new QuiverError('IO_ERROR', `cannot open ${dir} read-only: it holds no database (no MANIFEST); open it for writing to create one`);
    const manifest = loaded.manifest;
    const memtables = newMemtables(manifest);
    await replayLog(fs, walPath(dir), (payload) => replayRecord(memtables, payload, dir), { firstSegment: manifest.firstWalSegment });
    const store = new DiskStore(fs, dir, manifest, null, null, memtableRows, blockRows);
    await store.loadParts(manifest, memtables);
    return store;
  }

  /** Reads every live part's metadata and installs the replayed memtables. */
  private async loadParts(manifest: M.Manifest, memtables: Map<string, Memtable>): Promise<void> {
    for (const p of M.allParts(manifest)) this.parts.set(p.directory, await openPart(this.fs, partPath(this.dir, p.directory)));
    for (const [name, active] of memtables) this.states.set(name, { active, flushing: null, dropping: false });
  }

  /** The committed manifest now in use. */
  get manifest(): M.Manifest {
    return this.tracker.current;
  }

  tableNames(): string[] {
    return [...this.tracker.current.tables.keys()];
  }

  table(name: string): DiskTable {
    M.requireTableEntry(this.tracker.current, name);
    return new DiskTable(this, name);
  }

  async createTable(schema: TableSchema): Promise<void> {
    this.checkWritable();
    await this.exclusive(async () => {
      const next = M.createTable(this.tracker.current, schema);
      await this.commit(next);
      this.states.set(schema.name, { active: new Memtable(M.requireTableEntry(next, schema.name).schema), flushing: null, dropping: false });
    });
  }

  /** Catalog changes that touch no data (views, indexes): one manifest commit each. */
  async changeCatalog(change: (m: M.Manifest) => M.Manifest): Promise<void> {
    this.checkWritable();
    await this.exclusive(async () => {
      await this.commit(change(this.tracker.current));
    });
  }

  /** Drops a table in one commit that also flushes every other table's memtable (see the
   *  module comment); its parts are deleted once no snapshot pins them. */
  async dropTable(name: string): Promise<void> {
    this.checkWritable();
    const state = this.states.get(name);
    if (state === undefined || state.dropping) throw catalogError(`table "${name}" does not exist`);
    state.dropping = true;
    try {
      await this.exclusive(() => this.flush(name));
    } catch (e) {
      state.dropping = false;
      throw e;
    }
  }

  /** Appends rows (one vector per table column, any kind, any selection) to a table; resolves
   *  once they are durable and visible. */
  async insert(tableName: string, batch: Batch): Promise<void> {
    this.checkWritable();
    const wal = this.wal!;
    const state = this.states.get(tableName);
    if (state === undefined || state.dropping) throw catalogError(`table "${tableName}" does not exist`);
    const target = state.active;
    checkBatch(target, batch);
    if (batch.count === 0) return;
    const payload = encodeInsert(tableName, target.types, batch);
    // The target memtable is chosen now, with the record's place in the log (module comment).
    const done = wal.append(payload).then(() => {
      target.append(batch);
    });
    this.inflight.add(done);
    try {
      await done;
    } finally {
      this.inflight.delete(done);
    }
    if (target.size().rows >= this.memtableRows && state.active === target) {
      // Re-checked inside: concurrent inserts that all filled the memtable checkpoint once.
      await this.exclusive(() => (state.active.size().rows >= this.memtableRows ? this.flush(null) : Promise.resolve()));
    }
  }

  /** Flushes every non-empty memtable into parts in one manifest commit and deletes the log
   *  segments that held their rows. */
  async checkpoint(): Promise<void> {
    this.checkWritable();
    await this.exclusive(() => this.flush(null));
  }

  /** Writes `batches` of a table, sorted by its sort key, as a new part committed with one
   *  manifest swap; the rows bypass the log. */
  async bulkLoad(tableName: string, batches: readonly Batch[]): Promise<void> {
    this.checkWritable();
    await this.exclusive(async () => {
      const state = this.states.get(tableName);
      if (state === undefined || state.dropping) throw catalogError(`table "${tableName}" does not exist`);
      // A temporary memtable sorts the rows (sortedBatches) without touching the live one.
      const sorter = new Memtable(state.active.schema);
      for (const b of batches) {
        checkBatch(sorter, b);
        if (b.count > 0) sorter.append(b);
      }
      if (sorter.size().rows === 0) return;
      let next = this.tracker.current;
      const id = next.nextPartId;
      const part = await this.writeTablePart(state.active.schema, id, sorter.freeze().sortedBatches());
      next = M.addParts(next, tableName, [{ id, rowCount: part.meta.rows }]);
      await this.commit(next, [part]);
    });
  }

  /** Waits for pending writes, closes the log and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.readOnly) return;
    await Promise.allSettled([...this.inflight]);
    await this.chain.catch(() => undefined);
    try {
      if (this.failure === null) await this.removeObsolete();
      await this.wal!.close();
    } finally {
      await this.lock!.release();
    }
  }

  // --- TableSource, for DiskTable ---

  schemaOf(name: string): TableSchema {
    return M.requireTableEntry(this.tracker.current, name).schema;
  }

  pinTable(name: string): { pin: PinnedVersion; entry: M.TableEntry; memtables: Snapshot[] } {
    const entry = M.requireTableEntry(this.tracker.current, name);
    const state = this.states.get(name);
    if (state === undefined) throw internalError(`table "${name}" has no memtable`);
    const pin = this.tracker.acquire();
    const memtables: Snapshot[] = [];
    if (state.flushing !== null) memtables.push(state.flushing.snapshot());
    memtables.push(state.active.snapshot());
    return { pin, entry, memtables };
  }

  part(directory: string): Part {
    const p = this.parts.get(directory);
    if (p === undefined) throw internalError(`part ${directory} of database ${this.dir} is not open`);
    return p;
  }

  // --- internals ---

  /**
   * The checkpoint (see the module comment); with `dropping`, that table's memtable is
   * discarded and the table removed in the same commit. Runs inside `exclusive`.
   */
  private async flush(dropping: string | null): Promise<void> {
    const wal = this.wal!;
    // Every table, empty ones included: an insert still waiting for its fsync may be about to
    // fill one, and its record is in a segment this checkpoint deletes.
    const flushed = [...this.states];
    if (dropping === null && this.inflight.size === 0 && flushed.every(([, s]) => s.active.size().rows === 0)) return;
    // One synchronous step: the rotation's cut, the memtable swap and the inserts to wait for.
    const rotated = wal.rotate();
    const before = [...this.inflight];
    for (const [, state] of flushed) {
      state.flushing = state.active;
      state.active = new Memtable(state.active.schema);
    }
    try {
      const segment = await rotated;
      // The log resolves those appends before the rotation, so they are normally in already;
      // waiting keeps the cut right whatever order the promises settle in.
      await Promise.allSettled(before);
      let next = this.tracker.current;
      let id = next.nextPartId;
      const written: Part[] = [];
      for (const [name, state] of flushed) {
        const frozen = state.flushing!.freeze();
        if (name === dropping || frozen.size.liveRows === 0) continue;
        const part = await this.writeTablePart(state.flushing!.schema, id, frozen.sortedBatches());
        next = M.addParts(next, name, [{ id, rowCount: part.meta.rows }]);
        written.push(part);
        id++;
      }
      if (dropping !== null) next = M.dropTable(next, dropping);
      next = M.setFirstWalSegment(next, segment);
      await this.commit(next, written, () => {
        for (const [, state] of flushed) state.flushing = null;
        if (dropping !== null) this.states.delete(dropping);
      });
      await wal.removeSegmentsBefore(segment);
    } catch (e) {
      this.failure ??= e;
      throw e;
    }
  }

  /** Writes a part with id `id` for a table. */
  private async writeTablePart(schema: TableSchema, id: number, batches: Batch[]): Promise<Part> {
    const dir = partPath(this.dir, partDirectoryName(id));
    const options = this.blockRows === undefined ? {} : { blockRows: this.blockRows };
    const written = await writePart(this.fs, dir, { columns: schema.columns }, batches, options);
    return { fs: this.fs, dir, meta: written.meta };
  }

  /** Commits `next`, then in one synchronous step installs it, registers its new parts and
   *  runs `installed`; then deletes files no version in use needs. */
  private async commit(next: M.Manifest, newParts: readonly Part[] = [], installed?: () => void): Promise<void> {
    try {
      await commitManifest(this.fs, this.dir, next);
    } catch (e) {
      this.failure ??= e;
      throw e;
    }
    for (const p of newParts) this.parts.set(posix.basename(p.dir), p);
    this.tracker.install(next);
    installed?.();
    try {
      await this.removeObsolete();
    } catch (e) {
      this.failure ??= e;
      throw e;
    }
  }

  /** Deletes parts no version in use references any more (dropped tables, once unpinned). */
  private async removeObsolete(): Promise<void> {
    const obsolete = this.tracker.takeObsolete();
    if (obsolete.partDirectories.length === 0 && obsolete.deletionFiles.length === 0) return;
    for (const d of obsolete.partDirectories) this.parts.delete(d);
    await removeUnreferencedFiles(this.fs, this.dir, obsolete);
  }

  /** Runs `fn` after every earlier exclusive operation has finished. */
  private exclusive<R>(fn: () => Promise<R>): Promise<R> {
    const run = this.chain.then(
      () => {
        this.checkWritable();
        return fn();
      },
      () => {
        this.checkWritable();
        return fn();
      },
    );
    this.chain = run.catch(() => undefined);
    return run;
  }

  private checkWritable(): void {
    if (this.readOnly) throw new QuiverError('IO_ERROR', `database ${this.dir} is open read-only; open it for writing to change it`);
    if (this.closed) throw new QuiverError('IO_ERROR', `database ${this.dir} is closed`);
    if (this.failure !== null) {
      const reason = this.failure instanceof Error ? this.failure.message : String(this.failure);
      throw new QuiverError('IO_ERROR', `database ${this.dir} stopped taking writes after a failure (${reason}); close and reopen it`);
    }
  }
}

function newMemtables(manifest: M.Manifest): Map<string, Memtable> {
  const memtables = new Map<string, Memtable>();
  for (const [name, entry] of manifest.tables) memtables.set(name, new Memtable(entry.schema));
  return memtables;
}

/** Applies one replayed log record to the memtables. */
function replayRecord(memtables: Map<string, Memtable>, payload: Uint8Array, dir: string): void {
  const record = decodeWalRecord(payload);
  const memtable = memtables.get(record.table);
  if (memtable === undefined) {
    throw new QuiverError('IO_ERROR', `database ${dir} is damaged: its write-ahead log holds rows of table "${record.table}", which the manifest does not name`);
  }
  if (record.kind !== 'insert') {
    throw new QuiverError('NOT_SUPPORTED', `database ${dir}: its write-ahead log holds a delete from table "${record.table}", which this version cannot replay`);
  }
  memtable.append(makeBatch(record.columns, record.rows));
}

/** Checks that a batch has the table's column count and types, before anything is logged. */
function checkBatch(memtable: Memtable, batch: Batch): void {
  const table = memtable.schema.name;
  if (batch.columns.length !== memtable.types.length) {
    throw new QuiverError('INVALID_INPUT', `insert into "${table}": ${batch.columns.length} columns given, the table has ${memtable.types.length}`);
  }
  for (let c = 0; c < memtable.types.length; c++) {
    const t = batch.columns[c]!.type;
    if (!typesEqual(t, memtable.types[c]!)) {
      throw new QuiverError('INVALID_INPUT', `insert into "${table}": column ${memtable.schema.columns[c]!.name} is ${typeToString(memtable.types[c]!)}, the batch holds ${typeToString(t)}`);
    }
  }
}
