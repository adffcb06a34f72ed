// Writes an immutable part (DESIGN.md storage/): a new directory holding one file per column,
// `c<index>.bin`, with the column's encoded blocks back to back, and `part.meta`
// (part-meta.ts). Every column is cut at the same row boundaries, so block b of each column
// holds the same rows and a scan can read any subset of columns block by block.
//
// Durability: each file is written and fsynced, part.meta last, then the part directory and its
// parent are fsynced. The caller commits the part by naming it in a manifest only after
// writePart returns; a crash before that leaves at most an unreferenced directory, which
// recovery removes. Because part.meta's entry is created after every column file was fsynced,
// a part.meta that survives a crash always describes complete column files.

import { posix } from 'node:path';
import type { Batch } from '../../common/batch.js';
import { QuiverError } from '../../common/errors.js';
import { type LogicalType, typesEqual, typeToString } from '../../common/types.js';
import { concatFlat, flatten, type FlatVector, gatherAny } from '../../common/vector.js';
import { encodeBlock, MAX_BLOCK_ROWS } from '../encoding/block-codec.js';
import type { EncodingName } from '../encoding/encoding-kind.js';
import type { FileSystem } from '../fs/file-system.js';
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
}

/** What writePart wrote, per column: file size and blocks per encoding. */
export interface WrittenColumn {
  readonly name: string;
  readonly bytes: number;
  readonly encodings: Partial<Record<EncodingName, number>>;
  /** Why forced encodings fell back to plain, one entry per distinct reason. */
  readonly fallbacks: string[];
}

export interface WrittenPart {
  readonly meta: PartMeta;
  readonly rows: number;
  readonly metaBytes: number;
  readonly columns: WrittenColumn[];
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
  const rows = batches.reduce((n, b) => n + b.count, 0);
  await fs.mkdir(dir);
  const columns: ColumnMeta[] = [];
  const written: WrittenColumn[] = [];
  for (const [ci, col] of schema.columns.entries()) {
    const pieces: FlatVector[] = [];
    for (const cols of dense) {
      const v = cols[ci]!;
      if (v.length > 0) pieces.push(flatten(v));
    }
    const path = posix.join(dir, columnFileName(ci));
    const { meta, info } = await writeColumn(fs, path, col, pieces, rows, blockRows, options.force ?? null);
    columns.push(meta);
    written.push(info);
  }
  const meta: PartMeta = { rows, blockRows, columns };
  const metaBytes = encodePartMeta(meta);
  const handle = await fs.open(posix.join(dir, PART_META_FILE), 'exclusive');
  try {
    await handle.write(metaBytes, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.syncDirectory(dir);
  await fs.syncDirectory(posix.dirname(dir));
  return { meta, rows, metaBytes: metaBytes.length, columns: written };
}

/** Rows [start, start + n) of the column, as one flat vector (a view when one piece holds them). */
function takeRows(pieces: readonly FlatVector[], cursor: { piece: number; row: number }, n: number, type: LogicalType): FlatVector {
  const parts: FlatVector[] = [];
  let left = n;
  while (left > 0) {
    const p = pieces[cursor.piece]!;
    const take = Math.min(left, p.length - cursor.row);
    parts.push(slice(p, cursor.row, cursor.row + take));
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
  pieces: readonly FlatVector[],
  rows: number,
  blockRows: number,
  force: EncodingName | null,
): Promise<{ meta: ColumnMeta; info: WrittenColumn }> {
  const handle = await fs.open(path, 'exclusive');
  const blocks: BlockMeta[] = [];
  const encodings: Partial<Record<EncodingName, number>> = {};
  const fallbacks = new Set<string>();
  let offset = 0;
  try {
    const pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const cursor = { piece: 0, row: 0 };
    for (let start = 0; start < rows; start += blockRows) {
      const n = Math.min(blockRows, rows - start);
      const block = encodeBlock(takeRows(pieces, cursor, n, col.type), { force });
      const s = block.stats;
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
