// A Batch: up to BATCH_SIZE rows as one vector per column, plus an optional selection.
// Invariant: every vector has the same `length` (the physical row count). When `selection`
// is set, only the rows it lists (increasing indexes into the vectors) are part of the
// batch, and `count === selection.length`; otherwise `count === length`.
// Filters narrow the selection; they never copy column data.
// Batches are immutable once yielded: a producer MUST NOT write to or reuse the arrays of a
// batch it has handed on, because consumers (join build sides, sorts, results) keep
// references to them instead of copying.

import type { Vector } from './vector.js';
import { gatherAny } from './vector.js';

export const BATCH_SIZE = 65536;

export interface Batch {
  readonly columns: Vector[];
  /** Physical rows in each vector. */
  readonly length: number;
  readonly selection: Int32Array | null;
  /** Rows that are part of the batch. */
  readonly count: number;
}

export function makeBatch(columns: Vector[], length: number, selection: Int32Array | null = null): Batch {
  return { columns, length, selection, count: selection === null ? length : selection.length };
}

/** Applies the selection, so the result has none (dense vectors). */
export function compactBatch(b: Batch): Batch {
  if (b.selection === null) return b;
  const sel = b.selection;
  return makeBatch(
    b.columns.map((c) => gatherAny(c, sel, sel.length)),
    sel.length,
    null,
  );
}
