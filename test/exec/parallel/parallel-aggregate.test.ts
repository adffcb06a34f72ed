// The parallel runtime (exec/parallel/): GROUP BY queries over tables on disk split their
// driving scan among worker threads and merge the partial states. Every query here runs with
// SET threads = 1 (in this thread) and with 2 and 3 threads, and must give the same groups; the
// workers' errors, the memory limit and cancellation reach the query as they would in one thread.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../../sql/database.js';
import { canonical } from './canonical.js';
import { failure } from '../../expect-failure.js';


describe('parallel GROUP BY over tables on disk', () => {
  let dir: string;
  let db: Database;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quiver-parallel-'));
    db = await Database.open(join(dir, 'db'), { blockRows: 512, memtableRows: 4000, compaction: 'off' });
    await db.exec(`
      CREATE TABLE dim (k INTEGER PRIMARY KEY, name VARCHAR, region VARCHAR);
      CREATE TABLE fact (day INTEGER, k INTEGER, qty INTEGER, price DECIMAL(12,2), w DOUBLE, tag VARCHAR, big BIGINT) ORDER BY (day);
      INSERT INTO dim SELECT i, 'name ' || i, CASE WHEN i % 3 = 0 THEN 'EU' WHEN i % 3 = 1 THEN 'US' ELSE NULL END FROM generate_series(1, 300) t(i);
      INSERT INTO fact SELECT i % 365, i % 350, i % 50, (i % 1000) * 1.25, i * 0.1, CASE WHEN i % 17 = 0 THEN NULL ELSE 't' || (i % 23) END, i * 1000003
        FROM generate_series(1, 20000) t(i);`);
    await db.checkpoint();
    // A second part, deletions in both, a column the first parts lack, and rows still in memory.
    await db.exec(`INSERT INTO fact SELECT i % 365, i % 350, i % 50, i * 0.5, i * 0.25, 'u' || (i % 7), -i FROM generate_series(1, 5000) t(i)`);
    await db.checkpoint();
    await db.exec(`DELETE FROM fact WHERE qty = 7; ALTER TABLE fact ADD COLUMN extra INTEGER`);
    // Rows in memory in several batches (one per INSERT), which the shares split among them.
    for (const [from, to] of [[1, 700], [701, 1200], [1201, 1500]]) {
      await db.exec(`INSERT INTO fact SELECT i % 365, i % 350, i % 50, i * 0.75, i * 0.5, 'm' || (i % 5), i, i % 4 FROM generate_series(${from}, ${to}) t(i)`);
    }
  });

  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const queries = [
    'SELECT count(*), sum(qty), sum(price), sum(big), avg(price), min(tag), max(w), count(tag), count(extra), sum(extra) FROM fact',
    'SELECT tag, count(*), sum(price), avg(w), min(day), max(big) FROM fact GROUP BY tag',
    'SELECT day % 7 AS d, tag, sum(qty) FROM fact WHERE day BETWEEN 10 AND 200 GROUP BY 1, 2',
    'SELECT dim.region, count(*), sum(fact.price) FROM fact JOIN dim ON fact.k = dim.k WHERE dim.name <> \'name 5\' GROUP BY dim.region',
    'SELECT dim.region, count(*), count(dim.k) FROM fact LEFT JOIN dim ON fact.k = dim.k GROUP BY dim.region',
    'SELECT count(*) FROM fact WHERE k IN (SELECT k FROM dim WHERE region = \'EU\')',
    'SELECT count(*), sum(qty) FROM fact WHERE k NOT IN (SELECT k FROM dim WHERE region IS NOT NULL)',
    'SELECT qty, count(DISTINCT tag), median(price), quantile_disc(day, 0.25), stddev_samp(w), bool_or(big < 0) FROM fact GROUP BY qty',
    "SELECT qty % 5, string_agg(tag, ',' ORDER BY tag), arg_max(day, big), approx_count_distinct(k) FROM fact GROUP BY 1",
    'SELECT k, count(*) FILTER (WHERE qty > 10), any_value(k) FROM fact GROUP BY k HAVING count(*) > 60',
    'SELECT count(*), sum(d.n) FROM fact JOIN (SELECT k, count(*) AS n FROM fact GROUP BY k) d ON fact.k = d.k',
  ];

  it.each(queries)('%s', async (sql) => {
    await db.exec('SET threads = 1');
    const expected = canonical((await db.query(sql)).rows());
    for (const threads of [2, 3]) {
      await db.exec(`SET threads = ${threads}`);
      expect(canonical((await db.query(sql)).rows())).toEqual(expected);
    }
  });

  it('runs the shares in worker threads, and EXPLAIN says so', async () => {
    await db.exec('SET threads = 2');
    const plan = (await db.query('EXPLAIN SELECT tag, count(*) FROM fact JOIN dim ON fact.k = dim.k GROUP BY tag')).rows().join('\n');
    expect(plan).toMatch(/Aggregate by .* \(parallel: 2 threads, each scanning a share of fact\)/);
    const analyzed = (await db.query('EXPLAIN ANALYZE SELECT tag, count(*) FROM fact GROUP BY tag')).rows().join('\n');
    expect(analyzed).toMatch(/Aggregate by #\d+: count_star\(\) \(rows=\d+, 2 threads\)/);
    // The scan's counters are the workers' together: every row once.
    const total = (await db.query('SELECT count(*) FROM fact')).rows()[0]![0];
    expect(analyzed).toContain(`Scan fact [tag] (rows=${total})`);
    // One thread: no workers.
    await db.exec('SET threads = 1');
    expect((await db.query('EXPLAIN ANALYZE SELECT tag, count(*) FROM fact GROUP BY tag')).rows().join('\n')).not.toMatch(/threads/);
  });

  it('reports a worker error as the query error, and the next query runs', async () => {
    await db.exec('SET threads = 2');
    const e = await failure(db.query("SELECT sum(CAST(tag AS INTEGER)) FROM fact WHERE tag <> 't0'"));
    await db.exec('SET threads = 1');
    const one = await failure(db.query("SELECT sum(CAST(tag AS INTEGER)) FROM fact WHERE tag <> 't0'"));
    // The same error; the value it names is the first bad one its thread met, which with several
    // threads need not be the first in the table.
    const shape = (m: string) => m.replace(/"[^"]*"/, '"…"');
    expect([e.code, shape(e.message)]).toEqual([one.code, shape(one.message)]);
    expect(e.message).toMatch(/^invalid input for type INTEGER: "[tum]\d+"$/);
    await db.exec('SET threads = 2');
    expect((await db.query('SELECT count(*) > 0 FROM fact')).rows()).toEqual([[true]]);
  });

  it('counts the workers against memory_limit', async () => {
    await db.exec("SET threads = 2; SET memory_limit = '200KB'");
    try {
      const e = await failure(db.query('SELECT big, count(*) FROM fact GROUP BY big'));
      expect(e.code).toBe('OUT_OF_MEMORY');
      expect(e.message).toMatch(/the groups of GROUP BY \(1 key\(s\), 1 aggregate\(s\)\) holds .* memory_limit/);
    } finally {
      await db.exec('RESET memory_limit');
    }
    expect((await db.query('SELECT count(DISTINCT big) > 20000 FROM fact')).rows()).toEqual([[true]]);
  });

  it('stops the workers when the query is cancelled', async () => {
    await db.exec('SET threads = 2');
    // A nested-loop join on the split side: billions of pairs, far longer than the timeout.
    const slow = 'SELECT count(*) FROM fact a JOIN fact b ON a.w < b.w + a.qty';
    const e = await failure(db.query(slow, [], { timeoutMs: 200 }));
    expect(e.code).toBe('CANCELLED');
    const controller = new AbortController();
    const running = db.query(slow, [], { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    expect((await failure(running)).code).toBe('CANCELLED');
    // The workers are free again: the next query (in them) answers.
    expect((await db.query('SELECT count(*) > 0 FROM fact GROUP BY qty % 2')).rows()).toEqual([[true], [true]]);
  });

  it('is a setting: SHOW, SET, RESET, checked', async () => {
    await db.exec('SET threads = 3');
    expect((await db.query('SHOW threads')).rows()).toEqual([['3']]);
    expect((await failure(db.exec('SET threads = 0'))).message).toMatch(/invalid value for setting threads: use a whole number from 1 to 256, not 0/);
    expect((await failure(db.exec("SET threads = 'many'"))).message).toMatch(/not 'many'/);
    await db.exec('RESET threads');
    expect(Number((await db.query('SHOW threads')).rows()[0]![0])).toBeGreaterThanOrEqual(1);
  });
});

describe('GROUP BY that stays in one thread', () => {
  it('gives up on the threads when a share meets too many groups to merge', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-parallel-groups-'));
    const db = await Database.open(join(dir, 'db'), { blockRows: 8192, compaction: 'off' });
    try {
      await db.exec('SET threads = 2; CREATE TABLE t AS SELECT i AS k, i % 7 AS v FROM generate_series(1, 260000) x(i)');
      const sql = 'SELECT k % 250000 AS g, sum(v), count(*) FROM t GROUP BY 1';
      const analyzed = (await db.query(`EXPLAIN ANALYZE ${sql}`)).rows().join('\n');
      expect(analyzed).toMatch(/Aggregate by .*\(rows=250000\)/);
      expect(analyzed).not.toMatch(/threads/);
      // Few groups: the same table in two threads.
      expect((await db.query('EXPLAIN ANALYZE SELECT v, count(*) FROM t GROUP BY v')).rows().join('\n')).toMatch(/2 threads/);
      const parallel = canonical((await db.query(sql)).rows());
      await db.exec('SET threads = 1');
      expect(canonical((await db.query(sql)).rows())).toEqual(parallel);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs in memory, where no worker can read the tables', async () => {
    const db = await Database.open(':memory:');
    try {
      await db.exec('SET threads = 4; CREATE TABLE t AS SELECT i % 10 AS g, i FROM generate_series(1, 300000) x(i)');
      const r = (await db.query('EXPLAIN ANALYZE SELECT g, sum(i) FROM t GROUP BY g')).rows().join('\n');
      expect(r).not.toMatch(/threads/);
      expect((await db.query('SELECT sum(i) FROM t')).rows()).toEqual([[45000150000n]]);
    } finally {
      await db.close();
    }
  });
});
