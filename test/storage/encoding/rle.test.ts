// Run-length blocks store the values of their runs in the smallest of three layouts: plain
// (layout 0, the only layout of blocks written before the others), bit-packed from the block
// minimum (layout 1, integers of a narrow range) and dictionary codes (layout 2, few distinct
// values). Pins: every layout round-trips with NULL runs, for every integer kind (Int32, doubles
// within 2^53, int64 beyond), strings and fractions; the layout each block shape gets; a
// layout-0 block as older writers wrote it still decodes; an unknown layout or a code past the
// dictionary is a corrupt block; the SSB lineorder shapes (keys and priorities repeated over an
// order's 1..7 lines) cost the bits of their range or their codes per run.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BATCH_SIZE } from '../../../common/batch.js';
import { decimalType, type LogicalType, T } from '../../../common/types.js';
import type { Scalar } from '../../../common/vector.js';
import { bitWidth, pack, packedWords } from '../../../storage/encoding/bit-packing.js';
import { decodeBlock, encodeBlock } from '../../../storage/encoding/block-codec.js';
import { BLOCK_HEADER_SIZE, readBlockHeader, sealBlock } from '../../../storage/encoding/block-header.js';
import { ByteWriter } from '../../../storage/encoding/byte-writer.js';
import { EncodingId } from '../../../storage/encoding/encoding-kind.js';
import { PhysicalClass } from '../../../storage/encoding/physical-class.js';
import { type BlockCase, expectDecoded, vectorOf } from './blocks.js';

/** Offset of the run values layout byte: the payload starts right after the header (rle keeps
 *  no per-row bitmap), with u32 runs and u8 length width before it. */
const LAYOUT_AT = BLOCK_HEADER_SIZE + 5;

interface Shape {
  type: LogicalType;
  /** Makes a value from an offset in [0, 2^bits) above the base. */
  value: (base: number, offset: number) => Scalar;
  base: fc.Arbitrary<number>;
  asBigInt: boolean;
}

const int = (base: number, offset: number) => base + offset;
const big = (base: number, offset: number) => BigInt(base) * 4096n + BigInt(offset);

const SHAPES: [string, Shape][] = [
  ['INTEGER', { type: T.INTEGER, value: int, base: fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }), asBigInt: false }],
  ['SMALLINT', { type: T.SMALLINT, value: int, base: fc.integer({ min: -30_000, max: 0 }), asBigInt: false }],
  ['DATE', { type: T.DATE, value: int, base: fc.integer({ min: -100_000, max: 100_000 }), asBigInt: false }],
  ['BIGINT within 2^53', { type: T.BIGINT, value: (b, o) => BigInt(b + o), base: fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), asBigInt: false }],
  ['BIGINT handed over as int64', { type: T.BIGINT, value: (b, o) => BigInt(b + o), base: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), asBigInt: true }],
  ['BIGINT beyond 2^53', { type: T.BIGINT, value: big, base: fc.integer({ min: 2 ** 42, max: 2 ** 50 }), asBigInt: false }],
  ['BIGINT beyond -2^53', { type: T.BIGINT, value: big, base: fc.integer({ min: -(2 ** 50), max: -(2 ** 42) }), asBigInt: false }],
  ['DECIMAL(18,3)', { type: decimalType(18, 3), value: (b, o) => BigInt(b + o), base: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), asBigInt: false }],
  ['TIMESTAMP', { type: T.TIMESTAMP, value: int, base: fc.integer({ min: 0, max: 2 ** 52 }), asBigInt: false }],
  ['DOUBLE holding integers', { type: T.DOUBLE, value: int, base: fc.integer({ min: -(2 ** 45), max: 2 ** 45 }), asBigInt: false }],
  ['DOUBLE with fractions', { type: T.DOUBLE, value: (b, o) => b + o / 8, base: fc.integer({ min: -1000, max: 1000 }), asBigInt: false }],
  ['VARCHAR', { type: T.VARCHAR, value: (b, o) => `${b % 7}-é-${o}`, base: fc.nat(100), asBigInt: false }],
  ['BOOLEAN', { type: T.BOOLEAN, value: (_b, o) => o & 1, base: fc.constant(0), asBigInt: false }],
];
const NOT_INTEGERS = new Set(['VARCHAR', 'BOOLEAN', 'DOUBLE with fractions']);

