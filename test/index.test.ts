// The embedded library's contract (DESIGN.md, "Embedded library"): Database.open(':memory:'),
// exec / query with $1 and ? parameters, QueryResult.schema and exact JS values from rows()
// (BIGINT bigint, DECIMAL digit string, DATE 'YYYY-MM-DD', BOOLEAN boolean, NULL null),
// toArrow() and stream() as Apache Arrow, QuiverError with a stable code and a 1-based
// position, cancellation, and statements applied one at a time in call order.

import * as arrow from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../index.js';
import { failure } from './expect-failure.js';

let db: Database;

beforeEach(async () => {
  db = await Database.open(':memory:');
  await db.exec(`CREATE TABLE items (id INTEGER, name VARCHAR, price DECIMAL(6,2), big BIGINT, day DATE, ts TIMESTAMP, f DOUBLE, ok BOOLEAN, s SMALLINT);
                 INSERT INTO items VALUES (1, 'bolt', 1.50, 9007199254740993, DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05', 0.5, true, 7),
                                          (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                                          (3, '', -0.05, CAST('-9223372036854775808' AS BIGINT), DATE '1969-12-31', TIMESTAMP '1970-01-01 00:00:00', -2.25, false, -32768)`);
});

afterEach(async () => {
  await db.close();
});


describe('results', () => {
  it('gives the schema as SQL type names', async () => {
    const r = await db.query('SELECT * FROM items');
    expect(r.schema).toEqual([
      { name: 'id', type: 'INTEGER' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'price', type: 'DECIMAL(6,2)' },
      { name: 'big', type: 'BIGINT' },
      { name: 'day', type: 'DATE' },
      { name: 'ts', type: 'TIMESTAMP' },
      { name: 'f', type: 'DOUBLE' },
      { name: 'ok', type: 'BOOLEAN' },
      { name: 's', type: 'SMALLINT' },
    ]);
  });

  it('gives exact JS values', async () => {
    const r = await db.query('SELECT id, name, price, big, day, f, ok, s FROM items ORDER BY id');
    expect(r.rows()).toEqual([
      [1, 'bolt', '1.50', 9007199254740993n, '2024-01-02', 0.5, true, 7],
      [2, null, null, null, null, null, null, null],
      [3, '', '-0.05', -9223372036854775808n, '1969-12-31', -2.25, false, -32768],
    ]);
    expect(r.rowCount).toBe(3);
  });

  it('gives TIMESTAMP values as ISO strings', async () => {
    const r = await db.query('SELECT ts FROM items WHERE id = 1');
    const value = r.rows()[0]![0] as string;
    expect(new Date(value).toISOString()).toBe('2024-01-02T03:04:05.000Z');
  });

  it('gives aggregates their exact types', async () => {
    const r = await db.query('SELECT count(*), sum(id), sum(big), sum(price), avg(id) FROM items');
    expect(r.schema.map((c) => c.type)).toEqual(['BIGINT', 'BIGINT', 'BIGINT', 'DECIMAL(38,2)', 'DOUBLE']);
    expect(r.rows()).toEqual([[3n, 6n, -9214364837600034815n, '1.45', 2]]);
  });

  it('gives objects keyed by column name', async () => {
    const r = await db.query('SELECT id, name AS label FROM items WHERE id = 1');
    expect(r.objects()).toEqual([{ id: 1, label: 'bolt' }]);
  });

  it('gives the schema and no rows for an empty result', async () => {
    const r = await db.query('SELECT id, name FROM items WHERE false');
    expect(r.schema).toEqual([{ name: 'id', type: 'INTEGER' }, { name: 'name', type: 'VARCHAR' }]);
    expect(r.rows()).toEqual([]);
    expect(r.toArrow().numRows).toBe(0);
    expect(r.toArrow().schema.fields.map((f) => f.name)).toEqual(['id', 'name']);
  });

  it('returns the affected row count of INSERT and DELETE, and the last statement of several', async () => {
    expect((await db.query('INSERT INTO items (id) VALUES (10), (11)')).rows()).toEqual([[2n]]);
    expect((await db.query('DELETE FROM items WHERE id >= 10')).rows()).toEqual([[2n]]);
    expect((await db.query('SELECT 1; SELECT 2 AS two')).rows()).toEqual([[2]]);
  });
});

