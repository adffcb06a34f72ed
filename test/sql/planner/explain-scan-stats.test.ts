// EXPLAIN ANALYZE's storage counters (sql/planner/explain.ts, exec/operators/scan.ts): under each
// scan of an on-disk table, a detail line says how many blocks were read of those considered, how
// many the zone maps and the sort key skipped, the rows bitmaps selected, the values decoded and
// the bytes read. A selective predicate on the sort key of a table of many small blocks reads
// only the blocks that can hold its rows.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../../index.js';
import { blockCache } from '../../../storage/part/block-cache.js';

// The counters say what storage read and decoded: each test starts without cached blocks
// (storage/part/block-cache.ts); the last ones show what the cache saves.
beforeEach(() => blockCache.clear());

const BLOCK_ROWS = 16;
const ROWS = 1024;
const BLOCKS = ROWS / BLOCK_ROWS;

let dir: string;
let db: Database;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quiver-explain-stats-'));
  db = await Database.open(join(dir, 'db'), { blockRows: BLOCK_ROWS });
  // The counters of one thread's scans and block cache (each worker thread has its own cache:
  // test/exec/parallel covers the workers' counters).
  await db.exec('SET threads = 1');
  const rows = Array.from({ length: ROWS }, (_, i) => `(${(i * 389) % ROWS}, ${i % 10})`).join(', ');
  // Plain blocks: every value decoded is one row of one column, whatever the data.
  await db.exec(`CREATE TABLE src (k INT, v INT); INSERT INTO src VALUES ${rows};
                 SET force_encoding = 'plain'; CREATE TABLE t ORDER BY (k) AS SELECT * FROM src; RESET force_encoding`);
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The EXPLAIN ANALYZE lines of `sql`, and the detail line under its only scan of `table`. */
async function scanDetail(sql: string, table: string): Promise<string> {
  const lines = (await db.query(`EXPLAIN ANALYZE ${sql}`)).rows().map((r) => r[0] as string);
  const at = lines.findIndex((l) => new RegExp(`Scan ${table} \\[`).test(l));
  expect(at, lines.join('\n')).toBeGreaterThanOrEqual(0);
  const detail = lines[at + 1]!;
  // Indented under the scan's text, with no arrow: not a plan node.
  expect(detail).toMatch(/^\s+blocks: /);
  expect(detail.indexOf('blocks')).toBe(lines[at]!.indexOf('Scan') + 2);
  return detail.trim();
}

