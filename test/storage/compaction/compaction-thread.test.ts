// The compaction worker thread (storage/compaction/compaction-thread.ts): a merge in the worker
// writes the same part as mergeParts on the main thread; errors come back as QuiverErrors with
// code and message; a worker that dies (out of heap) rejects its merge and the next merge gets a
// new worker; close() cancels; an idle worker never keeps the process alive.
// The worker runs the compiled dist/ code: run `npm run build` before this file.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBatch } from '../../../common/batch.js';
import { QuiverError } from '../../../common/errors.js';
import { T } from '../../../common/types.js';
import { CompactionThread } from '../../../storage/compaction/compaction-thread.js';
import { type MergeRequest, mergeParts } from '../../../storage/compaction/merge.js';
import { pathExists } from '../../../storage/fs/file-system.js';
import { NodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { writePart } from '../../../storage/part/part-writer.js';
import { tempDir } from '../part/part-test-helpers.js';
import { column, type ModelSource, readRows, referenceMerge, type Row, writeRows } from './compaction-test-helpers.js';

const fs = new NodeFileSystem();
const COLUMNS = [column('k', T.INTEGER), column('v', T.VARCHAR), column('b', T.BIGINT)];
const TYPES = COLUMNS.map((c) => c.type);
let tmp: ReturnType<typeof tempDir>;
let sources: ModelSource[];
let targets = 0;

function request(extra: Partial<MergeRequest> = {}): MergeRequest {
  return {
    sources: sources.map((s, i) => ({ dir: `${tmp.dir}/p${i}`, deleted: s.deleted, columnIds: [0, 1, 2] })),
    columns: COLUMNS,
    columnIds: [0, 1, 2],
    sortKey: [0],
    target: `${tmp.dir}/t${targets++}`,
    blockRows: 100,
    force: null,
    bitmapColumns: [],
    ...extra,
  };
}

beforeAll(async () => {
  tmp = tempDir('quiver-compaction-thread-');
  sources = [];
  for (let p = 0; p < 3; p++) {
    const rows: Row[] = [];
    for (let i = 0; i < 700; i++) rows.push([(i * 3 + p) % 500, `p${p}-${i}`, i % 9 === 0 ? null : BigInt(i) * 2n ** 45n]);
    rows.sort((a, b) => (a[0] as number) - (b[0] as number));
    const deleted = Uint8Array.from(rows, (_, i) => (i % (p + 2) === 0 ? 1 : 0));
    sources.push({ rows, deleted });
    await writeRows(fs, `${tmp.dir}/p${p}`, COLUMNS, rows, 64);
  }
});
afterAll(() => tmp.remove());

const failure = (p: Promise<unknown>): Promise<QuiverError> =>
  p.then(
    () => {
      throw new Error('expected the merge to fail');
    },
    (e: unknown) => e as QuiverError,
  );

describe('CompactionThread', () => {
  it('writes the same part as a merge on the main thread', async () => {
    const thread = new CompactionThread();
    try {
      const here = request();
      const there = request();
      const local = await mergeParts(fs, here);
      const remote = await thread.merge(there);
      expect(remote).toEqual(local);
      const expected = referenceMerge(sources, TYPES, [0]);
      expect(remote.rows).toBe(expected.length);
      expect(await readRows(fs, there.target, TYPES)).toEqual(expected);
      expect(await readRows(fs, here.target, TYPES)).toEqual(expected);
    } finally {
      await thread.close();
    }
  });

  it('runs merges asked for together one after the other', async () => {
    const thread = new CompactionThread();
    try {
      const requests = [request(), request({ sortKey: [] }), request({ pauseMs: 1 })];
      const results = await Promise.all(requests.map((r) => thread.merge(r)));
      const expected = referenceMerge(sources, TYPES, [0]);
      expect(await readRows(fs, requests[0]!.target, TYPES)).toEqual(expected);
      expect(await readRows(fs, requests[1]!.target, TYPES)).toEqual(referenceMerge(sources, TYPES, []));
      expect(await readRows(fs, requests[2]!.target, TYPES)).toEqual(expected);
      for (const r of results) expect(r.rows).toBe(expected.length);
    } finally {
      await thread.close();
    }
  });

  it('returns a merge error as a QuiverError with its code and message, and keeps working', async () => {
    const thread = new CompactionThread();
    try {
      const missing = request();
      const bad = { ...missing, sources: [...missing.sources, { dir: `${tmp.dir}/nope`, deleted: null, columnIds: [0, 1, 2] }] };
      const e = await failure(thread.merge(bad));
      expect(e).toBeInstanceOf(QuiverError);
      expect(e.code).toBe('IO_ERROR');
      expect(e.message).toBe(`cannot read ${tmp.dir}/nope/part.meta: no such file or directory (ENOENT)`);
      expect(e.message).not.toMatch(/\n\s+at /);
      const wrongMask = request();
      const e2 = await failure(thread.merge({ ...wrongMask, sources: [{ ...wrongMask.sources[0]!, deleted: new Uint8Array(3) }] }));
      expect(e2.code).toBe('INVALID_INPUT');
      expect(e2.message).toMatch(/covers 3 rows, the part has 700/);
      const ok = request();
      expect((await thread.merge(ok)).rows).toBe(referenceMerge(sources, TYPES, [0]).length);
    } finally {
      await thread.close();
    }
  });

  it('rejects the merge of a worker that runs out of heap, and starts a new worker for the next', async () => {
    // 2 x 150k distinct strings: far more than a 16 MiB heap holds.
    const cols = [column('s', T.VARCHAR)];
    const big = `${tmp.dir}/big`;
    await fs.mkdir(big);
    for (let p = 0; p < 2; p++) {
      const n = 150_000;
      const data = Array.from({ length: n }, (_, i) => `value ${p} ${String(i).padStart(9, '0')} ${'x'.repeat(24)}`);
      await writePart(fs, `${big}/p${p}`, { columns: cols }, [makeBatch([{ kind: 'flat', type: T.VARCHAR, length: n, data, validity: null }], n)]);
    }
    const bigRequest = (name: string): MergeRequest => ({
      sources: [0, 1].map((p) => ({ dir: `${big}/p${p}`, deleted: null, columnIds: [0] })),
      columns: cols,
      columnIds: [0],
      sortKey: [0],
      target: `${big}/${name}`,
      force: null,
      bitmapColumns: [],
    });
    const thread = new CompactionThread({ maxHeapMb: 16 });
    try {
      const e = await failure(thread.merge(bigRequest('a')));
      expect(e.code).toBe('INTERNAL_ERROR');
      expect(e.message).toMatch(/^the compaction worker stopped during a merge: it ran out of memory \(heap limit 16 MiB\)/);
      // A small merge fits the same limit in a fresh worker.
      const small = request();
      expect((await thread.merge(small)).rows).toBe(referenceMerge(sources, TYPES, [0]).length);
    } finally {
      await thread.close();
    }
  });

  it('cancels the running merge and refuses new ones once closed', async () => {
    const thread = new CompactionThread();
    // A pause per block keeps the merge running while close() is called.
    const running = failure(thread.merge(request({ pauseMs: 50 })));
    const queued = failure(thread.merge(request()));
    await new Promise((r) => setTimeout(r, 100));
    await thread.close();
    expect(await running).toMatchObject({ code: 'CANCELLED', message: 'the compaction thread was closed during a merge' });
    expect(await queued).toMatchObject({ code: 'CANCELLED', message: /the compaction thread is closed/ });
    expect((await failure(thread.merge(request()))).code).toBe('CANCELLED');
  });

  it('checks its options', () => {
    expect(() => new CompactionThread({ maxHeapMb: 0 })).toThrow(/maxHeapMb must be a positive integer/);
  });

  it('never keeps the process alive when idle', async () => {
    // A program that merges and never calls close() still ends by itself.
    const dist = fileURLToPath(new URL('../../../dist/storage/compaction/compaction-thread.js', import.meta.url));
    const req = request();
    const script = `
      import { CompactionThread } from ${JSON.stringify(dist)};
      const r = await new CompactionThread().merge(${JSON.stringify({ ...req, sources: req.sources.map((s) => ({ ...s, deleted: null })) })});
      console.log('rows', r.rows);
    `;
    const file = `${tmp.dir}/merge-and-exit.mjs`;
    writeFileSync(file, script);
    const child = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).toBe('');
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
    expect(child.stdout.trim()).toBe(`rows ${3 * 700}`);
    expect(await pathExists(fs, req.target)).toBe(true);
  });
});
