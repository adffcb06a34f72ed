// The memtable (DESIGN.md storage/, write path): one table's rows written since its last flush,
// held in memory and visible to queries as soon as they are appended. Rows are append-only and
// numbered from 0 in append order (their row ids); full chunks of BATCH_SIZE rows are sealed and
// the open chunk grows in place (column-builder.ts). A DELETE stamps the row ids it removes with
// a new version number instead of changing any row, so each snapshot sees exactly the rows and
// deletions that existed when it was taken (memtable-snapshot.ts).
//
// When size() says the memtable is full, the engine calls freeze(): this memtable then refuses
// writes, the engine swaps in a new one for new writes, and the frozen view serves readers and
// hands its rows, sorted by the table's sort key, to writePart.

import { type Batch, BATCH_SIZE, compactBatch } from '../../common/batch.js';
import { internalError } from '../../common/errors.js';
import { type LogicalType, typesEqual, typeToString } from '../../common/types.js';
import { flatten } from '../../common/vector.js';
import type { TableSchema } from '../table.js';
import { ColumnBuilder } from './column-builder.js';
import { MemtableSnapshot, type Segment } from './memtable-snapshot.js';

/** Rows the open chunk has room for at first; it doubles up to BATCH_SIZE. */
const INITIAL_CHUNK_ROWS = 1024;

export interface MemtableSize {
  /** Rows appended (deleted ones included: they hold memory until the flush). */
  readonly rows: number;
  /** Rows not deleted. */
  readonly liveRows: number;
  /** Approximate bytes held by the column data. */
  readonly bytes: number;
}

/** A memtable that no longer takes writes: what a flush writes and readers keep reading meanwhile. */
export class FrozenMemtable {
  constructor(
    private readonly view: MemtableSnapshot,
    readonly size: MemtableSize,
    private readonly sortKey: readonly number[],
  ) {}

  /** Every snapshot of a frozen memtable is the same. */
  snapshot(): MemtableSnapshot {
    return this.view;
  }

  /** The live rows sorted by the table's sort key, in batches of at most BATCH_SIZE rows. */
  sortedBatches(): Batch[] {
    return this.view.sortedBatches(this.sortKey);
  }
}

export class Memtable {
  readonly types: readonly LogicalType[];
  /** The table's sort key as column indexes. */
  readonly sortKey: readonly number[];
  private sealed: readonly Segment[] = [];
  private sealedBytes = 0;
  private tail: ColumnBuilder[];
  private tailFirstRow = 0;
  private rows = 0;
  /** Per row id: 0, or the version of the deletion that removed it. Grown by copying. */
  private stamps: Uint32Array | null = null;
  private version = 0;
  private deletedRows = 0;
  private frozen: FrozenMemtable | null = null;

  constructor(readonly schema: TableSchema) {
    if (schema.columns.length === 0) throw internalError(`table "${schema.name}" has no columns`);
    this.types = schema.columns.map((c) => c.type);
    this.sortKey = schema.sortKey.map((name) => {
      const i = schema.columns.findIndex((c) => c.name === name);
      if (i < 0) throw internalError(`sort key column "${name}" is not a column of table "${schema.name}"`);
      return i;
    });
    this.tail = this.newTail(INITIAL_CHUNK_ROWS);
  }

  /** Appends the rows of `batch` (one vector per table column, any kind, any selection);
   *  returns the row id of the first. */
  append(batch: Batch): number {
    this.checkWritable('append to');
    if (batch.columns.length !== this.types.length) {
      throw internalError(`append to the memtable of "${this.schema.name}": ${batch.columns.length} columns given, the table has ${this.types.length}`);
    }
    for (let c = 0; c < this.types.length; c++) {
      const t = batch.columns[c]!.type;
      if (!typesEqual(t, this.types[c]!)) {
        throw internalError(`append to the memtable of "${this.schema.name}": column ${c} is ${typeToString(t)}, the table says ${typeToString(this.types[c]!)}`);
      }
    }
    const first = this.rows;
    const dense = compactBatch(batch);
    const columns = dense.columns.map(flatten);
    const n = dense.count;
    let start = 0;
    while (start < n) {
      let room = this.tail[0]!.capacity - this.tail[0]!.length;
      if (room === 0) {
        if (this.tail[0]!.capacity < BATCH_SIZE) {
          const cap = Math.min(BATCH_SIZE, Math.max(this.tail[0]!.capacity * 2, this.tail[0]!.length + (n - start)));
          for (const b of this.tail) b.grow(cap);
        } else {
          this.seal();
        }
        room = this.tail[0]!.capacity - this.tail[0]!.length;
      }
      const end = Math.min(n, start + room);
      for (let c = 0; c < columns.length; c++) this.tail[c]!.appendFrom(columns[c]!, start, end);
      this.rows += end - start;
      start = end;
    }
    return first;
  }

