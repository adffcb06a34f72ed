// Column blocks round-trip: every encoding, forced, on seeded random blocks of every type in
// every shape and NULL pattern, decodes to exactly the values encoded (compared row by row
// through getScalar), in the vector kind it promises, with the statistics of the values; and
// the edge cases each encoding names: empty, one row, all NULL, runs longer than any 16-bit
// counter, INT32 and int64 limits, the 2^53 boundary, -0 and NaN, empty and non-BMP strings,
// lone surrogates, blocks at unaligned addresses.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BATCH_SIZE } from '../../../common/batch.js';
import { QuiverError } from '../../../common/errors.js';
import { decimalType, INT32_MAX, INT32_MIN, type LogicalType, T, typeToString } from '../../../common/types.js';
import { constantVector, type Scalar } from '../../../common/vector.js';
import { DICTIONARY_LIMIT } from '../../../storage/encoding/block-analysis.js';
import { blockInfo, decodeBlock, encodeBlock, MAX_BLOCK_ROWS } from '../../../storage/encoding/block-codec.js';
import { ENCODING_NAMES, type EncodingName, parseForcedEncoding } from '../../../storage/encoding/encoding-kind.js';
import { BLOCK_TYPES, type BlockCase, blockArb, expectDecoded, expectStats, INT64_MAX, INT64_MIN, SAFE, vectorOf } from './blocks.js';

const FORCED: readonly (EncodingName | null)[] = [null, ...ENCODING_NAMES];

/** Encodes the block with every encoding (and the chooser's pick) and checks each decode. */
function roundTrip(c: BlockCase): void {
  const v = vectorOf(c);
  for (const force of FORCED) {
    const block = encodeBlock(v, { force });
    if (force !== null && block.fallback === null) expect(block.encoding).toBe(force);
    if (block.fallback !== null) expect(block.encoding).toBe('plain');
    expectStats(c, block.stats);
    expectDecoded(c, decodeBlock(block.bytes, c.type), block.encoding);
    const info = blockInfo(block.bytes);
    expect(info).toMatchObject({ encoding: block.encoding, rows: c.values.length, nulls: block.stats.nulls, bytes: block.bytes.length });
  }
}

const caseOf = (type: LogicalType, values: Scalar[], asBigInt = false): BlockCase => ({ type, values, asBigInt });

describe('every encoding round-trips every type on random blocks', () => {
  for (const type of BLOCK_TYPES) {
    it(typeToString(type), () => {
      fc.assert(
        fc.property(blockArb(type), (c) => roundTrip(c)),
        { seed: 20240603, numRuns: 120 },
      );
    });
  }
});

