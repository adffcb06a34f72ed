// Aggregate states on their own: partial states over parts of the data, merged through a group
// map (and through serialize -> deserialize, as workers and shards will), must finalize to what
// one state over all the data gives; plus the exactness and ordering edge cases of SUM, AVG,
// MIN, MAX and ANY_VALUE.

import { describe, expect, it } from 'vitest';
import { decimalType, type LogicalType, T } from '../../../common/types.js';
import { type FlatVector, getScalar, type Scalar } from '../../../common/vector.js';
import { QuiverError } from '../../../common/errors.js';
import type { AggregateFn, AggregateSpec } from '../../../exec/plan.js';
import { createAggregateState, deserializeAggregateState } from '../../../exec/aggregate/registry.js';
import type { AggregateState } from '../../../exec/aggregate/state.js';
import { canon, flat } from '../operators/batches.js';

function spec(fn: AggregateFn, argType: LogicalType | null, type: LogicalType, distinct = false): AggregateSpec {
  return { fn, args: argType === null ? [] : [0], argTypes: argType === null ? [] : [argType], distinct, filter: null, type };
}

function values(v: FlatVector): Scalar[] {
  return Array.from({ length: v.length }, (_, i) => canon(getScalar(v, i)));
}

/** Folds values into groups with one state. */
function fold(s: AggregateSpec, groupCount: number, arg: FlatVector | null, groups: number[]): AggregateState {
  const st = createAggregateState(s);
  st.init(groupCount);
  if (groups.length > 0) st.update(arg, null, Int32Array.from(groups), groups.length);
  return st;
}

const cases: { name: string; spec: AggregateSpec; type: LogicalType; data: Scalar[]; wide?: boolean }[] = [
  { name: 'count_star', spec: spec('count_star', null, T.BIGINT), type: T.INTEGER, data: [1, null, 3, 4, 5, 6] },
  { name: 'count', spec: spec('count', T.INTEGER, T.BIGINT), type: T.INTEGER, data: [1, null, 3, 4, null, 6] },
  { name: 'count distinct', spec: spec('count', T.VARCHAR, T.BIGINT, true), type: T.VARCHAR, data: ['a', 'a', null, 'b', 'a', 'é'] },
  { name: 'sum bigint', spec: spec('sum', T.BIGINT, T.BIGINT), type: T.BIGINT, data: [2n ** 62n, -5n, null, 7n, 2n ** 53n, 1n], wide: true },
  { name: 'sum distinct', spec: spec('sum', T.BIGINT, T.BIGINT, true), type: T.BIGINT, data: [3n, 3n, null, 2n ** 60n, 2n ** 60n, 3n], wide: true },
  { name: 'sum double', spec: spec('sum', T.DOUBLE, T.DOUBLE), type: T.DOUBLE, data: [0.5, 1.5, null, -2, 4, 8] },
  { name: 'avg decimal', spec: spec('avg', decimalType(9, 2), T.DOUBLE), type: decimalType(9, 2), data: [150, 250, null, 1, 2, 3] },
  { name: 'avg distinct', spec: spec('avg', T.INTEGER, T.DOUBLE, true), type: T.INTEGER, data: [1, 1, 3, 3, null, 5] },
  { name: 'min varchar', spec: spec('min', T.VARCHAR, T.VARCHAR), type: T.VARCHAR, data: ['b', 'a', null, 'B', '', 'z'] },
  { name: 'max bigint wide', spec: spec('max', T.BIGINT, T.BIGINT), type: T.BIGINT, data: [-(2n ** 62n), 2n ** 62n, null, 9n, 2n ** 62n + 1n, -1n], wide: true },
  { name: 'min double NaN', spec: spec('min', T.DOUBLE, T.DOUBLE), type: T.DOUBLE, data: [NaN, 2, null, NaN, -1, 3] },
  { name: 'max double NaN', spec: spec('max', T.DOUBLE, T.DOUBLE), type: T.DOUBLE, data: [1, NaN, null, 2, -1, 3] },
  { name: 'max boolean', spec: spec('max', T.BOOLEAN, T.BOOLEAN), type: T.BOOLEAN, data: [0, 0, null, 1, 0, 0] },
  { name: 'min date', spec: spec('min', T.DATE, T.DATE), type: T.DATE, data: [100, -3, null, 5, 7, 8] },
  { name: 'any_value', spec: spec('any_value', T.VARCHAR, T.VARCHAR), type: T.VARCHAR, data: [null, 'x', null, null, 'y', 'z'] },
];

