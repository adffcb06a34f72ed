// Bit-packing at every width from 0 to 32 bits, for every unpack flavour, on value counts that
// end mid-word; and the validity bitmaps' bit order.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bitWidth, pack, packedWords, unpackFloat64, unpackInt32, unpackUint32 } from '../../../storage/encoding/bit-packing.js';
import { bitmapBytes, packBits, unpackBits } from '../../../storage/encoding/bitmap.js';

describe('bit-packing', () => {
  it('round-trips values at every width', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 32 }), fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 200 }), fc.integer({ min: -1000, max: 1000 }), (width, raw, base) => {
        const n = raw.length;
        const values = Uint32Array.from(raw, (v) => (width === 32 ? v : width === 0 ? 0 : v % 2 ** width));
        const words = new Uint32Array(packedWords(n, width));
        pack(values, n, width, words);
        const u = new Uint32Array(n);
        unpackUint32(words, n, width, u);
        expect(Array.from(u)).toEqual(Array.from(values));
        const f = new Float64Array(n);
        unpackFloat64(words, n, width, base, f);
        expect(Array.from(f)).toEqual(Array.from(values, (v) => base + v));
        const i32 = new Int32Array(n);
        unpackInt32(words, n, width, base, i32);
        expect(Array.from(i32)).toEqual(Array.from(values, (v) => (base + v) | 0));
      }),
      { seed: 17, numRuns: 400 },
    );
  });

  it('bit widths', () => {
    expect([0, 1, 2, 3, 255, 256, 2 ** 31, 2 ** 32 - 1].map(bitWidth)).toEqual([0, 1, 2, 2, 8, 9, 32, 32]);
    expect(bitWidth(2 ** 32)).toBe(33);
    expect(bitWidth(2 ** 54)).toBe(55);
    expect(packedWords(3, 0)).toBe(0);
    expect(packedWords(33, 1)).toBe(2);
  });

  it('bitmaps are least significant bit first', () => {
    const mask = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1]);
    const bits = new Uint8Array(bitmapBytes(mask.length));
    packBits(mask, mask.length, bits);
    expect(Array.from(bits)).toEqual([0x81, 0x05]);
    expect(Array.from(unpackBits(bits, mask.length))).toEqual(Array.from(mask));
  });
});
