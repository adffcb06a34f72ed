// The chooser picks the encoding a block's shape calls for (runs -> rle, few distinct values ->
// dictionary, sorted small steps -> delta, narrow range -> bitpacking, else plain), and its size
// estimates are close to the bytes actually written.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BATCH_SIZE } from '../../../common/batch.js';
import { decimalType, INT32_MAX, INT32_MIN, type LogicalType, T } from '../../../common/types.js';
import type { ColumnData, FlatVector } from '../../../common/vector.js';
import { analyzeBlock } from '../../../storage/encoding/block-analysis.js';
import { decodeBlock, encodeBlock } from '../../../storage/encoding/block-codec.js';
import { estimatedBytes } from '../../../storage/encoding/chooser.js';
import type { EncodingName } from '../../../storage/encoding/encoding-kind.js';
import { ENCODINGS } from '../../../storage/encoding/encodings.js';
import { physicalClass } from '../../../storage/encoding/physical-class.js';

const N = BATCH_SIZE;
const flat = (type: LogicalType, data: ColumnData, validity: Uint8Array | null = null): FlatVector => ({
  kind: 'flat',
  type,
  length: data.length,
  data,
  validity,
});

/** A deterministic pseudo-random sequence (xorshift32), so each shape is the same on every run. */
function randoms(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}
const rnd = randoms(12345);
const ints = (f: (i: number) => number) => Int32Array.from({ length: N }, (_, i) => f(i));
const doubles = (f: (i: number) => number) => Float64Array.from({ length: N }, (_, i) => f(i));

const SHAPES: [string, FlatVector, EncodingName][] = [
  ['a constant INTEGER block', flat(T.INTEGER, ints(() => 42)), 'rle'],
  ['10 runs of INTEGER', flat(T.INTEGER, ints((i) => Math.floor(i / 6554) * 1000)), 'rle'],
  ['sorted dates, 200 rows per date', flat(T.DATE, ints((i) => 19000 + Math.floor(i / 200))), 'rle'],
  ['an all-NULL block', flat(T.INTEGER, new Int32Array(N), new Uint8Array(N)), 'rle'],
  ['BOOLEAN in long runs', flat(T.BOOLEAN, Uint8Array.from({ length: N }, (_, i) => (i >> 12) & 1)), 'rle'],
  ['VARCHAR with 5 distinct values in random order', flat(T.VARCHAR, Array.from({ length: N }, () => ['AIR', 'MAIL', 'SHIP', 'RAIL', 'TRUCK'][Math.floor(rnd() * 5)]!)), 'dictionary'],
  ['INTEGER with 4 values spread over the int32 range', flat(T.INTEGER, ints(() => [INT32_MIN, -5, 77, INT32_MAX][Math.floor(rnd() * 4)]!)), 'dictionary'],
  ['DOUBLE prices with 100 distinct values', flat(T.DOUBLE, doubles(() => Math.floor(rnd() * 100) * 0.37 + 0.99)), 'dictionary'],
  ['a row id 0..65535', flat(T.INTEGER, ints((i) => i)), 'delta'],
  ['sorted timestamps about a second apart', flat(T.TIMESTAMP, (() => { let t = 1.7e15; return doubles(() => (t += 1e6 + Math.floor(rnd() * 1000))); })()), 'delta'],
  ['sorted BIGINT keys beyond 2^53, small steps', flat(T.BIGINT, (() => { let k = 2n ** 60n; return BigInt64Array.from({ length: N }, () => (k += BigInt(1 + Math.floor(rnd() * 9)))); })()), 'delta'],
  ['INTEGER random in [0, 1000)', flat(T.INTEGER, ints(() => Math.floor(rnd() * 1000))), 'bitpacking'],
  ['BIGINT random in a narrow range around 2^40', flat(T.BIGINT, doubles(() => 2 ** 40 + Math.floor(rnd() * 1e6))), 'bitpacking'],
  ['DECIMAL amounts up to 10^7 cents', flat(decimalType(12, 2), doubles(() => Math.floor(rnd() * 1e7))), 'bitpacking'],
  ['INTEGER random over the whole range', flat(T.INTEGER, ints(() => Math.floor(rnd() * 4294967296) - 2147483648)), 'plain'],
  ['DOUBLE random', flat(T.DOUBLE, doubles(() => rnd() * 1e6)), 'plain'],
  ['VARCHAR all distinct', flat(T.VARCHAR, Array.from({ length: N }, (_, i) => `customer#${i * 7919}`)), 'plain'],
  ['BOOLEAN random', flat(T.BOOLEAN, Uint8Array.from({ length: N }, () => (rnd() < 0.5 ? 1 : 0))), 'plain'],
];