describe('aggregate states merge and serialize', () => {
  // Rows go to groups 0, 1, 0, 1, 2, 0 of the whole; the two halves number groups differently.
  const groupsAll = [0, 1, 0, 1, 2, 0];
  for (const c of cases) {
    it(c.name, () => {
      const arg = c.spec.fn === 'count_star' ? null : flat(c.type, c.data, c.wide);
      const whole = values(fold(c.spec, 3, arg, groupsAll).finalize());
      const first = c.spec.fn === 'count_star' ? null : flat(c.type, c.data.slice(0, 3), c.wide);
      const second = c.spec.fn === 'count_star' ? null : flat(c.type, c.data.slice(3));
      // Part A sees groups 0, 1, 0 as its 0, 1; part B sees 1, 2, 0 as its 0, 1, 2.
      const a = fold(c.spec, 2, first, [0, 1, 0]);
      const b = fold(c.spec, 3, second, [0, 1, 2]);
      const mapB = Int32Array.from([1, 2, 0]);
      const merged = fold(c.spec, 3, null, []);
      merged.merge(a, null);
      merged.merge(b, mapB);
      expect(values(merged.finalize())).toEqual(whole);
      // Through serialized arrays.
      const a2 = deserializeAggregateState(c.spec, structuredClone(a.serialize()));
      const b2 = deserializeAggregateState(c.spec, structuredClone(b.serialize()));
      const merged2 = fold(c.spec, 3, null, []);
      merged2.merge(a2, null);
      merged2.merge(b2, mapB);
      expect(values(merged2.finalize())).toEqual(whole);
      for (const arr of a.serialize().arrays) expect(ArrayBuffer.isView(arr)).toBe(true);
    });
  }

  it('expected values of a few cases', () => {
    const sumCase = cases.find((c) => c.name === 'sum bigint')!;
    expect(values(fold(sumCase.spec, 3, flat(T.BIGINT, sumCase.data, true), groupsAll).finalize())).toEqual([
      `${2n ** 62n + 1n}n`,
      2,
      2 ** 53,
    ]);
    const minNaN = cases.find((c) => c.name === 'min double NaN')!;
    expect(values(fold(minNaN.spec, 3, flat(T.DOUBLE, minNaN.data), groupsAll).finalize())).toEqual([3, 2, -1]);
    const maxNaN = cases.find((c) => c.name === 'max double NaN')!;
    expect(values(fold(maxNaN.spec, 3, flat(T.DOUBLE, maxNaN.data), groupsAll).finalize())).toEqual([3, NaN, -1]);
    const dist = cases.find((c) => c.name === 'count distinct')!;
    expect(values(fold(dist.spec, 3, flat(T.VARCHAR, dist.data), groupsAll).finalize())).toEqual([2, 2, 1]);
  });

  it('rejects a serialized state of another function', () => {
    const st = fold(spec('sum', T.INTEGER, T.BIGINT), 1, flat(T.INTEGER, [1]), [0]);
    expect(() => deserializeAggregateState(spec('min', T.INTEGER, T.INTEGER), st.serialize())).toThrow(QuiverError);
    const broken = { ...st.serialize(), arrays: [new Float64Array(1)] };
    expect(() => deserializeAggregateState(spec('sum', T.INTEGER, T.BIGINT), broken)).toThrow(/array 0/);
  });
});

