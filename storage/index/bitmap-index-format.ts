// The bitmap index file of one column of a part (`i<column>.idx` in the part directory): per
// distinct value of the column, the value and a roaring bitmap of the part rows that hold it,
// plus one bitmap of the rows that are NULL. Bitmaps are roaring's portable serialization (the
// format the Java, Go and C implementations share), so the files do not depend on this library.
//
// A reader reads the header and the directory first (one read for small files), and then only
// the bitmaps a predicate needs, each with its own checksum; the directory is checksummed with
// the header.
//
// Layout (little-endian):
//   header, 48 bytes
//     0  u32  magic 0x58444951 ("QIDX" in file order)
//     4  u16  format version (1)
//     6  u16  reserved, 0
//     8  u32  bytes of the header and the directory
//     12 u32  CRC32 of bytes 0..12 and 16..(end of the directory)
//     16 f64  rows of the part
//     24 f64  length of the whole file in bytes
//     32 u32  distinct non-NULL values
//     36 u8   type code (as in block headers), u8 DECIMAL precision, u8 scale, u8 reserved
//     40 u32  the column's index in the part
//     44 u32  reserved, 0
//   directory: the NULL entry, then one entry per value in ascending key order (index-key.ts),
//     each: [the value as a tagged scalar: u8 tag (1 f64, 2 i64, 3 UTF-8 string, 4 UTF-16
//     string, for text with lone surrogates: exact-text.ts) and 8 bytes, or u32 length + the
//     text's bytes — absent in the NULL entry], f64 offset of its bitmap,
//     u32 bitmap bytes, u32 CRC32 of the bitmap bytes, u32 rows in the bitmap
//   the bitmaps, back to back in directory order, the first right after the directory.
// Every row of the part is in exactly one bitmap, so the entries' row counts add up to the rows.

import { crc32 } from 'node:zlib';
import { internalError, QuiverError } from '../../common/errors.js';
import { decimalType, type LogicalType, T, TypeId, typeToString } from '../../common/types.js';
import { TYPE_CODES, TYPES_BY_CODE } from '../encoding/block-header.js';
import { fromUtf16Bytes, utf16Bytes, utf8Bytes, utf8Exact } from './exact-text.js';
import { compareKeys, type IndexKey, KeyDomain, keyDomain, storedKey } from './index-key.js';
import { RoaringBitmap32 } from './roaring.js';

export const BITMAP_INDEX_MAGIC = 0x58444951;
export const BITMAP_INDEX_VERSION = 1;
export const BITMAP_INDEX_HEADER_SIZE = 48;
const CRC_OFFSET = 12;
const ENTRY_FIXED_SIZE = 20;

const enum Tag {
  F64 = 1,
  I64 = 2,
  STRING = 3,
  UTF16 = 4,
}

/** An index as built (bitmap-index-builder.ts): keys ascending, one bitmap per key. */
export interface BitmapIndexData {
  readonly column: number;
  readonly type: LogicalType;
  readonly rows: number;
  readonly keys: readonly IndexKey[];
  readonly bitmaps: readonly RoaringBitmap32[];
  readonly nulls: RoaringBitmap32;
}

/** Where a bitmap lies in the file and what it holds. */
export interface BitmapEntry {
  readonly offset: number;
  readonly bytes: number;
  readonly crc: number;
  readonly rows: number;
}

/** The header and directory of an index file. */
export interface BitmapIndexDirectory {
  readonly column: number;
  readonly type: LogicalType;
  readonly rows: number;
  readonly fileBytes: number;
  /** Bytes of the header and the directory; the first bitmap starts here. */
  readonly directoryBytes: number;
  readonly keys: readonly IndexKey[];
  /** Parallel to keys. */
  readonly entries: readonly BitmapEntry[];
  readonly nulls: BitmapEntry;
}

const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

