// Writes an immutable part (DESIGN.md storage/): a new directory holding one file per column,
// `c<index>.bin`, with the column's encoded blocks back to back, a bitmap index file
// `i<index>.idx` (storage/index/) for the columns asked for and the low-cardinality ones
// (storage/index/index-policy.ts), and `part.meta` (part-meta.ts), which records which columns
// got an index. Every column is cut at the same row boundaries, so block b of each column holds
// the same rows and a scan can read any subset of columns block by block.
//
// Durability: each file is written and fsynced, part.meta last, then the part directory and its
// parent are fsynced. The caller commits the part by naming it in a manifest only after
// writePart returns; a crash before that leaves at most an unreferenced directory, which
// recovery removes. Because part.meta's entry is created after every column file was fsynced,
// a part.meta that survives a crash always describes complete column files.

import { posix } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import type { Batch } from '../../common/batch.js';
import { QuiverError } from '../../common/errors.js';
import { type LogicalType, typesEqual, typeToString } from '../../common/types.js';
import { concatFlat, type DictionaryVector, flatten, type FlatVector, gatherAny } from '../../common/vector.js';
import { type EncodedBlock, encodeBlock, MAX_BLOCK_ROWS } from '../encoding/block-codec.js';
import type { EncodingName } from '../encoding/encoding-kind.js';
import type { FileSystem } from '../fs/file-system.js';
import { PhysicalClass, physicalClass } from '../encoding/physical-class.js';
import { BitmapIndexBuilder } from '../index/bitmap-index-builder.js';
import { encodeBitmapIndex } from '../index/bitmap-index-format.js';
import { autoIndexLimits, blockRulesOutIndex, MAX_INDEX_VALUES, REQUESTED_INDEX } from '../index/index-policy.js';
import { indexFileName } from '../index/part-indexes.js';
import { blockEncoderThread } from './block-encoder-thread.js';
import { type BlockMeta, type ColumnMeta, encodePartMeta, type PartMeta } from './part-meta.js';

export const PART_META_FILE = 'part.meta';
export const DEFAULT_BLOCK_ROWS = MAX_BLOCK_ROWS;
/** Encoded blocks are gathered into writes of about this many bytes (fewer system calls). */
const WRITE_CHUNK_BYTES = 4 << 20;

export const columnFileName = (index: number): string => `c${index}.bin`;

export interface PartSchema {
  columns: readonly { name: string; type: LogicalType }[];
}

export interface WritePartOptions {
  /** Rows per block, 1..65536 (default 65536). */
  blockRows?: number;
  /** Encode every block with this encoding where it can hold the block. */
  force?: EncodingName | null;
  /** Columns (schema indexes) to give a bitmap index, whatever their statistics; a column with
   *  more than MAX_INDEX_VALUES distinct values in this part still gets none (see WrittenColumn). */
  bitmapColumns?: readonly number[];
  /** Also index the columns with few distinct values (index-policy.ts); default true. */
  autoBitmapIndexes?: boolean;
}

/** The bitmap index written for a column. */
export interface WrittenIndex {
  /** Distinct non-NULL values. */
  readonly values: number;
  readonly bytes: number;
  /** Asked for in `bitmapColumns` (else chosen automatically). */
  readonly requested: boolean;
}

/** What writePart wrote, per column: file size and blocks per encoding. */
export interface WrittenColumn {
  readonly name: string;
  readonly bytes: number;
  readonly encodings: Partial<Record<EncodingName, number>>;
  /** Why forced encodings fell back to plain, one entry per distinct reason. */
  readonly fallbacks: string[];
  /** Its bitmap index, or null. */
  readonly index: WrittenIndex | null;
  /** Why a bitmap index asked for was not written; null when it was, or was not asked for. */
  readonly indexSkipped: string | null;
}

export interface WrittenPart {
  readonly meta: PartMeta;
  readonly rows: number;
  readonly metaBytes: number;
  readonly columns: WrittenColumn[];
  /** Names of the bitmap index files written (storage/index/part-indexes.ts). */
  readonly indexFiles: string[];
}

/**
 * Writes `batches` (already in the part's row order) as a part in the new directory `dir`,
 * whose parent MUST exist and which MUST NOT exist yet. Batches may carry selections and any
 * vector kind; a batch's column j MUST be of schema column j's type.
 */
