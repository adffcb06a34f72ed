// Reads an immutable part (part-writer.ts): `openPart` reads part.meta and lists the part
// directory once (which columns have bitmap index files); `scanPart` yields one Batch per block
// that the zone maps, the bitmap indexes and the deletion mask cannot rule out, reading only the
// requested columns' blocks (one read per block, at its offset) and decoding them as they are
// stored: rle and dictionary blocks reach the caller as rle and dictionary vectors. Column
// indexes here are positions in the part, not table columns (the store maps one to the other by
// column id, storage/disk/disk-table.ts); a position past the part's columns (a table column the
// part lacks, added by ALTER TABLE after it was written) reads as NULL constants. Damaged bytes
// are an IO_ERROR naming the file and the block.
//
// Row selection, before any column block is read: the predicates an index answers
// (storage/index/bitmap-filter.ts) give a bitmap of the part rows that may match; a block with
// none of them is skipped, and the others carry a selection vector of those rows, less the rows
// the deletion mask marks. Selections may keep extra rows (callers filter exactly), never drop
// a row that matches and is not deleted.

import { posix } from 'node:path';
import { makeBatch, type Batch } from '../../common/batch.js';
import { internalError, QuiverError } from '../../common/errors.js';
import { type LogicalType, T } from '../../common/types.js';
import { nullVector, type Vector } from '../../common/vector.js';
import { decodeBlock } from '../encoding/block-codec.js';
import type { FileHandle, FileSystem } from '../fs/file-system.js';
import { indexesMayHelp, rowsMatching } from '../index/bitmap-filter.js';
import { PartIndexes } from '../index/part-indexes.js';
import type { RoaringBitmap32 } from '../index/roaring.js';
import { newScanStats, ROW_ID_COLUMN, type ScanPrefilter, type ScanStats, type StoragePredicate } from '../table.js';
import { blockCache } from './block-cache.js';
import { decodePartMeta, type PartMeta } from './part-meta.js';
import { columnFileName, PART_META_FILE, type WrittenPart } from './part-writer.js';
import { blockMayMatchAll, type ZoneMap, type ZoneSource, zoneMayMatch } from './zone-map.js';

export interface Part {
  readonly fs: FileSystem;
  readonly dir: string;
  readonly meta: PartMeta;
  /** The part's bitmap indexes (which columns have one; opened ones are cached here). */
  readonly indexes: PartIndexes;
}

export interface PartScanOptions {
  /** Part column indexes to read, in output order; ROW_ID_COLUMN reads each row's id,
   *  `rowIdBase` + its row number in the part (BIGINT). */
  columns: readonly number[];
  /** Conjuncts for pruning; `column` is a part column index. Rows are not filtered exactly. */
  predicates?: readonly StoragePredicate[];
  /** The type of each requested column (parallel to `columns`); required for a column the part
   *  does not have, which reads as NULL. */
  columnTypes?: readonly LogicalType[];
  /** One byte per part row, nonzero = deleted: such rows never reach the output. */
  deleted?: Uint8Array | null;
  /** The row id of the part's first row (ROW_ID_COLUMN); default 0. */
  rowIdBase?: number;
  /** Late materialization (storage/table.ts ScanPrefilter): applied to every block yielded. */
  prefilter?: ScanPrefilter;
  /** Whether blocks come from and go to the block cache (block-cache.ts); default true. A
   *  merge reads each block once and leaves the cache to queries. */
  cache?: boolean;
  /** Read only the blocks whose number counted from `first` (block b is number first + b) is
   *  `index` modulo `count`: one share of a parallel scan (storage/table.ts ScanOptions.morsel).
   *  The other blocks are not this scan's: not read and not counted in `stats`. */
  morsel?: { readonly index: number; readonly count: number; readonly first: number };
}

export async function openPart(fs: FileSystem, dir: string): Promise<Part> {
  const path = posix.join(dir, PART_META_FILE);
  const meta = decodePartMeta(await fs.readFile(path), path);
  const indexes = new PartIndexes(fs, dir, meta, await fs.readdir(dir));
  return { fs, dir, meta, indexes };
}