  /** Deletes rows by row id (ids already deleted are skipped); returns how many were deleted now.
   *  Snapshots taken before the call still see the rows. */
  delete(rowIds: Uint32Array): number {
    this.checkWritable('delete from');
    if (rowIds.length === 0) return 0;
    for (let k = 0; k < rowIds.length; k++) {
      if (rowIds[k]! >= this.rows) {
        throw internalError(`delete from the memtable of "${this.schema.name}": row id ${rowIds[k]} is beyond its ${this.rows} rows`);
      }
    }
    let stamps = this.stamps;
    if (stamps === null || stamps.length < this.rows) {
      // A fresh array: snapshots holding the old one keep their view of it.
      const next = new Uint32Array(Math.max(this.rows, stamps === null ? 0 : stamps.length * 2));
      if (stamps !== null) next.set(stamps);
      stamps = next;
      this.stamps = next;
    }
    const stamp = ++this.version;
    let deleted = 0;
    for (let k = 0; k < rowIds.length; k++) {
      const r = rowIds[k]!;
      // An earlier stamp stays: a snapshot between the two deletions must see the row deleted.
      if (stamps[r] === 0) {
        stamps[r] = stamp;
        deleted++;
      }
    }
    this.deletedRows += deleted;
    return deleted;
  }

  /** The rows and deletions as of now; later writes are invisible to it. */
  snapshot(): MemtableSnapshot {
    if (this.frozen !== null) return this.frozen.snapshot();
    const segments = [...this.sealed];
    const t = this.tail;
    if (t[0]!.length > 0) {
      segments.push({ firstRow: this.tailFirstRow, length: t[0]!.length, data: t.map((b) => b.data), validity: t.map((b) => b.validity) });
    }
    const deletions = this.stamps === null ? null : { stamps: this.stamps, version: this.version };
    return new MemtableSnapshot(this.types, segments, deletions, this.deletedRows);
  }

  size(): MemtableSize {
    let bytes = this.sealedBytes;
    for (const b of this.tail) bytes += b.bytes();
    if (this.stamps !== null) bytes += this.stamps.byteLength;
    return { rows: this.rows, liveRows: this.rows - this.deletedRows, bytes };
  }

  /** Stops taking writes and returns the final view; the engine swaps in a new Memtable. */
  freeze(): FrozenMemtable {
    if (this.frozen === null) this.frozen = new FrozenMemtable(this.snapshot(), this.size(), this.sortKey);
    return this.frozen;
  }

  private checkWritable(what: string): void {
    if (this.frozen !== null) {
      throw internalError(`cannot ${what} the memtable of "${this.schema.name}": it is frozen for a flush; write to the new memtable`);
    }
  }

  private seal(): void {
    const t = this.tail;
    let bytes = 0;
    for (const b of t) bytes += b.bytes();
    this.sealed = [...this.sealed, { firstRow: this.tailFirstRow, length: t[0]!.length, data: t.map((b) => b.data), validity: t.map((b) => b.validity) }];
    this.sealedBytes += bytes;
    this.tailFirstRow = this.rows;
    this.tail = this.newTail(INITIAL_CHUNK_ROWS);
  }

  private newTail(capacity: number): ColumnBuilder[] {
    return this.types.map((t) => new ColumnBuilder(t, capacity));
  }
}
