// storage_info('t') (sql/table-functions/storage-info.ts) and SET force_encoding (sql/settings.ts):
// on disk, one row per block of each column of each part, whose encodings are the forced one
// (where the encoding can hold the block), whose rows add up to the table's and whose bytes add
// up to the column files'; the memtable as rows with part NULL; in memory, one row per chunk and
// column; errors that name the table or the function.

import { statSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../../index.js';
import { partDirectoryName, partPath } from '../../../storage/manifest/database-layout.js';

const BLOCK_ROWS = 16;
const ROWS = 100;
const BLOCKS = Math.ceil(ROWS / BLOCK_ROWS);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quiver-storage-info-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** k 0..n-1 (sorted), v = k div 7 (sorted, runs of 7), s one of 5 strings. */
function values(n: number, from = 0): string {
  return Array.from({ length: n }, (_, i) => `(${from + i}, ${Math.floor((from + i) / 7)}, 's${(from + i) % 5}')`).join(', ');
}

interface InfoRow {
  part: bigint | null;
  column_name: string;
  column_index: number;
  column_type: string;
  block: number | null;
  row_start: bigint | null;
  rows: bigint;
  deleted: bigint;
  bytes: bigint | null;
  encoding: string;
  nulls: bigint;
  distinct_values: bigint | null;
  min: string | null;
  max: string | null;
  sorted: boolean | null;
}

async function storageInfo(db: Database, table: string): Promise<InfoRow[]> {
  const r = await db.query(`SELECT * FROM storage_info('${table}')`);
  return r.rows().map((row) => Object.fromEntries(r.schema.map((c, i) => [c.name, row[i]])) as unknown as InfoRow);
}

describe('storage_info on disk', () => {
  it('has a fixed schema, one column per property of a block', async () => {
    const db = await Database.open(join(dir, 'db'));
    await db.exec('CREATE TABLE t (a INT)');
    const r = await db.query("SELECT * FROM storage_info('t')");
    expect(r.schema).toEqual([
      { name: 'part', type: 'BIGINT' }, { name: 'column_name', type: 'VARCHAR' }, { name: 'column_index', type: 'INTEGER' },
      { name: 'column_type', type: 'VARCHAR' }, { name: 'block', type: 'INTEGER' }, { name: 'row_start', type: 'BIGINT' },
      { name: 'rows', type: 'BIGINT' }, { name: 'deleted', type: 'BIGINT' }, { name: 'bytes', type: 'BIGINT' },
      { name: 'encoding', type: 'VARCHAR' }, { name: 'nulls', type: 'BIGINT' }, { name: 'distinct_values', type: 'BIGINT' },
      { name: 'min', type: 'VARCHAR' }, { name: 'max', type: 'VARCHAR' }, { name: 'sorted', type: 'BOOLEAN' },
    ]);
    expect(r.rows()).toEqual([]);
    await db.close();
  });

  // Per forced encoding, what each column (k INT sorted, v BIGINT sorted, s VARCHAR) gets:
  // bitpacking and delta hold integers only, so the VARCHAR column falls back to plain.
  const EXPECTED: Record<string, [string, string, string]> = {
    rle: ['rle', 'rle', 'rle'],
    dictionary: ['dictionary', 'dictionary', 'dictionary'],
    bitpack: ['bitpacking', 'bitpacking', 'plain'],
    delta: ['delta', 'delta', 'plain'],
    plain: ['plain', 'plain', 'plain'],
  };

  it('shows the encoding SET force_encoding forced on every block a bulk load wrote, blocks and bytes adding up', async () => {
    const path = join(dir, 'db');
    const db = await Database.open(path, { blockRows: BLOCK_ROWS });
    await db.exec(`CREATE TABLE src (k INT, v BIGINT, s VARCHAR); INSERT INTO src VALUES ${values(ROWS)}`);
    const expectedSum = (await db.query('SELECT sum(k), sum(v), count(DISTINCT s) FROM src')).rows();
    for (const [setting, encodings] of Object.entries(EXPECTED)) {
      await db.exec(`SET force_encoding = '${setting}'`);
      const table = `t_${setting}`;
      await db.exec(`CREATE TABLE ${table} ORDER BY (k) AS SELECT * FROM src`);
      const info = await storageInfo(db, table);
      expect(info).toHaveLength(3 * BLOCKS);
      const parts = new Set(info.map((r) => r.part));
      expect(parts.size).toBe(1);
      const part = [...parts][0]!;
      expect(part).not.toBeNull();
      for (const [c, name] of ['k', 'v', 's'].entries()) {
        const blocks = info.filter((r) => r.column_name === name);
        expect(blocks.map((r) => r.block)).toEqual(Array.from({ length: BLOCKS }, (_, b) => b));
        expect(blocks.every((r) => r.column_index === c && r.encoding === encodings[c]), `${setting}: column ${name}`).toBe(true);
        // Rows add up to the table's, each block starting where the one before ended.
        expect(blocks.map((r) => Number(r.row_start))).toEqual(blocks.map((_, b) => b * BLOCK_ROWS));
        expect(blocks.reduce((n, r) => n + Number(r.rows), 0)).toBe(ROWS);
        // Bytes add up to the column file's size.
        const file = join(partPath(path, partDirectoryName(Number(part))), `c${c}.bin`);
        expect(blocks.reduce((n, r) => n + Number(r.bytes), 0), `${setting}: ${file}`).toBe(statSync(file).size);
      }
      // The zone map of the first block of k: rows 0..15.
      const first = info.find((r) => r.column_name === 'k' && r.block === 0)!;
      expect([first.min, first.max, first.nulls, first.sorted, first.column_type]).toEqual(['0', String(BLOCK_ROWS - 1), 0n, true, 'INTEGER']);
      // The data reads back the same whatever the encoding.
      expect((await db.query(`SELECT sum(k), sum(v), count(DISTINCT s) FROM ${table}`)).rows()).toEqual(expectedSum);
    }
    await db.close();
  });

  it('forces the encoding of flushed parts too, shows the memtable with part NULL, and RESET lets blocks choose again', async () => {
    const db = await Database.open(join(dir, 'db'), { memtableRows: 40, blockRows: BLOCK_ROWS });
    await db.exec("CREATE TABLE t (k INT, v BIGINT, s VARCHAR) ORDER BY (k); SET force_encoding TO 'DICT'");
    expect((await db.query('SHOW force_encoding')).rows()).toEqual([['dictionary']]);
    await db.exec(`INSERT INTO t VALUES ${values(40)}`); // fills the memtable: a checkpoint writes a part
    await db.exec(`INSERT INTO t VALUES ${values(10, 40)}`); // stays in the memtable
    const info = await storageInfo(db, 't');
    const inParts = info.filter((r) => r.part !== null);
    expect(inParts).toHaveLength(3 * Math.ceil(40 / BLOCK_ROWS));
    expect(new Set(inParts.map((r) => r.encoding))).toEqual(new Set(['dictionary']));
    const memtable = info.filter((r) => r.part === null);
    expect(memtable.map((r) => [r.column_name, r.block, r.rows, r.encoding, r.min, r.max, r.nulls])).toEqual([
      ['k', null, 10n, 'memtable', '40', '49', 0n],
      ['v', null, 10n, 'memtable', '5', '7', 0n],
      ['s', null, 10n, 'memtable', 's0', 's4', 0n],
    ]);
    // Every column's rows add up to the table's.
    const sums = await db.query("SELECT column_name, sum(rows) FROM storage_info('t') GROUP BY column_name ORDER BY column_name");
    expect(sums.rows()).toEqual([['k', 50n], ['s', 50n], ['v', 50n]]);
    expect((await db.query('SELECT count(*) FROM t')).rows()).toEqual([[50n]]);

    // Forced plain, a constant column is plain; after RESET the block chooses rle (one run).
    await db.exec("SET force_encoding = plain; CREATE TABLE c1 AS SELECT 7 AS x FROM t; RESET force_encoding; CREATE TABLE c2 AS SELECT 7 AS x FROM t");
    expect((await db.query('SHOW force_encoding')).rows()).toEqual([['auto']]);
    expect((await storageInfo(db, 'c1')).map((r) => r.encoding)).toEqual(Array(Math.ceil(50 / BLOCK_ROWS)).fill('plain'));
    // (The last block holds 2 rows: too few for rle to beat plain by the chooser's margin.)
    const full = (await storageInfo(db, 'c2')).filter((r) => r.rows === BigInt(BLOCK_ROWS));
    expect(full.map((r) => r.encoding)).toEqual(Array(Math.floor(50 / BLOCK_ROWS)).fill('rle'));
    await db.close();
  });

  it('counts deleted rows per block', async () => {
    const db = await Database.open(join(dir, 'db'), { blockRows: BLOCK_ROWS });
    await db.exec(`CREATE TABLE src (k INT, v BIGINT, s VARCHAR); INSERT INTO src VALUES ${values(ROWS)}`);
    await db.exec('CREATE TABLE t ORDER BY (k) AS SELECT * FROM src; DELETE FROM t WHERE k BETWEEN 14 AND 20');
    const r = await db.query("SELECT block, rows, deleted FROM storage_info('t') WHERE column_name = 'k' AND block < 3 ORDER BY block");
    expect(r.rows()).toEqual([[0, 16n, 2n], [1, 16n, 5n], [2, 16n, 0n]]);
    await db.close();
  });

  it('takes a parameter, an alias, column aliases and any letter case of the name, and joins like a table', async () => {
    const db = await Database.open(join(dir, 'db'), { blockRows: BLOCK_ROWS });
    await db.exec(`CREATE TABLE src (k INT, v BIGINT, s VARCHAR); INSERT INTO src VALUES ${values(ROWS)}; CREATE TABLE t AS SELECT * FROM src`);
    expect((await db.query('SELECT count(*) FROM storage_info($1)', ['t'])).rows()).toEqual([[BigInt(3 * BLOCKS)]]);
    expect((await db.query("SELECT count(*) FROM storage_info('T') AS i (p, c) WHERE c = 'k'")).rows()).toEqual([[BigInt(BLOCKS)]]);
    const joined = await db.query("SELECT i.column_name, count(*) FROM storage_info('t') i JOIN storage_info('src') j ON i.column_name = j.column_name GROUP BY 1 ORDER BY 1");
    // t's blocks, each against src's one memtable row of the same column.
    expect(joined.rows()).toEqual([['k', BigInt(BLOCKS)], ['s', BigInt(BLOCKS)], ['v', BigInt(BLOCKS)]]);
    await db.close();
  });
});

describe('storage_info in memory', () => {
  it('has one row per chunk and column, encoding memory, part NULL', async () => {
    const db = await Database.open(':memory:');
    await db.exec("CREATE TABLE t (a INT, s VARCHAR); INSERT INTO t VALUES (3, 'x'), (1, NULL); INSERT INTO t VALUES (7, 'yy')");
    // force_encoding is accepted; an in-memory database writes no parts for it to act on.
    await db.exec("SET force_encoding = 'rle'");
    const r = await db.query("SELECT part, column_name, block, row_start, rows, bytes, encoding, nulls, min, max FROM storage_info('t') ORDER BY block, column_index");
    expect(r.rows()).toEqual([
      [null, 'a', 0, 0n, 2n, 8n, 'memory', 0n, '1', '3'],
      [null, 's', 0, 0n, 2n, 4n, 'memory', 1n, 'x', 'x'],
      [null, 'a', 1, 2n, 1n, 4n, 'memory', 0n, '7', '7'],
      [null, 's', 1, 2n, 1n, 4n, 'memory', 0n, 'yy', 'yy'],
    ]);
    await db.close();
  });
});

describe('storage_info errors', () => {
  it('names the missing table, a view, the wrong arguments and an unknown table function', async () => {
    const db = await Database.open(join(dir, 'db'));
    await db.exec('CREATE TABLE orders (a INT); CREATE VIEW v AS SELECT a FROM orders');
    const fails = (sql: string) => expect(db.query(sql)).rejects;
    await fails("SELECT * FROM storage_info('nope')").toMatchObject({ code: 'CATALOG_ERROR', message: expect.stringContaining('table "nope" does not exist') });
    await fails("SELECT * FROM storage_info('order')").toMatchObject({ message: expect.stringContaining('did you mean "orders"?') });
    await fails("SELECT * FROM storage_info('v')").toMatchObject({ code: 'CATALOG_ERROR', message: expect.stringContaining('is a view') });
    await fails('SELECT * FROM storage_info()').toMatchObject({ code: 'BINDER_ERROR', message: expect.stringContaining("storage_info('table_name')") });
    await fails("SELECT * FROM storage_info('orders', 'v')").toMatchObject({ code: 'BINDER_ERROR', message: expect.stringContaining('one argument') });
    await fails('SELECT * FROM storage_info(1)').toMatchObject({ code: 'BINDER_ERROR', message: expect.stringContaining('as a string') });
    await fails("SELECT * FROM storage_info(name => 'orders')").toMatchObject({ code: 'BINDER_ERROR', message: expect.stringContaining('no named arguments') });
    await fails('SELECT * FROM orders, storage_info(a)').toMatchObject({ message: expect.stringContaining('"a"') });
    await fails("SELECT * FROM no_such_function('orders')").toMatchObject({
      code: 'BINDER_ERROR',
      message: expect.stringMatching(/table function no_such_function\(\) does not exist; the table functions are: storage_info\('table_name'\)/),
    });
    const positioned = await db.query("SELECT *\nFROM storage_info('nope')").catch((e: unknown) => e);
    expect(positioned).toMatchObject({ position: { line: 2, column: 19 } });
    await db.close();
  });
});
