// The HTTP server (server/server.ts) over a real socket: POST /query with raw SQL or JSON, GET
// /query for read-only statements, every format, the query id header, and errors as JSON with
// the right status; `quiver serve` as a real process that stops cleanly on SIGTERM.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { tableFromIPC } from 'apache-arrow';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../sql/database.js';
import { createServer } from '../../server/server.js';

let db: Database;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  db = await Database.open(':memory:');
  await db.exec("CREATE TABLE t (a INT, b BIGINT, d DECIMAL(10,2), s VARCHAR); INSERT INTO t VALUES (1, 9007199254740993, 1.50, 'x,y'), (2, NULL, -0.25, 'tab\there'), (3, 7, NULL, NULL)");
  app = createServer(db);
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app.close();
  await db.close();
});

const post = (path: string, body: string, type = 'text/plain') => fetch(base + path, { method: 'POST', body, headers: { 'content-type': type } });

describe('POST /query', () => {
  it('runs raw SQL and answers JSON: columns, exact rows, stats, and a query id', async () => {
    const r = await post('/query', 'SELECT a, b, d, s FROM t ORDER BY a');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.headers.get('x-quiver-query-id')).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await r.json()) as { columns: unknown; rows: unknown; stats: Record<string, number> };
    expect(body.columns).toEqual([
      { name: 'a', type: 'INTEGER' },
      { name: 'b', type: 'BIGINT' },
      { name: 'd', type: 'DECIMAL(10,2)' },
      { name: 's', type: 'VARCHAR' },
    ]);
    expect(body.rows).toEqual([
      [1, '9007199254740993', '1.50', 'x,y'],
      [2, null, '-0.25', 'tab\there'],
      [3, '7', null, null],
    ]);
    expect(Object.keys(body.stats).sort()).toEqual(['bytes_read', 'elapsed_ms', 'rows_read']);
  });

  it('takes a JSON body with params, format and timeout', async () => {
    const r = await post('/query', JSON.stringify({ sql: 'SELECT a FROM t WHERE a > $1 ORDER BY a', params: [1], format: 'csv', timeout_ms: 5000 }), 'application/json');
    expect(await r.text()).toBe('a\n2\n3\n');
  });

  it('writes ndjson, csv, tsv and Arrow', async () => {
    const sql = 'SELECT a, s FROM t ORDER BY a';
    expect(await (await post('/query?format=ndjson', sql)).text()).toBe('{"a":1,"s":"x,y"}\n{"a":2,"s":"tab\\there"}\n{"a":3,"s":null}\n');
    expect(await (await post('/query?format=csv', sql)).text()).toBe('a,s\n1,"x,y"\n2,tab\there\n3,\n');
    expect(await (await post('/query?format=tsv', sql)).text()).toBe('a\ts\n1\tx,y\n2\ttab\\there\n3\t\\N\n');
    const arrow = await post('/query?format=arrow', sql);
    expect(arrow.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await arrow.arrayBuffer()));
    expect(table.numRows).toBe(3);
    expect(table.getChild('s')!.toArray()).toEqual(['x,y', 'tab\there', null]);
  });

  it('compresses answers with gzip when the client accepts it', async () => {
    const get = (encoding: string | null) =>
      new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        const req = httpRequest(`${base}/query?format=csv`, { method: 'POST', headers: encoding === null ? {} : { 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end('SELECT a FROM t ORDER BY a');
      });
    const zipped = await get('br;q=1, gzip;q=0.8');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).toString()).toBe('a\n1\n2\n3\n');
    for (const refused of [null, 'gzip;q=0', 'identity']) {
      const plain = await get(refused);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.toString()).toBe('a\n1\n2\n3\n');
    }
  });

  it('runs statements that change data, the last one answering', async () => {
    const r = await post('/query', 'CREATE TABLE u (k INT); INSERT INTO u VALUES (1), (2); SELECT count(*) AS n FROM u');
    expect(((await r.json()) as { rows: unknown }).rows).toEqual([['2']]);
  });

  it('answers mistakes with 4xx and a JSON error, and keeps serving', async () => {
    const syntax = await post('/query', 'SELEC 1');
    expect(syntax.status).toBe(400);
    expect(await syntax.json()).toMatchObject({ error: { code: 'SYNTAX_ERROR', position: { line: 1, column: 1 } } });
    const missing = await post('/query', 'SELECT * FROM nowhere');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { code: 'CATALOG_ERROR' } });
    expect(await (await post('/query?format=xml', 'SELECT 1')).json()).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringMatching(/unknown format "xml"/) } });
    expect((await post('/query', '{"sql": ', 'application/json')).status).toBe(400);
    expect(await (await post('/query', JSON.stringify({ query: 'SELECT 1' }), 'application/json')).json()).toMatchObject({ error: { message: expect.stringMatching(/unknown field "query"/) } });
    expect((await post('/query', '   ')).status).toBe(400);
    const long = await post('/query', 'SELECT 1' + ' '.repeat(1024 * 1024));
    expect(await long.json()).toMatchObject({ error: { message: expect.stringMatching(/at most 1048576 are accepted/) } });
    const slow = await post('/query', JSON.stringify({ sql: 'SELECT count(*) FROM generate_series(1, 100000000) a(i), generate_series(1, 100) b(j)', timeout_ms: 50 }), 'application/json');
    expect(slow.status).toBe(408);
    expect(await slow.json()).toMatchObject({ error: { code: 'CANCELLED' } });
    expect(await (await post('/query', 'SELECT 1 AS ok')).json()).toMatchObject({ rows: [[1]] });
  });
});

