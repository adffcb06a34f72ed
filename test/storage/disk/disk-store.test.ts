// DiskStore on the real disk: rows survive a reopen (from the log, and from parts after a
// checkpoint), bulk loads are sorted by the sort key, DROP TABLE deletes its parts, one writer at
// a time, and a read-only open sees what the writer committed.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decimalType, type LogicalType, T } from '../../../common/types.js';
import type { Scalar } from '../../../common/vector.js';
import { DiskStore } from '../../../storage/disk/disk-store.js';
import { NodeFileSystem } from '../../../storage/fs/node-file-system.js';
import type { TableSchema } from '../../../storage/table.js';
import { batchOf, normalize, readRows } from './disk-test-helpers.js';

const fs = new NodeFileSystem();
let dir: string;
const open: DiskStore[] = [];

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'quiver-disk-')), 'db');
});

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

async function openStore(options: Parameters<typeof DiskStore.open>[2] = {}): Promise<DiskStore> {
  const s = await DiskStore.open(fs, dir, options);
  open.push(s);
  return s;
}

async function closeStore(s: DiskStore): Promise<void> {
  open.splice(open.indexOf(s), 1);
  await s.close();
}

function schemaOf(name: string, columns: [string, LogicalType][], sortKey: string[] = []): TableSchema {
  return { name, columns: columns.map(([n, type]) => ({ name: n, type, notNull: false })), sortKey, primaryKey: [] };
}

const ALL_TYPES: [string, LogicalType][] = [
  ['b', T.BOOLEAN],
  ['s', T.SMALLINT],
  ['i', T.INTEGER],
  ['g', T.BIGINT],
  ['d', decimalType(12, 2)],
  ['r', T.REAL],
  ['f', T.DOUBLE],
  ['dt', T.DATE],
  ['ts', T.TIMESTAMP],
  ['tz', T.TIMESTAMPTZ],
  ['v', T.VARCHAR],
];
const allTypes = ALL_TYPES.map(([, t]) => t);

/** Row k of the all-types table; every column is NULL in some rows. */
function typedRow(k: number): Scalar[] {
  const n = (m: number) => k % m === 0;
  return [
    n(5) ? null : k % 2,
    n(6) ? null : (k % 300) - 150,
    n(7) ? null : k * 1000 - 7,
    n(8) ? null : k * 2 ** 40 + 3,
    n(9) ? null : k * 125 - 999, // a scaled integer: DECIMAL(12,2)
    n(10) ? null : k + 0.5,
    n(11) ? null : k / 3,
    n(12) ? null : 19000 + k,
    n(13) ? null : 1.7e15 + k * 1e6,
    n(14) ? null : 1.6e15 - k,
    n(4) ? null : `value ${k} é ${'x'.repeat(k % 20)}`,
  ];
}

const expected = (rows: Scalar[][], types: readonly LogicalType[]) => rows.map((r) => r.map((v, c) => normalize(types[c]!, v)));

const sortedById = (rows: Scalar[][], c = 2) => [...rows].sort((a, b) => (a[c] as number) - (b[c] as number));

