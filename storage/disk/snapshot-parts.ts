// Reading the parts of one table snapshot: shared by the snapshots of the writing process
// (disk-table.ts) and the snapshots worker threads rebuild from a description
// (detached-snapshot.ts), so both read exactly the same rows in the same order.

import type { Batch } from '../../common/batch.js';
import { QuiverError } from '../../common/errors.js';
import { type LogicalType, T } from '../../common/types.js';
import { type Part, scanPart } from '../part/part-reader.js';
import { mapPredicateColumns, ROW_ID_COLUMN, type ScanOptions, type TableSchema } from '../table.js';

/** One part as a snapshot reads it. */
export interface SnapshotPart {
  readonly part: Part;
  /** Per table column, the part position holding it; -1 when the part lacks it (it reads as
   *  NULL: added by ALTER TABLE after the part was written). */
  readonly positions: ArrayLike<number>;
  /** Rows written in the part, deleted ones included (the row ids it spans). */
  readonly rowCount: number;
  /** One byte per part row, nonzero = deleted; null when none is. */
  readonly deleted: Uint8Array | null;
}

/** The types of the requested columns (ROW_ID_COLUMN is BIGINT). */
export function scannedTypes(schema: TableSchema, columns: readonly number[]): LogicalType[] {
  return columns.map((c) => {
    if (c === ROW_ID_COLUMN) return T.BIGINT;
    const col = schema.columns[c];
    if (col === undefined) throw new QuiverError('INVALID_INPUT', `table "${schema.name}" has no column ${c} (it has ${schema.columns.length})`);
    return col.type;
  });
}

/** Blocks in a part (every column has the same blocks). */
export function partBlockCount(part: Part): number {
  return part.meta.columns.length === 0 ? 0 : part.meta.columns[0]!.blocks.length;
}

/**
 * Yields the rows of `parts` in order, as `options` asks (columns, pruning predicates,
 * prefilter, one share of the blocks). Row ids number the parts' rows, deleted ones included,
 * from 0; returns the row id after the last part's rows.
 */
export async function* scanSnapshotParts(schema: TableSchema, parts: readonly SnapshotPart[], options: ScanOptions): AsyncGenerator<Batch, number> {
  const types = scannedTypes(schema, options.columns);
  let base = 0;
  let firstBlock = 0;
  for (const p of parts) {
    const present = p.part.meta.columns.length;
    const toPart = (c: number): number => {
      const at = p.positions[c];
      if (at === undefined) throw new QuiverError('INVALID_INPUT', `table "${schema.name}" has no column ${c}`);
      return at < 0 ? present : at;
    };
    const columns = options.columns.map((c) => (c === ROW_ID_COLUMN ? c : toPart(c)));
    const predicates = (options.predicates ?? []).map((q) => mapPredicateColumns(q, toPart));
    const partOptions = {
      columns,
      predicates,
      columnTypes: types,
      deleted: p.deleted,
      rowIdBase: base,
      ...(options.prefilter === undefined ? {} : { prefilter: options.prefilter }),
      ...(options.morsel === undefined ? {} : { morsel: { ...options.morsel, first: firstBlock } }),
    };
    yield* scanPart(p.part, partOptions, options.stats);
    base += p.rowCount;
    firstBlock += partBlockCount(p.part);
  }
  return base;
}
