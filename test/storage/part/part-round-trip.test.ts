// Parts round-trip on the real file system: seeded random columns of every storable type with
// NULLs, cut into batches of random sizes (empty ones too), handed over plain, through
// selections, as dictionary and constant vectors, written in tiny blocks with every forced
// encoding, read back exactly; vectors reach the caller as their blocks decode (rle and
// dictionary kinds kept); a column the part lacks reads as NULL.

import fc from 'fast-check';
import type { Batch } from '../../../common/batch.js';
import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QuiverError } from '../../../common/errors.js';
import { type LogicalType, T, typeToString } from '../../../common/types.js';
import { type Scalar } from '../../../common/vector.js';
import { ENCODING_NAMES } from '../../../storage/encoding/encoding-kind.js';
import { NodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { openPart, scanPart } from '../../../storage/part/part-reader.js';
import { newScanStats } from '../../../storage/table.js';
import { writePart } from '../../../storage/part/part-writer.js';
import { BLOCK_TYPES, sameScalar, valueArb } from '../encoding/blocks.js';
import { type BatchShape, batchOf, collect, constantBatch, tempDir } from './part-test-helpers.js';

const fs = new NodeFileSystem();
const tmp = tempDir('quiver-part-');
afterAll(() => tmp.remove());
let partNo = 0;
const nextDir = () => posix.join(tmp.dir, `p${++partNo}`);

interface Case {
  types: LogicalType[];
  columns: Scalar[][];
  cuts: number[];
  shapes: BatchShape[];
  blockRows: number;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    types: fc.array(fc.constantFrom(...BLOCK_TYPES), { minLength: 1, maxLength: 4 }),
    rows: fc.integer({ min: 0, max: 300 }),
    cuts: fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 6 }),
    shapes: fc.array(fc.constantFrom<BatchShape>('plain', 'selection', 'dictionary'), { minLength: 8, maxLength: 8 }),
    blockRows: fc.constantFrom(1, 3, 16, 100, 1024),
  })
  .chain(({ types, rows, cuts, shapes, blockRows }) =>
    fc
      .tuple(...types.map((t) => fc.array(fc.option(valueArb(t), { freq: 4 }), { minLength: rows, maxLength: rows })))
      .map((columns) => ({ types, columns, cuts, shapes, blockRows })),
  );

function batchesOf(c: Case): Batch[] {
  const n = c.columns[0]!.length;
  const batches: Batch[] = [];
  let start = 0;
  for (const [i, cut] of c.cuts.entries()) {
    const end = Math.min(n, start + cut);
    batches.push(batchOf(c.types, c.columns, start, end, c.shapes[i % c.shapes.length]!));
    start = end;
  }
  batches.push(batchOf(c.types, c.columns, start, n, c.shapes[7]!));
  return batches;
}

function expectColumns(got: Scalar[][], expected: Scalar[][], types: readonly LogicalType[]): void {
  expect(got.map((c) => c.length)).toEqual(expected.map((c) => c.length));
  for (let c = 0; c < expected.length; c++) {
    for (let r = 0; r < expected[c]!.length; r++) {
      if (!sameScalar(got[c]![r]!, expected[c]![r]!)) {
        throw new Error(`column ${c} (${typeToString(types[c]!)}) row ${r}: read ${String(got[c]![r])}, wrote ${String(expected[c]![r])}`);
      }
    }
  }
}

