// Contract tests of compileExpr (exec/expression/compile.ts): every evaluator returns a vector
// of length batch.count, dense over the batch's selected rows; NULLs propagate; constants stay
// constant; dictionary inputs are decoded (or kept as dictionaries where the kernel works on the
// dictionary); BIGINT/DECIMAL results beyond 2^53 take the exact BigInt path; CASE, AND, OR and
// COALESCE evaluate an argument only on the rows that need it; x / 0 is NULL.

import { describe, expect, it } from 'vitest';
import { vec } from './vectors.js';
import { type Batch, makeBatch } from '../../../common/batch.js';
import { QuiverError } from '../../../common/errors.js';
import { type LogicalType, T, TypeId, decimalType } from '../../../common/types.js';
import {
  type FlatVector, type Scalar, type Vector, constantVector, flatten, getScalar,
} from '../../../common/vector.js';
import type { ExecContext } from '../../../exec/context.js';
import { compileExpr } from '../../../exec/expression/compile.js';
import type { PExpr } from '../../../exec/plan.js';

function context(codegenLog: string[] | null = null): ExecContext {
  return {
    snapshot: () => {
      throw new Error('expression tests read no table');
    },
    outer: [],
    signal: null,
    stats: { rowsRead: 0, bytesRead: 0 },
    codegenLog,
  };
}


/** A dictionary vector over `entries` with the given codes. */
function dict(type: LogicalType, entries: readonly Scalar[], codes: readonly number[]): Vector {
  return { kind: 'dictionary', type, length: codes.length, codes: Int32Array.from(codes), dictionary: vec(type, entries) };
}

/** The values of a vector as JS scalars, checking that its length is `expected`. */
function values(v: Vector, expected: number): Scalar[] {
  expect(v.length).toBe(expected);
  const out: Scalar[] = [];
  for (let i = 0; i < v.length; i++) out.push(getScalar(v, i));
  return out;
}

const col = (index: number, type: LogicalType): PExpr => ({ kind: 'col', index, type });
const lit = (value: Scalar, type: LogicalType): PExpr => ({ kind: 'const', value, type });
const call = (fn: string, args: PExpr[], type: LogicalType): PExpr => ({ kind: 'call', fn, args, type });

function run(e: PExpr, b: Batch, ctx = context()): Scalar[] {
  return values(compileExpr(e, ctx).evaluate(b), b.count);
}

function errorOf(f: () => unknown): QuiverError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(QuiverError);
    return e as QuiverError;
  }
  throw new Error('expected an error');
}

describe('column references and selection vectors', () => {
  it('returns the selected rows densely, in selection order', () => {
    const b = makeBatch([vec(T.INTEGER, [10, 20, 30, 40, 50])], 5, Int32Array.from([1, 3, 4]));
    expect(run(col(0, T.INTEGER), b)).toEqual([20, 40, 50]);
    expect(run(call('add', [col(0, T.INTEGER), lit(1, T.INTEGER)], T.INTEGER), b)).toEqual([21, 41, 51]);
  });

  it('handles an empty selection', () => {
    const b = makeBatch([vec(T.INTEGER, [1, 2])], 2, new Int32Array(0));
    expect(run(call('multiply', [col(0, T.INTEGER), col(0, T.INTEGER)], T.INTEGER), b)).toEqual([]);
  });

  it('gathers dictionary and constant columns through the selection', () => {
    const b = makeBatch([dict(T.VARCHAR, ['x', 'y', 'unused'], [1, 0, 1, 1]), constantVector(T.INTEGER, 7, 4)], 4, Int32Array.from([0, 2]));
    expect(run(call('upper', [col(0, T.VARCHAR)], T.VARCHAR), b)).toEqual(['Y', 'Y']);
    expect(run(call('add', [col(1, T.INTEGER), lit(1, T.INTEGER)], T.INTEGER), b)).toEqual([8, 8]);
  });
});

