// Set operations: UNION [ALL], INTERSECT [ALL], EXCEPT [ALL] with NULLs comparing equal, on
// hand-made inputs and against a multiset reference on random data in random batches.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Batch } from '../../../common/batch.js';
import { type LogicalType, T } from '../../../common/types.js';
import type { SetOpNode } from '../../../exec/plan.js';
import { setOp } from '../../../exec/operators/set-op.js';
import { batchOf, child, collect, multiset, randomBatches, type Row, streamOf, testContext } from './batches.js';

type Op = SetOpNode['setOp'];
function node(op: Op, all: boolean, types: LogicalType[]): SetOpNode {
  return { op: 'set_op', setOp: op, all, left: child(types), right: child(types), types, names: types.map((_, i) => `c${i}`) };
}
async function run(op: Op, all: boolean, types: LogicalType[], left: Batch[], right: Batch[]): Promise<Row[]> {
  return collect(setOp(node(op, all, types), testContext(), streamOf(left), streamOf(right)), types);
}

function reference(op: Op, all: boolean, left: Row[], right: Row[]): string[] {
  const l = multiset(left);
  const r = multiset(right);
  const count = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const lc = count(l);
  const rc = count(r);
  const out: string[] = [];
  if (op === 'union') {
    if (all) return [...l, ...r].sort();
    return [...new Set([...l, ...r])].sort();
  }
  for (const [x, m] of lc) {
    const n = rc.get(x) ?? 0;
    const copies = op === 'intersect' ? (all ? Math.min(m, n) : m > 0 && n > 0 ? 1 : 0) : all ? Math.max(m - n, 0) : n === 0 ? 1 : 0;
    for (let i = 0; i < copies; i++) out.push(x);
  }
  return out.sort();
}

const types = [T.INTEGER, T.VARCHAR];
const L: Row[] = [[1, 'a'], [1, 'a'], [1, 'a'], [null, 'n'], [null, null], [2, 'b']];
const R: Row[] = [[1, 'a'], [null, 'n'], [null, 'n'], [3, 'c'], [null, null]];

describe('setOp', () => {
  for (const op of ['union', 'intersect', 'except'] as Op[]) {
    for (const all of [false, true]) {
      it(`${op}${all ? ' all' : ''}`, async () => {
        const got = await run(op, all, types, [batchOf(types, L, ['dictionary'], true)], [batchOf(types, R.slice(0, 2)), batchOf(types, []), batchOf(types, R.slice(2), ['rle', 'constant'])]);
        expect(multiset(got)).toEqual(reference(op, all, L, R));
      });
    }
  }

  it('works with empty inputs', async () => {
    for (const op of ['union', 'intersect', 'except'] as Op[]) {
      for (const all of [false, true]) {
        expect(multiset(await run(op, all, types, [], [batchOf(types, R)]))).toEqual(reference(op, all, [], R));
        expect(multiset(await run(op, all, types, [batchOf(types, L)], []))).toEqual(reference(op, all, L, []));
      }
    }
  });

  it('matches a multiset reference on random data', async () => {
    const t = [T.BIGINT, T.VARCHAR, T.DOUBLE];
    const row = fc
      .tuple(
        fc.option(fc.constantFrom(0n, 1n, 2n ** 60n), { nil: null, freq: 4 }),
        fc.option(fc.constantFrom('x', 'y'), { nil: null, freq: 4 }),
        fc.option(fc.constantFrom(0, -0, NaN, 2.5), { nil: null, freq: 4 }),
      )
      .map((r) => r as Row);
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 25 }),
        fc.array(row, { maxLength: 25 }),
        fc.constantFrom<Op>('union', 'intersect', 'except'),
        fc.boolean(),
        fc.integer(),
        async (left, right, op, all, seed) => {
          const got = await run(op, all, t, randomBatches(t, left, seed), randomBatches(t, right, seed + 3));
          // -0 and 0 are one value; normalize before comparing (the output keeps the first seen).
          const norm = (rows: Row[]) => rows.map((r) => r.map((v) => (Object.is(v, -0) ? 0 : v)));
          expect(multiset(norm(got))).toEqual(reference(op, all, norm(left), norm(right)));
        },
      ),
      { seed: 5150, numRuns: 300 },
    );
  });
});
