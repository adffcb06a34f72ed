// The binary metadata file of a part (`part.meta`, DESIGN.md storage/): what a reader needs to
// plan a scan without touching the column files — row count, per column its type and file size,
// per block its place in the column file, its encoding and its zone map (min, max, NULL count,
// distinct count, sortedness). It is read with one read into a buffer and decoded with a
// DataView; no JSON or text parsing on the read path.
//
// Layout (little-endian):
//   header, 32 bytes
//     0  u32  magic 0x54525051 ("QPRT" in file order)
//     4  u16  format version (1)
//     6  u16  reserved, 0
//     8  u32  length of the whole file in bytes
//     12 u32  CRC32 of bytes 0..12 and 16..end
//     16 f64  rows
//     24 u32  columns
//     28 u32  rows per block the writer aimed for
//   per column, 16 bytes: u8 type code, u8 DECIMAL precision, u8 scale, u8 flags (bit 0: a
//     bitmap index file was written with the part), u32 blocks, f64 bytes of the column file;
//     then its blocks, each
//     f64 offset, u32 bytes, u32 rows, u32 NULLs, u32 distinct, u8 encoding id,
//     u8 flags (bit 0 = sorted), u16 reserved, then min and max as tagged values:
//     u8 tag (0 NULL, 1 f64, 2 i64, 3 UTF-8 string, 4 UTF-16 string) and 8 bytes, or u32 length
//     + the text's bytes. A string with a lone surrogate, which UTF-8 cannot hold, is stored as
//     its UTF-16 code units (storage/index/exact-text.ts).
//
// The column flags byte was reserved (always 0) before bitmap indexes came, so older files read
// as parts without indexes and the format version stays 1; unknown flag bits are refused.

import { crc32 } from 'node:zlib';
import { internalError, QuiverError } from '../../common/errors.js';
import { decimalType, type LogicalType, T, TypeId, typeToString } from '../../common/types.js';
import type { Scalar } from '../../common/vector.js';
import { EncodingId, encodingName, type EncodingName } from '../encoding/encoding-kind.js';
import { TYPE_CODES, TYPES_BY_CODE } from '../encoding/block-header.js';
import { fromUtf16Bytes, utf16Bytes, utf8Bytes, utf8Exact } from '../index/exact-text.js';

export const PART_META_MAGIC = 0x54525051;
export const PART_META_VERSION = 1;
const HEADER_SIZE = 32;
const CRC_OFFSET = 12;
const COLUMN_SIZE = 16;
const BLOCK_FIXED_SIZE = 28;
const FLAG_SORTED = 1;
const COLUMN_FLAG_BITMAP_INDEX = 1;
const KNOWN_COLUMN_FLAGS = COLUMN_FLAG_BITMAP_INDEX;

const enum Tag {
  NULL = 0,
  F64 = 1,
  I64 = 2,
  STRING = 3,
  UTF16 = 4,
}


const ENCODING_IDS = new Map<EncodingName, EncodingId>(
  (Object.values(EncodingId).filter((v) => typeof v === 'number') as EncodingId[]).map((id) => [encodingName(id), id]),
);

/** One block of one column: where it is and what its values can be. */
export interface BlockMeta {
  readonly offset: number;
  readonly bytes: number;
  readonly rows: number;
  readonly nulls: number;
  readonly distinct: number;
  readonly encoding: EncodingName;
  readonly sorted: boolean;
  /** Smallest / largest non-NULL value; null when every row is NULL. */
  readonly min: Scalar;
  readonly max: Scalar;
}

export interface ColumnMeta {
  readonly type: LogicalType;
  /** Bytes of the column file: its blocks back to back. */
  readonly fileBytes: number;
  readonly blocks: readonly BlockMeta[];
  /** A bitmap index file (storage/index/) was written with the part; it MUST exist. */
  readonly bitmapIndex: boolean;
}

export interface PartMeta {
  readonly rows: number;
  readonly blockRows: number;
  /** Every column has the same number of blocks, and block b holds the same rows in each. */
  readonly columns: readonly ColumnMeta[];
}

const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The stored bytes of a string and their tag. */
function textOf(s: string): { tag: Tag; bytes: Uint8Array } {
  return utf8Exact(s) ? { tag: Tag.STRING, bytes: utf8Bytes(s) } : { tag: Tag.UTF16, bytes: utf16Bytes(s) };
}

function scalarSize(v: Scalar): number {
  if (typeof v === 'string') return 5 + textOf(v).bytes.length;
  return v === null ? 1 : 9;
}