describe('Arrow', () => {
  it('converts results to an Arrow table with matching types and values', async () => {
    const t = (await db.query('SELECT id, name, price, big, day, f, ok FROM items ORDER BY id')).toArrow();
    expect(t.numRows).toBe(3);
    const types = Object.fromEntries(t.schema.fields.map((f) => [f.name, f.type]));
    expect(types.id).toBeInstanceOf(arrow.Int32);
    expect(types.name).toBeInstanceOf(arrow.Utf8);
    expect(types.price).toBeInstanceOf(arrow.Decimal);
    expect((types.price as arrow.Decimal).scale).toBe(2);
    expect(types.big).toBeInstanceOf(arrow.Int64);
    expect(types.day).toBeInstanceOf(arrow.DateDay);
    expect(types.f).toBeInstanceOf(arrow.Float64);
    expect(types.ok).toBeInstanceOf(arrow.Bool);
    expect(t.getChild('big')!.get(0)).toBe(9007199254740993n);
    expect(t.getChild('big')!.get(1)).toBeNull();
    expect(t.getChild('big')!.get(2)).toBe(-9223372036854775808n);
    expect(t.getChild('name')!.toArray()).toEqual(['bolt', null, '']);
    expect(t.getChild('ok')!.get(0)).toBe(true);
    expect(t.getChild('ok')!.get(2)).toBe(false);
    expect(t.getChild('f')!.get(2)).toBe(-2.25);
    expect(t.getChild('id')!.nullCount).toBe(0);
    expect(t.getChild('name')!.nullCount).toBe(1);
  });

  it('streams record batches', async () => {
    let rows = 0;
    let batches = 0;
    for await (const b of db.stream('SELECT id, name FROM items WHERE id > $1', [1])) {
      expect(b).toBeInstanceOf(arrow.RecordBatch);
      expect(b.schema.fields.map((f) => f.name)).toEqual(['id', 'name']);
      rows += b.numRows;
      batches++;
    }
    expect(rows).toBe(2);
    expect(batches).toBeGreaterThan(0);
  });
});

describe('parameters', () => {
  it('binds $n parameters by position, reusing them', async () => {
    const r = await db.query('SELECT id FROM items WHERE id = $1 OR id = $2 + $1 ORDER BY id', [1, 1]);
    expect(r.rows()).toEqual([[1], [2]]);
  });

  it('binds ? parameters in order', async () => {
    const r = await db.query('SELECT id FROM items WHERE id > ? AND id < ? ORDER BY id', [0, 3]);
    expect(r.rows()).toEqual([[1], [2]]);
  });

  it('types parameters from their JS values', async () => {
    const r = await db.query('SELECT $1, $2, $3, $4, $5', [1, 2.5, 'x', true, 9007199254740993n]);
    expect(r.rows()).toEqual([[1, 2.5, 'x', true, 9007199254740993n]]);
    expect(r.schema.map((c) => c.type)).toEqual(['INTEGER', 'DOUBLE', 'VARCHAR', 'BOOLEAN', 'BIGINT']);
  });

  it('compares parameters with columns of other types', async () => {
    expect((await db.query('SELECT id FROM items WHERE big = $1', [9007199254740993n])).rows()).toEqual([[1]]);
    expect((await db.query('SELECT id FROM items WHERE day = $1', ['2024-01-02'])).rows()).toEqual([[1]]);
    expect((await db.query('SELECT id FROM items WHERE price = $1', [1.5])).rows()).toEqual([[1]]);
    expect((await db.query('SELECT id FROM items WHERE name = $1', [null])).rows()).toEqual([]);
  });

  it('never treats a parameter as SQL text', async () => {
    const r = await db.query('SELECT count(*) FROM items WHERE name = $1', ["x' OR '1' = '1"]);
    expect(r.rows()).toEqual([[0n]]);
  });

  it('works in INSERT and DELETE', async () => {
    await db.exec('INSERT INTO items (id, name) VALUES ($1, $2)', [42, 'param']);
    expect((await db.query('SELECT name FROM items WHERE id = 42')).rows()).toEqual([['param']]);
    await db.exec('DELETE FROM items WHERE id = ?', [42]);
    expect((await db.query('SELECT count(*) FROM items WHERE id = 42')).rows()).toEqual([[0n]]);
  });

  it('reports a missing parameter with its position', async () => {
    const e = await failure(db.query('SELECT id FROM items WHERE id = $2', [1]));
    expect(e.code).toBe('BINDER_ERROR');
    expect(e.message).toContain('$2');
    expect(e.position).toEqual({ line: 1, column: 33 });
  });
});

