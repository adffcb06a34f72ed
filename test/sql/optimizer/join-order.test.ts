// The join-order rule (sql/optimizer/join-order.ts) must never introduce a cross product when
// the join graph is connected, whatever order the tables and predicates are written in. Checked
// on chains and stars of 10+ tables given as comma joins in scrambled orders: the physical plan
// (and EXPLAIN) has no NestedLoopJoin, every join is a hash join, and the answer is right.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../../index.js';

const TABLES = 12;
let db: Database;

/** A deterministic shuffle (mulberry32), so every run checks the same orders. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

beforeAll(async () => {
  db = await Database.open(':memory:');
  // t_i has 3 + 2*i rows (sizes differ, so a size-greedy order is not the chain order);
  // t_i.nxt points at rows of t_{i+1} (ids 0..4 always exist).
  for (let i = 0; i < TABLES; i++) {
    await db.exec(`CREATE TABLE t${i} (id INTEGER, nxt INTEGER, v INTEGER)`);
    const rows: string[] = [];
    for (let r = 0; r < 3 + 2 * ((i * 7) % TABLES); r++) rows.push(`(${r}, ${r % 5}, ${r * (i + 1)})`);
    await db.exec(`INSERT INTO t${i} VALUES ${rows.join(', ')}`);
  }
  await db.exec('CREATE TABLE fact (id INTEGER, d0 INTEGER, d1 INTEGER, d2 INTEGER, d3 INTEGER, d4 INTEGER, d5 INTEGER, d6 INTEGER, d7 INTEGER, d8 INTEGER, d9 INTEGER)');
  const facts: string[] = [];
  for (let r = 0; r < 50; r++) facts.push(`(${r}, ${Array.from({ length: 10 }, (_, d) => (r + d) % 3).join(', ')})`);
  await db.exec(`INSERT INTO fact VALUES ${facts.join(', ')}`);
});

afterAll(async () => {
  await db.close();
});

async function explain(sql: string): Promise<string> {
  return (await db.query(`EXPLAIN ${sql}`)).rows().map((r) => r[0] as string).join('\n');
}

async function count(sql: string): Promise<bigint> {
  return (await db.query(sql)).rows()[0]![0] as bigint;
}

/** Rows of the chain t0 -> t1 -> ... -> t{n-1}, counted by walking it in JS. */
async function chainCount(n: number): Promise<bigint> {
  const tables: { id: number; nxt: number }[][] = [];
  for (let i = 0; i < n; i++) {
    tables.push((await db.query(`SELECT id, nxt FROM t${i}`)).rows().map((r) => ({ id: r[0] as number, nxt: r[1] as number })));
  }
  // paths[k] = number of chain prefixes ending at row k of the current table.
  let paths = tables[0]!.map(() => 1n);
  for (let i = 1; i < n; i++) {
    const next = tables[i]!.map(() => 0n);
    tables[i - 1]!.forEach((row, k) => {
      tables[i]!.forEach((target, j) => {
        if (target.id === row.nxt) next[j]! += paths[k]!;
      });
    });
    paths = next;
  }
  return paths.reduce((a, b) => a + b, 0n);
}

describe('chains of comma joins', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`never plans a cross product for a 12-table chain in scrambled order (seed ${seed})`, async () => {
      const order = shuffled(Array.from({ length: TABLES }, (_, i) => `t${i}`), seed);
      const predicates = shuffled(Array.from({ length: TABLES - 1 }, (_, i) => (i % 2 === 0 ? `t${i}.nxt = t${i + 1}.id` : `t${i + 1}.id = t${i}.nxt`)), seed * 31);
      const sql = `SELECT count(*) FROM ${order.join(', ')} WHERE ${predicates.join(' AND ')}`;
      const plan = await explain(sql);
      expect(plan).not.toContain('NestedLoopJoin');
      expect(plan.match(/HashJoin INNER/g)?.length).toBe(TABLES - 1);
      expect(await count(sql)).toBe(await chainCount(TABLES));
    });
  }

  it('keeps single-table filters on their table and still avoids cross products', async () => {
    const order = shuffled(Array.from({ length: 10 }, (_, i) => `t${i}`), 9);
    const joins = Array.from({ length: 9 }, (_, i) => `t${i}.nxt = t${i + 1}.id`);
    const sql = `SELECT count(*) FROM ${order.join(', ')} WHERE t3.v >= 0 AND ${shuffled(joins, 10).join(' AND ')} AND t0.id < 100`;
    const plan = await explain(sql);
    expect(plan).not.toContain('NestedLoopJoin');
    expect(await count(sql)).toBe(await chainCount(10));
  });

  it('orders explicit CROSS JOINs whose predicates are in WHERE', async () => {
    const order = shuffled(Array.from({ length: 10 }, (_, i) => `t${i}`), 11);
    const sql = `SELECT count(*) FROM ${order.join(' CROSS JOIN ')} WHERE ${Array.from({ length: 9 }, (_, i) => `t${i}.nxt = t${i + 1}.id`).join(' AND ')}`;
    expect(await explain(sql)).not.toContain('NestedLoopJoin');
    expect(await count(sql)).toBe(await chainCount(10));
  });

  it('plans a real cross product only where the graph is not connected', async () => {
    const plan = await explain('SELECT count(*) FROM t0, t1, t2, t3 WHERE t0.nxt = t1.id AND t2.nxt = t3.id');
    expect(plan.match(/NestedLoopJoin/g)?.length).toBe(1);
  });
});

describe('stars', () => {
  it('joins a fact table to 10 dimensions listed in a scrambled order without a cross product', async () => {
    const dims = Array.from({ length: 10 }, (_, d) => `t${d} AS dim${d}`);
    const sql = `SELECT count(*) FROM ${shuffled([...dims, 'fact'], 21).join(', ')} WHERE ${shuffled(
      Array.from({ length: 10 }, (_, d) => `fact.d${d} = dim${d}.id`),
      22,
    ).join(' AND ')}`;
    const plan = await explain(sql);
    expect(plan).not.toContain('NestedLoopJoin');
    // Every dimension has exactly one row per id 0..2, so each fact row matches once.
    expect(await count(sql)).toBe(50n);
  });
});