/** Blocks of runs of 1..7 rows, values within 2^bits of a base, none, a tenth or half of the runs NULL. */
function runsArb(s: Shape): fc.Arbitrary<BlockCase> {
  return fc
    .record({
      base: s.base,
      bits: fc.integer({ min: 0, max: 12 }),
      runs: fc.array(fc.record({ length: fc.integer({ min: 1, max: 7 }), offset: fc.nat(), nullRoll: fc.integer({ min: 0, max: 9 }) }), { maxLength: 120 }),
      nullTenths: fc.constantFrom(0, 1, 5),
    })
    .map(({ base, bits, runs, nullTenths }) => {
      const values: Scalar[] = [];
      for (const r of runs) {
        const v = r.nullRoll < nullTenths ? null : s.value(base, r.offset % 2 ** bits);
        for (let j = 0; j < r.length; j++) values.push(v);
      }
      return { type: s.type, values, asBigInt: s.asBigInt };
    });
}

describe('rle run values', () => {
  for (const [name, shape] of SHAPES) {
    it(`${name}: round-trips in every layout that holds it`, () => {
      fc.assert(
        fc.property(runsArb(shape), (c) => {
          const block = encodeBlock(vectorOf(c), { force: 'rle' });
          expect(block.encoding).toBe('rle');
          const decoded = decodeBlock(block.bytes, c.type);
          expectDecoded(c, decoded, 'rle');
          // A range of at most 12 bits: from a few dozen runs on, integers are bit-packed one way
          // (from the minimum) or the other (dictionary codes).
          if (!NOT_INTEGERS.has(name) && decoded.kind === 'rle' && decoded.runEnds.length >= 32) expect(block.bytes[LAYOUT_AT]).not.toBe(0);
        }),
        { seed: 7, numRuns: 150 },
      );
    });
  }

  it('the layout each block shape gets', () => {
    const rows = (f: (i: number) => Scalar): Scalar[] => Array.from({ length: 4000 }, (_, i) => f(Math.floor(i / 4)));
    const layout = (c: BlockCase) => encodeBlock(vectorOf(c), { force: 'rle' }).bytes[LAYOUT_AT];
    // Many distinct integers of a narrow range: bit-packed from the minimum.
    expect(layout({ type: T.INTEGER, values: rows((r) => 1_000_000 + ((r * 7919) % 5000)), asBigInt: false })).toBe(1);
    expect(layout({ type: T.BIGINT, values: rows((r) => 2n ** 60n + BigInt((r * 7919) % 5000)), asBigInt: false })).toBe(1);
    expect(layout({ type: T.TIMESTAMP, values: rows((r) => 1.7e15 + ((r * 7919) % 5000) * 1e6), asBigInt: false })).toBe(1);
    // Few distinct values: dictionary codes, whatever their type or range.
    const priorities = ['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECI', '5-LOW'];
    expect(layout({ type: T.VARCHAR, values: rows((r) => priorities[(r * 7919) % 5]!), asBigInt: false })).toBe(2);
    expect(layout({ type: T.INTEGER, values: rows((r) => [-2_000_000_000, 5, 2_000_000_000][r % 3]!), asBigInt: false })).toBe(2);
    expect(layout({ type: T.DOUBLE, values: rows((r) => [0.25, 1.5, -3.75][(r * 7) % 3]!), asBigInt: false })).toBe(2);
    // Many distinct values of a wide range, fractions or text, and booleans: plain.
    expect(layout({ type: T.INTEGER, values: rows((r) => ((r * 2654435761) | 0) as Scalar), asBigInt: false })).toBe(0);
    expect(layout({ type: T.DOUBLE, values: rows((r) => r + 0.5), asBigInt: false })).toBe(0);
    expect(layout({ type: T.VARCHAR, values: rows((r) => `v${r}`), asBigInt: false })).toBe(0);
    expect(layout({ type: T.BOOLEAN, values: rows((r) => r % 2), asBigInt: false })).toBe(0);
  });

  it('decodes a layout-0 block as writers before layout 1 wrote it', () => {
    const values = [5, 5, 5, -3, -3, 900, 900, 900, 900, 12];
    const runStarts = [0, 3, 5, 9];
    const w = new ByteWriter(256);
    w.reserve(BLOCK_HEADER_SIZE);
    w.align(8);
    const payloadStart = w.length;
    const lengths = Uint32Array.from(runStarts, (s, k) => (k + 1 < runStarts.length ? runStarts[k + 1]! : values.length) - s - 1);
    const width = bitWidth(Math.max(...lengths));
    w.u32(runStarts.length);
    w.u8(width); // then zero padding up to the lengths' 4-byte words: layout 0
    pack(lengths, lengths.length, width, w.uint32View(packedWords(lengths.length, width)));
    w.int32View(runStarts.length).set(runStarts.map((s) => values[s]!));
    const bytes = w.finish();
    sealBlock(bytes, {
      encoding: EncodingId.RLE,
      type: T.INTEGER,
      cls: PhysicalClass.INT32,
      rows: values.length,
      nulls: 0,
      wide: false,
      validityBytes: 0,
      payloadBytes: bytes.length - payloadStart,
    });
    expectDecoded({ type: T.INTEGER, values, asBigInt: false }, decodeBlock(bytes, T.INTEGER), 'rle');
  });

  it('an unknown layout, or a run code past the dictionary, is a corrupt block', () => {
    const bytes = encodeBlock(vectorOf({ type: T.INTEGER, values: [1, 1, 2, 2, 3], asBigInt: false }), { force: 'rle' }).bytes.slice();
    bytes[LAYOUT_AT] = 3;
    sealBlock(bytes, readBlockHeader(bytes));
    expect(() => decodeBlock(bytes)).toThrow(/corrupt block: unknown run values layout 3/);
    // 60 runs of two rows cycling through 'a', 'b', 'c': layout 2 with 2-bit codes, which end
    // the block; run 59 (code 2, the top two bits of the last word's third byte) becomes code 3.
    const values = Array.from({ length: 120 }, (_, i) => 'abc'[Math.floor(i / 2) % 3]!);
    const text = encodeBlock(vectorOf({ type: T.VARCHAR, values, asBigInt: false }), { force: 'rle' }).bytes.slice();
    expect(text[LAYOUT_AT]).toBe(2);
    expectDecoded({ type: T.VARCHAR, values, asBigInt: false }, decodeBlock(text), 'rle');
    text[text.length - 2]! |= 0x40;
    sealBlock(text, readBlockHeader(text));
    expect(() => decodeBlock(text)).toThrow(/corrupt block: run 59 has code 3, past a dictionary of 3 entries/);
  });

  it('SSB lineorder keys and priorities (1..7 lines per order): range or code bits plus length bits per run', () => {
    let seed = 99;
    const rnd = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 4294967296;
    };
    const priorities = ['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECI', '5-LOW'];
    const keys = new Int32Array(BATCH_SIZE);
    const priority = new Array<string>(BATCH_SIZE);
    let orders = 0;
    for (let i = 0; i < BATCH_SIZE; orders++) {
      const key = 1 + Math.floor(rnd() * 6_000_000);
      const p = priorities[Math.floor(rnd() * 5)]!;
      const lines = 1 + Math.floor(rnd() * 7);
      for (let j = 0; j < lines && i < BATCH_SIZE; j++, i++) {
        keys[i] = key;
        priority[i] = p;
      }
    }
    const keyVector = { kind: 'flat' as const, type: T.INTEGER, length: BATCH_SIZE, data: keys, validity: null };
    const keyBlock = encodeBlock(keyVector);
    expect(keyBlock.encoding).toBe('rle');
    expect(keyBlock.bytes[LAYOUT_AT]).toBe(1);
    const keyBits = (8 * keyBlock.bytes.length) / orders;
    expect(keyBits).toBeGreaterThan(23 + 3);
    expect(keyBits).toBeLessThan(23 + 3 + 1);
    expect(keyBlock.bytes.length).toBeLessThan(encodeBlock(keyVector, { force: 'bitpacking' }).bytes.length / 3);

    const priorityVector = { kind: 'flat' as const, type: T.VARCHAR, length: BATCH_SIZE, data: priority, validity: null };
    const priorityBlock = encodeBlock(priorityVector);
    expect(priorityBlock.encoding).toBe('rle');
    expect(priorityBlock.bytes[LAYOUT_AT]).toBe(2);
    // Neighbouring orders of the same priority share a run: fewer runs than orders.
    const runs = (decodeBlock(priorityBlock.bytes) as { runEnds: Int32Array }).runEnds.length;
    expect(runs).toBeLessThan(orders);
    expect((8 * priorityBlock.bytes.length) / runs).toBeLessThan(3 + 5 + 1);
    expect(priorityBlock.bytes.length).toBeLessThan(0.6 * encodeBlock(priorityVector, { force: 'dictionary' }).bytes.length);
  });
});