describe('constants', () => {
  it('folds an all-constant call to a constant vector of the batch length', () => {
    const b = makeBatch([vec(T.INTEGER, [1, 2, 3])], 3);
    const v = compileExpr(call('add', [lit(2, T.INTEGER), lit(3, T.INTEGER)], T.INTEGER), context()).evaluate(b);
    expect(v.kind).toBe('constant');
    expect(values(v, 3)).toEqual([5, 5, 5]);
  });

  it('gives NULL for every row when a constant argument is NULL', () => {
    const b = makeBatch([vec(T.INTEGER, [1, 2])], 2);
    expect(run(call('add', [col(0, T.INTEGER), lit(null, T.INTEGER)], T.INTEGER), b)).toEqual([null, null]);
  });
});

describe('NULL propagation and errors', () => {
  it('propagates NULL from either argument', () => {
    const b = makeBatch([vec(T.INTEGER, [1, null, 3, null]), vec(T.INTEGER, [10, 20, null, null])], 4);
    expect(run(call('add', [col(0, T.INTEGER), col(1, T.INTEGER)], T.INTEGER), b)).toEqual([11, null, null, null]);
    expect(run(call('lt', [col(0, T.INTEGER), col(1, T.INTEGER)], T.BOOLEAN), b)).toEqual([1, null, null, null]);
  });

  it('raises "integer out of range" for a valid row, never for a NULL row', () => {
    const ok = vec(T.INTEGER, [1, 2147483647]);
    // Row 1 is NULL but its data slot holds a value that would overflow.
    const masked: FlatVector = { ...ok, validity: Uint8Array.from([1, 0]) };
    expect(run(call('multiply', [col(0, T.INTEGER), lit(2, T.INTEGER)], T.INTEGER), makeBatch([masked], 2))).toEqual([2, null]);
    const e = errorOf(() => run(call('multiply', [col(0, T.INTEGER), lit(2, T.INTEGER)], T.INTEGER), makeBatch([ok], 2)));
    expect(e.code).toBe('OVERFLOW_ERROR');
    expect(e.message).toContain('integer out of range');
  });

  it('does not raise for rows outside the selection', () => {
    const b = makeBatch([vec(T.INTEGER, [1, 2147483647, 3])], 3, Int32Array.from([0, 2]));
    expect(run(call('multiply', [col(0, T.INTEGER), lit(2, T.INTEGER)], T.INTEGER), b)).toEqual([2, 6]);
  });

  it('gives NULL for x / 0 and x % 0 and truncates integer division', () => {
    const b = makeBatch([vec(T.INTEGER, [7, -7, 7]), vec(T.INTEGER, [2, 2, 0])], 3);
    expect(run(call('divide', [col(0, T.INTEGER), col(1, T.INTEGER)], T.INTEGER), b)).toEqual([3, -3, null]);
    expect(run(call('modulo', [col(0, T.INTEGER), col(1, T.INTEGER)], T.INTEGER), b)).toEqual([1, -1, null]);
    const big = makeBatch([vec(T.BIGINT, [7n, -7n], true), vec(T.BIGINT, [0n, 2n], true)], 2);
    expect(run(call('divide', [col(0, T.BIGINT), col(1, T.BIGINT)], T.BIGINT), big)).toEqual([null, -3n]);
  });
});

