// EXPLAIN, EXPLAIN ANALYZE and EXPLAIN (CODEGEN) (sql/planner/explain.ts, sql/engine.ts): each
// returns text, one VARCHAR row per line, as an indented tree of plan nodes; ANALYZE runs the
// query and adds each node's output rows and a total; CODEGEN runs it and prints the generated
// kernels, which are plain `for` loops. The tests check structure, not exact wording.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, QuiverError } from '../../../index.js';

let db: Database;

beforeAll(async () => {
  db = await Database.open(':memory:');
  await db.exec(`CREATE TABLE f (id INTEGER, k INTEGER, v DECIMAL(6,2), s VARCHAR);
                 CREATE TABLE dim (k INTEGER, name VARCHAR);
                 INSERT INTO f VALUES (1, 1, 1.50, 'x'), (2, 2, 2.50, 'y'), (3, 1, 3.50, 'x'), (4, 3, 0.50, NULL);
                 INSERT INTO dim VALUES (1, 'one'), (2, 'two');`);
});

afterAll(async () => {
  await db.close();
});

async function lines(sql: string): Promise<string[]> {
  const r = await db.query(sql);
  expect(r.schema).toEqual([{ name: 'explain', type: 'VARCHAR' }]);
  return r.rows().map((row) => {
    expect(row.length).toBe(1);
    return row[0] as string;
  });
}

const JOIN_QUERY = 'SELECT d.name, sum(f.v) FROM f JOIN dim d ON f.k = d.k WHERE f.id > 1 GROUP BY d.name ORDER BY 2 DESC LIMIT 1';

describe('EXPLAIN', () => {
  it('prints an indented tree, children under their parent', async () => {
    const out = await lines(`EXPLAIN ${JOIN_QUERY}`);
    expect(out[0]).not.toMatch(/^\s/);
    expect(out[0]).toMatch(/^TopN 1/);
    for (const line of out.slice(1)) expect(line).toMatch(/^( {2})+-> \S/);
    const depth = (l: string) => l.indexOf('->');
    for (let i = 2; i < out.length; i++) expect(depth(out[i]!)).toBeLessThanOrEqual(depth(out[i - 1]!) + 2);
    const text = out.join('\n');
    expect(text).toContain('HashJoin INNER');
    expect(text).toContain('Aggregate');
    expect(text).toMatch(/Scan f \[/);
    expect(text).toMatch(/Scan dim \[/);
  });

  it('does not run the query', async () => {
    const out = await lines("EXPLAIN SELECT CAST(s AS INTEGER) FROM f");
    expect(out.join('\n')).toContain('Scan f');
  });

  it('names subquery joins and cross products', async () => {
    expect((await lines('EXPLAIN SELECT id FROM f WHERE k IN (SELECT k FROM dim)')).join('\n')).toContain('HashJoin SEMI');
    expect((await lines('EXPLAIN SELECT id FROM f WHERE NOT EXISTS (SELECT 1 FROM dim WHERE dim.k = f.k)')).join('\n')).toContain('HashJoin ANTI');
    expect((await lines('EXPLAIN SELECT 1 FROM f, dim')).join('\n')).toContain('NestedLoopJoin INNER (cross product)');
  });

  it('takes parameters', async () => {
    const r = await db.query('EXPLAIN SELECT id FROM f WHERE id > $1', [2]);
    expect(r.rows().map((x) => x[0]).join('\n')).toContain('Filter');
  });

  it('refuses statements that are not queries, and reports bind errors', async () => {
    await expect(db.query('EXPLAIN INSERT INTO f VALUES (9, 9, 9, NULL)')).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
    await expect(db.query('EXPLAIN SELECT * FROM nope')).rejects.toBeInstanceOf(QuiverError);
    expect((await db.query('SELECT count(*) FROM f')).rows()).toEqual([[4n]]);
  });
});

describe('EXPLAIN ANALYZE', () => {
  it('runs the query and adds the rows each node produced, and a total', async () => {
    const out = await lines(`EXPLAIN ANALYZE ${JOIN_QUERY}`);
    const nodes = out.filter((l) => !l.startsWith('Total'));
    for (const line of nodes) expect(line).toMatch(/\(rows=\d+\)$/);
    const rows = (prefix: RegExp) => Number(/\(rows=(\d+)\)$/.exec(nodes.find((l) => prefix.test(l))!)![1]);
    expect(rows(/^TopN/)).toBe(1);
    expect(rows(/Scan f /)).toBe(4);
    // dim is the probe side: its scan applies the join's filter (join-filter.ts), and a scan
    // that filters counts the rows it read, as with a fused WHERE.
    expect(nodes.find((l) => /Scan dim /.test(l))).toMatch(/join filter: #\d IN build keys of join 0/);
    expect(rows(/Scan dim /)).toBe(4);
    expect(rows(/HashJoin/)).toBe(2);
    const total = out[out.length - 1]!;
    expect(total).toMatch(/^Total: [\d.]+ ms, 6 rows read$/);
  });

  it('raises the errors the query raises', async () => {
    await expect(db.query('EXPLAIN ANALYZE SELECT CAST(s AS INTEGER) FROM f')).rejects.toMatchObject({ code: 'CONVERSION_ERROR' });
  });
});

describe('EXPLAIN (CODEGEN)', () => {
  it('prints the generated kernels as plain for loops', async () => {
    const out = await lines('EXPLAIN (CODEGEN) SELECT id * 2 + k, upper(s) FROM f WHERE id > 1');
    const header = /^-- (\d+) generated kernel\(s\)$/.exec(out[0]!);
    expect(header).not.toBeNull();
    const text = out.join('\n');
    const functions = text.match(/^function \w+\(n, [^)]*\) \{$/gm) ?? [];
    expect(functions.length).toBe(Number(header![1]));
    expect(functions.length).toBeGreaterThanOrEqual(3);
    expect(text.match(/for \(let i = 0; i < n; i\+\+\)/g)?.length).toBe(functions.length);
    // The overflow check of INTEGER arithmetic is part of the loop.
    expect(text).toContain('H.overflow()');
  });

  it('never puts literal values into the generated code', async () => {
    const text = (await lines("EXPLAIN (CODEGEN) SELECT s || 'zz_marker_zz' FROM f WHERE id > 1234567")).join('\n');
    expect(text).not.toContain('zz_marker_zz');
    expect(text).not.toContain('1234567');
  });
});