export async function writePart(
  fs: FileSystem,
  dir: string,
  schema: PartSchema,
  batches: readonly Batch[],
  options: WritePartOptions = {},
): Promise<WrittenPart> {
  const blockRows = options.blockRows ?? DEFAULT_BLOCK_ROWS;
  if (!Number.isInteger(blockRows) || blockRows < 1 || blockRows > MAX_BLOCK_ROWS) {
    throw new QuiverError('INVALID_INPUT', `part block size must be an integer from 1 to ${MAX_BLOCK_ROWS} rows, got ${blockRows}`);
  }
  if (schema.columns.length === 0) throw new QuiverError('INVALID_INPUT', 'a part needs at least one column');
  const requested = new Set<number>();
  for (const c of options.bitmapColumns ?? []) {
    if (!Number.isInteger(c) || c < 0 || c >= schema.columns.length) {
      throw new QuiverError('INVALID_INPUT', `bitmap index column ${c} is not a column of the part (it has ${schema.columns.length})`);
    }
    requested.add(c);
  }
  const autoLimits = options.autoBitmapIndexes === false ? null : autoIndexLimits(rowCount(batches));
  // Checked before anything is written, so bad input leaves no directory behind.
  for (const [bi, b] of batches.entries()) {
    if (b.columns.length !== schema.columns.length) {
      throw new QuiverError('INVALID_INPUT', `batch ${bi} has ${b.columns.length} columns, the part has ${schema.columns.length}`);
    }
    for (const [ci, col] of schema.columns.entries()) {
      const t = b.columns[ci]!.type;
      if (!typesEqual(t, col.type)) {
        throw new QuiverError('INVALID_INPUT', `column ${col.name} is ${typeToString(col.type)} but batch ${bi} holds ${typeToString(t)} values`);
      }
    }
  }
  const dense = batches.map((b) =>
    b.selection === null ? b.columns : b.columns.map((c) => gatherAny(c, b.selection!, b.count)),
  );
  const rows = rowCount(batches);
  const force = options.force ?? null;
  const piecesOf = (ci: number): Piece[] => {
    const pieces: Piece[] = [];
    for (const cols of dense) {
      const v = cols[ci]!;
      // A dictionary vector (a bulk load's text column) is decoded a block at a time.
      if (v.length > 0) pieces.push(v.kind === 'dictionary' ? v : flatten(v));
    }
    return pieces;
  };
  // Some columns are encoded on the block encoder thread meanwhile; their rejections are
  // observed at once, so a failure elsewhere first leaves none unhandled.
  const remote = new Map<number, Promise<EncodedBlock[]>>();
  for (const ci of encoderThreadColumns(schema, rows)) {
    const pieces = piecesOf(ci);
    const cursor = { piece: 0, row: 0 };
    const blocks: FlatVector[] = [];
    for (let start = 0; start < rows; start += blockRows) blocks.push(takeRows(pieces, cursor, Math.min(blockRows, rows - start), schema.columns[ci]!.type));
    const encoded = blockEncoderThread().encode(blocks, force);
    encoded.catch(() => undefined);
    remote.set(ci, encoded);
  }
  await fs.mkdir(dir);
  const columns: ColumnMeta[] = [];
  const written: WrittenColumn[] = [];
  // The calling thread's own columns first, while the encoder thread works on the others.
  const order = [...schema.columns.keys()].sort((a, b) => Number(remote.has(a)) - Number(remote.has(b)));
  for (const ci of order) {
    const col = schema.columns[ci]!;
    const pieces = piecesOf(ci);
    const limits = requested.has(ci) ? REQUESTED_INDEX : autoLimits;
    const builder = limits === null ? null : new BitmapIndexBuilder(ci, col.type, limits);
    const path = posix.join(dir, columnFileName(ci));
    const encoded = remote.has(ci) ? await remote.get(ci)! : null;
    const { meta, info } = await writeColumn(fs, path, col, pieces, rows, blockRows, force, builder, encoded);
    // Built while the column was encoded, unless its blocks already showed too many values.
    const data = builder?.finish() ?? null;
    let index: WrittenIndex | null = null;
    if (data !== null) {
      const bytes = encodeBitmapIndex(data);
      await writeNewFile(fs, posix.join(dir, indexFileName(ci)), bytes);
      index = { values: data.keys.length, bytes: bytes.length, requested: requested.has(ci) };
    }
    const indexSkipped =
      requested.has(ci) && index === null
        ? `column ${col.name} has more than ${MAX_INDEX_VALUES} distinct values in this part, too many for a bitmap index; its scans use zone maps`
        : null;
    columns[ci] = { ...meta, bitmapIndex: index !== null };
    written[ci] = { ...info, index, indexSkipped };
  }
  const meta: PartMeta = { rows, blockRows, columns };
  const metaBytes = encodePartMeta(meta);
  await writeNewFile(fs, posix.join(dir, PART_META_FILE), metaBytes);
  await fs.syncDirectory(dir);
  await fs.syncDirectory(posix.dirname(dir));
  const indexFiles = written.flatMap((c, i) => (c.index === null ? [] : [indexFileName(i)]));
  return { meta, rows, metaBytes: metaBytes.length, columns: written, indexFiles };
}

/** Parts from this many rows have some columns encoded on the block encoder thread. */
const ENCODER_THREAD_MIN_ROWS = 1 << 18;

