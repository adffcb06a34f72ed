// Join filters end to end (sql/planner/join-filters.ts, exec/join-filter.ts): which joins get
// them, that they never change an answer (every join type, NULL keys, keys read through
// projections and other joins), and that on disk the dimension's keys skip fact-table blocks
// by their zone maps before any other fact column is read.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../../sql/database.js';

const SETUP = `
  CREATE TABLE fact (day INTEGER, item INTEGER, qty INTEGER, note VARCHAR) ORDER BY (day);
  INSERT INTO fact SELECT 20200000 + (i / 50) * 1, i % 40, i % 7, 'n' || (i % 3) FROM generate_series(0, 9999) g(i);
  INSERT INTO fact VALUES (NULL, 1, 1, 'null day'), (20200005, NULL, 2, 'null item');
  CREATE TABLE days (d INTEGER, label VARCHAR, big BIGINT);
  INSERT INTO days SELECT 20200000 + i, 'd' || i, i FROM generate_series(0, 199) g(i);
  CREATE TABLE items (id INTEGER, kind VARCHAR);
  INSERT INTO items SELECT i, CASE WHEN i % 4 = 0 THEN 'x' ELSE 'y' END FROM generate_series(0, 39) g(i);
  INSERT INTO items VALUES (NULL, 'x')`;

async function explain(db: Database, sql: string): Promise<string> {
  return (await db.query(`EXPLAIN ANALYZE ${sql}`)).rows().map((r) => r[0]).join('\n');
}

describe('join filters', () => {
  let root: string;
  let disk: Database;
  let memory: Database;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'quiver-join-filters-'));
    disk = await Database.open(join(root, 'db'), { blockRows: 100, compaction: 'eager' });
    memory = await Database.open(':memory:');
    for (const db of [disk, memory]) await db.exec(SETUP);
    await disk.checkpoint();
  });

  afterAll(async () => {
    await disk.close();
    await memory.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('prune the fact table by the filtered dimension (a star join)', async () => {
    const sql = "SELECT count(*), sum(qty) FROM fact, days WHERE day = d AND label IN ('d10', 'd11') ";
    const plan = await explain(disk, sql);
    expect(plan).toMatch(/HashJoin INNER .*\(publishes join filter 0\)/);
    expect(plan).toMatch(/Scan fact .* join filter: #0 IN build keys of join 0/);
    // 100 rows of days 10 and 11 live in 1-2 of the 101 blocks of 100 rows.
    const blocks = /blocks: (\d+) of (\d+) read \((\d+) skipped by zone maps/.exec(plan.split('Scan fact')[1]!)!;
    expect(Number(blocks[1])).toBeLessThanOrEqual(3);
    expect(Number(blocks[3])).toBeGreaterThanOrEqual(98);
    expect((await disk.query(sql)).rows()).toEqual([[100n, 301n]]);
  });

  it('go down through filters, projections and the probe side of other joins', async () => {
    const sql = "SELECT kind, count(*) FROM (SELECT day + 0 AS shifted, day, item FROM fact WHERE qty > 0) f JOIN days ON f.day = days.d JOIN items ON f.item = items.id WHERE label = 'd3' AND kind = 'x' GROUP BY kind";
    const plan = await explain(disk, sql);
    expect((plan.match(/publishes join filter/g) ?? []).length).toBe(2);
    expect(plan).toMatch(/Scan fact .*join filter: #\d IN build keys of join \d, #\d IN build keys of join \d/);
    for (const db of [disk, memory]) expect((await db.query(sql)).rows()).toEqual([['x', 10n]]);
  });

  it('are not placed where unmatched probe rows are kept, or keys are not 32-bit integers', async () => {
    for (const sql of [
      'SELECT count(*) FROM fact LEFT JOIN days ON day = d',
      'SELECT count(*) FROM fact WHERE NOT EXISTS (SELECT 1 FROM days WHERE d = day)',
      'SELECT count(*) FROM fact FULL JOIN items ON item = id',
      'SELECT count(*) FROM fact JOIN days ON CAST(day - 20200000 AS BIGINT) = big',
      "SELECT count(*) FROM fact JOIN items ON note = kind",
    ]) {
      expect(await explain(memory, sql), sql).not.toMatch(/join filter/);
    }
  });

  it('never change an answer: every join type, NULL keys on both sides', async () => {
    const queries: [string, unknown[][]][] = [
      ["SELECT count(*) FROM fact JOIN items ON item = id WHERE kind = 'x'", [[2500n]]],
      ["SELECT count(*) FROM fact WHERE item IN (SELECT id FROM items WHERE kind = 'x')", [[2500n]]],
      ["SELECT count(*) FROM fact WHERE EXISTS (SELECT 1 FROM items WHERE id = item AND kind = 'x')", [[2500n]]],
      ["SELECT count(*), count(note) FROM fact RIGHT JOIN (SELECT * FROM items WHERE kind = 'x') i ON item = id", [[2501n, 2500n]]],
      ["SELECT count(*) FROM fact LEFT JOIN (SELECT * FROM items WHERE kind = 'x') i ON item = id", [[10002n]]],
      ['SELECT count(*) FROM fact JOIN days ON day = d JOIN items ON item = id', [[10000n]]],
      ["SELECT count(*) FROM fact JOIN (SELECT * FROM days WHERE label = 'none') e ON day = d", [[0n]]],
    ];
    for (const db of [disk, memory]) {
      for (const [sql, expected] of queries) expect((await db.query(sql)).rows(), sql).toEqual(expected);
    }
  });
});
