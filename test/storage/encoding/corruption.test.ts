// Damaged blocks are errors, never wrong data or a crash: a flipped byte or bit anywhere in a
// block (header, bitmap, payload, checksum) fails the checksum or a header check, and a block cut
// short or followed by extra bytes fails the length check; each is an IO_ERROR that says the block
// is corrupt.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { QuiverError } from '../../../common/errors.js';
import { T } from '../../../common/types.js';
import { decodeBlock, encodeBlock } from '../../../storage/encoding/block-codec.js';
import { ENCODING_NAMES } from '../../../storage/encoding/encoding-kind.js';
import { BLOCK_TYPES, blockArb, vectorOf } from './blocks.js';

function expectCorrupt(bytes: Uint8Array, what: string): void {
  let thrown: unknown = null;
  try {
    decodeBlock(bytes);
  } catch (e) {
    thrown = e;
  }
  if (!(thrown instanceof QuiverError) || thrown.code !== 'IO_ERROR' || !/corrupt block/.test(thrown.message)) {
    throw new Error(`${what}: expected a corrupt-block IO_ERROR, got ${thrown === null ? 'a decoded vector' : String(thrown)}`);
  }
}

/** Small blocks of every type under every encoding that holds them. */
function sampleBlocks(): { bytes: Uint8Array; label: string }[] {
  const out: { bytes: Uint8Array; label: string }[] = [];
  for (const type of BLOCK_TYPES) {
    const cases = fc.sample(blockArb(type, 24), { seed: 11, numRuns: 3 });
    for (const c of cases) {
      for (const force of ENCODING_NAMES) {
        const block = encodeBlock(vectorOf(c), { force });
        if (block.fallback === null) out.push({ bytes: block.bytes, label: `${type.id} ${force} (${c.values.length} rows)` });
      }
    }
  }
  return out;
}

describe('corrupt blocks', () => {
  const blocks = sampleBlocks();

  it('every flipped byte of every sample block is detected', () => {
    for (const { bytes, label } of blocks) {
      decodeBlock(bytes);
      for (let p = 0; p < bytes.length; p++) {
        const bad = bytes.slice();
        bad[p]! ^= 0xff;
        expectCorrupt(bad, `${label}, byte ${p} flipped`);
      }
    }
  });

  it('single flipped bits anywhere in large blocks are detected', () => {
    const n = 65536;
    const ints = Int32Array.from({ length: n }, (_, i) => (i * 7919) % 5000);
    const strings = Array.from({ length: n }, (_, i) => `s${i % 300}é`);
    const large = [
      encodeBlock({ kind: 'flat', type: T.INTEGER, length: n, data: ints, validity: null }).bytes,
      encodeBlock({ kind: 'flat', type: T.VARCHAR, length: n, data: strings, validity: null }).bytes,
      encodeBlock({ kind: 'flat', type: T.INTEGER, length: n, data: ints.slice().sort(), validity: null }, { force: 'delta' }).bytes,
    ];
    fc.assert(
      fc.property(fc.nat(large.length - 1), fc.nat(), fc.nat(7), (which, pos, bit) => {
        const bad = large[which]!.slice();
        bad[pos % bad.length]! ^= 1 << bit;
        expectCorrupt(bad, `block ${which}, bit ${bit} of byte ${pos % bad.length}`);
      }),
      { seed: 5, numRuns: 200 },
    );
  });

  it('a truncated or extended block is an error', () => {
    for (const { bytes, label } of blocks.slice(0, 40)) {
      for (let len = 0; len < bytes.length; len++) expectCorrupt(bytes.subarray(0, len), `${label} cut to ${len} bytes`);
      const longer = new Uint8Array(bytes.length + 1);
      longer.set(bytes);
      expectCorrupt(longer, `${label} with one extra byte`);
    }
  });

  it('says what is wrong', () => {
    const bytes = encodeBlock(vectorOf({ type: T.INTEGER, values: [1, 2, 3], asBigInt: false })).bytes;
    const notABlock = bytes.slice();
    notABlock[0] = 0x50;
    expect(() => decodeBlock(notABlock)).toThrow(/does not start with a Quiver block header/);
    const future = bytes.slice();
    future[1] = 9;
    expect(() => decodeBlock(future)).toThrow(/format version 9 is not supported/);
    const damaged = bytes.slice();
    damaged[damaged.length - 1]! ^= 4;
    expect(() => decodeBlock(damaged)).toThrow(/checksum mismatch.*damaged/);
    expect(() => decodeBlock(bytes.subarray(0, 10))).toThrow(/shorter than its 32-byte header/);
    expect(() => decodeBlock(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
  });
});
