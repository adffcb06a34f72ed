// Hash join: every join type on hand-made inputs (NULL keys, duplicates, empty sides, selection
// and dictionary vectors, mixed numeric representations), and a seeded property test against a
// nested-loop reference over random data split into random batches.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BATCH_SIZE, type Batch } from '../../../common/batch.js';
import { type LogicalType, T } from '../../../common/types.js';
import type { Scalar } from '../../../common/vector.js';
import { QuiverError } from '../../../common/errors.js';
import type { JoinNode, JoinType } from '../../../exec/plan.js';
import type { CompiledExpr } from '../../../exec/expression/compiled.js';
import { hashJoin } from '../../../exec/operators/hash-join.js';
import {
  batchOf,
  child,
  collect,
  multiset,
  outputTypes,
  predicate,
  randomBatches,
  type Row,
  streamOf,
  testContext,
} from './batches.js';
import { referenceJoin, type Residual } from './join-reference.js';

const ALL_TYPES: JoinType[] = ['inner', 'left', 'right', 'full', 'semi', 'anti', 'mark', 'single'];


function node(joinType: JoinType, l: LogicalType[], r: LogicalType[], lk: number[], rk: number[]): JoinNode {
  const types = outputTypes(joinType, l, r);
  return {
    op: 'hash_join',
    joinType,
    left: child(l),
    right: child(r),
    leftKeys: lk,
    rightKeys: rk,
    residual: null,
    types,
    names: types.map((_, i) => `o${i}`),
  };
}

async function run(
  joinType: JoinType,
  l: LogicalType[],
  r: LogicalType[],
  lk: number[],
  rk: number[],
  left: Batch[],
  right: Batch[],
  residual: CompiledExpr | null = null,
): Promise<Row[]> {
  const n = node(joinType, l, r, lk, rk);
  return collect(hashJoin(n, testContext(), streamOf(left), streamOf(right), residual), n.types);
}

const LT = [T.INTEGER, T.VARCHAR];
const RT = [T.INTEGER, T.VARCHAR];
const leftRows: Row[] = [
  [1, 'a'],
  [2, 'b'],
  [2, 'b2'],
  [null, 'n'],
  [4, 'd'],
];
const rightRows: Row[] = [
  [2, 'x'],
  [2, 'y'],
  [3, 'z'],
  [null, 'rn'],
  [1, 'w'],
];

