// storage_info for an on-disk table (the row shape is in storage/storage-info.ts): it pins the
// table's current version as a snapshot would, then lists one row per block of each column of
// each live part (oldest part first, then column by column, block by block) from the part
// metadata the store already holds in memory (Part.meta: no I/O), and one row per column for each
// non-empty memtable, with part and block NULL. `column` is the table column's index now. A part
// written before a column was added has no blocks of that column (it reads as NULL) and so no
// rows for it; the blocks a part still holds of a dropped column are never read and not listed.

import { partColumnMap } from '../manifest/manifest.js';
import type { StorageInfoRow } from '../storage-info.js';
import type { TableSource } from './disk-table.js';

export function diskTableStorageInfo(source: TableSource, table: string): StorageInfoRow[] {
  const pinned = source.pinTable(table);
  try {
    const rows: StorageInfoRow[] = [];
    const columnCount = pinned.entry.schema.columns.length;
    for (const [i, p] of pinned.entry.parts.entries()) {
      const meta = source.part(p.directory).meta;
      const mask = pinned.deleted[i]?.mask ?? null;
      const positions = partColumnMap(pinned.entry, p);
      for (let column = 0; column < columnCount; column++) {
        const at = positions[column]!;
        if (at < 0) continue;
        let rowStart = 0;
        for (const [block, b] of meta.columns[at]!.blocks.entries()) {
          rows.push({
            part: p.id, column, block, rowStart, rows: b.rows, deleted: countDeleted(mask, rowStart, b.rows), bytes: b.bytes,
            encoding: b.encoding, nulls: b.nulls, distinct: b.distinct, min: b.min, max: b.max, sorted: b.sorted,
          });
          rowStart += b.rows;
        }
      }
    }
    for (const m of pinned.memtables) {
      if (m.rowsWritten === 0) continue;
      for (let column = 0; column < columnCount; column++) {
        // Exact statistics over the live rows (the memtable is small next to the parts).
        const s = m.stats(column);
        rows.push({
          part: null, column, block: null, rowStart: null, rows: m.rowsWritten, deleted: m.rowsWritten - m.rowCount, bytes: null,
          encoding: 'memtable', nulls: s.nulls, distinct: s.distinct, min: s.min, max: s.max, sorted: null,
        });
      }
    }
    return rows;
  } finally {
    pinned.pin.release();
  }
}

/** Deleted rows among [start, start + count) of a part's deletion mask (nonzero = deleted). */
function countDeleted(mask: Uint8Array | null, start: number, count: number): number {
  if (mask === null) return 0;
  let n = 0;
  for (let r = start; r < start + count; r++) if (mask[r] !== 0) n++;
  return n;
}
