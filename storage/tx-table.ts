// A table as a transaction sees it before COMMIT: a snapshot of the table as it was when the
// transaction first changed it (the base, pinned until the transaction ends), minus the base
// rows the transaction deleted, plus the rows it added (in memory), under the schema the
// transaction's ALTER TABLEs gave it. Nothing here reaches the store: at COMMIT the store
// gets `changes()` and applies them in one commit (storage/disk/disk-store.ts); ROLLBACK
// releases the base and forgets the rest.
//
// Row ids (ROW_ID_COLUMN) are the base snapshot's for its rows, then base.rowIdLimit + i for
// the i-th added row, so DELETE and UPDATE inside the transaction address both kinds.

import { type Batch, makeBatch } from '../common/batch.js';
import { T } from '../common/types.js';
import { type Scalar, type Vector, flatten, nullVector } from '../common/vector.js';
import { MemoryTable } from './memory-table.js';
import { applyPrefilter, type ColumnSchema, type ColumnStats, mapPredicateColumns, ROW_ID_COLUMN, type ScanOptions, type Snapshot, type StoragePredicate, type Table, type TableSchema } from './table.js';

/** The base of a transaction's table: a snapshot and the row ids it can hand out. */
export interface TxBase {
  readonly snapshot: Snapshot;
  /** Every row id the snapshot's scans yield is below this (deleted rows count too). */
  readonly rowIdLimit: number;
}

/** What a transaction did to one table that existed before it. */
export interface TxTableChanges {
  readonly base: Snapshot;
  /** Base row ids deleted (or replaced by UPDATE), ascending. */
  readonly deleted: Float64Array;
  /** The rows added (new and updated ones), in the final schema. */
  readonly added: readonly Batch[];
}

/** In TxTable.baseColumns: a column the transaction added (not ROW_ID_COLUMN, which is -1). */
const NOT_IN_BASE = -2;

export class TxTable implements Table {
  schema: TableSchema;
  /** For each column of `schema`, its index in the base's schema, or NOT_IN_BASE for a column
   *  the transaction added (NULL in every base row). */
  private baseColumns: number[];
  /** Base rows deleted, by row id; replaced (never changed in place) so snapshots keep theirs. */
  private deleted: Uint8Array;
  private deletedCount = 0;
  private readonly added: MemoryTable;

  constructor(
    private readonly base: TxBase,
    schema: TableSchema,
  ) {
    this.schema = schema;
    this.baseColumns = schema.columns.map((_, i) => i);
    this.deleted = new Uint8Array(base.rowIdLimit);
    this.added = new MemoryTable(schema);
  }

  snapshot(): Snapshot {
    return new TxSnapshot(this.base, this.schema, this.baseColumns, this.deletedCount === 0 ? null : this.deleted, this.deletedCount, this.added.snapshot());
  }

  changes(): TxTableChanges {
    const deleted = new Float64Array(this.deletedCount);
    let k = 0;
    for (let r = 0; r < this.deleted.length; r++) if (this.deleted[r] === 1) deleted[k++] = r;
    const added: Batch[] = this.added.currentChunks().map((c) => makeBatch(c.columns, c.length));
    return { base: this.base.snapshot, deleted, added };
  }

  /** Appends rows; each batch MUST have one vector per column of the current schema. */
  append(batches: readonly Batch[]): void {
    this.added.append(batches);
  }

  /** Removes the rows with the given row ids (of any snapshot of this table) and appends
   *  `rows`, in one step. */
  replaceRows(rowIds: ArrayLike<number>, rows: Batch): void {
    const limit = this.base.rowIdLimit;
    let deleted: Uint8Array | null = null;
    const addedIds: number[] = [];
    for (let k = 0; k < rowIds.length; k++) {
      const id = rowIds[k]!;
      if (id >= limit) addedIds.push(id - limit);
      else if (this.deleted[id] === 0 && deleted?.[id] !== 1) {
        deleted ??= this.deleted.slice();
        deleted[id] = 1;
        this.deletedCount++;
      }
    }
    if (deleted !== null) this.deleted = deleted;
    if (addedIds.length > 0) this.added.replaceRows(addedIds, rows);
    else this.added.append([rows]);
  }

  addColumn(column: ColumnSchema): void {
    this.added.addColumn(column);
    this.baseColumns = [...this.baseColumns, NOT_IN_BASE];
    this.schema = this.added.schema;
  }

  dropColumn(name: string): void {
    const i = this.schema.columns.findIndex((c) => c.name === name);
    this.added.dropColumn(name);
    this.baseColumns = this.baseColumns.filter((_, k) => k !== i);
    this.schema = this.added.schema;
  }