describe('GET /query, /health and unknown paths', () => {
  it('runs read-only statements from ?sql= and refuses the others', async () => {
    const r = await fetch(`${base}/query?sql=${encodeURIComponent('SELECT count(*) AS n FROM t')}&format=csv`);
    expect(await r.text()).toBe('n\n3\n');
    const write = await fetch(`${base}/query?sql=${encodeURIComponent('DROP TABLE t')}`);
    expect(write.status).toBe(400);
    expect(await write.json()).toMatchObject({ error: { message: expect.stringMatching(/read-only statements only .* not DROP; POST it/) } });
    expect((await db.query('SELECT count(*) FROM t')).rows()).toEqual([[3n]]);
    expect((await fetch(`${base}/query`)).status).toBe(400);
  });

  it('answers /health, and 404 with the endpoints for an unknown path', async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
    const nope = await fetch(`${base}/nope`);
    expect(nope.status).toBe(404);
    expect(await nope.json()).toMatchObject({ error: { message: expect.stringMatching(/no such endpoint: GET \/nope/) } });
  });
});

/** Starts `quiver serve ARGS` and waits until it listens. */
async function serve(args: string[]): Promise<{ url: string; stop: () => Promise<number | null>; output: () => string }> {
  const child = spawn(process.execPath, ['dist/cli/main.js', 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m !== null) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`quiver serve exited with ${code}: ${out}`)));
  });
  return {
    url,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
    output: () => out,
  };
}

