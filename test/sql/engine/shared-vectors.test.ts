// Vectors that several queries share — decoded blocks in the block cache, a join's build
// column passed on as a dictionary — stay correct: a caller writing into a result's Arrow
// arrays changes no later answer, and a CAST over a dictionary fails only for values rows use
// (not for a dictionary entry the selected rows never reference).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../../sql/database.js';
import { failure } from '../../expect-failure.js';

const SETUP = `CREATE TABLE d (k INT, s VARCHAR); INSERT INTO d VALUES (1, '10'), (2, '20'), (3, 'abc');
  CREATE TABLE f AS SELECT CAST(1 + i % 2 AS INTEGER) AS k, CAST(i AS DOUBLE) / 2 AS x FROM generate_series(1, 5000) g(i);
  CREATE TABLE t AS SELECT CASE WHEN i % 100 = 0 THEN 'abc' ELSE CAST(i % 7 AS VARCHAR) END AS s FROM generate_series(1, 5000) g(i)`;

describe.each([':memory:', 'disk'])('shared vectors (%s)', (where) => {
  let root: string;
  let db: Database;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'quiver-shared-'));
    db = await Database.open(where === 'disk' ? join(root, 'db') : ':memory:');
    await db.exec(SETUP);
    await db.checkpoint();
  });

  afterAll(async () => {
    await db.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("a result's Arrow arrays belong to the caller", async () => {
    const table = (await db.query('SELECT k, x FROM f')).toArrow();
    (table.getChild('k')!.toArray() as Int32Array).fill(99);
    (table.getChild('x')!.toArray() as Float64Array).reverse();
    expect((await db.query('SELECT sum(k), min(x), max(x) FROM f')).rows()).toEqual([[7500n, 0.5, 2500]]);
    expect((await db.query('SELECT x FROM f LIMIT 1')).rows()).toEqual([[0.5]]);
  });

  it('CAST over a dictionary fails only for entries the rows use', async () => {
    // d's strings reach the sum as a dictionary over all of d (a direct join), 'abc' unused.
    expect((await db.query('SELECT sum(CAST(d.s AS INTEGER)) FROM f JOIN d ON f.k = d.k')).rows()).toEqual([[75000n]]);
    expect((await db.query("SELECT sum(CAST(s AS INTEGER)) FROM t WHERE s <> 'abc'")).rows()).toEqual([[14848n]]);
    expect((await failure(db.query('SELECT sum(CAST(s AS INTEGER)) FROM t'))).message).toMatch(/invalid input for type INTEGER: "abc"/);
    expect((await db.query('SELECT sum(TRY_CAST(s AS INTEGER)) FROM t')).rows()).toEqual([[14848n]]);
  });
});