/** The Part that writePart just wrote to `dir`, without reading it back. */
export function writtenPart(fs: FileSystem, dir: string, written: WrittenPart): Part {
  return { fs, dir, meta: written.meta, indexes: new PartIndexes(fs, dir, written.meta, written.indexFiles) };
}

/** Zone maps by column and block; a column the part lacks is all NULL. */
class PartZones implements ZoneSource {
  private readonly missing: ZoneMap[];

  constructor(private readonly meta: PartMeta) {
    this.missing = meta.columns.length === 0 ? [] : meta.columns[0]!.blocks.map((b) => ({ rows: b.rows, nulls: b.rows, min: null, max: null }));
  }

  zone(column: number, block: number): ZoneMap {
    return column < this.meta.columns.length ? this.meta.columns[column]!.blocks[block]! : this.missing[block]!;
  }
}

/** Yields the part's rows block by block, skipping blocks no row of which can match. */
export async function* scanPart(part: Part, options: PartScanOptions, stats: ScanStats = newScanStats()): AsyncGenerator<Batch> {
  const { meta } = part;
  const predicates = options.predicates ?? [];
  const deleted = options.deleted ?? null;
  const present = meta.columns.length;
  const rowIdBase = options.rowIdBase ?? 0;
  const prefilter = options.prefilter;
  for (const [k, c] of options.columns.entries()) {
    if (c === ROW_ID_COLUMN) continue;
    if (!Number.isInteger(c) || c < 0) throw new QuiverError('INVALID_INPUT', `part column index ${c} is not valid`);
    if (c >= present && options.columnTypes?.[k] === undefined) {
      throw new QuiverError('INVALID_INPUT', `column ${c} is not in part ${part.dir} (it has ${present}); give its type in columnTypes to read it as NULL`);
    }
  }
  if (deleted !== null && deleted.length !== meta.rows) {
    throw new QuiverError('INVALID_INPUT', `the deletion mask of part ${part.dir} has ${deleted.length} entries, the part has ${meta.rows} rows`);
  }
  const blockCount = present === 0 ? 0 : meta.columns[0]!.blocks.length;
  // A predicate on a column the part lacks sees only NULLs.
  const missingRows = { rows: meta.rows, nulls: meta.rows, min: null, max: null };
  for (const p of predicates) {
    if (p.op !== 'or' && p.column >= present && !zoneMayMatch(missingRows, p)) {
      const own = options.morsel === undefined ? blockCount : blocksOfShare(blockCount, options.morsel);
      stats.blocksTotal += own;
      stats.blocksSkipped += own;
      return;
    }
  }
  const zones = new PartZones(meta);
  const selected = predicates.length > 0 && indexesMayHelp(part.indexes, predicates) ? await rowsMatching(part.indexes, predicates) : null;
  const handles = new Map<number, FileHandle>();
  const useCache = options.cache !== false;
  const morsel = options.morsel;
  try {
    let start = 0;
    for (let b = 0; b < blockCount; b++) {
      const rows = meta.columns[0]!.blocks[b]!.rows;
      const blockStart = start;
      start += rows;
      if (morsel !== undefined && (morsel.first + b) % morsel.count !== morsel.index) continue;
      stats.blocksTotal++;
      if (!blockMayMatchAll(zones, b, predicates)) {
        stats.blocksSkipped++;
        continue;
      }
      let selection: Int32Array | null = null;
      if (selected !== null) {
        const count = selected.rangeCardinality(blockStart, blockStart + rows);
        if (count === 0) {
          stats.blocksSkippedByBitmap++;
          continue;
        }
        stats.bitmapRows += count;
        if (count < rows) selection = blockSelection(selected, blockStart, count);
      }
      if (deleted !== null) {
        selection = withoutDeleted(deleted, blockStart, rows, selection);
        if (selection !== null && selection.length === 0) {
          stats.blocksSkipped++;
          continue;
        }
      }
      const vectors: (Vector | undefined)[] = new Array<Vector | undefined>(options.columns.length);
      const read = async (k: number): Promise<Vector> => {
        const c = options.columns[k]!;
        if (c === ROW_ID_COLUMN) return rowIds(rowIdBase + blockStart, rows);
        if (c >= present) return nullVector(options.columnTypes![k]!, rows);
        const key = useCache ? blockCache.key(part, c, b) : '';
        const cached = useCache ? blockCache.get(key) : undefined;
        if (cached !== undefined) {
          stats.blocksCached++;
          return cached;
        }
        let h = handles.get(c);
        if (h === undefined) {
          h = await part.fs.open(posix.join(part.dir, columnFileName(c)), 'read');
          handles.set(c, h);
        }
        const v = await readColumnBlock(part, h, c, b, stats);
        if (useCache) blockCache.set(key, v);
        return v;
      };
      // Late materialization: the filter's columns first; the others only if rows survive.
      if (prefilter !== undefined) {
        for (const k of prefilter.columns) vectors[k] ??= await read(k);
        const probe = options.columns.map((c, k) => vectors[k] ?? nullVector(columnTypeOf(part, c, options.columnTypes?.[k]), rows));
        const keep = prefilter.keep(makeBatch(probe, rows, selection));
        if (keep !== null) {
          if (keep.length === 0) continue;
          selection = keep;
        }
      }
      for (let k = 0; k < vectors.length; k++) vectors[k] ??= await read(k);
      yield makeBatch(vectors as Vector[], rows, selection);
    }
  } finally {
    for (const h of handles.values()) await h.close();
  }
}

