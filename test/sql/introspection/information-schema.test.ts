// information_schema.tables and .columns (sql/table-functions/information-schema.ts) compared with
// DuckDB's for the same CREATE TABLE / CREATE VIEW statements: fixed ones covering every type
// both have, NOT NULL and both PRIMARY KEY forms, then random tables (fast-check). Also
// table_catalog: 'memory' in memory, the directory's base name on disk, as DuckDB names a file.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../../index.js';
import { DuckDbEngine } from '../../differential/duckdb-engine.js';

const COLUMNS_QUERY = `SELECT table_catalog, table_schema, table_name, column_name, ordinal_position, column_default, is_nullable,
  data_type, numeric_precision, numeric_scale FROM information_schema.columns ORDER BY table_name, ordinal_position`;
const TABLES_QUERY = 'SELECT table_catalog, table_schema, table_name, table_type, is_insertable_into FROM information_schema.tables ORDER BY table_name';

const TYPES = ['INTEGER', 'INT', 'BIGINT', 'SMALLINT', 'VARCHAR', 'TEXT', 'DECIMAL(12,2)', 'DECIMAL(4,1)', 'DECIMAL(18,0)', 'NUMERIC(38,10)',
  'DOUBLE', 'REAL', 'FLOAT4', 'DATE', 'TIMESTAMP', 'TIMESTAMPTZ', 'BOOLEAN', 'INTERVAL'];

let duck: DuckDbEngine;
let quiver: Database;
beforeAll(async () => {
  duck = await DuckDbEngine.open({ threads: 1 });
  quiver = await Database.open(':memory:');
});
afterAll(async () => {
  await duck.close();
  await quiver.close();
});

async function both(sql: string): Promise<void> {
  await duck.exec(sql);
  await quiver.exec(sql);
}

async function expectSame(sql: string): Promise<void> {
  const expected = (await duck.query(sql)).rows;
  expect((await quiver.query(sql)).rows()).toEqual(expected);
}

describe('information_schema agrees with DuckDB', () => {
  it('lists fixed tables and views the same', async () => {
    await both(`CREATE TABLE all_types (${TYPES.map((t, i) => `c${i} ${t}${i % 3 === 0 ? ' NOT NULL' : ''}`).join(', ')})`);
    await both('CREATE TABLE inline_pk (code VARCHAR PRIMARY KEY, qty INTEGER NOT NULL, note TEXT)');
    await both('CREATE TABLE table_pk (a INTEGER, b BIGINT, c DOUBLE, PRIMARY KEY (a, b))');
    await both('CREATE VIEW v_sum (code, doubled) AS SELECT code, qty * 2 FROM inline_pk');
    await both('CREATE VIEW v_plain AS SELECT a, c FROM table_pk WHERE c > 1');
    await expectSame(TABLES_QUERY);
    await expectSame(COLUMNS_QUERY);
    await expectSame("SELECT t.table_type, count(*) FROM information_schema.columns c JOIN information_schema.tables t ON c.table_name = t.table_name GROUP BY t.table_type ORDER BY 1");
    await expectSame("SELECT column_name FROM information_schema.columns WHERE is_nullable = 'NO' AND table_name = 'all_types' ORDER BY ordinal_position");
    for (const name of ['v_sum', 'v_plain']) await both(`DROP VIEW ${name}`);
    for (const name of ['all_types', 'inline_pk', 'table_pk']) await both(`DROP TABLE ${name}`);
  });

  it('lists random tables the same', async () => {
    const column = fc.record({ type: fc.constantFrom(...TYPES), notNull: fc.boolean(), primaryKey: fc.boolean() });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(column, { minLength: 1, maxLength: 8 }), async (columns) => {
        const name = `r${n++}`;
        // DuckDB cannot index an INTERVAL column.
        const pk = columns.flatMap((c, i) => (c.primaryKey && c.type !== 'INTERVAL' ? [`k${i}`] : []));
        const elements = columns.map((c, i) => `k${i} ${c.type}${c.notNull ? ' NOT NULL' : ''}`);
        if (pk.length > 0) elements.push(`PRIMARY KEY (${pk.join(', ')})`);
        await both(`CREATE TABLE ${name} (${elements.join(', ')})`);
        try {
          await expectSame(TABLES_QUERY);
          await expectSame(COLUMNS_QUERY);
        } finally {
          await both(`DROP TABLE ${name}`);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('table_catalog', () => {
  it("is 'memory' in memory", async () => {
    const db = await Database.open(':memory:');
    await db.exec('CREATE TABLE t (a INTEGER)');
    expect((await db.query('SELECT DISTINCT table_catalog FROM information_schema.columns')).rows()).toEqual([['memory']]);
    await db.close();
  });

  it("is the directory's base name on disk, also after reopening", async () => {
    const parent = mkdtempSync(join(tmpdir(), 'quiver-information-schema-'));
    const dir = join(parent, 'sales_db');
    try {
      let db = await Database.open(dir);
      await db.exec('CREATE TABLE t (a INTEGER NOT NULL, b VARCHAR)');
      await db.exec('CREATE VIEW v AS SELECT b FROM t');
      await db.close();
      db = await Database.open(dir);
      expect((await db.query(TABLES_QUERY)).rows()).toEqual([
        ['sales_db', 'main', 't', 'BASE TABLE', 'YES'],
        ['sales_db', 'main', 'v', 'VIEW', 'NO'],
      ]);
      expect((await db.query('SELECT table_name, column_name, is_nullable, data_type FROM information_schema.columns ORDER BY 1, 2')).rows()).toEqual([
        ['t', 'a', 'NO', 'INTEGER'],
        ['t', 'b', 'YES', 'VARCHAR'],
        ['v', 'b', 'YES', 'VARCHAR'],
      ]);
      await db.close();
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
