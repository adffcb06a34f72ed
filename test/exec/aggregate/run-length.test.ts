// Aggregates that fold a run-length column in as its runs (updateRuns) give exactly what they
// give over the same rows expanded: SUM stays exact past 2^53 (BigInt64Array values, long runs),
// NULL runs are skipped, COUNT(*) counts every row.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { T, type LogicalType } from '../../../common/types.js';
import { flatten, type FlatVector, type RunLengthVector } from '../../../common/vector.js';
import { createAggregateState } from '../../../exec/aggregate/registry.js';
import type { AggregateFn, AggregateSpec } from '../../../exec/plan.js';

function rle(type: LogicalType, values: (number | bigint | null)[], lengths: number[]): RunLengthVector {
  const wide = values.some((v) => typeof v === 'bigint');
  const data = wide ? BigInt64Array.from(values, (v) => BigInt(v ?? 0)) : Float64Array.from(values, (v) => Number(v ?? 0));
  const validity = values.includes(null) ? Uint8Array.from(values, (v) => (v === null ? 0 : 1)) : null;
  const runValues: FlatVector = { kind: 'flat', type, length: values.length, data, validity };
  const runEnds = new Int32Array(lengths.length);
  let end = 0;
  for (const [r, n] of lengths.entries()) runEnds[r] = end += n;
  return { kind: 'rle', type, length: end, values: runValues, runEnds };
}

function spec(fn: AggregateFn, arg: LogicalType, type: LogicalType): AggregateSpec {
  return { fn, args: fn === 'count_star' ? [] : [0], argTypes: fn === 'count_star' ? [] : [arg], distinct: false, filter: null, type };
}

/** The aggregate's one result, folded as runs and as expanded rows. */
function both(s: AggregateSpec, v: RunLengthVector): [unknown, unknown] {
  const byRuns = createAggregateState(s);
  byRuns.init(1);
  expect(byRuns.updateRuns).toBeDefined();
  byRuns.updateRuns!(v.values, v.runEnds, 0);
  const byRows = createAggregateState(s);
  byRows.init(1);
  const flat = flatten(v);
  byRows.update(flat, null, new Int32Array(flat.length), flat.length);
  const value = (f: FlatVector) => (f.validity !== null && f.validity[0] === 0 ? null : f.data[0]);
  return [value(byRuns.finalize()), value(byRows.finalize())];
}

describe('aggregates over run-length vectors', () => {
  it('SUM is exact over long runs of large BIGINTs', () => {
    const v = rle(T.BIGINT, [2n ** 40n + 1n, -3n, null, 9_007_199_254_740_993n], [1_000_000, 7, 5, 3]);
    const [runs, rows] = both(spec('sum', T.BIGINT, T.BIGINT), v);
    expect(BigInt(runs as bigint)).toBe((2n ** 40n + 1n) * 1_000_000n - 21n + 9_007_199_254_740_993n * 3n);
    expect(BigInt(runs as bigint)).toBe(BigInt(rows as bigint));
  });

  it('agree with the expanded rows for SUM, COUNT, COUNT(*), MIN, MAX', () => {
    const run = fc.record({ value: fc.option(fc.integer({ min: -1e6, max: 1e6 }), { nil: null }), length: fc.integer({ min: 1, max: 50 }) });
    fc.assert(
      fc.property(fc.array(run, { minLength: 1, maxLength: 20 }), (runs) => {
        const v = rle(T.INTEGER, runs.map((r) => r.value), runs.map((r) => r.length));
        for (const s of [spec('sum', T.INTEGER, T.BIGINT), spec('count', T.INTEGER, T.BIGINT), spec('count_star', T.INTEGER, T.BIGINT), spec('min', T.INTEGER, T.INTEGER), spec('max', T.INTEGER, T.INTEGER)]) {
          const [byRuns, byRows] = both(s, v);
          expect(byRuns).toEqual(byRows);
        }
      }),
      { seed: 11, numRuns: 200 },
    );
  });
});