describe('quiver serve', () => {
  it('serves a database folder on a free port and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-serve-'));
    try {
      const { url, stop, output } = await serve(['--db', join(dir, 'db'), '--port', '0']);
      const r = await fetch(`${url}/query`, { method: 'POST', body: 'CREATE TABLE k (a INT); INSERT INTO k VALUES (41); SELECT a + 1 AS b FROM k' });
      expect(await r.json()).toMatchObject({ rows: [[42]] });
      expect(await stop()).toBe(0);
      expect(output()).toMatch(/stopping/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads the demo star schema on first start with --demo, and only then', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-demo-'));
    try {
      for (const round of [1, 2]) {
        const { url, stop, output } = await serve(['--db', join(dir, 'db'), '--port', '0', '--demo']);
        const r = await fetch(`${url}/query?sql=${encodeURIComponent('SELECT count(*) AS n FROM lineorder')}`);
        expect(await r.json()).toMatchObject({ rows: [['600313']] });
        const q21 = await fetch(`${url}/query?format=csv`, { method: 'POST', body: 'SELECT count(*) FROM lineorder l JOIN date d ON l.lo_orderdate = d.d_datekey WHERE d.d_year = 1993' });
        expect(await q21.text()).toMatch(/^count\n\d+\n$/);
        expect(await stop()).toBe(0);
        expect(/loading demo data/.test(output())).toBe(round === 1);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says what is wrong with its options', async () => {
    const child = spawn(process.execPath, ['dist/cli/main.js', 'serve', '--db', ':memory:', '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/--port must be a port number from 0 to 65535 \(got "eighty"\)/);
  });
});

describe('cancelling', () => {
  const slowSql = 'SELECT count(*) FROM generate_series(1, 100000000) a(i), generate_series(1, 1000) b(j)';

  it('stops a query whose client hung up (the next one runs)', async () => {
    const client = new AbortController();
    const pending = fetch(`${base}/query`, { method: 'POST', body: slowSql, signal: client.signal }).catch((e: Error) => e.name);
    await new Promise((resolve) => setTimeout(resolve, 200));
    client.abort();
    expect(await pending).toBe('AbortError');
    // Statements of one database run one at a time: this waits for the slow one to stop.
    expect(await (await post('/query', 'SELECT 7 AS after')).json()).toMatchObject({ rows: [[7]] });
  });

  it('cancels a running query by the id its client gave it', async () => {
    const pending = fetch(`${base}/query`, { method: 'POST', body: slowSql, headers: { 'x-quiver-query-id': 'slow-1' } });
    let cancel: Response | null = null;
    for (let i = 0; i < 100 && (cancel === null || cancel.status !== 200); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      cancel = await post('/query/slow-1/cancel', '');
    }
    expect(await cancel!.json()).toEqual({ cancelled: 'slow-1' });
    const r = await pending;
    expect(r.status).toBe(408);
    expect(r.headers.get('x-quiver-query-id')).toBe('slow-1');
    expect(await r.json()).toMatchObject({ error: { code: 'CANCELLED', message: expect.stringMatching(/POST \/query\/slow-1\/cancel/) } });
    const unknown = await post('/query/nothing-1/cancel', '');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { message: 'no query with id "nothing-1" is running' } });
  });
});

