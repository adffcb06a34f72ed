// Fuzzing the HTTP server: a few thousand random and mutated SQL strings, JSON bodies and query
// strings. Every request gets an answer (200 with a result, or a 4xx/5xx JSON error, never a
// stack trace), none hangs, and the server answers /health afterwards with its data intact.

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../sql/database.js';
import { createServer } from '../../server/server.js';

const SEEDS = [
  'SELECT a, count(*) FROM t WHERE b > 2 GROUP BY a ORDER BY 2 DESC LIMIT 3',
  "SELECT s || 'x', CAST(a AS VARCHAR), a / 0, a % 3 FROM t",
  'SELECT * FROM t a JOIN t b ON a.a = b.a WHERE a.s LIKE \'%1%\'',
  'WITH w AS (SELECT a FROM t) SELECT max(a) FROM w',
  "SELECT CASE WHEN a > 1 THEN 'big' ELSE NULL END, date '2024-01-01' + a FROM t",
  'SELECT sum(b) OVER (PARTITION BY a ORDER BY b) FROM t',
  'EXPLAIN SELECT a FROM t',
  "SELECT $1 + a FROM t",
];
const TOKENS = ['(', ')', ',', "'", '"', ';', '--', '/*', '*/', 'SELECT', 'FROM', 'NULL', '\u0000', '\\', '$2', '1e999', '99999999999999999999', 'é', '\n', 'DROP', '*', '::INT', 'ORDER BY', ' '];

/** A deterministic generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function mutate(text: string, r: () => number): string {
  let s = text;
  const edits = 1 + Math.floor(r() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(r() * (s.length + 1));
    const k = r();
    if (k < 0.4) s = s.slice(0, at) + TOKENS[Math.floor(r() * TOKENS.length)]! + s.slice(at);
    else if (k < 0.7) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 6));
    else if (k < 0.85) s = s.slice(0, at) + String.fromCharCode(Math.floor(r() * 0x3000)) + s.slice(at);
    else s = s.slice(at) + s.slice(0, at);
  }
  return s;
}

let db: Database;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  db = await Database.open(':memory:');
  await db.exec("CREATE TABLE t (a INTEGER, b BIGINT, s VARCHAR); INSERT INTO t SELECT i % 5, i, 'v' || i FROM generate_series(1, 200) g(i)");
  app = createServer(db);
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app.close();
  await db.close();
});

describe('the server under random input', () => {
  it('answers every request with a result or a JSON error, and keeps serving', async () => {
    const r = rng(Number(process.env.FUZZ_SEED ?? 20261122));
    const statuses = new Map<number, number>();
    for (let i = 0; i < 2500; i++) {
      const seed = SEEDS[Math.floor(r() * SEEDS.length)]!;
      const sql = mutate(seed, r);
      const kind = r();
      let res: Response;
      if (kind < 0.6) res = await fetch(`${base}/query?format=${['json', 'csv', 'ndjson', 'tsv', 'arrow', 'bogus'][Math.floor(r() * 6)]}`, { method: 'POST', body: sql });
      else if (kind < 0.8) res = await fetch(`${base}/query`, { method: 'POST', body: r() < 0.5 ? JSON.stringify({ sql, params: [Math.floor(r() * 10)] }) : mutate(JSON.stringify({ sql }), r), headers: { 'content-type': 'application/json' } });
      else if (kind < 0.9) res = await fetch(`${base}/query?sql=${encodeURIComponent(sql)}`);
      else res = await fetch(`${base}/insert?table=t&header=${r() < 0.5}`, { method: 'POST', body: mutate('1,2,x\n3,4,y\n', r) });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const body = Buffer.from(await res.arrayBuffer());
      if (res.status !== 200) {
        expect(res.status, sql).toBeGreaterThanOrEqual(400);
        const err = JSON.parse(body.toString()) as { error: { code: string; message: string } };
        expect(typeof err.error.code, sql).toBe('string');
        expect(err.error.message, sql).not.toMatch(/\n\s+at /);
        // A crash of Quiver's own would be a 500 INTERNAL_ERROR: none is allowed.
        expect(err.error.code, `${sql} -> ${err.error.message}`).not.toBe('INTERNAL_ERROR');
      }
    }
    // Both kinds happened: answers and rejections.
    expect(statuses.get(200)).toBeGreaterThan(50);
    expect(statuses.get(400)).toBeGreaterThan(100);
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
    expect((await db.query('SELECT count(*) >= 200 FROM t')).rows()).toEqual([[true]]);
  });
});
