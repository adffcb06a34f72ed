// The block encoder thread (block-encoder-thread.ts): a part large enough to have some columns
// encoded there holds, column file by column file, the bytes the calling thread's encodeBlock
// gives for the same blocks (values that survive a copy to the thread badly: -0, NaN, bigints,
// NULLs, a column of more than one block). The thread runs the compiled dist/ copy.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeBatch } from '../../../common/batch.js';
import { T, decimalType } from '../../../common/types.js';
import { flatVector, type FlatVector } from '../../../common/vector.js';
import { encodeBlock } from '../../../storage/encoding/block-codec.js';
import { NodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { DEFAULT_BLOCK_ROWS, columnFileName, writePart } from '../../../storage/part/part-writer.js';
import { tempDir } from './part-test-helpers.js';

describe('block encoder thread', () => {
  it('writes the bytes the calling thread would', async () => {
    // Past ENCODER_THREAD_MIN_ROWS (part-writer.ts), so the thread encodes some columns.
    const n = (1 << 18) + 1234;
    const types = [T.INTEGER, T.BIGINT, T.DOUBLE, decimalType(30, 2), T.DATE, T.BOOLEAN, T.VARCHAR, T.SMALLINT];
    const vi = new Uint8Array(n).fill(1);
    const cols: FlatVector[] = [
      flatVector(T.INTEGER, Int32Array.from({ length: n }, (_, i) => (i * 7919) % 100003 - 50000), vi.map((_, i) => (i % 11 === 0 ? 0 : 1))),
      flatVector(T.BIGINT, BigInt64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 2n ** 60n + BigInt(i) : BigInt(-i)))),
      flatVector(T.DOUBLE, Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -0 : i % 7 === 0 ? NaN : i / 3))),
      flatVector(decimalType(30, 2), Float64Array.from({ length: n }, (_, i) => i % 100)),
      flatVector(T.DATE, Int32Array.from({ length: n }, (_, i) => 18000 + (i >> 10))),
      flatVector(T.BOOLEAN, Uint8Array.from({ length: n }, (_, i) => i & 1)),
      flatVector(T.VARCHAR, Array.from({ length: n }, (_, i) => `v${i % 50}`)),
      flatVector(T.SMALLINT, Int32Array.from({ length: n }, (_, i) => i % 300)),
    ];
    const { dir, remove } = tempDir("qenc-");
    const fs = new NodeFileSystem();
    const partDir = join(dir, 'p');
    const schema = { columns: types.map((type, i) => ({ name: `c${i}`, type })) };
    await writePart(fs, partDir, schema, [makeBatch(cols, n)], {});
    for (let c = 0; c < types.length; c++) {
      const bytes = readFileSync(join(partDir, columnFileName(c)));
      const parts: Buffer[] = [];
      const blockRows = DEFAULT_BLOCK_ROWS;
      for (let s = 0; s < n; s += blockRows) {
        const e = Math.min(n, s + blockRows);
        const v = cols[c]!;
        const sl: FlatVector = { ...v, length: e - s, data: v.data.slice(s, e) as typeof v.data, validity: v.validity === null ? null : v.validity.slice(s, e) };
        parts.push(Buffer.from(encodeBlock(sl).bytes));
      }
      expect(Buffer.compare(bytes, Buffer.concat(parts)), `column ${c}`).toBe(0);
    }
    remove();
  }, 30_000);
});
