// Aggregates with ORDER BY inside the call (exec/aggregate/ordered.ts) on their own: each group's
// rows reach the wrapped aggregate sorted by the keys (ties in arrival order), whether the rows
// come in one update, through a selection, or as partial states merged through a group map after
// serialize -> deserialize (keys of every stored kind: INTEGER with NULLs, wide BIGINT, VARCHAR).

import { describe, expect, it } from 'vitest';
import { type LogicalType, T } from '../../../common/types.js';
import { type FlatVector, getScalar, type Scalar } from '../../../common/vector.js';
import type { AggregateFn, AggregateOrderKey, AggregateSpec } from '../../../exec/plan.js';
import { createAggregateState, deserializeAggregateState } from '../../../exec/aggregate/registry.js';
import type { AggregateState } from '../../../exec/aggregate/state.js';
import { flat } from '../operators/batches.js';

const n = 50;
const groups = Array.from({ length: n }, (_, i) => (i * 7) % 3);
const strs = Array.from({ length: n }, (_, i) => (i % 9 === 0 ? null : `s${i}`));
/** Many ties (13 values) and NULLs. */
const ints = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : (i * 7) % 13));
const wides = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? null : BigInt(i % 6) * 2n ** 60n - 3n));
const seps = strs.map(() => ',');

function spec(fn: AggregateFn, argTypes: LogicalType[], type: LogicalType, orderBy: Omit<AggregateOrderKey, 'index'>[]): AggregateSpec {
  return { fn, args: argTypes.map((_, i) => i), argTypes, distinct: false, filter: null, type, orderBy: orderBy.map((k, i) => ({ ...k, index: argTypes.length + i })) };
}

function values(v: FlatVector): Scalar[] {
  return Array.from({ length: v.length }, (_, i) => getScalar(v, i));
}

function slice(v: FlatVector, from: number, to: number): FlatVector {
  return flat(v.type, values(v).slice(from, to));
}

function fold(s: AggregateSpec, cols: FlatVector[], gs: number[]): AggregateState {
  const st = createAggregateState(s);
  st.init(3);
  st.update(cols[0]!, null, Int32Array.from(gs), gs.length, cols.slice(1));
  return st;
}

/** NULLs largest, as the planner's default; `desc` flips values and NULLs alike. */
function cmp(a: Scalar, b: Scalar, desc: boolean): number {
  if (a === b) return 0;
  const r = a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;
  return desc ? -r : r;
}

/** The expected string_agg per group: non-NULL values joined in (stable) key order. */
function expectedStringAgg(keys: Scalar[][], desc: boolean[]): Scalar[] {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => {
    for (let k = 0; k < keys.length; k++) {
      const c = cmp(keys[k]![i]!, keys[k]![j]!, desc[k]!);
      if (c !== 0) return c;
    }
    return i - j;
  });
  return [0, 1, 2].map((g) => {
    const vs = order.filter((i) => groups[i] === g && strs[i] !== null).map((i) => strs[i]!);
    return vs.length === 0 ? null : vs.join(',');
  });
}

const cases: { name: string; spec: AggregateSpec; cols: FlatVector[]; expected: Scalar[] }[] = [
  {
    name: 'string_agg ORDER BY an INTEGER with ties and NULLs, then the value DESC',
    spec: spec('string_agg', [T.VARCHAR, T.VARCHAR], T.VARCHAR, [{ type: T.INTEGER, desc: false, nullsFirst: false }, { type: T.VARCHAR, desc: true, nullsFirst: true }]),
    cols: [flat(T.VARCHAR, strs), flat(T.VARCHAR, seps), flat(T.INTEGER, ints), flat(T.VARCHAR, strs)],
    expected: expectedStringAgg([ints, strs], [false, true]),
  },
  {
    name: 'string_agg ORDER BY a wide BIGINT DESC (ties in arrival order)',
    spec: spec('string_agg', [T.VARCHAR, T.VARCHAR], T.VARCHAR, [{ type: T.BIGINT, desc: true, nullsFirst: true }]),
    cols: [flat(T.VARCHAR, strs), flat(T.VARCHAR, seps), flat(T.BIGINT, wides, true)],
    expected: expectedStringAgg([wides], [true]),
  },
];

describe('aggregates with ORDER BY', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(values(fold(c.spec, c.cols, groups).finalize())).toEqual(c.expected);
      // Through a selection: rows given in reverse, keys still decide (ties now arrive reversed,
      // so only a tie-free order is compared; the first case is total).
      if (c === cases[0]) {
        const st = createAggregateState(c.spec);
        st.init(3);
        const rows = Int32Array.from({ length: n }, (_, k) => n - 1 - k);
        st.update(c.cols[0]!, rows, Int32Array.from(rows, (r) => groups[r]!), n, c.cols.slice(1));
        expect(values(st.finalize())).toEqual(c.expected);
      }
      // Two halves, the second with its groups numbered in reverse, serialized and merged.
      const a = fold(c.spec, c.cols.map((v) => slice(v, 0, n / 2)), groups.slice(0, n / 2));
      const b = fold(c.spec, c.cols.map((v) => slice(v, n / 2, n)), groups.slice(n / 2).map((g) => 2 - g));
      const target = deserializeAggregateState(c.spec, a.serialize());
      target.merge(deserializeAggregateState(c.spec, b.serialize()), Int32Array.of(2, 1, 0));
      expect(values(target.finalize())).toEqual(c.expected);
    });
  }

  it('arg_max keeps the first of tied rows in key order; an empty state finalizes to NULLs', () => {
    // Values 1, 2, 2, 2 in group 0: the tie on 2 goes to the row with the smallest key.
    const s = spec('arg_max', [T.VARCHAR, T.INTEGER], T.VARCHAR, [{ type: T.INTEGER, desc: false, nullsFirst: false }]);
    const st = createAggregateState(s);
    st.init(2);
    st.update(flat(T.VARCHAR, ['a', 'b', 'c', 'd']), null, Int32Array.of(0, 0, 0, 0), 4, [flat(T.INTEGER, [1, 2, 2, 2]), flat(T.INTEGER, [0, 9, 3, 5])]);
    expect(values(st.finalize())).toEqual(['c', null]);
    const empty = deserializeAggregateState(s, createAggregateState(s).serialize());
    empty.init(1);
    expect(values(empty.finalize())).toEqual([null]);
  });

  it('any_value(DISTINCT x ORDER BY x DESC) takes the largest value, also after serialize', () => {
    const s = { ...spec('any_value', [T.INTEGER], T.INTEGER, [{ type: T.INTEGER, desc: true, nullsFirst: false }]), distinct: true };
    const cols = [flat(T.INTEGER, ints), flat(T.INTEGER, ints)];
    const st = deserializeAggregateState(s, fold(s, cols, groups).serialize());
    const largest = [0, 1, 2].map((g) => Math.max(...ints.filter((v, i) => v !== null && groups[i] === g).map((v) => v!)));
    expect(values(st.finalize())).toEqual(largest);
  });
});
