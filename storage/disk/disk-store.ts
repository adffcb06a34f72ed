// The persistent storage engine of one database directory (DESIGN.md, storage/): it ties the
// writer lock, the manifest, the write-ahead log, the memtables and the parts together; the SQL
// engine (sql/engine.ts) runs on it when a database is opened on a directory.
//
// Open order (the writer): lock -> load the manifest -> commit a first version if the database is
// new (before parts/ or wal/ exist, see manifest-store.ts) -> remove leftovers -> open the log at
// the manifest's first segment and replay it into memtables. A read-only open takes no lock and
// writes nothing but its reader lease (manifest/reader-leases.ts), written before it reads the
// manifest; it replays the log read-only (committed-state.ts), and `refresh()` loads the newest
// committed state again. Files the writer no longer needs are deleted only when no snapshot of
// this process and no reader lease can need them (removeObsolete).
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
// DELETE (deleteWhere) runs alone too: it finds the rows on a snapshot taken inside the exclusive
// section, so the parts and the memtable's row ids it names cannot change before they are
// applied, and logs them all in ONE record (a statement is deleted whole or not at all). Part
// rows are deleted in per-part masks held in memory, replaced copy-on-write so snapshots keep
// theirs; a checkpoint writes each changed mask as a new deletion file named by the manifest it
// commits. A part whose rows are all deleted leaves the manifest at that checkpoint.
//
// A transaction (BEGIN ... COMMIT, sql/transaction.ts) writes nothing until COMMIT: BEGIN
// checkpoints (so its snapshots hold part rows only) and holds back merge commits; COMMIT gets
// its DDL as manifest changes, the base rows it deleted and the rows it added, writes the new
// parts and deletion files, and commits them all in ONE manifest (commitTransaction).
//
// Every commit (DDL, checkpoint, bulk load) runs alone (`exclusive`). After a failed checkpoint
// or commit the store refuses writes: what is durable is consistent, and reopening recovers it.

import { posix } from 'node:path';
import type { Batch } from '../../common/batch.js';
import { catalogError, internalError, QuiverError } from '../../common/errors.js';
import { typesEqual, typeToString } from '../../common/types.js';
import type { EncodingName } from '../encoding/encoding-kind.js';
import { type FileSystem, pathExists } from '../fs/file-system.js';
import { acquireWriterLock, type WriterLock } from '../lock.js';
import { partDirectoryName, partPath, partsPath, walPath } from '../manifest/database-layout.js';
import { removeLeftovers, removeUnreferencedFiles } from '../manifest/leftovers.js';
import { oldestReaderVersion, ReaderLease } from '../manifest/reader-leases.js';
import * as M from '../manifest/manifest.js';
import { commitManifest, loadManifest, readManifest } from '../manifest/manifest-store.js';
import { VersionTracker } from '../manifest/version-tracker.js';
import { Memtable } from '../memtable/memtable.js';
import { encodeDelete, encodeInsert, encodeUpdate } from '../memtable/wal-records.js';
import { sortBatches } from '../memtable/sort-batches.js';
import { openPart, type Part } from '../part/part-reader.js';
import { addBitmapIndexes } from '../index/add-part-indexes.js';
import { type CompactionMode, Compactor } from './compactor.js';
import { writePart } from '../part/part-writer.js';
import type { Snapshot, TableSchema } from '../table.js';
import type { TxBase } from '../tx-table.js';
import { WriteAheadLog } from '../wal/write-ahead-log.js';
import { readCommittedState, replayCommitted } from './committed-state.js';
import { DiskSnapshot, DiskTable, type PinnedTable, type TableSource } from './disk-table.js';
import { applyPartDeletes, deleteTargets, hasUnpersistedDeletions, type PartDeletions, transactionDeletes, writeDeletionFiles } from './part-deletions.js';
import { loadParts, type Recovered, replayRecord } from './recovery.js';

export const DEFAULT_MEMTABLE_ROWS = 1_000_000;