export function encodePartMeta(meta: PartMeta): Uint8Array {
  let size = HEADER_SIZE;
  for (const c of meta.columns) {
    size += COLUMN_SIZE;
    for (const b of c.blocks) size += BLOCK_FIXED_SIZE + scalarSize(b.min) + scalarSize(b.max);
  }
  const bytes = new Uint8Array(size);
  const v = new DataView(bytes.buffer);
  v.setUint32(0, PART_META_MAGIC, true);
  v.setUint16(4, PART_META_VERSION, true);
  v.setUint32(8, size, true);
  v.setFloat64(16, meta.rows, true);
  v.setUint32(24, meta.columns.length, true);
  v.setUint32(28, meta.blockRows, true);
  let at = HEADER_SIZE;
  const putScalar = (s: Scalar): void => {
    if (s === null) {
      v.setUint8(at++, Tag.NULL);
    } else if (typeof s === 'number') {
      v.setUint8(at, Tag.F64);
      v.setFloat64(at + 1, s, true);
      at += 9;
    } else if (typeof s === 'bigint') {
      v.setUint8(at, Tag.I64);
      v.setBigInt64(at + 1, s, true);
      at += 9;
    } else if (typeof s === 'string') {
      const text = textOf(s);
      v.setUint8(at, text.tag);
      v.setUint32(at + 1, text.bytes.length, true);
      bytes.set(text.bytes, at + 5);
      at += 5 + text.bytes.length;
    } else {
      throw internalError('an INTERVAL cannot be a zone-map value');
    }
  };
  for (const c of meta.columns) {
    const code = TYPE_CODES[c.type.id];
    if (code === undefined) throw internalError(`a ${typeToString(c.type)} column cannot be stored in a part`);
    v.setUint8(at, code);
    v.setUint8(at + 1, c.type.precision ?? 0);
    v.setUint8(at + 2, c.type.scale ?? 0);
    v.setUint8(at + 3, c.bitmapIndex ? COLUMN_FLAG_BITMAP_INDEX : 0);
    v.setUint32(at + 4, c.blocks.length, true);
    v.setFloat64(at + 8, c.fileBytes, true);
    at += COLUMN_SIZE;
    for (const b of c.blocks) {
      v.setFloat64(at, b.offset, true);
      v.setUint32(at + 8, b.bytes, true);
      v.setUint32(at + 12, b.rows, true);
      v.setUint32(at + 16, b.nulls, true);
      v.setUint32(at + 20, b.distinct, true);
      v.setUint8(at + 24, ENCODING_IDS.get(b.encoding)!);
      v.setUint8(at + 25, b.sorted ? FLAG_SORTED : 0);
      at += BLOCK_FIXED_SIZE;
      putScalar(b.min);
      putScalar(b.max);
    }
  }
  if (at !== size) throw internalError(`part.meta writer filled ${at} of ${size} bytes`);
  v.setUint32(CRC_OFFSET, checksum(bytes), true);
  return bytes;
}

function checksum(bytes: Uint8Array): number {
  return crc32(bytes.subarray(CRC_OFFSET + 4), crc32(bytes.subarray(0, CRC_OFFSET)));
}