  renameColumn(from: string, to: string): void {
    this.added.renameColumn(from, to);
    this.schema = this.added.schema;
  }

  rename(to: string): void {
    this.added.rename(to);
    this.schema = this.added.schema;
  }
}

class TxSnapshot implements Snapshot {
  readonly rowCount: number;

  constructor(
    private readonly base: TxBase,
    private readonly schema: TableSchema,
    private readonly baseColumns: readonly number[],
    private readonly deleted: Uint8Array | null,
    deletedCount: number,
    private readonly added: Snapshot,
  ) {
    this.rowCount = base.snapshot.rowCount - deletedCount + added.rowCount;
  }

  async *scan(options: ScanOptions): AsyncIterable<Batch> {
    yield* this.scanBase(options);
    // The added rows: row ids moved past the base's.
    const rowIdAt = options.columns.indexOf(ROW_ID_COLUMN);
    const plain = { columns: options.columns, ...(options.prefilter === undefined ? {} : { prefilter: options.prefilter }) };
    for await (const b of this.added.scan(plain)) {
      if (rowIdAt < 0) {
        yield b;
        continue;
      }
      const ids = flatten(b.columns[rowIdAt]!).data as Float64Array;
      const moved = new Float64Array(b.length);
      for (let i = 0; i < b.length; i++) moved[i] = ids[i]! + this.base.rowIdLimit;
      const columns = b.columns.slice();
      columns[rowIdAt] = { kind: 'flat', type: T.BIGINT, length: b.length, data: moved, validity: null };
      yield makeBatch(columns, b.length, b.selection);
    }
  }

  /** The base's rows that are not deleted, with the columns the transaction added as NULL. */
  private async *scanBase(options: ScanOptions): AsyncIterable<Batch> {
    const wanted = options.columns.map((c) => (c === ROW_ID_COLUMN ? ROW_ID_COLUMN : this.baseColumns[c]!));
    // Read what the base has (and the row ids, to drop deleted rows); NULL for the rest.
    const read = wanted.filter((c) => c !== NOT_IN_BASE);
    const rowIdAt = this.deleted === null ? -1 : read.includes(ROW_ID_COLUMN) ? read.indexOf(ROW_ID_COLUMN) : read.push(ROW_ID_COLUMN) - 1;
    const predicates: StoragePredicate[] = [];
    for (const p of options.predicates ?? []) {
      const columns = p.op === 'or' ? p.branches.flat().map((q) => q.column) : [p.column];
      if (columns.every((c) => this.baseColumns[c] !== NOT_IN_BASE)) predicates.push(mapPredicateColumns(p, (c) => this.baseColumns[c]!));
    }
    const scan = { columns: read.length === 0 ? [ROW_ID_COLUMN] : read, predicates, ...(options.stats === undefined ? {} : { stats: options.stats }) };
    for await (const b of this.base.snapshot.scan(scan)) {
      let selection = b.selection;
      if (this.deleted !== null) {
        selection = liveRows(this.deleted, flatten(b.columns[rowIdAt]!).data as Float64Array, b);
        if (selection.length === 0) continue;
      }
      let k = 0;
      const columns: Vector[] = wanted.map((c, i) => (c === NOT_IN_BASE ? nullVector(this.schema.columns[options.columns[i]!]!.type, b.length) : b.columns[k++]!));
      const kept = applyPrefilter(makeBatch(columns, b.length, selection), options.prefilter);
      if (kept !== null) yield kept;
    }
  }

  stats(column: number): ColumnStats {
    const added = this.added.stats(column);
    const baseColumn = this.baseColumns[column]!;
    if (baseColumn === NOT_IN_BASE) return { ...added, rows: this.rowCount, nulls: added.nulls + this.base.snapshot.rowCount };
    const base = this.base.snapshot.stats(baseColumn);
    return {
      rows: base.rows + added.rows,
      min: pick(base.min, added.min, (a, b) => a < b),
      max: pick(base.max, added.max, (a, b) => a > b),
      nulls: base.nulls + added.nulls,
      distinct: Math.max(base.distinct, added.distinct),
    };
  }
}

/** The rows of `b` (its selection, or all) whose row id is not deleted. */
function liveRows(deleted: Uint8Array, ids: Float64Array, b: Batch): Int32Array {
  const out = new Int32Array(b.count);
  let n = 0;
  const sel = b.selection;
  for (let k = 0; k < b.count; k++) {
    const r = sel === null ? k : sel[k]!;
    if (deleted[ids[r]!] === 0) out[n++] = r;
  }
  return out.subarray(0, n);
}

function pick(a: Scalar, b: Scalar, better: (x: number, y: number) => boolean): Scalar {
  if (a === null) return b;
  if (b === null) return a;
  return better(a as number, b as number) ? a : b;
}