describe('which encodings hold which blocks', () => {
  const holds = (type: LogicalType, values: Scalar[], force: EncodingName) => encodeBlock(vectorOf(caseOf(type, values)), { force });

  it('plain, rle and dictionary hold every type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...BLOCK_TYPES).chain((t) => blockArb(t, 50)), (c) => {
        for (const force of ['plain', 'rle', 'dictionary'] as const) expect(encodeBlock(vectorOf(c), { force }).fallback).toBeNull();
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  it('bitpacking holds integer types always, doubles only when every value is an integer within 2^53', () => {
    for (const t of [T.SMALLINT, T.INTEGER, T.DATE]) expect(holds(t, [INT32_MIN, INT32_MAX, null], 'bitpacking').fallback).toBeNull();
    for (const t of [T.BIGINT, decimalType(18, 2)]) expect(holds(t, [INT64_MIN, INT64_MAX, null, 0n], 'bitpacking').fallback).toBeNull();
    expect(holds(T.TIMESTAMP, [1.7e15, SAFE, -SAFE], 'bitpacking').fallback).toBeNull();
    expect(holds(T.DOUBLE, [1, 2, 3], 'bitpacking').fallback).toBeNull();
    for (const odd of [0.5, -0, NaN, Infinity, SAFE * 2]) {
      const b = holds(T.DOUBLE, [1, odd], 'bitpacking');
      expect(b.encoding).toBe('plain');
      expect(b.fallback).toMatch(/bitpacking holds integers.*stored plain/);
    }
    expect(holds(T.VARCHAR, ['a'], 'bitpacking').fallback).toMatch(/not VARCHAR/);
    expect(holds(T.BOOLEAN, [1], 'bitpacking').fallback).toMatch(/BOOLEAN/);
  });

  it('delta holds sorted integer blocks only', () => {
    expect(holds(T.INTEGER, [INT32_MIN, null, 0, 0, INT32_MAX], 'delta').fallback).toBeNull();
    expect(holds(T.BIGINT, [INT64_MIN, -1n, INT64_MAX], 'delta').fallback).toBeNull();
    expect(holds(T.INTEGER, [2, 1], 'delta').fallback).toMatch(/not sorted/);
    expect(holds(T.DOUBLE, [0.5, 1], 'delta').fallback).toMatch(/not integers/);
  });
});

describe('edge cases', () => {
  it('empty blocks, one-row blocks and all-NULL blocks of every type', () => {
    for (const type of BLOCK_TYPES) {
      const sample = fc.sample(blockArb(type, 1), { seed: 1, numRuns: 1 })[0]!;
      const one = sample.values.length > 0 && sample.values[0] !== null ? sample.values[0]! : null;
      roundTrip(caseOf(type, []));
      roundTrip(caseOf(type, [one]));
      roundTrip(caseOf(type, [null]));
      roundTrip(caseOf(type, Array<Scalar>(300).fill(null)));
    }
  });

  it('a block of 64Ki equal values (one run longer than a 16-bit counter) and of 64Ki NULLs', () => {
    const n = BATCH_SIZE;
    for (const [type, value] of [
      [T.INTEGER, 42],
      [T.BIGINT, INT64_MAX],
      [T.VARCHAR, 'same'],
      [T.DOUBLE, -0],
      [T.BOOLEAN, 1],
    ] as [LogicalType, Scalar][]) {
      const c = caseOf(type, Array<Scalar>(n).fill(value));
      roundTrip(c);
      const auto = encodeBlock(vectorOf(c));
      expect(auto.encoding).toBe('rle');
      expect(auto.bytes.length).toBeLessThan(100);
    }
    roundTrip(caseOf(T.INTEGER, Array<Scalar>(n).fill(null)));
    // Runs of 65535, 65536 - 1 and the NULL run between them.
    const values: Scalar[] = Array<Scalar>(n).fill(7);
    values[n - 1] = null;
    roundTrip(caseOf(T.INTEGER, values));
  });

  it('full blocks of distinct values, and a dictionary at its size limit', () => {
    const n = BATCH_SIZE;
    const ints = Array.from({ length: n }, (_, i) => ((i * 2654435761) | 0) as Scalar);
    roundTrip(caseOf(T.INTEGER, ints));
    roundTrip(caseOf(T.VARCHAR, Array.from({ length: n }, (_, i) => `v${i % 40000}`)));
    roundTrip(caseOf(T.INTEGER, Array.from({ length: n }, (_, i) => (i % 2 === 0 ? null : i))));
    // DICTIONARY_LIMIT entries plus the NULL entry: 14-bit codes.
    const atLimit = Array.from({ length: n }, (_, i) => (i % 1000 === 999 ? null : `k${(i * 7) % DICTIONARY_LIMIT}`));
    roundTrip(caseOf(T.VARCHAR, atLimit));
    expect(encodeBlock(vectorOf(caseOf(T.VARCHAR, atLimit)), { force: 'dictionary' }).fallback).toBeNull();
    const overLimit = Array.from({ length: n }, (_, i) => i % (DICTIONARY_LIMIT + 1));
    const over = encodeBlock(vectorOf(caseOf(T.INTEGER, overLimit)), { force: 'dictionary' });
    expect(over.fallback).toMatch(/at most 8192 distinct values; this block has about 65536/);
  });

  it('integer limits and the 2^53 boundary', () => {
    roundTrip(caseOf(T.INTEGER, [INT32_MIN, INT32_MAX, INT32_MIN, null, INT32_MAX]));
    roundTrip(caseOf(T.INTEGER, [INT32_MIN, INT32_MIN + 1, INT32_MAX - 1, INT32_MAX]));
    roundTrip(caseOf(T.BIGINT, [INT64_MIN, INT64_MAX, 0n, null, -1n]));
    roundTrip(caseOf(T.BIGINT, [INT64_MIN, INT64_MIN + 1n, INT64_MAX - 1n, INT64_MAX]));
    const s = 2n ** 53n;
    roundTrip(caseOf(T.BIGINT, [-s, s, 0n, s - 1n, -s + 1n]));
    roundTrip(caseOf(T.BIGINT, [-s, s, 0n], true));
    roundTrip(caseOf(T.BIGINT, [s, s + 1n]));
    roundTrip(caseOf(decimalType(18, 4), [-(10n ** 18n) + 1n, 10n ** 18n - 1n, 12345n, null]));
    roundTrip(caseOf(T.TIMESTAMP, [-SAFE, SAFE, 0]));
    roundTrip(caseOf(T.SMALLINT, [-32768, 32767, -32768]));
  });

  it('-0, NaN and infinities stay exactly what they were', () => {
    const odd = [-0, 0, NaN, Infinity, -Infinity, -0, 0, NaN, Number.MIN_VALUE, -Number.MAX_VALUE, null, 0.1];
    roundTrip(caseOf(T.DOUBLE, odd));
    roundTrip(caseOf(T.REAL, odd.map((x) => (typeof x === 'number' ? Math.fround(x) : x))));
    roundTrip(caseOf(T.DOUBLE, [-0, -0, -0, 0, 0]));
    roundTrip(caseOf(T.DOUBLE, [NaN, NaN, NaN]));
    const sorted = encodeBlock(vectorOf(caseOf(T.DOUBLE, [1, 2, NaN])));
    expect(sorted.stats).toMatchObject({ min: 1, max: NaN, sorted: true });
  });

  it('strings: empty, non-ASCII, surrogate pairs, lone surrogates, a BOM, NUL, long', () => {
    const strings: Scalar[] = ['', 'a', '', 'é', '日本語', '😀', 'a😀b', '\ufeff', '\ufeffx', '\u0000', '\ud800', 'a\udc00', '\ud83d\ude00\ud83d', null, ''];
    roundTrip(caseOf(T.VARCHAR, strings));
    roundTrip(caseOf(T.VARCHAR, ['', '', '', null, '']));
    roundTrip(caseOf(T.VARCHAR, ['x'.repeat(100000), '😀'.repeat(30000), 'y']));
    // A high surrogate ending one value and a low one starting the next are two lone surrogates.
    roundTrip(caseOf(T.VARCHAR, ['a\ud83d', '\ude00b']));
  });

  it('decodes a block at any address in a larger buffer', () => {
    for (const force of ENCODING_NAMES) {
      const c = caseOf(T.BIGINT, [1n, 2n, 3n, null, 2n ** 60n, 5n]);
      const block = encodeBlock(vectorOf(c), { force }).bytes;
      for (const offset of [1, 2, 3, 5]) {
        const buf = new Uint8Array(block.length + 8);
        buf.set(block, offset);
        expectDecoded(c, decodeBlock(buf.subarray(offset, offset + block.length)), encodeBlock(vectorOf(c), { force }).encoding);
      }
    }
  });

  it('a column of the untyped NULL type', () => {
    roundTrip(caseOf(T.NULL, [null, null, null]));
  });

  it('zone maps hold bigints only past 2^53', () => {
    const wide = encodeBlock(vectorOf(caseOf(T.BIGINT, [5n, INT64_MIN, null, INT64_MAX]))).stats;
    expect(wide).toEqual({ rows: 4, nulls: 1, min: INT64_MIN, max: INT64_MAX, distinct: 3, sorted: false });
    const safe = encodeBlock(vectorOf(caseOf(T.BIGINT, [5n, -(2n ** 53n), 2n ** 53n], true))).stats;
    expect(safe).toMatchObject({ min: -SAFE, max: SAFE, sorted: false });
    const strings = encodeBlock(vectorOf(caseOf(T.VARCHAR, [null, 'b', 'b', 'é', 'a']))).stats;
    expect(strings).toEqual({ rows: 5, nulls: 1, min: 'a', max: 'é', distinct: 3, sorted: false });
  });

  it('decodes any vector kind as its values', () => {
    const block = encodeBlock(constantVector(T.INTEGER, 5, 1000));
    expect(block.encoding).toBe('rle');
    expectDecoded(caseOf(T.INTEGER, Array<Scalar>(1000).fill(5)), decodeBlock(block.bytes), 'rle');
  });
});

describe('bad input', () => {
  it('a block of more than 64Ki rows is refused', () => {
    const big = vectorOf(caseOf(T.INTEGER, Array<Scalar>(MAX_BLOCK_ROWS + 1).fill(1)));
    expect(() => encodeBlock(big)).toThrow(/at most 65536 rows/);
  });

  it('a block read as the wrong column type is an error', () => {
    const block = encodeBlock(vectorOf(caseOf(T.INTEGER, [1, 2]))).bytes;
    expect(() => decodeBlock(block, T.BIGINT)).toThrow(/holds INTEGER values but the column is BIGINT/);
    expect(() => decodeBlock(block, decimalType(10, 2))).toThrow(QuiverError);
  });

  it('force_encoding names', () => {
    expect(parseForcedEncoding('RLE')).toBe('rle');
    expect(parseForcedEncoding('for')).toBe('bitpacking');
    expect(parseForcedEncoding('uncompressed')).toBe('plain');
    expect(parseForcedEncoding('auto')).toBeNull();
    expect(() => parseForcedEncoding('zstd')).toThrow(/unknown encoding "zstd"; use one of 'plain', 'rle'/);
  });
});
