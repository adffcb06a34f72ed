// Users, tokens and roles (server/access.ts): 401 without a valid token, 403 for a statement
// beyond the role (read: queries only; write: no COPY, file-reading table functions or SET; admin:
// everything), /health open; `quiver serve` refuses a non-loopback address without users.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../sql/database.js';
import { parseUsers } from '../../server/access.js';
import { createServer } from '../../server/server.js';

const TOKENS = { reader: 'r-0123456789abcdef', writer: 'w-0123456789abcdef', boss: 'a-0123456789abcdef' };
let db: Database;
let app: FastifyInstance;
let base: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quiver-access-'));
  writeFileSync(join(dir, 'rows.csv'), 'a\n1\n');
  db = await Database.open(':memory:');
  await db.exec('CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1)');
  const users = parseUsers([
    { name: 'reader', token: TOKENS.reader, role: 'read' },
    { name: 'writer', token: TOKENS.writer, role: 'write' },
    { name: 'boss', token: TOKENS.boss, role: 'admin' },
  ]);
  app = createServer(db, { users });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function as(token: string | null, sql: string, path = '/query'): Promise<{ status: number; body: { error?: { message: string } } }> {
  const r = await fetch(base + path, { method: 'POST', body: sql, headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  return { status: r.status, body: (await r.json()) as { error?: { message: string } } };
}

describe('tokens', () => {
  it('answers 401 without a valid token, and never echoes the token', async () => {
    expect((await as(null, 'SELECT 1')).status).toBe(401);
    const wrong = await as('not-a-token-0123456789', 'SELECT 1');
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.body)).not.toContain('not-a-token');
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
  });

  it('checks the configuration', () => {
    expect(() => parseUsers([{ name: 'x', token: 'short', role: 'read' }])).toThrow(/at least 16 characters/);
    expect(() => parseUsers([{ name: 'x', token: TOKENS.reader, role: 'owner' }])).toThrow(/"role": one of read, write, admin/);
    expect(() => parseUsers([{ name: 'x', token: TOKENS.reader, role: 'read' }, { name: 'x', token: TOKENS.writer, role: 'read' }])).toThrow(/defined twice/);
  });
});

describe('roles', () => {
  it('lets read run queries only', async () => {
    expect((await as(TOKENS.reader, 'SELECT count(*) FROM t')).status).toBe(200);
    expect((await as(TOKENS.reader, 'EXPLAIN SELECT 1')).status).toBe(200);
    const insert = await as(TOKENS.reader, 'INSERT INTO t VALUES (2)');
    expect(insert.status).toBe(403);
    expect(insert.body.error!.message).toMatch(/user "reader" \(role read\) may only run SELECT, EXPLAIN, SHOW and DESCRIBE, not INSERT/);
    expect((await as(TOKENS.reader, 'SELECT 1; DROP TABLE t')).status).toBe(403);
    expect((await as(TOKENS.reader, '1\n', '/insert?table=t')).status).toBe(403);
    const file = await as(TOKENS.reader, `SELECT * FROM read_csv('${join(dir, 'rows.csv')}')`);
    expect(file.status).toBe(403);
    expect(file.body.error!.message).toMatch(/a table function that reads files on the server: it is for the admin role/);
    expect((await db.query('SELECT count(*) FROM t')).rows()).toEqual([[1n]]);
  });

  it('lets write change data, but not read server files or change settings', async () => {
    expect((await as(TOKENS.writer, 'INSERT INTO t VALUES (2)')).status).toBe(200);
    expect((await as(TOKENS.writer, 'a\n3\n', '/insert?table=t')).status).toBe(200);
    expect((await as(TOKENS.writer, `COPY t FROM '${join(dir, 'rows.csv')}' (HEADER)`)).status).toBe(403);
    expect((await as(TOKENS.writer, `SELECT * FROM t WHERE a IN (SELECT a FROM read_csv('${join(dir, 'rows.csv')}'))`)).status).toBe(403);
    expect((await as(TOKENS.writer, "SET memory_limit = '1GB'")).status).toBe(403);
  });

  it('lets admin do everything', async () => {
    expect((await as(TOKENS.boss, `COPY t FROM '${join(dir, 'rows.csv')}' (HEADER)`)).status).toBe(200);
    expect((await as(TOKENS.boss, 'SET threads = 1')).status).toBe(200);
    expect((await db.query('SELECT count(*) FROM t')).rows()).toEqual([[4n]]);
  });
});

describe('quiver serve --config', () => {
  it('refuses a non-loopback address without users, and reads users from the configuration', () => {
    const open = spawnSync(process.execPath, ['dist/cli/main.js', 'serve', '--db', ':memory:', '--host', '0.0.0.0', '--port', '0'], { encoding: 'utf8' });
    expect(open.status).toBe(2);
    expect(open.stderr).toMatch(/no users are configured, so the server has no authentication and listens on 127\.0\.0\.1 only/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ users: [{ name: 'x', token: 'short', role: 'read' }] }));
    const r = spawnSync(process.execPath, ['dist/cli/main.js', 'serve', '--db', ':memory:', '--port', '0', '--config', bad], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/in .*bad\.json: users\[0\] \(x\) needs a "token" of at least 16 characters/);
  });
});
