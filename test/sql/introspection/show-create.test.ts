// SHOW CREATE TABLE (sql/show-create.ts) round trip: the statement it gives, run on an empty
// database (in memory and on disk), recreates the table — the new table's SHOW CREATE is the same
// text, and information_schema.columns and DESCRIBE agree — for fixed tables with awkward names
// and for random ones (fast-check); a view's CREATE VIEW recreates the view, answering the same.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../../index.js';

const TYPES = ['INTEGER', 'BIGINT', 'SMALLINT', 'VARCHAR', 'DECIMAL(12,2)', 'DECIMAL(38,10)', 'DOUBLE', 'REAL', 'DATE', 'TIMESTAMP', 'TIMESTAMPTZ', 'BOOLEAN'];
/** Names that need quoting (keywords, capitals, spaces, quotes) and names that do not. */
const NAMES = ['a', 'select', 'Mixed', 'two words', 'q"uote', 'date', 'order', 'x_1', 'from', 'é'];

let parent: string;
beforeAll(() => {
  parent = mkdtempSync(join(tmpdir(), 'quiver-show-create-'));
});
afterAll(() => {
  rmSync(parent, { recursive: true, force: true });
});

async function showCreate(db: Database, name: string): Promise<string> {
  const rows = (await db.query(`SHOW CREATE TABLE "${name.replace(/"/g, '""')}"`)).rows();
  expect(rows.length).toBe(1);
  return rows[0]![0] as string;
}

async function describeAll(db: Database): Promise<unknown[][]> {
  return (await db.query('SELECT table_name, column_name, ordinal_position, is_nullable, data_type FROM information_schema.columns ORDER BY 1, 3')).rows();
}

let fresh = 0;
/** Runs `statements` on an empty database (on disk, reopened after, or in memory). */
async function recreate(statements: string[], onDisk: boolean): Promise<Database> {
  if (!onDisk) {
    const db = await Database.open(':memory:');
    for (const s of statements) await db.exec(s);
    return db;
  }
  const dir = join(parent, `db${fresh++}`);
  const db = await Database.open(dir);
  for (const s of statements) await db.exec(s);
  await db.close();
  return Database.open(dir);
}

async function roundTrip(create: string, table: string): Promise<void> {
  const source = await Database.open(':memory:');
  await source.exec(create);
  const text = await showCreate(source, table);
  for (const onDisk of [false, true]) {
    const copy = await recreate([text], onDisk);
    expect(await showCreate(copy, table)).toBe(text);
    expect(await describeAll(copy)).toEqual(await describeAll(source));
    expect((await copy.query(`DESCRIBE "${table.replace(/"/g, '""')}"`)).rows()).toEqual((await source.query(`DESCRIBE "${table.replace(/"/g, '""')}"`)).rows());
    await copy.close();
  }
  await source.close();
}

describe('SHOW CREATE TABLE round trip', () => {
  it('recreates fixed tables', async () => {
    await roundTrip('CREATE TABLE items (id INTEGER NOT NULL, name VARCHAR, price DECIMAL(8,2), PRIMARY KEY (id)) ORDER BY (id)', 'items');
    await roundTrip('CREATE TABLE "Odd ""Name""" ("select" TEXT PRIMARY KEY, "Two Words" DOUBLE NOT NULL, d DATE) ORDER BY (d, "select")', 'Odd "Name"');
    await roundTrip('CREATE TABLE plain (a BIGINT, b BOOLEAN)', 'plain');
  });

  it('recreates random tables', async () => {
    const column = fc.record({ type: fc.constantFrom(...TYPES), notNull: fc.boolean(), primaryKey: fc.boolean(), sortKey: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 6 }), fc.array(column, { minLength: 6, maxLength: 6 }), fc.constantFrom(...NAMES), async (names, columns, table) => {
        const q = (n: string) => `"${n.replace(/"/g, '""')}"`;
        const defs = names.map((n, i) => ({ name: n, ...columns[i]! }));
        const elements = defs.map((c) => `${q(c.name)} ${c.type}${c.notNull ? ' NOT NULL' : ''}`);
        const pk = defs.filter((c) => c.primaryKey).map((c) => q(c.name));
        if (pk.length > 0) elements.push(`PRIMARY KEY (${pk.join(', ')})`);
        const sort = defs.filter((c) => c.sortKey).map((c) => q(c.name));
        await roundTrip(`CREATE TABLE ${q(table)} (${elements.join(', ')})${sort.length > 0 ? ` ORDER BY (${sort.join(', ')})` : ''}`, table);
      }),
      { numRuns: 25 },
    );
  });
});

describe('SHOW CREATE VIEW round trip', () => {
  it('recreates a view that answers the same', async () => {
    const setup = ["CREATE TABLE t (k INTEGER, v VARCHAR)", "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')"];
    const source = await recreate(setup, false);
    await source.exec("CREATE VIEW \"My View\" (key, val) AS SELECT k, upper(v) FROM t WHERE k >= 2");
    const text = (await source.query('SHOW CREATE VIEW "My View"')).rows()[0]![0] as string;
    // KEY is a keyword, so it is quoted.
    expect(text).toBe('CREATE VIEW "My View" ("key", val) AS SELECT k, upper(v) FROM t WHERE k >= 2');
    for (const onDisk of [false, true]) {
      const copy = await recreate([...setup, text], onDisk);
      const query = 'SELECT * FROM "My View" ORDER BY key';
      expect((await copy.query(query)).rows()).toEqual((await source.query(query)).rows());
      expect((await copy.query(query)).rows()).toEqual([[2, 'B'], [3, 'C']]);
      await copy.close();
    }
    await source.close();
  });
});
