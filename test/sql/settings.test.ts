// Settings (sql/settings.ts) through the embedded library: SHOW ALL lists every registered setting
// with its value and what it takes; values hold per Database and start at their defaults; errors
// carry the statement's position. SET/RESET/SHOW semantics are in test/sql/settings/settings.test.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../index.js';
import { SETTINGS } from '../../sql/settings.js';

let a: Database;
let b: Database;
beforeEach(async () => {
  a = await Database.open(':memory:');
  b = await Database.open(':memory:');
});
afterEach(async () => {
  await a.close();
  await b.close();
});

describe('settings', () => {
  it('SHOW ALL lists every setting by name with its value and description', async () => {
    await a.exec("SET force_encoding = 'rle'");
    const r = await a.query('SHOW ALL');
    expect(r.schema).toEqual([{ name: 'name', type: 'VARCHAR' }, { name: 'value', type: 'VARCHAR' }, { name: 'description', type: 'VARCHAR' }]);
    const rows = r.rows();
    expect(rows.map((x) => x[0])).toEqual([...SETTINGS.keys()].sort());
    expect(rows.find((x) => x[0] === 'force_encoding')).toEqual(['force_encoding', 'rle', expect.stringContaining("'auto'")]);
  });

  it('holds values per database', async () => {
    await a.exec("SET force_encoding = 'delta'");
    expect((await a.query('SHOW force_encoding')).rows()).toEqual([['delta']]);
    expect((await b.query('SHOW force_encoding')).rows()).toEqual([['auto']]);
  });

  it('reports errors at the statement, with their codes', async () => {
    await expect(a.query('SELECT 1;\n  SET nope = 1')).rejects.toMatchObject({ code: 'CATALOG_ERROR', position: { line: 2, column: 3 } });
    await expect(a.query("SET force_encoding = 'zstd'")).rejects.toMatchObject({ code: 'INVALID_INPUT', position: { line: 1, column: 1 } });
    await expect(a.query('SET force_encoding')).rejects.toMatchObject({ code: 'SYNTAX_ERROR' });
  });
});