describe('BIGINT and DECIMAL exactness', () => {
  const SAFE = 9007199254740992; // 2^53

  it('recomputes a batch on the BigInt path when a double result could pass 2^53', () => {
    const b = makeBatch([vec(T.BIGINT, [SAFE, 1, -SAFE])], 3);
    const v = compileExpr(call('add', [col(0, T.BIGINT), lit(3, T.BIGINT)], T.BIGINT), context()).evaluate(b);
    expect(flatten(v).data).toBeInstanceOf(BigInt64Array);
    expect(values(v, 3)).toEqual([9007199254740995n, 4n, -9007199254740989n]);
  });

  it('stays on doubles when every result is within 2^53', () => {
    const b = makeBatch([vec(T.BIGINT, [1, 2, 3])], 3);
    const v = compileExpr(call('multiply', [col(0, T.BIGINT), lit(1000, T.BIGINT)], T.BIGINT), context()).evaluate(b);
    expect(flatten(v).data).toBeInstanceOf(Float64Array);
    expect(values(v, 3)).toEqual([1000, 2000, 3000]);
  });

  it('computes exactly on BigInt64Array inputs, and mixes them with double inputs', () => {
    const wide = vec(T.BIGINT, [9007199254740993n, 5n], true);
    const narrow = vec(T.BIGINT, [2, 3]);
    const b = makeBatch([wide, narrow], 2);
    expect(run(call('multiply', [col(0, T.BIGINT), col(1, T.BIGINT)], T.BIGINT), b)).toEqual([18014398509481986n, 15n]);
    expect(run(call('subtract', [col(0, T.BIGINT), col(1, T.BIGINT)], T.BIGINT), b)).toEqual([9007199254740991n, 2n]);
    expect(run(call('negate', [col(0, T.BIGINT)], T.BIGINT), b)).toEqual([-9007199254740993n, -5n]);
  });

  it('compares a BigInt64Array with a double array exactly', () => {
    const b = makeBatch([vec(T.BIGINT, [9007199254740993n, 4n], true), vec(T.BIGINT, [SAFE, 4])], 2);
    expect(run(call('gt', [col(0, T.BIGINT), col(1, T.BIGINT)], T.BOOLEAN), b)).toEqual([1, 0]);
    expect(run(call('eq', [col(0, T.BIGINT), col(1, T.BIGINT)], T.BOOLEAN), b)).toEqual([0, 1]);
  });

  it('raises "bigint out of range" past int64', () => {
    const b = makeBatch([vec(T.BIGINT, [9223372036854775807n], true)], 1);
    const e = errorOf(() => run(call('add', [col(0, T.BIGINT), lit(1, T.BIGINT)], T.BIGINT), b));
    expect(e.code).toBe('OVERFLOW_ERROR');
    expect(e.message).toContain('bigint out of range');
  });

  it('adds DECIMALs as scaled integers', () => {
    const d = decimalType(18, 2);
    // 0.10 + 0.20 = 0.30 exactly (scaled by 100).
    const b = makeBatch([vec(d, [10, 99999999999999999n], true), vec(d, [20, 1n], true)], 2);
    expect(run(call('add', [col(0, d), col(1, d)], d), b)).toEqual([30n, 100000000000000000n]);
  });
});

