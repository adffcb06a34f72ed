// Nested-loop join: cross join, each join type with a condition (checked against the reference
// on random data split into random batches), NULL conditions, empty sides, and mark rejected.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BATCH_SIZE, type Batch } from '../../../common/batch.js';
import { type LogicalType, T } from '../../../common/types.js';
import type { Scalar } from '../../../common/vector.js';
import { QuiverError } from '../../../common/errors.js';
import type { JoinType, NestedLoopJoinNode } from '../../../exec/plan.js';
import type { CompiledExpr } from '../../../exec/expression/compiled.js';
import { nestedLoopJoin } from '../../../exec/operators/nested-loop-join.js';
import { batchOf, child, collect, multiset, outputTypes, predicate, randomBatches, type Row, streamOf, testContext } from './batches.js';
import { referenceJoin } from './join-reference.js';

function node(joinType: JoinType, l: LogicalType[], r: LogicalType[]): NestedLoopJoinNode {
  const types = outputTypes(joinType, l, r);
  return { op: 'nested_loop_join', joinType, left: child(l), right: child(r), condition: null, types, names: types.map((_, i) => `o${i}`) };
}

async function run(joinType: JoinType, l: LogicalType[], r: LogicalType[], left: Batch[], right: Batch[], cond: CompiledExpr | null): Promise<Row[]> {
  const n = node(joinType, l, r);
  return collect(nestedLoopJoin(n, testContext(), streamOf(left), streamOf(right), cond), n.types);
}

const LT = [T.INTEGER, T.VARCHAR];
const RT = [T.INTEGER];

describe('nestedLoopJoin', () => {
  it('cross join without a condition', async () => {
    const rows = await run('inner', LT, RT, [batchOf(LT, [[1, 'a'], [2, 'b']], [], true)], [batchOf(RT, [[10], [20]]), batchOf(RT, [[30]])], null);
    expect(multiset(rows)).toEqual(
      multiset([
        [1, 'a', 10],
        [1, 'a', 20],
        [1, 'a', 30],
        [2, 'b', 10],
        [2, 'b', 20],
        [2, 'b', 30],
      ]),
    );
  });

  it('inequality condition with NULLs (NULL is false) for left, right and full joins', async () => {
    const l: Row[] = [[1, 'a'], [5, 'b'], [null, 'c']];
    const r: Row[] = [[3], [null], [0]];
    const lt = predicate((row) => (row[0] === null || row[2] === null ? null : (row[0] as number) < (row[2] as number)));
    const left = await run('left', LT, RT, [batchOf(LT, l)], [batchOf(RT, r)], lt);
    expect(multiset(left)).toEqual(multiset([[1, 'a', 3], [5, 'b', null], [null, 'c', null]]));
    const right = await run('right', LT, RT, [batchOf(LT, l)], [batchOf(RT, r)], lt);
    expect(multiset(right)).toEqual(multiset([[1, 'a', 3], [null, null, null], [null, null, 0]]));
    const full = await run('full', LT, RT, [batchOf(LT, l)], [batchOf(RT, r)], lt);
    expect(full.length).toBe(5);
  });

  it('semi and anti without a condition depend only on the right side being empty', async () => {
    const l: Row[] = [[1, 'a'], [null, 'b']];
    expect((await run('semi', LT, RT, [batchOf(LT, l)], [batchOf(RT, [[1]])], null)).length).toBe(2);
    expect((await run('anti', LT, RT, [batchOf(LT, l)], [batchOf(RT, [[1]])], null)).length).toBe(0);
    expect((await run('semi', LT, RT, [batchOf(LT, l)], [], null)).length).toBe(0);
    expect((await run('anti', LT, RT, [batchOf(LT, l)], [batchOf(RT, [])], null)).length).toBe(2);
  });

  it('single join raises when a row matches twice', async () => {
    const err = await run('single', LT, RT, [batchOf(LT, [[1, 'a']])], [batchOf(RT, [[1], [2]])], null).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QuiverError);
    expect((err as QuiverError).code).toBe('INVALID_INPUT');
  });

  it('rejects mark joins (they need equality keys)', async () => {
    await expect(run('mark', LT, RT, [], [], null)).rejects.toThrow(/hash join/);
  });

  it('keeps output batches within BATCH_SIZE', async () => {
    const l = Array.from({ length: 400 }, (_, i) => [i, 'x'] as Row);
    const r = Array.from({ length: 300 }, (_, i) => [i] as Row);
    const n = node('inner', LT, RT);
    let rows = 0;
    for await (const b of nestedLoopJoin(n, testContext(), streamOf([batchOf(LT, l)]), streamOf([batchOf(RT, r)]), null)) {
      expect(b.count).toBeLessThanOrEqual(BATCH_SIZE);
      rows += b.count;
    }
    expect(rows).toBe(120000);
  });

  it('matches the reference on random data for every join type', async () => {
    const lt = [T.INTEGER, T.VARCHAR];
    const rt = [T.BIGINT, T.VARCHAR];
    const row = fc
      .tuple(fc.option(fc.integer({ min: 0, max: 4 }), { nil: null, freq: 5 }), fc.option(fc.constantFrom('p', 'q'), { nil: null, freq: 5 }))
      .map((r) => r as Row);
    const types: JoinType[] = ['inner', 'left', 'right', 'full', 'semi', 'anti', 'single'];
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 20 }), fc.array(row, { maxLength: 20 }), fc.constantFrom(...types), fc.integer(), async (left, right, joinType, seed) => {
        // Condition: l.k = r.k AND l.s <= r.s, as a predicate over the pair's columns.
        const cond = predicate((p: readonly Scalar[]) => {
          if (p[0] === null || p[2] === null) return null;
          if (p[0] !== p[2]) return false;
          if (p[1] === null || p[3] === null) return null;
          return (p[1] as string) <= (p[3] as string);
        });
        const residual = (l: Row, r: Row) => (l[1] === null || r[1] === null ? null : (l[1] as string) <= (r[1] as string));
        let expected: Row[] | Error;
        try {
          expected = referenceJoin(joinType, left, right, 2, 2, [0], [0], residual);
        } catch (e) {
          expected = e as Error;
        }
        const got = await run(joinType, lt, rt, randomBatches(lt, left, seed), randomBatches(rt, right, seed ^ 7), cond).catch((e: unknown) => e as Error);
        if (expected instanceof Error) expect(got).toBeInstanceOf(QuiverError);
        else expect(multiset(got as Row[])).toEqual(multiset(expected));
      }),
      { seed: 77, numRuns: 300 },
    );
  });
});