/** Decodes part.meta; any damage is an IO_ERROR naming `path`. */
export function decodePartMeta(bytes: Uint8Array, path: string): PartMeta {
  const corrupt = (detail: string) => new QuiverError('IO_ERROR', `corrupt part metadata file ${path}: ${detail}`);
  if (bytes.length < HEADER_SIZE) throw corrupt(`it is ${bytes.length} bytes long, shorter than its ${HEADER_SIZE}-byte header`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = v.getUint32(0, true);
  if (magic !== PART_META_MAGIC) throw corrupt(`it does not start with the part metadata magic number (found 0x${magic.toString(16)})`);
  const version = v.getUint16(4, true);
  if (version !== PART_META_VERSION) throw corrupt(`format version ${version} is not supported (this build reads version ${PART_META_VERSION})`);
  const length = v.getUint32(8, true);
  if (length !== bytes.length) throw corrupt(`it is ${bytes.length} bytes long, its header says ${length}`);
  const stored = v.getUint32(CRC_OFFSET, true);
  const actual = checksum(bytes);
  if (stored !== actual) {
    throw corrupt(`checksum mismatch (stored 0x${stored.toString(16)}, computed 0x${actual.toString(16)}); the file is damaged`);
  }
  let at = HEADER_SIZE;
  // The checksum vouches for the bytes; the bounds checks keep a writer bug from becoming a RangeError.
  const need = (n: number, what: string): number => {
    const start = at;
    if (start + n > bytes.length) throw corrupt(`${what} at offset ${start} runs past the end of the file`);
    at += n;
    return start;
  };
  const getScalar = (what: string): Scalar => {
    const tag = v.getUint8(need(1, what));
    switch (tag) {
      case Tag.NULL:
        return null;
      case Tag.F64:
        return v.getFloat64(need(8, what), true);
      case Tag.I64:
        return v.getBigInt64(need(8, what), true);
      case Tag.STRING: {
        const n = v.getUint32(need(4, what), true);
        const start = need(n, what);
        return fromUtf8.decode(bytes.subarray(start, start + n));
      }
      case Tag.UTF16: {
        const n = v.getUint32(need(4, what), true);
        if (n % 2 !== 0) throw corrupt(`${what} is UTF-16 text of an odd ${n} bytes`);
        const start = need(n, what);
        return fromUtf16Bytes(bytes.subarray(start, start + n));
      }
      default:
        throw corrupt(`${what} has unknown value tag ${tag}`);
    }
  };
  const rows = v.getFloat64(16, true);
  const columnCount = v.getUint32(24, true);
  const blockRows = v.getUint32(28, true);
  if (!Number.isSafeInteger(rows) || rows < 0) throw corrupt(`bad row count ${rows}`);
  const columns: ColumnMeta[] = [];
  for (let c = 0; c < columnCount; c++) {
    const ca = need(COLUMN_SIZE, `column ${c}`);
    const type = typeOf(v.getUint8(ca), v.getUint8(ca + 1), v.getUint8(ca + 2), corrupt, c);
    const flags = v.getUint8(ca + 3);
    if ((flags & ~KNOWN_COLUMN_FLAGS) !== 0) throw corrupt(`column ${c} has unknown flags 0x${flags.toString(16)}`);
    const blockCount = v.getUint32(ca + 4, true);
    const fileBytes = v.getFloat64(ca + 8, true);
    const blocks: BlockMeta[] = [];
    let end = 0;
    let total = 0;
    for (let b = 0; b < blockCount; b++) {
      const ba = need(BLOCK_FIXED_SIZE, `block ${b} of column ${c}`);
      const id = v.getUint8(ba + 24) as EncodingId;
      if (EncodingId[id] === undefined) throw corrupt(`block ${b} of column ${c} has unknown encoding id ${id}`);
      const block: BlockMeta = {
        offset: v.getFloat64(ba, true),
        bytes: v.getUint32(ba + 8, true),
        rows: v.getUint32(ba + 12, true),
        nulls: v.getUint32(ba + 16, true),
        distinct: v.getUint32(ba + 20, true),
        encoding: encodingName(id),
        sorted: (v.getUint8(ba + 25) & FLAG_SORTED) !== 0,
        min: getScalar(`the minimum of block ${b} of column ${c}`),
        max: getScalar(`the maximum of block ${b} of column ${c}`),
      };
      if (block.offset !== end || block.nulls > block.rows) throw corrupt(`block ${b} of column ${c} is inconsistent`);
      end += block.bytes;
      total += block.rows;
      blocks.push(block);
    }
    if (end !== fileBytes || total !== rows) {
      throw corrupt(`the blocks of column ${c} hold ${total} rows in ${end} bytes, the metadata says ${rows} rows in ${fileBytes} bytes`);
    }
    if (c > 0) {
      const first = columns[0]!.blocks;
      if (first.length !== blockCount || first.some((fb, b) => fb.rows !== blocks[b]!.rows)) {
        throw corrupt(`column ${c} is not split into the same blocks as column 0`);
      }
    }
    columns.push({ type, fileBytes, blocks, bitmapIndex: (flags & COLUMN_FLAG_BITMAP_INDEX) !== 0 });
  }
  if (at !== bytes.length) throw corrupt(`${bytes.length - at} bytes follow the last column`);
  return { rows, blockRows, columns };
}

function typeOf(code: number, precision: number, scale: number, corrupt: (d: string) => QuiverError, c: number): LogicalType {
  const id = TYPES_BY_CODE.get(code);
  if (id === undefined) throw corrupt(`column ${c} has unknown type code ${code}`);
  if (id === TypeId.DECIMAL) {
    if (precision < 1 || precision > 38 || scale > precision) throw corrupt(`column ${c} has type DECIMAL(${precision},${scale})`);
    return decimalType(precision, scale);
  }
  return T[id as keyof typeof T];
}
