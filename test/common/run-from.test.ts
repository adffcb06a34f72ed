// runFrom and runIndexes (common/vector.ts): the run holding a row, found by galloping forward.
// Checked against a linear walk over random run layouts and selections, dense and sparse.

import { describe, expect, it } from 'vitest';
import { runFrom, runIndexes } from '../../common/vector.js';
import { T } from '../../common/types.js';

function randomEnds(seed: number, runs: number, maxLen: number): Int32Array {
  let x = seed;
  const next = (): number => (x = (x * 1103515245 + 12345) & 0x7fffffff);
  const ends = new Int32Array(runs);
  let end = 0;
  for (let r = 0; r < runs; r++) ends[r] = end += 1 + (next() % maxLen);
  return ends;
}

function linear(ends: Int32Array, row: number): number {
  let r = 0;
  while (ends[r]! <= row) r++;
  return r;
}

describe('runFrom', () => {
  it('finds the run of every row from every earlier run start', () => {
    for (const [seed, runs, maxLen] of [[1, 1, 5], [2, 7, 1], [3, 50, 9], [4, 300, 3], [5, 1000, 40]] as const) {
      const ends = randomEnds(seed, runs, maxLen);
      for (let row = 0; row < ends[runs - 1]!; row += 1 + (row % 7)) {
        const want = linear(ends, row);
        for (const from of [0, Math.floor(want / 2), want]) expect(runFrom(ends, from, row)).toBe(want);
      }
    }
  });

  it('maps a selection to runs, forward and backward (runIndexes)', () => {
    const ends = randomEnds(9, 400, 6);
    const length = ends[ends.length - 1]!;
    const v = { kind: 'rle' as const, type: T.INTEGER, length, values: { kind: 'flat' as const, type: T.INTEGER, length: ends.length, data: new Int32Array(ends.length), validity: null }, runEnds: ends };
    for (const stride of [1, 3, 97, 1000]) {
      const rows = Int32Array.from({ length: Math.ceil(length / stride) }, (_, k) => k * stride);
      expect(Array.from(runIndexes(v, rows, rows.length))).toEqual(Array.from(rows, (row) => linear(ends, row)));
    }
    const back = Int32Array.from([length - 1, 0, 5, 2]);
    expect(Array.from(runIndexes(v, back, back.length))).toEqual(Array.from(back, (row) => linear(ends, row)));
  });
});
