// A table of a DiskStore as the executor sees it (storage/table.ts): `snapshot()` pins the
// current manifest version (VersionTracker), so the parts it names stay on disk while the
// snapshot is in use, and takes the table's memtable snapshots at the same moment; its scans read
// the parts (pruned by zone maps) and then the memtable rows.
//
// A snapshot is released by `release()` or when a scan of it finishes with no other scan of it
// running; a scan started after that fails, because the files of its version may be gone. A
// snapshot that is never scanned nor released is released when it is garbage collected.
//
// Parts may hold other columns than the table has now (ALTER TABLE ADD/DROP COLUMN rewrites no
// part): each part names its columns by stable ids (manifest.ts), and a table column is read from
// the part position holding its id, or as NULL when the part lacks it.

import type { Batch } from '../../common/batch.js';
import { internalError, QuiverError } from '../../common/errors.js';
import type { Scalar } from '../../common/vector.js';
import type { PinnedVersion } from '../manifest/version-tracker.js';
import { partColumnMap, type TableEntry } from '../manifest/manifest.js';
import type { Part } from '../part/part-reader.js';
import { nodeFileSystem } from '../fs/node-file-system.js';
import { describeSnapshot, detachedBatch, type SnapshotDescription } from './detached-snapshot.js';
import { scanSnapshotParts, type SnapshotPart } from './snapshot-parts.js';
import type { MemtableSnapshot } from '../memtable/memtable-snapshot.js';
import { applyPrefilter, type ColumnStats, ROW_ID_COLUMN, type ScanOptions, type Snapshot, type Table, type TableSchema } from '../table.js';
import { makeBatch } from '../../common/batch.js';
import { T } from '../../common/types.js';
import type { Vector } from '../../common/vector.js';

/** One table as of one moment: what a snapshot reads. */
export interface PinnedTable {
  pin: PinnedVersion;
  entry: TableEntry;
  /** The memtable snapshots, oldest first. */
  memtables: MemtableSnapshot[];
  /** Per part of `entry.parts`, its deleted rows then (null: none). */
  deleted: ({ readonly mask: Uint8Array; readonly count: number } | null)[];
}

/** What a DiskTable needs from its store (disk-store.ts). */
export interface TableSource {
  /** Pins the current version and takes the table's memtable snapshots and part deletion masks
   *  in one synchronous step; fails when the table does not exist. */
  pinTable(name: string): PinnedTable;
  /** The live or pinned part in directory `directory` under the database's parts/; its
   *  metadata is read when the store opens or writes it, so this does no I/O. */
  part(directory: string): Part;
  /** The table's schema in the current version; fails when the table does not exist. */
  schemaOf(name: string): TableSchema;
}

export class DiskTable implements Table {
  constructor(
    private readonly source: TableSource,
    readonly name: string,
  ) {}

  get schema(): TableSchema {
    return this.source.schemaOf(this.name);
  }

  snapshot(): DiskSnapshot {
    return new DiskSnapshot(this.source, this.source.pinTable(this.name));
  }
}

/** Releases the pins of snapshots dropped without a release, so their files can go eventually. */
const unreleased = new FinalizationRegistry<PinnedVersion>((pin) => pin.release());

export class DiskSnapshot implements Snapshot {
  readonly rowCount: number;
  readonly entry: TableEntry;
  private readonly pin: PinnedVersion;
  private readonly memtables: readonly MemtableSnapshot[];
  private readonly deleted: PinnedTable['deleted'];
  private released = false;

  constructor(
    private readonly source: TableSource,
    pinned: PinnedTable,
  ) {
    this.pin = pinned.pin;
    this.entry = pinned.entry;
    this.memtables = pinned.memtables;
    this.deleted = pinned.deleted;
    let rows = 0;
    for (const [i, p] of this.entry.parts.entries()) rows += p.rowCount - (this.deleted[i]?.count ?? 0);
    for (const m of this.memtables) rows += m.rowCount;
    this.rowCount = rows;
    unreleased.register(this, this.pin, this);
  }

  /** The manifest version this snapshot reads. */
  get version(): number {
    return this.pin.manifest.version;
  }

  /** Unpins the version; safe to call more than once. No scan of it may run afterwards. */
  release(): void {
    if (this.released) return;
    this.released = true;
    unreleased.unregister(this);
    this.pin.release();
  }

