// What `storage_info('t')` shows (sql/table-functions/storage-info.ts): one row per stored piece of
// one column, as DuckDB's pragma_storage_info has one per column segment. This file holds the row
// shape and the rows of an in-memory table (storage/memory-table.ts), one per chunk and column;
// storage/disk/storage-info.ts gives an on-disk table's, one per part block and column plus the
// memtable. Nothing here reads a file.

import type { FlatVector, Scalar } from '../common/vector.js';
import type { EncodingName } from './encoding/encoding-kind.js';
import type { MemoryTable } from './memory-table.js';

/** Where a piece of a column is held and how: a block encoding of a part, or in memory. */
export type StorageInfoEncoding = EncodingName | 'memtable' | 'memory';

export interface StorageInfoRow {
  /** The part's id (its directory is part-<id>); null for rows held in memory. */
  readonly part: number | null;
  /** The table column's index. */
  readonly column: number;
  /** The block's index within its part, or the chunk's index of an in-memory table; null for a
   *  memtable, which has no blocks. */
  readonly block: number | null;
  /** The piece's first row within its part (or among the in-memory table's rows); null for a memtable. */
  readonly rowStart: number | null;
  /** Rows held, deleted ones included. */
  readonly rows: number;
  /** Of `rows`, those deleted (DELETE marks them; compaction drops them). */
  readonly deleted: number;
  /** Bytes the piece takes: encoded bytes in the column file, or the in-memory arrays' bytes;
   *  null where not known (memtables). */
  readonly bytes: number | null;
  readonly encoding: StorageInfoEncoding;
  readonly nulls: number;
  /** Distinct non-NULL values (a part block's zone map count); null where not counted. */
  readonly distinct: number | null;
  /** Smallest and largest non-NULL value; null when every value is NULL or not recorded. */
  readonly min: Scalar;
  readonly max: Scalar;
  /** Whether the values are non-decreasing (a part block's zone map flag); null where not known. */
  readonly sorted: boolean | null;
}

/** Bytes a UTF-16 code unit takes in memory, for string columns. */
const UTF16_UNIT_BYTES = 2;

/** An in-memory table's rows: one per chunk and column, with exact statistics computed here. */
export function memoryTableStorageInfo(table: MemoryTable): StorageInfoRow[] {
  const rows: StorageInfoRow[] = [];
  let rowStart = 0;
  for (const [block, chunk] of table.currentChunks().entries()) {
    for (const [column, v] of chunk.columns.entries()) {
      const s = flatStats(v);
      rows.push({
        part: null, column, block, rowStart, rows: chunk.length, deleted: 0, bytes: s.bytes, encoding: 'memory',
        nulls: s.nulls, distinct: null, min: s.min, max: s.max, sorted: null,
      });
    }
    rowStart += chunk.length;
  }
  return rows;
}

/** NULL count, min, max and bytes of a flat vector (values compare as the zone maps do). */
function flatStats(v: FlatVector): { nulls: number; min: Scalar; max: Scalar; bytes: number } {
  const data = v.data;
  const valid = v.validity;
  let nulls = 0;
  let min: Scalar = null;
  let max: Scalar = null;
  let textBytes = 0;
  for (let i = 0; i < v.length; i++) {
    if (valid !== null && valid[i] === 0) {
      nulls++;
      continue;
    }
    const x = data[i]!;
    if (typeof x === 'string') textBytes += x.length * UTF16_UNIT_BYTES;
    // number, bigint and string each compare exactly with `<` within one column.
    if (min === null || x < (min as typeof x)) min = x;
    if (max === null || x > (max as typeof x)) max = x;
  }
  const arrayBytes = Array.isArray(data) ? textBytes : (data as ArrayBufferView).byteLength;
  return { nulls, min, max, bytes: arrayBytes + (valid === null ? 0 : valid.byteLength) };
}
