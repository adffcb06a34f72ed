// The fixed 32-byte header every block starts with (little-endian), and the checksum over the
// whole block. Layout:
//
//   0  u8   magic 0x51 ('Q'): anything else is not a Quiver block
//   1  u8   format version (1)
//   2  u8   encoding id (encoding-kind.ts)
//   3  u8   logical type code (TYPE_CODES below)
//   4  u8   DECIMAL precision (0 for other types)
//   5  u8   DECIMAL scale
//   6  u8   flags: bit 0 = values held as int64 (a BIGINT/DECIMAL block with some |v| > 2^53)
//   7  u8   reserved, 0
//   8  u32  rows
//   12 u32  NULL rows
//   16 u32  validity bytes: the per-row validity bitmap that follows the header (0 = none)
//   20 u32  payload bytes: the encoding's payload, after the bitmap padded to 8 bytes
//   24 u32  reserved, 0
//   28 u32  CRC32 of bytes 0..28 and of everything after the header
//
// A block is exactly 32 + pad8(validity bytes) + payload bytes long.

import { internalError } from '../../common/errors.js';
import { decimalType, type LogicalType, T, TypeId } from '../../common/types.js';
import { crc32 } from 'node:zlib';
import { corruptBlock } from './block-reader.js';
import { EncodingId } from './encoding-kind.js';
import { PhysicalClass, physicalClass } from './physical-class.js';

export const BLOCK_MAGIC = 0x51;
export const BLOCK_FORMAT_VERSION = 1;
export const BLOCK_HEADER_SIZE = 32;
const CRC_OFFSET = 28;
const FLAG_WIDE = 1;

/** Stable codes of the storable types (block headers and part metadata); like encoding ids
 *  they MUST never be renumbered. */
export const TYPE_CODES: Partial<Record<TypeId, number>> = {
  [TypeId.BOOLEAN]: 1,
  [TypeId.SMALLINT]: 2,
  [TypeId.INTEGER]: 3,
  [TypeId.BIGINT]: 4,
  [TypeId.REAL]: 5,
  [TypeId.DOUBLE]: 6,
  [TypeId.DECIMAL]: 7,
  [TypeId.DATE]: 8,
  [TypeId.TIMESTAMP]: 9,
  [TypeId.TIMESTAMPTZ]: 10,
  [TypeId.VARCHAR]: 11,
  [TypeId.NULL]: 12,
};
export const TYPES_BY_CODE = new Map<number, TypeId>(Object.entries(TYPE_CODES).map(([id, code]) => [code, id as TypeId]));

export interface BlockHeader {
  readonly encoding: EncodingId;
  readonly type: LogicalType;
  readonly cls: PhysicalClass;
  readonly rows: number;
  readonly nulls: number;
  /** BIGINT/DECIMAL values decode to BigInt64Array (else Float64Array). */
  readonly wide: boolean;
  readonly validityBytes: number;
  readonly payloadBytes: number;
}

export const pad8 = (n: number) => (n + 7) & ~7;

/** Bytes of a whole block with this header. */
export function blockLength(h: Pick<BlockHeader, 'validityBytes' | 'payloadBytes'>): number {
  return BLOCK_HEADER_SIZE + pad8(h.validityBytes) + h.payloadBytes;
}

/** Fills in the header of a finished block (bytes 0..32 of `block`) and its checksum. */
export function sealBlock(block: Uint8Array, h: BlockHeader): void {
  const code = TYPE_CODES[h.type.id];
  if (code === undefined) throw internalError(`a ${h.type.id} column cannot be stored in blocks`);
  const v = new DataView(block.buffer, block.byteOffset, BLOCK_HEADER_SIZE);
  v.setUint8(0, BLOCK_MAGIC);
  v.setUint8(1, BLOCK_FORMAT_VERSION);
  v.setUint8(2, h.encoding);
  v.setUint8(3, code);
  v.setUint8(4, h.type.precision ?? 0);
  v.setUint8(5, h.type.scale ?? 0);
  v.setUint8(6, h.wide ? FLAG_WIDE : 0);
  v.setUint8(7, 0);
  v.setUint32(8, h.rows, true);
  v.setUint32(12, h.nulls, true);
  v.setUint32(16, h.validityBytes, true);
  v.setUint32(20, h.payloadBytes, true);
  v.setUint32(24, 0, true);
  v.setUint32(CRC_OFFSET, checksum(block), true);
}