describe('DiskStore', () => {
  it('returns every inserted row of every type, NULLs included, after a reopen (replayed from the log)', async () => {
    let store = await openStore();
    await store.createTable(schemaOf('t', ALL_TYPES));
    const rows = Array.from({ length: 300 }, (_, k) => typedRow(k + 1));
    await store.insert('t', batchOf(allTypes, rows.slice(0, 100)));
    await Promise.all([store.insert('t', batchOf(allTypes, rows.slice(100, 250))), store.insert('t', batchOf(allTypes, rows.slice(250)))]);
    expect(await readRows(store.table('t').snapshot(), allTypes)).toEqual(expected(rows, allTypes));
    await closeStore(store);

    store = await openStore();
    expect(store.manifest.tables.get('t')!.parts).toHaveLength(0);
    const snap = store.table('t').snapshot();
    expect(snap.rowCount).toBe(300);
    expect(await readRows(snap, allTypes)).toEqual(expected(rows, allTypes));
  });

  it('moves the rows into a part at a checkpoint and deletes the log segments before it', async () => {
    let store = await openStore();
    await store.createTable(schemaOf('t', ALL_TYPES, ['i']));
    await store.createTable(schemaOf('u', [['x', T.INTEGER]]));
    const rows = Array.from({ length: 500 }, (_, k) => typedRow(500 - k));
    await store.insert('t', batchOf(allTypes, rows));
    await store.insert('u', batchOf([T.INTEGER], [[1], [2]]));
    const segmentsBefore = readdirSync(join(dir, 'wal'));
    await store.checkpoint();
    const segmentsAfter = readdirSync(join(dir, 'wal'));
    expect(segmentsAfter).toHaveLength(1);
    expect(segmentsBefore).not.toContain(segmentsAfter[0]);
    expect(store.manifest.firstWalSegment).toBe(Number(segmentsAfter[0]!.slice(0, 20)));
    const later = [typedRow(1000)];
    await store.insert('t', batchOf(allTypes, later));
    await closeStore(store);

    store = await openStore();
    const entry = store.manifest.tables.get('t')!;
    expect(entry.parts).toHaveLength(1);
    expect(entry.parts[0]!.rowCount).toBe(500);
    expect(store.manifest.tables.get('u')!.parts).toHaveLength(1);
    expect(readdirSync(join(dir, 'parts'))).toHaveLength(2);
    const got = await readRows(store.table('t').snapshot(), allTypes);
    // The part holds the rows sorted by i (NULLs last), then the memtable row.
    const withI = rows.filter((r) => r[2] !== null);
    const noI = rows.filter((r) => r[2] === null);
    expect(got).toEqual(expected([...sortedById(withI), ...noI, ...later], allTypes));
    expect(await readRows(store.table('u').snapshot(), [T.INTEGER])).toEqual([[1], [2]]);
  });

  it('checkpoints by itself when a memtable reaches memtableRows', async () => {
    const store = await openStore({ memtableRows: 100 });
    await store.createTable(schemaOf('t', [['x', T.INTEGER]]));
    for (let k = 0; k < 5; k++) await store.insert('t', batchOf([T.INTEGER], Array.from({ length: 40 }, (_, i) => [k * 40 + i])));
    const parts = store.manifest.tables.get('t')!.parts;
    expect(parts.map((p) => p.rowCount)).toEqual([120]);
    const got = await readRows(store.table('t').snapshot(), [T.INTEGER]);
    expect(got.map((r) => r[0])).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('writes a bulk load as one part sorted by the sort key, pruned by its zone maps', async () => {
    const types = [T.VARCHAR, T.INTEGER];
    const store = await openStore({ blockRows: 100 });
    await store.createTable(schemaOf('t', [['name', T.VARCHAR], ['k', T.INTEGER]], ['k']));
    const keys = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    const batches = [0, 400, 700].map((start, j, a) => batchOf(types, keys.slice(start, a[j + 1] ?? 1000).map((k) => [`n${k}`, k])));
    const version = store.manifest.version;
    await store.bulkLoad('t', batches);
    expect(store.manifest.version).toBe(version + 1);
    const parts = store.manifest.tables.get('t')!.parts;
    expect(parts).toHaveLength(1);
    expect(readdirSync(join(dir, 'wal')).length).toBe(1);
    const snap = store.table('t').snapshot();
    const got = await readRows(snap, types);
    expect(got.map((r) => r[1])).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(got[17]).toEqual(['n17', 17]);
    // Blocks of 100 sorted rows: k >= 950 needs only the last block.
    const pruned = await readRows(store.table('t').snapshot(), types, [1], [{ column: 1, op: '>=', values: [950] }]);
    expect(pruned).toHaveLength(100);
    expect(snap.stats(1)).toMatchObject({ rows: 1000, min: 0, max: 999, nulls: 0 });
  });

  it('drops a table with its parts once committed, keeping them while a snapshot pins them', async () => {
    const store = await openStore();
    await store.createTable(schemaOf('t', [['x', T.INTEGER]]));
    await store.createTable(schemaOf('keep', [['x', T.INTEGER]]));
    await store.bulkLoad('t', [batchOf([T.INTEGER], [[1], [2], [3]])]);
    await store.insert('t', batchOf([T.INTEGER], [[4]]));
    await store.insert('keep', batchOf([T.INTEGER], [[9]]));
    const pinned = store.table('t').snapshot();
    await store.dropTable('t');
    expect(store.tableNames()).toEqual(['keep']);
    expect(() => store.table('t')).toThrow(/table "t" does not exist/);
    await expect(store.insert('t', batchOf([T.INTEGER], [[5]]))).rejects.toThrow(/table "t" does not exist/);
    // The pinned snapshot still reads the dropped table; its part goes at the next commit.
    expect(readdirSync(join(dir, 'parts'))).toHaveLength(2);
    expect((await readRows(pinned, [T.INTEGER])).map((r) => r[0])).toEqual([1, 2, 3, 4]);
    pinned.release();
    await store.createTable(schemaOf('t', [['y', T.VARCHAR]]));
    expect(readdirSync(join(dir, 'parts'))).toHaveLength(1); // the flushed "keep" memtable
    await closeStore(store);

    const again = await openStore();
    expect(again.tableNames().sort()).toEqual(['keep', 't']);
    expect(await readRows(again.table('t').snapshot(), [T.VARCHAR])).toEqual([]);
    expect(await readRows(again.table('keep').snapshot(), [T.INTEGER])).toEqual([[9]]);
  });

  it('refuses a second writer while the first holds the lock', async () => {
    const store = await openStore();
    await expect(DiskStore.open(fs, dir)).rejects.toThrow(`database is locked by process ${process.pid}`);
    await closeStore(store);
    await openStore();
  });

  it('lets a read-only open see committed parts and logged rows, and refuses its writes', async () => {
    const store = await openStore();
    await store.createTable(schemaOf('t', [['x', T.INTEGER]]));
    await store.insert('t', batchOf([T.INTEGER], [[1], [2]]));
    await store.checkpoint();
    await store.insert('t', batchOf([T.INTEGER], [[3]]));
    const reader = await openStore({ readOnly: true });
    expect(reader.readOnly).toBe(true);
    expect((await readRows(reader.table('t').snapshot(), [T.INTEGER])).map((r) => r[0])).toEqual([1, 2, 3]);
    await expect(reader.insert('t', batchOf([T.INTEGER], [[4]]))).rejects.toThrow(/open read-only/);
    await expect(reader.createTable(schemaOf('u', [['x', T.INTEGER]]))).rejects.toThrow(/open read-only/);
    await expect(DiskStore.open(fs, join(dir, '..', 'nothing'), { readOnly: true })).rejects.toThrow();
  });

  it('reads a snapshot as of when it was taken, and refuses a batch of the wrong shape', async () => {
    const store = await openStore();
    await store.createTable(schemaOf('t', [['x', T.INTEGER]]));
    await store.insert('t', batchOf([T.INTEGER], [[1]]));
    const snap = store.table('t').snapshot();
    await store.insert('t', batchOf([T.INTEGER], [[2]]));
    await store.checkpoint();
    expect(await readRows(snap, [T.INTEGER])).toEqual([[1]]);
    // A snapshot can be scanned again (self-joins) until the statement releases it.
    expect(await readRows(snap, [T.INTEGER])).toEqual([[1]]);
    snap.release();
    await expect(readRows(snap, [T.INTEGER])).rejects.toThrow(/was released/);
    await expect(store.insert('t', batchOf([T.VARCHAR], [['a']]))).rejects.toThrow(/column x is INTEGER, the batch holds VARCHAR/);
    await expect(store.insert('t', batchOf([T.INTEGER, T.INTEGER], [[1, 2]]))).rejects.toThrow(/2 columns given, the table has 1/);
    expect(await readRows(store.table('t').snapshot(), [T.INTEGER])).toEqual([[1], [2]]);
  });
});