export function encodeBitmapIndex(data: BitmapIndexData): Uint8Array {
  const domain = keyDomain(data.type);
  const code = TYPE_CODES[data.type.id];
  if (code === undefined) throw internalError(`a ${typeToString(data.type)} column cannot have a bitmap index`);
  if (data.keys.length !== data.bitmaps.length) throw internalError('bitmap index keys and bitmaps differ in number');
  const keyBytes = data.keys.map((k) => (typeof k !== 'string' ? null : utf8Exact(k) ? { tag: Tag.STRING, bytes: utf8Bytes(k) } : { tag: Tag.UTF16, bytes: utf16Bytes(k) }));
  const serialized = [data.nulls, ...data.bitmaps].map((b) => b.serialize('portable'));
  let directoryBytes = BITMAP_INDEX_HEADER_SIZE + ENTRY_FIXED_SIZE;
  for (const k of keyBytes) directoryBytes += ENTRY_FIXED_SIZE + (k === null ? 9 : 5 + k.bytes.length);
  let size = directoryBytes;
  for (const s of serialized) size += s.length;
  const bytes = new Uint8Array(size);
  const v = new DataView(bytes.buffer);
  v.setUint32(0, BITMAP_INDEX_MAGIC, true);
  v.setUint16(4, BITMAP_INDEX_VERSION, true);
  v.setUint32(8, directoryBytes, true);
  v.setFloat64(16, data.rows, true);
  v.setFloat64(24, size, true);
  v.setUint32(32, data.keys.length, true);
  v.setUint8(36, code);
  v.setUint8(37, data.type.precision ?? 0);
  v.setUint8(38, data.type.scale ?? 0);
  v.setUint32(40, data.column, true);
  let at = BITMAP_INDEX_HEADER_SIZE;
  let offset = directoryBytes;
  for (let e = 0; e < serialized.length; e++) {
    if (e > 0) {
      const k = data.keys[e - 1]!;
      const text = keyBytes[e - 1]!;
      if (text !== null) {
        v.setUint8(at, text.tag);
        v.setUint32(at + 1, text.bytes.length, true);
        bytes.set(text.bytes, at + 5);
        at += 5 + text.bytes.length;
      } else if (domain === KeyDomain.FLOAT) {
        v.setUint8(at, Tag.F64);
        v.setFloat64(at + 1, k as number, true);
        at += 9;
      } else {
        if (typeof k === 'number' && !Number.isInteger(k)) throw internalError(`the ${typeToString(data.type)} value ${k} of a bitmap index is not an integer`);
        v.setUint8(at, Tag.I64);
        v.setBigInt64(at + 1, BigInt(k), true);
        at += 9;
      }
    }
    const s = serialized[e]!;
    v.setFloat64(at, offset, true);
    v.setUint32(at + 8, s.length, true);
    v.setUint32(at + 12, crc32(s), true);
    v.setUint32(at + 16, (e === 0 ? data.nulls : data.bitmaps[e - 1]!).size, true);
    at += ENTRY_FIXED_SIZE;
    bytes.set(s, offset);
    offset += s.length;
  }
  if (at !== directoryBytes || offset !== size) throw internalError(`bitmap index writer filled ${at} of ${directoryBytes} directory bytes`);
  v.setUint32(CRC_OFFSET, directoryChecksum(bytes.subarray(0, directoryBytes)), true);
  return bytes;
}

function directoryChecksum(bytes: Uint8Array): number {
  return crc32(bytes.subarray(CRC_OFFSET + 4), crc32(bytes.subarray(0, CRC_OFFSET)));
}

export const corruptIndex = (path: string, detail: string) => new QuiverError('IO_ERROR', `corrupt bitmap index file ${path}: ${detail}`);

/** Bytes of the header and directory, from the first BITMAP_INDEX_HEADER_SIZE bytes (or more). */
export function directoryLength(head: Uint8Array, fileBytes: number, path: string): number {
  if (fileBytes < BITMAP_INDEX_HEADER_SIZE || head.length < BITMAP_INDEX_HEADER_SIZE) {
    throw corruptIndex(path, `it is ${fileBytes} bytes long, shorter than its ${BITMAP_INDEX_HEADER_SIZE}-byte header`);
  }
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = v.getUint32(0, true);
  if (magic !== BITMAP_INDEX_MAGIC) throw corruptIndex(path, `it does not start with the bitmap index magic number (found 0x${magic.toString(16)})`);
  const version = v.getUint16(4, true);
  if (version !== BITMAP_INDEX_VERSION) throw corruptIndex(path, `format version ${version} is not supported (this build reads version ${BITMAP_INDEX_VERSION})`);
  const n = v.getUint32(8, true);
  if (n < BITMAP_INDEX_HEADER_SIZE || n > fileBytes) throw corruptIndex(path, `its directory length ${n} does not fit the file of ${fileBytes} bytes`);
  return n;
}

/** Decodes the header and directory (`bytes` = exactly directoryLength bytes); any damage is an
 *  IO_ERROR naming `path`. */