/**
 * The columns the block encoder thread encodes: none for small parts or off the main thread
 * (a compaction worker encodes its own); else the larger share, counting a VARCHAR column
 * (kept on the calling thread: its strings would be copied one by one) like another: the
 * calling thread also sorted the rows and writes every file. 1.6 to 1 loaded SSB's lineorder
 * fastest here (4.8 s; 1 to 1: 5.0 s, 3 to 1: 4.9 s).
 */
function encoderThreadColumns(schema: PartSchema, rows: number): number[] {
  if (!isMainThread || rows < ENCODER_THREAD_MIN_ROWS || schema.columns.length < 2) return [];
  let local = 0;
  for (const c of schema.columns) if (physicalClass(c.type) === PhysicalClass.STRING) local++;
  let remote = 0;
  const out: number[] = [];
  for (const [ci, c] of schema.columns.entries()) {
    if (physicalClass(c.type) === PhysicalClass.STRING) continue;
    if (remote <= local * 1.6) {
      out.push(ci);
      remote++;
    } else local++;
  }
  return out;
}

function rowCount(batches: readonly Batch[]): number {
  return batches.reduce((n, b) => n + b.count, 0);
}

/** Creates the file at `path` (it MUST NOT exist) holding `bytes`, and fsyncs it. */
async function writeNewFile(fs: FileSystem, path: string, bytes: Uint8Array): Promise<void> {
  const handle = await fs.open(path, 'exclusive');
  try {
    await handle.write(bytes, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A column of one batch: flat, or a dictionary vector decoded when its rows are taken. */
type Piece = FlatVector | DictionaryVector;

/** Rows [start, start + n) of the column, as one flat vector (a view when one flat piece holds them). */
function takeRows(pieces: readonly Piece[], cursor: { piece: number; row: number }, n: number, type: LogicalType): FlatVector {
  const parts: FlatVector[] = [];
  let left = n;
  while (left > 0) {
    const p = pieces[cursor.piece]!;
    const take = Math.min(left, p.length - cursor.row);
    parts.push(p.kind === 'dictionary' ? flatten({ ...p, length: take, codes: p.codes.subarray(cursor.row, cursor.row + take) }) : slice(p, cursor.row, cursor.row + take));
    cursor.row += take;
    left -= take;
    if (cursor.row === p.length) {
      cursor.piece++;
      cursor.row = 0;
    }
  }
  return parts.length === 1 ? parts[0]! : concatFlat(type, parts);
}

function slice(v: FlatVector, start: number, end: number): FlatVector {
  if (start === 0 && end === v.length) return v;
  const data = Array.isArray(v.data) ? v.data.slice(start, end) : v.data.subarray(start, end);
  return { kind: 'flat', type: v.type, length: end - start, data, validity: v.validity === null ? null : v.validity.subarray(start, end) };
}

async function writeColumn(
  fs: FileSystem,
  path: string,
  col: { name: string; type: LogicalType },
  pieces: readonly Piece[],
  rows: number,
  blockRows: number,
  force: EncodingName | null,
  index: BitmapIndexBuilder | null,
  encoded: readonly EncodedBlock[] | null,
): Promise<{ meta: Omit<ColumnMeta, 'bitmapIndex'>; info: Omit<WrittenColumn, 'index' | 'indexSkipped'> }> {
  const handle = await fs.open(path, 'exclusive');
  const blocks: BlockMeta[] = [];
  const encodings: Partial<Record<EncodingName, number>> = {};
  const fallbacks = new Set<string>();
  let offset = 0;
  try {
    const pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const cursor = { piece: 0, row: 0 };
    for (let start = 0, k = 0; start < rows; start += blockRows, k++) {
      const n = Math.min(blockRows, rows - start);
      const values = takeRows(pieces, cursor, n, col.type);
      const block = encoded === null ? encodeBlock(values, { force }) : encoded[k]!;
      const s = block.stats;
      if (index !== null && !index.overflowed) {
        if (blockRulesOutIndex(s, index.limits.maxValues)) index.giveUp('values');
        else index.add(values);
      }
      blocks.push({
        offset,
        bytes: block.bytes.length,
        rows: n,
        nulls: s.nulls,
        distinct: s.distinct,
        encoding: block.encoding,
        sorted: s.sorted,
        min: s.min,
        max: s.max,
      });
      encodings[block.encoding] = (encodings[block.encoding] ?? 0) + 1;
      if (block.fallback !== null) fallbacks.add(block.fallback);
      offset += block.bytes.length;
      pending.push(block.bytes);
      pendingBytes += block.bytes.length;
      if (pendingBytes >= WRITE_CHUNK_BYTES) {
        await handle.append(concatBytes(pending, pendingBytes));
        pending.length = 0;
        pendingBytes = 0;
      }
    }
    if (pendingBytes > 0) await handle.append(concatBytes(pending, pendingBytes));
    await handle.sync();
  } finally {
    await handle.close();
  }
  return {
    meta: { type: col.type, fileBytes: offset, blocks },
    info: { name: col.name, bytes: offset, encodings, fallbacks: [...fallbacks] },
  };
}

function concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