describe('CASE, AND, OR, COALESCE evaluate lazily', () => {
  const a = (): PExpr => col(0, T.INTEGER);
  const overflowing = (): PExpr => call('multiply', [a(), lit(2147483647, T.INTEGER)], T.INTEGER);

  it('CASE runs a branch only on the rows that take it', () => {
    const b = makeBatch([vec(T.INTEGER, [-1, 5, 2000000000, null, 0])], 5);
    const e: PExpr = {
      kind: 'case',
      whens: [{ when: call('lt', [a(), lit(0, T.INTEGER)], T.BOOLEAN), then: overflowing() }],
      else: a(),
      type: T.INTEGER,
    };
    expect(run(e, b)).toEqual([-2147483647, 5, 2000000000, null, 0]);
  });

  it('CASE without ELSE gives NULL, and works behind a selection', () => {
    const b = makeBatch([vec(T.INTEGER, [1, 2000000000, -1, 3])], 4, Int32Array.from([0, 2, 3]));
    const e: PExpr = {
      kind: 'case',
      whens: [
        { when: call('gt', [a(), lit(2, T.INTEGER)], T.BOOLEAN), then: lit(100, T.INTEGER) },
        { when: call('lt', [a(), lit(0, T.INTEGER)], T.BOOLEAN), then: overflowing() },
      ],
      else: null,
      type: T.INTEGER,
    };
    expect(run(e, b)).toEqual([null, -2147483647, 100]);
  });

  it('CASE mixes wide and narrow BIGINT branches exactly', () => {
    const b = makeBatch([vec(T.INTEGER, [0, 1])], 2);
    const e: PExpr = {
      kind: 'case',
      whens: [{ when: call('eq', [a(), lit(0, T.INTEGER)], T.BOOLEAN), then: lit(9007199254740993n, T.BIGINT) }],
      else: lit(7, T.BIGINT),
      type: T.BIGINT,
    };
    expect(run(e, b)).toEqual([9007199254740993n, 7n]);
  });

  it('AND evaluates its right side only where the left is not FALSE, with three-valued results', () => {
    const b = makeBatch([vec(T.INTEGER, [1, 2000000000, null])], 3);
    const e: PExpr = {
      kind: 'and',
      args: [call('lt', [a(), lit(1000, T.INTEGER)], T.BOOLEAN), call('gt', [overflowing(), lit(0, T.INTEGER)], T.BOOLEAN)],
      type: T.BOOLEAN,
    };
    expect(run(e, makeBatch([vec(T.INTEGER, [1, 2000000000])], 2))).toEqual([1, 0]);
    const nulls: PExpr = { kind: 'and', args: [call('lt', [a(), lit(1000, T.INTEGER)], T.BOOLEAN), lit(null, T.BOOLEAN)], type: T.BOOLEAN };
    expect(run(nulls, b)).toEqual([null, 0, null]);
  });

  it('OR evaluates its right side only where the left is not TRUE', () => {
    const b = makeBatch([vec(T.INTEGER, [1, 2000000000, null])], 3);
    const e: PExpr = {
      kind: 'or',
      args: [call('gt', [a(), lit(1000, T.INTEGER)], T.BOOLEAN), call('gt', [a(), lit(0, T.INTEGER)], T.BOOLEAN)],
      type: T.BOOLEAN,
    };
    expect(run(e, b)).toEqual([1, 1, null]);
    const withNull: PExpr = { kind: 'or', args: [lit(null, T.BOOLEAN), call('gt', [a(), lit(1000, T.INTEGER)], T.BOOLEAN)], type: T.BOOLEAN };
    expect(run(withNull, b)).toEqual([null, 1, null]);
  });

  it('COALESCE evaluates later arguments only on rows still NULL', () => {
    const b = makeBatch([vec(T.INTEGER, [1, null, 2000000000])], 3);
    const e = call('coalesce', [a(), lit(5, T.INTEGER)], T.INTEGER);
    expect(run(e, b)).toEqual([1, 5, 2000000000]);
    const lazy = call('coalesce', [a(), overflowing()], T.INTEGER);
    expect(run(lazy, makeBatch([vec(T.INTEGER, [2000000000, null])], 2))).toEqual([2000000000, null]);
  });
});

