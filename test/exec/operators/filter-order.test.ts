// FilterOrder (exec/operators/filter-order.ts): each join filter of a scan runs first in turn,
// is measured only there, and then the filters go by cost per row over the share dropped.

import { describe, expect, it } from 'vitest';
import { T } from '../../../common/types.js';
import { JoinFilter } from '../../../exec/join-filter.js';
import { FilterOrder, type ScanJoinFilter } from '../../../exec/operators/filter-order.js';

const filter = JoinFilter.fromKeys({ kind: 'flat', type: T.INTEGER, length: 1, data: Int32Array.from([1]), validity: null })!;
const make = (column: number): ScanJoinFilter => ({ column, filter, rows: 0, passed: 0, ms: 0 });

describe('FilterOrder', () => {
  it('tries each filter first twice, then orders them by cost over rows dropped', () => {
    const [a, b, c] = [make(0), make(1), make(2)];
    const order = new FilterOrder([a, b, c]);
    // Per 1000 rows when first: a costs 1 ms and keeps 90%, b 2 ms keeping 10%, c 0.5 ms keeping 50%.
    const cost = new Map([[a, [1, 900]], [b, [2, 100]], [c, [0.5, 500]]] as const);
    const firsts: number[] = [];
    for (let batch = 0; batch < 6; batch++) {
      const f = order.next();
      firsts.push(f[0]!.column);
      expect(new Set(f.map((x) => x.column))).toEqual(new Set([0, 1, 2]));
      const [ms, kept] = cost.get(f[0]!)!;
      order.measured(f[0]!, 1000, kept, ms);
    }
    expect(firsts).toEqual([0, 1, 2, 0, 1, 2]);
    // Ranks: a 1/0.1 = 10, b 2/0.9 = 2.2, c 0.5/0.5 = 1 (per 1000 rows).
    expect(order.next().map((x) => x.column)).toEqual([2, 1, 0]);
  });

  it('leaves a single filter alone', () => {
    const only = make(4);
    const order = new FilterOrder([only]);
    for (let i = 0; i < 5; i++) expect(order.next()).toEqual([only]);
  });
});
