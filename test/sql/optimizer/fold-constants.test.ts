// The fold-constants rule (sql/optimizer/fold-constants.ts): constant expressions are
// evaluated once with the executor's own kernels, a fold that would fail is left for run time
// (so folding never raises an error that execution would not), AND/OR with a decisive constant
// simplify, and WHERE TRUE disappears. Checked on expressions directly and through SQL.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { T, type LogicalType } from '../../../common/types.js';
import type { Scalar } from '../../../common/vector.js';
import { Database, QuiverError } from '../../../index.js';
import type { LExpr } from '../../../sql/logical/plan.js';
import { foldExpr } from '../../../sql/optimizer/fold-constants.js';

const lit = (value: Scalar, type: LogicalType): LExpr => ({ kind: 'const', value, type });
const call = (fn: string, args: LExpr[], type: LogicalType): LExpr => ({ kind: 'call', fn, args, type });
const colref = (id: number, type: LogicalType): LExpr => ({ kind: 'colref', id, type, name: `c${id}` });

describe('foldExpr', () => {
  it('evaluates constant calls, casts and IN lists', () => {
    expect(foldExpr(call('add', [lit(1, T.INTEGER), call('multiply', [lit(2, T.INTEGER), lit(3, T.INTEGER)], T.INTEGER)], T.INTEGER))).toEqual(lit(7, T.INTEGER));
    expect(foldExpr({ kind: 'cast', expr: lit('1998-01-01', T.VARCHAR), type: T.DATE, try: false })).toEqual(lit(10227, T.DATE));
    expect(foldExpr({ kind: 'in_list', arg: lit(2, T.INTEGER), list: [lit(1, T.INTEGER), lit(2, T.INTEGER)], negated: false, type: T.BOOLEAN })).toEqual(lit(1, T.BOOLEAN));
    expect(foldExpr(call('divide', [lit(1, T.INTEGER), lit(0, T.INTEGER)], T.INTEGER))).toEqual(lit(null, T.INTEGER));
  });

  it('leaves a failing constant for run time instead of raising', () => {
    const overflow = call('add', [lit(2147483647, T.INTEGER), lit(1, T.INTEGER)], T.INTEGER);
    expect(foldExpr(overflow)).toEqual(overflow);
    const badCast: LExpr = { kind: 'cast', expr: lit('x', T.VARCHAR), type: T.INTEGER, try: false };
    expect(foldExpr(badCast)).toEqual(badCast);
    const sqrt = call('sqrt', [lit(-1, T.DOUBLE)], T.DOUBLE);
    expect(foldExpr(sqrt)).toEqual(sqrt);
  });

  it('folds TRY_CAST of bad text to NULL', () => {
    expect(foldExpr({ kind: 'cast', expr: lit('x', T.VARCHAR), type: T.INTEGER, try: true })).toEqual(lit(null, T.INTEGER));
  });

  it('simplifies AND / OR with decisive and neutral constants', () => {
    const x = call('gt', [colref(1, T.INTEGER), lit(0, T.INTEGER)], T.BOOLEAN);
    expect(foldExpr({ kind: 'and', args: [x, lit(0, T.BOOLEAN)], type: T.BOOLEAN })).toEqual(lit(0, T.BOOLEAN));
    expect(foldExpr({ kind: 'or', args: [lit(1, T.BOOLEAN), x], type: T.BOOLEAN })).toEqual(lit(1, T.BOOLEAN));
    expect(foldExpr({ kind: 'and', args: [lit(1, T.BOOLEAN), x], type: T.BOOLEAN })).toEqual(x);
    expect(foldExpr({ kind: 'or', args: [lit(0, T.BOOLEAN), x], type: T.BOOLEAN })).toEqual(x);
    // NULL is neither decisive nor neutral: NULL AND x stays.
    const withNull: LExpr = { kind: 'and', args: [lit(null, T.BOOLEAN), x], type: T.BOOLEAN };
    expect(foldExpr(withNull)).toEqual(withNull);
  });

  it('folds inside expressions that also read columns', () => {
    const e = call('add', [colref(1, T.INTEGER), call('add', [lit(1, T.INTEGER), lit(2, T.INTEGER)], T.INTEGER)], T.INTEGER);
    expect(foldExpr(e)).toEqual(call('add', [colref(1, T.INTEGER), lit(3, T.INTEGER)], T.INTEGER));
  });
});

describe('through SQL: folding never raises an error that execution would not', () => {
  let db: Database;

  beforeAll(async () => {
    db = await Database.open(':memory:');
    await db.exec('CREATE TABLE e (x INTEGER); CREATE TABLE one (x INTEGER); INSERT INTO one VALUES (5)');
  });

  afterAll(async () => {
    await db.close();
  });

  const ok: [string, unknown[][]][] = [
    ["SELECT CAST('x' AS INTEGER) FROM e", []],
    ['SELECT 2147483647 + 1 FROM e', []],
    ["SELECT x FROM e WHERE CAST('x' AS INTEGER) = 1", []],
    ["SELECT x FROM one WHERE x > 10 AND CAST('x' AS INTEGER) = 1", []],
    ["SELECT x FROM one WHERE false AND CAST('x' AS INTEGER) = 1", []],
    ["SELECT x FROM one WHERE x < 10 OR CAST('x' AS INTEGER) = 1", [[5]]],
    ['SELECT sum(2147483647 + 1) FROM e', [[null]]],
    ['SELECT CASE WHEN x > 10 THEN sqrt(-1) ELSE 0 END FROM one', [[0]]],
    ['SELECT CASE WHEN x > 10 THEN ln(0) ELSE 1 END FROM one', [[1]]],
    ["SELECT x FROM one WHERE x IN (SELECT CAST('y' AS INTEGER) FROM e)", []],
    ["SELECT COALESCE(x, CAST('x' AS INTEGER)) FROM one", [[5]]],
    ["SELECT x FROM e ORDER BY CAST('x' AS INTEGER)", []],
    ["SELECT x, count(*) FROM e GROUP BY x HAVING CAST('q' AS INTEGER) > 0", []],
    ['SELECT 1 FROM one WHERE 1 = 0 AND 1 / 0 = 1', []],
    ["SELECT CASE WHEN false THEN CAST('x' AS INTEGER) ELSE 3 END", [[3]]],
    ["SELECT CAST('x' AS INTEGER) FROM one LIMIT 0", []],
  ];
  for (const [sql, rows] of ok) {
    it(sql, async () => {
      expect((await db.query(sql)).rows()).toEqual(rows);
    });
  }

  it('still raises the error when a row does reach the failing constant', async () => {
    for (const sql of ["SELECT CAST('x' AS INTEGER) FROM one", 'SELECT x + 2147483647 FROM one', 'SELECT CASE WHEN x > 0 THEN sqrt(-1) END FROM one']) {
      await expect(db.query(sql)).rejects.toBeInstanceOf(QuiverError);
    }
  });
});
