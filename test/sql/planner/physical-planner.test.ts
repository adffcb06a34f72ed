// Contract tests of the physical planner (sql/planner/physical-planner.ts), on plans built by
// the engine from SQL: equi-join conditions become hash-join key pairs (the rest a residual),
// joins without equalities become nested-loop joins, the smaller input is the build (right)
// side, ORDER BY + LIMIT becomes a top-N sort, only the columns a query uses are scanned,
// simple conjuncts are offered to the scan for pruning, subqueries become semi / anti / mark
// joins, and plans are plain serializable data.

import { beforeAll, describe, expect, it } from 'vitest';
import type { JoinNode, NestedLoopJoinNode, PlanNode, ScanNode, SortNode } from '../../../exec/plan.js';
import { Engine } from '../../../sql/engine.js';
import { parseSql } from '../../../sql/parser/index.js';

let engine: Engine;

beforeAll(async () => {
  engine = new Engine();
  await engine.run(`CREATE TABLE big (id INTEGER, k INTEGER, g INTEGER, v DOUBLE, s VARCHAR);
                    CREATE TABLE small (k INTEGER, name VARCHAR, w INTEGER);
                    INSERT INTO small VALUES (1, 'a', 10), (2, 'b', 20);`);
  const rows: string[] = [];
  for (let i = 0; i < 200; i++) rows.push(`(${i}, ${i % 3}, ${i % 7}, ${i / 2}, 's${i % 5}')`);
  await engine.run(`INSERT INTO big VALUES ${rows.join(', ')}`);
});

function plan(sql: string): PlanNode {
  const [statement] = parseSql(sql);
  if (statement?.kind !== 'query') throw new Error(`not a query: ${sql}`);
  return engine.planQuery(statement.query).plan;
}

/** Every node of a plan, depth first. */
function nodes(p: PlanNode): PlanNode[] {
  const out: PlanNode[] = [p];
  switch (p.op) {
    case 'filter':
    case 'project':
    case 'aggregate':
    case 'sort':
    case 'limit':
      out.push(...nodes(p.input));
      break;
    case 'hash_join':
    case 'nested_loop_join':
    case 'set_op':
      out.push(...nodes(p.left), ...nodes(p.right));
      break;
    case 'apply':
      out.push(...nodes(p.input), ...nodes(p.subplan));
      break;
    default:
      break;
  }
  return out;
}

function only<T extends PlanNode['op']>(p: PlanNode, op: T): Extract<PlanNode, { op: T }> {
  const found = nodes(p).filter((n) => n.op === op);
  expect(found.length, `${op} nodes`).toBe(1);
  return found[0] as Extract<PlanNode, { op: T }>;
}

function scans(p: PlanNode): ScanNode[] {
  return nodes(p).filter((n): n is ScanNode => n.op === 'scan');
}

describe('joins', () => {
  it('turns equalities into hash-join key pairs and keeps the rest as a residual', () => {
    const p = plan('SELECT big.id FROM big JOIN small ON big.k = small.k AND big.g + 1 = small.w AND big.v < small.w');
    const j: JoinNode = only(p, 'hash_join');
    expect(j.joinType).toBe('inner');
    expect(j.leftKeys.length).toBe(2);
    expect(j.rightKeys.length).toBe(2);
    expect(j.residual).not.toBeNull();
    expect(nodes(p).some((n) => n.op === 'nested_loop_join')).toBe(false);
  });

  it('builds the hash table on the smaller input', () => {
    for (const sql of ['SELECT 1 FROM big JOIN small ON big.k = small.k', 'SELECT 1 FROM small JOIN big ON big.k = small.k']) {
      const j = only(plan(sql), 'hash_join');
      const right = scans(j.right);
      expect(right.map((s) => s.table)).toEqual(['small']);
    }
  });

  it('keeps the preserved side of a LEFT join when it swaps inputs', () => {
    const j = only(plan('SELECT 1 FROM small LEFT JOIN big ON big.k = small.k'), 'hash_join');
    // small is preserved: either it stays left of a LEFT join or becomes the right of a RIGHT join.
    const leftTables = scans(j.left).map((s) => s.table);
    expect(j.joinType === 'left' ? leftTables : scans(j.right).map((s) => s.table)).toEqual(['small']);
  });

  it('uses a nested-loop join for conditions without equalities, and for cross joins', () => {
    const nl: NestedLoopJoinNode = only(plan('SELECT 1 FROM big JOIN small ON big.k < small.k'), 'nested_loop_join');
    expect(nl.condition).not.toBeNull();
    const cross = only(plan('SELECT 1 FROM big CROSS JOIN small'), 'nested_loop_join');
    expect(cross.condition).toBeNull();
  });

  it('turns IN / EXISTS / NOT EXISTS subqueries into semi and anti joins', () => {
    expect(only(plan('SELECT id FROM big WHERE k IN (SELECT k FROM small)'), 'hash_join').joinType).toBe('semi');
    expect(only(plan('SELECT id FROM big WHERE EXISTS (SELECT 1 FROM small WHERE small.k = big.k)'), 'hash_join').joinType).toBe('semi');
    expect(only(plan('SELECT id FROM big WHERE NOT EXISTS (SELECT 1 FROM small WHERE small.k = big.k)'), 'hash_join').joinType).toBe('anti');
  });

  it('plans FULL joins on equalities as hash joins', () => {
    expect(only(plan('SELECT 1 FROM big FULL JOIN small ON big.k = small.k'), 'hash_join').joinType).toBe('full');
  });
});

