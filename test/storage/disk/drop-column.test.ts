// ALTER TABLE DROP COLUMN on disk (storage/manifest/manifest.ts column ids): no part is
// rewritten, yet every read is right across parts written before and after a drop — table
// columns are found in a part by their stable id, so a column added with a dropped column's name
// reads NULL in the old parts, never the dropped data. Also pushed predicates and zone maps,
// statistics, storage_info, compaction of parts with different column sets, the log replayed
// after a drop, reopening, and bitmap indexes (whose files name the part's column position)
// built before and after a drop.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { T } from '../../../common/types.js';
import { Database } from '../../../sql/database.js';
import { DiskStore } from '../../../storage/disk/disk-store.js';
import { NodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { partPath } from '../../../storage/manifest/database-layout.js';
import * as M from '../../../storage/manifest/manifest.js';
import { readManifest } from '../../../storage/manifest/manifest-store.js';
import type { TableSchema } from '../../../storage/table.js';
import { batchOf, readRows } from './disk-test-helpers.js';

const fs = new NodeFileSystem();
let root: string;
let dir: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'quiver-drop-column-'));
  dir = join(root, 'db');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

async function rows(db: Database, sql: string): Promise<unknown[][]> {
  return (await db.query(sql)).rows();
}

async function entryOf(table: string): Promise<M.TableEntry> {
  const m = await readManifest(fs, dir);
  return M.requireTableEntry(m!, table);
}

/** (part, column name) pairs storage_info lists, in its order. */
async function infoColumns(db: Database, table: string): Promise<[bigint | null, string, number][]> {
  return (await rows(db, `SELECT DISTINCT part, column_name, column_index FROM storage_info('${table}') ORDER BY part, column_index`)) as [bigint | null, string, number][];
}

async function explain(db: Database, sql: string): Promise<string> {
  return (await rows(db, `EXPLAIN ANALYZE ${sql}`)).map((r) => r[0]).join('\n');
}