describe('IN lists, IS NULL, IS DISTINCT FROM, NOT', () => {
  const x = col(0, T.INTEGER);

  it('IN is TRUE on a match, else NULL when x or an element is NULL, else FALSE', () => {
    const b = makeBatch([vec(T.INTEGER, [1, 2, null])], 3);
    const e: PExpr = { kind: 'in_list', arg: x, list: [lit(1, T.INTEGER), lit(null, T.INTEGER)], negated: false, type: T.BOOLEAN };
    expect(run(e, b)).toEqual([1, null, null]);
    expect(run({ ...e, negated: true }, b)).toEqual([0, null, null]);
  });

  it('x IN () is FALSE and x NOT IN () TRUE, even for NULL x', () => {
    const b = makeBatch([vec(T.INTEGER, [1, null])], 2);
    const e: PExpr = { kind: 'in_list', arg: x, list: [], negated: false, type: T.BOOLEAN };
    expect(run(e, b)).toEqual([0, 0]);
    expect(run({ ...e, negated: true }, b)).toEqual([1, 1]);
  });

  it('IS [NOT] NULL and NOT keep three-valued logic', () => {
    const b = makeBatch([vec(T.BOOLEAN, [1, 0, null])], 3);
    expect(run({ kind: 'is_null', arg: col(0, T.BOOLEAN), negated: false, type: T.BOOLEAN }, b)).toEqual([0, 0, 1]);
    expect(run({ kind: 'is_null', arg: col(0, T.BOOLEAN), negated: true, type: T.BOOLEAN }, b)).toEqual([1, 1, 0]);
    expect(run({ kind: 'not', arg: col(0, T.BOOLEAN), type: T.BOOLEAN }, b)).toEqual([0, 1, null]);
  });

  it('IS DISTINCT FROM treats NULLs as equal and is never NULL', () => {
    const b = makeBatch([vec(T.INTEGER, [1, 1, null, null]), vec(T.INTEGER, [1, 2, 1, null])], 4);
    expect(run(call('is_distinct', [x, col(1, T.INTEGER)], T.BOOLEAN), b)).toEqual([0, 1, 1, 0]);
    expect(run(call('is_not_distinct', [x, col(1, T.INTEGER)], T.BOOLEAN), b)).toEqual([1, 0, 0, 1]);
  });
});

describe('strings and dictionaries', () => {
  it('LIKE with a constant pattern keeps a dictionary input a dictionary', () => {
    const b = makeBatch([dict(T.VARCHAR, ['apple', 'banana', 'avocado'], [0, 1, 2, 0, 1])], 5);
    const e = call('like', [col(0, T.VARCHAR), lit('a%', T.VARCHAR)], T.BOOLEAN);
    const v = compileExpr(e, context()).evaluate(b);
    expect(v.kind).toBe('dictionary');
    expect(values(v, 5)).toEqual([1, 0, 1, 1, 0]);
  });

  it('LIKE treats regular-expression characters literally and honours ESCAPE', () => {
    const b = makeBatch([vec(T.VARCHAR, ['a.c', 'abc', 'a_c', null])], 4);
    expect(run(call('like', [col(0, T.VARCHAR), lit('a.c', T.VARCHAR)], T.BOOLEAN), b)).toEqual([1, 0, 0, null]);
    expect(run(call('like', [col(0, T.VARCHAR), lit('a#_c', T.VARCHAR), lit('#', T.VARCHAR)], T.BOOLEAN), b)).toEqual([0, 0, 1, null]);
    expect(run(call('ilike', [col(0, T.VARCHAR), lit('A_C', T.VARCHAR)], T.BOOLEAN), b)).toEqual([1, 1, 1, null]);
  });

  it('LIKE with a pattern column matches row by row', () => {
    const b = makeBatch([vec(T.VARCHAR, ['abc', 'abc', 'x']), vec(T.VARCHAR, ['a%', 'b%', null])], 3);
    expect(run(call('like', [col(0, T.VARCHAR), col(1, T.VARCHAR)], T.BOOLEAN), b)).toEqual([1, 0, null]);
  });

  it('casts a dictionary once, keeping its codes', () => {
    const b = makeBatch([dict(T.VARCHAR, ['1', '22', '333'], [2, 2, 0, 1])], 4);
    const v = compileExpr({ kind: 'cast', expr: col(0, T.VARCHAR), type: T.INTEGER, try: false }, context()).evaluate(b);
    expect(v.kind).toBe('dictionary');
    expect(values(v, 4)).toEqual([333, 333, 1, 22]);
  });

  it('concat skips NULLs, || propagates them', () => {
    const b = makeBatch([vec(T.VARCHAR, ['a', null, '']), vec(T.VARCHAR, ['x', 'y', null])], 3);
    expect(run(call('concat', [col(0, T.VARCHAR), col(1, T.VARCHAR)], T.VARCHAR), b)).toEqual(['ax', 'y', '']);
    expect(run(call('concat_op', [col(0, T.VARCHAR), col(1, T.VARCHAR)], T.VARCHAR), b)).toEqual(['ax', null, null]);
  });

  it('substring and length count characters, not UTF-16 units', () => {
    const b = makeBatch([vec(T.VARCHAR, ['a😀b', 'héllo'])], 2);
    expect(run(call('length', [col(0, T.VARCHAR)], T.INTEGER), b)).toEqual([3, 5]);
    expect(run(call('substring', [col(0, T.VARCHAR), lit(2, T.INTEGER), lit(2, T.INTEGER)], T.VARCHAR), b)).toEqual(['😀b', 'él']);
  });
});

