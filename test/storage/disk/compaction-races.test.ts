// Compaction against the commits that race it (found in review): a merge's source parts stay on
// disk while it reads them, whatever commits meanwhile (it pins its version), and a merge that
// lost the race leaves nothing behind; a query's cost estimate pins nothing.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { T } from '../../../common/types.js';
import { Database } from '../../../sql/database.js';
import { DiskStore } from '../../../storage/disk/disk-store.js';
import { nodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { batchOf } from './disk-test-helpers.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'quiver-races-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const schema = {
  name: 't',
  columns: [
    { name: 'a', type: T.INTEGER, notNull: false },
    { name: 'b', type: T.INTEGER, notNull: false },
  ],
  sortKey: ['a'],
  primaryKey: [],
};

async function fourParts(dir: string): Promise<DiskStore> {
  const store = await DiskStore.open(nodeFileSystem, dir, { compaction: 'off', blockRows: 16 });
  await store.createTable(schema);
  for (let p = 0; p < 4; p++) {
    await store.insert('t', batchOf([T.INTEGER, T.INTEGER], Array.from({ length: 5000 }, (_, i) => [p * 10000 + i, i])));
    await store.checkpoint();
  }
  return store;
}

describe('compaction races', () => {
  it('finishes a merge whose source part a checkpoint drops meanwhile (all its rows deleted)', async () => {
    const dir = join(root, 'db');
    const store = await fourParts(dir);
    const compacting = store.compact();
    await store.deleteWhere('t', async () => Float64Array.from({ length: 5000 }, (_, i) => i));
    await store.checkpoint();
    await compacting;
    let rows = 0;
    for await (const b of store.table('t').snapshot().scan({ columns: [0] })) rows += b.count;
    expect(rows).toBe(15_000);
    await store.close();
    const again = await DiskStore.open(nodeFileSystem, dir);
    rows = 0;
    for await (const b of again.table('t').snapshot().scan({ columns: [0] })) rows += b.count;
    expect(rows).toBe(15_000);
    await again.close();
  });

  it('finishes a merge whose table is dropped meanwhile, leaving no part behind', async () => {
    const dir = join(root, 'db');
    const store = await fourParts(dir);
    const compacting = store.compact();
    await store.dropTable('t');
    await compacting;
    await store.checkpoint();
    await store.close();
    expect(readdirSync(join(dir, 'parts'))).toEqual([]);
  });

  it('lets parts replaced after a join query go (the estimate pins no version)', async () => {
    const dir = join(root, 'db');
    const db = await Database.open(dir, { compaction: 'off' });
    await db.exec('CREATE TABLE t (a INTEGER) ORDER BY (a); CREATE TABLE u (a INTEGER) ORDER BY (a)');
    for (let i = 0; i < 3; i++) {
      await db.exec(`INSERT INTO t VALUES (${i})`);
      await db.checkpoint();
    }
    await db.query('SELECT count(*) FROM t JOIN u ON t.a = u.a');
    await db.compact();
    await db.exec('INSERT INTO u VALUES (1)');
    await db.checkpoint();
    expect(readdirSync(join(dir, 'parts')).sort()).toEqual(['p0000000004', 'p0000000005']);
    await db.close();
  });
});
