// Reads an immutable part (part-writer.ts): `openPart` reads part.meta once, `scanPart` yields
// one Batch per block that the zone maps cannot rule out, reading only the requested columns'
// blocks (one read per block, at its offset) and decoding them as they are stored: rle and
// dictionary blocks reach the caller as rle and dictionary vectors. A column index past the
// part's columns (added by ALTER TABLE after the part was written) reads as NULL constants.
// Damaged bytes are an IO_ERROR naming the file and the block.

import { posix } from 'node:path';
import { makeBatch, type Batch } from '../../common/batch.js';
import { QuiverError } from '../../common/errors.js';
import type { LogicalType } from '../../common/types.js';
import { nullVector, type Vector } from '../../common/vector.js';
import { decodeBlock } from '../encoding/block-codec.js';
import type { FileHandle, FileSystem } from '../fs/file-system.js';
import { newScanStats, type ScanStats, type StoragePredicate } from '../table.js';
import { decodePartMeta, type PartMeta } from './part-meta.js';
import { columnFileName, PART_META_FILE } from './part-writer.js';
import { zoneMayMatchAll } from './zone-map.js';

export interface Part {
  readonly fs: FileSystem;
  readonly dir: string;
  readonly meta: PartMeta;
}

export interface PartScanOptions {
  /** Part column indexes to read, in output order. */
  columns: readonly number[];
  /** Conjuncts for pruning; `column` is a part column index. Rows are not filtered exactly. */
  predicates?: readonly StoragePredicate[];
  /** The type of each requested column (parallel to `columns`); required for a column the part
   *  does not have, which reads as NULL. */
  columnTypes?: readonly LogicalType[];
}

export async function openPart(fs: FileSystem, dir: string): Promise<Part> {
  const path = posix.join(dir, PART_META_FILE);
  const bytes = await fs.readFile(path);
  return { fs, dir, meta: decodePartMeta(bytes, path) };
}

/** Yields the part's rows block by block, skipping blocks no row of which can match. */
export async function* scanPart(part: Part, options: PartScanOptions, stats: ScanStats = newScanStats()): AsyncGenerator<Batch> {
  const { meta } = part;
  const predicates = options.predicates ?? [];
  const present = meta.columns.length;
  for (const [k, c] of options.columns.entries()) {
    if (!Number.isInteger(c) || c < 0) throw new QuiverError('INVALID_INPUT', `part column index ${c} is not valid`);
    if (c >= present && options.columnTypes?.[k] === undefined) {
      throw new QuiverError('INVALID_INPUT', `column ${c} is not in part ${part.dir} (it has ${present}); give its type in columnTypes to read it as NULL`);
    }
  }
  const blockCount = present === 0 ? 0 : meta.columns[0]!.blocks.length;
  // A predicate on a column the part lacks sees only NULLs.
  const missingRows = { rows: meta.rows, nulls: meta.rows, min: null, max: null };
  for (const p of predicates) {
    if (p.column >= present && !zoneMayMatchAll(missingRows, [p])) {
      stats.blocksTotal += blockCount;
      stats.blocksSkipped += blockCount;
      return;
    }
  }
  const handles = new Map<number, FileHandle>();
  try {
    for (const c of options.columns) {
      if (c < present && !handles.has(c)) handles.set(c, await part.fs.open(posix.join(part.dir, columnFileName(c)), 'read'));
    }
    for (let b = 0; b < blockCount; b++) {
      stats.blocksTotal++;
      let keep = true;
      for (const p of predicates) {
        if (p.column < present && !zoneMayMatchAll(meta.columns[p.column]!.blocks[b]!, [p])) {
          keep = false;
          break;
        }
      }
      if (!keep) {
        stats.blocksSkipped++;
        continue;
      }
      const rows = meta.columns[0]!.blocks[b]!.rows;
      const vectors: Vector[] = [];
      for (const [k, c] of options.columns.entries()) {
        if (c >= present) {
          vectors.push(nullVector(options.columnTypes![k]!, rows));
          continue;
        }
        vectors.push(await readBlock(part, handles.get(c)!, c, b, stats));
      }
      yield makeBatch(vectors, rows);
    }
  } finally {
    for (const h of handles.values()) await h.close();
  }
}

async function readBlock(part: Part, handle: FileHandle, column: number, b: number, stats: ScanStats): Promise<Vector> {
  const col = part.meta.columns[column]!;
  const block = col.blocks[b]!;
  const bytes = new Uint8Array(block.bytes);
  const got = await handle.read(bytes, block.offset);
  stats.bytesRead += got;
  const where = `block ${b} of ${handle.path} (bytes ${block.offset}..${block.offset + block.bytes})`;
  if (got !== block.bytes) {
    throw new QuiverError('IO_ERROR', `cannot read ${where}: the file ends after ${got} of its bytes; the part is damaged`);
  }
  let v: Vector;
  try {
    v = decodeBlock(bytes, col.type);
  } catch (e) {
    if (e instanceof QuiverError && e.code === 'IO_ERROR') throw new QuiverError('IO_ERROR', `${e.message} in ${where}`);
    throw e;
  }
  if (v.length !== block.rows) {
    throw new QuiverError('IO_ERROR', `corrupt block: it holds ${v.length} rows, part.meta says ${block.rows}, in ${where}`);
  }
  stats.valuesDecoded += block.rows;
  return v;
}
