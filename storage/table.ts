// The table interface between exec/ and storage/ (see DESIGN.md, "The table interface").
// A Snapshot is one consistent version of a table's data: scans of one snapshot always see
// the same rows, whatever is written meanwhile.

import { type Batch, makeBatch } from '../common/batch.js';
import type { LogicalType } from '../common/types.js';
import type { Scalar } from '../common/vector.js';
import type { SnapshotDescription } from './disk/detached-snapshot.js';

export interface ColumnSchema {
  name: string;
  type: LogicalType;
  notNull: boolean;
}

export interface TableSchema {
  name: string;
  columns: ColumnSchema[];
  /** Column names of the ORDER BY sort key. */
  sortKey: string[];
  primaryKey: string[];
}

/** A comparison of one column with constants; `x = NULL` and the like are never true. */
export interface ColumnPredicate {
  /** The TABLE column index (not the position among the scanned columns). */
  column: number;
  op: '=' | '<>' | '<' | '<=' | '>' | '>=' | 'in' | 'is_null' | 'is_not_null';
  values: Scalar[];
}

/** A disjunction: a row may match when it may match every conjunct of some branch. A branch
 *  MUST NOT be empty (an empty conjunction is always true: such an OR prunes nothing, so the
 *  planner does not push it). */
export interface OrPredicate {
  op: 'or';
  branches: ColumnPredicate[][];
}

/** A conjunct the storage layer MAY use to skip rows; it MUST NOT drop a row that satisfies it.
 *  Callers still filter exactly, so returning extra rows is always correct. */
export type StoragePredicate = ColumnPredicate | OrPredicate;

/** The predicate with every column index passed through `map` (plan positions to table
 *  columns, say). */
export function mapPredicateColumns(p: StoragePredicate, map: (column: number) => number): StoragePredicate {
  if (p.op === 'or') return { op: 'or', branches: p.branches.map((b) => b.map((q) => ({ ...q, column: map(q.column) }))) };
  return { ...p, column: map(p.column) };
}

/** A column index a scan may request besides the table's columns: each row's id within the
 *  snapshot (BIGINT, 0-based, in scan order over every row the snapshot holds, deleted ones
 *  included), which `Table.deleteRows` takes back. */
export const ROW_ID_COLUMN = -1;

export interface ScanOptions {
  /** Table column indexes to read, in output order (ROW_ID_COLUMN for row ids). */
  columns: number[];
  predicates?: StoragePredicate[];
  /** Counters the scan adds to (EXPLAIN ANALYZE); storage without blocks leaves them alone. */
  stats?: ScanStats;
  /** A filter storage MUST apply to every batch it yields (late materialization, below). */
  prefilter?: ScanPrefilter;
  /** Scan only share `index` of `count` (parallel scans, exec/parallel/): the blocks of the
   *  snapshot's parts, numbered in scan order, whose number is `index` modulo `count`, and of
   *  the batches of rows held in memory likewise. Only sources that describe() themselves take
   *  it. */
  morsel?: Morsel;
}

/** One of `count` disjoint shares of a scan (ScanOptions.morsel). */
export interface Morsel {
  readonly index: number;
  readonly count: number;
}

/**
 * Late materialization: for each block, storage reads the columns at `columns` (positions in
 * ScanOptions.columns) first and calls `keep` with a batch in which only those positions hold
 * data (the others are NULL constants); it reads the other columns only when rows survive, and
 * yields the block with `keep`'s selection.
 */
export interface ScanPrefilter {
  readonly columns: readonly number[];
  /** The rows to keep as a selection (physical row indexes), or null to keep every selected
   *  row; an empty selection drops the batch. */
  keep(batch: Batch): Int32Array | null;
}

/** Applies a prefilter to a batch that was read whole (storage without blocks); null when no
 *  row survives. */
export function applyPrefilter(batch: Batch, prefilter: ScanPrefilter | undefined): Batch | null {
  if (prefilter === undefined) return batch;
  const selection = prefilter.keep(batch);
  if (selection === null) return batch;
  if (selection.length === 0) return null;
  return makeBatch(batch.columns, batch.length, selection);
}

/** What scans did; one object may collect several scans. */
export interface ScanStats {
  /** Blocks considered (a block is one row range across all columns). */
  blocksTotal: number;
  /** Blocks ruled out by zone maps, the sort key or deletions (every row deleted), never read. */
  blocksSkipped: number;
  /** Blocks ruled out by bitmap indexes, never read. */
  blocksSkippedByBitmap: number;
  /** Rows that bitmap indexes selected (in the blocks they did not rule out). */
  bitmapRows: number;
  /** Values decoded from column blocks into one value per row (a run-length block, read as its
   *  runs, decodes none; a dictionary block decodes its codes). */
  valuesDecoded: number;
  /** Bytes of column blocks read (index files are not counted). */
  bytesRead: number;
  /** Column blocks found decoded in the block cache (storage/part/block-cache.ts): neither
   *  read nor decoded, so not counted above. */
  blocksCached: number;
}

export function newScanStats(): ScanStats {
  return { blocksTotal: 0, blocksSkipped: 0, blocksSkippedByBitmap: 0, bitmapRows: 0, valuesDecoded: 0, bytesRead: 0, blocksCached: 0 };
}

export interface ColumnStats {
  rows: number;
  min: Scalar;
  max: Scalar;
  nulls: number;
  distinct: number;
}

/** What the executor reads from a table: a Snapshot, or in a worker thread a snapshot rebuilt
 *  from its description (storage/disk/detached-snapshot.ts). */
export interface ScanSource {
  /** Yields batches with one vector per requested column. */
  scan(options: ScanOptions): AsyncIterable<Batch>;
  /** The snapshot as plain data another thread can scan (same rows), or null when it cannot be
   *  (in-memory tables, transactions' overlays, a test file system). */
  describe?(): Promise<SnapshotDescription | null>;
}

export interface Snapshot extends ScanSource {
  readonly rowCount: number;
  /** Ends the snapshot's pin on its data version; the statement that took it calls this when it
   *  ends. Storage without versions may omit it. */
  release?(): void;
  stats(column: number): ColumnStats;
}

export interface Table {
  readonly schema: TableSchema;
  snapshot(): Snapshot;
}