describe('the chooser picks the encoding a block shape calls for', () => {
  for (const [name, vector, expected] of SHAPES) {
    it(`${name}: ${expected}`, () => {
      const block = encodeBlock(vector);
      expect(block.encoding).toBe(expected);
      if (expected !== 'plain') expect(block.bytes.length).toBeLessThan(encodeBlock(vector, { force: 'plain' }).bytes.length);
      decodeBlock(block.bytes);
    });
  }

  it('picks the smallest encoding: no other encoding is smaller by more than a few bytes', () => {
    for (const [name, vector] of SHAPES) {
      const chosen = encodeBlock(vector);
      for (const force of Object.keys(ENCODINGS) as EncodingName[]) {
        const other = encodeBlock(vector, { force });
        if (other.fallback !== null) continue;
        // 5% covers the estimate's approximations (it assumes one UTF-8 byte per code unit).
        expect(other.bytes.length, `${name}: ${force} vs ${chosen.encoding}`).toBeGreaterThan(chosen.bytes.length * 0.95 - 64);
      }
    }
  });

  it('size estimates are close to the bytes written', () => {
    for (const [name, vector] of SHAPES) {
      const a = analyzeBlock(vector, physicalClass(vector.type));
      for (const [force, e] of Object.entries(ENCODINGS)) {
        const estimate = estimatedBytes(e, a);
        if (estimate === null) continue;
        const actual = encodeBlock(vector, { force: force as EncodingName }).bytes.length;
        expect(Math.abs(actual - estimate), `${name} as ${force}: estimated ${estimate}, wrote ${actual}`).toBeLessThanOrEqual(64 + actual * 0.01);
      }
    }
  });

  it('rle wins a tie only when its runs average at least two rows', () => {
    // 100 rows of 0..24 with a run of two zeros per 25 rows: rle (96 runs) comes within the tie
    // of bitpacking, but runs of about one row are no runs.
    const shortRuns = Int32Array.from({ length: 100 }, (_, i) => (i % 25 === 7 || i % 25 === 8 ? 0 : i % 25));
    const a = analyzeBlock(flat(T.INTEGER, shortRuns), physicalClass(T.INTEGER));
    expect(estimatedBytes(ENCODINGS.rle, a)! - estimatedBytes(ENCODINGS.bitpacking, a)!).toBeGreaterThan(0);
    expect(estimatedBytes(ENCODINGS.rle, a)! - estimatedBytes(ENCODINGS.bitpacking, a)!).toBeLessThanOrEqual(16);
    expect(encodeBlock(flat(T.INTEGER, shortRuns)).encoding).toBe('bitpacking');
    // Runs of ten rows stepping by one: delta is a little smaller, rle takes the tie.
    const longRuns = Int32Array.from({ length: 100 }, (_, i) => Math.floor(i / 10));
    const b = analyzeBlock(flat(T.INTEGER, longRuns), physicalClass(T.INTEGER));
    expect(estimatedBytes(ENCODINGS.rle, b)!).toBeGreaterThan(estimatedBytes(ENCODINGS.delta, b)!);
    expect(encodeBlock(flat(T.INTEGER, longRuns)).encoding).toBe('rle');
  });

  it('on small random blocks the choice is never larger than plain', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 300 }), (values) => {
        const v = flat(T.INTEGER, Int32Array.from(values));
        expect(encodeBlock(v).bytes.length).toBeLessThanOrEqual(encodeBlock(v, { force: 'plain' }).bytes.length + 16);
      }),
      { seed: 3, numRuns: 200 },
    );
  });
});
