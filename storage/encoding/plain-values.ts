// Values in their plain layout, the form every encoding stores its values in: plain.ts for all
// rows, rle.ts for one value per run, dictionary.ts for the dictionary entries.
//   BOOLEAN            bits (bitmap.ts)
//   Int32 types        4 bytes each, 4-aligned
//   Float64 types      8 bytes each (the exact bits: -0, NaN kept), 8-aligned
//   BIGINT, DECIMAL    8-byte doubles, or 8-byte int64 when the block is wide, 8-aligned
//   VARCHAR            string-values.ts
// NULL rows are written as 0 / '' whatever their slot held, so decoding is a plain copy.

import type { ColumnData } from '../../common/vector.js';
import { bitmapBytes, packBits, unpackBitsInto } from './bitmap.js';
import type { BlockReader } from './block-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { TWO_32 } from './limbs.js';
import { PhysicalClass } from './physical-class.js';
import { readStrings, writeStrings } from './string-values.js';

/** Payload bytes of `count` plain values (VARCHAR: assuming one byte per code unit). */
export function plainValuesBytes(cls: PhysicalClass, count: number, textUnits: number): number {
  switch (cls) {
    case PhysicalClass.BOOL:
      return bitmapBytes(count);
    case PhysicalClass.INT32:
      return 4 * count;
    case PhysicalClass.FLOAT64:
    case PhysicalClass.WIDE:
      return 8 * count;
    case PhysicalClass.STRING:
      return 8 + 4 * count + textUnits;
  }
}

/**
 * Writes the values at rows[k] (row k when rows is null), k < count. `wide`: a BIGINT/DECIMAL
 * block written as int64 (its data MUST then be a BigInt64Array).
 */
export function writePlainValues(
  w: ByteWriter,
  cls: PhysicalClass,
  data: ColumnData,
  validity: Uint8Array | null,
  rows: Int32Array | null,
  count: number,
  wide: boolean,
): void {
  switch (cls) {
    case PhysicalClass.BOOL:
      writeBools(w, data as Uint8Array, validity, rows, count);
      return;
    case PhysicalClass.INT32:
      writeInt32s(w, data as Int32Array, validity, rows, count);
      return;
    case PhysicalClass.FLOAT64:
    case PhysicalClass.WIDE:
      if (data instanceof BigInt64Array && !wide) writeInt64sAsDoubles(w, data, validity, rows, count);
      else write64Bits(w, data as Float64Array | BigInt64Array, validity, rows, count);
      return;
    case PhysicalClass.STRING:
      writeStrings(w, data as string[], validity, rows, count);
      return;
  }
}

function writeBools(w: ByteWriter, data: Uint8Array, validity: Uint8Array | null, rows: Int32Array | null, count: number): void {
  const out = w.bytesView(bitmapBytes(count));
  if (rows === null && validity === null) {
    packBits(data, count, out);
    return;
  }
  for (let k = 0; k < count; k++) {
    const i = rows === null ? k : rows[k]!;
    if (data[i] !== 0 && (validity === null || validity[i] !== 0)) out[k >>> 3]! |= 1 << (k & 7);
  }
}

function writeInt32s(w: ByteWriter, data: Int32Array, validity: Uint8Array | null, rows: Int32Array | null, count: number): void {
  const out = w.int32View(count);
  if (rows === null) out.set(data.subarray(0, count));
  else for (let k = 0; k < count; k++) out[k] = data[rows[k]!]!;
  if (validity !== null) {
    for (let k = 0; k < count; k++) if (validity[rows === null ? k : rows[k]!] === 0) out[k] = 0;
  }
}

/** Doubles or int64 copied as raw 64-bit words (through 32-bit views: exact bits, no BigInt per value). */
function write64Bits(w: ByteWriter, data: Float64Array | BigInt64Array, validity: Uint8Array | null, rows: Int32Array | null, count: number): void {
  const out = w.float64View(count);
  const dst = new Int32Array(out.buffer, out.byteOffset, count * 2);
  const src = new Int32Array(data.buffer, data.byteOffset, data.length * 2);
  if (rows === null) dst.set(src.subarray(0, count * 2));
  else {
    for (let k = 0; k < count; k++) {
      const i = rows[k]!;
      dst[2 * k] = src[2 * i]!;
      dst[2 * k + 1] = src[2 * i + 1]!;
    }
  }
  if (validity !== null) {
    for (let k = 0; k < count; k++) {
      if (validity[rows === null ? k : rows[k]!] === 0) {
        dst[2 * k] = 0;
        dst[2 * k + 1] = 0;
      }
    }
  }
}

/** int64 values known to lie within 2^53, written as doubles (the canonical BIGINT form). */
function writeInt64sAsDoubles(w: ByteWriter, data: BigInt64Array, validity: Uint8Array | null, rows: Int32Array | null, count: number): void {
  const out = w.float64View(count);
  const src = new Int32Array(data.buffer, data.byteOffset, data.length * 2);
  for (let k = 0; k < count; k++) {
    const i = rows === null ? k : rows[k]!;
    out[k] = validity !== null && validity[i] === 0 ? 0 : src[2 * i + 1]! * TWO_32 + (src[2 * i]! >>> 0);
  }
}

/** Reads `count` plain values into a fresh array of count + extra slots (extra slots 0 / ''). */
export function readPlainValues(r: BlockReader, cls: PhysicalClass, count: number, wide: boolean, extra: number): ColumnData {
  switch (cls) {
    case PhysicalClass.BOOL: {
      const out = new Uint8Array(count + extra);
      unpackBitsInto(r.take(bitmapBytes(count), 'BOOLEAN values'), count, out);
      return out;
    }
    case PhysicalClass.INT32: {
      const out = new Int32Array(count + extra);
      r.copyInto(out.subarray(0, count), 4, 'Int32 values');
      return out;
    }
    case PhysicalClass.FLOAT64:
    case PhysicalClass.WIDE: {
      const out = wide ? new BigInt64Array(count + extra) : new Float64Array(count + extra);
      r.copyInto(out.subarray(0, count), 8, '64-bit values');
      return out;
    }
    case PhysicalClass.STRING: {
      const out = new Array<string>(count + extra).fill('');
      readStrings(r, count, out);
      return out;
    }
  }
}
