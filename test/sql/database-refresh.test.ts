// Database.refresh() (sql/database.ts) on a read-only open beside a writer: queries see the data
// and the catalog (tables, views) as of the open until refresh(), then everything the writer
// committed, the rows still in its log included; the writer's compaction and DROP TABLE do not
// disturb a query of the reader that started before them. On a writer and in memory refresh() is
// a no-op; on a closed database it is refused.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../sql/database.js';

let dir: string;
const open: Database[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quiver-refresh-'));
});

afterEach(async () => {
  for (const db of open.splice(0).reverse()) await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openDb(readOnly = false): Promise<Database> {
  const db = await Database.open(join(dir, 'db'), { readOnly, compaction: 'off' });
  open.push(db);
  return db;
}

const rows = async (db: Database, sql: string) => (await db.query(sql)).rows();

describe('Database.refresh on a read-only open', () => {
  it('shows the writes, catalog changes and unflushed log rows committed since the open', async () => {
    const writer = await openDb();
    await writer.exec('CREATE TABLE t (a INT); INSERT INTO t VALUES (1), (2)');
    await writer.checkpoint();
    await writer.exec('INSERT INTO t VALUES (3)');
    const reader = await openDb(true);
    expect(await rows(reader, 'SELECT sum(a) FROM t')).toEqual([[6n]]);

    await writer.exec('INSERT INTO t VALUES (4)');
    await writer.checkpoint();
    await writer.compact();
    await writer.exec('CREATE TABLE u (b VARCHAR); INSERT INTO u VALUES (\'x\'); CREATE VIEW big AS SELECT a FROM t WHERE a > 2');
    await writer.exec('INSERT INTO t VALUES (5)');

    expect(await rows(reader, 'SELECT sum(a) FROM t')).toEqual([[6n]]);
    await expect(reader.query('SELECT * FROM u')).rejects.toThrow(/"u"/);
    await reader.refresh();
    expect(await rows(reader, 'SELECT sum(a) FROM t')).toEqual([[15n]]);
    expect(await rows(reader, 'SELECT b FROM u')).toEqual([['x']]);
    expect(await rows(reader, 'SELECT a FROM big ORDER BY a')).toEqual([[3], [4], [5]]);
  });

  it('a query streaming before the writer compacts and drops the table reads its rows to the end', async () => {
    const writer = await openDb();
    await writer.exec('CREATE TABLE t (a INT)');
    for (let k = 0; k < 4; k++) {
      const values = Array.from({ length: 100 }, (_, i) => `(${k * 100 + i})`).join(', ');
      await writer.exec(`INSERT INTO t VALUES ${values}`);
      await writer.checkpoint();
    }
    const reader = await openDb(true);
    const stream = reader.stream('SELECT a FROM t');
    const first = await stream.next();
    let seen = first.done === true ? 0 : first.value.numRows;
    expect(seen).toBeLessThan(400); // the other parts are read after the writer retired them
    await writer.compact();
    await writer.exec('DROP TABLE t');
    for await (const batch of stream) seen += batch.numRows;
    expect(seen).toBe(400);
    await reader.refresh();
    await expect(reader.query('SELECT * FROM t')).rejects.toThrow(/"t"/);
  });

  it('is a no-op for the writer and in memory, and refused once closed', async () => {
    const writer = await openDb();
    await writer.exec('CREATE TABLE t (a INT); INSERT INTO t VALUES (1)');
    await writer.refresh();
    expect(await rows(writer, 'SELECT count(*) FROM t')).toEqual([[1n]]);
    const memory = await Database.open(':memory:');
    await memory.refresh();
    await memory.close();
    await expect(memory.refresh()).rejects.toThrow('the database is closed');
  });
});
