// Write and scan throughput of a part of 1M rows of SSB-like lineorder INTEGER columns (sorted
// order keys, small line numbers, random keys, quantities, prices, discounts, dates) on the real
// file system, in 64Ki-row blocks. Run with:
//   npx vitest bench --run test/storage/part/part-throughput.bench.ts
// Rows per second = hz x ROWS; the bytes per row are printed once.

import { posix } from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { type Batch, makeBatch } from '../../../common/batch.js';
import { T } from '../../../common/types.js';
import { flatVector } from '../../../common/vector.js';
import { NodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { openPart, scanPart } from '../../../storage/part/part-reader.js';
import { writePart } from '../../../storage/part/part-writer.js';
import { tempDir } from './part-test-helpers.js';

const ROWS = 1 << 20;
const BATCH = 65536;
let seed = 2463534242;
const rnd = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};
const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

const NAMES = ['lo_orderkey', 'lo_linenumber', 'lo_custkey', 'lo_partkey', 'lo_suppkey', 'lo_orderdate', 'lo_quantity', 'lo_extendedprice', 'lo_discount', 'lo_revenue'];
const data = NAMES.map(() => new Int32Array(ROWS));
{
  let order = 1;
  let line = 1;
  let lines = int(1, 7);
  let date = 0;
  for (let i = 0; i < ROWS; i++) {
    if (line > lines) {
      order++;
      line = 1;
      lines = int(1, 7);
    }
    if (line === 1) date = 19920101 + int(0, 6) * 10000 + int(1, 12) * 100 + int(1, 28);
    const quantity = int(1, 50);
    const price = int(90000, 110000) * quantity;
    const discount = int(0, 10);
    const row = [order, line, int(1, 30000), int(1, 200000), int(1, 2000), date, quantity, price, discount, Math.floor((price * (100 - discount)) / 100)];
    for (let c = 0; c < NAMES.length; c++) data[c]![i] = row[c]!;
    line++;
  }
}
const batches: Batch[] = [];
for (let s = 0; s < ROWS; s += BATCH) batches.push(makeBatch(data.map((d) => flatVector(T.INTEGER, d.subarray(s, s + BATCH))), BATCH));
const schema = { columns: NAMES.map((name) => ({ name, type: T.INTEGER })) };

const fs = new NodeFileSystem();
const tmp = tempDir('quiver-part-bench-');
afterAll(() => tmp.remove());
let n = 0;
let reported = false;
const all = NAMES.map((_, i) => i);

describe(`part of ${ROWS} rows x ${NAMES.length} INTEGER columns`, () => {
  bench(
    'writePart',
    async () => {
      const written = await writePart(fs, posix.join(tmp.dir, `w${++n}`), schema, batches);
      if (!reported) {
        reported = true;
        const bytes = written.columns.reduce((s, c) => s + c.bytes, 0) + written.metaBytes;
        console.log(`bytes per row: ${(bytes / ROWS).toFixed(2)} (${(bytes / ROWS / NAMES.length).toFixed(2)} per value);`, written.columns.map((c) => `${c.name} ${JSON.stringify(c.encodings)}`).join(', '));
      }
    },
    { iterations: 5, time: 0, warmupIterations: 1 },
  );
  const dir = posix.join(tmp.dir, 'scan');
  const ready = writePart(fs, dir, schema, batches);
  bench(
    'scanPart, every column',
    async () => {
      await ready;
      const part = await openPart(fs, dir);
      let rows = 0;
      for await (const b of scanPart(part, { columns: all })) rows += b.count;
      if (rows !== ROWS) throw new Error(`scanned ${rows} rows`);
    },
    { iterations: 10, time: 0, warmupIterations: 2 },
  );
  bench(
    'scanPart, 2 columns',
    async () => {
      await ready;
      const part = await openPart(fs, dir);
      let rows = 0;
      for await (const b of scanPart(part, { columns: [6, 8] })) rows += b.count;
      if (rows !== ROWS) throw new Error(`scanned ${rows} rows`);
    },
    { iterations: 10, time: 0, warmupIterations: 2 },
  );
});