describe('hashJoin join types', () => {
  const cases: Record<string, Row[]> = {
    inner: [
      [1, 'a', 1, 'w'],
      [2, 'b', 2, 'x'],
      [2, 'b', 2, 'y'],
      [2, 'b2', 2, 'x'],
      [2, 'b2', 2, 'y'],
    ],
    left: [
      [1, 'a', 1, 'w'],
      [2, 'b', 2, 'x'],
      [2, 'b', 2, 'y'],
      [2, 'b2', 2, 'x'],
      [2, 'b2', 2, 'y'],
      [null, 'n', null, null],
      [4, 'd', null, null],
    ],
    right: [
      [1, 'a', 1, 'w'],
      [2, 'b', 2, 'x'],
      [2, 'b', 2, 'y'],
      [2, 'b2', 2, 'x'],
      [2, 'b2', 2, 'y'],
      [null, null, 3, 'z'],
      [null, null, null, 'rn'],
    ],
    full: [
      [1, 'a', 1, 'w'],
      [2, 'b', 2, 'x'],
      [2, 'b', 2, 'y'],
      [2, 'b2', 2, 'x'],
      [2, 'b2', 2, 'y'],
      [null, 'n', null, null],
      [4, 'd', null, null],
      [null, null, 3, 'z'],
      [null, null, null, 'rn'],
    ],
    semi: [
      [1, 'a'],
      [2, 'b'],
      [2, 'b2'],
    ],
    anti: [
      [null, 'n'],
      [4, 'd'],
    ],
    // The right side has a NULL key, so every non-match is NULL rather than FALSE.
    mark: [
      [1, 'a', 1],
      [2, 'b', 1],
      [2, 'b2', 1],
      [null, 'n', null],
      [4, 'd', null],
    ],
  };
  for (const [type, expected] of Object.entries(cases)) {
    it(`${type} join`, async () => {
      for (const selection of [false, true]) {
        const rows = await run(type as JoinType, LT, RT, [0], [0], [batchOf(LT, leftRows, [], selection)], [batchOf(RT, rightRows)]);
        expect(multiset(rows)).toEqual(multiset(expected));
      }
    });
  }

  it('mark join: FALSE without NULLs on the right, NULL for a NULL left key, FALSE on an empty right', async () => {
    const right = [batchOf(RT, rightRows.filter((r) => r[0] !== null))];
    const rows = await run('mark', LT, RT, [0], [0], [batchOf(LT, leftRows)], right);
    expect(multiset(rows)).toEqual(
      multiset([
        [1, 'a', 1],
        [2, 'b', 1],
        [2, 'b2', 1],
        [null, 'n', null],
        [4, 'd', 0],
      ]),
    );
    const empty = await run('mark', LT, RT, [0], [0], [batchOf(LT, leftRows)], []);
    expect(empty.map((r) => r[2])).toEqual([0, 0, 0, 0, 0]);
  });

  it('mark join with a residual: NULL only where a right row passes it', async () => {
    // x IN (SELECT k FROM r WHERE r.tag = 'rn' ...): residual keeps right rows whose tag is 'z' or 'rn'.
    const res = predicate((row) => row[3] === 'z' || row[3] === 'rn');
    const rows = await run('mark', LT, RT, [0], [0], [batchOf(LT, leftRows)], [batchOf(RT, rightRows)], res);
    expect(multiset(rows)).toEqual(
      multiset([
        [1, 'a', null],
        [2, 'b', null],
        [2, 'b2', null],
        [null, 'n', null],
        [4, 'd', null],
      ]),
    );
    const none = predicate((row) => row[3] === 'w');
    const rows2 = await run('mark', LT, RT, [0], [0], [batchOf(LT, leftRows)], [batchOf(RT, rightRows)], none);
    expect(multiset(rows2)).toEqual(
      multiset([
        [1, 'a', 1],
        [2, 'b', 0],
        [2, 'b2', 0],
        [null, 'n', null],
        [4, 'd', 0],
      ]),
    );
  });

  it('single join: NULL padding for no match, an error for two matches', async () => {
    const rightUnique = [batchOf(RT, [[1, 'w'], [2, 'x']])];
    const rows = await run('single', LT, RT, [0], [0], [batchOf(LT, leftRows)], rightUnique);
    expect(multiset(rows)).toEqual(
      multiset([
        [1, 'a', 1, 'w'],
        [2, 'b', 2, 'x'],
        [2, 'b2', 2, 'x'],
        [null, 'n', null, null],
        [4, 'd', null, null],
      ]),
    );
    const err = await run('single', LT, RT, [0], [0], [batchOf(LT, leftRows)], [batchOf(RT, rightRows)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuiverError);
    expect((err as QuiverError).code).toBe('INVALID_INPUT');
    expect((err as QuiverError).message).toBe('more than one row returned by a subquery used as an expression');
  });

  it('residual NULL counts as false', async () => {
    const res = predicate((row) => (row[1] === 'b' ? null : true));
    const rows = await run('left', LT, RT, [0], [0], [batchOf(LT, leftRows)], [batchOf(RT, rightRows)], res);
    expect(rows.filter((r) => r[1] === 'b')).toEqual([[2, 'b', null, null]]);
  });

  it('empty sides', async () => {
    for (const type of ALL_TYPES) {
      const noRight = await run(type, LT, RT, [0], [0], [batchOf(LT, leftRows)], [batchOf(RT, [])]);
      const expected = referenceJoin(type, leftRows, [], 2, 2, [0], [0], null);
      expect(multiset(noRight)).toEqual(multiset(expected));
      const noLeft = await run(type, LT, RT, [0], [0], [], [batchOf(RT, rightRows)]);
      expect(multiset(noLeft)).toEqual(multiset(referenceJoin(type, [], rightRows, 2, 2, [0], [0], null)));
    }
  });

  it('all-NULL key columns never match', async () => {
    const l = [[null, 'a'], [null, 'b']];
    const r = [[null, 'x']];
    expect(await run('inner', LT, RT, [0], [0], [batchOf(LT, l)], [batchOf(RT, r)])).toEqual([]);
    expect((await run('anti', LT, RT, [0], [0], [batchOf(LT, l)], [batchOf(RT, r)])).length).toBe(2);
    const nullTyped = [T.NULL, T.VARCHAR];
    const rows = await run('full', nullTyped, RT, [0], [0], [batchOf(nullTyped, l)], [batchOf(RT, r)]);
    expect(rows.length).toBe(3);
  });
});

describe('hashJoin keys', () => {
  it('compares INTEGER with BIGINT and Float64Array with BigInt64Array by value', async () => {
    const l = [T.INTEGER];
    const r = [T.BIGINT, T.VARCHAR];
    const rightA = { ...batchOf(r, [[5n, 'five'], [7n, 'seven']], ['wide']) };
    const rightB = batchOf(r, [[6, 'six']]);
    const rows = await run('inner', l, r, [0], [0], [batchOf(l, [[5], [6], [8]])], [rightA, rightB]);
    expect(multiset(rows)).toEqual(multiset([[5, 5, 'five'], [6, 6, 'six']]));
  });

  it('matches BIGINT keys beyond 2^53 exactly, across representations', async () => {
    const big = 2n ** 62n + 1n;
    const t = [T.BIGINT];
    const left = [batchOf(t, [[big], [2n ** 62n], [2 ** 53]], ['wide'])];
    const right = [batchOf(t, [[big]], ['wide']), batchOf(t, [[2 ** 53]])];
    const rows = await run('inner', t, t, [0], [0], left, right);
    expect(multiset(rows)).toEqual(multiset([[`${big}n`, `${big}n`], [2 ** 53, 2 ** 53]]));
  });

  it('multi-column keys of strings, doubles and dates; dictionary and constant vectors', async () => {
    const t = [T.VARCHAR, T.DOUBLE, T.DATE];
    const lrows: Row[] = [['a', 1.5, 10], ['a', -0, 10], ['b', NaN, 11], ['b', 2, null]];
    const rrows: Row[] = [['a', 1.5, 10], ['a', 0, 10], ['b', NaN, 11], ['b', 2, null]];
    const left = [batchOf(t, lrows, ['dictionary', 'flat', 'rle'], true)];
    const right = [batchOf(t, rrows.slice(0, 2), ['constant', 'flat', 'constant']), batchOf(t, rrows.slice(2), ['dictionary'])];
    const rows = await run('inner', t, t, [0, 1, 2], [0, 1, 2], left, right);
    // -0 = 0 and NaN = NaN (PostgreSQL), a NULL date never matches.
    expect(rows.length).toBe(3);
  });

  it('splits a large many-to-many result into batches of at most BATCH_SIZE', async () => {
    const t = [T.INTEGER];
    const l = Array.from({ length: 300 }, (_, i) => [i % 3]);
    const r = Array.from({ length: 700 }, (_, i) => [i % 3]);
    const n = node('inner', t, t, [0], [0]);
    let rows = 0;
    let batches = 0;
    for await (const b of hashJoin(n, testContext(), streamOf([batchOf(t, l)]), streamOf([batchOf(t, r)]), null)) {
      expect(b.count).toBeLessThanOrEqual(BATCH_SIZE);
      rows += b.count;
      batches++;
    }
    expect(rows).toBe(300 * 700 / 3);
    expect(batches).toBeGreaterThan(1);
  });

  it('rejects joining a string key with a number key', async () => {
    await expect(run('inner', [T.VARCHAR], [T.INTEGER], [0], [0], [], [])).rejects.toThrow(/cannot join VARCHAR with INTEGER/);
  });
});

describe('hashJoin matches the reference on random data', () => {
  const lt = [T.INTEGER, T.BIGINT, T.VARCHAR];
  const rt = [T.BIGINT, T.INTEGER, T.VARCHAR];
  const key = fc.option(fc.integer({ min: 0, max: 4 }), { nil: null, freq: 5 });
  const val = fc.option(fc.integer({ min: -3, max: 3 }), { nil: null, freq: 6 });
  const str = fc.option(fc.constantFrom('p', 'q', 'r'), { nil: null, freq: 6 });
  const row = fc.tuple(key, val, str).map((r) => r as Row);
  const residualFn: Residual = (l, r) => (l[1] === null || r[1] === null ? null : (l[1] as number) <= (r[1] as number));

  it('for every join type, with and without a residual, keys of one and two columns', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 25 }),
        fc.array(row, { maxLength: 25 }),
        fc.constantFrom(...ALL_TYPES),
        fc.boolean(),
        fc.boolean(),
        fc.integer(),
        async (left, right, joinType, withResidual, twoKeys, seed) => {
          // Right rows are (k, v, s) in the order of rt: BIGINT key, INTEGER value.
          const lk = twoKeys ? [0, 2] : [0];
          const rk = twoKeys ? [0, 2] : [0];
          const res = withResidual ? residualFn : null;
          let expected: Row[] | Error;
          try {
            expected = referenceJoin(joinType, left, right, 3, 3, lk, rk, res);
          } catch (e) {
            expected = e as Error;
          }
          const compiled = res === null ? null : predicate((row: readonly Scalar[]) => res(row.slice(0, 3) as Row, row.slice(3) as Row));
          const got = await run(joinType, lt, rt, lk, rk, randomBatches(lt, left, seed), randomBatches(rt, right, seed + 1), compiled).catch(
            (e: unknown) => e as Error,
          );
          if (expected instanceof Error) {
            expect(got).toBeInstanceOf(QuiverError);
          } else {
            expect(got).not.toBeInstanceOf(Error);
            expect(multiset(got as Row[])).toEqual(multiset(expected));
          }
        },
      ),
      { seed: 20240611, numRuns: 400 },
    );
  });
});
