// What bitmap indexes cost and buy on a part of 1M rows (64Ki-row blocks, real file system) of a
// unique INTEGER id, an INTEGER code and a VARCHAR city of 25 values each scattered over every
// block, and an INTEGER batch of 25 values in runs (clustered): writePart without an index, with
// a bitmap index on code, on city, on batch, and with the automatic choice (which takes batch
// only); then an IN over two of 25 values, scattered and clustered, scanned with and without an
// index. Run with:
//   npx vitest bench --run test/storage/index/index-build.bench.ts
// Rows per second = hz x ROWS; file sizes and scan counters are printed once. The index is
// opened on the first scan and then cached on the part, as a store keeps its parts open.

import { posix } from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { type Batch, makeBatch } from '../../../common/batch.js';
import { T } from '../../../common/types.js';
import { flatVector } from '../../../common/vector.js';
import { NodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { openPart, scanPart } from '../../../storage/part/part-reader.js';
import { writePart, type WritePartOptions } from '../../../storage/part/part-writer.js';
import { newScanStats } from '../../../storage/table.js';
import { tempDir } from '../part/part-test-helpers.js';

const ROWS = 1 << 20;
const BATCH = 65536;
const VALUES = 25;
let seed = 88172645;
const rnd = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};

const ids = new Int32Array(ROWS);
const runs = new Int32Array(ROWS);
const codes = new Int32Array(ROWS);
const cities: string[] = new Array<string>(ROWS);
const names = Array.from({ length: VALUES }, (_, i) => `CITY${String(i).padStart(3, '0')}`);
for (let i = 0; i < ROWS; i++) {
  ids[i] = i;
  runs[i] = Math.floor((i * VALUES) / ROWS);
  codes[i] = Math.floor(rnd() * VALUES);
  cities[i] = names[codes[i]!]!;
}
const batches: Batch[] = [];
for (let s = 0; s < ROWS; s += BATCH) {
  const columns = [flatVector(T.INTEGER, ids.subarray(s, s + BATCH)), flatVector(T.INTEGER, codes.subarray(s, s + BATCH)), flatVector(T.VARCHAR, cities.slice(s, s + BATCH)), flatVector(T.INTEGER, runs.subarray(s, s + BATCH))];
  batches.push(makeBatch(columns, BATCH));
}
const schema = { columns: [{ name: 'id', type: T.INTEGER }, { name: 'code', type: T.INTEGER }, { name: 'city', type: T.VARCHAR }, { name: 'batch', type: T.INTEGER }] };

const fs = new NodeFileSystem();
const tmp = tempDir('quiver-index-bench-');
afterAll(() => tmp.remove());
let n = 0;
const reported = new Set<string>();

function writeBench(name: string, options: WritePartOptions): void {
  bench(
    name,
    async () => {
      const written = await writePart(fs, posix.join(tmp.dir, `w${++n}`), schema, batches, { autoBitmapIndexes: false, ...options });
      if (!reported.has(name)) {
        reported.add(name);
        const columns = written.columns.map((c) => `${c.name} ${c.bytes}`).join(', ');
        const indexes = written.columns.map((c) => (c.index === null ? '' : `${c.name}: ${c.index.values} values, ${c.index.bytes} bytes`)).filter((x) => x);
        console.log(`${name}: column bytes ${columns}; ${indexes.join('; ') || 'no index'}`);
      }
    },
    { iterations: 5, time: 0, warmupIterations: 1 },
  );
}

describe(`writePart, ${ROWS} rows: id (unique), code (INTEGER), city (VARCHAR), batch (INTEGER, clustered), ${VALUES} values each`, () => {
  writeBench('no index', {});
  writeBench('bitmap index on code', { bitmapColumns: [1] });
  writeBench('bitmap index on city', { bitmapColumns: [2] });
  writeBench('bitmap index on batch', { bitmapColumns: [3] });
  writeBench('automatic choice', { autoBitmapIndexes: true });
});

describe(`scan id, x IN (3, 17) over ${ROWS} rows (8% match)`, () => {
  const plain = posix.join(tmp.dir, 'plain');
  const indexed = posix.join(tmp.dir, 'indexed');
  const ready = Promise.all([writePart(fs, plain, schema, batches, { autoBitmapIndexes: false }), writePart(fs, indexed, schema, batches, { bitmapColumns: [1, 3] })]);
  for (const [name, dir, column] of [
    ['code (scattered), zone maps only', plain, 1],
    ['code (scattered), bitmap index', indexed, 1],
    ['batch (clustered), zone maps only', plain, 3],
    ['batch (clustered), bitmap index', indexed, 3],
  ] as const) {
    let part: Awaited<ReturnType<typeof openPart>> | null = null;
    bench(
      name,
      async () => {
        await ready;
        part ??= await openPart(fs, dir);
        const stats = newScanStats();
        let rows = 0;
        for await (const b of scanPart(part, { columns: [0, column], predicates: [{ column, op: 'in', values: [3, 17] }] }, stats)) rows += b.count;
        if (!reported.has(name)) {
          reported.add(name);
          console.log(`${name}: ${rows} rows out, ${stats.valuesDecoded} values decoded, ${stats.bytesRead} bytes read, ${stats.bitmapRows} rows selected by the bitmap`);
        }
      },
      { iterations: 10, time: 0, warmupIterations: 2 },
    );
  }
});