describe('EXPLAIN ANALYZE storage counters', () => {
  it('shows the blocks a selective sort-key predicate skips', async () => {
    // k 100..120 lies in blocks 6 (96..111) and 7 (112..127).
    const detail = await scanDetail('SELECT sum(v) FROM t WHERE k BETWEEN 100 AND 120', 't');
    const bytes = (await db.query("SELECT sum(bytes) FROM storage_info('t') WHERE block IN (6, 7)")).rows()[0]![0];
    expect(detail).toBe(
      `blocks: 2 of ${BLOCKS} read (${BLOCKS - 2} skipped by zone maps, 0 by bitmaps), bitmap rows: 0, values decoded: 64, bytes read: ${Number(bytes).toLocaleString('en-US')}`,
    );
    expect((await db.query('SELECT sum(v) FROM t WHERE k BETWEEN 100 AND 120')).rows()).toEqual((await db.query('SELECT sum(v) FROM src WHERE k BETWEEN 100 AND 120')).rows());
  });

  it('reads every block without a predicate, and counts thousands with separators', async () => {
    const detail = await scanDetail('SELECT sum(v) FROM t', 't');
    expect(detail).toMatch(new RegExp(`^blocks: ${BLOCKS} of ${BLOCKS} read \\(0 skipped by zone maps, 0 by bitmaps\\), bitmap rows: 0, values decoded: 1,024, bytes read: [\\d,]+$`));
  });

  it('reads the filter columns first and the others only in blocks where rows pass (late materialization)', async () => {
    // k % 200 = 7 cannot prune by zone maps: k is read in all 64 blocks, and holds for
    // k = 7, 207, ..., 1007 — six rows in six blocks, the only blocks where v is read.
    const sql = 'SELECT sum(v) FROM t WHERE k % 200 = 7';
    expect(await scanDetail(sql, 't')).toMatch(new RegExp(`^blocks: ${BLOCKS} of ${BLOCKS} read \\(0 skipped by zone maps, 0 by bitmaps\\), bitmap rows: 0, values decoded: ${(ROWS + 6 * BLOCK_ROWS).toLocaleString('en-US')},`));
    expect((await db.query(sql)).rows()).toEqual((await db.query('SELECT sum(v) FROM src WHERE k % 200 = 7')).rows());
  });

  it('adds up every run of a scan node (a correlated subquery run per outer row)', async () => {
    // `t.k > o.a` cannot be decorrelated into a join here, so the subquery's scan runs 3 times.
    const sql = 'SELECT (SELECT max(v) FROM t WHERE t.k > o.a) FROM (VALUES (1), (500), (1000)) o(a)';
    const lines = (await db.query(`EXPLAIN ANALYZE ${sql}`)).rows().map((r) => r[0] as string);
    expect(lines.join('\n')).toContain('Apply scalar');
    // Late materialization: k, the filter's column, is read in every block of the 3 runs; v only
    // in the blocks where some k passes (64 for a = 1, 33 for a = 500, 2 for a = 1000). The first
    // run decodes them; the later runs find every block it read in the block cache.
    const decoded = ROWS + 64 * (ROWS / BLOCKS);
    const cached = 2 * BLOCKS + 33 + 2;
    blockCache.clear();
    expect(await scanDetail(sql, 't')).toMatch(
      new RegExp(`^blocks: ${3 * BLOCKS} of ${3 * BLOCKS} read \\(0 skipped by zone maps, 0 by bitmaps\\), bitmap rows: 0, values decoded: ${decoded.toLocaleString('en-US')}, bytes read: [\\d,]+, column blocks from cache: ${cached}$`),
    );
  });

  it('a second run reads nothing: its blocks come decoded from the block cache', async () => {
    const first = await scanDetail('SELECT sum(v) FROM t WHERE k < 500', 't');
    expect(first).toMatch(/bytes read: [1-9][\d,]*$/);
    expect(await scanDetail('SELECT sum(v) FROM t WHERE k < 500', 't')).toMatch(/values decoded: 0, bytes read: 0, column blocks from cache: 64$/);
  });

  it('prints no storage line for tables held in memory', async () => {
    const mem = await Database.open(':memory:');
    await mem.exec('CREATE TABLE m (a INT); INSERT INTO m VALUES (1), (2)');
    const lines = (await mem.query('EXPLAIN ANALYZE SELECT sum(a) FROM m')).rows().map((r) => r[0] as string);
    expect(lines.some((l) => l.includes('blocks:'))).toBe(false);
    await mem.close();
  });
});

describe('EXPLAIN ANALYZE over run-length blocks', () => {
  let rdb: Database;
  beforeAll(async () => {
    rdb = await Database.open(join(dir, 'rle'));
    // x: 0 to 9, 100 rows each: 10 runs in one block (the default block size).
    const rows = Array.from({ length: 1000 }, (_, i) => `(${Math.floor(i / 100)})`).join(', ');
    await rdb.exec(`CREATE TABLE s (x INT); INSERT INTO s VALUES ${rows}; SET force_encoding = 'rle'; CREATE TABLE r AS SELECT * FROM s`);
  });
  afterAll(async () => {
    await rdb.close();
  });
  const explainSum = async () => (await rdb.query('EXPLAIN ANALYZE SELECT sum(x) FROM r')).rows().map((r) => r[0] as string).join('\n');

  it('reads the one run-length block of the column, and sums it right', async () => {
    expect((await rdb.query("SELECT encoding, rows, distinct_values, sorted FROM storage_info('r')")).rows()).toEqual([['rle', 1000n, 10n, true]]);
    expect(await explainSum()).toMatch(/blocks: 1 of 1 read \(0 skipped by zone maps, 0 by bitmaps\), bitmap rows: 0, values decoded: [\d,]+, bytes read: [\d,]+/);
    expect((await rdb.query('SELECT sum(x) FROM r')).rows()).toEqual([[4500n]]);
  });

  // The acceptance test: the rle block reaches the aggregate as its runs (storage
  // decodes no value of it) and SUM folds the runs in without expanding them.
  it('a SUM over a run-length column of 10 runs decodes 0 values', async () => {
    expect(await explainSum()).toContain('values decoded: 0,');
  });
});
