// mergeParts (storage/compaction/merge.ts): the merged part holds exactly the live rows of the
// sources, sorted by the sort key; deleted rows are gone; columns a source lacks read as NULL;
// bad requests fail before anything is written, and a failed write leaves no directory.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuiverError } from '../../../common/errors.js';
import { T } from '../../../common/types.js';
import { pathExists } from '../../../storage/fs/file-system.js';
import { ForgetfulFileSystem } from '../../../storage/fs/forgetful-file-system.js';
import { NodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { type MergeRequest, mergeParts } from '../../../storage/compaction/merge.js';
import { openPart } from '../../../storage/part/part-reader.js';
import { blockCache } from '../../../storage/part/block-cache.js';
import { tempDir } from '../part/part-test-helpers.js';
import { column, expectSorted, type ModelSource, readRows, referenceMerge, type Row, writeRows } from './compaction-test-helpers.js';

const COLUMNS = [column('k', T.INTEGER), column('name', T.VARCHAR), column('x', T.DOUBLE), column('big', T.BIGINT)];
const TYPES = COLUMNS.map((c) => c.type);

/** Column ids 0..n-1: a part holding the table's first n columns, none ever dropped. */
const ids = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function request(sources: MergeRequest['sources'], extra: Partial<MergeRequest> = {}): MergeRequest {
  return { sources, columns: COLUMNS, columnIds: ids(COLUMNS.length), sortKey: [0], target: '/db/merged', force: null, bitmapColumns: [], ...extra };
}

/** Source rows sorted by k, with NULL keys last as a flush writes them. */
function sortedSource(seed: number, n: number): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const k = (i * 7 + seed * 13) % 23;
    rows.push([i % 11 === 5 ? null : k, `s${seed}-${i}`, i % 4 === 0 ? null : i / 4, i % 3 === 0 ? 2n ** 60n + BigInt(i) : BigInt(i)]);
  }
  return rows.sort((a, b) => (a[0] === null ? 1 : 0) - (b[0] === null ? 1 : 0) || ((a[0] as number) ?? 0) - ((b[0] as number) ?? 0));
}