function checksum(block: Uint8Array): number {
  const head = crc32(block.subarray(0, CRC_OFFSET));
  return crc32(block.subarray(BLOCK_HEADER_SIZE), head);
}

/**
 * Reads and checks a block's header: the magic byte, the version, the ids, and that the block is
 * exactly as long as the header says (a truncated or padded block is an error). It does not
 * verify the checksum (see verifyChecksum).
 */
export function readBlockHeader(block: Uint8Array): BlockHeader {
  if (block.length < BLOCK_HEADER_SIZE) {
    throw corruptBlock(`it is ${block.length} bytes long, shorter than its ${BLOCK_HEADER_SIZE}-byte header`);
  }
  const v = new DataView(block.buffer, block.byteOffset, BLOCK_HEADER_SIZE);
  const magic = v.getUint8(0);
  if (magic !== BLOCK_MAGIC) {
    throw corruptBlock(`it does not start with a Quiver block header (magic byte 0x${magic.toString(16)}, expected 0x${BLOCK_MAGIC.toString(16)})`);
  }
  const version = v.getUint8(1);
  if (version !== BLOCK_FORMAT_VERSION) {
    throw corruptBlock(`format version ${version} is not supported (this build reads version ${BLOCK_FORMAT_VERSION})`);
  }
  const encoding = v.getUint8(2);
  if (EncodingId[encoding] === undefined) {
    throw corruptBlock(`unknown encoding id ${encoding}`);
  }
  const typeId = TYPES_BY_CODE.get(v.getUint8(3));
  if (typeId === undefined) throw corruptBlock(`unknown type code ${v.getUint8(3)}`);
  const precision = v.getUint8(4);
  const scale = v.getUint8(5);
  let type: LogicalType;
  if (typeId === TypeId.DECIMAL) {
    if (precision < 1 || precision > 38 || scale > precision) throw corruptBlock(`bad DECIMAL(${precision},${scale})`);
    type = decimalType(precision, scale);
  } else {
    if (precision !== 0 || scale !== 0) throw corruptBlock(`precision/scale set for ${typeId}`);
    type = T[typeId as keyof typeof T];
  }
  const flags = v.getUint8(6);
  const cls = physicalClass(type);
  if ((flags & ~FLAG_WIDE) !== 0 || v.getUint8(7) !== 0 || v.getUint32(24, true) !== 0) throw corruptBlock(`unknown flags`);
  const wide = (flags & FLAG_WIDE) !== 0;
  if (wide && cls !== PhysicalClass.WIDE) throw corruptBlock(`int64 flag set for ${typeId}`);
  const h: BlockHeader = {
    encoding: encoding as EncodingId,
    type,
    cls,
    rows: v.getUint32(8, true),
    nulls: v.getUint32(12, true),
    wide,
    validityBytes: v.getUint32(16, true),
    payloadBytes: v.getUint32(20, true),
  };
  if (h.nulls > h.rows) throw corruptBlock(`${h.nulls} NULLs in ${h.rows} rows`);
  const expected = blockLength(h);
  if (block.length !== expected) {
    throw corruptBlock(
      block.length < expected
        ? `it is truncated: ${block.length} bytes, its header says ${expected}`
        : `it is ${block.length} bytes long, its header says ${expected}`,
    );
  }
  return h;
}

/** Throws unless the block's checksum matches its bytes. */
export function verifyChecksum(block: Uint8Array): void {
  const stored = new DataView(block.buffer, block.byteOffset, BLOCK_HEADER_SIZE).getUint32(CRC_OFFSET, true);
  const actual = checksum(block);
  if (stored !== actual) {
    throw corruptBlock(`checksum mismatch (stored 0x${stored.toString(16)}, computed 0x${actual.toString(16)}); the data is damaged`);
  }
}
