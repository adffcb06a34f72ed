// Result types the binder gives expressions (sql/binder: coercion.ts, function-binder.ts):
// integer arithmetic stays in the wider integer type, DECIMAL arithmetic keeps exact scales with
// DuckDB's precision rules, DECIMAL / anything and any float mix are DOUBLE, SUM of integers is
// BIGINT and of DECIMAL DECIMAL(38,s), AVG is DOUBLE, date arithmetic, literals, and the
// branches of CASE / COALESCE / GREATEST unify. Also the binder's errors for names and types.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, QuiverError } from '../../../index.js';

let db: Database;

beforeAll(async () => {
  db = await Database.open(':memory:');
  await db.exec('CREATE TABLE t (s SMALLINT, i INTEGER, g BIGINT, r REAL, d DOUBLE, n DECIMAL(10,2), m DECIMAL(4,3), dt DATE, ts TIMESTAMP, v VARCHAR, b BOOLEAN)');
  await db.exec('CREATE TABLE u (i INTEGER, w VARCHAR)');
});

afterAll(async () => {
  await db.close();
});

const TYPES: [string, string][] = [
  ['s + s', 'SMALLINT'],
  ['s + i', 'INTEGER'],
  ['i + g', 'BIGINT'],
  ['i + r', 'DOUBLE'],
  ['g + d', 'DOUBLE'],
  ['i + n', 'DECIMAL(13,2)'],
  ['n + m', 'DECIMAL(12,3)'],
  ['n * m', 'DECIMAL(14,5)'],
  ['n - i', 'DECIMAL(13,2)'],
  ['n / 2', 'DOUBLE'],
  ['i / 2', 'INTEGER'],
  ['g / i', 'BIGINT'],
  ['n % 3', 'DECIMAL(12,2)'],
  ['i + 1.5', 'DECIMAL(12,1)'],
  ['d + n', 'DOUBLE'],
  ['-s', 'SMALLINT'],
  ['-n', 'DECIMAL(10,2)'],
  ['dt + 1', 'DATE'],
  ['dt - dt', 'INTEGER'],
  ['dt + INTERVAL \'1 day\'', 'TIMESTAMP'],
  ['ts + INTERVAL \'1 hour\'', 'TIMESTAMP'],
  ['v || v', 'VARCHAR'],
  ['v || 1', 'VARCHAR'],
  ['i = g', 'BOOLEAN'],
  ['CASE WHEN b THEN i ELSE g END', 'BIGINT'],
  ['CASE WHEN b THEN n ELSE m END', 'DECIMAL(11,3)'],
  ['COALESCE(i, n)', 'DECIMAL(12,2)'],
  ['COALESCE(s, i)', 'INTEGER'],
  ['abs(s)', 'SMALLINT'],
  ['abs(n)', 'DECIMAL(10,2)'],
  ['round(n, 1)', 'DECIMAL(10,1)'],
  ['round(d)', 'DOUBLE'],
  ['floor(n)', 'DECIMAL(10,0)'],
  ['sum(s)', 'BIGINT'],
  ['sum(n)', 'DECIMAL(38,2)'],
  ['sum(d)', 'DOUBLE'],
  ['avg(n)', 'DOUBLE'],
  ['min(dt)', 'DATE'],
  ['count(v)', 'BIGINT'],
  ['max(v)', 'VARCHAR'],
  ['NULLIF(s, 1)', 'SMALLINT'],
  ['GREATEST(i, g, s)', 'BIGINT'],
  ['EXTRACT(YEAR FROM dt)', 'BIGINT'],
  ['date_trunc(\'month\', ts)', 'TIMESTAMP'],
  ['i IN (1, 2)', 'BOOLEAN'],
  ['length(v)', 'INTEGER'],
  ['CAST(i AS DECIMAL(5,1))', 'DECIMAL(5,1)'],
  ['1', 'INTEGER'],
  ['3000000000', 'BIGINT'],
  ['1.25', 'DECIMAL(3,2)'],
  ['1e2', 'DOUBLE'],
  ['\'x\'', 'VARCHAR'],
  ['NULL', 'NULL'],
  ['true', 'BOOLEAN'],
  ['DATE \'2020-01-01\'', 'DATE'],
];

describe('expression types', () => {
  for (const [expr, type] of TYPES) {
    it(`${expr} is ${type}`, async () => {
      const r = await db.query(`SELECT ${expr} FROM t`);
      expect(r.schema.map((c) => c.type)).toEqual([type]);
    });
  }
});

async function bindError(sql: string): Promise<QuiverError> {
  try {
    await db.query(sql);
  } catch (e) {
    expect(e).toBeInstanceOf(QuiverError);
    return e as QuiverError;
  }
  throw new Error(`expected binding to fail: ${sql}`);
}

describe('binder errors', () => {
  it('names an unknown column and lists the available ones', async () => {
    const e = await bindError('SELECT nope FROM t');
    expect(e.code).toBe('BINDER_ERROR');
    expect(e.message).toContain('"nope"');
    expect(e.message).toContain('dt');
  });

  it('refuses an ambiguous column and accepts it qualified', async () => {
    expect((await bindError('SELECT i FROM t, u')).message).toContain('ambiguous');
    expect((await db.query('SELECT t.i, u.i FROM t, u')).schema.map((c) => c.name)).toEqual(['i', 'i']);
  });

  it('refuses a string compared with a number, and arithmetic on strings', async () => {
    expect((await bindError("SELECT i = 'x' FROM t")).code).toBe('TYPE_ERROR');
    expect((await bindError('SELECT v + 1 FROM t')).message).toContain('CAST');
    expect((await bindError('SELECT v = i FROM t')).code).toBe('TYPE_ERROR');
  });

  it('refuses non-boolean conditions', async () => {
    await bindError('SELECT i FROM t WHERE i');
    await bindError('SELECT i FROM t WHERE v');
  });

  it('refuses aggregates where they cannot be, and ungrouped columns', async () => {
    await bindError('SELECT i FROM t WHERE sum(i) > 1');
    await bindError('SELECT sum(sum(i)) FROM t');
    expect((await bindError('SELECT i, sum(g) FROM t GROUP BY g')).message).toContain('i');
  });

  it('checks function arity and argument types', async () => {
    expect((await bindError('SELECT substring(v) FROM t')).message).toContain('argument');
    expect((await bindError('SELECT lower(i) FROM t')).code).toBe('TYPE_ERROR');
    expect((await bindError('SELECT nosuchfn(i) FROM t')).message).toContain('nosuchfn');
  });

  it('resolves names case-insensitively and keeps quoted names exact', async () => {
    expect((await db.query('SELECT T.I, "i" FROM T')).schema.map((c) => c.name)).toEqual(['i', 'i']);
    await bindError('SELECT "I" FROM t');
  });

  it('names output columns after the column, function or alias', async () => {
    const r = await db.query('SELECT i, t.g, sum(d), i + 1, i AS alias, count(*) FROM t GROUP BY i, t.g');
    expect(r.schema.map((c) => c.name)).toEqual(['i', 'g', 'sum', '?column?', 'alias', 'count']);
  });
});
