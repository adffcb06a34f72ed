// BEGIN ... COMMIT / ROLLBACK (DESIGN.md: statements autocommit; a transaction makes several
// one). While a transaction is open the engine runs every statement against its catalog in
// memory, as it does for an in-memory database:
//   - in memory, BEGIN saves every table's rows and schema and the catalog; ROLLBACK puts them
//     back, COMMIT forgets them;
//   - on disk, a table the transaction writes becomes a TxTable (storage/tx-table.ts) over a
//     pinned snapshot of it, DDL is recorded as manifest changes, and COMMIT hands all of it to
//     the store, which applies it in ONE manifest commit (DiskStore.commitTransaction): another
//     process, or a crash, sees the transaction whole or not at all. ROLLBACK forgets it.
// A statement that fails inside a transaction aborts it: later statements are refused until
// ROLLBACK (as in PostgreSQL and DuckDB), and COMMIT then rolls back and says why.

import { type Batch, makeBatch } from '../common/batch.js';
import { notSupported, QuiverError } from '../common/errors.js';
import type { Catalog } from '../storage/catalog.js';
import type { DiskStore, TransactionChanges } from '../storage/disk/disk-store.js';
import type * as M from '../storage/manifest/manifest.js';
import { type Chunk, MemoryTable } from '../storage/memory-table.js';
import type { Snapshot, TableSchema } from '../storage/table.js';
import { TxTable } from '../storage/tx-table.js';
import type { Pos } from './ast.js';

/** A table a statement may change in place: an in-memory table, or a transaction's view of a
 *  table on disk. */
export type WritableTable = MemoryTable | TxTable;

export class Transaction {
  /** Why the transaction is aborted (the error of the statement that failed), or null. */
  aborted: string | null = null;
  /** On disk: the DDL to commit, in order. */
  private readonly catalogChanges: ((m: M.Manifest) => M.Manifest)[] = [];
  /** On disk: the snapshots TxTables read, released when the transaction ends. */
  private readonly bases: Snapshot[] = [];
  private ended = false;

  private constructor(
    /** The store to commit to; null for an in-memory database. */
    private readonly store: DiskStore | null,
    /** The catalog at BEGIN, and in memory every table's contents then. */
    private readonly before: Catalog,
    private readonly saved: ReadonlyMap<MemoryTable, { chunks: readonly Chunk[]; schema: TableSchema }>,
  ) {}

  static async begin(store: DiskStore | null, catalog: Catalog): Promise<Transaction> {
    if (store === null) {
      const saved = new Map<MemoryTable, { chunks: readonly Chunk[]; schema: TableSchema }>();
      for (const t of catalog.tables.values()) if (t instanceof MemoryTable) saved.set(t, { chunks: t.currentChunks(), schema: t.schema });
      return new Transaction(null, catalog, saved);
    }
    // A read-only database may run read transactions; its writes fail as they do outside one.
    if (!store.readOnly) await store.beginTransaction();
    return new Transaction(store, catalog, new Map());
  }

  /** Records a catalog change (DDL) for COMMIT; in memory there is nothing to record. */
  record(change: (m: M.Manifest) => M.Manifest): void {
    if (this.store !== null) this.catalogChanges.push(change);
  }

  /** The table a statement of the transaction writes: a TxTable over the table on disk the
   *  first time, added to the returned catalog. */
  writable(catalog: Catalog, name: string, pos?: Pos): { table: WritableTable; catalog: Catalog } {
    const t = catalog.requireTable(name);
    if (t instanceof MemoryTable || t instanceof TxTable) return { table: t, catalog };
    if (this.store === null) throw notSupported(`table "${name}" cannot be written`, pos);
    if (this.store.readOnly) throw new QuiverError('IO_ERROR', `database ${this.store.dir} is open read-only; open it for writing to change it`, pos);
    const base = this.store.transactionBase(name);
    this.bases.push(base.snapshot);
    const table = new TxTable(base, t.schema);
    return { table, catalog: catalog.withTable(table) };
  }

  /** COMMIT (of a transaction that is not aborted): on disk, applies everything the final
   *  `catalog` of the transaction holds in one commit. */
  async commit(catalog: Catalog): Promise<void> {
    this.end();
    const store = this.store;
    if (store === null) return;
    try {
      const tables = new Map<string, TransactionChanges['tables'] extends ReadonlyMap<string, infer V> ? V : never>();
      for (const [name, t] of catalog.tables) {
        if (t instanceof TxTable) tables.set(name, t.changes());
        else if (t instanceof MemoryTable) tables.set(name, { base: null, deleted: new Float64Array(0), added: chunksAsBatches(t.currentChunks()) });
      }
      if (store.readOnly) return;
      if (this.catalogChanges.length === 0 && [...tables.values()].every((t) => t.deleted.length === 0 && t.added.length === 0)) store.endTransaction();
      else await store.commitTransaction({ catalog: this.catalogChanges, tables });
    } finally {
      this.releaseBases();
    }
  }

  /** ROLLBACK: in memory, puts the tables back as they were; returns the catalog of BEGIN. */
  rollback(): Catalog {
    this.end();
    for (const [table, { chunks, schema }] of this.saved) {
      table.replaceChunks(chunks);
      table.schema = schema;
    }
    if (this.store !== null) {
      this.releaseBases();
      if (!this.store.readOnly) this.store.endTransaction();
    }
    return this.before;
  }

  private end(): void {
    if (this.ended) throw new QuiverError('TRANSACTION_ERROR', 'the transaction has ended already');
    this.ended = true;
  }

  private releaseBases(): void {
    for (const s of this.bases) s.release?.();
    this.bases.length = 0;
  }
}

function chunksAsBatches(chunks: readonly Chunk[]): Batch[] {
  return chunks.map((c) => makeBatch(c.columns, c.length));
}
