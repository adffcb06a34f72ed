// The embedded library over an on-disk directory: data survives close and reopen, from the
// write-ahead log and from parts written by checkpoints and bulk loads; one writer at a time;
// statements the on-disk engine cannot do yet say so.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../../index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quiver-disk-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('Database.open(dir)', () => {
  it('keeps tables and rows across close and reopen (log, checkpoints and bulk loads)', async () => {
    const db = await Database.open(join(dir, 'db'), { memtableRows: 3 });
    await db.exec(`CREATE TABLE t (a INT NOT NULL, b VARCHAR, c DECIMAL(10,2), d DATE) ORDER BY (a);
                   INSERT INTO t VALUES (3, 'c', 3.50, '2020-01-03'), (1, 'a', NULL, NULL);
                   INSERT INTO t VALUES (2, NULL, 2.25, '2020-01-02')`);
    await db.exec("INSERT INTO t VALUES (5, 'e', 5.00, NULL), (4, 'd', 4.00, NULL)");
    const csv = join(dir, 'more.csv');
    writeFileSync(csv, 'a,b,c,d\n7,g,7.70,2021-07-07\n6,f,,\n');
    await db.exec(`COPY t FROM '${csv}' (FORMAT csv, HEADER true)`);
    await db.exec('CREATE TABLE s AS SELECT a, b FROM t WHERE a > 4');
    const before = (await db.query('SELECT * FROM t ORDER BY a')).rows();
    expect(before).toHaveLength(7);
    await db.close();

    const again = await Database.open(join(dir, 'db'));
    expect((await again.query('SELECT * FROM t ORDER BY a')).rows()).toEqual(before);
    expect((await again.query('SELECT sum(a), count(c), sum(c) FROM t')).rows()).toEqual([[28n, 5n, '22.45']]);
    expect((await again.query('SELECT a, b FROM s ORDER BY a')).rows()).toEqual([[5, 'e'], [6, 'f'], [7, 'g']]);
    expect((await again.query('SELECT t1.a FROM t t1 JOIN t t2 ON t1.a = t2.a + 1 ORDER BY 1')).rows().length).toBe(6);
    await again.exec('DROP TABLE s');
    await again.close();

    const third = await Database.open(join(dir, 'db'));
    await expect(third.query('SELECT * FROM s')).rejects.toThrow(/table "s" does not exist/);
    await third.close();
  });

  it('keeps views and indexes in the manifest', async () => {
    const path = join(dir, 'db');
    const db = await Database.open(path);
    await db.exec('CREATE TABLE t (a INT, b INT); INSERT INTO t VALUES (1, 10), (2, 20)');
    await db.exec('CREATE VIEW v AS SELECT a + b AS s FROM t; CREATE INDEX ti ON t (a)');
    await db.exec('CREATE OR REPLACE VIEW v AS SELECT a * b AS s FROM t');
    await db.close();
    const again = await Database.open(path);
    expect((await again.query('SELECT s FROM v ORDER BY s')).rows()).toEqual([[10], [40]]);
    await expect(again.exec('CREATE INDEX ti ON t (b)')).rejects.toThrow(/already exists/);
    await again.exec('DROP INDEX ti; DROP VIEW v');
    await again.exec('CREATE INDEX ti ON t (b)');
    await expect(again.query('SELECT * FROM v')).rejects.toThrow(/does not exist/);
    await again.close();
  });

  it('allows one writer, and read-only opens beside it', async () => {
    const path = join(dir, 'db');
    const db = await Database.open(path);
    await db.exec('CREATE TABLE t (a INT); INSERT INTO t VALUES (1), (2)');
    await expect(Database.open(path)).rejects.toThrow(/database is locked by process \d+/);
    const reader = await Database.open(path, { readOnly: true });
    expect((await reader.query('SELECT count(*) FROM t')).rows()).toEqual([[2n]]);
    await expect(reader.exec('INSERT INTO t VALUES (3)')).rejects.toThrow();
    await reader.close();
    await db.close();
  });

  it('rejects a bad INSERT and changes nothing', async () => {
    const db = await Database.open(join(dir, 'db'));
    await db.exec('CREATE TABLE t (a INT); INSERT INTO t VALUES (1)');
    await expect(db.exec("INSERT INTO t VALUES (NULL), ('x')")).rejects.toThrow(/invalid input/);
    expect((await db.query('SELECT count(*) FROM t')).rows()).toEqual([[1n]]);
    await db.close();
  });

  it('deletes rows from parts and the memtable, durably, across checkpoints and reopens', async () => {
    const path = join(dir, 'db');
    let db = await Database.open(path, { memtableRows: 50, blockRows: 8 });
    await db.exec('CREATE TABLE t (a INT, b VARCHAR) ORDER BY a');
    // 120 rows: two flushed parts of 50 (memtableRows) and 20 rows in the memtable.
    for (let k = 0; k < 120; k += 10) {
      await db.exec(`INSERT INTO t SELECT x, 'v' || x FROM (VALUES ${Array.from({ length: 10 }, (_, i) => `(${k + i})`).join(', ')}) v(x)`);
    }
    const sum = async () => (await db.query('SELECT count(*), sum(a) FROM t')).rows();
    expect(await sum()).toEqual([[120n, 7140n]]);
    expect((await db.query('DELETE FROM t WHERE a % 3 = 0')).rows()).toEqual([[40n]]);
    expect(await sum()).toEqual([[80n, 4800n]]);
    // Deleting again finds nothing; the condition's NULL is not TRUE.
    expect((await db.query('DELETE FROM t WHERE a % 3 = 0 OR NULL')).rows()).toEqual([[0n]]);
    await db.close();
    // From the log.
    db = await Database.open(path, { memtableRows: 50, blockRows: 8 });
    expect(await sum()).toEqual([[80n, 4800n]]);
    await db.checkpoint();
    expect((await db.query('DELETE FROM t WHERE a >= 100')).rows()).toEqual([[14n]]);
    await db.close();
    // From deletion files, then the log again.
    db = await Database.open(path, { memtableRows: 50, blockRows: 8 });
    expect(await sum()).toEqual([[66n, 3267n]]);
    expect((await db.query("SELECT b FROM t WHERE a BETWEEN 10 AND 14 ORDER BY a")).rows()).toEqual([['v10'], ['v11'], ['v13'], ['v14']]);
    expect((await db.query('DELETE FROM t')).rows()).toEqual([[66n]]);
    await db.checkpoint();
    expect(await sum()).toEqual([[0n, null]]);
    await db.exec("INSERT INTO t VALUES (1, 'again')");
    await db.close();
    db = await Database.open(path);
    expect((await db.query('SELECT * FROM t')).rows()).toEqual([[1, 'again']]);
    await db.close();
  });

  it('creates and replaces a table with its rows in one commit (CREATE [OR REPLACE] TABLE AS)', async () => {
    const path = join(dir, 'db');
    let db = await Database.open(path, { memtableRows: 3 });
    await db.exec('CREATE TABLE t (a INT); INSERT INTO t VALUES (1), (2), (3), (4)');
    const before = (await import('node:fs')).readFileSync(join(path, 'MANIFEST'));
    await db.exec('CREATE OR REPLACE TABLE t AS SELECT a * 10 AS b FROM t WHERE a > 1');
    const after = (await import('node:fs')).readFileSync(join(path, 'MANIFEST'));
    expect(after.equals(before)).toBe(false);
    expect((await db.query('SELECT b FROM t ORDER BY b')).rows()).toEqual([[20], [30], [40]]);
    await db.exec('CREATE TABLE u AS SELECT b FROM t WHERE b > 100');
    expect((await db.query('SELECT count(*) FROM u')).rows()).toEqual([[0n]]);
    await expect(db.exec('CREATE TABLE u AS SELECT 1 AS x')).rejects.toThrow(/exists/);
    await expect(db.exec('CREATE OR REPLACE TABLE t AS SELECT 1 / nope FROM t')).rejects.toThrow(/nope/);
    expect((await db.query('SELECT sum(b) FROM t')).rows()).toEqual([[90n]]);
    await db.close();
    db = await Database.open(path);
    expect((await db.query('SELECT b FROM t ORDER BY b')).rows()).toEqual([[20], [30], [40]]);
    expect((await db.query('SELECT count(*) FROM u')).rows()).toEqual([[0n]]);
    await db.close();
  });

  it('merges parts in the background (tiered compaction in a worker thread)', async () => {
    const db = await Database.open(join(dir, 'db'), { memtableRows: 5, blockRows: 4 });
    await db.exec('CREATE TABLE t (a INT) ORDER BY a');
    // Four flushes make four small parts: one tier of four, which the policy merges.
    for (let k = 0; k < 20; k += 5) await db.exec(`INSERT INTO t VALUES (${k}), (${k + 1}), (${k + 2}), (${k + 3}), (${k + 4})`);
    const parts = async () => Number((await db.query("SELECT count(DISTINCT part) FROM storage_info('t') WHERE part IS NOT NULL")).rows()[0]![0]);
    // The merge runs off the main thread; queries keep answering meanwhile.
    for (let i = 0; i < 400 && (await parts()) !== 1; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await parts()).toBe(1);
    expect((await db.query('SELECT count(*), sum(a) FROM t')).rows()).toEqual([[20n, 190n]]);
    await db.close();
  });

  it('keeps ALTER TABLE changes across reopens, with rows in parts and in the log', async () => {
    const path = join(dir, 'db');
    let db = await Database.open(path, { memtableRows: 3, blockRows: 2 });
    await db.exec("CREATE TABLE t (a INT, b VARCHAR) ORDER BY a; INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z'), (4, 'w')");
    await db.exec('ALTER TABLE t ADD COLUMN c DOUBLE; ALTER TABLE t RENAME COLUMN a TO k; ALTER TABLE t RENAME TO u');
    await db.exec("INSERT INTO u VALUES (5, 'v', 0.5)");
    await db.close();
    db = await Database.open(path, { memtableRows: 3, blockRows: 2 });
    expect((await db.query('SELECT k, b, c FROM u ORDER BY k')).rows()).toEqual([
      [1, 'x', null],
      [2, 'y', null],
      [3, 'z', null],
      [4, 'w', null],
      [5, 'v', 0.5],
    ]);
    expect((await db.query('SHOW TABLES')).rows()).toEqual([['u']]);
    await db.close();
  });

  it('keeps a snapshot taken before a DELETE reading the rows it saw', async () => {
    const db = await Database.open(join(dir, 'db'), { memtableRows: 4, blockRows: 2 });
    await db.exec('CREATE TABLE t (a INT) ORDER BY a; INSERT INTO t VALUES (1), (2), (3), (4), (5), (6)');
    const rows = (await db.query('SELECT a FROM t WHERE a IN (SELECT a FROM t) ORDER BY a')).rows();
    expect(rows).toHaveLength(6);
    await db.exec('DELETE FROM t WHERE a IN (SELECT a FROM t WHERE a > 2)');
    expect((await db.query('SELECT a FROM t ORDER BY a')).rows()).toEqual([[1], [2]]);
    await db.close();
  });
});
