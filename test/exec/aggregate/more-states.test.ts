// The aggregate states of issue 4 on their own: partial states merged through a group map and
// through serialize -> deserialize must finalize to what one state over all the data gives;
// approx_count_distinct stays within its documented error and is exact-ish for small counts.

import { describe, expect, it } from 'vitest';
import { type LogicalType, T } from '../../../common/types.js';
import { type FlatVector, getScalar, type Scalar } from '../../../common/vector.js';
import type { AggregateFn, AggregateSpec } from '../../../exec/plan.js';
import { createAggregateState, deserializeAggregateState } from '../../../exec/aggregate/registry.js';
import type { AggregateState } from '../../../exec/aggregate/state.js';
import { flat } from '../operators/batches.js';

function spec(fn: AggregateFn, argTypes: LogicalType[], type: LogicalType): AggregateSpec {
  return { fn, args: argTypes.map((_, i) => i), argTypes, distinct: false, filter: null, type };
}

function values(v: FlatVector): Scalar[] {
  return Array.from({ length: v.length }, (_, i) => getScalar(v, i));
}

function fold(s: AggregateSpec, groupCount: number, cols: FlatVector[], groups: number[]): AggregateState {
  const st = createAggregateState(s);
  st.init(groupCount);
  st.update(cols[0]!, null, Int32Array.from(groups), groups.length, cols.slice(1));
  return st;
}

const n = 40;
const groups = Array.from({ length: n }, (_, i) => (i * 7) % 3);
const ints = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : (i * 13) % 17));
const strs = Array.from({ length: n }, (_, i) => (i % 6 === 0 ? null : `s${(i * 5) % 11}`));
const cases: { name: string; spec: AggregateSpec; cols: FlatVector[] }[] = [
  { name: 'var_samp', spec: spec('var_samp', [T.DOUBLE], T.DOUBLE), cols: [flat(T.DOUBLE, ints)] },
  { name: 'stddev_pop', spec: spec('stddev_pop', [T.DOUBLE], T.DOUBLE), cols: [flat(T.DOUBLE, ints)] },
  { name: 'bool_or', spec: spec('bool_or', [T.BOOLEAN], T.BOOLEAN), cols: [flat(T.BOOLEAN, ints.map((x) => (x === null ? null : x > 12 ? 1 : 0)))] },
  { name: 'arg_max', spec: spec('arg_max', [T.VARCHAR, T.INTEGER], T.VARCHAR), cols: [flat(T.VARCHAR, strs), flat(T.INTEGER, ints)] },
  { name: 'string_agg', spec: spec('string_agg', [T.VARCHAR, T.VARCHAR], T.VARCHAR), cols: [flat(T.VARCHAR, strs), flat(T.VARCHAR, strs.map(() => ','))] },
  { name: 'quantile_cont', spec: spec('quantile_cont', [T.DOUBLE, T.DOUBLE], T.DOUBLE), cols: [flat(T.DOUBLE, ints), flat(T.DOUBLE, ints.map(() => 0.3))] },
  { name: 'quantile_disc', spec: spec('quantile_disc', [T.INTEGER, T.DOUBLE], T.INTEGER), cols: [flat(T.INTEGER, ints), flat(T.DOUBLE, ints.map(() => 0.7))] },
  { name: 'approx_count_distinct', spec: spec('approx_count_distinct', [T.VARCHAR], T.BIGINT), cols: [flat(T.VARCHAR, strs)] },
];

/** Rows [from, to) of a column. */
function slice(v: FlatVector, from: number, to: number): FlatVector {
  const vals = values(v).slice(from, to);
  return flat(v.type, vals);
}

describe('issue 4 aggregate states merge and serialize', () => {
  for (const c of cases) {
    it(c.name, () => {
      const whole = values(fold(c.spec, 3, c.cols, groups).finalize());
      // Two halves, the second with its groups numbered in reverse, merged through a map.
      const a = fold(c.spec, 3, c.cols.map((v) => slice(v, 0, n / 2)), groups.slice(0, n / 2));
      const b = fold(c.spec, 3, c.cols.map((v) => slice(v, n / 2, n)), groups.slice(n / 2).map((g) => 2 - g));
      const target = deserializeAggregateState(c.spec, a.serialize());
      target.merge(deserializeAggregateState(c.spec, b.serialize()), Int32Array.of(2, 1, 0));
      const merged = values(target.finalize());
      if (c.name === 'string_agg') {
        // Merging appends the other state's text: same values, in another order.
        const sorted = (xs: Scalar[]) => xs.map((x) => (x === null ? null : String(x).split(',').sort().join(',')));
        expect(sorted(merged)).toEqual(sorted(whole));
      } else if (typeof whole[0] === 'number' && c.name.startsWith('var') || c.name.startsWith('stddev')) {
        merged.forEach((x, i) => expect(x as number).toBeCloseTo(whole[i] as number, 9));
      } else expect(merged).toEqual(whole);
    });
  }
});

describe('approx_count_distinct accuracy', () => {
  const s = spec('approx_count_distinct', [T.BIGINT], T.BIGINT);
  it('counts small groups nearly exactly and large ones within 3 standard errors (2.5%)', () => {
    const sizes = [0, 1, 10, 100, 1000, 5000, 200_000];
    const st = createAggregateState(s);
    st.init(sizes.length);
    for (let g = 0; g < sizes.length; g++) {
      const count = sizes[g]!;
      const data = Array.from({ length: count }, (_, i) => i * 7919 + g);
      // Every value twice: duplicates must not count.
      const col = flat(T.BIGINT, [...data, ...data]);
      st.update(col, null, new Int32Array(2 * count).fill(g), 2 * count);
    }
    const out = values(st.finalize()) as number[];
    for (let g = 0; g < sizes.length; g++) {
      const want = sizes[g]!;
      const tol = want <= 1000 ? Math.max(1, want * 0.005) : want * 0.025;
      expect(Math.abs(out[g]! - want), `group of ${want}: estimate ${out[g]}`).toBeLessThanOrEqual(tol);
    }
  });
});