describe('errors', () => {
  it('gives syntax errors a code, a position and a hint', async () => {
    const e = await failure(db.query('SELEC 1'));
    expect(e.code).toBe('SYNTAX_ERROR');
    expect(e.position).toEqual({ line: 1, column: 1 });
    expect(e.message).toContain('SELECT');
    const end = await failure(db.query('SELECT 1 +'));
    expect(end.code).toBe('SYNTAX_ERROR');
    expect(end.position?.line).toBe(1);
  });

  it('points at the unknown column, on its line', async () => {
    const e = await failure(db.query('SELECT id,\n  nope\nFROM items'));
    expect(e.code).toBe('BINDER_ERROR');
    expect(e.message).toContain('"nope"');
    expect(e.position).toEqual({ line: 2, column: 3 });
  });

  it('suggests the table meant by a misspelt name', async () => {
    const e = await failure(db.query('SELECT *\nFROM   itemz'));
    expect(e.code).toBe('CATALOG_ERROR');
    expect(e.message).toContain('"itemz"');
    expect(e.message).toContain('did you mean "items"');
    expect(e.position).toEqual({ line: 2, column: 8 });
  });

  it('reports type errors and run-time errors with their codes', async () => {
    expect((await failure(db.query("SELECT id FROM items WHERE name = 1"))).code).toBe('TYPE_ERROR');
    expect((await failure(db.query('SELECT CAST(big AS INTEGER) FROM items'))).code).toBe('OVERFLOW_ERROR');
    expect((await failure(db.query("SELECT CAST(name AS INTEGER) FROM items"))).code).toBe('CONVERSION_ERROR');
    expect((await failure(db.query('INSERT INTO nope VALUES (1)'))).code).toBe('CATALOG_ERROR');
  });

  it('serializes to the HTTP error body and describes itself with the position', async () => {
    const e = await failure(db.query('SELECT nope FROM items'));
    expect(e.toJSON()).toEqual({ code: 'BINDER_ERROR', message: e.message, position: { line: 1, column: 8 } });
    expect(e.describe()).toContain('(line 1, column 8)');
  });

  it('keeps the database usable after an error', async () => {
    await failure(db.query('SELECT 1/'));
    expect((await db.query('SELECT count(*) FROM items')).rows()).toEqual([[3n]]);
  });

  it('refuses statements after close', async () => {
    const other = await Database.open(':memory:');
    await other.close();
    expect((await failure(other.query('SELECT 1'))).code).toBe('INVALID_INPUT');
  });
});

describe('ordering and cancellation', () => {
  it('applies concurrent statements one at a time, in call order', async () => {
    await db.exec('CREATE TABLE log (n INTEGER)');
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) pending.push(db.exec('INSERT INTO log VALUES ($1)', [i]));
    const counted = db.query('SELECT count(*), sum(n) FROM log');
    await Promise.all(pending);
    expect((await counted).rows()).toEqual([[20n, 190n]]);
  });

  it('a failing statement does not stop the ones queued after it', async () => {
    const bad = db.query('SELECT * FROM nope');
    const good = db.query('SELECT 1 AS one');
    await failure(bad);
    expect((await good).rows()).toEqual([[1]]);
  });

  it('cancels with an already aborted signal, and the next query works', async () => {
    const ctl = new AbortController();
    ctl.abort();
    const e = await failure(db.query('SELECT count(*) FROM items a, items b', [], { signal: ctl.signal }));
    expect(e.code).toBe('CANCELLED');
    expect((await db.query('SELECT count(*) FROM items')).rows()).toEqual([[3n]]);
  });

  // Operators yield to the event loop while a cancellable query runs (exec/context.ts pace),
  // so the timer fires mid-query; a query that finished instead would fail the first expect.
  it('cancels a long query after timeoutMs with CANCELLED, and the next query works', async () => {
    await db.exec(`CREATE TABLE n AS SELECT a.x * 10 + b.x AS v FROM (VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)) a(x), (VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)) b(x)`);
    const e = await failure(db.query('SELECT count(*) FROM n a, n b, n c, n d WHERE a.v + b.v + c.v + d.v = 5', [], { timeoutMs: 100 }));
    expect(e.code).toBe('CANCELLED');
    expect((await db.query('SELECT count(*) FROM n')).rows()).toEqual([[100n]]);
  });
});
