// ORs pushed to scans (sql/planner/physical-planner.ts): `a = 1 OR a = 3` and
// `(a = 1 AND b = 2) OR c IN (4, 5)` reach the scan as OR predicates whose branches are
// conjunctions of column comparisons, so storage can answer them with bitmap indexes and zone
// maps; a branch keeps only the conjuncts storage can use, an OR with a branch left with none is
// not pushed; EXPLAIN shows them; answers stay exact.

import { beforeAll, describe, expect, it } from 'vitest';
import type { PlanNode, ScanNode } from '../../../exec/plan.js';
import { Engine } from '../../../sql/engine.js';
import { parseSql } from '../../../sql/parser/index.js';

let engine: Engine;

beforeAll(async () => {
  engine = new Engine();
  await engine.run('CREATE TABLE t (a INTEGER, b INTEGER, c INTEGER, s VARCHAR)');
  const rows: string[] = [];
  for (let i = 0; i < 120; i++) rows.push(`(${i % 6}, ${i % 4}, ${i % 9}, ${i % 5 === 0 ? 'NULL' : `'s${i % 3}'`})`);
  await engine.run(`INSERT INTO t VALUES ${rows.join(', ')}`);
});

function scanOf(sql: string): ScanNode {
  const [statement] = parseSql(sql);
  if (statement?.kind !== 'query') throw new Error(`not a query: ${sql}`);
  let n: PlanNode = engine.planQuery(statement.query).plan;
  while (n.op !== 'scan') {
    if (!('input' in n)) throw new Error(`no single-input path to the scan in ${sql}`);
    n = n.input;
  }
  return n;
}

/** The position of a column among the scan's output columns. */
const at = (scan: ScanNode, name: string) => scan.names.indexOf(name);

describe('OR predicates pushed to scans', () => {
  it('a = 1 OR a = 3', () => {
    const scan = scanOf('SELECT b FROM t WHERE a = 1 OR a = 3');
    const a = at(scan, 'a');
    expect(scan.predicates).toEqual([{ op: 'or', branches: [[{ column: a, op: '=', values: [1] }], [{ column: a, op: '=', values: [3] }]] }]);
  });

  it('(a = 1 AND b = 2) OR c IN (4, 5), next to a plain conjunct', () => {
    const scan = scanOf('SELECT s FROM t WHERE ((a = 1 AND b = 2) OR c IN (4, 5)) AND s IS NOT NULL');
    expect(scan.predicates).toEqual(
      expect.arrayContaining([
        {
          op: 'or',
          branches: [
            [
              { column: at(scan, 'a'), op: '=', values: [1] },
              { column: at(scan, 'b'), op: '=', values: [2] },
            ],
            [{ column: at(scan, 'c'), op: 'in', values: [4, 5] }],
          ],
        },
        { column: at(scan, 's'), op: 'is_not_null', values: [] },
      ]),
    );
    expect(scan.predicates.length).toBe(2);
  });

  it('nested ORs flatten; a branch keeps the conjuncts storage can use', () => {
    const scan = scanOf("SELECT 1 FROM t WHERE a = 1 OR (b = 2 AND s LIKE 's%') OR (c = 3 OR c > 7)");
    expect(scan.predicates).toEqual([
      {
        op: 'or',
        branches: [
          [{ column: at(scan, 'a'), op: '=', values: [1] }],
          [{ column: at(scan, 'b'), op: '=', values: [2] }],
          [{ column: at(scan, 'c'), op: '=', values: [3] }],
          [{ column: at(scan, 'c'), op: '>', values: [7] }],
        ],
      },
    ]);
  });

  it('an OR with a branch storage cannot use is not pushed', () => {
    expect(scanOf("SELECT 1 FROM t WHERE a = 1 OR s LIKE 's1%'").predicates).toEqual([]);
    expect(scanOf('SELECT 1 FROM t WHERE a = 1 OR a + b = 3').predicates).toEqual([]);
  });

  it('EXPLAIN shows the pushed OR', async () => {
    const r = await engine.run('EXPLAIN SELECT b FROM t WHERE (a = 1 AND b = 2) OR a IN (4, 5)');
    const text = r.rows().flat().join('\n');
    expect(text).toMatch(/prune: \(#\d = 1 AND #\d = 2 OR #\d IN 4, 5\)/);
  });

  it('answers stay exact', async () => {
    const r = await engine.run('SELECT count(*) FROM t WHERE (a = 1 AND b = 2) OR c IN (4, 5) OR s IS NULL');
    let expected = 0;
    for (let i = 0; i < 120; i++) if ((i % 6 === 1 && i % 4 === 2) || i % 9 === 4 || i % 9 === 5 || i % 5 === 0) expected++;
    expect(r.rows()).toEqual([[BigInt(expected)]]);
  });
});