describe('writePart / scanPart round trip', () => {
  it('random columns of every type with NULLs, in tiny blocks', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const dir = nextDir();
        const schema = { columns: c.types.map((type, i) => ({ name: `x${i}`, type })) };
        const written = await writePart(fs, dir, schema, batchesOf(c), { blockRows: c.blockRows });
        const rows = c.columns[0]!.length;
        expect(written.rows).toBe(rows);
        const part = await openPart(fs, dir);
        expect(part.meta.rows).toBe(rows);
        expect(part.meta.columns[0]!.blocks.length).toBe(Math.ceil(rows / c.blockRows));
        const stats = newScanStats();
        const all = c.types.map((_, i) => i);
        expectColumns(await collect(scanPart(part, { columns: all }, stats), all.length), c.columns, c.types);
        // Every value of every block, except run-length blocks, which are read as their runs.
        const decodable = part.meta.columns.reduce((n, col) => n + col.blocks.reduce((m, b) => m + (b.encoding === 'rle' ? 0 : b.rows), 0), 0);
        expect(stats.valuesDecoded).toBe(decodable);
        expect(stats.bytesRead).toBe(written.columns.reduce((n, col) => n + col.bytes, 0));
        // A subset, reordered, with a column repeated.
        const some = [all.length - 1, 0, all.length - 1];
        expectColumns(await collect(scanPart(part, { columns: some }), some.length), some.map((i) => c.columns[i]!), some.map((i) => c.types[i]!));
      }),
      { seed: 20261122, numRuns: 40 },
    );
  });

  it('every forced encoding, and vectors keep the kind their block decodes to', async () => {
    const n = 5000;
    const runs = Array.from({ length: n }, (_, i) => (i % 700 < 3 ? null : Math.floor(i / 100)));
    const text = Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : `k${i % 13}`));
    const types = [T.INTEGER, T.VARCHAR];
    for (const force of ENCODING_NAMES) {
      const dir = nextDir();
      const written = await writePart(fs, dir, { columns: [{ name: 'a', type: T.INTEGER }, { name: 'b', type: T.VARCHAR }] }, [batchOf(types, [runs, text], 0, n, 'plain')], {
        blockRows: 1024,
        force,
      });
      const part = await openPart(fs, dir);
      expect(part.meta.columns[0]!.blocks.every((b) => b.encoding === force || b.encoding === 'plain')).toBe(true);
      if (force === 'rle' || force === 'dictionary' || force === 'plain') expect(written.columns[0]!.encodings).toEqual({ [force]: 5 });
      const kinds = new Set<string>();
      const got = await collect(
        (async function* () {
          for await (const b of scanPart(part, { columns: [0, 1] })) {
            kinds.add(b.columns[0]!.kind);
            yield b;
          }
        })(),
        2,
      );
      expectColumns(got, [runs, text], types);
      if (force === 'rle') expect([...kinds]).toEqual(['rle']);
      if (force === 'dictionary') expect([...kinds]).toEqual(['dictionary']);
    }
  });

  it('constant vectors and batches that split across blocks', async () => {
    const dir = nextDir();
    const types = [T.BIGINT, T.VARCHAR];
    await writePart(fs, dir, { columns: [{ name: 'a', type: T.BIGINT }, { name: 'b', type: T.VARCHAR }] }, [
      constantBatch(types, [7n, 'x'], 10),
      constantBatch(types, [null, null], 5),
    ], { blockRows: 4 });
    const got = await collect(scanPart(await openPart(fs, dir), { columns: [0, 1] }), 2);
    expect(got[0]).toEqual([...Array<bigint | number>(10).fill(7), ...Array<null>(5).fill(null)]);
    expect(got[1]).toEqual([...Array<string>(10).fill('x'), ...Array<null>(5).fill(null)]);
  });

  it('an empty part and a part of no batches', async () => {
    const dir = nextDir();
    await writePart(fs, dir, { columns: [{ name: 'a', type: T.INTEGER }] }, []);
    const part = await openPart(fs, dir);
    expect(part.meta.rows).toBe(0);
    expect(await collect(scanPart(part, { columns: [0] }), 1)).toEqual([[]]);
  });

  it('a column added after the part was written reads as NULL of the given type', async () => {
    const dir = nextDir();
    await writePart(fs, dir, { columns: [{ name: 'a', type: T.INTEGER }] }, [batchOf([T.INTEGER], [[1, 2, 3, 4, 5]], 0, 5, 'plain')], { blockRows: 2 });
    const part = await openPart(fs, dir);
    const batches = [];
    for await (const b of scanPart(part, { columns: [1, 0], columnTypes: [T.VARCHAR, T.INTEGER] })) batches.push(b);
    expect(batches.map((b) => b.count)).toEqual([2, 2, 1]);
    expect(batches[0]!.columns[0]).toMatchObject({ kind: 'constant', value: null, type: T.VARCHAR, length: 2 });
    expect(await collect(scanPart(part, { columns: [1, 0], columnTypes: [T.VARCHAR, T.INTEGER] }), 2)).toEqual([
      [null, null, null, null, null],
      [1, 2, 3, 4, 5],
    ]);
    const missing = () => collect(scanPart(part, { columns: [3] }), 1);
    await expect(missing()).rejects.toThrow(/column 3 is not in part .*columnTypes/);
  });

  it('refuses bad input clearly', async () => {
    const schema = { columns: [{ name: 'a', type: T.INTEGER }] };
    await expect(writePart(fs, nextDir(), schema, [], { blockRows: 0 })).rejects.toThrow(/block size must be an integer from 1 to 65536/);
    const refused = nextDir();
    await expect(writePart(fs, refused, schema, [batchOf([T.VARCHAR], [['a']], 0, 1, 'plain')])).rejects.toThrow(/column a is INTEGER but batch 0 holds VARCHAR/);
    expect(existsSync(refused)).toBe(false);
    await expect(writePart(fs, nextDir(), { columns: [] }, [])).rejects.toThrow(/at least one column/);
    const dir = nextDir();
    await writePart(fs, dir, schema, []);
    await expect(writePart(fs, dir, schema, [])).rejects.toBeInstanceOf(QuiverError);
  });
});
