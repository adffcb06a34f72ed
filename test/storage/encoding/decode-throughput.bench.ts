// Decode throughput of one 64Ki-row INTEGER block per encoding (and, for the encodings that
// decode to compressed vectors, decode + flatten, the cost when an operator needs flat values).
// Run with: npx vitest bench --run test/storage/encoding/decode-throughput.bench.ts
// Rows per second = hz x 65536.

import { bench, describe } from 'vitest';
import { BATCH_SIZE } from '../../../common/batch.js';
import { T } from '../../../common/types.js';
import { flatten, type FlatVector } from '../../../common/vector.js';
import { decodeBlock, encodeBlock } from '../../../storage/encoding/block-codec.js';
import type { EncodingName } from '../../../storage/encoding/encoding-kind.js';

const N = BATCH_SIZE;
let seed = 2463534242;
const rnd = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};
const ints = (f: (i: number) => number): FlatVector => ({ kind: 'flat', type: T.INTEGER, length: N, data: Int32Array.from({ length: N }, (_, i) => f(i)), validity: null });

const BLOCKS: [string, EncodingName, FlatVector][] = [
  ['plain (random int32)', 'plain', ints(() => Math.floor(rnd() * 4294967296) - 2147483648)],
  ['bitpacking (12-bit range)', 'bitpacking', ints(() => 100000 + Math.floor(rnd() * 4096))],
  ['bitpacking (20-bit range)', 'bitpacking', ints(() => Math.floor(rnd() * 1048576))],
  ['delta (sorted, steps < 8)', 'delta', (() => { let x = 0; return ints(() => (x += Math.floor(rnd() * 8))); })()],
  ['dictionary (1000 distinct)', 'dictionary', ints(() => Math.floor(rnd() * 1000) * 7919)],
  ['rle (1024 runs of 64)', 'rle', ints((i) => Math.floor(i / 64) * 3)],
  ['rle (runs of 1..7 rows, 23-bit keys: SSB lo_orderkey by date)', 'rle', orderKeys()],
];

/** An order key per order of 1..7 lines, keys drawn from 6M (lineorder sorted by date). */
function orderKeys(): FlatVector {
  const data = new Int32Array(N);
  for (let i = 0; i < N; ) {
    const key = 1 + Math.floor(rnd() * 6_000_000);
    for (let lines = 1 + Math.floor(rnd() * 7); lines > 0 && i < N; lines--) data[i++] = key;
  }
  return { kind: 'flat', type: T.INTEGER, length: N, data, validity: null };
}

describe('decode a 64Ki-row INTEGER block', () => {
  for (const [name, force, vector] of BLOCKS) {
    const bytes = encodeBlock(vector, { force }).bytes;
    bench(`${name}, ${bytes.length} bytes`, () => {
      decodeBlock(bytes);
    });
    if (force === 'dictionary' || force === 'rle') {
      bench(`${name} + flatten`, () => {
        flatten(decodeBlock(bytes));
      });
    }
  }
});

describe('encode a 64Ki-row INTEGER block', () => {
  for (const [name, force, vector] of BLOCKS) {
    bench(`${name}`, () => {
      encodeBlock(vector, { force });
    });
  }
});
