// Column blocks: encodeBlock turns up to 64Ki values of one column into one self-describing,
// checksummed byte array (header, per-row validity bitmap, payload; see block-header.ts), with
// the block's statistics (its zone map) from the same pass; decodeBlock turns those bytes back
// into a Vector with typed-array copies and bit-unpacking loops, no parsing. Damaged bytes are
// an IO_ERROR saying the block is corrupt (the storage engine adds the file name), never a
// wrong answer or a crash.

import { BATCH_SIZE } from '../../common/batch.js';
import { internalError, notSupported, QuiverError } from '../../common/errors.js';
import { type LogicalType, typesEqual, typeToString } from '../../common/types.js';
import { flatten, type Vector } from '../../common/vector.js';
import { analyzeBlock, type BlockStats } from './block-analysis.js';
import { BLOCK_HEADER_SIZE, type BlockHeader, readBlockHeader, sealBlock, verifyChecksum } from './block-header.js';
import { BlockReader, corruptBlock } from './block-reader.js';
import { bitmapBytes, packBits, unpackBits } from './bitmap.js';
import { ByteWriter } from './byte-writer.js';
import { chooseEncoding } from './chooser.js';
import { encodingName, type EncodingName } from './encoding-kind.js';
import { encodingById } from './encodings.js';
import { checkData, physicalClass } from './physical-class.js';

/** Rows one block may hold: one batch. */
export const MAX_BLOCK_ROWS = BATCH_SIZE;

export interface EncodeOptions {
  /** Use this encoding when it can hold the block (else plain, with `fallback` saying why). */
  force?: EncodingName | null;
}

export interface EncodedBlock {
  readonly bytes: Uint8Array;
  readonly encoding: EncodingName;
  /** Why the forced encoding was not used; null when it was, or when none was forced. */
  readonly fallback: string | null;
  readonly stats: BlockStats;
}

// Blocks store typed arrays' bytes as they are in memory; the format is little-endian.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function checkEndianness(): void {
  if (!LITTLE_ENDIAN) throw notSupported('column blocks need a little-endian machine');
}

export function encodeBlock(values: Vector, options: EncodeOptions = {}): EncodedBlock {
  checkEndianness();
  const v = flatten(values);
  const n = v.length;
  if (n > MAX_BLOCK_ROWS) {
    throw new QuiverError('INVALID_INPUT', `a column block holds at most ${MAX_BLOCK_ROWS} rows, got ${n}; split the column into blocks first`);
  }
  const cls = physicalClass(v.type);
  checkData(v.type, cls, v.data);
  if (v.data.length < n || (v.validity !== null && v.validity.length < n)) {
    throw internalError(`a vector of ${n} rows holds ${v.data.length} values and ${v.validity?.length} validity bytes`);
  }
  const a = analyzeBlock(v, cls);
  const { encoding, fallback } = chooseEncoding(a, options.force ?? null);
  const w = new ByteWriter(BLOCK_HEADER_SIZE + bitmapBytes(n) + encoding.estimate(a) + 64);
  w.reserve(BLOCK_HEADER_SIZE);
  let validityBytes = 0;
  if (encoding.rowValidity && a.stats.nulls > 0) {
    validityBytes = bitmapBytes(n);
    packBits(v.validity!, n, w.bytesView(validityBytes));
  }
  w.align(8);
  const payloadStart = w.length;
  encoding.encode(a, w);
  const header: BlockHeader = {
    encoding: encoding.id,
    type: v.type,
    cls,
    rows: n,
    nulls: a.stats.nulls,
    wide: a.wide,
    validityBytes,
    payloadBytes: w.length - payloadStart,
  };
  const bytes = w.finish();
  sealBlock(bytes, header);
  return { bytes, encoding: encoding.name, fallback, stats: a.stats };
}

/**
 * Decodes a block. `expected`, when given, is the column's type; a block of another type is an
 * error. Plain, bitpacking and delta blocks decode to flat vectors, rle blocks to rle vectors,
 * dictionary blocks to dictionary vectors.
 */
export function decodeBlock(bytes: Uint8Array, expected?: LogicalType): Vector {
  checkEndianness();
  const h = readBlockHeader(bytes);
  verifyChecksum(bytes);
  if (expected !== undefined && !typesEqual(expected, h.type)) {
    throw corruptBlock(`it holds ${typeToString(h.type)} values but the column is ${typeToString(expected)}`);
  }
  const e = encodingById(h.encoding);
  try {
    const r = new BlockReader(bytes, BLOCK_HEADER_SIZE, bytes.length);
    let validity: Uint8Array | null = null;
    if (h.validityBytes > 0 || (e.rowValidity && h.nulls > 0)) {
      if (!e.rowValidity || h.nulls === 0 || h.validityBytes !== bitmapBytes(h.rows)) {
        throw corruptBlock(`a ${h.validityBytes}-byte validity bitmap for ${h.nulls} NULLs in ${h.rows} rows of a ${e.name} block`);
      }
      validity = unpackBits(r.take(h.validityBytes, 'validity bitmap'), h.rows);
    }
    r.align(8);
    const vector = e.decode(r, h, validity);
    r.expectEnd(`the ${e.name} payload`);
    return vector;
  } catch (err) {
    if (err instanceof QuiverError) throw err;
    throw corruptBlock(`its ${e.name} payload cannot be decoded (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** What a block's header says (for storage_info and tests), without decoding it. */
export interface BlockInfo {
  readonly encoding: EncodingName;
  readonly type: LogicalType;
  readonly rows: number;
  readonly nulls: number;
  readonly bytes: number;
}

export function blockInfo(bytes: Uint8Array): BlockInfo {
  const h = readBlockHeader(bytes);
  return { encoding: encodingName(h.encoding), type: h.type, rows: h.rows, nulls: h.nulls, bytes: bytes.length };
}
