// Shared by the DiskStore tests: builds batches from rows of plain values and reads a
// snapshot back as rows, with every number of a BIGINT or DECIMAL column shown as a string
// (they come back as numbers or bigints depending on the block encoding).

import { type Batch, makeBatch } from '../../../common/batch.js';
import { type LogicalType, TypeId } from '../../../common/types.js';
import { allocData, type FlatVector, getScalar, type Scalar } from '../../../common/vector.js';
import type { Snapshot, StoragePredicate } from '../../../storage/table.js';

/** A batch holding `rows` (one array of column values per row; null is NULL). */
export function batchOf(types: readonly LogicalType[], rows: readonly Scalar[][]): Batch {
  const columns = types.map((type, c): FlatVector => {
    const data = allocData(type, rows.length);
    let validity: Uint8Array | null = null;
    for (let r = 0; r < rows.length; r++) {
      const v = rows[r]![c]!;
      if (v === null) {
        validity ??= new Uint8Array(rows.length).fill(1);
        validity[r] = 0;
      } else if (Array.isArray(data)) {
        data[r] = v as string;
      } else {
        (data as Float64Array)[r] = Number(v);
      }
    }
    return { kind: 'flat', type, length: rows.length, data, validity };
  });
  return makeBatch(columns, rows.length);
}

/** A value as the tests compare it. */
export function normalize(type: LogicalType, v: Scalar): Scalar {
  if (v === null) return null;
  if (type.id === TypeId.BIGINT || type.id === TypeId.DECIMAL) return String(v);
  return v;
}

/** Every row of a scan of `columns` (all when absent), in scan order. */
export async function readRows(snapshot: Snapshot, types: readonly LogicalType[], columns?: number[], predicates?: StoragePredicate[]): Promise<Scalar[][]> {
  const cols = columns ?? types.map((_, i) => i);
  const out: Scalar[][] = [];
  for await (const b of snapshot.scan({ columns: cols, ...(predicates ? { predicates } : {}) })) {
    for (let k = 0; k < b.count; k++) {
      const i = b.selection === null ? k : b.selection[k]!;
      out.push(cols.map((c, j) => normalize(types[c]!, getScalar(b.columns[j]!, i))));
    }
  }
  return out;
}
