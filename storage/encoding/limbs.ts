// 64-bit integers as two 32-bit limbs (a signed high half and an unsigned low half), so the
// wide integer encodings run on plain numbers: no BigInt per value, and exact for the integral
// doubles (|v| <= 2^53) that BIGINT, DECIMAL and TIMESTAMP blocks usually hold as well as for
// BigInt64Array values out to the int64 limits.

import { ByteWriter } from './byte-writer.js';
import { BlockReader, corruptBlock } from './block-reader.js';
import { bitWidth, pack, packedWords, unpackUint32 } from './bit-packing.js';

export const TWO_32 = 4294967296;

/** hi[i], lo[i] = the limbs of the integral double data[i] (|data[i]| <= 2^53). */
export function splitFloat64(data: Float64Array, n: number, hi: Int32Array, lo: Uint32Array): void {
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    // Division by a power of two and floor are exact, and so is the remainder.
    const h = Math.floor(v / TWO_32);
    hi[i] = h;
    lo[i] = v - h * TWO_32;
  }
}

/** hi[i], lo[i] = the limbs of data[i], read through a 32-bit view (little-endian). */
export function splitBigInt64(data: BigInt64Array, n: number, hi: Int32Array, lo: Uint32Array): void {
  const halves = new Int32Array(data.buffer, data.byteOffset, n * 2);
  for (let i = 0; i < n; i++) {
    lo[i] = halves[2 * i]!;
    hi[i] = halves[2 * i + 1]!;
  }
}

export function limbsToNumber(hi: number, lo: number): number {
  return hi * TWO_32 + lo;
}

export function limbsToBigInt(hi: number, lo: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}

/** True when the int64 (hi, lo) lies in [-2^53, 2^53], so a double holds it exactly. */
export function limbsAreSafe(hi: number, lo: number): boolean {
  const LIMIT_HI = 2097152; // 2^53 / 2^32
  return hi >= -LIMIT_HI && (hi < LIMIT_HI || (hi === LIMIT_HI && lo === 0));
}

/**
 * Limb streams: unsigned 64-bit offsets (dhi, dlo) written as a packed stream of low halves then
 * one of high halves, each with the smallest width that holds its maximum. Layout:
 * u8 low width, u8 high width, pad to 4, low words, high words.
 */
export function writeLimbStreams(w: ByteWriter, dhi: Uint32Array, dlo: Uint32Array, n: number, maxHi: number, maxLo: number): void {
  const hiWidth = bitWidth(maxHi);
  const loWidth = maxHi > 0 ? 32 : bitWidth(maxLo);
  w.u8(loWidth);
  w.u8(hiWidth);
  pack(dlo, n, loWidth, w.uint32View(packedWords(n, loWidth)));
  pack(dhi, n, hiWidth, w.uint32View(packedWords(n, hiWidth)));
}

export interface LimbStreams {
  loWidth: number;
  hiWidth: number;
  lo: Uint32Array;
  hi: Uint32Array;
}

/** Reads what writeLimbStreams wrote; the streams are left packed (see unpackLimbs). */
export function readLimbStreams(r: BlockReader, n: number): LimbStreams {
  const loWidth = r.u8('low limb width');
  const hiWidth = r.u8('high limb width');
  if (loWidth > 32 || hiWidth > 32) throw corruptBlock(`limb widths ${loWidth}/${hiWidth} exceed 32 bits`);
  const lo = r.words(packedWords(n, loWidth), 'low limbs');
  const hi = r.words(packedWords(n, hiWidth), 'high limbs');
  return { loWidth, hiWidth, lo, hi };
}

/** Unpacks both streams of `s` into fresh arrays. */
export function unpackLimbs(s: LimbStreams, n: number): { hi: Uint32Array; lo: Uint32Array } {
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  unpackUint32(s.lo, n, s.loWidth, lo);
  unpackUint32(s.hi, n, s.hiWidth, hi);
  return { hi, lo };
}

/** The limbs of a block of integral doubles or int64 values (NULL slots hold whatever the data held). */
export function blockLimbs(data: Float64Array | BigInt64Array, n: number): { hi: Int32Array; lo: Uint32Array } {
  const hi = new Int32Array(n);
  const lo = new Uint32Array(n);
  if (data instanceof BigInt64Array) splitBigInt64(data, n, hi, lo);
  else splitFloat64(data, n, hi, lo);
  return { hi, lo };
}
