// Merge throughput of compaction: 4 parts x 250k rows of 10 INTEGER columns (sort key: the
// first, random in each part so the parts interleave; 5% of rows deleted) on the real file
// system, merged (a) by mergeParts on this thread, (b) in the compaction worker thread, and
// (c) the alternative mergeParts rejected: appending the live rows to a Memtable and re-sorting
// them all as a flush does. Run with (after `npm run build`, for the worker):
//   npx vitest bench --run test/storage/compaction/merge-throughput.bench.ts
// Merged rows per second = hz x PARTS x PART_ROWS x 0.95.

import { rmSync } from 'node:fs';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { type Batch, makeBatch } from '../../../common/batch.js';
import { T } from '../../../common/types.js';
import { flatVector, gatherAny } from '../../../common/vector.js';
import { CompactionThread } from '../../../storage/compaction/compaction-thread.js';
import { type MergeRequest, mergeParts } from '../../../storage/compaction/merge.js';
import { NodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { Memtable } from '../../../storage/memtable/memtable.js';
import { openPart, scanPart } from '../../../storage/part/part-reader.js';
import { writePart } from '../../../storage/part/part-writer.js';
import { tempDir } from '../part/part-test-helpers.js';
import { column } from './compaction-test-helpers.js';

const PARTS = 4;
const PART_ROWS = 250_000;
const BATCH = 65536;
const COLUMNS = Array.from({ length: 10 }, (_, c) => column(`c${c}`, T.INTEGER));
const DELETED_EVERY = 20;

let seed = 88172645;
const rnd = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
};

const fs = new NodeFileSystem();
const tmp = tempDir('quiver-merge-bench-');
const thread = new CompactionThread();
let sources: MergeRequest['sources'] = [];
let n = 0;

beforeAll(async () => {
  const list: MergeRequest['sources'][number][] = [];
  for (let p = 0; p < PARTS; p++) {
    const data = COLUMNS.map(() => new Int32Array(PART_ROWS));
    const key = Float64Array.from({ length: PART_ROWS }, () => Math.floor(rnd() * 10_000_000)).sort();
    for (let i = 0; i < PART_ROWS; i++) {
      data[0]![i] = key[i]!;
      for (let c = 1; c < COLUMNS.length; c++) data[c]![i] = c < 4 ? Math.floor(rnd() * 200_000) : Math.floor(rnd() * 50 * c);
    }
    const batches: Batch[] = [];
    for (let s = 0; s < PART_ROWS; s += BATCH) {
      const e = Math.min(PART_ROWS, s + BATCH);
      batches.push(makeBatch(data.map((d) => flatVector(T.INTEGER, d.subarray(s, e))), e - s));
    }
    const dir = `${tmp.dir}/p${p}`;
    await writePart(fs, dir, { columns: COLUMNS }, batches);
    const deleted = Uint8Array.from({ length: PART_ROWS }, (_, i) => (i % DELETED_EVERY === p ? 1 : 0));
    list.push({ dir, deleted, columnIds: COLUMNS.map((_, i) => i) });
  }
  sources = list;
});

afterAll(async () => {
  await thread.close();
  tmp.remove();
});

function request(): MergeRequest {
  return { sources, columns: COLUMNS, columnIds: COLUMNS.map((_, i) => i), sortKey: [0], target: `${tmp.dir}/m${n++}`, force: null, bitmapColumns: [] };
}

/** The rejected alternative: every live row into a Memtable, re-sorted by sortedBatches. */
async function mergeByResorting(req: MergeRequest): Promise<number> {
  const memtable = new Memtable({ name: 't', columns: [...req.columns], sortKey: ['c0'], primaryKey: [] });
  for (const s of req.sources) {
    const part = await openPart(fs, s.dir);
    let first = 0;
    for await (const b of scanPart(part, { columns: req.columns.map((_, c) => c) })) {
      const live: number[] = [];
      for (let i = 0; i < b.count; i++) if (s.deleted![first + i] === 0) live.push(i);
      first += b.count;
      const sel = Int32Array.from(live);
      memtable.append(makeBatch(b.columns.map((v) => gatherAny(v, sel, sel.length)), sel.length));
    }
  }
  const written = await writePart(fs, req.target, { columns: req.columns }, memtable.freeze().sortedBatches());
  return written.rows;
}

const options = { iterations: 4, warmupIterations: 1, time: 0, warmupTime: 0 };
const done = (req: MergeRequest) => rmSync(req.target, { recursive: true, force: true });

describe(`merge ${PARTS} parts x ${PART_ROWS} rows x ${COLUMNS.length} INTEGER columns`, () => {
  bench(
    'mergeParts, this thread (k-way merge of sorted runs)',
    async () => {
      const req = request();
      await mergeParts(fs, req);
      done(req);
    },
    options,
  );
  bench(
    'mergeParts in the compaction worker',
    async () => {
      const req = request();
      await thread.merge(req);
      done(req);
    },
    options,
  );
  bench(
    're-sorting through a Memtable, this thread',
    async () => {
      const req = request();
      await mergeByResorting(req);
      done(req);
    },
    options,
  );
});