export interface DiskStoreOptions {
  /** Open without the writer lock; every write is refused. */
  readOnly?: boolean;
  /** A memtable reaching this many rows triggers a checkpoint (default 1,000,000). */
  memtableRows?: number;
  /** Rows per block of the parts written (writePart's default when absent). */
  blockRows?: number;
  /** When parts are merged: 'auto' (tiered, in the background; the default), 'eager' (after
   *  every commit that adds a part, every table down to one part, for tests), 'off'. */
  compaction?: CompactionMode;
}

export type { CompactionMode };

/** How the store was opened. */
interface StoreSettings {
  readonly memtableRows: number;
  readonly blockRows: number | undefined;
  readonly compaction: CompactionMode;
}

/** A table created with its first rows (CREATE TABLE AS): its schema and its part, if any. */
interface NewTable {
  readonly schema: TableSchema;
  readonly written: { readonly id: number; readonly part: Part } | null;
}

/** What a transaction changes (commitTransaction). */
export interface TransactionChanges {
  /** Its catalog changes (DDL), in order. */
  readonly catalog: readonly ((m: M.Manifest) => M.Manifest)[];
  /** The tables whose rows it changed, under their names after the catalog changes: the rows
   *  added and, for a table that existed before (`base`, from transactionBase), the base row
   *  ids deleted, ascending. */
  readonly tables: ReadonlyMap<string, { readonly base: Snapshot | null; readonly deleted: Float64Array; readonly added: readonly Batch[] }>;
}