/** How many of a part's `blockCount` blocks belong to share `morsel`. */
function blocksOfShare(blockCount: number, morsel: { readonly index: number; readonly count: number; readonly first: number }): number {
  let n = 0;
  for (let b = 0; b < blockCount; b++) if ((morsel.first + b) % morsel.count === morsel.index) n++;
  return n;
}

/** The type of scanned column `c` (a part column, a later column of type `given`, or row ids). */
function columnTypeOf(part: Part, c: number, given: LogicalType | undefined): LogicalType {
  if (c === ROW_ID_COLUMN) return T.BIGINT;
  const col = part.meta.columns[c];
  if (col !== undefined) return col.type;
  if (given === undefined) throw internalError(`column ${c} is not in part ${part.dir} and has no type`);
  return given;
}

function rowIds(first: number, n: number): Vector {
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = first + i;
  return { kind: 'flat', type: T.BIGINT, length: n, data, validity: null };
}

/** The `count` rows of `selected` in the block starting at part row `blockStart`, as row
 *  indexes within the block. */
function blockSelection(selected: RoaringBitmap32, blockStart: number, count: number): Int32Array {
  const out = new Int32Array(count);
  const first = blockStart === 0 ? 0 : selected.rank(blockStart - 1);
  selected.rangeUint32Array(out, first, count);
  for (let k = 0; k < count; k++) out[k]! -= blockStart;
  return out;
}

/** The selection (null = every row of the block) less the deleted rows; null when none of its
 *  rows is deleted. */
function withoutDeleted(deleted: Uint8Array, blockStart: number, rows: number, selection: Int32Array | null): Int32Array | null {
  if (selection === null) {
    let gone = 0;
    for (let i = 0; i < rows; i++) if (deleted[blockStart + i] !== 0) gone++;
    if (gone === 0) return null;
    const out = new Int32Array(rows - gone);
    let n = 0;
    for (let i = 0; i < rows; i++) if (deleted[blockStart + i] === 0) out[n++] = i;
    return out;
  }
  let n = 0;
  for (let k = 0; k < selection.length; k++) {
    const i = selection[k]!;
    if (deleted[blockStart + i] === 0) selection[n++] = i;
  }
  return n === selection.length ? selection : selection.subarray(0, n);
}

/** Reads and decodes block `b` of part column `column` through `handle` (that column's file). */
export async function readColumnBlock(part: Part, handle: FileHandle, column: number, b: number, stats: ScanStats): Promise<Vector> {
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
  // A run-length block reaches the caller as its runs: no value is expanded to a row.
  if (v.kind !== 'rle') stats.valuesDecoded += block.rows;
  return v;
}