describe('generated kernels', () => {
  it('logs each generated kernel once for EXPLAIN (CODEGEN), as a plain for loop', () => {
    const log: string[] = [];
    const b = makeBatch([vec(T.INTEGER, [1, 2, 3])], 3);
    const e = call('add', [call('multiply', [col(0, T.INTEGER), lit(2, T.INTEGER)], T.INTEGER), col(0, T.INTEGER)], T.INTEGER);
    const compiled = compileExpr(e, context(log));
    expect(values(compiled.evaluate(b), 3)).toEqual([3, 6, 9]);
    compiled.evaluate(b);
    // a * 2 + a is one fused loop (fuse.ts): one kernel computing both operators.
    expect(log.length).toBe(1);
    expect(log[0]).toMatch(/\*.*\+/);
    for (const source of log) {
      expect(source).toMatch(/^function \w+\(n, /);
      expect(source).toContain('for (let i = 0; i < n; i++)');
    }
  });

  it('never puts literal values into the generated source', () => {
    const log: string[] = [];
    const b = makeBatch([vec(T.VARCHAR, ['x'])], 1);
    const evil = "'); throw new Error('injected'); ('";
    const e = call('concat_op', [col(0, T.VARCHAR), lit(evil, T.VARCHAR)], T.VARCHAR);
    expect(run(e, b, context(log))).toEqual([`x${evil}`]);
    expect(log.join('\n')).not.toContain('injected');
  });

  it('evaluates the same compiled expression over many batches of different shapes', () => {
    const e = compileExpr(call('add', [col(0, T.DOUBLE), lit(0.5, T.DOUBLE)], T.DOUBLE), context());
    expect(values(e.evaluate(makeBatch([vec(T.DOUBLE, [1, null])], 2)), 2)).toEqual([1.5, null]);
    expect(values(e.evaluate(makeBatch([constantVector(T.DOUBLE, 2, 3)], 3)), 3)).toEqual([2.5, 2.5, 2.5]);
    expect(values(e.evaluate(makeBatch([vec(T.DOUBLE, [1, 2, 3])], 3, Int32Array.from([2]))), 1)).toEqual([3.5]);
  });
});

describe('typed results', () => {
  it('keeps the declared result type on every vector', () => {
    const b = makeBatch([vec(T.INTEGER, [1])], 1);
    const cases: [PExpr, TypeId][] = [
      [call('add', [col(0, T.INTEGER), lit(1, T.INTEGER)], T.INTEGER), TypeId.INTEGER],
      [call('eq', [col(0, T.INTEGER), lit(1, T.INTEGER)], T.BOOLEAN), TypeId.BOOLEAN],
      [{ kind: 'cast', expr: col(0, T.INTEGER), type: T.VARCHAR, try: false }, TypeId.VARCHAR],
      [{ kind: 'case', whens: [], else: lit(1, T.BIGINT), type: T.BIGINT }, TypeId.BIGINT],
    ];
    for (const [e, id] of cases) expect(compileExpr(e, context()).evaluate(b).type.id).toBe(id);
  });
});
