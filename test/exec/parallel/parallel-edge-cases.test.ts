// Edge cases of the parallel runtime (exec/parallel/): each query runs with SET threads = 1 and
// with 2 and 3 threads over small blocks, and must give the same rows.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../../sql/database.js';
import { canonical } from './canonical.js';


describe('parallel GROUP BY edge cases', () => {
  let dir: string;
  let db: Database;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quiver-parallel-edge-'));
    db = await Database.open(join(dir, 'db'), { blockRows: 256, memtableRows: 3000, compaction: 'off' });
    await db.exec(`
      CREATE TABLE t (id INTEGER, s VARCHAR, d DECIMAL(10,2), b BIGINT, dt DATE, f BOOLEAN, x DOUBLE, gone INTEGER) ORDER BY (id);
      INSERT INTO t SELECT i, CASE WHEN i % 11 = 0 THEN NULL ELSE 's' || (i % 13) END, CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 9) * 1.5 END,
        CASE WHEN i % 5 = 0 THEN NULL ELSE (i % 6) * 10000000000 END, DATE '2020-01-01' + (i % 4), CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 0 END, i * 0.5, i
        FROM generate_series(1, 6000) g(i);`);
    await db.checkpoint();
    await db.exec(`ALTER TABLE t DROP COLUMN gone; ALTER TABLE t ADD COLUMN added VARCHAR`);
    await db.exec(`INSERT INTO t SELECT i, 'n' || (i % 3), i * 0.25, i, DATE '2021-06-01', i % 2 = 1, -i, 'a' || (i % 4) FROM generate_series(6001, 9000) g(i)`);
    await db.checkpoint();
    await db.exec(`DELETE FROM t WHERE id % 10 = 3 OR id BETWEEN 100 AND 900`);
    await db.exec(`INSERT INTO t SELECT i, 'm', NULL, NULL, NULL, NULL, i, NULL FROM generate_series(9001, 9500) g(i)`);
    await db.exec(`INSERT INTO t SELECT i, NULL, 1.00, 7, DATE '2022-02-02', true, 1, 'mm' FROM generate_series(9501, 9700) g(i)`);
    // Rows in memory deleted and updated after they were inserted.
    await db.exec(`DELETE FROM t WHERE id BETWEEN 9100 AND 9150; UPDATE t SET s = 'upd', x = x + 1 WHERE id % 97 = 0`);
    // Wide and odd key types, in parts and in memory.
    await db.exec(`CREATE TABLE w (h DECIMAL(30,3), ts TIMESTAMP, r REAL, sm SMALLINT, v INTEGER);
      INSERT INTO w SELECT CASE WHEN i % 9 = 0 THEN NULL ELSE CAST((i % 17) || '23456789.125' AS DECIMAL(30,3)) END, CAST('2020-01-0' || (1 + i % 5) || ' 10:00:00' AS TIMESTAMP),
        (i % 4) * 0.5, i % 6, i FROM generate_series(1, 3000) g(i);`);
    await db.checkpoint();
    await db.exec(`INSERT INTO w SELECT CAST((i % 4) || '999999999.5' AS DECIMAL(30,3)), NULL, NULL, NULL, i FROM generate_series(1, 700) g(i)`);
    // A table whose rows are all deleted, and one with two blocks only.
    await db.exec(`CREATE TABLE z (a INTEGER, b VARCHAR); INSERT INTO z SELECT i, 'z' || i FROM generate_series(1, 1000) g(i)`);
    await db.checkpoint();
    await db.exec(`DELETE FROM z WHERE a > 0`);
    await db.exec(`CREATE TABLE two (a INTEGER, b VARCHAR) ORDER BY (a); INSERT INTO two SELECT i, 'w' || (i % 3) FROM generate_series(1, 512) g(i)`);
    await db.checkpoint();
  });

  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const queries = [
    'SELECT s, count(*), sum(d), min(b), max(dt), bool_and(f), count(added) FROM t GROUP BY s',
    'SELECT d, count(*), sum(id) FROM t GROUP BY d',
    'SELECT b, dt, f, count(*) FROM t GROUP BY b, dt, f',
    'SELECT added, s, min(s), max(s), any_value(added IS NULL) FROM t GROUP BY added, s',
    'SELECT count(*), count(DISTINCT s), count(DISTINCT d), sum(DISTINCT b), min(dt), max(added) FROM t',
    "SELECT string_agg(s, '|' ORDER BY id), count(DISTINCT s) FILTER (WHERE id % 2 = 0), min(s ORDER BY id) FROM t WHERE id < 1200",
    'SELECT s, arg_min(s, id), arg_max(x, id), var_samp(x), stddev_pop(d) FROM t GROUP BY s',
    'SELECT f, median(x), quantile_cont(d, 0.3), approx_count_distinct(s) FROM t GROUP BY f',
    'SELECT s, count(*) FILTER (WHERE d > 3), sum(x) FILTER (WHERE f) FROM t GROUP BY s',
    'SELECT count(*), sum(x), min(s), max(d), any_value(s) FROM t WHERE id > 9600',
    'SELECT count(*), sum(x), min(s) FROM t WHERE id < 0',
    'SELECT s, count(*) FROM t WHERE id < 0 GROUP BY s',
    'SELECT count(*), sum(a), min(b) FROM z',
    'SELECT b, count(*) FROM z GROUP BY b',
    'SELECT count(*), sum(a), min(b), max(b), string_agg(b, \',\' ORDER BY a) FROM two',
    'SELECT b, count(*), sum(a) FROM two GROUP BY b',
    'SELECT count(*), min(b) FROM two WHERE a > 300',
    'SELECT a.s, count(*) FROM t a JOIN t b ON a.id = b.id + 1 GROUP BY a.s',
    'SELECT count(*) FROM t a WHERE a.id IN (SELECT id FROM t WHERE s = \'s1\')',
    'SELECT count(*), sum(x) FROM t WHERE s IS NULL',
    'WITH f AS (SELECT id, s FROM t WHERE id > 50) SELECT a.s, count(*) FROM f a JOIN f b ON a.id = b.id + 1 GROUP BY a.s',
    'SELECT s, count(*) FROM t WHERE id IN (SELECT id + 1 FROM t WHERE f) GROUP BY s',
    'SELECT count(*), sum(a.x) FROM t a WHERE EXISTS (SELECT 1 FROM t b WHERE b.id = a.id * 2)',
    'SELECT h, count(*), sum(h), min(ts), max(ts), sum(r), count(DISTINCT h) FROM w GROUP BY h',
    'SELECT ts, r, sm, count(*), sum(v), avg(h), min(h), max(h) FROM w GROUP BY ts, r, sm',
    'SELECT sum(h), avg(h), count(DISTINCT ts), sum(DISTINCT h), var_pop(v), quantile_disc(h, 0.5) FROM w',
  ];

  it.each(queries)('%s', async (sql) => {
    await db.exec('SET threads = 1');
    const expected = canonical((await db.query(sql)).rows());
    for (const threads of [2, 3]) {
      await db.exec(`SET threads = ${threads}`);
      expect(canonical((await db.query(sql)).rows()), `threads=${threads}`).toEqual(expected);
    }
  });
});