describe('SUM exactness', () => {
  const s = spec('sum', T.BIGINT, T.BIGINT);

  it('adds many values near 2^53 from Float64Array without rounding', () => {
    // 1000 * (2^53 - 1) is just below the int64 limit.
    const n = 1000;
    const data = new Array<Scalar>(n).fill(2 ** 53 - 1);
    const st = fold(s, 1, flat(T.BIGINT, data), new Array<number>(n).fill(0));
    expect(values(st.finalize())).toEqual([`${BigInt(n) * (2n ** 53n - 1n)}n`]);
  });

  it('returns Float64Array while sums fit 2^53 and BigInt64Array past it', () => {
    const small = fold(s, 2, flat(T.BIGINT, [2 ** 52, 2 ** 52, -3]), [0, 0, 1]).finalize();
    expect(small.data).toBeInstanceOf(Float64Array);
    expect(values(small)).toEqual([2 ** 53, -3]);
    const big = fold(s, 2, flat(T.BIGINT, [2 ** 53, 1, -3]), [0, 0, 1]).finalize();
    expect(big.data).toBeInstanceOf(BigInt64Array);
    expect(values(big)).toEqual([`${2n ** 53n + 1n}n`, -3]);
  });

  it('reaches both int64 limits exactly and fails one past them', () => {
    const max = 2n ** 63n - 1n;
    const min = -(2n ** 63n);
    expect(values(fold(s, 1, flat(T.BIGINT, [max - 1n, 1n], true), [0, 0]).finalize())).toEqual([`${max}n`]);
    expect(values(fold(s, 1, flat(T.BIGINT, [min + 1n, -1n], true), [0, 0]).finalize())).toEqual([`${min}n`]);
    expect(() => fold(s, 1, flat(T.BIGINT, [max, 1n], true), [0, 0]).finalize()).toThrow('bigint out of range');
    expect(() => fold(s, 1, flat(T.BIGINT, [min, -1n], true), [0, 0]).finalize()).toThrow('bigint out of range');
    // Merging partial sums checks the same limit.
    const a = fold(s, 1, flat(T.BIGINT, [max], true), [0]);
    const b = fold(s, 1, flat(T.BIGINT, [max], true), [0]);
    a.merge(b, null);
    expect(() => a.finalize()).toThrow(QuiverError);
  });

  it('sums DECIMAL scaled integers and reports overflow for its type', () => {
    const d = decimalType(18, 4);
    const r = decimalType(38, 4);
    const st = fold(spec('sum', d, r), 1, flat(d, [12345, -45], true), [0, 0]);
    expect(values(st.finalize())).toEqual([12300]);
    const over = fold(spec('sum', d, r), 1, flat(d, [2n ** 63n - 1n, 2n ** 63n - 1n], true), [0, 0]);
    expect(() => over.finalize()).toThrow(/DECIMAL\(38,4\)/);
  });

  it('keeps exactness across many batches into one group', () => {
    const st = createAggregateState(s);
    st.init(1);
    const vals = new Array<Scalar>(1000).fill(2n ** 62n / 1000n);
    const zeros = new Int32Array(1000);
    st.update(flat(T.BIGINT, vals, true), null, zeros, 1000);
    st.update(flat(T.BIGINT, vals.map((v) => -(v as bigint)), true), null, zeros, 1000);
    st.update(flat(T.BIGINT, [7]), null, zeros, 1);
    expect(values(st.finalize())).toEqual([7]);
  });

  it('averages integers exactly before dividing', () => {
    const st = fold(spec('avg', T.BIGINT, T.DOUBLE), 1, flat(T.BIGINT, [2n ** 62n, 2n ** 62n, 2n], true), [0, 0, 0]);
    expect(values(st.finalize())).toEqual([Number(2n ** 63n + 2n) / 3]);
  });
});