/** `m` with the new table and its part. */
function withNewTable(m: M.Manifest, t: NewTable): M.Manifest {
  const created = M.createTable(m, t.schema);
  return t.written === null ? created : M.addParts(created, t.schema.name, [{ id: t.written.id, rowCount: t.written.part.meta.rows }]);
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
  /** The encoding every block of the parts written from now on must use where it can hold the
   *  block (`SET force_encoding`, for tests); null lets each block choose. */
  forceEncoding: EncodingName | null = null;
  private readonly tracker: VersionTracker;
  private readonly states = new Map<string, TableState>();
  private readonly parts = new Map<string, Part>();
  /** Deleted rows per part directory; a part with none has no entry. */
  private readonly deletions: Map<string, PartDeletions>;
  /** Inserts whose log record is appended and not yet in their memtable. */
  private readonly inflight = new Set<Promise<void>>();
  /** The tail of the chain of exclusive operations (commits). */
  private chain: Promise<unknown> = Promise.resolve();
  private failure: unknown = null;
  private closed = false;
  /** Part ids handed out and not yet committed are below this (compaction writes outside the
   *  exclusive section, so ids are reserved here, not taken from the manifest). */
  private reservedPartId = 0;
  private readonly compactor: Compactor;
  /** Read-only: the lease that keeps the files of the versions in use (null when the directory
   *  is not writable, reader-leases.ts), and the tail of the chain of refreshes. */
  private lease: ReaderLease | null = null;
  private refreshing: Promise<unknown> = Promise.resolve();
  /** Open transactions (beginTransaction), and what resolves when the last one ends. */
  private transactions = 0;
  private transactionsGate: { promise: Promise<void>; resolve: () => void } | null = null;

  private constructor(
    readonly fs: FileSystem,
    readonly dir: string,
    manifest: M.Manifest,
    private readonly wal: WriteAheadLog | null,
    private readonly lock: WriterLock | null,
    private readonly settings: StoreSettings,
    recovered: Recovered,
  ) {
    this.readOnly = wal === null;
    this.deletions = recovered.deletions;
    for (const [name, active] of recovered.memtables) this.states.set(name, { active, flushing: null, dropping: false });
    for (const [directory, part] of recovered.parts) this.parts.set(directory, part);
    this.tracker = new VersionTracker(manifest, { onUnpinned: () => this.readerUnpinned() });
    const tracker = this.tracker;
    this.compactor = new Compactor({
      fs,
      dir,
      mode: settings.compaction,
      blockRows: settings.blockRows,
      forceEncoding: () => this.forceEncoding,
      live: () => !this.closed && this.failure === null,
      current: () => tracker.current,
      pin: () => tracker.acquire(),
      deletions: (directory) => this.deletions.get(directory),
      forgetDeletions: (directories) => {
        for (const d of directories) this.deletions.delete(d);
      },
      allocatePartId: () => this.allocatePartId(),
      bitmapColumnsOf: (table) => this.bitmapColumnsOf(table),
      // A merge commits when no transaction is open: that keeps the parts it deletes from.
      exclusive: (fn) => this.exclusiveOutsideTransactions(fn),
      commit: (next, parts, installed) => this.commit(next, parts, installed),
    });
  }

  /** Opens (creating it for a writer when missing) the database in directory `dir`. */
  static async open(fs: FileSystem, dir: string, options: DiskStoreOptions = {}): Promise<DiskStore> {
    const memtableRows = options.memtableRows ?? DEFAULT_MEMTABLE_ROWS;
    if (!Number.isSafeInteger(memtableRows) || memtableRows < 1) {
      throw new QuiverError('INVALID_INPUT', `memtableRows must be a positive integer, not ${memtableRows}`);
    }
    const compaction = options.compaction ?? 'auto';
    if (!['auto', 'eager', 'off'].includes(compaction)) throw new QuiverError('INVALID_INPUT', `compaction must be 'auto', 'eager' or 'off', not ${JSON.stringify(compaction)}`);
    const settings: StoreSettings = { memtableRows, blockRows: options.blockRows, compaction };
    if (options.readOnly === true) return DiskStore.openReadOnly(fs, dir, settings);
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
      // Files older versions named stay while a reader lease may need them (leftovers.ts).
      const leftovers = await removeLeftovers(fs, dir, manifest, { readersFrom: await oldestReaderVersion(fs, dir) });
      if (!(await pathExists(fs, partsPath(dir)))) {
        await fs.mkdir(partsPath(dir));
        await fs.syncDirectory(dir);
      }
      const recovered = await loadParts(fs, dir, manifest);
      const { log } = await WriteAheadLog.open(fs, walPath(dir), {
        firstSegment: manifest.firstWalSegment,
        onRecord: (payload) => replayRecord(recovered, manifest, payload, dir),
      });
      const store = new DiskStore(fs, dir, manifest, log, lock, settings, recovered);
      store.tracker.retire(leftovers.kept, manifest.version);
      return store;
    } catch (e) {
      await lock.release().catch(() => undefined);
      throw e;
    }
  }

  private static async openReadOnly(fs: FileSystem, dir: string, settings: StoreSettings): Promise<DiskStore> {
    const first = await readManifest(fs, dir);
    if (first === null) throw new QuiverError('IO_ERROR', `cannot open ${dir} read-only: it holds no database (no MANIFEST); open it for writing to create one`);
    // The lease first: the manifest read after it keeps its files (reader-leases.ts).
    const lease = await ReaderLease.create(fs, dir, first.version);
    try {
      const { manifest, state } = await readCommittedState(fs, dir, (m) => replayCommitted(fs, dir, m));
      const store = new DiskStore(fs, dir, manifest, null, null, settings, state);
      store.lease = lease;
      store.readerUnpinned();
      return store;
    } catch (e) {
      await lease?.close().catch(() => undefined);
      throw e;
    }
  }

  /**
   * Read-only stores: makes what the writer committed since the open or the last refresh (the
   * log included) visible to snapshots taken from now on; snapshots taken before keep reading
   * their version. A writer always sees its own writes: there it does nothing.
   */
  async refresh(): Promise<void> {
    if (this.closed) throw new QuiverError('IO_ERROR', `database ${this.dir} is closed`);
    if (!this.readOnly) return;
    const run = this.refreshing.then(() => this.reload());
    this.refreshing = run.catch(() => undefined);
    await run;
  }

  /** Reads the newest consistent state (committed-state.ts) and installs it in one synchronous
   *  step. */
  private async reload(): Promise<void> {
    const { manifest, state } = await readCommittedState(this.fs, this.dir, (m) => replayCommitted(this.fs, this.dir, m));
    if (this.closed) return;
    const current = this.tracker.current;
    if (manifest.version < current.version) {
      throw new QuiverError('IO_ERROR', `database ${this.dir}: refresh read manifest version ${manifest.version}, older than version ${current.version} in use; was the directory restored while open?`);
    }
    if (manifest.version > current.version) this.tracker.install(manifest);
    // Parts are immutable: one already open (an older snapshot may be scanning it) stays.
    for (const [directory, part] of state.parts) if (!this.parts.has(directory)) this.parts.set(directory, part);
    this.deletions.clear();
    for (const [directory, d] of state.deletions) this.deletions.set(directory, d);
    this.states.clear();
    for (const [name, active] of state.memtables) this.states.set(name, { active, flushing: null, dropping: false });
    this.readerUnpinned();
  }

  /** Read-only stores, when a version is unpinned or replaced: forgets the parts no version in
   *  use names (only the writer deletes files) and raises the lease to the oldest version still
   *  in use. */
  private readerUnpinned(): void {
    if (!this.readOnly || this.closed) return;
    for (const d of this.tracker.takeObsolete().partDirectories) this.parts.delete(d);
    // A failed raise leaves a lower version in the lease, which only keeps files longer.
    void this.lease?.update(this.tracker.oldestVersionInUse()).catch(() => undefined);
  }

  /** Read-only stores: ends the lease once a refresh in progress is done. Snapshots MUST NOT be
   *  scanned afterwards: the writer may delete their files. */
  private async closeReader(): Promise<void> {
    await this.refreshing;
    await this.lease?.close();
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

  /**
   * ALTER TABLE (ADD COLUMN, RENAME COLUMN, RENAME TO): a change of the table's schema in the
   * manifest, without rewriting any part (a part without a later column reads it as NULL).
   * The memtables are flushed first, in the same exclusive section, so the log holds no record
   * written under the old schema or name; then one commit changes the schema.
   */
  async alterTable(name: string, change: (m: M.Manifest) => M.Manifest, renamedTo?: string): Promise<void> {
    this.checkWritable();
    await this.exclusive(async () => {
      const state = this.states.get(name);
      if (state === undefined || state.dropping) throw catalogError(`table "${name}" does not exist`);
      // Tried before anything is written: a bad change (a name in use...) throws here.
      change(this.tracker.current);
      await this.flush(null);
      if (this.inflight.size > 0 || state.active.size().rows > 0) {
        throw new QuiverError('INVALID_INPUT', `table "${name}" was written to while ALTER TABLE ran; run the ALTER TABLE again`);
      }
      await this.commit(change(this.tracker.current), [], () => {
        this.states.delete(name);
        const table = renamedTo ?? name;
        this.states.set(table, { active: new Memtable(M.requireTableEntry(this.tracker.current, table).schema), flushing: null, dropping: false });
      });
    });
  }

  /** Catalog changes that touch no data (views, indexes): one manifest commit each. */
  async changeCatalog(change: (m: M.Manifest) => M.Manifest): Promise<void> {
    this.checkWritable();
    await this.exclusive(async () => {
      const next = change(this.tracker.current);
      await this.indexExistingParts(next);
      await this.commit(next);
    });
  }

  /**
   * CREATE INDEX ... USING BITMAP over data already on disk: writes the index files of every
   * live part of the table before the manifest naming the index commits (new parts get theirs
   * when written). The files are additions beside the part's data; a crash before the commit
   * leaves them unused but correct.
   */
  private async indexExistingParts(next: M.Manifest): Promise<void> {
    const before = this.tracker.current.indexes;
    for (const [name, ix] of next.indexes) {
      if (before.has(name) || ix.kind !== 'bitmap') continue;
      const entry = M.requireTableEntry(next, ix.table);
      const columns = ix.columns.map((c) => entry.schema.columns.findIndex((col) => col.name === c));
      for (const p of entry.parts) {
        const part = this.part(p.directory);
        const added = await addBitmapIndexes(part, M.partPositions(entry, p, columns));
        if (added.built.length > 0) this.parts.set(p.directory, await openPart(this.fs, part.dir));
      }
    }
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
    if (target.size().rows >= this.settings.memtableRows && state.active === target) {
      // Re-checked inside: concurrent inserts that all filled the memtable checkpoint once.
      await this.exclusive(() => (state.active.size().rows >= this.settings.memtableRows ? this.flush(null) : Promise.resolve()));
      this.compactor.schedule();
    }
  }

  /**
   * Deletes rows of a table: `find` runs inside the exclusive section and returns the row ids
   * (ROW_ID_COLUMN values of any snapshot of the table it takes) to delete; they are logged in
   * one record, fsynced, then applied. Resolves to the number of rows deleted.
   */
  async deleteWhere(tableName: string, find: () => Promise<ArrayLike<number>>): Promise<number> {
    return this.changeRows(tableName, async () => ({ rowIds: await find(), rows: null }));
  }

  /**
   * UPDATE and upserts: `find` (inside the exclusive section, as for deleteWhere) returns the row
   * ids of the rows to remove and the rows to append (all columns; an UPDATE's new values, an
   * upsert's too, then its new rows); both go in ONE log record. Resolves to the number of rows
   * removed.
   */
  async replaceRows(tableName: string, find: () => Promise<{ rowIds: ArrayLike<number>; rows: Batch }>): Promise<number> {
    return this.changeRows(tableName, find);
  }

  private async changeRows(tableName: string, find: () => Promise<{ rowIds: ArrayLike<number>; rows: Batch | null }>): Promise<number> {
    this.checkWritable();
    return this.exclusive(async () => {
      const state = this.states.get(tableName);
      if (state === undefined || state.dropping) throw catalogError(`table "${tableName}" does not exist`);
      const memtable = state.active;
      const found = await find();
      const ids = Float64Array.from(found.rowIds).sort();
      if (state.active !== memtable || state.flushing !== null) throw internalError(`change of "${tableName}": its memtable changed while the rows were found`);
      const entry = M.requireTableEntry(this.tracker.current, tableName);
      const targets = deleteTargets(this.deletions, entry, memtable.size().rows, ids);
      const rows = found.rows;
      if (rows !== null) checkBatch(memtable, rows);
      if (targets.length === 0 && (rows === null || rows.count === 0)) return 0;
      try {
        await this.wal!.append(rows === null ? encodeDelete(tableName, targets) : encodeUpdate(tableName, targets, memtable.types, rows));
      } catch (e) {
        this.failure ??= e;
        throw e;
      }
      let changed = 0;
      for (const t of targets) {
        if (t.target === 'memtable') changed += memtable.delete(t.rowIds);
        else changed += applyPartDeletes(this.deletions, entry.parts.find((p) => p.id === t.target)!, t.rowIds, false);
      }
      if (rows !== null && rows.count > 0) {
        memtable.append(rows);
        // Inside the exclusive section already: a full memtable is flushed here, not queued.
        if (memtable.size().rows >= this.settings.memtableRows) await this.flush(null);
      }
      return changed;
    });
  }

  /** Flushes every non-empty memtable into parts in one manifest commit and deletes the log
   *  segments that held their rows. */
  async checkpoint(): Promise<void> {
    this.checkWritable();
    await this.exclusive(() => this.flush(null));
    this.compactor.schedule();
  }

  /** Writes `batches` of a table, sorted by its sort key, as a new part committed with one
   *  manifest swap; the rows bypass the log. */
  async bulkLoad(tableName: string, batches: readonly Batch[]): Promise<void> {
    this.checkWritable();
    await this.exclusive(async () => {
      const state = this.states.get(tableName);
      if (state === undefined || state.dropping) throw catalogError(`table "${tableName}" does not exist`);
      const written = await this.writeLoadedPart(state.active, batches, this.bitmapColumnsOf(tableName));
      if (written === null) return;
      await this.commit(M.addParts(this.tracker.current, tableName, [{ id: written.id, rowCount: written.part.meta.rows }]), [written.part]);
    });
    this.compactor.schedule();
  }

  /** bulkLoad's part: the rows sorted by the table's sort key straight from the batches
   *  (sort-batches.ts), not through a memtable; null when there are none. */
  private async writeLoadedPart(memtable: Memtable, batches: readonly Batch[], bitmapColumns: number[]): Promise<{ id: number; part: Part } | null> {
    for (const b of batches) checkBatch(memtable, b);
    const sorted = sortBatches(memtable.types, batches, memtable.sortKey);
    if (sorted.length === 0) return null;
    const id = this.allocatePartId();
    return { id, part: await this.writeTablePart(memtable.schema, id, sorted, bitmapColumns) };
  }

  /**
   * CREATE [OR REPLACE] TABLE ... AS: the new table and its rows (one part, written first) in ONE
   * manifest commit; replacing a table drops the old one in that same commit (a checkpoint that
   * discards its memtable, as DROP TABLE does). A failure or crash leaves the catalog as before.
   */
  async createTableAs(schema: TableSchema, batches: readonly Batch[], replace: boolean): Promise<void> {
    this.checkWritable();
    const old = replace ? this.states.get(schema.name) : undefined;
    if (old !== undefined) {
      if (old.dropping) throw catalogError(`table "${schema.name}" is being dropped`);
      old.dropping = true;
    }
    try {
      await this.exclusive(async () => {
        // Checked here too: the catalog cannot change while this runs.
        M.createTable(old === undefined ? this.tracker.current : M.dropTable(this.tracker.current, schema.name), schema);
        const written = await this.writeSortedPart(schema, batches, []);
        const replacement = { schema, written };
        if (old !== undefined) {
          await this.flush(schema.name, replacement);
          return;
        }
        await this.commit(withNewTable(this.tracker.current, replacement), written === null ? [] : [written.part], () => {
          this.states.set(schema.name, { active: new Memtable(M.requireTableEntry(this.tracker.current, schema.name).schema), flushing: null, dropping: false });
        });
      });
    } catch (e) {
      if (old !== undefined) old.dropping = false;
      throw e;
    }
    this.compactor.schedule();
  }

  /** Sorts rows by the table's sort key and writes them as a new part; null when there are none. */
  private async writeSortedPart(schema: TableSchema, batches: readonly Batch[], bitmapColumns: number[]): Promise<{ id: number; part: Part } | null> {
    // A temporary memtable sorts the rows (sortedBatches) without touching the live one.
    const sorter = new Memtable(schema);
    for (const b of batches) {
      checkBatch(sorter, b);
      if (b.count > 0) sorter.append(b);
    }
    if (sorter.size().rows === 0) return null;
    const id = this.allocatePartId();
    return { id, part: await this.writeTablePart(schema, id, sorter.freeze().sortedBatches(), bitmapColumns) };
  }


  // --- transactions (BEGIN ... COMMIT, storage/tx-table.ts) ---

  /**
   * Starts a transaction: checkpoints, so the snapshots it takes hold no memtable rows (its
   * deletes address part rows only), and holds back merge commits until it ends, so the parts it
   * deletes from stay as they are. End it with commitTransaction or endTransaction.
   */
  async beginTransaction(): Promise<void> {
    this.checkWritable();
    await this.exclusive(async () => {
      await this.flush(null);
      // Counted inside the exclusive section: a merge commit after it sees the transaction.
      if (this.transactions++ === 0) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => (resolve = r));
        this.transactionsGate = { promise, resolve };
      }
    });
  }

  /** A table's current version as the base of a transaction's changes to it. */
  transactionBase(name: string): TxBase {
    const state = this.states.get(name);
    if (state !== undefined && (state.flushing !== null || state.active.size().rows > 0)) {
      throw new QuiverError('TRANSACTION_ERROR', `table "${name}" was written to outside the transaction; ROLLBACK and run it again`);
    }
    const snapshot = this.table(name).snapshot();
    let limit = 0;
    for (const p of snapshot.entry.parts) limit += p.rowCount;
    return { snapshot, rowIdLimit: limit };
  }

  /** Ends a transaction without applying anything (ROLLBACK; also after COMMIT). */
  endTransaction(): void {
    if (this.transactions === 0) throw internalError('endTransaction without a transaction');
    if (--this.transactions === 0) {
      this.transactionsGate!.resolve();
      this.transactionsGate = null;
      this.compactor.schedule();
    }
  }

  /** Runs `fn` in the exclusive section at a moment when no transaction is open. */
  private async exclusiveOutsideTransactions<R>(fn: () => Promise<R>): Promise<R> {
    for (;;) {
      await this.transactionsGate?.promise;
      const done = await this.exclusive(async () => (this.transactions > 0 ? null : { value: await fn() }));
      if (done !== null) return done.value;
    }
  }

  /**
   * COMMIT: applies a transaction's catalog changes, deletes and new rows in ONE manifest commit
   * (new parts and deletion files are written first), so a crash or a reader sees all of it or
   * none. Ends the transaction either way.
   */
  async commitTransaction(changes: TransactionChanges): Promise<void> {
    try {
      this.checkWritable();
      await this.exclusive(async () => {
        // Rows other writers added meanwhile go to parts first (normally there are none).
        await this.flush(null);
        let next = this.tracker.current;
        for (const change of changes.catalog) next = change(next);
        await this.indexExistingParts(next);
        const pending = new Map<string, PartDeletions>();
        const written: Part[] = [];
        for (const [name, t] of changes.tables) {
          const entry = M.requireTableEntry(next, name);
          if (t.base !== null && t.deleted.length > 0) {
            if (!(t.base instanceof DiskSnapshot)) throw internalError(`the base of table "${name}" in a transaction is not a snapshot of this store`);
            transactionDeletes(this.deletions, name, t.base.entry.parts, entry, t.deleted, pending);
          }
          const part = await this.writeSortedPart(entry.schema, t.added, this.bitmapColumnsOf(name, next));
          if (part === null) continue;
          next = M.addParts(next, name, [{ id: part.id, rowCount: part.part.meta.rows }]);
          written.push(part.part);
        }
        const persisted = await writeDeletionFiles(this.fs, this.dir, this.tracker.current.version + 1, next, this.deletions, pending);
        next = persisted.manifest;
        const states = this.statesFor(next);
        await this.commit(next, written, () => {
          for (const [directory, d] of persisted.masks) this.deletions.set(directory, d);
          this.states.clear();
          for (const [name, state] of states) this.states.set(name, state);
        });
      });
    } finally {
      this.endTransaction();
    }
  }

  /** The memtables for the tables of `next`: the current ones where the table's name and schema
   *  are unchanged, else new ones; a memtable replaced must be empty. */
  private statesFor(next: M.Manifest): Map<string, TableState> {
    const states = new Map<string, TableState>();
    for (const [name, entry] of next.tables) {
      const old = this.states.get(name);
      if (old !== undefined && old.active.schema === entry.schema) states.set(name, old);
      else states.set(name, { active: new Memtable(entry.schema), flushing: null, dropping: false });
    }
    for (const [name, old] of this.states) {
      if (states.get(name) === old) continue;
      if (this.inflight.size > 0 || old.flushing !== null || old.active.size().rows > 0) {
        throw new QuiverError('TRANSACTION_ERROR', `table "${name}" was written to outside the transaction while it committed; run the transaction again`);
      }
    }
    return states;
  }

  /** Waits for pending writes, closes the log and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.readOnly) return this.closeReader();
    await Promise.allSettled([...this.inflight]);
    await this.compactor.close();
    await this.chain.catch(() => undefined);
    try {
      if (this.failure === null) await this.removeObsolete();
      await this.wal!.close();
    } finally {
      await this.lock!.release();
    }
  }

  /** Merges parts now (OPTIMIZE; storage/disk/compactor.ts). */
  async compact(table?: string): Promise<void> {
    this.checkWritable();
    await this.compactor.compact(table);
  }

  /** Table column indexes with a bitmap index (CREATE INDEX ... USING BITMAP). */
  private bitmapColumnsOf(table: string, m: M.Manifest = this.tracker.current): number[] {
    const entry = M.requireTableEntry(m, table);
    const out: number[] = [];
    for (const ix of m.indexes.values()) {
      if (ix.table !== table || ix.kind !== 'bitmap') continue;
      for (const c of ix.columns) {
        const i = entry.schema.columns.findIndex((col) => col.name === c);
        if (i >= 0 && !out.includes(i)) out.push(i);
      }
    }
    return out;
  }

  /** A part id no committed or in-progress part has. */
  private allocatePartId(): number {
    const id = Math.max(this.reservedPartId, this.tracker.current.nextPartId);
    this.reservedPartId = id + 1;
    return id;
  }

  // --- TableSource, for DiskTable ---

  schemaOf(name: string): TableSchema {
    return M.requireTableEntry(this.tracker.current, name).schema;
  }

  pinTable(name: string): PinnedTable {
    const entry = M.requireTableEntry(this.tracker.current, name);
    const state = this.states.get(name);
    if (state === undefined) throw internalError(`table "${name}" has no memtable`);
    const pin = this.tracker.acquire();
    const memtables = [];
    if (state.flushing !== null) memtables.push(state.flushing.snapshot());
    memtables.push(state.active.snapshot());
    const deleted = entry.parts.map((p) => this.deletions.get(p.directory) ?? null);
    return { pin, entry, memtables, deleted };
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
  private async flush(dropping: string | null, replacement?: NewTable): Promise<void> {
    const wal = this.wal!;
    // Every table, empty ones included: an insert still waiting for its fsync may be about to
    // fill one, and its record is in a segment this checkpoint deletes.
    const flushed = [...this.states];
    if (dropping === null && this.inflight.size === 0 && flushed.every(([, s]) => s.active.size().rows === 0) && !hasUnpersistedDeletions(this.deletions)) return;
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
      const written: Part[] = [];
      for (const [name, state] of flushed) {
        const frozen = state.flushing!.freeze();
        if (name === dropping || frozen.size.liveRows === 0) continue;
        const id = this.allocatePartId();
        const part = await this.writeTablePart(state.flushing!.schema, id, frozen.sortedBatches(), this.bitmapColumnsOf(name));
        next = M.addParts(next, name, [{ id, rowCount: part.meta.rows }]);
        written.push(part);
      }
      if (dropping !== null) next = M.dropTable(next, dropping);
      if (replacement !== undefined) {
        next = withNewTable(next, replacement);
        if (replacement.written !== null) written.push(replacement.written.part);
      }
      const persisted = await writeDeletionFiles(this.fs, this.dir, this.tracker.current.version + 1, next, this.deletions);
      next = persisted.manifest;
      next = M.setFirstWalSegment(next, segment);
      await this.commit(next, written, () => {
        for (const [, state] of flushed) state.flushing = null;
        if (dropping !== null) this.states.delete(dropping);
        if (replacement !== undefined) {
          const schema = M.requireTableEntry(this.tracker.current, replacement.schema.name).schema;
          this.states.set(schema.name, { active: new Memtable(schema), flushing: null, dropping: false });
        }
        for (const [directory, d] of persisted.masks) this.deletions.set(directory, d);
      });
      await wal.removeSegmentsBefore(segment);
    } catch (e) {
      this.failure ??= e;
      throw e;
    }
  }

  /** Writes a part with id `id` for a table. */
  private async writeTablePart(schema: TableSchema, id: number, batches: Batch[], bitmapColumns: number[]): Promise<Part> {
    const dir = partPath(this.dir, partDirectoryName(id));
    const options = { force: this.forceEncoding, bitmapColumns, ...(this.settings.blockRows === undefined ? {} : { blockRows: this.settings.blockRows }) };
    await writePart(this.fs, dir, { columns: schema.columns }, batches, options);
    return openPart(this.fs, dir);
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
    if (!this.tracker.hasRetired()) return;
    // Files kept for a reader lease are retried at later commits and at close.
    const readersFrom = await oldestReaderVersion(this.fs, this.dir);
    const obsolete = this.tracker.takeObsolete(readersFrom ?? Infinity);
    if (obsolete.partDirectories.length === 0 && obsolete.deletionFiles.length === 0) return;
    for (const d of obsolete.partDirectories) {
      this.parts.delete(d);
      this.deletions.delete(d);
    }
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