describe('DROP COLUMN on disk, through SQL', () => {
  it('reads parts written before and after drops, re-adds a dropped name as NULL, compacts and reopens', async () => {
    const options = { blockRows: 4, compaction: 'off' as const };
    let db = await Database.open(dir, options);
    try {
      await db.exec('CREATE TABLE t (id INTEGER, a VARCHAR, b INTEGER, c INTEGER) ORDER BY (id)');
      await db.exec("INSERT INTO t VALUES (1, 'p1', 100, 10), (2, 'p1', 200, 20), (3, 'p1', 300, 30), (4, 'p1', 400, 40), (5, 'p1', 500, 50)");
      await db.checkpoint();
      await db.exec('ALTER TABLE t DROP COLUMN b');
      await db.exec("INSERT INTO t VALUES (6, 'p2', 60), (7, 'p2', 70)");
      await db.checkpoint();
      await db.exec('ALTER TABLE t ADD COLUMN b INTEGER');
      await db.exec("INSERT INTO t VALUES (8, 'p3', 80, 8), (9, 'p3', 90, 9)");
      await db.checkpoint();

      const entry = await entryOf('t');
      expect(entry.schema.columns.map((c) => c.name)).toEqual(['id', 'a', 'c', 'b']);
      expect(entry.columnIds).toEqual([0, 1, 3, 4]);
      expect(entry.parts.map((p) => p.columnIds)).toEqual([[0, 1, 2, 3], [0, 1, 3], [0, 1, 3, 4]]);
      // The first part still holds the dropped b's data: the new b must not read it.
      const expected = [
        [1, 'p1', 10, null], [2, 'p1', 20, null], [3, 'p1', 30, null], [4, 'p1', 40, null], [5, 'p1', 50, null],
        [6, 'p2', 60, null], [7, 'p2', 70, null], [8, 'p3', 80, 8], [9, 'p3', 90, 9],
      ];
      expect(await rows(db, 'SELECT * FROM t ORDER BY id')).toEqual(expected);
      // Predicates pushed to the parts find the column by id (zone maps, NULL-only columns).
      expect(await rows(db, 'SELECT id FROM t WHERE c >= 30 AND c < 70 ORDER BY id')).toEqual([[3], [4], [5], [6]]);
      expect(await rows(db, 'SELECT id FROM t WHERE b >= 8 ORDER BY id')).toEqual([[8], [9]]);
      expect(await rows(db, 'SELECT count(*) FROM t WHERE b IS NULL')).toEqual([[7n]]);
      expect(await rows(db, 'SELECT min(c), max(c), count(b) FROM t')).toEqual([[10, 90, 2n]]);
      // Parts lacking b are all NULL in it: zone maps skip them whole.
      expect(await explain(db, 'SELECT count(*) FROM t WHERE b = 8')).toMatch(/blocks: 1 of 4 read \(3 skipped by zone maps/);

      // storage_info lists each part's blocks of the table's columns, by their index now.
      expect(await infoColumns(db, 't')).toEqual([
        [1n, 'id', 0], [1n, 'a', 1], [1n, 'c', 2],
        [2n, 'id', 0], [2n, 'a', 1], [2n, 'c', 2],
        [3n, 'id', 0], [3n, 'a', 1], [3n, 'c', 2], [3n, 'b', 3],
      ]);
      expect(await rows(db, "SELECT min, max FROM storage_info('t') WHERE part = 1 AND column_name = 'c'")).toEqual([['10', '40'], ['50', '50']]);

      // The log after a drop replays under the new schema.
      await db.exec('ALTER TABLE t DROP COLUMN a');
      await db.exec('INSERT INTO t VALUES (10, 100, 10)');
      await db.exec('UPDATE t SET b = id WHERE id IN (1, 6)');
      await db.exec('DELETE FROM t WHERE id = 2');
      await db.close();
      db = await Database.open(dir, options);
      const afterReopen = [[1, 10, 1], [3, 30, null], [4, 40, null], [5, 50, null], [6, 60, 6], [7, 70, null], [8, 80, 8], [9, 90, 9], [10, 100, 10]];
      expect(await rows(db, 'SELECT * FROM t ORDER BY id')).toEqual(afterReopen);

      // Compaction merges parts of three column sets (and the part the replayed log is flushed
      // to) into one part of the current columns.
      await db.checkpoint();
      await db.compact();
      const merged = await entryOf('t');
      expect(merged.parts).toHaveLength(1);
      expect(merged.parts[0]!.columnIds).toEqual([0, 3, 4]);
      expect(merged.parts[0]!.columnIds).toEqual(merged.columnIds);
      expect(await rows(db, 'SELECT * FROM t ORDER BY id')).toEqual(afterReopen);
      const part = BigInt(merged.parts[0]!.id);
      expect(await infoColumns(db, 't')).toEqual([[part, 'id', 0], [part, 'c', 1], [part, 'b', 2]]);

      // A column added after the merge reads NULL there; its id was never used.
      await db.exec('ALTER TABLE t ADD COLUMN a VARCHAR');
      expect((await entryOf('t')).columnIds).toEqual([0, 3, 4, 5]);
      expect(await rows(db, 'SELECT count(*) FROM t WHERE a IS NULL')).toEqual([[9n]]);
      await db.close();
      db = await Database.open(dir, options);
      expect(await rows(db, 'SELECT id, c, b, a FROM t WHERE id < 4 ORDER BY id')).toEqual([[1, 10, 1, null], [3, 30, null, null]]);
    } finally {
      await db.close();
    }
  });

  it('keeps bitmap indexes right: files built before a drop, and CREATE INDEX on old parts after it', async () => {
    const options = { blockRows: 8, compaction: 'off' as const };
    let db = await Database.open(dir, options);
    try {
      await db.exec('CREATE TABLE f (id INTEGER, gone INTEGER, tag INTEGER, kind INTEGER) ORDER BY (id)');
      await db.exec('CREATE INDEX f_tag ON f USING BITMAP (tag)');
      // 64 rows, 8 blocks; tag 7 only in block 2, kind 5 only in block 5; every block also holds
      // 0 and 9, so zone maps rule nothing out.
      const values = (from: number) =>
        Array.from({ length: 64 }, (_, i) => {
          const id = from + i;
          const tag = i >= 16 && i < 18 ? 7 : i % 2 === 0 ? 0 : 9;
          const kind = i >= 40 && i < 43 ? 5 : i % 2 === 0 ? 9 : 0;
          return `(${id}, ${id * 1000 + 1}, ${tag}, ${kind})`;
        }).join(', ');
      await db.exec(`INSERT INTO f VALUES ${values(0)}`);
      await db.checkpoint();
      const old = (await entryOf('f')).parts[0]!;
      // The part's index files name its column positions: tag is position 2.
      expect(existsSync(join(partPath(dir, old.directory), 'i2.idx'))).toBe(true);

      await db.exec('ALTER TABLE f DROP COLUMN gone');
      await db.exec(`INSERT INTO f (id, tag, kind) SELECT id + 64, tag, kind FROM f`);
      await db.checkpoint();
      // tag is table column 1 now, position 2 in the old part and 1 in the new one.
      expect(await rows(db, 'SELECT count(*), sum(id) FROM f WHERE tag IN (7, 8)')).toEqual([[4n, BigInt(16 + 17 + 80 + 81)]]);
      expect(await explain(db, 'SELECT count(*) FROM f WHERE tag IN (7, 8)')).toContain('blocks: 2 of 16 read (0 skipped by zone maps, 14 by bitmaps)');

      // An index created after the drop is built in the old part at kind's position there (3),
      // not at kind's table index (2), which holds tag in that part.
      await db.exec('CREATE INDEX f_kind ON f USING BITMAP (kind)');
      expect(existsSync(join(partPath(dir, old.directory), 'i3.idx'))).toBe(true);
      expect(await rows(db, 'SELECT count(*), sum(id) FROM f WHERE kind = 5')).toEqual([[6n, BigInt(40 + 41 + 42 + 104 + 105 + 106)]]);
      expect(await explain(db, 'SELECT count(*) FROM f WHERE kind = 5')).toContain('blocks: 2 of 16 read (0 skipped by zone maps, 14 by bitmaps)');
      expect(await rows(db, 'SELECT count(*) FROM f WHERE kind = 5 AND tag = 0')).toEqual([[4n]]);

      // Indexed columns cannot be dropped; the index is named.
      await expect(db.exec('ALTER TABLE f DROP COLUMN kind')).rejects.toThrow('Cannot drop column "kind" because index "f_kind" depends on it');
      await db.close();
      db = await Database.open(dir, options);
      expect(await explain(db, 'SELECT count(*) FROM f WHERE kind = 5')).toContain('14 by bitmaps');
      // Compaction writes the indexes at the merged part's positions.
      await db.compact();
      expect(await rows(db, 'SELECT count(*), sum(id) FROM f WHERE tag IN (7, 8)')).toEqual([[4n, BigInt(16 + 17 + 80 + 81)]]);
      expect(await explain(db, 'SELECT count(*) FROM f WHERE kind = 5')).toContain('by bitmaps');
      expect(await rows(db, 'SELECT count(*) FROM f WHERE kind = 5')).toEqual([[6n]]);
    } finally {
      await db.close();
    }
  });

  it('refuses a drop that would break the table, changing nothing on disk', async () => {
    const db = await Database.open(dir, { compaction: 'off' });
    try {
      await db.exec('CREATE TABLE k (id INTEGER NOT NULL, day DATE, v INTEGER, PRIMARY KEY (id)) ORDER BY (day)');
      await db.exec('CREATE TABLE one (x INTEGER)');
      const before = await readManifest(fs, dir);
      await expect(db.exec('ALTER TABLE k DROP COLUMN day')).rejects.toMatchObject({ code: 'CATALOG_ERROR', message: 'Cannot drop column "day" because the sort key (ORDER BY) of table "k" depends on it' });
      await expect(db.exec('ALTER TABLE k DROP COLUMN id')).rejects.toMatchObject({ code: 'CATALOG_ERROR', message: 'Cannot drop column "id" because the primary key of table "k" depends on it' });
      await expect(db.exec('ALTER TABLE one DROP COLUMN x')).rejects.toMatchObject({ code: 'CATALOG_ERROR', message: 'Cannot drop column "x": table "one" only has one column remaining' });
      await expect(db.exec('ALTER TABLE k DROP COLUMN nope')).rejects.toThrow('column "nope" of table "k" does not exist');
      expect((await readManifest(fs, dir))!.version).toBe(before!.version);
    } finally {
      await db.close();
    }
  });
});

describe('DROP COLUMN in the DiskStore', () => {
  const schema: TableSchema = {
    name: 't',
    columns: [
      { name: 'k', type: T.INTEGER, notNull: false },
      { name: 'x', type: T.INTEGER, notNull: false },
      { name: 'y', type: T.VARCHAR, notNull: false },
    ],
    sortKey: ['k'],
    primaryKey: [],
  };

  it('scans, prunes and gives statistics by column id across parts of different column sets', async () => {
    const store = await DiskStore.open(fs, dir, { compaction: 'off', blockRows: 2 });
    try {
      await store.createTable(schema);
      await store.insert('t', batchOf([T.INTEGER, T.INTEGER, T.VARCHAR], [[1, 100, 'a'], [2, 200, 'b'], [3, 300, 'c']]));
      await store.checkpoint();
      await store.alterTable('t', (m) => M.dropColumn(m, 't', 'x'));
      await store.alterTable('t', (m) => M.addColumn(m, 't', { name: 'x', type: T.INTEGER, notNull: false }));
      await store.insert('t', batchOf([T.INTEGER, T.VARCHAR, T.INTEGER], [[4, 'd', 4], [5, 'e', 5]]));
      await store.checkpoint();
      // One row in the memtable, under the current schema.
      await store.insert('t', batchOf([T.INTEGER, T.VARCHAR, T.INTEGER], [[6, 'f', 6]]));
      const types = [T.INTEGER, T.VARCHAR, T.INTEGER];
      const snap = store.table('t').snapshot();
      try {
        expect(await readRows(snap, types)).toEqual([[1, 'a', null], [2, 'b', null], [3, 'c', null], [4, 'd', 4], [5, 'e', 5], [6, 'f', 6]]);
        // Predicates prune (the caller filters exactly): the old part has no x, so x >= 5 skips it.
        const big = await readRows(snap, types, [0, 2], [{ column: 2, op: '>=', values: [5] }]);
        expect(big.filter((r) => (r[1] as number | null) !== null && (r[1] as number) >= 5)).toEqual([[5, 5], [6, 6]]);
        expect(big.filter((r) => (r[0] as number) <= 3)).toEqual([]);
        const named = await readRows(snap, types, [1], [{ column: 1, op: 'in', values: ['a', 'e'] }]);
        expect(named.filter((r) => r[0] === 'a' || r[0] === 'e')).toEqual([['a'], ['e']]);
        expect(named).not.toContainEqual(['c']);
        // The old part's x (100..300) is dropped data: not in x's statistics.
        expect(snap.stats(2)).toMatchObject({ rows: 6, min: 4, max: 6, nulls: 3 });
        expect(snap.stats(1)).toMatchObject({ rows: 6, min: 'a', max: 'f', nulls: 0 });
      } finally {
        snap.release();
      }
    } finally {
      await store.close();
    }
  });
});
