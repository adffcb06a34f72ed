// JoinFilter (exec/join-filter.ts): built from a join's build keys, it keeps exactly the probe
// rows whose key is among them (a bitmap over a small range) or within their range (a wide
// one), over every vector kind, honouring selections; NULL keys never pass.

import { describe, expect, it } from 'vitest';
import { T } from '../../common/types.js';
import type { FlatVector, Vector } from '../../common/vector.js';
import { JoinFilter } from '../../exec/join-filter.js';

const ints = (values: (number | null)[]): FlatVector => ({
  kind: 'flat',
  type: T.INTEGER,
  length: values.length,
  data: Int32Array.from(values, (v) => v ?? 0),
  validity: values.includes(null) ? Uint8Array.from(values, (v) => (v === null ? 0 : 1)) : null,
});

const rows = (sel: Int32Array) => [...sel];

describe('JoinFilter', () => {
  const filter = JoinFilter.fromKeys(ints([7, 3, null, 9, 3]))!;

  it('keeps the range and the exact keys of the build side, skipping NULLs', () => {
    expect([filter.min, filter.max]).toEqual([3, 9]);
    expect([2, 3, 4, 7, 8, 9, 10].map((k) => filter.mayMatch(k))).toEqual([false, true, false, true, false, true, false]);
    expect(JoinFilter.fromKeys(ints([null, null]))).toBeNull();
  });

  it('selects matching rows of flat vectors, with and without a selection', () => {
    const v = ints([3, 4, null, 9, 7, 1]);
    expect(rows(filter.select(v, null, 6))).toEqual([0, 3, 4]);
    expect(rows(filter.select(v, Int32Array.from([1, 2, 4, 5]), 4))).toEqual([4]);
  });

  it('drops keys on both sides of the range, extreme ones too, writing into a given array or in place', () => {
    const f = JoinFilter.fromKeys(ints([100, 102, 104]))!;
    const keys = [99, 100, 101, 102, 104, 105, -2147483648, 2147483647, 0, 103, 104];
    const want = [1, 3, 4, 10];
    expect(rows(f.select(ints(keys), null, keys.length))).toEqual(want);
    const into = new Int32Array(32).fill(-1);
    expect(rows(f.select(ints(keys), null, keys.length, into))).toEqual(want);
    const sel = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(rows(f.select(ints(keys), sel, sel.length, sel))).toEqual(want);
  });

  it('agrees with a row-by-row test over random runs and selections, dense and sparse', () => {
    let x = 12345;
    const next = (m: number): number => (x = (x * 1103515245 + 12345) & 0x7fffffff) % m;
    const f = JoinFilter.fromKeys(ints(Array.from({ length: 40 }, () => 100 + next(300))))!;
    for (let trial = 0; trial < 30; trial++) {
      const runs = 1 + next(400);
      const ends = new Int32Array(runs);
      let end = 0;
      for (let r = 0; r < runs; r++) ends[r] = end += 1 + next(trial % 3 === 0 ? 40 : 5);
      const values = Array.from({ length: runs }, () => next(500));
      const rle: Vector = { kind: 'rle', type: T.INTEGER, length: end, values: ints(values), runEnds: ends };
      const valueAt = (row: number): number => values[ends.findIndex((e) => e > row)]!;
      const every = 1 + next(trial % 2 === 0 ? 3 : 200);
      const sel = Int32Array.from({ length: Math.ceil(end / every) }, (_, k) => k * every);
      const want = [...sel].filter((row) => f.mayMatch(valueAt(row)));
      expect(rows(f.select(rle, sel, sel.length))).toEqual(want);
      expect(rows(f.select(rle, null, end))).toEqual(Array.from({ length: end }, (_, i) => i).filter((row) => f.mayMatch(valueAt(row))));
    }
  });

  it('tests each run of a run-length vector and each entry of a dictionary once', () => {
    const rle: Vector = { kind: 'rle', type: T.INTEGER, length: 7, values: ints([3, 5, null, 9]), runEnds: Int32Array.from([2, 4, 5, 7]) };
    expect(rows(filter.select(rle, null, 7))).toEqual([0, 1, 5, 6]);
    expect(rows(filter.select(rle, Int32Array.from([1, 2, 6]), 3))).toEqual([1, 6]);
    const dict: Vector = { kind: 'dictionary', type: T.INTEGER, length: 5, dictionary: ints([9, 4, null]), codes: Int32Array.from([0, 1, 2, 0, 1]) };
    expect(rows(filter.select(dict, null, 5))).toEqual([0, 3]);
    expect(rows(filter.select(dict, Int32Array.from([3, 4]), 2))).toEqual([3]);
  });

  it('keeps all or none of a constant vector', () => {
    expect(rows(filter.select({ kind: 'constant', type: T.INTEGER, length: 3, value: 7 }, null, 3))).toEqual([0, 1, 2]);
    expect(rows(filter.select({ kind: 'constant', type: T.INTEGER, length: 3, value: 8 }, null, 3))).toEqual([]);
    expect(rows(filter.select({ kind: 'constant', type: T.INTEGER, length: 3, value: null }, null, 3))).toEqual([]);
  });

  it('checks only the range when the keys span too much for a bitmap', () => {
    const wide = JoinFilter.fromKeys(ints([-2_000_000_000, 2_000_000_000]))!;
    expect(wide.mayMatch(5)).toBe(true);
    expect(wide.mayMatch(2_000_000_001)).toBe(false);
    expect(rows(wide.select(ints([0, 2_100_000_000, null]), null, 3))).toEqual([0]);
  });
});