  async *scan(options: ScanOptions): AsyncIterable<Batch> {
    const schema = this.entry.schema;
    if (this.released) {
      throw internalError(`snapshot of table "${schema.name}" (manifest version ${this.version}) was released; take a new snapshot to scan again`);
    }
    // A snapshot may be scanned many times (self-joins, correlated subqueries); the statement
    // that took it releases it when it ends.
    // Row ids (ROW_ID_COLUMN) number the parts' rows, deleted ones included, then the memtables'.
    let base = yield* scanSnapshotParts(schema, this.parts(), options);
    // The memtables' rows are in memory: read whole, then filtered.
    const morsel = options.morsel;
    let ordinal = 0;
    const rowIdAt = options.columns.indexOf(ROW_ID_COLUMN);
    const columns = rowIdAt < 0 ? options.columns : options.columns.map((c) => (c === ROW_ID_COLUMN ? 0 : c));
    for (const m of this.memtables) {
      for await (const { batch, firstRowId } of m.scanRows({ columns })) {
        if (morsel !== undefined && ordinal++ % morsel.count !== morsel.index) continue;
        let b = batch;
        if (rowIdAt >= 0) {
          const vectors: Vector[] = batch.columns.slice();
          for (const [k, c] of options.columns.entries()) if (c === ROW_ID_COLUMN) vectors[k] = rowIds(base + firstRowId, batch.length);
          b = makeBatch(vectors, batch.length, batch.selection);
        }
        const kept = applyPrefilter(b, options.prefilter);
        if (kept !== null) yield kept;
      }
      base += m.rowsWritten;
    }
  }

  /** The snapshot as plain data a worker thread scans (detached-snapshot.ts); null when its
   *  parts are not on the real file system (tests' simulated disks live in this thread only). */
  async describe(): Promise<SnapshotDescription | null> {
    if (this.released) throw internalError(`snapshot of table "${this.entry.schema.name}" was released; it cannot be described`);
    const parts = this.parts();
    if (parts.some((p) => p.part.fs !== nodeFileSystem)) return null;
    const all = this.entry.schema.columns.map((_, c) => c);
    const memory: Batch[] = [];
    for (const m of this.memtables) for await (const { batch } of m.scanRows({ columns: all })) memory.push(detachedBatch(batch));
    return describeSnapshot(this.entry.schema, parts, memory);
  }

  /** The parts with their column positions and deletion masks. */
  private parts(): SnapshotPart[] {
    return this.entry.parts.map((p, i) => {
      const part = this.source.part(p.directory);
      if (part.meta.columns.length !== p.columnIds.length) {
        throw new QuiverError('IO_ERROR', `part ${part.dir} holds ${part.meta.columns.length} columns, its manifest entry says ${p.columnIds.length}; the database is damaged`);
      }
      return { part, positions: partColumnMap(this.entry, p), rowCount: p.rowCount, deleted: this.deleted[i]?.mask ?? null };
    });
  }

  /** Combines the parts' block statistics (zone maps) with the memtables' exact statistics.
   *  `distinct` is the largest count of one block or memtable: a lower bound, not an estimate. */
  stats(column: number): ColumnStats {
    const schema = this.entry.schema;
    if (schema.columns[column] === undefined) throw new QuiverError('INVALID_INPUT', `table "${schema.name}" has no column ${column}`);
    let rows = 0;
    let nulls = 0;
    let distinct = 0;
    let min: Scalar = null;
    let max: Scalar = null;
    const id = this.entry.columnIds[column]!;
    for (const p of this.entry.parts) {
      rows += p.rowCount;
      const at = p.columnIds.indexOf(id);
      if (at < 0) {
        nulls += p.rowCount;
        continue;
      }
      const meta = this.source.part(p.directory).meta;
      for (const b of meta.columns[at]!.blocks) {
        nulls += b.nulls;
        distinct = Math.max(distinct, b.distinct);
        if (b.min !== null && (min === null || lessThan(b.min, min))) min = b.min;
        if (b.max !== null && (max === null || lessThan(max, b.max))) max = b.max;
      }
    }
    for (const m of this.memtables) {
      const s = m.stats(column);
      rows += s.rows;
      nulls += s.nulls;
      distinct = Math.max(distinct, s.distinct);
      if (s.min !== null && (min === null || lessThan(s.min, min))) min = s.min;
      if (s.max !== null && (max === null || lessThan(max, s.max))) max = s.max;
    }
    return { rows, min, max, nulls, distinct };
  }
}

/** Row ids first, first + 1, ... as a BIGINT vector. */
function rowIds(first: number, n: number): Vector {
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = first + i;
  return { kind: 'flat', type: T.BIGINT, length: n, data, validity: null };
}

/** Order of two non-NULL stored values of one column (numbers, bigints or strings). */
function lessThan(a: Scalar, b: Scalar): boolean {
  // number and bigint compare exactly with `<`; strings by code unit, as the zone maps do.
  return (a as number) < (b as number);
}
