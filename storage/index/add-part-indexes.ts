// Adds bitmap index files to a part that already exists (CREATE INDEX ... USING BITMAP over data
// already on disk). The part stays immutable in every other way: part.meta is not touched (it
// records only the indexes written with the part), each index file is written atomically
// (storage/fs/atomic-write.ts), so a crash leaves the part with or without the whole file, never
// a torn one, and the Part object learns of the new files at once. Other processes see them
// when they next open the part (openPart lists the directory).

import { posix } from 'node:path';
import { QuiverError } from '../../common/errors.js';
import type { FileHandle } from '../fs/file-system.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { type Part, readColumnBlock } from '../part/part-reader.js';
import { columnFileName } from '../part/part-writer.js';
import { newScanStats } from '../table.js';
import { BitmapIndexBuilder } from './bitmap-index-builder.js';
import { encodeBitmapIndex } from './bitmap-index-format.js';
import { blockRulesOutIndex, MAX_INDEX_VALUES, REQUESTED_INDEX } from './index-policy.js';
import { indexFileName } from './part-indexes.js';

export interface AddedIndexes {
  /** Columns whose index file was written now. */
  readonly built: number[];
  /** Columns that already had one. */
  readonly existing: number[];
  /** Columns left without one, and why. */
  readonly skipped: { readonly column: number; readonly reason: string }[];
}

/** Writes a bitmap index file for each of `columns` (part column indexes) that lacks one. A
 *  column the part does not have (added to the table later) reads as NULL everywhere and needs
 *  none; a column with more than MAX_INDEX_VALUES distinct values in this part gets none. */
export async function addBitmapIndexes(part: Part, columns: readonly number[]): Promise<AddedIndexes> {
  const out: AddedIndexes = { built: [], existing: [], skipped: [] };
  for (const c of new Set(columns)) {
    if (!Number.isInteger(c) || c < 0) throw new QuiverError('INVALID_INPUT', `part column index ${c} is not valid`);
    if (c >= part.meta.columns.length) {
      out.skipped.push({ column: c, reason: `part ${part.dir} was written before column ${c} existed; its rows read as NULL` });
    } else if (part.indexes.has(c)) {
      out.existing.push(c);
    } else if (await buildIndexFile(part, c)) {
      out.built.push(c);
    } else {
      out.skipped.push({ column: c, reason: `column ${c} has more than ${MAX_INDEX_VALUES} distinct values in part ${part.dir}, too many for a bitmap index` });
    }
  }
  return out;
}

/** Builds and writes the index of column `c`; false when the column has too many values. */
async function buildIndexFile(part: Part, c: number): Promise<boolean> {
  const col = part.meta.columns[c]!;
  if (col.blocks.some((b) => blockRulesOutIndex(b, MAX_INDEX_VALUES))) return false;
  const builder = new BitmapIndexBuilder(c, col.type, REQUESTED_INDEX);
  const stats = newScanStats();
  let handle: FileHandle | null = null;
  try {
    handle = await part.fs.open(posix.join(part.dir, columnFileName(c)), 'read');
    for (let b = 0; b < col.blocks.length && !builder.overflowed; b++) builder.add(await readColumnBlock(part, handle, c, b, stats));
  } finally {
    await handle?.close();
  }
  const data = builder.finish();
  if (data === null) return false;
  await writeFileAtomic(part.fs, posix.join(part.dir, indexFileName(c)), encodeBitmapIndex(data));
  part.indexes.added(c);
  return true;
}
