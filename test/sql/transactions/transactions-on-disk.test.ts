// Transactions on disk (sql/transaction.ts, DiskStore.commitTransaction): COMMIT is ONE manifest
// version, which a read-only process sees whole or not at all; ROLLBACK, a failed script and
// closing the database leave the data as it was, also after reopening; background merges wait
// for a transaction and run after it; a read-only database runs read transactions.
// (The SIGKILL crash test kills writers inside transactions: test/storage/crash/.)

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../../sql/database.js';
import { Engine } from '../../../sql/engine.js';
import { DiskStore } from '../../../storage/disk/disk-store.js';
import type { FileSystem } from '../../../storage/fs/file-system.js';
import { nodeFileSystem } from '../../../storage/fs/node-file-system.js';
import { readManifest } from '../../../storage/manifest/manifest-store.js';
import { failure } from '../../expect-failure.js';

let dir: string;
const open: Database[] = [];
const closing: (() => Promise<void>)[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quiver-tx-'));
});

afterEach(async () => {
  for (const db of open.splice(0).reverse()) await db.close();
  for (const close of closing.splice(0)) await close();
  rmSync(dir, { recursive: true, force: true });
});

async function openDb(options: Parameters<typeof Database.open>[1] = {}): Promise<Database> {
  const db = await Database.open(join(dir, 'db'), { compaction: 'off', blockRows: 4, ...options });
  open.push(db);
  return db;
}

async function closeDb(db: Database): Promise<void> {
  open.splice(open.indexOf(db), 1);
  await db.close();
}

const rows = async (db: Database, sql: string) => (await db.query(sql)).rows();
const version = async () => (await readManifest(nodeFileSystem, join(dir, 'db')))!.version;

const SETUP = `CREATE TABLE t (k INTEGER PRIMARY KEY, v VARCHAR) ORDER BY (k);
  INSERT INTO t SELECT i, 'v' || i FROM generate_series(1, 20) g(i);
  CHECKPOINT;
  INSERT INTO t VALUES (21, 'in the log')`;

