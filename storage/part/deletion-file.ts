// A part's deletion bitmap file (DESIGN.md storage/, DELETE): which rows of an immutable part
// are deleted, one bit per part row. A part's rows never change; a DELETE writes a new file under
// a new name (database-layout.ts deletionFileName) and the manifest commit that names it is the
// switch, so a reader pinned to an older version keeps its file. Compaction drops the deleted
// rows and with them the file.
//
// Layout (little-endian): u32 magic 0x4c454451 ("QDEL" in file order), u16 version (1), u16 0,
// u32 rows, u32 CRC32 of the bits, then ceil(rows / 8) bytes of bits (least significant first).
// In memory a mask is one byte per row (nonzero = deleted), as scans and the store use it.

import { crc32 } from 'node:zlib';
import { QuiverError } from '../../common/errors.js';
import { bitmapBytes, packBits, unpackBits } from '../encoding/bitmap.js';

const MAGIC = 0x4c454451;
const VERSION = 1;
const HEADER = 16;

/** The file bytes of a deletion mask (one byte per part row, nonzero = deleted). */
export function encodeDeletionMask(mask: Uint8Array): Uint8Array {
  const rows = mask.length;
  const out = new Uint8Array(HEADER + bitmapBytes(rows));
  const bits = out.subarray(HEADER);
  packBits(mask, rows, bits);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint16(4, VERSION, true);
  view.setUint32(8, rows, true);
  view.setUint32(12, crc32(bits), true);
  return out;
}

/** Decodes a deletion file of a part of `rows` rows; damage is an IO_ERROR naming `path`. */
export function decodeDeletionMask(bytes: Uint8Array, rows: number, path: string): Uint8Array {
  const bad = (detail: string) => new QuiverError('IO_ERROR', `deletion file ${path} is damaged: ${detail}`);
  if (bytes.length < HEADER) throw bad(`it has ${bytes.length} bytes, fewer than its ${HEADER}-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw bad('wrong magic number');
  const version = view.getUint16(4, true);
  if (version !== VERSION) throw bad(`format version ${version} is not one this version reads (${VERSION})`);
  const stored = view.getUint32(8, true);
  if (stored !== rows) throw bad(`it covers ${stored} rows, the part has ${rows}`);
  if (bytes.length !== HEADER + bitmapBytes(rows)) throw bad(`it has ${bytes.length} bytes, ${HEADER + bitmapBytes(rows)} expected`);
  const bits = bytes.subarray(HEADER);
  if (crc32(bits) !== view.getUint32(12, true)) throw bad('checksum mismatch');
  return unpackBits(bits, rows);
}