describe('mergeParts', () => {
  let fs: ForgetfulFileSystem;
  beforeEach(async () => {
    fs = new ForgetfulFileSystem();
    await fs.mkdir('/db');
  });

  it('merges the live rows of every source in sort key order, across block boundaries', async () => {
    const sources: ModelSource[] = [0, 1, 2].map((s) => ({ rows: sortedSource(s, 40 + s * 9), deleted: null }));
    sources[0]!.deleted = Uint8Array.from({ length: 40 }, (_, i) => (i % 3 === 1 ? 1 : 0));
    // Every row of the second block of source 2 deleted, and one row of its last block.
    const d2 = new Uint8Array(58);
    d2.fill(1, 7, 14);
    d2[57] = 1;
    sources[2]!.deleted = d2;
    for (const [i, s] of sources.entries()) await writeRows(fs, `/db/p${i}`, COLUMNS, s.rows, 7);
    blockCache.clear();
    const result = await mergeParts(
      fs,
      request(
        sources.map((s, i) => ({ dir: `/db/p${i}`, deleted: s.deleted, columnIds: ids(4) })),
        { blockRows: 5 },
      ),
    );
    // A merge reads each block once: it leaves the block cache to queries.
    expect(blockCache.size).toBe(0);
    const expected = referenceMerge(sources, TYPES, [0]);
    expectSorted(expected, [0]);
    expect(result.rows).toBe(expected.length);
    expect(result.rows).toBe(40 - 13 + 49 + 58 - 8);
    expect(result.meta!.rows).toBe(expected.length);
    expect(result.meta!.blockRows).toBe(5);
    expect(await readRows(fs, '/db/merged', TYPES)).toEqual(expected);
    expect((await openPart(fs, '/db/merged')).meta).toEqual(result.meta);
  });

  it('reads a column added after a source was written as NULL', async () => {
    const old = [
      [1, 'a'],
      [5, 'b'],
    ];
    const young: Row[] = [
      [2, 'c', 1.5, 7n],
      [5, 'd', null, 2n ** 62n],
    ];
    await writeRows(fs, '/db/old', COLUMNS.slice(0, 2), old, 4);
    await writeRows(fs, '/db/young', COLUMNS, young, 4);
    const result = await mergeParts(
      fs,
      request([
        { dir: '/db/old', deleted: null, columnIds: ids(2) },
        { dir: '/db/young', deleted: null, columnIds: ids(4) },
      ]),
    );
    expect(result.rows).toBe(4);
    expect(await readRows(fs, '/db/merged', TYPES)).toEqual([
      [1, 'a', null, null],
      [2, 'c', 1.5, 7n],
      [5, 'b', null, null],
      [5, 'd', null, 2n ** 62n],
    ]);
  });

  it('matches columns by id: a dropped column is left out, a column added later (even under a dropped name) is NULL', async () => {
    // Written when the table was (k, name, x, big) with ids 0..3; then name (id 1) was dropped and
    // a new "name" (id 4) added: the table is (k, x, big, name) with ids 0, 2, 3, 4.
    const before: Row[] = [
      [1, 'old-a', 0.5, 10n],
      [4, 'old-b', null, 20n],
    ];
    const between: Row[] = [[2, 1.5, 30n]];
    const after: Row[] = [[3, 2.5, null, 'new']];
    const now = [COLUMNS[0]!, COLUMNS[2]!, COLUMNS[3]!, column('name', T.VARCHAR)];
    await writeRows(fs, '/db/before', COLUMNS, before, 4);
    await writeRows(fs, '/db/between', [COLUMNS[0]!, COLUMNS[2]!, COLUMNS[3]!], between, 4);
    await writeRows(fs, '/db/after', now, after, 4);
    const result = await mergeParts(fs, {
      ...request([
        { dir: '/db/before', deleted: new Uint8Array([0, 0]), columnIds: [0, 1, 2, 3] },
        { dir: '/db/between', deleted: null, columnIds: [0, 2, 3] },
        { dir: '/db/after', deleted: null, columnIds: [0, 2, 3, 4] },
      ]),
      columns: now,
      columnIds: [0, 2, 3, 4],
    });
    expect(result.rows).toBe(4);
    expect(result.meta!.columns.map((c) => c.type)).toEqual(now.map((c) => c.type));
    expect(await readRows(fs, '/db/merged', now.map((c) => c.type))).toEqual([
      [1, 0.5, 10n, null],
      [2, 1.5, 30n, null],
      [3, 2.5, null, 'new'],
      [4, null, 20n, null],
    ]);
  });

  it('sorts by a key of several columns with NULLs last, equal keys in source order', async () => {
    const cols = [column('a', T.VARCHAR), column('b', T.BIGINT), column('tag', T.INTEGER)];
    const types = cols.map((c) => c.type);
    const s0: Row[] = [
      ['x', 1n, 0],
      ['x', null, 1],
      ['y', 2n ** 55n, 2],
      [null, 3n, 3],
    ];
    const s1: Row[] = [
      ['x', 1n, 10],
      ['x', 2n ** 55n, 11],
      ['y', -(2n ** 55n), 12],
      [null, null, 13],
    ];
    await writeRows(fs, '/db/s0', cols, s0, 3);
    await writeRows(fs, '/db/s1', cols, s1, 3);
    await mergeParts(fs, {
      ...request([
        { dir: '/db/s0', deleted: null, columnIds: ids(3) },
        { dir: '/db/s1', deleted: null, columnIds: ids(3) },
      ]),
      columns: cols,
      columnIds: ids(3),
      sortKey: [0, 1],
    });
    expect((await readRows(fs, '/db/merged', types)).map((r) => r[2])).toEqual([0, 10, 11, 1, 12, 2, 3, 13]);
  });

  it('sorts a source whose rows are not in key order', async () => {
    const rows: Row[] = [9, 3, 7, 1, 3].map((k, i) => [k, `r${i}`, null, null]);
    await writeRows(fs, '/db/unsorted', COLUMNS, rows, 2);
    await writeRows(fs, '/db/sorted', COLUMNS, [[2, 's', null, null]], 2);
    await mergeParts(
      fs,
      request([
        { dir: '/db/unsorted', deleted: null, columnIds: ids(4) },
        { dir: '/db/sorted', deleted: null, columnIds: ids(4) },
      ]),
    );
    expect((await readRows(fs, '/db/merged', TYPES)).map((r) => r[1])).toEqual(['r3', 's', 'r1', 'r4', 'r2', 'r0']);
  });

  it('keeps source order when the table has no sort key', async () => {
    await writeRows(fs, '/db/a', COLUMNS, [[3, 'a', null, null], [1, 'b', null, null]], 4);
    await writeRows(fs, '/db/b', COLUMNS, [[2, 'c', null, null]], 4);
    await mergeParts(
      fs,
      request(
        [
          { dir: '/db/a', deleted: null, columnIds: ids(4) },
          { dir: '/db/b', deleted: null, columnIds: ids(4) },
        ],
        { sortKey: [] },
      ),
    );
    expect((await readRows(fs, '/db/merged', TYPES)).map((r) => r[1])).toEqual(['a', 'b', 'c']);
  });

  it('writes nothing when every row is deleted', async () => {
    await writeRows(fs, '/db/a', COLUMNS, [[3, 'a', null, null], [1, 'b', null, null]], 4);
    const result = await mergeParts(fs, request([{ dir: '/db/a', deleted: new Uint8Array([1, 1]), columnIds: ids(4) }]));
    expect(result).toEqual({ meta: null, rows: 0 });
    expect(await pathExists(fs, '/db/merged')).toBe(false);
  });

  it('forces an encoding and pauses between blocks when asked', async () => {
    const rows: Row[] = Array.from({ length: 30 }, (_, i) => [i, 'same', 1, 1n]);
    await writeRows(fs, '/db/a', COLUMNS, rows, 8);
    const result = await mergeParts(fs, request([{ dir: '/db/a', deleted: null, columnIds: ids(4) }], { force: 'plain', blockRows: 10, pauseMs: 1 }));
    for (const c of result.meta!.columns) expect(c.blocks.map((b) => b.encoding)).toEqual(['plain', 'plain', 'plain']);
    expect(await readRows(fs, '/db/merged', TYPES)).toEqual(normalizeRows(rows));
  });

  it('writes the bitmap indexes asked for', async () => {
    const rows = sortedSource(1, 40);
    await writeRows(fs, '/db/a', COLUMNS, rows, 8);
    const result = await mergeParts(fs, request([{ dir: '/db/a', deleted: null, columnIds: ids(4) }], { bitmapColumns: [1] }));
    expect(result.meta!.columns.map((c) => c.bitmapIndex)).toEqual([false, true, false, false]);
    await expect(mergeParts(fs, request([{ dir: '/db/a', deleted: null, columnIds: ids(4) }], { target: '/db/m2', bitmapColumns: [4] }))).rejects.toThrow(
      /bitmap index column 4 is not a column of the part/,
    );
    expect(await pathExists(fs, '/db/m2')).toBe(false);
  });

  it('refuses bad requests before writing anything', async () => {
    await writeRows(fs, '/db/a', COLUMNS, [[1, 'a', null, null]], 4);
    await writeRows(fs, '/db/narrow', COLUMNS.slice(0, 2), [[1, 'a']], 4);
    const src = { dir: '/db/a', deleted: null, columnIds: ids(4) };
    const cases: [MergeRequest, string, RegExp][] = [
      [request([]), 'INVALID_INPUT', /no source part/],
      [request([src, src]), 'INVALID_INPUT', /\/db\/a is given twice/],
      [request([src], { sortKey: [4] }), 'INVALID_INPUT', /sort key column index 4/],
      [request([src], { sortKey: [1, 1] }), 'INVALID_INPUT', /sort key column name is named twice/],
      [request([src], { pauseMs: -1 }), 'INVALID_INPUT', /pauseMs/],
      [request([{ ...src, columnIds: [0, 0] }]), 'INVALID_INPUT', /part \/db\/a names column id 0 twice/],
      [request([{ ...src, columnIds: [] }]), 'INVALID_INPUT', /part \/db\/a holds no column/],
      [request([src], { columnIds: ids(3) }), 'INVALID_INPUT', /3 column ids are given for the table's 4 columns/],
      [request([src], { columnIds: [0, 1, 2, -1] }), 'INVALID_INPUT', /the table has column id -1/],
      [request([{ ...src, deleted: new Uint8Array(2) }]), 'INVALID_INPUT', /deletion mask of part \/db\/a covers 2 rows, the part has 1/],
      [request([{ ...src, columnIds: ids(3) }]), 'IO_ERROR', /\/db\/a holds 4 columns, its manifest entry says 3/],
      [request([{ dir: '/db/narrow', deleted: null, columnIds: ids(2) }], { columns: [COLUMNS[0]!, column('name', T.INTEGER), ...COLUMNS.slice(2)] }), 'IO_ERROR', /stored as VARCHAR, the table says INTEGER/],
      [request([{ ...src, dir: '/db/missing' }]), 'IO_ERROR', /\/db\/missing/],
      [request([src], { target: '/db/a' }), 'INVALID_INPUT', /\/db\/a: it already exists/],
      [request([src], { blockRows: 0 }), 'INVALID_INPUT', /block size/],
    ];
    for (const [req, code, message] of cases) {
      const error = await mergeParts(fs, req).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, String(message)).toBeInstanceOf(QuiverError);
      expect((error as QuiverError).code, String(message)).toBe(code);
      expect((error as QuiverError).message).toMatch(message);
      expect(await pathExists(fs, '/db/merged')).toBe(false);
    }
  });

  it('removes the partly written part when a write fails', async () => {
    await writeRows(fs, '/db/a', COLUMNS, [[1, 'a', null, null]], 4);
    fs.injectError('sync', 'EIO');
    await expect(mergeParts(fs, request([{ dir: '/db/a', deleted: null, columnIds: ids(4) }]))).rejects.toMatchObject({ code: 'IO_ERROR', message: /EIO/ });
    expect(await pathExists(fs, '/db/merged')).toBe(false);
    expect(await fs.readdir('/db')).toEqual(['a']);
  });
});

describe('mergeParts on the real file system', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir('quiver-merge-');
  });
  afterEach(() => tmp.remove());

  it('merges parts in directories on disk', async () => {
    const fs = new NodeFileSystem();
    const sources: ModelSource[] = [0, 1].map((s) => ({ rows: sortedSource(s, 100), deleted: Uint8Array.from({ length: 100 }, (_, i) => (i % 5 === s ? 1 : 0)) }));
    for (const [i, s] of sources.entries()) await writeRows(fs, `${tmp.dir}/p${i}`, COLUMNS, s.rows, 16);
    const target = `${tmp.dir}/merged`;
    const result = await mergeParts(fs, request(sources.map((s, i) => ({ dir: `${tmp.dir}/p${i}`, deleted: s.deleted, columnIds: ids(4) })), { target }));
    expect(result.rows).toBe(160);
    expect(await readRows(fs, target, TYPES)).toEqual(referenceMerge(sources, TYPES, [0]));
  });
});

function normalizeRows(rows: Row[]): Row[] {
  return rows.map((r) => r.map((v, c) => (c === 3 && v !== null ? BigInt(v as bigint) : v)));
}