describe('transactions on disk', () => {
  it('commit is one manifest commit; a reader sees none of it before and all of it after', async () => {
    // The writer's store counts its manifest commits (MANIFEST is replaced by a rename).
    let commits = 0;
    const fs: FileSystem = Object.create(nodeFileSystem);
    fs.rename = (from, to) => {
      if (to.endsWith(`${sep}MANIFEST`)) commits++;
      return nodeFileSystem.rename(from, to);
    };
    const store = await DiskStore.open(fs, join(dir, 'db'), { compaction: 'off', blockRows: 4 });
    const engine = new Engine(store);
    const writer = { exec: (sql: string) => engine.run(sql) };
    closing.push(() => store.close());
    await writer.exec(SETUP);
    const reader = await openDb({ readOnly: true });
    await writer.exec('BEGIN');
    const atBegin = await version();
    commits = 0;
    await writer.exec(`UPDATE t SET v = 'new' WHERE k <= 5;
      DELETE FROM t WHERE k > 18;
      INSERT INTO t VALUES (100, 'x') ON CONFLICT DO NOTHING;
      INSERT INTO t VALUES (1, 'upserted') ON CONFLICT (k) DO UPDATE SET v = excluded.v;
      ALTER TABLE t ADD COLUMN w INTEGER;
      UPDATE t SET w = k * 2 WHERE k % 2 = 0;
      CREATE TABLE u AS SELECT k FROM t WHERE w IS NOT NULL;
      CREATE VIEW even AS SELECT k, w FROM t WHERE w IS NOT NULL`);
    // Nothing reached the disk: no new version, and a reader that refreshes sees the old state.
    expect(commits).toBe(0);
    expect(await version()).toBe(atBegin);
    await reader.refresh();
    expect(await rows(reader, 'SELECT count(*), min(v) FROM t')).toEqual([[21n, 'in the log']]);
    expect(await rows(reader, 'SHOW TABLES')).toEqual([['t']]);

    await writer.exec('COMMIT');
    expect(commits).toBe(1);
    expect(await version()).toBeGreaterThan(atBegin);
    await reader.refresh();
    expect(await rows(reader, 'SELECT count(*), count(w), sum(w) FROM t')).toEqual([[19n, 10n, 380n]]);
    expect(await rows(reader, "SELECT k, v FROM t WHERE v <> 'v' || k ORDER BY k")).toEqual([[1, 'upserted'], [2, 'new'], [3, 'new'], [4, 'new'], [5, 'new'], [100, 'x']]);
    expect(await rows(reader, 'SELECT count(*) FROM u')).toEqual([[10n]]);
    expect(await rows(reader, 'SELECT max(k) FROM even')).toEqual([[100]]);

    // And the same after reopening.
    await closeDb(reader);
    await store.close();
    const again = await openDb();
    expect(await rows(again, 'SELECT count(*), count(w), sum(w) FROM t')).toEqual([[19n, 10n, 380n]]);
    expect(await rows(again, 'SELECT count(*) FROM u')).toEqual([[10n]]);
  });

  it('ROLLBACK, a failed script and close leave the data as it was', async () => {
    const db = await openDb();
    await db.exec(SETUP);
    const before = await rows(db, 'SELECT * FROM t ORDER BY k');

    await db.exec("BEGIN; DELETE FROM t; ALTER TABLE t RENAME TO gone; CREATE TABLE t2 (a INT); INSERT INTO t2 VALUES (1); ROLLBACK");
    expect(await rows(db, 'SELECT * FROM t ORDER BY k')).toEqual(before);
    expect(await rows(db, 'SHOW TABLES')).toEqual([['t']]);

    // The script opened the transaction and failed inside it: rolled back, not left open.
    const err = await failure(db.exec("BEGIN; UPDATE t SET v = 'lost'; SELECT nope FROM t; COMMIT"));
    expect(err.message).toMatch(/column "nope" does not exist/);
    expect(await rows(db, 'SELECT * FROM t ORDER BY k')).toEqual(before);
    await db.exec('BEGIN; COMMIT');

    await db.exec("BEGIN; UPDATE t SET v = 'unsaved'; INSERT INTO t VALUES (50, 'unsaved')");
    await closeDb(db);
    const again = await openDb();
    expect(await rows(again, 'SELECT * FROM t ORDER BY k')).toEqual(before);
  });

  it('a transaction begun by one call stays open across calls, and a failure aborts it', async () => {
    const db = await openDb();
    await db.exec(SETUP);
    await db.exec('BEGIN');
    await db.exec("INSERT INTO t VALUES (30, 'a')");
    expect(await rows(db, 'SELECT count(*) FROM t')).toEqual([[22n]]);
    expect((await failure(db.exec("INSERT INTO t VALUES (31, 'b', 'extra')"))).message).toMatch(/INSERT has 3 expressions but 2 target columns|3 expressions/);
    expect((await failure(db.query('SELECT 1'))).code).toBe('TRANSACTION_ERROR');
    expect((await failure(db.exec('COMMIT'))).message).toMatch(/rolled back, not committed/);
    expect(await rows(db, 'SELECT count(*) FROM t WHERE k = 30')).toEqual([[0n]]);
  });

  it('db.checkpoint() and db.compact() are refused inside a transaction (a merge waits for it to end)', async () => {
    const db = await openDb({ compaction: 'eager' });
    await db.exec(SETUP);
    await db.exec("BEGIN; INSERT INTO t VALUES (40, 'x')");
    expect((await failure(db.compact())).message).toMatch(/compact\(\) cannot run inside a transaction/);
    expect((await failure(db.checkpoint())).message).toMatch(/checkpoint\(\) cannot run inside a transaction/);
    await db.exec('COMMIT');
    await db.compact();
    expect(await rows(db, 'SELECT count(*) FROM t')).toEqual([[22n]]);
  });

  it('background merges wait for the transaction and run after it', async () => {
    const db = await openDb({ compaction: 'eager' });
    await db.exec('CREATE TABLE t (k INTEGER, v VARCHAR) ORDER BY (k)');
    await db.exec('BEGIN');
    for (let i = 0; i < 6; i++) await db.exec(`INSERT INTO t SELECT i, 'p${i}' FROM generate_series(${i * 10}, ${i * 10 + 9}) g(i)`);
    await db.exec('DELETE FROM t WHERE k % 10 = 0');
    await db.exec('COMMIT');
    // Parts written before, merged after: the data is whole either way.
    await db.compact();
    expect(await rows(db, 'SELECT count(*), sum(k) FROM t')).toEqual([[54n, 1770n - 150n]]);
    const parts = await rows(db, "SELECT count(DISTINCT part) FROM storage_info('t') WHERE part IS NOT NULL");
    expect(parts).toEqual([[1n]]);
  });

  it('a read-only database runs read transactions and refuses writes in them', async () => {
    const writer = await openDb();
    await writer.exec(SETUP);
    const reader = await openDb({ readOnly: true });
    await reader.exec('BEGIN');
    expect(await rows(reader, 'SELECT count(*) FROM t')).toEqual([[21n]]);
    expect((await failure(reader.exec("INSERT INTO t VALUES (99, 'no')"))).message).toMatch(/read-only/);
    await reader.exec('ROLLBACK');
    await reader.exec('BEGIN; SELECT 1; COMMIT');
    expect((await failure(reader.refresh().then(() => reader.exec('BEGIN')).then(() => reader.refresh()))).message).toMatch(/inside a transaction/);
    await reader.exec('ROLLBACK');
  });
});