describe('admission', () => {
  it('runs maxConcurrent queries, queues maxQueued, and refuses the next with 429 and Retry-After', async () => {
    const busy = createServer(db, { maxConcurrent: 1, maxQueued: 1 });
    const url = await busy.listen({ port: 0, host: '127.0.0.1' });
    try {
      const slow = 'SELECT count(*) FROM generate_series(1, 100000000) a(i), generate_series(1, 1000) b(j)';
      const send = (id: string) => fetch(`${url}/query`, { method: 'POST', body: slow, headers: { 'x-quiver-query-id': id } });
      const cancel = async (id: string): Promise<void> => {
        for (let i = 0; i < 200; i++) {
          if ((await fetch(`${url}/query/${id}/cancel`, { method: 'POST' })).status === 200) return;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        throw new Error(`query ${id} never ran`);
      };
      // Each request has long arrived (and been admitted or queued) before the next is sent.
      const first = send('first');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const second = send('second');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const third = await fetch(`${url}/query`, { method: 'POST', body: 'SELECT 1' });
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toBe('1');
      expect(await third.json()).toMatchObject({ error: { message: expect.stringMatching(/the server is busy: 1 queries are running and 1 waiting/) } });
      // The waiting query runs when the first ends.
      await cancel('first');
      expect((await first).status).toBe(408);
      await cancel('second');
      expect((await second).status).toBe(408);
      expect(await (await fetch(`${url}/query`, { method: 'POST', body: 'SELECT 2 AS two' })).json()).toMatchObject({ rows: [[2]] });
    } finally {
      await busy.close();
    }
  });
});

describe('GET /metrics', () => {
  it('counts the queries by outcome, their latency and what they read, in Prometheus text', async () => {
    await post('/query', 'SELECT count(*) FROM t');
    const r = await fetch(`${base}/metrics`);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await r.text();
    const value = (line: string): number => Number(new RegExp(`^${line.replace(/[{}"+]/g, '\\$&')} (\\S+)$`, 'm').exec(text)![1]);
    // The earlier tests of this file ran queries that answered, failed and were cancelled.
    expect(value('quiver_queries_total{outcome="ok"}')).toBeGreaterThan(10);
    expect(value('quiver_queries_total{outcome="error"}')).toBeGreaterThan(3);
    expect(value('quiver_queries_total{outcome="cancelled"}')).toBeGreaterThanOrEqual(3);
    expect(value('quiver_queries_total{outcome="refused"}')).toBe(0);
    const count = value('quiver_query_duration_seconds_count');
    expect(value('quiver_query_duration_seconds_bucket{le="+Inf"}')).toBe(count);
    expect(count).toBe(value('quiver_queries_total{outcome="ok"}') + value('quiver_queries_total{outcome="error"}') + value('quiver_queries_total{outcome="cancelled"}'));
    expect(value('quiver_query_duration_seconds_bucket{le="0.005"}')).toBeLessThanOrEqual(value('quiver_query_duration_seconds_bucket{le="60"}'));
    expect(value('quiver_rows_read_total')).toBeGreaterThan(0);
    expect(value('quiver_queries_running')).toBe(0);
    expect(text).toMatch(/^# TYPE quiver_query_duration_seconds histogram$/m);
  });
});

describe('POST /insert', () => {
  it('appends CSV (header row) and TSV rows, and a body that fails anywhere inserts nothing', async () => {
    await post('/query', 'CREATE TABLE ins (a INTEGER, s VARCHAR, d DATE)');
    const csv = await fetch(`${base}/insert?table=ins`, { method: 'POST', body: 'a,s,d\n1,x,2024-01-02\n2,,2024-02-03\n', headers: { 'content-type': 'text/csv' } });
    expect(await csv.json()).toEqual({ inserted: 2 });
    const tsv = await fetch(`${base}/insert?table=ins&format=tsv&header=false`, { method: 'POST', body: '3\ty\t2024-03-04\n' });
    expect(await tsv.json()).toEqual({ inserted: 1 });
    const bad = await fetch(`${base}/insert?table=ins`, { method: 'POST', body: 'a,s,d\n4,z,2024-01-01\nfive,w,2024-01-01\n' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^the request body, line 3, column 1 \(a\): invalid input for type INTEGER: "five"$/) } });
    expect(await (await post('/query?format=csv', 'SELECT a, s, d FROM ins ORDER BY a')).text()).toBe('a,s,d\n1,x,2024-01-02\n2,,2024-02-03\n3,y,2024-03-04\n');
  });

  it('appends NDJSON, fields matched to columns by name', async () => {
    await post('/query', 'CREATE TABLE nd (a INTEGER, s VARCHAR, d DATE)');
    const body = '{"s": "x", "a": 1, "d": "2024-01-02"}\n{"a": 2}\n';
    expect(await (await fetch(`${base}/insert?table=nd&format=ndjson`, { method: 'POST', body })).json()).toEqual({ inserted: 2 });
    expect(await (await post('/query?format=csv', 'SELECT a, s, d FROM nd ORDER BY a')).text()).toBe('a,s,d\n1,x,2024-01-02\n2,,\n');
    const extra = await (await fetch(`${base}/insert?table=nd&format=ndjson`, { method: 'POST', body: '{"a": 3, "zz": 1}\n' })).json();
    expect(extra).toMatchObject({ error: { message: 'the request body has a field "zz" that table "nd" does not have; its columns are a, s, d' } });
    const broken = (await (await fetch(`${base}/insert?table=nd&format=ndjson`, { method: 'POST', body: '{"a": 4}\n{"a": \n' })).json()) as { error: { message: string } };
    expect(broken.error.message).toMatch(/the request body/);
    expect(broken.error.message).not.toMatch(/quiver-insert-/);
    expect((await db.query('SELECT count(*) FROM nd')).rows()).toEqual([[2n]]);
  });

  it('says what is missing or wrong', async () => {
    const ask = async (path: string, body: string, type = 'text/csv') => (await fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': type } })).json();
    expect(await ask('/insert', 'a\n1\n')).toMatchObject({ error: { message: expect.stringMatching(/needs \?table=NAME/) } });
    expect(await ask('/insert?table=nowhere', 'a\n1\n')).toMatchObject({ error: { code: 'CATALOG_ERROR' } });
    expect(await ask('/insert?table=ins&format=parquet', 'x')).toMatchObject({ error: { message: expect.stringMatching(/unknown insert format "parquet"/) } });
    expect(await ask('/insert?table=ins&header=maybe', 'x')).toMatchObject({ error: { message: expect.stringMatching(/\?header must be true or false/) } });
    expect(await ask('/insert?table=ins', '{"a": 1}', 'application/json')).toMatchObject({ error: { message: expect.stringMatching(/not JSON/) } });
    expect(await ask('/insert?table=ins', '')).toMatchObject({ error: { code: 'INVALID_INPUT' } });
  });
});