describe('sorting and limits', () => {
  it('turns ORDER BY + LIMIT [OFFSET] into a top-N sort', () => {
    const s: SortNode = only(plan('SELECT id, v FROM big ORDER BY v DESC LIMIT 5 OFFSET 2'), 'sort');
    expect(s.limit).toBe(5);
    expect(s.offset).toBe(2);
    expect(s.keys.length).toBe(1);
    expect(s.keys[0]!.desc).toBe(true);
    expect(s.keys[0]!.nullsFirst).toBe(true);
    expect(nodes(plan('SELECT id, v FROM big ORDER BY v DESC LIMIT 5 OFFSET 2')).some((n) => n.op === 'limit')).toBe(false);
    expect(only(plan('SELECT id FROM big ORDER BY id LIMIT 1'), 'sort').limit).toBe(1);
  });

  it('sorts NULLs last on ASC and first on DESC unless told', () => {
    const keys = only(plan('SELECT id FROM big ORDER BY v, s DESC, g NULLS FIRST, id DESC NULLS LAST'), 'sort').keys;
    expect(keys.map((k) => [k.desc, k.nullsFirst])).toEqual([[false, false], [true, true], [false, true], [true, false]]);
  });

  it('keeps a plain Limit without ORDER BY, and a full sort without LIMIT', () => {
    expect(only(plan('SELECT id FROM big LIMIT 3'), 'limit').limit).toBe(3);
    expect(only(plan('SELECT id FROM big ORDER BY id'), 'sort').limit).toBeNull();
  });
});

describe('scans', () => {
  it('reads only the columns the query uses', () => {
    const [scan] = scans(plan('SELECT sum(v) FROM big WHERE k = 1'));
    expect(scan!.names.sort()).toEqual(['k', 'v']);
  });

  it('offers simple conjuncts to the scan for pruning, and still filters exactly', async () => {
    const p = plan("SELECT id FROM big WHERE k = 1 AND g >= 3 AND s IN ('s1', 's2') AND v IS NOT NULL");
    const [scan] = scans(p);
    const ops = scan!.predicates.map((x) => x.op).sort();
    expect(ops).toEqual(expect.arrayContaining(['=', '>=']));
    expect(nodes(p).some((n) => n.op === 'filter')).toBe(true);
    const r = await engine.run("SELECT count(*) FROM big WHERE k = 1 AND g >= 3 AND s IN ('s1', 's2') AND v IS NOT NULL");
    let expected = 0;
    for (let i = 0; i < 200; i++) if (i % 3 === 1 && i % 7 >= 3 && (i % 5 === 1 || i % 5 === 2)) expected++;
    expect(r.rows()).toEqual([[BigInt(expected)]]);
  });
});

describe('plans are plain data', () => {
  it('survives a structured clone and a JSON round trip unchanged', () => {
    const p = plan(`SELECT s.name, sum(b.v) AS total, count(DISTINCT b.g) FROM big b JOIN small s ON b.k = s.k
                    WHERE b.v > 1.5 AND b.s LIKE 's%' GROUP BY s.name HAVING sum(b.v) > 0 ORDER BY total DESC LIMIT 3`);
    expect(structuredClone(p)).toEqual(p);
    const json = JSON.stringify(p, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    expect(json).not.toContain('function');
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(structuredClone(p), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))));
  });

  it('lists the output types of every node', () => {
    for (const n of nodes(plan('SELECT k, count(*), max(s) FROM big WHERE id < 10 GROUP BY k ORDER BY 1'))) {
      expect(n.types.length).toBe(n.names.length);
    }
  });
});