export function decodeBitmapIndexDirectory(bytes: Uint8Array, fileBytes: number, path: string): BitmapIndexDirectory {
  const corrupt = (detail: string) => corruptIndex(path, detail);
  const directoryBytes = directoryLength(bytes, fileBytes, path);
  if (bytes.length !== directoryBytes) throw internalError(`bitmap index directory of ${path} handed over as ${bytes.length} of ${directoryBytes} bytes`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stored = v.getUint32(CRC_OFFSET, true);
  const actual = directoryChecksum(bytes);
  if (stored !== actual) {
    throw corrupt(`header checksum mismatch (stored 0x${stored.toString(16)}, computed 0x${actual.toString(16)}); the file is damaged`);
  }
  const rows = v.getFloat64(16, true);
  const length = v.getFloat64(24, true);
  if (length !== fileBytes) throw corrupt(`it is ${fileBytes} bytes long, its header says ${length}`);
  if (!Number.isSafeInteger(rows) || rows < 0 || rows > 0xffffffff) throw corrupt(`bad row count ${rows}`);
  const count = v.getUint32(32, true);
  const type = typeOf(v.getUint8(36), v.getUint8(37), v.getUint8(38), corrupt);
  const column = v.getUint32(40, true);
  const domain = keyDomain(type);
  let at = BITMAP_INDEX_HEADER_SIZE;
  const need = (n: number, what: string): number => {
    const start = at;
    if (start + n > bytes.length) throw corrupt(`${what} at offset ${start} runs past the end of the directory`);
    at += n;
    return start;
  };
  let end = directoryBytes;
  let total = 0;
  const entry = (what: string): BitmapEntry => {
    const a = need(ENTRY_FIXED_SIZE, what);
    const e = { offset: v.getFloat64(a, true), bytes: v.getUint32(a + 8, true), crc: v.getUint32(a + 12, true), rows: v.getUint32(a + 16, true) };
    if (e.offset !== end) throw corrupt(`the bitmap of ${what} starts at byte ${e.offset}, the previous one ends at ${end}`);
    end += e.bytes;
    total += e.rows;
    return e;
  };
  const nulls = entry('NULL');
  const keys: IndexKey[] = [];
  const entries: BitmapEntry[] = [];
  for (let i = 0; i < count; i++) {
    const what = `value ${i}`;
    const tag = v.getUint8(need(1, what));
    let key: IndexKey;
    if (tag === Tag.STRING && domain === KeyDomain.STRING) {
      const n = v.getUint32(need(4, what), true);
      const start = need(n, what);
      key = fromUtf8.decode(bytes.subarray(start, start + n));
    } else if (tag === Tag.UTF16 && domain === KeyDomain.STRING) {
      const n = v.getUint32(need(4, what), true);
      if (n % 2 !== 0) throw corrupt(`${what} is UTF-16 text of an odd ${n} bytes`);
      const start = need(n, what);
      key = fromUtf16Bytes(bytes.subarray(start, start + n));
    } else if (tag === Tag.F64 && domain === KeyDomain.FLOAT) {
      key = storedKey(domain, v.getFloat64(need(8, what), true));
    } else if (tag === Tag.I64 && domain === KeyDomain.INTEGER) {
      key = storedKey(domain, v.getBigInt64(need(8, what), true));
    } else {
      throw corrupt(`${what} has value tag ${tag}, which a ${typeToString(type)} column cannot hold`);
    }
    if (keys.length > 0 && compareKeys(keys[keys.length - 1]!, key) >= 0) throw corrupt(`${what} is not above the value before it`);
    keys.push(key);
    entries.push(entry(what));
  }
  if (at !== directoryBytes) throw corrupt(`${directoryBytes - at} bytes follow the last directory entry`);
  if (end !== fileBytes) throw corrupt(`its bitmaps end at byte ${end}, the file at ${fileBytes}`);
  if (total !== rows) throw corrupt(`its bitmaps hold ${total} rows, the part has ${rows}`);
  return { column, type, rows, fileBytes, directoryBytes, keys, entries, nulls };
}

/** Deserializes one bitmap (`bytes` = exactly its bytes in the file) and checks it. */
export function decodeBitmap(bytes: Uint8Array, entry: BitmapEntry, rows: number, path: string, what: string): RoaringBitmap32 {
  const corrupt = (detail: string) => corruptIndex(path, `the bitmap of ${what} (bytes ${entry.offset}..${entry.offset + entry.bytes}) ${detail}`);
  const actual = crc32(bytes);
  if (actual !== entry.crc) throw corrupt(`fails its checksum (stored 0x${entry.crc.toString(16)}, computed 0x${actual.toString(16)}); the file is damaged`);
  let b: RoaringBitmap32;
  try {
    b = RoaringBitmap32.deserialize(bytes, 'portable');
  } catch (e) {
    throw corrupt(`cannot be deserialized (${e instanceof Error ? e.message : String(e)})`);
  }
  if (b.size !== entry.rows || (b.size > 0 && b.maximum() >= rows)) throw corrupt(`holds ${b.size} rows up to ${b.size > 0 ? b.maximum() : '-'}, the directory says ${entry.rows} of ${rows}`);
  return b;
}

function typeOf(code: number, precision: number, scale: number, corrupt: (d: string) => QuiverError): LogicalType {
  const id = TYPES_BY_CODE.get(code);
  if (id === undefined) throw corrupt(`unknown type code ${code}`);
  if (id === TypeId.DECIMAL) {
    if (precision < 1 || precision > 38 || scale > precision) throw corrupt(`type DECIMAL(${precision},${scale})`);
    return decimalType(precision, scale);
  }
  return T[id as keyof typeof T];
}
